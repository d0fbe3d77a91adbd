/* VirtualBox ValidationKit bs3-cpu-weird-1 (bs3-cpu-weird-1-x0.c r106320),
 * every #DB test of it with a 64-bit or compatibility-mode form. Its five
 * tests: "dbg+inhibit+ringxfer" (#DB tests #2-#9, below; #0 is a run
 * without #DB, #1 single-steps only in V8086 mode), "pc wrapping", "push/
 * pop" and "push/pop sreg" (#GP, #UD, #SS, #PF: no #DB), "popf" (steps 5
 * and 6 are #DB tests, build_popf() below).
 *
 * "dbg+inhibit+ringxfer" (lines 359-555): MOV SS (or POP SS, 32-bit
 * code only) loads SS, then INT 0x80, INT 3 (CD 03), INT3 (CC) or SYSCALL
 * transfers to CPL0. BS3Kit runs the code at CPL3, in 64-bit and 32-bit
 * compatibility mode under long mode among others; these are its u64 and u32
 * runs, with what its authors recorded per vendor ("hits on AMD-V
 * (threadripper) but not on VT-x (skylake)"; "Intel loses the B0 status"):
 *   bp_on_int  (tests #2, #3): execute breakpoint on the instruction after
 *              the SS load: AMD #DB there (B0), Intel none; then the transfer.
 *   bp_on_load (tests #4, #5): execute breakpoint on the SS load: #DB there
 *              (B0) on both; then the transfer.
 *   watch_ss   (tests #6, #7): read/write watchpoint (LEN 2) on the selector
 *              loaded: the #DB comes after the transfer, at the handler's
 *              first instruction: AMD B0, Intel without it (BS3 does not
 *              check that RIP, "@todo fixme"; the frame it checks is the
 *              handler's entry). BS3 calls Intel's an erratum ("Intel loses
 *              the B0 status ... Similar erratum is seen with virtually every
 *              march since, e.g. skylake SKL009 & SKL111"): the manual's B0 is
 *              set, so the Intel record keeps what the Skylake did and leaves
 *              B0 open.
 *   watch_desc (tests #8, #9): read/write watchpoint (DR1, LEN 4) on the GDT
 *              descriptor the selector names, a spare one only this load
 *              reads: as watch_ss, with B1 ("Intel loses the B1 status"; open
 *              on Intel likewise).
 * Tests #3, #5, #7, #9 add DR7.LE|GE ("_lege"). BS3 pops SS off a stack slot
 * it filled with the selector, and watches that slot: the watchpoint tests
 * pop it off scratch+8 (lea esp,[edi+8]; pop ss), where MOV SS reads it;
 * BS3 has no POP SS with SYSCALL, which would stay on that stack. The
 * breakpoint tests keep push ss; pop ss. SYSCALL masks TF (IA32_FMASK,
 * as BS3 sets it); in compatibility mode Intel raises #UD for it ("On
 * intel, syscall only works in long mode"); BS3 has no AMD record there. */
#include "dbs_buf.h"
#include "dbs_spec.h"

struct target {
    const char *name;
    uint8_t insn;
    uint16_t vector; /* what the transfer records */
};
static const struct target targets[] = {
    {"int80", DBS_I_INT_80, 0x80},
    {"int_3", DBS_I_INT_3, DBS_VEC_BP},
    {"int3", DBS_I_INT3, DBS_VEC_BP},
    {"syscall", DBS_I_SYSCALL, DBS_VEC_SYSCALL},
};

/* The SS load: MOV SS in both modes, POP SS in 32-bit code; insn for the
 * breakpoint tests, winsn for the watchpoint tests (the selector it loads
 * at scratch+8). */
struct load {
    const char *name;
    uint8_t n, insn[2], mode;
    uint8_t wn, winsn[2];
};
static const struct load loads[] = {
    {"movss_u64", 1, {DBS_I_MOVSS_MEM}, DBS_MODE_U64, 1, {DBS_I_MOVSS_MEM}},
    {"movss_u32", 1, {DBS_I_MOVSS_MEM}, DBS_MODE_U32, 1, {DBS_I_MOVSS_MEM}},
    {"popss_u32", 2, {DBS_I_PUSH_SS, DBS_I_POP_SS}, DBS_MODE_U32,
     2, {DBS_I_LEA_ESP_EDI8, DBS_I_POP_SS_SCRATCH}},
};

enum test { BP_ON_INT, BP_ON_LOAD, WATCH_SS, WATCH_DESC, TESTS };
static const char *const test_names[TESTS] = {"bp_on_int", "bp_on_load", "watch_ss", "watch_desc"};
/* The watchpoints: BS3's DR0 on the selector (LEN 2), DR1 on the descriptor (LEN 4). */
static const struct dbs_bp_spec watch[TESTS] = {
    [WATCH_SS] = {.dr = 0, .space = DBS_BP_DATA, .at = 8, .rw = DBS_RW_RW, .len = 1, .en = DBS_EN_LG},
    [WATCH_DESC] = {.dr = 1, .space = DBS_BP_SSDESC, .at = 0, .rw = DBS_RW_RW, .len = 3,
                    .en = DBS_EN_LG},
};

