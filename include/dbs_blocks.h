/* The sweep's building blocks (src/cases/cases_sweep.c): TF armings,
 * subjects, interrupt shadows and prefix sets, and the helpers that append
 * them to a case spec. The sweep crosses them in fixed products; the random
 * cases (src/cases/cases_random.c) draw from the same tables. */
#ifndef DBS_BLOCKS_H
#define DBS_BLOCKS_H

#include "dbs_arch.h"
#include "dbs_case.h"
#include "dbs_insn.h"
#include "dbs_product.h"

/* How TF is armed; `clear` appends pushfq; and [rsp],~TF; popfq after the
 * subject: TF cleared by POPF still traps after that POPF (SDM 18.3.1.4). */
struct dbs_arm {
    const char *name;
    uint8_t tf, clear;
};
#define DBS_ARMS 5
#define DBS_ARMS_PLAIN 4 /* dbs_arms[0..3]: every arming without the in-case clear */
extern const struct dbs_arm dbs_arms[DBS_ARMS];

/* The instruction under test, with the set-up it needs; `at` is the index
 * of the instruction under test within insn[]; `modes` (0: all) the modes
 * it is meant for; fmask_tf: SYSCALL masks TF; sysret: the TF of the R11
 * image SYSRET returns with (enum dbs_sysret_tf). Instructions a mode lacks
 * (REX forms in 32-bit code, POP SS in 64-bit) are left out by casegen. */
struct dbs_subject {
    const char *name;
    uint8_t n, insn[4], at, needs, modes, fmask_tf, sysret;
};
#define DBS_SUBJECTS 38
#define DBS_SUBJ_MOVDR 16 /* dbs_subjects[16..17]: MOV from/to a debug register */
extern const struct dbs_subject dbs_subjects[DBS_SUBJECTS];

/* Interrupt shadows put before the subject (SDM vol. 3A 6.8.3). */
struct dbs_shadow {
    const char *name;
    uint8_t n, insn[2];
};
#define DBS_SHADOWS 7
#define DBS_SHADOW_MOVSS_MEM 1 /* reads the SS selector at scratch+8: watchable */
extern const struct dbs_shadow dbs_shadows[DBS_SHADOWS];

/* Prefix sets on a register MOV (or a lockable memory ADD). */
struct dbs_pfxset {
    const char *name;
    uint8_t base, n, b[DBS_INSN_MAX];
};
#define DBS_PFXSETS 20
extern const struct dbs_pfxset dbs_pfxsets[DBS_PFXSETS];

/* Appends a subject; returns the index of its instruction under test. */
static inline unsigned dbs_add_subject(struct builder *b, const struct dbs_subject *sub)
{
    unsigned i, base = b->s->ninsn;

    for (i = 0; i < sub->n; i++)
        add(b, sub->insn[i]);
    b->s->needs |= sub->needs;
    b->s->fmask_tf |= sub->fmask_tf;
    b->s->sysret_tf = sub->sysret;
    b->bad |= sub->modes && !(sub->modes & DBS_MODE_BIT(b->s->mode));
    return base + sub->at;
}

static inline void dbs_add_clear_tf(struct builder *b)
{
    add(b, DBS_I_PUSHF);
    add(b, DBS_I_AND_RSP_TF);
    add(b, DBS_I_POPF);
}

/* An execute breakpoint in DRn on instruction `at` plus delta bytes. */
static inline void dbs_add_bp(struct builder *b, unsigned dr, unsigned at, int delta, unsigned en,
                              unsigned len)
{
    struct dbs_case_spec *s = b->s;

    s->bp[s->nbp++] = (struct dbs_bp_spec){.dr = (uint8_t)dr, .space = DBS_BP_CODE,
                                           .at = (uint8_t)at, .delta = (int8_t)delta,
                                           .rw = DBS_RW_EXEC, .len = (uint8_t)len,
                                           .en = (uint8_t)en};
}

#endif
