/* dbsweep: runs every case of the table DBS_REPS times on this CPU, prints a
 * line per case, writes the CSV to \dbsweep\results\ and powers off when
 * booted as \EFI\BOOT\BOOTX64.EFI. */
#include <efi.h>
#include <efilib.h>
#include "codebuf.h"
#include "config.h"
#include "esp.h"
#include "meta.h"
#include "dbs_case.h"
#include "dbs_csv.h"
#include "dbs_judge.h"
#include "dbs_model.h"
#include "dbs_runner.h"

#define CSV_CAP (1024 * 1024)
#define CSV_FLUSH_AT (CSV_CAP - 64 * 1024) /* a case writes at most a few tens of KiB */
#define CASE_WATCHDOG_S 60                 /* a case that hangs resets the machine */
#define EVERY_CASE_UP_TO 64 /* larger runs print every 5% and the first mismatches */
#define MISMATCH_LINES 20   /* the console is slow; the CSV has them all */

#define MAX_GROUPS 16

struct group_totals {
    char name[DBS_GROUP_MAX_NAME];
    unsigned cases, verdict[DBS_V_COUNT];
};

struct totals {
    unsigned verdict[DBS_V_COUNT], disagree, skipped, capped;
    unsigned ngroups;
    struct group_totals group[MAX_GROUPS];
};

/* Counts a case's verdict under its group (cases arrive grouped). */
static void count_group(struct totals *t, const struct dbs_case *c, enum dbs_verdict v)
{
    struct group_totals *g = t->ngroups ? &t->group[t->ngroups - 1] : NULL;

    unsigned i = 0;

    while (g && i < sizeof(g->name) && g->name[i] == c->group[i] && c->group[i])
        i++;
    if (!g || g->name[i] != c->group[i]) {
        if (t->ngroups == MAX_GROUPS)
            return;
        g = &t->group[t->ngroups++];
        CopyMem(g->name, (void *)c->group, sizeof(g->name));
    }
    g->cases++;
    g->verdict[v]++;
}

struct output {
    EFI_FILE_HANDLE file; /* NULL when the ESP could not be written */
    struct dbs_buf csv;
    char name[96];
    EFI_STATUS err;
};

static void say(const char *ascii)
{
    Print(L"%a\n", ascii);
}

static void flush(struct output *o)
{
    if (o->file && o->csv.len && !EFI_ERROR(o->err))
        o->err = esp_write(o->file, o->csv.p, o->csv.len);
    if (o->csv.overflow && !EFI_ERROR(o->err))
        o->err = EFI_BUFFER_TOO_SMALL;
    dbs_buf_init(&o->csv, o->csv.p, o->csv.cap);
}

static int booted_as_removable(EFI_HANDLE image)
{
    static const CHAR16 want[] = L"\\EFI\\BOOT\\BOOTX64.EFI";
    EFI_LOADED_IMAGE *li;
    CHAR16 *path;
    UINTN n, w = sizeof(want) / sizeof(want[0]) - 1;
    int yes = 0;

    if (EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
                                    (void **)&li)))
        return 0;
    path = DevicePathToStr(li->FilePath);
    if (!path)
        return 0;
    n = StrLen(path);
    yes = n >= w && StriCmp(path + n - w, (CHAR16 *)want) == 0;
    FreePool(path);
    return yes;
}

static void progress(unsigned i, unsigned n, const struct dbs_case *c, enum dbs_verdict v,
                     const struct dbs_rep *reps, int agree)
{
    char line[160];
    struct dbs_buf b;
    unsigned r, capped = 0;

    for (r = 0; r < DBS_REPS; r++)
        capped |= reps[r].capped;
    static unsigned shown;
    int notable = v == DBS_V_MISMATCH || !agree || capped;

    /* Printing is slow on a framebuffer console: keep large runs terse. */
    if (n > EVERY_CASE_UP_TO && i + 1 != n && (i + 1) % (n / 20 + 1) != 0 &&
        (!notable || shown >= MISMATCH_LINES))
        return;
    if (notable && ++shown == MISMATCH_LINES && n > EVERY_CASE_UP_TO)
        say("dbsweep: (further mismatches only in the CSV and the summary)");
    dbs_buf_init(&b, line, sizeof(line));
    dbs_put_char(&b, '[');
    dbs_put_dec_w(&b, i + 1, 3, ' ');
    dbs_put_char(&b, '/');
    dbs_put_dec(&b, n);
    dbs_put_str(&b, "] ");
    dbs_put_str(&b, c->name);
    dbs_put_str(&b, " ... ");
    dbs_put_str(&b, reps[0].skipped ? "skipped" : dbs_verdict_names[v]);
    if (!agree)
        dbs_put_str(&b, " (repetitions disagree)");
    if (capped)
        dbs_put_str(&b, " (event cap hit)");
    say(dbs_buf_str(&b));
}

