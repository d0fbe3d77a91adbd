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

#include "cores.h"
#include "events.h"
#include "known.h"
#include "matrix.h"
#include "readfile.h"
#include "report.h"
#include "runfile.h"

/* Runs already loaded, as the report commands take them (runs.h). */
#define LOADED(runs, n) (&(const struct dbs_runs){(runs), NULL, (n), NULL})

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

/* Parses a file after edit(text) changed it, as x.csv; returns the parse
 * result. */
static int parse_file_edited(const char *path, void (*edit)(char *text, size_t *len),
                             struct dbs_run *r)
{
    size_t len;
    char *text = slurp(path, &len);

    text = realloc(text, len + 4096);
    if (edit)
        edit(text, &len);
    return dbs_run_parse(r, "x.csv", text, len, err, sizeof(err));
}

/* The same with the schema-1 fixture. */
static int parse_edited(void (*edit)(char *text, size_t *len), struct dbs_run *r)
{
    return parse_file_edited(DATA "tcg-amd.csv", edit, r);
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
/* The block of rows whose lines start with prefix, gone. */
static void drop_rows(char *t, size_t *len, const char *prefix)
{
    size_t n = strlen(prefix);
    char *first = t, *end;

    while ((first = strchr(first, '\n')) && strncmp(first + 1, prefix, n))
        first++;
    assert_non_null(first);
    for (end = first; (end = strchr(end + 1, '\n')) && !strncmp(end + 1, prefix, n);)
        ;
    memmove(first, end, *len - (size_t)(end - t) + 1);
    *len -= (size_t)(end - first);
}
static void drop_icebp(char *t, size_t *len) { drop_rows(t, len, "kut.icebp,"); }
static void drop_shadow(char *t, size_t *len) { drop_rows(t, len, "shadow."); }
static void scattered(char *t, size_t *len) { replace(t, len, "kut.hw_bp2,kut,2", "kut.hw_bp1,kut,2"); }
static void old_header(char *t, size_t *len) { replace(t, len, "case,group,rep,event", "case,grp,rep,event"); }
/* found by fuzzing: leading zeros, escape sequences, a second schema line */
static void leading_zero(char *t, size_t *len) { replace(t, len, "kut.hw_bp2,kut,0,0,", "kut.hw_bp2,kut,00,0,"); }
/* a repetition's row is checked by its rep alone only when the rest is the same */
static void rep_of_repeat(char *t, size_t *len) { replace(t, len, "kut.hw_bp2,kut,1,0,", "kut.hw_bp2,kut,01,0,"); }
static void hex_in_repeat(char *t, size_t *len) { replace(t, len, "kut.hw_bp2,kut,2,0,1,0x0,0x1e52f002,0,0x46,0xffff4ff4", "kut.hw_bp2,kut,2,0,1,0x0,0x1e52f002,0,0x46,0xffzf4ff4"); }
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
        {rep_of_repeat, "x.csv:28: column rep ('01'): rep is not a small decimal number"},
        {hex_in_repeat, "x.csv:29: column dr6 ('0xffzf4ff4'): not a 0x-prefixed hex number"},
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
    assert_int_equal(dbs_report_summary(LOADED(&p, 1), NULL, f), 1); /* incomplete */
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

/* Runs call with f writing into out (a string the caller frees); rc gets
 * its exit code. */
#define CAPTURE(out, rc, call)                                                                    \
    do {                                                                                          \
        size_t len_;                                                                              \
        FILE *f = open_memstream(&(out), &len_);                                                  \
        rc = (call);                                                                              \
        fclose(f);                                                                                \
    } while (0)

static void test_diff_fits_80_columns_and_names_the_bug(void **state)
{
    const struct dbs_diff_options all = {0}, kut = {.group = "kut"};
    struct dbs_run a, b;
    char *out, *line, *table;
    int rc;

    (void)state;
    load(DATA "tcg-amd.csv", &a);
    load(DATA "kvm-seed-bug.csv", &b);
    CAPTURE(out, rc, dbs_report_diff(&a, &b, &all, f));
    assert_int_equal(rc, 1);
    /* the whole file names, then who ran them */
    assert_non_null(strstr(out, "A: " DATA "tcg-amd.csv\n   amd-15-107-1 tcg, label -, "
                                "microcode 0x1000065, hypervisor TCGTCGTCGTCG,\n   amd rules\n"));
    assert_non_null(strstr(out, "B: " DATA "kvm-seed-bug.csv\n"));
    /* counts per group come before the cases */
    table = strstr(out, "group         cases   same  events  verdict  only A  only B\n"
                        "kut              14     13       1        0       0       0\n");
    assert_non_null(table);
    assert_non_null(strstr(table, "all              44     43       1        0       0       0\n"));
    assert_true(table < strstr(out, "kut.singlestep_with_code_db  events differ  tf=popf  "
                                    "DR2@6:x1:G\n"));
    assert_non_null(strstr(out, "    A: #DB@6 BS|B2, #DB@7 BS, #DB@8 BS\n"));
    assert_non_null(strstr(out, "    B: #DB@6 BS, #DB@7 BS, #DB@8 BS\n"));
    assert_non_null(strstr(out, "model: #DB@6 BS|B2, #DB@7 BS, #DB@8 BS\n"));
    assert_non_null(strstr(out, "verdict: A match, B mismatch\n"));
    assert_non_null(strstr(out, "6: push rax"));
    assert_non_null(strstr(out, "1 of 44 cases compared differ (1 in events, 0 in the verdict only)\n"));
    for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
        if (strlen(line) > 80 && strncmp(line, "A: ", 3) && strncmp(line, "B: ", 3))
            fail_msg("line longer than 80 columns: %s", line);
    free(out);
    CAPTURE(out, rc, dbs_report_diff(&a, &a, &kut, f));
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "0 of 14 cases compared differ (0 in events, 0 in the verdict "
                                "only) in group kut"));
    free(out);
    dbs_run_free(&a);
    dbs_run_free(&b);
}

