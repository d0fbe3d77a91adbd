/* Shared views of a loaded run for the report commands. */
#include <stdlib.h>
#include <string.h>

#include "dbs_arch.h"
#include "cores.h"
#include "dbs_judge.h"
#include "events.h"

void dbs_machine_label(const struct dbs_run *r, char *out, size_t cap)
{
    const char *v = dbs_run_meta(r, "cpu_vendor"), *hv = dbs_run_meta(r, "hypervisor");
    const char *fam = dbs_run_meta(r, "cpu_family"), *mod = dbs_run_meta(r, "cpu_model");
    const char *step = dbs_run_meta(r, "cpu_stepping");
    char core[64];
    const char *vs = !v ? "?" : !strcmp(v, "GenuineIntel") ? "intel"
                            : !strcmp(v, "AuthenticAMD") ? "amd" : v;
    const char *hs = !hv || !strcmp(hv, "none") ? "metal"
                     : !strcmp(hv, "KVMKVMKVM") ? "kvm"
                     : !strcmp(hv, "TCGTCGTCGTCG") ? "tcg" : hv;

    dbs_core_label(r, core, sizeof(core));
    snprintf(out, cap, "%s-%s-%s-%s %s%s%s", vs, fam ? fam : "?", mod ? mod : "?",
             step ? step : "?", hs, core[0] ? " " : "", core);
}

enum dbs_vendor dbs_run_vendor(const struct dbs_run *r)
{
    const char *mv = dbs_run_meta(r, "model_vendor"), *cv = dbs_run_meta(r, "cpu_vendor");

    if (mv)
        return strcmp(mv, "amd") ? DBS_VENDOR_INTEL : DBS_VENDOR_AMD;
    return dbs_vendor_of(cv ? cv : "");
}

size_t dbs_append(char *out, size_t cap, size_t n, const char *s)
{
    size_t len = strlen(s), k;

    if (n < cap) {
        k = len < cap - n - 1 ? len : cap - n - 1;
        memcpy(out + n, s, k);
        out[n + k] = 0;
    }
    return n + len;
}

void dbs_dr6_flags(unsigned long long dr6, char *out, size_t cap)
{
    static const struct {
        unsigned long long bit;
        const char *name;
        int active_low;
    } flags[] = {
        {DBS_DR6_B(0), "B0", 0}, {DBS_DR6_B(1), "B1", 0}, {DBS_DR6_B(2), "B2", 0},
        {DBS_DR6_B(3), "B3", 0}, {DBS_DR6_BLD, "BLD", 1}, {DBS_DR6_BD, "BD", 0},
        {DBS_DR6_BS, "BS", 0},   {DBS_DR6_BT, "BT", 0},   {DBS_DR6_RTM, "RTM", 1},
    };
    size_t n = 0;
    unsigned i;

    out[0] = 0;
    /* ordered as people write them: BD, BS, BT first, then B0-B3 */
    for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        unsigned k = (i + 5) % 9; /* BD BS BT RTM B0 B1 B2 B3 BLD */
        int set = !!(dr6 & flags[k].bit) ^ flags[k].active_low;
        if (set && n + 5 < cap) {
            if (n)
                n = dbs_append(out, cap, n, "|");
            n = dbs_append(out, cap, n, flags[k].name);
        }
    }
    if (!n)
        dbs_append(out, cap, 0, "-");
}

int dbs_find_case(const struct dbs_run *r, const char *name, struct dbs_case_rows *out)
{
    unsigned i;

    for (i = 0; i < r->nrows; i = dbs_run_case_end(r, i))
        if (!strcmp(r->rows[i].f[DBS_COL_CASE], name)) {
            *out = (struct dbs_case_rows){r, i, dbs_run_case_end(r, i)};
            return 0;
        }
    return -1;
}

const char *dbs_vector_name(unsigned v, char *buf, size_t cap)
{
    static const char *const names[32] = {
        [0] = "#DE", [1] = "#DB", [3] = "#BP", [4] = "#OF", [5] = "#BR", [6] = "#UD", [7] = "#NM",
        [10] = "#TS", [11] = "#NP", [12] = "#SS", [13] = "#GP", [14] = "#PF", [16] = "#MF",
        [17] = "#AC", [19] = "#XM"};

    if (v < 32 && names[v])
        return names[v];
    snprintf(buf, cap, "vec%u", v);
    return buf;
}

int dbs_rep0(char *const *f)
{
    return f[DBS_COL_REP][0] == '0' && !f[DBS_COL_REP][1]; /* not strcmp: every row, twice */
}

