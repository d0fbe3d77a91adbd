/* Loads and validates a schema-1 or schema-2 CSV. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbs_judge.h"
#include "errmsg.h"
#include "events.h"
#include "readfile.h"
#include "runfile.h"
#include "grow.h"

#define MAX_FIELD 512 /* longest legitimate field: bytes (256 hex digits) */

static int fail(char *err, size_t cap, const char *path, unsigned line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    dbs_vfail(err, cap, path, line, fmt, ap);
    va_end(ap);
    return -1;
}

/* A lowercase hex digit's value + 1; 0 for any other byte (no table
 * lookup misses: this runs for ten fields of every row). */
static const unsigned char hex_digit[256] = {
    ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
    ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16};

/* "0x" and 1 to 16 lowercase hex digits: the check alone, as the loader
 * makes it for ten fields of every row and most are never read as numbers. */
static int is_hex(const char *s)
{
    const char *d = s + 2;

    if (s[0] != '0' || s[1] != 'x')
        return 0;
    while (hex_digit[(unsigned char)*d])
        d++;
    return !*d && d > s + 2 && d <= s + 18;
}

int dbs_parse_hex(const char *s, unsigned long long *v)
{
    if (!is_hex(s))
        return -1;
    for (*v = 0, s += 2; *s; s++)
        *v = *v << 4 | (hex_digit[(unsigned char)*s] - 1u);
    return 0;
}

/* A decimal as the writer prints it: no sign, no leading zero. Its length
 * (1 to maxlen), 0 when it is none; its value in *v. */
static unsigned dec_len(const char *s, unsigned maxlen, long *v)
{
    unsigned n = 0;

    if (s[0] == '0' && s[1])
        return 0;
    for (*v = 0; *s; s++, n++) {
        if (*s < '0' || *s > '9' || n == maxlen)
            return 0;
        *v = *v * 10 + (*s - '0');
    }
    return n;
}

static int is_dec(const char *s, unsigned maxlen)
{
    long v;

    return dec_len(s, maxlen, &v) > 0;
}

long dbs_parse_off(const char *s)
{
    long v;

    if ((s[0] == 'l' && !strcmp(s, "lstar")) || (s[0] == 'c' && !strcmp(s, "cstar")))
        return (long)(DBS_OFF_ENTRY | (s[0] == 'l' ? DBS_ENTRY_LSTAR : DBS_ENTRY_CSTAR));
    if (s[0] == 'v')
        return dec_len(s + 1, 3, &v) && v < 256 ? (long)(DBS_OFF_ENTRY | (unsigned long)v) : -1;
    return dec_len(s, 5, &v) ? v : -1;
}

static int one_of(const char *s, const char *const *set, unsigned n)
{
    unsigned i;
    const char *a, *b;

    /* compared here, not by strcmp: the names are a few bytes, and the
     * call cost more than the comparison for the four fields of every row */
    for (i = 0; i < n; i++) {
        for (a = s, b = set[i]; *a && *a == *b; a++, b++)
            ;
        if (*a == *b)
            return 1;
    }
    return 0;
}

/* The access column: <r|w|rw|rwb|io>@<where>:<len>, ';'-joined, where is
 * d<off>, 0x<port>, apic+0x<off>, kstack<off>, idt+0x<off> or ssdesc<off>. */
static int is_access(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '@' || *s == ':' ||
              *s == ';' || *s == '+'))
            return 0;
    return 1;
}

/* Checks the fields of a row against the schema; returns a complaint or
 * NULL. repeat: the row repeats one checked before but for rep, so only
 * rep is checked. */
