/* Console output: progress, summary, and the optional COM1 mirror. */
#include <efi.h>
#include <efilib.h>
#include "console.h"
#include "serial.h"
#include "dbs_buf.h"

#define EVERY_CASE_UP_TO 64 /* larger runs print every 5% and the first mismatches */
#define MISMATCH_LINES 20   /* the console is slow; the CSV has them all */

static int mirror;

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

void progress(unsigned i, unsigned n, const struct dbs_case *c, enum dbs_verdict v,
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
        Print(L"dbsweep: ERROR: results NOT saved to the boot volume (%r)\n", err);
    }
}
