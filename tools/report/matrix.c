/* The matrix page: the union of the runs' cases down, one column per run,
 * cells coloured by verdict. The data goes into the page once, as JSON with
 * every text interned; inline JS renders the table and applies the filters,
 * so the page works offline and stays fast with thousands of cases. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "events.h"
#include "matrix.h"
#include "runs.h"
#include "strtab.h"
#include "grow.h"

#define TEXT_MAX 4096 /* one repetition's events: up to 32 of ~40 characters */
#define NO_GROUP UINT_MAX

/* The JS knows them by index: keep both lists in this order. */
static const char *const verdicts[] = {"match", "mismatch", "undefined", "none"};

enum { DIFF_NONE, DIFF_EVENTS, DIFF_VERDICT }; /* the JS knows them by number */

/* What one run says about one case; the text fields index the string table. */
struct cell {
    unsigned verdict; /* index into verdicts[] */
    unsigned agree;
    unsigned events, expected, dr6, bps, bytes, tf, note;
};

/* The distinct cells: many runs say the same about a case, and a run's
 * column keeps only an index into this table. */
struct cells {
    struct cell *c;
    unsigned n, cap;
    unsigned *slot; /* open addressing: index + 1, 0 when free */
    unsigned nslot; /* a power of two, more than twice n */
};

/* One run's column: per row, its cell's index + 1, or 0 when the run lacks
 * the case (rows first seen after the run was read are beyond n). */
struct column {
    unsigned *cell;
    unsigned n;
};

struct matrix {
    struct dbs_strtab str;   /* every text the page shows */
    struct dbs_strtab names; /* case names: the index is the row, in first-seen order */
    unsigned *group;         /* per row: its group's index in str */
    unsigned group_cap;
    struct cells cells;
    struct column *cols;     /* one per run */
    struct dbs_run *runs;    /* the runs' metadata */
    unsigned nruns;
    unsigned reading;        /* the run being read */
};

static unsigned cell_hash(const struct cell *c)
{
    const unsigned *w = (const unsigned *)c;
    unsigned h = 2166136261u, i;

    for (i = 0; i < sizeof(*c) / sizeof(*w); i++)
        h = (h ^ w[i]) * 16777619u;
    return h;
}

static unsigned *cell_slot(const struct cells *t, const struct cell *c)
{
    unsigned i = cell_hash(c) & (t->nslot - 1);

    while (t->slot[i] && memcmp(&t->c[t->slot[i] - 1], c, sizeof(*c)))
        i = (i + 1) & (t->nslot - 1);
    return &t->slot[i];
}

/* Index + 1 of an equal cell, adding it when new; 0 when out of memory. */
static unsigned cell_intern(struct cells *t, const struct cell *c)
{
    unsigned *slot, i;

    if (2 * (t->n + 1) >= t->nslot) {
        unsigned n = t->nslot ? 2 * t->nslot : 1024, *grown = calloc(n, sizeof(*grown));
        if (!grown)
            return 0;
        free(t->slot);
        t->slot = grown;
        t->nslot = n;
        for (i = 0; i < t->n; i++)
            *cell_slot(t, &t->c[i]) = i + 1;
    }
    slot = cell_slot(t, c);
    if (!*slot) {
        if (dbs_grow(&t->c, t->n, &t->cap, sizeof(*t->c), 1024))
            return 0;
        t->c[t->n] = *c;
        *slot = ++t->n;
    }
    return *slot;
}

static unsigned verdict_index(const char *v)
{
    unsigned i;

    for (i = 0; i < 3 && strcmp(verdicts[i], v); i++)
        ;
    return i; /* "none" for anything unknown */
}

