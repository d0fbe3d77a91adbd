/* Verdicts: observed events against the model's expectation, and whether the
 * repetitions agreed. A repetition is judged row by row, where row i pairs
 * observed event i with expected event i (either may be missing). */
#ifndef DBS_JUDGE_H
#define DBS_JUDGE_H

#include "dbs_case.h"
#include "dbs_event.h"
#include "dbs_model.h"

enum dbs_verdict {
    DBS_V_NONE,      /* no expectation to judge by (skipped, crashed) */
    DBS_V_MATCH,     /* observed == expected */
    DBS_V_MISMATCH,  /* observed != expected */
    DBS_V_UNDEFINED, /* no source settles it */
    DBS_V_COUNT
};
extern const char *const dbs_verdict_names[DBS_V_COUNT];
/* The verdict a name spells (as in the CSV), or -1. */
int dbs_verdict_parse(const char *s);
/* The graver of two: mismatch > undefined > none > match. */
enum dbs_verdict dbs_verdict_worse(enum dbs_verdict a, enum dbs_verdict b);

/* Offset of rip from the case's first byte, or -1 outside [0, nbytes]. */
long dbs_rip_off(const struct dbs_case *c, const struct dbs_rep *r, uint64_t rip);
/* Where an event happened, as the CSV's rip_off: an offset, DBS_OFF_ENTRY |
 * vector at a harness handler's entry, or -1 elsewhere. */
long dbs_event_off(const struct dbs_case *c, const struct dbs_rep *r, const struct dbs_event *ev);
/* Rows a repetition takes in the CSV: max(events, expected events, 1). */
unsigned dbs_rep_rows(const struct dbs_expect *x, const struct dbs_rep *r);
enum dbs_verdict dbs_judge_row(const struct dbs_case *c, const struct dbs_expect *x,
                               const struct dbs_rep *r, unsigned row);
/* Worst row verdict: mismatch > undefined > none > match. */
enum dbs_verdict dbs_judge_rep(const struct dbs_case *c, const struct dbs_expect *x,
                               const struct dbs_rep *r);
enum dbs_verdict dbs_judge_case(const struct dbs_case *c, const struct dbs_expect *x,
                                const struct dbs_rep *reps, unsigned n);
/* Where the model is undefined but knows behaviours (x->alt): the name of
 * the one this repetition showed, or NULL for none of them. */
const char *dbs_judge_alt(const struct dbs_case *c, const struct dbs_expect *x,
                          const struct dbs_rep *r);
/* 1 when every repetition saw the same events (RIPs compared as offsets). */
int dbs_reps_agree(const struct dbs_rep *reps, unsigned n);

#endif
