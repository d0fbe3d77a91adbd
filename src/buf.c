/* Bounded text buffer. */
#include "dbs_buf.h"

void dbs_buf_init(struct dbs_buf *b, char *mem, size_t cap)
{
    b->p = mem;
    b->len = 0;
    b->cap = cap;
    b->overflow = 0;
    if (cap)
        mem[0] = 0;
}

void dbs_put_char(struct dbs_buf *b, char c)
{
    if (b->len + 1 < b->cap) { /* keep one byte for the terminator */
        b->p[b->len++] = c;
        b->p[b->len] = 0; /* always a C string: no caller can forget */
    } else {
        b->overflow = 1;
    }
}

void dbs_put_str(struct dbs_buf *b, const char *s)
{
    while (*s)
        dbs_put_char(b, *s++);
}

void dbs_put_dec_w(struct dbs_buf *b, uint64_t v, unsigned width, char pad)
{
    char tmp[20];
    unsigned n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (width > n) {
        dbs_put_char(b, pad);
        width--;
    }
    while (n)
        dbs_put_char(b, tmp[--n]);
}

void dbs_put_dec(struct dbs_buf *b, uint64_t v)
{
    dbs_put_dec_w(b, v, 0, ' ');
}

static const char hexdig[] = "0123456789abcdef";

void dbs_put_hex(struct dbs_buf *b, uint64_t v)
{
    int shift = 60;

    dbs_put_str(b, "0x");
    while (shift > 0 && !((v >> shift) & 0xf))
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        dbs_put_char(b, hexdig[(v >> shift) & 0xf]);
}

void dbs_put_hex_bytes(struct dbs_buf *b, const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        dbs_put_char(b, hexdig[p[i] >> 4]);
        dbs_put_char(b, hexdig[p[i] & 0xf]);
    }
}

const char *dbs_buf_str(struct dbs_buf *b)
{
    if (b->cap)
        b->p[b->len < b->cap ? b->len : b->cap - 1] = 0;
    return b->p;
}

int dbs_streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}
