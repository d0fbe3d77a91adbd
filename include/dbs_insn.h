/* The instruction vocabulary cases are composed from: bytes plus a kind tag
 * that says what the instruction does to #DB delivery and control flow. */
#ifndef DBS_INSN_H
#define DBS_INSN_H

#include <stdint.h>

enum dbs_kind {
    DBS_K_PLAIN,  /* no effect on #DB delivery or control flow */
    DBS_K_POPF,   /* loads RFLAGS: may set or clear TF */
    DBS_K_MOVSS,  /* MOV SS: blocks #DB until after the next instruction */
    DBS_K_STI,    /* STI: blocks interrupts (not #DB) for one instruction */
    DBS_K_HLT,    /* waits for an interrupt */
    DBS_K_ICEBP,  /* INT1: trap-like #DB with no DR6 condition bit */
    DBS_K_SWINT,  /* INT3, INT n: software interrupt to vector `imm`, clears TF on delivery */
    DBS_K_MOVDR,  /* MOV to/from DRn: general-detect fault when DR7.GD=1 */
    DBS_K_IO,     /* IN/OUT: emulated by hypervisors */
    DBS_K_CPUID,  /* CPUID: always intercepted under VMX */
    DBS_K_MSR,    /* RDMSR: intercepted or not, per MSR bitmap */
    DBS_K_TSC,    /* RDTSC/RDTSCP: intercepted when TSC exiting is on */
    DBS_K_STORE,  /* writes the scratch area: data breakpoints */
    DBS_K_BRANCH, /* taken jump: next RIP = end + rel */
    DBS_K_CALL,   /* near call: pushes, next RIP = end + rel */
    DBS_K_RET,    /* near return */
    DBS_K_LOOP,   /* LOOP: taken (to end + rel) while RCX != 0 after decrement */
    DBS_K_REP,    /* REP string instruction: RCX iterations, each a trap point */
    DBS_K_UD,     /* raises #UD */
    DBS_K_GP,     /* raises #GP (e.g. longer than 15 bytes) */
    DBS_K_CRASH,  /* resets the machine on purpose (self-test of crash recovery) */
    DBS_K_SYSCALL, /* SYSCALL: to LSTAR (64-bit) or CSTAR (compatibility mode) */
    DBS_K_INTO,   /* INTO: #OF (vector 4) when OF=1; compatibility mode only */
    DBS_K_HANG,   /* never ends on purpose (self-test of the per-core timeout) */
    DBS_K_COUNT
};

/* Registers the model follows: enough to know the RFLAGS images POPF loads,
 * loop counts and the values MOV DR moves. TOS is the top of the stack. */
enum dbs_reg { DBS_R_NONE, DBS_R_RAX, DBS_R_RBX, DBS_R_RCX, DBS_R_RDX, DBS_R_FLAGS, DBS_R_TOS,
               DBS_R_COUNT };
#define DBS_REG_BIT(r) (1u << (r))

/* What an instruction does to the state the model follows. */
enum dbs_op {
    DBS_OP_NONE,
    DBS_OP_SET,      /* dst = imm */
    DBS_OP_CLR_TF,   /* dst &= ~TF */
    DBS_OP_PUSH,     /* push src (FLAGS: the RFLAGS image, RF clear) */
    DBS_OP_POP,      /* dst = pop (FLAGS: POPF) */
    DBS_OP_DR_READ,  /* dst = DR[imm] */
    DBS_OP_DR_WRITE, /* DR[imm] = src */
    DBS_OP_SET_OF,   /* RFLAGS.OF = imm (an ADD whose result the model knows) */
};

/* Where an instruction's bytes mean what the row says (enum dbs_insn.only):
 * a REX prefix is DEC in 32-bit code; POP SS and INTO are not valid in
 * 64-bit mode (SDM vol. 2A 2.2.1; POP, INTO). */
enum dbs_width { DBS_ANY_WIDTH, DBS_ONLY64, DBS_ONLY32 };

