/* A small deterministic PRNG (splitmix64, Steele, Lea and Flood, "Fast
 * splittable pseudorandom number generators", OOPSLA 2014): the same
 * sequence on every machine and build, freestanding (no libc rand). */
#ifndef DBS_PRNG_H
#define DBS_PRNG_H

#include <stdint.h>

struct dbs_prng {
    uint64_t s;
};

/* The stream for item `i` of seed `seed`: independent of how many items
 * are drawn, so item i is the same whatever N. */
void dbs_prng_init(struct dbs_prng *r, uint64_t seed, uint64_t i);
uint64_t dbs_prng_next(struct dbs_prng *r);
/* A value in 0..n-1 (n >= 1). */
unsigned dbs_prng_below(struct dbs_prng *r, unsigned n);
/* Index into weights[0..n-1], chosen with probability weight / sum. */
unsigned dbs_prng_pick(struct dbs_prng *r, const uint8_t *weights, unsigned n);

#endif
