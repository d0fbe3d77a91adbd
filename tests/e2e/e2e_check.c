/* e2e-check CSV KNOWN_DIVERGENCES...
 * Checks a CSV from a real boot against the case table: schema metadata,
 * every selected case present with every repetition, repetitions agreeing,
 * the seed case as on hardware, and every mismatch either a listed known TCG
 * divergence (the lists for this QEMU version: common and per vendor) or a
 * failure. Prints one line per check (and one per known divergence seen)
 * and "e2e: N passed, N failed". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbs_case.h"
#include "dbs_csv.h"
#include "dbs_event.h"
#include "dbs_options.h"
#include "runfile.h"

#define MAX_KNOWN 128

static struct dbs_run run; /* loaded and validated by the report tool's loader */
static char *known[MAX_KNOWN], *known_why[MAX_KNOWN];
static unsigned nknown, known_hits[MAX_KNOWN];
static int passed, failed, xfailed;

static void check(int ok, const char *fmt, ...)
{
    va_list ap;

    printf("%s - ", ok ? "ok" : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    ok ? passed++ : failed++;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    long n;
    char *s;

    if (!f) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    s = malloc((size_t)n + 1);
    if (!s || fread(s, 1, (size_t)n, f) != (size_t)n)
        exit(2);
    s[n] = 0;
    fclose(f);
    return s;
}

static const char *meta(const char *key)
{
    return dbs_run_meta(&run, key);
}

static void load_known(char *text)
{
    char *line, *save = NULL;

    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *sp;

        if (line[0] == '#' || !line[0] || nknown == MAX_KNOWN)
            continue;
        sp = line + strcspn(line, " \t");
        if (*sp)
            *sp++ = 0;
        sp += strspn(sp, " \t");
        known[nknown] = line;
        known_why[nknown++] = sp;
    }
}

/* A glob that names no mode covers every mode: it is also tried on the
 * name without its mode prefix (u64.shadow.sti.nobp.nop as shadow.sti...). */
static int known_match(const char *glob, const struct dbs_case *c)
{
    size_t ml = strlen(dbs_mode_names[c->mode]);
    unsigned m;

    if (dbs_glob(glob, c->name))
        return 1;
    for (m = 0; m < DBS_MODE_COUNT; m++)
        if (!strncmp(glob, dbs_mode_names[m], strlen(dbs_mode_names[m])) &&
            glob[strlen(dbs_mode_names[m])] == '.')
            return 0;
    return c->mode != DBS_MODE_K64 && dbs_glob(glob, c->name + ml + 1);
}

/* The first known-divergence glob matching the case, or -1. */
static int known_index(const struct dbs_case *c)
{
    unsigned i;

    for (i = 0; i < nknown; i++)
        if (known_match(known[i], c))
            return (int)i;
    return -1;
}

static void check_metadata(void)
{
    static const char *const keys[] = {
        "schema", "tool", "git", "cpu_vendor", "cpu_family", "cpu_model", "cpu_stepping",
        "cpu_brand", "microcode", "hypervisor", "firmware_vendor", "firmware_revision",
        "uefi_time", "code_base", "reps", "model", "model_vendor", "system_version"};
    unsigned i, missing = 0;
    char want[16];

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (!meta(keys[i])) {
            printf("# missing metadata: %s\n", keys[i]);
            missing++;
        }
    check(!missing, "metadata has every schema key");
    check(meta("schema") && !strcmp(meta("schema"), DBS_CSV_SCHEMA), "schema is '%s'",
          DBS_CSV_SCHEMA);
    snprintf(want, sizeof(want), "%d", DBS_REPS);
    check(meta("reps") && !strcmp(meta("reps"), want), "reps is %s", want);
    check(run.complete, "last line is '# status: complete'");
}

/* Per-case findings, gathered over the whole table and reported as one
 * check each, naming the offending cases. */
struct finding {
    const char *what;
    unsigned n;
    char names[512];
};

static void note(struct finding *f, const char *name)
{
    size_t len = strlen(f->names);

    if (f->n++ < 8)
        snprintf(f->names + len, sizeof(f->names) - len, "%s%s", len ? ", " : "", name);
}

static void report(const struct finding *f, unsigned total)
{
    check(!f->n, "%s (%u of %u cases%s%s%s)", f->what, total - f->n, total, f->n ? "; not: " : "",
          f->names, f->n > 8 ? ", ..." : "");
}

static struct finding missing = {"every selected case present with every repetition", 0, ""},
                      disagree = {"repetitions agree", 0, ""},
                      mismatch = {"no mismatch beyond the known TCG divergences", 0, ""};

/* rows are grouped by case, in table order: one forward scan serves all. */
static unsigned next_row;

