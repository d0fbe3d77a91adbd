/* Turns case specs into compiled cases: bytes, instruction boundaries,
 * breakpoint offsets and expected RIP offsets. The table of groups below is
 * the one place that says which cases exist and in what order. */
#include "dbs_buf.h"
#include "dbs_case.h"
#include "dbs_insn.h"
#include "dbs_arch.h"

const char *const dbs_tf_names[DBS_TF_COUNT] = {
    [DBS_TF_NONE] = "none", [DBS_TF_POPF] = "popf",
    [DBS_TF_IRETQ] = "iretq", [DBS_TF_IRETQ_RF] = "iretq_rf",
};

const char *const dbs_mode_names[DBS_MODE_COUNT] = {
    [DBS_MODE_K64] = "k64", [DBS_MODE_U64] = "u64", [DBS_MODE_K32] = "k32", [DBS_MODE_U32] = "u32",
};

static const struct dbs_case_group *const groups[] = {
    &dbs_group_selftest, /* first, so a crash test can show the run going on after it */
    &dbs_group_kut,
    &dbs_group_bs3,
    &dbs_group_sweep,
    &dbs_group_data,
    &dbs_group_random, /* last: the tables' indexes do not depend on it */
};
#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

/* Copies src up to a stop character or cap-1 bytes; -1 if it did not fit. */
static int copy_until(char *dst, const char *src, char stop, unsigned cap)
{
    unsigned i = 0;

    for (; src[i] && src[i] != stop; i++) {
        if (i == cap - 1)
            return -1;
        dst[i] = src[i];
    }
    dst[i] = 0;
    return 0;
}

/* What prefixes make of an instruction. */
static uint8_t prefixed_kind(const struct dbs_insn *in, const uint8_t *pfx, unsigned np)
{
    unsigned i;

    if (np + in->len > DBS_INSN_MAX)
        return DBS_K_GP; /* longer than 15 bytes: #GP (SDM vol. 2A 2.3.11) */
    for (i = 0; i < np; i++)
        if (pfx[i] == 0xf0 && !in->lockable)
            return DBS_K_UD; /* LOCK on an instruction that cannot take it: #UD (SDM vol. 2A, LOCK) */
    for (i = 0; i < np; i++)
        if (pfx[i] == 0xf3 && in->string)
            return DBS_K_REP; /* REP: RCX iterations (SDM vol. 2B REP) */
    return in->kind;
}

/* The registers an access's base can name, as the case sets them before
 * each instruction: entry values (regs[]) and the vocabulary's SET ops, the
 * same the model follows; anything else makes a register unknown. */
struct regs_known {
    uint64_t v[DBS_R_COUNT];
    uint8_t known[DBS_R_COUNT];
};

static void follow_regs(struct regs_known *r, const struct dbs_insn *in)
{
    unsigned k;

    if (in->op == DBS_OP_SET) {
        r->v[in->dst] = in->imm;
        r->known[in->dst] = 1;
    } else if (in->op == DBS_OP_POP || in->op == DBS_OP_DR_READ) {
        r->known[in->dst] = 0;
    }
    for (k = 0; k < DBS_R_COUNT; k++)
        if (in->clobber & DBS_REG_BIT(k))
            r->known[k] = 0;
}

/* Instruction i's accesses with their base registers resolved; -1 if a base
 * is unknown or an access leaves its space (a REP's last iteration included). */
static int resolve_mem(const struct dbs_insn *in, unsigned kind, unsigned mode,
                       const struct regs_known *r, struct dbs_mem *out)
{
    static const unsigned limit[] = {[DBS_BP_DATA] = DBS_SCRATCH_BYTES, [DBS_BP_IO] = 0x10000,
                                     [DBS_BP_APIC] = 0x1000, [DBS_BP_KSTACK] = 0, [DBS_BP_IDT] = 0,
                                     [DBS_BP_SSDESC] = 8};
    unsigned k, n = 1;

    if (kind == DBS_K_REP) {
        if (!r->known[DBS_R_RCX] || r->v[DBS_R_RCX] > DBS_SCRATCH_BYTES)
            return -1;
        n = (unsigned)r->v[DBS_R_RCX];
    }
    for (k = 0; k < 2; k++) {
        struct dbs_mem m = in->mem[k];
        uint64_t end;

        /* only CPL3 modes load the descriptor of their own (runner.c) */
        if (m.space == DBS_BP_SSDESC && !dbs_mode_user(mode))
            m = (struct dbs_mem){.acc = DBS_ACC_NONE};

        if (m.acc != DBS_ACC_NONE && m.base) {
            if (!r->known[m.base])
                return -1;
            m.off = (uint16_t)(m.off + r->v[m.base]);
            m.base = DBS_R_NONE;
        }
        end = (uint64_t)m.off + m.len * (m.space == DBS_BP_IO ? 1 : n);
        if (m.acc != DBS_ACC_NONE &&
            (m.space == DBS_BP_CODE || m.space > DBS_BP_SSDESC || end > limit[m.space]))
            return -1;
        out[k] = m;
    }
    return 0;
}