static void run_all(struct output *o, struct totals *t, const UINT32 *sel, unsigned ncases,
                    enum dbs_vendor vendor)
{
    static struct dbs_rep reps[DBS_REPS];
    static struct dbs_case c;
    unsigned i, r;

    for (i = 0; i < ncases; i++) {
        enum dbs_verdict v;
        int agree;

        uefi_call_wrapper(BS->SetWatchdogTimer, 4, CASE_WATCHDOG_S, 0x10000, 0, NULL);
        if (dbs_case_get(sel[i], &c)) {
            say("dbsweep: internal error: a case does not compile; stopping");
            break;
        }
        dbs_model_apply(&c, vendor, NULL);
        dbs_runner_run(&c, reps, DBS_REPS);
        v = dbs_judge_case(&c, reps, DBS_REPS);
        agree = dbs_reps_agree(reps, DBS_REPS);
        t->verdict[v]++;
        count_group(t, &c, v);
        t->disagree += !agree;
        t->skipped += reps[0].skipped;
        for (r = 0; r < DBS_REPS; r++)
            t->capped += reps[r].capped;
        dbs_csv_case_rows(&o->csv, &c, reps, DBS_REPS);
        if (o->csv.len >= CSV_FLUSH_AT)
            flush(o);
        progress(i, ncases, &c, v, reps, agree);
    }
    uefi_call_wrapper(BS->SetWatchdogTimer, 4, 0, 0, 0, NULL);
}

/* "N match, N mismatch, N undefined, N none" */
static void put_verdicts(struct dbs_buf *b, const unsigned *count)
{
    static const enum dbs_verdict order[] = {DBS_V_MATCH, DBS_V_MISMATCH, DBS_V_UNDEFINED,
                                             DBS_V_NONE};
    unsigned i;

    for (i = 0; i < 4; i++) {
        if (i)
            dbs_put_str(b, ", ");
        dbs_put_dec(b, count[order[i]]);
        dbs_put_char(b, ' ');
        dbs_put_str(b, dbs_verdict_names[order[i]]);
    }
}

