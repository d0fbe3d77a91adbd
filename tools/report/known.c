/* Parses expected-failure lists (format in known.h) and matches cases. The
 * list is edited by hand: every mistake is an error naming file and line,
 * so a typo cannot silently excuse nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbs_case.h"
#include "dbs_options.h"
#include "errmsg.h"
#include "known.h"
#include "readfile.h"

static const struct {
    const char *word, *key, *value;
} shorthands[] = {
    {"amd", "cpu_vendor", "AuthenticAMD"}, {"intel", "cpu_vendor", "GenuineIntel"},
    {"hygon", "cpu_vendor", "HygonGenuine"}, {"tcg", "hypervisor", "TCGTCGTCGTCG"},
    {"kvm", "hypervisor", "KVMKVMKVM"},    {"metal", "hypervisor", "none"},
};
#define NSHORT (sizeof(shorthands) / sizeof(shorthands[0]))
#define QEMU_WORD "qemu" /* qemu-7.2 or qemu 7.2: the QEMU version */

/* Appends one zeroed element to an array of n elements; NULL when out of memory. */
static void *push(void *arrayp, unsigned *n, size_t size)
{
    void **array = arrayp;
    char *grown;

    if (!*n || (*n >= 4 && !(*n & (*n - 1)))) { /* capacity: 4, then doubling */
        grown = realloc(*array, (*n ? 2 * *n : 4) * size);
        if (!grown)
            return NULL;
        *array = grown;
    }
    grown = (char *)*array + (*n)++ * size;
    memset(grown, 0, size);
    return grown;
}

/* The file being parsed. */
static const char *cur_path(const struct dbs_known *k)
{
    return k->paths[k->nfiles - 1];
}

static int glob_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-' || c == '*' || c == '?';
}

static int key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static char *skip_blanks(char *s)
{
    return s + strspn(s, " \t");
}

/* Splits off the next blank-separated word; NULL at the end. */
static char *next_word(char **s)
{
    char *w = skip_blanks(*s), *end;

    if (!*w)
        return NULL;
    end = w + strcspn(w, " \t");
    *s = *end ? end + 1 : end;
    *end = 0;
    return w;
}

static int add_cond(struct dbs_known *k, const char *key, const char *value, int qemu)
{
    struct dbs_known_cond *c = push(&k->conds, &k->nconds, sizeof(*c));

    if (!c)
        return -1;
    *c = (struct dbs_known_cond){key, value, qemu};
    return 0;
}

/* One section word as a condition; a complaint, or NULL when it is good. */
static const char *section_word(struct dbs_known *k, char *w, char **rest)
{
    char *eq = strchr(w, '=');
    unsigned i;

    if (eq) {
        char *p;
        *eq = 0;
        for (p = w; *p; p++)
            if (!key_char(*p))
                return "a key is lowercase letters, digits and '_'";
        if (eq == w || !eq[1])
            return "key=value needs both a key and a value";
        return add_cond(k, w, eq + 1, 0) ? "out of memory" : NULL;
    }
    if (!strncmp(w, QEMU_WORD "-", strlen(QEMU_WORD) + 1) || !strcmp(w, QEMU_WORD)) {
        const char *v = w[strlen(QEMU_WORD)] ? w + strlen(QEMU_WORD) + 1 : next_word(rest);
        if (!v || !*v)
            return "qemu needs a version: qemu-7.2 or qemu 7.2";
        return add_cond(k, QEMU_WORD, v, 1) ? "out of memory" : NULL;
    }
    for (i = 0; i < NSHORT; i++)
        if (!strcmp(w, shorthands[i].word))
            return add_cond(k, shorthands[i].key, shorthands[i].value, 0) ? "out of memory"
                                                                          : NULL;
    return "unknown word: use key=value, qemu-VERSION, amd, intel, hygon, tcg, kvm or metal";
}

static int parse_section(struct dbs_known *k, char *line, unsigned lineno, char *err, size_t cap)
{
    char *close = strchr(line, ']'), *rest, *w;
    struct dbs_known_section *s;

    if (!close || *skip_blanks(close + 1))
        return dbs_fail(err, cap, cur_path(k), lineno,
                        "a section header is '[words]' alone on its line");
    *close = 0;
    s = push(&k->sections, &k->nsections, sizeof(*s));
    if (!s)
        return dbs_fail(err, cap, cur_path(k), lineno, "out of memory");
    s->line = lineno;
    s->first_cond = k->nconds;
    rest = line + 1;
    while ((w = next_word(&rest))) {
        const char *why = section_word(k, w, &rest);
        if (why)
            return dbs_fail(err, cap, cur_path(k), lineno, "section word '%.40s': %s", w, why);
    }
    s->nconds = k->nconds - s->first_cond;
    return s->nconds ? 0 : dbs_fail(err, cap, cur_path(k), lineno, "empty section header");
}

static int parse_entry(struct dbs_known *k, char *line, unsigned lineno, char *err, size_t cap)
{
    struct dbs_known_entry *e;
    char *p = line, *why;

    for (; *p && !strchr(" \t", *p); p++)
        if (!glob_char(*p))
            return dbs_fail(err, cap, cur_path(k), lineno,
                        "'%c' in the glob: case names are A-Z a-z 0-9 . _ - and globs add * ?",
                        *p);
    why = skip_blanks(p);
    if (!*why)
        return dbs_fail(err, cap, cur_path(k), lineno,
                        "'%.40s' has no reason: write why after the glob", line);
    *p = 0;
    e = push(&k->entries, &k->nentries, sizeof(*e));
    if (!e)
        return dbs_fail(err, cap, cur_path(k), lineno, "out of memory");
    *e = (struct dbs_known_entry){line, why, cur_path(k), lineno, k->nsections - 1};
    return 0;
}

