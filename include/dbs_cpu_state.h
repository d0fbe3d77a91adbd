/* The firmware's CPU state that the runner changes while a case runs and
 * must give back exactly: descriptor tables, task register, paging, the
 * SYSCALL MSRs. Read before and after a run; both go into the CSV. */
#ifndef DBS_CPU_STATE_H
#define DBS_CPU_STATE_H

#include <stdint.h>
#include "dbs_buf.h"

struct dbs_cpu_state {
    uint64_t gdt_base, idt_base;
    uint16_t gdt_limit, idt_limit, tr, cs, ss;
    uint64_t cr0, cr3, cr4, efer, star, lstar, cstar, fmask;
};

/* Reads it (ring 0: ring0/cpu_state.c). */
void dbs_cpu_state_read(struct dbs_cpu_state *s);
/* "gdtr=BASE/LIMIT idtr=BASE/LIMIT tr=SEL cs=SEL ss=SEL cr0=... fmask=..." */
void dbs_put_cpu_state(struct dbs_buf *b, const struct dbs_cpu_state *s);

#endif
