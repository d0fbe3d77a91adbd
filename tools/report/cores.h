/* Per-core CSVs: a run with cores=all or cores=<APIC IDs> writes one file
 * per logical CPU, each with '# cores:' (the option), its apic_id,
 * core_type and cpu_index. Which core a file is from, and which files are
 * cores of one run; every command names cores through these. */
#ifndef DBS_REPORT_CORES_H
#define DBS_REPORT_CORES_H

#include <stddef.h>
#include "runfile.h"

/* 1 when the run is one core's file of a cores= run. */
int dbs_run_is_core(const struct dbs_run *r);

/* "cpu 2 (atom)": the APIC ID, and the core type on a hybrid part; ""
 * for a run without '# cores:' (the BSP's run of cores=bsp). */
void dbs_core_label(const struct dbs_run *r, char *out, size_t cap);

/* 1 when a and b are cores of the same run: both per-core, and equal in
 * the machine (vendor, family, model, stepping, hypervisor, product), the
 * build (git), the options (cores included) and the start (uefi_time). */
int dbs_same_run(const struct dbs_run *a, const struct dbs_run *b);

#endif
