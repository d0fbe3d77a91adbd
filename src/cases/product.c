/* Enumerates the valid points of a generated group's subgroups, mode by
 * mode, in order (include/dbs_product.h). */
#include "dbs_arch.h"
#include "dbs_product.h"

static int build_point(const struct subgroup *g, unsigned mode, unsigned point,
                       struct dbs_case_spec *s, char *name)
{
    unsigned d[DBS_MAX_DIMS], k;
    struct builder b = {.s = s};

    for (k = g->ndims; k-- > 0;) {
        d[k] = point % g->dims[k];
        point /= g->dims[k];
    }
    *s = (struct dbs_case_spec){.dr6_init = (uint32_t)DBS_DR6_INIT, .mode = (uint8_t)mode};
    dbs_buf_init(&b.name, name, DBS_CASE_MAX_NAME);
    s->name = name;
    if (mode != DBS_MODE_K64)
        name_part(&b, dbs_mode_names[mode]);
    if (g->build(&b, d) || b.bad || !dbs_spec_fits_mode(s))
        return 1;
    dbs_buf_str(&b.name);
    return b.name.overflow ? -1 : 0;
}

static void index_cases(struct dbs_product *p)
{
    static struct dbs_case_spec s;
    static char name[DBS_CASE_MAX_NAME];
    unsigned sg, mode, pt, k, total;

    for (mode = 0; mode < DBS_MODE_COUNT; mode++)
        for (sg = 0; sg < p->nsg; sg++) {
            if (!(p->sg[sg].modes & DBS_MODE_BIT(mode)))
                continue;
            for (total = 1, k = 0; k < p->sg[sg].ndims; k++)
                total *= p->sg[sg].dims[k];
            for (pt = 0; pt < total && p->n < p->cap; pt++)
                if (build_point(&p->sg[sg], mode, pt, &s, name) == 0)
                    p->index[p->n++] = (uint32_t)sg << 24 | mode << 20 | pt;
        }
    p->indexed = 1;
}

unsigned dbs_product_count(struct dbs_product *p)
{
    if (!p->indexed)
        index_cases(p);
    return p->n;
}

int dbs_product_get(struct dbs_product *p, unsigned i, struct dbs_case_spec *s, char *name)
{
    if (i >= dbs_product_count(p))
        return -1;
    return build_point(&p->sg[p->index[i] >> 24], (p->index[i] >> 20) & 0xf,
                       p->index[i] & 0xfffff, s, name);
}
