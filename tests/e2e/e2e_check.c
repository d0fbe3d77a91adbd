/* e2e-check CSV KNOWN_DIVERGENCES
 * Checks a CSV from a real boot against the case table: schema-1 metadata,
 * every case present with every repetition, repetitions agreeing, the seed
 * case exactly as on hardware, and every mismatch either a listed known TCG
 * divergence or a failure. Prints one line per check and "N passed, N failed". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbs_case.h"
#include "dbs_csv.h"
#include "dbs_event.h"

#define MAX_ROWS 20000
#define MAX_META 64
#define MAX_KNOWN 64

enum { C_CASE, C_GROUP, C_REP, C_EVENT, C_VECTOR, C_ERROR, C_RIP, C_RIP_OFF, C_RFLAGS, C_DR6,
       C_DR7, C_EXP_VECTOR, C_EXP_RIP_OFF, C_EXP_DR6, C_VERDICT, C_AGREE, C_TF, C_BPS, C_BYTES };

static char *rows[MAX_ROWS][DBS_CSV_NCOLS];
static unsigned nrows;
static char *meta_key[MAX_META], *meta_val[MAX_META];
static unsigned nmeta;
static char *known[MAX_KNOWN], *known_why[MAX_KNOWN];
static unsigned nknown;
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
    unsigned i;

    for (i = 0; i < nmeta; i++)
        if (!strcmp(meta_key[i], key))
            return meta_val[i];
    return NULL;
}

/* Parses the CSV; returns the last line (must be "# status: complete"). */
static const char *parse_csv(char *text, int *header_ok)
{
    char *line, *save = NULL, *last = "";
    int seen_header = 0;

    *header_ok = 0;
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        line[strcspn(line, "\r")] = 0;
        last = line;
        if (line[0] == '#') {
            char *colon = strstr(line, ": ");
            if (colon && nmeta < MAX_META && !seen_header) {
                *colon = 0;
                meta_key[nmeta] = line + 2;
                meta_val[nmeta++] = colon + 2;
            }
            continue;
        }
        if (!seen_header) {
            static char want[512];
            struct dbs_buf b;

            dbs_buf_init(&b, want, sizeof(want));
            dbs_csv_header(&b);
            want[b.len - 1] = 0;
            *header_ok = !strcmp(line, want);
            seen_header = 1;
            continue;
        }
        if (nrows == MAX_ROWS || dbs_csv_split(line, rows[nrows], DBS_CSV_NCOLS) != DBS_CSV_NCOLS) {
            check(0, "row %u parses into %d columns", nrows, DBS_CSV_NCOLS);
            continue;
        }
        nrows++;
    }
    return last;
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

static const char *known_reason(const char *name)
{
    unsigned i;

    for (i = 0; i < nknown; i++)
        if (!strcmp(known[i], name))
            return known_why[i];
    return NULL;
}

static void check_metadata(const char *last, int header_ok)
{
    static const char *const keys[] = {
        "schema", "tool", "git", "cpu_vendor", "cpu_family", "cpu_model", "cpu_stepping",
        "cpu_brand", "microcode", "hypervisor", "firmware_vendor", "firmware_revision",
        "uefi_time", "code_base", "reps"};
    unsigned i, missing = 0;
    char want[16];

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (!meta(keys[i])) {
            printf("# missing metadata: %s\n", keys[i]);
            missing++;
        }
    check(!missing, "metadata has every schema-1 key");
    check(meta("schema") && !strcmp(meta("schema"), DBS_CSV_SCHEMA), "schema is '%s'",
          DBS_CSV_SCHEMA);
    snprintf(want, sizeof(want), "%d", DBS_REPS);
    check(meta("reps") && !strcmp(meta("reps"), want), "reps is %s", want);
    check(header_ok, "header names the 19 schema-1 columns in order");
    check(!strcmp(last, "# status: complete"), "last line is '# status: complete'");
}

static void check_case(const struct dbs_case *c, int tcg)
{
    unsigned i, reps_seen = 0, nr = 0;
    int mismatch = 0, disagree = 0;
    const char *why = tcg ? known_reason(c->name) : NULL;

    for (i = 0; i < nrows; i++) {
        if (strcmp(rows[i][C_CASE], c->name))
            continue;
        nr++;
        reps_seen |= 1u << atoi(rows[i][C_REP]);
        mismatch |= !strcmp(rows[i][C_VERDICT], "mismatch");
        disagree |= strcmp(rows[i][C_AGREE], "yes") != 0;
    }
    check(nr > 0 && reps_seen == (1u << DBS_REPS) - 1, "%s: present with %d repetitions", c->name,
          DBS_REPS);
    check(!disagree, "%s: repetitions agree", c->name);
    if (why && mismatch) {
        printf("xfail - %s: known TCG divergence: %s\n", c->name, why);
        passed++;
        xfailed++;
    } else if (why)
        check(0, "%s: listed as a known TCG divergence but matches now: remove it from the list",
              c->name);
    else
        check(nr > 0 && !mismatch, "%s: every event matches the hardware expectation", c->name);
}

/* The seed case, field by field, in every repetition. */
static void check_seed(void)
{
    unsigned i, good = 0;

    for (i = 0; i < nrows; i++) {
        char **f = rows[i];
        if (strcmp(f[C_CASE], "kut.singlestep_with_code_db") || strcmp(f[C_EVENT], "0"))
            continue;
        good += !strcmp(f[C_VECTOR], "1") && !strcmp(f[C_RIP_OFF], "6") &&
                !strcmp(f[C_DR6], "0xffff4ff4") && !strcmp(f[C_VERDICT], "match");
    }
    check(good == DBS_REPS,
          "seed case: first #DB at offset 6 with DR6 0xffff4ff4 (BS|B2), verdict match, in %u/%d reps",
          good, DBS_REPS);
}

int main(int argc, char **argv)
{
    static struct dbs_case c;
    const char *last;
    int header_ok, tcg;
    unsigned i, k;

    if (argc != 3) {
        fprintf(stderr, "usage: e2e-check CSV KNOWN_DIVERGENCES\n");
        return 2;
    }
    last = parse_csv(slurp(argv[1]), &header_ok);
    load_known(slurp(argv[2]));
    tcg = meta("hypervisor") && !strcmp(meta("hypervisor"), "TCGTCGTCGTCG");

    check_metadata(last, header_ok);
    for (i = 0; i < dbs_case_count(); i++) {
        if (dbs_case_get(i, &c)) {
            check(0, "case %u compiles", i);
            continue;
        }
        check_case(&c, tcg);
    }
    for (k = 0; k < nknown; k++) {
        int found = 0;
        for (i = 0; i < dbs_case_count() && !found; i++)
            found = !dbs_case_get(i, &c) && !strcmp(c.name, known[k]);
        check(found, "known divergence '%s' names a real case", known[k]);
    }
    for (i = 0; i < nrows; i++) {
        int found = 0;
        for (k = 0; k < dbs_case_count() && !found; k++)
            found = !dbs_case_get(k, &c) && !strcmp(c.name, rows[i][C_CASE]);
        if (!found) {
            check(0, "row %u names an unknown case '%s'", i, rows[i][C_CASE]);
            break;
        }
    }
    check_seed();
    printf("e2e: %d passed, %d failed (%d of the passed are known TCG divergences)\n", passed,
           failed, xfailed);
    return failed ? 1 : 0;
}
