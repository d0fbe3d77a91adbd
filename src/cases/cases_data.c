/* Data and I/O breakpoints as a dimension of their own: the breakpoint
 * (DR0-3, R/W, LEN, L/G), where the access falls against its range, the
 * kind of access, and the other #DB conditions it meets (TF, a code
 * breakpoint, a MOV SS shadow, other DRs), plus the accesses a hypervisor
 * emulates (the local APIC's MMIO page, string I/O into a watched buffer).
 * Each subgroup is a product of small tables (include/dbs_product.h); the
 * model judges every case (src/model/model.c, "Data and I/O breakpoints"),
 * and the memory the CPU touches itself when it delivers an event from
 * CPL3: the frame it pushes, the IDT gate it reads. */
#include "dbs_arch.h"
#include "dbs_case.h"
#include "dbs_insn.h"
#include "dbs_model.h"
#include "dbs_product.h"

/* The watched range in the scratch area: 16-aligned, with room on both
 * sides inside one cache line, away from the SS selector at 8..9. */
#define AT 80
#define PORT 0x80 /* the POST code port */
#define APIC_VER 0x30
#define APIC_ID 0x20

static const unsigned lens[] = {1, 2, 4, 8};
static const char *const rw_names[] = {"w", "rw"};
static const uint8_t rw_of[] = {DBS_RW_WRITE, DBS_RW_RW};
static const uint8_t store_of[] = {DBS_I_STORE1, DBS_I_STORE2, DBS_I_STORE4, DBS_I_STORE8};
static const uint8_t load_of[] = {DBS_I_LOAD1, DBS_I_LOAD2, DBS_I_LOAD4, DBS_I_LOAD8};
static const char *const en_names[] = {"l", "g", "lg"};
static const uint8_t en_of[] = {DBS_EN_L, DBS_EN_G, DBS_EN_LG};

static void watch(struct builder *b, unsigned dr, unsigned space, unsigned at, unsigned rw,
                  unsigned n, unsigned en)
{
    struct dbs_case_spec *s = b->s;

    s->bp[s->nbp++] = (struct dbs_bp_spec){.dr = (uint8_t)dr, .space = (uint8_t)space,
                                           .at = (uint16_t)at, .rw = (uint8_t)rw,
                                           .len = dbs_dr7_len_field(n), .en = (uint8_t)en};
    if (rw == DBS_RW_IO)
        s->cr4_de = DBS_DE_SET; /* I/O breakpoints need CR4.DE=1 (SDM 18.2.4) */
}

static void code_bp(struct builder *b, unsigned dr, unsigned at)
{
    struct dbs_case_spec *s = b->s;

    s->bp[s->nbp++] = (struct dbs_bp_spec){.dr = (uint8_t)dr, .space = DBS_BP_CODE,
                                           .at = (uint8_t)at, .rw = DBS_RW_EXEC, .en = DBS_EN_G};
}

/* Appends the instruction under test behind one prefix (LOCK, REP). */
static void add_prefixed(struct builder *b, uint8_t id, uint8_t pfx)
{
    b->s->pfx_at = b->s->ninsn;
    b->s->npfx = 1;
    b->s->pfx[0] = pfx;
    add(b, id);
}

static void arm(struct builder *b, unsigned tf)
{
    b->s->tf = (uint8_t)tf;
    name_part(b, dbs_tf_names[tf]);
}

/* ---- the breakpoint: DR0-3 x R/W x LEN x L/G ----------------------------- */

/* data.bp.dr<n>.<w|rw>.len<L>.<l|g|lg>.<store|load>: an L-byte access
 * exactly on an L-byte range; a write breakpoint ignores the load. */
static int build_bp(struct builder *b, const unsigned *d)
{
    name_num(b, "data.bp.dr", d[0]);
    name_part(b, rw_names[d[1]]);
    name_num(b, "len", lens[d[2]]);
    name_part(b, en_names[d[3]]);
    name_part(b, d[4] ? "load" : "store");
    b->s->regs[0] = AT;
    add(b, d[4] ? load_of[d[2]] : store_of[d[2]]);
    add(b, DBS_I_NOP);
    watch(b, d[0], DBS_BP_DATA, AT, rw_of[d[1]], lens[d[2]], en_of[d[3]]);
    return 0;
}

/* ---- where the access falls against the range ---------------------------- */

