/* The case bytes as assembly, by objdump (binutils): Intel syntax, one line
 * per instruction, "mnemonic operands" at its offset. */
#ifndef DBS_REPORT_DISASM_H
#define DBS_REPORT_DISASM_H

#include <stddef.h>

struct dbs_asm_line {
    unsigned off;
    char text[80];
};

/* One byte string to disassemble; first/count are filled in. */
struct dbs_disasm_job {
    const unsigned char *bytes;
    size_t n;
    unsigned first, count; /* its lines: lines[first .. first + count) */
    int bits32;            /* 32-bit code (k32/u32 cases), else 64-bit */
};

struct dbs_disasm {
    struct dbs_asm_line *lines;
    unsigned nlines, cap;
};

/* Disassembles every job with one objdump run per code width the jobs
 * have (64-bit, 32-bit). Returns 0, or -1 when
 * objdump cannot be run (then every count is 0 and d is empty). Free d with
 * dbs_disasm_free. */
int dbs_disasm_batch(struct dbs_disasm_job *jobs, unsigned n, struct dbs_disasm *d);
void dbs_disasm_free(struct dbs_disasm *d);

/* One byte string of 64-bit code into lines[]/offs[] (at most max);
 * returns the count, or -1 if objdump cannot be run. */
int dbs_disasm(const unsigned char *bytes, size_t n, char lines[][80], unsigned *offs,
               unsigned max);

/* Hex string to bytes; returns the count or -1. */
int dbs_unhex(const char *hex, unsigned char *out, size_t cap);

#endif
