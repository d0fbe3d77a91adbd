/* Case table invariants, checked against objdump's decoding of the bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "dbs_arch.h"
#include "dbs_case.h"
#include "dbs_harness.h"
#include "dbs_insn.h"
#include "dbs_runner.h"

#define CODEBUF 2048 /* ring0/runner.c: what a case's layout may take */

struct decoded {
    unsigned n;
    unsigned off[256];
    char text[256][64];
};

/* objdump -D -b binary -mi386:x86-64 (or -mi386 for 32-bit code):
 * instruction start offsets and text. */
static void objdump_w(const uint8_t *bytes, size_t len, int w32, struct decoded *d)
{
    char path[] = "/tmp/dbs-test-XXXXXX", cmd[256], line[512];
    int fd = mkstemp(path);
    FILE *p;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, len), (ssize_t)len);
    close(fd);
    snprintf(cmd, sizeof(cmd), "objdump -D -b binary -mi386%s --insn-width=16 %s",
             w32 ? "" : ":x86-64", path);
    p = popen(cmd, "r");
    assert_non_null(p);
    d->n = 0;
    while (fgets(line, sizeof(line), p)) {
        unsigned off;
        char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;

        if (!tab2 || sscanf(line, " %x:", &off) != 1)
            continue;
        /* objdump shows a REX prefix that a legacy prefix follows (and the
         * CPU ignores, SDM vol. 2A 2.2.1) as an instruction of its own */
        if (d->n && !strncmp(d->text[d->n - 1], "rex", 3) && !strchr(d->text[d->n - 1], ' ')) {
            d->n--;
            off = d->off[d->n];
        }
        d->off[d->n] = off;
        snprintf(d->text[d->n], sizeof(d->text[0]), "%s", tab2 + 1);
        d->text[d->n][strcspn(d->text[d->n], "\n")] = 0;
        d->n++;
    }
    pclose(p);
    unlink(path);
}