static const char *bad_field(char **f, int schema, unsigned *col, int repeat)
{
    static const char *const agree[] = {"yes", "no"}, *const rf[] = {"", "0", "1"};
    static const unsigned hex_cols[] = {DBS_COL_ERROR, DBS_COL_RIP, DBS_COL_RFLAGS, DBS_COL_DR6,
                                        DBS_COL_DR7, DBS_COL_EXP_DR6, DBS_COL_EXP_DR6_ANY,
                                        DBS_COL_CS, DBS_COL_SS, DBS_COL_RSP};
    static const unsigned dec_cols[] = {DBS_COL_EVENT, DBS_COL_VECTOR, DBS_COL_EXP_VECTOR};
    static const unsigned off_cols[] = {DBS_COL_RIP_OFF, DBS_COL_EXP_RIP_OFF};
    static const unsigned char name_char[256] = {
        ['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['0' ... '9'] = 1, ['.'] = 1, ['_'] = 1, ['-'] = 1};
    unsigned i;
    const char *p;

    for (*col = 0, p = f[DBS_COL_CASE]; !repeat && *p; p++)
        if (!name_char[(unsigned char)*p])
            return "case name has a character outside [A-Za-z0-9._-]";
    if (!repeat && (p == f[DBS_COL_CASE] || p - f[DBS_COL_CASE] >= DBS_CASE_MAX_NAME))
        return "case name empty or too long";
    *col = DBS_COL_REP;
    if (!is_dec(f[DBS_COL_REP], 3))
        return "rep is not a small decimal number";
    if (repeat)
        return NULL;
    for (i = 0; i < sizeof(hex_cols) / sizeof(hex_cols[0]); i++) {
        *col = hex_cols[i];
        if (f[hex_cols[i]][0] && !is_hex(f[hex_cols[i]]))
            return "not a 0x-prefixed hex number of at most 16 digits";
    }
    for (i = 0; i < sizeof(dec_cols) / sizeof(dec_cols[0]); i++) {
        *col = dec_cols[i];
        if (f[dec_cols[i]][0] && !is_dec(f[dec_cols[i]], 5))
            return "not a decimal number below 100000";
    }
    for (i = 0; i < sizeof(off_cols) / sizeof(off_cols[0]); i++) {
        *col = off_cols[i];
        if (f[off_cols[i]][0] && (dbs_parse_off(f[off_cols[i]]) < 0 ||
                                  (schema < 2 && !is_dec(f[off_cols[i]], 5))))
            return "not a decimal offset below 100000 (or, schema 2, v<vector>, lstar, cstar)";
    }
    *col = DBS_COL_VERDICT;
    if (dbs_verdict_parse(f[DBS_COL_VERDICT]) < 0)
        return "verdict is not match, mismatch, undefined or none";
    *col = DBS_COL_AGREE;
    if (!one_of(f[DBS_COL_AGREE], agree, 2))
        return "agree is not yes or no";
    *col = DBS_COL_TF;
    if (!one_of(f[DBS_COL_TF], dbs_tf_names, DBS_TF_COUNT)) /* the writer's own names */
        return "tf is not none, popf, iretq or iretq_rf";
    *col = DBS_COL_BYTES;
    for (p = f[DBS_COL_BYTES]; *p; p++)
        if (!hex_digit[(unsigned char)*p])
            return "bytes is not lowercase hex";
    if ((p - f[DBS_COL_BYTES]) % 2)
        return "bytes has an odd number of hex digits";
    if (schema < 2)
        return NULL;
    *col = DBS_COL_EXP_RF;
    if (!one_of(f[DBS_COL_EXP_RF], rf, 3))
        return "exp_rf is not 0, 1 or empty";
    *col = DBS_COL_MODE;
    if (!one_of(f[DBS_COL_MODE], dbs_mode_names, DBS_MODE_COUNT))
        return "mode is not k64, u64, k32 or u32";
    *col = DBS_COL_ACCESS;
    if (!is_access(f[DBS_COL_ACCESS]))
        return "access has a character outside [a-z0-9@:;+]";
    return NULL;
}

/* The header: the schema's columns in order, then appended ones. */
static int parse_header(char *line, int schema, unsigned *ncols, const char *path,
                        unsigned lineno, char *err, size_t cap)
{
    char *f[64];
    int n = dbs_csv_split(line, f, 64), i,
        min = schema < 2 ? DBS_CSV_SCHEMA1_MIN_COLS : DBS_CSV_NCOLS;

    if (n < min)
        return fail(err, cap, path, lineno, "header has %d columns, schema %d has at least %d", n,
                    schema, min);
    for (i = 0; i < n && i < DBS_CSV_NCOLS; i++)
        if (strcmp(f[i], dbs_csv_columns[i]))
            return fail(err, cap, path, lineno, "header column %d is '%.40s', expected '%s'",
                        i + 1, f[i], dbs_csv_columns[i]);
    *ncols = (unsigned)n;
    return 0;
}

static unsigned line_of(const char *text, const char *at)
{
    unsigned n = 1;

    for (; text < at; text++)
        n += *text == '\n';
    return n;
}

/* Where a case's rows start: its name and line, for the grouping check. */
struct case_start {
    const char *name;
    unsigned line;
};

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct case_start *)a)->name, ((const struct case_start *)b)->name);
}

