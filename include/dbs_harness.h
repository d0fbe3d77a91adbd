/* The code around every case, laid out in the executable buffer:
 *   [prologue: arm TF as the case says][case bytes][jmp to the runner's exit]
 * The prologue ends exactly at the case's first byte, so a POPF or IRETQ that
 * sets TF makes the case's first instruction the first one traced. */
#ifndef DBS_HARNESS_H
#define DBS_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include "dbs_case.h"

#define DBS_EXIT_JMP_LEN 14 /* jmp [rip+0]; .quad target */

/* Prologue bytes for a TF arming mode (enum dbs_tf). */
const uint8_t *dbs_prologue(unsigned tf, size_t *len);

/* Lays the case out at buf. Returns the total length, or 0 if it does not
 * fit in cap; *case_off receives the offset of the case's first byte,
 * *mode_off that of the code the IRETQ into another mode lands on. */
size_t dbs_harness_layout(uint8_t *buf, size_t cap, const struct dbs_case *c, uint64_t exit_addr,
                          size_t *case_off, size_t *mode_off);

#endif
