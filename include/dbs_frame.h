/* The CSV on the serial line (README.md, "The serial console"), framed so
 * that a captured console log gives it back whole or says it is damaged.
 *
 * serial=on: deflated, as one gzip member (RFC 1952) in base64 lines
 *   \r\nDBSWEEP BEGIN <name> gzip-base64\r\n
 *   H4sICAAAAAAA/2FtZC0xNS0xMDctMS10Y2ctMjAyNjExMjUtMTMwMTQ5LmNzdgDtvWtz2...\r\n
 *   ...76 characters a line...\r\n
 *   DBSWEEP END <lines> <crc32> <bytes> <gzip bytes>\r\n
 * serial=plain: the file byte for byte (it ends in \n)
 *   \nDBSWEEP BEGIN <name>\n<the file>DBSWEEP END <lines> <crc32>\n
 * lines, bytes and crc32 (IEEE, 0x-prefixed hex) are the CSV's. */
#ifndef DBS_FRAME_H
#define DBS_FRAME_H

#include <stdint.h>
#include "dbs_deflate.h"

#define DBS_FRAME_LINE 76 /* base64 characters a line, as MIME's */

enum dbs_frame_kind { DBS_FRAME_PLAIN, DBS_FRAME_GZIP };

struct dbs_frame {
    dbs_sink_fn *sink; /* receives the text to send */
    void *ctx;
    enum dbs_frame_kind kind;
    struct dbs_deflate *z; /* DBS_FRAME_GZIP: the encoder's state (the caller's memory) */
    uint32_t crc;
    uint64_t bytes, lines, gz_bytes;
    uint8_t in[3];          /* gzip bytes not yet in base64 */
    unsigned nin, col;      /* ... and the characters on the current line */
    char line[DBS_FRAME_LINE + 2];
};

/* Sends the BEGIN line (and the gzip header). name: no spaces or control characters. */
void dbs_frame_begin(struct dbs_frame *f, enum dbs_frame_kind kind, struct dbs_deflate *z,
                     const char *name, dbs_sink_fn *sink, void *ctx);
void dbs_frame_write(struct dbs_frame *f, const void *data, size_t n);
/* Sends what is left and the END line. */
void dbs_frame_end(struct dbs_frame *f);

#endif
