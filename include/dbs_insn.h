/* The instruction vocabulary cases are composed from: bytes plus a kind tag
 * that says what the instruction does to #DB delivery. */
#ifndef DBS_INSN_H
#define DBS_INSN_H

#include <stdint.h>

enum dbs_kind {
    DBS_K_PLAIN,  /* no effect on #DB delivery (NOP, ALU, MOV reg, PUSH) */
    DBS_K_POPF,   /* loads RFLAGS: may set or clear TF */
    DBS_K_MOVSS,  /* MOV SS: blocks #DB until after the next instruction */
    DBS_K_STI,    /* STI: blocks interrupts (not #DB) for one instruction */
    DBS_K_HLT,    /* waits for an interrupt */
    DBS_K_ICEBP,  /* INT1: trap-like #DB with no DR6 condition bit */
    DBS_K_INT3,   /* #BP, clears TF on delivery */
    DBS_K_MOVDR,  /* MOV to/from DRn: general-detect fault when DR7.GD=1 */
    DBS_K_IO,     /* IN/OUT: emulated by hypervisors */
    DBS_K_CPUID,  /* CPUID: always intercepted under VMX */
    DBS_K_STORE,  /* writes the scratch area: data breakpoints */
    DBS_K_COUNT
};

/* Registers on entry to every case (set by the harness, see harness.c):
 * rax = the RFLAGS image the TF arming loaded, rsi = SS selector,
 * rdi = scratch data area, rbx/rcx/rdx = the case's regs[]. */
enum dbs_insn_id {
    DBS_I_NOP,        /* nop */
    DBS_I_CLR_TF,     /* and rax, ~TF */
    DBS_I_PUSH_RAX,   /* push rax */
    DBS_I_POPF,       /* popfq */
    DBS_I_MOVSS_SI,   /* mov ss, esi */
    DBS_I_MOVDR6_RCX, /* mov dr6, rcx */
    DBS_I_STI,        /* sti */
    DBS_I_HLT,        /* hlt */
    DBS_I_ICEBP,      /* int1 (0xf1) */
    DBS_I_INT3,       /* int3 */
    DBS_I_XOR_RAX,    /* xor rax, rax */
    DBS_I_CPUID,      /* cpuid */
    DBS_I_MOV_EDX_COM1_LSR, /* mov edx, 0x3fd */
    DBS_I_IN_AL_DX,   /* in al, dx */
    DBS_I_MOV_RAX_42, /* mov rax, 42 */
    DBS_I_STORE_RAX,  /* mov [rdi], rax */
    DBS_I_COUNT
};

#define DBS_INSN_MAX 15 /* architectural instruction length limit */

struct dbs_insn {
    const char *text;   /* Intel syntax, for listings */
    uint8_t kind;       /* enum dbs_kind */
    uint8_t len;
    uint8_t bytes[DBS_INSN_MAX];
};

extern const struct dbs_insn dbs_insns[DBS_I_COUNT];
extern const char *const dbs_kind_names[DBS_K_COUNT];

#endif
