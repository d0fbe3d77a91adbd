/* Compares observed events with a case's expectation. */
#include "dbs_judge.h"
#include "dbs_arch.h"

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

long dbs_event_off(const struct dbs_case *c, const struct dbs_rep *r, const struct dbs_event *ev)
{
    return ev->entry ? (long)(DBS_OFF_ENTRY | (ev->entry - 1u)) : dbs_rip_off(c, r, ev->rip);
}

static unsigned rows_of(const struct dbs_exp_list *e, const struct dbs_rep *r)
{
    unsigned n = r->nev;

    if (e->nexp > 0 && (unsigned)e->nexp > n)
        n = (unsigned)e->nexp;
    return n ? n : 1;
}

unsigned dbs_rep_rows(const struct dbs_expect *x, const struct dbs_rep *r)
{
    return rows_of(&x->e, r);
}

/* Observed event `row` against expected event `row`; either may be absent. */
static int row_matches(const struct dbs_case *c, const struct dbs_exp_list *e,
                       const struct dbs_rep *r, unsigned row)
{
    const struct dbs_event *ev = row < r->nev ? &r->ev[row] : 0;
    const struct dbs_exp *ex = (e->nexp > 0 && row < (unsigned)e->nexp) ? &e->exp[row] : 0;

    if (!ev || !ex)
        return !ev && !ex;
    if (ev->vector != ex->vector || dbs_event_off(c, r, ev) != (long)ex->rip_off)
        return 0;
    if (ex->vector == DBS_VEC_DB && (!ev->has_dr || ((ev->dr6 ^ ex->dr6) & ~(uint64_t)ex->dr6_any)))
        return 0;
    return ex->rf == DBS_RF_ANY || ((ev->rflags & DBS_RFLAGS_RF) != 0) == ex->rf;
}

enum dbs_verdict dbs_judge_row(const struct dbs_case *c, const struct dbs_expect *x,
                               const struct dbs_rep *r, unsigned row)
{
    if (r->skipped || r->crashed || x->outcome == DBS_MODEL_NO_RULE)
        return DBS_V_NONE;
    if (x->outcome == DBS_MODEL_UNDEFINED)
        return DBS_V_UNDEFINED;
    return row_matches(c, &x->e, r, row) ? DBS_V_MATCH : DBS_V_MISMATCH;
}

const char *dbs_judge_alt(const struct dbs_case *c, const struct dbs_expect *x,
                          const struct dbs_rep *r)
{
    unsigned a, row, rows;

    for (a = 0; a < x->nalt; a++) {
        const struct dbs_exp_list *e = &x->alt[a].e;

        rows = rows_of(e, r);
        for (row = 0; row < rows && row_matches(c, e, r, row); row++)
            ;
        if (row == rows)
            return x->alt[a].name;
    }
    return 0;
}

int dbs_verdict_parse(const char *s)
{
    unsigned v, i;

    for (v = 0; v < DBS_V_COUNT; v++) {
        if (s[0] != dbs_verdict_names[v][0]) /* the host's report parses one per row */
            continue;
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

enum dbs_verdict dbs_judge_rep(const struct dbs_case *c, const struct dbs_expect *x,
                               const struct dbs_rep *r)
{
    enum dbs_verdict v = DBS_V_MATCH;
    unsigned i, rows = dbs_rep_rows(x, r);

    for (i = 0; i < rows; i++)
        v = dbs_verdict_worse(v, dbs_judge_row(c, x, r, i));
    return v;
}

enum dbs_verdict dbs_judge_case(const struct dbs_case *c, const struct dbs_expect *x,
                                const struct dbs_rep *reps, unsigned n)
{
    enum dbs_verdict v = DBS_V_MATCH;
    unsigned i;

    for (i = 0; i < n; i++)
        v = dbs_verdict_worse(v, dbs_judge_rep(c, x, &reps[i]));
    return v;
}

static int same_event(const struct dbs_event *a, uint64_t base_a, const struct dbs_event *b,
                      uint64_t base_b)
{
    return a->vector == b->vector && a->error == b->error && a->entry == b->entry &&
           (a->entry || a->rip - base_a == b->rip - base_b) &&
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
