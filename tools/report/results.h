/* Pass/fail per case and per group, as CI wants it: a run's verdicts set
 * against an expected-failure list. summary and verdicts print these. */
#ifndef DBS_REPORT_RESULTS_H
#define DBS_REPORT_RESULTS_H

#include "dbs_judge.h"
#include "events.h"
#include "known.h"

enum dbs_outcome {
    DBS_PASS,  /* match */
    DBS_FAIL,  /* mismatch or crashed, and not listed as known */
    DBS_XFAIL, /* mismatch or crashed, listed as known */
    DBS_XPASS, /* listed as known, but matches */
    DBS_SKIP,  /* undefined, or no expectation (none: skipped, no rule) */
    DBS_OUTCOMES
};
extern const char *const dbs_outcome_names[DBS_OUTCOMES]; /* "pass", "fail", ... */

struct dbs_case_result {
    struct dbs_case_rows rows;
    enum dbs_verdict verdict; /* the worst over its rows */
    enum dbs_outcome outcome;
    int crashed;              /* a row's note says crashed */
    int known;                /* the known-list entry it falls under, or -1 */
    const char *note;         /* the first non-empty note, or "" */
    unsigned group;           /* index into groups */
};

struct dbs_group_result {
    const char *name;
    unsigned first, n; /* its cases: order[first .. first + n) */
    unsigned verdicts[DBS_V_COUNT], outcomes[DBS_OUTCOMES];
    enum dbs_outcome outcome; /* fail if a case failed, skip if all skipped, else pass */
};

struct dbs_run_result {
    const struct dbs_run *run;
    struct dbs_case_result *cases; /* file order */
    unsigned ncases;
    unsigned *order;               /* case indexes, group by group, file order within */
    struct dbs_group_result *groups; /* in the order the groups first appear */
    unsigned ngroups;
    unsigned verdicts[DBS_V_COUNT], outcomes[DBS_OUTCOMES];
    enum dbs_outcome outcome;
};

/* Judges every case of r against known (NULL: nothing is expected to fail;
 * else it is dbs_known_select'ed for r). Returns 0, or -1 out of memory. */
int dbs_run_results(struct dbs_run_result *res, const struct dbs_run *r,
                    struct dbs_known *known);
void dbs_run_results_free(struct dbs_run_result *res);

#endif
