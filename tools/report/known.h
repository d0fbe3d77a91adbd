/* Expected-failure lists: the cases a platform is known to get wrong, each
 * with the reason. make test (tests/e2e/tcg-known/) and
 * `dbsweep-report verdicts/summary --known` read the same format:
 *
 *   # a comment
 *   GLOB   why: free text          an entry: a case-name glob ('*', '?'),
 *                                  then the reason (required)
 *   [tcg intel qemu-7.2]           a section: the entries after it apply
 *   [hypervisor=TCGTCGTCGTCG cpu_vendor=GenuineIntel]   to a CSV whose
 *                                  metadata matches every word
 *
 * Entries before a file's first section apply to every CSV. A section word
 * is key=value (the metadata key's value must match the glob value) or a
 * shorthand: amd, intel, hygon (cpu_vendor), tcg, kvm, metal (hypervisor),
 * qemu-VERSION or "qemu VERSION": the QEMU version, taken from a qemu key
 * or else from QEMU's machine type in system_version (pc-q35-7.2 is 7.2;
 * 7.2 also matches 7.2.1); a machine whose system_manufacturer is not QEMU
 * does not match. A word whose key the CSV does not record is not checked:
 * a CSV from before system_version is matched by the rest of the section.
 * Several files make one list, in the order they were given; a case falls
 * under the first entry that applies and whose glob matches (a glob without
 * a mode prefix covers every mode: dbs_known_matches). */
#ifndef DBS_REPORT_KNOWN_H
#define DBS_REPORT_KNOWN_H

#include <stddef.h>
#include "runfile.h"

struct dbs_known_entry {
    const char *glob, *why;
    const char *path; /* its file and line, for messages */
    unsigned line;
    unsigned section; /* index into sections[] */
};

/* One section word: the metadata key must match value (a glob); or, for
 * qemu-VERSION, the QEMU version must equal value or start with value and
 * a '.'. */
struct dbs_known_cond {
    const char *key, *value;
    int qemu;
};

struct dbs_known_section {
    unsigned line, first_cond, nconds;
    int active; /* set by dbs_known_select */
};

/* Zero-initialized: an empty list. */
struct dbs_known {
    const char **paths; /* the files, in order */
    char **texts;
    unsigned nfiles;
    struct dbs_known_entry *entries;
    unsigned nentries;
    struct dbs_known_section *sections; /* each file starts with an unconditional one */
    unsigned nsections;
    struct dbs_known_cond *conds;
    unsigned nconds;
};

#define DBS_KNOWN_MAX_BYTES (1u << 20)

/* Adds a file's entries: parses len bytes of text followed by a NUL (as
 * dbs_read_file gives; taken over, also on failure: always call
 * dbs_known_free). Returns 0, or -1 with "path:line: what" in err. */
int dbs_known_parse(struct dbs_known *k, const char *path, char *text, size_t len, char *err,
                    size_t errcap);
/* Reads (gzip too) and adds a file. */
int dbs_known_load(struct dbs_known *k, const char *path, char *err, size_t errcap);
void dbs_known_free(struct dbs_known *k);

/* Marks the sections whose words r's metadata matches; the answers below
 * are about r until the next call. */
void dbs_known_select(struct dbs_known *k, const struct dbs_run *r);
/* 1 when entry i applies to the selected run. */
int dbs_known_applies(const struct dbs_known *k, unsigned i);
/* 1 when the entry's glob matches the case. A glob that does not start with
 * a mode (u64. k32. u32.) covers the case in every mode: it is also tried
 * on the name without its mode prefix (u64.shadow.sti.nobp.nop as
 * shadow.sti.nobp.nop). */
int dbs_known_matches(const struct dbs_known_entry *e, const char *case_name);
/* The entry the case falls under for the selected run, or -1. */
int dbs_known_find(const struct dbs_known *k, const char *case_name);

#endif
