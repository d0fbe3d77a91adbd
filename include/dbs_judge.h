/* Verdicts: observed events against the case's expectation, and whether the
 * repetitions agreed. A repetition is judged row by row, where row i pairs
 * observed event i with expected event i (either may be missing). */
#ifndef DBS_JUDGE_H
#define DBS_JUDGE_H

#include "dbs_case.h"
#include "dbs_event.h"

enum dbs_verdict {
    DBS_V_NONE,      /* no expectation to judge by */
    DBS_V_MATCH,     /* observed == expected */
    DBS_V_MISMATCH,  /* observed != expected */
    DBS_V_UNDEFINED, /* the manuals leave it undefined */
    DBS_V_COUNT
};
extern const char *const dbs_verdict_names[DBS_V_COUNT];
/* The verdict a name spells (as in the CSV), or -1. */
int dbs_verdict_parse(const char *s);
/* The graver of two: mismatch > undefined > none > match. */
enum dbs_verdict dbs_verdict_worse(enum dbs_verdict a, enum dbs_verdict b);

/* Offset of rip from the case's first byte, or -1 outside [0, nbytes]. */
long dbs_rip_off(const struct dbs_case *c, const struct dbs_rep *r, uint64_t rip);
/* Rows a repetition takes in the CSV: max(events, expected events, 1). */
unsigned dbs_rep_rows(const struct dbs_case *c, const struct dbs_rep *r);
enum dbs_verdict dbs_judge_row(const struct dbs_case *c, const struct dbs_rep *r, unsigned row);
/* Worst row verdict: mismatch > undefined > none > match. */
enum dbs_verdict dbs_judge_rep(const struct dbs_case *c, const struct dbs_rep *r);
enum dbs_verdict dbs_judge_case(const struct dbs_case *c, const struct dbs_rep *reps, unsigned n);
/* 1 when every repetition saw the same events (RIPs compared as offsets). */
int dbs_reps_agree(const struct dbs_rep *reps, unsigned n);

#endif
