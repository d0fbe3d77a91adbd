/* dbsweep-report: the loader on good and malformed input, and the commands'
 * output on small CSVs (tests/report/data). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>

#include "events.h"
#include "known.h"
#include "readfile.h"
#include "report.h"
#include "runfile.h"

#define DATA "tests/report/data/"

static char err[512];

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *s;
    long n;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    s = malloc((size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return s;
}

/* Parses the fixture after edit(text) changed it; returns the parse result. */
static int parse_edited(void (*edit)(char *text, size_t *len), struct dbs_run *r)
{
    size_t len;
    char *text = slurp(DATA "tcg-amd.csv", &len);

    text = realloc(text, len + 4096);
    if (edit)
        edit(text, &len);
    return dbs_run_parse(r, "x.csv", text, len, err, sizeof(err));
}

static void replace(char *text, size_t *len, const char *from, const char *to)
{
    char *at = strstr(text, from);
    size_t fl = strlen(from), tl = strlen(to);

    assert_non_null(at);
    memmove(at + tl, at + fl, *len - (size_t)(at - text) - fl + 1);
    memcpy(at, to, tl);
    *len = *len - fl + tl;
}

static void test_loads_the_fixture(void **state)
{
    struct dbs_run r;
    struct dbs_case_rows c;
    char text[256];

    (void)state;
    assert_int_equal(parse_edited(NULL, &r), 0);
    assert_true(r.complete);
    assert_int_equal(r.nrows, 456);
    assert_string_equal(dbs_run_meta(&r, "schema"), "dbsweep-csv 1");
    assert_int_equal(dbs_find_case(&r, "kut.singlestep_with_code_db", &c), 0);
    dbs_events_text(&c, text, sizeof(text));
    assert_string_equal(text, "#DB@6 BS|B2, #DB@7 BS, #DB@8 BS");
    assert_string_equal(dbs_case_verdict(&c), "match");
    assert_int_equal(dbs_find_case(&r, "kut.icebp", &c), 0);
    dbs_events_text(&c, text, sizeof(text));
    assert_string_equal(text, "#UD@0");
    assert_string_equal(dbs_case_verdict(&c), "mismatch");
    dbs_run_free(&r);
}

static void no_status(char *t, size_t *len) { replace(t, len, "# status: complete\n", ""); }
static void bad_schema(char *t, size_t *len) { replace(t, len, "dbsweep-csv 1", "dbsweep-csv 3"); }
static void missing_col(char *t, size_t *len) { replace(t, len, ",popf,DR2@6:x1:G,", ",DR2@6:x1:G,"); }
static void extra_col(char *t, size_t *len) { replace(t, len, ",popf,DR2@6:x1:G,", ",popf,x,DR2@6:x1:G,"); }
static void bad_hex(char *t, size_t *len) { replace(t, len, "0xffff4ff4,0x420", "0xffzf4ff4,0x420"); }
static void truncated(char *t, size_t *len) { *len -= 25; t[*len] = 0; }
static void nul_byte(char *t, size_t *len) { replace(t, len, "kut.hw_bp2,", "kut.hw\n_bp2,"); *strstr(t, "kut.hw\n_bp2") = 'K'; t[strstr(t, "Kut.hw\n") - t + 6] = 0; (void)len; }
static void mixed_eol(char *t, size_t *len) { replace(t, len, "kut.hw_bp2,kut,0", "kut.hw_bp2,kut,0"); replace(t, len, "\nkut.hw_bp2,", "\r\nkut.hw_bp2,"); }
static void huge_field(char *t, size_t *len)
{
    char big[700];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    replace(t, len, "4825fffeffff509d", big);
}
static void scattered(char *t, size_t *len) { replace(t, len, "kut.hw_bp2,kut,2", "kut.hw_bp1,kut,2"); }
static void old_header(char *t, size_t *len) { replace(t, len, "case,group,rep,event", "case,grp,rep,event"); }
/* found by fuzzing: leading zeros, escape sequences, a second schema line */
static void leading_zero(char *t, size_t *len) { replace(t, len, "kut.hw_bp2,kut,0,0,", "kut.hw_bp2,kut,00,0,"); }
static void escape_seq(char *t, size_t *len) { replace(t, len, "QEMU TCG", "\x1b]0;owned\x07"); }
static void two_schemas(char *t, size_t *len) { replace(t, len, "# schema: dbsweep-csv 1\n", "# schema: dbsweep-csv 3\n# schema: dbsweep-csv 1\n"); }

