/* Seeded random cases (src/cases/cases_random.c): reproducible from the
 * seed, different across seeds, safe as casegen builds them, drawn from the
 * whole vocabulary with the weight on what hypervisors emulate, and judged
 * by the model. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dbs_arch.h"
#include "dbs_case.h"
#include "dbs_harness.h"
#include "dbs_model.h"
#include "dbs_options.h"
#include "dbs_prng.h"

#define CODEBUF 2048 /* ring0/runner.c: what a case's layout may take */
#define N 20000      /* as make bench runs: random:1:20000 */

static struct dbs_case a, b;

/* What the runner reads of a case: bytes, boundaries, breakpoints, arming, setup. */
static int same_case(const struct dbs_case *x, const struct dbs_case *y)
{
    unsigned k;

    if (strcmp(x->name, y->name) || x->tf != y->tf || x->mode != y->mode ||
        x->nbytes != y->nbytes || memcmp(x->bytes, y->bytes, x->nbytes) || x->ninsn != y->ninsn ||
        memcmp(x->off, y->off, sizeof(x->off)) || memcmp(x->kind, y->kind, sizeof(x->kind)) ||
        x->nbp != y->nbp || x->dr6_init != y->dr6_init || x->dr7_extra != y->dr7_extra ||
        x->needs != y->needs || x->cr4_de != y->cr4_de || x->fmask_tf != y->fmask_tf ||
        x->sysret_tf != y->sysret_tf || memcmp(x->regs, y->regs, sizeof(x->regs)))
        return 0;
    for (k = 0; k < x->nbp; k++)
        if (memcmp(&x->bp[k], &y->bp[k], sizeof(x->bp[k])))
            return 0;
    return 1;
}

static void test_prng_is_splitmix64(void **state)
{
    struct dbs_prng r = {0};

    (void)state;
    /* splitmix64 from state 0: the reference sequence (Vigna's splitmix64.c) */
    assert_true(dbs_prng_next(&r) == 0xe220a8397b1dcdafull);
    assert_true(dbs_prng_next(&r) == 0x6e789e6aa1b965f4ull);
    assert_true(dbs_prng_next(&r) == 0x06c45d188009454full);
}

static void test_same_seed_same_cases(void **state)
{
    unsigned i;

    (void)state;
    for (i = 0; i < 2000; i++) {
        assert_int_equal(dbs_random_case(1, i, &a), 0);
        assert_int_equal(dbs_random_case(1, i, &b), 0);
        if (!same_case(&a, &b))
            fail_msg("random.1.%u differs between two draws", i);
    }
    /* the same case through the case table, whatever N and the other items */
    dbs_random_configure("kut.*,random:9:3,random:1:2000");
    assert_int_equal(dbs_case_get(dbs_case_count() - 1, &b), 0);
    assert_string_equal(b.name, "random.1.1999");
    assert_true(same_case(&a, &b));
    dbs_random_configure("random:1:5000,random:1:10");
    assert_int_equal(dbs_case_get(dbs_case_count() - 5000 + 1999, &b), 0);
    assert_true(same_case(&a, &b));
    dbs_random_configure("");
}

static void test_other_seeds_other_cases(void **state)
{
    unsigned i, same = 0;

    (void)state;
    for (i = 0; i < 1000; i++) {
        assert_int_equal(dbs_random_case(1, i, &a), 0);
        assert_int_equal(dbs_random_case(2, i, &b), 0);
        strcpy(b.name, a.name);
        same += same_case(&a, &b);
    }
    /* a short case can come out twice by chance; most differ */
    assert_true(same < 50);
}

/* The table without random items is the table as it was; with them, the
 * random cases follow it, named random.SEED.I, one run label whatever mode. */
static void test_case_table(void **state)
{
    unsigned n0, i;
    char label[DBS_GROUP_MAX_NAME];

    (void)state;
    dbs_random_configure("*");
    n0 = dbs_case_count();
    dbs_random_configure("kut.*,random:7:50");
    assert_int_equal(dbs_case_count(), n0 + 50);
    for (i = 0; i < 50; i++) {
        char want[32];

        assert_int_equal(dbs_case_get(n0 + i, &a), 0);
        snprintf(want, sizeof(want), "random.7.%u", i);
        assert_string_equal(a.name, want);
        assert_string_equal(a.group, "random");
        dbs_case_run_label(&a, label, sizeof(label));
        assert_string_equal(label, "random");
        assert_true(dbs_selected("kut.*,random:7:50", a.name));
    }
    assert_int_equal(dbs_case_get(n0 + 50, &a), -1);
    dbs_random_configure("");
    assert_int_equal(dbs_case_count(), n0);
}

/* Every draw of random:1:N and of a few other seeds: built by casegen (no
 * unknown address, breakpoints where the runner can put them and off what
 * #DB's delivery touches), laid out in the code buffer, judged by the model
 * on both vendors; the vocabulary covered, the weight where it should be. */