enum { ON, FIRST, LAST, BEFORE, AFTER, OVER, MIS_LO, MIS_HI, FAR_AFTER, NPLACES };
static const char *const place_names[NPLACES] = {"on",     "first",  "last",
                                                 "before", "after",  "over",
                                                 "mis_lo", "mis_hi", "far_after"};

/* An s-byte access against the l-byte range at AT: where the access
 * starts (*a) and what DRn holds (*dr). first: it ends on the range's first
 * byte; last: it starts on its last byte; before/after: one byte short of
 * it; over: one byte each side; mis_*: DRn misaligned (AT + l - 1), the
 * access at the aligned range's first byte or just past it; far_after: a
 * misaligned access well above the range (no byte of it in the range, nor
 * in the aligned words around it). 1 where the placement does not exist
 * for these sizes. */
static int place(unsigned p, unsigned l, unsigned s, unsigned *a, unsigned *dr)
{
    *dr = AT;
    switch (p) {
    case ON: *a = AT; return 0;
    case FIRST: *a = AT - s + 1; return s < 2;
    case LAST: *a = AT + l - 1; return l < 2;
    case BEFORE: *a = AT - s; return 0;
    case AFTER: *a = AT + l; return 0;
    case OVER: *a = AT - 1; return s < l + 2;
    case MIS_LO: *a = AT; *dr = AT + l - 1; return l < 2;
    case MIS_HI: *a = AT + l; *dr = AT + l - 1; return l < 2;
    default: *a = AT + 21; return s < 2; /* 101: odd, 5 mod 8 */
    }
}

/* data.place.<w|rw>.<store|load>.len<L>.<place>.s<S>: every placement of a
 * 1/2/4/8-byte MOV against a 1/2/4/8-byte range. */
static int build_place(struct builder *b, const unsigned *d)
{
    static const uint8_t rw[] = {0, 1, 1, 0}, load[] = {0, 0, 1, 1};
    unsigned a, dr, l = lens[d[1]], s = lens[d[3]];

    if (place(d[2], l, s, &a, &dr))
        return 1;
    name_part(b, "data.place");
    name_part(b, rw_names[rw[d[0]]]);
    name_part(b, load[d[0]] ? "load" : "store");
    name_num(b, "len", l);
    name_part(b, place_names[d[2]]);
    name_num(b, "s", s);
    b->s->regs[0] = a;
    add(b, load[d[0]] ? load_of[d[3]] : store_of[d[3]]);
    add(b, DBS_I_NOP);
    watch(b, 1, DBS_BP_DATA, dr, rw_of[rw[d[0]]], l, DBS_EN_G);
    return 0;
}

/* ---- kinds of access ------------------------------------------------------ */

/* Read-modify-write instructions on [rdi+rbx]. */
struct rmw {
    const char *name;
    uint8_t insn, lock, zero_eax;
};
static const struct rmw rmws[] = {
    {"add", DBS_I_ADD_MEM4, 0, 0},
    {"lock_add", DBS_I_ADD_MEM4, 1, 0},
    {"xchg", DBS_I_XCHG_MEM4, 0, 0},
    {"cmpxchg_eq", DBS_I_CMPXCHG_EQ, 0, 1},
    {"lock_cmpxchg_eq", DBS_I_CMPXCHG_EQ, 1, 1},
    {"cmpxchg_ne", DBS_I_CMPXCHG_NE, 0, 0}, /* eax = the RFLAGS image, never 0 */
    {"lock_cmpxchg_ne", DBS_I_CMPXCHG_NE, 1, 0},
};

/* data.rmw.<insn>.<w|rw><L>.<arm>: ALU with a memory destination, XCHG,
 * (LOCK) CMPXCHG whose compare succeeds or fails, under an L-byte range. */
static int build_rmw(struct builder *b, const unsigned *d)
{
    const struct rmw *r = &rmws[d[0]];

    name_part(b, "data.rmw");
    name_part(b, r->name);
    name_num(b, rw_names[d[1]], lens[d[2]]);
    arm(b, d[3]);
    b->s->regs[0] = AT;
    add(b, DBS_I_NOP);
    if (r->zero_eax)
        add(b, DBS_I_XOR_EAX);
    if (r->lock)
        add_prefixed(b, r->insn, 0xf0);
    else
        add(b, r->insn);
    add(b, DBS_I_NOP);
    watch(b, 2, DBS_BP_DATA, AT, rw_of[d[1]], lens[d[2]], DBS_EN_G);
    return 0;
}

