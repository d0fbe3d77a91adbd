/* The reference model: an abstract CPU that walks a case's instructions by
 * their kind tags and applies the manuals' #DB rules, per vendor. */
#ifndef DBS_MODEL_H
#define DBS_MODEL_H

#include "dbs_case.h"

#define DBS_MODEL_NAME "dbsweep-model 1"

enum dbs_vendor { DBS_VENDOR_INTEL, DBS_VENDOR_AMD, DBS_VENDOR_COUNT };
extern const char *const dbs_vendor_names[DBS_VENDOR_COUNT];

/* AMD and Hygon follow the AMD manual; everything else the Intel one. */
enum dbs_vendor dbs_vendor_of(const char *cpuid_vendor);

enum dbs_model_outcome {
    DBS_MODEL_EXPECT,    /* exp[] holds what the manuals say happens */
    DBS_MODEL_UNDEFINED, /* the manuals leave it undefined */
    DBS_MODEL_NO_RULE,   /* the model has no rule for something in the case */
};

/* Replaces the case's expectation with the model's for vendor v:
 * nexp/exp[] (EXPECT), undefined=1 (UNDEFINED) or nexp=-1 (NO_RULE).
 * *why (may be NULL) receives a short reason for the last two. */
enum dbs_model_outcome dbs_model_apply(struct dbs_case *c, enum dbs_vendor v, const char **why);

#endif
