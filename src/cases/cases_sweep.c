/* The sweep: thousands of cases composed from small tables of building
 * blocks (TF armings, subject instructions, breakpoint placements, prefix
 * sets, interrupt shadows). Each subgroup is a product of dimensions and a
 * builder that turns one point of the product into a case spec; a builder
 * may reject a point that makes no sense (a mid-instruction breakpoint on a
 * one-byte instruction). Names are group.subgroup.detail and stable: they
 * only depend on the tables' contents, so adding a row never renames a case
 * of another row. The sweep has no hand-written expectations. */
#include "dbs_arch.h"
#include "dbs_case.h"
#include "dbs_insn.h"
#include "dbs_blocks.h"
#include "dbs_product.h"

const struct dbs_arm dbs_arms[DBS_ARMS] = {
    {"none", DBS_TF_NONE, 0},   {"popf", DBS_TF_POPF, 0},         {"iretq", DBS_TF_IRETQ, 0},
    {"iretq_rf", DBS_TF_IRETQ_RF, 0}, {"popf_clear", DBS_TF_POPF, 1},
};

#define U64_MODE DBS_MODE_BIT(DBS_MODE_U64)
#define USER_MODES (U64_MODE | DBS_MODE_BIT(DBS_MODE_U32))
#define KERNEL_MODES (DBS_MODE_BIT(DBS_MODE_K64) | DBS_MODE_BIT(DBS_MODE_K32))
#define SUBJ(nm, at_, ...) \
    .name = nm, .n = sizeof((uint8_t[]){__VA_ARGS__}), .insn = {__VA_ARGS__}, .at = at_
const struct dbs_subject dbs_subjects[DBS_SUBJECTS] = {
    {SUBJ("nop", 0, DBS_I_NOP)},
    {SUBJ("mov", 0, DBS_I_MOV_EBX_ECX)},
    {SUBJ("alu", 0, DBS_I_ADD_RBX_1)},
    {SUBJ("push", 0, DBS_I_PUSH_RBX)},
    {SUBJ("pop", 1, DBS_I_PUSH_RBX, DBS_I_POP_RBX)},
    {SUBJ("pushf", 0, DBS_I_PUSHF)},
    {SUBJ("popf", 1, DBS_I_PUSHF, DBS_I_POPF)},
    {SUBJ("cpuid", 1, DBS_I_XOR_EAX, DBS_I_CPUID)},
    {SUBJ("in", 0, DBS_I_IN_AL_80)},
    {SUBJ("out", 0, DBS_I_OUT_80_AL)},
    {SUBJ("rdmsr", 1, DBS_I_MOV_ECX_10, DBS_I_RDMSR)},
    {SUBJ("rdtsc", 0, DBS_I_RDTSC)},
    {SUBJ("rdtscp", 0, DBS_I_RDTSCP), .needs = DBS_NEEDS_RDTSCP},
    {SUBJ("xgetbv", 1, DBS_I_XOR_ECX, DBS_I_XGETBV), .needs = DBS_NEEDS_OSXSAVE},
    {SUBJ("lfence", 0, DBS_I_LFENCE)},
    {SUBJ("pause", 0, DBS_I_PAUSE)},
    {SUBJ("movdr_r", 0, DBS_I_MOV_RAX_DR0)},
    {SUBJ("movdr_w", 0, DBS_I_MOV_DR3_RBX)},
    {SUBJ("jmp", 0, DBS_I_JMP_1, DBS_I_INT3, DBS_I_NOP)},
    {SUBJ("jcc_t", 1, DBS_I_STC, DBS_I_JC_TAKEN, DBS_I_INT3, DBS_I_NOP)},
    {SUBJ("jcc_nt", 1, DBS_I_CLC, DBS_I_JC_NOT_TAKEN, DBS_I_NOP, DBS_I_NOP)},
    {SUBJ("call", 0, DBS_I_CALL_2, DBS_I_JMP_1, DBS_I_RET, DBS_I_NOP)},
    {SUBJ("loop", 1, DBS_I_MOV_ECX_3, DBS_I_LOOP_SELF)},
    {SUBJ("rep_movsb", 2, DBS_I_LEA_RSI_RDI32, DBS_I_MOV_ECX_3, DBS_I_REP_MOVSB)},
    {SUBJ("int3", 0, DBS_I_INT3)},
    {SUBJ("icebp", 0, DBS_I_ICEBP)},
    {SUBJ("ud2", 0, DBS_I_UD2)},
    /* at CPL3 HLT is #GP, and the timer that wakes it would only add noise */
    {SUBJ("hlt", 1, DBS_I_STI, DBS_I_HLT), .needs = DBS_NEEDS_TIMER, .modes = KERNEL_MODES},
    /* software interrupts and system calls across privilege levels */
    {SUBJ("int_1", 0, DBS_I_INT_1)},   /* CD 01 vs ICEBP (F1): a DPL0 gate, #GP at CPL3 */
    {SUBJ("int_3", 0, DBS_I_INT_3)},   /* CD 03 vs INT3 (CC) */
    {SUBJ("int_80", 0, DBS_I_INT_80)}, /* through a DPL3 gate */
    {SUBJ("into", 2, DBS_I_MOV_AL_7F, DBS_I_ADD_AL_1, DBS_I_INTO)}, /* OF=1: #OF */
    {SUBJ("syscall", 0, DBS_I_SYSCALL), .modes = USER_MODES},
    {SUBJ("syscall_fmask", 0, DBS_I_SYSCALL), .modes = USER_MODES, .fmask_tf = 1},
    /* SYSRET as a subject: R11.TF set or clear whatever TF the SYSCALL had,
     * after an IA32_FMASK that keeps TF or masks it (AMD APM vol. 2 13.1.4;
     * SDM vol. 2B SYSRET; KUT x86/syscall.c test_syscall_tf) */
    {SUBJ("sysret_tf", 0, DBS_I_SYSCALL), .modes = U64_MODE, .sysret = DBS_SYSRET_TF_SET},
    {SUBJ("sysret_tf_fmask", 0, DBS_I_SYSCALL), .modes = U64_MODE, .fmask_tf = 1,
     .sysret = DBS_SYSRET_TF_SET},
    {SUBJ("sysret_clr", 0, DBS_I_SYSCALL), .modes = U64_MODE, .sysret = DBS_SYSRET_TF_CLEAR},
    {SUBJ("sysret_clr_fmask", 0, DBS_I_SYSCALL), .modes = U64_MODE, .fmask_tf = 1,
     .sysret = DBS_SYSRET_TF_CLEAR},
};