static void objdump(const uint8_t *bytes, size_t len, struct decoded *d)
{
    objdump_w(bytes, len, 0, d);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_every_case_compiles_with_unique_name(void **state)
{
    static struct dbs_case c;
    unsigned i, n = dbs_case_count();
    char **names = calloc(n, sizeof(*names));

    (void)state;
    assert_true(n >= 14);
    assert_non_null(names);
    for (i = 0; i < n; i++) {
        assert_int_equal(dbs_case_get(i, &c), 0);
        assert_true(strlen(c.name) > 0);
        assert_true(strlen(c.group) > 0);
        {   /* [mode.]group.detail; the mode prefix exactly for modes other than k64 */
            const char *g = c.name;
            size_t ml = strlen(dbs_mode_names[c.mode]);
            if (c.mode != DBS_MODE_K64) {
                assert_int_equal(strncmp(g, dbs_mode_names[c.mode], ml), 0);
                assert_int_equal(g[ml], '.');
                g += ml + 1;
            }
            assert_int_equal(strncmp(g, c.group, strlen(c.group)), 0);
            assert_int_equal(g[strlen(c.group)], '.');
        }
        names[i] = strdup(c.name);
    }
    qsort(names, n, sizeof(*names), by_name);
    for (i = 1; i < n; i++)
        if (!strcmp(names[i - 1], names[i]))
            fail_msg("duplicate case name %s", names[i]);
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* 1 the first time these bytes come in this code width (many cases share
 * their bytes and differ in breakpoints or arming: decode each once). */
static int first_time(const struct dbs_case *c)
{
    static char *seen[1 << 15];
    char key[2 * DBS_CASE_MAX_BYTES + 2];
    unsigned h = 5381, i;

    key[0] = dbs_mode_32(c->mode) ? '3' : '6';
    for (i = 0; i < c->nbytes; i++)
        snprintf(key + 1 + 2 * i, 3, "%02x", c->bytes[i]);
    key[1 + 2 * c->nbytes] = 0;
    for (i = 0; key[i]; i++)
        h = h * 33 + (unsigned char)key[i];
    for (h &= (1 << 15) - 1; seen[h]; h = (h + 1) & ((1 << 15) - 1))
        if (!strcmp(seen[h], key))
            return 0;
    seen[h] = strdup(key);
    return 1;
}

static void test_boundaries_match_objdump(void **state)
{
    static struct dbs_case c;
    static struct decoded d;
    unsigned i, k, j;

    (void)state;
    for (i = 0; i < dbs_case_count(); i++) {
        assert_int_equal(dbs_case_get(i, &c), 0);
        if (!first_time(&c))
            continue;
        objdump_w(c.bytes, c.nbytes, dbs_mode_32(c.mode), &d);
        for (k = 0, j = 0; k < c.ninsn; k++) {
            if (c.kind[k] == DBS_K_GP) { /* over 15 bytes: no decoder takes it whole */
                while (j < d.n && d.off[j] < c.off[k + 1])
                    j++;
                continue;
            }
            if (j >= d.n || d.off[j] != c.off[k])
                fail_msg("%s: instruction %u at %u, objdump's next one at %u", c.name, k,
                         c.off[k], j < d.n ? d.off[j] : 0);
            if (strstr(d.text[j], "(bad)"))
                fail_msg("%s: objdump cannot decode instruction %u", c.name, k);
            j++;
        }
        if (j != d.n)
            fail_msg("%s: objdump sees %u instructions, table says %u", c.name, d.n, c.ninsn);
        assert_int_equal(c.off[c.ninsn], c.nbytes);
    }
}

static void test_breakpoints_and_expectations_inside_case(void **state)
{
    static struct dbs_case c;
    unsigned i, k, v;

    (void)state;
    for (i = 0; i < dbs_case_count(); i++) {
        assert_int_equal(dbs_case_get(i, &c), 0);
        for (k = 0; k < c.nbp; k++) {
            assert_true(c.bp[k].dr < 4);
            if (c.bp[k].space == DBS_BP_CODE)
                assert_true(c.bp[k].off < c.nbytes);
            else if (c.bp[k].space == DBS_BP_DATA)
                assert_true(c.bp[k].off < DBS_SCRATCH_BYTES);
            else if (c.bp[k].space == DBS_BP_APIC) /* the runner checks the APIC is there */
                assert_true(c.bp[k].off < 0x1000 && (c.needs & DBS_NEEDS_XAPIC));
            else if (c.bp[k].space == DBS_BP_KSTACK) /* the frame of an event from CPL3 */
                assert_true(c.bp[k].off >= DBS_KSTACK_FRAME && dbs_mode_user(c.mode));
            else if (c.bp[k].space == DBS_BP_IDT) /* never the #DB gate */
                assert_true(c.bp[k].off < DBS_IDT_BYTES && c.bp[k].off / 16 != DBS_VEC_DB);
            else if (c.bp[k].space == DBS_BP_SSDESC) /* the descriptor CPL3 modes load SS with */
                assert_true(c.bp[k].off < 8 && dbs_mode_user(c.mode));
            else
                assert_int_equal(c.bp[k].space, DBS_BP_IO);
        }
        /* CPL3 and compatibility mode run under dbsweep's tables */
        assert_int_equal(!!(c.needs & DBS_NEEDS_ENV), c.mode != DBS_MODE_K64);
        for (v = 0; v < 2; v++)
            for (k = 0; c.hw[v].nexp > 0 && k < (unsigned)c.hw[v].nexp; k++)
                assert_true(c.hw[v].exp[k].rip_off <= c.nbytes ||
                            (c.hw[v].exp[k].rip_off & DBS_OFF_ENTRY));
    }
}

static void test_every_case_fits_the_code_buffer(void **state)
{
    static struct dbs_case c;
    static uint8_t buf[CODEBUF];
    size_t case_off;
    unsigned i;

    (void)state;
    for (i = 0; i < dbs_case_count(); i++) {
        assert_int_equal(dbs_case_get(i, &c), 0);
        assert_true(dbs_harness_layout(buf, sizeof(buf), &c, 0x1234, &case_off) > 0);
        assert_memory_equal(buf + case_off, c.bytes, c.nbytes);
    }
}

static const struct dbs_case *find(const char *name);

/* Every entry prologue ends with the jump or IRETQ to the case (or to the
 * mode's side); a POPF arming's POPFQ is laid right before the case. */
static void test_entries_decode_and_reach_the_case(void **state)
{
    static const char *const last_k64[DBS_TF_COUNT] = {
        [DBS_TF_NONE] = "jmp    *%r9", [DBS_TF_POPF] = "jmp    *%r11",
        [DBS_TF_IRETQ] = "iretq", [DBS_TF_IRETQ_RF] = "iretq"};
    static struct decoded d;
    static uint8_t buf[CODEBUF];
    static struct dbs_case c;
    size_t case_off;
    unsigned kind, tf;

    (void)state;
    for (kind = 0; kind < DBS_ENTRY_KINDS; kind++)
        for (tf = 0; tf < DBS_TF_COUNT; tf++) {
            size_t len;
            const uint8_t *p = dbs_entry(kind, tf, &len);
            const char *last = kind == DBS_ENTRY_K64 ? last_k64[tf] : "iretq";

            assert_non_null(p);
            objdump(p, len, &d);
            assert_true(d.n > 0);
            if (strncmp(d.text[d.n - 1], last, strlen(last)))
                fail_msg("entry %u/%s ends with '%s'", kind, dbs_tf_names[tf], d.text[d.n - 1]);
        }
    assert_null(dbs_entry(0, DBS_TF_COUNT, &(size_t){0}));
    assert_null(dbs_entry(DBS_ENTRY_KINDS, 0, &(size_t){0}));
    c = *find("kut.singlestep_with_code_db");
    assert_int_equal(dbs_entry_kind(&c), DBS_ENTRY_K64);
    assert_true(dbs_harness_layout(buf, sizeof(buf), &c, 0, &case_off) > 0);
    assert_true(case_off == 1 && buf[0] == 0x9d); /* popfq, then the case */
}

static void test_exit_jump_is_absolute_indirect(void **state)
{
    static struct dbs_case c;
    static uint8_t buf[CODEBUF];
    static struct decoded d;
    size_t case_off, n;
    uint64_t target;

    (void)state;
    assert_int_equal(dbs_case_get(0, &c), 0);
    n = dbs_harness_layout(buf, sizeof(buf), &c, 0x1122334455667788ull, &case_off);
    assert_int_equal(n, case_off + c.nbytes + DBS_EXIT_JMP_LEN);
    objdump(buf + case_off + c.nbytes, 6, &d);
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.text[0], "jmp    *0x0(%rip)"));
    memcpy(&target, buf + n - 8, 8);
    assert_true(target == 0x1122334455667788ull);
    assert_int_equal(dbs_harness_layout(buf, case_off + c.nbytes + DBS_EXIT_JMP_LEN - 1, &c, 0,
                                        &case_off), 0);
}