static void test_malformed_input_names_file_and_line(void **state)
{
    static const struct {
        void (*edit)(char *, size_t *);
        const char *err;
    } cases[] = {
        {bad_schema, "x.csv:1: schema is 'dbsweep-csv 3'; this tool reads 'dbsweep-csv 2' and 'dbsweep-csv 1'"},
        {missing_col, "x.csv:39: 20 fields, the header has 21"},
        {extra_col, "x.csv:39: 22 fields, the header has 21"},
        {bad_hex, "x.csv:27: column dr6 ('0xffzf4ff4'): not a 0x-prefixed hex number"},
        {truncated, "the last line has no line end: the file was cut off mid-line"},
        {nul_byte, "contains a NUL byte"},
        {mixed_eol, "mixed line endings (CRLF and LF)"},
        {huge_field, "is longer than 512 bytes"},
        {scattered, "rows of case kut.hw_bp1 are not together"},
        {old_header, "header column 2 is 'grp', expected 'group'"},
        {leading_zero, "x.csv:27: column rep ('00'): rep is not a small decimal number"},
        {escape_seq, "x.csv:8: control character 0x1b in a line"},
        {two_schemas, "x.csv:1: schema is 'dbsweep-csv 3'"},
    };
    struct dbs_run r;
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(parse_edited(cases[i].edit, &r), -1);
        if (!strstr(err, cases[i].err) || strncmp(err, "x.csv:", 6) || strchr(err, 0x1b))
            fail_msg("case %u: got '%s', want '%s'", i, err, cases[i].err);
        dbs_run_free(&r);
    }
}

static void test_incomplete_file_is_read_and_flagged(void **state)
{
    struct dbs_run r;
    struct dbs_run *p = &r;
    char *out;
    size_t len;
    FILE *f;

    (void)state;
    assert_int_equal(parse_edited(no_status, &r), 0);
    assert_false(r.complete);
    f = open_memstream(&out, &len);
    assert_int_equal(dbs_report_summary(&p, 1, f), 0);
    fclose(f);
    assert_non_null(strstr(out, "INCOMPLETE"));
    assert_non_null(strstr(out, "kut            14      9         5"));
    free(out);
    dbs_run_free(&r);
}

static void test_dr6_flags(void **state)
{
    char s[64];

    (void)state;
    dbs_dr6_flags(0xffff4ff4, s, sizeof(s));
    assert_string_equal(s, "BS|B2");
    dbs_dr6_flags(0xffff0ff0, s, sizeof(s));
    assert_string_equal(s, "-");
    dbs_dr6_flags(0xffff2ff0, s, sizeof(s));
    assert_string_equal(s, "BD");
    dbs_dr6_flags(0xfffe4fff, s, sizeof(s));
    assert_string_equal(s, "BS|RTM|B0|B1|B2|B3");
}

static struct dbs_run *load(const char *path, struct dbs_run *r)
{
    if (dbs_run_load(r, path, err, sizeof(err)))
        fail_msg("%s", err);
    return r;
}