/* 1 when a name starts twice (or memory ran out to tell): a hash set,
 * linear in the cases where sorting them was not. */
static int any_twice(const struct case_start *starts, unsigned n)
{
    unsigned nslot = 1024, i, *slot;
    int twice = 0;

    while (nslot < 2 * n)
        nslot *= 2;
    slot = calloc(nslot, sizeof(*slot));
    if (!slot)
        return 1;
    for (i = 0; i < n && !twice; i++) {
        unsigned h = 2166136261u, k; /* FNV-1a */
        const char *c;
        for (c = starts[i].name; *c; c++)
            h = (h ^ (unsigned char)*c) * 16777619u;
        for (k = h & (nslot - 1); slot[k] && !twice; k = (k + 1) & (nslot - 1))
            twice = !strcmp(starts[slot[k] - 1].name, starts[i].name);
        slot[k] = i + 1;
    }
    free(slot);
    return twice;
}

/* Every case's rows must be contiguous (the writer emits them so): no name
 * starts twice. When one does, the report names the first such name in
 * sorted order (sorting starts). */
static int check_grouping(struct dbs_run *r, struct case_start *starts, unsigned n, char *err,
                          size_t cap)
{
    unsigned i;

    if (!any_twice(starts, n))
        return 0;
    qsort(starts, n, sizeof(*starts), by_name);
    for (i = 1; i < n; i++)
        if (!strcmp(starts[i - 1].name, starts[i].name))
            return fail(err, cap, r->path,
                        starts[i].line > starts[i - 1].line ? starts[i].line : starts[i - 1].line,
                        "rows of case %s are not together", starts[i].name);
    return 0;
}

/* A row's fields after rep as the line has them, commas cut: NULL for a
 * line with a quote (split with its quotes taken out). */
struct tail {
    const char *s;
    size_t len;
};

/* The parser's state while it goes through a file's lines. */
struct parse {
    struct dbs_run *r;
    unsigned lineno, ncols, rows_cap, schema_line;
    int crlf;
    int last_complete;          /* the last line so far is '# status: complete' */
    struct case_start *starts;  /* one per case */
    unsigned nstarts, starts_cap;
    struct tail *tails;         /* the current case's rows */
    unsigned ntails, tails_cap;
    unsigned rep_first, last_rep_first; /* where its repetition and the one before start in
                                           tails; last_rep_first is NO_REP for none */
    dbs_case_fn *fn;            /* NULL: keep every row */
    void *ctx;
};

/* Hands the rows held (one case) to the callback and drops them. */
static int flush_case(struct parse *p, char *err, size_t cap)
{
    struct dbs_case_rows c = {p->r, 0, p->r->nrows};

    if (p->r->nrows && p->fn(p->ctx, &c))
        return fail(err, cap, p->r->path, p->lineno, "out of memory");
    p->r->nrows = 0;
    return 0;
}

