/* libFuzzer target: the report tool's CSV loader (tools/report/runfile.c, on
 * src/output/csv_read.c) and the views the report commands build on a loaded run
 * (tools/report/events.c); with fuzz_gzip.c its gzip reader (an input that
 * is gzip is inflated, checked, and its text fuzzed as a CSV) and with
 * fuzz_known.c the expected-failure list parser (every input is also read
 * as a list). Built and run by tools/fuzz.sh.
 *
 * Crashes, leaks and undefined behaviour are caught by the sanitizers. Wrong
 * answers are caught here: every input is also judged by a reference reader
 * written from docs/csv.md and runfile.h, independently of runfile.c, and the
 * two must agree on accept/reject, on the line an error names, on every row
 * and field, on `complete`, and on what the views say about every case. A
 * violated invariant prints which one and traps.
 *
 * DBS_FUZZ_RELAX=name,name... (environment) skips the named checks, for
 * fuzzing past a known, reported finding: ctrl (error text free of control
 * bytes), errline (the error names the first bad line), accept (accept/reject
 * agrees with the reference), errline-schema (a wrong schema is reported at
 * the line it was read from), numeric (the views read rep and vector as the
 * numbers the loader accepted, so rep "00" is repetition 0 and vector "01"
 * is #DB; relaxed, they are compared as strings). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "fuzz_check.h"
#include "runfile.h"

#define PATH "fuzz.csv"
#define NCOLS 27     /* columns schema 2 defines (docs/csv.md) */
#define BASE_COLS 19 /* the ones every schema-1 file has (schema 2: all of them) */
#define MAX_COLS 64  /* runfile.c's field limit per line */
#define MAX_META 64  /* metadata lines runfile.c records */
#define MAX_FIELD 512
#define MAX_LINE 65536

/* Column indexes, from the docs' column order (not from runfile.h's enum). */
enum { C_CASE, C_GROUP, C_REP, C_EVENT, C_VECTOR, C_ERROR, C_RIP, C_RIP_OFF, C_RFLAGS, C_DR6,
       C_DR7, C_EXP_VECTOR, C_EXP_RIP_OFF, C_EXP_DR6, C_VERDICT, C_AGREE, C_TF, C_BPS, C_BYTES,
       C_NOTE, C_EXP_DR6_ANY, C_EXP_RF, C_MODE, C_ACCESS, C_CS, C_SS, C_RSP };

static const char *const columns[NCOLS] = {
    "case",    "group",       "rep",     "event",   "vector",  "error",       "rip",
    "rip_off", "rflags",      "dr6",     "dr7",     "exp_vector", "exp_rip_off", "exp_dr6",
    "verdict", "agree",       "tf",      "bps",     "bytes",   "note",        "exp_dr6_any",
    "exp_rf",  "mode",        "access",  "cs",      "ss",      "rsp"};

static const char *relax = "";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *e = getenv("DBS_FUZZ_RELAX");

    (void)argc;
    (void)argv;
    if (e)
        relax = e;
    fuzz_known_init();
    return 0;
}

int fuzz_relaxed(const char *name)
{
    size_t n = strlen(name);
    const char *p;

    for (p = relax; (p = strstr(p, name)); p += n)
        if ((p == relax || p[-1] == ',') && (p[n] == 0 || p[n] == ','))
            return 1;
    return 0;
}

void fuzz_violated(const char *file, int line, const char *name, const char *what)
{
    fprintf(stderr, "%s:%d: invariant [%s] violated: %s\n", file, line, name, what);
    __builtin_trap();
}

unsigned fuzz_check_error(const char *err, const char *name, size_t nlines)
{
    size_t n = strlen(name);
    const char *p;
    unsigned long line = 0;

    CHECK(memchr(err, 0, ERRCAP));
    CHECK(err[0]);
    CHECK(!strncmp(err, name, n) && err[n] == ':');
    for (p = err; *p; p++)
        CHECK_AS("ctrl", (unsigned char)*p >= 0x20 && *p != 0x7f);
    p = err + n + 1;
    if (*p != ' ') {
        char *q;
        CHECK(*p >= '1' && *p <= '9');
        line = strtoul(p, &q, 10);
        CHECK(q[0] == ':' && q[1] == ' ');
        CHECK(line >= 1 && line <= nlines);
    }
    return (unsigned)line;
}

