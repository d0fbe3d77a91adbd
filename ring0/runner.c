/* The ring-0 runner: IDT copy with our stubs, debug-register arming, one
 * repetition of a case, and the exception dispatcher the stubs call. */
#include "dbs_runner.h"
#include "dbs_arch.h"
#include "dbs_harness.h"
#include "dbs_ident.h"

/* What runner_asm.S pushes: GPRs, then vector, DR6 (vector 1 only), error
 * code, then the CPU's interrupt frame. */
struct dbs_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, dr6, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

struct idt_gate {
    uint16_t off_lo, sel;
    uint8_t ist, type;
    uint16_t off_mid;
    uint32_t off_hi, zero;
} __attribute__((packed));

struct idtr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

struct dbs_ctx dbs_ctx;
_Static_assert(__builtin_offsetof(struct dbs_ctx, rsp) == DBS_CTX_RSP, "ctx layout");
_Static_assert(__builtin_offsetof(struct dbs_ctx, entry) == DBS_CTX_ENTRY, "ctx layout");
_Static_assert(__builtin_offsetof(struct dbs_ctx, case_start) == DBS_CTX_CASE, "ctx layout");
_Static_assert(__builtin_offsetof(struct dbs_ctx, regs) == DBS_CTX_REGS, "ctx layout");
_Static_assert(__builtin_offsetof(struct dbs_ctx, scratch) == DBS_CTX_SCRATCH, "ctx layout");
_Static_assert(__builtin_offsetof(struct dbs_ctx, dr7) == DBS_CTX_DR7, "ctx layout");
_Static_assert(__builtin_offsetof(struct dbs_ctx, in_case) == DBS_CTX_IN_CASE, "ctx layout");

extern const uint64_t dbs_stub_table[]; /* (vector, stub) pairs, vector -1 ends */
extern uint64_t dbs_chain_skip;
extern char dbs_rdmsr_insn[], dbs_rdmsr_fixup[], dbs_case_exit[];
extern char dbs_syscall_64[], dbs_syscall_32[];
void dbs_case_enter(struct dbs_ctx *ctx);
int dbs_safe_rdmsr_asm(uint32_t msr, uint64_t *val);
uint64_t dbs_on_exception(struct dbs_frame *f);

static struct {
    struct idt_gate idt[256] __attribute__((aligned(16)));
    struct idtr fw_idtr, own_idtr;
    uint64_t fw_handler[256];
    uint8_t *code, *laid; /* the buffer: entry prologues, then the case's layout */
    size_t code_size;
    uint16_t entry_off[DBS_ENTRY_KINDS][DBS_TF_COUNT];
    uint64_t fw_dr[4], fw_dr6, fw_dr7;
    const struct dbs_case *c;
    struct dbs_rep *rep;
    uint64_t case_end;
    int recording, gd_armed;
    const char *env_why; /* why CPL3 / compatibility-mode cases cannot run, or 0 */
    uint16_t fw_cs, fw_ss;
    unsigned needs_met, cap;
    size_t laid_len;
} R;

static uint8_t staging[2048];

/* The scratch area, alone in its page: QEMU's TCG checks every access to a
 * page a watchpoint covers, and an event delivery that reads such a page
 * (the IDT) while a hit is pending aborts QEMU 7.2 (the assertion in
 * qemu_mutex_lock_iothread_impl): nothing the CPU reads on delivery may
 * share the page. */
static uint8_t scratch[4096] __attribute__((aligned(4096)));

#define RD_DR(n) ({ uint64_t v_; __asm__ volatile("mov %%dr" #n ", %0" : "=r"(v_)); v_; })
#define WR_DR(n, v) __asm__ volatile("mov %0, %%dr" #n ::"r"((uint64_t)(v)) : "memory")

static uint64_t rd_dr(unsigned n)
{
    switch (n) {
    case 0: return RD_DR(0);
    case 1: return RD_DR(1);
    case 2: return RD_DR(2);
    default: return RD_DR(3);
    }
}

