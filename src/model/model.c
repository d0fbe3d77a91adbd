/* Reference model of #DB delivery. It runs a case on an abstract CPU: at each
 * instruction boundary it delivers pending traps and code-breakpoint faults
 * as the harness's handler sees them (one event per #DB, RF set by the
 * handler after an instruction breakpoint, the case unwound on any other
 * vector), then runs the instruction in small steps: faults, software
 * interrupts, effects (from the vocabulary, src/cases/insn.c), control flow, and
 * the traps it leaves pending. Every rule names its source; docs/model.md
 * lists them with the hardware evidence behind each. */
#include "dbs_model.h"
#include "dbs_arch.h"
#include "dbs_event.h"
#include "dbs_ident.h"
#include "dbs_insn.h"

const char *const dbs_vendor_names[DBS_VENDOR_COUNT] = {"intel", "amd"};

enum dbs_vendor dbs_vendor_of(const char *v)
{
    return dbs_vendor_follows_amd(v) ? DBS_VENDOR_AMD : DBS_VENDOR_INTEL;
}

#define MAX_STEPS 256
#define STACK_MAX 8
#define ALL_BITS (~0ull)

struct val {
    uint64_t v, known; /* known: the bits of v the model knows */
};

struct slot {
    struct val val;
    int ret; /* a return address as an instruction index, or -1 */
};

/* Places where one vendor has no evidence and the model knows two
 * behaviours: it runs the case once per behaviour, and the note names the
 * one a machine showed. */
enum fork { FORK_NONE, FORK_TRAP_MEETS_CODE_BP, FORK_SYSRET_TF, FORK_REP_DATA_INTEL,
            FORK_REP_DATA_AMD, FORK_MOVSS_STEP, FORK_DATA_MEETS_CODE_BP };
static const struct {
    const char *why, *name[2];
} forks[] = {
    [FORK_TRAP_MEETS_CODE_BP] = {"AMD: a trap pending from the previous instruction meets a code "
                                 "breakpoint; no AMD data (Intel: one #DB, BS|Bn)",
                                 {"merged", "serial"}},
    [FORK_DATA_MEETS_CODE_BP] = {"Intel: a data or I/O trap pending from the previous instruction "
                                 "meets a code breakpoint; no data (Intel's single step: one #DB, "
                                 "BS|Bn)",
                                 {"merged", "serial"}},
    [FORK_SYSRET_TF] = {"Intel: where the single step of a SYSRET that sets TF lands; no Intel "
                        "data (AMD APM 13.1.4: before the return point's first instruction)",
                        {"at_return", "after_next"}},
    [FORK_REP_DATA_INTEL] = {"REP MOVS/STOS/LODS: which iteration reports a data breakpoint (SDM "
                             "18.3.1.2: P6 one iteration late; vol. 1 7.3.9.3: fast strings)",
                             {"exact", "late"}},
    [FORK_REP_DATA_AMD] = {"REP string: \"most implementations ... report the breakpoint on an "
                           "iteration later\" (APM 13.1.3.2)",
                           {"exact", "late"}},
    [FORK_MOVSS_STEP] = {"TF, MOV SS or POP SS, then INT n, INT3, INTO or SYSCALL: the step \"is "
                         "suppressed\" (SDM 6.8.3), yet VM entry wants it pending (SDM vol. 3C)",
                         {"suppressed", "held"}},
};

