/* Collects and writes the run's identity. */
#include <efi.h>
#include <efilib.h>
#include "cores.h"
#include "meta.h"
#include "dbs_csv.h"
#include "dbs_event.h"
#include "dbs_msr.h"
#include "dbs_runner.h"

#ifndef DBS_VERSION
#define DBS_VERSION "unknown"
#endif
#ifndef DBS_GIT
#define DBS_GIT "unknown"
#endif

#define MSR_UCODE_REV 0x8b /* IA32_BIOS_SIGN_ID (Intel) / PATCH_LEVEL (AMD) */

/* The SMBIOS 3 (64-bit) or 2.x entry point's structure table. */
static void read_smbios(struct dbs_smbios *s)
{
    const UINT8 *ep;

    if (!EFI_ERROR(LibGetSystemConfigurationTable(&SMBIOS3TableGuid, (void **)&ep)) &&
        !CompareMem((void *)ep, "_SM3_", 5))
        dbs_smbios_parse((const uint8_t *)*(const UINT64 *)(ep + 0x10), *(const UINT32 *)(ep + 0x0c), s);
    else if (!EFI_ERROR(LibGetSystemConfigurationTable(&SMBIOSTableGuid, (void **)&ep)) &&
             !CompareMem((void *)ep, "_SM_", 4))
        dbs_smbios_parse((const uint8_t *)(UINTN) * (const UINT32 *)(ep + 0x18),
                         *(const UINT16 *)(ep + 0x16), s);
    else
        dbs_smbios_parse(NULL, 0, s);
}

/* UEFI spec 2.10, 3.3 (Globally Defined Variables): SecureBoot is 1 when the
 * firmware operates in Secure Boot mode (starts only signed images), 0 when
 * not; a firmware without Secure Boot has no such variable: off. */
static int secure_boot(void)
{
    UINT8 on = 0;
    UINTN size = sizeof(on);

    return !EFI_ERROR(uefi_call_wrapper(RT->GetVariable, 5, L"SecureBoot", &EfiGlobalVariable, NULL,
                                        &size, &on)) &&
           size == 1 && on == 1;
}

/* IA32_APIC_BASE's EN (bit 11) and EXTD (bit 10): disabled, xAPIC or
 * x2APIC mode (SDM vol. 3A 11.12.1, Table 11-5). */
const char *meta_apic_mode(void)
{
    uint64_t v;

    if (dbs_safe_rdmsr(DBS_MSR_APIC_BASE, &v))
        return "unknown";
    if (!(v & (1ull << 11)))
        return "disabled";
    return v & (1ull << 10) ? "x2apic" : "xapic";
}

/* The firmware's clock (UEFI GetTime); all zero and 0 when it fails. */
static int read_time(struct dbs_time *out)
{
    EFI_TIME t;

    if (EFI_ERROR(uefi_call_wrapper(RT->GetTime, 2, &t, NULL))) {
        *out = (struct dbs_time){0, 0, 0, 0, 0, 0};
        return 0;
    }
    *out = (struct dbs_time){t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second};
    return 1;
}

/* "# key: YYYY-MM-DDTHH:MM:SS", or "unknown" when the clock failed. */
static void meta_time(struct dbs_buf *b, const char *key, const struct dbs_time *time, int ok)
{
    char tmp[24];
    struct dbs_buf t;

    dbs_buf_init(&t, tmp, sizeof(tmp));
    if (ok) {
        dbs_put_dec_w(&t, time->year, 4, '0');
        dbs_put_char(&t, '-');
        dbs_put_dec_w(&t, time->month, 2, '0');
        dbs_put_char(&t, '-');
        dbs_put_dec_w(&t, time->day, 2, '0');
        dbs_put_char(&t, 'T');
        dbs_put_dec_w(&t, time->hour, 2, '0');
        dbs_put_char(&t, ':');
        dbs_put_dec_w(&t, time->minute, 2, '0');
        dbs_put_char(&t, ':');
        dbs_put_dec_w(&t, time->second, 2, '0');
    } else {
        dbs_put_str(&t, "unknown");
    }
    dbs_csv_meta(b, key, dbs_buf_str(&t));
}

void meta_collect(struct run_meta *m)
{
    uint64_t v;

    dbs_cpu_identify(&m->cpu);
    m->time_ok = read_time(&m->time);
    /* Intel keeps the revision in the high half after a CPUID(1) (SDM vol. 3A
     * 10.11.7.1); AMD reports the patch level in the low half. */
    __asm__ volatile("mov %%cr0, %0" : "=r"(m->cr0));
    __asm__ volatile("mov %%cr4, %0" : "=r"(m->cr4));
    m->cpus = cores_count();
    dbs_cpu_state_read(&m->fw);
    read_smbios(&m->smbios);
    m->secure_boot = secure_boot();
    m->apic_mode = meta_apic_mode();
    m->microcode_ok = dbs_safe_rdmsr(MSR_UCODE_REV, &v) == 0;
    if (m->microcode_ok)
        m->microcode = m->cpu.vendor[0] == 'G' ? v >> 32 : (uint32_t)v; /* GenuineIntel */
}