/* Raw DR6 of repetition 0's events, in the order of dbs_events_text(). */
static void raw_dr6(const struct dbs_case_rows *c, char *out, size_t cap)
{
    unsigned i;
    size_t n = 0;

    out[0] = 0;
    for (i = c->first; i < c->end && n < cap; i++) {
        char **f = c->run->rows[i].f;
        if (dbs_rep0(f) && f[DBS_COL_VECTOR][0]) {
            if (n)
                n = dbs_append(out, cap, n, ", ");
            n = dbs_append(out, cap, n, f[DBS_COL_DR6][0] ? f[DBS_COL_DR6] : "unread");
        }
    }
}

static int fill_cell(struct matrix *m, struct cell *cell, const struct dbs_case_rows *c)
{
    char **f = c->run->rows[c->first].f, text[TEXT_MAX];
    const char *note = "";
    unsigned i;

    /* a case's first note says why it has no expectation or was skipped */
    for (i = c->first; i < c->end && !note[0]; i++)
        note = c->run->rows[i].f[DBS_COL_NOTE];
    cell->agree = (unsigned)dbs_case_agrees(c);
    cell->verdict = verdict_index(dbs_case_verdict(c));
    dbs_events_text(c, text, sizeof(text));
    if (dbs_intern(&m->str, text, &cell->events))
        return -1;
    dbs_expected_text(c, text, sizeof(text));
    if (dbs_intern(&m->str, text, &cell->expected))
        return -1;
    raw_dr6(c, text, sizeof(text));
    if (dbs_intern(&m->str, text, &cell->dr6) || dbs_intern(&m->str, f[DBS_COL_BPS], &cell->bps) ||
        dbs_intern(&m->str, f[DBS_COL_BYTES], &cell->bytes) ||
        dbs_intern(&m->str, f[DBS_COL_TF], &cell->tf) || dbs_intern(&m->str, note, &cell->note))
        return -1;
    return 0;
}

/* Grows a per-row array to rows entries, the new ones set to fill. */
static int grow_rows(unsigned **a, unsigned *cap, unsigned rows, unsigned fill)
{
    unsigned n = *cap ? *cap : 1024, *grown;

    if (rows <= *cap)
        return 0;
    while (n < rows)
        n *= 2;
    grown = realloc(*a, n * sizeof(*grown));
    if (!grown)
        return -1;
    for (; *cap < n; (*cap)++)
        grown[*cap] = fill;
    *a = grown;
    return 0;
}

/* A case of the run being read: its row (the union of the runs' cases, in
 * the order they are first seen) and its cell. */
static int add_case(void *ctx, const struct dbs_case_rows *c)
{
    struct matrix *m = ctx;
    struct column *col = &m->cols[m->reading];
    char **f = c->run->rows[c->first].f;
    struct cell cell;
    unsigned row;

    if (dbs_intern(&m->names, f[DBS_COL_CASE], &row) ||
        grow_rows(&m->group, &m->group_cap, m->names.n, NO_GROUP) ||
        grow_rows(&col->cell, &col->n, m->names.n, 0) || fill_cell(m, &cell, c))
        return -1;
    col->cell[row] = cell_intern(&m->cells, &cell);
    if (!col->cell[row])
        return -1;
    if (m->group[row] == NO_GROUP && dbs_intern(&m->str, f[DBS_COL_GROUP], &m->group[row]))
        return -1;
    return 0;
}

/* What a cell shows, as one number: equal keys, equal events and verdict. */
static unsigned long long cell_key(const struct cell *c)
{
    return (unsigned long long)c->events << 2 | c->verdict;
}

/* How often a value occurs in a row: a row has few distinct ones. */
struct tally {
    unsigned long long value;
    unsigned n, first; /* first: the first run with it */
};

static unsigned count(struct tally *t, unsigned *nt, unsigned long long value, unsigned k)
{
    unsigned i;

    for (i = 0; i < *nt && t[i].value != value; i++)
        ;
    if (i == *nt)
        t[(*nt)++] = (struct tally){value, 0, k};
    return i;
}

