/* Exception entry stubs and the case entry/exit glue (x86-64, ring 0).
 * The CPU demands assembly here: the stubs must read DR6 before anything can
 * change it, and the case runs with a register state C cannot promise. */
#include "dbs_arch.h"
#include "dbs_runner.h"

    .text

/* Frame pushed for every vector: [vector][dr6][error] on top of the CPU's. */
.macro STUB name, vec, has_err
    .globl dbs_stub_\name
dbs_stub_\name:
    .if \has_err == 0
    pushq $0
    .endif
    .if \vec == 1
    /* Cannot fault under a case's DR7.GD: the CPU clears GD on entry to the
     * #DB handler, whatever the cause (SDM 18.2.4, APM 13.1.1.4). An emulator
     * that does not faults here: a #DB outside the case with BD (QEMU 9.1+,
     * docs/qemu-bugs.md). */
    pushq %rax
    movq %dr6, %rax             /* DR6 first: nothing below may change it */
    xchgq %rax, (%rsp)
    .else
    pushq $0
    .endif
    pushq $\vec
    jmp dbs_exc_common
.endm

    STUB 0, 0, 0
    STUB 1, 1, 0
    STUB 3, 3, 0
    STUB 4, 4, 0
    STUB 5, 5, 0
    STUB 6, 6, 0
    STUB 7, 7, 0
    STUB 10, 10, 1
    STUB 11, 11, 1
    STUB 12, 12, 1
    STUB 13, 13, 1
    STUB 14, 14, 1
    STUB 16, 16, 0
    STUB 17, 17, 1
    STUB 19, 19, 0
    STUB 128, 128, 0
    STUB timer, DBS_TIMER_VECTOR, 0
    STUB exit, DBS_EXIT_VECTOR, 0

/* SYSCALL entries (LSTAR from 64-bit code, CSTAR from compatibility mode):
 * CPL0, still on the caller's stack, RCX = return RIP, R11 = RFLAGS (SDM
 * vol. 2B SYSCALL). They hand dbs_on_exception a frame of the pseudo-vector
 * DBS_VEC_SYSCALL (the CS slot says which entry), then return with SYSRET,
 * which loads RFLAGS from R11 as dbs_on_exception left it in the GPR slot
 * (TF as saved, or set or cleared as the case asks): a TF set there traps at
 * SYSRET's end. */
.macro SYSCALL_ENTRY name, width, sysret
    .globl dbs_syscall_\name
dbs_syscall_\name:
    pushq $0                    /* ss */
    pushq $0                    /* rsp */
    pushq %r11                  /* rflags */
    pushq $\width               /* cs: which entry */
    pushq %rcx                  /* rip: where SYSRET returns */
    pushq $0                    /* error */
    pushq $0                    /* dr6 */
    pushq $DBS_VEC_SYSCALL
    PUSH_GPRS
    cld
    movq %rsp, %rdi
    movq %rsp, %rbx
    andq $-16, %rsp
    call dbs_on_exception
    movq %rbx, %rsp
    POP_GPRS
    addq $64, %rsp
    \sysret
.endm

.macro PUSH_GPRS
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
.endm

.macro POP_GPRS
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
.endm

dbs_exc_common:
    PUSH_GPRS
    cld
    movq %rsp, %rdi
    movq %rsp, %rbx
    andq $-16, %rsp
    call dbs_on_exception       /* returns 0: iretq; else a handler to chain to */
    movq %rbx, %rsp
    testq %rax, %rax
    jnz 1f
    POP_GPRS
    addq $24, %rsp
    iretq
1:  /* Not ours (a fault outside any case): hand the untouched frame to the
     * firmware's handler, which reports it. */
    movq %rax, dbs_chain_target(%rip)
    POP_GPRS
    addq dbs_chain_skip(%rip), %rsp
    jmp *dbs_chain_target(%rip)

    SYSCALL_ENTRY 64, 64, sysretq
    SYSCALL_ENTRY 32, 32, sysretl

/* void dbs_case_enter(struct dbs_ctx *ctx): runs the buffer, returns when the
 * case reaches its exit jump or is unwound there. */
    .globl dbs_case_enter
dbs_case_enter:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushfq
    cli
    movq %rsp, DBS_CTX_RSP(%rdi)
    movq DBS_CTX_ENTRY(%rdi), %r10
    movq DBS_CTX_CASE(%rdi), %r9
    movq DBS_CTX_MODE_CS(%rdi), %r8
    movq DBS_CTX_MODE_SS(%rdi), %rsi
    movq DBS_CTX_MODE_RSP(%rdi), %r12
    movq DBS_CTX_MODE_ENTRY(%rdi), %r13
    movq DBS_CTX_REGS(%rdi), %rbx
    movq DBS_CTX_REGS+8(%rdi), %rcx
    movq DBS_CTX_REGS+16(%rdi), %rdx
    movq DBS_CTX_DR7(%rdi), %rax
    movq %rax, %dr7             /* last debug-register write: may arm GD */
    movq $1, DBS_CTX_IN_CASE(%rdi)
    movq DBS_CTX_SCRATCH(%rdi), %rdi
    xorl %eax, %eax
    jmp *%r10

    .globl dbs_case_exit
dbs_case_exit:
    leaq dbs_ctx(%rip), %rax
    movq $0, DBS_CTX_IN_CASE(%rax)
    movq DBS_CTX_RSP(%rax), %rsp
    popfq                       /* the runner's flags: TF clear, IF as it was */
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    ret

/* int dbs_safe_rdmsr_asm(uint32_t msr, uint64_t *val): 0, or -1 after a #GP
 * (dbs_on_exception resumes a #GP at dbs_rdmsr_insn at dbs_rdmsr_fixup). */
    .globl dbs_safe_rdmsr_asm, dbs_rdmsr_insn, dbs_rdmsr_fixup
dbs_safe_rdmsr_asm:
    movl %edi, %ecx
dbs_rdmsr_insn:
    rdmsr
    shlq $32, %rdx
    movl %eax, %eax
    orq %rdx, %rax
    movq %rax, (%rsi)
    xorl %eax, %eax
    ret
dbs_rdmsr_fixup:
    movl $-1, %eax
    ret

    .data
    .globl dbs_stub_table
    .balign 8
dbs_stub_table:
    .quad 0, dbs_stub_0
    .quad 1, dbs_stub_1
    .quad 3, dbs_stub_3
    .quad 4, dbs_stub_4
    .quad 5, dbs_stub_5
    .quad 6, dbs_stub_6
    .quad 7, dbs_stub_7
    .quad 10, dbs_stub_10
    .quad 11, dbs_stub_11
    .quad 12, dbs_stub_12
    .quad 13, dbs_stub_13
    .quad 14, dbs_stub_14
    .quad 16, dbs_stub_16
    .quad 17, dbs_stub_17
    .quad 19, dbs_stub_19
    .quad 128, dbs_stub_128
    .quad DBS_TIMER_VECTOR, dbs_stub_timer
    .quad DBS_EXIT_VECTOR, dbs_stub_exit
    .quad -1, 0
dbs_chain_target:
    .quad 0
    .globl dbs_chain_skip
dbs_chain_skip:
    .quad 0

    .section .note.GNU-stack,"",@progbits
