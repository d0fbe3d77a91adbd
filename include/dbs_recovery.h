/* Crash recovery's planning (README.md, "Crashes"): from the progress marker
 * a run that went down left behind, which cases this run records as crashed,
 * runs again one at a time, or skips; and while running, which cases each
 * progress mark covers. Pure logic: the app reads and writes the marker. */
#ifndef DBS_RECOVERY_H
#define DBS_RECOVERY_H

#include <stdint.h>
#include "dbs_marker.h"

/* What the marker says about the last run. */
enum dbs_resume_kind {
    DBS_RESUME_NONE,    /* no marker: the last run finished (or there was none) */
    DBS_RESUME_DAMAGED, /* a marker that is not one, or names cases the table lacks: ignored */
    DBS_RESUME_CRASHED, /* it went down in one case: record it as crashed, go on after it */
    DBS_RESUME_RERUN,   /* it went down in a batch: run the batch again one case at a time */
};

/* Table indexes; careful_first > careful_last when no case is run carefully. */
struct dbs_resume {
    enum dbs_resume_kind kind;
    unsigned careful_first, careful_last; /* run alone, each under its own mark */
    unsigned start;                       /* cases before it are not run */
    unsigned crashed;                     /* DBS_RESUME_CRASHED: the case that went down */
};

/* Plans this run from the marker text (text NULL: none found) of a table of
 * ncases cases; *mk receives the parsed marker. */
void dbs_resume_plan(const char *text, unsigned len, unsigned ncases, struct dbs_marker *mk,
                     struct dbs_resume *res);
/* Whether table index idx runs in this run. */
int dbs_resume_runs(const struct dbs_resume *res, unsigned idx);

/* Progress marks over the selected cases sel[0..n) (table indexes, in table
 * order): a batch of up to DBS_BATCH cases per mark, a careful case alone. */
#define DBS_BATCH 256
struct dbs_batches {
    unsigned left; /* cases of the current mark still to run */
};

/* Called before sel[i] runs (cases the plan skips are never passed): 1 when
 * a new mark is due, covering sel[i]..sel[*last]; 0 when sel[i] is in the
 * current one. */
int dbs_batch_mark(struct dbs_batches *b, const struct dbs_resume *res, const uint32_t *sel,
                   unsigned n, unsigned i, unsigned *last);

#endif
