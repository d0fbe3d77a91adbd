/* Reference model of #DB delivery. It runs a case on an abstract CPU: at each
 * instruction boundary it delivers pending traps and code-breakpoint faults
 * as the harness's handler sees them (one event per #DB, RF set by the
 * handler after an instruction breakpoint, TF dropped past the case's end,
 * the case unwound on any other vector), then executes the instruction by
 * its kind tag. Every rule names its source. Where a rule is missing the
 * model says so instead of guessing. */
#include "dbs_model.h"
#include "dbs_arch.h"
#include "dbs_event.h"
#include "dbs_insn.h"

const char *const dbs_vendor_names[DBS_VENDOR_COUNT] = {"intel", "amd"};

enum dbs_vendor dbs_vendor_of(const char *v)
{
    static const char amd[] = "AuthenticAMD", hygon[] = "HygonGenuine";
    unsigned i;
    int is_amd = 1, is_hygon = 1;

    for (i = 0; i < 12; i++) {
        is_amd &= v[i] == amd[i];
        is_hygon &= v[i] == hygon[i];
    }
    return is_amd || is_hygon ? DBS_VENDOR_AMD : DBS_VENDOR_INTEL;
}

#define UNKNOWN (-1)
#define MAX_STEPS 256
#define STACK_MAX 8

struct slot {            /* what the model knows of a pushed qword */
    signed char tf;      /* RFLAGS image: its TF bit, or UNKNOWN */
    signed char ret;     /* return address as an instruction index, or UNKNOWN */
};

struct cpu {
    const struct dbs_case *c;
    enum dbs_vendor v;
    unsigned i;               /* instruction about to run */
    int tf, rf, shadow;       /* shadow: this instruction follows MOV SS */
    uint64_t dr6, dr7;
    int dr_moved[4];          /* DRn rewritten by the case: its breakpoint is gone */
    uint32_t pend_bits;       /* traps waiting for the next boundary: BS, Bn (data) */
    uint32_t defer_bits;      /* traps a MOV SS shadow holds back */
    long rcx;                 /* UNKNOWN if not known */
    signed char rax_tf;       /* TF bit of rax (the arming's RFLAGS image) */
    struct slot stack[STACK_MAX];
    unsigned sp;
    const char *why;          /* set when the outcome is not EXPECT */
    enum dbs_model_outcome outcome;
    struct dbs_case *out;
    int done;
};

static void no_rule(struct cpu *m, const char *why)
{
    if (m->outcome == DBS_MODEL_EXPECT) {
        m->outcome = DBS_MODEL_NO_RULE;
        m->why = why;
    }
    m->done = 1;
}

static void undefined(struct cpu *m, const char *why)
{
    m->outcome = DBS_MODEL_UNDEFINED;
    m->why = why;
    m->done = 1;
}

static void emit(struct cpu *m, unsigned vector, unsigned at, uint64_t dr6, uint32_t any)
{
    struct dbs_case *o = m->out;

    if (o->nexp >= DBS_CASE_MAX_EXP || o->nexp >= DBS_MAX_EVENTS) {
        no_rule(m, "more events than the model tracks");
        return;
    }
    o->exp[o->nexp++] = (struct dbs_exp){.vector = (uint8_t)vector, .rip_off = m->c->off[at],
                                         .dr6 = (uint32_t)dr6, .dr6_any = any};
}

static int bp_armed(const struct cpu *m, unsigned n)
{
    return !m->dr_moved[n] && dbs_dr7_enabled(m->dr7, n);
}

/* Execute breakpoints (R/W=00) whose address is the first byte of the
 * instruction, prefixes included (SDM 18.2.5, 18.3.1.1). enabled: DR7 L/G;
 * any: disabled matching DRs, whose Bn "may be set" (SDM 18.2.3). */
static void code_matches(const struct cpu *m, unsigned at, uint32_t *enabled, uint32_t *any,
                         int *len_bad)
{
    unsigned k;

    *enabled = *any = 0;
    *len_bad = 0;
    for (k = 0; k < m->c->nbp; k++) {
        const struct dbs_bp *b = &m->c->bp[k];

        if (b->space != DBS_BP_CODE || b->rw != DBS_RW_EXEC || m->dr_moved[b->dr] ||
            b->off != m->c->off[at])
            continue;
        if (bp_armed(m, b->dr)) {
            *enabled |= (uint32_t)DBS_DR6_B(b->dr);
            *len_bad |= b->len != 0;
        } else {
            *any |= (uint32_t)DBS_DR6_B(b->dr);
        }
    }
}