struct cpu {
    const struct dbs_case *c;
    enum dbs_vendor v;
    unsigned variant;     /* which known behaviour to follow at a fork */
    enum fork forked;     /* the fork reached, if any */
    int cpl3, w32;        /* the case's mode: CPL3, 32-bit compatibility mode */
    int of;               /* RFLAGS.OF: 1, 0, or -1 unknown */
    uint32_t rep_carry;   /* FORK_REP_DATA variant 1: a REP's hits, reported one iteration late */
    uint32_t hit_any;     /* Bn of disabled DRs whose condition held since the last #DB */
    unsigned i;           /* instruction about to run */
    int tf, rf, shadow;   /* shadow: this instruction follows MOV SS */
    int rf_open;          /* RF came back from a frame whose RF the sources leave open */
    uint32_t dr6_open;    /* B0-B3 the last #DB "may" have set (its dr6_any) */
    uint64_t dr6, dr7;
    int dr_moved[4];      /* DRn rewritten by the case: its breakpoint is gone */
    uint32_t pend_bits;   /* traps waiting for the next boundary: BS, Bn (data) */
    uint32_t defer_bits;  /* traps a MOV SS shadow holds back */
    struct val reg[DBS_R_COUNT];
    struct slot stack[STACK_MAX];
    unsigned sp;
    enum dbs_model_outcome outcome;
    const char *why;
    struct dbs_exp_list *out;
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

/* The case reaches fork f: 1 when this run follows the fork's second
 * behaviour. The model forks once per case; a second place no source settles
 * makes the case undefined. */
static int fork_second(struct cpu *m, enum fork f)
{
    if (m->forked && m->forked != f) {
        undefined(m, "two places no source settles in one case");
        return 0;
    }
    m->forked = f;
    return m->variant == 1;
}

static uint16_t off_of(const struct cpu *m, unsigned at)
{
    return m->c->off[at];
}

/* RF in the frame of a fault other than an instruction breakpoint: "for any
 * fault-class exception except a debug exception generated in response to
 * an instruction breakpoint, the value pushed for RF is 1" (SDM 18.3.1.1);
 * AMD: "when an exception occurs ... the processor normally sets RF=1 in the
 * RFLAGS image", cleared for an instruction breakpoint (APM vol. 2 3.1.6);
 * BS3Kit bs3-cpu-weird-1 expects RF=1 on #UD. The same holds for a trap
 * between two iterations of a REP string instruction (SDM ibid.; APM 3.1.6
 * "or when a string instruction is interrupted"). */
#define RF_FAULT 1

/* RF in the frame of a software interrupt (INT n, INT3, ICEBP): Intel
 * pushes 0, "since it was cleared at the start of the software interrupt"
 * (SDM 18.3.1.1). And of a #DB at a handler's first instruction: "On calls
 * to exception and interrupt handlers, the processor also clears the VM, RF,
 * and NT flags" (SDM vol. 3A 6.12.1.2), so that trap pushes RF=0. AMD's
 * manual does not say, and no test records it: open. */
static uint8_t swint_rf(const struct cpu *m)
{
    return m->v == DBS_VENDOR_INTEL ? 0 : DBS_RF_ANY;
}

static void emit(struct cpu *m, unsigned vector, uint16_t off, uint64_t dr6, uint32_t any,
                 uint8_t rf)
{
    struct dbs_exp_list *o = m->out;

    if (o->nexp >= DBS_CASE_MAX_EXP || o->nexp >= DBS_MAX_EVENTS) {
        no_rule(m, "more events than the model tracks");
        return;
    }
    o->exp[o->nexp++] = (struct dbs_exp){.vector = (uint16_t)vector, .rf = rf, .rip_off = off,
                                         .dr6 = (uint32_t)dr6, .dr6_any = any};
}

static int bp_armed(const struct cpu *m, unsigned n)
{
    return !m->dr_moved[n] && dbs_dr7_enabled(m->dr7, n);
}

/* One #DB as the handler sees it. B0-B3 report this exception's conditions
 * only; BD, BS, BT stay set until software clears them (SDM 18.2.3; AMD APM
 * 13.1.1.3); RTM (bit 16) reads 1 outside transactions. The CPU clears
 * DR7.GD on entry to the handler whatever the cause ("upon entering to the
 * debug exception handler", SDM 18.2.4; KVM commit 6bdf06625d24 made KVM do
 * so "regardless to the cause of the #DB" to match hardware and Bochs).
 * Delivering it ends a MOV SS shadow and drops the traps the shadow held
 * (KUT singlestep_with_movss_blocking_and_dr7_gd: only BD is reported). */
static void deliver_db(struct cpu *m, uint16_t off, uint32_t bits, uint32_t any, uint8_t rf)
{
    any |= m->hit_any & ~bits; /* disabled data matches "may" show too (SDM 18.2.3) */
    m->hit_any = 0;
    m->dr6 = (m->dr6 & ~0xfull) | bits | DBS_DR6_RTM;
    m->dr6_open = any & 0xf;
    emit(m, DBS_VEC_DB, off, m->dr6, any, rf);
    if (m->c->dr6_reset)
        m->dr6 = m->c->dr6_init;
    m->dr7 &= ~DBS_DR7_GD;
    m->shadow = 0;
    m->defer_bits = 0;
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
            b->off != off_of(m, at))
            continue;
        if (bp_armed(m, b->dr)) {
            *enabled |= (uint32_t)DBS_DR6_B(b->dr);
            *len_bad |= b->len != 0;
        } else {
            *any |= (uint32_t)DBS_DR6_B(b->dr);
        }
    }
}

/* At the boundary before instruction `at`: traps pending from the previous
 * instruction, and instruction breakpoints on this one. */
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
        /* After INT 1 returns on AMD, RF is what the INT pushed, which no
         * source gives: whether this breakpoint fires is open. */
        if (code && !m->rf && m->rf_open) {
            undefined(m, "AMD: RF in the frame INT n pushes is not documented; it decides "
                         "whether the breakpoint after INT 1 fires");
            return;
        }
        /* RF=1 suppresses instruction breakpoints (SDM 18.3.1.1). */
        if (m->rf) {
            any |= code;
            code = 0;
        }
        /* The instruction after MOV SS: Intel does not report its code
         * breakpoint, AMD does (SDM 18.3.1.1 "may not be triggered";
         * BS3Kit bs3-cpu-weird-1 on Skylake vs. Threadripper). */
        if (m->shadow && m->v == DBS_VENDOR_INTEL) {
            any |= code;
            code = 0;
        }
    }
    m->pend_bits = 0;
    if (!bits && !code)
        return;
    /* A trap pending from the previous instruction and a code breakpoint on
     * this one: Intel reports a single step and the breakpoint in ONE #DB
     * with BS|Bn (the Dec 2025 LKML patch's singlestep_with_code_db, run on
     * Intel hardware). No source says so for AMD, nor for a data or I/O
     * trap on Intel (the SDM's priority classes keep "traps on the previous
     * instruction" apart from "code breakpoint fault", vol. 3A 6.9; the
     * AMD-K5 manual handles the two one after the other): undefined there,
     * with both behaviours known so the note names the one seen. */
    if (bits && code && (m->v == DBS_VENDOR_AMD || (bits & 0xfu)) &&
        fork_second(m, m->v == DBS_VENDOR_AMD ? FORK_TRAP_MEETS_CODE_BP : FORK_DATA_MEETS_CODE_BP)) {
        /* serial: the trap, then the fault on return */
        deliver_db(m, off_of(m, at), bits, 0, (uint8_t)m->rf);
        bits = 0;
    }
    /* An instruction-breakpoint #DB pushes RF as it is (0: it fired); a
     * trap pushes the RF the completed instruction left (SDM 18.3.1.1). */
    deliver_db(m, off_of(m, at), bits | code, any, (uint8_t)m->rf);
    if (code)
        m->rf = 1; /* the harness's handler sets RF after an instruction breakpoint */
}

