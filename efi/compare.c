/* Comparing cores by the events they recorded (compare.h). */
#include <efi.h>
#include <efilib.h>
#include "compare.h"
#include "console.h"
#include "dbs_arch.h"
#include "dbs_crc32.h"

uint32_t compare_digest(const struct dbs_rep *r)
{
    uint32_t h = dbs_crc32(0, (const uint8_t[]){r->skipped, r->crashed, r->capped}, 3);
    unsigned i;

    for (i = 0; i < r->nev; i++) {
        const struct dbs_event *e = &r->ev[i];
        uint64_t v[4] = {e->vector, e->rip - r->case_start, e->vector == DBS_VEC_DB ? e->dr6 : 0,
                         e->rflags & DBS_RFLAGS_RF};

        h = dbs_crc32(h, v, sizeof(v));
    }
    return h ? h : 1;
}

void compare_count(const uint32_t *first, const uint32_t *cur, unsigned n, struct core_result *r)
{
    unsigned i;

    r->compared = r->differ = 0;
    for (i = 0; i < n; i++)
        if (first[i] && cur[i]) {
            r->compared++;
            r->differ += first[i] != cur[i];
        }
}

void compare_report(const struct core_result *r, unsigned ncores, unsigned ncases)
{
    unsigned k, ndiff = 0;

    say("dbsweep: cores, each against the first:");
    for (k = 0; k < ncores; k++) {
        const CHAR16 *how = r[k].st == EFI_SUCCESS ? L"complete"
                            : r[k].st == EFI_TIMEOUT ? L"TIMEOUT"
                                                     : L"FAILED";

        if (!k)
            sayf(L"  APIC ID %d: %s, %d of %d cases (the first)", r[k].apic_id, how, r[k].ran,
                 ncases);
        else
            sayf(L"  APIC ID %d: %s, %d of %d cases; events differ in %d of the %d both recorded",
                 r[k].apic_id, how, r[k].ran, ncases, r[k].differ, r[k].compared);
        if (r[k].hung[0])
            sayf(L"    stopped in case %a", r[k].hung);
        ndiff += k && r[k].differ;
    }
    if (ndiff)
        sayf(L"dbsweep: %d of %d cores differ from APIC ID %d in events", ndiff, ncores - 1,
             r[0].apic_id);
    else
        sayf(L"dbsweep: no core differs from APIC ID %d in events", r[0].apic_id);
}
