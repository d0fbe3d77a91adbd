/* dbsweep-report diff: the cases whose event sequences differ between two
 * runs, as plain text within 80 columns (mailing lists wrap longer lines):
 * the case, its bytes as assembly, each side's events and the model's. */
#include <string.h>

#include "events.h"
#include "report.h"

#define WIDTH 80

/* Prints "label" then the comma-separated items of text, wrapping at commas
 * so no line passes WIDTH; continuation lines are indented. */
static void wrapped(FILE *out, const char *label, const char *text)
{
    size_t indent = strlen(label), col = indent;
    const char *p = text;

    fputs(label, out);
    while (*p) {
        const char *comma = strstr(p, ", ");
        size_t len = comma ? (size_t)(comma - p) + 1 : strlen(p);

        if (col > indent && col + 1 + len > WIDTH) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", (int)(len > WIDTH - indent ? WIDTH - indent : len), p);
        col += len;
        p += comma ? len + 1 : len;
    }
    fputc('\n', out);
}

static void print_case(FILE *out, const struct dbs_case_rows *a, const struct dbs_case_rows *b,
                       const char *ta, const char *tb)
{
    char **f = a->run->rows[a->first].f, exp[2048], lines[64][80], head[WIDTH + 1];
    unsigned char bytes[256];
    unsigned offs[64];
    int n = dbs_unhex(f[DBS_COL_BYTES], bytes, sizeof(bytes)), i;

    snprintf(head, sizeof(head), "%s  tf=%s  %s", f[DBS_COL_CASE], f[DBS_COL_TF],
             f[DBS_COL_BPS][0] ? f[DBS_COL_BPS] : "no breakpoints");
    fprintf(out, "\n%s\n", head);
    n = n > 0 ? dbs_disasm(bytes, (size_t)n, lines, offs, 64) : -1;
    if (n < 0)
        fprintf(out, "  bytes %.70s (objdump unavailable)\n", f[DBS_COL_BYTES]);
    for (i = 0; i < n; i++)
        fprintf(out, "  %4u: %.*s\n", offs[i], WIDTH - 8, lines[i]);
    wrapped(out, "    A: ", ta);
    wrapped(out, "    B: ", tb);
    dbs_expected_text(a, exp, sizeof(exp));
    wrapped(out, "model: ", exp);
    if (!dbs_case_agrees(a) || !dbs_case_agrees(b))
        fprintf(out, "  (repetitions disagree in %s)\n",
                !dbs_case_agrees(a) && !dbs_case_agrees(b) ? "A and B" : !dbs_case_agrees(a) ? "A" : "B");
}

/* Cases of x that y lacks (in the group), counted and the first few named. */
static unsigned only_in(FILE *out, const struct dbs_run *x, const struct dbs_run *y,
                        const char *group, const char *side)
{
    unsigned i, n = 0;
    struct dbs_case_rows c;

    for (i = 0; i < x->nrows; i = dbs_run_case_end(x, i)) {
        const char *name = x->rows[i].f[DBS_COL_CASE];
        if ((group && strcmp(x->rows[i].f[DBS_COL_GROUP], group)) || !dbs_find_case(y, name, &c))
            continue;
        if (n++ < 5)
            fprintf(out, "%s %s\n", n == 1 ? side : "      ", name);
    }
    if (n > 5)
        fprintf(out, "       ... %u in all\n", n);
    return n;
}

int dbs_report_diff(const struct dbs_run *a, const struct dbs_run *b, const char *group, FILE *out)
{
    char la[96], lb[96], ta[4096], tb[4096], line[WIDTH + 1];
    unsigned i, compared = 0, differ = 0, missing;

    dbs_machine_label(a, la, sizeof(la));
    dbs_machine_label(b, lb, sizeof(lb));
    fprintf(out, "%.80s\n", (snprintf(line, sizeof(line), "A: %.30s  %.40s", la, a->path), line));
    fprintf(out, "%.80s\n", (snprintf(line, sizeof(line), "B: %.30s  %.40s", lb, b->path), line));
    for (i = 0; i < a->nrows; i = dbs_run_case_end(a, i)) {
        struct dbs_case_rows ca = {a, i, dbs_run_case_end(a, i)}, cb;

        if (group && strcmp(a->rows[i].f[DBS_COL_GROUP], group))
            continue;
        if (dbs_find_case(b, a->rows[i].f[DBS_COL_CASE], &cb))
            continue;
        compared++;
        dbs_events_text(&ca, ta, sizeof(ta));
        dbs_events_text(&cb, tb, sizeof(tb));
        if (!strcmp(ta, tb))
            continue;
        differ++;
        print_case(out, &ca, &cb, ta, tb);
    }
    fputc('\n', out);
    missing = only_in(out, a, b, group, "only A:") + only_in(out, b, a, group, "only B:");
    fprintf(out, "%u of %u cases compared differ%s%s\n", differ, compared,
            group ? " in group " : "", group ? group : "");
    return differ || missing ? 1 : 0;
}
