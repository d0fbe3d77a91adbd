/* Splits a CSV line into fields (RFC 4180 quoting), in place. */
#include "dbs_csv.h"

int dbs_csv_split(char *line, char **fields, int max)
{
    char *r = line, *w = line;
    int n = 0;

    for (;;) {
        if (n == max)
            return -1;
        fields[n++] = w;
        if (*r == '"') {
            r++;
            for (;;) {
                if (!*r)
                    return -1; /* unterminated quote */
                if (*r == '"') {
                    if (r[1] != '"')
                        break;
                    r++;
                }
                *w++ = *r++;
            }
            r++;
            if (*r && *r != ',')
                return -1; /* text after a closing quote */
        } else {
            while (*r && *r != ',') {
                if (*r == '"')
                    return -1; /* quote inside an unquoted field */
                *w++ = *r++;
            }
        }
        if (!*r) {
            *w = 0;
            return n;
        }
        *w++ = 0;
        r++;
    }
}
