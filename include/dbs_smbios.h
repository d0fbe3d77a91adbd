/* The machine's name from its SMBIOS tables (DMTF DSP0134): BIOS vendor and
 * version (type 0), system manufacturer, product and version (type 1; QEMU
 * puts its machine type there, e.g. pc-q35-7.2), baseboard
 * manufacturer and product (type 2). */
#ifndef DBS_SMBIOS_H
#define DBS_SMBIOS_H

#include <stddef.h>
#include <stdint.h>

#define DBS_SMBIOS_STR 64

struct dbs_smbios {
    char bios_vendor[DBS_SMBIOS_STR], bios_version[DBS_SMBIOS_STR];
    char sys_vendor[DBS_SMBIOS_STR], sys_product[DBS_SMBIOS_STR], sys_version[DBS_SMBIOS_STR];
    char board_vendor[DBS_SMBIOS_STR], board_product[DBS_SMBIOS_STR];
};

/* Walks len bytes of SMBIOS structures; missing strings stay "". Never reads
 * past len, whatever the table says. */
void dbs_smbios_parse(const uint8_t *table, size_t len, struct dbs_smbios *out);

#endif
