/* A dbsweep CSV (schema 1 or 2) loaded and validated: metadata, rows, complete or
 * not. Input is untrusted (CSVs arrive in bug reports): every problem is an
 * error naming file:line, never a crash. Rows are split by src/output/csv_read.c. */
#ifndef DBS_RUNFILE_H
#define DBS_RUNFILE_H

#include <stddef.h>
#include "dbs_csv.h"

#define DBS_RUN_MAX_BYTES (256u << 20) /* larger files are refused */

/* Columns by name: enum dbs_csv_col (DBS_COL_*, include/dbs_csv.h). */

struct dbs_row {
    char *f[DBS_CSV_NCOLS]; /* columns this file lacks (older writers) are "" */
    unsigned line;
};

struct dbs_run {
    const char *path;
    char *text;
    char *meta_key[64], *meta_val[64];
    unsigned nmeta;
    struct dbs_row *rows;
    unsigned nrows;
    int complete; /* last line is "# status: complete" */
    int schema;   /* 1 or 2 */
};

/* Parses len bytes of text (taken over, also on failure: always call
 * dbs_run_free). Returns 0, or -1 with "path:line: what" in err (control
 * characters of the file shown as '?'). */
int dbs_run_parse(struct dbs_run *r, const char *path, char *text, size_t len, char *err,
                  size_t errcap);
/* Reads a file (gzip is inflated, see readfile.h) and parses it. */
int dbs_run_load(struct dbs_run *r, const char *path, char *err, size_t errcap);

struct dbs_case_rows; /* events.h */
/* Takes one case's rows; 0, or -1 when out of memory. */
typedef int dbs_case_fn(void *ctx, const struct dbs_case_rows *c);
/* Reads a file as dbs_run_load does, but hands each case to fn as soon as
 * its rows are read (c->run holds only that case's rows and the metadata)
 * and keeps no rows: memory holds one file's text and one case, however
 * many files a command reads. Afterwards r holds the metadata (a copy),
 * complete and schema; no text, no rows. The checks and messages are
 * dbs_run_load's, but cases before an error may have reached fn. Always
 * call dbs_run_free. */
int dbs_run_stream(struct dbs_run *r, const char *path, dbs_case_fn *fn, void *ctx, char *err,
                   size_t errcap);
/* Keeps the metadata (a copy), complete and schema, and frees the text and
 * the rows: what a command keeps of each of many files. 0, or -1 when out
 * of memory (the run as it was). */
int dbs_run_keep_meta(struct dbs_run *r);
const char *dbs_run_meta(const struct dbs_run *r, const char *key);
void dbs_run_free(struct dbs_run *r);

/* Rows of one case are contiguous: index of the first row of the next case. */
unsigned dbs_run_case_end(const struct dbs_run *r, unsigned first);

/* Parses a 0x-prefixed hex field; -1 when malformed or empty. */
int dbs_parse_hex(const char *s, unsigned long long *v);
/* Parses a location (rip_off, exp_rip_off): an offset, or v<N> as
 * DBS_OFF_ENTRY | N; -1 when empty or malformed. */
long dbs_parse_off(const char *s);

#endif