static void wr_dr(unsigned n, uint64_t v)
{
    switch (n) {
    case 0: WR_DR(0, v); break;
    case 1: WR_DR(1, v); break;
    case 2: WR_DR(2, v); break;
    default: WR_DR(3, v); break;
    }
}

static uint64_t save_flags_cli(void)
{
    uint64_t f;
    __asm__ volatile("pushfq; popq %0; cli" : "=r"(f)::"memory");
    return f;
}

static void restore_flags(uint64_t f)
{
    __asm__ volatile("pushq %0; popfq" ::"r"(f) : "memory", "cc");
}

#define CR4_DE (1ull << 3) /* debug extensions (SDM vol. 3A 2.5) */

static uint64_t read_cr4(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static void write_cr4(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory");
}

/* CR4 for the case: DE forced as it asks, everything else untouched. */
static uint64_t case_cr4(const struct dbs_case *c, uint64_t cr4)
{
    if (c->cr4_de == DBS_DE_CLEAR)
        return cr4 & ~CR4_DE;
    if (c->cr4_de == DBS_DE_SET)
        return cr4 | CR4_DE;
    return cr4;
}

static void lidt(const struct idtr *d)
{
    __asm__ volatile("lidt %0" ::"m"(*d) : "memory");
}

/* A copy of the firmware's IDT with our stubs on the vectors a case can
 * raise; everything else still reaches the firmware (its timer included). */
static void build_idt(void)
{
    const struct idt_gate *fw;
    unsigned i, n;
    uint16_t cs;
    const uint64_t *t;

    __asm__ volatile("sidt %0" : "=m"(R.fw_idtr));
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    fw = (const struct idt_gate *)R.fw_idtr.base;
    n = (R.fw_idtr.limit + 1u) / sizeof(struct idt_gate);
    if (n > 256)
        n = 256;
    for (i = 0; i < 256; i++) {
        R.idt[i] = i < n ? fw[i] : (struct idt_gate){0};
        R.fw_handler[i] = (R.idt[i].type & 0x80) ? (uint64_t)R.idt[i].off_lo |
                                                        (uint64_t)R.idt[i].off_mid << 16 |
                                                        (uint64_t)R.idt[i].off_hi << 32
                                                  : 0;
    }
    /* Interrupt gates; INT3, INTO, INT 0x80 and the exit gate may be used
     * from CPL3 (DPL3), the #DB vector not: INT 1 at CPL3 is #GP, ICEBP is
     * not (as Linux sets them; SDM vol. 3A 6.12.1.1). */
    for (t = dbs_stub_table; t[0] != (uint64_t)-1; t += 2)
        R.idt[t[0]] = (struct idt_gate){
            .off_lo = (uint16_t)t[1], .sel = cs, .ist = 0,
            .type = (uint8_t)(t[0] == DBS_VEC_BP || t[0] == DBS_VEC_OF || t[0] == 0x80 ||
                                      t[0] == DBS_EXIT_VECTOR
                                  ? 0xee
                                  : 0x8e),
            .off_mid = (uint16_t)(t[1] >> 16), .off_hi = (uint32_t)(t[1] >> 32)};
    R.own_idtr.limit = sizeof(R.idt) - 1;
    R.own_idtr.base = (uint64_t)R.idt;
}

/* The firmware may move its IDT between cases: follow it. */
static void load_own_idt(void)
{
    struct idtr cur;

    __asm__ volatile("sidt %0" : "=m"(cur));
    if (cur.base != R.fw_idtr.base || cur.limit != R.fw_idtr.limit)
        build_idt();
    lidt(&R.own_idtr);
}

/* The entry prologues, laid once in the buffer's first half; 0 or -1 when
 * they do not fit. */
static int lay_entries(void)
{
    size_t n = 0, len;
    unsigned kind, tf;

    for (kind = 0; kind < DBS_ENTRY_KINDS; kind++)
        for (tf = 0; tf < DBS_TF_COUNT; tf++) {
            const uint8_t *p = dbs_entry(kind, tf, &len);

            if (n + len > R.code_size / 2)
                return -1;
            R.entry_off[kind][tf] = (uint16_t)n;
            __builtin_memcpy(R.code + n, p, len);
            n += len;
        }
    return 0;
}

int dbs_runner_init(void *code, size_t code_size, int ap)
{
    unsigned i;

    /* a CPU reset mid-case (an AP past its timeout) left these set */
    R.recording = 0;
    dbs_ctx.in_case = 0;
    R.code = code;
    R.code_size = code_size;
    R.laid = R.code + code_size / 2;
    if (lay_entries())
        return -1;
    for (i = 0; i < 4; i++)
        R.fw_dr[i] = rd_dr(i);
    R.fw_dr6 = RD_DR(6);
    R.fw_dr7 = RD_DR(7);
    __asm__ volatile("mov %%cs, %0; mov %%ss, %1" : "=r"(R.fw_cs), "=r"(R.fw_ss));
    R.env_why = dbs_env_init((uint64_t)dbs_syscall_64, (uint64_t)dbs_syscall_32,
                             (const void *const[]){code, scratch, R.idt}, 3);
    R.needs_met = dbs_cpu_needs_met() | (dbs_timer_available() ? DBS_NEEDS_TIMER : 0) |
                  (R.env_why ? 0 : DBS_NEEDS_ENV) |
                  (dbs_xapic_at(DBS_APIC_BASE_DEFAULT) ? DBS_NEEDS_XAPIC : 0) |
                  (ap ? DBS_NEEDS_AP : 0);
    /* the case is laid anew by this CPU: code another CPU wrote is run only
     * after a serializing instruction (SDM vol. 3A 9.1.3), and CPUID in
     * dbs_cpu_needs_met is one; rewriting it here keeps that order plain */
    R.laid_len = 0;
    build_idt();
    return 0;
}

void dbs_runner_fini(void)
{
    unsigned i;

    WR_DR(7, DBS_DR7_FIXED1);
    for (i = 0; i < 4; i++)
        wr_dr(i, R.fw_dr[i]);
    WR_DR(6, R.fw_dr6);
    WR_DR(7, R.fw_dr7);
}

uint64_t dbs_runner_scratch(void)
{
    return (uint64_t)scratch;
}

int dbs_safe_rdmsr(uint32_t msr, uint64_t *val)
{
    uint64_t fl = save_flags_cli();
    int rc;

    load_own_idt();
    rc = dbs_safe_rdmsr_asm(msr, val);
    lidt(&R.fw_idtr);
    restore_flags(fl);
    return rc;
}

/* Vectors that push an error code (SDM vol. 3A 6.13). */
static int has_error_code(uint64_t v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21;
}

static uint64_t chain(struct dbs_frame *f)
{
    dbs_chain_skip = has_error_code(f->vector) ? 16 : 24;
    if (R.fw_handler[f->vector])
        return R.fw_handler[f->vector];
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* 1 + N when rip is the first instruction of our vector-N stub (a #DB held
 * back by MOV SS arrives there after INT3/INT n), else 0. */
static uint16_t entry_of(uint64_t rip)
{
    const uint64_t *t;

    for (t = dbs_stub_table; t[0] != (uint64_t)-1; t += 2)
        if (t[1] == rip)
            return (uint16_t)(t[0] + 1);
    if (rip == (uint64_t)dbs_syscall_64 || rip == (uint64_t)dbs_syscall_32)
        return (uint16_t)(1 + (rip == (uint64_t)dbs_syscall_64 ? DBS_ENTRY_LSTAR : DBS_ENTRY_CSTAR));
    return 0;
}

/* The entry number of a SYSCALL pseudo-frame (its CS slot says which). */
static uint16_t syscall_entry(const struct dbs_frame *f)
{
    return (uint16_t)(1 + (f->cs == 64 ? DBS_ENTRY_LSTAR : DBS_ENTRY_CSTAR));
}

static void record(const struct dbs_frame *f)
{
    struct dbs_event *ev;

    if (R.rep->nev >= DBS_MAX_EVENTS)
        return;
    ev = &R.rep->ev[R.rep->nev++];
    ev->vector = f->vector;
    ev->error = f->error;
    ev->rip = f->rip;
    ev->rflags = f->rflags;
    ev->has_dr = 0;
    ev->entry = f->vector == DBS_VEC_SYSCALL ? syscall_entry(f) : entry_of(f->rip);
    ev->cs = f->cs;
    ev->ss = f->ss;
    ev->rsp = f->rsp;
    if (f->vector == DBS_VEC_DB) {
        ev->dr6 = f->dr6;
        ev->dr7 = RD_DR(7);
        ev->has_dr = 1;
    } else if (!R.gd_armed) { /* with GD armed, reading a DR would fault */
        ev->dr6 = RD_DR(6);
        ev->dr7 = RD_DR(7);
        ev->has_dr = 1;
    }
}

/* Leave the case: resume at the exit stub, which restores the runner's stack. */
static void unwind(struct dbs_frame *f)
{
    f->rip = (uint64_t)dbs_case_exit;
    f->rflags &= ~(DBS_RFLAGS_TF | DBS_RFLAGS_RF);
    f->cs = R.fw_cs; /* from any mode back to 64-bit CPL0 */
    f->ss = R.fw_ss;
    f->rsp = dbs_ctx.rsp;
}

static void on_db(struct dbs_frame *f)
{
    uint64_t dr7 = RD_DR(7);
    unsigned n;

    /* An instruction breakpoint is a fault: without RF in the frame the
     * instruction would raise it again (SDM 18.3.1.1, AMD APM 13.1.1.5). */
    for (n = 0; n < 4; n++)
        if ((f->dr6 & DBS_DR6_B(n)) && dbs_dr7_is_exec(dr7, n) && dbs_dr7_enabled(dr7, n) &&
            rd_dr(n) == f->rip)
            f->rflags |= DBS_RFLAGS_RF;
    if (R.c->dr6_reset)
        WR_DR(6, R.c->dr6_init);
    /* The IRET back to CPL3 would load SS: with uss, the descriptor a case
     * may watch (BS3Kit weird-1 tests #8/#9), a hit that would repeat on
     * every return. Its twin udata is the same descriptor: only the case's
     * own SS loads read uss. */
    if (dbs_mode_user(R.c->mode) && f->ss == dbs_env_selectors()->uss)
        f->ss = dbs_env_selectors()->udata;
    /* Past the case's last byte: stop tracing so the exit runs untraced. */
    if (f->rip < R.rep->case_start || f->rip >= R.case_end)
        f->rflags &= ~DBS_RFLAGS_TF;
    if (R.rep->nev >= R.cap) {
        R.rep->capped = 1;
        WR_DR(7, DBS_DR7_FIXED1);
        f->rflags &= ~DBS_RFLAGS_TF;
        if (dbs_ctx.in_case)
            unwind(f);
    }
}

/* A SYSCALL goes back with SYSRET, which loads RFLAGS from R11 (SDM vol. 2B
 * SYSRET): with TF as SYSCALL saved it, or set or cleared as the case asks.
 * A TF set there traces the rest of the case; the exit gate's INT clears it
 * (SDM vol. 3A 6.12.1.2), so it never outlives the case. */
static uint64_t sysret_flags(uint64_t r11)
{
    switch (R.c->sysret_tf) {
    case DBS_SYSRET_TF_SET: return r11 | DBS_RFLAGS_TF;
    case DBS_SYSRET_TF_CLEAR: return r11 & ~DBS_RFLAGS_TF;
    default: return r11;
    }
}

uint64_t dbs_on_exception(struct dbs_frame *f)
{
    if (f->vector == DBS_TIMER_VECTOR) {
        dbs_timer_eoi();
        return 0;
    }
    if (f->vector == DBS_VEC_DB)
        R.gd_armed = 0; /* the CPU clears DR7.GD when it delivers #DB (SDM 18.2.4) */
    if (f->vector == DBS_VEC_GP && f->rip == (uint64_t)dbs_rdmsr_insn) {
        f->rip = (uint64_t)dbs_rdmsr_fixup;
        return 0;
    }
    if (f->vector == DBS_EXIT_VECTOR && dbs_ctx.in_case) { /* a case's end, in any mode */
        unwind(f);
        return 0;
    }
    if (!R.recording || (f->vector != DBS_VEC_DB && !dbs_ctx.in_case))
        return chain(f);
    record(f);
    if (f->vector == DBS_VEC_DB) {
        on_db(f);
    } else if (f->vector == DBS_VEC_SYSCALL) {
        f->r11 = sysret_flags(f->r11); /* the image SYSRET loads into RFLAGS */
    } else {
        /* the case is over: disarm before unwind() writes the frame, which
         * a watchpoint may cover (with GD armed the MOV would fault: the
         * runner's own MOV after the case reports that) */
        if (!R.gd_armed)
            WR_DR(7, DBS_DR7_FIXED1);
        unwind(f);
    }
    return 0;
}

/* Stop the timer, then let an interrupt it already raised reach our handler
 * before the firmware's IDT returns (its vector means nothing to the firmware). */
/* Let interrupts that came while IF was off be taken now (the firmware's go
 * to its handlers), so that a case which sets IF meets as few as possible. */
static void drain_interrupts(void)
{
    __asm__ volatile("sti; nop; nop; cli" ::: "memory");
}

static void stop_timer(void)
{
    dbs_timer_mask();
    drain_interrupts();
    dbs_timer_disarm();
}

static int same_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
    while (n--)
        if (*a++ != *b++)
            return 0;
    return 1;
}

/* DR7 may stay armed from one repetition to the next only when nothing the
 * runner does in between can hit it: no breakpoint on the scratch area (the
 * runner clears it), no R/W=10 without CR4.DE=1 (undefined: it might watch
 * anything), and no general detect (the runner writes DR6). I/O and APIC
 * breakpoints may stay: the runner touches neither. One DR7 write per case
 * instead of two per repetition: an emulator removes and re-inserts its
 * breakpoints on each. */
static int stays_armed(const struct dbs_case *c)
{
    unsigned i;

    if (dbs_case_dr7(c) & DBS_DR7_GD)
        return 0;
    for (i = 0; i < c->nbp; i++)
        if (c->bp[i].space == DBS_BP_DATA || (c->bp[i].rw == DBS_RW_IO && c->cr4_de != DBS_DE_SET))
            return 0;
    return 1;
}

/* What DRn holds for a breakpoint: a linear address in the case or the
 * scratch area, a port, an address in the local APIC's MMIO page (the case
 * needs DBS_NEEDS_XAPIC: the APIC is there), near the top of the RSP0 stack,
 * in dbsweep's IDT, or in the descriptor CPL3 cases load SS with. */
static uint64_t bp_address(const struct dbs_bp *b, uint64_t start)
{
    switch (b->space) {
    case DBS_BP_DATA: return (uint64_t)scratch + b->off;
    case DBS_BP_IO: return b->off;
    case DBS_BP_APIC: return DBS_APIC_BASE_DEFAULT + b->off;
    case DBS_BP_KSTACK: return dbs_env_kernel_stack() - DBS_KSTACK_SPAN + b->off;
    case DBS_BP_IDT: return (uint64_t)R.idt + b->off;
    case DBS_BP_SSDESC: return dbs_env_uss_desc() + b->off;
    default: return start + b->off;
    }
}

static void reset_scratch(uint16_t ss)
{
    size_t i;

    for (i = 0; i < DBS_SCRATCH_BYTES; i++)
        scratch[i] = 0;
    __builtin_memcpy(scratch + 8, &ss, sizeof(ss)); /* for mov ss, [rdi+8] */
}

/* CS, SS and stack of the case's mode (k64: the runner's own). */
static void mode_segments(const struct dbs_case *c, struct dbs_ctx *x)
{
    const struct dbs_env_sel *s = dbs_env_selectors();
    static const uint8_t user_ss[DBS_MODE_COUNT] = {[DBS_MODE_U64] = 1, [DBS_MODE_U32] = 1};

    x->mode_cs = c->mode == DBS_MODE_U64 ? s->ucode64 : c->mode == DBS_MODE_K32 ? s->kcode32
               : c->mode == DBS_MODE_U32 ? s->ucode32 : R.fw_cs;
    x->mode_ss = c->mode == DBS_MODE_K64 ? R.fw_ss : user_ss[c->mode] ? s->udata : s->kdata;
    x->mode_rsp = dbs_env_user_stack();
}

void dbs_runner_run(const struct dbs_case *c, struct dbs_rep *reps, unsigned nreps, unsigned cap)
{
    size_t case_off, i, n;
    uint64_t fl, fw_cr4, start, dr[4] = {0, 0, 0, 0};
    unsigned r;
    int keep = stays_armed(c);

    for (r = 0; r < nreps; r++)
        reps[r] = (struct dbs_rep){.nev = 0};
    n = dbs_harness_layout(staging, R.code_size / 2 < sizeof(staging) ? R.code_size / 2
                                                                    : sizeof(staging),
                           c, (uint64_t)dbs_case_exit, &case_off);
    if (!n || (c->needs & ~R.needs_met)) {
        for (r = 0; r < nreps; r++)
            reps[r].skipped = 1;
        return;
    }
    /* Rewrite the buffer only when the bytes change: repetitions then run
     * the very same code (and emulators keep their translations). */
    if (n != R.laid_len || !same_bytes(staging, R.laid, n)) {
        __builtin_memcpy(R.laid, staging, n);
        R.laid_len = n;
    }
    start = (uint64_t)R.laid + case_off;
    R.case_end = start + c->nbytes;
    for (i = 0; i < c->nbp; i++)
        dr[c->bp[i].dr] = bp_address(&c->bp[i], start);
    R.c = c;
    R.cap = cap && cap < DBS_MAX_EVENTS ? cap : DBS_MAX_EVENTS;

    fl = save_flags_cli();
    if (R.needs_met & DBS_NEEDS_TIMER)
        dbs_timer_hold();
    load_own_idt();
    fw_cr4 = read_cr4();
    if (case_cr4(c, fw_cr4) != fw_cr4)
        write_cr4(case_cr4(c, fw_cr4));
    if (c->mode != DBS_MODE_K64)
        dbs_env_enter(c->fmask_tf);
    for (r = 0; r < nreps; r++) {
        struct dbs_rep *out = &reps[r];

        out->case_start = start;
        dbs_ctx = (struct dbs_ctx){
            .entry = (uint64_t)R.code + R.entry_off[dbs_entry_kind(c)][c->tf], .case_start = start,
            .regs = {c->regs[0], c->regs[1], c->regs[2]}, .scratch = (uint64_t)scratch,
            .dr7 = dbs_case_dr7(c), .mode_entry = (uint64_t)R.laid};
        mode_segments(c, &dbs_ctx);
        /* the selector MOV SS [rdi+8] loads: CPL3 modes their own copy (uss) */
        reset_scratch(dbs_mode_user(c->mode) ? dbs_env_selectors()->uss : (uint16_t)dbs_ctx.mode_ss);
        for (i = 0; i < 4; i++) /* DR7 is disarmed here or unchanged: cheap */
            wr_dr(i, dr[i]);
        WR_DR(6, c->dr6_init);
        R.rep = out;
        R.gd_armed = (dbs_ctx.dr7 & DBS_DR7_GD) != 0;
        drain_interrupts();
        R.recording = 1;
        if (c->needs & DBS_NEEDS_TIMER)
            dbs_timer_arm(DBS_TIMER_VECTOR);

        dbs_case_enter(&dbs_ctx);

        /* if GD is still armed this MOV raises a #DB that is recorded too */
        if (!keep || out->capped || r + 1 == nreps)
            WR_DR(7, DBS_DR7_FIXED1);
        R.recording = 0;
        if (c->needs & DBS_NEEDS_TIMER)
            stop_timer();
    }
    WR_DR(6, DBS_DR6_INIT);
    if (c->mode != DBS_MODE_K64)
        dbs_env_leave();
    if (case_cr4(c, fw_cr4) != fw_cr4)
        write_cr4(fw_cr4);
    lidt(&R.fw_idtr);
    if (R.needs_met & DBS_NEEDS_TIMER)
        dbs_timer_release();
    restore_flags(fl);
}
