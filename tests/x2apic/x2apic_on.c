/* Test-only EFI program: switches the local APIC from xAPIC to x2APIC mode,
 * as firmware that hands over in x2APIC mode does, so that dbsweep started
 * after it from the UEFI shell meets the APIC that way (tests/x2apic). */
#include <efi.h>
#include <efilib.h>

#define MSR_APIC_BASE 0x1b
#define APIC_EN (1ull << 11)
#define APIC_EXTD (1ull << 10)

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
    uint32_t a = 1, b, c = 0, d;
    uint64_t base;

    InitializeLib(image, systab);
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    if (!(c & (1u << 21))) { /* CPUID.1:ECX[21]: x2APIC (SDM vol. 3A 11.12.1) */
        Print(L"x2apic-on: this CPU has no x2APIC\n");
        return EFI_UNSUPPORTED;
    }
    base = rdmsr(MSR_APIC_BASE);
    /* xAPIC to x2APIC: set EXTD with EN set, in one write (SDM vol. 3A
     * 11.12.5: x2APIC mode is entered from xAPIC mode only) */
    if ((base & (APIC_EN | APIC_EXTD)) == APIC_EN) {
        base |= APIC_EXTD;
        __asm__ volatile("wrmsr" : : "c"(MSR_APIC_BASE), "a"((uint32_t)base), "d"((uint32_t)(base >> 32)));
    }
    Print(L"x2apic-on: IA32_APIC_BASE %lx\n", rdmsr(MSR_APIC_BASE));
    return (rdmsr(MSR_APIC_BASE) & APIC_EXTD) ? EFI_SUCCESS : EFI_DEVICE_ERROR;
}
