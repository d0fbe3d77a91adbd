/* Shared by the fuzz target's files (tests/fuzz/fuzz_*.c, built together by
 * tools/fuzz.sh): invariant checks that name what failed and trap. */
#ifndef DBS_FUZZ_CHECK_H
#define DBS_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>

#define ERRCAP 512 /* as tools/report/main.c */

/* 1 when DBS_FUZZ_RELAX names the check (fuzz_runfile.c's header comment). */
int fuzz_relaxed(const char *name);
/* Prints "file:line: invariant [name] violated: what" and traps. */
void fuzz_violated(const char *file, int line, const char *name, const char *what);

#define CHECK_AS(name, cond)                                                                      \
    do {                                                                                          \
        if (!(cond) && !fuzz_relaxed(name))                                                       \
            fuzz_violated(__FILE__, __LINE__, name, #cond);                                       \
    } while (0)
#define CHECK(cond) CHECK_AS("core", cond)

/* An error message as the report prints it: prefix "name:" and no control
 * byte; returns the line number it names after "name:", 0 for none. */
unsigned fuzz_check_error(const char *err, const char *name, size_t nlines);

/* The checks of fuzz_runfile.c on a CSV's bytes. */
void fuzz_check_csv(const uint8_t *data, size_t size);
/* tools/report/readfile.c's gzip reader (fuzz_gzip.c): calls back with the
 * inflated bytes of an input that is gzip. */
void fuzz_check_gzip(const uint8_t *data, size_t size,
                     void (*inflated)(const uint8_t *text, size_t len));
/* tools/report/known.c's parser and matcher (fuzz_known.c). */
void fuzz_known_init(void);
void fuzz_check_known(const uint8_t *data, size_t size);
/* dbsweep-serial-extract's log reader and the app's framing (fuzz_serial.c). */
void fuzz_check_serial(const uint8_t *data, size_t size);

#endif
