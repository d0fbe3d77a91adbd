/* dbsweep-report verdicts: the runs' results (results.h) written for CI in
 * one of three formats. Shared by verdicts.c and the format writers. */
#ifndef DBS_REPORT_VERDICTS_H
#define DBS_REPORT_VERDICTS_H

#include <stdio.h>
#include "results.h"

struct dbs_verdicts {
    struct dbs_run_result *runs;
    unsigned nruns;
    const struct dbs_known *known; /* NULL without --known */
    unsigned outcomes[DBS_OUTCOMES]; /* cases over all runs */
    enum dbs_outcome outcome;
};

/* Why a case has its outcome, in one line: the observed and expected events
 * of a failure, the known-list entry of an XFAIL/XPASS, the reason for a
 * skip; "" for a pass. */
void dbs_case_reason(const struct dbs_verdicts *v, const struct dbs_case_result *c, char *out,
                     size_t cap);
/* The file's name without its directories. */
const char *dbs_base_name(const char *path);
/* Metadata value, "" when absent. */
const char *dbs_meta_or_empty(const struct dbs_run *r, const char *key);

void dbs_verdicts_tap(const struct dbs_verdicts *v, FILE *out);
void dbs_verdicts_junit(const struct dbs_verdicts *v, FILE *out);
void dbs_verdicts_json(const struct dbs_verdicts *v, FILE *out);

#endif