/* String instructions: MOVS reads [rsi] = scratch+32 and writes [rdi] =
 * scratch, STOS writes, LODS reads; elements of 1/2/4/8 bytes. */
enum { MOVS, STOS, LODS };
static const char *const str_names[] = {"movs", "stos", "lods"};
static const char size_letter[] = "bwdq";
static const uint8_t str_of[3][4] = {
    {DBS_I_MOVSB, DBS_I_MOVSW, DBS_I_MOVSD, DBS_I_MOVSQ},
    {DBS_I_STOSB, DBS_I_STOSW, DBS_I_STOSD, DBS_I_STOSQ},
    {DBS_I_LODSB, DBS_I_LODSW, DBS_I_LODSD, DBS_I_LODSQ},
};

/* data.str.<insn><b|w|d|q>.<src|dst>.<once|it0|it1|it2|all>.<w|rw>.<arm>:
 * one string instruction (once), or REP with RCX=3 and the range on the
 * element of iteration 0, 1 or 2, or (all, bytes) an 8-byte range over
 * every element: which iteration reports it, RIP and RF after each. */
static int build_str(struct builder *b, const unsigned *d)
{
    static const char *const reps[] = {"once", "it0", "it1", "it2", "all"};
    unsigned op = d[0], size = lens[d[1]], src = d[2] == 0, rep = d[4], k = rep ? rep - 1 : 0;

    if ((op == STOS && src) || (op == LODS && !src) || (src && d[3] == 0) || (rep == 4 && size > 1))
        return 1;
    name_part(b, "data.str");
    name_part(b, str_names[op]);
    dbs_put_char(&b->name, size_letter[d[1]]);
    name_part(b, src ? "src" : "dst");
    name_part(b, reps[rep]);
    name_part(b, rw_names[d[3]]);
    arm(b, d[5]);
    add(b, DBS_I_NOP);
    if (op != STOS)
        add(b, DBS_I_LEA_RSI_RDI32);
    if (rep) {
        add(b, DBS_I_MOV_ECX_3);
        add_prefixed(b, str_of[op][d[1]], 0xf3);
    } else {
        add(b, str_of[op][d[1]]);
    }
    add(b, DBS_I_NOP);
    watch(b, 1, DBS_BP_DATA, (src ? 32 : 0) + (rep == 4 ? 0 : k * size), rw_of[d[3]],
          rep == 4 ? 8 : size, DBS_EN_G);
    return 0;
}

/* ---- I/O breakpoints (CR4.DE=1, R/W=10) ------------------------------------ */

struct io_insn {
    const char *name;
    uint8_t insn, size, setup; /* setup: an instruction it needs first, or NOP */
};
static const struct io_insn io_insns[] = {
    {"in_al_80", DBS_I_IN_AL_80, 1, DBS_I_NOP},
    {"in_ax_80", DBS_I_IN_AX_80, 2, DBS_I_NOP},
    {"in_eax_80", DBS_I_IN_EAX_80, 4, DBS_I_NOP},
    {"out_80_al", DBS_I_OUT_80_AL, 1, DBS_I_NOP},
    {"in_al_dx", DBS_I_IN_AL_DX, 1, DBS_I_MOV_EDX_80},
    {"in_ax_dx", DBS_I_IN_AX_DX, 2, DBS_I_MOV_EDX_80},
    {"in_eax_dx", DBS_I_IN_EAX_DX, 4, DBS_I_MOV_EDX_80},
    {"out_dx_al", DBS_I_OUT_DX_AL, 1, DBS_I_MOV_EDX_80},
    {"insb", DBS_I_INSB, 1, DBS_I_MOV_EDX_80},
    {"insw", DBS_I_INSW, 2, DBS_I_MOV_EDX_80},
    {"insd", DBS_I_INSD, 4, DBS_I_MOV_EDX_80},
    {"outsb", DBS_I_OUTSB, 1, DBS_I_MOV_EDX_80}, /* and lea rsi */
};
#define IO_INSB 8
#define IO_OUTSB 11

static void add_io(struct builder *b, const struct io_insn *io, int rep)
{
    if (io->setup != DBS_I_NOP)
        add(b, io->setup);
    if (io->insn == DBS_I_OUTSB)
        add(b, DBS_I_LEA_RSI_RDI32);
    if (rep) {
        add(b, DBS_I_MOV_ECX_3);
        add_prefixed(b, io->insn, 0xf3);
    } else {
        add(b, io->insn);
    }
}

