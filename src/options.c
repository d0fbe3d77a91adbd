/* key=value options and glob selection. */
#include "dbs_options.h"
#include "dbs_event.h"

static int streq_n(const char *a, size_t n, const char *b)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return b[n] == 0;
}

void dbs_options_default(struct dbs_options *o)
{
    *o = (struct dbs_options){.reps = DBS_REPS, .max_events = DBS_MAX_EVENTS,
                              .on_finish = DBS_FINISH_AUTO, .cores = DBS_CORES_BSP,
                              .cores_text = "bsp", .core_timeout = DBS_CORE_TIMEOUT};
    o->cases[0] = '*';
}

static int set_text(char *dst, size_t cap, const char *v, size_t n, int label)
{
    size_t i;

    if (n >= cap)
        return -1;
    for (i = 0; i < n; i++) {
        char c = v[i];
        if (label && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return -1;
        dst[i] = c;
    }
    dst[n] = 0;
    return 0;
}

static int set_num(unsigned *dst, const char *v, size_t n, unsigned lo, unsigned hi)
{
    unsigned x = 0;
    size_t i;

    if (n > 3)
        return -1;
    for (i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        x = x * 10 + (unsigned)(v[i] - '0');
    }
    if (x < lo || x > hi)
        return -1;
    *dst = x;
    return 0;
}

static int set_word(unsigned *dst, const char *v, size_t n, const char *const *words)
{
    unsigned i;

    for (i = 0; words[i]; i++)
        if (streq_n(v, n, words[i])) {
            *dst = i;
            return 0;
        }
    return -1;
}

/* A decimal number of 1-20 digits that fits 64 bits, from p[0..n-1]. */
static int parse_u64(const char *p, size_t n, uint64_t *out)
{
    uint64_t x = 0;
    size_t i;

    if (!n || n > 20)
        return -1;
    for (i = 0; i < n; i++) {
        unsigned d = (unsigned)(p[i] - '0');

        if (p[i] < '0' || p[i] > '9' || x > (UINT64_MAX - d) / 10)
            return -1;
        x = x * 10 + d;
    }
    *out = x;
    return 0;
}

int dbs_random_item(const char *item, size_t len, uint64_t *seed, unsigned *n)
{
    static const char head[] = "random:";
    size_t k = sizeof(head) - 1, colon;
    uint64_t count;

    if (len < k || !streq_n(item, k, head))
        return 0;
    for (colon = k; colon < len && item[colon] != ':'; colon++)
        ;
    if (colon == len || parse_u64(item + k, colon - k, seed) ||
        parse_u64(item + colon + 1, len - colon - 1, &count) || count < 1 ||
        count > DBS_RANDOM_MAX_N)
        return -1;
    *n = (unsigned)count;
    return 1;
}

int dbs_random_name(const char *name, uint64_t *seed, unsigned *i)
{
    static const char head[] = "random.";
    size_t k = sizeof(head) - 1, dot, end;
    uint64_t x;

    for (dot = 0; dot < k; dot++)
        if (name[dot] != head[dot])
            return 0;
    for (; name[dot] && name[dot] != '.'; dot++)
        ;
    if (!name[dot])
        return 0;
    for (end = dot + 1; name[end]; end++)
        ;
    /* the name as the generator writes it: no leading zeros */
    if ((name[k] == '0' && dot > k + 1) || (name[dot + 1] == '0' && end > dot + 2) ||
        parse_u64(name + k, dot - k, seed) || parse_u64(name + dot + 1, end - dot - 1, &x) ||
        x >= DBS_RANDOM_MAX_N)
        return 0;
    *i = (unsigned)x;
    return 1;
}

/* Globs, and at most DBS_RANDOM_ITEMS well-formed random:SEED:N items. */
static int set_cases(struct dbs_options *o, const char *v, size_t n)
{
    size_t at = 0, k;
    unsigned items = 0, count;
    uint64_t seed;

    for (; at < n; at += k + 1) {
        int r;

        for (k = 0; at + k < n && v[at + k] != ','; k++)
            ;
        r = dbs_random_item(v + at, k, &seed, &count);
        if (r < 0 || (r > 0 && ++items > DBS_RANDOM_ITEMS))
            return -1;
    }
    return set_text(o->cases, sizeof(o->cases), v, n, 0);
}

static int set_reps(struct dbs_options *o, const char *v, size_t n)
{
    return set_num(&o->reps, v, n, 1, DBS_MAX_REPS);
}

static int set_max_events(struct dbs_options *o, const char *v, size_t n)
{
    return set_num(&o->max_events, v, n, 1, DBS_MAX_EVENTS);
}

/* Indexed by enum dbs_on_finish; "auto" is the default, not a value to give. */
static const char *const finish_words[] = {"auto", "shutdown", "reboot", "return", "wait", 0};
/* Indexed by enum dbs_serial. */
static const char *const serial_words[] = {"off", "on", "plain", 0};

static int set_on_finish(struct dbs_options *o, const char *v, size_t n)
{
    return streq_n(v, n, finish_words[DBS_FINISH_AUTO]) ? -1
                                                        : set_word(&o->on_finish, v, n, finish_words);
}

static int set_serial(struct dbs_options *o, const char *v, size_t n)
{
    return set_word(&o->serial, v, n, serial_words);
}

static int set_label(struct dbs_options *o, const char *v, size_t n)
{
    return set_text(o->label, sizeof(o->label), v, n, 1);
}

/* bsp, all, or distinct decimal APIC IDs separated by commas: 32 bits, as
 * the x2APIC ID is (SDM vol. 3A 11.12, Extended xAPIC) and MP services
 * report it (PI spec 1.6 vol. 2 13.4, GetProcessorInfo's ProcessorId). */
static int set_cores(struct dbs_options *o, const char *v, size_t n)
{
    size_t at, k;
    unsigned i;
    uint64_t id;

    if (n >= sizeof(o->cores_text))
        return -1;
    o->ncore_ids = 0;
    if (streq_n(v, n, "bsp") || streq_n(v, n, "all")) {
        o->cores = v[0] == 'a' ? DBS_CORES_ALL : DBS_CORES_BSP;
        return set_text(o->cores_text, sizeof(o->cores_text), v, n, 0);
    }
    for (at = 0; at <= n; at += k + 1) {
        for (k = 0; at + k < n && v[at + k] != ','; k++)
            ;
        if (parse_u64(v + at, k, &id) || id > UINT32_MAX || o->ncore_ids == DBS_CORES_MAX)
            return -1;
        for (i = 0; i < o->ncore_ids; i++)
            if (o->core_ids[i] == id)
                return -1;
        o->core_ids[o->ncore_ids++] = (uint32_t)id;
    }
    o->cores = DBS_CORES_LIST;
    return set_text(o->cores_text, sizeof(o->cores_text), v, n, 0);
}

static int set_core_timeout(struct dbs_options *o, const char *v, size_t n)
{
    return set_num(&o->core_timeout, v, n, 1, 999);
}

int dbs_cores_selects(const struct dbs_options *o, uint32_t apic_id, int is_bsp)
{
    unsigned i;

    if (o->cores != DBS_CORES_LIST)
        return o->cores == DBS_CORES_ALL || is_bsp;
    for (i = 0; i < o->ncore_ids; i++)
        if (o->core_ids[i] == apic_id)
            return 1;
    return 0;
}

static const struct key {
    const char *name;
    int (*set)(struct dbs_options *o, const char *v, size_t n);
    const char *expect;
} keys[] = {
    {"cases", set_cases, "comma-separated case globs and random:SEED:N (SEED a 64-bit decimal, "
                         "N 1 to 1000000, at most 8 of them), at most 511 characters"},
    {"reps", set_reps, "a number from 1 to 9"},
    {"max_events", set_max_events, "a number from 1 to 32"},
    {"on_finish", set_on_finish, "shutdown, reboot, return or wait"},
    {"serial", set_serial, "on, plain or off"},
    {"label", set_label, "up to 32 characters of A-Z a-z 0-9 . _ -"},
    {"cores", set_cores, "bsp, all, or up to 64 different decimal APIC IDs separated by commas"},
    {"core_timeout", set_core_timeout, "a number of seconds from 1 to 999"},
};

static void error_at(struct dbs_buf *err, const char *source, unsigned line, const char *what,
                     const char *key, size_t keylen)
{
    size_t i;

    dbs_put_str(err, source);
    if (line) {
        dbs_put_char(err, ':');
        dbs_put_dec(err, line);
    }
    dbs_put_str(err, ": ");
    dbs_put_str(err, what);
    if (key) {
        dbs_put_str(err, " '");
        for (i = 0; i < keylen && i < 40; i++)
            dbs_put_char(err, key[i] >= 0x20 && key[i] < 0x7f ? key[i] : '?');
        dbs_put_char(err, '\'');
    }
    dbs_buf_str(err);
}

/* One "key=value" (without line terminator), trimmed of blanks. */
static int parse_pair(struct dbs_options *o, const char *s, size_t n, const char *source,
                      unsigned line, struct dbs_buf *err)
{
    size_t k = 0, v, i;

    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f) {
            error_at(err, source, line, "not a printable ASCII line", 0, 0);
            return -1;
        }
    while (k < n && s[k] != '=')
        k++;
    if (k == n) {
        error_at(err, source, line, "expected key=value, got", s, n);
        return -1;
    }
    v = k + 1;
    while (k && (s[k - 1] == ' ' || s[k - 1] == '\t'))
        k--;
    while (v < n && (s[v] == ' ' || s[v] == '\t'))
        v++;
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (!streq_n(s, k, keys[i].name))
            continue;
        if (o->seen & (1u << i)) {
            error_at(err, source, line, "duplicate key", s, k);
            return -1;
        }
        o->seen |= 1u << i;
        if (v == n) {
            error_at(err, source, line, "empty value for key", s, k);
            return -1;
        }
        if (keys[i].set(o, s + v, n - v)) {
            error_at(err, source, line, "bad value for key", s, k);
            dbs_put_str(err, " (expected ");
            dbs_put_str(err, keys[i].expect);
            dbs_put_char(err, ')');
            dbs_buf_str(err);
            return -1;
        }
        return 0;
    }
    error_at(err, source, line, "unknown key", s, k);
    return -1;
}

