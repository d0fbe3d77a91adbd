/* dbsweep-report kut: cases as one kvm-unit-tests program. */
#ifndef DBS_REPORT_KUT_H
#define DBS_REPORT_KUT_H

#include "dbs_case.h"

/* Why kvm-unit-tests cannot run case c as dbsweep does, or NULL when it can. */
const char *dbs_kut_refusal(const struct dbs_case *c);

/* The program's fixed part: includes, the recorder and dbs_run_case(). */
extern const char dbs_kut_runtime[];

#endif
