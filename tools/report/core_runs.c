/* The cores of one run, compared in events with the first file given:
 * interned texts compare by pointer, and a case is found in the first
 * file by its name's index in the shared string table. */
#include <stdlib.h>
#include <string.h>

#include "core_runs.h"
#include "cores.h"
#include "grow.h"
#include "wrap.h"

static struct dbs_core_run *run_of(const struct dbs_core_runs *cs, const struct dbs_run *r)
{
    unsigned i;

    for (i = 0; i < cs->n; i++)
        if (dbs_same_run(cs->runs[i]->run, r))
            return cs->runs[i];
    return NULL;
}

/* A run's first file: its metadata and its events per case. */
static struct dbs_core_run *new_run(struct dbs_core_runs *cs, const struct dbs_run_result *res,
                                    struct dbs_run *store, struct dbs_strtab *str)
{
    struct dbs_core_run *cr = calloc(1, sizeof(*cr));
    unsigned i, idx;

    if (!cr || dbs_grow(&cs->runs, cs->n, &cs->cap, sizeof(*cs->runs), 8)) {
        free(cr);
        return NULL;
    }
    cs->runs[cs->n++] = cr;
    cr->run = res->run;
    if (res->run == store) { /* streamed: its metadata goes when store is freed */
        cr->own = *store;
        memset(store, 0, sizeof(*store));
        cr->run = &cr->own;
    }
    cr->nevents = str->n;
    cr->events = calloc(str->n + 1, sizeof(*cr->events));
    for (i = 0; cr->events && i < res->ncases; i++) {
        if (dbs_intern(str, res->cases[i].name, &idx))
            return NULL;
        cr->events[idx] = res->cases[i].observed;
    }
    return cr->events ? cr : NULL;
}

int dbs_core_runs_add(struct dbs_core_runs *cs, const struct dbs_run_result *res,
                      struct dbs_run *store, struct dbs_strtab *str)
{
    const char *status = dbs_run_meta(res->run, "status");
    const char *hung = dbs_run_meta(res->run, "timeout_case");
    struct dbs_core_file f = {.complete = res->run->complete, .ncases = res->ncases};
    struct dbs_core_run *cr = run_of(cs, res->run);
    unsigned i, idx;

    /* before new_run takes the metadata out of store */
    dbs_core_label(res->run, f.label, sizeof(f.label));
    snprintf(f.status, sizeof(f.status), "%s", status ? status : "");
    if (hung && !(f.timeout_case = dbs_intern_str(str, hung)))
        return -1;
    if (!cr && !(cr = new_run(cs, res, store, str)))
        return -1;
    for (i = 0; i < res->ncases; i++) {
        const struct dbs_case_result *c = &res->cases[i];

        if (dbs_intern(str, c->name, &idx))
            return -1;
        if (idx >= cr->nevents || !cr->events[idx])
            continue; /* a case the first file lacks */
        f.compared++;
        if (c->observed != cr->events[idx] && f.differ++ < DBS_CORE_NAMES_SHOWN)
            f.first[f.differ - 1] = c->name;
    }
    if (dbs_grow(&cr->files, cr->n, &cr->cap, sizeof(*cr->files), 8))
        return -1;
    cr->files[cr->n++] = f;
    return 0;
}

/* 1 when f is complete and saw what the first file saw in every case. */
static int agrees(const struct dbs_core_file *f, const struct dbs_core_file *first)
{
    return f->complete && !f->differ && f->compared == f->ncases &&
           f->compared == first->ncases;
}

/* "cpu 2 (atom): 1 of 54 cases differ: kut.x" and what is missing. */
static void put_file(FILE *out, const struct dbs_core_file *f, const struct dbs_core_file *first)
{
    char label[80], text[(DBS_CORE_NAMES_SHOWN + 1) * (DBS_CASE_MAX_NAME + 2) + 512];
    size_t n = 0;
    unsigned i;

    snprintf(label, sizeof(label), "  %s: ", f->label);
    if (!f->complete)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "INCOMPLETE (%s%s%s%.*s), ",
                              f->status[0] ? "status " : "no '# status: complete'", f->status,
                              f->timeout_case ? " in " : "", DBS_CASE_MAX_NAME,
                              f->timeout_case ? f->timeout_case : "");
    n += (size_t)snprintf(text + n, sizeof(text) - n, "%u of %u cases compared differ%s",
                          f->differ, f->compared, f->differ ? ": " : "");
    for (i = 0; i < f->differ && i < DBS_CORE_NAMES_SHOWN; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s", i ? ", " : "", f->first[i]);
    if (f->differ > DBS_CORE_NAMES_SHOWN)
        n += (size_t)snprintf(text + n, sizeof(text) - n, ", ...");
    if (first->ncases > f->compared)
        n += (size_t)snprintf(text + n, sizeof(text) - n, ", %u of %s's cases not run",
                              first->ncases - f->compared, first->label);
    if (f->ncases > f->compared)
        snprintf(text + n, sizeof(text) - n, ", %u cases %s lacks", f->ncases - f->compared,
                 first->label);
    dbs_wrapped(out, label, text);
}

int dbs_core_runs_put(const struct dbs_core_runs *cs, FILE *out)
{
    unsigned i, k;
    int finding = 0;

    for (i = 0; i < cs->n; i++) {
        const struct dbs_core_run *cr = cs->runs[i];
        const struct dbs_core_file *first = &cr->files[0];
        char agree[1024] = "";
        size_t n = 0;
        const char *start = dbs_run_meta(cr->run, "uefi_time");

        if (cr->n < 2)
            continue;
        fprintf(out, "\ncores:    %u files of one run (cores=%s%s%s), in events against\n"
                     "          %s%s, the first given:\n",
                cr->n, dbs_run_meta(cr->run, "cores"), start ? ", started " : "",
                start ? start : "", first->label, first->complete ? "" : " (INCOMPLETE)");
        for (k = 1; k < cr->n; k++)
            if (agrees(&cr->files[k], first)) {
                n = dbs_append(agree, sizeof(agree), n, n ? ", " : "");
                n = dbs_append(agree, sizeof(agree), n, cr->files[k].label);
            }
        if (agree[0])
            dbs_wrapped(out, "  agree: ", agree);
        for (k = 1; k < cr->n; k++)
            if (!agrees(&cr->files[k], first)) {
                put_file(out, &cr->files[k], first);
                finding = 1;
            }
    }
    return finding;
}

void dbs_core_runs_free(struct dbs_core_runs *cs)
{
    unsigned i;

    for (i = 0; i < cs->n; i++) {
        dbs_run_free(&cs->runs[i]->own);
        free(cs->runs[i]->events);
        free(cs->runs[i]->files);
        free(cs->runs[i]);
    }
    free(cs->runs);
    memset(cs, 0, sizeof(*cs));
}
