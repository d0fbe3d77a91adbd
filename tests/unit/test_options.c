/* Options from the config file and the command line; glob selection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
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
    assert_string_equal(errmem, "dbsweep.cfg:1: bad value for key 'cases' (expected "
                                "comma-separated case globs and random:SEED:N (SEED a 64-bit "
                                "decimal, N 1 to 1000000, at most 8 of them), at most 511 "
                                "characters)");
}

/* random:SEED:N: well-formed items alone or among globs; each malformed one
 * is the usual bad-value error */
static void test_random_items(void **state)
{
    static const char *const bad[] = {
        "cases=random:", "cases=random:1", "cases=random:1:", "cases=random::5",
        "cases=random:x:5", "cases=random:1:0", "cases=random:1:1000001", "cases=random:1:5:6",
        "cases=random:-1:5", "cases=random:18446744073709551616:5", "cases=kut.*,random:1:5x",
        "cases=random:1:1,random:2:1,random:3:1,random:4:1,random:5:1,random:6:1,random:7:1,"
        "random:8:1,random:9:1",
    };
    uint64_t seed;
    unsigned i, n;

    (void)state;
    assert_int_equal(file("cases=random:1:2000"), 0);
    assert_string_equal(o.cases, "random:1:2000");
    assert_int_equal(file("cases=kut.*,random:7:5000,random:18446744073709551615:1000000"), 0);
    assert_int_equal(args("dbsweep.efi cases=random:0:1"), 0);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (file(bad[i]) != -1)
            fail_msg("%s: accepted", bad[i]);
        if (strncmp(errmem, "dbsweep.cfg:1: bad value for key 'cases' (expected", 50))
            fail_msg("'%s': got '%s'", bad[i], errmem);
    }
    assert_int_equal(dbs_random_item("random:42:7", 11, &seed, &n), 1);
    assert_true(seed == 42 && n == 7);
    assert_int_equal(dbs_random_item("random:42:7,kut.*", 11, &seed, &n), 1); /* an item of a list */
    assert_int_equal(dbs_random_item("kut.*", 5, &seed, &n), 0);
    assert_int_equal(dbs_random_item("randomly", 8, &seed, &n), 0);
    assert_int_equal(dbs_random_name("random.42.6", &seed, &n), 1);
    assert_true(seed == 42 && n == 6);
    assert_int_equal(dbs_random_name("random.42", &seed, &n), 0);
    assert_int_equal(dbs_random_name("random.42.x", &seed, &n), 0);
    assert_int_equal(dbs_random_name("kut.icebp", &seed, &n), 0);
    assert_int_equal(dbs_random_name("random.07.1", &seed, &n), 0);
    assert_int_equal(dbs_random_name("random.7.01", &seed, &n), 0);
    assert_int_equal(dbs_random_name("random.0.0", &seed, &n), 1);
    /* an item selects its own cases, and globs go on selecting theirs */
    assert_true(dbs_selected("kut.*,random:7:5000", "random.7.4999"));
    assert_false(dbs_selected("kut.*,random:7:5000", "random.7.5000"));
    assert_false(dbs_selected("kut.*,random:7:5000", "random.8.0"));
    assert_true(dbs_selected("kut.*,random:7:5000", "kut.icebp"));
    assert_false(dbs_selected("random:7:5000", "kut.icebp"));
    assert_true(dbs_selected("random.7.*", "random.7.12"));
}

static void test_every_key(void **state)
{
    (void)state;
    assert_int_equal(file("reps=5\nmax_events=8\non_finish=reboot\nserial=on\nlabel=lab-7.rack_2\n"), 0);
    assert_int_equal(o.reps, 5);
    assert_int_equal(o.max_events, 8);
    assert_int_equal(o.on_finish, DBS_FINISH_REBOOT);
    assert_int_equal(o.serial, DBS_SERIAL_ON);
    assert_string_equal(o.label, "lab-7.rack_2");
    {
        char mem[700];
        struct dbs_buf b;

        dbs_buf_init(&b, mem, sizeof(mem));
        dbs_options_format(&b, &o);
        assert_string_equal(mem, "cases=* reps=5 max_events=8 on_finish=reboot serial=on "
                                 "label=lab-7.rack_2");
    }
    assert_int_equal(file(""), 0);
    assert_int_equal(o.reps, 3);
    assert_int_equal(o.max_events, 32);
    assert_int_equal(o.on_finish, DBS_FINISH_AUTO);
    assert_int_equal(o.serial, DBS_SERIAL_OFF);
    assert_string_equal(o.label, "");
    assert_int_equal(file("serial=plain\n"), 0);
    assert_int_equal(o.serial, DBS_SERIAL_PLAIN);
    {
        char mem[700];
        struct dbs_buf b;

        dbs_buf_init(&b, mem, sizeof(mem));
        dbs_options_format(&b, &o);
        assert_non_null(strstr(mem, " serial=plain "));
    }
}

