/* One core's sweep: its cases run a progress batch at a time on that core
 * (the BSP itself, an AP through MP services), judged here, its CSV written;
 * and, before the first core, what a crashed run left behind. */
#ifndef DBS_SWEEP_H
#define DBS_SWEEP_H

#include <efi.h>
#include "compare.h"
#include "cores.h"
#include "meta.h"
#include "dbs_buf.h"
#include "dbs_marker.h"
#include "dbs_options.h"
#include "dbs_recovery.h"

#define CSV_CAP (1024 * 1024) /* the CSV buffer */

/* One output for the run: the directory and the marker stay, the CSV is
 * each core's in turn. */
struct output {
    EFI_FILE_HANDLE dir;  /* \dbsweep\results, NULL when the volume cannot be written */
    EFI_FILE_HANDLE file; /* the CSV */
    EFI_FILE_HANDLE marker; /* PROGRESS.txt once a batch has begun */
    struct dbs_buf csv;
    char name[96];
    EFI_STATUS err;
};

/* What every core's sweep shares. */
struct sweep {
    const struct dbs_options *opt;
    struct run_meta *m;
    const UINT32 *sel;         /* the selected cases' table indexes, m->cases of them */
    const struct dbs_resume *res;
    void *code;                /* the executable case buffer */
    struct dbs_rep *reps;      /* a batch's repetitions */
    uint32_t *digest;          /* per selected case, comparing cores; else NULL */
};

/* A marker left by a run that never finished: the plan (src/recovery.c),
 * said on the console; the crashed case's row, if any, to rows. */
void sweep_resume(struct output *o, struct run_meta *m, struct dbs_resume *res,
                  struct dbs_marker *mk, struct dbs_buf *rows);
/* The whole sweep on one core, its CSV written and closed; the marker
 * deleted after the last core. The first core's identity is the run's
 * (meta_collect); an AP reads its own first. */
void sweep_core(EFI_HANDLE image, struct output *o, const struct sweep *s,
                const struct core *core, const char *crashed_row, int last,
                struct core_result *out);

#endif
