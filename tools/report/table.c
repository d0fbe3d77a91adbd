/* This dbsweep's case table by name, for commands that re-derive what a
 * CSV row should say (check, kut); random cases by their seed and index. */
#include <stdlib.h>
#include <string.h>

#include "dbs_options.h"
#include "table.h"

static struct entry {
    char name[DBS_CASE_MAX_NAME];
    unsigned index;
} *entries;
static unsigned nentries;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

int dbs_table_find(const char *name, struct dbs_case *out)
{
    struct entry key, *hit;
    uint64_t seed;
    unsigned at;

    /* random.SEED.I: drawn again from its name, whatever run it came from */
    if (dbs_random_name(name, &seed, &at))
        return dbs_random_case(seed, at, out);
    if (!entries) {
        unsigned i, n = dbs_case_count();
        entries = calloc(n ? n : 1, sizeof(*entries));
        if (!entries)
            return -1;
        for (i = 0; i < n; i++)
            if (!dbs_case_get(i, out)) {
                memcpy(entries[nentries].name, out->name, sizeof(out->name));
                entries[nentries++].index = i;
            }
        qsort(entries, nentries, sizeof(*entries), by_name);
    }
    snprintf(key.name, sizeof(key.name), "%s", name);
    hit = bsearch(&key, entries, nentries, sizeof(*entries), by_name);
    return hit ? dbs_case_get(hit->index, out) : -1;
}