/* Where a breakpoint or an access lies: code (an offset in the case), the
 * scratch data area (rdi + offset), an I/O port, a byte of the local APIC's
 * MMIO page (offset from DBS_APIC_BASE_DEFAULT, where the runner checks the
 * APIC is), or memory the CPU touches itself when it delivers an event:
 * the RSP0 stack an event from CPL3 switches to (offset from
 * DBS_KSTACK_SPAN bytes below its 16-byte-aligned top) and dbsweep's IDT
 * (offset = 16 x vector + byte); or the GDT descriptor an SS load reads in
 * CPL3 modes (a byte of the 8), where the selector at scratch+8 names a
 * descriptor of its own (BS3Kit's BS3_SEL_SPARE_00 trick): only the case's
 * MOV SS / POP SS reads it, no IRET or event delivery does. */
enum dbs_bp_space { DBS_BP_CODE, DBS_BP_DATA, DBS_BP_IO, DBS_BP_APIC, DBS_BP_KSTACK, DBS_BP_IDT,
                    DBS_BP_SSDESC };
#define DBS_KSTACK_SPAN 64
/* The 64-bit frame an event from CPL3 pushes there: RIP, CS, RFLAGS, RSP,
 * SS, 8 bytes each, up to the top (SDM vol. 3A 6.14.2, figure 6-9). */
#define DBS_KSTACK_FRAME (DBS_KSTACK_SPAN - 40)
#define DBS_IDT_BYTES 4096

/* A data or I/O access the model follows, for data and I/O breakpoints: in
 * `space` at `off`, plus the value of register `base` (rbx in [rdi+rbx], dx
 * for a port in DX) as the case sets it before the instruction. A REP string
 * instruction makes its memory accesses once per iteration, `len` bytes
 * further each time; its port access stays on the same port. WB: a read
 * whose value is written back unchanged (CMPXCHG whose compare fails). */
enum dbs_acc { DBS_ACC_NONE, DBS_ACC_R = 1, DBS_ACC_W = 2, DBS_ACC_RW = 3, DBS_ACC_WB = 4,
               DBS_ACC_RWB = 5 };
struct dbs_mem {
    uint8_t acc, space, base, len;
    uint16_t off;
};

/* Registers on entry to every case (set by the harness, see harness.c):
 * rax = the RFLAGS image the TF arming loaded, rsi = SS selector,
 * rdi = scratch data area (scratch[8..9] = the selector SS loads take: the
 * mode's SS, in CPL3 modes a copy of it, env.c's uss),
 * rbx/rcx/rdx = the case's regs[]. */
