/* A bounded text buffer: the one formatter for the CSV, file names and the
 * console (no printf in the freestanding core). */
#ifndef DBS_BUF_H
#define DBS_BUF_H

#include <stddef.h>
#include <stdint.h>

struct dbs_buf {
    char *p;
    size_t len, cap;
    int overflow; /* set when a write did not fit; the text is then truncated */
};

void dbs_buf_init(struct dbs_buf *b, char *mem, size_t cap);
void dbs_put_mem(struct dbs_buf *b, const char *s, size_t n); /* n bytes, NULs included */
/* Inline: the CSV writer puts a separator between every two fields. */
static inline void dbs_put_char(struct dbs_buf *b, char c)
{
    if (b->len + 1 < b->cap) { /* keep one byte for the terminator */
        b->p[b->len++] = c;
        b->p[b->len] = 0;
    } else {
        b->overflow = 1;
    }
}
void dbs_put_str(struct dbs_buf *b, const char *s);
void dbs_put_dec(struct dbs_buf *b, uint64_t v);
void dbs_put_dec_w(struct dbs_buf *b, uint64_t v, unsigned width, char pad);
void dbs_put_hex(struct dbs_buf *b, uint64_t v); /* 0x-prefixed, lowercase, no padding */
void dbs_put_hex_bytes(struct dbs_buf *b, const uint8_t *p, size_t n); /* no prefix */
/* The same digits written at p, unbounded (at most 20 and 18 characters),
 * returning the end: for callers that build a record in an array of their
 * own and put it whole. */
char *dbs_fmt_dec(char *p, uint64_t v);
char *dbs_fmt_hex(char *p, uint64_t v);
/* The text (always NUL-terminated). */
const char *dbs_buf_str(struct dbs_buf *b);
/* 1 when two strings are equal (the core has no libc). */
int dbs_streq(const char *a, const char *b);

#endif
