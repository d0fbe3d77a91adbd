/* Compares observed events with a case's expectation. */
#include "dbs_judge.h"

const char *const dbs_verdict_names[DBS_V_COUNT] = {
    [DBS_V_NONE] = "none", [DBS_V_MATCH] = "match",
    [DBS_V_MISMATCH] = "mismatch", [DBS_V_UNDEFINED] = "undefined",
};

long dbs_rip_off(const struct dbs_case *c, const struct dbs_rep *r, uint64_t rip)
{
    if (rip < r->case_start || rip - r->case_start > c->nbytes)
        return -1;
    return (long)(rip - r->case_start);
}

unsigned dbs_rep_rows(const struct dbs_case *c, const struct dbs_rep *r)
{
    unsigned n = r->nev;

    if (c->nexp > 0 && (unsigned)c->nexp > n)
        n = (unsigned)c->nexp;
    return n ? n : 1;
}

enum dbs_verdict dbs_judge_row(const struct dbs_case *c, const struct dbs_rep *r, unsigned row)
{
    const struct dbs_event *ev = row < r->nev ? &r->ev[row] : 0;
    const struct dbs_exp *ex = (c->nexp > 0 && row < (unsigned)c->nexp) ? &c->exp[row] : 0;

    if (r->skipped || r->crashed)
        return DBS_V_NONE;
    if (c->undefined)
        return DBS_V_UNDEFINED;
    if (c->nexp < 0)
        return DBS_V_NONE;
    if (!ev && !ex)
        return DBS_V_MATCH; /* expected no event, saw none */
    if (!ev || !ex || ev->vector != ex->vector || dbs_rip_off(c, r, ev->rip) != ex->rip_off)
        return DBS_V_MISMATCH;
    if (ex->vector == 1 && (!ev->has_dr || ((ev->dr6 ^ ex->dr6) & ~(uint64_t)ex->dr6_any)))
        return DBS_V_MISMATCH;
    return DBS_V_MATCH;
}

int dbs_verdict_parse(const char *s)
{
    unsigned v, i;

    for (v = 0; v < DBS_V_COUNT; v++) {
        for (i = 0; s[i] && s[i] == dbs_verdict_names[v][i]; i++)
            ;
        if (!s[i] && !dbs_verdict_names[v][i])
            return (int)v;
    }
    return -1;
}

enum dbs_verdict dbs_verdict_worse(enum dbs_verdict a, enum dbs_verdict b)
{
    static const unsigned char rank[DBS_V_COUNT] = {
        [DBS_V_MATCH] = 0, [DBS_V_NONE] = 1, [DBS_V_UNDEFINED] = 2, [DBS_V_MISMATCH] = 3,
    };
    return rank[b] > rank[a] ? b : a;
}

enum dbs_verdict dbs_judge_rep(const struct dbs_case *c, const struct dbs_rep *r)
{
    enum dbs_verdict v = DBS_V_MATCH;
    unsigned i, rows = dbs_rep_rows(c, r);

    for (i = 0; i < rows; i++)
        v = dbs_verdict_worse(v, dbs_judge_row(c, r, i));
    return v;
}

enum dbs_verdict dbs_judge_case(const struct dbs_case *c, const struct dbs_rep *reps, unsigned n)
{
    enum dbs_verdict v = DBS_V_MATCH;
    unsigned i;

    for (i = 0; i < n; i++)
        v = dbs_verdict_worse(v, dbs_judge_rep(c, &reps[i]));
    return v;
}

static int same_event(const struct dbs_event *a, uint64_t base_a, const struct dbs_event *b,
                      uint64_t base_b)
{
    return a->vector == b->vector && a->error == b->error && a->rip - base_a == b->rip - base_b &&
           a->rflags == b->rflags && a->has_dr == b->has_dr && a->dr6 == b->dr6 && a->dr7 == b->dr7;
}

int dbs_reps_agree(const struct dbs_rep *reps, unsigned n)
{
    unsigned i, e;

    for (i = 1; i < n; i++) {
        if (reps[i].nev != reps[0].nev || reps[i].capped != reps[0].capped ||
            reps[i].skipped != reps[0].skipped)
            return 0;
        for (e = 0; e < reps[0].nev; e++)
            if (!same_event(&reps[0].ev[e], reps[0].case_start, &reps[i].ev[e], reps[i].case_start))
                return 0;
    }
    return 1;
}