/* An s-byte access at PORT against an l-byte I/O range: what DRn holds.
 * before/after: the aligned ranges next to the access; inside: its top
 * bytes; mis_*: DRn misaligned, masked onto PORT or below it. */
static int io_place(unsigned p, unsigned l, unsigned s, unsigned *dr)
{
    switch (p) {
    case 0: *dr = PORT; return 0;
    case 1: *dr = PORT - l; return 0;
    case 2: *dr = (PORT + s + l - 1) & ~(l - 1); return 0;
    case 3: *dr = PORT + s - l; return l >= s;
    case 4: *dr = PORT + l - 1; return l < 2;
    default: *dr = PORT - 1; return l < 2;
    }
}

/* data.io.<insn>.len<L>.<place>: IN, OUT, INS, OUTS on port 0x80 (1, 2 or
 * 4 bytes: writes stay at one byte, 0x81-0x83 are DMA page registers)
 * against I/O ranges of 1, 2, 4 bytes around it. */
static int build_io(struct builder *b, const unsigned *d)
{
    static const char *const places[] = {"on", "before", "after", "inside", "mis_lo", "mis_hi"};
    const struct io_insn *io = &io_insns[d[0]];
    unsigned dr, l = lens[d[1]];

    if (io_place(d[2], l, io->size, &dr))
        return 1;
    name_part(b, "data.io");
    name_part(b, io->name);
    name_num(b, "len", l);
    name_part(b, places[d[2]]);
    add_io(b, io, 0);
    add(b, DBS_I_NOP);
    watch(b, 0, DBS_BP_IO, dr, DBS_RW_IO, l, DBS_EN_G);
    return 0;
}

/* data.iobp.dr<n>.<l|g|lg>: an I/O breakpoint in every DR, every enable. */
static int build_iobp(struct builder *b, const unsigned *d)
{
    name_num(b, "data.iobp.dr", d[0]);
    name_part(b, en_names[d[1]]);
    add(b, DBS_I_IN_AL_80);
    add(b, DBS_I_NOP);
    watch(b, d[0], DBS_BP_IO, PORT, DBS_RW_IO, 1, en_of[d[1]]);
    return 0;
}

/* data.repio.<insn>.<io1|io2|io4|io_mem>.<arm>: REP INS/OUTS (RCX=3) with
 * an I/O breakpoint on the port, which every iteration hits, or (io_mem)
 * that and a memory breakpoint on iteration 1's element. */
static int build_repio(struct builder *b, const unsigned *d)
{
    static const char *const targets[] = {"io1", "io2", "io4", "io_mem"};
    static const uint8_t pick[] = {IO_INSB, IO_INSB + 1, IO_INSB + 2, IO_OUTSB};
    const struct io_insn *io = &io_insns[pick[d[0]]];
    int outs = io->insn == DBS_I_OUTSB;

    name_part(b, "data.repio");
    name_part(b, io->name);
    name_part(b, targets[d[1]]);
    arm(b, d[2]);
    add(b, DBS_I_NOP);
    add_io(b, io, 1);
    add(b, DBS_I_NOP);
    watch(b, 0, DBS_BP_IO, PORT, DBS_RW_IO, d[1] == 3 ? 1 : lens[d[1]], DBS_EN_G);
    if (d[1] == 3)
        watch(b, 1, DBS_BP_DATA, (outs ? 32 : 0) + io->size, outs ? DBS_RW_RW : DBS_RW_WRITE,
              io->size, DBS_EN_G);
    return 0;
}

/* data.iobad.de0.<insn>.len<L>: R/W=10 with CR4.DE=0; data.iobad.len8.<insn>:
 * an 8-byte I/O range. Both undefined (SDM 18.2.4; AMD APM 13.1.1.4, 13.1.3.3). */
static int build_iobad(struct builder *b, const unsigned *d)
{
    static const uint8_t pick[] = {0, 3, 6, IO_INSB};
    const struct io_insn *io = &io_insns[pick[d[1]]];

    if (d[0] && d[2] != 3)
        return 1;
    name_part(b, d[0] ? "data.iobad.len8" : "data.iobad.de0");
    name_part(b, io->name);
    if (!d[0])
        name_num(b, "len", lens[d[2]]);
    add_io(b, io, 0);
    add(b, DBS_I_NOP);
    watch(b, 0, DBS_BP_IO, PORT, DBS_RW_IO, lens[d[2]], DBS_EN_G);
    b->s->cr4_de = d[0] ? DBS_DE_SET : DBS_DE_CLEAR;
    return 0;
}

