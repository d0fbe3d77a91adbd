/* "path:line: what" for every reader of untrusted files. */
#include <stdio.h>

#include "errmsg.h"

int dbs_vfail(char *err, size_t cap, const char *path, unsigned line, const char *fmt,
              va_list ap)
{
    int n = line ? snprintf(err, cap, "%s:%u: ", path, line) : snprintf(err, cap, "%s: ", path);

    if (n >= 0 && (size_t)n < cap)
        vsnprintf(err + n, cap - (size_t)n, fmt, ap);
    for (; *err; err++) /* quoted file text must not drive the terminal */
        if ((unsigned char)*err < 0x20 || *err == 0x7f)
            *err = '?';
    return -1;
}

int dbs_fail(char *err, size_t cap, const char *path, unsigned line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    dbs_vfail(err, cap, path, line, fmt, ap);
    va_end(ap);
    return -1;
}
