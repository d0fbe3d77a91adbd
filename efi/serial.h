/* COM1 through the firmware's serial I/O protocol: a mirror of the console
 * and the CSV framed for capture by lab systems (README.md, "Lab machines"). */
#ifndef DBS_SERIAL_H
#define DBS_SERIAL_H

#include <efi.h>
#include "dbs_frame.h"

/* Finds the first serial port and sets 115200 8N1; 0 if there is none. */
int serial_open(void);
/* Whether the firmware's console (the ConOut variable) already writes to
 * that port, as OVMF's does: mirroring the console as well would print every
 * line twice. */
int serial_is_console(void);
void serial_write(const void *data, UINTN len);
/* Sends the file framed as dbs_frame.h says: deflated in base64 lines
 * (DBS_FRAME_GZIP) or byte for byte. */
EFI_STATUS serial_send_file(EFI_FILE_HANDLE dir, const char *name, enum dbs_frame_kind kind);

#endif
