/* Whole files into memory for the readers, gzip inflated on the way: the
 * CSVs in results/ and in bug reports often arrive as .csv.gz. Gzip is told
 * by its magic bytes, not by the file name. */
#ifndef DBS_REPORT_READFILE_H
#define DBS_REPORT_READFILE_H

#include <stddef.h>

/* 1 when the bytes start with the gzip magic (1f 8b). */
int dbs_is_gzip(const unsigned char *data, size_t n);

/* Inflates every gzip member of data into a new NUL-terminated buffer of at
 * most max bytes (counted after decompression). Returns 0, or -1 with
 * "name: what" in err (corrupt data, cut off, too large). */
int dbs_gunzip(const unsigned char *data, size_t n, size_t max, const char *name, char **out,
               size_t *outlen, char *err, size_t errcap);

/* Reads path ("-": standard input), inflating it when it is gzip; at most
 * max bytes of text either way. xz, zstd, bzip2 and lz4 data are refused
 * by name. *text is NUL-terminated and the caller's to free. Returns 0, or
 * -1 with "path: what" in err. */
int dbs_read_file(const char *path, size_t max, char **text, size_t *len, char *err,
                  size_t errcap);

#endif