/* Into the other modes: the entry's IRETQ (64-bit) lands on the layout's
 * first byte, the mode's side, which for a POPF arming sets TF in that
 * mode's own encoding, then the case, then int 0xef. */
static void test_mode_layout_decodes(void **state)
{
    static const char *const names[] = {"u64.ss.popf.nop", "k32.ss.popf.nop", "u32.ss.iretq.nop"};
    static struct dbs_case c;
    static uint8_t buf[CODEBUF];
    static struct decoded d;
    const uint8_t *entry;
    size_t case_off, n, len;
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        c = *find(names[i]);
        assert_int_equal(dbs_entry_kind(&c), dbs_mode_user(c.mode) ? DBS_ENTRY_USER : DBS_ENTRY_KERNEL);
        entry = dbs_entry(dbs_entry_kind(&c), c.tf, &len);
        objdump(entry, len, &d);
        assert_non_null(strstr(d.text[d.n - 1], "iretq"));
        n = dbs_harness_layout(buf, sizeof(buf), &c, 0, &case_off);
        assert_true(n > 0);
        objdump_w(buf, n, dbs_mode_32(c.mode), &d);
        if (c.tf == DBS_TF_POPF)
            assert_non_null(strstr(d.text[2], "popf"));
        else
            assert_int_equal(case_off, 0);
        assert_non_null(strstr(d.text[d.n - 1], "int    $0xef"));
        assert_true(d.off[d.n - 1] == case_off + c.nbytes);
    }
}

static const struct dbs_case *find(const char *name)
{
    static struct dbs_case c;
    unsigned i;

    for (i = 0; i < dbs_case_count(); i++) {
        assert_int_equal(dbs_case_get(i, &c), 0);
        if (!strcmp(c.name, name))
            return &c;
    }
    fail_msg("no case %s", name);
    return NULL;
}

/* The case this project exists for, exactly as the KUT patch asserts it on
 * Intel; nobody has published AMD's. */