static void test_diff_names_each_kind(void **state)
{
    const struct dbs_diff_options all = {0}, shadow = {.cases = "shadow.*,kut.icebp"};
    struct dbs_run amd, amd2, intel, cut;
    struct dbs_case_rows a, b;
    char *out;
    int rc;

    (void)state;
    load(DATA "tcg-amd.csv", &amd);
    load(DATA "tcg-amd-model2.csv", &amd2);
    load(DATA "tcg-intel.csv", &intel);
    /* the same events, judged by AMD's and Intel's rules */
    assert_int_equal(dbs_find_case(&amd2, "shadow.movss_reg.shadowed.nop", &a), 0);
    assert_int_equal(dbs_find_case(&intel, "shadow.movss_reg.shadowed.nop", &b), 0);
    assert_int_equal(dbs_case_compare(&a, &b), DBS_DIFF_VERDICT);
    assert_int_equal(dbs_case_compare(&a, &a), DBS_DIFF_SAME);
    CAPTURE(out, rc, dbs_report_diff(&amd2, &intel, &all, f));
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "shadow            2      0       0        2       0       0\n"));
    assert_non_null(strstr(out, "shadow.movss_reg.shadowed.nop  verdict differs  tf=popf"));
    assert_non_null(strstr(out, " A, B: #DB@2 B2, #DB@3 BS, #DB@4 BS\n"
                                "model A: #DB@2 B2, #DB@3 BS, #DB@4 BS\n"
                                "model B: #DB@3 BS, #DB@4 BS\n"
                                "verdict: A match, B mismatch\n"));
    assert_non_null(strstr(out, "34 of 54 cases compared differ (0 in events, 34 in the verdict "
                                "only)"));
    free(out);
    dbs_run_free(&amd2);
    dbs_run_free(&intel);
    /* a case only one side has; the filter takes comma-separated globs */
    assert_int_equal(parse_edited(drop_icebp, &cut), 0);
    CAPTURE(out, rc, dbs_report_diff(&amd, &cut, &shadow, f));
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "kut               1      0       0        0       1       0\n"));
    assert_non_null(strstr(out, "only in A: kut.icebp\n"));
    assert_non_null(strstr(out, "0 of 2 cases compared differ"));
    assert_non_null(strstr(out, "1 cases only in A, 0 only in B\n"));
    free(out);
    CAPTURE(out, rc, dbs_report_diff(&cut, &amd, &all, f));
    assert_non_null(strstr(out, "only in B: kut.icebp\n"));
    free(out);
    dbs_run_free(&cut);
    /* a group only one side has is named once */
    assert_int_equal(parse_edited(drop_shadow, &cut), 0);
    CAPTURE(out, rc, dbs_report_diff(&amd, &cut, &all, f));
    assert_non_null(strstr(out, "only in A: group shadow (all 2 cases)\n"));
    assert_non_null(strstr(out, "0 of 42 cases compared differ"));
    free(out);
    dbs_run_free(&amd);
    dbs_run_free(&cut);
}

