/* Which logical CPUs sweep, and running on one of them. gnu-efi does not
 * declare EFI_MP_SERVICES_PROTOCOL: it is declared here from the PI spec
 * (1.6, vol. 2, 13.4 "MP Services Protocol"). */
#include <efi.h>
#include <efilib.h>
#include "console.h"
#include "cores.h"

static EFI_GUID mp_guid = {0x3fdda605, 0xa76e, 0x4f46, {0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08}};

/* EFI_PROCESSOR_INFORMATION; the extended location (PI 1.7) is written only
 * when bit 24 of the processor number asks for it: room for it anyway. */
struct mp_info {
    UINT64 processor_id; /* "the same as the Local APIC ID" on IA32 and X64 */
    UINT32 status;
    UINT32 location[3];  /* package, core, thread */
    UINT32 location2[6];
};
#define MP_AS_BSP 0x1  /* PROCESSOR_AS_BSP_BIT */
#define MP_ENABLED 0x2 /* PROCESSOR_ENABLED_BIT */

typedef void(__attribute__((ms_abi)) *mp_procedure)(void *arg); /* EFI_AP_PROCEDURE */

/* Members in the spec's order; SwitchBSP, EnableDisableAP, WhoAmI unused. */
struct mp_services {
    EFI_STATUS(EFIAPI *count)(struct mp_services *, UINTN *total, UINTN *enabled);
    EFI_STATUS(EFIAPI *info)(struct mp_services *, UINTN number, struct mp_info *);
    void *startup_all_aps;
    EFI_STATUS(EFIAPI *startup_this_ap)(struct mp_services *, mp_procedure, UINTN number,
                                        EFI_EVENT wait, UINTN timeout_us, void *arg,
                                        BOOLEAN *finished);
    void *switch_bsp, *enable_disable_ap, *who_am_i;
};

static struct mp_services *mp(void)
{
    static struct mp_services *p;

    if (!p && EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &mp_guid, NULL, (void **)&p)))
        p = NULL;
    return p;
}

UINTN cores_count(void)
{
    UINTN total = 0, enabled = 0;

    if (!mp() || EFI_ERROR(uefi_call_wrapper(mp()->count, 3, mp(), &total, &enabled)))
        return 0;
    return total;
}

/* A list runs in the order given: the selected CPUs (in processor number
 * order) sorted so; a listed APIC ID no enabled CPU has is said and left out. */
static void list_order(const struct dbs_options *o, struct core *sel, unsigned n)
{
    unsigned i, k, at = 0;

    for (i = 0; i < o->ncore_ids; i++) {
        for (k = at; k < n && sel[k].apic_id != o->core_ids[i]; k++)
            ;
        if (k == n) {
            sayf(L"dbsweep: cores=: no enabled logical CPU has APIC ID %d; left out",
                 o->core_ids[i]);
        } else {
            struct core c = sel[k];

            sel[k] = sel[at];
            sel[at++] = c;
        }
    }
}

int cores_select(const struct dbs_options *o, uint32_t bsp_apic_id, struct core *out,
                 unsigned cap, unsigned *n)
{
    UINTN i, total = cores_count();
    struct mp_info info;

    *n = 0;
    if (!total) { /* no MP services: the BSP is all there is to run on */
        if (dbs_cores_selects(o, bsp_apic_id, 1))
            out[(*n)++] = (struct core){.number = 0, .apic_id = bsp_apic_id, .bsp = 1};
    }
    for (i = 0; i < total && *n < cap; i++) {
        if (EFI_ERROR(uefi_call_wrapper(mp()->info, 3, mp(), i, &info)) ||
            !(info.status & MP_ENABLED))
            continue;
        if (dbs_cores_selects(o, (uint32_t)info.processor_id, (info.status & MP_AS_BSP) != 0))
            out[(*n)++] = (struct core){.number = i, .apic_id = (uint32_t)info.processor_id,
                                        .bsp = (info.status & MP_AS_BSP) != 0};
    }
    if (o->cores == DBS_CORES_LIST)
        list_order(o, out, *n);
    return *n ? 0 : -1;
}

struct call {
    void (*fn)(void *);
    void *arg;
};

/* What the firmware calls on the AP, in the UEFI calling convention. */
static void __attribute__((ms_abi)) on_ap(void *p)
{
    struct call *c = p;

    c->fn(c->arg);
}

EFI_STATUS cores_run(const struct core *c, void (*fn)(void *), void *arg, unsigned timeout_s)
{
    struct call call = {fn, arg};

    if (c->bsp) {
        fn(arg);
        return EFI_SUCCESS;
    }
    /* Blocking mode (no WaitEvent): returns when the AP returns, or with
     * EFI_TIMEOUT once timeout_us passed, the AP's procedure then
     * terminated (PI spec 1.6 vol. 2 13.4 StartupThisAP; edk2's MpInitLib
     * sends the AP INIT-SIPI-SIPI and puts it back to idle). */
    return uefi_call_wrapper(mp()->startup_this_ap, 7, mp(), on_ap, c->number, NULL,
                             (UINTN)timeout_s * 1000000, &call, NULL);
}
