/* The CSVs dbsweep framed on its serial console (include/dbs_frame.h), found
 * in a console log and checked: plain frames byte for byte (undoing a
 * capture that turned \n into \r\n), gzip-base64 frames inflated with zlib.
 * A copy is given back only when its line count, size and CRC-32 all match
 * the END line (and, for gzip, the gzip trailer). */
#ifndef DBS_SERIAL_FRAMES_H
#define DBS_SERIAL_FRAMES_H

#include <stddef.h>

enum sx_status {
    SX_OK,
    SX_TRUNCATED, /* no END line before the log or the next BEGIN line ends */
    SX_GARBLED,   /* an END line, but the copy is not the file it describes */
};

struct sx_file {
    enum sx_status status;
    char name[256];
    char *data; /* SX_OK: the file (malloc'd; the caller frees it), else NULL */
    size_t len;
    int gzip;   /* sent deflated (serial=on) */
    char why[160]; /* not SX_OK: what is wrong */
};

/* The next frame in log[*pos..len) (log is modified in place): 1 and *f
 * filled, 0 when there is none. *pos moves past the frame; after
 * SX_TRUNCATED, to the next BEGIN line or to len. */
int sx_next(char *log, size_t len, size_t *pos, struct sx_file *f);

#endif
