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
 * RSP0 stack's top), idt+0x<off> (dbsweep's IDT), ssdesc<off> (decimal, a
 * byte of the descriptor CPL3 cases load SS with). */
static void put_where(struct dbs_buf *b, unsigned space, unsigned off)
{
    static const char *const prefix[] = {[DBS_BP_DATA] = "d", [DBS_BP_APIC] = "apic+",
                                         [DBS_BP_KSTACK] = "kstack", [DBS_BP_IDT] = "idt+",
                                         [DBS_BP_SSDESC] = "ssdesc"};

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

/* s copied to p without its terminator; returns the end. */
static char *cpy(char *p, const char *s)
{
    while (*s)
        *p++ = *s++;
    return p;
}

/* An offset as the CSV spells it (at most 21 characters at p). */
static char *fmt_off(char *p, long off)
{
    if (off < 0)
        return p;
    if (off == (long)(DBS_OFF_ENTRY | DBS_ENTRY_LSTAR) || off == (long)(DBS_OFF_ENTRY | DBS_ENTRY_CSTAR))
        return cpy(p, off == (long)(DBS_OFF_ENTRY | DBS_ENTRY_LSTAR) ? "lstar" : "cstar");
    if (off & DBS_OFF_ENTRY) {
        *p++ = 'v';
        off &= ~(long)DBS_OFF_ENTRY;
    }
    return dbs_fmt_dec(p, (uint64_t)off);
}

void dbs_csv_off(struct dbs_buf *b, long off)
{
    char tmp[24];

    dbs_put_mem(b, tmp, (size_t)(fmt_off(tmp, off) - tmp));
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
    char text[DBS_CSV_NOTE_MAX + 1];
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

/* One row, built in an array and put whole: most rows are the case's
 * repeated columns and a few numbers, and a call per field was most of the
 * writer's time under an emulator. */
static void put_row(struct dbs_buf *b, const struct dbs_case *c, const struct case_cols *k,
                    const struct dbs_expect *x, const struct dbs_rep *r, unsigned rep,
                    unsigned row, int agree)
{
    static char line[sizeof(k->mem) + 512]; /* the case's columns and at most ~320 more */
    const struct dbs_event *ev = row < r->nev ? &r->ev[row] : 0;
    const struct dbs_exp *ex = (x->e.nexp > 0 && row < (unsigned)x->e.nexp) ? &x->e.exp[row] : 0;
    char *p = line;

    __builtin_memcpy(p, k->mem, k->head);
    p = dbs_fmt_dec(p + k->head, rep);
    *p++ = ',';
    if (ev) {
        p = dbs_fmt_dec(p, row);
        *p++ = ',';
        p = dbs_fmt_dec(p, ev->vector);
        *p++ = ',';
        p = dbs_fmt_hex(p, ev->error);
        *p++ = ',';
        p = dbs_fmt_hex(p, ev->rip);
        *p++ = ',';
        p = fmt_off(p, dbs_event_off(c, r, ev));
        *p++ = ',';
        p = dbs_fmt_hex(p, ev->rflags);
        *p++ = ',';
        if (ev->has_dr)
            p = dbs_fmt_hex(p, ev->dr6);
        *p++ = ',';
        if (ev->has_dr)
            p = dbs_fmt_hex(p, ev->dr7);
    } else {
        p = cpy(p, ",,,,,,,");
    }
    *p++ = ',';
    if (ex) {
        p = dbs_fmt_dec(p, ex->vector);
        *p++ = ',';
        p = fmt_off(p, ex->rip_off);
        *p++ = ',';
        if (ex->vector == 1)
            p = dbs_fmt_hex(p, ex->dr6);
    } else {
        p = cpy(p, ",,");
    }
    *p++ = ',';
    p = cpy(p, dbs_verdict_names[dbs_judge_row(c, x, r, row)]);
    p = cpy(p, agree ? ",yes," : ",no,");
    __builtin_memcpy(p, k->mem + k->head, k->mid);
    p += k->mid;
    if (r->crashed || r->skipped || r->capped) {
        p = cpy(p, r->crashed ? "crashed" : r->skipped ? "skipped" : "capped");
    } else if (x->why && row == 0) { /* quoted as it needs: through the buffer */
        dbs_put_mem(b, line, (size_t)(p - line));
        put_note(b, c, x, r);
        p = line;
    }
    *p++ = ',';
    if (ex && ex->vector == 1 && ex->dr6_any)
        p = dbs_fmt_hex(p, ex->dr6_any);
    *p++ = ',';
    if (ex && ex->rf != DBS_RF_ANY)
        p = dbs_fmt_dec(p, ex->rf);
    __builtin_memcpy(p, k->mem + k->head + k->mid, k->tail);
    p += k->tail;
    if (ev) { /* the frame: where the CPU was */
        *p++ = ',';
        p = dbs_fmt_hex(p, ev->cs);
        *p++ = ',';
        p = dbs_fmt_hex(p, ev->ss);
        *p++ = ',';
        p = dbs_fmt_hex(p, ev->rsp);
    } else {
        p = cpy(p, ",,,");
    }
    *p++ = '\n';
    dbs_put_mem(b, line, (size_t)(p - line));
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
