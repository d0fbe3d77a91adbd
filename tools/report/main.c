/* dbsweep-report: summary, verdicts, diff, matrix, kut and check over
 * dbsweep CSVs. Options go anywhere (getopt_long); exit status: 0 fine,
 * 1 a finding, 2 an error (see usage_text). */
#include <getopt.h>
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
#define MAX_FILES 64

static const char usage_text[] =
    "usage: " ME " COMMAND [OPTION]... FILE...\n"
    "Reads dbsweep result CSVs (schema 1 and 2; gzip-compressed ones too).\n"
    "\n"
    "commands:\n"
    "  summary FILE...          who ran it, complete or not, verdicts per group\n"
    "  verdicts FILE... --format json|tap|junit\n"
    "                           one result per case and per group, for CI: JSON,\n"
    "                           KTAP (TAP 13 compatible) or JUnit XML\n"
    "  diff A B                 the cases that differ between two runs, and how\n"
    "  matrix FILE...           one self-contained HTML page, machines across\n"
    "  kut CASE FILE            a kvm-unit-tests style test asserting FILE's #DBs\n"
    "  check FILE...            validate, re-judge every row with the model\n"
    "\n"
    "options:\n"
    "  -o, --output FILE        write there instead of standard output ('-': stdout);\n"
    "                           the file is put in place unless the command ends in\n"
    "                           an error (exit 2): a half-written file never appears\n"
    "  -k, --known FILE         (summary, verdicts) expected failures: a list in the\n"
    "                           format of tests/e2e/tcg-known/qemu-7.2.txt; give it\n"
    "                           again for more files (a case takes the first entry)\n"
    "  -f, --format FORMAT      (verdicts) json, tap or junit\n"
    "  -g, --group GROUP        (diff) only the cases of GROUP\n"
    "  -c, --case GLOBS         (diff) only cases matching one of the comma-separated\n"
    "                           globs ('*', '?'), as the cases= option\n"
    "  -h, --help               this text\n"
    "  -V, --version            tool, model and CSV schema versions\n"
    "\n"
    "exit status:\n"
    "  0  summary: every run complete and, with --known, no unexpected mismatch;\n"
    "     verdicts: no unexpected failure; diff: no difference; check: all agree\n"
    "  1  summary: a run is incomplete (no '# status: complete') or, with --known,\n"
    "     has an unexpected mismatch; verdicts: a case failed that --known does not\n"
    "     list (a mismatch or a crash); diff: the runs differ (events, verdicts, or\n"
    "     cases only one has); check: a stored verdict disagrees with the model\n"
    "  2  an error: bad usage, an unreadable or malformed file\n"
    "A case --known lists that matches now is reported as unexpectedly passing\n"
    "(XPASS) by verdicts and summary; it does not change the exit status.\n";

#define MAX_LISTS 16

struct args {
    const char *out, *format, *group, *cases;
    const char *known[MAX_LISTS]; /* --known, in order */
    unsigned nknown;
};

/* "dbsweep-report: <what>" (nothing when getopt has spoken), then a pointer
 * to --help; exit status 2. */
static int usage_error(const char *fmt, const char *what)
{
    if (fmt) {
        fprintf(stderr, ME ": ");
        fprintf(stderr, fmt, what);
        fputc('\n', stderr);
    }
    fprintf(stderr, "Try '" ME " --help'.\n");
    return 2;
}

/* Loads every file; on the first error prints it and returns NULL. */
static struct dbs_run **load_all(char **paths, unsigned n)
{
    static struct dbs_run runs[MAX_FILES];
    static struct dbs_run *ptrs[MAX_FILES];
    char err[512];
    unsigned i;

