/* `dbsweep-report matrix`: every case of several runs side by side in one
 * HTML page. */
#ifndef DBS_REPORT_MATRIX_H
#define DBS_REPORT_MATRIX_H

#include <stdio.h>
#include "runs.h"

/* Writes one self-contained HTML page (no network fetches) comparing the runs:
 * cases down, machines across. Returns 0, or 2 on an error (message on stderr). */
int dbs_report_matrix(const struct dbs_runs *runs, FILE *out);

#endif
