/* Bitwise CRC-32: small, and fast enough for a few MiB once per run. */
#include "dbs_crc32.h"

uint32_t dbs_crc32(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;
    unsigned k;

    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        for (k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}