void dbs_options_format(struct dbs_buf *b, const struct dbs_options *o)
{
    dbs_put_str(b, "cases=");
    dbs_put_str(b, o->cases);
    dbs_put_str(b, " reps=");
    dbs_put_dec(b, o->reps);
    dbs_put_str(b, " max_events=");
    dbs_put_dec(b, o->max_events);
    dbs_put_str(b, " on_finish=");
    dbs_put_str(b, finish_words[o->on_finish]);
    dbs_put_str(b, " serial=");
    dbs_put_str(b, serial_words[o->serial]);
    dbs_put_str(b, " label=");
    dbs_put_str(b, o->label);
    if (o->cores == DBS_CORES_BSP)
        return;
    dbs_put_str(b, " cores=");
    dbs_put_str(b, o->cores_text);
    dbs_put_str(b, " core_timeout=");
    dbs_put_dec(b, o->core_timeout);
}

int dbs_options_parse_file(struct dbs_options *o, const char *text, size_t len,
                           const char *source, struct dbs_buf *err)
{
    size_t i = 0, start;
    unsigned line = 0;

    o->seen = 0;
    if (len >= 3 && (unsigned char)text[0] == 0xef && (unsigned char)text[1] == 0xbb &&
        (unsigned char)text[2] == 0xbf)
        i = 3; /* UTF-8 BOM */
    while (i < len) {
        size_t end, n;

        start = i;
        line++;
        while (i < len && text[i] != '\n')
            i++;
        end = i++;
        if (end > start && text[end - 1] == '\r')
            end--;
        n = end - start;
        while (n && (text[start] == ' ' || text[start] == '\t'))
            start++, n--;
        if (!n || text[start] == '#')
            continue;
        if (parse_pair(o, text + start, n, source, line, err))
            return -1;
    }
    return 0;
}

