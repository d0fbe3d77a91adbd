/* splitmix64 (include/dbs_prng.h). */
#include "dbs_prng.h"

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void dbs_prng_init(struct dbs_prng *r, uint64_t seed, uint64_t i)
{
    r->s = mix(seed) ^ mix(i + 0x9e3779b97f4a7c15ull);
}

uint64_t dbs_prng_next(struct dbs_prng *r)
{
    r->s += 0x9e3779b97f4a7c15ull;
    return mix(r->s);
}

unsigned dbs_prng_below(struct dbs_prng *r, unsigned n)
{
    return (unsigned)(dbs_prng_next(r) % n);
}

unsigned dbs_prng_pick(struct dbs_prng *r, const uint8_t *weights, unsigned n)
{
    unsigned i, sum = 0, x;

    for (i = 0; i < n; i++)
        sum += weights[i];
    x = dbs_prng_below(r, sum);
    for (i = 0; x >= weights[i]; i++)
        x -= weights[i];
    return i;
}