enum dbs_insn_id {
    DBS_I_NOP,          /* nop */
    DBS_I_CLR_TF,       /* and rax, ~TF */
    DBS_I_PUSH_RAX,     /* push rax */
    DBS_I_POPF,         /* popfq */
    DBS_I_MOVSS_SI,     /* mov ss, esi */
    DBS_I_MOVSS_MEM,    /* mov ss, [rdi+8] */
    DBS_I_MOVDR6_RCX,   /* mov dr6, rcx */
    DBS_I_MOV_RAX_DR0,  /* mov rax, dr0 */
    DBS_I_MOV_DR3_RBX,  /* mov dr3, rbx */
    DBS_I_STI,          /* sti */
    DBS_I_HLT,          /* hlt */
    DBS_I_ICEBP,        /* int1 (0xf1) */
    DBS_I_INT3,         /* int3 */
    DBS_I_INT_1,        /* int 1 (cd 01): a software interrupt to the #DB vector */
    DBS_I_INT_3,        /* int 3 (cd 03): the two-byte form of int3 */
    DBS_I_UD2,          /* ud2 */
    DBS_I_XOR_RAX,      /* xor rax, rax */
    DBS_I_XOR_EAX,      /* xor eax, eax */
    DBS_I_XOR_ECX,      /* xor ecx, ecx */
    DBS_I_CPUID,        /* cpuid */
    DBS_I_MOV_EDX_COM1_LSR, /* mov edx, 0x3fd */
    DBS_I_IN_AL_DX,     /* in al, dx */
    DBS_I_IN_AL_80,     /* in al, 0x80 */
    DBS_I_OUT_80_AL,    /* out 0x80, al */
    DBS_I_MOV_ECX_10,   /* mov ecx, 0x10 (IA32_TIME_STAMP_COUNTER) */
    DBS_I_RDMSR,        /* rdmsr */
    DBS_I_RDTSC,        /* rdtsc */
    DBS_I_RDTSCP,       /* rdtscp */
    DBS_I_XGETBV,       /* xgetbv */
    DBS_I_LFENCE,       /* lfence */
    DBS_I_PAUSE,        /* pause */
    DBS_I_MOV_RAX_42,   /* mov rax, 42 */
    DBS_I_STORE_RAX,    /* mov [rdi], rax */
    DBS_I_MOV_EBX_ECX,  /* mov ebx, ecx */
    DBS_I_ADD_RBX_1,    /* add rbx, 1 */
    DBS_I_ADD_MEM_EBX,  /* add [rdi], ebx (lockable) */
    DBS_I_PUSH_RBX,     /* push rbx */
    DBS_I_POP_RBX,      /* pop rbx */
    DBS_I_PUSHF,        /* pushfq */
    DBS_I_AND_RSP_TF,   /* and qword [rsp], ~TF */
    DBS_I_JMP_1,        /* jmp $+3 (skips one byte) */
    DBS_I_STC,          /* stc */
    DBS_I_CLC,          /* clc */
    DBS_I_JC_TAKEN,     /* jc $+3 after stc */
    DBS_I_JC_NOT_TAKEN, /* jc $+3 after clc */
    DBS_I_CALL_2,       /* call $+7 (skips two bytes) */
    DBS_I_RET,          /* ret */
    DBS_I_MOV_ECX_3,    /* mov ecx, 3 */
    DBS_I_LOOP_SELF,    /* loop $ */
    DBS_I_LEA_RSI_RDI32, /* lea rsi, [rdi+32] */
    DBS_I_REP_MOVSB,    /* rep movsb */
    DBS_I_LIDT_ZERO,    /* lidt [rdi+16]: an empty IDT, so the next fault triple-faults */
    DBS_I_MOV_RAX_DR4,  /* mov rax, dr4: DR6 when CR4.DE=0, #UD when CR4.DE=1 */
    DBS_I_MOV_DR4_RDX,  /* mov dr4, rdx */
    DBS_I_MOVDR6_RDX,   /* mov dr6, rdx */
    DBS_I_MOVDR6_RAX,   /* mov dr6, rax */
    DBS_I_LOCK_CMPXCHG_SPLIT, /* lock cmpxchg [rdi+60], rbx: crosses a cache line */
    /* 32-bit forms of the rows above that carry a REX prefix (their twin32) */
    DBS_I_CLR_TF32,     /* and eax, ~TF */
    DBS_I_MOV_EAX_42,   /* mov eax, 42 */
    DBS_I_STORE_EAX,    /* mov [edi], eax */
    DBS_I_ADD_EBX_1,    /* add ebx, 1 */
    DBS_I_AND_ESP_TF,   /* and dword [esp], ~TF */
    DBS_I_LEA_ESI_EDI32, /* lea esi, [edi+32] */
    /* system calls and software interrupts across privilege levels */
    DBS_I_SYSCALL,      /* syscall */
    DBS_I_INT_80,       /* int 0x80 (a DPL3 gate) */
    DBS_I_MOV_AL_7F,    /* mov al, 0x7f */
    DBS_I_ADD_AL_1,     /* add al, 1: 0x7f + 1 overflows, OF=1 */
    DBS_I_INTO,         /* into */
    DBS_I_PUSH_SS,      /* push ss */
    DBS_I_POP_SS,       /* pop ss: like MOV SS, holds #DB back one instruction */
    /* data and I/O accesses: [rdi+rbx] with rbx = the offset the case sets */
    DBS_I_STORE1,       /* mov [rdi+rbx], al */
    DBS_I_STORE2,       /* mov [rdi+rbx], ax */
    DBS_I_STORE4,       /* mov [rdi+rbx], eax */
    DBS_I_STORE8,       /* mov [rdi+rbx], rax */
    DBS_I_LOAD1,        /* mov al, [rdi+rbx] */
    DBS_I_LOAD2,        /* mov ax, [rdi+rbx] */
    DBS_I_LOAD4,        /* mov eax, [rdi+rbx] */
    DBS_I_LOAD8,        /* mov rax, [rdi+rbx] */
    DBS_I_ADD_MEM4,     /* add [rdi+rbx], ecx (lockable) */
    DBS_I_XCHG_MEM4,    /* xchg [rdi+rbx], ecx (locked by itself) */
    DBS_I_CMPXCHG_EQ,   /* cmpxchg [rdi+rbx], ecx with eax = 0 = the scratch: exchanges */
    DBS_I_CMPXCHG_NE,   /* the same bytes with eax != 0: the compare fails */
    DBS_I_MOVSB,        /* movsb: [rsi] = rdi+32 to [rdi]; F3 makes it REP */
    DBS_I_MOVSW,        /* movsw */
    DBS_I_MOVSD,        /* movsd */
    DBS_I_MOVSQ,        /* movsq */
    DBS_I_STOSB,        /* stosb: al to [rdi] */
    DBS_I_STOSW,        /* stosw */
    DBS_I_STOSD,        /* stosd */
    DBS_I_STOSQ,        /* stosq */
    DBS_I_LODSB,        /* lodsb: [rsi] = rdi+32 to al */
    DBS_I_LODSW,        /* lodsw */
    DBS_I_LODSD,        /* lodsd */
    DBS_I_LODSQ,        /* lodsq */
    DBS_I_MOV_EDX_80,   /* mov edx, 0x80 (the POST code port: harmless to read and write) */
    DBS_I_MOV_ECX_8,    /* mov ecx, 8 */
    DBS_I_IN_AX_80,     /* in ax, 0x80 */
    DBS_I_IN_EAX_80,    /* in eax, 0x80 */
    DBS_I_IN_AX_DX,     /* in ax, dx */
    DBS_I_IN_EAX_DX,    /* in eax, dx */
    DBS_I_OUT_DX_AL,    /* out dx, al */
    DBS_I_INSB,         /* insb: port dx to [rdi] */
    DBS_I_INSW,         /* insw */
    DBS_I_INSD,         /* insd */
    DBS_I_OUTSB,        /* outsb: [rsi] = rdi+32 to port dx (bytes only: 0x81-0x83 are DMA pages) */
    DBS_I_LOAD_APIC_VER, /* mov eax, [0xfee00030]: the local APIC's version register */
    DBS_I_LOAD_APIC_ID, /* mov eax, [0xfee00020]: its ID register */
    /* POP SS of the selector at scratch+8, as BS3Kit pops one it placed */
    DBS_I_LEA_ESP_EDI8, /* lea esp, [edi+8]: 32-bit code only (nothing may push after it) */
    DBS_I_POP_SS_SCRATCH, /* pop ss, with esp = edi+8 (the row above) */
    /* POPF loading TF, at both operand sizes (BS3Kit's popf test) */
    DBS_I_MOV_EAX_TF,   /* mov eax, 0x102: an RFLAGS image with TF (and bit 1) only */
    DBS_I_PUSH_AX,      /* push ax */
    DBS_I_PUSH_BX,      /* push bx */
    DBS_I_POPF16,       /* popfw: 66 9d, loads FLAGS' low 16 bits */
    DBS_I_JMP_SELF,     /* jmp $: never ends (self-test of the per-core timeout) */
    DBS_I_COUNT
};

