/* The data and I/O breakpoint dimension (src/cases/cases_data.c): its size, every
 * value the issue lists, how its cases are built and spelled in the CSV,
 * and the model's rules for them (src/model/model.c, "Data and I/O breakpoints"). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dbs_arch.h"
#include "dbs_buf.h"
#include "dbs_case.h"
#include "dbs_csv.h"
#include "dbs_model.h"
#include "dbs_options.h"
#include "fixtures.h"

#define INTEL DBS_VENDOR_INTEL
#define AMD DBS_VENDOR_AMD
#define INIT 0xffff0ff0u
#define BS 0x4000u

static struct dbs_case c;
static struct dbs_expect x;
static char mem[512];
static struct dbs_buf b;

#define N (x.e.nexp)
#define E(k) (x.e.exp[k])

static enum dbs_model_outcome model(const char *name, enum dbs_vendor v)
{
    return fix_expect(name, v, &c, &x);
}

/* A case built here from a spec, for what no generated case isolates. */
static enum dbs_model_outcome model_spec(const struct dbs_case_spec *s, enum dbs_vendor v)
{
    assert_int_equal(dbs_case_build(s, &c), 0);
    dbs_model_expect(&c, v, &x);
    return x.outcome;
}

static const char *bps(void)
{
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_csv_bps(&b, &c);
    return dbs_buf_str(&b);
}

static const char *access(void)
{
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_csv_access(&b, &c);
    return dbs_buf_str(&b);
}

static void test_at_least_1500_cases(void **state)
{
    (void)state;
    printf("data: %u cases\n", fix_count("data.*"));
    assert_true(fix_count("data.*") >= 1500);
}

/* Every value of every dimension issue 13 lists (stack accesses by PUSH/POP/CALL/RET excepted:
 * they need #DB on a stack of its own). */
static void test_every_dimension_present(void **state)
{
    static const char *const globs[] = {
        /* DR0-3 x R/W 01, 11 x LEN 1, 2, 4, 8 x L/G */
        "data.bp.dr0.*", "data.bp.dr1.*", "data.bp.dr2.*", "data.bp.dr3.*", "data.bp.*.w.*",
        "data.bp.*.rw.*", "data.bp.*.len1.*", "data.bp.*.len2.*", "data.bp.*.len4.*",
        "data.bp.*.len8.*", "data.bp.*.l.*", "data.bp.*.g.*", "data.bp.*.lg.*",
        /* where the access falls */
        "data.place.*.on.*", "data.place.*.first.*", "data.place.*.last.*",
        "data.place.*.before.*", "data.place.*.after.*", "data.place.*.over.*",
        "data.place.*.mis_lo.*", "data.place.*.mis_hi.*", "data.place.*.far_after.*",
        /* kinds of access */
        "data.place.*.store.*.s1", "data.place.*.store.*.s2", "data.place.*.store.*.s4",
        "data.place.*.store.*.s8", "data.place.*.load.*.s1", "data.place.*.load.*.s8",
        "data.rmw.add.*", "data.rmw.lock_add.*", "data.rmw.xchg.*", "data.rmw.lock_cmpxchg_eq.*",
        "data.rmw.lock_cmpxchg_ne.*", "data.str.movs?.src.*", "data.str.movs?.dst.*",
        "data.str.stos?.*", "data.str.lods?.*", "data.str.*.once.*", "data.str.movsb.*.it0.*",
        "data.str.stosq.*.it2.*", "data.str.*.all.*",
        /* with the other conditions */
        "data.tf.*.hit.popf", "data.tf.*.miss.iretq_rf", "data.code.next.*", "data.code.same.*",
        "data.movss.rw2.*", "data.movss.w2.*", "data.movss.*.int3.*", "data.multi.all4.*",
        "data.multi.split.*", "data.multi.disabled_with.*",
        /* I/O breakpoints */
        "data.io.in_al_80.*", "data.io.in_eax_dx.*", "data.io.out_80_al.*", "data.io.insw.*",
        "data.io.outsb.*", "data.io.*.len1.*", "data.io.*.len2.*", "data.io.*.len4.*",
        "data.io.*.before", "data.io.*.after", "data.io.*.mis_hi", "data.iobp.dr3.lg",
        "data.repio.insb.*", "data.repio.outsb.*", "data.iobad.de0.*", "data.iobad.len8.*",
        /* accesses a hypervisor emulates */
        "data.hv.apic.ver_on.*", "data.hv.apic.id.*", "data.hv.rep_insb.*",
        /* hardware records */
        "data.hw.kvm_debug_regs_dr0", "data.hw.kvm_debug_regs_dr3",
        /* what INT3's and #UD's delivery touches: each slot of the frame, the IDT gate */
        "u64.data.deliver.int3.rip.*", "u64.data.deliver.int3.cs.*",
        "u64.data.deliver.int3.rflags.*", "u64.data.deliver.int3.rsp.*",
        "u64.data.deliver.int3.ss.*", "u32.data.deliver.ud2.rip.*",
        "u64.data.deliver.ud2.gate_lo.*", "u32.data.deliver.int3.gate_hi.*",
        "u64.data.deliver.int80.next_gate.*", "u64.data.deliver.ud2.above.*",
    };

    (void)state;
    fix_each_glob_matches(globs, sizeof(globs) / sizeof(globs[0]));
}