static void test_seed_case(void **state)
{
    const struct dbs_case *c = find("kut.singlestep_with_code_db");

    (void)state;
    assert_int_equal(c->tf, DBS_TF_POPF);
    assert_int_equal(c->nbp, 1);
    assert_int_equal(c->bp[0].dr, 2);
    assert_int_equal(c->bp[0].off, c->off[1]);
    assert_true(dbs_case_dr7(c) == (DBS_DR7_FIXED1 | DBS_DR7_G(2)));
    assert_int_equal(c->hw_known, 1 << 0); /* Intel only */
    assert_int_equal(c->hw[0].nexp, 3);
    assert_int_equal(c->hw[0].exp[0].vector, 1);
    assert_int_equal(c->hw[0].exp[0].rip_off, 6);
    assert_true(c->hw[0].exp[0].dr6 == 0xffff4ff4u);
    assert_true(c->hw[0].exp[1].dr6 == 0xffff4ff0u && c->hw[0].exp[1].rip_off == 7);
    assert_true(c->hw[0].exp[2].dr6 == 0xffff4ff0u && c->hw[0].exp[2].rip_off == 8);
}

static void test_kut_ports_present(void **state)
{
    static const char *const names[] = {
        "kut.hw_bp1", "kut.hw_bp2", "kut.singlestep_basic", "kut.singlestep_emulated_instructions",
        "kut.singlestep_with_sti_blocking", "kut.singlestep_with_movss_blocking",
        "kut.singlestep_with_movss_blocking_and_icebp",
        "kut.singlestep_with_movss_blocking_and_dr7_gd", "kut.singlestep_with_sti_hlt",
        "kut.hw_wp1", "kut.hw_wp2", "kut.icebp", "kut.singlestep_with_code_db", "kut.sw_bp",
        "kut.movss_watchpoint_icebp", "kut.movss_watchpoint_int1", "kut.movss_watchpoint_int3",
        "kut.dr4_alias_de0", "kut.dr4_ud_de1", "kut.split_lock_cpl0", "kut.mov_ss_code_db"};
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        assert_non_null(find(names[i]));
    /* KUT's watchpoint: DR1, 4-byte write, globally enabled (DR7 0x00d00408 + G). */
    assert_true(dbs_case_dr7(find("kut.hw_wp1")) == 0x00d00408u);
    assert_true(dbs_case_dr7(find("kut.singlestep_with_movss_blocking_and_dr7_gd")) & DBS_DR7_GD);
    /* KUT's MOV SS watchpoint: DR1, 4-byte read/write (DR7 0x00f00408 + G) */
    assert_true(dbs_case_dr7(find("kut.movss_watchpoint_int3")) == 0x00f00408u);
    /* the split lock crosses the scratch area's first cache line */
    {
        const struct dbs_mem *m = &dbs_insns[DBS_I_LOCK_CMPXCHG_SPLIT].mem[0];
        assert_true(m->off < 64 && m->off + m->len > 64 && m->off + m->len <= DBS_SCRATCH_BYTES);
    }
}

/* SYSRET as a subject (issue 18): R11.TF set and clear after a SYSCALL
 * whose IA32_FMASK keeps TF or masks it, under every TF arming, in u64.
 * Safe: a SYSCALL returns inside the case, and the case ends at the exit
 * gate, whose INT clears TF (SDM vol. 3A 6.12.1.2): TF never outlives it. */
static void test_sysret_cases_present_and_safe(void **state)
{
    static const char *const arms[] = {"none", "popf", "iretq", "iretq_rf", "popf_clear"};
    static const char *const subj[] = {"sysret_tf", "sysret_tf_fmask", "sysret_clr",
                                       "sysret_clr_fmask"};
    static const uint8_t want[] = {DBS_SYSRET_TF_SET, DBS_SYSRET_TF_SET, DBS_SYSRET_TF_CLEAR,
                                   DBS_SYSRET_TF_CLEAR};
    static struct dbs_case t;
    static uint8_t buf[CODEBUF];
    unsigned a, k, i, n = 0;
    char name[64];

    (void)state;
    for (a = 0; a < 5; a++)
        for (k = 0; k < 4; k++) {
            const struct dbs_case *c;

            snprintf(name, sizeof(name), "u64.ss.%s.%s", arms[a], subj[k]);
            c = find(name);
            assert_int_equal(c->sysret_tf, want[k]);
            assert_int_equal(c->fmask_tf, k % 2);
        }
    for (i = 0; i < dbs_case_count(); i++) {
        size_t len, off;
        unsigned j, syscalls = 0;

        assert_int_equal(dbs_case_get(i, &t), 0);
        if (t.sysret_tf == DBS_SYSRET_SAVED)
            continue;
        n++;
        assert_int_equal(t.mode, DBS_MODE_U64);
        for (j = 0; j < t.ninsn; j++)
            syscalls += t.kind[j] == DBS_K_SYSCALL;
        assert_int_equal(syscalls, 1);
        len = dbs_harness_layout(buf, sizeof(buf), &t, 0, &off);
        assert_true(len >= 2 && buf[len - 2] == 0xcd && buf[len - 1] == DBS_EXIT_VECTOR);
    }
    printf("cases: %u choose the R11 image SYSRET loads\n", n);
    assert_true(n >= 20);
}

