/* Open addressing with FNV-1a, linear probing. */
#include <stdlib.h>
#include <string.h>

#include "strtab.h"
#include "grow.h"

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u; /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot holding s, or the free slot where it belongs. */
static unsigned *find_slot(const struct dbs_strtab *t, const char *s)
{
    unsigned i = hash(s) & (t->nslot - 1);

    while (t->slot[i] && strcmp(t->s[t->slot[i] - 1], s))
        i = (i + 1) & (t->nslot - 1);
    return &t->slot[i];
}

static int rehash(struct dbs_strtab *t)
{
    unsigned i, n = t->nslot ? 2 * t->nslot : 1024;
    unsigned *slot = calloc(n, sizeof(*slot));

    if (!slot)
        return -1;
    free(t->slot);
    t->slot = slot;
    t->nslot = n;
    for (i = 0; i < t->n; i++)
        *find_slot(t, t->s[i]) = i + 1;
    return 0;
}

static int append(struct dbs_strtab *t, const char *s)
{
    if (dbs_grow(&t->s, t->n, &t->cap, sizeof(*t->s), 1024))
        return -1;
    t->s[t->n] = strdup(s);
    return t->s[t->n] ? 0 : -1;
}

int dbs_intern(struct dbs_strtab *t, const char *s, unsigned *idx)
{
    unsigned *slot;

    if (2 * (t->n + 1) >= t->nslot && rehash(t))
        return -1;
    slot = find_slot(t, s);
    if (!*slot) {
        if (append(t, s))
            return -1;
        *slot = ++t->n;
    }
    *idx = *slot - 1;
    return 0;
}

const char *dbs_intern_str(struct dbs_strtab *t, const char *s)
{
    unsigned i;

    return dbs_intern(t, s, &i) ? NULL : t->s[i];
}

void dbs_strtab_free(struct dbs_strtab *t)
{
    while (t->n)
        free(t->s[--t->n]);
    free(t->s);
    free(t->slot);
    memset(t, 0, sizeof(*t));
}