static void test_cases_and_their_csv_spelling(void **state)
{
    (void)state;
    /* a misaligned DR1 (d83, 4 bytes) and a store at d80: rbx names it */
    fix_case("data.place.w.store.len4.mis_lo.s1", &c);
    assert_int_equal(c.regs[0], 80);
    assert_string_equal(bps(), "DR1@d83:w4:G");
    assert_string_equal(access(), "w@d80:1");
    /* I/O: the port in DR0, CR4.DE forced to 1 */
    fix_case("data.io.in_al_dx.len2.on", &c);
    assert_int_equal(c.cr4_de, DBS_DE_SET);
    assert_string_equal(bps(), "DR0@0x80:io2:G");
    assert_string_equal(access(), "io@0x80:1");
    /* the APIC page: needs xAPIC at the default base */
    fix_case("data.hv.apic.ver_on.rw4.none", &c);
    assert_true(c.needs & DBS_NEEDS_XAPIC);
    assert_string_equal(bps(), "DR3@apic+0x30:rw4:G");
    assert_string_equal(access(), "r@apic+0x30:4");
    /* a CMPXCHG whose compare fails reads and writes the value back */
    fix_case("data.rmw.lock_cmpxchg_ne.w4.none", &c);
    assert_string_equal(access(), "rwb@d80:4");
    assert_int_equal(c.bytes[c.off[1]], 0xf0);
    /* F3 makes a string instruction REP; INS reads DX's port */
    fix_case("data.hv.rep_insb.first.w1.none", &c);
    assert_int_equal(c.kind[3], DBS_K_REP);
    assert_string_equal(access(), "w@d0:1;io@0x80:1");
    /* the KUT MOV SS watchpoint's selector */
    fix_case("data.movss.rw2.nop.none", &c);
    assert_string_equal(access(), "r@d8:2");
    /* what a delivery touches: the RSP0 stack's frame, the IDT (16 x vector) */
    fix_case("u64.data.deliver.int3.rip.w8.none", &c);
    assert_string_equal(bps(), "DR3@kstack24:w8:G");
    assert_true(c.needs & DBS_NEEDS_DELIVERY_WATCH);
    fix_case("u32.data.deliver.int80.gate_hi.rw4.none", &c);
    assert_string_equal(bps(), "DR1@idt+0x808:rw4:G");
    fix_case("u64.data.deliver.int3.above.w1.none", &c); /* nothing there: runs anywhere */
    assert_false(c.needs & DBS_NEEDS_DELIVERY_WATCH);
}