    for (i = 0; i < n; i++) {
        if (dbs_run_load(&runs[i], paths[i], err, sizeof(err))) {
            fprintf(stderr, ME ": %s\n", err);
            return NULL;
        }
        ptrs[i] = &runs[i];
    }
    return ptrs;
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

/* Runs the command on its loaded files, writing to out. */
static int run(const char *cmd, const struct args *a, struct dbs_run **runs, unsigned n,
               char **operands, struct dbs_known *known, FILE *out)
{
    if (!strcmp(cmd, "summary"))
        return dbs_report_summary(runs, n, known, out);
    if (!strcmp(cmd, "verdicts"))
        return dbs_report_verdicts(runs, n, parse_format(a->format), known, out);
    if (!strcmp(cmd, "check"))
        return dbs_report_check(runs, n, out);
    if (!strcmp(cmd, "matrix"))
        return dbs_report_matrix(runs, n, out);
    if (!strcmp(cmd, "diff")) {
        struct dbs_diff_filter flt = {a->group, a->cases};
        return dbs_report_diff(runs[0], runs[1], &flt, out);
    }
    return dbs_report_kut(runs[0], operands[0], out);
}

/* Which options and how many operands each command takes. */
static int check_usage(const char *cmd, const struct args *a, int nops)
{
    static const struct {
        const char *name, *synopsis;
        int min, max; /* operands */
        int known, format, filter;
    } cmds[] = {
        {"summary", "summary FILE... [--known LIST]", 1, MAX_FILES, 1, 0, 0},
        {"verdicts", "verdicts FILE... --format json|tap|junit [--known LIST]", 1, MAX_FILES, 1,
         1, 0},
        {"diff", "diff A B [--group GROUP] [--case GLOBS]", 2, 2, 0, 0, 1},
        {"matrix", "matrix FILE... [-o PAGE.html]", 1, MAX_FILES, 0, 0, 0},
        {"kut", "kut CASE FILE", 2, 2, 0, 0, 0},
        {"check", "check FILE...", 1, MAX_FILES, 0, 0, 0},
    };
    unsigned i;

    for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]) && strcmp(cmds[i].name, cmd); i++)
        ;
    if (i == sizeof(cmds) / sizeof(cmds[0]))
        return usage_error("unknown command '%s'", cmd);
    if (nops < cmds[i].min || nops > cmds[i].max)
        return usage_error("usage: " ME " %s (at most 64 files)", cmds[i].synopsis);
    if ((a->nknown && !cmds[i].known) || (a->format && !cmds[i].format) ||
        ((a->group || a->cases) && !cmds[i].filter))
        return usage_error("%s does not take that option", cmd);
    if (cmds[i].format && parse_format(a->format) < 0)
        return usage_error("%s needs --format json, tap or junit", cmd);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"known", required_argument, NULL, 'k'},
        {"format", required_argument, NULL, 'f'}, {"group", required_argument, NULL, 'g'},
        {"case", required_argument, NULL, 'c'},   {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0},
    };
    struct args a = {0};
    struct dbs_known known = {0}, *kp = NULL;
    unsigned i;
    struct dbs_output out;
    struct dbs_run **runs;
    const char *cmd;
    char **operands, err[512];
    int c, nops, rc;

    while ((c = getopt_long(argc, argv, "o:k:f:g:c:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': a.out = optarg; break;
        case 'k':
            if (a.nknown == MAX_LISTS)
                return usage_error("at most %s --known lists", "16");
            a.known[a.nknown++] = optarg;
            break;
        case 'f': a.format = optarg; break;
        case 'g': a.group = optarg; break;
        case 'c': a.cases = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V':
            printf(ME " %s (git %s)\nreference model: %s\nreads CSV schemas: %s, %s\n",
                   DBS_VERSION, DBS_GIT, DBS_MODEL_NAME, DBS_CSV_SCHEMA, DBS_CSV_SCHEMA_1);
            return 0;
        default: return usage_error(NULL, NULL); /* getopt said what was wrong */
        }
    }
    if (optind >= argc)
        return usage_error("%s", "no command given");
    cmd = argv[optind];
    operands = argv + optind + 1;
    nops = argc - optind - 1;
    if (check_usage(cmd, &a, nops))
        return 2;
    for (i = 0; i < a.nknown; i++) /* one list, the files in order */
        if (dbs_known_load(&known, a.known[i], err, sizeof(err))) {
            fprintf(stderr, ME ": %s\n", err);
            dbs_known_free(&known);
            return 2;
        }
    if (a.nknown)
        kp = &known;
    /* kut CASE FILE: the first operand is a case name, not a file */
    runs = !strcmp(cmd, "kut") ? load_all(operands + 1, 1) : load_all(operands, (unsigned)nops);
    if (!runs || dbs_output_open(&out, a.out))
        return 2;
    rc = run(cmd, &a, runs, !strcmp(cmd, "kut") ? 1 : (unsigned)nops, operands, kp, out.f);
    if (dbs_output_close(&out, rc != 2))
        rc = 2;
    if (kp)
        dbs_known_free(kp);
    return rc;
}
