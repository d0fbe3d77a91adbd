/* The logical CPUs a run sweeps (cores=), and running a procedure on one
 * of them through EFI_MP_SERVICES_PROTOCOL (PI spec 1.6 vol. 2 13.4). */
#ifndef DBS_CORES_H
#define DBS_CORES_H

#include <efi.h>
#include <stdint.h>
#include "dbs_options.h"

struct core {
    UINTN number;     /* MP services' processor number (the CSV's cpu_index) */
    uint32_t apic_id; /* its ProcessorId: the local APIC ID (PI spec 13.4 GetProcessorInfo) */
    int bsp;          /* the processor dbsweep runs on */
};

/* Logical CPUs MP services know of, 0 without the protocol. */
UINTN cores_count(void);
/* The enabled CPUs the options select into out[0..*n) (cap entries at
 * most), by processor number, a list in its own order; says on the console
 * which listed APIC IDs no CPU has. Without MP services: the BSP alone, number 0, with
 * bsp_apic_id. Returns 0, or -1 when nothing is selected. */
int cores_select(const struct dbs_options *o, uint32_t bsp_apic_id, struct core *out,
                 unsigned cap, unsigned *n);
/* Runs fn(arg) on the core: on the BSP directly; on an AP through
 * StartupThisAP in blocking mode with a limit of timeout_s seconds:
 * EFI_TIMEOUT when it did not return in time (the firmware then stops the
 * AP, PI spec 13.4 StartupThisAP). fn may make no firmware call on an AP. */
EFI_STATUS cores_run(const struct core *c, void (*fn)(void *), void *arg, unsigned timeout_s);

#endif
