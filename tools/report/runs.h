/* The files a command reads: runs already loaded (tests, callers of the
 * library) or paths, read one at a time in order and case by case, so that
 * memory does not grow with the number of files. Paths can be read ahead:
 * worker threads load some files in full while the command streams
 * another, so parsing, most of the time, runs on every CPU. */
#ifndef DBS_REPORT_RUNS_H
#define DBS_REPORT_RUNS_H

#include "events.h"

struct dbs_ahead; /* runs.c */

struct dbs_runs {
    struct dbs_run *const *loaded; /* NULL: read paths */
    char *const *paths;
    unsigned n;
    struct dbs_ahead *ahead; /* workers reading paths ahead (dbs_runs_ahead), or NULL */
};

/* Starts reading paths ahead: one worker thread per CPU but the command's
 * own, at most 3 (none for one file, a single CPU, or when threads cannot
 * be had: then the command streams every file). Files are still handed
 * out in order, and an error is the one of the first file that fails, as
 * without threads. */
void dbs_runs_ahead(struct dbs_runs *s);
/* Stops the workers (a command may stop reading early) and frees what they
 * read and nobody took. */
void dbs_runs_close(struct dbs_runs *s);

/* Hands every case of run k to fn in file order; k goes 0, 1, 2... *run
 * becomes the run (its metadata and completeness; for a path, store, which
 * holds no rows afterwards and which the caller frees with dbs_run_free;
 * for a loaded run, that run). Returns 0, or -1 with "file:line: what" in
 * err (cases before the error may have reached fn). */
int dbs_runs_read(const struct dbs_runs *s, unsigned k, struct dbs_run *store,
                  const struct dbs_run **run, dbs_case_fn *fn, void *ctx, char *err, size_t cap);

#endif