/* Interrupt shadows put before the subject (SDM vol. 3A 6.8.3). */
const struct dbs_shadow dbs_shadows[DBS_SHADOWS] = {
    {"movss_reg", 1, {DBS_I_MOVSS_SI}},          {"movss_mem", 1, {DBS_I_MOVSS_MEM}},
    {"sti", 1, {DBS_I_STI}},                     {"movss_movss", 2, {DBS_I_MOVSS_SI, DBS_I_MOVSS_SI}},
    {"sti_sti", 2, {DBS_I_STI, DBS_I_STI}},      {"movss_sti", 2, {DBS_I_MOVSS_SI, DBS_I_STI}},
    {"popss", 2, {DBS_I_PUSH_SS, DBS_I_POP_SS}}, /* compatibility mode only */
};

/* Prefix sets on a register MOV (or a lockable memory ADD). */
const struct dbs_pfxset dbs_pfxsets[DBS_PFXSETS] = {
    {"es", DBS_I_MOV_EBX_ECX, 1, {0x26}},
    {"cs", DBS_I_MOV_EBX_ECX, 1, {0x2e}},
    {"ss", DBS_I_MOV_EBX_ECX, 1, {0x36}},
    {"ds", DBS_I_MOV_EBX_ECX, 1, {0x3e}},
    {"fs", DBS_I_MOV_EBX_ECX, 1, {0x64}},
    {"gs", DBS_I_MOV_EBX_ECX, 1, {0x65}},
    {"opsize", DBS_I_MOV_EBX_ECX, 1, {0x66}},
    {"addrsize", DBS_I_MOV_EBX_ECX, 1, {0x67}},
    {"rep", DBS_I_MOV_EBX_ECX, 1, {0xf3}},
    {"repne", DBS_I_MOV_EBX_ECX, 1, {0xf2}},
    {"rexw", DBS_I_MOV_EBX_ECX, 1, {0x48}},
    {"lock_reg", DBS_I_MOV_EBX_ECX, 1, {0xf0}},  /* #UD: register destination */
    {"lock_mem", DBS_I_ADD_MEM_EBX, 1, {0xf0}},  /* valid: lock add [rdi],ebx */
    {"lock_rep_mem", DBS_I_ADD_MEM_EBX, 2, {0xf0, 0xf3}},
    {"mix2", DBS_I_MOV_EBX_ECX, 2, {0x2e, 0x66}},
    {"mix4", DBS_I_MOV_EBX_ECX, 4, {0x26, 0x64, 0x67, 0xf3}},
    {"mix_rex_last", DBS_I_MOV_EBX_ECX, 4, {0x66, 0x67, 0xf2, 0x48}},
    {"mix_rex_first", DBS_I_MOV_EBX_ECX, 2, {0x48, 0x66}}, /* REX not last: ignored */
    {"mix13_len15", DBS_I_MOV_EBX_ECX, 13,
     {0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf2, 0xf3, 0x26, 0x2e, 0x48}},
    {"mix14_len16", DBS_I_MOV_EBX_ECX, 14,
     {0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf2, 0xf3, 0x26, 0x2e, 0x3e, 0x48}},
};
#define PFX_COUNTS 15 /* cs_x0 .. cs_x14: 14 CS overrides make 16 bytes: #GP */