static void format(char *mem, size_t cap)
{
    struct dbs_buf b;

    dbs_buf_init(&b, mem, cap);
    dbs_options_format(&b, &o);
}

/* cores=: bsp by default and then nothing new in the options line; all or
 * a list of APIC IDs, given back as written, with core_timeout=. */
static void test_cores(void **state)
{
    char mem[700];

    (void)state;
    assert_int_equal(file(""), 0);
    assert_int_equal(o.cores, DBS_CORES_BSP);
    assert_string_equal(o.cores_text, "bsp");
    assert_int_equal(o.core_timeout, DBS_CORE_TIMEOUT);
    assert_true(dbs_cores_selects(&o, 0, 1));
    assert_false(dbs_cores_selects(&o, 1, 0));
    format(mem, sizeof(mem));
    assert_string_equal(mem, "cases=* reps=3 max_events=32 on_finish=auto serial=off label=");
    assert_int_equal(file("cores=bsp\n"), 0);
    assert_int_equal(o.cores, DBS_CORES_BSP);
    format(mem, sizeof(mem));
    assert_null(strstr(mem, "cores"));

    assert_int_equal(file("cores=all\ncore_timeout=5\n"), 0);
    assert_int_equal(o.cores, DBS_CORES_ALL);
    assert_int_equal(o.core_timeout, 5);
    assert_true(dbs_cores_selects(&o, 7, 0));
    assert_true(dbs_cores_selects(&o, 0, 1));
    format(mem, sizeof(mem));
    assert_string_equal(mem, "cases=* reps=3 max_events=32 on_finish=auto serial=off label= "
                             "cores=all core_timeout=5");

    assert_int_equal(file("cores = 3,0,4294967295\n"), 0);
    assert_int_equal(o.cores, DBS_CORES_LIST);
    assert_string_equal(o.cores_text, "3,0,4294967295");
    assert_int_equal(o.ncore_ids, 3);
    assert_int_equal(o.core_ids[0], 3);
    assert_int_equal(o.core_ids[1], 0);
    assert_int_equal(o.core_ids[2], 4294967295u);
    assert_true(dbs_cores_selects(&o, 3, 0));
    assert_true(dbs_cores_selects(&o, 0, 1));
    assert_false(dbs_cores_selects(&o, 1, 0));
    assert_false(dbs_cores_selects(&o, 2, 1)); /* the BSP only when listed */
    format(mem, sizeof(mem));
    assert_non_null(strstr(mem, " cores=3,0,4294967295 core_timeout=30"));

    /* the command line overrides the file's list */
    assert_int_equal(file("cores=1,2"), 0);
    assert_int_equal(args("dbsweep.efi cores=all"), 0);
    assert_int_equal(o.cores, DBS_CORES_ALL);
    assert_int_equal(o.ncore_ids, 0);
    assert_int_equal(args("cores=2"), 0);
    assert_int_equal(o.cores, DBS_CORES_LIST);
    assert_int_equal(o.ncore_ids, 1);
    {
        char text[400] = "cores=0";
        unsigned i;

        for (i = 1; i < DBS_CORES_MAX; i++)
            snprintf(text + strlen(text), sizeof(text) - strlen(text), ",%u", i);
        assert_int_equal(file(text), 0);
        assert_int_equal(o.ncore_ids, DBS_CORES_MAX);
        strcat(text, ",999");
        assert_int_equal(file(text), -1); /* one more than DBS_CORES_MAX */
    }
}

