/* The executable buffer cases run from. */
#ifndef DBS_CODEBUF_H
#define DBS_CODEBUF_H

#include <efi.h>

#define CODEBUF_SIZE 8192 /* entry prologues, then the case (ring0/runner.c) */

/* Allocates CODEBUF_SIZE bytes as EfiLoaderCode and, where the firmware has
 * the UEFI 2.10 memory attribute protocol, makes it writable and executable.
 * On failure *why says what went wrong. */
EFI_STATUS codebuf_alloc(void **buf, const char **why);

#endif
