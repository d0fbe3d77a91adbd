/* Error messages of the readers: "path:line: what" ("path: what" for line
 * 0), with the control bytes of quoted file text shown as '?' so a hostile
 * file cannot drive the terminal. */
#ifndef DBS_REPORT_ERRMSG_H
#define DBS_REPORT_ERRMSG_H

#include <stdarg.h>
#include <stddef.h>

/* Formats into err (cap bytes); returns -1, for `return dbs_fail(...)`. */
int dbs_fail(char *err, size_t cap, const char *path, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int dbs_vfail(char *err, size_t cap, const char *path, unsigned line, const char *fmt,
              va_list ap) __attribute__((format(printf, 5, 0)));

#endif