/* Bad input of every kind: a message naming the line and the key. */
static void test_bad_values(void **state)
{
    static const struct {
        const char *text, *err;
    } bad[] = {
        {"reps=0", "dbsweep.cfg:1: bad value for key 'reps' (expected a number from 1 to 9)"},
        {"reps=10", "dbsweep.cfg:1: bad value for key 'reps'"},
        {"reps=three", "dbsweep.cfg:1: bad value for key 'reps'"},
        {"reps=-1", "dbsweep.cfg:1: bad value for key 'reps'"},
        {"max_events=33", "dbsweep.cfg:1: bad value for key 'max_events' (expected a number from 1 to 32)"},
        {"max_events=0", "dbsweep.cfg:1: bad value for key 'max_events'"},
        {"on_finish=halt", "dbsweep.cfg:1: bad value for key 'on_finish' (expected shutdown, reboot, return or wait)"},
        {"on_finish=-", "dbsweep.cfg:1: bad value for key 'on_finish'"},
        {"on_finish=auto", "dbsweep.cfg:1: bad value for key 'on_finish'"},
        {"serial=yes", "dbsweep.cfg:1: bad value for key 'serial' (expected on, plain or off)"},
        {"label=rack 7", "dbsweep.cfg:1: bad value for key 'label'"},
        {"label=a/b", "dbsweep.cfg:1: bad value for key 'label'"},
        {"label=123456789012345678901234567890123", "dbsweep.cfg:1: bad value for key 'label'"},
        {"# ok\nreps=3\nreps=4", "dbsweep.cfg:3: duplicate key 'reps'"},
        {"serial=on\n\nserial=off", "dbsweep.cfg:3: duplicate key 'serial'"},
        {"=3", "dbsweep.cfg:1: unknown key ''"},
        {"REPS=3", "dbsweep.cfg:1: unknown key 'REPS'"},
        {"reps", "dbsweep.cfg:1: expected key=value, got 'reps'"},
        {"label=", "dbsweep.cfg:1: empty value for key 'label'"},
        {"reps=3\x80", "dbsweep.cfg:1: not a printable ASCII line"},
        {"\x7f\x45\x4c\x46\x02", "dbsweep.cfg:1: not a printable ASCII line"},
        {"cores=some", "dbsweep.cfg:1: bad value for key 'cores' (expected bsp, all, or up to 64 "
                       "different decimal APIC IDs separated by commas)"},
        {"cores=1,,2", "dbsweep.cfg:1: bad value for key 'cores'"},
        {"cores=1,", "dbsweep.cfg:1: bad value for key 'cores'"},
        {"cores=,1", "dbsweep.cfg:1: bad value for key 'cores'"},
        {"cores=1,2,1", "dbsweep.cfg:1: bad value for key 'cores'"},
        {"cores=-1", "dbsweep.cfg:1: bad value for key 'cores'"},
        {"cores=4294967296", "dbsweep.cfg:1: bad value for key 'cores'"},
        {"cores=BSP", "dbsweep.cfg:1: bad value for key 'cores'"},
        {"cores=bsp,1", "dbsweep.cfg:1: bad value for key 'cores'"},
        {"cores=0x3", "dbsweep.cfg:1: bad value for key 'cores'"},
        {"cores=all\ncores=bsp", "dbsweep.cfg:2: duplicate key 'cores'"},
        {"core_timeout=0", "dbsweep.cfg:1: bad value for key 'core_timeout' (expected a number "
                           "of seconds from 1 to 999)"},
        {"core_timeout=1000", "dbsweep.cfg:1: bad value for key 'core_timeout'"},
    };
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(file(bad[i].text), -1);
        if (strncmp(errmem, bad[i].err, strlen(bad[i].err)))
            fail_msg("'%s': got '%s', want '%s'", bad[i].text, errmem, bad[i].err);
    }
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
    /* self-tests reset the machine: only a pattern naming their group picks them */
    assert_false(dbs_selected("*", "selftest.triple_fault"));
    assert_false(dbs_selected("*.triple_fault", "selftest.triple_fault"));
    assert_true(dbs_selected("selftest.*", "selftest.triple_fault"));
    assert_false(dbs_selected("*", "selftest.spin_ap"));
    assert_true(dbs_selected("selftest.spin_ap", "selftest.spin_ap"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_values_comments_and_line_endings),
        cmocka_unit_test(test_file_errors_name_line_and_key),
        cmocka_unit_test(test_too_long_value),
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_cores),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_args_override_and_skip_program_name),
        cmocka_unit_test(test_glob),
        cmocka_unit_test(test_selection_lists),
        cmocka_unit_test(test_random_items),
    };
    return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
