/* Files on the volume dbsweep was loaded from (the ESP or the USB stick). */
#ifndef DBS_ESP_H
#define DBS_ESP_H

#include <efi.h>
#include "dbs_ident.h"

/* The root directory of the volume the image was loaded from, or NULL. */
EFI_FILE_HANDLE esp_root(EFI_HANDLE image);
/* Opens (creating as needed) \dbsweep\results on the image's own volume. */
EFI_STATUS esp_open_results(EFI_HANDLE image, EFI_FILE_HANDLE *dir);
/* Creates a new file <stem><ext> that overwrites nothing: -1, -2, ... is put
 * before the extension while the name is taken. name receives the ASCII name. */
EFI_STATUS esp_create_unique(EFI_FILE_HANDLE dir, const char *stem, const char *ext,
                             EFI_FILE_HANDLE *file, char *name, UINTN name_cap);
EFI_STATUS esp_write(EFI_FILE_HANDLE f, const void *data, UINTN len);
/* Small whole files in dir: read up to *len bytes; delete. */
EFI_STATUS esp_read_file(EFI_FILE_HANDLE dir, const CHAR16 *name, void *buf, UINTN *len);
void esp_delete_file(EFI_FILE_HANDLE dir, const CHAR16 *name);
/* A new empty file in place of any old one, kept open; then its first
 * len bytes rewritten in place and flushed (same-size records). */
EFI_STATUS esp_create_fresh(EFI_FILE_HANDLE dir, const CHAR16 *name, EFI_FILE_HANDLE *f);
EFI_STATUS esp_rewrite(EFI_FILE_HANDLE f, const void *data, UINTN len);

#endif
