/* dbsweep: runs the selected cases of the table on this CPU (with cores=,
 * on each selected logical CPU in turn), judges every event with the
 * reference model, writes the CSV (one per CPU) to \dbsweep\results\ (and,
 * with serial=on, over COM1), then does what on_finish says. */
#include <efi.h>
#include <efilib.h>
#include "batch.h"
#include "codebuf.h"
#include "compare.h"
#include "config.h"
#include "console.h"
#include "cores.h"
#include "esp.h"
#include "finish.h"
#include "meta.h"
#include "serial.h"
#include "dbs_case.h"
#include "dbs_csv.h"
#include "dbs_judge.h"
#include "dbs_marker.h"
#include "dbs_model.h"
#include "dbs_recovery.h"
#include "dbs_runner.h"

#define CSV_CAP (1024 * 1024)
#define CSV_FLUSH_AT (CSV_CAP - 64 * 1024) /* a case writes at most a few tens of KiB */
#define BATCH_WATCHDOG_S 60                /* a batch that hangs resets the machine */
#define MARKER L"PROGRESS.txt"             /* in \dbsweep\results while a run is on */
#define MAX_CORES 1024                     /* logical CPUs one run sweeps */

/* One output for the run: the directory and the marker stay, the CSV is
 * each core's in turn. */
struct output {
    EFI_FILE_HANDLE dir;  /* \dbsweep\results, NULL when the volume cannot be written */
    EFI_FILE_HANDLE file; /* the CSV */
    EFI_FILE_HANDLE marker; /* PROGRESS.txt once a batch has begun */
    struct dbs_buf csv;
    char name[96];
    EFI_STATUS err;
};

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