/* Every #DB test of VirtualBox's bs3-cpu-weird-1 with a 64-bit or
 * compatibility-mode form: dbg+inhibit+ringxfer tests #2-#9 (code
 * breakpoints on the SS load and after it, watchpoints on the selector and
 * on its descriptor) and popf steps 5 and 6. A POP SS off scratch+8 puts
 * the stack there: no SYSCALL may follow (its entry pushes on that stack). */
static void test_bs3_ports_present_and_safe(void **state)
{
    static const char *const tests[] = {"bp_on_int", "bp_on_load", "watch_ss", "watch_desc"};
    static const char *const targets[] = {"int80", "int_3", "int3", "syscall"};
    static const char *const modes[] = {"k64.", "u64.", "k32.", "u32."};
    static struct dbs_case t;
    unsigned a, b, k, m, i, ncases = 0;
    char name[64];

    (void)state;
    for (a = 0; a < 4; a++)
        for (b = 0; b < 2; b++)
            for (k = 0; k < 4; k++) {
                snprintf(name, sizeof(name), "u64.bs3.%s%s.movss.%s", tests[a], b ? "_lege" : "",
                         targets[k]);
                assert_int_equal(find(name)->hw_known, 3);
                snprintf(name, sizeof(name), "u32.bs3.%s%s.movss.%s", tests[a], b ? "_lege" : "",
                         targets[k]);
                assert_non_null(find(name));
                if (k == 3 && a >= 2)
                    continue; /* no POP SS with SYSCALL off scratch+8 (nor in BS3) */
                snprintf(name, sizeof(name), "u32.bs3.%s%s.popss.%s", tests[a], b ? "_lege" : "",
                         targets[k]);
                assert_non_null(find(name));
            }
    assert_true(find("u64.bs3.watch_desc.movss.int3")->bp[0].space == DBS_BP_SSDESC);
    for (m = 0; m < 4; m++)
        for (k = 0; k < 2; k++) {
            snprintf(name, sizeof(name), "%sbs3.popf_sets_tf.%s", m ? modes[m] : "",
                     k ? "popfw" : "popf");
            assert_int_equal(find(name)->hw_known, 1 << 0); /* Intel only */
            snprintf(name, sizeof(name), "%sbs3.popf_clears_tf.%s", m ? modes[m] : "",
                     k ? "popfw" : "popf");
            assert_int_equal(find(name)->hw[0].nexp, 2);
        }
    for (i = 0; i < dbs_case_count(); i++) {
        unsigned j, esp_in_scratch = 0;

        assert_int_equal(dbs_case_get(i, &t), 0);
        ncases += !strcmp(t.group, "bs3");
        for (j = 0; j < t.ninsn; j++) {
            esp_in_scratch |= t.id[j] == DBS_I_LEA_ESP_EDI8;
            assert_false(esp_in_scratch && t.kind[j] == DBS_K_SYSCALL);
        }
        assert_true(!esp_in_scratch || t.mode == DBS_MODE_U32);
    }
    printf("cases: %u of BS3Kit bs3-cpu-weird-1\n", ncases);
    assert_int_equal(ncases, 92 + 16);
}

