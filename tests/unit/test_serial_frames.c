/* The serial stream end to end on the host: src/output/frame.c frames a CSV as
 * the app does, tools/serial_frames.c finds and checks it in a "console log"
 * made of it, as captures damage it and as they keep it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dbs_frame.h"
#include "serial_frames.h"

static char logbuf[4 << 20];
static size_t loglen;

static void to_log(void *ctx, const uint8_t *p, size_t n)
{
    (void)ctx;
    assert_true(loglen + n < sizeof(logbuf));
    memcpy(logbuf + loglen, p, n);
    loglen += n;
}

static void put_log(const char *s)
{
    to_log(NULL, (const uint8_t *)s, strlen(s));
}

static void frame(enum dbs_frame_kind kind, const char *name, const char *csv, size_t n)
{
    static struct dbs_deflate z;
    static struct dbs_frame f;
    size_t i;

    dbs_frame_begin(&f, kind, &z, name, to_log, NULL);
    for (i = 0; i < n; i += 1000)
        dbs_frame_write(&f, csv + i, n - i < 1000 ? n - i : 1000);
    dbs_frame_end(&f);
}

/* A CSV-like text of n bytes, ending in \n. */
static char *csv_text(size_t n)
{
    char *p = malloc(n + 1);
    size_t i;

    assert_non_null(p);
    for (i = 0; i < n; i++)
        p[i] = i % 97 == 96 ? '\n' : "kut.hw_bp1,kut,0,0,1,0x0,\"a,b\",match"[(i * 7 + i / 97) % 36];
    p[n - 1] = '\n';
    return p;
}

static void expect_file(size_t *pos, const char *name, const char *csv, size_t n, int gzip)
{
    struct sx_file f;

    assert_int_equal(sx_next(logbuf, loglen, pos, &f), 1);
    assert_int_equal(f.status, SX_OK);
    assert_string_equal(f.name, name);
    assert_int_equal(f.gzip, gzip);
    assert_int_equal(f.len, n);
    assert_memory_equal(f.data, csv, n);
    free(f.data);
}

static enum sx_status status_of_next(size_t *pos)
{
    struct sx_file f;

    assert_int_equal(sx_next(logbuf, loglen, pos, &f), 1);
    assert_null(f.data);
    assert_true(f.why[0]);
    return f.status;
}

static void both_kinds_come_back(void **state)
{
    char *csv = csv_text(300000);
    size_t pos = 0;
    struct sx_file f;

    (void)state;
    loglen = 0;
    put_log("OVMF noise\r\n[  1/14] kut.hw_bp1 ... match\r\n");
    frame(DBS_FRAME_GZIP, "a.csv", csv, 300000);
    put_log("dbsweep: done, powering off\r\n");
    frame(DBS_FRAME_PLAIN, "b.csv", csv, 300000);
    frame(DBS_FRAME_GZIP, "empty.csv", "", 0);
    expect_file(&pos, "a.csv", csv, 300000, 1);
    expect_file(&pos, "b.csv", csv, 300000, 0);
    expect_file(&pos, "empty.csv", "", 0, 1);
    assert_int_equal(sx_next(logbuf, loglen, &pos, &f), 0);
    free(csv);
}

/* A capture that writes \n as \r\n (plain), one that drops every \r (LAVA) */
static void capture_line_ends(void **state)
{
    char *csv = csv_text(5000);
    size_t i, pos = 0, w = 0;
    static char copy[sizeof(logbuf)];

    (void)state;
    loglen = 0;
    frame(DBS_FRAME_PLAIN, "crlf.csv", csv, 5000);
    for (i = 0; i < loglen; i++) {
        if (logbuf[i] == '\n')
            copy[w++] = '\r';
        copy[w++] = logbuf[i];
    }
    memcpy(logbuf, copy, w);
    loglen = w;
    expect_file(&pos, "crlf.csv", csv, 5000, 0);

    loglen = pos = w = 0;
    frame(DBS_FRAME_GZIP, "nocr.csv", csv, 5000);
    for (i = 0; i < loglen; i++)
        if (logbuf[i] != '\r')
            logbuf[w++] = logbuf[i];
    loglen = w;
    expect_file(&pos, "nocr.csv", csv, 5000, 1);
    free(csv);
}

