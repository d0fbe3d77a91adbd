/* Lists of comma-separated items as text people read in terminals and
 * mail: wrapped at the commas within a width, continuation lines indented
 * under the first item. */
#ifndef DBS_REPORT_WRAP_H
#define DBS_REPORT_WRAP_H

#include <stdio.h>

#define DBS_WRAP_WIDTH 80

/* Prints label, then the ", "-separated items of text, a line break before
 * an item that would pass DBS_WRAP_WIDTH; ends with a newline. An item
 * longer than a line is cut. */
void dbs_wrapped(FILE *out, const char *label, const char *text);

#endif