static int parse_line(struct dbs_known *k, char *line, unsigned lineno, char *err, size_t cap)
{
    char *end = line + strlen(line);
    const char *c;

    for (c = line; *c; c++)
        if ((unsigned char)*c < 0x20 && *c != '\t')
            return dbs_fail(err, cap, cur_path(k), lineno, "control character 0x%02x in a line",
                        (unsigned char)*c);
    while (end > line && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = 0;
    line = skip_blanks(line);
    if (!*line || *line == '#')
        return 0;
    if (*line == '[')
        return parse_section(k, line, lineno, err, cap);
    return parse_entry(k, line, lineno, err, cap);
}

/* Takes text over as the list's next file. */
static int add_file(struct dbs_known *k, const char *path, char *text)
{
    unsigned n = k->nfiles;

    if (!push(&k->texts, &n, sizeof(*k->texts)) ||
        !push(&k->paths, &k->nfiles, sizeof(*k->paths))) {
        free(text);
        return -1;
    }
    k->texts[k->nfiles - 1] = text;
    k->paths[k->nfiles - 1] = path;
    return 0;
}

int dbs_known_parse(struct dbs_known *k, const char *path, char *text, size_t len, char *err,
                    size_t cap)
{
    char *p = text, *end = text + len;
    unsigned lineno = 0;

    if (add_file(k, path, text) || !push(&k->sections, &k->nsections, sizeof(*k->sections)))
        return dbs_fail(err, cap, path, 0, "out of memory"); /* the file's unconditional start */
    if (memchr(text, 0, len))
        return dbs_fail(err, cap, path, 1, "contains a NUL byte: not a text file");
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p)), *line = p;

        lineno++;
        if (!nl)
            nl = end; /* the last line may lack its line end: text[len] is a NUL */
        if (nl > line && nl[-1] == '\r')
            nl[-1] = 0; /* CRLF from an editor elsewhere */
        *nl = 0;
        p = nl + 1;
        if (parse_line(k, line, lineno, err, cap))
            return -1;
    }
    return 0;
}

int dbs_known_load(struct dbs_known *k, const char *path, char *err, size_t cap)
{
    char *text;
    size_t len;

    if (dbs_read_file(path, DBS_KNOWN_MAX_BYTES, &text, &len, err, cap))
        return -1;
    return dbs_known_parse(k, path, text, len, err, cap);
}

void dbs_known_free(struct dbs_known *k)
{
    while (k->nfiles)
        free(k->texts[--k->nfiles]);
    free(k->texts);
    free(k->paths);
    free(k->entries);
    free(k->sections);
    free(k->conds);
    memset(k, 0, sizeof(*k));
}

/* The QEMU version a run records: a qemu key, else the version of QEMU's
 * machine type (system_version pc-q35-7.2); "" when it is no QEMU
 * machine, NULL when the CSV does not say. */
static const char *qemu_version(const struct dbs_run *r)
{
    const char *v = dbs_run_meta(r, QEMU_WORD), *maker = dbs_run_meta(r, "system_manufacturer");
    const char *type = dbs_run_meta(r, "system_version"), *dash;

    if (v)
        return v;
    if (!type)
        return NULL;
    if (!maker || strcmp(maker, "QEMU"))
        return "";
    dash = strrchr(type, '-');
    return dash ? dash + 1 : "";
}

static int cond_holds(const struct dbs_known_cond *c, const struct dbs_run *r)
{
    const char *have = c->qemu ? qemu_version(r) : dbs_run_meta(r, c->key);
    size_t n = strlen(c->value);

    if (!have)
        return 1; /* the CSV does not record it: not held against the section */
    if (c->qemu)
        return !strncmp(have, c->value, n) && (have[n] == 0 || have[n] == '.');
    return dbs_glob(c->value, have);
}

void dbs_known_select(struct dbs_known *k, const struct dbs_run *r)
{
    unsigned s, i;

    for (s = 0; s < k->nsections; s++) {
        struct dbs_known_section *sec = &k->sections[s];
        sec->active = 1;
        for (i = sec->first_cond; i < sec->first_cond + sec->nconds && sec->active; i++)
            sec->active = cond_holds(&k->conds[i], r);
    }
}

int dbs_known_applies(const struct dbs_known *k, unsigned i)
{
    return i < k->nentries && k->sections[k->entries[i].section].active;
}

/* The length of a mode prefix ("u64.") that s starts with, or 0. */
static size_t mode_prefix(const char *s)
{
    unsigned m;
    size_t n;

    for (m = 0; m < DBS_MODE_COUNT; m++) {
        n = strlen(dbs_mode_names[m]);
        if (!strncmp(s, dbs_mode_names[m], n) && s[n] == '.')
            return n + 1;
    }
    return 0;
}

int dbs_known_matches(const struct dbs_known_entry *e, const char *case_name)
{
    size_t p = mode_prefix(case_name);

    return dbs_glob(e->glob, case_name) ||
           (p && !mode_prefix(e->glob) && dbs_glob(e->glob, case_name + p));
}

int dbs_known_find(const struct dbs_known *k, const char *case_name)
{
    unsigned i;

    for (i = 0; i < k->nentries; i++)
        if (dbs_known_applies(k, i) && dbs_known_matches(&k->entries[i], case_name))
            return (int)i;
    return -1;
}
