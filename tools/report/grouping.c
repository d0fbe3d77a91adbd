/* Sorting, not searching: O(n log n) however many groups there are. */
#include <stdlib.h>
#include <string.h>

#include "grouping.h"

static const char *const *sort_names;

static int by_name_then_index(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    int c = strcmp(sort_names[x], sort_names[y]);

    return c ? c : (x > y) - (x < y);
}

static int by_value(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

int dbs_group_ids(const char *const *names, unsigned n, unsigned *ids)
{
    unsigned *order = malloc((n + 1) * sizeof(*order)), *firsts = malloc((n + 1) * sizeof(*firsts));
    unsigned i, ngroups = 0;

    if (!order || !firsts) {
        free(order);
        free(firsts);
        return -1;
    }
    for (i = 0; i < n; i++)
        order[i] = i;
    sort_names = names;
    qsort(order, n, sizeof(*order), by_name_then_index);
    /* each run of equal names starts with the name's first appearance */
    for (i = 0; i < n; i++)
        if (!i || strcmp(names[order[i]], names[order[i - 1]]))
            firsts[ngroups++] = order[i];
    qsort(firsts, ngroups, sizeof(*firsts), by_value);
    /* a group's number is the rank of its first appearance */
    for (i = 0; i < ngroups; i++)
        ids[firsts[i]] = i;
    for (i = 0; i < n; i++)
        if (i && !strcmp(names[order[i]], names[order[i - 1]]))
            ids[order[i]] = ids[order[i - 1]];
    free(order);
    free(firsts);
    return (int)ngroups;
}