/* The transfer's own record: where it lands (its vector's or SYSCALL's entry
 * for SYSCALL, else the instruction after it). */
static struct dbs_exp_spec transfer(const struct target *t, unsigned at, unsigned mode)
{
    if (t->vector == DBS_VEC_SYSCALL)
        return (struct dbs_exp_spec){.vector = DBS_VEC_SYSCALL, .entry = 1, .dr6_any = ~0u,
                                     .at = dbs_mode_32(mode) ? DBS_ENTRY_CSTAR : DBS_ENTRY_LSTAR};
    return (struct dbs_exp_spec){.vector = t->vector, .at = (uint8_t)(at + 1), .dr6_any = ~0u};
}

static void record(struct dbs_hw_spec *h, struct dbs_exp_spec e)
{
    h->exp[h->nexp++] = e;
}

#define N_LOADS (sizeof(loads) / sizeof(loads[0]))
#define N_TARGETS (sizeof(targets) / sizeof(targets[0]))
#define N_POINTS (N_LOADS * TESTS * 2 * N_TARGETS)

/* Point i: load x test x (LE|GE or not) x target; a POP SS off scratch+8
 * with SYSCALL is left out (the SYSCALL entry would push on that stack).
 * Returns 1 to skip. */
static int build(unsigned i, struct dbs_case_spec *s, char *name)
{
    const struct target *t = &targets[i % N_TARGETS];
    unsigned lege = (i / N_TARGETS) % 2, test = (i / N_TARGETS / 2) % TESTS;
    const struct load *l = &loads[i / N_TARGETS / 2 / TESTS];
    int watching = test == WATCH_SS || test == WATCH_DESC;
    unsigned k, n = watching ? l->wn : l->n, at = n, v;
    const uint8_t *insn = watching ? l->winsn : l->insn;
    uint32_t b0 = (uint32_t)DBS_DR6_B(0), init = (uint32_t)DBS_DR6_INIT;
    struct dbs_buf nb;

    if (watching && insn[0] == DBS_I_LEA_ESP_EDI8 && t->vector == DBS_VEC_SYSCALL)
        return 1;
    *s = (struct dbs_case_spec){.mode = l->mode, .tf = DBS_TF_NONE, .dr6_init = init,
                                .fmask_tf = 1, .nbp = 1, .hw_known = 3};
    for (k = 0; k < n; k++)
        s->insn[s->ninsn++] = insn[k];
    s->insn[s->ninsn++] = t->insn;
    s->dr7_extra = lege ? (uint32_t)(DBS_DR7_LE | DBS_DR7_GE) : 0;
    s->bp[0] = watching ? watch[test]
                        : (struct dbs_bp_spec){.dr = 0, .space = DBS_BP_CODE,
                                               .at = (uint8_t)(test == BP_ON_INT ? at : n - 1u),
                                               .rw = DBS_RW_EXEC, .en = DBS_EN_LG};
    for (v = 0; v < DBS_VENDOR_COUNT; v++) {
        struct dbs_hw_spec *h = &s->hw[v];

        if (t->vector == DBS_VEC_SYSCALL && dbs_mode_32(l->mode)) {
            if (v == DBS_VENDOR_AMD) { /* BS3: "@todo test this on AMD" */
                s->hw_known = 1 << DBS_VENDOR_INTEL;
                continue;
            }
            if (test == BP_ON_LOAD)
                record(h, (struct dbs_exp_spec){.vector = DBS_VEC_DB, .at = (uint8_t)(n - 1),
                                                .dr6 = init | b0});
            record(h, (struct dbs_exp_spec){.vector = DBS_VEC_UD, .at = (uint8_t)at});
            continue;
        }
        if (test == BP_ON_INT && v == DBS_VENDOR_AMD)
            record(h, (struct dbs_exp_spec){.vector = DBS_VEC_DB, .at = (uint8_t)at, .dr6 = init | b0});
        if (test == BP_ON_LOAD)
            record(h, (struct dbs_exp_spec){.vector = DBS_VEC_DB, .at = (uint8_t)(n - 1),
                                            .dr6 = init | b0});
        if (watching) {
            struct dbs_exp_spec e = transfer(t, at, l->mode);
            uint32_t bn = (uint32_t)DBS_DR6_B(watch[test].dr);

            record(h, (struct dbs_exp_spec){.vector = DBS_VEC_DB, .entry = 1,
                                            .at = e.entry ? e.at : t->vector,
                                            .dr6 = init | (v == DBS_VENDOR_AMD ? bn : 0),
                                            .dr6_any = v == DBS_VENDOR_INTEL ? bn : 0});
        }
        record(h, transfer(t, at, l->mode));
    }
    dbs_buf_init(&nb, name, DBS_CASE_MAX_NAME);
    dbs_put_str(&nb, dbs_mode_names[l->mode]);
    dbs_put_str(&nb, ".bs3.");
    dbs_put_str(&nb, test_names[test]);
    dbs_put_str(&nb, lege ? "_lege." : ".");
    dbs_put_str(&nb, l->name[0] == 'p' ? "popss." : "movss.");
    dbs_put_str(&nb, t->name);
    s->name = dbs_buf_str(&nb);
    return 0;
}

