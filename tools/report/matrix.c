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

#define TEXT_MAX 4096 /* one repetition's events: up to 32 of ~40 characters */
#define NO_GROUP UINT_MAX

/* The JS knows them by index: keep both lists in this order. */
static const char *const verdicts[] = {"match", "mismatch", "undefined", "none"};

/* Interned strings: equal texts share an index, so cells compare events by
 * index and the page carries each text once. */
struct strtab {
    char **s;
    unsigned n, cap;
    unsigned *slot; /* open addressing: index + 1, 0 when free */
    unsigned nslot; /* a power of two, more than twice n */
};

enum { DIFF_NONE, DIFF_EVENTS, DIFF_VERDICT }; /* the JS knows them by number */

/* One run's view of one case; the text fields index the string table. */
struct cell {
    int present, differs, agree; /* differs: DIFF_* */
    unsigned verdict; /* index into verdicts[] */
    unsigned events, expected, dr6, bps, bytes, tf, note;
};

struct matrix {
    struct strtab str;   /* every text the page shows */
    struct strtab names; /* case names: the index is the row, in first-seen order */
    unsigned *group;     /* per row: its group's index in str */
    struct cell *cells;  /* row-major, nruns cells per row */
    unsigned nruns;
};

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u; /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot holding s, or the free slot where it belongs. */
static unsigned *find_slot(const struct strtab *t, const char *s)
{
    unsigned i = hash(s) & (t->nslot - 1);

    while (t->slot[i] && strcmp(t->s[t->slot[i] - 1], s))
        i = (i + 1) & (t->nslot - 1);
    return &t->slot[i];
}

static int rehash(struct strtab *t)
{
    unsigned i, n = t->nslot ? 2 * t->nslot : 1024;
    unsigned *slot = calloc(n, sizeof(*slot));

    if (!slot)
        return -1;
    free(t->slot);
    t->slot = slot;
    t->nslot = n;
    for (i = 0; i < t->n; i++)
        *find_slot(t, t->s[i]) = i + 1;
    return 0;
}

static int append(struct strtab *t, const char *s)
{
    if (t->n == t->cap) {
        unsigned cap = t->cap ? 2 * t->cap : 1024;
        char **grown = realloc(t->s, cap * sizeof(*grown));
        if (!grown)
            return -1;
        t->s = grown;
        t->cap = cap;
    }
    t->s[t->n] = strdup(s);
    return t->s[t->n] ? 0 : -1;
}

/* Index of s, adding a copy when it is new; -1 when out of memory. */
static int intern(struct strtab *t, const char *s, unsigned *idx)
{
    unsigned *slot;

    if (2 * (t->n + 1) >= t->nslot && rehash(t))
        return -1;
    slot = find_slot(t, s);
    if (!*slot) {
        if (append(t, s))
            return -1;
        *slot = ++t->n;
    }
    *idx = *slot - 1;
    return 0;
}

static void strtab_free(struct strtab *t)
{
    while (t->n)
        free(t->s[--t->n]);
    free(t->s);
    free(t->slot);
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
        if (!strcmp(f[DBS_COL_REP], "0") && f[DBS_COL_VECTOR][0])
            n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? ", " : "",
                                  f[DBS_COL_DR6][0] ? f[DBS_COL_DR6] : "unread");
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
    cell->present = 1;
    cell->agree = dbs_case_agrees(c);
    cell->verdict = verdict_index(dbs_case_verdict(c));
    dbs_events_text(c, text, sizeof(text));
    if (intern(&m->str, text, &cell->events))
        return -1;
    dbs_expected_text(c, text, sizeof(text));
    if (intern(&m->str, text, &cell->expected))
        return -1;
    raw_dr6(c, text, sizeof(text));
    if (intern(&m->str, text, &cell->dr6) || intern(&m->str, f[DBS_COL_BPS], &cell->bps) ||
        intern(&m->str, f[DBS_COL_BYTES], &cell->bytes) ||
        intern(&m->str, f[DBS_COL_TF], &cell->tf) || intern(&m->str, note, &cell->note))
        return -1;
    return 0;
}

/* Rows are the union of the cases, in the order they are first seen. */
static int collect_cases(struct matrix *m, struct dbs_run *const *runs)
{
    unsigned k, i, row;

    for (k = 0; k < m->nruns; k++)
        for (i = 0; i < runs[k]->nrows; i = dbs_run_case_end(runs[k], i))
            if (intern(&m->names, runs[k]->rows[i].f[DBS_COL_CASE], &row))
                return -1;
    return 0;
}

static int fill_cells(struct matrix *m, struct dbs_run *const *runs)
{
    unsigned k, i, row;

    for (k = 0; k < m->nruns; k++)
        for (i = 0; i < runs[k]->nrows; i = dbs_run_case_end(runs[k], i)) {
            struct dbs_case_rows c = {runs[k], i, dbs_run_case_end(runs[k], i)};
            char **f = runs[k]->rows[i].f;

            if (intern(&m->names, f[DBS_COL_CASE], &row) ||
                fill_cell(m, &m->cells[(size_t)row * m->nruns + k], &c))
                return -1;
            if (m->group[row] == NO_GROUP && intern(&m->str, f[DBS_COL_GROUP], &m->group[row]))
                return -1;
        }
    return 0;
}

/* What a cell shows, as one number: equal keys, equal events and verdict. */
static unsigned long long cell_key(const struct cell *c)
{
    return (unsigned long long)c->events << 2 | c->verdict;
}

