/* SMBIOS structure walk: a formatted area of `length` bytes, then strings,
 * each NUL-terminated, the set ending with an extra NUL (DSP0134 6.1.3). */
#include "dbs_smbios.h"

/* String number n (1-based) of the set at s..end, copied printable. */
static void copy_string(const uint8_t *s, const uint8_t *end, unsigned n, char *dst)
{
    unsigned k = 0;

    dst[0] = 0;
    if (!n)
        return;
    while (s < end && --n) { /* skip to string n */
        while (s < end && *s)
            s++;
        s++;
    }
    for (; s < end && *s && k + 1 < DBS_SMBIOS_STR; s++)
        dst[k++] = *s >= 0x20 && *s < 0x7f ? (char)*s : '?';
    dst[k] = 0;
}

void dbs_smbios_parse(const uint8_t *p, size_t len, struct dbs_smbios *o)
{
    const uint8_t *end = p + len;

    o->bios_vendor[0] = o->bios_version[0] = o->sys_vendor[0] = o->sys_product[0] = 0;
    o->sys_version[0] = 0;
    o->board_vendor[0] = o->board_product[0] = 0;
    while (p + 4 <= end) {
        unsigned type = p[0], flen = p[1];
        const uint8_t *strings = p + flen, *next = strings;

        if (flen < 4 || strings > end)
            return;
        while (next + 1 < end && (next[0] || next[1])) /* the set ends with two NULs */
            next++;
        next += 2;
        if (type == 0 && flen > 5) {
            copy_string(strings, end, p[4], o->bios_vendor);
            copy_string(strings, end, p[5], o->bios_version);
        } else if ((type == 1 || type == 2) && flen > 5) {
            copy_string(strings, end, p[4], type == 1 ? o->sys_vendor : o->board_vendor);
            copy_string(strings, end, p[5], type == 1 ? o->sys_product : o->board_product);
            if (type == 1 && flen > 6)
                copy_string(strings, end, p[6], o->sys_version);
        } else if (type == 127) {
            return; /* end of table */
        }
        p = next;
    }
}
