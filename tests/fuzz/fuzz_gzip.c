/* The gzip reader (tools/report/readfile.c, dbs_gunzip) under the fuzzer.
 * An input that is gzip (by its magic bytes) is inflated: what it accepts
 * must be what zlib's own gzread makes of the same bytes, within the limit,
 * NUL-terminated; what it refuses must be said as "name: what". Any other
 * input is compressed here first: it must come back whole, and a limit one
 * byte short of it must be refused. */
#define _GNU_SOURCE /* memfd_create: gzread wants a file descriptor */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "fuzz_check.h"
#include "readfile.h"

#define GZ_NAME "fuzz.csv.gz"
#define GZ_MAX (1u << 20) /* smaller than the tools' 256 MiB: fast runs */

/* zlib's gzread over the bytes: the reference. Returns the length inflated
 * (at most GZ_MAX + 1 bytes read), or -1 when gzread reported an error. */
static long gzread_all(const uint8_t *data, size_t size, uint8_t *out)
{
    int fd = memfd_create("fuzz-gz", 0);
    long n = 0;
    gzFile gz;

    if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET)) {
        perror("fuzz_gzip.c: memfd");
        abort();
    }
    gz = gzdopen(fd, "rb");
    CHECK(gz != NULL);
    while (n <= (long)GZ_MAX) {
        int got = gzread(gz, out + n, (unsigned)(GZ_MAX + 1 - (size_t)n));
        if (got < 0) {
            n = -1;
            break;
        }
        if (!got)
            break;
        n += got;
    }
    gzclose(gz);
    return n;
}

static void check_gzip_input(const uint8_t *data, size_t size,
                             void (*inflated)(const uint8_t *, size_t))
{
    static uint8_t ref[GZ_MAX + 1];
    char err[ERRCAP], *text = (char *)1;
    size_t len = 1;
    int rc;

    memset(err, 0x55, sizeof(err));
    rc = dbs_gunzip(data, size, GZ_MAX, GZ_NAME, &text, &len, err, sizeof(err));
    CHECK(rc == 0 || rc == -1);
    if (rc) {
        CHECK(text == NULL && len == 0);
        CHECK(fuzz_check_error(err, GZ_NAME, 1) == 0); /* a stream has no lines */
        return;
    }
    CHECK(text != NULL && len <= GZ_MAX && text[len] == 0);
    /* what gzread gives, it gives too (gzread is laxer: it ignores data
     * after the last member, where dbs_gunzip refuses) */
    CHECK_AS("gzip", gzread_all(data, size, ref) == (long)len && !memcmp(ref, text, len));
    inflated((const uint8_t *)text, len);
    free(text);
}

/* data as one gzip member, inflated again */
static void check_round_trip(const uint8_t *data, size_t size)
{
    z_stream z;
    size_t cap = size + size / 100 + 64, len;
    unsigned char *gz = malloc(cap);
    char err[ERRCAP], *text;

    memset(&z, 0, sizeof(z));
    CHECK(deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)size;
    z.next_out = gz;
    z.avail_out = (uInt)cap;
    CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
    deflateEnd(&z);
    CHECK(!dbs_gunzip(gz, cap - z.avail_out, size, GZ_NAME, &text, &len, err, sizeof(err)));
    CHECK(len == size && !memcmp(text, data, size) && text[len] == 0);
    free(text);
    if (size) { /* the limit counts inflated bytes, exactly */
        CHECK(dbs_gunzip(gz, cap - z.avail_out, size - 1, GZ_NAME, &text, &len, err,
                         sizeof(err)) == -1);
        CHECK(strstr(err, ": inflates to more than ") != NULL);
    }
    free(gz);
}

void fuzz_check_gzip(const uint8_t *data, size_t size,
                     void (*inflated)(const uint8_t *text, size_t len))
{
    if (dbs_is_gzip(data, size)) {
        check_gzip_input(data, size, inflated);
        return;
    }
    check_round_trip(data, size);
    inflated(data, size);
}
