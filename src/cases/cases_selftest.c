/* Cases that test dbsweep itself. Only a pattern naming the group selects
 * them (cases=selftest.*): "*" never does. */
#include "dbs_case.h"
#include "dbs_insn.h"

static const struct dbs_case_spec selftest[] = {
    /* An empty IDT, then #UD: #UD -> #GP -> #DF -> triple fault, the machine
     * resets mid-case. For the crash-recovery test (tests/e2e). */
    {.name = "selftest.triple_fault", .tf = DBS_TF_NONE, .ninsn = 2,
     .insn = {DBS_I_LIDT_ZERO, DBS_I_UD2}},
    /* Spins until the firmware resets the AP (core_timeout=): for the test
     * that a core which does not finish is recorded as timed out and the
     * next one still runs (tests/e2e). Skipped on the BSP. */
    {.name = "selftest.spin_ap", .tf = DBS_TF_NONE, .ninsn = 1, .insn = {DBS_I_JMP_SELF},
     .needs = DBS_NEEDS_AP},
};

DBS_TABLE_GROUP(dbs_group_selftest, "selftest", selftest);
