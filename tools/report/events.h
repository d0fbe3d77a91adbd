/* What the report commands say about a loaded run: machine labels, a case's
 * observed events and verdict, DR6 decoded as flags. */
#ifndef DBS_REPORT_EVENTS_H
#define DBS_REPORT_EVENTS_H

#include <stdio.h>
#include "dbs_model.h"
#include "runfile.h"

/* "intel-6-94-3 metal" style label from the metadata (vendor family model
 * stepping hypervisor), for column headings; a per-core file's names its
 * core: "intel-6-151-2 metal cpu 16 (atom)" (cores.h). */
void dbs_machine_label(const struct dbs_run *r, char *out, size_t cap);

/* Whose rules judged the run: its model_vendor, else its CPU's vendor. */
enum dbs_vendor dbs_run_vendor(const struct dbs_run *r);

/* Appends s to the text of n bytes at out, as snprintf(out + n, cap - n,
 * "%s", s) does (truncated to cap, its full length counted in the result):
 * the event texts are built for every case of every file, and printf's
 * format parsing was a fifth of the matrix's time. */
size_t dbs_append(char *out, size_t cap, size_t n, const char *s);

/* DR6 condition flags, e.g. "BS|B2"; "-" for none; active-low RTM/BLD shown
 * as "RTM"/"BLD" only when they read 0 (i.e. active). */
void dbs_dr6_flags(unsigned long long dr6, char *out, size_t cap);

/* 1 when a row (its fields) is of repetition 0, the one the texts show. */
int dbs_rep0(char *const *f);

/* One case's rows in a run: [first, end). */
struct dbs_case_rows {
    const struct dbs_run *run;
    unsigned first, end;
};

/* Finds a case by name; returns 0 when found. */
int dbs_find_case(const struct dbs_run *r, const char *name, struct dbs_case_rows *out);

/* The case's observed events in repetition 0, as text:
 * "#DB@6 BS|B2, #DB@7 BS, #UD@0 rf1"; "(no event)" when there are none; an
 * event outside the case shows its RIP as "@out", one at a handler's entry
 * (schema 2) "@v<vector>"; " rf1" follows an event whose frame has
 * RFLAGS.RF set (in the expectation: whose exp_rf is 1). */
void dbs_events_text(const struct dbs_case_rows *c, char *out, size_t cap);
/* The same for the model's expectation ("-" when it has none). */
void dbs_expected_text(const struct dbs_case_rows *c, char *out, size_t cap);

/* Worst verdict over the case's rows (dbs_verdict_worse), by name. */
const char *dbs_case_verdict(const struct dbs_case_rows *c);
/* 1 when every row says agree=yes. */
int dbs_case_agrees(const struct dbs_case_rows *c);

/* How a case of run A differs from the same case of run B. */
enum dbs_case_diff {
    DBS_DIFF_SAME,
    DBS_DIFF_EVENTS,  /* repetition 0 saw different events */
    DBS_DIFF_VERDICT, /* the same events, judged differently (e.g. Intel vs AMD rules) */
    DBS_DIFF_ONLY_A,  /* B lacks the case */
    DBS_DIFF_ONLY_B,  /* A lacks the case */
    DBS_DIFF_KINDS
};
extern const char *const dbs_case_diff_names[DBS_DIFF_KINDS]; /* "same", "events differ", ... */
/* Compares a case present in both runs: same, events or verdict. */
enum dbs_case_diff dbs_case_compare(const struct dbs_case_rows *a, const struct dbs_case_rows *b);

/* Short mnemonic for a vector: "#DB", "#BP", "#UD", "#GP", ... or "vecN". */
const char *dbs_vector_name(unsigned v, char *buf, size_t cap);

#endif
