/* dbsweep-report check: validate files (loading does) and re-judge every row
 * with this dbsweep's case table and model; report rows whose stored verdict,
 * expectation or agreement disagrees. A file judged by another model version
 * is re-judged all the same: the disagreements are what the new model says. */
#include <stdlib.h>
#include <string.h>

#include "dbs_judge.h"
#include "dbs_model.h"
#include "events.h"
#include "report.h"
#include "table.h"

#define SHOW_MAX 20
#define BASE 0x100000ull /* any case start: RIPs are rebuilt from rip_off */

static unsigned long long hex_or0(const char *s)
{
    unsigned long long v = 0;
    dbs_parse_hex(s, &v);
    return v;
}

/* Repetition r of a case, rebuilt from its rows. */
static void rebuild(const struct dbs_case_rows *cr, unsigned r, struct dbs_rep *rep)
{
    unsigned i;
    long off;

    memset(rep, 0, sizeof(*rep));
    rep->case_start = BASE;
    for (i = cr->first; i < cr->end; i++) {
        char **f = cr->run->rows[i].f;
        struct dbs_event *e;

        if ((unsigned)atoi(f[DBS_COL_REP]) != r)
            continue;
        rep->skipped |= !strcmp(f[DBS_COL_NOTE], "skipped");
        rep->capped |= !strcmp(f[DBS_COL_NOTE], "capped");
        if (!f[DBS_COL_EVENT][0] || rep->nev == DBS_MAX_EVENTS)
            continue;
        e = &rep->ev[rep->nev++];
        off = dbs_parse_off(f[DBS_COL_RIP_OFF]);
        e->vector = (uint64_t)atoi(f[DBS_COL_VECTOR]);
        e->error = hex_or0(f[DBS_COL_ERROR]);
        e->entry = off >= 0 && (off & DBS_OFF_ENTRY) ? (uint16_t)((off & ~(long)DBS_OFF_ENTRY) + 1) : 0;
        e->rip = off >= 0 && !e->entry ? BASE + (unsigned long)off
                                       : hex_or0(f[DBS_COL_RIP]) | 1ull << 63;
        e->rflags = hex_or0(f[DBS_COL_RFLAGS]);
        e->has_dr = f[DBS_COL_DR6][0] != 0;
        e->dr6 = hex_or0(f[DBS_COL_DR6]);
        e->dr7 = hex_or0(f[DBS_COL_DR7]);
    }
}

struct tally {
    unsigned rows, bad, shown;
};

static void complain(struct tally *t, FILE *out, const struct dbs_run *run, unsigned row,
                     const char *what, const char *stored, const char *says)
{
    t->bad++;
    if (t->shown++ < SHOW_MAX)
        fprintf(out, "%s:%u: %s %s: stored '%s', re-judged '%s'\n", run->path,
                run->rows[row].line, run->rows[row].f[DBS_COL_CASE], what, stored, says);
}

/* An expected event as the stored columns spell it: vector@where rf R. */
static void expected_text(const struct dbs_exp *e, char *out, size_t cap)
{
    char where[16], rf[2] = {0, 0};
    struct dbs_buf b;

    dbs_buf_init(&b, where, sizeof(where));
    dbs_csv_off(&b, e->rip_off);
    if (e->rf != DBS_RF_ANY)
        rf[0] = (char)('0' + e->rf);
    snprintf(out, cap, "%u@%s rf %s", e->vector, dbs_buf_str(&b), rf);
}

