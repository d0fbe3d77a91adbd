/* dbsweep-report verdicts: the runs' results (results.h) written for CI in
 * one of three formats. Shared by verdicts.c and the format writers. */
#ifndef DBS_REPORT_VERDICTS_H
#define DBS_REPORT_VERDICTS_H

#include <stdio.h>
#include "report.h"
#include "results.h"

/* Under --strict an XPASS case is already a failure here (outcome
 * DBS_FAIL, counted so); the writers only say why. */
struct dbs_verdicts {
    struct dbs_run_result *runs;
    unsigned nruns;
    const struct dbs_known *known; /* NULL without --known */
    const struct dbs_verdicts_options *options;
    unsigned outcomes[DBS_OUTCOMES]; /* cases over all runs */
    unsigned complete[DBS_OUTCOMES]; /* the runs' "complete" tests */
    enum dbs_outcome outcome;        /* over cases and "complete" tests */
};

/* Every run is also a test named "complete": it passes when the file ends
 * in '# status: complete' and fails otherwise (an XFAIL with
 * --allow-incomplete); why says so, naming the file and the last case it
 * recorded ("" when complete). */
enum dbs_outcome dbs_complete_test(const struct dbs_verdicts *v,
                                   const struct dbs_run_result *res, char *why, size_t cap);
/* A run's outcome: its cases', or fail when its "complete" test fails. */
enum dbs_outcome dbs_run_outcome(const struct dbs_verdicts *v, const struct dbs_run_result *res);
/* A name for run k unique among the runs: its machine, label and path (and
 * "#k" when the same path is given twice). */
void dbs_run_name(const struct dbs_verdicts *v, unsigned k, char *out, size_t cap);

/* Why a case has its outcome, in one line: the observed and expected events
 * of a failure, the known-list entry of an XFAIL/XPASS, the reason for a
 * skip; "" for a pass. */
void dbs_case_reason(const struct dbs_verdicts *v, const struct dbs_case_result *c, char *out,
                     size_t cap);
/* The file's name without its directories. */
const char *dbs_base_name(const char *path);
/* Metadata value, "" when absent. */
const char *dbs_meta_or_empty(const struct dbs_run *r, const char *key);

/* Writes put(v, k, out) for every run k in order, rendering on two CPUs
 * when there are (verdicts_runs.c); put must only read v. */
typedef void dbs_put_run_fn(const struct dbs_verdicts *v, unsigned k, FILE *out);
void dbs_verdicts_put_runs(const struct dbs_verdicts *v, dbs_put_run_fn *put, FILE *out);

void dbs_verdicts_tap(const struct dbs_verdicts *v, FILE *out);
void dbs_verdicts_junit(const struct dbs_verdicts *v, FILE *out);
void dbs_verdicts_json(const struct dbs_verdicts *v, FILE *out);

#endif
