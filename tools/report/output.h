/* Where a command writes (-o): stdout, or a file that appears only whole. */
#ifndef DBS_REPORT_OUTPUT_H
#define DBS_REPORT_OUTPUT_H

#include <stdio.h>

struct dbs_output {
    FILE *f;
    const char *path; /* NULL: stdout */
    char *tmp;        /* the file written, renamed to path when done */
};

/* Opens path for writing; NULL or "-" is stdout. A regular file is written
 * under a temporary name beside it, so a failed command never leaves half a
 * file or clobbers the old one; devices and pipes are written directly.
 * Returns 0, or -1 after saying why on stderr. */
int dbs_output_open(struct dbs_output *o, const char *path);

/* Finishes: with ok, puts the file in place; without, or when writing
 * failed, removes what was written. Returns 0, or -1 after saying why. */
int dbs_output_close(struct dbs_output *o, int ok);

#endif
