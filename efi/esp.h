/* Files on the volume dbsweep was loaded from (the ESP or the USB stick). */
#ifndef DBS_ESP_H
#define DBS_ESP_H

#include <efi.h>
#include "dbs_ident.h"

/* The root directory of the volume the image was loaded from, or NULL. */
EFI_FILE_HANDLE esp_root(EFI_HANDLE image);
/* Opens (creating as needed) \dbsweep\results on the image's own volume. */
EFI_STATUS esp_open_results(EFI_HANDLE image, EFI_FILE_HANDLE *dir);
/* Creates a new result file that does not overwrite anything: the schema-1
 * name, with -1, -2, ... appended if it exists. name receives the ASCII name. */
EFI_STATUS esp_create_result(EFI_FILE_HANDLE dir, const struct dbs_cpu_id *id,
                             const struct dbs_time *t, EFI_FILE_HANDLE *file, char *name,
                             UINTN name_cap);
EFI_STATUS esp_write(EFI_FILE_HANDLE f, const void *data, UINTN len);

#endif