/* An access whose base register the case does not set is refused. */
static void test_unknown_base_is_rejected(void **state)
{
    struct dbs_case_spec s = {.name = "t.x", .ninsn = 2, .insn = {DBS_I_CPUID, DBS_I_STORE4}};

    (void)state;
    assert_int_equal(dbs_case_build(&s, &c), -1); /* CPUID clobbers rbx */
    s = (struct dbs_case_spec){.name = "t.x", .ninsn = 1, .insn = {DBS_I_STORE8}, .regs = {121}};
    assert_int_equal(dbs_case_build(&s, &c), -1); /* past the scratch area */
    s.regs[0] = 120;
    assert_int_equal(dbs_case_build(&s, &c), 0);
}

/* The range is LEN-aligned: the CPU masks DRn's low bits (SDM 18.2.5; APM
 * 13.1.1.4); any byte of the access in it matches. */
static void test_range_matching(void **state)
{
    static const struct {
        const char *name;
        int hit;
    } t[] = {
        {"data.place.rw.store.len4.mis_lo.s1", 1}, {"data.place.rw.store.len4.mis_hi.s1", 0},
        {"data.place.w.store.len4.first.s2", 1},   {"data.place.w.store.len4.last.s8", 1},
        {"data.place.w.store.len4.before.s4", 0},  {"data.place.w.store.len4.after.s8", 0},
        {"data.place.rw.load.len1.over.s4", 1},    {"data.place.w.load.len8.on.s8", 0},
        {"data.place.w.store.len1.far_after.s2", 0}, {"data.place.rw.store.len8.far_after.s8", 0},
        {"data.io.in_eax_80.len1.inside", 1},      {"data.io.in_al_80.len4.mis_lo", 1},
        {"data.io.in_al_80.len4.mis_hi", 0},       {"data.io.insd.len2.after", 0},
        {"data.hv.apic.ver_mis.rw8.none", 1},      {"data.hv.apic.id.rw8.none", 0},
    };
    unsigned i;
    enum dbs_vendor v;

    (void)state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        for (v = 0; v < DBS_VENDOR_COUNT; v++) {
            if (model(t[i].name, v) != DBS_MODEL_EXPECT || N != t[i].hit)
                fail_msg("%s (%s): %d events, expected %d", t[i].name, dbs_vendor_names[v], N,
                         t[i].hit);
            /* a trap: RIP after the access, on the case's last NOP */
            if (N)
                assert_true(E(0).rip_off == c.off[c.ninsn - 1] && E(0).rf == 0 &&
                            (E(0).dr6 & 0xf) == 1u << c.bp[0].dr);
        }
}

/* Breakpoints on linear addresses never match a port, nor the reverse. */
static void test_spaces_do_not_mix(void **state)
{
    struct dbs_case_spec s = {
        .name = "t.x", .ninsn = 1, .insn = {DBS_I_IN_AL_80}, .nbp = 1, .cr4_de = DBS_DE_SET,
        .bp = {{.dr = 0, .space = DBS_BP_IO, .at = 0x80, .rw = DBS_RW_RW, .len = 0, .en = DBS_EN_G}}};

    (void)state;
    assert_int_equal(model_spec(&s, INTEL), DBS_MODEL_EXPECT);
    assert_int_equal(N, 0); /* a read/write breakpoint at linear 0x80 */
    s.insn[0] = DBS_I_STORE1; /* to scratch byte 0 (rbx = 0) */
    s.bp[0] = (struct dbs_bp_spec){.dr = 0, .space = DBS_BP_IO, .at = 0, .rw = DBS_RW_IO,
                                   .en = DBS_EN_G};
    assert_int_equal(model_spec(&s, AMD), DBS_MODEL_EXPECT);
    assert_int_equal(N, 0); /* an I/O breakpoint on port 0 */
}