/* "popf" (bs3-cpu-weird-1-x0.c r106320, lines 1040-1235), steps 5 and 6,
 * its #DB tests; BS3 runs them at CPL0-3 in 64-bit code and compatibility
 * mode, with POPF at the mode's operand size and with 66h (popfw):
 *   sets_tf   (step 5): POPF loads TF: #DB after the next instruction (the
 *             NOP), RIP on the UD2, RF clear; then the UD2's #UD (steps 1-4).
 *   clears_tf (step 6): TF set when POPF starts, the image clears it: #DB
 *             after the POPF, RIP on the NOP; then the #UD.
 * BS3 pops all ones (step 5) or zero (step 6) off a stack it filled, and
 * sets TF for step 6 with the IRET into the code. Here the image is TF
 * alone (and bit 1): all ones would set IF inside a case (and DF, NT, AC),
 * which the harness must not allow; and the images are pushed untraced,
 * with step 6's TF set by a first POPF whose trap comes after the next
 * instruction, the POPF under test. Recorded on Intel only ("All tests in
 * r163755 passed running directly on an Intel 6700k"); BS3 reads no DR6
 * here, only the trap's vector, RIP and RFLAGS. */
struct popf_form {
    const char *name;
    uint8_t push_img, push_zero, popf; /* the image with TF in rax, zero's in rbx */
};
static const struct popf_form popf_forms[] = {
    {"popf", DBS_I_PUSH_RAX, DBS_I_PUSH_RBX, DBS_I_POPF},
    {"popfw", DBS_I_PUSH_AX, DBS_I_PUSH_BX, DBS_I_POPF16},
};
static const uint8_t popf_modes[] = {DBS_MODE_K64, DBS_MODE_U64, DBS_MODE_K32, DBS_MODE_U32};
#define N_POPF_FORMS (sizeof(popf_forms) / sizeof(popf_forms[0]))
#define N_POPF (sizeof(popf_modes) * N_POPF_FORMS * 2)

/* Point i: mode x form x step (sets_tf, clears_tf). */
static void build_popf(unsigned i, struct dbs_case_spec *s, char *name)
{
    unsigned clears = i % 2, mode = popf_modes[i / 2 / N_POPF_FORMS], n;
    const struct popf_form *f = &popf_forms[(i / 2) % N_POPF_FORMS];
    struct dbs_buf nb;

    *s = (struct dbs_case_spec){.mode = (uint8_t)mode, .tf = DBS_TF_NONE,
                                .dr6_init = (uint32_t)DBS_DR6_INIT, .regs = {0x2},
                                .hw_known = 1 << DBS_VENDOR_INTEL};
    s->insn[s->ninsn++] = DBS_I_MOV_EAX_TF;
    if (clears)
        s->insn[s->ninsn++] = f->push_zero;
    s->insn[s->ninsn++] = f->push_img;
    s->insn[s->ninsn++] = f->popf;
    if (clears)
        s->insn[s->ninsn++] = f->popf;
    s->insn[s->ninsn++] = DBS_I_NOP;
    s->insn[s->ninsn++] = DBS_I_UD2;
    n = s->ninsn;
    record(&s->hw[DBS_VENDOR_INTEL],
           (struct dbs_exp_spec){.vector = DBS_VEC_DB, .at = (uint8_t)(clears ? n - 2 : n - 1),
                                 .dr6_any = ~0u});
    record(&s->hw[DBS_VENDOR_INTEL], (struct dbs_exp_spec){.vector = DBS_VEC_UD, .at = (uint8_t)(n - 1)});
    dbs_buf_init(&nb, name, DBS_CASE_MAX_NAME);
    if (mode != DBS_MODE_K64) {
        dbs_put_str(&nb, dbs_mode_names[mode]);
        dbs_put_char(&nb, '.');
    }
    dbs_put_str(&nb, clears ? "bs3.popf_clears_tf." : "bs3.popf_sets_tf.");
    dbs_put_str(&nb, f->name);
    s->name = dbs_buf_str(&nb);
}

static unsigned ncases;
static uint8_t points[N_POINTS];

/* The ringxfer points that make a case, then the popf ones. */
static unsigned bs3_count(void)
{
    static struct dbs_case_spec s;
    static char name[DBS_CASE_MAX_NAME];
    unsigned i;

    if (!ncases)
        for (i = 0; i < N_POINTS; i++)
            if (!build(i, &s, name))
                points[ncases++] = (uint8_t)i;
    return ncases + N_POPF;
}

static int bs3_get(unsigned i, struct dbs_case_spec *s, char *name)
{
    if (i >= bs3_count())
        return -1;
    if (i >= ncases) {
        build_popf(i - ncases, s, name);
        return 0;
    }
    return build(points[i], s, name);
}

const struct dbs_case_group dbs_group_bs3 = {"bs3", bs3_count, bs3_get};
