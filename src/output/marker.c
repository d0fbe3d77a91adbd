/* Progress marker text. */
#include "dbs_marker.h"

void dbs_marker_format(struct dbs_buf *b, const struct dbs_marker *m)
{
    size_t start = b->len;

    dbs_put_str(b, m->csv);
    dbs_put_char(b, '\t');
    dbs_put_dec(b, m->first);
    dbs_put_char(b, '\t');
    dbs_put_dec(b, m->last);
    dbs_put_char(b, '\t');
    dbs_put_str(b, m->name);
    while (b->len - start < DBS_MARKER_BYTES && !b->overflow)
        dbs_put_char(b, '\n');
}

/* Copies up to a tab or newline; returns the bytes consumed or -1. */
static int field(const char *s, unsigned len, char *dst, unsigned cap)
{
    unsigned i = 0;

    for (; i < len && s[i] != '\t' && s[i] != '\n'; i++) {
        if (i + 1 >= cap || (unsigned char)s[i] < 0x20)
            return -1;
        dst[i] = s[i];
    }
    dst[i] = 0;
    return i < len && i ? (int)i + 1 : -1;
}

static int number(const char *s, unsigned *v)
{
    unsigned n = 0;

    *v = 0;
    for (; *s; s++, n++) {
        if (*s < '0' || *s > '9' || n == 6)
            return -1;
        *v = *v * 10 + (unsigned)(*s - '0');
    }
    return n ? 0 : -1;
}

int dbs_marker_parse(const char *s, unsigned len, struct dbs_marker *m)
{
    char num[8];
    int n;

    if ((n = field(s, len, m->csv, sizeof(m->csv))) < 0)
        return -1;
    s += n, len -= (unsigned)n;
    if ((n = field(s, len, num, sizeof(num))) < 0 || number(num, &m->first))
        return -1;
    s += n, len -= (unsigned)n;
    if ((n = field(s, len, num, sizeof(num))) < 0 || number(num, &m->last))
        return -1;
    s += n, len -= (unsigned)n;
    if ((n = field(s, len, m->name, sizeof(m->name))) < 0 || s[n - 1] != '\n' ||
        m->first > m->last)
        return -1;
    return 0;
}