/* A line, its end cut off, as the scan in parse_lines saw it: where its
 * commas are (the first 64), whether it has a quote. */
struct line {
    char *text;
    size_t len;
    char *commas[64];
    unsigned ncommas;
    int quote;
};

/* Splits a row into at most 64 fields: at the commas the scan found when
 * the line has no quote (the common case), else as dbs_csv_split does. */
static int split_row(struct line *l, char **f)
{
    unsigned i;

    if (l->quote)
        return dbs_csv_split(l->text, f, 64);
    if (l->ncommas >= 64)
        return -1; /* more than 64 fields, as dbs_csv_split says */
    f[0] = l->text;
    for (i = 0; i < l->ncommas; i++) {
        *l->commas[i] = 0;
        f[i + 1] = l->commas[i] + 1;
    }
    return (int)l->ncommas + 1;
}

#define NO_REP UINT_MAX

/* 1 when the row (its tail t) repeats the same row of the repetition
 * before but for rep: the writer's repetitions most often see the same
 * events, and that row's fields were checked already. Records t. */
static int repeats(struct parse *p, int new_case, int new_rep, struct tail t)
{
    unsigned k;

    if (new_case) {
        p->ntails = p->rep_first = 0;
        p->last_rep_first = NO_REP;
    } else if (new_rep) {
        p->last_rep_first = p->rep_first;
        p->rep_first = p->ntails;
    }
    k = p->last_rep_first + (p->ntails - p->rep_first); /* the same row, a repetition before */
    if (dbs_grow(&p->tails, p->ntails, &p->tails_cap, sizeof(*p->tails), 64))
        return 0; /* checked in full, then */
    p->tails[p->ntails++] = t;
    return t.s && p->last_rep_first != NO_REP && k < p->rep_first && p->tails[k].s &&
           p->tails[k].len == t.len && !memcmp(p->tails[k].s, t.s, t.len);
}

/* A data row: split, checked, appended to r->rows (with a callback, the
 * rows before it go to the callback when it starts another case). */
static int parse_row(struct parse *p, struct line *l, char *err, size_t cap)
{
    static char empty[] = "";
    struct dbs_run *r = p->r;
    char *f[64];
    int n = split_row(l, f), i, new_case, repeat;
    unsigned col;
    const char *why;
    struct dbs_row *row;
    struct tail t = {NULL, 0};

    if (n < 0)
        return fail(err, cap, r->path, p->lineno, "malformed quoting or more than 64 fields");
    if ((unsigned)n != p->ncols)
        return fail(err, cap, r->path, p->lineno, "%d fields, the header has %u", n, p->ncols);
    for (i = 0; l->len > MAX_FIELD && i < n; i++) /* no field is longer than its line */
        if (strlen(f[i]) > MAX_FIELD)
            return fail(err, cap, r->path, p->lineno, "field %d (%s) is longer than %d bytes",
                        i + 1, i < DBS_CSV_NCOLS ? dbs_csv_columns[i] : "appended", MAX_FIELD);
    if (!l->quote) {
        t.s = f[DBS_COL_REP + 1];
        t.len = (size_t)(l->text + l->len - t.s);
    }
    new_case = !r->nrows || strcmp(r->rows[r->nrows - 1].f[DBS_COL_CASE], f[DBS_COL_CASE]);
    repeat = repeats(p, new_case,
                     !new_case && strcmp(r->rows[r->nrows - 1].f[DBS_COL_REP], f[DBS_COL_REP]), t);
    if (new_case) {
        if (p->fn && flush_case(p, err, cap))
            return -1;
        if (dbs_grow(&p->starts, p->nstarts, &p->starts_cap, sizeof(*p->starts), 1024))
            return fail(err, cap, r->path, p->lineno, "out of memory");
        p->starts[p->nstarts++] = (struct case_start){f[DBS_COL_CASE], p->lineno};
    }
    if (dbs_grow(&r->rows, r->nrows, &p->rows_cap, sizeof(*r->rows), 1024))
        return fail(err, cap, r->path, p->lineno, "out of memory");
    row = &r->rows[r->nrows];
    memcpy(row->f, f, (size_t)(n < DBS_CSV_NCOLS ? n : DBS_CSV_NCOLS) * sizeof(*f));
    for (i = n; i < DBS_CSV_NCOLS; i++)
        row->f[i] = empty;
    row->line = p->lineno;
    why = bad_field(row->f, r->schema, &col, repeat);
    if (why)
        return fail(err, cap, r->path, p->lineno, "column %s ('%.40s'): %s",
                    dbs_csv_columns[col], row->f[col], why);
    r->nrows++;
    return 0;
}

