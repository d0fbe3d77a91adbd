/* JSON and XML writers for text from untrusted CSVs. */
#include "escape.h"

/* Length of the valid UTF-8 sequence at s; 0 when it is not one. */
static unsigned utf8_len(const unsigned char *s)
{
    unsigned n = s[0] < 0x80 ? 1 : s[0] < 0xc2 ? 0 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3
                 : s[0] < 0xf5 ? 4 : 0;
    unsigned long cp = s[0] & (0x7f >> n), i;

    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return n;
}

/* The escapers copy runs of bytes that need no escape with one fwrite:
 * per byte, stdio's locking and bookkeeping cost more than the checks
 * (verdicts writes every case name and text of every file). */

/* ASCII written as it is in a JSON string: not ", \ or < > & (HTML), nor controls. */
static const unsigned char json_plain[256] = {
    [' ' ... '!'] = 1, ['#' ... '%'] = 1, ['\'' ... ';'] = 1, ['='] = 1, ['?' ... '['] = 1,
    [']' ... 0x7f] = 1};

void dbs_put_json_string(FILE *f, const char *str)
{
    const unsigned char *s = (const unsigned char *)str, *plain = s; /* not yet written */
    unsigned n;

    fputc('"', f);
    for (; *s; s += n) {
        n = 1;
        if (json_plain[*s]) /* most bytes: no call, one lookup */
            continue;
        n = utf8_len(s);
        if (n > 1 && !(n == 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9)))
            continue;
        if (n == 1 && *s >= 0x20 && *s != '"' && *s != '\\' && *s != '<' && *s != '>' &&
            *s != '&')
            continue;
        fwrite(plain, 1, (size_t)(s - plain), f);
        if (!n) {
            fputs("\\ufffd", f);
            n = 1;
        } else if (n == 3) { /* U+2028, U+2029: line ends to JavaScript */
            fprintf(f, "\\u%04x", 0x2000u + s[2] - 0x80);
        } else if (*s == '"' || *s == '\\') {
            fprintf(f, "\\%c", *s);
        } else {
            fprintf(f, "\\u%04x", *s);
        }
        plain = s + n;
    }
    fwrite(plain, 1, (size_t)(s - plain), f);
    fputc('"', f);
}

/* ASCII written as it is in XML text and attributes: not & < > " ' nor
 * controls but tab and line feed. */
static const unsigned char xml_plain[256] = {
    ['\t'] = 1, ['\n'] = 1, [' ' ... '!'] = 1, ['#' ... '%'] = 1, ['(' ... ';'] = 1, ['='] = 1,
    ['?' ... 0x7f] = 1};

void dbs_put_xml_text(FILE *f, const char *str)
{
    static const char *const refs[] = {['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
                                       ['"'] = "&quot;", ['\''] = "&apos;"};
    const unsigned char *s = (const unsigned char *)str, *plain = s; /* not yet written */
    unsigned n;

    for (; *s; s += n) {
        n = 1;
        if (xml_plain[*s]) /* most bytes: no call, one lookup */
            continue;
        n = utf8_len(s);
        if (n && (*s >= 0x20 || *s == '\t' || *s == '\n') &&
            !(n == 1 && *s < sizeof(refs) / sizeof(refs[0]) && refs[*s]))
            continue;
        fwrite(plain, 1, (size_t)(s - plain), f);
        if (!n || *s < 0x20) {
            fputs("\xef\xbf\xbd", f); /* U+FFFD */
            n = 1;
        } else {
            fputs(refs[*s], f);
        }
        plain = s + n;
    }
    fwrite(plain, 1, (size_t)(s - plain), f);
}