static void test_diff_refuses_a_filter_that_selects_nothing(void **state)
{
    const struct dbs_diff_options upper = {.group = "KUT"}, glob = {.cases = "nosuch.*"};
    struct dbs_run a;
    char *out;
    int rc;

    (void)state;
    load(DATA "tcg-amd.csv", &a);
    CAPTURE(out, rc, dbs_report_diff(&a, &a, &upper, f));
    assert_int_equal(rc, 2);
    assert_string_equal(out, ""); /* nothing half-printed */
    free(out);
    CAPTURE(out, rc, dbs_report_diff(&a, &a, &glob, f));
    assert_int_equal(rc, 2);
    free(out);
    dbs_run_free(&a);
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
    assert_non_null(strstr(out, "507 rows re-judged by dbsweep-model 2 (intel rules), 0 disagree\n"));
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
    assert_non_null(strstr(out, DATA "kvm-intel-seed-bug.csv:38: kut.hw_bp1 verdict: stored 'mismatch', re-judged 'match'"));
    free(out);
    dbs_run_free(&r);
    /* events at the SYSCALL entries (rip_off lstar, cstar) are read back as such */
    load(DATA "tcg-intel-syscall.csv", &r);
    f = open_memstream(&out, &len);
    assert_int_equal(dbs_report_check(&p, 1, f), 0);
    fclose(f);
    assert_non_null(strstr(out, "9 rows re-judged by dbsweep-model 2 (intel rules), 0 disagree\n"));
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

/* A new list of one file, k.txt, holding text. */
static int known_from(struct dbs_known *k, const char *text)
{
    memset(k, 0, sizeof(*k));
    return dbs_known_parse(k, "k.txt", strdup(text), strlen(text), err, sizeof(err));
}

/* The glob of the entry name falls under, or "-". */
static const char *known_glob(const struct dbs_known *k, const char *name)
{
    int i = dbs_known_find(k, name);
    return i < 0 ? "-" : k->entries[i].glob;
}

/* QEMU's machine type, as schema-2 CSVs record it, and a machine that is no QEMU */
static void qemu_72(char *t, size_t *len) { replace(t, len, "# reps:", "# system_manufacturer: QEMU\n# system_version: pc-q35-7.2\n# reps:"); }
static void qemu_80(char *t, size_t *len) { replace(t, len, "# reps:", "# system_manufacturer: QEMU\n# system_version: pc-i440fx-8.0\n# reps:"); }
static void qemu_100(char *t, size_t *len) { replace(t, len, "# reps:", "# system_manufacturer: QEMU\n# system_version: pc-q35-10.0\n# reps:"); }
static void not_qemu(char *t, size_t *len) { replace(t, len, "# reps:", "# system_manufacturer: Dell Inc.\n# system_version: 7.2\n# reps:"); }
static void qemu_key(char *t, size_t *len) { replace(t, len, "# reps:", "# qemu: 7.2.1\n# reps:"); }
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
    assert_int_equal(parse_edited(qemu_72, &r), 0);
    dbs_known_select(&k, &r);
    assert_int_equal(dbs_known_find(&k, "a.b"), 1);
    dbs_run_free(&r);
    assert_int_equal(parse_edited(qemu_key, &r), 0); /* 7.2 matches 7.2.1 */
    dbs_known_select(&k, &r);
    assert_int_equal(dbs_known_find(&k, "a.b"), 1);
    dbs_run_free(&r);
    assert_int_equal(parse_edited(qemu_80, &r), 0);
    dbs_known_select(&k, &r);
    assert_int_equal(dbs_known_find(&k, "a.b"), 3); /* only the key=value section is left */
    dbs_run_free(&r);
    assert_int_equal(parse_edited(not_qemu, &r), 0);
    dbs_known_select(&k, &r);
    assert_int_equal(dbs_known_find(&k, "a.b"), 3);
    dbs_run_free(&r);
    assert_int_equal(parse_edited(make_intel, &r), 0);
    dbs_known_select(&k, &r);
    assert_string_equal(known_glob(&k, "i.b"), "i.*");
    assert_string_equal(known_glob(&k, "a.b"), "-");
    assert_string_equal(known_glob(&k, "every.y"), "every.*");
    dbs_run_free(&r);
    dbs_known_free(&k);
}

/* A run under QEMU 10.0 (machine type pc-q35-10.0) takes make test's 10.0
 * lists and not 7.2's; a version word matches whole components only. */