/* One line, its end cut off: metadata, the header or a row. */
static int parse_line(struct parse *p, struct line *l, char *err, size_t cap)
{
    struct dbs_run *r = p->r;
    char *line = l->text;

    if (line[0] == '#') {
        char *colon = strstr(line, ": ");
        p->last_complete = !strcmp(line, "# status: complete");
        /* metadata before the header, and the lines the app writes after
         * the rows (fw_state_after, uefi_time_end, status) */
        if (colon && line[1] == ' ' && r->nmeta < 64) {
            *colon = 0;
            r->meta_key[r->nmeta] = line + 2;
            r->meta_val[r->nmeta++] = colon + 2;
            if (!p->schema_line && !strcmp(line + 2, "schema"))
                p->schema_line = p->lineno; /* the first one is the one that counts */
        }
        return 0;
    }
    p->last_complete = 0;
    if (!p->ncols) {
        const char *schema = dbs_run_meta(r, "schema");
        if (!schema)
            return fail(err, cap, r->path, p->lineno, "no '# schema:' line before the header");
        r->schema = !strcmp(schema, DBS_CSV_SCHEMA) ? 2 : !strcmp(schema, DBS_CSV_SCHEMA_1);
        if (!r->schema)
            return fail(err, cap, r->path, p->schema_line,
                        "schema is '%.40s'; this tool reads '%s' and '%s'", schema,
                        DBS_CSV_SCHEMA, DBS_CSV_SCHEMA_1);
        return parse_header(line, r->schema, &p->ncols, r->path, p->lineno, err, cap);
    }
    return parse_row(p, l, err, cap);
}

/* The error of a line the scan stopped in (a control character, a CR
 * inside, no line end), checked in the order a reader expects them. Reads
 * the text without writing to it. */
static int line_error(struct parse *p, const char *t, const char *end, char *err, size_t cap)
{
    const char *nl = memchr(t, '\n', (size_t)(end - t)), *c;
    const char *path = p->r->path;
    int cr;

    if (!nl)
        return fail(err, cap, path, p->lineno,
                    "the last line has no line end: the file was cut off mid-line");
    cr = nl > t && nl[-1] == '\r';
    if (p->crlf >= 0 && p->crlf != cr)
        return fail(err, cap, path, p->lineno, "mixed line endings (CRLF and LF)");
    if (memchr(t, '\r', (size_t)(nl - cr - t)))
        return fail(err, cap, path, p->lineno, "carriage return inside a line");
    for (c = t; (unsigned char)*c >= 0x20 && *c != 0x7f; c++)
        ;
    return fail(err, cap, path, p->lineno, "control character 0x%02x in a line",
                (unsigned char)*c);
}

/* What the line scan stops at: a control character (a line end, a NUL
 * among them), DEL, a comma, a quote; 0 for the rest. */
enum { PLAIN, STOP, COMMA, QUOTE };
static const unsigned char byte_class[256] = {
    [0x00 ... 0x1f] = STOP, [0x7f] = STOP, [','] = COMMA, ['"'] = QUOTE};

