/* dbsweep-report diff: every case on which two runs differ, and how: the
 * events differ, only the verdict differs (the same events judged by other
 * rules), or only one run has the case. Plain text within 80 columns
 * (mailing lists wrap longer lines), file names excepted: the runs, the
 * counts per group, then each differing case with its bytes as assembly
 * (32-bit code for k32/u32 cases), both sides' events and the model's.
 * --stat stops after the counts, --quiet prints nothing; --events-only and
 * --common narrow what counts as a difference (dbs_diff_options). */
#include <stdlib.h>
#include <string.h>

#include "caseindex.h"
#include "cores.h"
#include "dbs_options.h"
#include "disasm.h"
#include "events.h"
#include "grouping.h"
#include "report.h"
#include "wrap.h"

#define WIDTH DBS_WRAP_WIDTH
#define TEXT_MAX 4096 /* one repetition's events: up to 32 of ~40 characters */

struct entry {
    struct dbs_case_rows a, b; /* .run is NULL on the side that lacks the case */
    enum dbs_case_diff kind;
    const char *name, *group;
    unsigned group_id;
};

struct diff {
    const struct dbs_run *a, *b;
    const struct dbs_diff_options *opt;
    struct entry *e;
    unsigned n, ngroups;
    unsigned uncompared[2]; /* --common: the cases only A, only B has */
    unsigned (*count)[DBS_DIFF_KINDS]; /* per group */
    unsigned total[DBS_DIFF_KINDS];
};

/* 1 when name matches one of the comma-separated globs */
static int matches_globs(const char *globs, const char *name)
{
    char glob[256];

    while (*globs) {
        size_t n = strcspn(globs, ",");
        snprintf(glob, sizeof(glob), "%.*s", (int)n, globs);
        if (n < sizeof(glob) && dbs_glob(glob, name))
            return 1;
        globs += n + (globs[n] == ',');
    }
    return 0;
}

static int wanted(const struct dbs_diff_options *f, const char *group, const char *name)
{
    return (!f->group || !strcmp(f->group, group)) && (!f->cases || matches_globs(f->cases, name));
}

static const char *field(const struct dbs_case_rows *c, int col)
{
    return c->run->rows[c->first].f[col];
}

/* The union of both runs' cases that pass the filter: A's in A's order, then
 * those only B has, in B's. */
static int collect(struct diff *d)
{
    const struct dbs_diff_options *f = d->opt;
    const struct dbs_run *runs[2] = {d->a, d->b};
    struct dbs_case_index ix[2];
    struct dbs_case_rows other;
    unsigned i, k;

    d->e = calloc(d->a->nrows + d->b->nrows + 1, sizeof(*d->e)); /* cases <= rows */
    if (!d->e || dbs_case_index_build(&ix[0], d->a))
        return -1;
    if (dbs_case_index_build(&ix[1], d->b)) {
        dbs_case_index_free(&ix[0]);
        return -1;
    }
    for (k = 0; k < 2; k++)
        for (i = 0; i < runs[k]->nrows; i = dbs_run_case_end(runs[k], i)) {
            struct dbs_case_rows c = {runs[k], i, dbs_run_case_end(runs[k], i)}, none = {0};
            struct entry *e = &d->e[d->n];
            int both = !dbs_case_index_find(&ix[!k], field(&c, DBS_COL_CASE), &other);

            if ((k && both) || !wanted(f, field(&c, DBS_COL_GROUP), field(&c, DBS_COL_CASE)))
                continue; /* a case both have is taken once, from A */
            if (!both && f->common) {
                d->uncompared[k]++;
                continue;
            }
            e->a = k ? none : c;
            e->b = k ? c : both ? other : none;
            e->kind = !both ? (k ? DBS_DIFF_ONLY_B : DBS_DIFF_ONLY_A)
                            : dbs_case_compare(&e->a, &e->b);
            e->name = field(&c, DBS_COL_CASE);
            e->group = field(&c, DBS_COL_GROUP);
            d->n++;
        }
    dbs_case_index_free(&ix[0]);
    dbs_case_index_free(&ix[1]);
    return 0;
}