static void test_bad_specs_are_rejected(void **state)
{
    static struct dbs_case c;
    struct dbs_case_spec s = {.name = "t.x", .ninsn = 1, .insn = {DBS_I_NOP}};

    (void)state;
    assert_int_equal(dbs_case_build(&s, &c), 0);
    s.insn[0] = DBS_I_COUNT;
    assert_int_equal(dbs_case_build(&s, &c), -1);
    s.insn[0] = DBS_I_NOP;
    s.nbp = 1;
    s.bp[0] = (struct dbs_bp_spec){.dr = 0, .space = DBS_BP_CODE, .at = 1};
    assert_int_equal(dbs_case_build(&s, &c), -1); /* past the last instruction */
    s.bp[0] = (struct dbs_bp_spec){.dr = 4, .space = DBS_BP_CODE, .at = 0};
    assert_int_equal(dbs_case_build(&s, &c), -1);
    /* what #DB's own delivery touches: an endless loop on bare metal (CVE-2015-8104) */
    s.bp[0] = (struct dbs_bp_spec){.space = DBS_BP_IDT, .at = 16, .rw = DBS_RW_RW};
    assert_int_equal(dbs_case_build(&s, &c), -1); /* the #DB gate */
    s.bp[0].at = 31; /* its last byte */
    assert_int_equal(dbs_case_build(&s, &c), -1);
    s.bp[0].at = 36;
    s.bp[0].len = 2; /* 8 bytes: DR holds 36, the CPU watches 32-39, the NMI gate */
    assert_int_equal(dbs_case_build(&s, &c), 0);
    s.bp[0].at = 20; /* the CPU watches 16-23 */
    assert_int_equal(dbs_case_build(&s, &c), -1);
    s.bp[0] = (struct dbs_bp_spec){.space = DBS_BP_KSTACK, .at = DBS_KSTACK_FRAME - 1,
                                   .rw = DBS_RW_WRITE};
    assert_int_equal(dbs_case_build(&s, &c), -1); /* below the frame: #DB's own frame */
    s.bp[0].at = DBS_KSTACK_FRAME;
    assert_int_equal(dbs_case_build(&s, &c), 0);
    s.nbp = 0;
    s.hw_known = 1;
    s.hw[0].nexp = 1;
    s.hw[0].exp[0] = (struct dbs_exp_spec){.vector = 1, .at = 2};
    assert_int_equal(dbs_case_build(&s, &c), -1); /* an event past the case's end */
    assert_int_equal(dbs_case_get(dbs_case_count(), &c), -1);
    /* a chosen R11 image needs dbsweep's SYSRET, which returns to CPL3 only */
    s.hw_known = 0;
    s.hw[0].nexp = 0;
    s.sysret_tf = DBS_SYSRET_TF_SET;
    assert_int_equal(dbs_case_build(&s, &c), -1);
    s.mode = DBS_MODE_U64;
    assert_int_equal(dbs_case_build(&s, &c), 0);
    s.sysret_tf = DBS_SYSRET_TF_CLEAR + 1;
    assert_int_equal(dbs_case_build(&s, &c), -1);
    /* the SS descriptor of its own exists in CPL3 modes only, 8 bytes */
    s.sysret_tf = 0;
    s.nbp = 1;
    s.bp[0] = (struct dbs_bp_spec){.space = DBS_BP_SSDESC, .at = 4, .rw = DBS_RW_RW, .len = 3};
    assert_int_equal(dbs_case_build(&s, &c), 0);
    s.bp[0].len = 2; /* 8 bytes from 0: the whole descriptor */
    assert_int_equal(dbs_case_build(&s, &c), 0);
    s.bp[0].at = 8;
    assert_int_equal(dbs_case_build(&s, &c), -1);
    s.bp[0].at = 0;
    s.mode = DBS_MODE_K32;
    assert_int_equal(dbs_case_build(&s, &c), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_case_compiles_with_unique_name),
        cmocka_unit_test(test_boundaries_match_objdump),
        cmocka_unit_test(test_breakpoints_and_expectations_inside_case),
        cmocka_unit_test(test_every_case_fits_the_code_buffer),
        cmocka_unit_test(test_entries_decode_and_reach_the_case),
        cmocka_unit_test(test_exit_jump_is_absolute_indirect),
        cmocka_unit_test(test_mode_layout_decodes),
        cmocka_unit_test(test_seed_case),
        cmocka_unit_test(test_kut_ports_present),
        cmocka_unit_test(test_sysret_cases_present_and_safe),
        cmocka_unit_test(test_bs3_ports_present_and_safe),
        cmocka_unit_test(test_bad_specs_are_rejected),
    };
    return cmocka_run_group_tests_name("cases", tests, NULL, NULL);
}
