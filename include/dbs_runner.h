/* The ring-0 runner: owns the IDT while a case runs, arms DR0-3/DR6/DR7,
 * enters the case and records every exception it raises. x86-64 ring 0 only
 * (EFI build); everything it records is judged by host-testable code. */
#ifndef DBS_RUNNER_H
#define DBS_RUNNER_H

/* Layout of struct dbs_ctx shared with runner_asm.S. */
#define DBS_CTX_RSP 0
#define DBS_CTX_ENTRY 8
#define DBS_CTX_CASE 16
#define DBS_CTX_REGS 24 /* rbx, rcx, rdx */
#define DBS_CTX_SCRATCH 48
#define DBS_CTX_DR7 56
#define DBS_CTX_IN_CASE 64
#define DBS_CTX_MODE_CS 72   /* the case's mode: CS and SS selectors, */
#define DBS_CTX_MODE_SS 80
#define DBS_CTX_MODE_RSP 88  /* its stack, */
#define DBS_CTX_MODE_ENTRY 96 /* where the IRETQ into it lands */

#define DBS_TIMER_VECTOR 0xee /* wakes HLT in cases that need it */
#define DBS_EXIT_VECTOR 0xef  /* int 0xef (a DPL3 gate) ends a case in any mode */

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>
#include "dbs_case.h"
#include "dbs_event.h"

struct dbs_ctx {
    uint64_t rsp;        /* runner stack at entry, for the exit and unwinding */
    uint64_t entry;      /* buffer start: the prologue */
    uint64_t case_start; /* the case's first byte */
    uint64_t regs[3];
    uint64_t scratch;
    uint64_t dr7;        /* written last before entering: may hold GD */
    uint64_t in_case;    /* 1 from entry until the exit stub runs */
    uint64_t mode_cs, mode_ss, mode_rsp, mode_entry;
};

/* Prepare on the CPU that runs the cases next (ap: an application
 * processor, no firmware call is made): code is an executable buffer of
 * code_size bytes. Saves this CPU's firmware debug registers and IDT. The
 * runner's state is one for all CPUs: one CPU at a time runs cases, each
 * after its own init. Returns 0 or a negative error. */
int dbs_runner_init(void *code, size_t code_size, int ap);
/* nreps repetitions of a case, with interrupts off and the own IDT loaded
 * only for their duration; a repetition is unwound after cap events. */
void dbs_runner_run(const struct dbs_case *c, struct dbs_rep *reps, unsigned nreps, unsigned cap);
/* Restore the firmware's DR0-3, DR6, DR7. */
void dbs_runner_fini(void);
/* RDMSR that returns -1 instead of faulting on a missing MSR. */
int dbs_safe_rdmsr(uint32_t msr, uint64_t *val);
/* Scratch data area cases address through rdi. */
uint64_t dbs_runner_scratch(void);

/* The environment of cases that do not run at CPL0 in 64-bit code (env.c):
 * dbsweep's GDT (the firmware's descriptors, then CPL0/CPL3, 64/32-bit
 * code and data), a TSS for the stack switch from CPL3, page tables that
 * let CPL3 reach everything below 4 GiB, the SYSCALL MSRs. Loaded with
 * interrupts off around a case's repetitions and given back exactly. */
struct dbs_env_sel {
    uint16_t kcode64, kdata, ucode32, udata, ucode64, kcode32;
    uint16_t uss; /* a copy of udata that only the cases' SS loads use (scratch+8) */
};
/* 0 when the environment can be built here, else why not. */
const char *dbs_env_init(uint64_t syscall64, uint64_t syscall32, const void *const *low,
                         unsigned nlow);
const struct dbs_env_sel *dbs_env_selectors(void);
uint64_t dbs_env_user_stack(void);
/* The top of the stack events from CPL3 switch to (TSS.RSP0), 16-aligned. */
uint64_t dbs_env_kernel_stack(void);
/* The linear address of uss's descriptor (DBS_BP_SSDESC). */
uint64_t dbs_env_uss_desc(void);
void dbs_env_enter(int fmask_tf);
void dbs_env_leave(void);

/* Local APIC timer, periodic while a case that HLTs runs (apic_timer.c). */
int dbs_timer_available(void);
/* 1 when IA32_APIC_BASE says xAPIC mode, enabled, MMIO page at base. */
int dbs_xapic_at(uint64_t base);
void dbs_timer_arm(uint8_t vector);
void dbs_timer_mask(void);
void dbs_timer_disarm(void); /* back to the firmware's settings */
void dbs_timer_hold(void);    /* the firmware's timer masked while a case runs */
void dbs_timer_release(void);
void dbs_timer_eoi(void);
#endif

#endif
