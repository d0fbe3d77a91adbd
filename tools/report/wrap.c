/* Wrapping comma-separated lists (diff, summary). */
#include <string.h>

#include "wrap.h"

#define WIDTH DBS_WRAP_WIDTH

void dbs_wrapped(FILE *out, const char *label, const char *text)
{
    size_t indent = strlen(label), col = indent;
    const char *p = text;

    fputs(label, out);
    while (*p) {
        const char *comma = strstr(p, ", ");
        size_t len = comma ? (size_t)(comma - p) + 1 : strlen(p);

        if (col > indent && col + 1 + len > WIDTH) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", (int)(len > WIDTH - indent ? WIDTH - indent : len), p);
        col += len;
        p += comma ? len + 1 : len;
    }
    fputc('\n', out);
}

