/* summary over per-core files (cores.h): each run given as two or more
 * of its cores' files, its cores compared in events with the first given. */
#ifndef DBS_REPORT_CORE_RUNS_H
#define DBS_REPORT_CORE_RUNS_H

#include <stdio.h>
#include "results.h"

#define DBS_CORE_NAMES_SHOWN 5 /* differing cases named per core */

/* One core's file, against the first file of its run. */
struct dbs_core_file {
    char label[64];  /* dbs_core_label: "cpu 2 (atom)" */
    char status[32]; /* its '# status:' value, "" without one */
    const char *timeout_case; /* the case a core that timed out was in, or NULL */
    int complete;
    unsigned ncases, compared, differ; /* compared: the cases the first file has too */
    const char *first[DBS_CORE_NAMES_SHOWN]; /* the first cases that differ */
};

/* The files of one run; files[0] is the first given. */
struct dbs_core_run {
    struct dbs_run own;        /* the first file's metadata, when it was streamed */
    const struct dbs_run *run; /* that metadata (own, or a run loaded by the caller) */
    const char **events;       /* by case name's index in the string table: its events
                                  in the first file (NULL: it lacks the case) */
    unsigned nevents;
    struct dbs_core_file *files;
    unsigned n, cap;
};

/* Zero-initialized: empty. */
struct dbs_core_runs {
    struct dbs_core_run **runs;
    unsigned n, cap;
};

/* Takes a per-core file, judged with the observed events of every case
 * (DBS_TEXTS_ALL) into str: the first of its run keeps them, the others
 * are compared with it. store is the run's store (dbs_runs_read): the first
 * file's metadata is taken over from it when res->run is store. 0, or -1
 * when out of memory. */
int dbs_core_runs_add(struct dbs_core_runs *cs, const struct dbs_run_result *res,
                      struct dbs_run *store, struct dbs_strtab *str);
/* Per run of two or more files: which cores agree with the first given,
 * and for the others how many cases differ, with the first ones named.
 * Returns 1 when a core does not agree (a finding), else 0. */
int dbs_core_runs_put(const struct dbs_core_runs *cs, FILE *out);
void dbs_core_runs_free(struct dbs_core_runs *cs);

#endif
