/* The generated sweep: size, every dimension present, and the cases that
 * pin a dimension down built as the manuals describe them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dbs_arch.h"
#include "dbs_case.h"
#include "dbs_options.h"
#include "fixtures.h"

static void test_at_least_2000_cases(void **state)
{
    (void)state;
    assert_true(dbs_case_count() >= 2000);
    assert_int_equal(fix_count("kut.*"), 21);
}

/* Every value of every dimension the issue lists has cases. */
static void test_every_dimension_present(void **state)
{
    static const char *const globs[] = {
        /* TF arming */
        "ss.none.*", "ss.popf.*", "ss.iretq.*", "ss.iretq_rf.*", "ss.popf_clear.*",
        /* DR index x enable */
        "ssbp.*.dr0.l.*", "ssbp.*.dr1.g.*", "ssbp.*.dr2.l.*", "ssbp.*.dr3.g.*",
        /* placements */
        "bppos.*.first.*", "bppos.*.next.*", "bppos.*.last.*", "bppos.*.mid.*",
        "bpmulti.same2.*", "bpmulti.same4.*", "bpmulti.disabled_alone.*",
        "bpmulti.disabled_with.*", "bpmulti.spread.*", "bplen.*",
        /* subjects */
        "ss.popf.nop", "ss.popf.mov", "ss.popf.alu", "ss.popf.push", "ss.popf.pop",
        "ss.popf.pushf", "ss.popf.popf", "ss.popf.cpuid", "ss.popf.in", "ss.popf.out",
        "ss.popf.rdmsr", "ss.popf.rdtsc", "ss.popf.rdtscp", "ss.popf.xgetbv", "ss.popf.lfence",
        "ss.popf.pause", "ss.popf.movdr_r", "ss.popf.movdr_w", "ss.popf.jmp", "ss.popf.jcc_t",
        "ss.popf.jcc_nt", "ss.popf.call", "ss.popf.loop", "ss.popf.rep_movsb", "ss.popf.int3",
        "ss.popf.icebp", "ss.popf.ud2", "ss.popf.hlt", "gd.*",
        /* prefixes */
        "pfx.es.*", "pfx.cs.*", "pfx.ss.*", "pfx.ds.*", "pfx.fs.*", "pfx.gs.*", "pfx.opsize.*",
        "pfx.addrsize.*", "pfx.rep.*", "pfx.repne.*", "pfx.rexw.*", "pfx.lock_reg.*",
        "pfx.lock_mem.*", "pfx.mix_rex_last.*", "pfx.cs_x0.*", "pfx.cs_x14.*",
        "pfx.mix13_len15.*", "pfx.mix14_len16.*", "pfx.*.first.*", "pfx.*.inner.*",
        "pfx.*.opcode.*",
        /* shadows */
        "shadow.movss_reg.*", "shadow.movss_mem.*", "shadow.sti.*", "shadow.movss_movss.*",
        "shadow.sti_sti.*", "shadow.movss_sti.*", "shadow.*.shadowed.*", "shadow.*.after.*",
        "shadow.*.*.icebp", "shadow.*.*.int3", "shadow.*.gd.movdr_r",
    };

    (void)state;
    fix_each_glob_matches(globs, sizeof(globs) / sizeof(globs[0]));
}

static void test_issue_example_case(void **state)
{
    static struct dbs_case c;

    (void)state;
    fix_case("ssbp.popf.dr3.g.cpuid", &c);
    assert_int_equal(c.tf, DBS_TF_POPF);
    assert_int_equal(c.nbp, 1);
    assert_int_equal(c.bp[0].dr, 3);
    assert_int_equal(c.bp[0].en, DBS_EN_G);
    assert_int_equal(c.kind[2], DBS_K_CPUID);
    assert_int_equal(c.bp[0].off, c.off[2]);
    assert_true(dbs_case_dr7(&c) == (DBS_DR7_FIXED1 | DBS_DR7_G(3)));
    assert_int_equal(c.hw_known, 0); /* the sweep carries no record of hardware */
}