/* Marks the cells (row[k]: a cell, NULL when absent) that are not what
 * most runs of the row say: DIFF_EVENTS when their events differ from the
 * most common cell's, DIFF_VERDICT when only the verdict does (the same
 * events judged by other rules). With no single most common cell (e.g. two
 * runs that differ), every cell differs, by events if any other cell saw
 * other events. Counts distinct values: linear in the runs. */
static void mark_differs(const struct cell *const *row, unsigned nruns, unsigned char *differs,
                         struct tally *keys, struct tally *events)
{
    unsigned k, nkeys = 0, nevents = 0, present = 0, best = 0, ties = 0;

    for (k = 0; k < nruns; k++) {
        differs[k] = DIFF_NONE;
        if (!row[k])
            continue;
        present++;
        keys[count(keys, &nkeys, cell_key(row[k]), k)].n++;
        events[count(events, &nevents, row[k]->events, k)].n++;
    }
    /* the most common key, the first run's on a draw; a draw is a tie */
    for (k = 1; k < nkeys; k++)
        if (keys[k].n > keys[best].n)
            best = k;
    for (k = 0; k < nkeys; k++)
        ties += keys[k].n == keys[best].n;
    if (!nkeys || keys[best].n == present)
        return;
    for (k = 0; k < nruns; k++) {
        const struct cell *c = row[k];
        if (!c || (ties == 1 && cell_key(c) == keys[best].value))
            continue;
        differs[k] = DIFF_VERDICT;
        if (ties > 1) { /* with no majority: against every other cell */
            if (events[count(events, &nevents, c->events, k)].n < present)
                differs[k] = DIFF_EVENTS;
        } else if (row[keys[best].first]->events != c->events) {
            differs[k] = DIFF_EVENTS;
        }
    }
}

static void matrix_free(struct matrix *m)
{
    unsigned k;

    dbs_strtab_free(&m->str);
    dbs_strtab_free(&m->names);
    free(m->group);
    free(m->cells.c);
    free(m->cells.slot);
    for (k = 0; m->cols && k < m->nruns; k++)
        free(m->cols[k].cell);
    for (k = 0; m->runs && k < m->nruns; k++)
        dbs_run_free(&m->runs[k]);
    free(m->cols);
    free(m->runs);
}

#define TITLE_MAX 512
#define LEVELS 4

/* Candidate column titles, from the most telling to the surest to be
 * unique: the machine (with the run's label= option), the file's name, its
 * path, the path and its column number. */
static void title_at(const struct dbs_run *r, unsigned k, unsigned level, char *out, size_t cap)
{
    const char *base = strrchr(r->path, '/'), *label = dbs_run_meta(r, "label");
    char machine[96];

    dbs_machine_label(r, machine, sizeof(machine));
    if (level == 0)
        snprintf(out, cap, "%s%s%s", machine, label && label[0] ? " " : "", label ? label : "");
    else if (level == 1)
        snprintf(out, cap, "%s", base ? base + 1 : r->path);
    else if (level == 2)
        snprintf(out, cap, "%s", r->path);
    else
        snprintf(out, cap, "%s (%u)", r->path, k + 1);
}

/* Every run's title: the first candidate no other run shares at that
 * level, so columns never carry the same heading. titles[k] gets run k's;
 * cand holds every run's candidates, each computed once. */
static void column_titles(const struct matrix *m, char (*cand)[TITLE_MAX],
                          char (*titles)[TITLE_MAX])
{
    unsigned level, k, j, n = m->nruns;

    for (level = 0; level < LEVELS; level++)
        for (k = 0; k < n; k++)
            title_at(&m->runs[k], k, level, cand[level * n + k], TITLE_MAX);
    for (k = 0; k < n; k++)
        for (level = 0;; level++) {
            const char *t = cand[level * n + k];
            for (j = 0; j < n && (j == k || strcmp(t, cand[level * n + j])); j++)
                ;
            if (j == n || level == LEVELS - 1) {
                memcpy(titles[k], t, TITLE_MAX);
                break;
            }
        }
}