static int count_groups(struct diff *d)
{
    const char **names = malloc((d->n + 1) * sizeof(*names));
    unsigned *ids = malloc((d->n + 1) * sizeof(*ids)), i;
    int n = -1;

    for (i = 0; names && ids && i < d->n; i++)
        names[i] = d->e[i].group;
    if (names && ids)
        n = dbs_group_ids(names, d->n, ids);
    if (n >= 0)
        d->count = calloc((size_t)n + 1, sizeof(*d->count));
    for (i = 0; d->count && i < d->n; i++) {
        d->e[i].group_id = ids[i];
        d->count[ids[i]][d->e[i].kind]++;
        d->total[d->e[i].kind]++;
    }
    d->ngroups = n > 0 ? (unsigned)n : 0;
    free(names);
    free(ids);
    return d->count ? 0 : -1;
}

/* Says why the filter left nothing to compare (an unknown group, a glob
 * that matches no case), naming the groups the files have. */
static void nothing_selected(const struct diff *d, const struct dbs_diff_options *f)
{
    const struct dbs_run *runs[2] = {d->a, d->b};
    const char *seen[64];
    unsigned k, i, j, n = 0;

    if (f->cases)
        fprintf(stderr, "dbsweep-report diff: no case%s%s matches --case '%s'\n",
                f->group ? " of group " : "", f->group ? f->group : "", f->cases);
    else
        fprintf(stderr, "dbsweep-report diff: no group '%s' in A or B\n", f->group);
    fputs("the groups are:", stderr);
    for (k = 0; k < 2; k++)
        for (i = 0; i < runs[k]->nrows && n < 64; i = dbs_run_case_end(runs[k], i)) {
            const char *g = runs[k]->rows[i].f[DBS_COL_GROUP];
            for (j = 0; j < n && strcmp(seen[j], g); j++)
                ;
            if (j == n)
                fprintf(stderr, " %s", seen[n++] = g);
        }
    fputs(n == 64 ? " ...\n" : "\n", stderr);
}

static void put_run(FILE *out, const char *side, const struct dbs_run *r)
{
    const char *label = dbs_run_meta(r, "label"), *mc = dbs_run_meta(r, "microcode");
    const char *hv = dbs_run_meta(r, "hypervisor"), *rules = dbs_run_meta(r, "model_vendor");
    char machine[96], text[512];

    dbs_machine_label(r, machine, sizeof(machine));
    fprintf(out, "%s: %s%s\n", side, r->path, r->complete ? "" : "  (INCOMPLETE)");
    snprintf(text, sizeof(text), "%s, label %s, microcode %s, hypervisor %s, %s rules", machine,
             label && label[0] ? label : "-", mc ? mc : "?", hv ? hv : "?", rules ? rules : "?");
    dbs_wrapped(out, "   ", text);
}

/* Two files of one cores= run: which cores are compared. */
static void put_cores(FILE *out, const struct dbs_run *a, const struct dbs_run *b)
{
    char ca[64], cb[64], text[256];

    if (!dbs_same_run(a, b))
        return;
    dbs_core_label(a, ca, sizeof(ca));
    dbs_core_label(b, cb, sizeof(cb));
    snprintf(text, sizeof(text), "%s and %s of one run (cores=%s)", ca, cb,
             dbs_run_meta(a, "cores"));
    dbs_wrapped(out, "A, B: ", text);
}

static void put_counts(FILE *out, const char *name, const unsigned *c)
{
    unsigned all = c[DBS_DIFF_SAME] + c[DBS_DIFF_EVENTS] + c[DBS_DIFF_VERDICT] +
                   c[DBS_DIFF_ONLY_A] + c[DBS_DIFF_ONLY_B];

    fprintf(out, "%-12.12s %6u %6u %7u %8u %7u %7u\n", name, all, c[DBS_DIFF_SAME],
            c[DBS_DIFF_EVENTS], c[DBS_DIFF_VERDICT], c[DBS_DIFF_ONLY_A], c[DBS_DIFF_ONLY_B]);
}

static void put_table(FILE *out, const struct diff *d)
{
    unsigned g, i;

    fprintf(out, "\n%-12s %6s %6s %7s %8s %7s %7s\n", "group", "cases", "same", "events",
            "verdict", "only A", "only B");
    for (g = 0; g < d->ngroups; g++) {
        for (i = 0; d->e[i].group_id != g; i++) /* its first case names it */
            ;
        put_counts(out, d->e[i].group, d->count[g]);
    }
    put_counts(out, "all", d->total);
}