/* The first byte from c on that is not PLAIN. Four bytes a round: the scan
 * is a third of a command's instructions, and most of it is this loop. A
 * byte is read only when the ones before it are PLAIN, so never past the
 * text's NUL. */
static char *next_stop(char *c)
{
    for (;; c += 4) {
        if (byte_class[(unsigned char)c[0]])
            return c;
        if (byte_class[(unsigned char)c[1]])
            return c + 1;
        if (byte_class[(unsigned char)c[2]])
            return c + 2;
        if (byte_class[(unsigned char)c[3]])
            return c + 3;
    }
}

/* The file's lines in order; text is NUL-terminated at len. One scan per
 * line finds its end, any control character (a NUL too) and the commas. */
static int scan_lines(struct parse *p, char *text, char *end, char **at, unsigned *at_line,
                      char *err, size_t cap)
{
    char *t = text;
    const char *path = p->r->path;

    while (t < end) {
        struct line l; /* not zeroed whole: commas[] is filled as far as used */
        char *c = t;
        int cr, k;

        l.text = t;
        l.ncommas = 0;
        l.quote = 0;
        p->lineno++;
        for (;; c++) {
            c = next_stop(c);
            k = byte_class[(unsigned char)*c];
            if (k == STOP)
                break;
            if (k == QUOTE) {
                l.quote = 1;
            } else {
                if (l.ncommas < 64)
                    l.commas[l.ncommas] = c;
                l.ncommas++;
            }
        }
        *at = t; /* the text from here on is as read */
        *at_line = p->lineno;
        cr = *c == '\r' && c[1] == '\n';
        if (*c != '\n' && !cr)
            return line_error(p, t, end, err, cap);
        if (p->crlf < 0)
            p->crlf = cr;
        else if (p->crlf != cr)
            return fail(err, cap, path, p->lineno, "mixed line endings (CRLF and LF)");
        *c = 0;
        l.len = (size_t)(c - t);
        t = c + 1 + cr;
        *at = t;
        *at_line = p->lineno + 1;
        if (l.len + cr > 65536)
            return fail(err, cap, path, p->lineno, "line longer than 64 KiB");
        if (parse_line(p, &l, err, cap))
            return -1;
    }
    if (!p->ncols)
        return fail(err, cap, path, 0, "no header line: not a dbsweep CSV");
    if (p->fn && flush_case(p, err, cap))
        return -1;
    p->r->complete = p->last_complete;
    return check_grouping(p->r, p->starts, p->nstarts, err, cap);
}

/* A NUL anywhere is the error that counts: the file is binary. The scan
 * saw none before where it stopped, so only the rest is searched. */
static int parse_lines(struct parse *p, char *text, size_t len, char *err, size_t cap)
{
    char *at = text, *nul;
    unsigned at_line = 1;

    if (len > DBS_RUN_MAX_BYTES)
        return fail(err, cap, p->r->path, 0, "larger than %u MiB", DBS_RUN_MAX_BYTES >> 20);
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) /* an editor's, or a spreadsheet's */
        return fail(err, cap, p->r->path, 1,
                    "starts with a UTF-8 byte order mark (EF BB BF), which dbsweep never "
                    "writes: remove it, e.g. sed -i '1s/^\\xEF\\xBB\\xBF//' FILE");
    if (!scan_lines(p, text, text + len, &at, &at_line, err, cap))
        return 0;
    nul = memchr(at, 0, (size_t)(text + len - at));
    if (nul)
        return fail(err, cap, p->r->path, at_line + line_of(at, nul) - 1,
                    "contains a NUL byte");
    return -1;
}

#define PRESIZE_MAX (1u << 18) /* rows: 4 times a full sweep's */