/* One #DB as the handler sees it. B0-B3 report this exception's conditions
 * only; BD, BS, BT stay set until software clears them (SDM 18.2.3; AMD APM
 * 13.1.1.3). RTM (bit 16) reads 1 outside transactions. */
static void deliver_db(struct cpu *m, unsigned at, uint32_t bits, uint32_t any)
{
    m->dr6 = (m->dr6 & ~0xfull) | bits | DBS_DR6_RTM;
    emit(m, DBS_VEC_DB, at, m->dr6, any);
    if (m->c->dr6_reset)
        m->dr6 = m->c->dr6_init;
    /* Delivering an exception ends a MOV SS shadow; the traps it held back
     * are not delivered after it (KUT singlestep_with_movss_blocking_and_dr7_gd
     * and _and_icebp: only the GD fault / ICEBP trap is reported). */
    m->shadow = 0;
    m->defer_bits = 0;
}

/* At the boundary before instruction `at`: pending traps, and instruction
 * breakpoints, which hardware reports in the same #DB (SDM 18.3.1.1: a code
 * breakpoint is checked before the instruction starts, so it meets a single
 * step pending from the one before; KUT singlestep_with_code_db: BS|B2). */
static void boundary(struct cpu *m, unsigned at)
{
    uint32_t code = 0, any = 0, bits = m->pend_bits;
    int len_bad = 0;

    if (at < m->c->ninsn) {
        code_matches(m, at, &code, &any, &len_bad);
        if (len_bad) {
            undefined(m, "execute breakpoint with LEN != 00 (SDM 18.2.5)");
            return;
        }
        /* RF=1 suppresses instruction breakpoints (SDM 18.3.1.1). */
        if (m->rf) {
            any |= code;
            code = 0;
        }
        /* The instruction after MOV SS: Intel does not report its code
         * breakpoint, AMD does (SDM vol. 3A 6.8.3; AMD APM vol. 2 13.1.1.5). */
        if (m->shadow && m->v == DBS_VENDOR_INTEL) {
            any |= code;
            code = 0;
        }
    }
    m->pend_bits = 0;
    if (!bits && !code)
        return;
    deliver_db(m, at, bits | code, any);
    /* the harness's handler sets RF after an instruction breakpoint */
    if (code)
        m->rf = 1;
}

static struct slot pop(struct cpu *m)
{
    if (!m->sp) {
        no_rule(m, "pops a value the case did not push");
        return (struct slot){UNKNOWN, UNKNOWN};
    }
    return m->stack[--m->sp];
}

static void push(struct cpu *m, struct slot s)
{
    if (m->sp == STACK_MAX) {
        no_rule(m, "stack deeper than the model tracks");
        return;
    }
    m->stack[m->sp++] = s;
}

/* Data breakpoint conditions of the scratch accesses an instruction makes
 * (SDM 18.2.5: R/W=01 write, 11 read or write; LEN ranges are aligned). */
static uint32_t data_hits(const struct cpu *m, unsigned id)
{
    static const unsigned char lens[4] = {1, 2, 8, 4};
    unsigned k, woff = 0, wlen = 0, roff = 0, rlen = 0;
    uint32_t hits = 0;

    switch (id) {
    case DBS_I_STORE_RAX: woff = 0, wlen = 8; break;
    case DBS_I_ADD_MEM_EBX: woff = roff = 0, wlen = rlen = 4; break;
    case DBS_I_MOVSS_MEM: roff = 8, rlen = 2; break;
    default: return 0;
    }
    for (k = 0; k < m->c->nbp; k++) {
        const struct dbs_bp *b = &m->c->bp[k];
        unsigned lo = b->off, hi = b->off + lens[b->len & 3];

        if (b->space != DBS_BP_DATA || !bp_armed(m, b->dr))
            continue;
        if (((b->rw == DBS_RW_WRITE || b->rw == DBS_RW_RW) && wlen && woff < hi && lo < woff + wlen) ||
            (b->rw == DBS_RW_RW && rlen && roff < hi && lo < roff + rlen))
            hits |= (uint32_t)DBS_DR6_B(b->dr);
    }
    return hits;
}

static int has_code_bp_on(const struct cpu *m, unsigned at)
{
    unsigned k;

    for (k = 0; k < m->c->nbp; k++)
        if (m->c->bp[k].space == DBS_BP_CODE && m->c->bp[k].off == m->c->off[at])
            return 1;
    return 0;
}

