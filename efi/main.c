/* dbsweep: runs the selected cases of the table on this CPU, judges every
 * event with the reference model, writes the CSV to \dbsweep\results\ (and,
 * with serial=on, over COM1), then does what on_finish says. */
#include <efi.h>
#include <efilib.h>
#include "codebuf.h"
#include "config.h"
#include "console.h"
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
static void mark(struct output *o, unsigned first, unsigned last, const char *name)
{
    struct dbs_marker mk = {.first = first, .last = last};
    char text[256];
    struct dbs_buf b;

    uefi_call_wrapper(BS->SetWatchdogTimer, 4, BATCH_WATCHDOG_S, 0x10000, 0, NULL);
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

static void run_all(struct output *o, struct totals *t, const UINT32 *sel, unsigned ncases,
                    enum dbs_vendor vendor, const struct dbs_options *opt,
                    const struct dbs_resume *res)
{
    static struct dbs_rep reps[DBS_MAX_REPS];
    static struct dbs_case c;
    static struct dbs_expect x;
    struct dbs_batches batches = {0};
    unsigned i, r, last, n = opt->reps;

    results_begin(opt->serial != DBS_SERIAL_OFF, sel, ncases, res);
    if (res->kind == DBS_RESUME_CRASHED && !dbs_case_get(res->crashed, &c))
        results_crashed(&c);
    for (i = 0; i < ncases; i++) {
        enum dbs_verdict v;
        int agree;

        if (!dbs_resume_runs(res, sel[i]))
            continue;
        if (dbs_case_get(sel[i], &c)) {
            say("dbsweep: internal error: a case does not compile; stopping");
            break;
        }
        if (dbs_batch_mark(&batches, res, sel, ncases, i, &last))
            mark(o, sel[i], sel[last], c.name);
        dbs_model_expect(&c, vendor, &x);
        dbs_runner_run(&c, reps, n, opt->max_events);
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
        results_case(i, ncases, &c, v, reps, n, agree);
    }
    uefi_call_wrapper(BS->SetWatchdogTimer, 4, 0, 0, 0, NULL);
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

static EFI_STATUS open_output(EFI_HANDLE image, struct output *o, const struct run_meta *m,
                              const char *label)
{
    char stem[96];
    struct dbs_buf b;

    dbs_buf_init(&b, stem, sizeof(stem));
    dbs_result_stem(&b, &m->cpu, &m->time, label);
    o->err = esp_open_results(image, &o->dir);
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

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
    static struct run_meta m;
    static struct totals t;
    static struct output o;
    static struct dbs_options opt;
    static struct dbs_resume res;
    static struct dbs_marker mk;
    static struct dbs_cpu_state after;
    static char crashed_mem[4096];
    struct dbs_buf crashed_row;
    static char errmem[256], optmem[DBS_OPT_MAX + 128];
    struct dbs_buf err, optbuf;
    void *code = NULL;
    const char *why = "";
    char *csvmem = NULL;
    UINT32 *sel = NULL;
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
    if (EFI_ERROR(st)) {
        sayf(L"dbsweep: ERROR: out of memory (%r)", st);
        goto out;
    }
    dbs_buf_init(&o.csv, csvmem, CSV_CAP);
    if (dbs_runner_init(code, CODEBUF_SIZE)) {
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

    open_output(image, &o, &m, opt.label);
    /* the crashed case's row, if any, goes after the metadata and the header */
    dbs_buf_init(&crashed_row, crashed_mem, sizeof(crashed_mem));
    resume_after_crash(&o, &m, &res, &mk, &crashed_row);
    meta_write(&o.csv, &m);
    dbs_csv_header(&o.csv);
    dbs_put_str(&o.csv, dbs_buf_str(&crashed_row));

    run_all(&o, &t, sel, m.cases, m.vendor, &opt, &res);
    dbs_runner_fini();
    if (o.marker)
        uefi_call_wrapper(o.marker->Delete, 1, o.marker); /* closes it */
    else if (o.dir) /* one left by a run that went down before its first case */
        esp_delete_file(o.dir, MARKER);

    dbs_cpu_state_read(&after);
    meta_cpu_state(&o.csv, "fw_state_after", &after);
    meta_end_time(&o.csv);
    dbs_csv_meta(&o.csv, "status", "complete");
    flush(&o);
    if (o.file)
        uefi_call_wrapper(o.file->Close, 1, o.file);
    summary(&t, opt.reps, o.file && !EFI_ERROR(o.err) ? o.name : NULL, o.err);
    if (opt.serial != DBS_SERIAL_OFF && o.file && !EFI_ERROR(o.err)) {
        st = serial_send_file(o.dir, o.name,
                              opt.serial == DBS_SERIAL_PLAIN ? DBS_FRAME_PLAIN : DBS_FRAME_GZIP);
        if (EFI_ERROR(st))
            sayf(L"dbsweep: ERROR: the CSV could not be sent over COM1 whole (%r)", st);
    }
    if (o.dir)
        uefi_call_wrapper(o.dir->Close, 1, o.dir);
    st = EFI_ERROR(o.err) ? o.err : EFI_SUCCESS;
out:
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
