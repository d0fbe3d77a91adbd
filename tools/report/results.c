/* Outcomes per case, rolled up per group and per run. */
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "grow.h"

#define TEXT_MAX 2600 /* one repetition's events: up to 32 of ~40 characters */

const char *const dbs_outcome_names[DBS_OUTCOMES] = {"pass", "fail", "xfail", "xpass", "skip"};

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

static int judge_case(struct dbs_run_result *res, struct dbs_case_result *c,
                      const struct dbs_case_rows *rows)
{
    const struct dbs_run *r = rows->run;
    const char *note = "";
    char text[TEXT_MAX];
    unsigned i;
    int failed;

    c->verdict = (unsigned char)dbs_verdict_parse(dbs_case_verdict(rows));
    for (i = rows->first; i < rows->end; i++) {
        const char *n = r->rows[i].f[DBS_COL_NOTE];
        c->crashed |= !strcmp(n, "crashed");
        if (!note[0])
            note = n;
    }
    c->name = dbs_intern_str(res->str, r->rows[rows->first].f[DBS_COL_CASE]);
    c->note = dbs_intern_str(res->str, note);
    c->known = res->known ? dbs_known_find(res->known, r->rows[rows->first].f[DBS_COL_CASE]) : -1;
    failed = c->crashed || c->verdict == DBS_V_MISMATCH;
    if (failed)
        c->outcome = c->known >= 0 ? DBS_XFAIL : DBS_FAIL;
    else if (c->verdict == DBS_V_MATCH)
        c->outcome = c->known >= 0 ? DBS_XPASS : DBS_PASS;
    else
        c->outcome = DBS_SKIP;
    if (res->texts == DBS_TEXTS_ALL || c->outcome == DBS_FAIL) {
        dbs_events_text(rows, text, sizeof(text));
        c->observed = dbs_intern_str(res->str, text);
        dbs_expected_text(rows, text, sizeof(text));
        c->expected = dbs_intern_str(res->str, text);
        if (!c->observed || !c->expected)
            return -1;
    }
    return c->name && c->note ? 0 : -1;
}

void dbs_run_results_begin(struct dbs_run_result *res, const struct dbs_run *r,
                           struct dbs_known *known, struct dbs_strtab *str, int texts)
{
    memset(res, 0, sizeof(*res));
    res->run = r;
    res->known = known;
    res->str = str;
    res->texts = texts;
}

/* The case's group, numbered in the order the groups first appear. */
static int add_to_group(struct dbs_run_result *res, struct dbs_case_result *c, const char *name)
{
    unsigned g;

    if (dbs_intern(&res->group_ids, name, &g))
        return -1;
    if (g == res->ngroups) {
        if (dbs_grow(&res->groups, res->ngroups, &res->groups_cap, sizeof(*res->groups), 16))
            return -1;
        memset(&res->groups[g], 0, sizeof(res->groups[g]));
        res->groups[g].name = dbs_intern_str(res->str, name);
        if (!res->groups[g].name)
            return -1;
        res->ngroups++;
    }
    c->group = g;
    res->groups[g].n++;
    tally(res->groups[g].verdicts, res->groups[g].outcomes, c);
    return 0;
}

int dbs_run_results_add(struct dbs_run_result *res, const struct dbs_case_rows *rows)
{
    struct dbs_case_result *c;

    if (dbs_grow(&res->cases, res->ncases, &res->cases_cap, sizeof(*res->cases), 1024))
        return -1;
    if (!res->ncases && res->known)
        dbs_known_select(res->known, rows->run); /* the metadata precedes the rows */
    c = &res->cases[res->ncases];
    memset(c, 0, sizeof(*c));
    if (judge_case(res, c, rows) ||
        add_to_group(res, c, rows->run->rows[rows->first].f[DBS_COL_GROUP]))
        return -1;
    res->ncases++;
    res->nrows += rows->end - rows->first;
    res->disagree += !dbs_case_agrees(rows);
    tally(res->verdicts, res->outcomes, c);
    return 0;
}

int dbs_run_results_end(struct dbs_run_result *res)
{
    unsigned groups[DBS_OUTCOMES] = {0}, g, i;
    struct dbs_case_result *fit;

    dbs_strtab_free(&res->group_ids);
    if (res->ncases && res->ncases < res->cases_cap) { /* many runs are kept: no slack */
        fit = realloc(res->cases, res->ncases * sizeof(*fit));
        if (fit)
            res->cases = fit;
    }
    res->order = malloc((res->ncases + 1) * sizeof(*res->order));
    if (!res->order)
        return -1;
    /* order[]: a counting sort, file order within a group */
    for (g = 1; g < res->ngroups; g++)
        res->groups[g].first = res->groups[g - 1].first + res->groups[g - 1].n;
    for (g = 0; g < res->ngroups; g++) {
        res->groups[g].outcome = roll_up(res->groups[g].outcomes, res->groups[g].n);
        groups[res->groups[g].outcome]++;
        res->groups[g].n = 0; /* counted again while filling order[] */
    }
    for (i = 0; i < res->ncases; i++) {
        struct dbs_group_result *gr = &res->groups[res->cases[i].group];
        res->order[gr->first + gr->n++] = i;
    }
    res->outcome = roll_up(groups, res->ngroups);
    return 0;
}

void dbs_run_results_free(struct dbs_run_result *res)
{
    free(res->cases);
    free(res->order);
    free(res->groups);
    dbs_strtab_free(&res->group_ids);
    memset(res, 0, sizeof(*res));
}
