/* Prologues that arm TF, and the buffer layout around a case.
 * Registers the prologues rely on (loaded by dbs_case_enter in runner_asm.S):
 * rsi = the mode's SS selector, r8 = its CS selector, r9 = address of the
 * case's first byte, r12 = the mode's stack pointer, r13 = the address of
 * the mode-side code (the layout's first byte). Every prologue leaves rax =
 * the RFLAGS image it loaded.
 *
 * The prologues (entries) live at a fixed place, laid once: only what must
 * touch the case is laid with it, so an emulator translates each entry once
 * and not once per case (QEMU's TCG: half a case's translation blocks were
 * its prologue, each retranslated with every new case).
 *   entry (fixed)                         layout (per case)
 * k64: [pushfq; pop rax; arm TF; jmp]     [popfq, for a POPF arming][case][jmp to the runner's exit]
 *      [... iretq to the case]            [case][jmp to the runner's exit]
 * other modes: [IRETQ into the mode]      [mode side: POPF arming][case][int 0xef]
 * The exit gate (DBS_EXIT_VECTOR, DPL3) brings any mode back to CPL0. */
#include "dbs_harness.h"
#include "dbs_runner.h"

/* pushfq; pop rax */
#define READ_FLAGS 0x9c, 0x58
/* or rax, 0x100 (TF) */
#define SET_TF 0x48, 0x0d, 0x00, 0x01, 0x00, 0x00
/* bts rax, 16: RF=1 suppresses the first instruction's code #DB (SDM 18.3.1.1) */
#define SET_RF 0x48, 0x0f, 0xba, 0xe8, 0x10
/* or rax, 0x3000: IOPL=3, so STI/CLI/IN/OUT run at CPL3 (as in KUT's user-mode reruns) */
#define SET_IOPL3 0x48, 0x0d, 0x00, 0x30, 0x00, 0x00
/* mov r11, rsp; push rsi (SS); push r11 (RSP); push rax (RFLAGS); push r8 (CS);
 * push r9 (RIP); iretq */
#define IRET_TO_CASE 0x49, 0x89, 0xe3, 0x56, 0x41, 0x53, 0x50, 0x41, 0x50, 0x41, 0x51, 0x48, 0xcf
/* push rsi (SS); push r12 (RSP); push rax (RFLAGS); push r8 (CS); push r13 (RIP); iretq */
#define IRET_TO_MODE 0x56, 0x41, 0x54, 0x50, 0x41, 0x50, 0x41, 0x55, 0x48, 0xcf
/* jmp r9: to the case */
#define JMP_CASE 0x41, 0xff, 0xe1
/* push rax; lea r11, [r9-1]; jmp r11: to the POPFQ laid right before the case */
#define JMP_POPF 0x50, 0x4d, 0x8d, 0x59, 0xff, 0x41, 0xff, 0xe3

struct bytes {
    const uint8_t *p;
    size_t len;
};
#define BYTES(a) {a, sizeof(a)}

static const uint8_t pro_none[] = {READ_FLAGS, JMP_CASE};
/* TF set by POPF: the trap follows the next instruction (SDM 18.3.1.4). */
static const uint8_t pro_popf[] = {READ_FLAGS, SET_TF, JMP_POPF};
static const uint8_t pro_iretq[] = {READ_FLAGS, SET_TF, IRET_TO_CASE};
static const uint8_t pro_iretq_rf[] = {READ_FLAGS, SET_TF, SET_RF, IRET_TO_CASE};

/* Into another mode: IRETQ with the arming's TF/RF (POPF armings set TF on
 * the mode's side, so that their POPF runs in that mode). */
static const uint8_t into_kernel[] = {READ_FLAGS, IRET_TO_MODE};
static const uint8_t into_user[] = {READ_FLAGS, SET_IOPL3, IRET_TO_MODE};
static const uint8_t into_kernel_tf[] = {READ_FLAGS, SET_TF, IRET_TO_MODE};
static const uint8_t into_user_tf[] = {READ_FLAGS, SET_IOPL3, SET_TF, IRET_TO_MODE};
static const uint8_t into_kernel_tf_rf[] = {READ_FLAGS, SET_TF, SET_RF, IRET_TO_MODE};
static const uint8_t into_user_tf_rf[] = {READ_FLAGS, SET_IOPL3, SET_TF, SET_RF, IRET_TO_MODE};

