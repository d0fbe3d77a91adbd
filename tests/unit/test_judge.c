/* Verdicts and repetition agreement. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "dbs_judge.h"
#include "fixtures.h"

static struct dbs_case c;
static struct dbs_expect x;
static struct dbs_rep reps[3];

/* Three repetitions of the seed case as Intel's rules expect it. */
static void seed_reps(void)
{
    unsigned i;

    fix_case("kut.singlestep_with_code_db", &c);
    dbs_model_expect(&c, DBS_VENDOR_INTEL, &x);
    for (i = 0; i < 3; i++)
        fix_rep_as_expected(&x.e, &reps[i]);
}

static void test_expected_events_match(void **state)
{
    (void)state;
    seed_reps();
    assert_int_equal(dbs_rep_rows(&x, &reps[0]), 3);
    assert_int_equal(dbs_judge_row(&c, &x, &reps[0], 0), DBS_V_MATCH);
    assert_int_equal(dbs_judge_case(&c, &x, reps, 3), DBS_V_MATCH);
    assert_true(dbs_reps_agree(reps, 3));
}

/* KVM's emulator bug from the LKML thread: BS without B2. */
static void test_dr6_without_b2_is_a_mismatch(void **state)
{
    (void)state;
    seed_reps();
    reps[1].ev[0].dr6 = 0xffff4ff0;
    assert_int_equal(dbs_judge_row(&c, &x, &reps[1], 0), DBS_V_MISMATCH);
    assert_int_equal(dbs_judge_row(&c, &x, &reps[1], 1), DBS_V_MATCH);
    assert_int_equal(dbs_judge_case(&c, &x, reps, 3), DBS_V_MISMATCH);
    assert_false(dbs_reps_agree(reps, 3));
}

static void test_wrong_rip_or_vector_is_a_mismatch(void **state)
{
    (void)state;
    seed_reps();
    reps[0].ev[1].rip += 1;
    assert_int_equal(dbs_judge_row(&c, &x, &reps[0], 1), DBS_V_MISMATCH);
    seed_reps();
    reps[0].ev[2].vector = 6;
    assert_int_equal(dbs_judge_row(&c, &x, &reps[0], 2), DBS_V_MISMATCH);
}

/* Missing and extra events each take a row, judged mismatch. */
static void test_missing_and_extra_events(void **state)
{
    (void)state;
    seed_reps();
    reps[0].nev = 2;
    assert_int_equal(dbs_rep_rows(&x, &reps[0]), 3);
    assert_int_equal(dbs_judge_row(&c, &x, &reps[0], 2), DBS_V_MISMATCH);
    reps[1].ev[3] = reps[1].ev[2];
    reps[1].nev = 4;
    assert_int_equal(dbs_rep_rows(&x, &reps[1]), 4);
    assert_int_equal(dbs_judge_row(&c, &x, &reps[1], 3), DBS_V_MISMATCH);
}

/* An event whose DR6 could not be read cannot match a #DB expectation. */
static void test_unread_dr6_is_a_mismatch(void **state)
{
    (void)state;
    seed_reps();
    reps[0].ev[0].has_dr = 0;
    assert_int_equal(dbs_judge_row(&c, &x, &reps[0], 0), DBS_V_MISMATCH);
}

/* RF in the frame is judged where the sources fix it: 0 after a code
 * breakpoint (it fired), 0 after a completed instruction's trap. */
static void test_wrong_rf_is_a_mismatch(void **state)
{
    (void)state;
    seed_reps();
    assert_int_equal(x.e.exp[0].rf, 0);
    reps[0].ev[0].rflags |= 1u << 16;
    assert_int_equal(dbs_judge_row(&c, &x, &reps[0], 0), DBS_V_MISMATCH);
    x.e.exp[0].rf = DBS_RF_ANY;
    assert_int_equal(dbs_judge_row(&c, &x, &reps[0], 0), DBS_V_MATCH);
}

/* A #DB held by MOV SS arrives at the #BP handler's first instruction: an
 * event there matches only an expectation at that entry. */
static void test_handler_entry_events(void **state)
{
    (void)state;
    fix_case("kut.movss_watchpoint_int3", &c);
    dbs_model_expect(&c, DBS_VENDOR_INTEL, &x);
    assert_int_equal(x.e.exp[0].rip_off, DBS_OFF_ENTRY | 3);
    fix_rep_as_expected(&x.e, &reps[0]);
    assert_int_equal(dbs_event_off(&c, &reps[0], &reps[0].ev[0]), DBS_OFF_ENTRY | 3);
    assert_int_equal(dbs_judge_rep(&c, &x, &reps[0]), DBS_V_MATCH);
    reps[0].ev[0].entry = 0; /* the same #DB after INT3 instead */
    reps[0].ev[0].rip = reps[0].case_start + c.nbytes;
    assert_int_equal(dbs_judge_row(&c, &x, &reps[0], 0), DBS_V_MISMATCH);
}

