/* dbsweep-report summary: who ran it, how complete, verdicts per group, and
 * with --known which failures were expected; per-core files of one run
 * (cores=) compared in events (core_runs.h). Exit 1 when a run is
 * incomplete, has a failure the list does not expect, or a core differs. */
#include <string.h>

#include "core_runs.h"
#include "cores.h"
#include "events.h"
#include "report.h"
#include "results.h"
#include "runs.h"
#include "wrap.h"

#define NAMES_SHOWN 20

static const char *meta(const struct dbs_run *r, const char *key)
{
    const char *v = dbs_run_meta(r, key);
    return v ? v : "?";
}

static void header(const struct dbs_run *r, unsigned ncases, unsigned nrows, unsigned disagree,
                   FILE *out)
{
    const char *status = dbs_run_meta(r, "status");
    char core[64];

    dbs_core_label(r, core, sizeof(core));
    /* a core that did not finish in time says so: status timeout */
    fprintf(out, "== %s  [%s%s]\n", r->path,
            r->complete ? "complete"
            : status    ? "INCOMPLETE: status "
                        : "INCOMPLETE: no '# status: complete'",
            r->complete || !status ? "" : status);
    fprintf(out, "machine:  %s family %s model %s stepping %s, \"%s\"\n", meta(r, "cpu_vendor"),
            meta(r, "cpu_family"), meta(r, "cpu_model"), meta(r, "cpu_stepping"),
            meta(r, "cpu_brand"));
    fprintf(out, "          microcode %s, hypervisor %s, firmware %s %s, APIC ID %s\n",
            meta(r, "microcode"), meta(r, "hypervisor"), meta(r, "firmware_vendor"),
            meta(r, "firmware_revision"), meta(r, "apic_id"));
    if (core[0])
        fprintf(out, "core:     %s, processor %s of cores=%s\n", core, meta(r, "cpu_index"),
                meta(r, "cores"));
    fprintf(out, "run:      %s by %s (git %s), %s reps, judged by %s (%s rules)\n",
            meta(r, "uefi_time"), meta(r, "tool"), meta(r, "git"), meta(r, "reps"),
            meta(r, "model"), meta(r, "model_vendor"));
    fprintf(out, "cases:    %u (metadata says %s), %u rows, %u with disagreeing repetitions\n",
            ncases, meta(r, "cases"), nrows, disagree);
}

static void table_row(FILE *out, const char *name, unsigned cases, const unsigned *v,
                      const unsigned *o, int known)
{
    fprintf(out, "  %-10s %6u %6u %9u %10u %6u", name, cases, v[DBS_V_MATCH], v[DBS_V_MISMATCH],
            v[DBS_V_UNDEFINED], v[DBS_V_NONE]);
    if (known)
        fprintf(out, " %10u %6u %6u", o[DBS_FAIL], o[DBS_XFAIL], o[DBS_XPASS]);
    fputc('\n', out);
}

/* "label a, b, c, ... (N in all)" for the cases with outcome o, wrapped */
static void list_cases(const struct dbs_run_result *res, enum dbs_outcome o, const char *label,
                       FILE *out)
{
    char text[NAMES_SHOWN * (DBS_CASE_MAX_NAME + 2) + 32];
    unsigned i, n = 0;
    size_t len = 0;

    for (i = 0; i < res->ncases; i++) {
        const struct dbs_case_result *c = &res->cases[i];
        if (c->outcome != o)
            continue;
        if (n < NAMES_SHOWN)
            len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", n ? ", " : "",
                                    c->name);
        n++;
    }
    if (n > NAMES_SHOWN)
        snprintf(text + len, sizeof(text) - len, ", ... (%u in all)", n);
    if (n)
        dbs_wrapped(out, label, text);
}

/* Returns 1 when the run counts as a finding. */
static int one(const struct dbs_run_result *res, const struct dbs_known *known, FILE *out)
{
    unsigned g;

    header(res->run, res->ncases, res->nrows, res->disagree, out);
    fprintf(out, "  %-10s %6s %6s %9s %10s %6s%s\n", "group", "cases", "match", "mismatch",
            "undefined", "none", known ? " unexpected  known  xpass" : "");
    for (g = 0; g < res->ngroups; g++)
        table_row(out, res->groups[g].name, res->groups[g].n, res->groups[g].verdicts,
                  res->groups[g].outcomes, known != NULL);
    table_row(out, "total", res->ncases, res->verdicts, res->outcomes, known != NULL);
    if (known) {
        /* unexpected counts crashed cases too; mismatch counts verdicts */
        unsigned f;

        fputs("known:    ", out);
        for (f = 0; f < known->nfiles; f++)
            fprintf(out, "%s%s", f ? ", " : "", known->paths[f]);
        fprintf(out, ": %u failures expected, %u unexpected, %u listed cases match\n",
                res->outcomes[DBS_XFAIL], res->outcomes[DBS_FAIL], res->outcomes[DBS_XPASS]);
        list_cases(res, DBS_FAIL, "  unexpected: ", out);
        list_cases(res, DBS_XPASS, "  unexpectedly passing: ", out);
    }
    return !res->run->complete || (known && res->outcomes[DBS_FAIL]);
}

static int add(void *ctx, const struct dbs_case_rows *c)
{
    struct dbs_run_result *res = ctx;

    if (!res->ncases && dbs_run_is_core(c->run))
        res->texts = DBS_TEXTS_ALL; /* compared with the run's other cores */
    return dbs_run_results_add(res, c);
}

/* One run at a time: read, judge, print, forget. */
int dbs_report_summary(const struct dbs_runs *runs, struct dbs_known *known, FILE *out)
{
    struct dbs_strtab str = {0};
    struct dbs_core_runs cores = {0};
    unsigned i;
    int finding = 0, rc = 0;

    for (i = 0; i < runs->n && rc != 2; i++) {
        struct dbs_run_result res;
        struct dbs_run store;
        const struct dbs_run *r;
        char err[512];

        dbs_run_results_begin(&res, NULL, known, &str, DBS_TEXTS_FAILED);
        if (dbs_runs_read(runs, i, &store, &r, add, &res, err, sizeof(err))) {
            fprintf(stderr, "dbsweep-report: %s\n", err);
            rc = 2;
        } else if (dbs_run_results_end(&res)) {
            fprintf(stderr, "dbsweep-report summary: out of memory\n");
            rc = 2;
        } else {
            res.run = r;
            if (i)
                fputc('\n', out);
            finding |= one(&res, known, out);
            if (dbs_run_is_core(r) && dbs_core_runs_add(&cores, &res, &store, &str)) {
                fprintf(stderr, "dbsweep-report summary: out of memory\n");
                rc = 2;
            }
        }
        dbs_run_results_free(&res);
        dbs_run_free(&store);
    }
    if (!rc)
        finding |= dbs_core_runs_put(&cores, out);
    dbs_core_runs_free(&cores);
    dbs_strtab_free(&str);
    return rc ? rc : finding;
}
