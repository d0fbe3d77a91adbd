/* The reference model: an abstract CPU that walks a case's instructions by
 * their vocabulary entries and applies the manuals' #DB rules, per vendor. */
#ifndef DBS_MODEL_H
#define DBS_MODEL_H

#include "dbs_case.h"

#define DBS_MODEL_NAME "dbsweep-model 2"

enum dbs_vendor { DBS_VENDOR_INTEL, DBS_VENDOR_AMD, DBS_VENDOR_COUNT };
extern const char *const dbs_vendor_names[DBS_VENDOR_COUNT];

/* AMD and Hygon follow the AMD manual; everything else the Intel one. */
enum dbs_vendor dbs_vendor_of(const char *cpuid_vendor);

enum dbs_model_outcome {
    DBS_MODEL_EXPECT,    /* exp holds what the sources say happens */
    DBS_MODEL_UNDEFINED, /* no source settles it: recorded, not judged */
    DBS_MODEL_NO_RULE,   /* the model cannot follow the case (only the crash self-test) */
};

/* A behaviour some CPU is known to show where the model says undefined
 * (e.g. Intel's one merged #DB): the note says which one a machine showed. */
#define DBS_MODEL_MAX_ALT 2
struct dbs_alt {
    const char *name;
    struct dbs_exp_list e;
};

/* What the model says of one case for one vendor. */
struct dbs_expect {
    enum dbs_model_outcome outcome;
    const char *vendor;  /* whose rules: "intel" or "amd" */
    const char *why;     /* UNDEFINED / NO_RULE: the reason, with its source */
    struct dbs_exp_list e;  /* EXPECT: the events, in delivery order */
    unsigned nalt;
    struct dbs_alt alt[DBS_MODEL_MAX_ALT];
};

/* The model's expectation for case c on vendor v's CPUs. */
void dbs_model_expect(const struct dbs_case *c, enum dbs_vendor v, struct dbs_expect *out);

#endif