static void check_seed(uint64_t seed, unsigned n, int print)
{
    static struct dbs_case_spec s;
    static char name[DBS_CASE_MAX_NAME];
    static struct dbs_expect x;
    static uint8_t buf[CODEBUF];
    unsigned i, k, v, attempts, max_attempts = 0, mode[DBS_MODE_COUNT] = {0}, tf[DBS_TF_COUNT] = {0};
    unsigned space[DBS_BP_SSDESC + 1] = {0}, emulated = 0, shadowed = 0, multi = 0, pfx = 0;
    unsigned outcome[DBS_VENDOR_COUNT][3] = {{0}};
    size_t case_off;

    for (i = 0; i < n; i++) {
        unsigned conditions = 0, em, sh;

        if (dbs_random_spec(seed, i, &s, name, &attempts))
            fail_msg("random.%llu.%u: no safe draw", (unsigned long long)seed, i);
        if (attempts > max_attempts)
            max_attempts = attempts;
        assert_int_equal(dbs_case_build(&s, &a), 0);
        for (k = 0; k < a.nbp; k++) {
            const struct dbs_bp *p = &a.bp[k];

            assert_true(p->dr < 4);
            space[p->space]++;
            conditions += p->en != DBS_EN_OFF;
            switch (p->space) {
            case DBS_BP_CODE: assert_true(p->off < a.nbytes); break;
            case DBS_BP_DATA: assert_true(p->off < DBS_SCRATCH_BYTES); break;
            case DBS_BP_IO: assert_true(a.cr4_de == DBS_DE_SET); break;
            case DBS_BP_APIC: assert_true(p->off < 0x1000 && (a.needs & DBS_NEEDS_XAPIC)); break;
            case DBS_BP_SSDESC: assert_true(p->off < 8 && dbs_mode_user(a.mode)); break;
            default: fail_msg("%s: a breakpoint on what #DB's delivery touches", a.name);
            }
        }
        assert_int_equal(!!(a.needs & DBS_NEEDS_ENV), a.mode != DBS_MODE_K64);
        assert_true(dbs_harness_layout(buf, sizeof(buf), &a, 0x1234, &case_off) > 0);
        mode[a.mode]++;
        tf[a.tf]++;
        pfx += s.npfx > 0;
        for (k = 0, em = sh = 0; k < a.ninsn; k++) {
            em |= a.kind[k] == DBS_K_CPUID || a.kind[k] == DBS_K_IO || a.kind[k] == DBS_K_MSR ||
                  a.mem[k][0].space == DBS_BP_APIC;
            sh |= a.kind[k] == DBS_K_MOVSS || a.kind[k] == DBS_K_STI;
        }
        emulated += em;
        shadowed += sh;
        multi += conditions + (a.tf != DBS_TF_NONE) >= 2;
        for (v = 0; v < DBS_VENDOR_COUNT; v++) {
            dbs_model_expect(&a, v, &x);
            if (x.outcome == DBS_MODEL_NO_RULE)
                fail_msg("%s (%s): no rule: %s", a.name, dbs_vendor_names[v], x.why);
            if (x.outcome == DBS_MODEL_UNDEFINED && (!x.why || !x.why[0]))
                fail_msg("%s (%s): undefined without a reason", a.name, dbs_vendor_names[v]);
            outcome[v][x.outcome]++;
        }
    }
    assert_true(max_attempts < 64);
    for (k = 0; k < DBS_MODE_COUNT; k++)
        assert_true(mode[k] > n / 20);
    for (k = 0; k < DBS_TF_COUNT; k++)
        assert_true(tf[k] > n / 20);
    for (k = DBS_BP_CODE; k <= DBS_BP_SSDESC; k++)
        if (k != DBS_BP_KSTACK && k != DBS_BP_IDT)
            assert_true(space[k] > 0);
    /* the weight: emulated instructions in most cases, shadows, several
     * conditions at once */
    assert_true(emulated > n / 2 && shadowed > n / 4 && multi > n / 3 && pfx > 0);
    if (print)
        printf("random:%llu:%u: every case built and judged; at most %u draws a case; "
               "Intel %u expected, %u undefined; AMD %u expected, %u undefined; "
               "%u with an emulated instruction, %u with a shadow, %u with 2+ conditions\n",
               (unsigned long long)seed, n, max_attempts, outcome[DBS_VENDOR_INTEL][DBS_MODEL_EXPECT],
               outcome[DBS_VENDOR_INTEL][DBS_MODEL_UNDEFINED],
               outcome[DBS_VENDOR_AMD][DBS_MODEL_EXPECT], outcome[DBS_VENDOR_AMD][DBS_MODEL_UNDEFINED],
               emulated, shadowed, multi);
}

static void test_every_draw_safe_and_judged(void **state)
{
    static const uint64_t seeds[] = {0, 7, 0xffffffffffffffffull};
    unsigned k;

    (void)state;
    check_seed(1, N, 1);
    for (k = 0; k < sizeof(seeds) / sizeof(seeds[0]); k++)
        check_seed(seeds[k], 2000, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prng_is_splitmix64),
        cmocka_unit_test(test_same_seed_same_cases),
        cmocka_unit_test(test_other_seeds_other_cases),
        cmocka_unit_test(test_case_table),
        cmocka_unit_test(test_every_draw_safe_and_judged),
    };
    return cmocka_run_group_tests_name("random", tests, NULL, NULL);
}