static void push(struct cpu *m, struct val v, int ret)
{
    if (m->sp == STACK_MAX) {
        no_rule(m, "stack deeper than the model tracks");
        return;
    }
    m->stack[m->sp++] = (struct slot){v, ret};
}

static struct slot pop(struct cpu *m)
{
    if (!m->sp) {
        no_rule(m, "pops a value the case did not push");
        return (struct slot){{0, 0}, -1};
    }
    return m->stack[--m->sp];
}

/* With CR4.DE=0, DR4/DR5 are aliases of DR6/DR7 (SDM 18.2.2); with DE=1
 * fault() has already raised #UD. */
static unsigned dr_of(unsigned n)
{
    return n == 4 || n == 5 ? n + 2 : n;
}

static uint32_t data_hits(struct cpu *m, const struct dbs_mem *a, unsigned shift);

/* The memory an event's delivery touches itself: the IDT gate it reads (16
 * bytes in IA-32e mode) and, from CPL3, the frame it pushes at the top of
 * the RSP0 stack (SDM vol. 3A 6.14.1, 6.14.2). A data breakpoint there is
 * hit by the delivery, and reported as a trap once the delivery is done, at
 * the handler's first instruction: data breakpoints are traps "after the
 * instruction that accessed the memory" (SDM 18.3.1.2; APM 13.1.1.5), and
 * with "a hardware breakpoint covering a data structure involved in
 * delivering #DB, upon completion of the delivery of the first exception
 * another #DB will need to be delivered" (Xen XSA-156, CVE-2015-8104: seen
 * on Intel and AMD, so Xen intercepts #DB under VMX and SVM and KVM does
 * under SVM, commit cbdb967af3d5); VirtualBox's tstCpuDbLoop
 * (ValidationKit bootsector2-cpu-db-loop.asm) puts a read/write watchpoint
 * on the #DB gate, single-steps, and fails unless #DB loops: the gate read
 * hits. The frame the CPU pushes for an event from CPL0 lies on the
 * caller's stack, which no case watches. */
static uint32_t delivery_hits(struct cpu *m, unsigned vector)
{
    const struct dbs_mem gate = {.acc = DBS_ACC_R, .space = DBS_BP_IDT, .len = 16,
                                 .off = (uint16_t)(16 * vector)};
    const struct dbs_mem frame = {.acc = DBS_ACC_W, .space = DBS_BP_KSTACK, .len = 40,
                                  .off = DBS_KSTACK_FRAME};

    return data_hits(m, &gate, 0) | (m->cpl3 ? data_hits(m, &frame, 0) : 0);
}

static int held_db(struct cpu *m, uint32_t own, uint32_t *bits, uint32_t *any);

/* An event delivered to its handler, which unwinds the case (any vector but
 * #DB's own), at offset off: first the #DB its delivery's accesses raise,
 * joined, when the event is a transfer (INT n, INT3, INTO) and not a fault,
 * by the one a MOV SS shadow held back (held_db()), then the event. */
static void deliver_event(struct cpu *m, unsigned vector, uint16_t off, uint8_t rf, int transfer)
{
    uint32_t bits = delivery_hits(m, vector), any = 0;

    if (transfer)
        held_db(m, 0, &bits, &any);
    if (bits)
        deliver_db(m, (uint16_t)(DBS_OFF_ENTRY | vector), bits, any, swint_rf(m));
    emit(m, vector, off, 0, 0, rf);
    m->done = 1;
}

/* Faults the instruction raises before it runs; 1 when one was delivered.
 * A fault in a MOV SS shadow drops the #DB the shadow held: "Any fault: drop
 * the pending #DB trap" (Linux selftests x86/mov_ss_trap.c, a watchpoint on
 * the SS load then #GP or #PF at CPL3); a held single step "is suppressed"
 * (SDM vol. 3A 6.8.3), and a fault in the shadow drops it too (KUT
 * singlestep_with_movss_blocking_and_dr7_gd: BD alone, no BS after). */