/* A case shown as differing: in its events, or (unless --events-only) in
 * its verdict alone. */
static int differs(const struct diff *d, const struct entry *e)
{
    return e->kind == DBS_DIFF_EVENTS || (e->kind == DBS_DIFF_VERDICT && !d->opt->events_only);
}

/* The code's width: k32/u32 cases run in 32-bit (compatibility mode)
 * code; schema 1 has no mode column and only 64-bit cases. */
static int is_32bit(const struct dbs_case_rows *c)
{
    const char *mode = field(c, DBS_COL_MODE);
    return mode[0] && !strcmp(mode + 1, "32");
}

/* The bytes of every differing case, disassembled in one objdump run. */
static int disassemble(const struct diff *d, struct dbs_disasm_job *jobs, unsigned char *bytes,
                       struct dbs_disasm *dis)
{
    unsigned i, n = 0;

    for (i = 0; i < d->n; i++) {
        unsigned char *at = bytes + 256 * n;
        int len;

        if (!differs(d, &d->e[i]))
            continue;
        len = dbs_unhex(field(&d->e[i].a, DBS_COL_BYTES), at, 256);
        jobs[n++] = (struct dbs_disasm_job){at, len > 0 ? (size_t)len : 0, 0, 0,
                                            is_32bit(&d->e[i].a)};
    }
    return n ? dbs_disasm_batch(jobs, n, dis) : 0;
}

static void put_case(FILE *out, const struct entry *e, const struct dbs_disasm_job *job,
                     const struct dbs_disasm *dis, int have_dis)
{
    const char *va = dbs_case_verdict(&e->a), *vb = dbs_case_verdict(&e->b);
    char head[WIDTH + 1], ta[TEXT_MAX], tb[TEXT_MAX], line[2 * WIDTH];
    unsigned i;
    int agree_a = dbs_case_agrees(&e->a), agree_b = dbs_case_agrees(&e->b);

    snprintf(head, sizeof(head), "%s  %s  tf=%s  %s", e->name, dbs_case_diff_names[e->kind],
             field(&e->a, DBS_COL_TF),
             field(&e->a, DBS_COL_BPS)[0] ? field(&e->a, DBS_COL_BPS) : "no breakpoints");
    fprintf(out, "\n%s\n", head);
    if (!have_dis || !job->count)
        fprintf(out, "  bytes %.70s (objdump unavailable)\n", field(&e->a, DBS_COL_BYTES));
    for (i = 0; have_dis && i < job->count; i++)
        fprintf(out, "  %4u: %.*s\n", dis->lines[job->first + i].off, WIDTH - 8,
                dis->lines[job->first + i].text);
    if (strcmp(field(&e->a, DBS_COL_BYTES), field(&e->b, DBS_COL_BYTES)))
        fprintf(out, "  B ran other bytes: %.58s\n", field(&e->b, DBS_COL_BYTES));
    dbs_events_text(&e->a, ta, sizeof(ta));
    dbs_events_text(&e->b, tb, sizeof(tb));
    if (e->kind == DBS_DIFF_EVENTS) {
        dbs_wrapped(out, "    A: ", ta);
        dbs_wrapped(out, "    B: ", tb);
    } else {
        dbs_wrapped(out, " A, B: ", ta);
    }
    dbs_expected_text(&e->a, ta, sizeof(ta));
    dbs_expected_text(&e->b, tb, sizeof(tb));
    if (strcmp(ta, tb)) { /* judged by other rules, or by another model version */
        dbs_wrapped(out, "model A: ", ta);
        dbs_wrapped(out, "model B: ", tb);
    } else {
        dbs_wrapped(out, "model: ", ta);
    }
    snprintf(line, sizeof(line), "verdict: A %s, B %s%s%s", va, vb,
             agree_a && agree_b ? "" : "; repetitions disagree in ",
             agree_a && agree_b ? "" : !agree_a && !agree_b ? "A and B" : !agree_a ? "A" : "B");
    fprintf(out, "%.80s\n", line);
}

/* "only in A: group ss (all 140 cases), kut.icebp, ...": a group all of
 * whose compared cases only that side has is named once. */