/* ---- composing ---------------------------------------------------------- */

/* ---- subgroups: dims[] are the sizes of the product, build() one point --- */

/* ss.<arm>.<subject>: single step over every subject, every arming. */
static int build_ss(struct builder *b, const unsigned *d)
{
    const struct dbs_arm *a = &dbs_arms[d[0]];

    name_part(b, "ss");
    name_part(b, a->name);
    name_part(b, dbs_subjects[d[1]].name);
    b->s->tf = a->tf;
    dbs_add_subject(b, &dbs_subjects[d[1]]);
    if (a->clear)
        dbs_add_clear_tf(b);
    add(b, DBS_I_NOP);
    return 0;
}

/* ssbp.<arm>.dr<n>.<l|g>.<subject>: a code breakpoint on the subject, in
 * every DRn, enabled locally or globally, under every arming. */
static int build_ssbp(struct builder *b, const unsigned *d)
{
    unsigned at;

    name_part(b, "ssbp");
    name_part(b, dbs_arms[d[0]].name);
    name_num(b, "dr", d[1]);
    name_part(b, d[2] ? "g" : "l");
    name_part(b, dbs_subjects[d[3]].name);
    b->s->tf = dbs_arms[d[0]].tf;
    add(b, DBS_I_NOP);
    at = dbs_add_subject(b, &dbs_subjects[d[3]]);
    add(b, DBS_I_NOP);
    dbs_add_bp(b, d[1], at, 0, d[2] ? DBS_EN_G : DBS_EN_L, 0);
    return 0;
}

/* bppos.<arm>.<pos>.<subject>: DR1 on the first instruction, the one after
 * the subject, the last one, or inside the subject (no #DB expected there). */
static int build_bppos(struct builder *b, const unsigned *d)
{
    static const char *const pos[] = {"first", "next", "last", "mid"};
    const struct dbs_subject *sub = &dbs_subjects[d[2]];
    unsigned at;

    if (d[1] == 3 && dbs_insns[sub->insn[sub->at]].len < 2)
        return 1;
    name_part(b, "bppos");
    name_part(b, dbs_arms[d[0]].name);
    name_part(b, pos[d[1]]);
    name_part(b, sub->name);
    b->s->tf = dbs_arms[d[0]].tf;
    add(b, DBS_I_NOP);
    at = dbs_add_subject(b, sub);
    add(b, DBS_I_NOP);
    add(b, DBS_I_NOP);
    switch (d[1]) {
    case 0: dbs_add_bp(b, 1, 0, 0, DBS_EN_G, 0); break;
    case 1: dbs_add_bp(b, 1, at + 1, 0, DBS_EN_G, 0); break;
    case 2: dbs_add_bp(b, 1, b->s->ninsn - 1u, 0, DBS_EN_G, 0); break;
    default: dbs_add_bp(b, 1, at, 1, DBS_EN_G, 0); break;
    }
    return 0;
}

/* bpmulti.<pattern>.<arm>.<subject>: several DRs at once. DR6 must show every
 * enabled match (SDM 18.2.3); what a disabled matching DR shows is recorded. */