static int fault(struct cpu *m, const struct dbs_insn *in, unsigned kind)
{
    uint16_t here = off_of(m, m->i);

    /* CPL0-only instructions at CPL3: #GP(0) (SDM vol. 3A 5.9: MOV DR, RDMSR,
     * HLT, LIDT); a #DB(BD) for MOV DR would come first only at CPL0. */
    if (m->cpl3 && in->priv) {
        deliver_event(m, DBS_VEC_GP, here, RF_FAULT, 0);
        return 1;
    }
    /* INT n from CPL3 through a gate of DPL 0 (the #DB vector's): #GP
     * (SDM vol. 3A 6.12.1.1); ICEBP is not checked. */
    if (m->cpl3 && kind == DBS_K_SWINT && in->imm == DBS_VEC_DB) {
        deliver_event(m, DBS_VEC_GP, here, RF_FAULT, 0);
        return 1;
    }
    switch (kind) {
    case DBS_K_UD: /* UD2; LOCK on a register destination (SDM vol. 2A, LOCK) */
        deliver_event(m, DBS_VEC_UD, here, RF_FAULT, 0);
        return 1;
    case DBS_K_GP: /* longer than 15 bytes (SDM vol. 2A 2.3.11) */
        deliver_event(m, DBS_VEC_GP, here, RF_FAULT, 0);
        return 1;
    case DBS_K_CRASH:
        no_rule(m, "resets the machine on purpose (crash-recovery self-test)");
        return 1;
    case DBS_K_HANG:
        no_rule(m, "never ends on purpose (per-core timeout self-test)");
        return 1;
    case DBS_K_MOVDR:
        /* DR7.GD: any MOV DR faults with BD before it runs, even in a MOV SS
         * shadow (SDM 18.2.4, 18.3.1.3; KUT singlestep_with_movss_blocking_
         * and_dr7_gd). The frame's RF=1 (a fault) comes back with IRET. */
        if (m->dr7 & DBS_DR7_GD) {
            deliver_db(m, here, (uint32_t)DBS_DR6_BD, 0, RF_FAULT);
            m->rf = 1;
            return 1; /* the MOV DR runs again at the same boundary */
        }
        if (in->imm == 4 || in->imm == 5) {
            if (m->c->cr4_de == DBS_DE_ASIS) {
                no_rule(m, "DR4/DR5 with CR4.DE as the firmware left it");
                return 1;
            }
            /* CR4.DE=1: DR4/DR5 references raise #UD (SDM 18.2.2; KUT). */
            if (m->c->cr4_de == DBS_DE_SET) {
                deliver_event(m, DBS_VEC_UD, here, RF_FAULT, 0);
                return 1;
            }
        }
        return 0;
    default:
        return 0;
    }
}

/* ---- Data and I/O breakpoints ------------------------------------------- */

/* Whether DRn's condition holds for one access, enabled or not. R/W=01 data
 * writes, 11 data reads or writes, 10 I/O reads or writes with CR4.DE=1
 * (SDM 18.2.4; AMD APM 13.1.1.4; settings_undefined() takes CR4.DE=0). The
 * range is LENn bytes with DRn's low bits masked off: the CPU "uses LENn
 * field bits to mask the lower address bits in the debug registers" (SDM
 * 18.2.5); "LENn is used to mask the low-order address bits in the
 * corresponding DRn register" (APM 13.1.1.4; its Table 13-1 has DRn=F005
 * with 8 bytes covering F000-F007). Any byte of the access in the range
 * matches: "if any of the bytes participating in an access is within the
 * range" (SDM 18.2.5), "if any accessed byte falls within the range" (APM
 * 13.1.2). Breakpoints on linear addresses never match a port, nor the
 * reverse. */
static int watches(const struct dbs_bp *b, const struct dbs_mem *a, unsigned shift, int write)
{
    unsigned n = dbs_dr7_len_bytes(b->len), lo = a->off + shift, blo = b->off & ~(n - 1u);

    if (b->space != a->space || b->rw == DBS_RW_EXEC ||
        (b->rw == DBS_RW_IO) != (a->space == DBS_BP_IO) || (b->rw == DBS_RW_WRITE && !write))
        return 0;
    return lo < blo + n && blo < lo + a->len;
}

/* Data and I/O breakpoint conditions of one access, `shift` bytes on: the
 * enabled DRs it hits; disabled ones whose condition holds go to hit_any,
 * since their Bn "may or may not be set" (SDM 18.2.3). */
static uint32_t data_hits(struct cpu *m, const struct dbs_mem *a, unsigned shift)
{
    uint32_t hits = 0;
    unsigned k;

    if (a->acc == DBS_ACC_NONE)
        return 0;
    for (k = 0; k < m->c->nbp; k++) {
        const struct dbs_bp *b = &m->c->bp[k];
        int write = (a->acc & DBS_ACC_W) != 0;

        if (m->dr_moved[b->dr])
            continue;
        /* A CMPXCHG whose compare fails: "the destination operand receives
         * a write cycle without regard to the result of the comparison"
         * (SDM vol. 2A CMPXCHG). AMD's manual does not say. */
        if ((a->acc & DBS_ACC_WB) && b->rw == DBS_RW_WRITE && watches(b, a, shift, 1)) {
            if (m->v == DBS_VENDOR_AMD && bp_armed(m, b->dr)) {
                undefined(m, "AMD: whether a CMPXCHG whose compare fails writes its destination "
                             "(Intel: a write cycle either way, SDM vol. 2A CMPXCHG)");
                return 0;
            }
            write = 1; /* a disabled DR's Bn is open either way */
        }
        if (!watches(b, a, shift, write))
            continue;
        if (bp_armed(m, b->dr))
            hits |= (uint32_t)DBS_DR6_B(b->dr);
        else
            m->hit_any |= (uint32_t)DBS_DR6_B(b->dr);
    }
    return hits;
}