/* Marks the cells that are not what most runs of the row say: DIFF_EVENTS
 * when their events differ from the most common cell's, DIFF_VERDICT when
 * only the verdict does (the same events judged by other rules). With no
 * single most common cell (e.g. two runs that differ), every cell differs,
 * by events if any other cell saw other events. */
static void mark_differs(struct cell *row, unsigned nruns)
{
    unsigned k, j, best = nruns, best_n = 0, present = 0;
    int tie = 0;

    for (k = 0; k < nruns; k++) {
        unsigned same = 0;
        if (!row[k].present)
            continue;
        present++;
        for (j = 0; j < nruns; j++)
            same += row[j].present && cell_key(&row[j]) == cell_key(&row[k]);
        if (same > best_n) {
            best = k;
            best_n = same;
            tie = 0;
        } else if (same == best_n && cell_key(&row[k]) != cell_key(&row[best])) {
            tie = 1;
        }
    }
    if (best_n == present)
        return;
    for (k = 0; k < nruns; k++) {
        if (!row[k].present || (!tie && cell_key(&row[k]) == cell_key(&row[best])))
            continue;
        row[k].differs = DIFF_VERDICT;
        for (j = 0; j < nruns; j++) /* with no majority: against every other cell */
            if (row[j].present && (tie ? j != k : j == best) && row[j].events != row[k].events)
                row[k].differs = DIFF_EVENTS;
    }
}

static int build(struct matrix *m, struct dbs_run *const *runs)
{
    unsigned i, nrows;

    if (collect_cases(m, runs))
        return -1;
    nrows = m->names.n;
    m->group = malloc((nrows + 1) * sizeof(*m->group));
    m->cells = calloc((size_t)nrows * m->nruns + 1, sizeof(*m->cells));
    if (!m->group || !m->cells)
        return -1;
    for (i = 0; i < nrows; i++)
        m->group[i] = NO_GROUP;
    if (fill_cells(m, runs))
        return -1;
    for (i = 0; i < nrows; i++)
        mark_differs(&m->cells[(size_t)i * m->nruns], m->nruns);
    return 0;
}

static void matrix_free(struct matrix *m)
{
    strtab_free(&m->str);
    strtab_free(&m->names);
    free(m->group);
    free(m->cells);
}

/* Candidate column titles, from the most telling to the surest to be
 * unique: the machine (with the run's label= option), the file's name, its
 * path, the path and its column number. */
static void title_at(struct dbs_run *const *runs, unsigned k, unsigned level, char *out,
                     size_t cap)
{
    const struct dbs_run *r = runs[k];
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

/* The first candidate title of run k no other run shares at that level:
 * columns never carry the same heading. */
static void column_title(struct dbs_run *const *runs, unsigned n, unsigned k, char *out,
                         size_t cap)
{
    char other[512];
    unsigned level, j;

    for (level = 0;; level++) {
        title_at(runs, k, level, out, cap);
        for (j = 0; j < n; j++) {
            if (j == k)
                continue;
            title_at(runs, j, level, other, sizeof(other));
            if (!strcmp(out, other))
                break;
        }
        if (j == n || level == 3)
            return;
    }
}

static void put_run(FILE *f, struct dbs_run *const *runs, unsigned n, unsigned k)
{
    const struct dbs_run *r = runs[k];
    const char *base = strrchr(r->path, '/'), *brand = dbs_run_meta(r, "cpu_brand");
    char text[512];
    unsigned i;

    dbs_machine_label(r, text, sizeof(text));
    fputs("{\"label\":", f);
    dbs_put_json_string(f, text);
    column_title(runs, n, k, text, sizeof(text));
    fputs(",\"title\":", f);
    dbs_put_json_string(f, text);
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

/* A case: [name, group, cell...]; a cell is 0 when the run lacks the case,
 * else [verdict, differs (DIFF_*), events, expected, dr6, bps, bytes, tf,
 * note, agree]. */
static void put_case(FILE *f, const struct matrix *m, unsigned row)
{
    const struct cell *c = &m->cells[(size_t)row * m->nruns];
    unsigned k;

    fputc('[', f);
    dbs_put_json_string(f, m->names.s[row]);
    fprintf(f, ",%u", m->group[row]);
    for (k = 0; k < m->nruns; k++, c++)
        if (c->present)
            fprintf(f, ",[%u,%d,%u,%u,%u,%u,%u,%u,%u,%d]", c->verdict, c->differs, c->events,
                    c->expected, c->dr6, c->bps, c->bytes, c->tf, c->note, c->agree);
        else
            fputs(",0", f);
    fputc(']', f);
}

static void put_json(FILE *f, const struct matrix *m, struct dbs_run *const *runs)
{
    unsigned i;

    fputs("{\"runs\":[", f);
    for (i = 0; i < m->nruns; i++) {
        if (i)
            fputc(',', f);
        put_run(f, runs, m->nruns, i);
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
        put_case(f, m, i);
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

int dbs_report_matrix(struct dbs_run *const *runs, unsigned nruns, FILE *out)
{
    struct matrix m = {.nruns = nruns};

    /* everything is built before the first byte is written */
    if (build(&m, runs)) {
        matrix_free(&m);
        fprintf(stderr, "dbsweep-report matrix: out of memory\n");
        return 2;
    }
    fputs(page_head, out);
    put_json(out, &m, runs);
    fputs(page_script, out);
    matrix_free(&m);
    return 0;
}
