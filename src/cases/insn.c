/* The instruction vocabulary: one row per building block, with the effects
 * the model follows (registers, stack, scratch accesses). Encodings are
 * checked against objdump by tests/unit/test_cases.c. */
#include "dbs_insn.h"

#define RAX DBS_R_RAX
#define RBX DBS_R_RBX
#define RCX DBS_R_RCX
#define RDX DBS_R_RDX
#define FLAGS DBS_R_FLAGS
#define TOS DBS_R_TOS
#define CLOBBER(...) .clobber = (uint8_t)(__VA_ARGS__)
#define R(r) DBS_REG_BIT(r)
#define SET(r, v) .op = DBS_OP_SET, .dst = (r), .imm = (v)
#define CLR_TF(r) .op = DBS_OP_CLR_TF, .dst = (r)
#define PUSH(r) .op = DBS_OP_PUSH, .src = (r)
#define POP(r) .op = DBS_OP_POP, .dst = (r)
#define DR_READ(r, n) .op = DBS_OP_DR_READ, .dst = (r), .imm = (n)
#define DR_WRITE(n, r) .op = DBS_OP_DR_WRITE, .src = (r), .imm = (n)
#define MEM(a, o, l) {.acc = DBS_ACC_##a, .space = DBS_BP_DATA, .off = (o), .len = (l)}
/* [rdi+rbx]: the scratch byte the case's rbx names */
#define MEM_RBX(a, l) {.acc = DBS_ACC_##a, .space = DBS_BP_DATA, .base = DBS_R_RBX, .len = (l)}
#define PORT(a, p, l) {.acc = DBS_ACC_##a, .space = DBS_BP_IO, .off = (p), .len = (l)}
#define PORT_DX(a, l) {.acc = DBS_ACC_##a, .space = DBS_BP_IO, .base = DBS_R_RDX, .len = (l)}
#define APIC(a, o, l) {.acc = DBS_ACC_##a, .space = DBS_BP_APIC, .off = (o), .len = (l)}
/* the descriptor an SS load reads (in CPL3 modes the one scratch+8 names) */
#define SS_DESC {.acc = DBS_ACC_R, .space = DBS_BP_SSDESC, .len = 8}
/* the address of a local APIC register in a moffs64 operand */
#define APIC_MOFFS(o) (o), 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00
#define B(...) .len = sizeof((uint8_t[]){__VA_ARGS__}), .bytes = {__VA_ARGS__}
#define I(id, txt, k, ...) [id] = {.text = txt, .kind = k, __VA_ARGS__}
/* a REX.W row and the id of its 32-bit form */
#define REX(twin) .only = DBS_ONLY64, .twin32 = (twin)
#define PRIV .priv = 1

