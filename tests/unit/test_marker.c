/* Progress marker round trip and rejection of damaged markers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dbs_marker.h"

static void test_round_trip(void **state)
{
    struct dbs_marker m = {"intel-6-94-3-metal-20260102-030405.csv", 14, 45, "ss.none.nop"}, back;
    char mem[256];
    struct dbs_buf b;

    (void)state;
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_marker_format(&b, &m);
    assert_int_equal(b.len, DBS_MARKER_BYTES);
    assert_memory_equal(mem, "intel-6-94-3-metal-20260102-030405.csv\t14\t45\tss.none.nop\n\n", 58);
    assert_int_equal(dbs_marker_parse(mem, (unsigned)b.len, &back), 0);
    assert_string_equal(back.csv, m.csv);
    assert_int_equal(back.first, 14);
    assert_int_equal(back.last, 45);
    assert_string_equal(back.name, "ss.none.nop");
}

/* The longest marker still fits its fixed size, and so does the shortest. */
static void test_fixed_size(void **state)
{
    struct dbs_marker m = {.first = 999999, .last = 999999}, back;
    char mem[512];
    struct dbs_buf b;

    (void)state;
    memset(m.csv, 'c', sizeof(m.csv) - 1);
    memset(m.name, 'n', sizeof(m.name) - 1);
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_marker_format(&b, &m);
    assert_int_equal(b.len, DBS_MARKER_BYTES);
    assert_int_equal(mem[DBS_MARKER_BYTES - 1], '\n');
    assert_int_equal(dbs_marker_parse(mem, (unsigned)b.len, &back), 0);
    assert_string_equal(back.name, m.name);
    m = (struct dbs_marker){"a.csv", 0, 0, "x"};
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_marker_format(&b, &m);
    assert_int_equal(b.len, DBS_MARKER_BYTES);
}

static void test_damaged(void **state)
{
    static const char *const bad[] = {
        "", "a.csv\t1\t2\tx", "a.csv\t1\t2\n", "a.csv\t\t2\tx\n", "a.csv\t2\t1\tx\n",
        "a.csv\t1x\t2\tx\n", "\t1\t2\tx\n", "a.csv\t1234567\t2\tx\n", "a\x01.csv\t1\t2\tx\n",
    };
    struct dbs_marker m;
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (!dbs_marker_parse(bad[i], (unsigned)strlen(bad[i]), &m))
            fail_msg("accepted damaged marker %u", i);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_fixed_size),
        cmocka_unit_test(test_damaged),
    };
    return cmocka_run_group_tests_name("marker", tests, NULL, NULL);
}
