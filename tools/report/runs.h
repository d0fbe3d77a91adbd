/* The files a command reads: runs already loaded (tests, callers of the
 * library) or paths, read one at a time and case by case (dbs_run_stream)
 * so that memory does not grow with the number of files. */
#ifndef DBS_REPORT_RUNS_H
#define DBS_REPORT_RUNS_H

#include "events.h"

struct dbs_runs {
    struct dbs_run *const *loaded; /* NULL: read paths */
    char *const *paths;
    unsigned n;
};

/* Hands every case of run k to fn in file order. *run becomes the run (its
 * metadata and completeness; for a path, store, which holds no rows
 * afterwards and which the caller frees with dbs_run_free; for a loaded run,
 * that run). Returns 0, or -1 with "file:line: what" in err. */
int dbs_runs_read(const struct dbs_runs *s, unsigned k, struct dbs_run *store,
                  const struct dbs_run **run, dbs_case_fn *fn, void *ctx, char *err, size_t cap);

#endif
