/* Pass/fail per case and per group, as CI wants it: a run's verdicts set
 * against an expected-failure list. summary and verdicts print these. */
#ifndef DBS_REPORT_RESULTS_H
#define DBS_REPORT_RESULTS_H

#include "dbs_judge.h"
#include "events.h"
#include "known.h"
#include "strtab.h"

enum dbs_outcome {
    DBS_PASS,  /* match */
    DBS_FAIL,  /* mismatch or crashed, and not listed as known */
    DBS_XFAIL, /* mismatch or crashed, listed as known */
    DBS_XPASS, /* listed as known, but matches */
    DBS_SKIP,  /* undefined, or no expectation (none: skipped, no rule) */
    DBS_OUTCOMES
};
extern const char *const dbs_outcome_names[DBS_OUTCOMES]; /* "pass", "fail", ... */

/* Kept per case and file, so small: the texts are interned, shared by the
 * files that have them. */
struct dbs_case_result {
    const char *name;
    const char *observed, *expected; /* dbs_events_text, dbs_expected_text; NULL
                                        when not kept (see dbs_run_results_begin) */
    const char *note;                /* the first non-empty note, or "" */
    int known;                       /* the known-list entry it falls under, or -1 */
    unsigned group;                  /* index into groups */
    unsigned char verdict;           /* enum dbs_verdict: the worst over its rows */
    unsigned char outcome;           /* enum dbs_outcome */
    unsigned char crashed;           /* a row's note says crashed */
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
    unsigned ncases, nrows, disagree; /* disagree: cases whose repetitions disagree */
    unsigned *order;               /* case indexes, group by group, file order within */
    struct dbs_group_result *groups; /* in the order the groups first appear */
    unsigned ngroups;
    unsigned verdicts[DBS_V_COUNT], outcomes[DBS_OUTCOMES];
    enum dbs_outcome outcome;
    /* while cases are added */
    struct dbs_known *known;
    struct dbs_strtab *str, group_ids; /* group_ids: this run's group names */
    unsigned cases_cap, groups_cap;
    int texts;
};

/* Which cases keep their observed and expected events texts. */
enum { DBS_TEXTS_FAILED, DBS_TEXTS_ALL };

/* Judges a run's cases one by one, as they are read, against known (NULL:
 * nothing is expected to fail; else it is dbs_known_select'ed for the run
 * at its first case). Texts go into str, shared by every run a command
 * reads. Each returns 0, or -1 out of memory; call dbs_run_results_free in
 * any case. */
void dbs_run_results_begin(struct dbs_run_result *res, const struct dbs_run *r,
                           struct dbs_known *known, struct dbs_strtab *str, int texts);
int dbs_run_results_add(struct dbs_run_result *res, const struct dbs_case_rows *c);
/* Groups and rolls up, once every case is in. */
int dbs_run_results_end(struct dbs_run_result *res);
void dbs_run_results_free(struct dbs_run_result *res);

#endif