/* Runs instruction m->i; sets m->i to the next one. */
static void execute(struct cpu *m)
{
    const struct dbs_case *c = m->c;
    unsigned at = m->i, id = c->id[at], kind = c->kind[at], next = at + 1;
    const struct dbs_insn *in = &dbs_insns[id];
    int tf_start = m->tf, in_shadow = m->shadow;
    uint32_t traps = 0;

    switch (kind) {
    case DBS_K_UD: /* faults: RIP is the instruction; the harness unwinds */
        emit(m, DBS_VEC_UD, at, 0, 0);
        m->done = 1;
        return;
    case DBS_K_GP:
        emit(m, DBS_VEC_GP, at, 0, 0);
        m->done = 1;
        return;
    case DBS_K_CRASH:
        no_rule(m, "resets the machine on purpose");
        return;
    case DBS_K_INT3:
        /* #BP is a trap (RIP after INT3); delivering it clears TF, so no
         * single step follows (SDM 18.3.1.4); the harness unwinds. */
        emit(m, DBS_VEC_BP, next, 0, 0);
        m->done = 1;
        return;
    case DBS_K_ICEBP:
        /* INT1: a trap-like #DB with no DR6 condition bit, no single step
         * for the instruction itself (SDM 18.3; KUT icebp). */
        m->pend_bits = 0;
        deliver_db(m, next, 0, 0);
        m->i = next;
        m->rf = 0;
        return;
    case DBS_K_MOVDR:
        /* DR7.GD: any MOV DR faults with BD before it runs, even in a MOV SS
         * shadow; the CPU clears GD when it delivers the #DB (SDM 18.2.4,
         * 18.3.1.3; KUT singlestep_with_movss_blocking_and_dr7_gd). */
        if (m->dr7 & DBS_DR7_GD) {
            m->dr7 &= ~DBS_DR7_GD;
            deliver_db(m, at, (uint32_t)DBS_DR6_BD, 0);
            return; /* the MOV DR runs again, unshadowed, at the same boundary */
        }
        if (id == DBS_I_MOVDR6_RCX) {
            if (m->c->regs[1] >> 32)
                no_rule(m, "writes reserved DR6 bits");
            m->dr6 = m->c->regs[1];
        } else if (id == DBS_I_MOV_DR3_RBX) {
            m->dr_moved[3] = 1; /* DR3 := rbx (0): no case byte lives there */
        }
        break;
    case DBS_K_MOVSS:
        if (in_shadow) {
            undefined(m, "MOV SS in a MOV SS shadow: only the first is guaranteed to block (SDM vol. 3A 6.8.3)");
            return;
        }
        break;
    case DBS_K_POPF: {
        struct slot s = pop(m);
        if (s.tf == UNKNOWN)
            no_rule(m, "POPF loads an RFLAGS image the model does not know");
        m->tf = s.tf == 1;
        break;
    }
    case DBS_K_BRANCH:
        next = at; /* resolved below from the target offset */
        break;
    case DBS_K_CALL:
        push(m, (struct slot){UNKNOWN, (signed char)(at + 1)});
        next = at;
        break;
    case DBS_K_RET: {
        struct slot s = pop(m);
        if (s.ret == UNKNOWN)
            no_rule(m, "RET to an address the model does not know");
        next = (unsigned)s.ret;
        break;
    }
    case DBS_K_LOOP:
        if (m->rcx == UNKNOWN)
            no_rule(m, "LOOP with an unknown count");
        m->rcx--;
        next = m->rcx ? at : at + 1;
        break;
    case DBS_K_REP: {
        long n = m->rcx;
        /* One single-step trap per iteration, RIP on the REP instruction
         * until the last (SDM 18.3.1.4; vol. 1 7.3.9.2). */
        if (n == UNKNOWN || has_code_bp_on(m, at) || data_hits(m, id)) {
            no_rule(m, "breakpoint on a REP string instruction: no iteration rule in the model");
            return;
        }
        for (; n > 1 && tf_start; n--) {
            m->pend_bits = (uint32_t)DBS_DR6_BS;
            boundary(m, at);
        }
        m->rcx = 0;
        break;
    }
    default:
        break;
    }
    if (m->done)
        return;

    /* registers the model follows */
    switch (id) {
    case DBS_I_CLR_TF: m->rax_tf = 0; break;
    case DBS_I_XOR_RAX: case DBS_I_XOR_EAX: case DBS_I_MOV_RAX_42: m->rax_tf = 0; break;
    case DBS_I_CPUID: m->rax_tf = UNKNOWN; m->rcx = UNKNOWN; break;
    case DBS_I_RDMSR: case DBS_I_RDTSC: case DBS_I_XGETBV: case DBS_I_IN_AL_DX:
    case DBS_I_IN_AL_80: case DBS_I_MOV_RAX_DR0:
        m->rax_tf = UNKNOWN;
        break;
    case DBS_I_RDTSCP: m->rax_tf = UNKNOWN; m->rcx = UNKNOWN; break;
    case DBS_I_MOV_ECX_3: m->rcx = 3; break;
    case DBS_I_MOV_ECX_10: m->rcx = 0x10; break;
    case DBS_I_XOR_ECX: m->rcx = 0; break;
    case DBS_I_PUSH_RAX: push(m, (struct slot){m->rax_tf, UNKNOWN}); break;
    case DBS_I_PUSH_RBX: push(m, (struct slot){(signed char)((m->c->regs[0] >> 8) & 1), UNKNOWN}); break;
    case DBS_I_PUSHF: push(m, (struct slot){(signed char)m->tf, UNKNOWN}); break;
    case DBS_I_POP_RBX: pop(m); break;
    case DBS_I_AND_RSP_TF:
        if (m->sp)
            m->stack[m->sp - 1].tf = 0;
        break;
    default: break;
    }
    if (m->done)
        return;
    if (kind == DBS_K_BRANCH || kind == DBS_K_CALL) {
        unsigned target = c->off[at + 1] + (unsigned)(int)in->rel, k;
        for (k = 0; k <= c->ninsn && c->off[k] != target; k++)
            ;
        if (k > c->ninsn) {
            no_rule(m, "branch into the middle of an instruction");
            return;
        }
        next = k;
    }

    /* Traps the instruction raises: single step if TF was set when it
     * started (SDM 18.3.1.4), data breakpoints (SDM 18.3.1.2). */
    if (tf_start)
        traps |= (uint32_t)DBS_DR6_BS;
    traps |= data_hits(m, id);
    m->rf = 0; /* cleared once an instruction completes (SDM 18.3.1.1) */
    if (kind == DBS_K_MOVSS) {
        /* MOV SS holds #DB back until the next instruction completes
         * (SDM vol. 3A 6.8.3; AMD APM vol. 2 13.1.1.5). */
        m->defer_bits = traps;
        m->shadow = 1;
    } else {
        m->pend_bits = traps | (in_shadow ? m->defer_bits : 0);
        m->defer_bits = 0;
        m->shadow = 0;
    }
    m->i = next;
}