/* A source's record of hardware, with boundaries turned into offsets. */
static int build_hw(const struct dbs_hw_spec *h, const struct dbs_case *c, struct dbs_exp_list *out)
{
    unsigned i;

    if (h->nexp < 0 || h->nexp > DBS_CASE_MAX_EXP)
        return -1;
    out->nexp = h->nexp;
    for (i = 0; i < (unsigned)h->nexp; i++) {
        const struct dbs_exp_spec *e = &h->exp[i];

        if (!e->entry && e->at > c->ninsn)
            return -1;
        out->exp[i] = (struct dbs_exp){
            .vector = e->vector, .rf = DBS_RF_ANY, .dr6 = e->dr6, .dr6_any = e->dr6_any,
            .rip_off = (uint16_t)(e->entry ? DBS_OFF_ENTRY | e->at : c->off[e->at])};
    }
    return 0;
}

/* Whether a data breakpoint's range lies where the runner can put it (the
 * SS descriptor of its own exists in CPL3 modes only), and
 * off everything #DB's own delivery touches: the frame it pushes below the
 * frame of the event it follows, the #DB gate. On bare metal a breakpoint
 * there fires on every delivery of its own #DB, an endless loop no NMI
 * breaks (Xen XSA-156, CVE-2015-8104). */
static int bp_in_space(unsigned space, unsigned off, unsigned len, unsigned mode)
{
    unsigned lo = off & ~(len - 1u);

    switch (space) {
    case DBS_BP_SSDESC: return lo + len <= 8 && dbs_mode_user(mode);
    case DBS_BP_DATA: return off < DBS_SCRATCH_BYTES;
    case DBS_BP_IO: case DBS_BP_APIC: return 1;
    case DBS_BP_KSTACK: return lo >= DBS_KSTACK_FRAME && off < DBS_KSTACK_SPAN + 8;
    case DBS_BP_IDT:
        return off < DBS_IDT_BYTES && (lo + len <= 16 * DBS_VEC_DB || lo >= 16 * DBS_VEC_DB + 16);
    default: return 0;
    }
}

/* The row that does insn's job in the mode's code width, or -1. */
static int insn_in_mode(unsigned id, unsigned mode)
{
    const struct dbs_insn *in = &dbs_insns[id];

    if (!dbs_mode_32(mode))
        return in->only == DBS_ONLY32 ? -1 : (int)id;
    if (in->only != DBS_ONLY64)
        return (int)id;
    return in->twin32 ? (int)in->twin32 : -1;
}

int dbs_spec_fits_mode(const struct dbs_case_spec *s)
{
    unsigned i;

    for (i = 0; i < s->ninsn; i++)
        if (s->insn[i] >= DBS_I_COUNT || insn_in_mode(s->insn[i], s->mode) < 0)
            return 0;
    for (i = 0; dbs_mode_32(s->mode) && i < s->npfx; i++)
        if ((s->pfx[i] & 0xf0) == 0x40)
            return 0;
    return 1;
}

/* A case's group: its name up to the first '.', after a mode prefix
 * ("u64.ss.popf.nop" is in group ss, mode u64). */
static const char *group_of(const struct dbs_case_spec *s)
{
    const char *p = s->name, *m = dbs_mode_names[s->mode];
    unsigned i;

    if (s->mode == DBS_MODE_K64)
        return p;
    for (i = 0; m[i] && p[i] == m[i]; i++)
        ;
    return !m[i] && p[i] == '.' ? p + i + 1 : p;
}

