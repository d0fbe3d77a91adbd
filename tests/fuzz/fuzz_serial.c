/* dbsweep-serial-extract's reading of a console log (tools/serial_frames.c,
 * after tools/lava_log.c for LAVA job logs) and the app's framing and
 * DEFLATE encoder (src/output/frame.c, src/output/deflate.c) under the fuzzer; part of the
 * one target tools/fuzz.sh builds. Besides what the sanitizers catch, a
 * violated invariant traps:
 *  - every call of sx_next moves on, and the walk over a log ends;
 *  - a file reported whole agrees with its END line, checked here with
 *    zlib's crc32 (not the extractor's) and a line count;
 *  - the input, taken as a CSV and framed as the app frames it (deflated,
 *    and byte for byte when it is a CSV-like text ending in \n), comes back
 *    from the frames identical. */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "dbs_frame.h"
#include "fuzz_check.h"
#include "lava_log.h"
#include "serial_frames.h"

/* Inputs this large or smaller are also framed and deflated: the encoder
 * costs the target most of its pace on larger ones, and what only large
 * inputs reach (the window's slide, full blocks) tests/unit/test_deflate.c
 * covers. */
#define ROUND_TRIP_MAX 16384

struct text {
    char *p;
    size_t len, cap;
};

static void append(void *ctx, const uint8_t *p, size_t n)
{
    struct text *t = ctx;

    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        CHECK(t->p); /* memory */
    }
    memcpy(t->p + t->len, p, n);
    t->len += n;
    t->p[t->len] = 0;
}

/* The END line the frame that ended before log[pos] has: its numbers. */
static int end_line(const char *log, size_t pos, unsigned long v[4])
{
    static const char end[] = "\nDBSWEEP END ";
    const char *p = NULL, *q = log;

    while ((q = memmem(q, (size_t)(log + pos - q), end, sizeof(end) - 1)))
        p = q++;
    return p ? sscanf(p + sizeof(end) - 1, "%lu %lx %lu %lu", &v[0], &v[1], &v[2], &v[3]) : 0;
}

static void walk(char *log, size_t len)
{
    struct sx_file f;
    size_t pos = 0, before = 0;
    unsigned long v[4];
    int n;

    while (sx_next(log, len, &pos, &f)) {
        CHECK(pos > before || (pos == len && before < len)); /* sx_next moves on */
        CHECK(pos <= len); /* sx_next stays in the log */
        before = pos;
        if (f.status == SX_OK) {
            size_t i, lines = 0;

            for (i = 0; i < f.len; i++)
                lines += f.data[i] == '\n';
            n = end_line(log, pos, v);
            CHECK(n >= 2); /* a whole file has an END line */
            CHECK(v[0] == lines); /* lines as the END line says */
            /* CRC as the END line says */
            CHECK(v[1] == crc32(0, (const Bytef *)f.data, (uInt)f.len));
            CHECK(!f.gzip || (n == 4 && v[2] == f.len)); /* size as the END line says */
        } else {
            CHECK(!f.data && f.why[0]); /* a damaged copy is given no data and a reason */
        }
        free(f.data);
        if (pos == len)
            break;
    }
}

static void round_trip(const uint8_t *data, size_t size, enum dbs_frame_kind kind)
{
    static struct dbs_deflate z;
    static struct dbs_frame fr;
    struct text t = {0};
    struct sx_file f;
    size_t pos = 0, half = size / 2;

    dbs_frame_begin(&fr, kind, &z, "fuzz.csv", append, &t);
    dbs_frame_write(&fr, data, half); /* in two writes, as the app's chunks */
    dbs_frame_write(&fr, data + half, size - half);
    dbs_frame_end(&fr);
    CHECK(sx_next(t.p, t.len, &pos, &f) == 1); /* the frame is found */
    CHECK(f.status == SX_OK); /* the frame comes back whole */
    /* the frame comes back identical */
    CHECK(f.len == size && !memcmp(f.data, data, size));
    free(f.data);
    free(t.p);
}

/* What the plain frame can carry: the CSV's own kind of text. */
static int csv_like(const uint8_t *data, size_t size)
{
    size_t i;

    if (!size || data[size - 1] != '\n' || memmem(data, size, "DBSWEEP ", 8))
        return 0;
    for (i = 0; i < size; i++)
        if (data[i] == '\r' || data[i] == 0)
            return 0;
    return 1;
}

void fuzz_check_serial(const uint8_t *data, size_t size)
{
    char *log = malloc(size + 1), *console;

    CHECK(log); /* memory */
    memcpy(log, data, size);
    log[size] = 0;
    if (lava_log_detect(log, size)) { /* as the tool reads a LAVA job log */
        console = malloc(2 * size + 1);
        CHECK(console); /* memory */
        walk(console, lava_log_console(log, size, console));
        free(console);
    } else {
        walk(log, size);
    }
    free(log);
    if (size > ROUND_TRIP_MAX)
        return;
    round_trip(data, size, DBS_FRAME_GZIP);
    if (csv_like(data, size))
        round_trip(data, size, DBS_FRAME_PLAIN);
}
