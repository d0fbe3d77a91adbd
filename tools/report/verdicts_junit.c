/* verdicts --format junit: JUnit XML as GitLab and Jenkins read it. A
 * <testsuite> per file and group (its counts are the group's result), a
 * <testcase> per case: a failure is <failure>, an expected failure and a
 * case without an expectation <skipped>, an unexpected pass passes with
 * the note in <system-out> (fails, under --strict). Then per file a suite
 * "run" with the test "complete". Suite and class names carry the file's
 * path and machine, so two run.csv of two directories stay apart; the
 * timestamp is the run's UEFI time, and the "run" suite's time how long the
 * run took (uefi_time_end - uefi_time, whole seconds; left out where the CSV
 * does not record the end). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "events.h"
#include "verdicts.h"

#define REASON_MAX 2600

/* The metadata a reader of a failed CI job asks for first. */
static const char *const props[] = {"cpu_vendor", "cpu_family",  "cpu_model",
                                    "cpu_stepping", "cpu_brand", "microcode",
                                    "hypervisor", "label",       "model",
                                    "model_vendor", "tool",      "git"};

static void attr(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    dbs_put_xml_text(out, value);
    fputc('"', out);
}

static void put_properties(FILE *out, const struct dbs_run *r)
{
    unsigned i;

    fputs("    <properties>\n      <property name=\"file\"", out);
    attr(out, "value", r->path);
    fprintf(out, "/>\n      <property name=\"complete\" value=\"%s\"/>\n",
            r->complete ? "yes" : "no");
    for (i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
        fprintf(out, "      <property name=\"%s\"", props[i]);
        attr(out, "value", dbs_meta_or_empty(r, props[i]));
        fputs("/>\n", out);
    }
    fputs("    </properties>\n", out);
}

static void put_case(const struct dbs_verdicts *v, const struct dbs_case_result *c,
                     const char *classname, FILE *out)
{
    char reason[REASON_MAX];

    dbs_case_reason(v, c, reason, sizeof(reason));
    fputs("    <testcase", out);
    attr(out, "classname", classname);
    attr(out, "name", c->name);
    if (c->outcome == DBS_PASS) {
        fputs("/>\n", out);
        return;
    }
    fputs(">\n      ", out);
    if (c->outcome == DBS_FAIL) {
        fputs("<failure", out);
        attr(out, "type", c->known >= 0 ? "xpass" : c->crashed ? "crashed" : "mismatch");
        attr(out, "message", reason);
        fputs(">", out);
        dbs_put_xml_text(out, reason);
        fputs("</failure>", out);
    } else if (c->outcome == DBS_XPASS) {
        fputs("<system-out>", out);
        dbs_put_xml_text(out, reason);
        fputs("</system-out>", out);
    } else {
        fputs("<skipped", out);
        attr(out, "message", reason);
        fputs("/>", out);
    }
    fputs("\n    </testcase>\n", out);
}

/* A metadata time when it is an ISO 8601 date and time as JUnit's
 * timestamp wants it (yyyy-mm-ddThh:mm:ss); "" when absent or malformed. */
static const char *iso_time(const struct dbs_run *r, const char *key)
{
    static const char pattern[] = "dddd-dd-ddTdd:dd:dd";
    const char *t = dbs_meta_or_empty(r, key);
    unsigned i;

    for (i = 0; i < sizeof(pattern) - 1; i++)
        if (pattern[i] == 'd' ? t[i] < '0' || t[i] > '9' : t[i] != pattern[i])
            return "";
    return t[i] ? "" : t;
}

static const char *timestamp(const struct dbs_run *r)
{
    return iso_time(r, "uefi_time");
}

/* Seconds since 1970 of a checked iso_time() (days from the civil date,
 * proleptic Gregorian). */
static long long epoch_seconds(const char *t)
{
    int y = atoi(t), m = atoi(t + 5), d = atoi(t + 8);
    long long era, yoe, doy;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return ((era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468) * 24 + atoi(t + 11)) *
               3600 + atoi(t + 14) * 60 + atoi(t + 17);
}

/* How long the run took, in seconds; -1 when the CSV does not say (no
 * uefi_time_end: older CSVs, or a clock that went back). */
static long long run_seconds(const struct dbs_run *r)
{
    const char *start = timestamp(r), *end = iso_time(r, "uefi_time_end");
    long long s;

    if (!start[0] || !end[0])
        return -1;
    s = epoch_seconds(end) - epoch_seconds(start);
    return s >= 0 ? s : -1;
}

