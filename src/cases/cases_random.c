/* random.<seed>.<i>: cases drawn from the sweep's building blocks
 * (include/dbs_blocks.h) and the vocabulary's accesses, reproducible from
 * the seed alone (include/dbs_prng.h): a mode, a TF arming, one to three
 * items (subjects, data/I/O/MMIO accesses, a prefix set), perhaps an
 * interrupt shadow before one of them, and up to four DRs placed on what the
 * case executes and accesses. The draw leans to what hypervisors emulate
 * or intercept (CPUID, IN/OUT, RDMSR, the APIC page), shadows, several
 * conditions at one boundary and privilege transitions (CPL3, compatibility
 * mode, SYSCALL/SYSRET, INT n). dbs_case_build() is the judge of safety (no
 * unknown address, nothing on what #DB's own delivery touches); a draw it
 * refuses, or one the rules below refuse, is redrawn from the same stream,
 * so case i stays a function of (seed, i). */
#include "dbs_blocks.h"
#include "dbs_options.h"
#include "dbs_prng.h"

#define ATTEMPTS 256 /* tests/unit/test_random.c: 20,000 draws need far fewer */
#define RBX_LO 16    /* [rdi+rbx] accesses stay off the SS selector at scratch+8 */
#define RBX_SPAN 96  /* ... and inside the 128-byte scratch area */
#define PORT 0x80    /* the POST code port: rdx on entry, what DX-port I/O names */

/* Accesses beyond the subjects: the targets of data, I/O and MMIO
 * breakpoints. String instructions read [rsi]: set to scratch+32 first. */
static const uint8_t accessors[] = {
    DBS_I_STORE1,   DBS_I_STORE2,    DBS_I_STORE4,  DBS_I_STORE8,    DBS_I_LOAD1,
    DBS_I_LOAD2,    DBS_I_LOAD4,     DBS_I_LOAD8,   DBS_I_ADD_MEM4,  DBS_I_XCHG_MEM4,
    DBS_I_MOVSB,    DBS_I_MOVSD,     DBS_I_STOSW,   DBS_I_STOSQ,     DBS_I_LODSB,
    DBS_I_LODSQ,    DBS_I_IN_AL_DX,  DBS_I_IN_AX_DX, DBS_I_IN_EAX_DX, DBS_I_OUT_DX_AL,
    DBS_I_IN_AX_80, DBS_I_IN_EAX_80, DBS_I_INSB,    DBS_I_INSD,      DBS_I_OUTSB,
    DBS_I_LOAD_APIC_VER, DBS_I_LOAD_APIC_ID,
};
#define NACC (sizeof(accessors) / sizeof(accessors[0]))

/* k64, u64, k32, u32: CPL3 and compatibility mode for transitions */
static const uint8_t mode_weights[DBS_MODE_COUNT] = {4, 3, 2, 3};
/* none, popf, iretq, iretq_rf, popf_clear */
static const uint8_t arm_weights[DBS_ARMS] = {2, 3, 3, 2, 2};
/* a subject, an access, a prefix set */
static const uint8_t item_weights[3] = {5, 4, 1};
/* DRs armed: 0..4 */
static const uint8_t nbp_weights[5] = {1, 3, 3, 2, 1};
/* a DR's target: code, data, I/O, MMIO, the SS descriptor */
enum { T_CODE, T_DATA, T_IO, T_APIC, T_SSDESC, T_COUNT };
static const uint8_t target_weights[T_COUNT] = {4, 3, 2, 1, 1};

static struct {
    uint64_t seed;
    unsigned n;
} draws[DBS_RANDOM_ITEMS];
static unsigned ndraws;

/* What hypervisors emulate or intercept, and privilege transitions, weigh more. */
static uint8_t subject_weight(const struct dbs_subject *sub)
{
    switch (dbs_insns[sub->insn[sub->at]].kind) {
    case DBS_K_CPUID: case DBS_K_IO: case DBS_K_MSR: return 6;
    case DBS_K_SYSCALL: case DBS_K_SWINT: case DBS_K_MOVDR: case DBS_K_POPF: return 3;
    default: return 1;
    }
}

static int uses(const struct dbs_case_spec *s, unsigned id)
{
    unsigned i;

    for (i = 0; i < s->ninsn; i++)
        if (s->insn[i] == id)
            return 1;
    return 0;
}

/* A watched SS descriptor puts a watchpoint on the GDT's page, which an
 * event's delivery from CPL3 reads: with another data hit pending, that
 * delivery aborts QEMU 7.2 as one that hits a watchpoint itself does
 * (random.1.582: "qemu_mutex_lock_iothread_impl: assertion failed"). Such a
 * case needs what the data group's delivery watches need (dbs_case.h). */
static int watches(const struct dbs_case_spec *s, unsigned space)
{
    unsigned k;

    for (k = 0; k < s->nbp; k++)
        if (s->bp[k].space == space)
            return 1;
    return 0;
}