/* The rows a text can hold: its lines, up to PRESIZE_MAX (beyond, the
 * array grows). Sized once, the rows array of a full sweep is neither
 * copied as it grows nor larger than the file needs: a file loaded ahead
 * is held while another is read (runs.c). */
static unsigned lines(const char *text, size_t len)
{
    const char *t = text, *end = text + len, *nl;
    unsigned n = 1;

    for (; n < PRESIZE_MAX && (nl = memchr(t, '\n', (size_t)(end - t))); t = nl + 1)
        n++;
    return n;
}

static int parse(struct dbs_run *r, const char *path, char *text, size_t len, dbs_case_fn *fn,
                 void *ctx, char *err, size_t cap)
{
    struct parse p = {.r = r, .crlf = -1, .fn = fn, .ctx = ctx};
    int rc;

    memset(r, 0, sizeof(*r));
    r->path = path;
    r->text = text;
    p.rows_cap = fn ? 0 : lines(text, len); /* streamed: rows of one case at a time */
    if (p.rows_cap && !(r->rows = malloc(p.rows_cap * sizeof(*r->rows))))
        p.rows_cap = 0; /* grown as needed, then */
    rc = parse_lines(&p, text, len, err, cap);
    free(p.starts);
    free(p.tails);
    return rc;
}

int dbs_run_parse(struct dbs_run *r, const char *path, char *text, size_t len, char *err,
                  size_t cap)
{
    return parse(r, path, text, len, NULL, NULL, err, cap);
}

int dbs_run_keep_meta(struct dbs_run *r)
{
    size_t len = 0, at = 0;
    unsigned i;
    char *meta;

    for (i = 0; i < r->nmeta; i++)
        len += strlen(r->meta_key[i]) + strlen(r->meta_val[i]) + 2;
    meta = malloc(len + 1);
    if (!meta)
        return -1;
    for (i = 0; i < r->nmeta; i++) {
        size_t k = strlen(r->meta_key[i]) + 1, v = strlen(r->meta_val[i]) + 1;
        memcpy(meta + at, r->meta_key[i], k);
        memcpy(meta + at + k, r->meta_val[i], v);
        r->meta_key[i] = meta + at;
        r->meta_val[i] = meta + at + k;
        at += k + v;
    }
    free(r->text);
    free(r->rows);
    r->text = meta;
    r->rows = NULL;
    r->nrows = 0;
    return 0;
}

int dbs_run_stream(struct dbs_run *r, const char *path, dbs_case_fn *fn, void *ctx, char *err,
                   size_t cap)
{
    char *text;
    size_t len;

    memset(r, 0, sizeof(*r));
    if (dbs_read_file(path, DBS_RUN_MAX_BYTES, &text, &len, err, cap))
        return -1;
    if (parse(r, path, text, len, fn, ctx, err, cap))
        return -1;
    if (dbs_run_keep_meta(r))
        return fail(err, cap, path, 0, "out of memory");
    return 0;
}

int dbs_run_load(struct dbs_run *r, const char *path, char *err, size_t cap)
{
    char *text;
    size_t len;

    memset(r, 0, sizeof(*r));
    if (dbs_read_file(path, DBS_RUN_MAX_BYTES, &text, &len, err, cap))
        return -1;
    return dbs_run_parse(r, path, text, len, err, cap);
}

const char *dbs_run_meta(const struct dbs_run *r, const char *key)
{
    unsigned i;

    for (i = 0; i < r->nmeta; i++)
        if (!strcmp(r->meta_key[i], key))
            return r->meta_val[i];
    return NULL;
}

unsigned dbs_run_case_end(const struct dbs_run *r, unsigned i)
{
    const char *name = r->rows[i].f[DBS_COL_CASE];

    while (i < r->nrows && !strcmp(r->rows[i].f[DBS_COL_CASE], name))
        i++;
    return i;
}

void dbs_run_free(struct dbs_run *r)
{
    free(r->rows);
    free(r->text);
    memset(r, 0, sizeof(*r));
}
