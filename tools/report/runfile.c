/* Loads and validates a schema-1 or schema-2 CSV. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbs_judge.h"
#include "errmsg.h"
#include "readfile.h"
#include "runfile.h"

#define MAX_FIELD 512 /* longest legitimate field: bytes (256 hex digits) */

static int fail(char *err, size_t cap, const char *path, unsigned line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    dbs_vfail(err, cap, path, line, fmt, ap);
    va_end(ap);
    return -1;
}

int dbs_parse_hex(const char *s, unsigned long long *v)
{
    unsigned n = 0;

    if (s[0] != '0' || s[1] != 'x' || !s[2])
        return -1;
    *v = 0;
    for (s += 2; *s; s++, n++) {
        int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;
        if (d < 0 || n == 16)
            return -1;
        *v = *v << 4 | (unsigned)d;
    }
    return 0;
}

/* A decimal as the writer prints it: no sign, no leading zero. */
static int is_dec(const char *s, unsigned maxlen)
{
    unsigned n = 0;

    if (s[0] == '0' && s[1])
        return 0;
    for (; *s; s++, n++)
        if (*s < '0' || *s > '9' || n == maxlen)
            return 0;
    return n > 0;
}

long dbs_parse_off(const char *s)
{
    long v;

    if (!strcmp(s, "lstar") || !strcmp(s, "cstar"))
        return (long)(DBS_OFF_ENTRY | (s[0] == 'l' ? DBS_ENTRY_LSTAR : DBS_ENTRY_CSTAR));
    if (s[0] == 'v' && is_dec(s + 1, 3)) {
        v = atol(s + 1);
        return v < 256 ? (long)(DBS_OFF_ENTRY | (unsigned long)v) : -1;
    }
    return is_dec(s, 5) ? atol(s) : -1;
}

