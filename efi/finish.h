/* What the machine does when dbsweep is done (on_finish=). */
#ifndef DBS_FINISH_H
#define DBS_FINISH_H

#include <efi.h>

/* Carries out on_finish (enum dbs_on_finish); returns only for "return". */
void finish(EFI_HANDLE image, unsigned on_finish);

#endif
