/* Runs a batch of cases on the CPU it is called on (the BSP directly, an
 * AP through MP services): nothing here calls the firmware. */
#include "batch.h"
#include "codebuf.h"
#include "meta.h"
#include "dbs_case.h"
#include "dbs_runner.h"

void batch_run(void *arg)
{
    static struct dbs_case c; /* one CPU at a time runs a batch */
    struct batch *b = arg;
    unsigned i;

    if (dbs_runner_init(b->code, CODEBUF_SIZE, b->ap)) {
        b->bad = BATCH_BAD_RUNNER;
        return;
    }
    if (!b->core->seen) {
        dbs_cpu_identify(&b->core->id);
        dbs_cpu_state_read(&b->core->fw);
        b->core->apic_mode = meta_apic_mode();
        b->core->seen = 1;
    }
    for (i = 0; i < b->n; i++) {
        if (dbs_case_get(b->idx[i], &c)) {
            b->bad = BATCH_BAD_CASE;
            break;
        }
        dbs_runner_run(&c, b->reps + i * b->nreps, b->nreps, b->cap);
        b->done = i + 1; /* after the stores to reps (x86 keeps stores in order, SDM vol. 3A 9.2.2) */
    }
    dbs_runner_fini();
    dbs_cpu_state_read(&b->core->fw_after);
}
