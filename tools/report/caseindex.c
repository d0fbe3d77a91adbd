/* Sorted case index (bsearch). */
#include <stdlib.h>
#include <string.h>

#include "caseindex.h"

static const char *name_of(const struct dbs_case_rows *c)
{
    return c->run->rows[c->first].f[DBS_COL_CASE];
}

static int by_name(const void *a, const void *b)
{
    return strcmp(name_of(a), name_of(b));
}

static int name_vs_case(const void *key, const void *c)
{
    return strcmp(key, name_of(c));
}

int dbs_case_index_build(struct dbs_case_index *ix, const struct dbs_run *r)
{
    unsigned i, n = 0;

    for (i = 0; i < r->nrows; i = dbs_run_case_end(r, i))
        n++;
    ix->n = 0;
    ix->cases = malloc((n + 1) * sizeof(*ix->cases));
    if (!ix->cases)
        return -1;
    for (i = 0; i < r->nrows; i = dbs_run_case_end(r, i))
        ix->cases[ix->n++] = (struct dbs_case_rows){r, i, dbs_run_case_end(r, i)};
    qsort(ix->cases, ix->n, sizeof(*ix->cases), by_name);
    return 0;
}

int dbs_case_index_find(const struct dbs_case_index *ix, const char *name,
                        struct dbs_case_rows *out)
{
    const struct dbs_case_rows *hit = bsearch(name, ix->cases, ix->n, sizeof(*ix->cases),
                                              name_vs_case);

    if (!hit)
        return -1;
    *out = *hit;
    return 0;
}

void dbs_case_index_free(struct dbs_case_index *ix)
{
    free(ix->cases);
    ix->cases = NULL;
    ix->n = 0;
}
