/* LAVA job logs as console logs. lava-run's stderr and the server's
 * log.yaml (`lavacli jobs logs --raw`, "- " before each record) hold the
 * console one line per YAML flow mapping,
 *   {"dt": "...", "lvl": "target", "msg": "<the line, double-quoted>"}
 * after LAVA's ShellLogger dropped every \r and ESC, collapsed "\n\n" and
 * wrote each " as \" (lava_dispatcher/shell.py, lava 2023.01). */
#ifndef DBS_LAVA_LOG_H
#define DBS_LAVA_LOG_H

#include <stddef.h>

/* 1 when the text's first line is a LAVA log record. */
int lava_log_detect(const char *s, size_t n);

/* Rebuilds the console from the NUL-terminated log s of n bytes into out,
 * which holds 2 * n + 1 bytes (an escape such as \L is 2 bytes for 3 of
 * UTF-8): the msg of every target and feedback record followed by \n, with
 * LAVA's \" turned back into ". Returns the length; out is NUL-terminated. */
size_t lava_log_console(const char *s, size_t n, char *out);

#endif
