/* Options from the config file and the command line; glob selection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dbs_options.h"

static struct dbs_options o;
static char errmem[256];
static struct dbs_buf err;

static int file(const char *text)
{
    dbs_options_default(&o);
    dbs_buf_init(&err, errmem, sizeof(errmem));
    return dbs_options_parse_file(&o, text, strlen(text), "dbsweep.cfg", &err);
}

static int args(const char *text)
{
    dbs_buf_init(&err, errmem, sizeof(errmem));
    return dbs_options_parse_args(&o, text, &err);
}

static void test_file_values_comments_and_line_endings(void **state)
{
    (void)state;
    assert_int_equal(file("# a comment\r\n\r\n  cases = kut.*,ssbp.* \r\n"), 0);
    assert_string_equal(o.cases, "kut.*,ssbp.*");
    assert_int_equal(file("\xef\xbb\xbf" "cases=none"), 0);
    assert_string_equal(o.cases, "none");
    assert_int_equal(file(""), 0);
    assert_string_equal(o.cases, "*");
}

static void test_file_errors_name_line_and_key(void **state)
{
    (void)state;
    assert_int_equal(file("cases=a\nreps 3\n"), -1);
    assert_string_equal(errmem, "dbsweep.cfg:2: expected key=value, got 'reps 3'");
    assert_int_equal(file("\n\ncolour=blue\n"), -1);
    assert_string_equal(errmem, "dbsweep.cfg:3: unknown key 'colour'");
    assert_int_equal(file("cases=\n"), -1);
    assert_string_equal(errmem, "dbsweep.cfg:1: empty value for key 'cases'");
    assert_int_equal(file("cases=\x01\x02"), -1);
    assert_string_equal(errmem, "dbsweep.cfg:1: not a printable ASCII line");
}

static void test_too_long_value(void **state)
{
    static char text[DBS_OPT_MAX + 16] = "cases=";

    (void)state;
    memset(text + 6, 'a', DBS_OPT_MAX);
    assert_int_equal(file(text), -1);
    assert_string_equal(errmem, "dbsweep.cfg:1: value too long for key 'cases'");
}

static void test_args_override_and_skip_program_name(void **state)
{
    (void)state;
    assert_int_equal(file("cases=kut.*"), 0);
    assert_int_equal(args("\\dbsweep\\dbsweep.efi  cases=ss.* "), 0);
    assert_string_equal(o.cases, "ss.*");
    assert_int_equal(args("cases=none"), 0);
    assert_string_equal(o.cases, "none");
    assert_int_equal(args("dbsweep.efi bogus"), -1);
    assert_string_equal(errmem, "command line: expected key=value, got 'bogus'");
}

static void test_glob(void **state)
{
    (void)state;
    assert_true(dbs_glob("*", "kut.icebp"));
    assert_true(dbs_glob("kut.*", "kut.icebp"));
    assert_false(dbs_glob("kut.*", "ssbp.popf.dr3.g.cpuid"));
    assert_true(dbs_glob("ssbp.*.dr3.?.cpuid", "ssbp.popf.dr3.g.cpuid"));
    assert_true(dbs_glob("*code_db", "kut.singlestep_with_code_db"));
    assert_false(dbs_glob("*code_db", "kut.singlestep_with_code_db2"));
    assert_true(dbs_glob("a*b*c", "aXbYbZc"));
    assert_false(dbs_glob("", "x"));
}

static void test_selection_lists(void **state)
{
    (void)state;
    assert_true(dbs_selected("kut.*,ss.*", "ss.popf.nop"));
    assert_false(dbs_selected("kut.*,ss.*", "ssbp.popf.dr0.g.nop"));
    assert_false(dbs_selected("none", "kut.icebp"));
    assert_false(dbs_selected("", "kut.icebp"));
    assert_true(dbs_selected("none,kut.icebp", "kut.icebp"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_values_comments_and_line_endings),
        cmocka_unit_test(test_file_errors_name_line_and_key),
        cmocka_unit_test(test_too_long_value),
        cmocka_unit_test(test_args_override_and_skip_program_name),
        cmocka_unit_test(test_glob),
        cmocka_unit_test(test_selection_lists),
    };
    return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
