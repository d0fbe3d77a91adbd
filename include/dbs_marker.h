/* The progress marker: which cases were running when the machine went
 * down, so the next boot can say so and go on after them (docs in README,
 * "Crashes"). Text, one line: "<csv name>\t<first>\t<last>\t<case name>\n",
 * first/last being case-table indexes of the batch that was running, then
 * newlines up to DBS_MARKER_BYTES: every marker has one size, so a run
 * rewrites the file in place (a delete and a create per batch cost more
 * than a case under an emulator). */
#ifndef DBS_MARKER_H
#define DBS_MARKER_H

#include "dbs_buf.h"

struct dbs_marker {
    char csv[96];   /* the CSV that run was writing */
    unsigned first, last;
    char name[64];  /* the case at first */
};

#define DBS_MARKER_BYTES 192 /* the longest line is 174 bytes */

/* Exactly DBS_MARKER_BYTES bytes (with a buffer that holds them). */
void dbs_marker_format(struct dbs_buf *b, const struct dbs_marker *m);
/* 0, or -1 when the text is not a marker. */
int dbs_marker_parse(const char *text, unsigned len, struct dbs_marker *m);

#endif
