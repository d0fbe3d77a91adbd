/* Reads the CPU state the runner must give back to the firmware. */
#include "dbs_cpu_state.h"
#include "dbs_msr.h"
#include "dbs_runner.h"

struct __attribute__((packed)) dtr {
    uint16_t limit;
    uint64_t base;
};

void dbs_cpu_state_read(struct dbs_cpu_state *s)
{
    struct dtr g, i;

    __asm__ volatile("sgdt %0; sidt %1" : "=m"(g), "=m"(i));
    __asm__ volatile("str %0" : "=r"(s->tr));
    __asm__ volatile("mov %%cs, %0; mov %%ss, %1" : "=r"(s->cs), "=r"(s->ss));
    __asm__ volatile("mov %%cr0, %0" : "=r"(s->cr0));
    __asm__ volatile("mov %%cr3, %0" : "=r"(s->cr3));
    __asm__ volatile("mov %%cr4, %0" : "=r"(s->cr4));
    s->gdt_base = g.base;
    s->gdt_limit = g.limit;
    s->idt_base = i.base;
    s->idt_limit = i.limit;
    s->efer = dbs_rdmsr(DBS_MSR_EFER);
    s->star = dbs_rdmsr(DBS_MSR_STAR);
    s->lstar = dbs_rdmsr(DBS_MSR_LSTAR);
    s->cstar = dbs_rdmsr(DBS_MSR_CSTAR);
    s->fmask = dbs_rdmsr(DBS_MSR_FMASK);
}