/* Appends one item; 1 where the draw breaks a rule of its own. */
static int add_item(struct dbs_prng *r, struct builder *b, int *pfx_used)
{
    static uint8_t sw[DBS_SUBJECTS];
    struct dbs_case_spec *s = b->s;
    unsigned k, id;

    if (!sw[0])
        for (k = 0; k < DBS_SUBJECTS; k++)
            sw[k] = subject_weight(&dbs_subjects[k]);
    switch (dbs_prng_pick(r, item_weights, 3)) {
    case 0:
        dbs_add_subject(b, &dbs_subjects[dbs_prng_pick(r, sw, DBS_SUBJECTS)]);
        return b->bad;
    case 1:
        id = accessors[dbs_prng_below(r, NACC)];
        if (dbs_insns[id].string)
            add(b, DBS_I_LEA_RSI_RDI32);
        if (dbs_insns[id].mem[0].space == DBS_BP_APIC) {
            /* the data group's APIC cases run at CPL0 in 64-bit code only */
            if (s->mode != DBS_MODE_K64)
                return 1;
            s->needs |= DBS_NEEDS_XAPIC;
        }
        add(b, (uint8_t)id);
        return 0;
    default: {
        const struct dbs_pfxset *p = &dbs_pfxsets[dbs_prng_below(r, DBS_PFXSETS)];

        if ((*pfx_used)++)
            return 1; /* one prefixed instruction a case */
        s->pfx_at = s->ninsn;
        s->npfx = p->n;
        for (k = 0; k < p->n; k++)
            s->pfx[k] = p->b[k];
        add(b, p->base);
        return 0;
    }
    }
}

/* One DR on something the case executes or accesses, or near it. */
static void add_target(struct dbs_prng *r, struct builder *b, const struct dbs_case *c,
                       unsigned dr)
{
    static const uint8_t en[] = {DBS_EN_L, DBS_EN_G, DBS_EN_LG, DBS_EN_G, DBS_EN_OFF};
    static const unsigned lens[] = {1, 2, 4, 8};
    static const uint8_t data_rw[] = {DBS_RW_WRITE, DBS_RW_RW};
    struct dbs_case_spec *s = b->s;
    unsigned t = dbs_prng_pick(r, target_weights, T_COUNT), i, k, space, l, at;
    uint8_t e = en[dbs_prng_below(r, sizeof(en))];
    const struct dbs_mem *m = 0;

    /* the SS descriptor of their own: CPL3 modes; the APIC page: as the data group, k64 */
    if ((t == T_SSDESC && !dbs_mode_user(s->mode)) || (t == T_APIC && s->mode != DBS_MODE_K64))
        t = T_DATA;
    if (t == T_CODE) {
        at = dbs_prng_below(r, c->ninsn);
        /* into the prefixes or the opcode of the prefixed instruction */
        dbs_add_bp(b, dr, at, at == s->pfx_at && s->npfx ? (int)dbs_prng_below(r, s->npfx + 2u) : 0,
                   e, 0);
        return;
    }
    space = t == T_DATA ? DBS_BP_DATA : t == T_IO ? DBS_BP_IO : t == T_APIC ? DBS_BP_APIC
                                                                       : DBS_BP_SSDESC;
    /* an access of that space the case makes, if any: the range on it,
     * overlapping one end, or just off it */
    for (k = dbs_prng_below(r, c->ninsn), i = 0; i < 2u * c->ninsn && !m; i++) {
        const struct dbs_mem *x = &c->mem[(k + i / 2) % c->ninsn][i % 2];

        if (x->acc != DBS_ACC_NONE && x->space == space)
            m = x;
    }
    l = space == DBS_BP_SSDESC ? 8 : lens[dbs_prng_below(r, 4)];
    at = m ? m->off : space == DBS_BP_IO ? PORT : dbs_prng_below(r, DBS_SCRATCH_BYTES);
    switch (dbs_prng_below(r, 4)) {
    case 1: at += m ? m->len - 1u : 0; break;
    case 2: at = at >= l ? at - l : at; break;
    case 3: at += m ? m->len : l; break;
    default: break;
    }
    if (space == DBS_BP_SSDESC)
        at = 0;
    s->bp[s->nbp++] = (struct dbs_bp_spec){
        .dr = (uint8_t)dr, .space = (uint8_t)space, .at = (uint16_t)(at & ~(l - 1u)),
        .rw = space == DBS_BP_IO ? DBS_RW_IO : data_rw[dbs_prng_below(r, 2)],
        .len = dbs_dr7_len_field(l), .en = e};
    if (space == DBS_BP_IO)
        s->cr4_de = DBS_DE_SET; /* I/O breakpoints need CR4.DE=1 (SDM 18.2.4) */
    if (space == DBS_BP_APIC)
        s->needs |= DBS_NEEDS_XAPIC;
}

