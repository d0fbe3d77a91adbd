/* CPU signature decoding and result file names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dbs_ident.h"

static void test_decode_signatures(void **state)
{
    unsigned f, m, s;

    (void)state;
    dbs_cpu_decode_sig(0x000506e3, &f, &m, &s); /* Skylake client */
    assert_int_equal(f, 6);
    assert_int_equal(m, 94);
    assert_int_equal(s, 3);
    dbs_cpu_decode_sig(0x00830f10, &f, &m, &s); /* Zen 2 (family 17h) */
    assert_int_equal(f, 23);
    assert_int_equal(m, 49);
    assert_int_equal(s, 0);
    dbs_cpu_decode_sig(0x00000633, &f, &m, &s); /* family 6, no extended model */
    assert_int_equal(m, 3);
    dbs_cpu_decode_sig(0x00000543, &f, &m, &s); /* family 5: extended model ignored */
    assert_int_equal(f, 5);
    assert_int_equal(m, 4);
}

static const char *name(const struct dbs_cpu_id *id, const struct dbs_time *t, const char *label)
{
    static char mem[128];
    struct dbs_buf b;

    dbs_buf_init(&b, mem, sizeof(mem));
    dbs_result_stem(&b, id, t, label);
    return dbs_buf_str(&b);
}

static void test_result_names(void **state)
{
    struct dbs_cpu_id id = {.vendor = "GenuineIntel", .family = 6, .model = 94, .stepping = 3};
    struct dbs_time t = {2026, 1, 2, 3, 4, 5};

    (void)state;
    assert_string_equal(name(&id, &t, ""), "intel-6-94-3-metal-20260102-030405");
    assert_string_equal(name(&id, &t, "rack7"), "intel-6-94-3-metal-20260102-030405-rack7");
    id.hypervisor = 1;
    strcpy(id.hv_sig, "KVMKVMKVM");
    assert_string_equal(name(&id, &t, NULL), "intel-6-94-3-kvm-20260102-030405");
    strcpy(id.vendor, "AuthenticAMD");
    strcpy(id.hv_sig, "TCGTCGTCGTCG");
    assert_string_equal(name(&id, &t, NULL), "amd-6-94-3-tcg-20260102-030405");
    strcpy(id.hv_sig, "My Hv/1.0");
    assert_string_equal(name(&id, &t, NULL), "amd-6-94-3-myhv10-20260102-030405");
    id.hv_sig[0] = 0;
    strcpy(id.vendor, "??");
    assert_string_equal(name(&id, &t, NULL), "unknown-6-94-3-unknown-20260102-030405");
}

/* Runs CPUID on the host: whatever it is, the identity is well formed. */
static void test_identify_host(void **state)
{
    struct dbs_cpu_id id;

    (void)state;
    memset(&id, 0x55, sizeof(id));
    dbs_cpu_identify(&id);
    assert_int_equal(strlen(id.vendor), 12);
    assert_true(strlen(id.brand) < sizeof(id.brand));
    assert_true(id.brand[0] != ' ');
    assert_true(id.family > 0);
    assert_true(strlen(id.hv_sig) <= 12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_signatures),
        cmocka_unit_test(test_result_names),
        cmocka_unit_test(test_identify_host),
    };
    return cmocka_run_group_tests_name("ident", tests, NULL, NULL);
}