/* One access in iteration k: memory accesses move on by their length each
 * iteration, a port stays. */
static uint32_t access_hits(struct cpu *m, const struct dbs_mem *a, unsigned k)
{
    return data_hits(m, a, a->space == DBS_BP_IO ? 0 : k * a->len);
}

/* Every access instruction m->i makes (one iteration). */
static uint32_t insn_hits(struct cpu *m)
{
    return access_hits(m, &m->c->mem[m->i][0], 0) | access_hits(m, &m->c->mem[m->i][1], 0);
}

/* Whether the manuals leave open which iteration of a REP string
 * instruction reports a hit on this access. Intel settles REP INS/OUTS: a
 * memory breakpoint "after the iteration in which the memory address
 * breakpoint location is accessed", an I/O breakpoint "after the completion
 * of the first iteration" (SDM 18.3.1.2); not REP MOVS/STOS (P6 reports
 * them "until the completion of the iteration after the iteration in which
 * the breakpoint occurred", ibid.; fast-string operation recognizes data
 * breakpoints only between groups of iterations, vol. 1 7.3.9.3) nor REP
 * LODS. AMD settles I/O breakpoints on REP INS/OUTS ("after the first
 * iteration ... the #DB exception reoccurs after that iteration", APM
 * 13.1.3.3), not memory: "most implementations cannot report breakpoints
 * exactly for repeated string instructions, but instead report the
 * breakpoint on an iteration later" (APM 13.1.3.2). */
static int rep_inexact(const struct cpu *m, const struct dbs_mem *a)
{
    const struct dbs_mem *all = m->c->mem[m->i];
    int string_io = all[0].space == DBS_BP_IO || all[1].space == DBS_BP_IO;

    return a->space != DBS_BP_IO && (m->v == DBS_VENDOR_AMD || !string_io);
}

/* The data breakpoint bits to report after REP iteration k: the settled
 * ones, and the unsettled ones where they hit ("exact"), or in variant 1
 * one iteration later ("late"; the last iteration's after the instruction). */
static uint32_t rep_hits(struct cpu *m, unsigned k, int last)
{
    uint32_t exact = 0, late = 0, carried = m->rep_carry;
    unsigned j;

    for (j = 0; j < 2; j++) {
        uint32_t h = access_hits(m, &m->c->mem[m->i][j], k);

        if (rep_inexact(m, &m->c->mem[m->i][j]))
            late |= h;
        else
            exact |= h;
    }
    m->rep_carry = 0;
    if (late && !last) {
        enum fork f = m->v == DBS_VENDOR_INTEL ? FORK_REP_DATA_INTEL : FORK_REP_DATA_AMD;

        if (fork_second(m, f)) {
            m->rep_carry = late;
            late = 0;
        }
    }
    return exact | late | carried;
}

/* Breakpoint settings the manuals leave undefined: R/W=10 while CR4.DE=0
 * ("10 — Undefined", SDM 18.2.4; "CR4[DE] = 0—Condition is undefined", APM
 * 13.1.1.4) and I/O breakpoints of 8 bytes (LEN=10 is defined for data
 * only: SDM 18.2.4 note; APM 13.1.3.3 names byte, word, doubleword). */
static void settings_undefined(struct cpu *m)
{
    unsigned k;

    for (k = 0; k < m->c->nbp; k++) {
        const struct dbs_bp *b = &m->c->bp[k];

        if (b->rw != DBS_RW_IO || !dbs_dr7_enabled(m->dr7, b->dr))
            continue;
        if (m->c->cr4_de == DBS_DE_ASIS)
            no_rule(m, "R/W=10 with CR4.DE as the firmware left it");
        else if (m->c->cr4_de == DBS_DE_CLEAR)
            undefined(m, "R/W=10 with CR4.DE=0: \"10 - Undefined\" (SDM 18.2.4), \"Condition is "
                         "undefined\" (APM 13.1.1.4)");
        else if (dbs_dr7_len_bytes(b->len) == 8)
            undefined(m, "an I/O breakpoint of 8 bytes: LEN=10 is defined for data breakpoints only "
                         "(SDM 18.2.4; APM 13.1.3.3)");
    }
}

/* The #DB a MOV SS shadow held back, at the entry of the handler a transfer
 * (INT n, INT3, INTO, SYSCALL) reaches, beside the transfer's own traps
 * `own`: adds its bits to *bits and *any; 1 when it comes.
 * A held data breakpoint comes there: "INT $N, INT3, INTO, SYSCALL,
 * SYSENTER: enter the kernel and then deliver #DB" (Linux selftests
 * x86/mov_ss_trap.c, CPL3); KUT "MOV SS + watchpoint + INT3" and "+ int $1"
 * (CPL0); BS3Kit bs3-cpu-weird-1 tests #6-#9 (CPL3). Its Bn is the
 * manual's (SDM 18.2.3) and AMD reports it (BS3Kit on a Threadripper);
 * Intel parts lose it ("Intel loses the B0 status", BS3Kit on a Skylake;
 * errata SKL009, SKL111): don't-care on Intel.
 * A held single step (TF): "Any single-step trap that would be delivered
 * following the MOV to SS instruction or POP to SS instruction (because
 * EFLAGS.TF is 1) is suppressed" (SDM vol. 3A 6.8.3), while VM entry
 * requires pending debug exceptions BS=1 whenever TF=1 and blocking by MOV
 * SS is set (SDM vol. 3C, checks on guest non-register state): it stays
 * pending. No test sets TF here (the evidence above is watchpoints'), and no
 * AMD APM passage found settles it: a fork, on both vendors, unless the
 * transfer's own single step reports BS anyway. */
