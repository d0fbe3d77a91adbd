/* What the runner records: one event per exception delivered while a case
 * runs, and one repetition's worth of them. */
#ifndef DBS_EVENT_H
#define DBS_EVENT_H

#include <stdint.h>

#define DBS_MAX_EVENTS 32 /* per repetition; a runaway case is capped here */
#define DBS_REPS 3     /* default repetitions per case */
#define DBS_MAX_REPS 9

struct dbs_event {
    uint64_t vector, error, rip, rflags, dr6, dr7;
    uint64_t cs, ss, rsp; /* the frame: where the CPU was (CPL, mode) */
    uint8_t has_dr; /* 0: DR6/DR7 could not be read (DR7.GD was armed) */
    uint16_t entry; /* 1 + N when RIP is the first instruction of the harness's entry N:
                     * a vector's handler (N < 256), or SYSCALL's (DBS_ENTRY_LSTAR/CSTAR) */
};

/* The SYSCALL entries, as entry numbers past the 256 vectors. */
#define DBS_ENTRY_LSTAR 0x100
#define DBS_ENTRY_CSTAR 0x101

struct dbs_rep {
    uint64_t case_start; /* address of the case's first byte */
    uint32_t nev;
    uint8_t capped;  /* hit DBS_MAX_EVENTS and was unwound */
    uint8_t skipped; /* not run: its needs could not be met */
    uint8_t crashed; /* the machine went down during this case (found at the next boot) */
    struct dbs_event ev[DBS_MAX_EVENTS];
};

#endif
