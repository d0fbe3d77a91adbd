/* KTAP result lines. */
#include "dbs_ktap.h"
#include "dbs_buf.h"

/* Result words, gravest last; a group takes its gravest case's. */
enum word { W_SKIPPED, W_NONE, W_UNDEFINED, W_MATCH, W_MISMATCH, W_CRASHED };
static const char *const words[] = {"SKIP skipped", "SKIP none", "SKIP undefined", "match",
                                    "mismatch", "crashed"};

static int not_ok(unsigned w)
{
    return w >= W_MISMATCH;
}

void dbs_ktap_init(struct dbs_ktap *k, void (*line)(void *ctx, const char *text), void *ctx)
{
    *k = (struct dbs_ktap){.line = line, .ctx = ctx};
}

int dbs_ktap_plan(struct dbs_ktap *k, const char *group)
{
    unsigned i;

    if (!k->ngroups || !dbs_streq(k->group[k->ngroups - 1].name, group)) {
        if (k->ngroups == DBS_KTAP_MAX_GROUPS)
            return -1;
        for (i = 0; i + 1 < DBS_GROUP_MAX_NAME && group[i]; i++)
            k->group[k->ngroups].name[i] = group[i];
        k->group[k->ngroups].name[i] = 0;
        k->group[k->ngroups++].cases = 0;
    }
    k->group[k->ngroups - 1].cases++;
    return 0;
}

static void put_plan(struct dbs_ktap *k, const char *indent, unsigned n)
{
    char mem[32];
    struct dbs_buf b;

    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_put_str(&b, indent);
    dbs_put_str(&b, "1..");
    dbs_put_dec(&b, n);
    k->line(k->ctx, dbs_buf_str(&b));
}

void dbs_ktap_begin(struct dbs_ktap *k)
{
    k->line(k->ctx, "KTAP version 1");
    put_plan(k, "", k->ngroups);
    k->g = k->done = 0;
}

/* "<indent><ok|not ok> <n> <name> # <word>" */
static void result(struct dbs_buf *b, const char *indent, unsigned n, const char *name, unsigned w)
{
    dbs_put_str(b, indent);
    dbs_put_str(b, not_ok(w) ? "not ok " : "ok ");
    dbs_put_dec(b, n);
    dbs_put_char(b, ' ');
    dbs_put_str(b, name);
    dbs_put_str(b, " # ");
    dbs_put_str(b, words[w]);
}

void dbs_ktap_case(struct dbs_ktap *k, const char *name, enum dbs_verdict v, unsigned flags)
{
    static const unsigned of_verdict[DBS_V_COUNT] = {
        [DBS_V_NONE] = W_NONE, [DBS_V_MATCH] = W_MATCH, [DBS_V_MISMATCH] = W_MISMATCH,
        [DBS_V_UNDEFINED] = W_UNDEFINED};
    char mem[DBS_CASE_MAX_NAME + 96];
    struct dbs_buf b;
    unsigned w = flags & DBS_KTAP_CRASHED ? W_CRASHED
               : flags & DBS_KTAP_SKIPPED ? W_SKIPPED : of_verdict[v];
    const char *group;

    if (k->g >= k->ngroups)
        return; /* more cases than planned: the plan was wrong, say nothing false */
    group = k->group[k->g].name;
    if (!k->done) {
        k->line(k->ctx, "    KTAP version 1");
        dbs_buf_init(&b, mem, sizeof(mem));
        dbs_put_str(&b, "    # Subtest: ");
        dbs_put_str(&b, group);
        k->line(k->ctx, dbs_buf_str(&b));
        put_plan(k, "    ", k->group[k->g].cases);
        k->worst = W_SKIPPED;
    }
    dbs_buf_init(&b, mem, sizeof(mem));
    result(&b, "    ", ++k->done, name, w);
    if (flags & DBS_KTAP_DISAGREE)
        dbs_put_str(&b, "; repetitions disagree");
    if (flags & DBS_KTAP_CAPPED)
        dbs_put_str(&b, "; event cap hit");
    k->line(k->ctx, dbs_buf_str(&b));
    if (w > k->worst)
        k->worst = w;
    if (k->done == k->group[k->g].cases) {
        dbs_buf_init(&b, mem, sizeof(mem));
        result(&b, "", k->g + 1, group, k->worst);
        k->line(k->ctx, dbs_buf_str(&b));
        k->g++;
        k->done = 0;
    }
}
