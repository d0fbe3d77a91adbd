/* The dbsweep-report commands. Each returns the process exit code:
 * 0 fine, 1 a finding (what counts as one: main.c's usage_text), 2 an
 * error (said on stderr). */
#ifndef DBS_REPORT_H
#define DBS_REPORT_H

#include <stdio.h>
#include "known.h"
#include "runs.h"

/* known (may be NULL): expected failures, see known.h */
int dbs_report_summary(const struct dbs_runs *runs, struct dbs_known *known, FILE *out);

enum dbs_format { DBS_FORMAT_JSON, DBS_FORMAT_TAP, DBS_FORMAT_JUNIT };
struct dbs_verdicts_options {
    enum dbs_format format;
    int strict;           /* an XPASS fails */
    int allow_incomplete; /* an incomplete run is an XFAIL, not a failure */
};
int dbs_report_verdicts(const struct dbs_runs *runs, const struct dbs_verdicts_options *options,
                        struct dbs_known *known, FILE *out);

/* Which cases diff compares (NULL fields: all) and what it shows. */
struct dbs_diff_options {
    const char *group; /* one group, by name */
    const char *cases; /* comma-separated globs, as the cases= option */
    int common;        /* only the cases both runs have */
    int events_only;   /* a verdict-only difference is no difference */
    int stat;          /* the runs and the table only */
    int quiet;         /* nothing: the exit status only */
};
int dbs_report_diff(const struct dbs_run *a, const struct dbs_run *b,
                    const struct dbs_diff_options *options, FILE *out);
int dbs_report_check(struct dbs_run *const *runs, unsigned n, FILE *out);
/* kut: the cases matching globs (in that order) as one kvm-unit-tests program;
 * as_recorded: assert FILE's events instead of the model's expectation. */
int dbs_report_kut(const struct dbs_run *r, char *const *globs, unsigned nglobs, int as_recorded,
                   FILE *out);

#endif