static void put_run(FILE *f, const struct dbs_run *r, const char *title)
{
    const char *base = strrchr(r->path, '/'), *brand = dbs_run_meta(r, "cpu_brand");
    char text[512];
    unsigned i;

    dbs_machine_label(r, text, sizeof(text));
    fputs("{\"label\":", f);
    dbs_put_json_string(f, text);
    fputs(",\"title\":", f);
    dbs_put_json_string(f, title);
    fputs(",\"file\":", f);
    dbs_put_json_string(f, base ? base + 1 : r->path);
    fputs(",\"brand\":", f);
    dbs_put_json_string(f, brand ? brand : "");
    fprintf(f, ",\"complete\":%d,\"meta\":[", r->complete);
    for (i = 0; i < r->nmeta; i++) {
        fputs(i ? ",[" : "[", f);
        dbs_put_json_string(f, r->meta_key[i]);
        fputc(',', f);
        dbs_put_json_string(f, r->meta_val[i]);
        fputc(']', f);
    }
    fputs("]}", f);
}

/* Scratch for put_case, nruns entries each. */
struct row_scratch {
    const struct cell **cells;
    unsigned char *differs;
    struct tally *keys, *events;
};

/* ",[a,b,...]": a cell of every run of every case, so written by hand;
 * fprintf's format parsing was a third of the matrix's writing. */
static void put_numbers(FILE *f, const unsigned *v, unsigned n)
{
    char buf[2 + 16 * 11 + 1], *p = buf, digits[10]; /* ",[" up to 16 "N," "]" */
    unsigned i, x, k;

    *p++ = ',';
    *p++ = '[';
    for (i = 0; i < n && i < 16; i++) {
        if (i)
            *p++ = ',';
        for (x = v[i], k = 0; !k || x; x /= 10)
            digits[k++] = (char)('0' + x % 10);
        while (k)
            *p++ = digits[--k];
    }
    *p++ = ']';
    fwrite(buf, 1, (size_t)(p - buf), f);
}

/* A case: [name, group, cell...]; a cell is 0 when the run lacks the case,
 * else [verdict, differs (DIFF_*), events, expected, dr6, bps, bytes, tf,
 * note, agree]. */
static void put_case(FILE *f, const struct matrix *m, unsigned row, struct row_scratch *s)
{
    unsigned k;

    for (k = 0; k < m->nruns; k++) {
        const struct column *col = &m->cols[k];
        unsigned i = row < col->n ? col->cell[row] : 0;
        s->cells[k] = i ? &m->cells.c[i - 1] : NULL;
    }
    mark_differs(s->cells, m->nruns, s->differs, s->keys, s->events);
    fputc('[', f);
    dbs_put_json_string(f, m->names.s[row]);
    fprintf(f, ",%u", m->group[row]);
    for (k = 0; k < m->nruns; k++) {
        const struct cell *c = s->cells[k];
        if (c) {
            const unsigned v[] = {c->verdict, s->differs[k], c->events, c->expected, c->dr6,
                                  c->bps,     c->bytes,      c->tf,     c->note,     c->agree};
            put_numbers(f, v, sizeof(v) / sizeof(v[0]));
        } else
            fputs(",0", f);
    }
    fputc(']', f);
}

static void put_json(FILE *f, const struct matrix *m, char (*titles)[TITLE_MAX],
                     struct row_scratch *s)
{
    unsigned i, n = m->nruns;

    column_titles(m, titles + n, titles);
    fputs("{\"runs\":[", f);
    for (i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        put_run(f, &m->runs[i], titles[i]);
    }
    fputs("],\n\"strings\":[", f);
    for (i = 0; i < m->str.n; i++) {
        if (i)
            fputc(',', f);
        dbs_put_json_string(f, m->str.s[i]);
    }
    fputs("],\n\"cases\":[", f);
    for (i = 0; i < m->names.n; i++) {
        fputs(i ? ",\n" : "\n", f);
        put_case(f, m, i, s);
    }
    fputs("]}", f);
}

