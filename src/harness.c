/* Prologues that arm TF, and the buffer layout around a case.
 * Registers the prologues rely on (loaded by dbs_case_enter in runner_asm.S):
 * rsi = SS selector, r8 = CS selector, r9 = address of the case's first byte.
 * Every prologue leaves rax = the RFLAGS image it loaded. */
#include "dbs_harness.h"

/* pushfq; pop rax */
#define READ_FLAGS 0x9c, 0x58
/* or rax, 0x100 (TF) */
#define SET_TF 0x48, 0x0d, 0x00, 0x01, 0x00, 0x00
/* mov r11, rsp; push rsi (SS); push r11 (RSP); push rax (RFLAGS); push r8 (CS);
 * push r9 (RIP); iretq */
#define IRET_TO_CASE 0x49, 0x89, 0xe3, 0x56, 0x41, 0x53, 0x50, 0x41, 0x50, 0x41, 0x51, 0x48, 0xcf

static const uint8_t pro_none[] = {READ_FLAGS};
/* TF set by POPF: the trap follows the next instruction (SDM 18.3.1.4). */
static const uint8_t pro_popf[] = {READ_FLAGS, SET_TF, 0x50 /* push rax */, 0x9d /* popfq */};
static const uint8_t pro_iretq[] = {READ_FLAGS, SET_TF, IRET_TO_CASE};
/* bts rax, 16: RF=1 suppresses the first instruction's code #DB (SDM 18.3.1.1). */
static const uint8_t pro_iretq_rf[] = {READ_FLAGS, SET_TF, 0x48, 0x0f, 0xba, 0xe8, 0x10,
                                       IRET_TO_CASE};

static const struct {
    const uint8_t *p;
    size_t len;
} prologues[DBS_TF_COUNT] = {
    [DBS_TF_NONE] = {pro_none, sizeof(pro_none)},
    [DBS_TF_POPF] = {pro_popf, sizeof(pro_popf)},
    [DBS_TF_IRETQ] = {pro_iretq, sizeof(pro_iretq)},
    [DBS_TF_IRETQ_RF] = {pro_iretq_rf, sizeof(pro_iretq_rf)},
};

const uint8_t *dbs_prologue(unsigned tf, size_t *len)
{
    if (tf >= DBS_TF_COUNT)
        return 0;
    *len = prologues[tf].len;
    return prologues[tf].p;
}

size_t dbs_harness_layout(uint8_t *buf, size_t cap, const struct dbs_case *c, uint64_t exit_addr,
                          size_t *case_off)
{
    size_t plen, n = 0, i;
    const uint8_t *pro = dbs_prologue(c->tf, &plen);

    if (!pro || plen + c->nbytes + DBS_EXIT_JMP_LEN > cap)
        return 0;
    for (i = 0; i < plen; i++)
        buf[n++] = pro[i];
    *case_off = n;
    for (i = 0; i < c->nbytes; i++)
        buf[n++] = c->bytes[i];
    buf[n++] = 0xff; /* jmp qword [rip+0] */
    buf[n++] = 0x25;
    for (i = 0; i < 4; i++)
        buf[n++] = 0;
    for (i = 0; i < 8; i++)
        buf[n++] = (uint8_t)(exit_addr >> (8 * i));
    return n;
}