/* What every core's sweep shares. */
struct sweep {
    const struct dbs_options *opt;
    struct run_meta *m;
    const UINT32 *sel;         /* the selected cases' table indexes, m->cases of them */
    const struct dbs_resume *res;
    void *code;                /* the executable case buffer */
    struct dbs_rep *reps;      /* a batch's repetitions */
    uint32_t *digest;          /* per selected case, comparing cores; else NULL */
};

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
 * (EFI_TIMEOUT: an AP past core_timeout; hung then names the case). */
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
static void resume_after_crash(struct output *o, struct run_meta *m, struct dbs_resume *res,
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

/* Indexes of the cases the options select, in table order. */
static unsigned select_cases(const struct dbs_options *opt, UINT32 *sel)
{
    static struct dbs_case c;
    unsigned i, n = 0, total = dbs_case_count();

    for (i = 0; i < total; i++)
        if (!dbs_case_get(i, &c) && dbs_selected(opt->cases, c.name))
            sel[n++] = i;
    return n;
}

static void firmware_time(struct dbs_time *t)
{
    EFI_TIME now;

    if (EFI_ERROR(uefi_call_wrapper(RT->GetTime, 2, &now, NULL)))
        *t = (struct dbs_time){0, 0, 0, 0, 0, 0};
    else
        *t = (struct dbs_time){now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second};
}

/* Bad options: say so on the console and in \dbsweep\results\ERROR-<time>.txt. */
static void report_config_error(EFI_HANDLE image, const char *msg)
{
    EFI_FILE_HANDLE dir = NULL, f;
    struct dbs_time t;
    char stem[40], name[64];
    struct dbs_buf b;
    UINTN n = 0;
    EFI_STATUS st;

    sayf(L"dbsweep: ERROR: %a; nothing was run", msg);
    firmware_time(&t);
    dbs_buf_init(&b, stem, sizeof(stem));
    dbs_put_str(&b, "ERROR-");
    dbs_put_time(&b, &t);
    st = esp_open_results(image, &dir);
    if (!EFI_ERROR(st))
        st = esp_create_unique(dir, dbs_buf_str(&b), ".txt", &f, name, sizeof(name));
    if (EFI_ERROR(st)) {
        sayf(L"dbsweep: cannot write the error to \\dbsweep\\results (%r)", st);
    } else {
        while (msg[n])
            n++;
        esp_write(f, msg, n);
        esp_write(f, "\n", 1);
        uefi_call_wrapper(f->Close, 1, f);
        sayf(L"dbsweep: the error is also in \\dbsweep\\results\\%a", name);
    }
    if (dir)
        uefi_call_wrapper(dir->Close, 1, dir);
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

/* The whole sweep on one core, its CSV written and closed. The first
 * core's identity is the run's (meta_collect); an AP reads its own first. */
static void run_core(EFI_HANDLE image, struct output *o, const struct sweep *s,
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
        if (marker_core(s->m->resumed_from ? s->m->resumed_from : "") != (long long)core->apic_id)
            crashed_row = "";
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
    if (EFI_ERROR(st)) {
        sayf(L"dbsweep: core APIC ID %d did not finish in %d s (%r) in case %a: stopped, "
             L"recorded as %a", core->apic_id, opt->core_timeout, st, hung[0] ? hung : "?",
             st == EFI_TIMEOUT ? "timeout" : "failed");
        if (hung[0])
            dbs_csv_meta(&o->csv, "timeout_case", hung);
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

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
    static struct run_meta m;
    static struct output o;
    static struct dbs_options opt;
    static struct dbs_resume res;
    static struct dbs_marker mk;
    static char crashed_mem[4096];
    struct dbs_buf crashed_row;
    static char errmem[256], optmem[DBS_OPT_MAX + DBS_CORES_TEXT + 128];
    static struct core cores[MAX_CORES];
    static struct core_result results[MAX_CORES];
    static struct sweep s;
    struct dbs_buf err, optbuf;
    void *code = NULL;
    const char *why = "";
    char *csvmem = NULL;
    UINT32 *sel = NULL, *first_digest = NULL;
    struct dbs_rep *reps = NULL;
    unsigned ncores = 0, k;
    EFI_STATUS st;

    InitializeLib(image, systab);
    dbs_buf_init(&err, errmem, sizeof(errmem));
    st = config_load(image, &opt, &err);
    /* serial= counts even from a file with a bad line further down */
    if (opt.serial != DBS_SERIAL_OFF && serial_open())
        console_mirror(!serial_is_console());
    say("dbsweep " DBS_VERSION ": #DB corner cases, recorded");
    if (EFI_ERROR(st)) {
        report_config_error(image, errmem);
        /* what the file said before the bad line still counts; else wait */
        if (opt.on_finish == DBS_FINISH_AUTO)
            opt.on_finish = DBS_FINISH_WAIT;
        goto out;
    }
    dbs_random_configure(opt.cases); /* the random:SEED:N items join the case table */
    st = codebuf_alloc(&code, &why);
    if (EFI_ERROR(st)) {
        sayf(L"dbsweep: ERROR: %a (%r)", why, st);
        goto out;
    }
    st = uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData, CSV_CAP, (void **)&csvmem);
    if (!EFI_ERROR(st))
        st = uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData,
                               (dbs_case_count() + 1) * sizeof(UINT32), (void **)&sel);
    if (!EFI_ERROR(st))
        st = uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData,
                               DBS_BATCH * opt.reps * sizeof(struct dbs_rep), (void **)&reps);
    /* comparing cores: the first core's digests and the current one's */
    if (!EFI_ERROR(st) && opt.cores != DBS_CORES_BSP)
        st = uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData,
                               2 * (dbs_case_count() + 1) * sizeof(UINT32), (void **)&first_digest);
    if (EFI_ERROR(st)) {
        sayf(L"dbsweep: ERROR: out of memory (%r)", st);
        goto out;
    }
    dbs_buf_init(&o.csv, csvmem, CSV_CAP);
    if (dbs_runner_init(code, CODEBUF_SIZE, 0)) {
        say("dbsweep: ERROR: the entry prologues do not fit the case buffer");
        goto out;
    }

    meta_collect(&m);
    m.code_base = (uint64_t)code;
    m.cases_total = dbs_case_count();
    m.cases = select_cases(&opt, sel);
    m.selection = opt.cases;
    m.reps = opt.reps;
    m.max_events = opt.max_events;
    m.label = opt.label;
    dbs_buf_init(&optbuf, optmem, sizeof(optmem));
    dbs_options_format(&optbuf, &opt);
    m.options = optmem;
    m.vendor = dbs_vendor_of(m.cpu.vendor);
    sayf(L"cpu: %a family %d model %d stepping %d, %a; hypervisor: %a", m.cpu.vendor,
         m.cpu.family, m.cpu.model, m.cpu.stepping, m.cpu.brand,
         m.cpu.hypervisor ? m.cpu.hv_sig : "none");
    sayf(L"cases: %d of %d selected by cases=%a; judged by the %a rules of %a", m.cases,
         m.cases_total, opt.cases, dbs_vendor_names[m.vendor], DBS_MODEL_NAME);
    if (opt.cores == DBS_CORES_BSP) {
        cores[0] = (struct core){.number = 0, .apic_id = m.cpu.apic_id, .bsp = 1};
        ncores = 1;
    } else if (cores_select(&opt, m.cpu.apic_id, cores, MAX_CORES, &ncores)) {
        say("dbsweep: ERROR: cores= selects no enabled logical CPU; nothing was run");
        goto out;
    } else {
        sayf(L"cores: %d of %d logical CPUs selected by cores=%a, each in turn (core_timeout=%d s)",
             ncores, m.cpus ? m.cpus : 1, opt.cores_text, opt.core_timeout);
    }

    /* the crashed case's row, if any, goes after the metadata and the header */
    dbs_buf_init(&crashed_row, crashed_mem, sizeof(crashed_mem));
    o.err = esp_open_results(image, &o.dir);
    if (EFI_ERROR(o.err))
        o.dir = NULL;
    resume_after_crash(&o, &m, &res, &mk, &crashed_row);
    s = (struct sweep){.opt = &opt, .m = &m, .sel = sel, .res = &res, .code = code, .reps = reps};
    for (k = 0; k < ncores; k++) {
        s.digest = first_digest ? first_digest + (k ? dbs_case_count() + 1 : 0) : NULL;
        if (s.digest)
            SetMem(s.digest, m.cases * sizeof(UINT32), 0);
        run_core(image, &o, &s, &cores[k], dbs_buf_str(&crashed_row), k + 1 == ncores,
                 &results[k]);
        if (k && first_digest)
            compare_count(first_digest, s.digest, m.cases, &results[k]);
    }
    if (opt.cores != DBS_CORES_BSP)
        compare_report(results, ncores, m.cases);
    if (o.dir)
        uefi_call_wrapper(o.dir->Close, 1, o.dir);
    st = EFI_ERROR(o.err) ? o.err : EFI_SUCCESS;
out:
    if (first_digest)
        FreePool(first_digest);
    if (reps)
        FreePool(reps);
    if (sel)
        FreePool(sel);
    if (csvmem)
        FreePool(csvmem);
    if (code)
        uefi_call_wrapper(BS->FreePages, 2, (EFI_PHYSICAL_ADDRESS)code,
                          EFI_SIZE_TO_PAGES(CODEBUF_SIZE));
    finish(image, opt.on_finish);
    return st;
}
