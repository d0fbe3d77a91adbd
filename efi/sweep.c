/* One core's sweep (sweep.h): the CSV, the progress marks, the batches on
 * the core, judged here. */
#include <efi.h>
#include <efilib.h>
#include "batch.h"
#include "console.h"
#include "esp.h"
#include "serial.h"
#include "sweep.h"
#include "dbs_case.h"
#include "dbs_csv.h"
#include "dbs_judge.h"
#include "dbs_model.h"

#define CSV_FLUSH_AT (CSV_CAP - 64 * 1024) /* a case writes at most a few tens of KiB */
#define BATCH_WATCHDOG_S 60                /* a batch that hangs resets the machine */
#define MARKER L"PROGRESS.txt"             /* in \dbsweep\results while a run is on */

static void flush(struct output *o)
{
    if (o->file && o->csv.len && !EFI_ERROR(o->err))
        o->err = esp_write(o->file, o->csv.p, o->csv.len);
    if (o->csv.overflow && !EFI_ERROR(o->err))
        o->err = EFI_BUFFER_TOO_SMALL;
    dbs_buf_init(&o->csv, o->csv.p, o->csv.cap);
}

/* Notes on the volume which cases run now (after flushing the CSV, so the
 * file has every case before them): if the machine goes down, the next boot
 * knows where. A batch that hangs resets the machine: the watchdog is armed
 * anew for each (a batch of 256 takes milliseconds on hardware and well
 * under a second under TCG; arming it for every case cost 0.07 s of a TCG
 * sweep). */
static void mark(struct output *o, unsigned first, unsigned last, const char *name,
                 unsigned watchdog_s)
{
    struct dbs_marker mk = {.first = first, .last = last};
    char text[256];
    struct dbs_buf b;

    uefi_call_wrapper(BS->SetWatchdogTimer, 4, watchdog_s, 0x10000, 0, NULL);
    CopyMem(mk.csv, o->name, sizeof(mk.csv) - 1);
    CopyMem(mk.name, (void *)name, sizeof(mk.name) - 1);
    flush(o);
    dbs_buf_init(&b, text, sizeof(text));
    dbs_marker_format(&b, &mk);
    if (o->dir && !o->marker && EFI_ERROR(esp_create_fresh(o->dir, MARKER, &o->marker)))
        o->marker = NULL;
    if (o->marker)
        esp_rewrite(o->marker, text, b.len);
}

/* Judges the cases of a batch the CPU ran (b->done of them), writes their
 * rows; the events' digests go to digest[pos0 + k] when comparing cores. */
static void judge_batch(struct output *o, struct totals *t, const struct batch *b, unsigned pos0,
                        unsigned ncases, enum dbs_vendor vendor, uint32_t *digest)
{
    static struct dbs_case c;
    static struct dbs_expect x;
    unsigned k, r, n = b->nreps;

    for (k = 0; k < b->done; k++) {
        const struct dbs_rep *reps = b->reps + k * n;
        enum dbs_verdict v;
        int agree;

        dbs_case_get(b->idx[k], &c); /* it compiled on the CPU that ran it */
        dbs_model_expect(&c, vendor, &x);
        v = dbs_judge_case(&c, &x, reps, n);
        agree = dbs_reps_agree(reps, n);
        t->cases++;
        t->verdict[v]++;
        count_group(t, &c, v);
        t->disagree += !agree;
        t->skipped += reps[0].skipped;
        for (r = 0; r < n; r++)
            t->capped += reps[r].capped;
        dbs_csv_case_rows(&o->csv, &c, &x, reps, n, agree);
        if (o->csv.len >= CSV_FLUSH_AT)
            flush(o);
        results_case(pos0 + k, ncases, &c, v, reps, n, agree);
        if (digest)
            digest[pos0 + k] = compare_digest(reps);
    }
}

/* The selected cases on one core, a progress mark's batch at a time, each
 * run on that core and judged here. EFI_SUCCESS, or why the core stopped
 * (EFI_TIMEOUT: an AP past core_timeout; hung then names the case;
 * EFI_ABORTED: the case or the runner could not be set up). */
