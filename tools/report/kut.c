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
#include "grow.h"
#include "kut.h"
#include "report.h"
#include "table.h"

#define ME "dbsweep-report"
#define OFF_OUT 0xffffu /* a recorded event outside the case and the handlers */

/* The runtime's macro that arms TF as the case says (src/cases/harness.c). */
static const char *const arming[DBS_TF_COUNT] = {
    [DBS_TF_NONE] = "dbs_arm_none",
    [DBS_TF_POPF] = "dbs_arm_popf",
    [DBS_TF_IRETQ] = "dbs_arm_iretq",
    [DBS_TF_IRETQ_RF] = "dbs_arm_iretq_rf",
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
 * events (RF as the frame had it, DR6 whole). NULL, or why there is none. */
static const char *recorded(const struct dbs_case_rows *cr, struct dbs_exp_list *e)
{
    unsigned i;

    e->nexp = 0;
    for (i = cr->first; i < cr->end; i++) {
        char **f = cr->run->rows[i].f;
        unsigned long long dr6 = 0, fl = 0;
        long off = dbs_parse_off(f[DBS_COL_RIP_OFF]);

        if (!dbs_rep0(f))
            continue;
        if (!strcmp(f[DBS_COL_NOTE], "skipped"))
            return "it was skipped there";
        if (!f[DBS_COL_EVENT][0])
            continue;
        if (e->nexp == DBS_CASE_MAX_EXP)
            return "more events than the program records";
        dbs_parse_hex(f[DBS_COL_DR6], &dr6);
        dbs_parse_hex(f[DBS_COL_RFLAGS], &fl);
        e->exp[e->nexp++] = (struct dbs_exp){
            .vector = (uint16_t)atoi(f[DBS_COL_VECTOR]), .rf = !!(fl & DBS_RFLAGS_RF),
            .rip_off = (uint16_t)(off < 0 ? OFF_OUT : off), .dr6 = (uint32_t)dr6};
    }
    return NULL;
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
        why = recorded(cr, &k->e);
        if (!why)
            return 0;
        fprintf(stderr, ME ": kut: %s: nothing recorded to assert in %s: %s\n", name,
                cr->run->path, why);
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

/* One event in the comment's words: "#DB@6 BS|B2", "#UD@v3 rf1", "#DB@out BS". */
static void event_text(const struct dbs_exp *x, char *out, size_t cap)
{
    char v[16], fl[48], where[16];

    dbs_dr6_flags(x->dr6, fl, sizeof(fl));
    if (x->rip_off == OFF_OUT)
        snprintf(where, sizeof(where), "out");
    else if (x->rip_off & DBS_OFF_ENTRY)
        snprintf(where, sizeof(where), "v%u", x->rip_off & ~DBS_OFF_ENTRY);
    else
        snprintf(where, sizeof(where), "%u", x->rip_off);
    snprintf(out, cap, "%s@%s%s%s%s", dbs_vector_name(x->vector, v, sizeof(v)), where,
             x->vector == DBS_VEC_DB ? " " : "", x->vector == DBS_VEC_DB ? fl : "",
             x->rf == 1 ? " rf1" : "");
}

/* "(no event)" or the events, for comments. */
static void exp_text(const struct dbs_exp_list *e, char *out, size_t cap)
{
    char one[64];
    size_t n = 0;
    int i;

    snprintf(out, cap, "(no event)");
    for (i = 0; i < e->nexp && n + sizeof(one) + 2 < cap; i++) {
        event_text(&e->exp[i], one, sizeof(one));
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? ", " : "", one);
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

/* dbs<i>_run: the runtime's dbs_enter, the arming, the case's bytes from
 * dbs<i>_start, dbs_exit at dbs<i>_end. Top-level asm: the labels are the
 * program's own, numbered per export. */
static void emit_asm(unsigned i, const struct dbs_case *c, FILE *out)
{
    char lines[DBS_CASE_MAX_INSNS][80];
    unsigned offs[DBS_CASE_MAX_INSNS], k, b;
    int n = dbs_disasm(c->bytes, c->nbytes, lines, offs, DBS_CASE_MAX_INSNS);

    fprintf(out, "extern unsigned char dbs%u_start[], dbs%u_end[];\nunsigned long dbs%u_run(void);\n",
            i, i, i);
    fprintf(out, "asm(\".pushsection .text\\n\"\n\t\"dbs%u_run:\\n\\t\"\n"
                 "\t\"dbs_enter dbs%u_start, 0x%llx, 0x%llx, 0x%llx\\n\\t\"\n\t\"%s\\n\"\n"
                 "\t\"dbs%u_start:\\n\\t\"\n",
            i, i, (unsigned long long)c->regs[0], (unsigned long long)c->regs[1],
            (unsigned long long)c->regs[2], arming[c->tf], i);
    for (k = 0; k < c->ninsn; k++) {
        fprintf(out, "\t\".byte ");
        for (b = c->off[k]; b < c->off[k + 1]; b++)
            fprintf(out, "%s0x%02x", b == c->off[k] ? "" : ", ", c->bytes[b]);
        fprintf(out, "\\n\\t\"\t/* %u: %s */\n", c->off[k],
                n > 0 && k < (unsigned)n ? lines[k] : dbs_insns[c->id[k]].text);
    }
    fprintf(out, "\t\"dbs%u_end:\\n\\t\"\n\t\"dbs_exit\\n\"\n\t\".popsection\");\n", i);
}

static void emit_exp(unsigned i, const struct dbs_exp_list *e, FILE *out)
{
    char text[64];
    int k;

    if (e->nexp <= 0)
        return;
    fprintf(out, "static const struct dbs_exp dbs%u_exp[] = {\n", i);
    for (k = 0; k < e->nexp; k++) {
        const struct dbs_exp *x = &e->exp[k];
        event_text(x, text, sizeof(text));
        fprintf(out, "\t{%u, ", x->vector);
        if (x->rip_off == OFF_OUT)
            fprintf(out, "DBS_OFF_OUT");
        else if (x->rip_off & DBS_OFF_ENTRY)
            fprintf(out, "DBS_OFF_ENTRY | %u", x->rip_off & ~DBS_OFF_ENTRY);
        else
            fprintf(out, "%u", x->rip_off);
        fprintf(out, ", 0x%x, 0x%x, %s},\t/* %s */\n", x->dr6, x->dr6_any,
                x->rf == DBS_RF_ANY ? "DBS_RF_ANY" : x->rf ? "1" : "0", text);
    }
    fprintf(out, "};\n");
}

/* The case's entry in dbs_cases[], the fields that are not zero. */
static void emit_entry(unsigned i, const struct kut_case *k, FILE *out)
{
    static const char *const space[] = {[DBS_BP_CODE] = "DBS_CODE", [DBS_BP_DATA] = "DBS_DATA",
                                        [DBS_BP_IO] = "DBS_IO", [DBS_BP_APIC] = "DBS_APIC"};
    static const char *const de[] = {[DBS_DE_CLEAR] = "DBS_DE_CLEAR", [DBS_DE_SET] = "DBS_DE_SET"};
    /* what the runtime provides or checks (CPL3 and the xAPIC KUT has) */
    static const struct {
        unsigned bit;
        const char *name;
    } needs[] = {{DBS_NEEDS_TIMER, "DBS_NEEDS_TIMER"},
                 {DBS_NEEDS_RDTSCP, "DBS_NEEDS_RDTSCP"},
                 {DBS_NEEDS_OSXSAVE, "DBS_NEEDS_OSXSAVE"}};
    const struct dbs_case *c = &k->c;
    const char *sep;
    unsigned b;

    fprintf(out, "\t{.name = \"%s\", .run = dbs%u_run, .start = dbs%u_start, .end = dbs%u_end,\n\t ",
            c->name, i, i, i);
    if (c->mode == DBS_MODE_U64)
        fprintf(out, ".user = 1, ");
    if (c->cr4_de != DBS_DE_ASIS)
        fprintf(out, ".cr4_de = %s, ", de[c->cr4_de]);
    for (b = 0, sep = ".needs = "; b < sizeof(needs) / sizeof(needs[0]); b++)
        if (c->needs & needs[b].bit) {
            fprintf(out, "%s%s", sep, needs[b].name);
            sep = " | ";
        }
    if (sep[0] == ' ')
        fprintf(out, ", ");
    if (c->dr6_reset)
        fprintf(out, ".dr6_reset = 1, ");
    fprintf(out, ".dr6_init = 0x%x, .dr7 = 0x%llx,", c->dr6_init,
            (unsigned long long)dbs_case_dr7(c));
    if (c->nbp) {
        fprintf(out, "\n\t .nbp = %u, .bp = {", c->nbp);
        for (b = 0; b < c->nbp; b++)
            fprintf(out, "%s{%u, %s, %u}", b ? ", " : "", c->bp[b].dr, space[c->bp[b].space],
                    c->bp[b].off);
        fprintf(out, "},");
    }
    if (k->e.nexp > 0)
        fprintf(out, " .nexp = %d, .exp = dbs%u_exp},\n", k->e.nexp, i);
    else
        fprintf(out, " .nexp = 0},\n");
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
            if (dbs_grow(&sel, *n, &cap, sizeof(*sel), 64)) {
                fprintf(stderr, ME ": kut: out of memory\n");
                free(sel);
                return NULL;
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