/* The CSP forbids every fetch: the page must work from a mail attachment. */
static const char page_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
    "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
    "<title>dbsweep matrix</title>\n<style>\n"
    "*{box-sizing:border-box}\n"
    "html,body{height:100%;margin:0}\n"
    "body{display:flex;flex-direction:column;font:13px/1.35 system-ui,sans-serif;color:#222}\n"
    "header{display:flex;flex-wrap:wrap;align-items:center;gap:4px 18px;padding:6px 10px;"
    "background:#f3f3f3;border-bottom:1px solid #bbb}\n"
    "h1{font-size:16px;margin:0}\n"
    "main{flex:1;min-height:0;overflow:auto}\n"
    "#matrix{border-collapse:separate;border-spacing:0;table-layout:fixed;"
    "font:12px/1.4 ui-monospace,DejaVu Sans Mono,monospace}\n"
    "#matrix th,#matrix td{padding:2px 6px;border:solid #fff;border-width:0 1px 1px 0;"
    "white-space:nowrap;overflow:hidden;text-overflow:ellipsis}\n"
    "#matrix thead th{position:sticky;top:0;z-index:2;background:#ddd;text-align:left;"
    "vertical-align:bottom;font:600 12px/1.3 system-ui,sans-serif}\n"
    "#matrix thead th.name{left:0;z-index:3;width:340px}\n"
    "#matrix th.run{width:210px;cursor:pointer}\n"
    "#matrix th small{display:block;font-weight:normal;overflow:hidden;text-overflow:ellipsis}\n"
    "#matrix tbody th{position:sticky;left:0;z-index:1;background:#fafafa;text-align:left;"
    "font-weight:normal}\n"
    /* the verdict is a stripe and a pale tint; a difference between
     * machines is the one strong colour on the page */
    "#matrix tr.diff-row th{background:#ffe082;font-weight:bold}\n"
    "#matrix tr.diff-row th::before{content:'\\2260  '}\n"
    "tr.hidden{display:none}\n"
    "td.cell{cursor:pointer}\n"
    ".v-match{border-left:6px solid #43a047;background:#f2f9f2}\n"
    ".v-mismatch{border-left:6px solid #e53935;background:#fcefee}\n"
    ".v-undefined{border-left:6px solid #fb8c00;background:#fff6e8}\n"
    ".v-none{border-left:6px solid #9e9e9e;background:#f5f5f5;color:#555}\n"
    ".v-absent{border-left:6px solid #fff;background:#fff;color:#888;font-style:italic}\n"
    "td.v-mismatch::before{content:'\\2717  '}\n"
    "td.v-undefined::before{content:'?  '}\n"
    "#matrix td.differs{background:#ffc107;color:#000;font-weight:bold;"
    "box-shadow:inset 0 0 0 2px #7a5300}\n"
    ".ne{margin-right:4px}\n"
    ".key.differs{background:#ffc107;font-weight:bold;box-shadow:inset 0 0 0 2px #7a5300}\n"
    "td.sel{outline:2px solid #000;outline-offset:-1px}\n"
    ".key{padding:1px 6px;margin-right:4px;border-radius:2px}\n"
    ".count{padding:0 4px;margin-right:2px}\n"
    ".warn{color:#b00020;font-weight:bold}\n"
    "#details{max-height:38vh;overflow:auto;padding:6px 10px;border-top:2px solid #888;"
    "background:#fbfbfb}\n"
    "#details h2{font-size:14px;margin:2px 0 6px}\n"
    "#details dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 8px}\n"
    "#details dt{color:#555}\n"
    "#details dd{margin:0;font-family:ui-monospace,DejaVu Sans Mono,monospace;"
    "overflow-wrap:anywhere}\n"
    "#details table{border-collapse:collapse}\n"
    "#details td{padding:1px 8px;border-bottom:1px solid #ddd}\n"
    "#details tr.cur td{font-weight:bold}\n"
    "</style></head><body>\n"
    "<header><h1>dbsweep matrix</h1><span id=\"summary\"></span>\n"
    "<label><input type=\"checkbox\" id=\"differs\"> only cases that differ "
    "(events or verdict)</label>\n"
    "<label>group <select id=\"group\"><option value=\"\">all</option></select></label>\n"
    "<span><b id=\"shown\">0</b> of <span id=\"total\">0</span> cases shown</span>\n"
    "<span><span class=\"key v-match\">match</span><span class=\"key v-mismatch\">mismatch</span>"
    "<span class=\"key v-undefined\">undefined</span><span class=\"key v-none\">none</span>"
    "<span class=\"key v-absent\">absent</span>"
    "<span class=\"key differs\">\u2260 differs from the other machines</span></span></header>\n"
    "<main><table id=\"matrix\"><thead></thead><tbody></tbody></table></main>\n"
    "<aside id=\"details\">Click a cell for its details, a column heading for the machine's "
    "metadata.</aside>\n"
    "<script type=\"application/json\" id=\"data\">";

