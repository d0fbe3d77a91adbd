/* The bounded text buffer: every formatter's output, and what happens at
 * the edge (truncated at cap-1, always terminated, overflow flagged). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dbs_buf.h"

static void test_formats(void **state)
{
    char mem[128];
    struct dbs_buf b;
    static const uint8_t bytes[] = {0x0f, 0xa2, 0x90};

    (void)state;
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_put_str(&b, "a,");
    dbs_put_dec(&b, 0);
    dbs_put_char(&b, ',');
    dbs_put_dec(&b, 18446744073709551615ull);
    dbs_put_char(&b, ',');
    dbs_put_dec_w(&b, 7, 3, '0');
    dbs_put_char(&b, ',');
    dbs_put_dec_w(&b, 12345, 2, ' '); /* wider than asked: all digits */
    dbs_put_char(&b, ',');
    dbs_put_hex(&b, 0);
    dbs_put_char(&b, ',');
    dbs_put_hex(&b, 0xffff4ff4);
    dbs_put_char(&b, ',');
    dbs_put_hex(&b, 0x8000000000000000ull);
    dbs_put_char(&b, ',');
    dbs_put_hex_bytes(&b, bytes, sizeof(bytes));
    assert_string_equal(dbs_buf_str(&b), "a,0,18446744073709551615,007,12345,0x0,0xffff4ff4,"
                                         "0x8000000000000000,0fa290");
    assert_int_equal(b.len, strlen(mem));
    assert_false(b.overflow);
}

/* hex_bytes works in chunks: a long run must come out whole and in order. */
static void test_long_hex_bytes(void **state)
{
    uint8_t bytes[100];
    char mem[256], want[256];
    struct dbs_buf b;
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(bytes); i++) {
        bytes[i] = (uint8_t)(i * 7);
        snprintf(want + 2 * i, 3, "%02x", bytes[i]);
    }
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_put_hex_bytes(&b, bytes, sizeof(bytes));
    assert_string_equal(mem, want);
}

static void test_truncates_at_cap(void **state)
{
    char mem[8];
    struct dbs_buf b;

    (void)state;
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_put_str(&b, "abcd");
    assert_false(b.overflow);
    dbs_put_hex(&b, 0x12345);
    assert_true(b.overflow);
    assert_string_equal(mem, "abcd0x1"); /* cap-1 bytes and the terminator */
    dbs_put_char(&b, 'z');
    assert_string_equal(mem, "abcd0x1");
    assert_int_equal(b.len, 7);
}

static void test_zero_cap(void **state)
{
    struct dbs_buf b;

    (void)state;
    dbs_buf_init(&b, NULL, 0);
    dbs_put_str(&b, "x");
    assert_true(b.overflow);
    assert_int_equal(b.len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_long_hex_bytes),
        cmocka_unit_test(test_truncates_at_cap),
        cmocka_unit_test(test_zero_cap),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
