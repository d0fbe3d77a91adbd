/* dbsweep-report verdicts: one result per case and per group of every run,
 * and a "complete" test per run, as KTAP, JUnit XML or JSON. Exit 1 for a
 * failure the known list does not expect and for an incomplete run (unless
 * --allow-incomplete); a listed case that matches (XPASS) is reported, and
 * fails only under --strict. */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "runs.h"
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

    switch (c->outcome) {
    case DBS_PASS:
        out[0] = 0;
        break;
    case DBS_FAIL:
        if (e) { /* a listed case fails only by matching, under --strict */
            snprintf(out, cap, "unexpectedly passing (fails with --strict): listed in %s:%u "
                     "(%s) but matches", e->path, e->line, e->glob);
            break;
        }
        if (c->crashed) {
            snprintf(out, cap, "crashed: the machine went down in this case");
            break;
        }
        /* at most 1023 characters of each, as ever */
        snprintf(out, cap, "mismatch: observed %.1023s; expected %.1023s", c->observed,
                 c->expected);
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

enum dbs_outcome dbs_complete_test(const struct dbs_verdicts *v,
                                   const struct dbs_run_result *res, char *why, size_t cap)
{
    const struct dbs_run *r = res->run;
    const char *selected = dbs_run_meta(r, "cases");
    unsigned n = res->ncases;

    why[0] = 0;
    if (r->complete)
        return DBS_PASS;
    snprintf(why, cap, "%s is incomplete: no '# status: complete' last line, the run stopped "
             "after %u of %s cases%s%s%s", r->path, n, selected ? selected : "?",
             n ? " (the last: " : "", n ? res->cases[n - 1].name : "", n ? ")" : "");
    if (v->options->allow_incomplete)
        snprintf(why + strlen(why), cap - strlen(why), "; allowed by --allow-incomplete");
    return v->options->allow_incomplete ? DBS_XFAIL : DBS_FAIL;
}

enum dbs_outcome dbs_run_outcome(const struct dbs_verdicts *v, const struct dbs_run_result *res)
{
    return res->run->complete || v->options->allow_incomplete ? res->outcome : DBS_FAIL;
}

void dbs_run_name(const struct dbs_verdicts *v, unsigned k, char *out, size_t cap)
{
    const struct dbs_run *r = v->runs[k].run;
    const char *label = dbs_meta_or_empty(r, "label");
    char machine[96];
    unsigned i, same = 0;

    for (i = 0; i < k; i++)
        same += !strcmp(v->runs[i].run->path, r->path);
    dbs_machine_label(r, machine, sizeof(machine));
    snprintf(out, cap, "%s (%s%s%s)", r->path, machine, label[0] ? ", label " : "", label);
    if (same)
        snprintf(out + strlen(out), cap - strlen(out), " #%u", same + 1);
}

/* --strict: an XPASS is a failure, counted as one, and fails its group. */
static void strict(struct dbs_run_result *res)
{
    unsigned i;

    for (i = 0; i < res->ncases; i++) {
        struct dbs_case_result *c = &res->cases[i];
        struct dbs_group_result *gr = &res->groups[c->group];

        if (c->outcome != DBS_XPASS)
            continue;
        c->outcome = DBS_FAIL;
        gr->outcomes[DBS_XPASS]--;
        gr->outcomes[DBS_FAIL]++;
        gr->outcome = DBS_FAIL;
        res->outcomes[DBS_XPASS]--;
        res->outcomes[DBS_FAIL]++;
        res->outcome = DBS_FAIL;
    }
}

static int add(void *res, const struct dbs_case_rows *c)
{
    return dbs_run_results_add(res, c);
}

/* Every file is read and judged before the first byte is written: JSON
 * and JUnit open with the totals. What stays per file is its metadata and
 * a small result per case. */
int dbs_report_verdicts(const struct dbs_runs *runs, const struct dbs_verdicts_options *options,
                        struct dbs_known *known, FILE *out)
{
    static void (*const writers[])(const struct dbs_verdicts *, FILE *) = {
        [DBS_FORMAT_JSON] = dbs_verdicts_json,
        [DBS_FORMAT_TAP] = dbs_verdicts_tap,
        [DBS_FORMAT_JUNIT] = dbs_verdicts_junit,
    };
    unsigned n = runs->n, i, k;
    struct dbs_verdicts v = {calloc(n + 1, sizeof(*v.runs)), 0, known, options, {0}, {0},
                             DBS_PASS};
    struct dbs_run *store = calloc(n + 1, sizeof(*store));
    struct dbs_strtab str = {0};
    char err[512] = "";
    int rc = 0;
    char why[512];

    for (i = 0; v.runs && store && i < n; i++, v.nruns++) {
        const struct dbs_run *r;

        dbs_run_results_begin(&v.runs[i], NULL, known, &str,
                              options->format == DBS_FORMAT_JSON ? DBS_TEXTS_ALL
                                                                 : DBS_TEXTS_FAILED);
        if (dbs_runs_read(runs, i, &store[i], &r, add, &v.runs[i], err, sizeof(err)) ||
            dbs_run_results_end(&v.runs[i])) {
            v.nruns++;
            break;
        }
        v.runs[i].run = r;
        if (options->strict)
            strict(&v.runs[i]);
        for (k = 0; k < DBS_OUTCOMES; k++)
            v.outcomes[k] += v.runs[i].outcomes[k];
        v.complete[dbs_complete_test(&v, &v.runs[i], why, sizeof(why))]++;
        if (!r->complete) /* CI logs show stderr: say it there too */
            fprintf(stderr, "dbsweep-report verdicts: %s\n", why);
    }
    if (err[0]) {
        fprintf(stderr, "dbsweep-report: %s\n", err);
        rc = 2;
    } else if (i < n) {
        fprintf(stderr, "dbsweep-report verdicts: out of memory\n");
        rc = 2;
    } else {
        rc = v.outcomes[DBS_FAIL] || v.complete[DBS_FAIL];
        v.outcome = rc ? DBS_FAIL : DBS_PASS;
        writers[options->format](&v, out);
    }
    for (i = 0; i < v.nruns; i++) {
        dbs_run_results_free(&v.runs[i]);
        dbs_run_free(&store[i]);
    }
    dbs_strtab_free(&str);
    free(v.runs);
    free(store);
    return rc;
}
