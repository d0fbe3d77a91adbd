/* dbsweep-serial-extract: recovers the CSVs dbsweep sent over its serial
 * console (serial=on: deflated in base64 lines; serial=plain: byte for
 * byte) from a captured console log or a LAVA job log, checks each (line
 * count, size, CRC-32) and writes it under its own name, never over an
 * existing file (one that already holds exactly these bytes is success:
 * running it twice on one log is fine). docs/man/dbsweep-serial-extract.1
 * is its manual. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lava_log.h"
#include "serial_frames.h"
#include "version.h"

static const char usage[] =
    "Usage: dbsweep-serial-extract [OPTION]... LOG [DIR]\n"
    "Recover the CSVs dbsweep sent over its serial console (serial=on or serial=plain)\n"
    "from LOG, a captured console or a LAVA job log (- reads standard input), check\n"
    "each one's line count, size and CRC-32 and write it into DIR under its own name\n"
    "(default: the current directory, created when missing). Nothing is overwritten:\n"
    "a file already there with the same bytes is taken as recovered, another one\n"
    "is an error.\n"
    "\n"
    "  -o, --output=DIR   write into DIR; - writes the files to standard output\n"
    "  -h, --help         print this help and exit\n"
    "  -V, --version      print the version and exit\n"
    "\n"
    "Exit status: 0 every file recovered; 1 a copy was truncated or garbled, or LOG\n"
    "holds none; 2 usage or I/O error.\n";

static const char *prog = "dbsweep-serial-extract";

static char *slurp(FILE *f, size_t *len)
{
    char *s = NULL;
    size_t cap = 0, n;

    *len = 0;
    do {
        char *grown = realloc(s, cap += 1 << 20);
        if (!grown) {
            free(s);
            return NULL;
        }
        s = grown;
        n = fread(s + *len, 1, cap - *len - 1, f);
        *len += n;
    } while (n);
    if (ferror(f)) {
        free(s);
        return NULL;
    }
    s[*len] = 0;
    return s;
}

/* The log as a console: a LAVA job log is turned back into one. */
static char *read_console(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    char *log = f ? slurp(f, len) : NULL;

    if (f && f != stdin)
        fclose(f);
    if (log && lava_log_detect(log, *len)) {
        char *console = malloc(2 * *len + 1);

        if (console)
            *len = lava_log_console(log, *len, console);
        free(log);
        log = console;
    }
    return log;
}

/* 1 when path holds exactly len bytes equal to data. */
static int same_file(const char *path, const char *data, size_t len)
{
    FILE *in = fopen(path, "rb");
    char buf[65536];
    size_t n, at = 0;
    int same = in != NULL;

    while (same && (n = fread(buf, 1, sizeof(buf), in)) > 0) {
        same = n <= len - at && !memcmp(buf, data + at, n);
        at += n;
    }
    if (in) {
        same = same && !ferror(in) && at == len;
        fclose(in);
    }
    return same;
}

static int save(const char *dir, const struct sx_file *f)
{
    char path[4096];
    struct stat st;
    FILE *out;

    if (!strcmp(dir, "-")) {
        if (fwrite(f->data, 1, f->len, stdout) != f->len || fflush(stdout)) {
            fprintf(stderr, "%s: cannot write to standard output: %s\n", prog, strerror(errno));
            return 2;
        }
        fprintf(stderr, "recovered %s (%zu bytes, CRC ok) to standard output\n", f->name, f->len);
        return 0;
    }
    if (strchr(f->name, '/') || !strcmp(f->name, "..") || !strcmp(f->name, ".")) {
        fprintf(stderr, "%s: refusing file name '%s'\n", prog, f->name);
        return 2;
    }
    snprintf(path, sizeof(path), "%s/%s", dir, f->name);
    if (!stat(path, &st)) {
        if (S_ISREG(st.st_mode) && same_file(path, f->data, f->len)) {
            printf("recovered %s (%zu bytes, CRC ok): already there, identical\n", path,
                   f->len);
            return 0;
        }
        fprintf(stderr, "%s: %s exists and differs from the recovered copy; not overwritten\n",
                prog, path);
        return 2;
    }
    if (mkdir(dir, 0777) && errno != EEXIST) {
        fprintf(stderr, "%s: cannot create %s: %s\n", prog, dir, strerror(errno));
        return 2;
    }
    errno = 0;
    out = fopen(path, "wbx");
    if (!out || fwrite(f->data, 1, f->len, out) != f->len || fclose(out)) {
        fprintf(stderr, "%s: cannot write %s: %s\n", prog, path,
                errno ? strerror(errno) : "short write");
        return 2;
    }
    printf("recovered %s (%zu bytes, CRC ok)\n", path, f->len);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *dir = NULL, *path;
    struct sx_file f;
    size_t len, pos = 0;
    char *log;
    int c, rc = 0, found = 0;

    while ((c = getopt_long(argc, argv, "o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            dir = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        case 'V':
            printf("%s %s (git %s)\n", prog, DBS_VERSION, DBS_GIT);
            return 0;
        default:
            fprintf(stderr, "Try '%s --help'.\n", prog);
            return 2;
        }
    }
    if (optind == argc || argc - optind > 2 || (dir && argc - optind == 2)) {
        fprintf(stderr, "%s: %s\nTry '%s --help'.\n", prog,
                optind == argc ? "which LOG?" : "one LOG and one DIR (or -o DIR) at most", prog);
        return 2;
    }
    path = argv[optind];
    if (!dir)
        dir = optind + 1 < argc ? argv[optind + 1] : ".";
    log = read_console(path, &len);
    if (!log) {
        fprintf(stderr, "%s: cannot read %s: %s\n", prog, path, errno ? strerror(errno) : "");
        return 2;
    }
    while (sx_next(log, len, &pos, &f)) {
        found++;
        if (f.status == SX_OK) {
            if (save(dir, &f))
                rc = 2;
        } else {
            fprintf(stderr, "%s: %s: %s: %s\n", path, f.name[0] ? f.name : "?",
                    f.status == SX_TRUNCATED ? "truncated" : "garbled", f.why);
            if (!rc)
                rc = 1;
        }
        free(f.data);
    }
    if (!found) {
        fprintf(stderr, "%s: no DBSWEEP BEGIN line (was serial=on set?)\n", path);
        rc = 1;
    }
    free(log);
    return rc;
}
