/* dbsweep-report kut: what the program asserts (the model, or what was
 * recorded), its symbols unique per export, and the refusals (exit 2, the
 * case named) of what kvm-unit-tests cannot express. Building and running
 * the programs in kvm-unit-tests is tests/kut/kut.sh's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kut.h"
#include "report.h"
#include "runfile.h"
#include "table.h"

#define DATA "tests/report/data/"

static char err[512];

static struct dbs_run *load(const char *path, struct dbs_run *r)
{
    if (dbs_run_load(r, path, err, sizeof(err)))
        fail_msg("%s", err);
    return r;
}

/* dbs_report_kut on the operands (globs..., as on the command line): its
 * output and its stderr as strings the caller frees; returns its exit code. */
static int kut(const struct dbs_run *r, char **globs, unsigned n, int as_recorded, char **out,
               char **said)
{
    size_t len, slen;
    FILE *f = open_memstream(out, &len), *e = tmpfile();
    int fd = dup(2), rc;

    assert_non_null(e);
    fflush(stderr);
    dup2(fileno(e), 2);
    rc = dbs_report_kut(r, globs, n, as_recorded, f);
    fflush(stderr);
    dup2(fd, 2);
    close(fd);
    fclose(f);
    slen = (size_t)ftell(e);
    *said = calloc(1, slen + 1);
    rewind(e);
    assert_int_equal(fread(*said, 1, slen, e), slen);
    fclose(e);
    return rc;
}

static unsigned count(const char *hay, const char *needle)
{
    unsigned n = 0;

    for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
        n++;
    return n;
}

/* QEMU 7.2 traps after the instruction STI shadows (+7); the manuals and
 * KUT say right after STI (+1). The default asserts +1 with +7 in the
 * comment; --as-recorded asserts +7. */
static void test_kut_asserts_the_model_or_the_record(void **state)
{
    char *globs[] = {"kut.singlestep_with_sti_blocking"}, *out, *said;
    struct dbs_run r;

    (void)state;
    load(DATA "tcg-intel.csv", &r);
    assert_int_equal(kut(&r, globs, 1, 0, &out, &said), 0);
    assert_string_equal(said, "");
    assert_non_null(strstr(out, "recorded (rep 0): #DB@7 BS, #DB@8 BS, #DB@9 BS\n"));
    assert_non_null(strstr(out, " *   verdict: mismatch\n"));
    assert_non_null(strstr(out, "asserted (the model): #DB@1 BS, #DB@7 BS, #DB@8 BS, #DB@9 BS\n"));
    assert_non_null(strstr(out, "static const struct dbs_exp dbs0_exp[] = {\n\t{1, 1, 0xffff4ff0, 0x0, 0},\t/* #DB@1 BS */\n"));
    /* it runs the cases on Intel's CPUs only: the expectations are theirs */
    assert_non_null(strstr(out, "int main(void)\n{\n\treturn dbs_run_all(dbs_cases, ARRAY_SIZE(dbs_cases), \"intel\");\n}\n"));
    /* the exit clears TF: KUT would go on stepping otherwise */
    assert_non_null(strstr(out, "\t\"dbs0_end:\\n\\t\"\n\t\"dbs_exit\\n\"\n"));
    assert_non_null(strstr(out, "\"pushf\\n\\tandq $~0x100, (%rsp)\\n\\tpopf\\n\\t\"\n"));
    free(out);
    free(said);
    assert_int_equal(kut(&r, globs, 1, 1, &out, &said), 0);
    assert_non_null(strstr(out, "asserted (as recorded): #DB@7 BS, #DB@8 BS, #DB@9 BS\n"));
    assert_non_null(strstr(out, "static const struct dbs_exp dbs0_exp[] = {\n\t{1, 7, 0xffff4ff0, 0x0, 0},\t/* #DB@7 BS */\n"));
    free(out);
    free(said);
    dbs_run_free(&r);
}

/* Two exports in one program, even of the same case, share no symbol. */
static void test_kut_symbols_are_unique(void **state)
{
    char *globs[] = {"kut.hw_bp1", "kut.hw_bp*", "kut.icebp"}, *out, *said, label[32];
    struct dbs_run r;
    unsigned i;

    (void)state;
    load(DATA "tcg-intel.csv", &r);
    assert_int_equal(kut(&r, globs, 3, 0, &out, &said), 0);
    for (i = 0; i < 4; i++) { /* hw_bp1, hw_bp1, hw_bp2, icebp */
        snprintf(label, sizeof(label), "\"dbs%u_start:\\n", i);
        assert_int_equal(count(out, label), 1);
        snprintf(label, sizeof(label), "\"dbs%u_end:\\n", i);
        assert_int_equal(count(out, label), 1);
        snprintf(label, sizeof(label), "\"dbs%u_run:\\n", i);
        assert_int_equal(count(out, label), 1);
    }
    assert_null(strstr(out, "dbs4_"));
    assert_null(strstr(out, "case_start"));
    assert_int_equal(count(out, "\t{.name = \"kut.hw_bp1\", .run = dbs"), 2);
    free(out);
    free(said);
    dbs_run_free(&r);
}