const char *meta_core_type(unsigned t)
{
    return t == 0x40 ? "core" : t == 0x20 ? "atom" : t ? "other" : "not hybrid";
}

static void kv_num(struct dbs_buf *b, const char *key, uint64_t v, int hex)
{
    char tmp[24];
    struct dbs_buf t;

    dbs_buf_init(&t, tmp, sizeof(tmp));
    if (hex)
        dbs_put_hex(&t, v);
    else
        dbs_put_dec(&t, v);
    dbs_csv_meta(b, key, dbs_buf_str(&t));
}

void meta_write(struct dbs_buf *b, const struct run_meta *m)
{
    char tmp[128];
    struct dbs_buf t;
    const CHAR16 *fv = ST->FirmwareVendor;

    dbs_csv_meta(b, "schema", DBS_CSV_SCHEMA);
    dbs_csv_meta(b, "tool", "dbsweep " DBS_VERSION);
    dbs_csv_meta(b, "git", DBS_GIT);
    dbs_csv_meta(b, "cpu_vendor", m->cpu.vendor);
    kv_num(b, "cpu_family", m->cpu.family, 0);
    kv_num(b, "cpu_model", m->cpu.model, 0);
    kv_num(b, "cpu_stepping", m->cpu.stepping, 0);
    dbs_csv_meta(b, "cpu_brand", m->cpu.brand);
    if (m->microcode_ok)
        kv_num(b, "microcode", m->microcode, 1);
    else
        dbs_csv_meta(b, "microcode", "unknown");
    kv_num(b, "apic_id", m->cpu.apic_id, 0);
    dbs_csv_meta(b, "apic_mode", m->apic_mode);
    dbs_csv_meta(b, "core_type", meta_core_type(m->cpu.core_type));
    kv_num(b, "logical_cpus", m->cpus, 0);
    if (m->cores) { /* a run with cores= other than bsp: which one this file is of */
        dbs_csv_meta(b, "cores", m->cores);
        kv_num(b, "cpu_index", m->cpu_index, 0);
    }
    kv_num(b, "cr0", m->cr0, 1);
    kv_num(b, "cr4", m->cr4, 1);
    dbs_csv_meta(b, "hypervisor", m->cpu.hypervisor ? m->cpu.hv_sig : "none");

    dbs_buf_init(&t, tmp, sizeof(tmp));
    for (; fv && *fv; fv++)
        dbs_put_char(&t, *fv < 0x80 ? (char)*fv : '?');
    dbs_csv_meta(b, "firmware_vendor", dbs_buf_str(&t));
    kv_num(b, "firmware_revision", ST->FirmwareRevision, 1);
    dbs_csv_meta(b, "secure_boot", m->secure_boot ? "on" : "off");
    dbs_csv_meta(b, "bios_vendor", m->smbios.bios_vendor);
    dbs_csv_meta(b, "bios_version", m->smbios.bios_version);
    dbs_csv_meta(b, "system_manufacturer", m->smbios.sys_vendor);
    dbs_csv_meta(b, "system_product", m->smbios.sys_product);
    dbs_csv_meta(b, "system_version", m->smbios.sys_version);
    dbs_csv_meta(b, "baseboard_manufacturer", m->smbios.board_vendor);
    dbs_csv_meta(b, "baseboard_product", m->smbios.board_product);

    meta_time(b, "uefi_time", &m->time, m->time_ok);
    kv_num(b, "code_base", m->code_base, 1);
    kv_num(b, "reps", m->reps, 0);
    kv_num(b, "max_events", m->max_events, 0);
    kv_num(b, "cases", m->cases, 0);
    kv_num(b, "cases_total", m->cases_total, 0);
    dbs_csv_meta(b, "selection", m->selection);
    dbs_csv_meta(b, "label", m->label);
    dbs_csv_meta(b, "options", m->options);
    if (m->resumed_from)
        dbs_csv_meta(b, "resumed_from", m->resumed_from);
    if (m->crashed_case)
        dbs_csv_meta(b, "crashed_case", m->crashed_case);
    dbs_csv_meta(b, "model", DBS_MODEL_NAME);
    dbs_csv_meta(b, "model_vendor", dbs_vendor_names[m->vendor]);
    meta_cpu_state(b, "fw_state", &m->fw);
}

void meta_end_time(struct dbs_buf *b)
{
    struct dbs_time now;
    int ok = read_time(&now);

    meta_time(b, "uefi_time_end", &now, ok);
}

void meta_cpu_state(struct dbs_buf *b, const char *key, const struct dbs_cpu_state *s)
{
    char tmp[320];
    struct dbs_buf t;

    dbs_buf_init(&t, tmp, sizeof(tmp));
    dbs_put_cpu_state(&t, s);
    dbs_csv_meta(b, key, dbs_buf_str(&t));
}