static EFI_STATUS run_all(struct output *o, struct totals *t, const struct sweep *s,
                          const struct core *core, struct core_state *cs,
                          char hung[DBS_CASE_MAX_NAME])
{
    static struct dbs_case c;
    struct dbs_batches batches = {0};
    struct batch b;
    unsigned i, last, ncases = s->m->cases;
    const struct dbs_options *opt = s->opt;
    EFI_STATUS st = EFI_SUCCESS;

    results_begin(opt->serial != DBS_SERIAL_OFF, s->sel, ncases, s->res);
    if (s->res->kind == DBS_RESUME_CRASHED && !dbs_case_get(s->res->crashed, &c))
        results_crashed(&c);
    for (i = 0; i < ncases; i = last + 1) {
        last = i;
        if (!dbs_resume_runs(s->res, s->sel[i]))
            continue;
        if (dbs_case_get(s->sel[i], &c)) {
            say("dbsweep: internal error: a case does not compile; stopping");
            st = EFI_ABORTED;
            break;
        }
        dbs_batch_mark(&batches, s->res, s->sel, ncases, i, &last);
        batches.left = 0; /* the mark's cases run as one batch: the next case starts a mark */
        /* on an AP the firmware's timeout must come before the watchdog's reset */
        mark(o, s->sel[i], s->sel[last], c.name,
             BATCH_WATCHDOG_S + (core->bsp ? 0 : opt->core_timeout));
        b = (struct batch){.idx = s->sel + i, .n = last - i + 1, .nreps = opt->reps,
                           .cap = opt->max_events, .reps = s->reps, .code = s->code,
                           .ap = !core->bsp, .core = cs};
        st = cores_run(core, batch_run, &b, opt->core_timeout);
        judge_batch(o, t, &b, i, ncases, s->m->vendor, s->digest);
        if (b.bad) {
            say(b.bad == BATCH_BAD_CASE ? "dbsweep: internal error: a case does not compile; stopping"
                                        : "dbsweep: ERROR: the runner cannot be set up on this CPU");
            st = EFI_ABORTED;
            break;
        }
        if (EFI_ERROR(st)) {
            if (b.done < b.n && !dbs_case_get(b.idx[b.done], &c))
                CopyMem(hung, c.name, DBS_CASE_MAX_NAME);
            break;
        }
    }
    uefi_call_wrapper(BS->SetWatchdogTimer, 4, 0, 0, 0, NULL);
    return st;
}

/* A marker left by a run that never finished: the machine went down in that
 * batch (src/recovery.c plans what to do about it). The crashed case's row
 * goes to rows. */
void sweep_resume(struct output *o, struct run_meta *m, struct dbs_resume *res,
                  struct dbs_marker *mk, struct dbs_buf *rows)
{
    static struct dbs_case c;
    static struct dbs_expect x;
    char text[256];
    UINTN len = sizeof(text) - 1;
    static struct dbs_rep crashed = {.crashed = 1};
    int found = o->dir && !EFI_ERROR(esp_read_file(o->dir, MARKER, text, &len));

    dbs_resume_plan(found ? text : NULL, (unsigned)len, dbs_case_count(), mk, res);
    switch (res->kind) {
    case DBS_RESUME_NONE:
        break;
    case DBS_RESUME_DAMAGED:
        say("dbsweep: ignoring a damaged progress marker");
        break;
    case DBS_RESUME_CRASHED:
        dbs_case_get(res->crashed, &c);
        sayf(L"dbsweep: the last run (%a) went down in case %a: recorded as crashed, "
             L"going on after it", mk->csv, c.name);
        m->resumed_from = mk->csv;
        m->crashed_case = mk->name;
        dbs_model_expect(&c, m->vendor, &x);
        dbs_csv_case_rows(rows, &c, &x, &crashed, 1, 1);
        break;
    case DBS_RESUME_RERUN:
        sayf(L"dbsweep: the last run (%a) went down in cases %d-%d: running them one at a "
             L"time", mk->csv, mk->first, mk->last);
        m->resumed_from = mk->csv;
        break;
    }
}
/* The CSV: <stem>[-<label>], with cores= other than bsp -cpu<APIC ID>,
 * then -N if taken, .csv (the host tools take these names apart). */
static EFI_STATUS open_output(EFI_HANDLE image, struct output *o, const struct run_meta *m,
                              const char *label)
{
    char stem[96];
    struct dbs_buf b;

    dbs_buf_init(&b, stem, sizeof(stem));
    dbs_result_stem(&b, &m->cpu, &m->time, label);
    if (m->cores) {
        dbs_put_str(&b, "-cpu");
        dbs_put_dec(&b, m->cpu.apic_id);
    }
    o->file = NULL;
    o->err = o->dir ? EFI_SUCCESS : esp_open_results(image, &o->dir);
    if (!EFI_ERROR(o->err))
        o->err = esp_create_unique(o->dir, dbs_buf_str(&b), ".csv", &o->file, o->name,
                                   sizeof(o->name));
    if (EFI_ERROR(o->err)) {
        o->file = NULL;
        sayf(L"dbsweep: ERROR: cannot create a result file in \\dbsweep\\results (%r); "
             L"running anyway, console only", o->err);
    }
    return o->err;
}

/* "-cpu<N>" in the name of the CSV a marker names: the core a cores= run
 * went down on; -1 when the name has none. */
