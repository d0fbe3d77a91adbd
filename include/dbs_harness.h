/* The code around every case (src/cases/harness.c): an entry prologue,
 * laid once at a fixed place, that arms TF as the case says and jumps or
 * IRETs to the case; and the case's layout in the executable buffer:
 *   [what must precede the case: the arming POPF][case bytes][exit]
 * A POPF or IRETQ that sets TF makes the case's first instruction the first
 * one traced. */
#ifndef DBS_HARNESS_H
#define DBS_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include "dbs_case.h"

#define DBS_EXIT_JMP_LEN 14 /* jmp [rip+0]; .quad target */

/* Which entry prologues a case takes: 64-bit CPL0, or IRETQ into a CPL0 or
 * a CPL3 mode. */
enum { DBS_ENTRY_K64, DBS_ENTRY_KERNEL, DBS_ENTRY_USER, DBS_ENTRY_KINDS };
unsigned dbs_entry_kind(const struct dbs_case *c);
/* The entry prologue for a kind and a TF arming (enum dbs_tf), or 0. */
const uint8_t *dbs_entry(unsigned kind, unsigned tf, size_t *len);

/* Lays the case out at buf. Returns the total length, or 0 if it does not
 * fit in cap; *case_off receives the offset of the case's first byte. In
 * another mode the entry's IRETQ lands on the layout's first byte. */
size_t dbs_harness_layout(uint8_t *buf, size_t cap, const struct dbs_case *c, uint64_t exit_addr,
                          size_t *case_off);

#endif
