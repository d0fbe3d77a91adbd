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
#include "known.h"
#include "runfile.h"

static struct dbs_run run; /* loaded and validated by the report tool's loader */
/* the lists, read as dbsweep-report --known reads them: one list, the files
 * in order; a case falls under the first entry that names it */
static struct dbs_known known;
static unsigned *known_hits;
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

static const char *meta(const char *key)
{
    return dbs_run_meta(&run, key);
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
    int bad = 0, differ = 0, known_at = tcg ? dbs_known_find(&known, c->name) : -1;

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
        if (dbs_known_load(&known, argv[i], err, sizeof(err))) {
            fprintf(stderr, "e2e-check: %s\n", err);
            return 2;
        }
    known_hits = calloc(known.nentries + 1, sizeof(*known_hits));
    if (!known_hits)
        return 2;
    dbs_known_select(&known, &run); /* sections say which CSVs an entry is for */
    tcg = meta("hypervisor") && !strcmp(meta("hypervisor"), "TCGTCGTCGTCG");
    selection = meta("selection") ? meta("selection") : "*";
    dbs_random_configure(selection);

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
    for (k = 0; k < known.nentries && tcg; k++) {
        const struct dbs_known_entry *e = &known.entries[k];
        int selected_any = 0;

        if (!dbs_known_applies(&known, k))
            continue; /* its section is for other machines */
        for (i = 0; i < dbs_case_count() && !selected_any; i++)
            selected_any = !dbs_case_get(i, &c) && dbs_known_matches(e, c.name) &&
                           dbs_selected(selection, c.name);
        if (!selected_any)
            continue; /* not in this run */
        if (known_hits[k])
            printf("xfail - %s: %u cases, known TCG divergence: %s\n", e->glob, known_hits[k],
                   e->why);
        else
            check(0, "known TCG divergence '%s' (%s:%u) no longer diverges: remove it from the "
                     "list", e->glob, e->path, e->line);
    }
    if (dbs_selected(selection, "kut.singlestep_with_code_db"))
    check_seed();
    printf("e2e: %d passed, %d failed (%d cases diverge as known for TCG)\n", passed, failed,
           xfailed);
    return failed ? 1 : 0;
}