static void test_known_qemu_10_by_machine_type(void **state)
{
    static const char list[] =
        "[qemu-1]\n"
        "one.*      QEMU 1.x only\n"
        "[qemu-10]\n"
        "ten.*      any QEMU 10\n"
        "[qemu-10.0.1]\n"
        "patch.*    10.0.1 only: the machine type does not say\n";
    struct dbs_known k, lists;
    struct dbs_run r;

    (void)state;
    if (known_from(&k, list))
        fail_msg("%s", err);
    memset(&lists, 0, sizeof(lists));
    if (dbs_known_load(&lists, "tests/e2e/tcg-known/qemu-7.2.txt", err, sizeof(err)) ||
        dbs_known_load(&lists, "tests/e2e/tcg-known/qemu-10.0.txt", err, sizeof(err)))
        fail_msg("%s", err);
    assert_int_equal(parse_edited(qemu_100, &r), 0);
    dbs_known_select(&k, &r);
    assert_string_equal(known_glob(&k, "one.x"), "-");
    assert_string_equal(known_glob(&k, "ten.x"), "ten.*");
    assert_string_equal(known_glob(&k, "patch.x"), "-");
    dbs_known_select(&lists, &r);
    assert_string_equal(known_glob(&lists, "kut.icebp"), "-"); /* 7.2's ICEBP bug, fixed */
    assert_string_equal(known_glob(&lists, "gd.none.movdr_r"), "gd.none.*");
    assert_string_equal(lists.entries[dbs_known_find(&lists, "gd.none.movdr_r")].path,
                        "tests/e2e/tcg-known/qemu-10.0.txt");
    dbs_run_free(&r);
    assert_int_equal(parse_edited(qemu_72, &r), 0);
    dbs_known_select(&lists, &r);
    assert_string_equal(known_glob(&lists, "kut.icebp"), "*.icebp");
    assert_string_equal(lists.entries[dbs_known_find(&lists, "gd.none.movdr_r")].path,
                        "tests/e2e/tcg-known/qemu-7.2.txt");
    dbs_run_free(&r);
    dbs_known_free(&lists);
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

#define LIST "tests/e2e/tcg-known/qemu-7.2.txt"
#define LIST_INTEL "tests/e2e/tcg-known/qemu-7.2-intel.txt"

/* A cpu_brand that tries to end the markup, quotes, and a byte that is not UTF-8. */
static void hostile_brand(char *t, size_t *len)
{
    replace(t, len, "# cpu_brand: ", "# cpu_brand: </script><b a=\"x\">&'\xff</b>");
}

/* The schema-2 TCG runs (Intel's and AMD's rules), the KVM variant, the
 * Intel run with a hostile cpu_brand, make test's lists for QEMU 7.2 (both
 * files, as one list) and a small list of the tests' own. */
struct runs {
    struct dbs_run intel, kvm, amd, hostile;
    struct dbs_known lists, mine;
};

static const char my_list[] =
    "# the tests' own list: counts below do not move when make test's lists do\n"
    "kut.hw_bp1                 listed by mistake: it matches\n"
    "[tcg]\n"
    "*.icebp                    ICEBP raises #UD\n"
    "[tcg intel]\n"
    "shadow.movss_*.shadowed.*  the breakpoint after MOV SS\n";

static int runs_setup(void **state)
{
    struct runs *p = calloc(1, sizeof(*p));

    load(DATA "tcg-intel.csv", &p->intel);
    load(DATA "kvm-intel-seed-bug.csv", &p->kvm);
    load(DATA "tcg-amd-model2.csv", &p->amd);
    assert_int_equal(parse_file_edited(DATA "tcg-intel.csv", hostile_brand, &p->hostile), 0);
    if (dbs_known_load(&p->lists, LIST, err, sizeof(err)) ||
        dbs_known_load(&p->lists, LIST_INTEL, err, sizeof(err)) || known_from(&p->mine, my_list))
        fail_msg("%s", err);
    *state = p;
    return 0;
}

static int runs_teardown(void **state)
{
    struct runs *p = *state;

    dbs_known_free(&p->lists);
    dbs_known_free(&p->mine);
    dbs_run_free(&p->intel);
    dbs_run_free(&p->kvm);
    dbs_run_free(&p->amd);
    dbs_run_free(&p->hostile);
    free(p);
    return 0;
}

static void test_known_lists_are_make_tests(void **state)
{
    struct runs *p = *state;
    struct dbs_known *k = &p->lists;

    assert_int_equal(k->nfiles, 2);
    assert_int_equal(k->nsections, 4); /* per file: the start, then its [tcg ...] */
    dbs_known_select(k, &p->intel);
    assert_string_equal(known_glob(k, "kut.icebp"), "*.icebp");
    assert_string_equal(k->entries[dbs_known_find(k, "kut.icebp")].path, LIST);
    assert_string_equal(known_glob(k, "kut.singlestep_with_code_db"), "-");
    assert_string_equal(known_glob(k, "kut.mov_ss_code_db"), "kut.mov_ss_code_db");
    assert_string_equal(k->entries[dbs_known_find(k, "kut.mov_ss_code_db")].path, LIST_INTEL);
    /* the Intel file's section keeps it off AMD runs */
    dbs_known_select(k, &p->amd);
    assert_string_equal(known_glob(k, "kut.icebp"), "*.icebp");
    assert_string_equal(known_glob(k, "kut.mov_ss_code_db"), "-");
    /* the lists are for TCG: a KVM run's mismatches are not excused */
    dbs_known_select(k, &p->kvm);
    assert_string_equal(known_glob(k, "kut.icebp"), "-");
}

static const struct dbs_verdicts_options tap = {DBS_FORMAT_TAP, 0, 0};

static void test_verdicts_tap_is_ktap_with_known_failures(void **state)
{
    struct runs *p = *state;
    struct dbs_run *both[2] = {&p->intel, &p->kvm};
    char *out;
    int rc;

    CAPTURE(out, rc, dbs_report_verdicts(LOADED(both, 2), &tap, &p->mine, f));
    assert_int_equal(rc, 1); /* unlisted mismatches, and the list is for TCG */
    assert_memory_equal(out, "KTAP version 1\n# dbsweep-report verdicts; known failures: k.txt\n"
                             "1..2\n  KTAP version 1\n  # Subtest: tcg-intel.csv\n", 102);
    assert_non_null(strstr(out, "  1..4\n    KTAP version 1\n    # Subtest: kut\n    1..21\n"));
    assert_non_null(strstr(out, "    ok 1 kut.hw_bp1 # XPASS unexpectedly passing: listed in "
                                "k.txt:2 (kut.hw_bp1) but matches\n"));
    assert_non_null(strstr(out, "    ok 13 kut.icebp # XFAIL known failure (k.txt:4 *.icebp): "
                                "ICEBP raises #UD\n"));
    assert_non_null(strstr(out, "    not ok 19 kut.dr4_ud_de1 # mismatch: observed #UD@0; "
                                "expected #UD@0 rf1\n"));
    assert_non_null(strstr(out, "    ok 14 ssbp.popf.dr2.g.xgetbv # SKIP none: skipped\n"));
    assert_non_null(strstr(out, "  # shadow: 0 pass, 0 fail, 2 xfail, 0 xpass, 0 skip\n"
                                "  ok 3 shadow\n"));
    assert_non_null(strstr(out, "  not ok 1 kut\n"));
    assert_non_null(strstr(out, "\nnot ok 1 tcg-intel.csv\n"));
    assert_non_null(strstr(out, "    not ok 4 kut.singlestep_with_code_db # mismatch: observed "
                                "#DB@6 BS, #DB@7 BS, #DB@8 BS; expected #DB@6 BS|B2, #DB@7 BS, "
                                "#DB@8 BS\n"));
    assert_non_null(strstr(out, "    not ok 13 kut.icebp # mismatch: observed #UD@0; expected "
                                "#DB@1 -\n"));
    assert_non_null(strstr(out, "\nnot ok 2 kvm-intel-seed-bug.csv\n"));
    free(out);
    /* make test's lists cover every mismatch of the TCG run; a listed case
     * that matches is reported and does not fail it */
    CAPTURE(out, rc, dbs_report_verdicts(LOADED(both, 1), &tap, &p->lists, f));
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "# XPASS unexpectedly passing: listed in " LIST ":"));
    assert_null(strstr(out, "not ok"));
    free(out);
    /* without a list every mismatch fails */
    CAPTURE(out, rc, dbs_report_verdicts(LOADED(both, 1), &tap, NULL, f));
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "    not ok 13 kut.icebp # mismatch: observed #UD@0; expected "
                                "#DB@1 -\n"));
    assert_non_null(strstr(out, "# dbsweep-report verdicts; known failures: none given\n"));
    free(out);
}