const struct dbs_insn dbs_insns[DBS_I_COUNT] = {
    I(DBS_I_NOP, "nop", DBS_K_PLAIN, B(0x90)),
    I(DBS_I_CLR_TF, "and rax,~0x100", DBS_K_PLAIN, B(0x48, 0x25, 0xff, 0xfe, 0xff, 0xff),
      CLR_TF(RAX), REX(DBS_I_CLR_TF32)),
    I(DBS_I_PUSH_RAX, "push rax", DBS_K_PLAIN, B(0x50), PUSH(RAX)),
    I(DBS_I_POPF, "popfq", DBS_K_POPF, B(0x9d), POP(FLAGS)),
    I(DBS_I_MOVSS_SI, "mov ss,esi", DBS_K_MOVSS, B(0x8e, 0xd6)),
    I(DBS_I_MOVSS_MEM, "mov ss,[rdi+8]", DBS_K_MOVSS, B(0x8e, 0x57, 0x08),
      .mem = {MEM(R, 8, 2), SS_DESC}),
    /* MOV DR takes 64-bit registers in 64-bit mode, 32-bit ones otherwise,
     * with the same bytes (SDM vol. 2B MOV—Move to/from Debug Registers) */
    I(DBS_I_MOVDR6_RCX, "mov dr6,rcx", DBS_K_MOVDR, B(0x0f, 0x23, 0xf1), DR_WRITE(6, RCX), PRIV),
    I(DBS_I_MOV_RAX_DR0, "mov rax,dr0", DBS_K_MOVDR, B(0x0f, 0x21, 0xc0), DR_READ(RAX, 0), PRIV),
    I(DBS_I_MOV_DR3_RBX, "mov dr3,rbx", DBS_K_MOVDR, B(0x0f, 0x23, 0xdb), DR_WRITE(3, RBX), PRIV),
    I(DBS_I_STI, "sti", DBS_K_STI, B(0xfb)),
    I(DBS_I_HLT, "hlt", DBS_K_HLT, B(0xf4), PRIV),
    I(DBS_I_ICEBP, "int1", DBS_K_ICEBP, B(0xf1)),
    I(DBS_I_INT3, "int3", DBS_K_SWINT, B(0xcc), .imm = 3),
    I(DBS_I_INT_1, "int 0x1", DBS_K_SWINT, B(0xcd, 0x01), .imm = 1),
    I(DBS_I_INT_3, "int 0x3", DBS_K_SWINT, B(0xcd, 0x03), .imm = 3),
    I(DBS_I_UD2, "ud2", DBS_K_UD, B(0x0f, 0x0b)),
    I(DBS_I_XOR_RAX, "xor rax,rax", DBS_K_PLAIN, B(0x48, 0x31, 0xc0), SET(RAX, 0),
      REX(DBS_I_XOR_EAX)),
    I(DBS_I_XOR_EAX, "xor eax,eax", DBS_K_PLAIN, B(0x31, 0xc0), SET(RAX, 0)),
    I(DBS_I_XOR_ECX, "xor ecx,ecx", DBS_K_PLAIN, B(0x31, 0xc9), SET(RCX, 0)),
    I(DBS_I_CPUID, "cpuid", DBS_K_CPUID, B(0x0f, 0xa2), CLOBBER(R(RAX) | R(RBX) | R(RCX) | R(RDX))),
    I(DBS_I_MOV_EDX_COM1_LSR, "mov edx,0x3fd", DBS_K_PLAIN, B(0xba, 0xfd, 0x03, 0x00, 0x00),
      SET(RDX, 0x3fd)),
    I(DBS_I_IN_AL_DX, "in al,dx", DBS_K_IO, B(0xec), CLOBBER(R(RAX)), .mem = {PORT_DX(R, 1)}),
    I(DBS_I_IN_AL_80, "in al,0x80", DBS_K_IO, B(0xe4, 0x80), CLOBBER(R(RAX)),
      .mem = {PORT(R, 0x80, 1)}),
    I(DBS_I_OUT_80_AL, "out 0x80,al", DBS_K_IO, B(0xe6, 0x80), .mem = {PORT(W, 0x80, 1)}),
    I(DBS_I_MOV_ECX_10, "mov ecx,0x10", DBS_K_PLAIN, B(0xb9, 0x10, 0x00, 0x00, 0x00), SET(RCX, 0x10)),
    I(DBS_I_RDMSR, "rdmsr", DBS_K_MSR, B(0x0f, 0x32), CLOBBER(R(RAX) | R(RDX)), PRIV),
    I(DBS_I_RDTSC, "rdtsc", DBS_K_TSC, B(0x0f, 0x31), CLOBBER(R(RAX) | R(RDX))),
    I(DBS_I_RDTSCP, "rdtscp", DBS_K_TSC, B(0x0f, 0x01, 0xf9), CLOBBER(R(RAX) | R(RCX) | R(RDX))),
    I(DBS_I_XGETBV, "xgetbv", DBS_K_PLAIN, B(0x0f, 0x01, 0xd0), CLOBBER(R(RAX) | R(RDX))),
    I(DBS_I_LFENCE, "lfence", DBS_K_PLAIN, B(0x0f, 0xae, 0xe8)),
    I(DBS_I_PAUSE, "pause", DBS_K_PLAIN, B(0xf3, 0x90)),
    I(DBS_I_MOV_RAX_42, "mov rax,0x2a", DBS_K_PLAIN, B(0x48, 0xc7, 0xc0, 0x2a, 0x00, 0x00, 0x00),
      SET(RAX, 42), REX(DBS_I_MOV_EAX_42)),
    I(DBS_I_STORE_RAX, "mov [rdi],rax", DBS_K_STORE, B(0x48, 0x89, 0x07), .mem = {MEM(W, 0, 8)},
      REX(DBS_I_STORE_EAX)),
    I(DBS_I_MOV_EBX_ECX, "mov ebx,ecx", DBS_K_PLAIN, B(0x89, 0xcb), CLOBBER(R(RBX))),
    I(DBS_I_ADD_RBX_1, "add rbx,1", DBS_K_PLAIN, B(0x48, 0x83, 0xc3, 0x01), CLOBBER(R(RBX)),
      REX(DBS_I_ADD_EBX_1)),
    I(DBS_I_ADD_MEM_EBX, "add [rdi],ebx", DBS_K_STORE, B(0x01, 0x1f), .lockable = 1,
      .mem = {MEM(RW, 0, 4)}),
    I(DBS_I_PUSH_RBX, "push rbx", DBS_K_PLAIN, B(0x53), PUSH(RBX)),
    I(DBS_I_POP_RBX, "pop rbx", DBS_K_PLAIN, B(0x5b), POP(RBX)),
    I(DBS_I_PUSHF, "pushfq", DBS_K_PLAIN, B(0x9c), PUSH(FLAGS)),
    I(DBS_I_AND_RSP_TF, "and qword [rsp],~0x100", DBS_K_PLAIN,
      B(0x48, 0x81, 0x24, 0x24, 0xff, 0xfe, 0xff, 0xff), CLR_TF(TOS), REX(DBS_I_AND_ESP_TF)),
    I(DBS_I_JMP_1, "jmp $+3", DBS_K_BRANCH, B(0xeb, 0x01), .rel = 1),
    I(DBS_I_STC, "stc", DBS_K_PLAIN, B(0xf9)),
    I(DBS_I_CLC, "clc", DBS_K_PLAIN, B(0xf8)),
    I(DBS_I_JC_TAKEN, "jc $+3", DBS_K_BRANCH, B(0x72, 0x01), .rel = 1),
    I(DBS_I_JC_NOT_TAKEN, "jc $+3", DBS_K_PLAIN, B(0x72, 0x01)),
    I(DBS_I_CALL_2, "call $+7", DBS_K_CALL, B(0xe8, 0x02, 0x00, 0x00, 0x00), .rel = 2),
    I(DBS_I_RET, "ret", DBS_K_RET, B(0xc3)),
    I(DBS_I_MOV_ECX_3, "mov ecx,3", DBS_K_PLAIN, B(0xb9, 0x03, 0x00, 0x00, 0x00), SET(RCX, 3)),
    I(DBS_I_LOOP_SELF, "loop $", DBS_K_LOOP, B(0xe2, 0xfe), .rel = -2),
    I(DBS_I_LEA_RSI_RDI32, "lea rsi,[rdi+32]", DBS_K_PLAIN, B(0x48, 0x8d, 0x77, 0x20),
      REX(DBS_I_LEA_ESI_EDI32)),
    /* one byte per iteration from [rsi] = rdi+32 to [rdi] */
    I(DBS_I_REP_MOVSB, "rep movsb", DBS_K_REP, B(0xf3, 0xa4), .mem = {MEM(R, 32, 1), MEM(W, 0, 1)}),
    I(DBS_I_LIDT_ZERO, "lidt [rdi+16]", DBS_K_CRASH, B(0x0f, 0x01, 0x5f, 0x10), PRIV),
    I(DBS_I_MOV_RAX_DR4, "mov rax,dr4", DBS_K_MOVDR, B(0x0f, 0x21, 0xe0), DR_READ(RAX, 4), PRIV),
    I(DBS_I_MOV_DR4_RDX, "mov dr4,rdx", DBS_K_MOVDR, B(0x0f, 0x23, 0xe2), DR_WRITE(4, RDX), PRIV),
    I(DBS_I_MOVDR6_RDX, "mov dr6,rdx", DBS_K_MOVDR, B(0x0f, 0x23, 0xf2), DR_WRITE(6, RDX), PRIV),
    I(DBS_I_MOVDR6_RAX, "mov dr6,rax", DBS_K_MOVDR, B(0x0f, 0x23, 0xf0), DR_WRITE(6, RAX), PRIV),
    /* rax = 0 (set before) equals the zeroed scratch: the exchange happens */
    I(DBS_I_LOCK_CMPXCHG_SPLIT, "lock cmpxchg [rdi+0x3c],rbx", DBS_K_STORE,
      B(0xf0, 0x48, 0x0f, 0xb1, 0x5f, 0x3c), .mem = {MEM(RW, 60, 8)}, CLOBBER(R(RAX)),
      .only = DBS_ONLY64),
    I(DBS_I_CLR_TF32, "and eax,0xfffffeff", DBS_K_PLAIN, B(0x25, 0xff, 0xfe, 0xff, 0xff),
      CLR_TF(RAX), .only = DBS_ONLY32),
    I(DBS_I_MOV_EAX_42, "mov eax,0x2a", DBS_K_PLAIN, B(0xb8, 0x2a, 0x00, 0x00, 0x00), SET(RAX, 42)),
    I(DBS_I_STORE_EAX, "mov [edi],eax", DBS_K_STORE, B(0x89, 0x07), .mem = {MEM(W, 0, 4)},
      .only = DBS_ONLY32),
    I(DBS_I_ADD_EBX_1, "add ebx,0x1", DBS_K_PLAIN, B(0x83, 0xc3, 0x01), CLOBBER(R(RBX))),
    I(DBS_I_AND_ESP_TF, "and dword [esp],0xfffffeff", DBS_K_PLAIN,
      B(0x81, 0x24, 0x24, 0xff, 0xfe, 0xff, 0xff), CLR_TF(TOS), .only = DBS_ONLY32),
    I(DBS_I_LEA_ESI_EDI32, "lea esi,[edi+0x20]", DBS_K_PLAIN, B(0x8d, 0x77, 0x20),
      .only = DBS_ONLY32),
    I(DBS_I_SYSCALL, "syscall", DBS_K_SYSCALL, B(0x0f, 0x05), CLOBBER(R(RCX))),
    I(DBS_I_INT_80, "int 0x80", DBS_K_SWINT, B(0xcd, 0x80), .imm = 0x80),
    I(DBS_I_MOV_AL_7F, "mov al,0x7f", DBS_K_PLAIN, B(0xb0, 0x7f), CLOBBER(R(RAX))),
    I(DBS_I_ADD_AL_1, "add al,0x1", DBS_K_PLAIN, B(0x04, 0x01), .op = DBS_OP_SET_OF, .imm = 1),
    I(DBS_I_INTO, "into", DBS_K_INTO, B(0xce), .imm = 4, .only = DBS_ONLY32),
    I(DBS_I_PUSH_SS, "push ss", DBS_K_PLAIN, B(0x16), PUSH(DBS_R_NONE), .only = DBS_ONLY32),
    I(DBS_I_POP_SS, "pop ss", DBS_K_MOVSS, B(0x17), POP(DBS_R_NONE), .only = DBS_ONLY32),
    I(DBS_I_STORE1, "mov [rdi+rbx],al", DBS_K_STORE, B(0x88, 0x04, 0x1f), .mem = {MEM_RBX(W, 1)}),
    I(DBS_I_STORE2, "mov [rdi+rbx],ax", DBS_K_STORE, B(0x66, 0x89, 0x04, 0x1f),
      .mem = {MEM_RBX(W, 2)}),
    I(DBS_I_STORE4, "mov [rdi+rbx],eax", DBS_K_STORE, B(0x89, 0x04, 0x1f), .mem = {MEM_RBX(W, 4)}),
    I(DBS_I_STORE8, "mov [rdi+rbx],rax", DBS_K_STORE, B(0x48, 0x89, 0x04, 0x1f),
      .mem = {MEM_RBX(W, 8)}, .only = DBS_ONLY64),
    I(DBS_I_LOAD1, "mov al,[rdi+rbx]", DBS_K_PLAIN, B(0x8a, 0x04, 0x1f), .mem = {MEM_RBX(R, 1)},
      CLOBBER(R(RAX))),
    I(DBS_I_LOAD2, "mov ax,[rdi+rbx]", DBS_K_PLAIN, B(0x66, 0x8b, 0x04, 0x1f),
      .mem = {MEM_RBX(R, 2)}, CLOBBER(R(RAX))),
    I(DBS_I_LOAD4, "mov eax,[rdi+rbx]", DBS_K_PLAIN, B(0x8b, 0x04, 0x1f), .mem = {MEM_RBX(R, 4)},
      CLOBBER(R(RAX))),
    I(DBS_I_LOAD8, "mov rax,[rdi+rbx]", DBS_K_PLAIN, B(0x48, 0x8b, 0x04, 0x1f),
      .mem = {MEM_RBX(R, 8)}, CLOBBER(R(RAX)), .only = DBS_ONLY64),
    I(DBS_I_ADD_MEM4, "add [rdi+rbx],ecx", DBS_K_STORE, B(0x01, 0x0c, 0x1f), .lockable = 1,
      .mem = {MEM_RBX(RW, 4)}),
    I(DBS_I_XCHG_MEM4, "xchg [rdi+rbx],ecx", DBS_K_STORE, B(0x87, 0x0c, 0x1f), .lockable = 1,
      .mem = {MEM_RBX(RW, 4)}, CLOBBER(R(RCX))),
    /* Intel: "the destination operand receives a write cycle without regard
     * to the result of the comparison" (SDM vol. 2A CMPXCHG) */
    I(DBS_I_CMPXCHG_EQ, "cmpxchg [rdi+rbx],ecx", DBS_K_STORE, B(0x0f, 0xb1, 0x0c, 0x1f),
      .lockable = 1, .mem = {MEM_RBX(RW, 4)}, CLOBBER(R(RAX))),
    I(DBS_I_CMPXCHG_NE, "cmpxchg [rdi+rbx],ecx", DBS_K_STORE, B(0x0f, 0xb1, 0x0c, 0x1f),
      .lockable = 1, .mem = {MEM_RBX(RWB, 4)}, CLOBBER(R(RAX))),
    I(DBS_I_MOVSB, "movsb", DBS_K_STORE, B(0xa4), .string = 1, .mem = {MEM(R, 32, 1), MEM(W, 0, 1)}),
    I(DBS_I_MOVSW, "movsw", DBS_K_STORE, B(0x66, 0xa5), .string = 1,
      .mem = {MEM(R, 32, 2), MEM(W, 0, 2)}),
    I(DBS_I_MOVSD, "movsd", DBS_K_STORE, B(0xa5), .string = 1, .mem = {MEM(R, 32, 4), MEM(W, 0, 4)}),
    I(DBS_I_MOVSQ, "movsq", DBS_K_STORE, B(0x48, 0xa5), .string = 1,
      .mem = {MEM(R, 32, 8), MEM(W, 0, 8)}, .only = DBS_ONLY64),
    I(DBS_I_STOSB, "stosb", DBS_K_STORE, B(0xaa), .string = 1, .mem = {MEM(W, 0, 1)}),
    I(DBS_I_STOSW, "stosw", DBS_K_STORE, B(0x66, 0xab), .string = 1, .mem = {MEM(W, 0, 2)}),
    I(DBS_I_STOSD, "stosd", DBS_K_STORE, B(0xab), .string = 1, .mem = {MEM(W, 0, 4)}),
    I(DBS_I_STOSQ, "stosq", DBS_K_STORE, B(0x48, 0xab), .string = 1, .mem = {MEM(W, 0, 8)},
      .only = DBS_ONLY64),
    I(DBS_I_LODSB, "lodsb", DBS_K_PLAIN, B(0xac), .string = 1, .mem = {MEM(R, 32, 1)},
      CLOBBER(R(RAX))),
    I(DBS_I_LODSW, "lodsw", DBS_K_PLAIN, B(0x66, 0xad), .string = 1, .mem = {MEM(R, 32, 2)},
      CLOBBER(R(RAX))),
    I(DBS_I_LODSD, "lodsd", DBS_K_PLAIN, B(0xad), .string = 1, .mem = {MEM(R, 32, 4)},
      CLOBBER(R(RAX))),
    I(DBS_I_LODSQ, "lodsq", DBS_K_PLAIN, B(0x48, 0xad), .string = 1, .mem = {MEM(R, 32, 8)},
      CLOBBER(R(RAX)), .only = DBS_ONLY64),
    I(DBS_I_MOV_EDX_80, "mov edx,0x80", DBS_K_PLAIN, B(0xba, 0x80, 0x00, 0x00, 0x00),
      SET(RDX, 0x80)),
    I(DBS_I_MOV_ECX_8, "mov ecx,8", DBS_K_PLAIN, B(0xb9, 0x08, 0x00, 0x00, 0x00), SET(RCX, 8)),
    I(DBS_I_IN_AX_80, "in ax,0x80", DBS_K_IO, B(0x66, 0xe5, 0x80), CLOBBER(R(RAX)),
      .mem = {PORT(R, 0x80, 2)}),
    I(DBS_I_IN_EAX_80, "in eax,0x80", DBS_K_IO, B(0xe5, 0x80), CLOBBER(R(RAX)),
      .mem = {PORT(R, 0x80, 4)}),
    I(DBS_I_IN_AX_DX, "in ax,dx", DBS_K_IO, B(0x66, 0xed), CLOBBER(R(RAX)), .mem = {PORT_DX(R, 2)}),
    I(DBS_I_IN_EAX_DX, "in eax,dx", DBS_K_IO, B(0xed), CLOBBER(R(RAX)), .mem = {PORT_DX(R, 4)}),
    I(DBS_I_OUT_DX_AL, "out dx,al", DBS_K_IO, B(0xee), .mem = {PORT_DX(W, 1)}),
    I(DBS_I_INSB, "insb", DBS_K_IO, B(0x6c), .string = 1, .mem = {MEM(W, 0, 1), PORT_DX(R, 1)}),
    I(DBS_I_INSW, "insw", DBS_K_IO, B(0x66, 0x6d), .string = 1,
      .mem = {MEM(W, 0, 2), PORT_DX(R, 2)}),
    I(DBS_I_INSD, "insd", DBS_K_IO, B(0x6d), .string = 1, .mem = {MEM(W, 0, 4), PORT_DX(R, 4)}),
    I(DBS_I_OUTSB, "outsb", DBS_K_IO, B(0x6e), .string = 1, .mem = {MEM(R, 32, 1), PORT_DX(W, 1)}),
    /* 32-bit loads: the only APIC access width every CPU supports (SDM vol. 3A 11.4.1) */
    I(DBS_I_LOAD_APIC_VER, "mov eax,[0xfee00030]", DBS_K_PLAIN, B(0xa1, APIC_MOFFS(0x30)),
      .mem = {APIC(R, 0x30, 4)}, CLOBBER(R(RAX)), .only = DBS_ONLY64),
    I(DBS_I_LOAD_APIC_ID, "mov eax,[0xfee00020]", DBS_K_PLAIN, B(0xa1, APIC_MOFFS(0x20)),
      .mem = {APIC(R, 0x20, 4)}, CLOBBER(R(RAX)), .only = DBS_ONLY64),
    /* The stack on the selector at scratch+8, so that POP SS loads it as MOV
     * SS [rdi+8] does; events from CPL3 switch stacks, so nothing else uses
     * this stack (no SYSCALL, which stays on it). POP SS reads a word on
     * Intel, the doubleword on AMD (BS3Kit bs3-cpu-weird-1 push/pop sreg):
     * the row keeps the word both read. */
    I(DBS_I_LEA_ESP_EDI8, "lea esp,[edi+8]", DBS_K_PLAIN, B(0x8d, 0x67, 0x08), .only = DBS_ONLY32),
    I(DBS_I_POP_SS_SCRATCH, "pop ss", DBS_K_MOVSS, B(0x17), .mem = {MEM(R, 8, 2), SS_DESC},
      .only = DBS_ONLY32),
    /* mov eax zero-extends in 64-bit code: the same bytes and effect in both widths */
    I(DBS_I_MOV_EAX_TF, "mov eax,0x102", DBS_K_PLAIN, B(0xb8, 0x02, 0x01, 0x00, 0x00),
      SET(RAX, 0x102)),
    I(DBS_I_PUSH_AX, "push ax", DBS_K_PLAIN, B(0x66, 0x50), PUSH(RAX)),
    I(DBS_I_PUSH_BX, "push bx", DBS_K_PLAIN, B(0x66, 0x53), PUSH(RBX)),
    I(DBS_I_POPF16, "popfw", DBS_K_POPF, B(0x66, 0x9d), POP(FLAGS)),
    I(DBS_I_JMP_SELF, "jmp $", DBS_K_HANG, B(0xeb, 0xfe)),
};

const char *const dbs_kind_names[DBS_K_COUNT] = {
    [DBS_K_PLAIN] = "plain",   [DBS_K_POPF] = "popf",     [DBS_K_MOVSS] = "movss",
    [DBS_K_STI] = "sti",       [DBS_K_HLT] = "hlt",       [DBS_K_ICEBP] = "icebp",
    [DBS_K_SWINT] = "swint",   [DBS_K_MOVDR] = "movdr",   [DBS_K_IO] = "io",
    [DBS_K_CPUID] = "cpuid",   [DBS_K_MSR] = "msr",       [DBS_K_TSC] = "tsc",
    [DBS_K_STORE] = "store",   [DBS_K_BRANCH] = "branch", [DBS_K_CALL] = "call",
    [DBS_K_RET] = "ret",       [DBS_K_LOOP] = "loop",     [DBS_K_REP] = "rep",
    [DBS_K_UD] = "ud",         [DBS_K_GP] = "gp",         [DBS_K_CRASH] = "crash",
    [DBS_K_SYSCALL] = "syscall", [DBS_K_INTO] = "into",   [DBS_K_HANG] = "hang",
};