static int held_db(struct cpu *m, uint32_t own, uint32_t *bits, uint32_t *any)
{
    uint32_t watch = m->defer_bits & 0xfu, step = m->defer_bits & (uint32_t)DBS_DR6_BS;

    if (!m->shadow)
        return 0;
    if (step && !(own & step) && !fork_second(m, FORK_MOVSS_STEP))
        step = 0; /* suppressed */
    *bits |= watch | step;
    if (m->v == DBS_VENDOR_INTEL)
        *any |= watch;
    return (watch | step) != 0;
}

/* INT3, INT n, INTO, ICEBP. Software interrupts clear TF on delivery, so no
 * single step follows them (SDM 18.3.1.4; vol. 3A 6.12.1.2). A #DB that a
 * MOV SS shadow held back: held_db() (CVE-2018-8897). ICEBP drops it ("ICEBP:
 * enter the kernel but do not deliver the watchpoint trap", mov_ss_trap.c;
 * KUT "MOV SS + watchpoint + ICEBP": one #DB), the held single step too
 * (KUT singlestep_with_movss_blocking_and_icebp: no BS). */
static void software_interrupt(struct cpu *m, const struct dbs_insn *in, unsigned kind)
{
    uint16_t next = off_of(m, m->i + 1);

    m->pend_bits = 0;
    if (kind == DBS_K_ICEBP) {
        /* INT1: a trap-like #DB "without setting any bits in DR6"; B0-B3
         * left from before "may" be cleared: don't-care (SDM 18.3; KUT
         * icebp). So are Bn of a data trap a MOV SS shadow held: KUT's "MOV
         * SS + watchpoint + ICEBP" counts one #DB but reads no DR6. */
        deliver_db(m, next, 0, (uint32_t)(m->dr6 & 0xf) | m->dr6_open | (m->defer_bits & 0xf),
                   swint_rf(m));
    } else {
        uint32_t bits = 0, any = 0;

        if (in->imm != DBS_VEC_DB) { /* the harness unwinds after any other vector */
            deliver_event(m, in->imm, next, swint_rf(m), 1);
            return;
        }
        if (held_db(m, 0, &bits, &any))
            deliver_db(m, (uint16_t)(DBS_OFF_ENTRY | in->imm), bits, any, swint_rf(m));
        m->shadow = 0;
        m->defer_bits = 0;
        /* INT n to the #DB vector changes no DR6 bit: the handler reads it as it is */
        emit(m, in->imm, next, m->dr6, m->dr6_open, swint_rf(m));
        m->rf_open = swint_rf(m) == DBS_RF_ANY; /* the handler returns with that frame */
    }
    m->rf = 0;
    m->i++;
}

/* SYSCALL to dbsweep's entry, which records it and returns with SYSRET.
 * "#DB is raised if TF is 1 at the *end* of syscall/sysret" (KUT
 * x86/syscall.c test_syscall_tf, run on AMD): SYSCALL traps at the entry
 * only if IA32_FMASK kept TF; SYSRET loads RFLAGS from R11 (SDM vol. 2B
 * SYSRET), whose TF the case chooses (as saved, set or clear), and with TF
 * set traps at its end, before the return point runs (AMD APM vol. 2
 * 13.1.4; Intel: a fork). A #DB held back by MOV SS: held_db(), at the
 * entry (Linux mov_ss_trap.c; CVE-2018-8897). Intel
 * raises #UD for SYSCALL in compatibility mode (SDM vol. 2B SYSCALL). */
static void syscall_sysret(struct cpu *m, int tf)
{
    uint16_t entry = (uint16_t)(DBS_OFF_ENTRY | (m->w32 ? DBS_ENTRY_CSTAR : DBS_ENTRY_LSTAR));
    uint32_t bits = tf && !m->c->fmask_tf ? (uint32_t)DBS_DR6_BS : 0, any = 0;

    if (!m->cpl3) {
        no_rule(m, "SYSCALL at CPL0: dbsweep's SYSRET would return to CPL3");
        return;
    }
    if (m->w32 && m->v == DBS_VENDOR_INTEL) {
        deliver_event(m, DBS_VEC_UD, off_of(m, m->i), RF_FAULT, 0);
        return;
    }
    held_db(m, bits, &bits, &any);
    if (bits)
        deliver_db(m, entry, bits, any, swint_rf(m));
    m->shadow = 0;
    m->defer_bits = 0;
    emit(m, DBS_VEC_SYSCALL, entry, 0, 0, DBS_RF_ANY);
    m->reg[DBS_R_RCX] = (struct val){0, 0};
    m->rf = 0;
    m->i++;
    m->tf = m->c->sysret_tf == DBS_SYSRET_SAVED ? tf : m->c->sysret_tf == DBS_SYSRET_TF_SET;
    if (!m->tf)
        return;
    /* at_return: a trap pending at the return point's boundary, like the
     * one an instruction leaves; after_next: TF only takes effect there */
    if (m->v == DBS_VENDOR_AMD || !fork_second(m, FORK_SYSRET_TF))
        m->pend_bits = (uint32_t)DBS_DR6_BS;
}

