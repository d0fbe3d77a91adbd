/* The console's result lines with serial on (README.md, "The serial
 * console"): a KTAP document, one top-level test per group and one subtest
 * per case, every result line ending in its verdict word:
 *
 *   KTAP version 1
 *   1..2
 *       KTAP version 1
 *       # Subtest: kut
 *       1..14
 *       ok 1 kut.hw_bp1 # match
 *       not ok 6 kut.singlestep_with_sti_blocking # mismatch
 *       ...
 *   not ok 1 kut # mismatch
 *       ...
 *       ok 3 bplen.len8.dr2.popf.cpuid # SKIP undefined
 *   ok 2 bplen # SKIP undefined
 *
 * Words: match (ok), mismatch and crashed (not ok), undefined, none and
 * skipped (ok # SKIP); "; repetitions disagree" and "; event cap hit" may
 * follow. A group's word is the gravest of its cases': crashed, mismatch,
 * match, undefined, none, skipped. */
#ifndef DBS_KTAP_H
#define DBS_KTAP_H

#include "dbs_case.h"
#include "dbs_judge.h"

#define DBS_KTAP_MAX_GROUPS 32

/* How a case ended besides its verdict. */
enum {
    DBS_KTAP_SKIPPED = 1,  /* not run: the machine lacks what it needs */
    DBS_KTAP_CRASHED = 2,  /* the machine went down in it (a resumed run says so) */
    DBS_KTAP_DISAGREE = 4, /* its repetitions disagree */
    DBS_KTAP_CAPPED = 8,   /* a repetition hit the event cap */
};

struct dbs_ktap {
    void (*line)(void *ctx, const char *text); /* receives each line, without newline */
    void *ctx;
    unsigned ngroups;
    struct {
        char name[DBS_GROUP_MAX_NAME];
        unsigned cases;
    } group[DBS_KTAP_MAX_GROUPS];
    unsigned g, done; /* the group being reported, its cases reported so far */
    unsigned worst;   /* the gravest word among them */
};

void dbs_ktap_init(struct dbs_ktap *k, void (*line)(void *ctx, const char *text), void *ctx);
/* The plan: one call per case to be reported, in the order they will be
 * (cases arrive grouped). Returns -1 when there are more groups than it holds. */
int dbs_ktap_plan(struct dbs_ktap *k, const char *group);
/* The version and plan lines; then one dbs_ktap_case per planned case. */
void dbs_ktap_begin(struct dbs_ktap *k);
/* A case's line (with its group's header before the first and its group's
 * result line after the last). flags: DBS_KTAP_*. */
void dbs_ktap_case(struct dbs_ktap *k, const char *name, enum dbs_verdict v, unsigned flags);

#endif
