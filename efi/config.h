/* Options for this run: \dbsweep\dbsweep.cfg, then the EFI LoadOptions. */
#ifndef DBS_CONFIG_H
#define DBS_CONFIG_H

#include <efi.h>
#include "dbs_options.h"

/* Returns EFI_SUCCESS, or an error with the reason written to err. */
EFI_STATUS config_load(EFI_HANDLE image, struct dbs_options *o, struct dbs_buf *err);

#endif
