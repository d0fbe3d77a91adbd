#ifndef DBS_REPORT_TABLE_H
#define DBS_REPORT_TABLE_H

#include <stdio.h>
#include "dbs_case.h"

/* The case of this dbsweep's table with that name; 0 when found. */
int dbs_table_find(const char *name, struct dbs_case *out);

#endif