static void test_diff_fits_80_columns_and_names_the_bug(void **state)
{
    struct dbs_run a, b;
    char *out, *line;
    size_t len;
    FILE *f;

    (void)state;
    load(DATA "tcg-amd.csv", &a);
    load(DATA "kvm-seed-bug.csv", &b);
    f = open_memstream(&out, &len);
    assert_int_equal(dbs_report_diff(&a, &b, NULL, f), 1);
    fclose(f);
    assert_non_null(strstr(out, "kut.singlestep_with_code_db  tf=popf  DR2@6:x1:G"));
    assert_non_null(strstr(out, "    A: #DB@6 BS|B2, #DB@7 BS, #DB@8 BS\n"));
    assert_non_null(strstr(out, "    B: #DB@6 BS, #DB@7 BS, #DB@8 BS\n"));
    assert_non_null(strstr(out, "6: push rax"));
    assert_non_null(strstr(out, "1 of 44 cases compared differ"));
    for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
        if (strlen(line) > 80)
            fail_msg("line longer than 80 columns: %s", line);
    free(out);
    f = open_memstream(&out, &len);
    assert_int_equal(dbs_report_diff(&a, &a, "kut", f), 0);
    fclose(f);
    assert_non_null(strstr(out, "0 of 14 cases compared differ in group kut"));
    free(out);
    dbs_run_free(&a);
    dbs_run_free(&b);
}

static void test_check_rejudges_rows(void **state)
{
    struct dbs_run r, *p = &r;
    char *out;
    size_t len;
    FILE *f;

    (void)state;
    load(DATA "tcg-intel.csv", &r);
    f = open_memstream(&out, &len);
    assert_int_equal(dbs_report_check(&p, 1, f), 0);
    fclose(f);
    assert_non_null(strstr(out, "486 rows re-judged by dbsweep-model 2 (intel rules), 0 disagree\n"));
    free(out);
    dbs_run_free(&r);
    /* a schema-1 file judged by model 1: re-judged, and the older model named */
    load(DATA "tcg-amd.csv", &r);
    f = open_memstream(&out, &len);
    assert_int_equal(dbs_report_check(&p, 1, f), 1);
    fclose(f);
    assert_non_null(strstr(out, "(the file was judged by dbsweep-model 1)"));
    free(out);
    dbs_run_free(&r);
    /* the hand-made KVM variant: its mismatch verdicts are right */
    load(DATA "kvm-intel-seed-bug.csv", &r);
    f = open_memstream(&out, &len);
    assert_int_equal(dbs_report_check(&p, 1, f), 0);
    fclose(f);
    free(out);
    /* a row whose stored verdict lies */
    strcpy(r.rows[0].f[DBS_COL_VERDICT], "mismatch");
    f = open_memstream(&out, &len);
    assert_int_equal(dbs_report_check(&p, 1, f), 1);
    fclose(f);
    assert_non_null(strstr(out, DATA "kvm-intel-seed-bug.csv:37: kut.hw_bp1 verdict: stored 'mismatch', re-judged 'match'"));
    free(out);
    dbs_run_free(&r);
}

static void test_kut_export(void **state)
{
    struct dbs_run r;
    char *out;
    size_t len;
    FILE *f;

    (void)state;
    load(DATA "tcg-amd.csv", &r);
    f = open_memstream(&out, &len);
    assert_int_equal(dbs_report_kut(&r, "kut.singlestep_with_code_db", f), 0);
    fclose(f);
    assert_non_null(strstr(out, "report(dr6[0] == 0xffff4ff4 && db_addr[0] == start + 6 &&"));
    assert_non_null(strstr(out, "n == 3,"));
    assert_non_null(strstr(out, "write_dr2((void *)case_start + 6);"));
    assert_non_null(strstr(out, "\"popf\\n\\t\"\n\t\t\"case_start:\\n\\t\""));
    assert_non_null(strstr(out, "\".byte 0x50\\n\\t\"\t/* 6: push rax */"));
    free(out);
    f = open_memstream(&out, &len);
    assert_int_equal(dbs_report_kut(&r, "no.such.case", f), 2);
    fclose(f);
    free(out);
    dbs_run_free(&r);
}

