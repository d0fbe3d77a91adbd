/* Reads a file whole, inflating gzip with zlib. The limit counts the bytes
 * after decompression, so a small .gz cannot expand without bound. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "errmsg.h"
#include "readfile.h"

#define CHUNK 65536

/* "name: what (detail)" */
static int fail(char *err, size_t cap, const char *name, const char *what, const char *detail)
{
    return dbs_fail(err, cap, name, 0, "%s%s%s%s", what, detail ? " (" : "", detail ? detail : "",
                    detail ? ")" : "");
}

int dbs_is_gzip(const unsigned char *data, size_t n)
{
    return n >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

/* The compressors whose output people send instead of gzip, by the magic
 * bytes their formats begin with (xz: tukaani.org/xz/xz-file-format.txt;
 * zstd: RFC 8878; bzip2: "BZh" and the block size; lz4: its frame format's
 * magic number). NULL for none of them. */
static const char *other_compression(const unsigned char *d, size_t n)
{
    static const struct {
        const char *name;
        unsigned char magic[6];
        size_t len;
    } kinds[] = {
        {"xz", {0xfd, '7', 'z', 'X', 'Z', 0}, 6},
        {"zstd", {0x28, 0xb5, 0x2f, 0xfd}, 4},
        {"bzip2", {'B', 'Z', 'h'}, 3},
        {"lz4", {0x04, 0x22, 0x4d, 0x18}, 4},
    };
    unsigned i;

    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (n >= kinds[i].len && !memcmp(d, kinds[i].magic, kinds[i].len))
            return kinds[i].name;
    return NULL;
}

/* "inflates to more than 256 MiB": the limit in the unit people think in. */
static int too_large(char *err, size_t cap, const char *name, const char *verb, size_t max)
{
    char what[80];

    snprintf(what, sizeof(what), "%s more than %zu %s", verb, max >= 1u << 20 ? max >> 20 : max,
             max >= 1u << 20 ? "MiB" : "bytes");
    return fail(err, cap, name, what, NULL);
}

/* Grows *buf to first bytes, then doubling, up to limit; 0, or -1 when it
 * is already that large or memory ran out (*oom says which). */
static int grow(char **buf, size_t *cap, size_t first, size_t limit, int *oom)
{
    size_t want = *cap ? 2 * *cap : first;
    char *p;

    if (*cap >= limit)
        return -1;
    if (want > limit)
        want = limit;
    p = realloc(*buf, want);
    if (!p) {
        *oom = 1;
        return -1;
    }
    *buf = p;
    *cap = want;
    return 0;
}

int dbs_gunzip(const unsigned char *data, size_t n, size_t max, const char *name, char **out,
               size_t *outlen, char *err, size_t errcap)
{
    z_stream z;
    char *buf = NULL;
    size_t cap = 0, limit = max + 2; /* room for one byte too many, and the NUL */
    int rc = Z_OK, oom = 0, trailing = 0;
    const char *msg;

    *out = NULL;
    *outlen = 0;
    if (n > UINT_MAX)
        return fail(err, errcap, name, "gzip file too large", NULL);
    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) /* 16: gzip framing only */
        return fail(err, errcap, name, "out of memory", NULL);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)n;
    for (;;) {
        size_t used = cap - z.avail_out;

        if (!z.avail_out) {
            if (grow(&buf, &cap, 4 * n + 64, limit, &oom)) /* text compresses about 4:1 */
                break;
            z.next_out = (Bytef *)buf + used;
            z.avail_out = (uInt)(cap - used);
        }
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END && z.avail_in) {
            trailing = !dbs_is_gzip(z.next_in, z.avail_in);
            if (trailing)
                break;
            rc = inflateReset(&z); /* another member follows (cat a.gz b.gz) */
        } else if (rc != Z_OK) {
            break;
        }
    }
    *outlen = cap - z.avail_out;
    msg = z.msg; /* zlib's messages are static strings */
    inflateEnd(&z);
    if (rc == Z_STREAM_END && !trailing && *outlen <= max &&
        (*outlen < cap || !grow(&buf, &cap, 0, limit, &oom))) { /* room for the NUL */
        buf[*outlen] = 0;
        *out = buf;
        return 0;
    }
    free(buf);
    *outlen = 0;
    if (oom || rc == Z_MEM_ERROR)
        return fail(err, errcap, name, "out of memory", NULL);
    if (trailing)
        return fail(err, errcap, name, "data after the end of the gzip stream", NULL);
    if (rc == Z_OK || rc == Z_STREAM_END)
        return too_large(err, errcap, name, "inflates to", max);
    if (rc == Z_BUF_ERROR)
        return fail(err, errcap, name, "gzip data cut off: the file ends inside the stream",
                    NULL);
    return fail(err, errcap, name, "corrupt gzip data", msg ? msg : "bad stream");
}

int dbs_read_file(const char *path, size_t max, char **text, size_t *len, char *err,
                  size_t errcap)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    const char *packed;
    char *buf = NULL;
    size_t cap = 0, n = 0, first = CHUNK;
    struct stat st;
    int oom = 0, rc;

    *text = NULL;
    *len = 0;
    if (!f)
        return fail(err, errcap, path, strerror(errno), NULL);
    if (!fstat(fileno(f), &st) && S_ISREG(st.st_mode) && (size_t)st.st_size <= max)
        first = (size_t)st.st_size + 2; /* one read, no regrowth (+2: EOF seen, NUL) */
    /* up to max + 1 bytes: one more than allowed tells "too large" */
    while (n <= max) {
        size_t got;
        if (n == cap && grow(&buf, &cap, first, max + 2, &oom))
            break;
        got = fread(buf + n, 1, cap - n <= max + 1 - n ? cap - n : max + 1 - n, f);
        n += got;
        if (!got)
            break;
    }
    rc = ferror(f) ? errno : 0;
    if (f != stdin)
        fclose(f);
    if (oom || rc || n > max) {
        free(buf);
        if (oom)
            return fail(err, errcap, path, "out of memory", NULL);
        if (rc)
            return fail(err, errcap, path, "read error", strerror(rc));
        return too_large(err, errcap, path, "has", max);
    }
    packed = other_compression((unsigned char *)buf, n);
    if (packed) {
        free(buf);
        return dbs_fail(err, errcap, path, 0,
                        "%s-compressed data: this tool inflates gzip only; decompress it "
                        "first, e.g. '%s -dc FILE | dbsweep-report COMMAND -'",
                        packed, packed); /* each of them takes -dc */
    }
    if (dbs_is_gzip((unsigned char *)buf, n)) {
        rc = dbs_gunzip((unsigned char *)buf, n, max, path, text, len, err, errcap);
        free(buf);
        return rc;
    }
    if (n == cap && grow(&buf, &cap, CHUNK, max + 2, &oom)) {
        free(buf);
        return fail(err, errcap, path, "out of memory", NULL);
    }
    buf[n] = 0;
    *text = buf;
    *len = n;
    return 0;
}
