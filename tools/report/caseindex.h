/* A run's cases by name, for commands that look up every case of one run in
 * another (diff): a sorted index instead of a scan per case. */
#ifndef DBS_REPORT_CASEINDEX_H
#define DBS_REPORT_CASEINDEX_H

#include "events.h"

struct dbs_case_index {
    struct dbs_case_rows *cases; /* sorted by name */
    unsigned n;
};

/* Returns 0, or -1 when out of memory. */
int dbs_case_index_build(struct dbs_case_index *ix, const struct dbs_run *r);
/* 0 and *out set when the run has the case, else -1. */
int dbs_case_index_find(const struct dbs_case_index *ix, const char *name,
                        struct dbs_case_rows *out);
void dbs_case_index_free(struct dbs_case_index *ix);

#endif