/* data as one gzip member (zlib's deflate with gzip framing) */
static unsigned char *gzip_mem(const char *data, size_t n, size_t *outlen)
{
    z_stream z;
    unsigned char *out;
    size_t cap = n + n / 100 + 64;

    memset(&z, 0, sizeof(z));
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    out = malloc(cap);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *outlen = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void test_gzip_is_told_by_magic_and_inflated(void **state)
{
    char path[] = "/tmp/dbsweep-test-XXXXXX", *text, *plain, want[64];
    size_t len, plen, glen, two_len;
    unsigned char *gz, *two;
    struct dbs_run r;
    int fd;

    (void)state;
    plain = slurp(DATA "tcg-amd.csv", &plen);
    gz = gzip_mem(plain, plen, &glen);
    /* a name without .gz: the magic bytes decide */
    fd = mkstemp(path);
    assert_true(fd >= 0);
    write_file(path, gz, glen);
    assert_int_equal(dbs_read_file(path, 1u << 20, &text, &len, err, sizeof(err)), 0);
    assert_int_equal(len, plen);
    assert_memory_equal(text, plain, plen);
    free(text);
    assert_int_equal(dbs_run_load(&r, path, err, sizeof(err)), 0);
    assert_int_equal(r.nrows, 456);
    assert_true(r.complete);
    dbs_run_free(&r);
    /* two members, as `cat a.gz b.gz` makes: one text */
    two = malloc(2 * glen);
    memcpy(two, gz, glen);
    memcpy(two + glen, gz, glen);
    two_len = 2 * glen;
    assert_int_equal(dbs_gunzip(two, two_len, 1u << 20, "two.gz", &text, &len, err, sizeof(err)), 0);
    assert_int_equal(len, 2 * plen);
    assert_memory_equal(text + plen, plain, plen);
    free(text);
    /* the limit counts inflated bytes: exactly plen passes, one less fails */
    assert_int_equal(dbs_gunzip(gz, glen, plen, "x.gz", &text, &len, err, sizeof(err)), 0);
    free(text);
    assert_int_equal(dbs_gunzip(gz, glen, plen - 1, "x.gz", &text, &len, err, sizeof(err)), -1);
    assert_null(text);
    snprintf(want, sizeof(want), "x.gz: inflates to more than %zu bytes", plen - 1);
    assert_string_equal(err, want);
    free(two);
    free(gz);
    free(plain);
    unlink(path);
}

static void test_damaged_gzip_is_a_clear_error(void **state)
{
    size_t plen, glen, len;
    char *plain = slurp(DATA "tcg-amd.csv", &plen), *text;
    unsigned char *gz = gzip_mem(plain, plen, &glen), *junk = malloc(glen + 4);

    (void)state;
    assert_int_equal(dbs_gunzip(gz, glen / 2, 1u << 20, "cut.gz", &text, &len, err, sizeof(err)), -1);
    assert_string_equal(err, "cut.gz: gzip data cut off: the file ends inside the stream");
    memcpy(junk, gz, glen);
    memcpy(junk + glen, "junk", 4);
    assert_int_equal(dbs_gunzip(junk, glen + 4, 1u << 20, "j.gz", &text, &len, err, sizeof(err)), -1);
    assert_string_equal(err, "j.gz: data after the end of the gzip stream");
    gz[glen - 6] ^= 0xff; /* the CRC-32 in the trailer */
    assert_int_equal(dbs_gunzip(gz, glen, 1u << 20, "crc.gz", &text, &len, err, sizeof(err)), -1);
    assert_string_equal(err, "crc.gz: corrupt gzip data (incorrect data check)");
    gz[3] = 0xe0; /* reserved flag bits */
    assert_int_equal(dbs_gunzip(gz, glen, 1u << 20, "hdr.gz", &text, &len, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "hdr.gz: corrupt gzip data ("));
    assert_null(text);
    assert_int_equal(len, 0);
    free(junk);
    free(gz);
    free(plain);
}

static void test_the_shipped_results_load(void **state)
{
    static const char *const files[] = {"results/amd-15-107-1-tcg-20261125-130149.csv.gz",
                                        "results/intel-6-94-3-tcg-20261125-130154.csv.gz"};
    static const unsigned rows[] = {27186, 27162}; /* zcat FILE | grep -vc '^#' - 1 */
    struct dbs_run r;
    unsigned i;

    (void)state;
    for (i = 0; i < 2; i++) {
        load(files[i], &r);
        assert_int_equal(r.nrows, rows[i]);
        assert_true(r.complete);
        dbs_run_free(&r);
    }
}

static int known_from(struct dbs_known *k, const char *text)
{
    return dbs_known_parse(k, "k.txt", strdup(text), strlen(text), err, sizeof(err));
}

/* The glob of the entry name falls under, or "-". */
static const char *known_glob(const struct dbs_known *k, const char *name)
{
    int i = dbs_known_find(k, name);
    return i < 0 ? "-" : k->entries[i].glob;
}

static void test_known_list_is_the_e2e_list(void **state)
{
    struct dbs_known k;
    struct dbs_run tcg, kvm;

    (void)state;
    if (dbs_known_load(&k, "tests/e2e/tcg-known-divergences.txt", err, sizeof(err)))
        fail_msg("%s", err);
    assert_int_equal(k.nentries, 13);
    assert_int_equal(k.nsections, 2); /* the start, then [tcg] */
    load(DATA "tcg-amd.csv", &tcg);
    dbs_known_select(&k, &tcg);
    assert_string_equal(known_glob(&k, "kut.icebp"), "*.icebp");
    assert_string_equal(known_glob(&k, "ss.popf.hlt"), "*.hlt");
    assert_string_equal(known_glob(&k, "kut.singlestep_with_code_db"), "-");
    assert_string_equal(k.entries[dbs_known_find(&k, "pfx.lock_reg.nobp.none")].why,
                        "pfx.lock_reg.nobp.none observed no event; expected vector 6 at 1");
    /* the list is for TCG: a KVM run's mismatches are not excused */
    load(DATA "kvm-seed-bug.csv", &kvm);
    dbs_known_select(&k, &kvm);
    assert_string_equal(known_glob(&k, "kut.icebp"), "-");
    assert_false(dbs_known_applies(&k, 0));
    dbs_run_free(&tcg);
    dbs_run_free(&kvm);
    dbs_known_free(&k);
}

static void add_qemu_72(char *t, size_t *len) { replace(t, len, "# reps:", "# qemu: 7.2.1\n# reps:"); }
static void add_qemu_80(char *t, size_t *len) { replace(t, len, "# reps:", "# qemu: 8.0\n# reps:"); }
static void make_intel(char *t, size_t *len) { replace(t, len, "AuthenticAMD", "GenuineIntel"); }

static void test_known_sections_select_by_metadata(void **state)
{
    static const char list[] =
        "# sections\n"
        "every.*        applies to all CSVs\n"
        "[qemu 7.2 amd]\n"
        "a.*            AMD on QEMU 7.2 (or a CSV that does not say)\n"
        "[  intel  tcg  ]   \r\n"
        "i.*            Intel under TCG\r\n"
        "[hypervisor=TCG* cpu_vendor=Auth*]\n"
        "a.*            shadowed by the first a.* when both apply\n"
        "x.?            globbed key=value\n";
    struct dbs_known k;
    struct dbs_run r;

    (void)state;
    if (known_from(&k, list))
        fail_msg("%s", err);
    assert_int_equal(k.nentries, 5);
    assert_int_equal(k.entries[2].line, 6);
    assert_string_equal(k.entries[2].why, "Intel under TCG");
    /* tcg-amd.csv records no QEMU version: the vendor decides */
    assert_int_equal(parse_edited(NULL, &r), 0);
    dbs_known_select(&k, &r);
    assert_string_equal(known_glob(&k, "every.x"), "every.*");
    assert_int_equal(dbs_known_find(&k, "a.b"), 1);
    assert_string_equal(known_glob(&k, "i.b"), "-");
    assert_string_equal(known_glob(&k, "x.1"), "x.?");
    dbs_run_free(&r);
    assert_int_equal(parse_edited(add_qemu_72, &r), 0);
    dbs_known_select(&k, &r);
    assert_int_equal(dbs_known_find(&k, "a.b"), 1); /* 7.2 matches 7.2.1 */
    dbs_run_free(&r);
    assert_int_equal(parse_edited(add_qemu_80, &r), 0);
    dbs_known_select(&k, &r);
    assert_int_equal(dbs_known_find(&k, "a.b"), 3); /* only the key=value section is left */
    dbs_run_free(&r);
    assert_int_equal(parse_edited(make_intel, &r), 0);
    dbs_known_select(&k, &r);
    assert_string_equal(known_glob(&k, "i.b"), "i.*");
    assert_string_equal(known_glob(&k, "a.b"), "-");
    assert_string_equal(known_glob(&k, "every.y"), "every.*");
    dbs_run_free(&r);
    dbs_known_free(&k);
}

static void test_known_list_mistakes_name_the_line(void **state)
{
    static const struct {
        const char *text, *err;
    } cases[] = {
        {"kut.icebp\n", "k.txt:1: 'kut.icebp' has no reason: write why after the glob"},
        {"# c\nkut,icebp why\n", "k.txt:2: ',' in the glob"},
        {"[amd\n", "k.txt:1: a section header is '[words]' alone on its line"},
        {"[amd] x.* why\n", "k.txt:1: a section header is '[words]' alone on its line"},
        {"[]\n", "k.txt:1: empty section header"},
        {"[arm]\n", "k.txt:1: section word 'arm': unknown word"},
        {"[qemu]\n", "k.txt:1: section word 'qemu': qemu needs a version"},
        {"[=x]\n", "k.txt:1: section word '': key=value needs both a key and a value"},
        {"[CPU=x]\n", "k.txt:1: section word 'CPU': a key is lowercase letters"},
        {"a.* why\n\x1b[31m.* why\n", "k.txt:2: control character 0x1b in a line"},
    };
    struct dbs_known k;
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(known_from(&k, cases[i].text), -1);
        if (strncmp(err, cases[i].err, strlen(cases[i].err)))
            fail_msg("case %u: got '%s', want '%s...'", i, err, cases[i].err);
        dbs_known_free(&k);
    }
    /* a NUL byte (a binary file given by mistake) */
    assert_int_equal(dbs_known_parse(&k, "k.txt", memcpy(malloc(7), "a\0b c\n", 7), 6, err,
                                     sizeof(err)), -1);
    assert_string_equal(err, "k.txt:1: contains a NUL byte: not a text file");
    dbs_known_free(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loads_the_fixture),
        cmocka_unit_test(test_malformed_input_names_file_and_line),
        cmocka_unit_test(test_incomplete_file_is_read_and_flagged),
        cmocka_unit_test(test_dr6_flags),
        cmocka_unit_test(test_diff_fits_80_columns_and_names_the_bug),
        cmocka_unit_test(test_check_rejudges_rows),
        cmocka_unit_test(test_kut_export),
        cmocka_unit_test(test_gzip_is_told_by_magic_and_inflated),
        cmocka_unit_test(test_damaged_gzip_is_a_clear_error),
        cmocka_unit_test(test_the_shipped_results_load),
        cmocka_unit_test(test_known_list_is_the_e2e_list),
        cmocka_unit_test(test_known_sections_select_by_metadata),
        cmocka_unit_test(test_known_list_mistakes_name_the_line),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