int dbs_options_parse_args(struct dbs_options *o, const char *args, struct dbs_buf *err)
{
    unsigned word = 0;

    o->seen = 0;
    while (*args) {
        const char *w;
        size_t n = 0, i;
        int has_eq = 0;

        while (*args == ' ' || *args == '\t')
            args++;
        if (!*args)
            break;
        w = args;
        while (w[n] && w[n] != ' ' && w[n] != '\t')
            n++;
        args += n;
        for (i = 0; i < n; i++)
            has_eq |= w[i] == '=';
        if (word++ == 0 && !has_eq)
            continue; /* the program's name */
        if (parse_pair(o, w, n, "command line", 0, err))
            return -1;
    }
    return 0;
}

int dbs_glob(const char *p, const char *s)
{
    const char *star = 0, *retry = 0;

    while (*s) {
        if (*p == '*') {
            star = ++p;
            retry = s;
        } else if (*p == '?' || *p == *s) {
            p++, s++;
        } else if (star) {
            p = star;
            s = ++retry;
        } else {
            return 0;
        }
    }
    while (*p == '*')
        p++;
    return !*p;
}

/* Whether name is one of the cases the random:SEED:N item pat draws. */
static int random_draws(const char *pat, size_t n, const char *name)
{
    uint64_t seed, name_seed;
    unsigned count, i;

    return dbs_random_item(pat, n, &seed, &count) > 0 && dbs_random_name(name, &name_seed, &i) &&
           name_seed == seed && i < count;
}

int dbs_selected(const char *list, const char *name)
{
    static const char self[] = "selftest.";
    char pat[DBS_OPT_MAX];
    int selftest = 1;
    unsigned k;

    for (k = 0; self[k]; k++)
        selftest &= name[k] == self[k];

    while (*list) {
        size_t n = 0;

        while (list[n] && list[n] != ',')
            n++;
        if (n < sizeof(pat)) {
            size_t i;
            for (i = 0; i < n; i++)
                pat[i] = list[i];
            pat[n] = 0;
            int names_group = 1;
            for (k = 0; self[k]; k++)
                names_group &= pat[k] == self[k];
            /* self-tests (they reset the machine) only when asked for by group */
            if (!streq_n(pat, n, "none") && (!selftest || names_group) && dbs_glob(pat, name))
                return 1;
            if (random_draws(pat, n, name))
                return 1;
        }
        list += n;
        if (*list == ',')
            list++;
    }
    return 0;
}
