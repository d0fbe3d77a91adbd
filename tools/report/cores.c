/* Which core a file is from; which files are cores of one run. */
#include <stdio.h>
#include <string.h>

#include "cores.h"

int dbs_run_is_core(const struct dbs_run *r)
{
    return dbs_run_meta(r, "cores") != NULL;
}

void dbs_core_label(const struct dbs_run *r, char *out, size_t cap)
{
    const char *apic = dbs_run_meta(r, "apic_id"), *type = dbs_run_meta(r, "core_type");
    int hybrid = type && type[0] && strcmp(type, "not hybrid");

    if (!dbs_run_is_core(r))
        snprintf(out, cap, "%s", "");
    else
        snprintf(out, cap, "cpu %s%s%s%s", apic && apic[0] ? apic : "?", hybrid ? " (" : "",
                 hybrid ? type : "", hybrid ? ")" : "");
}

/* One run: the same machine, build and options, started at the same UEFI
 * time (every core's file carries the run's start). Not microcode: it is
 * per core, and a core loaded with other microcode is worth seeing. */
static const char *const same_run_keys[] = {
    "cpu_vendor", "cpu_family", "cpu_model", "cpu_stepping", "hypervisor", "system_product",
    "git",        "uefi_time",  "options",   "cores",        NULL};

int dbs_same_run(const struct dbs_run *a, const struct dbs_run *b)
{
    unsigned i;

    if (!dbs_run_is_core(a) || !dbs_run_is_core(b))
        return 0;
    for (i = 0; same_run_keys[i]; i++) {
        const char *va = dbs_run_meta(a, same_run_keys[i]);
        const char *vb = dbs_run_meta(b, same_run_keys[i]);
        if (!va != !vb || (va && strcmp(va, vb)))
            return 0;
    }
    return 1;
}
