/* The reference model: it must reproduce every hand-written kvm-unit-tests
 * expectation exactly, and apply its rules to the generated sweep. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dbs_arch.h"
#include "dbs_case.h"
#include "dbs_model.h"
#include "dbs_options.h"
#include "fixtures.h"

static struct dbs_case c;

static enum dbs_model_outcome model(const char *name, enum dbs_vendor v)
{
    fix_case(name, &c);
    return dbs_model_apply(&c, v, NULL);
}

static void test_model_reproduces_every_kut_expectation(void **state)
{
    static struct dbs_case table, m;
    enum dbs_vendor v;
    unsigned i, k, n = 0;

    (void)state;
    for (i = 0; i < dbs_case_count(); i++) {
        assert_int_equal(dbs_case_get(i, &table), 0);
        if (strcmp(table.group, "kut"))
            continue;
        n++;
        for (v = 0; v < DBS_VENDOR_COUNT; v++) {
            const char *why = NULL;

            m = table;
            if (dbs_model_apply(&m, v, &why) != DBS_MODEL_EXPECT)
                fail_msg("%s (%s): no expectation: %s", table.name, dbs_vendor_names[v], why);
            if (m.nexp != table.nexp)
                fail_msg("%s (%s): model %d events, KUT %d", table.name, dbs_vendor_names[v],
                         m.nexp, table.nexp);
            for (k = 0; k < (unsigned)m.nexp; k++)
                if (m.exp[k].vector != table.exp[k].vector ||
                    m.exp[k].rip_off != table.exp[k].rip_off ||
                    m.exp[k].dr6 != table.exp[k].dr6 || m.exp[k].dr6_any)
                    fail_msg("%s (%s) event %u: model %u@%u 0x%x, KUT %u@%u 0x%x", table.name,
                             dbs_vendor_names[v], k, m.exp[k].vector, m.exp[k].rip_off,
                             m.exp[k].dr6, table.exp[k].vector, table.exp[k].rip_off,
                             table.exp[k].dr6);
        }
    }
    assert_int_equal(n, 14);
}

/* The model says something about most of the sweep, and never crashes. */
static void test_model_covers_the_sweep(void **state)
{
    static struct dbs_case x;
    unsigned i, n = 0, expect = 0, undef = 0;

    (void)state;
    for (i = 0; i < dbs_case_count(); i++) {
        assert_int_equal(dbs_case_get(i, &x), 0);
        switch (dbs_model_apply(&x, DBS_VENDOR_INTEL, NULL)) {
        case DBS_MODEL_EXPECT: expect++; break;
        case DBS_MODEL_UNDEFINED: undef++; break;
        default: break;
        }
        n++;
    }
    printf("model: %u cases, %u with an expectation, %u undefined, %u without a rule\n", n,
           expect, undef, n - expect - undef);
    assert_true(expect * 10 >= n * 9);
}