static const struct bytes entries[DBS_ENTRY_KINDS][DBS_TF_COUNT] = {
    [DBS_ENTRY_K64] = {[DBS_TF_NONE] = BYTES(pro_none), [DBS_TF_POPF] = BYTES(pro_popf),
                       [DBS_TF_IRETQ] = BYTES(pro_iretq), [DBS_TF_IRETQ_RF] = BYTES(pro_iretq_rf)},
    [DBS_ENTRY_KERNEL] = {[DBS_TF_NONE] = BYTES(into_kernel), [DBS_TF_POPF] = BYTES(into_kernel),
                          [DBS_TF_IRETQ] = BYTES(into_kernel_tf),
                          [DBS_TF_IRETQ_RF] = BYTES(into_kernel_tf_rf)},
    [DBS_ENTRY_USER] = {[DBS_TF_NONE] = BYTES(into_user), [DBS_TF_POPF] = BYTES(into_user),
                        [DBS_TF_IRETQ] = BYTES(into_user_tf),
                        [DBS_TF_IRETQ_RF] = BYTES(into_user_tf_rf)},
};

/* What a POPF arming lays before the case: popfq in 64-bit code; in another
 * mode, or eax/rax, TF; push; popf in that mode's encoding. */
static const uint8_t popf_k64[] = {0x9d};
static const uint8_t popf_64[] = {SET_TF, 0x50, 0x9d};
static const uint8_t popf_32[] = {0x0d, 0x00, 0x01, 0x00, 0x00, 0x50, 0x9d};

static const uint8_t exit_gate[] = {0xcd, DBS_EXIT_VECTOR};

unsigned dbs_entry_kind(const struct dbs_case *c)
{
    return c->mode == DBS_MODE_K64 ? DBS_ENTRY_K64
         : dbs_mode_user(c->mode)  ? DBS_ENTRY_USER
                                   : DBS_ENTRY_KERNEL;
}

const uint8_t *dbs_entry(unsigned kind, unsigned tf, size_t *len)
{
    if (kind >= DBS_ENTRY_KINDS || tf >= DBS_TF_COUNT)
        return 0;
    *len = entries[kind][tf].len;
    return entries[kind][tf].p;
}

static size_t put(uint8_t *buf, size_t n, const struct bytes *b)
{
    size_t i;

    for (i = 0; i < b->len; i++)
        buf[n + i] = b->p[i];
    return n + b->len;
}

size_t dbs_harness_layout(uint8_t *buf, size_t cap, const struct dbs_case *c, uint64_t exit_addr,
                          size_t *case_off)
{
    struct bytes side = {0, 0}, tail = BYTES(exit_gate), body = {c->bytes, c->nbytes};
    uint8_t jmp[DBS_EXIT_JMP_LEN] = {0xff, 0x25}; /* jmp qword [rip+0]; .quad exit */
    size_t n, i;

    if (c->tf >= DBS_TF_COUNT || c->mode >= DBS_MODE_COUNT)
        return 0;
    if (c->mode == DBS_MODE_K64) {
        for (i = 0; i < 8; i++)
            jmp[6 + i] = (uint8_t)(exit_addr >> (8 * i));
        tail = (struct bytes)BYTES(jmp);
    }
    if (c->tf == DBS_TF_POPF)
        side = c->mode == DBS_MODE_K64 ? (struct bytes)BYTES(popf_k64)
             : dbs_mode_32(c->mode)   ? (struct bytes)BYTES(popf_32)
                                      : (struct bytes)BYTES(popf_64);
    if (side.len + body.len + tail.len > cap)
        return 0;
    n = put(buf, 0, &side);
    *case_off = n;
    n = put(buf, n, &body);
    return put(buf, n, &tail);
}