/* "#DB@6 BS|B2" for one (vector, offset, dr6) triple, " rf1" after it when
 * RFLAGS.RF is (or is expected to be) 1 in the frame */
static size_t put_event(char *out, size_t cap, const char *vec, const char *off, const char *dr6,
                        int rf)
{
    char vb[16], flags[48] = "";
    unsigned long long v;
    size_t n;

    if (!strcmp(vec, "1") && !dbs_parse_hex(dr6, &v))
        dbs_dr6_flags(v, flags, sizeof(flags));
    n = dbs_append(out, cap, 0, dbs_vector_name((unsigned)atoi(vec), vb, sizeof(vb)));
    n = dbs_append(out, cap, n, "@");
    n = dbs_append(out, cap, n, off[0] ? off : "out");
    if (flags[0]) {
        n = dbs_append(out, cap, n, " ");
        n = dbs_append(out, cap, n, flags);
    }
    return rf ? dbs_append(out, cap, n, " rf1") : n;
}

/* RF in the observed frame (RFLAGS bit 16), or the model's exp_rf of 1 */
static int rf_of(char **f, int expected)
{
    unsigned long long v;

    if (expected)
        return !strcmp(f[DBS_COL_EXP_RF], "1");
    return !dbs_parse_hex(f[DBS_COL_RFLAGS], &v) && (v >> 16 & 1);
}

static void join_events(const struct dbs_case_rows *c, int expected, char *out, size_t cap)
{
    unsigned i, k = 0;
    size_t n = 0;

    out[0] = 0;
    for (i = c->first; i < c->end && n + 1 < cap; i++) {
        char **f = c->run->rows[i].f;
        const char *vec = f[expected ? DBS_COL_EXP_VECTOR : DBS_COL_VECTOR];

        if (!dbs_rep0(f) || !vec[0])
            continue;
        if (k++)
            n = dbs_append(out, cap, n, ", ");
        if (n < cap)
            n += put_event(out + n, cap - n, vec,
                           f[expected ? DBS_COL_EXP_RIP_OFF : DBS_COL_RIP_OFF],
                           f[expected ? DBS_COL_EXP_DR6 : DBS_COL_DR6], rf_of(f, expected));
    }
    if (!k)
        snprintf(out, cap, "%s", expected ? "-" : "(no event)");
}

void dbs_events_text(const struct dbs_case_rows *c, char *out, size_t cap)
{
    join_events(c, 0, out, cap);
}

void dbs_expected_text(const struct dbs_case_rows *c, char *out, size_t cap)
{
    unsigned i;

    for (i = c->first; i < c->end; i++)
        if (!strcmp(c->run->rows[i].f[DBS_COL_VERDICT], "undefined")) {
            snprintf(out, cap, "undefined");
            return;
        }
    join_events(c, 1, out, cap);
    if (!strcmp(out, "-") && !strcmp(dbs_case_verdict(c), "match"))
        snprintf(out, cap, "(no event)");
}

const char *dbs_case_verdict(const struct dbs_case_rows *c)
{
    enum dbs_verdict worst = DBS_V_MATCH;
    unsigned i;

    for (i = c->first; i < c->end; i++) {
        int v = dbs_verdict_parse(c->run->rows[i].f[DBS_COL_VERDICT]); /* the loader checked it */
        if (v >= 0)
            worst = dbs_verdict_worse(worst, (enum dbs_verdict)v);
    }
    return dbs_verdict_names[worst];
}

int dbs_case_agrees(const struct dbs_case_rows *c)
{
    unsigned i;

    for (i = c->first; i < c->end; i++)
        if (strcmp(c->run->rows[i].f[DBS_COL_AGREE], "yes"))
            return 0;
    return 1;
}

const char *const dbs_case_diff_names[DBS_DIFF_KINDS] = {
    "same", "events differ", "verdict differs", "only in A", "only in B"};

enum dbs_case_diff dbs_case_compare(const struct dbs_case_rows *a, const struct dbs_case_rows *b)
{
    static char ta[4096], tb[4096]; /* up to 32 events of ~40 characters */

    dbs_events_text(a, ta, sizeof(ta));
    dbs_events_text(b, tb, sizeof(tb));
    if (strcmp(ta, tb))
        return DBS_DIFF_EVENTS;
    return strcmp(dbs_case_verdict(a), dbs_case_verdict(b)) ? DBS_DIFF_VERDICT : DBS_DIFF_SAME;
}
