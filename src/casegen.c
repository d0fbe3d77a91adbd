/* Turns case specs into compiled cases: bytes, instruction boundaries,
 * breakpoint offsets and expected RIP offsets. The table of groups below is
 * the one place that says which cases exist and in what order. */
#include "dbs_case.h"
#include "dbs_insn.h"
#include "dbs_arch.h"

const char *const dbs_tf_names[DBS_TF_COUNT] = {
    [DBS_TF_NONE] = "none", [DBS_TF_POPF] = "popf",
    [DBS_TF_IRETQ] = "iretq", [DBS_TF_IRETQ_RF] = "iretq_rf",
};

static const struct dbs_case_group *const groups[] = {
    &dbs_group_kut,
};
#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

static void copy_name(char *dst, const char *src)
{
    unsigned i = 0;
    for (; src[i] && i < DBS_CASE_MAX_NAME - 1; i++)
        dst[i] = src[i];
    dst[i] = 0;
}

int dbs_case_build(const struct dbs_case_spec *s, const char *group, struct dbs_case *c)
{
    unsigned i, n = 0;

    if (s->ninsn > DBS_CASE_MAX_INSNS || s->nbp > 4 || s->nexp > DBS_CASE_MAX_EXP ||
        s->tf >= DBS_TF_COUNT)
        return -1;
    copy_name(c->name, s->name);
    c->group = group;
    c->tf = s->tf;
    c->ninsn = s->ninsn;
    for (i = 0; i < s->ninsn; i++) {
        const struct dbs_insn *in;
        unsigned b;

        if (s->insn[i] >= DBS_I_COUNT)
            return -1;
        in = &dbs_insns[s->insn[i]];
        if (n + in->len > DBS_CASE_MAX_BYTES)
            return -1;
        c->off[i] = (uint16_t)n;
        c->kind[i] = in->kind;
        for (b = 0; b < in->len; b++)
            c->bytes[n++] = in->bytes[b];
    }
    c->off[s->ninsn] = (uint16_t)n;
    c->nbytes = (uint16_t)n;

    c->nbp = s->nbp;
    for (i = 0; i < s->nbp; i++) {
        const struct dbs_bp_spec *b = &s->bp[i];
        int off;

        if (b->dr > 3)
            return -1;
        if (b->space == DBS_BP_CODE) {
            if (b->at >= s->ninsn)
                return -1;
            off = c->off[b->at] + b->delta;
            if (off < 0 || off >= (int)n)
                return -1;
        } else {
            off = b->at;
            if (off >= DBS_SCRATCH_BYTES)
                return -1;
        }
        c->bp[i] = (struct dbs_bp){.dr = b->dr, .space = b->space, .rw = b->rw,
                                   .len = b->len, .en = b->en, .off = (uint16_t)off};
    }

    c->dr6_init = s->dr6_init;
    c->dr7_extra = s->dr7_extra;
    c->dr6_reset = s->dr6_reset;
    c->needs = s->needs;
    for (i = 0; i < 3; i++)
        c->regs[i] = s->regs[i];
    c->nexp = s->nexp;
    for (i = 0; s->nexp > 0 && i < (unsigned)s->nexp; i++) {
        if (s->exp[i].at > s->ninsn)
            return -1;
        c->exp[i] = (struct dbs_exp){.vector = s->exp[i].vector,
                                     .rip_off = c->off[s->exp[i].at], .dr6 = s->exp[i].dr6};
    }
    return 0;
}

uint64_t dbs_case_dr7(const struct dbs_case *c)
{
    uint64_t dr7 = DBS_DR7_FIXED1 | c->dr7_extra;
    unsigned i;

    for (i = 0; i < c->nbp; i++) {
        const struct dbs_bp *b = &c->bp[i];

        if (b->en & DBS_EN_L)
            dr7 |= DBS_DR7_L(b->dr);
        if (b->en & DBS_EN_G)
            dr7 |= DBS_DR7_G(b->dr);
        dr7 |= (uint64_t)(b->rw & 3) << DBS_DR7_RW_SHIFT(b->dr);
        dr7 |= (uint64_t)(b->len & 3) << DBS_DR7_LEN_SHIFT(b->dr);
    }
    return dr7;
}

unsigned dbs_case_count(void)
{
    unsigned g, n = 0;

    for (g = 0; g < NGROUPS; g++)
        n += groups[g]->count;
    return n;
}

int dbs_case_get(unsigned i, struct dbs_case *out)
{
    unsigned g;

    for (g = 0; g < NGROUPS; g++) {
        if (i < groups[g]->count)
            return dbs_case_build(&groups[g]->specs[i], groups[g]->name, out);
        i -= groups[g]->count;
    }
    return -1;
}