/* ---- with the other #DB conditions ----------------------------------------- */

/* An access and the breakpoint that watches it. */
struct probe {
    const char *name;
    uint8_t insn, setup, rw, space, at, len;
};
static const struct probe probes[] = {
    {"store4", DBS_I_STORE4, DBS_I_NOP, DBS_RW_WRITE, DBS_BP_DATA, AT, 4},
    {"load4", DBS_I_LOAD4, DBS_I_NOP, DBS_RW_RW, DBS_BP_DATA, AT, 4},
    {"add4", DBS_I_ADD_MEM4, DBS_I_NOP, DBS_RW_WRITE, DBS_BP_DATA, AT, 4},
    {"xchg4", DBS_I_XCHG_MEM4, DBS_I_NOP, DBS_RW_RW, DBS_BP_DATA, AT, 4},
    {"stosd", DBS_I_STOSD, DBS_I_NOP, DBS_RW_WRITE, DBS_BP_DATA, 0, 4},
    {"lodsd", DBS_I_LODSD, DBS_I_LEA_RSI_RDI32, DBS_RW_RW, DBS_BP_DATA, 32, 4},
    {"movsd", DBS_I_MOVSD, DBS_I_LEA_RSI_RDI32, DBS_RW_WRITE, DBS_BP_DATA, 0, 4},
    {"in80", DBS_I_IN_AL_80, DBS_I_NOP, DBS_RW_IO, DBS_BP_IO, PORT, 1},
    {"out80", DBS_I_OUT_80_AL, DBS_I_NOP, DBS_RW_IO, DBS_BP_IO, PORT, 1},
    {"insb", DBS_I_INSB, DBS_I_MOV_EDX_80, DBS_RW_WRITE, DBS_BP_DATA, 0, 1},
};

/* Appends the probe's instructions; returns the index of its access. */
static unsigned add_probe(struct builder *b, const struct probe *p)
{
    if (p->setup != DBS_I_NOP)
        add(b, p->setup);
    b->s->regs[0] = AT;
    add(b, p->insn);
    return b->s->ninsn - 1u;
}

/* data.tf.<probe>.<hit|miss>.<arm>: a data or I/O breakpoint and single
 * step on one instruction: one #DB with BS|Bn (SDM 18.2.3; APM 13.1.1.3
 * "other status bits ... can be set by the processor along with the BS
 * bit"); miss: the range next to the access, BS alone. The handler resets
 * DR6 after each #DB, as the SDM tells handlers to ("the remaining contents
 * of the DR6 register are never cleared by the processor", 18.2.3): a BS
 * left by the step before would hide a #DB that lacks it. */
static int build_tf(struct builder *b, const unsigned *d)
{
    const struct probe *p = &probes[d[0]];

    b->s->dr6_reset = 1;
    name_part(b, "data.tf");
    name_part(b, p->name);
    name_part(b, d[1] ? "miss" : "hit");
    arm(b, d[2]);
    /* iretq_rf: the probe comes first and so runs with RF=1, which the trap
     * after it must not push (RF=0 in every trap's frame, SDM 18.3.1.1) */
    if (d[2] != DBS_TF_IRETQ_RF)
        add(b, DBS_I_NOP);
    add_probe(b, p);
    add(b, DBS_I_NOP);
    watch(b, 0, p->space, p->at + (d[1] ? p->len : 0u), p->rw, p->len, DBS_EN_G);
    return 0;
}

/* data.code.<next|same>.<probe>.<arm>.d<n>c<m>: a data or I/O breakpoint in
 * DRn and a code breakpoint in DRm on the next instruction (a trap meeting
 * a fault: Intel one #DB, AMD undefined) or on the accessing one itself
 * ("the instruction breakpoint occurs first ... followed by the data
 * breakpoint", APM 13.1.3; SDM 18.3.1.1). */
static int build_code(struct builder *b, const unsigned *d)
{
    static const uint8_t drs[2][2] = {{0, 1}, {3, 2}};
    const struct probe *p = &probes[d[1]];
    unsigned at;

    name_part(b, d[0] ? "data.code.same" : "data.code.next");
    name_part(b, p->name);
    arm(b, d[2]);
    name_num(b, "d", drs[d[3]][0]);
    dbs_put_char(&b->name, 'c');
    dbs_put_dec(&b->name, drs[d[3]][1]);
    add(b, DBS_I_NOP);
    at = add_probe(b, p);
    add(b, DBS_I_NOP);
    add(b, DBS_I_NOP);
    watch(b, drs[d[3]][0], p->space, p->at, p->rw, p->len, DBS_EN_G);
    code_bp(b, drs[d[3]][1], d[0] ? at : at + 1);
    return 0;
}

