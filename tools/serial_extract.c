/* dbsweep-serial-extract LOG [DIR]: recovers the CSVs dbsweep streamed over
 * the serial console (serial=on) from a captured console log, byte for byte:
 *   DBSWEEP BEGIN <file name>\n<the file>DBSWEEP END <lines> <crc32>\n
 * Each recovered file is checked (line count and CRC-32; a capture that
 * turned \n into \r\n is undone; a LAVA job log is read as the console it
 * recorded, see lava_log.h) and written to DIR (default ., created when
 * missing) under its own name, never over an existing file. Exit 0: all
 * recovered; 1: a copy was truncated or garbled (said which); 2: usage or
 * I/O error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dbs_crc32.h"
#include "lava_log.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *s = NULL;
    size_t cap = 0, n;

    if (!f)
        return NULL;
    *len = 0;
    do {
        char *grown = realloc(s, cap += 1 << 20);
        if (!grown) {
            free(s);
            fclose(f);
            return NULL;
        }
        s = grown;
        n = fread(s + *len, 1, cap - *len - 1, f);
        *len += n;
    } while (n);
    fclose(f);
    s[*len] = 0;
    return s;
}

/* Checks a copy; 0 when its lines and CRC match. */
static int verify(const char *p, size_t n, unsigned long lines, unsigned long crc)
{
    unsigned long got = 0;
    size_t i;

    for (i = 0; i < n; i++)
        got += p[i] == '\n';
    return got == lines && dbs_crc32(0, p, n) == crc ? 0 : -1;
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

static int save(const char *dir, const char *name, const char *p, size_t n)
{
    char path[4096];
    struct stat st;
    FILE *f;

    if (strchr(name, '/') || !strcmp(name, "..") || !name[0]) {
        fprintf(stderr, "dbsweep-serial-extract: refusing file name '%s'\n", name);
        return 2;
    }
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (!stat(path, &st)) {
        fprintf(stderr, "dbsweep-serial-extract: %s exists; not overwritten\n", path);
        return 2;
    }
    if (mkdir(dir, 0777) && errno != EEXIST) {
        fprintf(stderr, "dbsweep-serial-extract: cannot create %s: %s\n", dir, strerror(errno));
        return 2;
    }
    errno = 0;
    f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
        fprintf(stderr, "dbsweep-serial-extract: cannot write %s: %s\n", path,
                errno ? strerror(errno) : "short write");
        return 2;
    }
    printf("recovered %s (%zu bytes, CRC ok)\n", path, n);
    return 0;
}

int main(int argc, char **argv)
{
    static const char begin[] = "DBSWEEP BEGIN ", end[] = "\nDBSWEEP END ";
    const char *dir = argc > 2 ? argv[2] : ".";
    char *log, *p;
    size_t len;
    int rc = 0, found = 0;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: dbsweep-serial-extract LOG [DIR]\n");
        return 2;
    }
    log = slurp(argv[1], &len);
    if (log && lava_log_detect(log, len)) {
        char *console = malloc(2 * len + 1);

        if (console)
            len = lava_log_console(log, len, console);
        free(log);
        log = console;
    }
    if (!log) {
        fprintf(stderr, "dbsweep-serial-extract: cannot read %s\n", argv[1]);
        return 2;
    }
    for (p = strstr(log, begin); p; p = strstr(p, begin)) {
        char name[256], *data, *stop;
        unsigned long lines, crc;
        size_t n;

        found++;
        if (sscanf(p + sizeof(begin) - 1, "%255[^\r\n]", name) != 1) {
            fprintf(stderr, "%s: a BEGIN line without a file name\n", argv[1]);
            rc = 1;
            p++;
            continue;
        }
        data = strchr(p, '\n');
        stop = data ? strstr(data, end) : NULL;
        if (!stop || sscanf(stop + sizeof(end) - 1, "%lu %lx", &lines, &crc) != 2) {
            fprintf(stderr, "%s: %s: truncated: no END line (the capture stopped early)\n",
                    argv[1], name);
            rc = 1;
            break;
        }
        data++;
        n = (size_t)(stop - data) + 1; /* the file's last \n is before END */
        if (verify(data, n, lines, crc) && verify(data, n = undo_crlf(data, n), lines, crc)) {
            fprintf(stderr, "%s: %s: garbled: %lu lines / CRC %08lx expected, the copy differs\n",
                    argv[1], name, lines, crc);
            rc = 1;
        } else if (save(dir, name, data, n)) {
            rc = 2;
        }
        p = stop + 1;
    }
    if (!found) {
        fprintf(stderr, "%s: no DBSWEEP BEGIN line (was serial=on set?)\n", argv[1]);
        rc = 1;
    }
    free(log);
    return rc;
}