/* ------------------------------------------------------------------------ */
/* The reference reader. */

static int all_in(const char *s, const char *set)
{
    for (; *s; s++)
        if (!strchr(set, *s))
            return 0;
    return 1;
}

static int dec_ok(const char *s, size_t maxlen)
{
    size_t n = strlen(s);
    /* as the writer prints numbers: no leading zero */
    return n >= 1 && n <= maxlen && all_in(s, "0123456789") && (s[0] != '0' || n == 1);
}

static int hex_ok(const char *s)
{
    size_t n = strlen(s);
    return n >= 3 && n <= 18 && s[0] == '0' && s[1] == 'x' && all_in(s + 2, "0123456789abcdef");
}

static int word_in(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (!strcmp(s, *set))
            return 1;
    return 0;
}

/* RFC 4180 split of s[0..len) in place (the output never overtakes the
 * input). Returns the field count, -1 on bad quoting or more than max. */
static int split_ref(char *s, size_t len, char **f, int max)
{
    size_t i = 0;
    char *w = s;
    int n = 0;

    for (;;) {
        if (n == max)
            return -1;
        f[n++] = w;
        if (i < len && s[i] == '"') {
            for (i++;;) {
                if (i == len)
                    return -1;
                if (s[i] == '"') {
                    if (i + 1 < len && s[i + 1] == '"') {
                        *w++ = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                *w++ = s[i++];
            }
            if (i < len && s[i] != ',')
                return -1;
        } else {
            for (; i < len && s[i] != ','; i++) {
                if (s[i] == '"')
                    return -1;
                *w++ = s[i];
            }
        }
        if (i == len) {
            *w = 0;
            return n;
        }
        *w++ = 0;
        i++;
    }
}

/* A location: a decimal offset, or in schema 2 v<N> (the entry of the
 * handler for vector N < 256). */
static int off_ok(const char *s, int schema)
{
    if (!strcmp(s, "lstar") || !strcmp(s, "cstar")) /* the SYSCALL entries */
        return schema == 2;
    if (s[0] == 'v')
        return schema == 2 && dec_ok(s + 1, 3) && strtoul(s + 1, NULL, 10) < 256;
    return dec_ok(s, 5);
}

/* docs/csv.md's rules for a row's fields. */
static int row_ok(char **f, int n, int schema)
{
    static const char *const rf[] = {"", "0", "1", 0}, *const modes[] = {"k64", "u64", "k32", "u32", 0};
    static const char *const verdicts[] = {"match", "mismatch", "undefined", "none", 0};
    static const char *const agree[] = {"yes", "no", 0};
    static const char *const tfs[] = {"none", "popf", "iretq", "iretq_rf", 0};
    static const int hex_cols[] = {C_ERROR, C_RIP, C_RFLAGS, C_DR6, C_DR7, C_EXP_DR6,
                                   C_EXP_DR6_ANY, C_CS, C_SS, C_RSP};
    static const int dec_cols[] = {C_EVENT, C_VECTOR, C_EXP_VECTOR};
    size_t i;
    int k;

    for (k = 0; k < n; k++)
        if (strlen(f[k]) > MAX_FIELD)
            return 0;
    if (!f[C_CASE][0] || strlen(f[C_CASE]) >= 64 ||
        !all_in(f[C_CASE], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"))
        return 0;
    if (!dec_ok(f[C_REP], 3))
        return 0;
    for (i = 0; i < sizeof(hex_cols) / sizeof(hex_cols[0]); i++)
        if (f[hex_cols[i]][0] && !hex_ok(f[hex_cols[i]]))
            return 0;
    for (i = 0; i < sizeof(dec_cols) / sizeof(dec_cols[0]); i++)
        if (f[dec_cols[i]][0] && !dec_ok(f[dec_cols[i]], 5))
            return 0;
    if ((f[C_RIP_OFF][0] && !off_ok(f[C_RIP_OFF], schema)) ||
        (f[C_EXP_RIP_OFF][0] && !off_ok(f[C_EXP_RIP_OFF], schema)))
        return 0;
    if (!word_in(f[C_VERDICT], verdicts) || !word_in(f[C_AGREE], agree) ||
        !word_in(f[C_TF], tfs))
        return 0;
    if (!all_in(f[C_BYTES], "0123456789abcdef") || strlen(f[C_BYTES]) % 2)
        return 0;
    /* schema 1 files may carry appended columns; only schema 2 defines these */
    return schema < 2 || (word_in(f[C_EXP_RF], rf) && word_in(f[C_MODE], modes) &&
                          all_in(f[C_ACCESS], "abcdefghijklmnopqrstuvwxyz0123456789@:;+"));
}

struct ref_row {
    char *f[NCOLS]; /* "" where the file lacks the column */
    unsigned line;
};

struct ref {
    int ok;
    unsigned errline;     /* !ok: the line the error must name; 0 = none */
    const char *errcheck; /* the name of that check (for DBS_FUZZ_RELAX) */
    int grouping;         /* !ok: a case's rows are split; errline is then any of */
    unsigned *group_lines, ngroup_lines; /* the starts of that case's later runs */
    int complete;
    char *meta_key[MAX_META], *meta_val[MAX_META];
    unsigned nmeta;
    struct ref_row *rows;
    unsigned nrows;
    char *scratch;        /* a copy of the input, split in place */
};

static const struct ref_row *sort_rows;

static int by_name_then_index(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    int c = strcmp(sort_rows[x].f[C_CASE], sort_rows[y].f[C_CASE]);
    return c ? c : (x > y) - (x < y);
}

/* The rows of a case must be contiguous: returns 0, or fills the grouping error. */
static int ref_grouping(struct ref *r)
{
    unsigned *runs = malloc((r->nrows + 1) * sizeof(*runs)), n = 0, i, j;
    int rc = 0;

    for (i = 0; i < r->nrows; i++)
        if (!i || strcmp(r->rows[i].f[C_CASE], r->rows[i - 1].f[C_CASE]))
            runs[n++] = i;
    sort_rows = r->rows;
    qsort(runs, n, sizeof(*runs), by_name_then_index);
    for (i = 1; i < n; i++)
        if (!strcmp(r->rows[runs[i]].f[C_CASE], r->rows[runs[i - 1]].f[C_CASE])) {
            /* the smallest name that is split; its first run is runs[i - 1] */
            r->group_lines = malloc(n * sizeof(*r->group_lines));
            for (j = i; j < n && !strcmp(r->rows[runs[j]].f[C_CASE], r->rows[runs[i]].f[C_CASE]);
                 j++)
                r->group_lines[r->ngroup_lines++] = r->rows[runs[j]].line;
            r->grouping = 1;
            rc = -1;
            break;
        }
    free(runs);
    return rc;
}

static int ref_fail_as(struct ref *r, unsigned line, const char *check)
{
    r->ok = 0;
    r->errline = line;
    r->errcheck = check;
    return -1;
}

static int ref_fail(struct ref *r, unsigned line)
{
    return ref_fail_as(r, line, "errline");
}

static int ref_read(struct ref *r, const uint8_t *data, size_t size)
{
    char *s = r->scratch, *meta_schema = NULL;
    const uint8_t *nul = memchr(data, 0, size);
    size_t pos = 0;
    unsigned lineno = 0, schema_line = 0, cap = 0;
    int crlf = -1, ncols = 0, last_is_status = 0, schema = 0;

    r->ok = 1;
    if (size >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) /* a byte order mark: line 1 */
        return ref_fail(r, 1);
    if (nul) {
        unsigned line = 1;
        const uint8_t *p;
        for (p = data; p < nul; p++)
            line += *p == '\n';
        return ref_fail(r, line);
    }
    while (pos < size) {
        const uint8_t *nl = memchr(data + pos, '\n', size - pos);
        size_t len, end;
        char *line = s + pos, *f[MAX_COLS];
        int cr, n, i;

        lineno++;
        if (!nl)
            return ref_fail(r, lineno); /* cut off mid-line */
        end = (size_t)(nl - data);
        cr = end > pos && data[end - 1] == '\r';
        if (crlf < 0)
            crlf = cr;
        if (crlf != cr)
            return ref_fail(r, lineno); /* mixed line endings */
        if (end - pos > MAX_LINE)
            return ref_fail(r, lineno);
        len = end - pos - (size_t)cr;
        if (memchr(line, '\r', len))
            return ref_fail(r, lineno);
        for (size_t k = 0; k < len; k++) /* control characters are refused */
            if ((unsigned char)line[k] < 0x20 || line[k] == 0x7f)
                return ref_fail(r, lineno);
        line[len] = 0;
        pos = end + 1;
        if (line[0] == '#') {
            last_is_status = !strcmp(line, "# status: complete");
            if (line[1] == ' ' && r->nmeta < MAX_META) { /* before the header and after the rows */
                char *colon = strstr(line, ": ");
                if (colon) {
                    *colon = 0;
                    r->meta_key[r->nmeta] = line + 2;
                    r->meta_val[r->nmeta++] = colon + 2;
                    if (!meta_schema && !strcmp(line + 2, "schema")) {
                        meta_schema = colon + 2;
                        schema_line = lineno;
                    }
                }
            }
            continue;
        }
        last_is_status = 0;
        if (!ncols) {
            if (!meta_schema)
                return ref_fail(r, lineno);
            schema = !strcmp(meta_schema, "dbsweep-csv 2") ? 2
                     : !strcmp(meta_schema, "dbsweep-csv 1") ? 1 : 0;
            if (!schema) /* the line it was read from */
                return ref_fail_as(r, schema_line, "errline-schema");
            n = split_ref(line, len, f, MAX_COLS);
            if (n < (schema == 2 ? NCOLS : BASE_COLS))
                return ref_fail(r, lineno);
            for (i = 0; i < n && i < NCOLS; i++)
                if (strcmp(f[i], columns[i]))
                    return ref_fail(r, lineno);
            ncols = n;
            continue;
        }
        n = split_ref(line, len, f, MAX_COLS);
        if (n != ncols)
            return ref_fail(r, lineno);
        for (i = n; i < NCOLS; i++)
            f[i] = ""; /* a column an older writer did not have */
        if (!row_ok(f, n, schema))
            return ref_fail(r, lineno);
        if (r->nrows == cap) {
            cap = cap ? 2 * cap : 64;
            r->rows = realloc(r->rows, cap * sizeof(*r->rows));
        }
        {
            struct ref_row *row = &r->rows[r->nrows++];
            for (i = 0; i < NCOLS; i++)
                row->f[i] = i < n ? f[i] : "";
            row->line = lineno;
        }
    }
    if (!ncols)
        return ref_fail(r, 0);
    r->complete = last_is_status;
    if (ref_grouping(r))
        return ref_fail(r, 0);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The views, as events.h describes them. */

struct str {
    char *s;
    size_t n, cap;
};

static void put(struct str *b, const char *s)
{
    size_t n = strlen(s);

    if (b->n + n + 1 > b->cap) {
        b->cap = 2 * (b->n + n + 1);
        b->s = realloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n + 1);
    b->n += n;
}

/* DR6 flags: BD BS BT RTM B0 B1 B2 B3 BLD (bits 13 14 15 16 0 1 2 3 11), RTM
 * and BLD active low; "-" when none. */
static void ref_flags(unsigned long long v, struct str *out)
{
    static const struct {
        int bit;
        const char *name;
        int low;
    } order[] = {{13, "BD", 0}, {14, "BS", 0}, {15, "BT", 0}, {16, "RTM", 1}, {0, "B0", 0},
                 {1, "B1", 0},  {2, "B2", 0},  {3, "B3", 0},  {11, "BLD", 1}};
    size_t i, k = 0;

    for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
        if ((int)((v >> order[i].bit) & 1) != order[i].low) {
            put(out, k++ ? "|" : "");
            put(out, order[i].name);
        }
    if (!k)
        put(out, "-");
}

static unsigned long long hexval(const char *s)
{
    return strtoull(s + 2, NULL, 16);
}

static void check_flags(const char *field)
{
    struct str want = {0};
    char *got;

    if (!hex_ok(field))
        return;
    ref_flags(hexval(field), &want);
    got = malloc(48); /* the size events.c itself uses */
    memset(got, 0x55, 48);
    dbs_dr6_flags(hexval(field), got, 48);
    CHECK(memchr(got, 0, 48));
    CHECK(!strcmp(got, want.s));
    free(got);
    free(want.s);
}

static void ref_join(const struct ref *r, unsigned first, unsigned end, int expected,
                     struct str *out)
{
    static const char *const names[32] = {
        [0] = "#DE", [1] = "#DB", [3] = "#BP", [4] = "#OF", [5] = "#BR", [6] = "#UD", [7] = "#NM",
        [10] = "#TS", [11] = "#NP", [12] = "#SS", [13] = "#GP", [14] = "#PF", [16] = "#MF",
        [17] = "#AC", [19] = "#XM"};
    unsigned i, k = 0;
    char buf[32];
    int numeric = !fuzz_relaxed("numeric");

    for (i = first; i < end; i++) {
        char *const *f = r->rows[i].f;
        const char *vec = f[expected ? C_EXP_VECTOR : C_VECTOR];
        const char *off = f[expected ? C_EXP_RIP_OFF : C_RIP_OFF];
        const char *dr6 = f[expected ? C_EXP_DR6 : C_DR6];
        unsigned long v;

        /* repetition 0's events; "00" is 0 too unless that check is relaxed */
        if ((numeric ? strtoul(f[C_REP], NULL, 10) != 0 : strcmp(f[C_REP], "0")) || !vec[0])
            continue;
        v = strtoul(vec, NULL, 10);
        put(out, k++ ? ", " : "");
        if (v < 32 && names[v]) {
            put(out, names[v]);
        } else {
            snprintf(buf, sizeof(buf), "vec%lu", v);
            put(out, buf);
        }
        put(out, "@");
        put(out, off[0] ? off : "out");
        if ((numeric ? v == 1 : !strcmp(vec, "1")) && hex_ok(dr6)) {
            put(out, " ");
            ref_flags(hexval(dr6), out);
        }
        /* RFLAGS.RF (bit 16) set in the frame, or expected (exp_rf 1) */
        if (expected ? !strcmp(f[C_EXP_RF], "1")
                     : hex_ok(f[C_RFLAGS]) && (hexval(f[C_RFLAGS]) >> 16 & 1))
            put(out, " rf1");
    }
    if (!k)
        put(out, expected ? "-" : "(no event)");
}

static const char *ref_verdict(const struct ref *r, unsigned first, unsigned end)
{
    static const char *const worst_first[] = {"mismatch", "undefined", "none", "match"};
    unsigned i, k;

    for (k = 0; k < 3; k++)
        for (i = first; i < end; i++)
            if (!strcmp(r->rows[i].f[C_VERDICT], worst_first[k]))
                return worst_first[k];
    return "match";
}

/* Calls a text view with an exact-size heap buffer (so ASan sees any
 * overrun) and with a short one: the short one must be a prefix. */
static void check_text(void (*view)(const struct dbs_case_rows *, char *, size_t),
                       const struct dbs_case_rows *c, const char *want, size_t shortcap)
{
    size_t n = strlen(want), cap;
    char *got;

    for (cap = n + 1;; cap = shortcap) {
        got = malloc(cap);
        memset(got, 0x55, cap);
        view(c, got, cap);
        CHECK(memchr(got, 0, cap));
        if (strlen(got) != (n < cap - 1 ? n : cap - 1) || strncmp(got, want, strlen(got)))
            fprintf(stderr, "case %s rows %u-%u, cap %zu:\n  got  \"%s\"\n  want \"%s\"\n",
                    c->run->rows[c->first].f[DBS_COL_CASE], c->run->rows[c->first].line,
                    c->run->rows[c->end - 1].line, cap, got, want);
        if (cap == n + 1) {
            CHECK_AS("views", !strcmp(got, want));
        } else {
            size_t k = n < cap - 1 ? n : cap - 1;
            CHECK_AS("views", strlen(got) == k && !strncmp(got, want, k));
        }
        free(got);
        if (cap == shortcap || shortcap > n)
            break;
    }
}

static void check_case(const struct dbs_run *run, const struct ref *r, unsigned first,
                       unsigned end, size_t shortcap)
{
    struct dbs_case_rows c = {run, first, end};
    struct str want = {0};
    const char *verdict = dbs_case_verdict(&c);
    unsigned i;
    int undefined = 0, agrees = 1;

    CHECK(!strcmp(verdict, ref_verdict(r, first, end)));
    for (i = first; i < end; i++) {
        undefined |= !strcmp(r->rows[i].f[C_VERDICT], "undefined");
        agrees &= !strcmp(r->rows[i].f[C_AGREE], "yes");
        check_flags(r->rows[i].f[C_DR6]);
        check_flags(r->rows[i].f[C_EXP_DR6]);
        check_flags(r->rows[i].f[C_EXP_DR6_ANY]);
    }
    CHECK(dbs_case_agrees(&c) == agrees);

    ref_join(r, first, end, 0, &want);
    check_text(dbs_events_text, &c, want.s, shortcap);
    want.n = 0;
    if (undefined)
        put(&want, "undefined");
    else {
        ref_join(r, first, end, 1, &want);
        if (!strcmp(want.s, "-") && !strcmp(verdict, "match")) {
            want.n = 0;
            put(&want, "(no event)");
        }
    }
    check_text(dbs_expected_text, &c, want.s, shortcap);
    free(want.s);
}

/* ------------------------------------------------------------------------ */

static int in_buf(const char *p, const char *buf, size_t size)
{
    return p >= buf && p <= buf + size;
}

/* The first value given for key. */
static const char *meta_ref(const struct ref *r, const char *key)
{
    unsigned i;

    for (i = 0; i < r->nmeta; i++)
        if (!strcmp(r->meta_key[i], key))
            return r->meta_val[i];
    return NULL;
}

static void check_accepted(const struct dbs_run *run, const struct ref *r, const char *text,
                           size_t size, size_t shortcap)
{
    static const char *const verdicts[] = {"match", "mismatch", "undefined", "none", 0};
    unsigned i, ncases = 0;
    char label[97]; /* the report commands use 96 and 256 */

    CHECK(run->text == text && !strcmp(run->path, PATH));
    CHECK(run->complete == r->complete);
    CHECK(run->nrows == r->nrows);
    CHECK(run->nmeta <= MAX_META);
    CHECK(dbs_run_meta(run, "schema") && (!strcmp(dbs_run_meta(run, "schema"), "dbsweep-csv 1") ||
                                          !strcmp(dbs_run_meta(run, "schema"), "dbsweep-csv 2")));
    CHECK(run->nmeta == r->nmeta);
    for (i = 0; i < run->nmeta && i < r->nmeta; i++) {
        const char *v;
        CHECK(in_buf(run->meta_key[i], text, size) && in_buf(run->meta_val[i], text, size));
        CHECK(!strcmp(run->meta_key[i], r->meta_key[i]));
        CHECK(!strcmp(run->meta_val[i], r->meta_val[i]));
        v = dbs_run_meta(run, r->meta_key[i]);
        CHECK(v && !strcmp(v, meta_ref(r, r->meta_key[i])));
    }
    label[sizeof(label) - 1] = 0x55;
    dbs_machine_label(run, label, sizeof(label) - 1);
    CHECK(memchr(label, 0, sizeof(label) - 1));
    {
        const char *v = meta_ref(r, "cpu_vendor"), *hv = meta_ref(r, "hypervisor");
        const char *fam = meta_ref(r, "cpu_family"), *mod = meta_ref(r, "cpu_model");
        const char *step = meta_ref(r, "cpu_stepping");
        const char *cores = meta_ref(r, "cores"), *apic = meta_ref(r, "apic_id");
        const char *type = meta_ref(r, "core_type");
        char want[sizeof(label) - 1], core[64] = "";

        v = !v                             ? "?"
            : !strcmp(v, "GenuineIntel")   ? "intel"
            : !strcmp(v, "AuthenticAMD")   ? "amd"
                                           : v;
        hv = !hv || !strcmp(hv, "none")    ? "metal"
             : !strcmp(hv, "KVMKVMKVM")    ? "kvm"
             : !strcmp(hv, "TCGTCGTCGTCG") ? "tcg"
                                           : hv;
        /* a per-core file names its core (64 bytes, as events.c) */
        if (cores && type && type[0] && strcmp(type, "not hybrid"))
            snprintf(core, sizeof(core), "cpu %s (%s)", apic && apic[0] ? apic : "?", type);
        else if (cores)
            snprintf(core, sizeof(core), "cpu %s", apic && apic[0] ? apic : "?");
        snprintf(want, sizeof(want), "%s-%s-%s-%s %s%s%s", v, fam ? fam : "?", mod ? mod : "?",
                 step ? step : "?", hv, core[0] ? " " : "", core);
        CHECK(!strcmp(label, want));
    }

    for (i = 0; i < run->nrows && i < r->nrows; i++) {
        const struct dbs_row *row = &run->rows[i];
        int k;

        CHECK(row->line == r->rows[i].line);
        CHECK(!i || row->line > run->rows[i - 1].line);
        for (k = 0; k < NCOLS; k++) {
            CHECK(row->f[k] != NULL);
            CHECK(!strcmp(row->f[k], r->rows[i].f[k]));
        }
        /* what the report commands rely on without checking again */
        CHECK(word_in(row->f[DBS_COL_VERDICT], verdicts));
        CHECK(!strcmp(row->f[DBS_COL_AGREE], "yes") || !strcmp(row->f[DBS_COL_AGREE], "no"));
        CHECK(row->f[DBS_COL_CASE][0] && strlen(row->f[DBS_COL_CASE]) < DBS_CASE_MAX_NAME);
    }

    /* cases: contiguous, each name once */
    for (i = 0; i < run->nrows;) {
        unsigned end = dbs_run_case_end(run, i), k;
        struct dbs_case_rows found;

        CHECK(end > i && end <= run->nrows);
        for (k = i; k < end; k++)
            CHECK(!strcmp(run->rows[k].f[DBS_COL_CASE], run->rows[i].f[DBS_COL_CASE]));
        CHECK(end == run->nrows ||
              strcmp(run->rows[end].f[DBS_COL_CASE], run->rows[i].f[DBS_COL_CASE]));
        if (ncases < 8 || end == run->nrows) { /* dbs_find_case is linear */
            CHECK(!dbs_find_case(run, run->rows[i].f[DBS_COL_CASE], &found));
            CHECK(found.run == run && found.first == i && found.end == end);
        }
        check_case(run, r, i, end, shortcap);
        ncases++;
        i = end;
    }
    {
        struct dbs_case_rows found;
        CHECK(dbs_find_case(run, "no such case!", &found) == -1);
    }
}

static void check_rejected(const char *err, const struct ref *r, size_t nlines)
{
    unsigned line = fuzz_check_error(err, PATH, nlines);

    if (r->ok)
        return; /* the accept check has already spoken */
    if (r->grouping) {
        unsigned i;
        int named = 0;
        for (i = 0; i < r->ngroup_lines; i++)
            named |= line == r->group_lines[i];
        CHECK_AS("errline", named);
    } else {
        CHECK_AS(r->errcheck, line == r->errline);
    }
}

void fuzz_check_csv(const uint8_t *data, size_t size)
{
    struct dbs_run run;
    struct ref ref;
    char err[ERRCAP], *text;
    size_t i, nlines = 1;
    int rc;

    for (i = 0; i < size; i++)
        nlines += data[i] == '\n';

    memset(&ref, 0, sizeof(ref));
    ref.scratch = malloc(size + 1);
    memcpy(ref.scratch, data, size);
    ref.scratch[size] = 0;
    ref_read(&ref, data, size);

    /* dbs_run_parse takes text over, also when it fails: dbs_run_free frees it */
    text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    memset(err, 0x55, sizeof(err));
    rc = dbs_run_parse(&run, PATH, text, size, err, sizeof(err));
    CHECK(rc == 0 || rc == -1);
    CHECK_AS("accept", (rc == 0) == ref.ok);
    if (rc == 0 && ref.ok)
        check_accepted(&run, &ref, text, size, 1 + (size ? data[size / 2] % 64 : 0));
    else if (rc)
        check_rejected(err, &ref, nlines);
    dbs_run_free(&run);
    CHECK(run.text == NULL && run.rows == NULL && run.nrows == 0);

    free(ref.rows);
    free(ref.group_lines);
    free(ref.scratch);
}

/* gzip input is inflated and its text taken as the input; every input is
 * also read as an expected-failure list. */
static void check_inflated(const uint8_t *data, size_t size)
{
    fuzz_check_csv(data, size);
    fuzz_check_known(data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_check_gzip(data, size, check_inflated);
    fuzz_check_serial(data, size); /* every input is a console log too */
    return 0;
}