/* verdicts of the hostile fixture, with or without the tests' list;
 * checks the exit status. */
static char *hostile_verdicts(void **state, enum dbs_format format, int with_list, int want_rc)
{
    struct runs *p = *state;
    struct dbs_run *r = &p->hostile;
    char *out;
    int rc;
    struct dbs_verdicts_options o = {format, 0, 0};

    CAPTURE(out, rc, dbs_report_verdicts(LOADED(&r, 1), &o, with_list ? &p->mine : NULL, f));
    assert_int_equal(rc, want_rc);
    return out;
}

static void test_verdicts_junit_counts_and_escapes(void **state)
{
    char *out = hostile_verdicts(state, DBS_FORMAT_JUNIT, 1, 1);

    assert_non_null(strstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "
                                "name=\"dbsweep\" tests=\"55\" failures=\"16\" errors=\"0\" "
                                "skipped=\"5\">\n"));
    assert_non_null(strstr(out, "  <testsuite name=\"x.csv (intel-6-94-3 tcg): shadow\" "
                                "hostname=\"intel-6-94-3 tcg\" timestamp=\"2026-12-07T06:21:36\" "
                                "tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"2\">\n"));
    assert_non_null(strstr(out, "<property name=\"cpu_brand\" value=\"&lt;/script&gt;&lt;b "
                                "a=&quot;x&quot;&gt;&amp;&apos;\xef\xbf\xbd&lt;/b&gt;Intel Core Processor (Skylake)\"/>"));
    assert_non_null(strstr(out, "    <testcase classname=\"x_csv (intel-6-94-3 tcg).kut\" name=\"kut.icebp\">\n"
                                "      <skipped message=\"known failure (k.txt:4 *.icebp): "
                                "ICEBP raises #UD\"/>\n    </testcase>\n"));
    assert_non_null(strstr(out, "    <testcase classname=\"x_csv (intel-6-94-3 tcg).kut\" name=\"kut.hw_bp1\">\n"
                                "      <system-out>unexpectedly passing: listed in k.txt:2 "
                                "(kut.hw_bp1) but matches</system-out>\n"));
    assert_non_null(strstr(out, "    <testcase classname=\"x_csv (intel-6-94-3 tcg).ssbp\" name=\"ssbp.popf.dr2.g.nop\"/>\n"));
    assert_null(strstr(out, "\xff"));
    free(out);
    out = hostile_verdicts(state, DBS_FORMAT_JUNIT, 0, 1);
    assert_non_null(strstr(out, "<testcase classname=\"x_csv (intel-6-94-3 tcg).kut\" name=\"kut.icebp\">\n      "
                                "<failure type=\"mismatch\" message=\"mismatch: observed #UD@0; "
                                "expected #DB@1 -\">mismatch: observed #UD@0; expected #DB@1 -"
                                "</failure>\n    </testcase>\n"));
    free(out);
}

static void test_verdicts_json_has_every_case(void **state)
{
    char *out = hostile_verdicts(state, DBS_FORMAT_JSON, 1, 1);

    assert_non_null(strstr(out, "\"known\":[\"k.txt\"],\"result\":\"fail\",\"counts\":{"
                                "\"pass\":32,\"fail\":16,\"xfail\":4,\"xpass\":1,\"skip\":1}"));
    assert_non_null(strstr(out, "\"cpu_brand\":\"\\u003c/script\\u003e\\u003cb a=\\\"x\\\"\\u003e"
                                "\\u0026'\\ufffd\\u003c/b\\u003eIntel Core Processor (Skylake)\""));
    assert_non_null(strstr(out, "{\"name\":\"shadow\",\"result\":\"pass\",\"counts\":{\"pass\":0,"
                                "\"fail\":0,\"xfail\":2,\"xpass\":0,\"skip\":0}}"));
    assert_non_null(strstr(out, "{\"name\":\"kut.icebp\",\"group\":\"kut\",\"result\":\"xfail\","
                                "\"verdict\":\"mismatch\",\"observed\":\"#UD@0\",\"expected\":"
                                "\"#DB@1 -\",\"note\":\"\",\"reason\":\"known failure (k.txt:4 "
                                "*.icebp): ICEBP raises #UD\",\"known\":{\"glob\":\"*.icebp\","
                                "\"file\":\"k.txt\",\"line\":4,\"why\":\"ICEBP raises #UD\"}}"));
    assert_non_null(strstr(out, "{\"name\":\"ssbp.popf.dr2.g.nop\",\"group\":\"ssbp\",\"result\":"
                                "\"pass\",\"verdict\":\"match\",\"observed\":\"#DB@1 BS|B2, "));
    free(out);
}