/* One attempt at case (seed, i): 0 and *c built, or 1 to draw again. */
static int draw(struct dbs_prng *r, struct dbs_case_spec *s, struct dbs_case *c, const char *name)
{
    struct builder b = {.s = s};
    const struct dbs_arm *a;
    unsigned j, k, n, shadow_at, nbp, dr[4] = {0, 1, 2, 3};
    int pfx_used = 0;

    *s = (struct dbs_case_spec){.name = name, .dr6_init = (uint32_t)DBS_DR6_INIT,
                                .mode = (uint8_t)dbs_prng_pick(r, mode_weights, DBS_MODE_COUNT),
                                .regs = {RBX_LO + dbs_prng_below(r, RBX_SPAN), 3, PORT}};
    a = &dbs_arms[dbs_prng_pick(r, arm_weights, DBS_ARMS)];
    s->tf = a->tf;
    n = 1 + dbs_prng_below(r, 3);
    shadow_at = dbs_prng_below(r, 2 * n); /* half the cases: a shadow before item shadow_at */
    for (k = 0; k < n; k++) {
        if (k == shadow_at) {
            const struct dbs_shadow *sh = &dbs_shadows[dbs_prng_below(r, DBS_SHADOWS)];

            for (j = 0; j < sh->n; j++) {
                /* MOV SS,ESI loads the selector rsi holds on entry */
                if (sh->insn[j] == DBS_I_MOVSS_SI && uses(s, DBS_I_LEA_RSI_RDI32))
                    return 1;
                add(&b, sh->insn[j]);
            }
        }
        if (add_item(r, &b, &pfx_used))
            return 1;
    }
    if (a->clear)
        dbs_add_clear_tf(&b);
    add(&b, DBS_I_NOP);
    if (s->ninsn >= DBS_CASE_MAX_INSNS || dbs_case_build(s, c))
        return 1;
    /* the breakpoints, on the compiled case's boundaries and accesses */
    nbp = dbs_prng_pick(r, nbp_weights, 5);
    for (k = 4; k > 1; k--) {
        unsigned j = dbs_prng_below(r, k), t = dr[k - 1];

        dr[k - 1] = dr[j];
        dr[j] = t;
    }
    for (k = 0; k < nbp; k++)
        add_target(r, &b, c, dr[k]);
    if (watches(s, DBS_BP_SSDESC) && (watches(s, DBS_BP_DATA) || watches(s, DBS_BP_APIC)))
        s->needs |= DBS_NEEDS_DELIVERY_WATCH;
    return dbs_case_build(s, c) ? 1 : 0;
}

static void case_name(char *name, uint64_t seed, unsigned i)
{
    struct dbs_buf nb;

    dbs_buf_init(&nb, name, DBS_CASE_MAX_NAME);
    dbs_put_str(&nb, "random.");
    dbs_put_dec(&nb, seed);
    dbs_put_char(&nb, '.');
    dbs_put_dec(&nb, i);
    dbs_buf_str(&nb);
}

/* The spec of case (seed, i), with the attempts it took; -1 past ATTEMPTS. */
int dbs_random_spec(uint64_t seed, unsigned i, struct dbs_case_spec *s, char *name,
                    unsigned *attempts)
{
    static struct dbs_case c;
    struct dbs_prng r;
    unsigned k;

    case_name(name, seed, i);
    dbs_prng_init(&r, seed, i);
    for (k = 1; k <= ATTEMPTS; k++)
        if (!draw(&r, s, &c, name)) {
            if (attempts)
                *attempts = k;
            return 0;
        }
    return -1;
}

int dbs_random_case(uint64_t seed, unsigned i, struct dbs_case *out)
{
    struct dbs_case_spec s;
    char name[DBS_CASE_MAX_NAME];

    return dbs_random_spec(seed, i, &s, name, 0) ? -1 : dbs_case_build(&s, out);
}

void dbs_random_configure(const char *list)
{
    uint64_t seed;
    unsigned n, k;

    ndraws = 0;
    while (*list) {
        size_t len = 0;

        while (list[len] && list[len] != ',')
            len++;
        if (dbs_random_item(list, len, &seed, &n) > 0) {
            /* the same seed twice: one draw, the longer */
            for (k = 0; k < ndraws && draws[k].seed != seed; k++)
                ;
            if (k < ndraws && draws[k].n < n)
                draws[k].n = n;
            else if (k == ndraws && ndraws < DBS_RANDOM_ITEMS) {
                draws[ndraws].seed = seed;
                draws[ndraws++].n = n;
            }
        }
        list += len + !!list[len];
    }
}

static unsigned random_count(void)
{
    unsigned k, n = 0;

    for (k = 0; k < ndraws; k++)
        n += draws[k].n;
    return n;
}

static int random_get(unsigned i, struct dbs_case_spec *s, char *name)
{
    unsigned k;

    for (k = 0; k < ndraws && i >= draws[k].n; k++)
        i -= draws[k].n;
    return k < ndraws ? dbs_random_spec(draws[k].seed, i, s, name, 0) : -1;
}

const struct dbs_case_group dbs_group_random = {"random", random_count, random_get};