/* Everything the page shows passes esc(); filters live in location.hash so
 * the checkbox, the select and a test's URL share one code path. */
static const char page_script[] =
    "</script>\n<script>\n"
    "'use strict';\n"
    "const D = JSON.parse(document.getElementById('data').textContent);\n"
    "const V = ['match', 'mismatch', 'undefined', 'none'];\n"
    "const $ = id => document.getElementById(id);\n"
    "const esc = s => String(s).replace(/[&<>\"']/g, c => '&#' + c.charCodeAt(0) + ';');\n"
    "const S = D.strings, H = S.map(esc);\n"
    "const table = $('matrix'), rows = table.tBodies[0].rows;\n"
    "const K = ['', 'events differ', 'verdict differs'];\n"
    "const differs = D.cases.map(c => c.slice(2).some(x => x && x[1]));\n"
    "let selected = null;\n"
    "\n"
    "function renderHead() {\n"
    "  const n = D.runs.map(() => [0, 0, 0, 0]);\n"
    "  D.cases.forEach(c => c.slice(2).forEach((x, k) => { if (x) n[k][x[0]]++; }));\n"
    "  const counts = k => n[k].map((x, v) =>\n"
    "    '<span class=\"count v-' + V[v] + '\" title=\"' + V[v] + '\">' + x + '</span>'\n"
    "  ).join('');\n"
    "  table.style.width = 340 + 210 * D.runs.length + 'px';\n"
    "  table.tHead.innerHTML = '<tr><th class=\"name\">case</th>' + D.runs.map((r, k) =>\n"
    "    '<th class=\"run\" title=\"' + esc(r.file + '\\n' + r.label + '\\n' + r.brand) + '\">' +\n"
    "    esc(r.title) + (r.complete ? '' : ' <span class=\"warn\">incomplete</span>') +\n"
    "    '<small>' + esc(r.title === r.file ? r.label : r.file) + '</small><small>' + counts(k) +\n"
    "    '</small></th>').join('') +\n"
    "    '</tr>';\n"
    "}\n"
    "\n"
    "/* the whole of a cell on hover: the column is narrower than many events */\n"
    "const cellTitle = x => V[x[0]] + (x[1] ? ', ' + K[x[1]] + ' from the other machines' : '') +\n"
    "  '\\nobserved: ' + S[x[2]] + '\\nexpected: ' + S[x[3]];\n"
    "\n"
    "function renderBody() {\n"
    "  table.tBodies[0].innerHTML = D.cases.map((c, i) => {\n"
    "    let s = '<tr class=\"case' + (differs[i] ? ' diff-row' : '') + '\"><th>' + esc(c[0]) +\n"
    "      '</th>';\n"
    "    for (let k = 2; k < c.length; k++) {\n"
    "      const x = c[k];\n"
    "      s += x ? '<td class=\"cell v-' + V[x[0]] + (x[1] ? ' differs' : '') +\n"
    "               '\" title=\"' + esc(cellTitle(x)) + '\">' +\n"
    "               (x[1] ? '<span class=\"ne\">\u2260</span>' : '') + H[x[2]] + '</td>'\n"
    "             : '<td class=\"cell v-absent\" title=\"this file has no such case\">' +\n"
    "               'absent</td>';\n"
    "    }\n"
    "    return s + '</tr>';\n"
    "  }).join('');\n"
    "}\n"
    "\n"
    "function renderControls() {\n"
    "  const groups = [...new Set(D.cases.map(c => c[1]))];\n"
    "  $('group').insertAdjacentHTML('beforeend',\n"
    "    groups.map(g => '<option>' + H[g] + '</option>').join(''));\n"
    "  $('total').textContent = D.cases.length;\n"
    "  const kinds = [0, 0, 0];\n"
    "  D.cases.forEach(c => kinds[Math.max(...c.slice(2).map(x => x ? x[1] : 0))]++);\n"
    "  $('summary').textContent = D.runs.length + ' runs, ' + D.cases.length + ' cases, ' +\n"
    "    (kinds[1] + kinds[2]) + ' differ (' + kinds[1] + ' in events, ' + kinds[2] +\n"
    "    ' in the verdict only)';\n"
    "  document.title = 'dbsweep matrix: ' + $('summary').textContent;\n"
    "}\n"
    "\n"
    "function applyFilter() {\n"
    "  const p = new URLSearchParams(location.hash.slice(1));\n"
    "  const onlyDiffers = p.get('differs') === '1', group = p.get('group') || '';\n"
    "  let shown = 0;\n"
    "  $('differs').checked = onlyDiffers;\n"
    "  $('group').value = group;\n"
    "  D.cases.forEach((c, i) => {\n"
    "    const show = (!onlyDiffers || differs[i]) && (!group || S[c[1]] === group);\n"
    "    rows[i].classList.toggle('hidden', !show);\n"
    "    shown += show;\n"
    "  });\n"
    "  $('shown').textContent = shown;\n"
    "}\n"
    "\n"
    "function setHash() {\n"
    "  const p = new URLSearchParams();\n"
    "  if ($('group').value) p.set('group', $('group').value);\n"
    "  if ($('differs').checked) p.set('differs', '1');\n"
    "  location.hash = p.toString();\n"
    "}\n"
    "\n"
    "const item = (name, value) => '<dt>' + esc(name) + '</dt><dd>' + esc(value) + '</dd>';\n"
    "\n"
    "function cellItems(x) {\n"
    "  return item('verdict', V[x[0]] + (x[9] ? '' : ' (the repetitions disagree)')) +\n"
    "    (x[1] ? item('differs', K[x[1]] + ' from the other machines') : '') +\n"
    "    item('observed (rep 0)', S[x[2]]) + item('raw DR6', S[x[4]] || '-') +\n"
    "    item('expected', S[x[3]]) + item('bytes', S[x[6]].replace(/../g, '$& ').trim()) +\n"
    "    item('breakpoints', S[x[5]] || 'none') + item('TF armed by', S[x[7]]) +\n"
    "    (S[x[8]] ? item('note', S[x[8]]) : '');\n"
    "}\n"
    "\n"
    "function compareRuns(c, k) {\n"
    "  return '<table>' + D.runs.map((r, j) => {\n"
    "    const y = c[j + 2], v = y ? V[y[0]] : 'absent';\n"
    "    return '<tr' + (j === k ? ' class=\"cur\"' : '') + '><td>' + esc(r.title) +\n"
    "      '</td><td>' + esc(r.file) + '</td><td class=\"v-' + v + '\">' + v + '</td><td>' +\n"
    "      (y ? H[y[2]] : '') + '</td></tr>';\n"
    "  }).join('') + '</table>';\n"
    "}\n"
    "\n"
    "function showCell(i, k) {\n"
    "  const c = D.cases[i], x = c[k + 2], r = D.runs[k];\n"
    "  $('details').innerHTML = '<h2>' + esc(c[0]) + ' on ' + esc(r.title) + ' <small>' +\n"
    "    esc(r.file) + '</small></h2><dl>' +\n"
    "    (x ? cellItems(x) : item('verdict', 'absent: this file has no such case')) + '</dl>' +\n"
    "    compareRuns(c, k);\n"
    "}\n"
    "\n"
    "function showRun(k) {\n"
    "  const r = D.runs[k];\n"
    "  $('details').innerHTML = '<h2>' + esc(r.title) + ' <small>' + esc(r.file) +\n"
    "    '</small></h2><dl>' + r.meta.map(m => item(m[0], m[1])).join('') +\n"
    "    item('complete', r.complete ? 'yes' : 'no') + '</dl>';\n"
    "}\n"
    "\n"
    "/* one delegated handler: thousands of cells, no listener each */\n"
    "table.addEventListener('click', e => {\n"
    "  const t = e.target.closest('td.cell, th.run');\n"
    "  if (!t) return;\n"
    "  if (t.classList.contains('run')) return showRun(t.cellIndex - 1);\n"
    "  if (selected) selected.classList.remove('sel');\n"
    "  selected = t;\n"
    "  t.classList.add('sel');\n"
    "  showCell(t.parentNode.sectionRowIndex, t.cellIndex - 1);\n"
    "});\n"
    "$('differs').addEventListener('change', setHash);\n"
    "$('group').addEventListener('change', setHash);\n"
    "window.addEventListener('hashchange', applyFilter);\n"
    "renderHead();\n"
    "renderBody();\n"
    "renderControls();\n"
    "applyFilter();\n"
    "</script></body></html>\n";

