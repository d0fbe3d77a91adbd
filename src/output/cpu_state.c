/* The firmware CPU state's one-line form, as the CSV metadata shows it. */
#include "dbs_cpu_state.h"

static void field(struct dbs_buf *b, const char *key, uint64_t v)
{
    if (b->len)
        dbs_put_char(b, ' ');
    dbs_put_str(b, key);
    dbs_put_char(b, '=');
    dbs_put_hex(b, v);
}

void dbs_put_cpu_state(struct dbs_buf *b, const struct dbs_cpu_state *s)
{
    field(b, "gdtr", s->gdt_base);
    dbs_put_char(b, '/');
    dbs_put_hex(b, s->gdt_limit);
    field(b, "idtr", s->idt_base);
    dbs_put_char(b, '/');
    dbs_put_hex(b, s->idt_limit);
    field(b, "tr", s->tr);
    field(b, "cs", s->cs);
    field(b, "ss", s->ss);
    field(b, "cr0", s->cr0);
    field(b, "cr3", s->cr3);
    field(b, "cr4", s->cr4);
    field(b, "efer", s->efer);
    field(b, "star", s->star);
    field(b, "lstar", s->lstar);
    field(b, "cstar", s->cstar);
    field(b, "fmask", s->fmask);
}
