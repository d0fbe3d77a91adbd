/* Run identity: the CSV's leading "# key: value" lines. */
#ifndef DBS_META_H
#define DBS_META_H

#include <efi.h>
#include "dbs_buf.h"
#include "dbs_cpu_state.h"
#include "dbs_ident.h"
#include "dbs_model.h"
#include "dbs_smbios.h"

struct run_meta {
    struct dbs_cpu_id cpu;
    struct dbs_time time;
    int time_ok;
    uint64_t microcode;
    int microcode_ok;
    uint64_t cr0, cr4;
    UINTN cpus;          /* logical CPUs (MP services), 0 if unknown */
    struct dbs_smbios smbios;
    int secure_boot;     /* the firmware's SecureBoot variable is 1 */
    const char *apic_mode; /* how the firmware left the local APIC */
    uint64_t code_base;
    unsigned cases, cases_total, reps, max_events;
    const char *selection; /* the cases= option */
    const char *label;     /* the label= option */
    const char *options;   /* every option, as key=value words */
    const char *resumed_from; /* the CSV of a run that went down, or 0 */
    const char *crashed_case; /* the case it went down in, or 0 */
    const char *cores;      /* the cores= option when not bsp, else 0 */
    UINTN cpu_index;        /* with cores: MP services' processor number of this file's CPU */
    enum dbs_vendor vendor; /* whose rules the model judges by */
    struct dbs_cpu_state fw;  /* the firmware's CPU state before the run */
};

/* Fills cpu, time and microcode (needs the runner initialised for safe RDMSR). */
void meta_collect(struct run_meta *m);
void meta_write(struct dbs_buf *b, const struct run_meta *m);
/* How the firmware left this CPU's local APIC: disabled, xapic, x2apic or
 * unknown. No firmware call (an AP may call it), the runner initialised. */
const char *meta_apic_mode(void);
/* CPUID.1AH:EAX[31:24] as the core_type key says it: core, atom, other,
 * not hybrid (Intel SDM vol. 2A CPUID leaf 1AH). */
const char *meta_core_type(unsigned core_type);
/* "# uefi_time_end: ..." read from the firmware's clock now: the run's end,
 * so a reader can tell how long it took (uefi_time is its start). */
void meta_end_time(struct dbs_buf *b);
/* "# key: <state>" (fw_state before the run, fw_state_after at its end). */
void meta_cpu_state(struct dbs_buf *b, const char *key, const struct dbs_cpu_state *s);

#endif