static long long marker_core(const char *csv)
{
    const char *p = NULL, *q;
    long long id = -1;

    for (q = csv; *q; q++)
        if (q[0] == '-' && q[1] == 'c' && q[2] == 'p' && q[3] == 'u' && q[4] >= '0' && q[4] <= '9')
            p = q + 4;
    for (; p && *p >= '0' && *p <= '9'; p++)
        id = (id < 0 ? 0 : id * 10) + (*p - '0');
    return id;
}

void sweep_core(EFI_HANDLE image, struct output *o, const struct sweep *s,
                const struct core *core, const char *crashed_row, int last,
                struct core_result *out)
{
    static struct run_meta mc;
    static struct core_state cs;
    static struct totals t;
    const struct dbs_options *opt = s->opt;
    char *hung = out->hung;
    EFI_STATUS st;

    t = (struct totals){0};
    cs = (struct core_state){.seen = core->bsp, .id = s->m->cpu, .fw = s->m->fw,
                             .apic_mode = s->m->apic_mode};
    mc = *s->m;
    out->apic_id = core->apic_id;
    out->st = EFI_SUCCESS;
    if (opt->cores != DBS_CORES_BSP) {
        if (!core->bsp) { /* no cases: the AP reads what it is */
            struct batch probe = {.code = s->code, .ap = 1, .core = &cs};

            st = cores_run(core, batch_run, &probe, opt->core_timeout);
            if (EFI_ERROR(st) || probe.bad) {
                sayf(L"dbsweep: core APIC ID %d (processor %d) did not start (%r); no CSV",
                     core->apic_id, core->number, st);
                out->st = EFI_ERROR(st) ? st : EFI_DEVICE_ERROR;
                return;
            }
        }
        mc.cpu.apic_id = core->apic_id;
        mc.cpu.core_type = cs.id.core_type;
        mc.fw = cs.fw;
        mc.apic_mode = cs.apic_mode;
        mc.cores = opt->cores_text;
        mc.cpu_index = core->number;
        /* a crashed case is recorded on the core the marker names */
        if (marker_core(s->m->resumed_from ? s->m->resumed_from : "") != (long long)core->apic_id) {
            crashed_row = "";
            mc.crashed_case = NULL;
        }
        sayf(L"dbsweep: core APIC ID %d (processor %d%a, core type %a): %d cases",
             core->apic_id, core->number, core->bsp ? ", the BSP" : "",
             meta_core_type(mc.cpu.core_type), mc.cases);
    }
    open_output(image, o, &mc, opt->label);
    meta_write(&o->csv, &mc);
    dbs_csv_header(&o->csv);
    dbs_put_str(&o->csv, crashed_row);

    hung[0] = 0;
    st = run_all(o, &t, s, core, &cs, hung);
    if (last && o->marker)
        uefi_call_wrapper(o->marker->Delete, 1, o->marker); /* closes it */
    else if (last && o->dir) /* one left by a run that went down before its first case */
        esp_delete_file(o->dir, MARKER);
    if (last)
        o->marker = NULL;

    if (core->bsp)
        dbs_cpu_state_read(&cs.fw_after);
    if (!EFI_ERROR(st)) /* an AP stopped by the firmware is in the firmware's state */
        meta_cpu_state(&o->csv, "fw_state_after", &cs.fw_after);
    meta_end_time(&o->csv);
    if (st == EFI_TIMEOUT) {
        sayf(L"dbsweep: core APIC ID %d did not finish in %d s (%r) in case %a: stopped, "
             L"recorded as timeout", core->apic_id, opt->core_timeout, st, hung[0] ? hung : "?");
        if (hung[0])
            dbs_csv_meta(&o->csv, "timeout_case", hung);
    } else if (EFI_ERROR(st)) {
        sayf(L"dbsweep: core APIC ID %d stopped (%r): recorded as failed", core->apic_id, st);
    }
    dbs_csv_meta(&o->csv, "status", !EFI_ERROR(st) ? "complete" : st == EFI_TIMEOUT ? "timeout"
                                                                                     : "failed");
    flush(o);
    if (o->file)
        uefi_call_wrapper(o->file->Close, 1, o->file);
    summary(&t, opt->reps, o->file && !EFI_ERROR(o->err) ? o->name : NULL, o->err);
    if (opt->serial != DBS_SERIAL_OFF && o->file && !EFI_ERROR(o->err)) {
        EFI_STATUS sst = serial_send_file(o->dir, o->name, opt->serial == DBS_SERIAL_PLAIN
                                                               ? DBS_FRAME_PLAIN
                                                               : DBS_FRAME_GZIP);
        if (EFI_ERROR(sst))
            sayf(L"dbsweep: ERROR: the CSV could not be sent over COM1 whole (%r)", sst);
    }
    out->st = st;
    out->ran = t.cases;
}