/* data.movss.<watch>.<next>.<arm>: MOV SS loads the selector at scratch
 * 8..9 under a watchpoint ("MOV SS + watchpoint", KUT; XTF xsa-260): the
 * #DB waits for the next instruction's end, merges with its traps, arrives
 * at the handler's entry after INT n, and is dropped by ICEBP and faults. */
static int build_movss(struct builder *b, const unsigned *d)
{
    static const struct {
        const char *name;
        uint8_t rw, len;
    } watches[] = {{"rw2", DBS_RW_RW, 2}, {"rw1", DBS_RW_RW, 1}, {"rw4", DBS_RW_RW, 4},
                   {"rw8", DBS_RW_RW, 8}, {"w2", DBS_RW_WRITE, 2}};
    static const struct {
        const char *name;
        uint8_t insn;
    } nexts[] = {{"nop", DBS_I_NOP},     {"store", DBS_I_STORE4}, {"load", DBS_I_LOAD4},
                 {"in80", DBS_I_IN_AL_80}, {"int3", DBS_I_INT3},  {"int1", DBS_I_INT_1},
                 {"icebp", DBS_I_ICEBP}, {"ud2", DBS_I_UD2}};

    name_part(b, "data.movss");
    name_part(b, watches[d[0]].name);
    name_part(b, nexts[d[1]].name);
    arm(b, d[2]);
    b->s->regs[0] = AT;
    add(b, DBS_I_MOVSS_MEM);
    add(b, nexts[d[1]].insn);
    add(b, DBS_I_NOP);
    watch(b, 1, DBS_BP_DATA, 8, watches[d[0]].rw, watches[d[0]].len, DBS_EN_G);
    if (nexts[d[1]].insn == DBS_I_STORE4)
        watch(b, 2, DBS_BP_DATA, AT, DBS_RW_WRITE, 4, DBS_EN_G);
    return 0;
}

/* Several DRs and one instruction (instructions before it, then the breakpoints). */
struct watch_spec {
    uint8_t dr, space, at, rw, len, en;
};
struct multi {
    const char *name;
    uint8_t ninsn, insn[2], nbp;
    struct watch_spec bp[4];
};
#define W_(dr, at, rw, len, en) {dr, DBS_BP_DATA, at, DBS_RW_##rw, len, DBS_EN_##en}
static const struct multi multis[] = {
    {"same2", 1, {DBS_I_STORE4}, 2, {W_(0, AT, WRITE, 4, G), W_(1, AT, RW, 4, L)}},
    {"all4", 1, {DBS_I_STORE4}, 4,
     {W_(0, AT, RW, 1, G), W_(1, AT + 1, RW, 1, G), W_(2, AT + 2, RW, 1, G), W_(3, AT + 3, RW, 1, G)}},
    {"split", 1, {DBS_I_STORE8}, 2, {W_(0, AT, WRITE, 4, G), W_(1, AT + 4, WRITE, 4, G)}},
    {"movs_both", 2, {DBS_I_LEA_RSI_RDI32, DBS_I_MOVSB}, 2,
     {W_(0, 32, RW, 1, G), W_(1, 0, WRITE, 1, G)}},
    {"w_rw_load", 1, {DBS_I_LOAD4}, 2, {W_(0, AT, RW, 4, G), W_(1, AT, WRITE, 4, G)}},
    {"disabled_with", 1, {DBS_I_STORE4}, 2, {W_(0, AT, WRITE, 4, G), W_(1, AT, WRITE, 4, OFF)}},
    {"disabled_alone", 1, {DBS_I_STORE4}, 1, {W_(1, AT, WRITE, 4, OFF)}},
    {"io_and_mem", 2, {DBS_I_MOV_EDX_80, DBS_I_INSB}, 2,
     {{0, DBS_BP_IO, PORT, DBS_RW_IO, 1, DBS_EN_G}, W_(1, 0, WRITE, 1, G)}},
};

/* data.multi.<pattern>.<arm>: every enabled match sets its Bn (SDM 18.2.3;
 * APM 13.1.1.3); a disabled one "may" (SDM) or not (APM): don't-care. */