static void check_case(const struct dbs_case_rows *cr, enum dbs_vendor v, struct tally *t,
                       FILE *out)
{
    static struct dbs_case c;
    static struct dbs_expect x;
    static struct dbs_rep reps[DBS_REPS * 4];
    char **f0 = cr->run->rows[cr->first].f, hex[2 * DBS_CASE_MAX_BYTES + 1];
    unsigned i, nreps = 0, pos[DBS_REPS * 4] = {0};
    struct dbs_buf b;
    const char *agree;

    t->rows += cr->end - cr->first;
    if (dbs_table_find(f0[DBS_COL_CASE], &c)) {
        complain(t, out, cr->run, cr->first, "case", "present", "unknown to this dbsweep");
        return;
    }
    dbs_buf_init(&b, hex, sizeof(hex));
    dbs_put_hex_bytes(&b, c.bytes, c.nbytes);
    if (strcmp(dbs_buf_str(&b), f0[DBS_COL_BYTES])) {
        complain(t, out, cr->run, cr->first, "bytes", f0[DBS_COL_BYTES], hex);
        return;
    }
    dbs_model_expect(&c, v, &x);
    for (i = cr->first; i < cr->end; i++)
        if ((unsigned)atoi(cr->run->rows[i].f[DBS_COL_REP]) + 1 > nreps)
            nreps = (unsigned)atoi(cr->run->rows[i].f[DBS_COL_REP]) + 1;
    if (nreps > DBS_REPS * 4) {
        complain(t, out, cr->run, cr->first, "repetitions", "many", "more than this tool reads");
        return;
    }
    for (i = 0; i < nreps; i++)
        rebuild(cr, i, &reps[i]);
    agree = dbs_reps_agree(reps, nreps) ? "yes" : "no";
    for (i = cr->first; i < cr->end; i++) {
        char **f = cr->run->rows[i].f;
        unsigned r = (unsigned)atoi(f[DBS_COL_REP]), row = pos[r]++;
        const char *verdict = dbs_verdict_names[dbs_judge_row(&c, &x, &reps[r], row)];
        char exp[48] = "", stored[48] = "";

        if (x.e.nexp > 0 && row < (unsigned)x.e.nexp)
            expected_text(&x.e.exp[row], exp, sizeof(exp));
        if (f[DBS_COL_EXP_VECTOR][0])
            snprintf(stored, sizeof(stored), "%s@%s rf %s", f[DBS_COL_EXP_VECTOR],
                     f[DBS_COL_EXP_RIP_OFF], f[DBS_COL_EXP_RF]);
        if (strcmp(f[DBS_COL_VERDICT], verdict))
            complain(t, out, cr->run, i, "verdict", f[DBS_COL_VERDICT], verdict);
        else if (strcmp(f[DBS_COL_AGREE], agree))
            complain(t, out, cr->run, i, "agree", f[DBS_COL_AGREE], agree);
        else if (strcmp(stored, exp))
            complain(t, out, cr->run, i, "expectation", stored, exp);
    }
}

int dbs_report_check(struct dbs_run *const *runs, unsigned n, FILE *out)
{
    unsigned k, i, bad = 0;

    for (k = 0; k < n; k++) {
        const struct dbs_run *r = runs[k];
        enum dbs_vendor v = dbs_run_vendor(r);
        struct tally t = {0, 0, 0};
        const char *model = dbs_run_meta(r, "model"),
                   *older = model && strcmp(model, DBS_MODEL_NAME) ? model : NULL;

        for (i = 0; i < r->nrows; i = dbs_run_case_end(r, i)) {
            struct dbs_case_rows cr = {r, i, dbs_run_case_end(r, i)};
            check_case(&cr, v, &t, out);
        }
        if (t.shown > SHOW_MAX)
            fprintf(out, "%s: ... %u more\n", r->path, t.shown - SHOW_MAX);
        fprintf(out, "check: %s: schema ok, %u rows re-judged by %s (%s rules), %u disagree%s%s%s\n",
                r->path, t.rows, DBS_MODEL_NAME, dbs_vendor_names[v], t.bad,
                older ? " (the file was judged by " : "", older ? older : "", older ? ")" : "");
        if (!r->complete)
            fprintf(out, "check: %s: INCOMPLETE (no '# status: complete')\n", r->path);
        bad += t.bad;
    }
    return bad ? 1 : 0;
}
