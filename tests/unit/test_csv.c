/* CSV schema 1 writer, and the splitter readers use, round trip. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "dbs_csv.h"
#include "fixtures.h"

static char mem[65536];
static struct dbs_buf b;

static const char *hex(uint64_t v)
{
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_put_hex(&b, v);
    return dbs_buf_str(&b);
}

static void test_hex_and_decimal(void **state)
{
    (void)state;
    assert_string_equal(hex(0), "0x0");
    assert_string_equal(hex(0xffff4ff4), "0xffff4ff4");
    assert_string_equal(hex(0x8000000000000000ull), "0x8000000000000000");
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_put_dec(&b, 0);
    dbs_put_char(&b, ' ');
    dbs_put_dec(&b, 18446744073709551615ull);
    dbs_put_char(&b, ' ');
    dbs_put_dec_w(&b, 7, 3, ' ');
    dbs_put_dec_w(&b, 5, 2, '0');
    assert_string_equal(dbs_buf_str(&b), "0 18446744073709551615   705");
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_put_hex_bytes(&b, (const uint8_t[]){0x48, 0x0f, 0xa2}, 3);
    assert_string_equal(dbs_buf_str(&b), "480fa2");
}

static void test_overflow_is_flagged_not_written_past(void **state)
{
    char small[8];

    (void)state;
    dbs_buf_init(&b, small, sizeof(small));
    dbs_put_str(&b, "0123456789");
    assert_true(b.overflow);
    assert_string_equal(dbs_buf_str(&b), "0123456");
}

static void test_quoting_round_trip(void **state)
{
    static const char *const fields[] = {"plain", "a,b", "say \"hi\"", "", "line\nbreak", "\""};
    char *out[8];
    unsigned i;

    (void)state;
    dbs_buf_init(&b, mem, sizeof(mem));
    for (i = 0; i < 6; i++) {
        if (i)
            dbs_put_char(&b, ',');
        dbs_csv_field(&b, fields[i]);
    }
    assert_string_equal(dbs_buf_str(&b), "plain,\"a,b\",\"say \"\"hi\"\"\",,\"line\nbreak\",\"\"\"\"");
    assert_int_equal(dbs_csv_split(mem, out, 8), 6);
    for (i = 0; i < 6; i++)
        assert_string_equal(out[i], fields[i]);
}

static void test_split_rejects_malformed(void **state)
{
    char *out[4];
    char l1[] = "\"open", l2[] = "\"a\"b,c", l3[] = "a\"b", l4[] = "a,b,c,d,e";

    (void)state;
    assert_int_equal(dbs_csv_split(l1, out, 4), -1);
    assert_int_equal(dbs_csv_split(l2, out, 4), -1);
    assert_int_equal(dbs_csv_split(l3, out, 4), -1);
    assert_int_equal(dbs_csv_split(l4, out, 4), -1);
}

static void test_meta_and_header(void **state)
{
    (void)state;
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_csv_meta(&b, "cpu_brand", "evil\nbrand");
    dbs_csv_header(&b);
    assert_string_equal(dbs_buf_str(&b),
                        "# cpu_brand: evil brand\n"
                        "case,group,rep,event,vector,error,rip,rip_off,rflags,dr6,dr7,exp_vector,"
                        "exp_rip_off,exp_dr6,verdict,agree,tf,bps,bytes,note,exp_dr6_any,exp_rf,mode,access,cs,ss,"
                        "rsp\n");
}

/* Splits row `n` (0-based, after the header) of mem into f. */
static int row(unsigned n, char **f)
{
    static char copy[sizeof(mem)];
    char *line = copy, *nl;

    memcpy(copy, mem, sizeof(mem));
    while (n--)
        line = strchr(line, '\n') + 1;
    nl = strchr(line, '\n');
    assert_non_null(nl);
    *nl = 0;
    return dbs_csv_split(line, f, 32);
}

static struct dbs_expect x;

