/* The dbsweep-report commands. Each returns the process exit code:
 * 0 fine, 1 a finding (what counts as one: main.c's usage_text), 2 an
 * error (said on stderr). */
#ifndef DBS_REPORT_H
#define DBS_REPORT_H

#include <stdio.h>
#include "known.h"
#include "runfile.h"

/* known (may be NULL): expected failures, see known.h */
int dbs_report_summary(struct dbs_run *const *runs, unsigned n, struct dbs_known *known,
                       FILE *out);

enum dbs_format { DBS_FORMAT_JSON, DBS_FORMAT_TAP, DBS_FORMAT_JUNIT };
int dbs_report_verdicts(struct dbs_run *const *runs, unsigned n, enum dbs_format format,
                        struct dbs_known *known, FILE *out);

/* Which cases diff compares; NULL fields compare all. */
struct dbs_diff_filter {
    const char *group; /* one group, by name */
    const char *cases; /* comma-separated globs, as the cases= option */
};
int dbs_report_diff(const struct dbs_run *a, const struct dbs_run *b,
                    const struct dbs_diff_filter *filter, FILE *out);
int dbs_report_check(struct dbs_run *const *runs, unsigned n, FILE *out);
int dbs_report_kut(const struct dbs_run *r, const char *case_name, FILE *out);

#endif
