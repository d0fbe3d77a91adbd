/* Group numbers for names, in the order the names first appear: summary,
 * verdicts and diff count per group without a limit on how many groups a
 * (possibly hostile) CSV holds. */
#ifndef DBS_REPORT_GROUPING_H
#define DBS_REPORT_GROUPING_H

/* ids[i] = the number of names[i]'s group: 0 for the first name, 1 for the
 * next different one, ... Returns the number of groups, or -1 when out of
 * memory. */
int dbs_group_ids(const char *const *names, unsigned n, unsigned *ids);

#endif
