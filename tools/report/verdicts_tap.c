/* verdicts --format tap: KTAP version 1 (Documentation/dev-tools/ktap.rst),
 * which TAP 13 consumers read too: a test per file, a subtest per group, a
 * result line per case, then the file's "complete" test. Expected failures
 * are "ok ... # XFAIL", listed cases that match "ok ... # XPASS", as
 * kselftest writes them. */
#include "events.h"
#include "verdicts.h"

#define REASON_MAX 2600

/* A test description: anything but '#' and control characters. */
static void put_description(FILE *out, const char *s)
{
    for (; *s; s++)
        fputc(*s == '#' || (unsigned char)*s < 0x20 ? '_' : *s, out);
}

static void put_result(FILE *out, unsigned depth, enum dbs_outcome o, unsigned num,
                       const char *name, const char *diag)
{
    static const char *const directive[DBS_OUTCOMES] = {
        [DBS_XFAIL] = "XFAIL ", [DBS_XPASS] = "XPASS ", [DBS_SKIP] = "SKIP "};

    fprintf(out, "%*s%s %u ", (int)(2 * depth), "", o == DBS_FAIL ? "not ok" : "ok", num);
    put_description(out, name);
    if (directive[o] || (diag && diag[0]))
        fprintf(out, " # %s%s", directive[o] ? directive[o] : "", diag ? diag : "");
    fputc('\n', out);
}

static void put_counts(FILE *out, unsigned depth, const char *what, const unsigned *o)
{
    fprintf(out, "%*s# %s: %u pass, %u fail, %u xfail, %u xpass, %u skip\n", (int)(2 * depth), "",
            what, o[DBS_PASS], o[DBS_FAIL], o[DBS_XFAIL], o[DBS_XPASS], o[DBS_SKIP]);
}

static void put_group(const struct dbs_verdicts *v, const struct dbs_run_result *res,
                      unsigned g, FILE *out)
{
    const struct dbs_group_result *gr = &res->groups[g];
    char reason[REASON_MAX];
    unsigned i;

    fprintf(out, "    KTAP version 1\n    # Subtest: ");
    put_description(out, gr->name);
    fprintf(out, "\n    1..%u\n", gr->n);
    for (i = 0; i < gr->n; i++) {
        const struct dbs_case_result *c = &res->cases[res->order[gr->first + i]];
        dbs_case_reason(v, c, reason, sizeof(reason));
        put_result(out, 2, c->outcome, i + 1, c->name, reason);
    }
    put_counts(out, 1, gr->name, gr->outcomes);
    put_result(out, 1, gr->outcome, g + 1, gr->name,
               gr->outcome == DBS_SKIP ? "every case skipped: undefined or no expectation" : NULL);
}

/* Run k: a subtest with a test per group and "complete" */
static void put_run(const struct dbs_verdicts *v, unsigned k, FILE *out)
{
    const struct dbs_run_result *res = &v->runs[k];
    const struct dbs_run *r = res->run;
    char label[96], why[512];
    unsigned g;

    dbs_machine_label(r, label, sizeof(label));
    fprintf(out, "  KTAP version 1\n  # Subtest: ");
    put_description(out, dbs_base_name(r->path));
    fprintf(out, "\n  # ");
    put_description(out, r->path);
    fprintf(out, ": %s, microcode %s, hypervisor %s, judged by %s (%s rules)%s\n", label,
            dbs_meta_or_empty(r, "microcode"), dbs_meta_or_empty(r, "hypervisor"),
            dbs_meta_or_empty(r, "model"),
            dbs_meta_or_empty(r, "model_vendor"),
            r->complete ? "" : "; INCOMPLETE: no '# status: complete'");
    fprintf(out, "  1..%u\n", res->ngroups + 1);
    for (g = 0; g < res->ngroups; g++)
        put_group(v, res, g, out);
    put_result(out, 1, dbs_complete_test(v, res, why, sizeof(why)), g + 1, "complete", why);
    put_counts(out, 0, dbs_base_name(r->path), res->outcomes);
    put_result(out, 0, dbs_run_outcome(v, res), k + 1, dbs_base_name(r->path), NULL);
}

void dbs_verdicts_tap(const struct dbs_verdicts *v, FILE *out)
{
    unsigned k;

    fputs("KTAP version 1\n# dbsweep-report verdicts; known failures: ", out);
    for (k = 0; v->known && k < v->known->nfiles; k++)
        fprintf(out, "%s%s", k ? ", " : "", v->known->paths[k]);
    fprintf(out, "%s\n1..%u\n", v->known ? "" : "none given", v->nruns);
    dbs_verdicts_put_runs(v, put_run, out);
    put_counts(out, 0, "all files", v->outcomes);
}
