/* A loaded run is walked case by case; a path is streamed. */
#include <string.h>

#include "errmsg.h"
#include "runs.h"

int dbs_runs_read(const struct dbs_runs *s, unsigned k, struct dbs_run *store,
                  const struct dbs_run **run, dbs_case_fn *fn, void *ctx, char *err, size_t cap)
{
    const struct dbs_run *r;
    unsigned i;

    memset(store, 0, sizeof(*store));
    if (!s->loaded) {
        *run = store;
        return dbs_run_stream(store, s->paths[k], fn, ctx, err, cap);
    }
    *run = r = s->loaded[k];
    for (i = 0; i < r->nrows; i = dbs_run_case_end(r, i)) {
        struct dbs_case_rows c = {r, i, dbs_run_case_end(r, i)};
        if (fn(ctx, &c))
            return dbs_fail(err, cap, r->path, 0, "out of memory");
    }
    return 0;
}
