/* dbsweep-report: summary, verdicts, diff, matrix, kut and check over
 * dbsweep CSVs. Options go anywhere (getopt_long); exit status: 0 fine,
 * 1 a finding, 2 an error. The help (general and per command) is made
 * from the two tables below, which also drive the option checks. */
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbs_csv.h"
#include "dbs_model.h"
#include "known.h"
#include "matrix.h"
#include "output.h"
#include "report.h"
#include "version.h"

#define ME "dbsweep-report"
#define MAX_LISTS 16

enum { C_SUMMARY = 1, C_VERDICTS = 2, C_DIFF = 4, C_MATRIX = 8, C_KUT = 16, C_CHECK = 32,
       C_ALL = 63 };

static const struct command {
    const char *name, *synopsis, *what;
    int min, max; /* operands */
    unsigned bit;
    const char *finding; /* what exit status 1 means ("" : never 1) */
    const char *fine;    /* what exit status 0 means */
} commands[] = {
    {"summary", "summary FILE... [--known LIST]...",
     "who ran it, complete or not, verdicts per group; per-core files\n"
     "of one cores= run compared in events with the first given",
     1, INT_MAX, C_SUMMARY,
     "a run is incomplete (no '# status: complete' last line), with\n"
     "--known, has a failure the lists do not expect, or a core of a\n"
     "cores= run does not agree in events with the run's first file",
     "every run complete, every core agreeing and, with --known, no\n"
     "unexpected failure"},
    {"verdicts", "verdicts FILE... --format json|tap|junit [--known LIST]...",
     "one result per case and per group, for CI: JSON, KTAP (TAP 13\n"
     "compatible) or JUnit XML; an incomplete run is a failing test",
     1, INT_MAX, C_VERDICTS,
     "a case failed that --known does not list (a mismatch or a crash);\n"
     "a run is incomplete (unless --allow-incomplete); with --strict, a\n"
     "case --known lists matches (XPASS)",
     "no unexpected failure, every run complete"},
    {"diff", "diff A B [--group GROUP] [--case GLOBS] [--stat|--quiet]",
     "the cases that differ between two runs, and how", 2, 2, C_DIFF,
     "the runs differ: in events, in verdicts (unless --events-only), or\n"
     "in the cases they have (unless --common)",
     "no difference"},
    {"matrix", "matrix FILE... [-o PAGE.html]",
     "one self-contained HTML page, machines across", 1, INT_MAX, C_MATRIX, "",
     "the page is written"},
    {"kut", "kut CASE... FILE [--as-recorded] [-o x86/dbsweep.c]",
     "one kvm-unit-tests program (x86/dbsweep.c) running the cases\n"
     "(globs) as dbsweep does, asserting the model's expectation for\n"
     "FILE's vendor; exit 2 naming each case it cannot express",
     2, INT_MAX, C_KUT, "", "the program is written"},
    {"check", "check FILE...", "validate, re-judge every row with the model", 1, INT_MAX,
     C_CHECK, "a stored verdict disagrees with the model", "every row agrees"},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* Long-only options' getopt codes. */
enum { O_ALLOW_INCOMPLETE = 256, O_STRICT, O_STAT, O_EVENTS_ONLY, O_COMMON, O_AS_RECORDED };

static const struct option_help {
    const char *name, *arg; /* arg: NULL for a flag */
    int code;               /* the short option, or O_* */
    unsigned cmds;
    const char *text; /* lines after the first are indented under it */
} options[] = {
    {"output", "FILE", 'o', C_ALL,
     "write there instead of standard output ('-': stdout);\n"
     "the file is put in place unless the command ends in\n"
     "an error (exit 2): a half-written file never appears"},
    {"known", "LIST", 'k', C_SUMMARY | C_VERDICTS,
     "expected failures: a list in the format of\n"
     "tests/e2e/tcg-known/qemu-7.2.txt; give it again for\n"
     "more files (a case takes the first entry)"},
    {"format", "FORMAT", 'f', C_VERDICTS, "json, tap or junit"},
    {"allow-incomplete", NULL, O_ALLOW_INCOMPLETE, C_VERDICTS,
     "an incomplete run is an expected failure (XFAIL)"},
    {"strict", NULL, O_STRICT, C_VERDICTS,
     "a case --known lists that matches (XPASS) fails"},
    {"group", "GROUP", 'g', C_DIFF, "only the cases of GROUP"},
    {"case", "GLOBS", 'c', C_DIFF,
     "only cases matching one of the comma-separated\n"
     "globs ('*', '?'), as the cases= option"},
    {"common", NULL, O_COMMON, C_DIFF,
     "only the cases both runs have (the rest is counted,\n"
     "not compared)"},
    {"events-only", NULL, O_EVENTS_ONLY, C_DIFF,
     "hide cases whose events agree and only the verdict\n"
     "differs (counted, not shown; not a difference)"},
    {"stat", NULL, O_STAT, C_DIFF, "the runs and the counts per group and kind only"},
    {"quiet", NULL, 'q', C_DIFF, "print nothing: the exit status says it"},
    {"as-recorded", NULL, O_AS_RECORDED, C_KUT,
     "assert what FILE recorded instead of the model's\n"
     "expectation"},
    {"help", NULL, 'h', C_ALL, "this text (after a command: that command's help)"},
    {"version", NULL, 'V', C_ALL, "tool, model and CSV schema versions"},
};
#define NOPTIONS (sizeof(options) / sizeof(options[0]))

struct args {
    const char *out, *format, *group, *cases;
    const char *known[MAX_LISTS]; /* --known, in order */
    unsigned nknown;
    int allow_incomplete, strict, stat, quiet, events_only, common, as_recorded, help;
    unsigned char given[NOPTIONS]; /* which options the command line has */
};

/* "dbsweep-report: <what>" (nothing when getopt has spoken), then a pointer
 * to the help; exit status 2. */
static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    if (fmt) {
        fprintf(stderr, ME ": ");
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
    }
    fprintf(stderr, "Try '" ME " %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return 2;
}

/* Text whose lines after the first start at column indent. */
static void put_indented(const char *text, int indent)
{
    for (; *text; text++) {
        fputc(*text, stdout);
        if (*text == '\n')
            printf("%*s", indent, "");
    }
    fputc('\n', stdout);
}

/* "  -o, --output FILE        text" for the options of the commands in mask;
 * those of a few commands name them when the help is the general one. */
static void put_options(unsigned mask)
{
    unsigned i, c;

    for (i = 0; i < NOPTIONS; i++) {
        const struct option_help *o = &options[i];
        char left[40], which[64] = "";

        if (!(o->cmds & mask))
            continue;
        snprintf(left, sizeof(left), "%c%c%c --%s%s%s", o->code < 256 ? '-' : ' ',
                 o->code < 256 ? o->code : ' ', o->code < 256 ? ',' : ' ', o->name,
                 o->arg ? " " : "", o->arg ? o->arg : "");
        if (mask == C_ALL && o->cmds != C_ALL) {
            for (c = 0; c < NCOMMANDS; c++)
                if (o->cmds & commands[c].bit)
                    snprintf(which + strlen(which), sizeof(which) - strlen(which), "%s%s",
                             which[0] ? ", " : "(", commands[c].name);
            strcat(which, ")");
        }
        printf("  %-24s ", left);
        if (which[0]) /* the general help: which commands take it */
            printf("%s\n%27s", which, "");
        put_indented(o->text, 27);
    }
}

static void put_help(const struct command *cmd)
{
    unsigned c;

    if (cmd) {
        printf("usage: " ME " %s\n", cmd->synopsis);
        put_indented(cmd->what, 0);
        printf("Reads dbsweep result CSVs (schema 1 and 2; gzip-compressed ones too;\n"
               "'-' reads standard input).\n\noptions:\n");
        put_options(cmd->bit);
        printf("\nexit status:\n  0  ");
        put_indented(cmd->fine, 5);
        if (cmd->finding[0]) {
            printf("  1  ");
            put_indented(cmd->finding, 5);
        }
        printf("  2  an error: bad usage, an unreadable or malformed file\n");
        return;
    }
    printf("usage: " ME " COMMAND [OPTION]... FILE...\n"
           "Reads dbsweep result CSVs (schema 1 and 2; gzip-compressed ones too;\n"
           "'-' reads standard input).\n\ncommands:\n");
    for (c = 0; c < NCOMMANDS; c++) {
        printf("  %s\n      ", commands[c].synopsis);
        put_indented(commands[c].what, 6);
    }
    printf("\noptions:\n");
    put_options(C_ALL);
    printf("\nexit status:\n  0  fine (" ME " COMMAND --help says what for each)\n"
           "  1  a finding:\n");
    for (c = 0; c < NCOMMANDS; c++)
        if (commands[c].finding[0]) {
            printf("     %s: ", commands[c].name);
            put_indented(commands[c].finding, 7);
        }
    printf("  2  an error: bad usage, an unreadable or malformed file\n");
}

/* Loads the files diff and kut compare (at most 2) or check reads (one at
 * a time); on an error prints it and returns -1. */
static int load(char **paths, unsigned n, struct dbs_run *runs, struct dbs_run **ptrs)
{
    char err[512];
    unsigned i;

    for (i = 0; i < n; i++) {
        ptrs[i] = &runs[i];
        if (dbs_run_load(&runs[i], paths[i], err, sizeof(err))) {
            fprintf(stderr, ME ": %s\n", err);
            return -1;
        }
    }
    return 0;
}

/* check, file by file: one loaded at a time. */
static int check_each(char **paths, unsigned n, FILE *out)
{
    unsigned i;
    int rc = 0;

    for (i = 0; i < n && rc != 2; i++) {
        struct dbs_run run, *p;
        if (load(paths + i, 1, &run, &p))
            rc = 2;
        else if (dbs_report_check(&p, 1, out))
            rc = 1;
        dbs_run_free(&run);
    }
    return rc;
}

static int parse_format(const char *s)
{
    static const char *const names[] = {[DBS_FORMAT_JSON] = "json", [DBS_FORMAT_TAP] = "tap",
                                        [DBS_FORMAT_JUNIT] = "junit"};
    int i;

    for (i = 0; s && i < (int)(sizeof(names) / sizeof(names[0])); i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

/* Runs the command on its files, writing to out. summary, verdicts and
 * matrix stream their files (runs.h): any number of them. */
static int run(const char *cmd, const struct args *a, char **operands, unsigned nops,
               struct dbs_known *known, FILE *out)
{
    struct dbs_runs files = {NULL, operands, nops, NULL};
    struct dbs_run runs[2] = {{0}, {0}}, *ptrs[2];
    struct dbs_verdicts_options o = {parse_format(a->format), a->strict, a->allow_incomplete};
    int rc = 2;

    if (!strcmp(cmd, "summary") || !strcmp(cmd, "verdicts") || !strcmp(cmd, "matrix")) {
        dbs_runs_ahead(&files);
        if (!strcmp(cmd, "summary"))
            rc = dbs_report_summary(&files, known, out);
        else if (!strcmp(cmd, "verdicts"))
            rc = dbs_report_verdicts(&files, &o, known, out);
        else
            rc = dbs_report_matrix(&files, out);
        dbs_runs_close(&files);
        return rc;
    }
    if (!strcmp(cmd, "check"))
        return check_each(operands, nops, out);
    if (!strcmp(cmd, "diff")) {
        struct dbs_diff_options o = {a->group,  a->cases,       a->common,
                                     a->events_only, a->stat, a->quiet};
        if (!load(operands, 2, runs, ptrs))
            rc = dbs_report_diff(ptrs[0], ptrs[1], &o, out);
    } else if (!load(operands + nops - 1, 1, runs, ptrs)) { /* kut CASE... FILE */
        rc = dbs_report_kut(ptrs[0], operands, nops - 1, a->as_recorded, out);
    }
    dbs_run_free(&runs[0]);
    dbs_run_free(&runs[1]);
    return rc;
}

static const struct command *find_command(const char *name)
{
    unsigned c;

    for (c = 0; c < NCOMMANDS; c++)
        if (!strcmp(commands[c].name, name))
            return &commands[c];
    return NULL;
}

/* The options and operands cmd takes: "diff does not take --known". */
static int check_usage(const struct command *cmd, const struct args *a, char **ops, int nops)
{
    unsigned i;
    int k, stdin_at = -1;

    if (nops < cmd->min || nops > cmd->max)
        return usage_error(cmd->name, "usage: " ME " %s", cmd->synopsis);
    for (i = 0; i < NOPTIONS; i++)
        if (a->given[i] && !(options[i].cmds & cmd->bit))
            return usage_error(cmd->name, "%s does not take --%s", cmd->name, options[i].name);
    if (cmd->bit == C_VERDICTS && parse_format(a->format) < 0)
        return usage_error(cmd->name, a->format ? "--format '%s': not json, tap or junit"
                                                : "verdicts needs --format json, tap or junit",
                           a->format);
    if (a->quiet && (a->stat || a->out))
        return usage_error(cmd->name, "--quiet prints nothing: it takes no --%s",
                           a->stat ? "stat" : "output");
    for (k = cmd->bit == C_KUT ? nops - 1 : 0; k < nops; k++) /* kut's CASEs are no files */
        if (!strcmp(ops[k], "-")) {
            if (stdin_at >= 0)
                return usage_error(cmd->name, "'-' (standard input) can be read once only");
            stdin_at = k;
        }
    return 0;
}

/* Records option i of the table as given; 0, or the usage error's status. */
static int take_option(struct args *a, int code, const char *arg)
{
    unsigned i;

    for (i = 0; i < NOPTIONS && options[i].code != code; i++)
        ;
    a->given[i] = 1;
    switch (code) {
    case 'o': a->out = arg; break;
    case 'k':
        if (a->nknown == MAX_LISTS)
            return usage_error(NULL, "--known: at most %d lists", MAX_LISTS);
        a->known[a->nknown++] = arg;
        break;
    case 'f': a->format = arg; break;
    case 'g': a->group = arg; break;
    case 'c': a->cases = arg; break;
    case 'q': a->quiet = 1; break;
    case 'h': a->help = 1; break;
    case O_ALLOW_INCOMPLETE: a->allow_incomplete = 1; break;
    case O_STRICT: a->strict = 1; break;
    case O_STAT: a->stat = 1; break;
    case O_EVENTS_ONLY: a->events_only = 1; break;
    case O_COMMON: a->common = 1; break;
    case O_AS_RECORDED: a->as_recorded = 1; break;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct option longopts[NOPTIONS + 1];
    char shortopts[2 * NOPTIONS + 1], *p = shortopts;
    struct args a = {0};
    struct dbs_known known = {0}, *kp = NULL;
    const struct command *cmd;
    unsigned i;
    struct dbs_output out;
    char **operands, err[512];
    int c, nops, rc;

    for (i = 0; i < NOPTIONS; i++) {
        longopts[i] = (struct option){options[i].name,
                                      options[i].arg ? required_argument : no_argument, NULL,
                                      options[i].code};
        if (options[i].code < 256) {
            *p++ = (char)options[i].code;
            if (options[i].arg)
                *p++ = ':';
        }
    }
    longopts[NOPTIONS] = (struct option){NULL, 0, NULL, 0};
    *p = 0;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == 'V') {
            printf(ME " %s (git %s)\nreference model: %s\nreads CSV schemas: %s, %s\n",
                   DBS_VERSION, DBS_GIT, DBS_MODEL_NAME, DBS_CSV_SCHEMA, DBS_CSV_SCHEMA_1);
            return 0;
        }
        if (c == '?' || c == ':')
            return usage_error(NULL, NULL); /* getopt said what was wrong */
        if (take_option(&a, c, optarg))
            return 2;
    }
    cmd = optind < argc ? find_command(argv[optind]) : NULL;
    if (optind < argc && !cmd)
        return usage_error(NULL, "unknown command '%s'", argv[optind]);
    if (a.help) {
        put_help(cmd);
        return 0;
    }
    if (!cmd)
        return usage_error(NULL, "no command given");
    operands = argv + optind + 1;
    nops = argc - optind - 1;
    if (check_usage(cmd, &a, operands, nops))
        return 2;
    for (i = 0; i < a.nknown; i++) /* one list, the files in order */
        if (dbs_known_load(&known, a.known[i], err, sizeof(err))) {
            fprintf(stderr, ME ": --known %s\n", err);
            dbs_known_free(&known);
            return 2;
        }
    if (a.nknown)
        kp = &known;
    /* A file's text (~12 MB for a full sweep) is freed before the next is
     * read: keep it in the heap for reuse instead of mapping and zeroing
     * fresh pages for every file (glibc maps blocks from 128 KiB). */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    if (dbs_output_open(&out, a.out))
        return 2;
    rc = run(cmd->name, &a, operands, (unsigned)nops, kp, out.f);
    if (dbs_output_close(&out, rc != 2))
        rc = 2;
    if (kp)
        dbs_known_free(kp);
    return rc;
}