static int build_bpmulti(struct builder *b, const unsigned *d)
{
    static const char *const pat[] = {"same2", "same4", "disabled_alone", "disabled_with",
                                      "spread"};
    unsigned at, last;

    name_part(b, "bpmulti");
    name_part(b, pat[d[0]]);
    name_part(b, dbs_arms[d[1]].name);
    name_part(b, dbs_subjects[d[2]].name);
    b->s->tf = dbs_arms[d[1]].tf;
    add(b, DBS_I_NOP);
    at = dbs_add_subject(b, &dbs_subjects[d[2]]);
    add(b, DBS_I_NOP);
    add(b, DBS_I_NOP);
    last = b->s->ninsn - 1u;
    switch (d[0]) {
    case 0:
        dbs_add_bp(b, 0, at, 0, DBS_EN_G, 0);
        dbs_add_bp(b, 1, at, 0, DBS_EN_G, 0);
        break;
    case 1:
        dbs_add_bp(b, 0, at, 0, DBS_EN_G, 0);
        dbs_add_bp(b, 1, at, 0, DBS_EN_L, 0);
        dbs_add_bp(b, 2, at, 0, DBS_EN_G, 0);
        dbs_add_bp(b, 3, at, 0, DBS_EN_LG, 0);
        break;
    case 2:
        dbs_add_bp(b, 1, at, 0, DBS_EN_OFF, 0);
        break;
    case 3:
        dbs_add_bp(b, 0, at, 0, DBS_EN_G, 0);
        dbs_add_bp(b, 1, at, 0, DBS_EN_OFF, 0);
        break;
    default:
        dbs_add_bp(b, 0, 0, 0, DBS_EN_G, 0);
        dbs_add_bp(b, 1, at, 0, DBS_EN_G, 0);
        dbs_add_bp(b, 2, at + 1, 0, DBS_EN_G, 0);
        dbs_add_bp(b, 3, last, 0, DBS_EN_G, 0);
        break;
    }
    return 0;
}

/* bplen.len<n>.dr<n>.<arm>.<subject>: an execute breakpoint with LEN != 00
 * is undefined (SDM 18.2.5; AMD APM 13.1.1.4): the model says so. */
static int build_bplen(struct builder *b, const unsigned *d)
{
    static const unsigned bytes[] = {2, 8, 4}; /* LEN = 01, 10, 11 */
    static const uint8_t subj[] = {0, 1, 7};   /* nop, mov, cpuid */
    unsigned at;

    name_num(b, "bplen.len", bytes[d[0]]);
    name_num(b, "dr", d[1]);
    name_part(b, dbs_arms[d[2]].name);
    name_part(b, dbs_subjects[subj[d[3]]].name);
    b->s->tf = dbs_arms[d[2]].tf;
    add(b, DBS_I_NOP);
    at = dbs_add_subject(b, &dbs_subjects[subj[d[3]]]);
    add(b, DBS_I_NOP);
    dbs_add_bp(b, d[1], at, 0, DBS_EN_G, d[0] + 1);
    return 0;
}

/* pfx.<set>.<bp>.<arm>: prefixes before the subject, DR0 on the first prefix,
 * an inner prefix, the opcode or the ModRM byte. */
static int build_pfx(struct builder *b, const unsigned *d)
{
    static const char *const bps[] = {"nobp", "first", "inner", "opcode", "modrm"};
    struct dbs_case_spec *s = b->s;
    unsigned n, i, base;
    const uint8_t *bytes = 0;
    char tmp[16];
    struct dbs_buf t;

    if (d[0] < DBS_PFXSETS) {
        n = dbs_pfxsets[d[0]].n;
        bytes = dbs_pfxsets[d[0]].b;
        base = dbs_pfxsets[d[0]].base;
        name_part(b, "pfx");
        name_part(b, dbs_pfxsets[d[0]].name);
    } else {
        n = d[0] - (unsigned)DBS_PFXSETS;
        base = DBS_I_MOV_EBX_ECX;
        dbs_buf_init(&t, tmp, sizeof(tmp));
        dbs_put_str(&t, "cs_x");
        dbs_put_dec(&t, n);
        name_part(b, "pfx");
        name_part(b, dbs_buf_str(&t));
    }
    if (d[1] == 2 && n < 2)
        return 1;
    if ((d[1] == 1 || d[1] == 2) && n == 0)
        return 1;
    name_part(b, bps[d[1]]);
    name_part(b, dbs_arms[d[2]].name);
    s->tf = dbs_arms[d[2]].tf;
    add(b, DBS_I_NOP);
    add(b, (uint8_t)base);
    add(b, DBS_I_NOP);
    s->pfx_at = 1;
    s->npfx = (uint8_t)n;
    for (i = 0; i < n; i++)
        s->pfx[i] = bytes ? bytes[i] : 0x2e;
    switch (d[1]) {
    case 1: dbs_add_bp(b, 0, 1, 0, DBS_EN_G, 0); break;
    case 2: dbs_add_bp(b, 0, 1, (int)n / 2, DBS_EN_G, 0); break;
    case 3: dbs_add_bp(b, 0, 1, (int)n, DBS_EN_G, 0); break;
    case 4: dbs_add_bp(b, 0, 1, (int)n + 1, DBS_EN_G, 0); break;
    default: break;
    }
    return 0;
}

