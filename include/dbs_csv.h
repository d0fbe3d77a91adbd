/* CSV schema 1 (docs/csv.md): writer and a line splitter for readers. */
#ifndef DBS_CSV_H
#define DBS_CSV_H

#include "dbs_buf.h"
#include "dbs_case.h"
#include "dbs_event.h"

#define DBS_CSV_SCHEMA "dbsweep-csv 1"
#define DBS_CSV_NCOLS 21
extern const char *const dbs_csv_columns[DBS_CSV_NCOLS];

/* "# key: value" (newlines and other control bytes in value become spaces). */
void dbs_csv_meta(struct dbs_buf *b, const char *key, const char *value);
void dbs_csv_header(struct dbs_buf *b);
/* One field, quoted when it holds a comma, a quote or a line break. */
void dbs_csv_field(struct dbs_buf *b, const char *s);
/* The `bps` column: DR<n>@<off>|d<off>:<x|w|io|rw><1|2|8|4>:<L|G|LG|off>, ';'-joined. */
void dbs_csv_bps(struct dbs_buf *b, const struct dbs_case *c);
/* Every row of one case: each repetition's events against the expectation. */
void dbs_csv_case_rows(struct dbs_buf *b, const struct dbs_case *c, const struct dbs_rep *reps,
                       unsigned nreps);

/* Splits one line (without its terminator) in place into fields, undoing
 * quoting. Returns the field count, or -1 on a malformed quote or more than
 * max fields. */
int dbs_csv_split(char *line, char **fields, int max);

#endif
