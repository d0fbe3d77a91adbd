/* A batch of selected cases run on one CPU, the BSP or an AP alike: the
 * repetitions' raw events go to memory; the BSP judges them afterwards. */
#ifndef DBS_BATCH_H
#define DBS_BATCH_H

#include <efi.h>
#include "dbs_cpu_state.h"
#include "dbs_event.h"
#include "dbs_ident.h"

/* What a CPU found of itself, at its first batch and after each. */
struct core_state {
    int seen;                    /* id, fw and apic_mode read */
    struct dbs_cpu_id id;        /* CPUID on that CPU: its core type (leaf 1AH) */
    struct dbs_cpu_state fw, fw_after; /* the firmware's state before and after */
    const char *apic_mode;
};

enum batch_bad { BATCH_OK, BATCH_BAD_CASE /* idx[done] does not compile */,
                 BATCH_BAD_RUNNER /* the runner cannot be set up on this CPU */ };

struct batch {
    const UINT32 *idx;     /* table indexes of the cases, n of them */
    unsigned n, nreps, cap;
    struct dbs_rep *reps;  /* n * nreps repetitions, case after case */
    void *code;            /* the executable case buffer */
    int ap;                /* run on an application processor */
    volatile unsigned done; /* cases whose repetitions are all in reps */
    volatile int bad;      /* enum batch_bad: why it stopped early */
    struct core_state *core;
};

/* Runs the batch on the CPU it is called on, with no firmware call (an AP
 * may make none): the runner set up for this CPU, the cases, the firmware's
 * debug registers given back. Takes a struct batch. */
void batch_run(void *batch);

#endif
