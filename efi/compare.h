/* Which cores differ from the first one in the events they recorded: a
 * digest per case as dbsweep-report diff compares them (the first
 * repetition's vectors, RIPs within the case, DR6 of #DB, RF in the frame),
 * counted per core and said on the console at the end. */
#ifndef DBS_COMPARE_H
#define DBS_COMPARE_H

#include <efi.h>
#include <stdint.h>
#include "dbs_case.h"
#include "dbs_event.h"

struct core_result {
    uint32_t apic_id;
    EFI_STATUS st;        /* EFI_SUCCESS, EFI_TIMEOUT, or why the core did not run */
    char hung[DBS_CASE_MAX_NAME]; /* the case it was stopped in, or "" */
    unsigned ran;         /* cases it recorded */
    unsigned compared, differ; /* cases both it and the first core recorded; of them differing */
};

/* Never 0 (0: the case was not recorded). */
uint32_t compare_digest(const struct dbs_rep *rep0);
void compare_count(const uint32_t *first, const uint32_t *cur, unsigned n, struct core_result *r);
/* The console lines: per core, how it ended and how it compares. */
void compare_report(const struct core_result *r, unsigned ncores, unsigned ncases);

#endif