/* The page, once the scratch it needs is there; -1 when out of memory. */
static int put_html(FILE *f, const struct matrix *m)
{
    unsigned n = m->nruns;
    char(*titles)[TITLE_MAX] = malloc((size_t)(LEVELS + 1) * n * TITLE_MAX);
    struct row_scratch s = {malloc(n * sizeof(*s.cells)), malloc(n), malloc(n * sizeof(*s.keys)),
                            malloc(n * sizeof(*s.events))};
    int rc = -1;

    if (titles && s.cells && s.differs && s.keys && s.events) {
        fputs(page_head, f);
        put_json(f, m, titles, &s);
        fputs(page_script, f);
        rc = 0;
    }
    free(titles);
    free(s.cells);
    free(s.differs);
    free(s.keys);
    free(s.events);
    return rc;
}

/* Reads the runs one by one, keeping their metadata and a cell index per
 * case; everything is built before the first byte is written. */
int dbs_report_matrix(const struct dbs_runs *runs, FILE *out)
{
    struct matrix m = {.nruns = runs->n};
    char err[512] = "";
    int rc = 2;

    m.cols = calloc(m.nruns + 1, sizeof(*m.cols));
    m.runs = calloc(m.nruns + 1, sizeof(*m.runs));
    for (m.reading = 0; m.cols && m.runs && m.reading < m.nruns; m.reading++) {
        const struct dbs_run *r;
        if (dbs_runs_read(runs, m.reading, &m.runs[m.reading], &r, add_case, &m, err,
                          sizeof(err)))
            break;
        if (r != &m.runs[m.reading]) { /* a loaded run: its metadata, not its rows */
            m.runs[m.reading] = *r;
            m.runs[m.reading].text = NULL;
            m.runs[m.reading].rows = NULL;
        }
    }
    if (err[0])
        fprintf(stderr, "dbsweep-report: %s\n", err);
    else if (m.reading < m.nruns || put_html(out, &m))
        fprintf(stderr, "dbsweep-report matrix: out of memory\n");
    else
        rc = 0;
    matrix_free(&m);
    return rc;
}
