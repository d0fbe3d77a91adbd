/* Local APIC timer, to wake HLT inside a case, and where the APIC's MMIO
 * page is, for the cases that watch it. The timer is periodic: however
 * early an interrupt is taken (right after STI, or when a #DB ends the STI
 * shadow), another one comes to wake the HLT. xAPIC (MMIO) or x2APIC
 * (MSRs), whichever the firmware left enabled (SDM vol. 3A 11.4, 11.5.4). */
#include "dbs_msr.h"
#include "dbs_runner.h"

#define APIC_EN (1ull << 11)
#define APIC_EXTD (1ull << 10)
#define REG_EOI 0x0b0
#define REG_SVR 0x0f0
#define REG_LVT_TIMER 0x320
#define REG_TICR 0x380
#define REG_TDCR 0x3e0
#define TIMER_COUNT 100000 /* divide-by-1 ticks: 0.1 ms at 1 GHz (QEMU), 1 ms at 100 MHz */
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)

static int x2apic;
static volatile uint32_t *mmio;
static uint32_t saved_lvt, saved_tdcr, saved_ticr, held_lvt;

static uint32_t rd(unsigned reg)
{
    return x2apic ? (uint32_t)dbs_rdmsr(0x800 + (reg >> 4)) : mmio[reg / 4];
}

static void wr(unsigned reg, uint32_t v)
{
    if (x2apic)
        dbs_wrmsr(0x800 + (reg >> 4), v);
    else
        mmio[reg / 4] = v;
}

int dbs_xapic_at(uint64_t base)
{
    uint64_t v = dbs_rdmsr(DBS_MSR_APIC_BASE);

    return (v & APIC_EN) && !(v & APIC_EXTD) && (v & 0x000ffffffffff000ull) == base;
}

int dbs_timer_available(void)
{
    uint64_t base = dbs_rdmsr(DBS_MSR_APIC_BASE);

    if (!(base & APIC_EN))
        return 0;
    x2apic = (base & APIC_EXTD) != 0;
    mmio = (volatile uint32_t *)(base & 0x000ffffffffff000ull);
    return (rd(REG_SVR) & 0x100) != 0; /* APIC software-enabled */
}

void dbs_timer_arm(uint8_t vector)
{
    saved_lvt = rd(REG_LVT_TIMER);
    saved_tdcr = rd(REG_TDCR);
    saved_ticr = rd(REG_TICR);
    wr(REG_TDCR, 0xb); /* divide by 1 */
    wr(REG_LVT_TIMER, vector | LVT_PERIODIC);
    wr(REG_TICR, TIMER_COUNT);
}

void dbs_timer_mask(void)
{
    wr(REG_LVT_TIMER, rd(REG_LVT_TIMER) | LVT_MASKED);
}

void dbs_timer_disarm(void)
{
    wr(REG_LVT_TIMER, saved_lvt | LVT_MASKED); /* masked while we restore */
    wr(REG_TDCR, saved_tdcr);
    wr(REG_LVT_TIMER, saved_lvt);
    wr(REG_TICR, saved_ticr);
}

/* The firmware's own timer, where it is the local APIC's (OVMF's is), is
 * held off while a case runs: a case that sets IF would otherwise take its
 * interrupt at a random point, and QEMU 10's TCG pushes RF=1 in that frame
 * (docs/qemu-bugs.md 3), which the firmware's IRET hands to the case's next
 * instruction. A tick that falls due meanwhile is lost, as if late. */
void dbs_timer_hold(void)
{
    held_lvt = rd(REG_LVT_TIMER);
    wr(REG_LVT_TIMER, held_lvt | LVT_MASKED);
}

void dbs_timer_release(void)
{
    wr(REG_LVT_TIMER, held_lvt);
}

void dbs_timer_eoi(void)
{
    wr(REG_EOI, 0);
}
