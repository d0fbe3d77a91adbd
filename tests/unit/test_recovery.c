/* Crash recovery's planning: what a progress marker makes the next run do,
 * and which cases each progress mark covers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dbs_recovery.h"

#define TABLE 3000 /* cases in the pretend table */

static struct dbs_marker mk; /* the marker the last plan() parsed */

static struct dbs_resume plan(const char *text)
{
    struct dbs_resume res;

    dbs_resume_plan(text, text ? (unsigned)strlen(text) : 0, TABLE, &mk, &res);
    return res;
}

static void no_marker_runs_everything(void **state)
{
    struct dbs_resume res = plan(NULL);

    (void)state;
    assert_int_equal(res.kind, DBS_RESUME_NONE);
    assert_true(dbs_resume_runs(&res, 0));
    assert_true(res.careful_first > res.careful_last);
}

static void one_case_marker_names_the_crashed_case(void **state)
{
    struct dbs_resume res = plan("amd-x.csv\t700\t700\tss.popf.hlt\n");

    (void)state;
    assert_int_equal(res.kind, DBS_RESUME_CRASHED);
    assert_int_equal(res.crashed, 700);
    assert_string_equal(mk.name, "ss.popf.hlt");
    assert_string_equal(mk.csv, "amd-x.csv");
    assert_false(dbs_resume_runs(&res, 699));
    assert_false(dbs_resume_runs(&res, 700));
    assert_true(dbs_resume_runs(&res, 701));
    assert_true(res.careful_first > res.careful_last);
}

static void batch_marker_reruns_the_batch_carefully(void **state)
{
    struct dbs_resume res = plan("amd-x.csv\t512\t767\tss.none.nop\n");

    (void)state;
    assert_int_equal(res.kind, DBS_RESUME_RERUN);
    assert_int_equal(res.careful_first, 512);
    assert_int_equal(res.careful_last, 767);
    assert_false(dbs_resume_runs(&res, 511));
    assert_true(dbs_resume_runs(&res, 512));
}

static void damaged_or_foreign_markers_are_ignored(void **state)
{
    static const char *const bad[] = {
        "", "garbage", "a.csv\t5\t4\tx\n",
        "a.csv\t2999\t3000\tx\n", /* past the end of this table: another build's marker */
    };
    struct dbs_resume res;
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        res = plan(bad[i]);
        assert_int_equal(res.kind, DBS_RESUME_DAMAGED);
        assert_true(dbs_resume_runs(&res, 0));
        assert_true(res.careful_first > res.careful_last);
    }
}

/* Walks the selection as the app does and records the marks it makes:
 * marks[k] = {first, last} as table indexes. Returns the number of marks. */
static unsigned walk(const struct dbs_resume *res, const uint32_t *sel, unsigned n,
                     unsigned marks[][2])
{
    struct dbs_batches b = {0};
    unsigned i, last, k = 0;

    for (i = 0; i < n; i++) {
        if (!dbs_resume_runs(res, sel[i]))
            continue;
        if (dbs_batch_mark(&b, res, sel, n, i, &last)) {
            assert_true(last >= i && last < n);
            marks[k][0] = sel[i];
            marks[k][1] = sel[last];
            k++;
        }
    }
    return k;
}

static void batches_of_256_cover_every_case_once(void **state)
{
    static uint32_t sel[TABLE];
    static unsigned marks[TABLE][2];
    struct dbs_resume res = plan(NULL);
    unsigned i, k;

    (void)state;
    for (i = 0; i < 600; i++)
        sel[i] = 2 * i; /* a selection with gaps */
    k = walk(&res, sel, 600, marks);
    assert_int_equal(k, 3);
    assert_int_equal(marks[0][0], 0);
    assert_int_equal(marks[0][1], 2 * 255);
    assert_int_equal(marks[1][0], 2 * 256);
    assert_int_equal(marks[2][0], 2 * 512);
    assert_int_equal(marks[2][1], 2 * 599);
}

static void careful_cases_get_a_mark_each(void **state)
{
    static uint32_t sel[TABLE];
    static unsigned marks[TABLE][2];
    struct dbs_resume res = plan("a.csv\t256\t259\tx\n"); /* the batch 256-259 went down */
    unsigned i, k;

    (void)state;
    for (i = 0; i < 1000; i++)
        sel[i] = i;
    k = walk(&res, sel, 1000, marks);
    /* 256, 257, 258, 259 alone, then batches from 260 on */
    assert_int_equal(k, 4 + 3);
    for (i = 0; i < 4; i++) {
        assert_int_equal(marks[i][0], 256 + i);
        assert_int_equal(marks[i][1], 256 + i);
    }
    assert_int_equal(marks[4][0], 260);
    assert_int_equal(marks[4][1], 260 + 255);
    assert_int_equal(marks[6][1], 999);
}

static void a_batch_stops_before_a_careful_case(void **state)
{
    static const uint32_t sel[] = {10, 11, 12, 13, 14};
    unsigned marks[8][2], k;
    struct dbs_resume res = {.kind = DBS_RESUME_RERUN, .careful_first = 13, .careful_last = 13,
                             .start = 0};

    (void)state;
    k = walk(&res, sel, 5, marks);
    assert_int_equal(k, 3);
    assert_int_equal(marks[0][0], 10);
    assert_int_equal(marks[0][1], 12);
    assert_int_equal(marks[1][0], 13);
    assert_int_equal(marks[1][1], 13);
    assert_int_equal(marks[2][0], 14);
    assert_int_equal(marks[2][1], 14);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_marker_runs_everything),
        cmocka_unit_test(one_case_marker_names_the_crashed_case),
        cmocka_unit_test(batch_marker_reruns_the_batch_carefully),
        cmocka_unit_test(damaged_or_foreign_markers_are_ignored),
        cmocka_unit_test(batches_of_256_cover_every_case_once),
        cmocka_unit_test(careful_cases_get_a_mark_each),
        cmocka_unit_test(a_batch_stops_before_a_careful_case),
    };
    return cmocka_run_group_tests_name("recovery", tests, NULL, NULL);
}