static int build_multi(struct builder *b, const unsigned *d)
{
    const struct multi *p = &multis[d[0]];
    unsigned k;

    name_part(b, "data.multi");
    name_part(b, p->name);
    arm(b, d[1]);
    b->s->regs[0] = AT;
    add(b, DBS_I_NOP);
    for (k = 0; k < p->ninsn; k++)
        add(b, p->insn[k]);
    add(b, DBS_I_NOP);
    for (k = 0; k < p->nbp; k++)
        watch(b, p->bp[k].dr, p->bp[k].space, p->bp[k].at, p->bp[k].rw, p->bp[k].len,
              p->bp[k].en);
    return 0;
}

/* ---- accesses a hypervisor emulates ---------------------------------------- */

/* data.hv.apic.<place>.<w|rw><L>.<arm>: a 32-bit load of the local APIC's
 * version register (MMIO, read-only) under a range on it, before or after
 * it, misaligned onto it; id: a load of the ID register beside it. An
 * emulator that handles the load must deliver the #DB hardware does. */
static int build_apic(struct builder *b, const unsigned *d)
{
    static const char *const places[] = {"ver_on", "ver_before", "ver_after", "ver_mis", "id"};
    unsigned l = lens[d[2]], dr = APIC_VER;

    if (d[0] == 3 && l < 2)
        return 1;
    if (d[0] == 1)
        dr = APIC_VER - l;
    else if (d[0] == 2)
        dr = (APIC_VER + 4 + l - 1) & ~(l - 1);
    else if (d[0] == 3)
        dr = APIC_VER + l - 1;
    name_part(b, "data.hv.apic");
    name_part(b, places[d[0]]);
    name_num(b, rw_names[d[1]], l);
    arm(b, d[3]);
    b->s->needs = DBS_NEEDS_XAPIC;
    add(b, DBS_I_NOP);
    add(b, d[0] == 4 ? DBS_I_LOAD_APIC_ID : DBS_I_LOAD_APIC_VER);
    add(b, DBS_I_NOP);
    watch(b, 3, DBS_BP_APIC, dr, rw_of[d[1]], l, DBS_EN_G);
    return 0;
}

/* data.hv.rep_insb.<first|last>.<w|rw><L>.<arm>: REP INSB of 8 bytes from
 * port 0x80 into the scratch area, the first or last L-byte block watched:
 * "Repeated INS and OUTS instructions generate a memory-breakpoint debug
 * exception after the iteration in which the memory address breakpoint
 * location is accessed" (SDM 18.3.1.2). */
static int build_insb(struct builder *b, const unsigned *d)
{
    unsigned l = lens[d[2]];

    if (d[0] && l == 8)
        return 1; /* the last 8-byte block is the first */
    name_part(b, "data.hv.rep_insb");
    name_part(b, d[0] ? "last" : "first");
    name_num(b, rw_names[d[1]], l);
    arm(b, d[3]);
    add(b, DBS_I_NOP);
    add(b, DBS_I_MOV_EDX_80);
    add(b, DBS_I_MOV_ECX_8);
    add_prefixed(b, DBS_I_INSB, 0xf3);
    add(b, DBS_I_NOP);
    watch(b, 0, DBS_BP_DATA, d[0] ? 8 - l : 0, rw_of[d[1]], l, DBS_EN_G);
    return 0;
}

/* ---- what an event's delivery touches --------------------------------------- */

/* <mode>.data.deliver.<event>.<where>.<w|rw><L>.<arm>: INT3, INT 0x80 or
 * UD2 at CPL3, whose delivery pushes its frame at the top of the RSP0 stack
 * and reads its IDT gate, against a write watchpoint on a slot of that
 * frame (rip, cs, rflags, rsp, ss) or on the 8 bytes above it, or a
 * read/write one on the low or high half of the gate or on the next
 * vector's gate. The #DB comes at the handler's first instruction (row
 * `v<vector>`), before the event's own row. Nothing #DB's delivery touches
 * is watched: its frame lies below this one, its gate is vector 1's, and a
 * breakpoint there loops on bare metal (CVE-2015-8104; casegen.c refuses
 * it). Frame slots take writes only: the handler reads the frame. */
