/* dbsweep-report kut CASE... FILE: one kvm-unit-tests program (x86/<name>.c,
 * built as x86/<name>.flat) that runs the cases as dbsweep does and reports
 * one line per case. It asserts the model's expectation for the vendor of
 * FILE (what the manuals say) or, with --as-recorded, what FILE recorded;
 * the recorded events and the verdict are in a comment either way. */
#include <stdlib.h>
#include <string.h>

#include "dbs_arch.h"
#include "dbs_judge.h"
#include "dbs_model.h"
#include "dbs_options.h"
#include "disasm.h"
#include "events.h"
#include "kut.h"
#include "report.h"
#include "table.h"

#define ME "dbsweep-report"
#define OFF_OUT 0xffffu /* a recorded event outside the case and the handlers */

/* How the harness arms TF (src/cases/harness.c), as top-level asm lines:
 * rax = the RFLAGS image, rsi = SS, r8 = CS, r9 = the case. */
#define READ_FLAGS "\t\"pushf\\n\\t\"\n\t\"pop %rax\\n\\t\"\n"
#define SET_TF "\t\"or $0x100, %rax\\n\\t\"\n"
#define IRET_TO_CASE                                                                          \
    "\t\"mov %rsp, %r11\\n\\t\"\n\t\"push %rsi\\n\\t\"\n\t\"push %r11\\n\\t\"\n"                 \
    "\t\"push %rax\\n\\t\"\n\t\"push %r8\\n\\t\"\n\t\"push %r9\\n\\t\"\n\t\"iretq\\n\\t\"\n"
static const char *const arming[DBS_TF_COUNT] = {
    [DBS_TF_NONE] = READ_FLAGS,
    [DBS_TF_POPF] = READ_FLAGS SET_TF "\t\"push %rax\\n\\t\"\n\t\"popf\\n\\t\"\n",
    [DBS_TF_IRETQ] = READ_FLAGS SET_TF IRET_TO_CASE,
    [DBS_TF_IRETQ_RF] = READ_FLAGS SET_TF "\t\"bts $16, %rax\\n\\t\"\n" IRET_TO_CASE,
};

/* Instructions that need what only dbsweep's own environment has. */
static const struct {
    unsigned id;
    const char *why;
} needs_dbsweep[] = {
    {DBS_I_SYSCALL, "SYSCALL needs dbsweep's SYSCALL entry (LSTAR)"},
    {DBS_I_INT_80, "INT 0x80 needs dbsweep's DPL3 gate at vector 128"},
    {DBS_I_LIDT_ZERO, "it loads an empty IDT on purpose (a triple fault)"},
};

const char *dbs_kut_refusal(const struct dbs_case *c)
{
    unsigned i, k;

    if (dbs_mode_32(c->mode))
        return "compatibility mode (k32/u32): kvm-unit-tests' x86_64 tests run 64-bit code only";
    if (c->mode != DBS_MODE_K64 && c->mode != DBS_MODE_U64)
        return "an unknown mode";
    for (k = 0; k < c->ninsn; k++)
        for (i = 0; i < sizeof(needs_dbsweep) / sizeof(needs_dbsweep[0]); i++)
            if (c->id[k] == needs_dbsweep[i].id)
                return needs_dbsweep[i].why;
    for (i = 0; i < c->nbp; i++)
        if (c->bp[i].space > DBS_BP_APIC)
            return "a breakpoint on memory of dbsweep's own (its kernel stack or IDT)";
        else if (c->bp[i].space == DBS_BP_DATA &&
                 c->bp[i].off + dbs_dr7_len_bytes(c->bp[i].len) > DBS_SCRATCH_BYTES)
            return "a data breakpoint past the scratch bytes the program declares";
    /* dbs_case_build() already keeps a REP's last iteration inside */
    for (k = 0; k < c->ninsn; k++)
        for (i = 0; i < 2; i++)
            if (c->mem[k][i].acc != DBS_ACC_NONE && c->mem[k][i].space == DBS_BP_DATA &&
                c->mem[k][i].off + c->mem[k][i].len > DBS_SCRATCH_BYTES)
                return "an access past the scratch bytes the program declares";
    return NULL;
}

/* One export: the case, where FILE has it, what is asserted. */
struct kut_case {
    struct dbs_case c;
    struct dbs_case_rows cr;
    struct dbs_exp_list e;
};

