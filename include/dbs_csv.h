/* CSV schema 2 (docs/csv.md): writer and a line splitter for readers. */
#ifndef DBS_CSV_H
#define DBS_CSV_H

#include "dbs_buf.h"
#include "dbs_case.h"
#include "dbs_event.h"
#include "dbs_model.h"

#define DBS_CSV_SCHEMA "dbsweep-csv 2"
#define DBS_CSV_SCHEMA_1 "dbsweep-csv 1" /* still read: its rows lack the columns after exp_dr6_any */
#define DBS_CSV_NOTE_MAX 191 /* a note's characters: the model's why, "; observed: " and a name */

/* The columns in file order, the one list both the writer and readers use.
 * Columns are only ever appended (docs/csv.md). */
#define DBS_CSV_COLUMNS(X)                                                                     \
    X(CASE, "case") X(GROUP, "group") X(REP, "rep") X(EVENT, "event") X(VECTOR, "vector")     \
    X(ERROR, "error") X(RIP, "rip") X(RIP_OFF, "rip_off") X(RFLAGS, "rflags") X(DR6, "dr6")   \
    X(DR7, "dr7") X(EXP_VECTOR, "exp_vector") X(EXP_RIP_OFF, "exp_rip_off")                  \
    X(EXP_DR6, "exp_dr6") X(VERDICT, "verdict") X(AGREE, "agree") X(TF, "tf") X(BPS, "bps")   \
    X(BYTES, "bytes") X(NOTE, "note") X(EXP_DR6_ANY, "exp_dr6_any") X(EXP_RF, "exp_rf")       \
    X(MODE, "mode") X(ACCESS, "access") X(CS, "cs") X(SS, "ss") X(RSP, "rsp")

enum dbs_csv_col {
#define DBS_CSV_ENUM(id, name) DBS_COL_##id,
    DBS_CSV_COLUMNS(DBS_CSV_ENUM)
#undef DBS_CSV_ENUM
    DBS_CSV_NCOLS
};
#define DBS_CSV_SCHEMA1_MIN_COLS (DBS_COL_BYTES + 1) /* every schema-1 file has these */
#define DBS_CSV_SCHEMA1_COLS (DBS_COL_EXP_DR6_ANY + 1)
extern const char *const dbs_csv_columns[DBS_CSV_NCOLS];

/* "# key: value" (newlines and other control bytes in value become spaces). */
void dbs_csv_meta(struct dbs_buf *b, const char *key, const char *value);
void dbs_csv_header(struct dbs_buf *b);
/* One field, quoted when it holds a comma, a quote or a line break. */
void dbs_csv_field(struct dbs_buf *b, const char *s);
/* The `bps` column: DR<n>@<off>|d<off>:<x|w|io|rw><1|2|8|4>:<L|G|LG|off>, ';'-joined. */
void dbs_csv_bps(struct dbs_buf *b, const struct dbs_case *c);
/* A location column (rip_off, exp_rip_off): decimal offset, v<N> for the
 * entry of the harness's vector-N handler, lstar/cstar for its SYSCALL
 * entries, nothing for -1. */
void dbs_csv_off(struct dbs_buf *b, long off);
/* The `access` column: the scratch accesses the case's instructions make,
 * <r|w|rw>@d<off>:<len>, ';'-joined (a REP instruction's first iteration). */
void dbs_csv_access(struct dbs_buf *b, const struct dbs_case *c);
/* Every row of one case: each repetition's events against the model's
 * expectation x; agree is dbs_reps_agree() of the repetitions. */
void dbs_csv_case_rows(struct dbs_buf *b, const struct dbs_case *c, const struct dbs_expect *x,
                       const struct dbs_rep *reps, unsigned nreps, int agree);

/* Splits one line (without its terminator) in place into fields, undoing
 * quoting. Returns the field count, or -1 on a malformed quote or more than
 * max fields. */
int dbs_csv_split(char *line, char **fields, int max);

#endif