static void test_seed_case_rows(void **state)
{
    static struct dbs_case c;
    static struct dbs_rep reps[3];
    char *f[32];
    unsigned i, lines = 0;

    (void)state;
    fix_case("kut.singlestep_with_code_db", &c);
    dbs_model_expect(&c, DBS_VENDOR_INTEL, &x);
    for (i = 0; i < 3; i++)
        fix_rep_as_expected(&x.e, &reps[i]);
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_csv_case_rows(&b, &c, &x, reps, 3, 1);
    for (i = 0; mem[i]; i++)
        lines += mem[i] == '\n';
    assert_int_equal(lines, 9);
    assert_int_equal(row(0, f), DBS_CSV_NCOLS);
    assert_string_equal(f[0], "kut.singlestep_with_code_db");
    assert_string_equal(f[1], "kut");
    assert_string_equal(f[2], "0");
    assert_string_equal(f[3], "0");
    assert_string_equal(f[4], "1");
    assert_string_equal(f[5], "0x0");
    assert_string_equal(f[6], "0x1e530010");
    assert_string_equal(f[7], "6");
    assert_string_equal(f[9], "0xffff4ff4");
    assert_string_equal(f[11], "1");
    assert_string_equal(f[12], "6");
    assert_string_equal(f[13], "0xffff4ff4");
    assert_string_equal(f[14], "match");
    assert_string_equal(f[15], "yes");
    assert_string_equal(f[16], "popf");
    assert_string_equal(f[17], "DR2@6:x1:G");
    assert_string_equal(f[18], "4825fffeffff509d");
    assert_string_equal(f[DBS_COL_EXP_RF], "0");
    assert_string_equal(f[DBS_COL_MODE], "k64");
    assert_string_equal(f[DBS_COL_ACCESS], "");
    assert_int_equal(row(8, f), DBS_CSV_NCOLS);
    assert_string_equal(f[2], "2");
    assert_string_equal(f[3], "2");
}

/* A repetition that saw nothing: one row, observed fields empty. A missing
 * expected event: a row with the expectation and empty observed fields. */
static void test_empty_and_missing_rows(void **state)
{
    static struct dbs_case c;
    static struct dbs_rep reps[2];
    char *f[32];
    unsigned i;

    (void)state;
    fix_case("kut.hw_bp1", &c);
    dbs_model_expect(&c, DBS_VENDOR_INTEL, &x);
    fix_rep_as_expected(&x.e, &reps[0]);
    fix_rep_as_expected(&x.e, &reps[1]);
    reps[1].nev = 0;
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_csv_case_rows(&b, &c, &x, reps, 2, 0);
    assert_int_equal(row(1, f), DBS_CSV_NCOLS);
    for (i = 3; i <= 10; i++)
        assert_string_equal(f[i], "");
    assert_string_equal(f[11], "1");
    assert_string_equal(f[12], "0");
    assert_string_equal(f[13], "0xffff0ff4");
    assert_string_equal(f[14], "mismatch");
    assert_string_equal(f[15], "no");
    assert_string_equal(f[17], "DR2@0:x1:G");
}

static void test_bps_and_access_for_data_breakpoints(void **state)
{
    static struct dbs_case c;

    (void)state;
    fix_case("kut.hw_wp1", &c);
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_csv_bps(&b, &c);
    assert_string_equal(dbs_buf_str(&b), "DR1@d0:w4:G");
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_csv_access(&b, &c);
    assert_string_equal(dbs_buf_str(&b), "w@d0:8");
    fix_case("ss.popf.rep_movsb", &c);
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_csv_access(&b, &c);
    assert_string_equal(dbs_buf_str(&b), "r@d32:1;w@d0:1");
}

/* Handler entries are written v<N>; where the model knows behaviours, the
 * note names the one a repetition showed. */
static void test_entry_offsets_and_observed_note(void **state)
{
    static struct dbs_case c;
    static struct dbs_rep reps[1];
    char *f[32];

    (void)state;
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_csv_off(&b, DBS_OFF_ENTRY | 3);
    dbs_csv_off(&b, -1);
    dbs_csv_off(&b, 12);
    assert_string_equal(dbs_buf_str(&b), "v312");
    fix_case("kut.singlestep_with_code_db", &c);
    dbs_model_expect(&c, DBS_VENDOR_AMD, &x);
    fix_rep_as_expected(&x.alt[1].e, &reps[0]);
    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_csv_case_rows(&b, &c, &x, reps, 1, 1);
    assert_int_equal(row(0, f), DBS_CSV_NCOLS);
    assert_string_equal(f[DBS_COL_VERDICT], "undefined");
    assert_non_null(strstr(f[DBS_COL_NOTE], "; observed: serial"));
    assert_string_equal(f[DBS_COL_EXP_VECTOR], "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex_and_decimal),
        cmocka_unit_test(test_overflow_is_flagged_not_written_past),
        cmocka_unit_test(test_quoting_round_trip),
        cmocka_unit_test(test_split_rejects_malformed),
        cmocka_unit_test(test_meta_and_header),
        cmocka_unit_test(test_seed_case_rows),
        cmocka_unit_test(test_empty_and_missing_rows),
        cmocka_unit_test(test_bps_and_access_for_data_breakpoints),
        cmocka_unit_test(test_entry_offsets_and_observed_note),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
