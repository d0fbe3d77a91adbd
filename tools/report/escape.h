/* Text from untrusted CSVs into JSON and XML: escaped, and bytes that are
 * not UTF-8 replaced by U+FFFD, so the output always parses. */
#ifndef DBS_REPORT_ESCAPE_H
#define DBS_REPORT_ESCAPE_H

#include <stdio.h>

/* A JSON string, quotes included. Also safe inside an HTML <script>: '<',
 * '>', '&' and U+2028/2029 are written as \u escapes. */
void dbs_put_json_string(FILE *f, const char *s);

/* XML 1.0 character data, fit for attribute values too: & < > " ' as
 * references, control characters XML cannot carry as U+FFFD. */
void dbs_put_xml_text(FILE *f, const char *s);

#endif