/* R/W=10 needs CR4.DE=1; 8-byte I/O ranges are not defined. */
static void test_undefined_io_settings(void **state)
{
    struct dbs_case_spec s = {
        .name = "t.x", .ninsn = 1, .insn = {DBS_I_IN_AL_80}, .nbp = 1,
        .bp = {{.dr = 0, .space = DBS_BP_IO, .at = 0x80, .rw = DBS_RW_IO, .en = DBS_EN_G}}};

    (void)state;
    assert_int_equal(model("data.iobad.de0.in_al_80.len1", INTEL), DBS_MODEL_UNDEFINED);
    assert_non_null(strstr(x.why, "CR4.DE=0"));
    assert_int_equal(model("data.iobad.len8.insb", AMD), DBS_MODEL_UNDEFINED);
    assert_non_null(strstr(x.why, "8 bytes"));
    assert_int_equal(model_spec(&s, AMD), DBS_MODEL_NO_RULE); /* CR4.DE as the firmware left it */
    s.bp[0].en = DBS_EN_OFF;
    assert_int_equal(model_spec(&s, AMD), DBS_MODEL_EXPECT); /* disabled: harmless */
}

/* R/W=01 ignores reads; a failing CMPXCHG writes back on Intel (SDM vol.
 * 2A CMPXCHG), AMD's manual does not say. */
static void test_write_breakpoints_and_cmpxchg(void **state)
{
    (void)state;
    assert_int_equal(model("data.bp.dr0.w.len4.g.load", AMD), DBS_MODEL_EXPECT);
    assert_int_equal(N, 0);
    assert_int_equal(model("data.rmw.cmpxchg_ne.w4.none", INTEL), DBS_MODEL_EXPECT);
    assert_true(N == 1 && E(0).dr6 == (INIT | 4));
    assert_int_equal(model("data.rmw.cmpxchg_ne.w4.none", AMD), DBS_MODEL_UNDEFINED);
    assert_non_null(strstr(x.why, "CMPXCHG"));
    assert_int_equal(model("data.rmw.cmpxchg_ne.rw4.none", AMD), DBS_MODEL_EXPECT);
    assert_int_equal(N, 1); /* it reads either way */
    assert_int_equal(model("data.rmw.lock_cmpxchg_eq.w4.none", AMD), DBS_MODEL_EXPECT);
    assert_int_equal(N, 1);
}

/* REP MOVS/STOS/LODS: which iteration reports a hit before the last one is
 * not settled (SDM 18.3.1.2, vol. 1 7.3.9.3; APM 13.1.3.2): undefined, with
 * "exact" and "late" known; a hit in the last iteration is reported after
 * the instruction. REP INS/OUTS: settled on Intel for memory, on both for
 * I/O (SDM 18.3.1.2; APM 13.1.3.3). */
static void test_rep_strings(void **state)
{
    enum dbs_vendor v;

    (void)state;
    for (v = 0; v < DBS_VENDOR_COUNT; v++) {
        /* nop(0) lea(1) mov ecx,3(5) rep movsb(10) nop(12); element 1 of dst */
        assert_int_equal(model("data.str.movsb.dst.it1.w.none", v), DBS_MODEL_UNDEFINED);
        assert_int_equal(x.nalt, 2);
        assert_string_equal(x.alt[0].name, "exact");
        assert_true(x.alt[0].e.nexp == 1 && x.alt[0].e.exp[0].rip_off == 10 &&
                    x.alt[0].e.exp[0].rf == 1);
        assert_string_equal(x.alt[1].name, "late");
        assert_true(x.alt[1].e.nexp == 1 && x.alt[1].e.exp[0].rip_off == 12 &&
                    x.alt[1].e.exp[0].rf == 0);
        assert_int_equal(model("data.str.movsb.dst.it2.w.none", v), DBS_MODEL_EXPECT);
        assert_true(N == 1 && E(0).rip_off == 12 && E(0).rf == 0);
        /* REP INSB, an I/O breakpoint: a #DB after every iteration */
        assert_int_equal(model("data.repio.insb.io1.none", v), DBS_MODEL_EXPECT);
        assert_true(N == 3 && E(0).rip_off == 11 && E(0).rf == 1 && E(1).rf == 1);
        assert_true(E(2).rip_off == 13 && E(2).rf == 0);
    }
    assert_int_equal(model("data.hv.rep_insb.first.w1.none", INTEL), DBS_MODEL_EXPECT);
    assert_true(N == 1 && E(0).rip_off == 11 && E(0).rf == 1 && E(0).dr6 == (INIT | 1));
    assert_int_equal(model("data.hv.rep_insb.first.w1.none", AMD), DBS_MODEL_UNDEFINED);
    assert_non_null(strstr(x.why, "APM 13.1.3.2"));
}