/* What kvm-unit-tests cannot express is refused, every case named, exit 2,
 * and nothing written. */
static void test_kut_refusals(void **state)
{
    char *compat[] = {"u32.bs3.bp_on_int.movss.syscall"}, *both[] = {"u*"},
         *undefined[] = {"kut.singlestep_with_code_db"}, *none[] = {"kut.no_such*"}, *out, *said;
    struct dbs_run r;

    (void)state;
    load(DATA "tcg-intel-syscall.csv", &r);
    assert_int_equal(kut(&r, compat, 1, 0, &out, &said), 2);
    assert_string_equal(out, "");
    assert_string_equal(said, "dbsweep-report: kut: u32.bs3.bp_on_int.movss.syscall: kvm-unit-tests "
                              "cannot express it: compatibility mode (k32/u32): kvm-unit-tests' "
                              "x86_64 tests run 64-bit code only\n");
    free(out);
    free(said);
    assert_int_equal(kut(&r, both, 1, 1, &out, &said), 2);
    assert_non_null(strstr(said, "kut: u32.bs3.bp_on_int.movss.syscall: kvm-unit-tests cannot express it: compatibility mode"));
    assert_non_null(strstr(said, "kut: u64.ss.none.syscall: kvm-unit-tests cannot express it: SYSCALL needs dbsweep's SYSCALL entry"));
    free(out);
    free(said);
    dbs_run_free(&r);

    load(DATA "tcg-amd-model2.csv", &r);
    assert_int_equal(kut(&r, undefined, 1, 0, &out, &said), 2);
    assert_non_null(strstr(said, "kut: kut.singlestep_with_code_db: the model has no expectation for amd ("));
    assert_non_null(strstr(said, "--as-recorded asserts what " DATA "tcg-amd-model2.csv recorded\n"));
    free(out);
    free(said);
    assert_int_equal(kut(&r, undefined, 1, 1, &out, &said), 0);
    free(out);
    free(said);
    assert_int_equal(kut(&r, none, 1, 0, &out, &said), 2);
    assert_string_equal(said, "dbsweep-report: kut: " DATA "tcg-amd-model2.csv has no case kut.no_such*\n");
    free(out);
    free(said);
    dbs_run_free(&r);
}

/* Every access and data breakpoint stays inside the scratch bytes the
 * program declares; INT 0x80 and breakpoints on dbsweep's own memory need
 * dbsweep. */
static void test_kut_refusal_reasons(void **state)
{
    struct dbs_case c, k;

    (void)state;
    assert_int_equal(dbs_table_find("kut.hw_wp1", &c), 0);
    assert_null(dbs_kut_refusal(&c));
    k = c;
    k.bp[0].off = DBS_SCRATCH_BYTES - 2; /* 4 bytes from there */
    assert_string_equal(dbs_kut_refusal(&k), "a data breakpoint past the scratch bytes the program declares");
    k = c;
    k.mem[1][0] = (struct dbs_mem){.acc = DBS_ACC_W, .space = DBS_BP_DATA, .len = 8,
                                   .off = DBS_SCRATCH_BYTES - 4};
    assert_string_equal(dbs_kut_refusal(&k), "an access past the scratch bytes the program declares");
    k = c;
    k.bp[0].space = DBS_BP_KSTACK;
    assert_string_equal(dbs_kut_refusal(&k), "a breakpoint on memory of dbsweep's own (its kernel stack or IDT)");
    k = c;
    k.id[0] = DBS_I_INT_80;
    assert_string_equal(dbs_kut_refusal(&k), "INT 0x80 needs dbsweep's DPL3 gate at vector 128");
    k = c;
    k.mode = DBS_MODE_K32;
    assert_non_null(strstr(dbs_kut_refusal(&k), "compatibility mode"));
    assert_int_equal(dbs_table_find("u64.kut.singlestep_basic", &c), 0);
    assert_null(dbs_kut_refusal(&c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kut_asserts_the_model_or_the_record),
        cmocka_unit_test(test_kut_symbols_are_unique),
        cmocka_unit_test(test_kut_refusals),
        cmocka_unit_test(test_kut_refusal_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
