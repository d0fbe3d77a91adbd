/* SMBIOS parsing on a hand-made table, and on broken ones. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dbs_smbios.h"

static const uint8_t table[] = {
    /* type 0, length 0x12: vendor = string 1, version = string 2 */
    0, 0x12, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    'E', 'D', 'K', ' ', 'I', 'I', 0, '1', '.', '2', 0, 0,
    /* type 1, length 8: manufacturer 1, product 2, version 3 */
    1, 8, 1, 0, 1, 2, 3, 0,
    'Q', 'E', 'M', 'U', 0, 'S', 't', 'd', 0, 'p', 'c', '-', 'q', '3', '5', '-', '7', '.', '2', 0, 0,
    /* type 2 without strings */
    2, 8, 2, 0, 0, 0, 0, 0, 0, 0,
    127, 4, 3, 0, 0, 0,
};

static void test_reads_types_0_1_2(void **state)
{
    struct dbs_smbios s;

    (void)state;
    dbs_smbios_parse(table, sizeof(table), &s);
    assert_string_equal(s.bios_vendor, "EDK II");
    assert_string_equal(s.bios_version, "1.2");
    assert_string_equal(s.sys_vendor, "QEMU");
    assert_string_equal(s.sys_product, "Std");
    assert_string_equal(s.sys_version, "pc-q35-7.2");
    assert_string_equal(s.board_vendor, "");
}

/* Cut anywhere, the walk stays inside the buffer (valgrind/ASan would say). */
static void test_truncated_tables(void **state)
{
    struct dbs_smbios s;
    size_t n;

    (void)state;
    for (n = 0; n < sizeof(table); n++) {
        dbs_smbios_parse(table, n, &s);
        assert_true(strlen(s.bios_vendor) <= 6 && strlen(s.sys_product) <= 3);
    }
    dbs_smbios_parse(table, 0, &s);
    assert_string_equal(s.bios_vendor, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_types_0_1_2),
        cmocka_unit_test(test_truncated_tables),
    };
    return cmocka_run_group_tests_name("smbios", tests, NULL, NULL);
}
