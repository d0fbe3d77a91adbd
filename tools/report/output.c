/* -o FILE: written under a temporary name, renamed into place at the end. */
#include <errno.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

#define ME "dbsweep-report"

static int open_stream(struct dbs_output *o, const char *path)
{
    struct stat st;
    mode_t mask;
    int fd;

    memset(o, 0, sizeof(*o));
    if (!path || !strcmp(path, "-")) {
        o->f = stdout;
        return 0;
    }
    o->path = path;
    if (!stat(path, &st) && !S_ISREG(st.st_mode)) { /* /dev/null, a FIFO: no rename */
        o->f = fopen(path, "w");
        if (!o->f)
            fprintf(stderr, ME ": cannot write %s: %s\n", path, strerror(errno));
        return o->f ? 0 : -1;
    }
    o->tmp = malloc(strlen(path) + 8);
    if (!o->tmp) {
        fprintf(stderr, ME ": out of memory\n");
        return -1;
    }
    strcat(strcpy(o->tmp, path), ".XXXXXX");
    fd = mkstemp(o->tmp);
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        fprintf(stderr, ME ": cannot create %s: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    mask = umask(0); /* mkstemp makes 0600; a report is as readable as any file */
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    return 0;
}

int dbs_output_open(struct dbs_output *o, const char *path)
{
    if (open_stream(o, path))
        return -1;
    /* Only the command's thread writes (runs.c's workers only read): no
     * lock per call, which once threads exist costs a tenth of verdicts'
     * time, where every case of every file is written in small pieces. */
    __fsetlocking(o->f, FSETLOCKING_BYCALLER);
    return 0;
}

int dbs_output_close(struct dbs_output *o, int ok)
{
    const char *name = o->path ? o->path : "standard output";
    int werr = 0, rc = 0;

    errno = 0;
    if (fflush(o->f) || ferror(o->f))
        werr = errno ? errno : EIO;
    if (o->f != stdout && fclose(o->f) && !werr)
        werr = errno ? errno : EIO;
    if (werr) {
        fprintf(stderr, ME ": error writing %s: %s\n", name, strerror(werr));
        rc = -1;
    }
    if (o->tmp) {
        if (ok && !rc && rename(o->tmp, o->path)) {
            fprintf(stderr, ME ": cannot create %s: %s\n", o->path, strerror(errno));
            rc = -1;
        }
        if (!ok || rc)
            unlink(o->tmp);
        free(o->tmp);
    }
    memset(o, 0, sizeof(*o));
    return rc;
}