/* What FILE recorded in repetition 0, as an expectation: exactly those
 * events (RF as the frame had it, DR6 whole). */
static int recorded(const struct dbs_case_rows *cr, struct dbs_exp_list *e)
{
    unsigned i;

    e->nexp = 0;
    for (i = cr->first; i < cr->end; i++) {
        char **f = cr->run->rows[i].f;
        unsigned long long dr6 = 0, fl = 0;
        long off = dbs_parse_off(f[DBS_COL_RIP_OFF]);

        if (strcmp(f[DBS_COL_REP], "0"))
            continue;
        if (!strcmp(f[DBS_COL_NOTE], "skipped"))
            return -1;
        if (!f[DBS_COL_EVENT][0])
            continue;
        if (e->nexp == DBS_CASE_MAX_EXP)
            return -1;
        dbs_parse_hex(f[DBS_COL_DR6], &dr6);
        dbs_parse_hex(f[DBS_COL_RFLAGS], &fl);
        e->exp[e->nexp++] = (struct dbs_exp){
            .vector = (uint16_t)atoi(f[DBS_COL_VECTOR]), .rf = !!(fl & DBS_RFLAGS_RF),
            .rip_off = (uint16_t)(off < 0 ? OFF_OUT : off), .dr6 = (uint32_t)dr6};
    }
    return 0;
}

/* Checks one case and fills in what to assert; 2 after a message
 * "dbsweep-report: kut: CASE: why" (one line: scripts may cut CASE out). */
static int prepare(const struct dbs_case_rows *cr, int as_recorded, struct kut_case *k)
{
    const char *name = cr->run->rows[cr->first].f[DBS_COL_CASE], *why;
    struct dbs_expect x;

    k->cr = *cr;
    if (dbs_table_find(name, &k->c)) {
        fprintf(stderr, ME ": kut: %s: not in this dbsweep's case table\n", name);
        return 2;
    }
    why = dbs_kut_refusal(&k->c);
    if (why) {
        fprintf(stderr, ME ": kut: %s: kvm-unit-tests cannot express it: %s\n", name, why);
        return 2;
    }
    if (as_recorded) {
        if (recorded(cr, &k->e) == 0)
            return 0;
        fprintf(stderr, ME ": kut: %s: %s recorded no run of it to assert (skipped)\n", name,
                cr->run->path);
        return 2;
    }
    dbs_model_expect(&k->c, dbs_run_vendor(cr->run), &x);
    if (x.outcome != DBS_MODEL_EXPECT) {
        fprintf(stderr, ME ": kut: %s: the model has no expectation for %s (%s); "
                        "--as-recorded asserts what %s recorded\n",
                name, x.vendor, x.why ? x.why : "no rule", cr->run->path);
        return 2;
    }
    k->e = x.e;
    return 0;
}

/* "(none)" or the events, for comments. */
static void exp_text(const struct dbs_exp_list *e, char *out, size_t cap)
{
    char v[16], fl[48];
    size_t n = 0;
    int i;

    snprintf(out, cap, "(no event)");
    for (i = 0; i < e->nexp && n + 48 < cap; i++) {
        const struct dbs_exp *x = &e->exp[i];
        dbs_dr6_flags(x->dr6, fl, sizeof(fl));
        n += (size_t)snprintf(out + n, cap - n, "%s%s@", i ? ", " : "",
                              dbs_vector_name(x->vector, v, sizeof(v)));
        n += x->rip_off == OFF_OUT ? (size_t)snprintf(out + n, cap - n, "out")
             : x->rip_off & DBS_OFF_ENTRY
                 ? (size_t)snprintf(out + n, cap - n, "v%u", x->rip_off & ~DBS_OFF_ENTRY)
                 : (size_t)snprintf(out + n, cap - n, "%u", x->rip_off);
        if (x->vector == DBS_VEC_DB)
            n += (size_t)snprintf(out + n, cap - n, " %s", fl);
        if (x->rf == 1)
            n += (size_t)snprintf(out + n, cap - n, " rf1");
    }
}

static void emit_comment(const struct kut_case *k, int as_recorded, FILE *out)
{
    char ev[1024], ex[1024];

    dbs_events_text(&k->cr, ev, sizeof(ev));
    exp_text(&k->e, ex, sizeof(ex));
    fprintf(out, "/* %s (%s, tf=%s)\n *   recorded (rep 0): %s\n *   verdict: %s\n"
                 " *   asserted (%s): %s\n */\n",
            k->c.name, dbs_mode_names[k->c.mode], dbs_tf_names[k->c.tf], ev,
            dbs_case_verdict(&k->cr), as_recorded ? "as recorded" : "the model", ex);
}

