/* Generated case groups: each subgroup is a product of small dimensions and
 * a builder that turns one point of the product into a case spec; a builder
 * may reject a point that makes no sense. Names are group.subgroup.detail
 * and stable: they depend only on the tables' contents. Shared by the
 * generated groups (src/cases/cases_sweep.c, src/cases/cases_data.c); src/cases/product.c
 * enumerates the valid points. */
#ifndef DBS_PRODUCT_H
#define DBS_PRODUCT_H

#include "dbs_buf.h"
#include "dbs_case.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The spec being built (s->mode set) and its name. */
struct builder {
    struct dbs_case_spec *s;
    struct dbs_buf name;
    int bad; /* a subject not meant for the case's mode */
};

/* Appends an instruction (past DBS_CASE_MAX_INSNS it is dropped: keep cases short). */
static inline void add(struct builder *b, uint8_t id)
{
    if (b->s->ninsn < DBS_CASE_MAX_INSNS)
        b->s->insn[b->s->ninsn++] = id;
}

static inline void name_part(struct builder *b, const char *part)
{
    if (b->name.len)
        dbs_put_char(&b->name, '.');
    dbs_put_str(&b->name, part);
}

static inline void name_num(struct builder *b, const char *prefix, unsigned v)
{
    name_part(b, prefix);
    dbs_put_dec(&b->name, v);
}

/* build() returns 0 for a case, 1 for a point it rejects; d[k] is the
 * point's coordinate in dimension k. A subgroup runs in the modes its mask
 * names; k64 names are as they were, the others carry the mode first
 * (u64.ss.popf.nop). */
#define DBS_MAX_DIMS 6
struct subgroup {
    int (*build)(struct builder *b, const unsigned *d);
    unsigned ndims, dims[DBS_MAX_DIMS];
    unsigned modes;
};

/* A generated group: its subgroups, and room for the index of their valid
 * points (subgroup << 24 | mode << 20 | point), filled on first use, mode
 * by mode. */
struct dbs_product {
    const struct subgroup *sg;
    unsigned nsg;
    uint32_t *index;
    unsigned cap, n, indexed;
};

unsigned dbs_product_count(struct dbs_product *p);
/* Case i of the group: its spec, with s->name pointing at name. */
int dbs_product_get(struct dbs_product *p, unsigned i, struct dbs_case_spec *s, char *name);

/* The case group `var` (dbs_case.h) of a subgroups table, with room for cap cases. */
#define DBS_PRODUCT_GROUP(var, gname, table, cap)                                            \
    static uint32_t var##_index[cap];                                                        \
    static struct dbs_product var##_product = {table, COUNT_OF(table), var##_index, cap, 0, 0}; \
    static unsigned var##_count(void) { return dbs_product_count(&var##_product); }         \
    static int var##_get(unsigned i, struct dbs_case_spec *s, char *name)                    \
    {                                                                                        \
        return dbs_product_get(&var##_product, i, s, name);                                  \
    }                                                                                        \
    const struct dbs_case_group var = {gname, var##_count, var##_get}

#endif