/* shadow.<shadow>.<bp>.<subject>: TF armed by POPF right before a MOV SS,
 * POP SS or STI shadow; a code breakpoint on the shadowed instruction or the
 * one after; "gd": DR7.GD with a MOV DR in the shadow; "sswatch": no TF, a
 * read/write watchpoint on the selector MOV SS loads (the CVE-2018-8897
 * family with INT n, INT3, ICEBP, SYSCALL after it). Where Intel and AMD
 * differ. */
static int build_shadow(struct builder *b, const unsigned *d)
{
    static const char *const bps[] = {"nobp", "shadowed", "after", "gd", "sswatch"};
    const struct dbs_shadow *sh = &dbs_shadows[d[0]];
    unsigned i;

    if (d[1] == 3 && (d[2] < DBS_SUBJ_MOVDR || d[2] > DBS_SUBJ_MOVDR + 1))
        return 1;
    if (d[1] == 4 && d[0] != DBS_SHADOW_MOVSS_MEM)
        return 1;
    /* other modes: the shadow, the vendor variant and the SS-load watchpoint;
     * "after" and "gd" say nothing there that k64 and the gd group do not */
    if (b->s->mode != DBS_MODE_K64 && (d[1] == 2 || d[1] == 3))
        return 1;
    name_part(b, "shadow");
    name_part(b, sh->name);
    name_part(b, bps[d[1]]);
    name_part(b, dbs_subjects[d[2]].name);
    b->s->tf = d[1] == 4 ? DBS_TF_NONE : DBS_TF_POPF;
    for (i = 0; i < sh->n; i++)
        add(b, sh->insn[i]);
    dbs_add_subject(b, &dbs_subjects[d[2]]);
    add(b, DBS_I_NOP);
    if (d[1] == 1)
        dbs_add_bp(b, 2, sh->n, 0, DBS_EN_G, 0);
    else if (d[1] == 2)
        dbs_add_bp(b, 2, sh->n + 1u, 0, DBS_EN_G, 0);
    else if (d[1] == 3)
        b->s->dr7_extra = (uint32_t)DBS_DR7_GD;
    else if (d[1] == 4) /* KUT's: DR1, 4 bytes, read or write */
        b->s->bp[b->s->nbp++] = (struct dbs_bp_spec){.dr = 1, .space = DBS_BP_DATA, .at = 8,
                                                     .rw = DBS_RW_RW, .len = 3, .en = DBS_EN_G};
    return 0;
}

/* gd.<arm>.<subject>: DR7.GD, then MOV from/to a debug register: #DB(BD)
 * fault at the MOV, GD cleared on delivery (SDM 18.3.1.3). */
static int build_gd(struct builder *b, const unsigned *d)
{
    name_part(b, "gd");
    name_part(b, dbs_arms[d[0]].name);
    name_part(b, dbs_subjects[DBS_SUBJ_MOVDR + d[1]].name);
    b->s->tf = dbs_arms[d[0]].tf;
    b->s->dr7_extra = (uint32_t)DBS_DR7_GD;
    add(b, DBS_I_NOP);
    dbs_add_subject(b, &dbs_subjects[DBS_SUBJ_MOVDR + d[1]]);
    add(b, DBS_I_NOP);
    return 0;
}

#define NSUBJ ((unsigned)DBS_SUBJECTS)
#define K64 DBS_MODE_BIT(DBS_MODE_K64)
#define ALL_MODES ((1u << DBS_MODE_COUNT) - 1)
static const struct subgroup subgroups[] = {
    {build_ss, 2, {DBS_ARMS, NSUBJ}, ALL_MODES},
    {build_ssbp, 4, {DBS_ARMS_PLAIN, 4, 2, NSUBJ}, K64},
    {build_bppos, 3, {DBS_ARMS_PLAIN, 4, NSUBJ}, K64 | DBS_MODE_BIT(DBS_MODE_U64)},
    {build_bpmulti, 3, {5, 3, NSUBJ}, K64},
    {build_bplen, 4, {3, 4, 2, 3}, K64},
    {build_pfx, 3, {DBS_PFXSETS + PFX_COUNTS, 5, 2}, K64 | DBS_MODE_BIT(DBS_MODE_U64)},
    {build_shadow, 3, {DBS_SHADOWS, 5, NSUBJ}, ALL_MODES},
    {build_gd, 2, {DBS_ARMS_PLAIN, 2}, K64 | DBS_MODE_BIT(DBS_MODE_K32)},
};

DBS_PRODUCT_GROUP(dbs_group_sweep, "sweep", subgroups, 16384);
