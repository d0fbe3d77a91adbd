/* CRC-32 (IEEE 802.3, as zlib and `crc32` compute it): frames the CSV sent
 * over the serial line so the host can tell a whole copy from a damaged one. */
#ifndef DBS_CRC32_H
#define DBS_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* crc = dbs_crc32(0, a, n); crc = dbs_crc32(crc, b, m); ... */
uint32_t dbs_crc32(uint32_t crc, const void *data, size_t len);

#endif
