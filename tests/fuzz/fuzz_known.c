/* The expected-failure list parser and matcher (tools/report/known.c)
 * under the fuzzer. Every input is read as a list. A reference splitter
 * written from known.h finds the entries (glob, reason, line, section) and
 * the first malformed entry line; the parser must agree: accept with the
 * same entries, or refuse at a line no later than the first bad entry
 * (earlier only at a section header, whose words the reference does not
 * judge). An accepted list is matched against three fixed runs: the entry
 * a case falls under must be the first that applies and whose glob matches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbs_options.h"
#include "fuzz_check.h"
#include "known.h"

#define NAME "fuzz.txt"

/* Runs whose metadata the sections can select: an AMD TCG run that does
 * not say its QEMU version, an Intel KVM one on QEMU's machine type 7.2,
 * and a machine that is no QEMU. */
static const char *const run_texts[] = {
    "# schema: dbsweep-csv 1\n# cpu_vendor: AuthenticAMD\n# hypervisor: TCGTCGTCGTCG\n",
    "# schema: dbsweep-csv 1\n# cpu_vendor: GenuineIntel\n# hypervisor: KVMKVMKVM\n"
    "# system_manufacturer: QEMU\n# system_version: pc-q35-7.2\n# label: rack-4\n",
    "# schema: dbsweep-csv 1\n# cpu_vendor: AuthenticAMD\n# hypervisor: none\n"
    "# system_manufacturer: Dell Inc.\n# system_version: 1.2-7.2\n",
};
#define NRUNS (sizeof(run_texts) / sizeof(run_texts[0]))
static struct dbs_run runs[NRUNS];

/* Case names to look up: real ones, and some the usual globs catch. */
static const char *const names[] = {
    "kut.icebp", "kut.singlestep_with_sti_blocking", "ss.popf.hlt", "shadow.sti.nobp.nop",
    "shadow.movss_reg.gd.movdr_r", "pfx.lock_reg.nobp.none", "gd.none.movdr_r", "a", "",
    "ssbp.popf.dr2.g.pause", "x.y.z"};

void fuzz_known_init(void)
{
    static const char rows[] =
        "case,group,rep,event,vector,error,rip,rip_off,rflags,dr6,dr7,exp_vector,exp_rip_off,"
        "exp_dr6,verdict,agree,tf,bps,bytes,note,exp_dr6_any\n"
        "kut.icebp,kut,0,0,6,0x0,0x1000,0,0x2,0xffff0ff0,0x400,1,1,0xffff0ff0,mismatch,yes,"
        "popf,,f1,,\n# status: complete\n";
    char err[ERRCAP];
    unsigned i;

    for (i = 0; i < NRUNS; i++) {
        size_t n = strlen(run_texts[i]) + sizeof(rows);
        char *text = malloc(n);
        snprintf(text, n, "%s%s", run_texts[i], rows);
        if (dbs_run_parse(&runs[i], "fixed.csv", text, strlen(text), err, sizeof(err))) {
            fprintf(stderr, "fuzz_known.c: the fixed run does not load: %s\n", err);
            abort();
        }
    }
}

struct ref_entry {
    const char *glob, *why;
    unsigned line, section;
};

struct ref_list {
    struct ref_entry *e;
    unsigned n, bad_line; /* bad_line: the first malformed entry line, 0 if none */
    unsigned nsections;   /* '[' lines before bad_line */
    unsigned char *header; /* per line: 1 for a section header */
    int nul;
    char *scratch;
};

static int glob_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("._-*?", c) != NULL;
}

/* One line: an entry is added, a malformed one marks the list bad there. */
static void ref_line(struct ref_list *r, char *s, unsigned line, unsigned *section)
{
    char *end, *p;

    for (p = s; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\t') {
            r->bad_line = line;
            return;
        }
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = 0;
    s += strspn(s, " \t");
    if (!*s || *s == '#')
        return;
    if (*s == '[') {
        ++*section;
        r->header[line] = 1;
        return;
    }
    for (p = s; *p && *p != ' ' && *p != '\t'; p++)
        if (!glob_char(*p)) {
            r->bad_line = line;
            return;
        }
    end = p + strspn(p, " \t");
    if (!*end) {
        r->bad_line = line;
        return;
    }
    *p = 0;
    r->e[r->n++] = (struct ref_entry){s, end, line, *section};
}

static void ref_read(struct ref_list *r, const uint8_t *data, size_t size)
{
    char *s = r->scratch, *nl;
    unsigned line = 0, section = 0;

    memcpy(s, data, size);
    s[size] = 0;
    r->nul = memchr(data, 0, size) != NULL;
    while (!r->nul && !r->bad_line && *s) {
        char *end;

        nl = strchr(s, '\n');
        end = nl ? nl : s + strlen(s);
        line++;
        *end = 0;
        if (end > s && end[-1] == '\r')
            end[-1] = 0; /* CRLF; also a CR that ends the file */
        ref_line(r, s, line, &section);
        if (!nl)
            break;
        s = nl + 1;
    }
    r->nsections = section;
}

static void check_matching(struct dbs_known *k)
{
    unsigned r, i, j;

    for (r = 0; r < NRUNS; r++) {
        dbs_known_select(k, &runs[r]);
        for (i = 0; i < k->nentries; i++)
            CHECK(k->entries[i].section || dbs_known_applies(k, i)); /* before any header */
        for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            int hit = dbs_known_find(k, names[i]);
            CHECK(hit >= -1 && hit < (int)k->nentries);
            for (j = 0; j < (hit < 0 ? k->nentries : (unsigned)hit); j++)
                CHECK(!(dbs_known_applies(k, j) && dbs_glob(k->entries[j].glob, names[i])));
            if (hit >= 0)
                CHECK(dbs_known_applies(k, (unsigned)hit) &&
                      dbs_glob(k->entries[hit].glob, names[i]));
        }
    }
}

void fuzz_check_known(const uint8_t *data, size_t size)
{
    struct ref_list ref = {0};
    struct dbs_known k = {0};
    char err[ERRCAP], *text = malloc(size + 1);
    size_t i, nlines = 1;
    int rc;

    for (i = 0; i < size; i++)
        nlines += data[i] == '\n';
    ref.e = calloc(size + 1, sizeof(*ref.e));
    ref.header = calloc(nlines + 1, 1);
    ref.scratch = malloc(size + 1);
    ref_read(&ref, data, size);
    memcpy(text, data, size);
    text[size] = 0;
    memset(err, 0x55, sizeof(err));
    rc = dbs_known_parse(&k, NAME, text, size, err, sizeof(err));
    CHECK(rc == 0 || rc == -1);
    if (rc) {
        unsigned line = fuzz_check_error(err, NAME, nlines);
        CHECK(line >= 1);
        CHECK(!ref.nul || line == 1);
        CHECK(ref.nul || !ref.bad_line || line <= ref.bad_line);
        CHECK(ref.nul || line == ref.bad_line || ref.header[line]); /* else a section */
    } else {
        CHECK(!ref.nul && !ref.bad_line);
        CHECK(k.nentries == ref.n);
        for (i = 0; i < k.nentries && i < ref.n; i++) {
            CHECK(!strcmp(k.entries[i].glob, ref.e[i].glob));
            CHECK(!strcmp(k.entries[i].why, ref.e[i].why));
            CHECK(k.entries[i].line == ref.e[i].line);
            CHECK(k.entries[i].section == ref.e[i].section);
        }
        CHECK(k.nsections == 1 + ref.nsections);
        check_matching(&k);
    }
    dbs_known_free(&k);
    free(ref.e);
    free(ref.header);
    free(ref.scratch);
}
