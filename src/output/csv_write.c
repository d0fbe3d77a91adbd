/* Writes CSV schema 2: metadata lines, header, one row per event. */
#include "dbs_csv.h"
#include "dbs_judge.h"
#include "dbs_arch.h"
#include "dbs_insn.h"

const char *const dbs_csv_columns[DBS_CSV_NCOLS] = {
#define DBS_CSV_NAME(id, name) name,
    DBS_CSV_COLUMNS(DBS_CSV_NAME)
#undef DBS_CSV_NAME
};

void dbs_csv_meta(struct dbs_buf *b, const char *key, const char *value)
{
    dbs_put_str(b, "# ");
    dbs_put_str(b, key);
    dbs_put_str(b, ": ");
    for (; *value; value++)
        dbs_put_char(b, (unsigned char)*value < 0x20 ? ' ' : *value);
    dbs_put_char(b, '\n');
}

void dbs_csv_header(struct dbs_buf *b)
{
    unsigned i;

    for (i = 0; i < DBS_CSV_NCOLS; i++) {
        if (i)
            dbs_put_char(b, ',');
        dbs_put_str(b, dbs_csv_columns[i]);
    }
    dbs_put_char(b, '\n');
}

void dbs_csv_field(struct dbs_buf *b, const char *s)
{
    const char *q;
    int quote = 0;

    for (q = s; *q; q++)
        if (*q == ',' || *q == '"' || *q == '\n' || *q == '\r')
            quote = 1;
    if (!quote) {
        dbs_put_str(b, s);
        return;
    }
    dbs_put_char(b, '"');
    for (q = s; *q; q++) {
        if (*q == '"')
            dbs_put_char(b, '"');
        dbs_put_char(b, *q);
    }
    dbs_put_char(b, '"');
}

/* Where a breakpoint or an access lies: a decimal offset in the case (code),
 * d<off> (the scratch area), 0x<port> (I/O), apic+0x<off> (the local APIC's
 * MMIO page), kstack<off> (decimal, from DBS_KSTACK_SPAN bytes below the
 * RSP0 stack's top), idt+0x<off> (dbsweep's IDT). */
static void put_where(struct dbs_buf *b, unsigned space, unsigned off)
{
    static const char *const prefix[] = {[DBS_BP_DATA] = "d", [DBS_BP_APIC] = "apic+",
                                         [DBS_BP_KSTACK] = "kstack", [DBS_BP_IDT] = "idt+"};

    if (space < sizeof(prefix) / sizeof(prefix[0]) && prefix[space])
        dbs_put_str(b, prefix[space]);
    if (space == DBS_BP_IO || space == DBS_BP_APIC || space == DBS_BP_IDT)
        dbs_put_hex(b, off);
    else
        dbs_put_dec(b, off);
}

void dbs_csv_bps(struct dbs_buf *b, const struct dbs_case *c)
{
    static const char *const rw[4] = {"x", "w", "io", "rw"};
    static const char *const en[4] = {"off", "L", "G", "LG"};
    unsigned i;

    for (i = 0; i < c->nbp; i++) {
        const struct dbs_bp *p = &c->bp[i];

        if (i)
            dbs_put_char(b, ';');
        dbs_put_str(b, "DR");
        dbs_put_dec(b, p->dr);
        dbs_put_char(b, '@');
        put_where(b, p->space, p->off);
        dbs_put_char(b, ':');
        dbs_put_str(b, rw[p->rw & 3]);
        dbs_put_dec(b, dbs_dr7_len_bytes(p->len));
        dbs_put_char(b, ':');
        dbs_put_str(b, en[p->en & 3]);
    }
}

void dbs_csv_off(struct dbs_buf *b, long off)
{
    if (off < 0)
        return;
    if (off == (long)(DBS_OFF_ENTRY | DBS_ENTRY_LSTAR) || off == (long)(DBS_OFF_ENTRY | DBS_ENTRY_CSTAR)) {
        dbs_put_str(b, off == (long)(DBS_OFF_ENTRY | DBS_ENTRY_LSTAR) ? "lstar" : "cstar");
        return;
    }
    if (off & DBS_OFF_ENTRY) {
        dbs_put_char(b, 'v');
        off &= ~(long)DBS_OFF_ENTRY;
    }
    dbs_put_dec(b, (uint64_t)off);
}

void dbs_csv_access(struct dbs_buf *b, const struct dbs_case *c)
{
    static const char *const acc[] = {[DBS_ACC_R] = "r", [DBS_ACC_W] = "w", [DBS_ACC_RW] = "rw",
                                      [DBS_ACC_RWB] = "rwb"};
    unsigned i, k, n = 0;

    for (i = 0; i < c->ninsn; i++)
        for (k = 0; k < 2; k++) {
            const struct dbs_mem *m = &c->mem[i][k];

            if (m->acc == DBS_ACC_NONE)
                continue;
            if (n++)
                dbs_put_char(b, ';');
            dbs_put_str(b, m->space == DBS_BP_IO ? "io" : acc[m->acc]);
            dbs_put_char(b, '@');
            put_where(b, m->space, m->off);
            dbs_put_char(b, ':');
            dbs_put_dec(b, m->len);
        }
}

/* A repetition's note: why the model has no expectation, and where it knows
 * behaviours, which one this repetition showed. */
