/* The KTAP result lines the console prints with serial on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dbs_ktap.h"

static char out[4096];

static void collect(void *ctx, const char *text)
{
    (void)ctx;
    strcat(out, text);
    strcat(out, "\n");
}

static void groups_nest_their_cases(void **state)
{
    struct dbs_ktap k;

    (void)state;
    out[0] = 0;
    dbs_ktap_init(&k, collect, NULL);
    assert_int_equal(dbs_ktap_plan(&k, "kut"), 0);
    assert_int_equal(dbs_ktap_plan(&k, "kut"), 0);
    assert_int_equal(dbs_ktap_plan(&k, "kut"), 0);
    assert_int_equal(dbs_ktap_plan(&k, "bplen"), 0);
    assert_int_equal(dbs_ktap_plan(&k, "bplen"), 0);
    assert_int_equal(dbs_ktap_plan(&k, "ss"), 0);
    dbs_ktap_begin(&k);
    dbs_ktap_case(&k, "kut.hw_bp1", DBS_V_MATCH, 0);
    dbs_ktap_case(&k, "kut.sti", DBS_V_MISMATCH, DBS_KTAP_DISAGREE | DBS_KTAP_CAPPED);
    dbs_ktap_case(&k, "kut.hlt", DBS_V_MATCH, 0);
    dbs_ktap_case(&k, "bplen.a", DBS_V_UNDEFINED, 0);
    dbs_ktap_case(&k, "bplen.b", DBS_V_NONE, 0);
    dbs_ktap_case(&k, "ss.xgetbv", DBS_V_NONE, DBS_KTAP_SKIPPED);
    assert_string_equal(out,
        "KTAP version 1\n"
        "1..3\n"
        "    KTAP version 1\n"
        "    # Subtest: kut\n"
        "    1..3\n"
        "    ok 1 kut.hw_bp1 # match\n"
        "    not ok 2 kut.sti # mismatch; repetitions disagree; event cap hit\n"
        "    ok 3 kut.hlt # match\n"
        "not ok 1 kut # mismatch\n"
        "    KTAP version 1\n"
        "    # Subtest: bplen\n"
        "    1..2\n"
        "    ok 1 bplen.a # SKIP undefined\n"
        "    ok 2 bplen.b # SKIP none\n"
        "ok 2 bplen # SKIP undefined\n"
        "    KTAP version 1\n"
        "    # Subtest: ss\n"
        "    1..1\n"
        "    ok 1 ss.xgetbv # SKIP skipped\n"
        "ok 3 ss # SKIP skipped\n");
}

static void a_crashed_case_fails_its_group(void **state)
{
    struct dbs_ktap k;

    (void)state;
    out[0] = 0;
    dbs_ktap_init(&k, collect, NULL);
    dbs_ktap_plan(&k, "selftest");
    dbs_ktap_plan(&k, "kut");
    dbs_ktap_begin(&k);
    dbs_ktap_case(&k, "selftest.triple_fault", DBS_V_NONE, DBS_KTAP_CRASHED);
    dbs_ktap_case(&k, "kut.hw_bp1", DBS_V_MATCH, 0);
    dbs_ktap_case(&k, "kut.extra", DBS_V_MATCH, 0); /* not planned: no line */
    assert_non_null(strstr(out, "    not ok 1 selftest.triple_fault # crashed\n"
                                "not ok 1 selftest # crashed\n"));
    assert_non_null(strstr(out, "ok 2 kut # match\n"));
    assert_null(strstr(out, "kut.extra"));
}

static void an_empty_run_is_a_plan_of_none(void **state)
{
    struct dbs_ktap k;

    (void)state;
    out[0] = 0;
    dbs_ktap_init(&k, collect, NULL);
    dbs_ktap_begin(&k);
    assert_string_equal(out, "KTAP version 1\n1..0\n");
}

static void too_many_groups_are_refused(void **state)
{
    struct dbs_ktap k;
    char name[8];
    unsigned i;

    (void)state;
    dbs_ktap_init(&k, collect, NULL);
    for (i = 0; i < DBS_KTAP_MAX_GROUPS; i++) {
        name[0] = (char)('a' + i / 26);
        name[1] = (char)('a' + i % 26);
        name[2] = 0;
        assert_int_equal(dbs_ktap_plan(&k, name), 0);
    }
    assert_int_equal(dbs_ktap_plan(&k, "one-more"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(groups_nest_their_cases),
        cmocka_unit_test(a_crashed_case_fails_its_group),
        cmocka_unit_test(an_empty_run_is_a_plan_of_none),
        cmocka_unit_test(too_many_groups_are_refused),
    };
    return cmocka_run_group_tests_name("ktap", tests, NULL, NULL);
}