static void put_only(FILE *out, const struct diff *d, enum dbs_case_diff kind, const char *label)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    unsigned char *named = calloc(d->ngroups + 1, 1);
    unsigned i, items = 0;

    if (!m || !named) {
        if (m)
            fclose(m);
        free(text);
        free(named);
        fprintf(stderr, "dbsweep-report diff: out of memory listing the cases %s\n", label);
        return;
    }
    for (i = 0; i < d->n; i++) {
        const struct entry *e = &d->e[i];
        const unsigned *c = d->count[e->group_id];
        int whole = c[kind] > 1 && c[kind] == c[DBS_DIFF_SAME] + c[DBS_DIFF_EVENTS] +
                                                   c[DBS_DIFF_VERDICT] + c[DBS_DIFF_ONLY_A] +
                                                   c[DBS_DIFF_ONLY_B];

        if (e->kind != kind || (whole && named[e->group_id]))
            continue;
        named[e->group_id] = whole;
        fprintf(m, "%s", items++ ? ", " : "");
        if (whole)
            fprintf(m, "group %s (all %u cases)", e->group, c[kind]);
        else
            fputs(e->name, m);
    }
    fclose(m);
    if (items)
        dbs_wrapped(out, label, text);
    free(text);
    free(named);
}

/* The closing lines: how many differ, and what was not compared. */
static void put_totals(FILE *out, const struct diff *d, unsigned ndiff)
{
    const struct dbs_diff_options *f = d->opt;
    const unsigned *t = d->total;

    fprintf(out, "%u of %u cases compared differ (%u in events, %u in the verdict only%s)%s%s\n",
            ndiff, d->n - t[DBS_DIFF_ONLY_A] - t[DBS_DIFF_ONLY_B], t[DBS_DIFF_EVENTS],
            t[DBS_DIFF_VERDICT], f->events_only && t[DBS_DIFF_VERDICT] ? ", not shown" : "",
            f->group ? " in group " : "", f->group ? f->group : "");
    if (t[DBS_DIFF_ONLY_A] || t[DBS_DIFF_ONLY_B])
        fprintf(out, "%u cases only in A, %u only in B\n", t[DBS_DIFF_ONLY_A],
                t[DBS_DIFF_ONLY_B]);
    if (d->uncompared[0] || d->uncompared[1])
        fprintf(out, "not compared (--common): %u cases only in A, %u only in B\n",
                d->uncompared[0], d->uncompared[1]);
}

int dbs_report_diff(const struct dbs_run *a, const struct dbs_run *b,
                    const struct dbs_diff_options *f, FILE *out)
{
    struct diff d = {.a = a, .b = b, .opt = f};
    struct dbs_disasm_job *jobs = NULL;
    unsigned char *bytes = NULL;
    struct dbs_disasm dis = {0};
    unsigned i, k = 0, ndiff;
    int rc = 2, have_dis;

    if (collect(&d) || count_groups(&d))
        goto oom;
    if (!d.n && (f->group || f->cases)) {
        nothing_selected(&d, f);
        goto out;
    }
    ndiff = d.total[DBS_DIFF_EVENTS] + (f->events_only ? 0 : d.total[DBS_DIFF_VERDICT]);
    rc = ndiff || d.total[DBS_DIFF_ONLY_A] || d.total[DBS_DIFF_ONLY_B];
    if (f->quiet)
        goto out;
    put_run(out, "A", a);
    put_run(out, "B", b);
    put_cores(out, a, b);
    put_table(out, &d);
    if (f->stat) {
        fputc('\n', out);
        put_totals(out, &d, ndiff);
        goto out;
    }
    jobs = calloc(ndiff + 1, sizeof(*jobs));
    bytes = malloc(256 * (size_t)ndiff + 1);
    if (!jobs || !bytes)
        goto oom;
    have_dis = !disassemble(&d, jobs, bytes, &dis);
    for (i = 0; i < d.n; i++)
        if (differs(&d, &d.e[i]))
            put_case(out, &d.e[i], &jobs[k++], &dis, have_dis);
    fputc('\n', out);
    put_only(out, &d, DBS_DIFF_ONLY_A, "only in A: ");
    put_only(out, &d, DBS_DIFF_ONLY_B, "only in B: ");
    put_totals(out, &d, ndiff);
    goto out;
oom:
    fprintf(stderr, "dbsweep-report diff: out of memory\n");
    rc = 2;
out:
    dbs_disasm_free(&dis);
    free(jobs);
    free(bytes);
    free(d.e);
    free(d.count);
    return rc;
}
