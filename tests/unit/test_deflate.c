/* The DEFLATE encoder, checked by zlib's inflate: real CSVs (the report
 * tests' and the full sweeps shipped in results/), edge cases, and data
 * written in pieces of every size. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <cmocka.h>

#include "dbs_deflate.h"

struct out {
    uint8_t *p;
    size_t len, cap;
};

static void sink(void *ctx, const uint8_t *p, size_t n)
{
    struct out *o = ctx;

    if (o->len + n > o->cap) {
        o->cap = (o->len + n) * 2;
        o->p = realloc(o->p, o->cap);
        assert_non_null(o->p);
    }
    memcpy(o->p + o->len, p, n);
    o->len += n;
}

/* Compresses data in pieces of `piece` bytes; returns the raw deflate stream. */
static struct out deflate_it(const uint8_t *data, size_t n, size_t piece)
{
    static struct dbs_deflate z;
    struct out o = {0};
    size_t i;

    dbs_deflate_init(&z, sink, &o);
    for (i = 0; i < n; i += piece)
        dbs_deflate_write(&z, data + i, n - i < piece ? n - i : piece);
    dbs_deflate_finish(&z);
    return o;
}

/* Inflates with zlib and compares; returns the compressed size. */
static size_t round_trip(const uint8_t *data, size_t n, size_t piece)
{
    struct out o = deflate_it(data, n, piece);
    uint8_t *back = malloc(n + 1);
    z_stream zs = {0};
    int rc;

    assert_non_null(back);
    assert_int_equal(inflateInit2(&zs, -MAX_WBITS), Z_OK);
    zs.next_in = o.p;
    zs.avail_in = (uInt)o.len;
    zs.next_out = back;
    zs.avail_out = (uInt)n + 1;
    rc = inflate(&zs, Z_FINISH);
    inflateEnd(&zs);
    assert_int_equal(rc, Z_STREAM_END);
    assert_int_equal(zs.avail_in, 0); /* nothing after the final block */
    assert_int_equal(zs.total_out, n);
    assert_memory_equal(back, data, n);
    free(back);
    free(o.p);
    return o.len;
}

static uint8_t *read_file(const char *rel, size_t *n)
{
    char path[512];
    gzFile f;
    uint8_t *p = NULL;
    size_t cap = 0;
    int got;

    snprintf(path, sizeof(path), "%s/%s", DBS_SRCDIR, rel);
    f = gzopen(path, "rb"); /* reads plain files as they are */
    assert_non_null(f);
    *n = 0;
    do {
        if (*n + 65536 > cap) {
            p = realloc(p, cap = (cap + 65536) * 2);
            assert_non_null(p);
        }
        got = gzread(f, p + *n, 65536);
        assert_true(got >= 0);
        *n += (size_t)got;
    } while (got > 0);
    gzclose(f);
    return p;
}

/* Round-trips a CSV of the tree; its size in *n, the deflated size returned. */
static size_t file_round_trip(const char *rel, size_t *n)
{
    uint8_t *p = read_file(rel, n);
    size_t z = round_trip(p, *n, 16384);

    free(p);
    print_message("%s: %zu bytes -> %zu deflated (%.1f:1)\n", rel, *n, z, (double)*n / z);
    return z;
}

static void report_csvs(void **state)
{
    size_t n;

    (void)state;
    assert_true(file_round_trip("tests/report/data/tcg-amd.csv", &n) * 10 < n);
    assert_true(file_round_trip("tests/report/data/kvm-seed-bug.csv", &n) * 10 < n);
}

/* The full sweeps: the size the serial line carries, at most a tenth of
 * the plain stream even after base64 (4/3) and line breaks (78/76). */
static void full_sweeps(void **state)
{
    static const char *const files[] = {"results/amd-15-107-1-tcg-20261125-130149.csv.gz",
                                        "results/intel-6-94-3-tcg-20261125-130154.csv.gz"};
    size_t n, z;
    unsigned i;

    (void)state;
    for (i = 0; i < 2; i++) {
        z = file_round_trip(files[i], &n);
        assert_true(n > 3000000);
        assert_true(z * 4 / 3 * 78 / 76 * 10 < n);
    }
}

static void edge_cases(void **state)
{
    static uint8_t buf[300000];
    size_t i, z;
    uint32_t x = 12345;

    (void)state;
    assert_true(round_trip(buf, 0, 1) <= 2); /* an empty final block */
    buf[0] = 'x';
    round_trip(buf, 1, 1);
    for (i = 0; i < 400; i++) /* short, all 256 byte values: a fixed-code block */
        buf[i] = (uint8_t)(i * 7);
    round_trip(buf, 400, 400);
    memset(buf, 'a', sizeof(buf));
    z = round_trip(buf, sizeof(buf), 65536); /* one long run: matches of 258 at distance 1 */
    assert_true(z < 1000);
    for (i = 0; i < sizeof(buf); i++) { /* random: stored blocks, barely larger than the data */
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    z = round_trip(buf, sizeof(buf), 4096);
    assert_true(z < sizeof(buf) + sizeof(buf) / 1000);
    for (i = 0; i < sizeof(buf); i++) /* few symbols: short codes, runs in the header */
        buf[i] = (uint8_t)("ab\n"[(i * 7 + i / 13) % 3]);
    round_trip(buf, sizeof(buf), 100000);
    for (i = 0; i < sizeof(buf); i++) /* text with matches across the window's slide */
        buf[i] = i % 40000 < 20000 ? (uint8_t)"0123456789,abcdef\n"[(i / 3) % 18] : (uint8_t)(i * 31 >> 5);
    round_trip(buf, sizeof(buf), 50000);
}

/* Code lengths that a plain Huffman code would make longer than 15 bits
 * (Fibonacci frequencies) must be limited, and the result still inflate. */
static void skewed_frequencies(void **state)
{
    static uint8_t buf[600000];
    size_t n = 0, f1 = 1, f2 = 1, t, k;
    unsigned sym;

    (void)state;
    for (sym = 0; sym < 26 && n < sizeof(buf); sym++) {
        for (k = 0; k < f1 && n < sizeof(buf); k++) /* spread out: few matches */
            buf[n++] = (uint8_t)(sym * 9 + (k & 1) * 200 / (sym + 1));
        t = f1 + f2;
        f1 = f2;
        f2 = t;
    }
    for (k = 0; k < n; k++) { /* shuffle deterministically so LZ77 finds little */
        size_t j = (k * 2654435761u) % n;
        uint8_t c = buf[k];
        buf[k] = buf[j];
        buf[j] = c;
    }
    round_trip(buf, n, n);
}

static void any_piece_size(void **state)
{
    size_t n, piece;
    uint8_t *p = read_file("tests/report/data/tcg-amd.csv", &n);

    (void)state;
    for (piece = 1; piece < 70000; piece = piece * 3 + 1)
        round_trip(p, n, piece);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(report_csvs),
        cmocka_unit_test(full_sweeps),
        cmocka_unit_test(edge_cases),
        cmocka_unit_test(skewed_frequencies),
        cmocka_unit_test(any_piece_size),
    };
    return cmocka_run_group_tests_name("deflate", tests, NULL, NULL);
}
