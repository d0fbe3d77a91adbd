/* Crash recovery's planning. */
#include "dbs_recovery.h"

void dbs_resume_plan(const char *text, unsigned len, unsigned ncases, struct dbs_marker *mk,
                     struct dbs_resume *res)
{
    *res = (struct dbs_resume){.kind = DBS_RESUME_NONE, .careful_first = 1, .careful_last = 0};
    if (!text)
        return;
    if (dbs_marker_parse(text, len, mk) || mk->last >= ncases) {
        res->kind = DBS_RESUME_DAMAGED;
        return;
    }
    if (mk->first == mk->last) {
        res->kind = DBS_RESUME_CRASHED;
        res->crashed = mk->first;
        res->start = mk->first + 1;
    } else {
        res->kind = DBS_RESUME_RERUN;
        res->careful_first = mk->first;
        res->careful_last = mk->last;
        res->start = mk->first;
    }
}

int dbs_resume_runs(const struct dbs_resume *res, unsigned idx)
{
    return idx >= res->start;
}

static int careful(const struct dbs_resume *res, unsigned idx)
{
    return idx >= res->careful_first && idx <= res->careful_last;
}

int dbs_batch_mark(struct dbs_batches *b, const struct dbs_resume *res, const uint32_t *sel,
                   unsigned n, unsigned i, unsigned *last)
{
    if (careful(res, sel[i])) {
        b->left = 0;
        *last = i;
        return 1;
    }
    if (b->left) {
        b->left--;
        return 0;
    }
    /* a new batch, up to the next careful case */
    *last = i;
    while (*last + 1 < n && *last + 1 - i < DBS_BATCH && !careful(res, sel[*last + 1]))
        (*last)++;
    b->left = *last - i;
    return 1;
}