/* <testsuite name="NAME: what" hostname timestamp tests failures ...> */
static void open_suite(FILE *out, const struct dbs_verdicts *v, unsigned k, const char *what,
                       unsigned tests, unsigned failures, unsigned skipped, long long seconds)
{
    const struct dbs_run *r = v->runs[k].run;
    char name[700], label[96];

    dbs_run_name(v, k, name, sizeof(name));
    snprintf(name + strlen(name), sizeof(name) - strlen(name), ": %s", what);
    dbs_machine_label(r, label, sizeof(label));
    fputs("  <testsuite", out);
    attr(out, "name", name);
    attr(out, "hostname", label);
    if (timestamp(r)[0])
        attr(out, "timestamp", timestamp(r));
    if (seconds >= 0)
        fprintf(out, " time=\"%lld\"", seconds);
    fprintf(out, " tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\">\n", tests,
            failures, skipped);
    put_properties(out, r);
}

/* Jenkins splits classnames at dots into packages: the run's name with its
 * dots made '_', a dot, then what. */
static void class_name(const struct dbs_verdicts *v, unsigned k, const char *what, char *out,
                       size_t cap)
{
    char *p;

    dbs_run_name(v, k, out, cap);
    for (p = out; *p; p++)
        if (*p == '.')
            *p = '_';
    snprintf(p, cap - (size_t)(p - out), ".%s", what);
}

static void put_suite(const struct dbs_verdicts *v, unsigned k, const struct dbs_group_result *gr,
                      FILE *out)
{
    const struct dbs_run_result *res = &v->runs[k];
    char name[700];
    unsigned i;

    open_suite(out, v, k, gr->name, gr->n, gr->outcomes[DBS_FAIL],
               gr->outcomes[DBS_XFAIL] + gr->outcomes[DBS_SKIP], -1);
    class_name(v, k, gr->name, name, sizeof(name));
    for (i = 0; i < gr->n; i++)
        put_case(v, &res->cases[res->order[gr->first + i]], name, out);
    fputs("  </testsuite>\n", out);
}

/* The suite "run" and its test "complete": the file ends in '# status:
 * complete', or the run died (a failure, skipped with --allow-incomplete). */
static void put_complete(const struct dbs_verdicts *v, unsigned k, FILE *out)
{
    char why[512], name[700];
    enum dbs_outcome o = dbs_complete_test(v, &v->runs[k], why, sizeof(why));

    open_suite(out, v, k, "run", 1, o == DBS_FAIL, o == DBS_XFAIL, run_seconds(v->runs[k].run));
    class_name(v, k, "run", name, sizeof(name));
    fputs("    <testcase", out);
    attr(out, "classname", name);
    attr(out, "name", "complete");
    if (o == DBS_PASS) {
        fputs("/>\n  </testsuite>\n", out);
        return;
    }
    fputs(o == DBS_FAIL ? ">\n      <failure type=\"incomplete\"" : ">\n      <skipped", out);
    attr(out, "message", why);
    fputs(o == DBS_FAIL ? ">" : "/>", out);
    if (o == DBS_FAIL) {
        dbs_put_xml_text(out, why);
        fputs("</failure>", out);
    }
    fputs("\n    </testcase>\n  </testsuite>\n", out);
}

/* Run k: a suite per group, then "run" */
static void put_run(const struct dbs_verdicts *v, unsigned k, FILE *out)
{
    unsigned g;

    for (g = 0; g < v->runs[k].ngroups; g++)
        put_suite(v, k, &v->runs[k].groups[g], out);
    put_complete(v, k, out);
}

void dbs_verdicts_junit(const struct dbs_verdicts *v, FILE *out)
{
    const unsigned *o = v->outcomes, *c = v->complete;

    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dbsweep\" "
                 "tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\">\n",
            o[DBS_PASS] + o[DBS_FAIL] + o[DBS_XFAIL] + o[DBS_XPASS] + o[DBS_SKIP] + v->nruns,
            o[DBS_FAIL] + c[DBS_FAIL], o[DBS_XFAIL] + o[DBS_SKIP] + c[DBS_XFAIL]);
    dbs_verdicts_put_runs(v, put_run, out);
    fputs("</testsuites>\n", out);
}
