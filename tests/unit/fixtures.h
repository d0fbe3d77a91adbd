/* Shared by the unit tests: a case by name and repetitions that replay its
 * expectation as if a CPU had produced it. */
#ifndef DBS_TEST_FIXTURES_H
#define DBS_TEST_FIXTURES_H

#include <string.h>
#include "dbs_case.h"
#include "dbs_event.h"
#include "dbs_model.h"
#include "dbs_options.h"

#define FIX_BASE 0x1e530000ull

static inline void fix_case(const char *name, struct dbs_case *c)
{
    unsigned i;

    for (i = 0; i < dbs_case_count(); i++)
        if (!dbs_case_get(i, c) && !strcmp(c->name, name))
            return;
    fail_msg("no case %s", name);
}

/* The model's expectation of a case, by name. */
static inline enum dbs_model_outcome fix_expect(const char *name, enum dbs_vendor v,
                                                struct dbs_case *c, struct dbs_expect *x)
{
    fix_case(name, c);
    dbs_model_expect(c, v, x);
    return x->outcome;
}

/* How many cases a glob list selects. */
static inline unsigned fix_count(const char *globs)
{
    static struct dbs_case c;
    unsigned i, n = 0;

    for (i = 0; i < dbs_case_count(); i++)
        if (!dbs_case_get(i, &c) && dbs_selected(globs, c.name))
            n++;
    return n;
}

/* Fails unless every glob selects a case. */
static inline void fix_each_glob_matches(const char *const *globs, unsigned n)
{
    unsigned i;

    for (i = 0; i < n; i++)
        if (!fix_count(globs[i]))
            fail_msg("no case matches %s", globs[i]);
}

/* A repetition whose events are exactly the expected ones (RF as expected,
 * 0 where open). */
static inline void fix_rep_as_expected(const struct dbs_exp_list *x, struct dbs_rep *r)
{
    int i;

    memset(r, 0, sizeof(*r));
    r->case_start = FIX_BASE + 10;
    for (i = 0; i < x->nexp; i++) {
        struct dbs_event *e = &r->ev[r->nev++];
        const struct dbs_exp *ex = &x->exp[i];

        e->vector = ex->vector;
        e->entry = ex->rip_off & DBS_OFF_ENTRY ? (uint8_t)((ex->rip_off & 0xff) + 1) : 0;
        e->rip = e->entry ? FIX_BASE : r->case_start + ex->rip_off;
        e->rflags = 0x102 | (ex->rf == 1 ? 1u << 16 : 0);
        e->dr6 = ex->dr6;
        e->dr7 = 0x420;
        e->has_dr = 1;
    }
}

#endif