enum dbs_model_outcome dbs_model_apply(struct dbs_case *c, enum dbs_vendor v, const char **why)
{
    static struct cpu m;
    unsigned steps = 0;

    if (c->undefined) { /* the case says so itself (bplen: SDM 18.2.5) */
        c->nexp = -1;
        c->exp_source = dbs_vendor_names[v];
        if (why)
            *why = c->exp_why;
        return DBS_MODEL_UNDEFINED;
    }
    m = (struct cpu){.c = c, .v = v, .dr6 = c->dr6_init, .dr7 = dbs_case_dr7(c),
                     .rcx = (long)c->regs[1], .out = c, .outcome = DBS_MODEL_EXPECT};
    /* POPF and IRETQ set TF for the next instruction; the trap follows that
     * one, not the POPF/IRETQ (SDM 18.3.1.4). IRETQ with RF=1 suppresses the
     * first instruction's breakpoint (SDM 18.3.1.1). */
    m.tf = c->tf != DBS_TF_NONE;
    m.rf = c->tf == DBS_TF_IRETQ_RF;
    m.rax_tf = (signed char)m.tf;
    c->nexp = 0;
    c->undefined = 0;
    while (!m.done) {
        if (++steps > MAX_STEPS) {
            no_rule(&m, "runs longer than the model follows");
            break;
        }
        boundary(&m, m.i);
        if (m.done)
            break;
        if (m.i >= c->ninsn) {
            if (m.dr7 & DBS_DR7_GD)
                no_rule(&m, "DR7.GD still armed at the exit: the runner's MOV DR7 faults");
            break;
        }
        execute(&m);
    }
    if (m.outcome == DBS_MODEL_UNDEFINED) {
        c->undefined = 1;
        c->nexp = -1;
    } else if (m.outcome == DBS_MODEL_NO_RULE) {
        c->nexp = -1;
    }
    c->exp_source = m.outcome == DBS_MODEL_NO_RULE ? 0 : dbs_vendor_names[v];
    c->exp_why = m.why;
    if (why)
        *why = m.why;
    return m.outcome;
}
