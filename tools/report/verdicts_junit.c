/* verdicts --format junit: JUnit XML as GitLab and Jenkins read it. A
 * <testsuite> per file and group (its counts are the group's result), a
 * <testcase> per case: a failure is <failure>, an expected failure and a
 * case without an expectation <skipped>, an unexpected pass passes with
 * the note in <system-out>. */
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

static void put_case(const struct dbs_verdicts *v, const struct dbs_run_result *res,
                     const struct dbs_case_result *c, const char *classname, FILE *out)
{
    char reason[REASON_MAX];

    dbs_case_reason(v, c, reason, sizeof(reason));
    fputs("    <testcase", out);
    attr(out, "classname", classname);
    attr(out, "name", res->run->rows[c->rows.first].f[DBS_COL_CASE]);
    if (c->outcome == DBS_PASS) {
        fputs("/>\n", out);
        return;
    }
    fputs(">\n      ", out);
    if (c->outcome == DBS_FAIL) {
        fputs("<failure", out);
        attr(out, "type", c->crashed ? "crashed" : "mismatch");
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

static void put_suite(const struct dbs_verdicts *v, const struct dbs_run_result *res,
                      const struct dbs_group_result *gr, FILE *out)
{
    const char *base = dbs_base_name(res->run->path);
    char name[512], label[96];
    unsigned i;

    dbs_machine_label(res->run, label, sizeof(label));
    snprintf(name, sizeof(name), "%s: %s", base, gr->name);
    fputs("  <testsuite", out);
    attr(out, "name", name);
    attr(out, "hostname", label);
    fprintf(out, " tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\">\n", gr->n,
            gr->outcomes[DBS_FAIL], gr->outcomes[DBS_XFAIL] + gr->outcomes[DBS_SKIP]);
    put_properties(out, res->run);
    /* Jenkins splits classnames at dots: file.group keeps one level per file */
    snprintf(name, sizeof(name), "%.*s.%s", (int)strcspn(base, "."), base, gr->name);
    for (i = 0; i < gr->n; i++)
        put_case(v, res, &res->cases[res->order[gr->first + i]], name, out);
    fputs("  </testsuite>\n", out);
}

void dbs_verdicts_junit(const struct dbs_verdicts *v, FILE *out)
{
    const unsigned *o = v->outcomes;
    unsigned k, g;

    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dbsweep\" "
                 "tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\">\n",
            o[DBS_PASS] + o[DBS_FAIL] + o[DBS_XFAIL] + o[DBS_XPASS] + o[DBS_SKIP], o[DBS_FAIL],
            o[DBS_XFAIL] + o[DBS_SKIP]);
    for (k = 0; k < v->nruns; k++)
        for (g = 0; g < v->runs[k].ngroups; g++)
            put_suite(v, &v->runs[k], &v->runs[k].groups[g], out);
    fputs("</testsuites>\n", out);
}