int dbs_case_build(const struct dbs_case_spec *s, struct dbs_case *c)
{
    unsigned i, v, n = 0;
    struct regs_known regs = {.known = {[DBS_R_RBX] = 1, [DBS_R_RCX] = 1, [DBS_R_RDX] = 1}};

    if (s->ninsn > DBS_CASE_MAX_INSNS || s->nbp > 4 || s->tf >= DBS_TF_COUNT ||
        s->mode >= DBS_MODE_COUNT || !dbs_spec_fits_mode(s))
        return -1;
    /* dbsweep's SYSRET returns to CPL3 only: a chosen R11 image elsewhere
     * would be a case that never reaches it */
    if (s->sysret_tf > DBS_SYSRET_TF_CLEAR || (s->sysret_tf && !dbs_mode_user(s->mode)))
        return -1;
    if (!s->name || copy_until(c->name, s->name, 0, DBS_CASE_MAX_NAME) ||
        copy_until(c->group, group_of(s), '.', DBS_GROUP_MAX_NAME))
        return -1;
    c->tf = s->tf;
    c->ninsn = s->ninsn;
    for (i = 0; i < 3; i++)
        regs.v[DBS_R_RBX + i] = s->regs[i];
    if (s->npfx > DBS_INSN_MAX + 1 || (s->npfx && s->pfx_at >= s->ninsn))
        return -1;
    for (i = 0; i < s->ninsn; i++) {
        const struct dbs_insn *in;
        unsigned b, np = i == s->pfx_at ? s->npfx : 0;

        in = &dbs_insns[insn_in_mode(s->insn[i], s->mode)];
        if (n + np + in->len > DBS_CASE_MAX_BYTES)
            return -1;
        c->off[i] = (uint16_t)n;
        c->id[i] = (uint8_t)insn_in_mode(s->insn[i], s->mode);
        c->kind[i] = prefixed_kind(in, s->pfx, np);
        if (resolve_mem(in, c->kind[i], s->mode, &regs, c->mem[i]))
            return -1;
        follow_regs(&regs, in);
        for (b = 0; b < np; b++)
            c->bytes[n++] = s->pfx[b];
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
            if (!bp_in_space(b->space, (unsigned)off, dbs_dr7_len_bytes(b->len), s->mode))
                return -1;
        }
        c->bp[i] = (struct dbs_bp){.dr = b->dr, .space = b->space, .rw = b->rw,
                                   .len = b->len, .en = b->en, .off = (uint16_t)off};
    }

    c->dr6_init = s->dr6_init;
    c->dr7_extra = s->dr7_extra;
    c->dr6_reset = s->dr6_reset;
    /* other modes run under dbsweep's tables, which a machine may not allow */
    c->needs = (uint8_t)(s->needs | (s->mode != DBS_MODE_K64 ? DBS_NEEDS_ENV : 0));
    c->mode = s->mode;
    c->cr4_de = s->cr4_de;
    c->fmask_tf = s->fmask_tf;
    c->sysret_tf = s->sysret_tf;
    for (i = 0; i < 3; i++)
        c->regs[i] = s->regs[i];
    c->hw_known = s->hw_known;
    for (v = 0; v < 2; v++)
        if (build_hw(&s->hw[v], c, &c->hw[v]))
            return -1;
    return 0;
}

void dbs_case_run_label(const struct dbs_case *c, char *out, unsigned cap)
{
    struct dbs_buf b;
    unsigned i;

    /* names that carry no mode (random.SEED.I: every mode in one group) keep
     * the group alone */
    for (i = 0; c->group[i] && c->name[i] == c->group[i]; i++)
        ;
    dbs_buf_init(&b, out, cap);
    if (c->mode != DBS_MODE_K64 && (c->group[i] || c->name[i] != '.')) {
        dbs_put_str(&b, dbs_mode_names[c->mode]);
        dbs_put_char(&b, '.');
    }
    dbs_put_str(&b, c->group);
    dbs_buf_str(&b);
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
        n += groups[g]->count();
    return n;
}

int dbs_case_get(unsigned i, struct dbs_case *out)
{
    struct dbs_case_spec s;
    char name[DBS_CASE_MAX_NAME];
    unsigned g, n;

    for (g = 0; g < NGROUPS; g++) {
        n = groups[g]->count();
        if (i < n)
            return groups[g]->get(i, &s, name) ? -1 : dbs_case_build(&s, out);
        i -= n;
    }
    return -1;
}
