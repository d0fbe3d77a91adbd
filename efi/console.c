/* Console output: progress, summary, and the optional COM1 mirror. */
#include <efi.h>
#include <efilib.h>
#include "console.h"
#include "serial.h"
#include "dbs_buf.h"
#include "dbs_ktap.h"

#define EVERY_CASE_UP_TO 64 /* larger runs print every 5% and the first mismatches */
#define MISMATCH_LINES 20   /* the console is slow; the CSV has them all */

static int mirror;
static struct dbs_ktap ktap;
static int every_case; /* KTAP lines for every case instead of the terse progress */

void console_mirror(int on)
{
    mirror = on;
}

void say(const char *ascii)
{
    UINTN n = 0;

    Print(L"%a\n", ascii);
    if (mirror) {
        while (ascii[n])
            n++;
        serial_write(ascii, n);
        serial_write("\r\n", 2);
    }
}

void sayf(const CHAR16 *fmt, ...)
{
    CHAR16 wide[512]; /* a configuration error quotes up to 256 characters */
    char line[512];
    va_list args;
    UINTN i;

    va_start(args, fmt);
    UnicodeVSPrint(wide, sizeof(wide), fmt, args);
    va_end(args);
    for (i = 0; wide[i] && i + 1 < sizeof(line); i++)
        line[i] = wide[i] < 0x80 ? (char)wide[i] : '?';
    line[i] = 0;
    say(line);
}

static void say_line(void *ctx, const char *text)
{
    (void)ctx;
    say(text);
}

void results_begin(int ktap_lines, const UINT32 *sel, unsigned n, const struct dbs_resume *res)
{
    static struct dbs_case c;
    char label[DBS_GROUP_MAX_NAME];
    unsigned i;

    every_case = ktap_lines;
    if (!every_case)
        return;
    dbs_ktap_init(&ktap, say_line, NULL);
    if (res->kind == DBS_RESUME_CRASHED && !dbs_case_get(res->crashed, &c)) {
        dbs_case_run_label(&c, label, sizeof(label));
        dbs_ktap_plan(&ktap, label);
    }
    for (i = 0; i < n; i++)
        if (dbs_resume_runs(res, sel[i]) && !dbs_case_get(sel[i], &c) &&
            (dbs_case_run_label(&c, label, sizeof(label)), dbs_ktap_plan(&ktap, label))) {
            say("dbsweep: too many groups for the KTAP plan; printing the terse progress");
            every_case = 0;
            return;
        }
    dbs_ktap_begin(&ktap);
}

void results_crashed(const struct dbs_case *c)
{
    if (every_case)
        dbs_ktap_case(&ktap, c->name, DBS_V_NONE, DBS_KTAP_CRASHED);
}

static int same_name(const char *a, const char *b)
{
    unsigned i;

    for (i = 0; i < DBS_GROUP_MAX_NAME && a[i] == b[i]; i++)
        if (!a[i])
            return 1;
    return i == DBS_GROUP_MAX_NAME;
}

/* Counts a case's verdict under its group (a group's cases may come in
 * several runs, one per mode). */
void count_group(struct totals *t, const struct dbs_case *c, enum dbs_verdict v)
{
    struct group_totals *g = NULL;
    unsigned k;

    for (k = 0; k < t->ngroups && !g; k++)
        if (same_name(t->group[k].name, c->group))
            g = &t->group[k];
    if (!g) {
        if (t->ngroups == MAX_GROUPS)
            return;
        g = &t->group[t->ngroups++];
        CopyMem(g->name, (void *)c->group, sizeof(g->name));
    }
    g->cases++;
    g->verdict[v]++;
}