/* Traps of one instruction make one #DB; a code breakpoint on the same
 * instruction comes first (APM 13.1.3); on the next one it meets the trap,
 * which no source settles for a data trap on either vendor. */
static void test_with_other_conditions(void **state)
{
    (void)state;
    /* nop(0) store(1) nop(4): TF and the watchpoint, one #DB BS|B0 at 4 */
    assert_int_equal(model("data.tf.store4.hit.popf", AMD), DBS_MODEL_EXPECT);
    assert_true(N == 3 && E(1).rip_off == 4 && E(1).dr6 == (INIT | BS | 1));
    assert_true(E(2).dr6 == (INIT | BS));
    /* DR6 reset after every #DB, so a BS missing from the I/O trap shows;
     * iretq_rf: the IN comes first and runs with RF=1, the trap pushes 0 */
    assert_int_equal(model("data.tf.in80.hit.iretq_rf", INTEL), DBS_MODEL_EXPECT);
    assert_true(c.dr6_reset && c.id[0] == DBS_I_IN_AL_80);
    assert_true(N == 2 && E(0).rip_off == 2 && E(0).dr6 == (INIT | BS | 1) && E(0).rf == 0);
    assert_int_equal(model("data.code.same.store4.none.d0c1", AMD), DBS_MODEL_EXPECT);
    assert_true(N == 2 && E(0).rip_off == 1 && E(0).dr6 == (INIT | 2));
    assert_true(E(1).rip_off == 4 && E(1).dr6 == (INIT | 1));
    assert_int_equal(model("data.code.next.store4.none.d3c2", INTEL), DBS_MODEL_UNDEFINED);
    assert_string_equal(x.alt[0].name, "merged");
    assert_true(x.alt[0].e.nexp == 1 && x.alt[0].e.exp[0].rip_off == 4 &&
                x.alt[0].e.exp[0].dr6 == (INIT | 8 | 4) && x.alt[0].e.exp[0].rf == 0);
    assert_int_equal(model("data.code.next.store4.none.d3c2", AMD), DBS_MODEL_UNDEFINED);
    assert_string_equal(x.alt[1].name, "serial");
    /* several DRs: every enabled match; a disabled one may show */
    assert_int_equal(model("data.multi.all4.none", INTEL), DBS_MODEL_EXPECT);
    assert_true(N == 1 && E(0).dr6 == (INIT | 0xf));
    assert_int_equal(model("data.multi.disabled_with.none", AMD), DBS_MODEL_EXPECT);
    assert_true(N == 1 && E(0).dr6 == (INIT | 1) && E(0).dr6_any == 2);
    assert_int_equal(model("data.multi.disabled_alone.popf", INTEL), DBS_MODEL_EXPECT);
    assert_true(N == 3 && E(1).dr6_any == 2); /* the single step after the store */
    assert_int_equal(model("data.multi.io_and_mem.none", INTEL), DBS_MODEL_EXPECT);
    assert_true(N == 1 && E(0).dr6 == (INIT | 3));
}

/* MOV SS holds its watchpoint's #DB for one instruction (KUT; XTF
 * xsa-260); INT n delivers it at the handler's entry, faults drop it. */
