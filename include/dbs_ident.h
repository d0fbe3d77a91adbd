/* Who ran the sweep: CPUID identity, and the result file name built from it. */
#ifndef DBS_IDENT_H
#define DBS_IDENT_H

#include <stdint.h>
#include "dbs_buf.h"

struct dbs_cpu_id {
    char vendor[13];
    unsigned family, model, stepping; /* display values, decimal */
    char brand[49];
    int hypervisor;   /* CPUID.1:ECX[31] */
    char hv_sig[13];  /* CPUID 0x40000000 EBX:ECX:EDX, "" on metal */
    uint32_t apic_id; /* CPUID.1:EBX[31:24] */
    unsigned core_type; /* hybrid parts: CPUID.1AH:EAX[31:24] (0x20 Atom, 0x40 Core), else 0 */
};

struct dbs_time {
    unsigned year, month, day, hour, minute, second;
};

/* Display family/model/stepping from CPUID.1:EAX (Intel SDM vol. 2A CPUID,
 * AMD APM vol. 3 CPUID Fn0000_0001_EAX). */
void dbs_cpu_decode_sig(uint32_t eax, unsigned *family, unsigned *model, unsigned *stepping);
/* Reads CPUID of the CPU it runs on. */
void dbs_cpu_identify(struct dbs_cpu_id *id);

/* The CPUID-detected subset of enum dbs_needs (dbs_case.h) this CPU meets. */
unsigned dbs_cpu_needs_met(void);

/* Short lowercase names for file names: intel, amd, kvm, tcg, ..., or the
 * signature itself reduced to [a-z0-9]. */
/* 1 for CPU vendors whose #DB rules are the AMD manual's (AMD, Hygon). */
int dbs_vendor_follows_amd(const char *vendor);
void dbs_put_vendor_short(struct dbs_buf *b, const char *vendor);
void dbs_put_hv_short(struct dbs_buf *b, const struct dbs_cpu_id *id); /* "metal" without one */

/* YYYYMMDD-HHMMSS */
void dbs_put_time(struct dbs_buf *b, const struct dbs_time *t);
/* The result file's name without extension:
 * <vendor>-<family>-<model>-<stepping>-<metal|hv>-<YYYYMMDD-HHMMSS>[-<label>]
 * (the ESP code appends -1, -2, ... if that name is taken, then .csv). */
void dbs_result_stem(struct dbs_buf *b, const struct dbs_cpu_id *id, const struct dbs_time *t,
                     const char *label);

#endif