static void check_case(const struct dbs_case *c, int tcg)
{
    unsigned reps_seen = 0, nr = 0;
    int bad = 0, differ = 0, known_at = tcg ? known_index(c) : -1;

    while (next_row < run.nrows && !strcmp(run.rows[next_row].f[DBS_COL_CASE], c->name)) {
        char **f = run.rows[next_row++].f;
        nr++;
        reps_seen |= 1u << atoi(f[DBS_COL_REP]);
        bad |= !strcmp(f[DBS_COL_VERDICT], "mismatch");
        differ |= strcmp(f[DBS_COL_AGREE], "yes") != 0;
    }
    if (nr == 0 || reps_seen != (1u << DBS_REPS) - 1)
        note(&missing, c->name);
    if (differ)
        note(&disagree, c->name);
    if (bad && known_at >= 0) {
        known_hits[known_at]++;
        xfailed++;
    } else if (bad) {
        note(&mismatch, c->name);
    }
}

/* The seed case, field by field, in every repetition: Intel's merged #DB,
 * which AMD's rules leave undefined (the note names what was seen). */
static void check_seed(void)
{
    unsigned i, good = 0;
    int amd = meta("model_vendor") && !strcmp(meta("model_vendor"), "amd");

    for (i = 0; i < run.nrows; i++) {
        char **f = run.rows[i].f;
        if (strcmp(f[DBS_COL_CASE], "kut.singlestep_with_code_db") || strcmp(f[DBS_COL_EVENT], "0"))
            continue;
        good += !strcmp(f[DBS_COL_VECTOR], "1") && !strcmp(f[DBS_COL_RIP_OFF], "6") &&
                !strcmp(f[DBS_COL_DR6], "0xffff4ff4") &&
                (amd ? !strcmp(f[DBS_COL_VERDICT], "undefined") &&
                           strstr(f[DBS_COL_NOTE], "; observed: merged")
                     : !strcmp(f[DBS_COL_VERDICT], "match"));
    }
    check(good == DBS_REPS,
          "seed case: first #DB at offset 6 with DR6 0xffff4ff4 (BS|B2), judged %s, in %u/%d reps",
          amd ? "undefined, observed: merged (AMD)" : "match (Intel)", good, DBS_REPS);
}

int main(int argc, char **argv)
{
    static struct dbs_case c;
    const char *selection;
    char err[512];
    int tcg;
    unsigned i, k, selected = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: e2e-check CSV KNOWN_DIVERGENCES...\n");
        return 2;
    }
    if (dbs_run_load(&run, argv[1], err, sizeof(err))) {
        check(0, "the CSV loads: %s", err);
        printf("e2e: %d passed, %d failed\n", passed, failed);
        return 1;
    }
    check(1, "the CSV loads and validates against its schema (%u rows)", run.nrows);
    for (i = 2; i < (unsigned)argc; i++)
        load_known(slurp(argv[i]));
    tcg = meta("hypervisor") && !strcmp(meta("hypervisor"), "TCGTCGTCGTCG");
    selection = meta("selection") ? meta("selection") : "*";

    check_metadata();
    for (i = 0; i < dbs_case_count(); i++) {
        if (dbs_case_get(i, &c)) {
            check(0, "case %u compiles", i);
            continue;
        }
        if (!dbs_selected(selection, c.name))
            continue;
        check_case(&c, tcg);
        selected++;
    }
    check(next_row == run.nrows, "rows are grouped by case in table order, none unknown (row %u: %s)",
          next_row, next_row < run.nrows ? run.rows[next_row].f[DBS_COL_CASE] : "-");
    check(meta("cases") && (unsigned)atoi(meta("cases")) == selected,
          "metadata 'cases' (%s) counts the %u selected cases", meta("cases") ? meta("cases") : "-",
          selected);
    report(&missing, selected);
    report(&disagree, selected);
    report(&mismatch, selected);
    for (k = 0; k < nknown && tcg; k++) {
        int selected_any = 0;
        for (i = 0; i < dbs_case_count() && !selected_any; i++)
            selected_any = !dbs_case_get(i, &c) && known_match(known[k], &c) &&
                           dbs_selected(selection, c.name);
        if (!selected_any)
            continue; /* not in this run */
        if (known_hits[k])
            printf("xfail - %s: %u cases, known TCG divergence: %s\n", known[k], known_hits[k],
                   known_why[k]);
        else
            check(0, "known TCG divergence '%s' no longer diverges: remove it from the list",
                  known[k]);
    }
    if (dbs_selected(selection, "kut.singlestep_with_code_db"))
    check_seed();
    printf("e2e: %d passed, %d failed (%d cases diverge as known for TCG)\n", passed, failed,
           xfailed);
    return failed ? 1 : 0;
}
