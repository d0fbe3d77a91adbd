/* Room for one more element in a growing array. */
#ifndef DBS_REPORT_GROW_H
#define DBS_REPORT_GROW_H

#include <stddef.h>

/* Makes *arrayp (n elements of size bytes, room for *cap) hold at least
 * n + 1: first elements at the start, then doubling. 0, or -1 when out of
 * memory, the array left as it was. */
int dbs_grow(void *arrayp, unsigned n, unsigned *cap, size_t size, unsigned first);

#endif