static void damage_is_reported(void **state)
{
    char *csv = csv_text(20000), *p;
    size_t pos = 0, full;

    (void)state;
    loglen = 0;
    frame(DBS_FRAME_GZIP, "a.csv", csv, 20000);
    full = loglen;
    /* one base64 character changed */
    p = strstr(logbuf, "gzip-base64\r\n") + 40;
    *p = *p == 'A' ? 'B' : 'A';
    assert_int_equal(status_of_next(&pos), SX_GARBLED);
    *p = *p == 'A' ? 'B' : 'A';
    /* a line lost */
    p = strstr(logbuf, "gzip-base64\r\n") + 13 + 78;
    memmove(p, p + 78, loglen - (size_t)(p + 78 - logbuf));
    loglen -= 78;
    pos = 0;
    assert_int_equal(status_of_next(&pos), SX_GARBLED);
    /* cut short */
    loglen = 0;
    frame(DBS_FRAME_GZIP, "a.csv", csv, 20000);
    loglen = full / 2;
    pos = 0;
    assert_int_equal(status_of_next(&pos), SX_TRUNCATED);
    assert_int_equal(pos, loglen);
    /* a plain copy with a byte changed */
    loglen = pos = 0;
    frame(DBS_FRAME_PLAIN, "a.csv", csv, 20000);
    logbuf[500] ^= 1;
    assert_int_equal(status_of_next(&pos), SX_GARBLED);
    free(csv);
}

/* A machine that went down while sending, rebooted and sent again. */
static void a_reboot_mid_frame(void **state)
{
    char *csv = csv_text(20000);
    size_t pos = 0, cut;

    (void)state;
    loglen = 0;
    frame(DBS_FRAME_GZIP, "first.csv", csv, 20000);
    cut = loglen / 2;
    loglen = cut;
    put_log("\r\nBdsDxe: loading Boot0001\r\n");
    frame(DBS_FRAME_GZIP, "second.csv", csv, 20000);
    assert_int_equal(status_of_next(&pos), SX_TRUNCATED);
    expect_file(&pos, "second.csv", csv, 20000, 1);
    free(csv);
}

static void bad_end_lines(void **state)
{
    static const char *const logs[] = {
        "\r\nDBSWEEP BEGIN a.csv gzip-base64\r\nH4sI\r\nDBSWEEP END 1 0x0\r\n",
        "\r\nDBSWEEP BEGIN a.csv gzip-base64\r\nH4sI\r\nDBSWEEP END 1 0x0 99999999999 4\r\n",
        "\r\nDBSWEEP BEGIN a.csv gzip-base64\r\nH4s*\r\nDBSWEEP END 1 0x0 1 3\r\n",
        "\r\nDBSWEEP BEGIN a.csv zstd\r\nxx\r\nDBSWEEP END 1 0x0\r\n",
        "\nDBSWEEP BEGIN a.csv\na\nDBSWEEP END x\n",
        "\nDBSWEEP BEGIN a.csv gzip-base64\nDBSWEEP END 0 0x0 0 20\n", /* END right after BEGIN */
    };
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
        size_t pos = 0;

        loglen = 0;
        put_log(logs[i]);
        assert_int_equal(status_of_next(&pos), SX_GARBLED);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(both_kinds_come_back),
        cmocka_unit_test(capture_line_ends),
        cmocka_unit_test(damage_is_reported),
        cmocka_unit_test(a_reboot_mid_frame),
        cmocka_unit_test(bad_end_lines),
    };
    return cmocka_run_group_tests_name("serial_frames", tests, NULL, NULL);
}
