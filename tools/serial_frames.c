/* Frames in a console log (serial_frames.h). */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "dbs_crc32.h"
#include "serial_frames.h"

#define MAX_CSV (1ul << 30) /* a larger size on an END line is garbage, not a CSV */

static const char begin[] = "DBSWEEP BEGIN ", end[] = "\nDBSWEEP END ";

static int failed(struct sx_file *f, enum sx_status st, const char *why)
{
    f->status = st;
    snprintf(f->why, sizeof(f->why), "%s", why);
    free(f->data);
    f->data = NULL;
    f->len = 0;
    return 1;
}

static int check(const char *p, size_t n, unsigned long lines, unsigned long crc)
{
    size_t i;
    unsigned long got = 0;

    for (i = 0; i < n; i++)
        got += p[i] == '\n';
    return got == lines && dbs_crc32(0, p, n) == crc;
}

/* Drops the \r of every \r\n, in place; returns the new length. */
static size_t undo_crlf(char *p, size_t n)
{
    size_t r, w = 0;

    for (r = 0; r < n; r++)
        if (!(p[r] == '\r' && r + 1 < n && p[r + 1] == '\n'))
            p[w++] = p[r];
    return w;
}

static int plain(struct sx_file *f, char *data, size_t n, const char *tail)
{
    unsigned long lines, crc;

    if (sscanf(tail, "%lu %lx", &lines, &crc) != 2)
        return failed(f, SX_GARBLED, "the END line is not '<lines> <crc32>'");
    if (!check(data, n, lines, crc) && !check(data, n = undo_crlf(data, n), lines, crc)) {
        snprintf(f->why, sizeof(f->why), "%lu lines / CRC %08lx expected, the copy differs",
                 lines, crc);
        f->status = SX_GARBLED;
        return 1;
    }
    f->data = malloc(n + 1);
    if (!f->data)
        return failed(f, SX_GARBLED, "out of memory");
    memcpy(f->data, data, n);
    f->len = n;
    return 1;
}

/* Base64 from p[0..n) to out, skipping line breaks; returns the bytes or -1
 * on a character base64 has not, or padding before the end. */
static long unbase64(const char *p, size_t n, unsigned char *out)
{
    uint32_t acc = 0;
    unsigned k = 0, pad = 0;
    long w = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        char c = p[i];
        int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
              : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : -1;

        if (c == '\r' || c == '\n')
            continue;
        if (c == '=') {
            pad++;
            v = 0;
        } else if (v < 0 || pad) {
            return -1;
        }
        acc = acc << 6 | (uint32_t)v;
        if (++k == 4) {
            out[w++] = (unsigned char)(acc >> 16);
            out[w++] = (unsigned char)(acc >> 8);
            out[w++] = (unsigned char)acc;
            acc = k = 0;
        }
    }
    return k || pad > 2 ? -1 : w - (long)pad;
}

static int gzip(struct sx_file *f, const char *data, size_t n, const char *tail)
{
    unsigned long lines, crc, bytes, gz_bytes;
    unsigned char *gz;
    long got;
    z_stream zs = {0};
    int rc;

    if (sscanf(tail, "%lu %lx %lu %lu", &lines, &crc, &bytes, &gz_bytes) != 4)
        return failed(f, SX_GARBLED, "the END line is not '<lines> <crc32> <bytes> <gzip bytes>'");
    if (bytes > MAX_CSV)
        return failed(f, SX_GARBLED, "the END line gives an impossible size");
    gz = malloc(n / 4 * 3 + 3);
    f->data = malloc(bytes + 1);
    if (!gz || !f->data) {
        free(gz);
        return failed(f, SX_GARBLED, "out of memory");
    }
    got = unbase64(data, n, gz);
    if (got < 0 || (unsigned long)got != gz_bytes) {
        free(gz);
        return failed(f, SX_GARBLED, got < 0 ? "not base64" : "gzip bytes missing or extra");
    }
    zs.next_in = gz;
    zs.avail_in = (uInt)got;
    zs.next_out = (unsigned char *)f->data;
    zs.avail_out = (uInt)bytes + 1; /* room for one byte too many, to see it */
    rc = inflateInit2(&zs, 16 + MAX_WBITS) == Z_OK ? inflate(&zs, Z_FINISH) : Z_MEM_ERROR;
    inflateEnd(&zs);
    free(gz);
    if (rc != Z_STREAM_END || zs.avail_in)
        return failed(f, SX_GARBLED, rc == Z_STREAM_END ? "bytes after the gzip stream"
                                     : rc == Z_DATA_ERROR ? "the gzip stream is damaged"
                                                          : "the gzip stream is cut short");
    f->len = zs.total_out;
    if (f->len != bytes || !check(f->data, f->len, lines, crc)) {
        char why[sizeof(f->why)];

        snprintf(why, sizeof(why), "%lu bytes / %lu lines / CRC %08lx expected, the copy differs",
                 bytes, lines, crc);
        return failed(f, SX_GARBLED, why);
    }
    return 1;
}

int sx_next(char *log, size_t len, size_t *pos, struct sx_file *f)
{
    char *p = *pos < len ? memmem(log + *pos, len - *pos, begin, sizeof(begin) - 1) : NULL;
    char *eol, *data, *stop, *next, *tail, *tail_end, name[256], kind[32];
    int words;

    memset(f, 0, sizeof(*f));
    if (!p) {
        *pos = len;
        return 0;
    }
    eol = memchr(p, '\n', (size_t)(log + len - p));
    if (!eol) {
        *pos = len;
        return failed(f, SX_TRUNCATED, "the capture stops in the BEGIN line");
    }
    *eol = 0;
    words = sscanf(p + sizeof(begin) - 1, "%255s %31s", name, kind);
    *eol = '\n';
    *pos = (size_t)(eol - log);
    if (words < 1)
        return failed(f, SX_GARBLED, "a BEGIN line without a file name");
    snprintf(f->name, sizeof(f->name), "%s", name);
    f->gzip = words == 2 && !strcmp(kind, "gzip-base64");
    if (words == 2 && !f->gzip)
        return failed(f, SX_GARBLED, "a BEGIN line for an unknown encoding");
    data = eol + 1;
    stop = memmem(eol, (size_t)(log + len - eol), end, sizeof(end) - 1);
    next = memmem(data, (size_t)(log + len - data), begin, sizeof(begin) - 1);
    if (next && (!stop || next < stop)) { /* a new frame (the machine rebooted) before END */
        *pos = (size_t)(next - log);
        return failed(f, SX_TRUNCATED, "no END line before the next BEGIN line");
    }
    tail = stop ? stop + sizeof(end) - 1 : NULL;
    tail_end = tail ? memchr(tail, '\n', (size_t)(log + len - tail)) : NULL;
    if (!tail_end) {
        *pos = len;
        return failed(f, SX_TRUNCATED, "no END line (the capture stopped early)");
    }
    *tail_end = 0;
    *pos = (size_t)(tail_end - log);
    /* a plain file's last \n is the one before END; with nothing between
     * BEGIN and END, that is the BEGIN line's */
    words = f->gzip ? gzip(f, data, stop < data ? 0 : (size_t)(stop - data), tail)
                    : plain(f, data, (size_t)(stop - data) + 1, tail);
    *tail_end = '\n';
    return words;
}