/* Registers, the stack, the debug registers (the vocabulary's op). */
static void effects(struct cpu *m, const struct dbs_insn *in)
{
    struct val *dst = in->dst == DBS_R_TOS ? (m->sp ? &m->stack[m->sp - 1].val : 0)
                                           : &m->reg[in->dst];
    unsigned r, dr = dr_of(in->imm);
    struct slot s;

    switch (in->op) {
    case DBS_OP_SET:
        *dst = (struct val){in->imm, ALL_BITS};
        break;
    case DBS_OP_CLR_TF:
        if (!dst) {
            no_rule(m, "changes a stack slot the case did not push");
            return;
        }
        dst->v &= ~DBS_RFLAGS_TF;
        dst->known |= DBS_RFLAGS_TF;
        break;
    case DBS_OP_PUSH:
        /* PUSHF stores RFLAGS with RF (and VM) clear (SDM vol. 2B PUSHF). */
        push(m, in->src == DBS_R_FLAGS
                    ? (struct val){m->tf ? DBS_RFLAGS_TF : 0, DBS_RFLAGS_TF | DBS_RFLAGS_RF}
                    : m->reg[in->src], -1);
        break;
    case DBS_OP_POP:
        s = pop(m);
        if (in->dst != DBS_R_FLAGS) {
            m->reg[in->dst] = s.val;
        } else if (!(s.val.known & DBS_RFLAGS_TF)) {
            no_rule(m, "POPF loads an RFLAGS image the model does not know");
        } else {
            m->tf = (s.val.v & DBS_RFLAGS_TF) != 0;
        }
        break;
    case DBS_OP_DR_READ:
        *dst = dr == 6 ? (struct val){m->dr6, ALL_BITS}
             : dr == 7 ? (struct val){m->dr7, ALL_BITS} : (struct val){0, 0};
        break;
    case DBS_OP_SET_OF:
        m->of = (int)in->imm;
        break;
    case DBS_OP_DR_WRITE:
        if (dr == 6) {
            const struct val *src = &m->reg[in->src];
            if (src->known != ALL_BITS || src->v >> 32)
                no_rule(m, "writes DR6 with a value the model does not know, or reserved bits");
            /* bits 4-11 and 16-31 read as 1 whatever is written (SDM 18.2.3) */
            m->dr6 = src->v | DBS_DR6_INIT;
        } else if (dr < 4) {
            m->dr_moved[dr] = 1; /* a new address: no case byte lives there */
        } else {
            no_rule(m, "writes DR7 inside a case");
        }
        break;
    default:
        break;
    }
    for (r = 0; r < DBS_R_COUNT; r++)
        if (in->clobber & DBS_REG_BIT(r))
            m->reg[r] = (struct val){0, 0};
}

/* The next instruction index, or -1 (the model said why). */
static int control_flow(struct cpu *m, const struct dbs_insn *in, unsigned kind)
{
    const struct dbs_case *c = m->c;
    struct val *rcx = &m->reg[DBS_R_RCX];
    unsigned target, k;
    struct slot s;

    switch (kind) {
    case DBS_K_CALL:
        push(m, (struct val){0, 0}, (int)m->i + 1);
        /* fall through */
    case DBS_K_BRANCH:
        target = c->off[m->i + 1] + (unsigned)(int)in->rel;
        for (k = 0; k <= c->ninsn && c->off[k] != target; k++)
            ;
        if (k > c->ninsn) {
            no_rule(m, "branch into the middle of an instruction");
            return -1;
        }
        return (int)k;
    case DBS_K_RET:
        s = pop(m);
        if (s.ret < 0)
            no_rule(m, "RET to an address the model does not know");
        return s.ret;
    case DBS_K_LOOP:
        if (rcx->known != ALL_BITS) {
            no_rule(m, "LOOP with an unknown count");
            return -1;
        }
        rcx->v--;
        return rcx->v ? (int)m->i : (int)m->i + 1;
    default:
        return (int)m->i + 1;
    }
}

/* A REP string instruction's iterations before its last: each is a trap
 * point with RIP still on the instruction, and a trap there pushes RF=1 so
 * that the instruction's breakpoint does not fire again: a code breakpoint
 * on a REP instruction fires once (SDM 18.3.1.1; vol. 1 7.3.9.2). Data
 * breakpoints: rep_hits(). Returns the iteration count, or -1. */
static long rep_iterations(struct cpu *m, int tf)
{
    struct val *rcx = &m->reg[DBS_R_RCX];
    unsigned long k, n;

    if (rcx->known != ALL_BITS) {
        no_rule(m, "REP with an unknown count");
        return -1;
    }
    n = rcx->v;
    for (k = 0; k + 1 < n && !m->done; k++) {
        uint32_t bits = (tf ? (uint32_t)DBS_DR6_BS : 0) | rep_hits(m, (unsigned)k, 0);
        if (bits) {
            deliver_db(m, off_of(m, m->i), bits, 0, RF_FAULT);
            m->rf = 1;
        }
    }
    rcx->v = 0;
    return (long)n;
}

