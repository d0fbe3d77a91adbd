/* verdicts --format json: one object for scripts. Layout (docs in the man
 * page): {format_version, tool, model, known: [files], result, counts,
 * runs: [{file, name, machine, complete, completeness: {result, reason},
 * metadata, result, counts, groups: [{name, result, counts}], cases: [{name,
 * group, result, verdict, observed, expected, note, reason, known: {glob,
 * file, line, why} or null}]}]}. Counts, line numbers and the numeric
 * metadata are JSON numbers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dbs_model.h"
#include "escape.h"
#include "events.h"
#include "verdicts.h"
#include "version.h"

#define TEXT_MAX 2600

/* Raised when a member is removed or changes meaning (1: the unversioned
 * output before completeness and numeric metadata). */
#define FORMAT_VERSION 2

static const char *const meta_keys[] = {"cpu_vendor", "cpu_family", "cpu_model", "cpu_stepping",
                                        "cpu_brand",  "microcode",  "hypervisor", "label",
                                        "model",      "model_vendor", "tool",    "git",
                                        "uefi_time"};
/* Metadata that is a number: written as one when it parses as the app
 * writes it (decimal, or 0x hex for microcode), else as the string. */
static const char *const number_keys[] = {"cpu_family", "cpu_model", "cpu_stepping",
                                          "microcode"};

/* "key":"value" with a leading comma unless first */
static void member(FILE *out, int first, const char *key, const char *value)
{
    fputs(first ? "" : ",", out);
    dbs_put_json_string(out, key);
    fputc(':', out);
    if (value)
        dbs_put_json_string(out, value);
    else
        fputs("null", out);
}

/* ,"result":"...","counts":{"pass":N,...} */
static void result(FILE *out, enum dbs_outcome outcome, const unsigned *o)
{
    unsigned k;

    member(out, 0, "result", dbs_outcome_names[outcome]);
    fputs(",\"counts\":{", out);
    for (k = 0; k < DBS_OUTCOMES; k++)
        fprintf(out, "%s\"%s\":%u", k ? "," : "", dbs_outcome_names[k], o[k]);
    fputc('}', out);
}

/* A decimal (no sign, no leading zero) or 0x hex number; 0, or -1. */
static int parse_number(const char *s, unsigned long long *n)
{
    char *end;

    if (s[0] == '0' && s[1] == 'x')
        return dbs_parse_hex(s, n);
    if (s[0] < '0' || s[0] > '9' || (s[0] == '0' && s[1]))
        return -1;
    errno = 0;
    *n = strtoull(s, &end, 10);
    return *end || errno ? -1 : 0;
}

/* "key":N for a numeric key whose value parses, else as member(). */
static void meta_member(FILE *out, int first, const char *key, const char *value)
{
    unsigned long long n;
    unsigned i;

    for (i = 0; value && i < sizeof(number_keys) / sizeof(number_keys[0]); i++)
        if (!strcmp(key, number_keys[i]) && !parse_number(value, &n) &&
            n < 1ull << 53) { /* exact in every JSON reader's doubles */
            fprintf(out, "%s\"%s\":%llu", first ? "" : ",", key, n);
            return;
        }
    member(out, first, key, value);
}

static void put_case(const struct dbs_verdicts *v, const struct dbs_run_result *res,
                     const struct dbs_case_result *c, FILE *out)
{
    char text[TEXT_MAX];

    member(out, 1, "name", c->name);
    member(out, 0, "group", res->groups[c->group].name);
    member(out, 0, "result", dbs_outcome_names[c->outcome]);
    member(out, 0, "verdict", c->crashed ? "crashed" : dbs_verdict_names[c->verdict]);
    member(out, 0, "observed", c->observed);
    member(out, 0, "expected", c->expected);
    member(out, 0, "note", c->note);
    dbs_case_reason(v, c, text, sizeof(text));
    member(out, 0, "reason", text);
    fputs(",\"known\":", out);
    if (c->known < 0) {
        fputs("null", out);
    } else { /* the list's entry: where it is and why */
        const struct dbs_known_entry *e = &v->known->entries[c->known];
        fputc('{', out);
        member(out, 1, "glob", e->glob);
        member(out, 0, "file", e->path);
        fprintf(out, ",\"line\":%u", e->line);
        member(out, 0, "why", e->why);
        fputc('}', out);
    }
}

/* ,{...} or {...} for run k: one element of "runs" */
static void put_run(const struct dbs_verdicts *v, unsigned k, FILE *out)
{
    const struct dbs_run_result *res = &v->runs[k];
    const struct dbs_run *r = res->run;
    char label[96], text[700];
    unsigned i;
    enum dbs_outcome complete;

    dbs_machine_label(r, label, sizeof(label));
    fputs(k ? ",\n{" : "\n{", out);
    member(out, 1, "file", r->path);
    dbs_run_name(v, k, text, sizeof(text));
    member(out, 0, "name", text);
    member(out, 0, "machine", label);
    fprintf(out, ",\"complete\":%s,\"completeness\":{", r->complete ? "true" : "false");
    complete = dbs_complete_test(v, res, text, sizeof(text));
    member(out, 1, "result", dbs_outcome_names[complete]);
    member(out, 0, "reason", text);
    fputs("},\"metadata\":{", out);
    for (i = 0; i < sizeof(meta_keys) / sizeof(meta_keys[0]); i++)
        meta_member(out, !i, meta_keys[i], dbs_run_meta(r, meta_keys[i]));
    fputc('}', out);
    result(out, dbs_run_outcome(v, res), res->outcomes);
    fputs(",\"groups\":[", out);
    for (i = 0; i < res->ngroups; i++) {
        fputs(i ? ",\n{" : "\n{", out);
        member(out, 1, "name", res->groups[i].name);
        result(out, res->groups[i].outcome, res->groups[i].outcomes);
        fputc('}', out);
    }
    fputs("],\"cases\":[", out);
    for (i = 0; i < res->ncases; i++) {
        fputs(i ? ",\n{" : "\n{", out);
        put_case(v, res, &res->cases[i], out);
        fputc('}', out);
    }
    fputs("]}", out);
}

void dbs_verdicts_json(const struct dbs_verdicts *v, FILE *out)
{
    unsigned k;

    fprintf(out, "{\"format_version\":%d", FORMAT_VERSION);
    member(out, 0, "tool", "dbsweep-report " DBS_VERSION);
    member(out, 0, "model", DBS_MODEL_NAME);
    fputs(",\"known\":[", out); /* the lists' files */
    for (k = 0; v->known && k < v->known->nfiles; k++) {
        fputs(k ? "," : "", out);
        dbs_put_json_string(out, v->known->paths[k]);
    }
    fputc(']', out);
    result(out, v->outcome, v->outcomes);
    fputs(",\"runs\":[", out);
    dbs_verdicts_put_runs(v, put_run, out);
    fputs("]}\n", out);
}
