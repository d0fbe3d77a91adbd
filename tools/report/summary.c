/* dbsweep-report summary: who ran it, how complete, verdicts per group. */
#include <string.h>

#include "dbs_judge.h"
#include "events.h"
#include "report.h"

#define MAX_GROUPS 32

struct tally {
    char group[16];
    unsigned cases, v[DBS_V_COUNT];
};

static const char *meta(const struct dbs_run *r, const char *key)
{
    const char *v = dbs_run_meta(r, key);
    return v ? v : "?";
}

static void one(const struct dbs_run *r, FILE *out)
{
    struct tally t[MAX_GROUPS + 1] = {{"total", 0, {0}}};
    unsigned ng = 0, i, k, disagree = 0, ncases = 0;

    for (i = 0; i < r->nrows; i = dbs_run_case_end(r, i)) {
        struct dbs_case_rows c = {r, i, dbs_run_case_end(r, i)};
        const char *g = r->rows[i].f[DBS_COL_GROUP];
        unsigned v = (unsigned)dbs_verdict_parse(dbs_case_verdict(&c));

        for (k = 1; k <= ng && strcmp(t[k].group, g); k++)
            ;
        if (k > ng && ng < MAX_GROUPS)
            snprintf(t[k = ++ng].group, sizeof(t[k].group), "%s", g);
        if (k <= ng) {
            t[k].cases++;
            t[k].v[v]++;
        }
        t[0].cases++;
        t[0].v[v]++;
        disagree += !dbs_case_agrees(&c);
        ncases++;
    }
    fprintf(out, "== %s  [%s]\n", r->path, r->complete ? "complete" : "INCOMPLETE: no '# status: complete'");
    fprintf(out, "machine:  %s family %s model %s stepping %s, \"%s\"\n", meta(r, "cpu_vendor"),
            meta(r, "cpu_family"), meta(r, "cpu_model"), meta(r, "cpu_stepping"),
            meta(r, "cpu_brand"));
    fprintf(out, "          microcode %s, hypervisor %s, firmware %s %s, APIC ID %s\n",
            meta(r, "microcode"), meta(r, "hypervisor"), meta(r, "firmware_vendor"),
            meta(r, "firmware_revision"), meta(r, "apic_id"));
    fprintf(out, "run:      %s by %s (git %s), %s reps, judged by %s (%s rules)\n",
            meta(r, "uefi_time"), meta(r, "tool"), meta(r, "git"), meta(r, "reps"),
            meta(r, "model"), meta(r, "model_vendor"));
    fprintf(out, "cases:    %u (metadata says %s), %u rows, %u with disagreeing repetitions\n",
            ncases, meta(r, "cases"), r->nrows, disagree);
    fprintf(out, "  %-10s %6s %6s %9s %10s %6s\n", "group", "cases", "match", "mismatch",
            "undefined", "none");
    for (k = 1; k <= ng + 1; k++) {
        const struct tally *x = &t[k % (ng + 1)]; /* groups, then the total */
        fprintf(out, "  %-10s %6u %6u %9u %10u %6u\n", x->group, x->cases, x->v[DBS_V_MATCH],
                x->v[DBS_V_MISMATCH], x->v[DBS_V_UNDEFINED], x->v[DBS_V_NONE]);
    }
}

int dbs_report_summary(struct dbs_run *const *runs, unsigned n, FILE *out)
{
    unsigned i;

    for (i = 0; i < n; i++) {
        if (i)
            fputc('\n', out);
        one(runs[i], out);
    }
    return 0;
}