static int one_of(const char *s, const char *const *set, unsigned n)
{
    unsigned i;

    for (i = 0; i < n; i++)
        if (!strcmp(s, set[i]))
            return 1;
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

/* Checks the fields of a row against the schema; returns a complaint or NULL. */
static const char *bad_field(char **f, int schema, unsigned *col)
{
    static const char *const agree[] = {"yes", "no"}, *const rf[] = {"", "0", "1"};
    static const unsigned hex_cols[] = {DBS_COL_ERROR, DBS_COL_RIP, DBS_COL_RFLAGS, DBS_COL_DR6,
                                        DBS_COL_DR7, DBS_COL_EXP_DR6, DBS_COL_EXP_DR6_ANY,
                                        DBS_COL_CS, DBS_COL_SS, DBS_COL_RSP};
    static const unsigned dec_cols[] = {DBS_COL_EVENT, DBS_COL_VECTOR, DBS_COL_EXP_VECTOR};
    static const unsigned off_cols[] = {DBS_COL_RIP_OFF, DBS_COL_EXP_RIP_OFF};
    unsigned i;
    unsigned long long v;
    const char *p;

    for (*col = 0, p = f[DBS_COL_CASE]; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return "case name has a character outside [A-Za-z0-9._-]";
    if (!f[DBS_COL_CASE][0] || strlen(f[DBS_COL_CASE]) >= DBS_CASE_MAX_NAME)
        return "case name empty or too long";
    *col = DBS_COL_REP;
    if (!is_dec(f[DBS_COL_REP], 3))
        return "rep is not a small decimal number";
    for (i = 0; i < sizeof(hex_cols) / sizeof(hex_cols[0]); i++) {
        *col = hex_cols[i];
        if (f[hex_cols[i]][0] && dbs_parse_hex(f[hex_cols[i]], &v))
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
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return "bytes is not lowercase hex";
    if (strlen(f[DBS_COL_BYTES]) % 2)
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

static int by_name(const void *a, const void *b)
{
    return strcmp((*(const struct dbs_row *const *)a)->f[DBS_COL_CASE],
                  (*(const struct dbs_row *const *)b)->f[DBS_COL_CASE]);
}

/* Every case's rows must be contiguous (the writer emits them so). */
static int check_grouping(struct dbs_run *r, char *err, size_t cap)
{
    struct dbs_row **first = malloc((r->nrows + 1) * sizeof(*first));
    unsigned i, n = 0;
    int rc = 0;

    if (!first)
        return fail(err, cap, r->path, 0, "out of memory");
    for (i = 0; i < r->nrows; i = dbs_run_case_end(r, i))
        first[n++] = &r->rows[i];
    qsort(first, n, sizeof(*first), by_name);
    for (i = 1; i < n && !rc; i++)
        if (!strcmp(first[i - 1]->f[DBS_COL_CASE], first[i]->f[DBS_COL_CASE]))
            rc = fail(err, cap, r->path, first[i]->line > first[i - 1]->line ? first[i]->line
                                                                            : first[i - 1]->line,
                      "rows of case %s are not together", first[i]->f[DBS_COL_CASE]);
    free(first);
    return rc;
}

int dbs_run_parse(struct dbs_run *r, const char *path, char *text, size_t len, char *err,
                  size_t cap)
{
    static char empty[] = "";
    char *p = text, *end = text + len, *last = NULL, *nul;
    unsigned lineno = 0, ncols = 0, rows_cap = 0, schema_line = 0;
    int crlf = -1;

    memset(r, 0, sizeof(*r));
    r->path = path;
    r->text = text;
    if (len > DBS_RUN_MAX_BYTES)
        return fail(err, cap, path, 0, "larger than %u MiB", DBS_RUN_MAX_BYTES >> 20);
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) /* an editor's, or a spreadsheet's */
        return fail(err, cap, path, 1, "starts with a UTF-8 byte order mark (EF BB BF), which "
                    "dbsweep never writes: remove it, e.g. sed -i '1s/^\\xEF\\xBB\\xBF//' FILE");
    nul = memchr(text, 0, len);
    if (nul)
        return fail(err, cap, path, line_of(text, nul), "contains a NUL byte");
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p)), *line = p;
        int cr;

        lineno++;
        if (!nl)
            return fail(err, cap, path, lineno,
                        "the last line has no line end: the file was cut off mid-line");
        cr = nl > p && nl[-1] == '\r';
        if (crlf < 0)
            crlf = cr;
        else if (crlf != cr)
            return fail(err, cap, path, lineno, "mixed line endings (CRLF and LF)");
        *(cr ? nl - 1 : nl) = 0;
        p = nl + 1;
        if (strchr(line, '\r'))
            return fail(err, cap, path, lineno, "carriage return inside a line");
        {
            const char *c;
            for (c = line; *c; c++)
                if ((unsigned char)*c < 0x20 || *c == 0x7f)
                    return fail(err, cap, path, lineno, "control character 0x%02x in a line",
                                (unsigned char)*c);
        }
        if (nl - line > 65536)
            return fail(err, cap, path, lineno, "line longer than 64 KiB");
        if (line[0] == '#') {
            char *colon = strstr(line, ": ");
            last = line;
            if (!ncols && colon && line[1] == ' ' && r->nmeta < 64) {
                *colon = 0;
                r->meta_key[r->nmeta] = line + 2;
                r->meta_val[r->nmeta++] = colon + 2;
                if (!schema_line && !strcmp(line + 2, "schema"))
                    schema_line = lineno; /* the first one is the one that counts */
            }
            continue;
        }
        last = NULL;
        if (!ncols) {
            const char *schema = dbs_run_meta(r, "schema");
            if (!schema)
                return fail(err, cap, path, lineno, "no '# schema:' line before the header");
            r->schema = !strcmp(schema, DBS_CSV_SCHEMA) ? 2 : !strcmp(schema, DBS_CSV_SCHEMA_1);
            if (!r->schema)
                return fail(err, cap, path, schema_line,
                            "schema is '%.40s'; this tool reads '%s' and '%s'", schema,
                            DBS_CSV_SCHEMA, DBS_CSV_SCHEMA_1);
            if (parse_header(line, r->schema, &ncols, path, lineno, err, cap))
                return -1;
            continue;
        }
        {
            char *f[64];
            int n = dbs_csv_split(line, f, 64), i;
            unsigned col;
            const char *why;
            struct dbs_row *row;

            if (n < 0)
                return fail(err, cap, path, lineno, "malformed quoting or more than 64 fields");
            if ((unsigned)n != ncols)
                return fail(err, cap, path, lineno, "%d fields, the header has %u", n, ncols);
            for (i = 0; i < n; i++)
                if (strlen(f[i]) > MAX_FIELD)
                    return fail(err, cap, path, lineno, "field %d (%s) is longer than %d bytes",
                                i + 1, i < DBS_CSV_NCOLS ? dbs_csv_columns[i] : "appended",
                                MAX_FIELD);
            if (r->nrows == rows_cap) {
                struct dbs_row *grown;
                rows_cap = rows_cap ? 2 * rows_cap : 1024;
                grown = realloc(r->rows, rows_cap * sizeof(*grown));
                if (!grown)
                    return fail(err, cap, path, lineno, "out of memory");
                r->rows = grown;
            }
            row = &r->rows[r->nrows];
            for (i = 0; i < DBS_CSV_NCOLS; i++)
                row->f[i] = i < n ? f[i] : empty;
            row->line = lineno;
            why = bad_field(row->f, r->schema, &col);
            if (why)
                return fail(err, cap, path, lineno, "column %s ('%.40s'): %s",
                            dbs_csv_columns[col], row->f[col], why);
            r->nrows++;
        }
    }
    if (!ncols)
        return fail(err, cap, path, 0, "no header line: not a dbsweep CSV");
    r->complete = last && !strcmp(last, "# status: complete");
    return check_grouping(r, err, cap);
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