/* 15 bytes is the limit; 16 raise #GP (SDM vol. 2A 2.3.11). */
static void test_instruction_length_limit(void **state)
{
    static struct dbs_case c;

    (void)state;
    fix_case("pfx.cs_x13.nobp.none", &c);
    assert_int_equal(c.off[2] - c.off[1], 15);
    assert_int_equal(c.kind[1], DBS_K_PLAIN);
    fix_case("pfx.cs_x14.nobp.none", &c);
    assert_int_equal(c.off[2] - c.off[1], 16);
    assert_int_equal(c.kind[1], DBS_K_GP);
    fix_case("pfx.mix14_len16.opcode.popf", &c);
    assert_int_equal(c.kind[1], DBS_K_GP);
    assert_int_equal(c.bp[0].off, c.off[1] + 14);
}

static void test_lock_and_breakpoint_placement(void **state)
{
    static struct dbs_case c;

    (void)state;
    fix_case("pfx.lock_reg.nobp.none", &c);
    assert_int_equal(c.kind[1], DBS_K_UD);
    fix_case("pfx.lock_mem.first.popf", &c);
    assert_int_equal(c.kind[1], DBS_K_STORE);
    assert_int_equal(c.bp[0].off, c.off[1]);
    fix_case("pfx.mix4.inner.none", &c);
    assert_int_equal(c.bp[0].off, c.off[1] + 2);
    fix_case("pfx.mix4.modrm.none", &c);
    assert_int_equal(c.bp[0].off, c.off[1] + 5);
    fix_case("bppos.none.mid.cpuid", &c);
    assert_true(c.bp[0].off > c.off[2] && c.bp[0].off < c.off[3]);
    fix_case("bppos.popf.last.nop", &c);
    assert_int_equal(c.bp[0].off, c.off[c.ninsn - 1]);
}

static void test_multi_and_undefined(void **state)
{
    static struct dbs_case c;
    unsigned i;

    (void)state;
    fix_case("bpmulti.same4.popf.cpuid", &c);
    assert_int_equal(c.nbp, 4);
    for (i = 0; i < 4; i++)
        assert_int_equal(c.bp[i].off, c.bp[0].off);
    fix_case("bpmulti.disabled_alone.none.nop", &c);
    assert_int_equal(c.bp[0].en, DBS_EN_OFF);
    assert_true((dbs_case_dr7(&c) & 0xff) == 0);
    fix_case("bpmulti.spread.iretq.mov", &c);
    for (i = 1; i < 4; i++)
        assert_true(c.bp[i].off > c.bp[i - 1].off);
    fix_case("bplen.len8.dr2.popf.cpuid", &c);
    assert_true(((dbs_case_dr7(&c) >> DBS_DR7_LEN_SHIFT(2)) & 3) == 2);
}

static void test_shadows_and_gd(void **state)
{
    static struct dbs_case c;

    (void)state;
    fix_case("shadow.movss_sti.shadowed.nop", &c);
    assert_int_equal(c.kind[0], DBS_K_MOVSS);
    assert_int_equal(c.kind[1], DBS_K_STI);
    assert_int_equal(c.bp[0].off, c.off[2]);
    fix_case("shadow.movss_reg.gd.movdr_w", &c);
    assert_true(dbs_case_dr7(&c) & DBS_DR7_GD);
    assert_int_equal(c.kind[1], DBS_K_MOVDR);
    fix_case("ss.popf.hlt", &c);
    assert_true(c.needs & DBS_NEEDS_TIMER);
    fix_case("ss.popf_clear.nop", &c);
    assert_int_equal(c.kind[c.ninsn - 2], DBS_K_POPF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_at_least_2000_cases),
        cmocka_unit_test(test_every_dimension_present),
        cmocka_unit_test(test_issue_example_case),
        cmocka_unit_test(test_instruction_length_limit),
        cmocka_unit_test(test_lock_and_breakpoint_placement),
        cmocka_unit_test(test_multi_and_undefined),
        cmocka_unit_test(test_shadows_and_gd),
    };
    return cmocka_run_group_tests_name("sweep", tests, NULL, NULL);
}
