/* What the person at the machine (or the serial console) sees. */
#ifndef DBS_CONSOLE_H
#define DBS_CONSOLE_H

#include <efi.h>
#include "dbs_case.h"
#include "dbs_event.h"
#include "dbs_judge.h"

#define MAX_GROUPS 16

struct group_totals {
    char name[DBS_GROUP_MAX_NAME];
    unsigned cases, verdict[DBS_V_COUNT];
};

struct totals {
    unsigned cases, verdict[DBS_V_COUNT], disagree, skipped, capped;
    unsigned ngroups;
    struct group_totals group[MAX_GROUPS];
};

/* A line on the console, and on COM1 too once console_mirror(1). */
void say(const char *ascii);
void console_mirror(int on);
/* Counts a case's verdict under its group, in every mode. */
void count_group(struct totals *t, const struct dbs_case *c, enum dbs_verdict v);
/* The case's line: every case of small runs, every 5% and the first
 * mismatches of large ones. */
void progress(unsigned i, unsigned n, const struct dbs_case *c, enum dbs_verdict v,
              const struct dbs_rep *reps, unsigned nreps, int agree);
/* Totals, per group, and where the CSV went (file NULL: not saved). */
void summary(const struct totals *t, unsigned nreps, const char *file, EFI_STATUS err);

#endif