/* AMD and the seed case: undefined, and the known behaviour seen is named. */
static void test_undefined_names_the_behaviour_seen(void **state)
{
    (void)state;
    fix_case("kut.singlestep_with_code_db", &c);
    dbs_model_expect(&c, DBS_VENDOR_AMD, &x);
    assert_int_equal(x.outcome, DBS_MODEL_UNDEFINED);
    assert_int_equal(x.nalt, 2);
    fix_rep_as_expected(&x.alt[0].e, &reps[0]);
    fix_rep_as_expected(&x.alt[1].e, &reps[1]);
    fix_rep_as_expected(&x.alt[1].e, &reps[2]);
    reps[2].ev[1].dr6 = 0xffff4ff0; /* the second #DB without B2 */
    assert_int_equal(dbs_judge_case(&c, &x, reps, 3), DBS_V_UNDEFINED);
    assert_string_equal(dbs_judge_alt(&c, &x, &reps[0]), "merged");
    assert_string_equal(dbs_judge_alt(&c, &x, &reps[1]), "serial");
    assert_null(dbs_judge_alt(&c, &x, &reps[2]));
}

static void test_no_expectation_and_skipped_are_none(void **state)
{
    (void)state;
    seed_reps();
    x.outcome = DBS_MODEL_NO_RULE;
    assert_int_equal(dbs_judge_case(&c, &x, reps, 3), DBS_V_NONE);
    seed_reps();
    reps[2].skipped = 1;
    reps[2].nev = 0;
    assert_int_equal(dbs_judge_rep(&c, &x, &reps[2]), DBS_V_NONE);
    assert_int_equal(dbs_judge_case(&c, &x, reps, 3), DBS_V_NONE);
}

/* A case that expects nothing and sees nothing still gets one matching row. */
static void test_no_event_expected_none_seen(void **state)
{
    (void)state;
    seed_reps();
    x.e.nexp = 0;
    reps[0].nev = 0;
    assert_int_equal(dbs_rep_rows(&x, &reps[0]), 1);
    assert_int_equal(dbs_judge_row(&c, &x, &reps[0], 0), DBS_V_MATCH);
}

static void test_rip_offsets(void **state)
{
    (void)state;
    seed_reps();
    assert_int_equal(dbs_rip_off(&c, &reps[0], reps[0].case_start), 0);
    assert_int_equal(dbs_rip_off(&c, &reps[0], reps[0].case_start + c.nbytes), c.nbytes);
    assert_int_equal(dbs_rip_off(&c, &reps[0], reps[0].case_start + c.nbytes + 1), -1);
    assert_int_equal(dbs_rip_off(&c, &reps[0], reps[0].case_start - 1), -1);
}

/* Agreement compares RIPs relative to each repetition's case start. */
static void test_agreement_is_relative_to_case_start(void **state)
{
    unsigned i;

    (void)state;
    seed_reps();
    reps[1].case_start += 0x1000;
    for (i = 0; i < reps[1].nev; i++)
        reps[1].ev[i].rip += 0x1000;
    assert_true(dbs_reps_agree(reps, 3));
    reps[2].capped = 1;
    assert_false(dbs_reps_agree(reps, 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expected_events_match),
        cmocka_unit_test(test_dr6_without_b2_is_a_mismatch),
        cmocka_unit_test(test_wrong_rip_or_vector_is_a_mismatch),
        cmocka_unit_test(test_missing_and_extra_events),
        cmocka_unit_test(test_unread_dr6_is_a_mismatch),
        cmocka_unit_test(test_wrong_rf_is_a_mismatch),
        cmocka_unit_test(test_handler_entry_events),
        cmocka_unit_test(test_undefined_names_the_behaviour_seen),
        cmocka_unit_test(test_no_expectation_and_skipped_are_none),
        cmocka_unit_test(test_no_event_expected_none_seen),
        cmocka_unit_test(test_rip_offsets),
        cmocka_unit_test(test_agreement_is_relative_to_case_start),
    };
    return cmocka_run_group_tests_name("judge", tests, NULL, NULL);
}