#define DBS_INSN_MAX 15 /* architectural instruction length limit (SDM vol. 2A 2.3.11) */

struct dbs_insn {
    const char *text; /* Intel syntax, for listings */
    uint8_t kind;     /* enum dbs_kind */
    uint8_t len;
    uint8_t bytes[DBS_INSN_MAX];
    int8_t rel;       /* BRANCH/CALL/LOOP: target relative to the instruction's end */
    uint8_t lockable; /* LOCK is allowed (memory destination, SDM vol. 2A LOCK) */
    uint8_t string;   /* a string instruction: F3 repeats it (SDM vol. 2B REP) */
    /* effects the model follows */
    uint8_t op, dst, src; /* enum dbs_op, enum dbs_reg */
    uint8_t clobber;      /* DBS_REG_BIT()s whose value becomes unknown */
    uint32_t imm;         /* SET: the value; DR_*: the DR number; SWINT: the vector */
    struct dbs_mem mem[2];
    uint8_t only;         /* enum dbs_width */
    uint8_t twin32;       /* the same effect in 32-bit code (an id), for ONLY64 rows */
    uint8_t priv;         /* CPL0 only: #GP(0) at CPL3 (SDM vol. 3A 5.9) */
};

extern const struct dbs_insn dbs_insns[DBS_I_COUNT];
extern const char *const dbs_kind_names[DBS_K_COUNT];

#endif
