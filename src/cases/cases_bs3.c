/* VirtualBox ValidationKit bs3-cpu-weird-1, "dbg+inhibit+ringxfer"
 * (bs3-cpu-weird-1-x0.c r106320, lines 359-555): MOV SS (or POP SS, 32-bit
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
 * Tests #3, #5, #7 add DR7.LE|GE ("_lege"). SYSCALL masks TF (IA32_FMASK,
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

struct load {
    const char *name;
    uint8_t n, insn[2], mode; /* the SS load: MOV SS in both modes, POP SS in 32-bit code */
};
static const struct load loads[] = {
    {"movss_u64", 1, {DBS_I_MOVSS_MEM}, DBS_MODE_U64},
    {"movss_u32", 1, {DBS_I_MOVSS_MEM}, DBS_MODE_U32},
    {"popss_u32", 2, {DBS_I_PUSH_SS, DBS_I_POP_SS}, DBS_MODE_U32},
};

enum test { BP_ON_INT, BP_ON_LOAD, WATCH_SS, TESTS };
static const char *const test_names[TESTS] = {"bp_on_int", "bp_on_load", "watch_ss"};

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

/* Point i: load x test x (LE|GE or not) x target; POP SS's selector is on
 * the stack, which the watchpoints here cannot reach: those points are left
 * out. Returns 1 to skip. */
static int build(unsigned i, struct dbs_case_spec *s, char *name)
{
    const struct target *t = &targets[i % N_TARGETS];
    unsigned lege = (i / N_TARGETS) % 2, test = (i / N_TARGETS / 2) % TESTS;
    const struct load *l = &loads[i / N_TARGETS / 2 / TESTS];
    unsigned k, at = l->n, v;
    uint32_t b0 = (uint32_t)DBS_DR6_B(0), init = (uint32_t)DBS_DR6_INIT;
    struct dbs_buf nb;

    if (test == WATCH_SS && l->insn[0] != DBS_I_MOVSS_MEM)
        return 1;
    *s = (struct dbs_case_spec){.mode = l->mode, .tf = DBS_TF_NONE, .dr6_init = init,
                                .fmask_tf = 1, .nbp = 1, .hw_known = 3};
    for (k = 0; k < l->n; k++)
        s->insn[s->ninsn++] = l->insn[k];
    s->insn[s->ninsn++] = t->insn;
    s->dr7_extra = lege ? (uint32_t)(DBS_DR7_LE | DBS_DR7_GE) : 0;
    s->bp[0] = test == WATCH_SS
                   ? (struct dbs_bp_spec){.dr = 0, .space = DBS_BP_DATA, .at = 8, .rw = DBS_RW_RW,
                                          .len = 1, .en = DBS_EN_LG}
                   : (struct dbs_bp_spec){.dr = 0, .space = DBS_BP_CODE,
                                          .at = (uint8_t)(test == BP_ON_INT ? at : l->n - 1u),
                                          .rw = DBS_RW_EXEC, .en = DBS_EN_LG};
    for (v = 0; v < DBS_VENDOR_COUNT; v++) {
        struct dbs_hw_spec *h = &s->hw[v];

        if (t->vector == DBS_VEC_SYSCALL && dbs_mode_32(l->mode)) {
            if (v == DBS_VENDOR_AMD) { /* BS3: "@todo test this on AMD" */
                s->hw_known = 1 << DBS_VENDOR_INTEL;
                continue;
            }
            if (test == BP_ON_LOAD)
                record(h, (struct dbs_exp_spec){.vector = DBS_VEC_DB, .at = (uint8_t)(l->n - 1),
                                                .dr6 = init | b0});
            record(h, (struct dbs_exp_spec){.vector = DBS_VEC_UD, .at = (uint8_t)at});
            continue;
        }
        if (test == BP_ON_INT && v == DBS_VENDOR_AMD)
            record(h, (struct dbs_exp_spec){.vector = DBS_VEC_DB, .at = (uint8_t)at, .dr6 = init | b0});
        if (test == BP_ON_LOAD)
            record(h, (struct dbs_exp_spec){.vector = DBS_VEC_DB, .at = (uint8_t)(l->n - 1),
                                            .dr6 = init | b0});
        if (test == WATCH_SS) {
            struct dbs_exp_spec e = transfer(t, at, l->mode);
            record(h, (struct dbs_exp_spec){.vector = DBS_VEC_DB, .entry = 1,
                                            .at = e.entry ? e.at : t->vector,
                                            .dr6 = init | (v == DBS_VENDOR_AMD ? b0 : 0),
                                            .dr6_any = v == DBS_VENDOR_INTEL ? b0 : 0});
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

static unsigned ncases;
static uint8_t points[N_POINTS];

static unsigned bs3_count(void)
{
    static struct dbs_case_spec s;
    static char name[DBS_CASE_MAX_NAME];
    unsigned i;

    if (!ncases)
        for (i = 0; i < N_POINTS; i++)
            if (!build(i, &s, name))
                points[ncases++] = (uint8_t)i;
    return ncases;
}

static int bs3_get(unsigned i, struct dbs_case_spec *s, char *name)
{
    return i < bs3_count() ? build(points[i], s, name) : -1;
}

const struct dbs_case_group dbs_group_bs3 = {"bs3", bs3_count, bs3_get};