/* A run that died fails in every format unless --allow-incomplete; an
 * XPASS fails under --strict. make test's lists cover every mismatch of the
 * TCG run, so what fails here is only what these options add. */
static void test_verdicts_incomplete_and_strict(void **state)
{
    struct runs *p = *state;
    struct dbs_run died, *r = &died, *pi = &p->intel;
    struct dbs_verdicts_options o = {DBS_FORMAT_TAP, 0, 0};
    char *out;
    int rc, format;

    assert_int_equal(parse_file_edited(DATA "tcg-intel.csv", no_status, &died), 0);
    for (format = DBS_FORMAT_JSON; format <= DBS_FORMAT_JUNIT; format++) {
        o.format = (enum dbs_format)format;
        o.allow_incomplete = 0;
        CAPTURE(out, rc, dbs_report_verdicts(LOADED(&r, 1), &o, &p->lists, f));
        assert_int_equal(rc, 1);
        assert_non_null(strstr(out, "x.csv is incomplete: no "));
        assert_non_null(strstr(out, "the run stopped after 54 of 54 cases (the last: "
                                    "shadow.movss_reg.shadowed.cpuid)"));
        free(out);
        o.allow_incomplete = 1;
        CAPTURE(out, rc, dbs_report_verdicts(LOADED(&r, 1), &o, &p->lists, f));
        assert_int_equal(rc, 0);
        assert_non_null(strstr(out, "; allowed by --allow-incomplete"));
        free(out);
    }
    o = (struct dbs_verdicts_options){DBS_FORMAT_TAP, 0, 0};
    CAPTURE(out, rc, dbs_report_verdicts(LOADED(&r, 1), &o, &p->lists, f));
    assert_non_null(strstr(out, "  not ok 4 complete # x.csv is incomplete"));
    assert_non_null(strstr(out, "\nnot ok 1 x.csv\n"));
    free(out);
    o.allow_incomplete = 1;
    CAPTURE(out, rc, dbs_report_verdicts(LOADED(&r, 1), &o, &p->lists, f));
    assert_non_null(strstr(out, "  ok 4 complete # XFAIL x.csv is incomplete"));
    free(out);
    o = (struct dbs_verdicts_options){DBS_FORMAT_JUNIT, 0, 0};
    CAPTURE(out, rc, dbs_report_verdicts(LOADED(&r, 1), &o, &p->lists, f));
    assert_non_null(strstr(out, "<testsuite name=\"x.csv (intel-6-94-3 tcg): run\" "));
    assert_non_null(strstr(out, "<testcase classname=\"x_csv (intel-6-94-3 tcg).run\" "
                                "name=\"complete\">\n      <failure type=\"incomplete\" "));
    free(out);
    /* --strict: the complete TCG run's XPASS cases fail it */
    CAPTURE(out, rc, dbs_report_verdicts(LOADED(&pi, 1), &tap, &p->lists, f));
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "# XPASS unexpectedly passing"));
    assert_non_null(strstr(out, "  ok 4 complete\n"));
    free(out);
    o = (struct dbs_verdicts_options){DBS_FORMAT_TAP, 1, 0};
    CAPTURE(out, rc, dbs_report_verdicts(LOADED(&pi, 1), &o, &p->lists, f));
    assert_int_equal(rc, 1);
    assert_null(strstr(out, "# XPASS"));
    assert_non_null(strstr(out, "# unexpectedly passing (fails with --strict): listed in " LIST));
    free(out);
    o.format = DBS_FORMAT_JUNIT;
    CAPTURE(out, rc, dbs_report_verdicts(LOADED(&pi, 1), &o, &p->lists, f));
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "<failure type=\"xpass\" message=\"unexpectedly passing"));
    free(out);
    dbs_run_free(&died);
}

/* Two files of one name in two directories, and one file given twice:
 * every JUnit suite name and classname differs. */
static void test_verdicts_junit_names_are_unique_per_file(void **state)
{
    struct runs *p = *state;
    struct dbs_run a = p->intel, b = p->intel, c = p->intel;
    struct dbs_run *three[3] = {&a, &b, &c};
    struct dbs_verdicts_options o = {DBS_FORMAT_JUNIT, 0, 0};
    char *out;
    int rc;

    a.path = "lab/m1/run.csv";
    b.path = c.path = "lab/m2/run.csv";
    CAPTURE(out, rc, dbs_report_verdicts(LOADED(three, 3), &o, &p->lists, f));
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "<testsuite name=\"lab/m1/run.csv (intel-6-94-3 tcg): kut\""));
    assert_non_null(strstr(out, "<testsuite name=\"lab/m2/run.csv (intel-6-94-3 tcg): kut\""));
    assert_non_null(strstr(out, "<testsuite name=\"lab/m2/run.csv (intel-6-94-3 tcg) #2: kut\""));
    assert_non_null(strstr(out, "classname=\"lab/m1/run_csv (intel-6-94-3 tcg).kut\""));
    assert_non_null(strstr(out, "classname=\"lab/m2/run_csv (intel-6-94-3 tcg) #2.kut\""));
    free(out);
    /* the JSON names them the same way, and says its format version */
    o.format = DBS_FORMAT_JSON;
    CAPTURE(out, rc, dbs_report_verdicts(LOADED(three, 3), &o, &p->lists, f));
    assert_memory_equal(out, "{\"format_version\":2,", 19);
    assert_non_null(strstr(out, "\"name\":\"lab/m2/run.csv (intel-6-94-3 tcg) #2\""));
    assert_non_null(strstr(out, "\"cpu_family\":6,\"cpu_model\":94,\"cpu_stepping\":3,"));
    assert_non_null(strstr(out, "\"microcode\":1,"));
    free(out);
}