static void put_note(struct dbs_buf *b, const struct dbs_case *c, const struct dbs_expect *x,
                     const struct dbs_rep *r)
{
    char text[192];
    struct dbs_buf t;
    const char *seen;

    dbs_buf_init(&t, text, sizeof(text));
    dbs_put_str(&t, x->why);
    if (x->nalt) {
        seen = dbs_judge_alt(c, x, r);
        dbs_put_str(&t, "; observed: ");
        dbs_put_str(&t, seen ? seen : "neither");
    }
    dbs_csv_field(b, dbs_buf_str(&t));
}

/* The columns every row of a case repeats, formatted once per case: rows
 * are most of the CSV, and most of a row is these. */
struct case_cols {
    char mem[2048]; /* name and group quoted, bytes, accesses: at most ~1.2 KiB */
    size_t head, mid, tail; /* lengths of the three runs, stored back to back */
};

static void case_cols(struct case_cols *k, const struct dbs_case *c)
{
    struct dbs_buf b;
    size_t at;

    dbs_buf_init(&b, k->mem, sizeof(k->mem));
    dbs_csv_field(&b, c->name); /* case,group, */
    dbs_put_char(&b, ',');
    dbs_csv_field(&b, c->group);
    dbs_put_char(&b, ',');
    k->head = at = b.len;
    dbs_put_str(&b, dbs_tf_names[c->tf]); /* tf,bps,bytes, */
    dbs_put_char(&b, ',');
    dbs_csv_bps(&b, c);
    dbs_put_char(&b, ',');
    dbs_put_hex_bytes(&b, c->bytes, c->nbytes);
    dbs_put_char(&b, ',');
    k->mid = b.len - at;
    at = b.len;
    dbs_put_char(&b, ','); /* ,mode,access */
    dbs_put_str(&b, dbs_mode_names[c->mode]);
    dbs_put_char(&b, ',');
    dbs_csv_access(&b, c);
    k->tail = b.len - at;
}

static void put_row(struct dbs_buf *b, const struct dbs_case *c, const struct case_cols *k,
                    const struct dbs_expect *x, const struct dbs_rep *r, unsigned rep,
                    unsigned row, int agree)
{
    const struct dbs_event *ev = row < r->nev ? &r->ev[row] : 0;
    const struct dbs_exp *ex = (x->e.nexp > 0 && row < (unsigned)x->e.nexp) ? &x->e.exp[row] : 0;

    dbs_put_mem(b, k->mem, k->head);
    dbs_put_dec(b, rep);
    dbs_put_char(b, ',');
    if (ev) {
        dbs_put_dec(b, row);
        dbs_put_char(b, ',');
        dbs_put_dec(b, ev->vector);
        dbs_put_char(b, ',');
        dbs_put_hex(b, ev->error);
        dbs_put_char(b, ',');
        dbs_put_hex(b, ev->rip);
        dbs_put_char(b, ',');
        dbs_csv_off(b, dbs_event_off(c, r, ev));
        dbs_put_char(b, ',');
        dbs_put_hex(b, ev->rflags);
        dbs_put_char(b, ',');
        if (ev->has_dr)
            dbs_put_hex(b, ev->dr6);
        dbs_put_char(b, ',');
        if (ev->has_dr)
            dbs_put_hex(b, ev->dr7);
    } else {
        dbs_put_str(b, ",,,,,,,");
    }
    dbs_put_char(b, ',');
    if (ex) {
        dbs_put_dec(b, ex->vector);
        dbs_put_char(b, ',');
        dbs_csv_off(b, ex->rip_off);
        dbs_put_char(b, ',');
        if (ex->vector == 1)
            dbs_put_hex(b, ex->dr6);
    } else {
        dbs_put_str(b, ",,");
    }
    dbs_put_char(b, ',');
    dbs_put_str(b, dbs_verdict_names[dbs_judge_row(c, x, r, row)]);
    dbs_put_str(b, agree ? ",yes," : ",no,");
    dbs_put_mem(b, k->mem + k->head, k->mid);
    if (r->crashed)
        dbs_put_str(b, "crashed");
    else if (r->skipped)
        dbs_put_str(b, "skipped");
    else if (r->capped)
        dbs_put_str(b, "capped");
    else if (x->why && row == 0)
        put_note(b, c, x, r);
    dbs_put_char(b, ',');
    if (ex && ex->vector == 1 && ex->dr6_any)
        dbs_put_hex(b, ex->dr6_any);
    dbs_put_char(b, ',');
    if (ex && ex->rf != DBS_RF_ANY)
        dbs_put_dec(b, ex->rf);
    dbs_put_mem(b, k->mem + k->head + k->mid, k->tail);
    if (ev) { /* the frame: where the CPU was */
        dbs_put_char(b, ',');
        dbs_put_hex(b, ev->cs);
        dbs_put_char(b, ',');
        dbs_put_hex(b, ev->ss);
        dbs_put_char(b, ',');
        dbs_put_hex(b, ev->rsp);
    } else {
        dbs_put_str(b, ",,,");
    }
    dbs_put_char(b, '\n');
}

void dbs_csv_case_rows(struct dbs_buf *b, const struct dbs_case *c, const struct dbs_expect *x,
                       const struct dbs_rep *reps, unsigned nreps, int agree)
{
    static struct case_cols k; /* 2 KiB: off the firmware's small stack */
    unsigned rep, row;

    case_cols(&k, c);
    for (rep = 0; rep < nreps; rep++)
        for (row = 0; row < dbs_rep_rows(x, &reps[rep]); row++)
            put_row(b, c, &k, x, &reps[rep], rep, row, agree);
}
