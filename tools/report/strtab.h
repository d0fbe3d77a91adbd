/* Interned strings: equal texts share one copy and one index, so many runs
 * of the same cases keep each name and each events text once, and equal
 * texts compare by index. matrix, summary and verdicts share them. */
#ifndef DBS_REPORT_STRTAB_H
#define DBS_REPORT_STRTAB_H

/* Zero-initialized: empty. */
struct dbs_strtab {
    char **s;       /* s[index]: the text */
    unsigned n, cap;
    unsigned *slot; /* open addressing: index + 1, 0 when free */
    unsigned nslot; /* a power of two, more than twice n */
};

/* Index of s, adding a copy when it is new; -1 when out of memory. */
int dbs_intern(struct dbs_strtab *t, const char *s, unsigned *idx);
/* The interned copy of s (the same pointer for equal texts); NULL when out
 * of memory. */
const char *dbs_intern_str(struct dbs_strtab *t, const char *s);
void dbs_strtab_free(struct dbs_strtab *t);

#endif