static int build_deliver(struct builder *b, const unsigned *d)
{
    static const struct {
        const char *name;
        uint8_t insn, vector;
    } events[] = {{"int3", DBS_I_INT3, DBS_VEC_BP}, {"int80", DBS_I_INT_80, 0x80},
                  {"ud2", DBS_I_UD2, DBS_VEC_UD}};
    static const char *const wheres[] = {"rip", "cs", "rflags", "rsp", "ss", "above",
                                         "gate_lo", "gate_hi", "next_gate"};
    unsigned l = lens[d[2]], v = events[d[0]].vector, gate = d[1] >= 6;
    unsigned at = gate ? 16 * (v + (d[1] == 8)) + 8 * (d[1] == 7) : DBS_KSTACK_FRAME + 8 * d[1];

    name_part(b, "data.deliver");
    name_part(b, events[d[0]].name);
    name_part(b, wheres[d[1]]);
    name_num(b, rw_names[gate], l);
    arm(b, d[3] ? DBS_TF_IRETQ : DBS_TF_NONE);
    add(b, DBS_I_NOP);
    add(b, events[d[0]].insn);
    add(b, DBS_I_NOP);
    watch(b, (d[1] + d[2]) % 4, gate ? DBS_BP_IDT : DBS_BP_KSTACK, at, rw_of[gate], l, DBS_EN_G);
    if (d[1] != 5 && d[1] != 8) /* on what the delivery touches */
        b->s->needs = DBS_NEEDS_DELIVERY_WATCH;
    return 0;
}

/* ---- hardware records -------------------------------------------------------- */

/* data.hw.kvm_debug_regs_dr<n>: Linux selftests kvm/x86 debug_regs.c, "Test
 * data access HW BP over DR[0-3]", guest code at CPL0 on Intel and AMD
 * hosts: a 4-byte write watchpoint in DRn (DR7 = 0x400 | Gn | 0xd << 16+4n),
 * an 8-byte store over it; asserted: #DB with RIP after the store and DR6
 * = 0xffff0ff0 | Bn. */
static int build_hw(struct builder *b, const unsigned *d)
{
    struct dbs_case_spec *s = b->s;
    unsigned v;

    name_num(b, "data.hw.kvm_debug_regs_dr", d[0]);
    add(b, DBS_I_MOV_RAX_42);
    add(b, DBS_I_STORE_RAX);
    watch(b, d[0], DBS_BP_DATA, 0, DBS_RW_WRITE, 4, DBS_EN_G);
    s->hw_known = 3;
    for (v = 0; v < DBS_VENDOR_COUNT; v++) {
        s->hw[v].nexp = 1;
        s->hw[v].exp[0] = (struct dbs_exp_spec){
            .vector = DBS_VEC_DB, .at = 2, .dr6 = (uint32_t)(DBS_DR6_INIT | DBS_DR6_B(d[0]))};
    }
    return 0;
}

/* Data and I/O breakpoints at CPL0 in 64-bit code; event delivery from
 * CPL3, where the CPU switches to a stack whose place the runner knows. */
#define K64 DBS_MODE_BIT(DBS_MODE_K64)
#define USER (DBS_MODE_BIT(DBS_MODE_U64) | DBS_MODE_BIT(DBS_MODE_U32))
#define NPROBES ((unsigned)COUNT_OF(probes))
#define NARMS ((unsigned)DBS_TF_COUNT)
static const struct subgroup subgroups[] = {
    {build_bp, 5, {4, 2, 4, 3, 2}, K64},
    {build_place, 4, {4, 4, NPLACES, 4}, K64},
    {build_rmw, 4, {COUNT_OF(rmws), 2, 4, 2}, K64},
    {build_str, 6, {3, 4, 2, 2, 5, 2}, K64},
    {build_io, 3, {COUNT_OF(io_insns), 3, 6}, K64},
    {build_iobp, 2, {4, 3}, K64},
    {build_repio, 3, {4, 4, 2}, K64},
    {build_iobad, 3, {2, 4, 4}, K64},
    {build_tf, 3, {NPROBES, 2, NARMS}, K64},
    {build_code, 4, {2, NPROBES, 2, 2}, K64},
    {build_movss, 3, {5, 8, 2}, K64},
    {build_multi, 2, {COUNT_OF(multis), 2}, K64},
    {build_apic, 4, {5, 2, 4, 2}, K64},
    {build_insb, 4, {2, 2, 4, 2}, K64},
    {build_deliver, 4, {3, 9, 4, 2}, USER},
    {build_hw, 1, {4}, K64},
};

DBS_PRODUCT_GROUP(dbs_group_data, "data", subgroups, 4096);