static void test_summary_exit_status(void **state)
{
    struct runs *p = *state;
    struct dbs_run *pi = &p->intel, *pk = &p->kvm;
    char *out;
    int rc;

    CAPTURE(out, rc, dbs_report_summary(LOADED(&pk, 1), NULL, f));
    assert_int_equal(rc, 0); /* complete; mismatches alone are no finding */
    free(out);
    CAPTURE(out, rc, dbs_report_summary(LOADED(&pi, 1), &p->lists, f));
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "known:    " LIST ", " LIST_INTEL ": "));
    assert_non_null(strstr(out, " failures expected, 0 unexpected, "));
    free(out);
    CAPTURE(out, rc, dbs_report_summary(LOADED(&pi, 1), &p->mine, f));
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "  group       cases  match  mismatch  undefined   none unexpected"
                                "  known  xpass\n"
                                "  kut            21     11        10          0      0"
                                "          9      1      1\n"));
    assert_non_null(strstr(out, "known:    k.txt: 4 failures expected, 16 unexpected, "
                                "1 listed cases match\n"));
    assert_non_null(strstr(out, "  unexpectedly passing: kut.hw_bp1\n"));
    free(out);
    CAPTURE(out, rc, dbs_report_summary(LOADED(&pk, 1), &p->lists, f));
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "  unexpected: kut.singlestep_with_code_db, "
                                "kut.singlestep_with_sti_blocking,\n"));
    free(out);
}

/* Per-core files (cores=all) made from tcg-intel.csv by editing its
 * metadata, as the app writes one per logical CPU: APIC IDs 0, 2, 4, 6,
 * the last two Atom cores; cpu 4 saw another DR6 in one event, cpu 6 timed
 * out before the shadow cases. */
static const struct core_edit {
    const char *meta;
    int changed, timeout;
} cores[] = {
    {"# apic_id: 0\n# core_type: core\n# cores: all\n# cpu_index: 0\n", 0, 0},
    {"# apic_id: 2\n# core_type: core\n# cores: all\n# cpu_index: 1\n", 0, 0},
    {"# apic_id: 4\n# core_type: atom\n# cores: all\n# cpu_index: 2\n", 1, 0},
    {"# apic_id: 6\n# core_type: atom\n# cores: all\n# cpu_index: 3\n", 0, 1},
};
static const struct core_edit *core_editing;

static void as_core(char *t, size_t *len)
{
    const struct core_edit *c = core_editing;

    replace(t, len, "# apic_id: 0\n# core_type: not hybrid\n", c->meta);
    if (c->changed) /* kut.singlestep_with_code_db's first #DB: BS only, no B2 */
        replace(t, len, "0x102,0xffff4ff4,0x420,1,6,0xffff4ff4,match,",
                "0x102,0xffff4ff0,0x420,1,6,0xffff4ff4,mismatch,");
    if (c->timeout) {
        drop_rows(t, len, "shadow.");
        replace(t, len, "# status: complete\n",
                "# timeout_case: shadow.movss_reg.shadowed.nop\n# status: timeout\n");
    }
}
static void another_start(char *t, size_t *len)
{
    as_core(t, len);
    replace(t, len, "# uefi_time: 2026-12-07T06:21:36", "# uefi_time: 2026-12-07T06:31:36");
}

static void load_cores(struct dbs_run *runs)
{
    unsigned k;

    for (k = 0; k < 4; k++) {
        core_editing = &cores[k];
        assert_int_equal(parse_file_edited(DATA "tcg-intel.csv", as_core, &runs[k]), 0);
    }
}

static void free_cores(struct dbs_run *runs)
{
    unsigned k;

    for (k = 0; k < 4; k++)
        dbs_run_free(&runs[k]);
}

static void test_per_core_files_name_their_core(void **state)
{
    struct dbs_run c[4], plain, later;
    char label[96];

    (void)state;
    load_cores(c);
    load(DATA "tcg-intel.csv", &plain);
    dbs_machine_label(&c[2], label, sizeof(label));
    assert_string_equal(label, "intel-6-94-3 tcg cpu 4 (atom)");
    dbs_machine_label(&plain, label, sizeof(label)); /* cores=bsp: as before */
    assert_string_equal(label, "intel-6-94-3 tcg");
    assert_true(dbs_same_run(&c[0], &c[3]));
    assert_false(dbs_same_run(&c[0], &plain));
    core_editing = &cores[1];
    assert_int_equal(parse_file_edited(DATA "tcg-intel.csv", another_start, &later), 0);
    assert_false(dbs_same_run(&c[0], &later)); /* another boot of the same machine */
    assert_false(c[3].complete);
    dbs_run_free(&later);
    dbs_run_free(&plain);
    free_cores(c);
}