void results_case(unsigned i, unsigned n, const struct dbs_case *c, enum dbs_verdict v,
                  const struct dbs_rep *reps, unsigned nreps, int agree)
{
    char line[160];
    struct dbs_buf b;
    static unsigned shown;
    unsigned r, capped = 0;
    int notable;

    for (r = 0; r < nreps; r++)
        capped |= reps[r].capped;
    notable = v == DBS_V_MISMATCH || !agree || capped;
    if (every_case) {
        dbs_ktap_case(&ktap, c->name, v,
                      (reps[0].skipped ? DBS_KTAP_SKIPPED : 0) | (agree ? 0 : DBS_KTAP_DISAGREE) |
                          (capped ? DBS_KTAP_CAPPED : 0));
        return;
    }

    /* Printing is slow on a framebuffer console: keep large runs terse. */
    if (n > EVERY_CASE_UP_TO && i + 1 != n && (i + 1) % (n / 20 + 1) != 0 &&
        (!notable || shown >= MISMATCH_LINES))
        return;
    if (notable && ++shown == MISMATCH_LINES && n > EVERY_CASE_UP_TO)
        say("dbsweep: (further mismatches only in the CSV and the summary)");
    dbs_buf_init(&b, line, sizeof(line));
    dbs_put_char(&b, '[');
    dbs_put_dec_w(&b, i + 1, 3, ' ');
    dbs_put_char(&b, '/');
    dbs_put_dec(&b, n);
    dbs_put_str(&b, "] ");
    dbs_put_str(&b, c->name);
    dbs_put_str(&b, " ... ");
    dbs_put_str(&b, reps[0].skipped ? "skipped" : dbs_verdict_names[v]);
    if (!agree)
        dbs_put_str(&b, " (repetitions disagree)");
    if (capped)
        dbs_put_str(&b, " (event cap hit)");
    say(dbs_buf_str(&b));
}

/* "N match, N mismatch, N undefined, N none" */
static void put_verdicts(struct dbs_buf *b, const unsigned *count)
{
    static const enum dbs_verdict order[] = {DBS_V_MATCH, DBS_V_MISMATCH, DBS_V_UNDEFINED,
                                             DBS_V_NONE};
    unsigned i;

    for (i = 0; i < 4; i++) {
        if (i)
            dbs_put_str(b, ", ");
        dbs_put_dec(b, count[order[i]]);
        dbs_put_char(b, ' ');
        dbs_put_str(b, dbs_verdict_names[order[i]]);
    }
}

void summary(const struct totals *t, unsigned nreps, const char *file, EFI_STATUS err)
{
    char line[200];
    struct dbs_buf b;
    unsigned i;

    dbs_buf_init(&b, line, sizeof(line));
    dbs_put_str(&b, "dbsweep: ");
    dbs_put_dec(&b, t->cases);
    dbs_put_str(&b, " cases x ");
    dbs_put_dec(&b, nreps);
    dbs_put_str(&b, " reps: ");
    put_verdicts(&b, t->verdict);
    dbs_put_str(&b, "; ");
    dbs_put_dec(&b, t->disagree);
    dbs_put_str(&b, " with disagreeing reps, ");
    dbs_put_dec(&b, t->skipped);
    dbs_put_str(&b, " skipped, ");
    dbs_put_dec(&b, t->capped);
    dbs_put_str(&b, " reps capped");
    say(dbs_buf_str(&b));
    for (i = 0; i < t->ngroups; i++) {
        const struct group_totals *g = &t->group[i];

        dbs_buf_init(&b, line, sizeof(line));
        dbs_put_str(&b, "  ");
        dbs_put_str(&b, g->name);
        dbs_put_str(&b, ": ");
        dbs_put_dec(&b, g->cases);
        dbs_put_str(&b, " cases, ");
        put_verdicts(&b, g->verdict);
        say(dbs_buf_str(&b));
    }
    if (file) {
        dbs_buf_init(&b, line, sizeof(line));
        dbs_put_str(&b, "dbsweep: wrote \\dbsweep\\results\\");
        dbs_put_str(&b, file);
        say(dbs_buf_str(&b));
    } else {
        sayf(L"dbsweep: ERROR: results NOT saved to the boot volume (%r)", err);
    }
}
