/* The dbsweep-report commands. Each returns the process exit code:
 * 0 fine (diff: equal), 1 a finding (diff: they differ; check: rows
 * disagree), 2 an error. */
#ifndef DBS_REPORT_H
#define DBS_REPORT_H

#include <stdio.h>
#include "runfile.h"

int dbs_report_summary(struct dbs_run *const *runs, unsigned n, FILE *out);
int dbs_report_diff(const struct dbs_run *a, const struct dbs_run *b, const char *group, FILE *out);
int dbs_report_check(struct dbs_run *const *runs, unsigned n, FILE *out);
int dbs_report_kut(const struct dbs_run *r, const char *case_name, FILE *out);

/* Disassembly of a byte string (objdump, Intel syntax): one line per
 * instruction, "off: mnemonic operands", into lines[]; returns the count, or
 * -1 if objdump cannot be run. */
int dbs_disasm(const unsigned char *bytes, size_t n, char lines[][80], unsigned *offs,
               unsigned max);
/* Hex string to bytes; returns the count or -1. */
int dbs_unhex(const char *hex, unsigned char *out, size_t cap);

#endif