static void test_single_step_over_branches(void **state)
{
    (void)state;
    /* call(0) -> ret(7) -> jmp(5) -> nop(8): each trap's RIP is the target */
    assert_int_equal(model("ss.popf.call", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_int_equal(c.nexp, 5);
    assert_int_equal(c.exp[0].rip_off, 7);
    assert_int_equal(c.exp[1].rip_off, 5);
    assert_int_equal(c.exp[2].rip_off, 8);
    assert_int_equal(c.exp[3].rip_off, 9);
    /* LOOP from 3: two taken iterations trap on the LOOP itself */
    assert_int_equal(model("ss.popf.loop", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_int_equal(c.nexp, 5);
    assert_int_equal(c.exp[1].rip_off, 5);
    assert_int_equal(c.exp[2].rip_off, 5);
    assert_int_equal(c.exp[3].rip_off, 7);
    /* REP MOVSB with RCX=3: a trap on the REP after iterations 1 and 2 */
    assert_int_equal(model("ss.popf.rep_movsb", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_int_equal(c.exp[2].rip_off, 9);
    assert_int_equal(c.exp[3].rip_off, 9);
    assert_int_equal(c.exp[4].rip_off, 11);
}

static void test_faults_and_traps_end_the_case(void **state)
{
    (void)state;
    assert_int_equal(model("ss.popf.ud2", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_int_equal(c.nexp, 1);
    assert_int_equal(c.exp[0].vector, DBS_VEC_UD);
    assert_int_equal(c.exp[0].rip_off, 0);
    assert_int_equal(model("pfx.cs_x14.nobp.none", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_int_equal(c.exp[0].vector, DBS_VEC_GP);
    assert_int_equal(c.exp[0].rip_off, 1);
    assert_int_equal(model("pfx.lock_reg.nobp.none", DBS_VENDOR_AMD), DBS_MODEL_EXPECT);
    assert_int_equal(c.exp[0].vector, DBS_VEC_UD);
    assert_int_equal(model("ss.iretq.int3", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_int_equal(c.nexp, 1);
    assert_int_equal(c.exp[0].vector, DBS_VEC_BP);
    assert_int_equal(c.exp[0].rip_off, 1);
}

/* A breakpoint must be on the instruction's first byte, prefixes included. */
static void test_breakpoint_only_on_the_first_prefix(void **state)
{
    (void)state;
    assert_int_equal(model("pfx.mix4.first.none", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_int_equal(c.nexp, 1);
    assert_int_equal(c.exp[0].rip_off, 1);
    assert_true(c.exp[0].dr6 == 0xffff0ff1u);
    assert_int_equal(model("pfx.mix4.opcode.none", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_int_equal(c.nexp, 0);
    assert_int_equal(model("bppos.none.mid.cpuid", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_int_equal(c.nexp, 0);
}

/* RF from IRETQ suppresses the first instruction's breakpoint only. */
static void test_rf_from_iretq(void **state)
{
    (void)state;
    assert_int_equal(model("bppos.iretq_rf.first.nop", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_true(c.exp[0].dr6 == 0xffff4ff0u); /* BS, B1 suppressed: may show */
    assert_true(c.exp[0].rip_off == 1 && c.exp[0].dr6_any == 0);
    assert_int_equal(model("bppos.iretq.first.nop", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_true(c.exp[0].rip_off == 0 && c.exp[0].dr6 == 0xffff0ff2u);
}

static void test_several_drs_and_disabled_ones(void **state)
{
    (void)state;
    assert_int_equal(model("bpmulti.same4.none.nop", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_true(c.nexp == 1 && c.exp[0].dr6 == 0xffff0fffu);
    assert_int_equal(model("bpmulti.disabled_with.popf.nop", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_true(c.exp[0].dr6 == 0xffff4ff1u && c.exp[0].dr6_any == 2);
    assert_int_equal(model("bpmulti.disabled_alone.none.nop", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_int_equal(c.nexp, 0);
}

/* Vendors differ on a breakpoint on the instruction after MOV SS. */
static void test_movss_shadow_vendor_variants(void **state)
{
    (void)state;
    assert_int_equal(model("shadow.movss_reg.shadowed.nop", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_int_equal(c.nexp, 2); /* one BS after the shadowed NOP, one after the last NOP */
    assert_true(c.exp[0].rip_off == 3 && c.exp[0].dr6 == 0xffff4ff0u);
    assert_int_equal(model("shadow.movss_reg.shadowed.nop", DBS_VENDOR_AMD), DBS_MODEL_EXPECT);
    assert_true(c.exp[0].rip_off == 2 && c.exp[0].dr6 == 0xffff0ff4u);
    assert_int_equal(model("shadow.movss_movss.nobp.nop", DBS_VENDOR_INTEL), DBS_MODEL_UNDEFINED);
    assert_true(c.undefined);
    assert_int_equal(model("bplen.len2.dr0.none.nop", DBS_VENDOR_AMD), DBS_MODEL_UNDEFINED);
}

static void test_general_detect(void **state)
{
    (void)state;
    /* the single step after the NOP is delivered first; the GD fault comes
     * when the MOV DR starts, BS still set in DR6; then the MOV DR traps */
    assert_int_equal(model("gd.popf.movdr_r", DBS_VENDOR_INTEL), DBS_MODEL_EXPECT);
    assert_int_equal(c.nexp, 4);
    assert_true(c.exp[0].rip_off == 1 && c.exp[0].dr6 == 0xffff4ff0u);
    assert_true(c.exp[1].rip_off == 1 && c.exp[1].dr6 == 0xffff6ff0u);
    assert_true(c.exp[2].rip_off == 4 && c.exp[2].dr6 == 0xffff6ff0u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_reproduces_every_kut_expectation),
        cmocka_unit_test(test_model_covers_the_sweep),
        cmocka_unit_test(test_single_step_over_branches),
        cmocka_unit_test(test_faults_and_traps_end_the_case),
        cmocka_unit_test(test_breakpoint_only_on_the_first_prefix),
        cmocka_unit_test(test_rf_from_iretq),
        cmocka_unit_test(test_several_drs_and_disabled_ones),
        cmocka_unit_test(test_movss_shadow_vendor_variants),
        cmocka_unit_test(test_general_detect),
    };
    return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
