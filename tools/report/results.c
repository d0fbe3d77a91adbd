/* Outcomes per case, rolled up per group and per run. */
#include <stdlib.h>
#include <string.h>

#include "grouping.h"
#include "results.h"

const char *const dbs_outcome_names[DBS_OUTCOMES] = {"pass", "fail", "xfail", "xpass", "skip"};

static void judge_case(struct dbs_case_result *c, const struct dbs_known *known)
{
    const struct dbs_run *r = c->rows.run;
    unsigned i;
    int failed;

    c->verdict = (enum dbs_verdict)dbs_verdict_parse(dbs_case_verdict(&c->rows));
    c->note = "";
    for (i = c->rows.first; i < c->rows.end; i++) {
        const char *note = r->rows[i].f[DBS_COL_NOTE];
        c->crashed |= !strcmp(note, "crashed");
        if (!c->note[0])
            c->note = note;
    }
    c->known = known ? dbs_known_find(known, r->rows[c->rows.first].f[DBS_COL_CASE]) : -1;
    failed = c->crashed || c->verdict == DBS_V_MISMATCH;
    if (failed)
        c->outcome = c->known >= 0 ? DBS_XFAIL : DBS_FAIL;
    else if (c->verdict == DBS_V_MATCH)
        c->outcome = c->known >= 0 ? DBS_XPASS : DBS_PASS;
    else
        c->outcome = DBS_SKIP;
}

/* fail if any failed, skip if all were skipped, else pass (as KTAP rolls up) */
static enum dbs_outcome roll_up(const unsigned *outcomes, unsigned n)
{
    return outcomes[DBS_FAIL] ? DBS_FAIL : outcomes[DBS_SKIP] == n ? DBS_SKIP : DBS_PASS;
}

static void tally(unsigned *verdicts, unsigned *outcomes, const struct dbs_case_result *c)
{
    verdicts[c->verdict]++;
    outcomes[c->outcome]++;
}

/* Numbers the groups in the order they appear and lists each group's cases
 * together in order[] (a counting sort: file order within a group). */
static int make_groups(struct dbs_run_result *res)
{
    const char **names = malloc((res->ncases + 1) * sizeof(*names));
    unsigned *ids = malloc((res->ncases + 1) * sizeof(*ids)), i, g;
    int n = -1;

    for (i = 0; names && ids && i < res->ncases; i++)
        names[i] = res->run->rows[res->cases[i].rows.first].f[DBS_COL_GROUP];
    if (names && ids)
        n = dbs_group_ids(names, res->ncases, ids);
    for (i = 0; n >= 0 && i < res->ncases; i++) {
        struct dbs_group_result *gr = &res->groups[ids[i]];
        res->cases[i].group = ids[i];
        gr->name = names[i];
        gr->n++;
        tally(gr->verdicts, gr->outcomes, &res->cases[i]);
    }
    res->ngroups = n >= 0 ? (unsigned)n : 0;
    for (g = 1; g < res->ngroups; g++)
        res->groups[g].first = res->groups[g - 1].first + res->groups[g - 1].n;
    for (g = 0; g < res->ngroups; g++) {
        res->groups[g].outcome = roll_up(res->groups[g].outcomes, res->groups[g].n);
        res->groups[g].n = 0; /* counted again while filling order[] */
    }
    for (i = 0; n >= 0 && i < res->ncases; i++) {
        struct dbs_group_result *gr = &res->groups[ids[i]];
        res->order[gr->first + gr->n++] = i;
    }
    free(names);
    free(ids);
    return n >= 0 ? 0 : -1;
}

int dbs_run_results(struct dbs_run_result *res, const struct dbs_run *r,
                    struct dbs_known *known)
{
    unsigned i, n = 0;

    memset(res, 0, sizeof(*res));
    res->run = r;
    for (i = 0; i < r->nrows; i = dbs_run_case_end(r, i))
        n++;
    res->cases = calloc(n + 1, sizeof(*res->cases));
    res->order = calloc(n + 1, sizeof(*res->order));
    res->groups = calloc(n + 1, sizeof(*res->groups));
    if (!res->cases || !res->order || !res->groups) {
        dbs_run_results_free(res);
        return -1;
    }
    if (known)
        dbs_known_select(known, r);
    for (i = 0; i < r->nrows; i = dbs_run_case_end(r, i)) {
        struct dbs_case_result *c = &res->cases[res->ncases++];
        c->rows = (struct dbs_case_rows){r, i, dbs_run_case_end(r, i)};
        judge_case(c, known);
        tally(res->verdicts, res->outcomes, c);
    }
    if (make_groups(res)) {
        dbs_run_results_free(res);
        return -1;
    }
    {
        unsigned groups[DBS_OUTCOMES] = {0}, g;
        for (g = 0; g < res->ngroups; g++)
            groups[res->groups[g].outcome]++;
        res->outcome = roll_up(groups, res->ngroups);
    }
    return 0;
}

void dbs_run_results_free(struct dbs_run_result *res)
{
    free(res->cases);
    free(res->order);
    free(res->groups);
    memset(res, 0, sizeof(*res));
}