/* dbs<i>_run: saves what the C caller needs, sets the entry registers, arms
 * TF, runs the case's bytes from dbs<i>_start; at dbs<i>_end (the case's
 * end, or where an exception unwinds to) it restores the stack and returns
 * with TF clear. Top-level asm: the labels are the program's own. */
static void emit_asm(unsigned i, const struct dbs_case *c, FILE *out)
{
    static const char *const saved[] = {"rbx", "rbp", "r12", "r13", "r14", "r15"};
    char lines[DBS_CASE_MAX_INSNS][80];
    unsigned offs[DBS_CASE_MAX_INSNS], k, b;
    int n = dbs_disasm(c->bytes, c->nbytes, lines, offs, DBS_CASE_MAX_INSNS);

    fprintf(out, "extern unsigned char dbs%u_start[], dbs%u_end[];\nunsigned long dbs%u_run(void);\n",
            i, i, i);
    fprintf(out, "asm(\".pushsection .text\\n\"\n\t\"dbs%u_run:\\n\\t\"\n", i);
    for (k = 0; k < 6; k++)
        fprintf(out, "\t\"push %%%s\\n\\t\"\n", saved[k]);
    fprintf(out, "\t\"mov %%rsp, dbs_saved_rsp(%%rip)\\n\\t\"\n\t\"movl $1, dbs_in_case(%%rip)\\n\\t\"\n"
                 "\t\"lea dbs_scratch(%%rip), %%rdi\\n\\t\"\n\t\"mov %%ss, %%esi\\n\\t\"\n"
                 "\t\"mov %%cs, %%r8d\\n\\t\"\n\t\"lea dbs%u_start(%%rip), %%r9\\n\\t\"\n", i);
    fprintf(out, "\t\"mov $0x%llx, %%rbx\\n\\t\"\n\t\"mov $0x%llx, %%rcx\\n\\t\"\n"
                 "\t\"mov $0x%llx, %%rdx\\n\\t\"\n",
            (unsigned long long)c->regs[0], (unsigned long long)c->regs[1],
            (unsigned long long)c->regs[2]);
    fputs(arming[c->tf], out);
    fprintf(out, "\t\"dbs%u_start:\\n\\t\"\n", i);
    for (k = 0; k < c->ninsn; k++) {
        fprintf(out, "\t\".byte ");
        for (b = c->off[k]; b < c->off[k + 1]; b++)
            fprintf(out, "%s0x%02x", b == c->off[k] ? "" : ", ", c->bytes[b]);
        fprintf(out, "\\n\\t\"\t/* %u: %s */\n", c->off[k],
                n > 0 && k < (unsigned)n ? lines[k] : dbs_insns[c->id[k]].text);
    }
    fprintf(out, "\t\"dbs%u_end:\\n\\t\"\n\t\"mov dbs_saved_rsp(%%rip), %%rsp\\n\\t\"\n"
                 "\t\"movl $0, dbs_in_case(%%rip)\\n\\t\"\n"
                 "\t\"pushf\\n\\t\"\n\t\"andq $~0x100, (%%rsp)\\n\\t\"\n\t\"popf\\n\\t\"\n", i);
    for (k = 6; k-- > 0;)
        fprintf(out, "\t\"pop %%%s\\n\\t\"\n", saved[k]);
    fprintf(out, "\t\"ret\\n\"\n\t\".popsection\");\n");
}

static void emit_exp(unsigned i, const struct dbs_exp_list *e, FILE *out)
{
    int k;

    if (e->nexp <= 0)
        return;
    fprintf(out, "static const struct dbs_exp dbs%u_exp[] = {\n", i);
    for (k = 0; k < e->nexp; k++) {
        const struct dbs_exp *x = &e->exp[k];
        fprintf(out, "\t{%u, %ld, 0x%x, 0x%x, %u},\n", x->vector,
                x->rip_off == OFF_OUT ? -1L : (long)x->rip_off, x->dr6, x->dr6_any, x->rf);
    }
    fprintf(out, "};\n");
}

