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

/* The one place that writes into the buffer: what fits (one byte is kept
 * for the terminator), in one pass; the CSV writer's cost is mostly here. */
void dbs_put_mem(struct dbs_buf *b, const char *s, size_t n)
{
    size_t room = b->cap > b->len ? b->cap - b->len - 1 : 0;

    if (n > room) {
        n = room;
        b->overflow = 1;
    }
    if (!b->cap)
        return;
    __builtin_memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0; /* always a C string: no caller can forget */
}

void dbs_put_str(struct dbs_buf *b, const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    dbs_put_mem(b, s, n);
}

char *dbs_fmt_dec(char *p, uint64_t v)
{
    char tmp[20];
    unsigned n = sizeof(tmp);

    do {
        tmp[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < sizeof(tmp))
        *p++ = tmp[n++];
    return p;
}

static const char hexdig[] = "0123456789abcdef";

char *dbs_fmt_hex(char *p, uint64_t v)
{
    int shift = 60;

    *p++ = '0';
    *p++ = 'x';
    while (shift > 0 && !((v >> shift) & 0xf))
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        *p++ = hexdig[(v >> shift) & 0xf];
    return p;
}

void dbs_put_dec_w(struct dbs_buf *b, uint64_t v, unsigned width, char pad)
{
    char tmp[20];
    size_t n = (size_t)(dbs_fmt_dec(tmp, v) - tmp);

    for (; width > n; width--)
        dbs_put_char(b, pad);
    dbs_put_mem(b, tmp, n);
}

void dbs_put_dec(struct dbs_buf *b, uint64_t v)
{
    char tmp[20];

    dbs_put_mem(b, tmp, (size_t)(dbs_fmt_dec(tmp, v) - tmp));
}

void dbs_put_hex(struct dbs_buf *b, uint64_t v)
{
    char tmp[18];

    dbs_put_mem(b, tmp, (size_t)(dbs_fmt_hex(tmp, v) - tmp));
}

void dbs_put_hex_bytes(struct dbs_buf *b, const uint8_t *p, size_t n)
{
    char tmp[64];
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        tmp[k++] = hexdig[p[i] >> 4];
        tmp[k++] = hexdig[p[i] & 0xf];
        if (k == sizeof(tmp) || i + 1 == n) {
            dbs_put_mem(b, tmp, k);
            k = 0;
        }
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