static void test_movss_watchpoint(void **state)
{
    (void)state;
    /* mov ss,[rdi+8](0) nop(3) nop(4) */
    assert_int_equal(model("data.movss.rw2.nop.none", INTEL), DBS_MODEL_EXPECT);
    assert_true(N == 1 && E(0).rip_off == 4 && E(0).dr6 == (INIT | 2));
    assert_int_equal(model("data.movss.rw1.store.popf", AMD), DBS_MODEL_EXPECT);
    assert_true(E(0).rip_off == 6 && E(0).dr6 == (INIT | BS | 2 | 4));
    assert_int_equal(model("data.movss.rw8.int3.none", AMD), DBS_MODEL_EXPECT);
    assert_true(E(0).rip_off == (DBS_OFF_ENTRY | 3) && E(1).vector == DBS_VEC_BP);
    assert_int_equal(model("data.movss.rw4.ud2.none", AMD), DBS_MODEL_EXPECT);
    assert_true(N == 1 && E(0).vector == DBS_VEC_UD);
    assert_int_equal(model("data.movss.w2.nop.none", INTEL), DBS_MODEL_EXPECT);
    assert_int_equal(N, 0); /* MOV SS reads */
}

/* A watchpoint on what an event's delivery touches: #DB at the handler's
 * first instruction (its entry, v<vector>) with Bn, then the event; TF does
 * not add BS there (the delivery clears TF) but stays from an earlier step. */
static void test_delivery_watchpoints(void **state)
{
    static const char *const hit[] = {
        "u64.data.deliver.int3.rip.w8.none", "u64.data.deliver.int3.ss.w1.none",
        "u32.data.deliver.int80.rflags.w4.none", "u64.data.deliver.ud2.cs.w2.none",
        "u64.data.deliver.int3.gate_lo.rw8.none", "u32.data.deliver.ud2.gate_hi.rw1.none",
    };
    unsigned i, v;

    (void)state;
    for (i = 0; i < sizeof(hit) / sizeof(hit[0]); i++)
        for (v = 0; v < DBS_VENDOR_COUNT; v++) {
            assert_int_equal(model(hit[i], v), DBS_MODEL_EXPECT);
            assert_int_equal(N, 2);
            assert_int_equal(E(0).vector, DBS_VEC_DB);
            assert_int_equal(E(0).rip_off, DBS_OFF_ENTRY | E(1).vector);
            assert_int_equal(E(0).dr6, INIT | DBS_DR6_B(c.bp[0].dr));
            assert_int_not_equal(E(1).vector, DBS_VEC_DB);
        }
    /* the 8 bytes above the frame, the next vector's gate: only the event */
    assert_int_equal(model("u64.data.deliver.int3.above.w8.none", AMD), DBS_MODEL_EXPECT);
    assert_true(N == 1 && E(0).vector == DBS_VEC_BP);
    assert_int_equal(model("u64.data.deliver.ud2.next_gate.rw8.none", INTEL), DBS_MODEL_EXPECT);
    assert_true(N == 1 && E(0).vector == DBS_VEC_UD);
    /* a write watchpoint ignores the gate read */
    assert_int_equal(model("u64.data.deliver.int3.rip.w8.iretq", INTEL), DBS_MODEL_EXPECT);
    assert_true(N == 3 && E(0).dr6 == (INIT | BS) && E(1).dr6 == (INIT | BS | 8));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_at_least_1500_cases),
        cmocka_unit_test(test_every_dimension_present),
        cmocka_unit_test(test_cases_and_their_csv_spelling),
        cmocka_unit_test(test_unknown_base_is_rejected),
        cmocka_unit_test(test_range_matching),
        cmocka_unit_test(test_spaces_do_not_mix),
        cmocka_unit_test(test_undefined_io_settings),
        cmocka_unit_test(test_write_breakpoints_and_cmpxchg),
        cmocka_unit_test(test_rep_strings),
        cmocka_unit_test(test_with_other_conditions),
        cmocka_unit_test(test_movss_watchpoint),
        cmocka_unit_test(test_delivery_watchpoints),
    };
    return cmocka_run_group_tests_name("data", tests, NULL, NULL);
}