/* Runs instruction m->i and sets m->i to the next one. */
static void step(struct cpu *m)
{
    const struct dbs_case *c = m->c;
    const struct dbs_insn *in = &dbs_insns[c->id[m->i]];
    unsigned kind = c->kind[m->i];
    int tf_start = m->tf, in_shadow = m->shadow, next;
    uint32_t traps;
    long iterations = 1;

    if (kind == DBS_K_MOVSS && in_shadow) {
        undefined(m, "MOV SS in a MOV SS shadow: only the first is guaranteed to block (SDM vol. 3A 6.8.3)");
        return;
    }
    if (fault(m, in, kind) || m->done)
        return;
    if (kind == DBS_K_SWINT || kind == DBS_K_ICEBP) {
        software_interrupt(m, in, kind);
        return;
    }
    if (kind == DBS_K_SYSCALL) {
        syscall_sysret(m, tf_start);
        return;
    }
    if (kind == DBS_K_INTO) {
        /* INTO: #OF, a trap, when OF=1; nothing when OF=0 (SDM vol. 2A INTO) */
        if (m->of < 0) {
            no_rule(m, "INTO with an OF the model does not know");
            return;
        }
        if (m->of) {
            software_interrupt(m, in, kind);
            return;
        }
    }
    if (kind == DBS_K_REP)
        iterations = rep_iterations(m, tf_start);
    effects(m, in);
    next = m->done ? -1 : control_flow(m, in, kind);
    if (m->done || next < 0 || iterations < 0)
        return;

    /* Traps the instruction raises: single step if TF was set when it
     * started (SDM 18.3.1.4), data breakpoints (SDM 18.3.1.2). */
    traps = (tf_start ? (uint32_t)DBS_DR6_BS : 0) |
            (kind == DBS_K_REP ? (iterations ? rep_hits(m, (unsigned)(iterations - 1), 1) : 0)
                               : insn_hits(m));
    m->rf = 0; /* cleared once an instruction completes (SDM 18.3.1.1) */
    m->rf_open = 0;
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
    m->i = (unsigned)next;
}

static void run(const struct dbs_case *c, enum dbs_vendor v, unsigned variant,
                struct dbs_exp_list *out, struct cpu *m)
{
    unsigned steps = 0;

    *m = (struct cpu){.c = c, .v = v, .variant = variant, .dr6 = c->dr6_init,
                      .dr7 = dbs_case_dr7(c), .out = out, .outcome = DBS_MODEL_EXPECT,
                      .cpl3 = dbs_mode_user(c->mode), .w32 = dbs_mode_32(c->mode), .of = -1};
    /* Registers on entry (harness.c): rax = the RFLAGS image the arming
     * loaded (its TF bit known), rbx/rcx/rdx = the case's regs[]. POPF and
     * IRETQ set TF for the next instruction; the trap follows that one
     * (SDM 18.3.1.4). IRETQ with RF=1 suppresses the first instruction's
     * breakpoint (SDM 18.3.1.1). */
    m->tf = c->tf != DBS_TF_NONE;
    m->rf = c->tf == DBS_TF_IRETQ_RF;
    m->reg[DBS_R_RAX] = (struct val){m->tf ? DBS_RFLAGS_TF : 0, DBS_RFLAGS_TF};
    m->reg[DBS_R_RBX] = (struct val){c->regs[0], ALL_BITS};
    m->reg[DBS_R_RCX] = (struct val){c->regs[1], ALL_BITS};
    m->reg[DBS_R_RDX] = (struct val){c->regs[2], ALL_BITS};
    out->nexp = 0;
    settings_undefined(m);
    while (!m->done) {
        if (++steps > MAX_STEPS) {
            no_rule(m, "runs longer than the model follows");
            break;
        }
        boundary(m, m->i);
        if (m->done)
            break;
        if (m->i >= c->ninsn) {
            if (m->dr7 & DBS_DR7_GD)
                no_rule(m, "DR7.GD still armed at the exit: the runner's MOV DR7 faults");
            break;
        }
        step(m);
    }
    if (m->outcome != DBS_MODEL_EXPECT)
        out->nexp = -1;
}

void dbs_model_expect(const struct dbs_case *c, enum dbs_vendor v, struct dbs_expect *e)
{
    static struct cpu m;

    *e = (struct dbs_expect){.vendor = dbs_vendor_names[v]};
    run(c, v, 0, &e->e, &m);
    e->outcome = m.outcome;
    e->why = m.why;
    if (m.outcome != DBS_MODEL_EXPECT || !m.forked)
        return;
    e->outcome = DBS_MODEL_UNDEFINED;
    e->why = forks[m.forked].why;
    e->alt[0] = (struct dbs_alt){.name = forks[m.forked].name[0], .e = e->e};
    e->nalt = 2;
    e->alt[1].name = forks[m.forked].name[1];
    run(c, v, 1, &e->alt[1].e, &m);
    e->e.nexp = -1;
}
