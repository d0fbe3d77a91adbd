/* LAVA job logs as console logs (see lava_log.h). */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include "lava_log.h"

static const char *skip_item(const char *p)
{
    return p[0] == '-' && p[1] == ' ' ? p + 2 : p;
}

int lava_log_detect(const char *s, size_t n)
{
    static const char rec[] = "{\"dt\": \"";

    s = skip_item(s);
    return n >= sizeof(rec) && !strncmp(s, rec, sizeof(rec) - 1);
}

static int hex(const char *p, int digits, unsigned long *v)
{
    int i;

    *v = 0;
    for (i = 0; i < digits; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        *v = *v << 4 | (unsigned long)d;
    }
    return 0;
}

/* Writes code point u as UTF-8 (the console was decoded from UTF-8). */
static char *put_utf8(char *w, unsigned long u)
{
    if (u < 0x80) {
        *w++ = (char)u;
    } else if (u < 0x800) {
        *w++ = (char)(0xc0 | u >> 6);
        *w++ = (char)(0x80 | (u & 0x3f));
    } else if (u < 0x10000) {
        *w++ = (char)(0xe0 | u >> 12);
        *w++ = (char)(0x80 | (u >> 6 & 0x3f));
        *w++ = (char)(0x80 | (u & 0x3f));
    } else {
        *w++ = (char)(0xf0 | u >> 18);
        *w++ = (char)(0x80 | (u >> 12 & 0x3f));
        *w++ = (char)(0x80 | (u >> 6 & 0x3f));
        *w++ = (char)(0x80 | (u & 0x3f));
    }
    return w;
}

/* Decodes the YAML double-quoted scalar after r (past its opening quote)
 * to *wp; returns the end of the scalar, or NULL if the line ends first or
 * holds an escape YAML does not have. */
static const char *unquote(const char *r, const char *eol, char **wp)
{
    static const char simple[] = "0\0a\ab\bt\tn\nv\vf\fr\re\x1b \040\"\"/\\\\\\";
    char *w = *wp;
    unsigned long u;
    int digits;

    for (; r < eol && *r != '"'; r++) {
        const char *s;

        if (*r != '\\' || r + 1 >= eol) {
            *w++ = *r;
            continue;
        }
        r++;
        digits = *r == 'x' ? 2 : *r == 'u' ? 4 : *r == 'U' ? 8 : 0;
        if (digits) {
            if (r + digits >= eol || hex(r + 1, digits, &u))
                return NULL;
            w = put_utf8(w, u);
            r += digits;
        } else if (*r == 'N' || *r == '_' || *r == 'L' || *r == 'P') {
            w = put_utf8(w, *r == 'N' ? 0x85 : *r == '_' ? 0xa0 : *r == 'L' ? 0x2028 : 0x2029);
        } else {
            for (s = simple; s < simple + sizeof(simple) - 1 && *s != *r; s += 2)
                ;
            if (s >= simple + sizeof(simple) - 1)
                return NULL;
            *w++ = s[1];
        }
    }
    *wp = w;
    return r < eol ? r : NULL;
}

/* Turns each \" back into " (LAVA added the backslash), in place. */
static char *unescape_quotes(char *from, char *to)
{
    char *r, *w = from;

    for (r = from; r < to; r++)
        if (!(r[0] == '\\' && r + 1 < to && r[1] == '"'))
            *w++ = *r;
    return w;
}

size_t lava_log_console(const char *s, size_t n, char *out)
{
    static const char lvl[] = "\"lvl\": \"", msg[] = "\"msg\": \"";
    const char *r = s, *end = s + n;
    char *w = out;

    while (r < end) {
        const char *eol = memchr(r, '\n', (size_t)(end - r));
        const char *l, *m;
        char *line;

        if (!eol)
            eol = end;
        l = memmem(r, (size_t)(eol - r), lvl, sizeof(lvl) - 1);
        if (l) {
            l += sizeof(lvl) - 1;
            m = !strncmp(l, "target\"", 7) || !strncmp(l, "feedback\"", 9)
                    ? memmem(l, (size_t)(eol - l), msg, sizeof(msg) - 1) : NULL;
            if (m) {
                line = w;
                if (unquote(m + sizeof(msg) - 1, eol, &w)) {
                    w = unescape_quotes(line, w);
                    *w++ = '\n';
                } else {
                    w = line;
                }
            }
        }
        r = eol + 1;
    }
    *w = 0;
    return (size_t)(w - out);
}
