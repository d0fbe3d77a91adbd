/* dbsweep: runs the selected cases of the table on this CPU (with cores=,
 * on each selected logical CPU in turn), judges every event with the
 * reference model, writes the CSV (one per CPU) to \dbsweep\results\ (and,
 * with serial=on, over COM1), then does what on_finish says. */
#include <efi.h>
#include <efilib.h>
#include "codebuf.h"
#include "config.h"
#include "console.h"
#include "esp.h"
#include "finish.h"
#include "serial.h"
#include "sweep.h"
#include "dbs_case.h"
#include "dbs_model.h"
#include "dbs_runner.h"

#define MAX_CORES 1024 /* logical CPUs one run sweeps */

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
    sweep_resume(&o, &m, &res, &mk, &crashed_row);
    s = (struct sweep){.opt = &opt, .m = &m, .sel = sel, .res = &res, .code = code, .reps = reps};
    for (k = 0; k < ncores; k++) {
        s.digest = first_digest ? first_digest + (k ? dbs_case_count() + 1 : 0) : NULL;
        if (s.digest)
            SetMem(s.digest, m.cases * sizeof(UINT32), 0);
        sweep_core(image, &o, &s, &cores[k], dbs_buf_str(&crashed_row), k + 1 == ncores,
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
