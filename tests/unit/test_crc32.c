/* CRC-32 against the standard check value and chunked use. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "dbs_crc32.h"

static void test_check_value(void **state)
{
    (void)state;
    assert_true(dbs_crc32(0, "123456789", 9) == 0xcbf43926u); /* CRC-32/ISO-HDLC check */
    assert_true(dbs_crc32(0, "", 0) == 0);
}

static void test_chunks_equal_whole(void **state)
{
    (void)state;
    assert_true(dbs_crc32(dbs_crc32(0, "1234", 4), "56789", 5) == 0xcbf43926u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_value),
        cmocka_unit_test(test_chunks_equal_whole),
    };
    return cmocka_run_group_tests_name("crc32", tests, NULL, NULL);
}