static void emit_entry(unsigned i, const struct kut_case *k, FILE *out)
{
    const struct dbs_case *c = &k->c;
    unsigned b;

    fprintf(out, "\t{\"%s\", dbs%u_run, dbs%u_start, dbs%u_end, %d, %u, %u, %u, 0x%x, 0x%llx, %u, {",
            c->name, i, i, i, c->mode == DBS_MODE_U64, c->cr4_de, c->needs, c->dr6_reset,
            c->dr6_init, (unsigned long long)dbs_case_dr7(c), c->nbp);
    for (b = 0; b < c->nbp; b++)
        fprintf(out, "%s{%u, %u, %u}", b ? ", " : "", c->bp[b].dr, c->bp[b].space, c->bp[b].off);
    if (k->e.nexp > 0)
        fprintf(out, "}, %d, dbs%u_exp},\n", k->e.nexp, i);
    else
        fprintf(out, "}, 0, NULL},\n");
}

/* The cases the operands name (globs), in the order given, each glob's
 * matches in FILE's order; NULL after a message when a glob matches none. */
static struct dbs_case_rows *select_cases(const struct dbs_run *r, char *const *globs,
                                          unsigned nglobs, unsigned *n)
{
    struct dbs_case_rows *sel = NULL;
    unsigned g, i, cap = 0;

    *n = 0;
    for (g = 0; g < nglobs; g++) {
        unsigned before = *n;
        for (i = 0; i < r->nrows; i = dbs_run_case_end(r, i)) {
            if (!dbs_glob(globs[g], r->rows[i].f[DBS_COL_CASE]))
                continue;
            if (*n == cap) {
                cap = cap ? 2 * cap : 64;
                sel = realloc(sel, cap * sizeof(*sel));
                if (!sel) {
                    fprintf(stderr, ME ": kut: out of memory\n");
                    return NULL;
                }
            }
            sel[(*n)++] = (struct dbs_case_rows){r, i, dbs_run_case_end(r, i)};
        }
        if (*n == before) {
            fprintf(stderr, ME ": kut: %s has no case %s\n", r->path, globs[g]);
            free(sel);
            return NULL;
        }
    }
    return sel;
}

int dbs_report_kut(const struct dbs_run *r, char *const *globs, unsigned nglobs, int as_recorded,
                   FILE *out)
{
    struct dbs_case_rows *sel;
    struct kut_case *k;
    char label[96];
    unsigned i, n;
    int rc = 0;

    sel = select_cases(r, globs, nglobs, &n);
    if (!sel)
        return 2;
    k = calloc(n, sizeof(*k));
    for (i = 0; k && i < n; i++) /* every refusal is said, not just the first */
        rc |= prepare(&sel[i], as_recorded, &k[i]);
    free(sel);
    if (!k || rc) {
        if (!k)
            fprintf(stderr, ME ": kut: out of memory\n");
        free(k);
        return 2;
    }
    dbs_machine_label(r, label, sizeof(label));
    fprintf(out, "/*\n * %u dbsweep case%s for kvm-unit-tests, written by dbsweep-report kut from\n"
                 " * %s (%s). Each asserts %s.\n",
            n, n == 1 ? "" : "s", r->path, label,
            as_recorded ? "what that machine recorded" : "what the manuals say (dbsweep's model)");
    fprintf(out, " * The expectations are %s's: run it on a CPU of that vendor. Put it in\n"
                 " * x86/ as dbsweep.c, add $(TEST_DIR)/dbsweep.$(exe) to tests in\n"
                 " * x86/Makefile.x86_64, make, then ./x86/run x86/dbsweep.flat (under QEMU's\n"
                 " * TCG -cpu max is AMD-like; -cpu Skylake-Client Intel-like).\n */\n",
            dbs_vendor_names[dbs_run_vendor(r)]);
    fputs(dbs_kut_runtime, out);
    for (i = 0; i < n; i++) {
        fputc('\n', out);
        emit_comment(&k[i], as_recorded, out);
        emit_asm(i, &k[i].c, out);
        emit_exp(i, &k[i].e, out);
    }
    fprintf(out, "\nstatic const struct dbs_kcase dbs_cases[] = {\n");
    for (i = 0; i < n; i++)
        emit_entry(i, &k[i], out);
    fprintf(out, "};\n\nint main(void)\n{\n\treturn dbs_run_all(dbs_cases, ARRAY_SIZE(dbs_cases), \"%s\");\n}\n",
            dbs_vendor_names[dbs_run_vendor(r)]);
    free(k);
    return 0;
}
