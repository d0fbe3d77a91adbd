/* dbsweep-report verdicts: one result per case and per group of every run,
 * as KTAP, JUnit XML or JSON. Exit 1 only for a failure the known list
 * does not expect; a listed case that matches (XPASS) is reported, not
 * failed. */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "verdicts.h"

const char *dbs_base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

const char *dbs_meta_or_empty(const struct dbs_run *r, const char *key)
{
    const char *v = dbs_run_meta(r, key);
    return v ? v : "";
}

void dbs_case_reason(const struct dbs_verdicts *v, const struct dbs_case_result *c, char *out,
                     size_t cap)
{
    const struct dbs_known_entry *e = c->known >= 0 ? &v->known->entries[c->known] : NULL;
    char seen[1024], want[1024];

    switch (c->outcome) {
    case DBS_PASS:
        out[0] = 0;
        break;
    case DBS_FAIL:
        if (c->crashed) {
            snprintf(out, cap, "crashed: the machine went down in this case");
            break;
        }
        dbs_events_text(&c->rows, seen, sizeof(seen));
        dbs_expected_text(&c->rows, want, sizeof(want));
        snprintf(out, cap, "mismatch: observed %s; expected %s", seen, want);
        break;
    case DBS_XFAIL:
        snprintf(out, cap, "known failure (%s:%u %s): %s", e->path, e->line, e->glob, e->why);
        break;
    case DBS_XPASS:
        snprintf(out, cap, "unexpectedly passing: listed in %s:%u (%s) but matches", e->path,
                 e->line, e->glob);
        break;
    default:
        snprintf(out, cap, "%s%s%s", dbs_verdict_names[c->verdict], c->note[0] ? ": " : "",
                 c->note);
        break;
    }
}

int dbs_report_verdicts(struct dbs_run *const *runs, unsigned n, enum dbs_format format,
                        struct dbs_known *known, FILE *out)
{
    static void (*const writers[])(const struct dbs_verdicts *, FILE *) = {
        [DBS_FORMAT_JSON] = dbs_verdicts_json,
        [DBS_FORMAT_TAP] = dbs_verdicts_tap,
        [DBS_FORMAT_JUNIT] = dbs_verdicts_junit,
    };
    struct dbs_verdicts v = {calloc(n + 1, sizeof(*v.runs)), 0, known, {0}, DBS_PASS};
    unsigned i, k;
    int rc = 0;

    for (i = 0; v.runs && i < n; i++, v.nruns++) {
        if (dbs_run_results(&v.runs[i], runs[i], known))
            break;
        for (k = 0; k < DBS_OUTCOMES; k++)
            v.outcomes[k] += v.runs[i].outcomes[k];
    }
    if (v.nruns < n) {
        fprintf(stderr, "dbsweep-report verdicts: out of memory\n");
        rc = 2;
    } else {
        v.outcome = v.outcomes[DBS_FAIL] ? DBS_FAIL : DBS_PASS;
        writers[format](&v, out);
        rc = v.outcomes[DBS_FAIL] ? 1 : 0;
    }
    for (i = 0; i < v.nruns; i++)
        dbs_run_results_free(&v.runs[i]);
    free(v.runs);
    return rc;
}