static void summary(const struct totals *t, unsigned ncases, const struct output *o)
{
    char line[200];
    struct dbs_buf b;
    unsigned i;

    dbs_buf_init(&b, line, sizeof(line));
    dbs_put_str(&b, "dbsweep: ");
    dbs_put_dec(&b, ncases);
    dbs_put_str(&b, " cases x ");
    dbs_put_dec(&b, DBS_REPS);
    dbs_put_str(&b, " reps: ");
    put_verdicts(&b, t->verdict);
    dbs_put_str(&b, "; ");
    dbs_put_dec(&b, t->disagree);
    dbs_put_str(&b, " with disagreeing reps, ");
    dbs_put_dec(&b, t->skipped);
    dbs_put_str(&b, " skipped, ");
    dbs_put_dec(&b, t->capped);
    dbs_put_str(&b, " reps capped");
    say(dbs_buf_str(&b));
    for (i = 0; i < t->ngroups; i++) {
        const struct group_totals *g = &t->group[i];

        dbs_buf_init(&b, line, sizeof(line));
        dbs_put_str(&b, "  ");
        dbs_put_str(&b, g->name);
        dbs_put_str(&b, ": ");
        dbs_put_dec(&b, g->cases);
        dbs_put_str(&b, " cases, ");
        put_verdicts(&b, g->verdict);
        say(dbs_buf_str(&b));
    }
    if (o->file && !EFI_ERROR(o->err)) {
        dbs_buf_init(&b, line, sizeof(line));
        dbs_put_str(&b, "dbsweep: wrote \\dbsweep\\results\\");
        dbs_put_str(&b, o->name);
        say(dbs_buf_str(&b));
    } else {
        Print(L"dbsweep: ERROR: results NOT saved to the boot volume (%r)\n", o->err);
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

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
    static struct run_meta m;
    static struct totals t;
    static struct output o;
    static struct dbs_options opt;
    static char errmem[256];
    struct dbs_buf err;
    EFI_FILE_HANDLE dir;
    void *code = NULL;
    const char *why = "";
    char *csvmem = NULL;
    UINT32 *sel = NULL;
    EFI_STATUS st;

    InitializeLib(image, systab);
    say("dbsweep " DBS_VERSION ": #DB corner cases, recorded");
    dbs_buf_init(&err, errmem, sizeof(errmem));
    st = config_load(image, &opt, &err);
    if (EFI_ERROR(st)) {
        Print(L"dbsweep: ERROR: %a; nothing was run\n", errmem);
        goto out;
    }
    st = codebuf_alloc(&code, &why);
    if (EFI_ERROR(st)) {
        Print(L"dbsweep: ERROR: %a (%r)\n", why, st);
        goto out;
    }
    st = uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData, CSV_CAP, (void **)&csvmem);
    if (!EFI_ERROR(st))
        st = uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData,
                               (dbs_case_count() + 1) * sizeof(UINT32), (void **)&sel);
    if (EFI_ERROR(st)) {
        Print(L"dbsweep: ERROR: out of memory (%r)\n", st);
        goto out;
    }
    dbs_buf_init(&o.csv, csvmem, CSV_CAP);
    dbs_runner_init(code, CODEBUF_SIZE);

    meta_collect(&m);
    m.code_base = (uint64_t)code;
    m.cases_total = dbs_case_count();
    m.cases = select_cases(&opt, sel);
    m.selection = opt.cases;
    m.reps = DBS_REPS;
    m.vendor = dbs_vendor_of(m.cpu.vendor);
    Print(L"cpu: %a family %d model %d stepping %d, %a; hypervisor: %a\n", m.cpu.vendor,
          m.cpu.family, m.cpu.model, m.cpu.stepping, m.cpu.brand,
          m.cpu.hypervisor ? m.cpu.hv_sig : "none");
    Print(L"cases: %d of %d selected by cases=%a; judged by the %a rules of %a\n", m.cases,
          m.cases_total, opt.cases, dbs_vendor_names[m.vendor], DBS_MODEL_NAME);

    o.err = esp_open_results(image, &dir);
    if (!EFI_ERROR(o.err)) {
        o.err = esp_create_result(dir, &m.cpu, &m.time, &o.file, o.name, sizeof(o.name));
        uefi_call_wrapper(dir->Close, 1, dir);
    }
    if (EFI_ERROR(o.err)) {
        o.file = NULL;
        Print(L"dbsweep: ERROR: cannot create a result file in \\dbsweep\\results (%r); "
              L"running anyway, console only\n", o.err);
    }
    meta_write(&o.csv, &m);
    dbs_csv_header(&o.csv);

    run_all(&o, &t, sel, m.cases, m.vendor);
    dbs_runner_fini();

    dbs_csv_meta(&o.csv, "status", "complete");
    flush(&o);
    if (o.file)
        uefi_call_wrapper(o.file->Close, 1, o.file);
    summary(&t, m.cases, &o);
    st = EFI_ERROR(o.err) ? o.err : EFI_SUCCESS;
out:
    if (sel)
        FreePool(sel);
    if (csvmem)
        FreePool(csvmem);
    if (code)
        uefi_call_wrapper(BS->FreePages, 2, (EFI_PHYSICAL_ADDRESS)code,
                          EFI_SIZE_TO_PAGES(CODEBUF_SIZE));
    if (booted_as_removable(image)) {
        say("dbsweep: done, powering off");
        uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
    }
    return st;
}