static void test_diff_and_matrix_take_cores_as_machines(void **state)
{
    const struct dbs_diff_options all = {0};
    struct dbs_run c[4], *p[4] = {&c[0], &c[1], &c[2], &c[3]};
    char *out;
    int rc;

    (void)state;
    load_cores(c);
    CAPTURE(out, rc, dbs_report_diff(&c[0], &c[2], &all, f));
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "   intel-6-94-3 tcg cpu 4 (atom), label -, microcode 0x1,"));
    assert_non_null(strstr(out, "A, B: cpu 0 (core) and cpu 4 (atom) of one run (cores=all)\n"));
    assert_non_null(strstr(out, "kut.singlestep_with_code_db  events differ"));
    free(out);
    CAPTURE(out, rc, dbs_report_diff(&c[0], &c[1], &all, f));
    assert_int_equal(rc, 0);
    free(out);
    /* four columns, each titled by its core, though every file is x.csv */
    CAPTURE(out, rc, dbs_report_matrix(LOADED(p, 4), f));
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "\"title\":\"intel-6-94-3 tcg cpu 0 (core)\""));
    assert_non_null(strstr(out, "\"title\":\"intel-6-94-3 tcg cpu 2 (core)\""));
    assert_non_null(strstr(out, "\"title\":\"intel-6-94-3 tcg cpu 4 (atom)\""));
    assert_non_null(strstr(out, "\"title\":\"intel-6-94-3 tcg cpu 6 (atom)\""));
    free(out);
    free_cores(c);
}

static void test_summary_says_which_cores_differ(void **state)
{
    struct dbs_run c[4], plain;
    struct dbs_run *all[5] = {&c[0], &c[1], &plain, &c[2], &c[3]}, *two[2] = {&c[0], &c[1]};
    char *out;
    int rc;

    (void)state;
    load_cores(c);
    load(DATA "tcg-intel.csv", &plain);
    CAPTURE(out, rc, dbs_report_summary(LOADED(two, 2), NULL, f));
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "core:     cpu 2 (core), processor 1 of cores=all\n"));
    assert_non_null(strstr(out, "\ncores:    2 files of one run (cores=all, started "
                                "2026-12-07T06:21:36), in events against\n"
                                "          cpu 0 (core), the first given:\n"
                                "  agree: cpu 2 (core)\n"));
    free(out);
    /* the plain run among them is no core of the run */
    CAPTURE(out, rc, dbs_report_summary(LOADED(all, 5), NULL, f));
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "x.csv  [INCOMPLETE: status timeout]\n"));
    assert_non_null(strstr(out, "cores:    4 files of one run"));
    assert_non_null(strstr(out, "  agree: cpu 2 (core)\n"
                                "  cpu 4 (atom): 1 of 54 cases compared differ: "
                                "kut.singlestep_with_code_db\n"
                                "  cpu 6 (atom): INCOMPLETE (status timeout in "
                                "shadow.movss_reg.shadowed.nop),\n"
                                "                0 of 52 cases compared differ, "
                                "2 of cpu 0 (core)'s cases not run\n"));
    free(out);
    dbs_run_free(&plain);
    free_cores(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loads_the_fixture),
        cmocka_unit_test(test_malformed_input_names_file_and_line),
        cmocka_unit_test(test_incomplete_file_is_read_and_flagged),
        cmocka_unit_test(test_dr6_flags),
        cmocka_unit_test(test_diff_fits_80_columns_and_names_the_bug),
        cmocka_unit_test(test_diff_names_each_kind),
        cmocka_unit_test(test_diff_refuses_a_filter_that_selects_nothing),
        cmocka_unit_test(test_check_rejudges_rows),
        cmocka_unit_test(test_gzip_is_told_by_magic_and_inflated),
        cmocka_unit_test(test_damaged_gzip_is_a_clear_error),
        cmocka_unit_test(test_the_shipped_results_load),
        cmocka_unit_test_setup_teardown(test_known_lists_are_make_tests, runs_setup,
                                        runs_teardown),
        cmocka_unit_test(test_known_sections_select_by_metadata),
        cmocka_unit_test(test_known_qemu_10_by_machine_type),
        cmocka_unit_test(test_known_list_mistakes_name_the_line),
        cmocka_unit_test_setup_teardown(test_verdicts_tap_is_ktap_with_known_failures, runs_setup,
                                        runs_teardown),
        cmocka_unit_test_setup_teardown(test_verdicts_junit_counts_and_escapes, runs_setup,
                                        runs_teardown),
        cmocka_unit_test_setup_teardown(test_verdicts_json_has_every_case, runs_setup,
                                        runs_teardown),
        cmocka_unit_test_setup_teardown(test_summary_exit_status, runs_setup, runs_teardown),
        cmocka_unit_test_setup_teardown(test_verdicts_incomplete_and_strict, runs_setup,
                                        runs_teardown),
        cmocka_unit_test_setup_teardown(test_verdicts_junit_names_are_unique_per_file, runs_setup,
                                        runs_teardown),
        cmocka_unit_test(test_per_core_files_name_their_core),
        cmocka_unit_test(test_diff_and_matrix_take_cores_as_machines),
        cmocka_unit_test(test_summary_says_which_cores_differ),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
