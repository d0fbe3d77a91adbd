/* dbsweep-list [-o FILE] [GLOB[,GLOB...]]: prints the case table the app
 * runs (the same generator code, random:SEED:N items included), one case per line:
 *   name  tf  bytes  boundaries  bps  [mode]  [needs]
 * boundaries are offset:kind for each instruction, then the end offset. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "dbs_case.h"
#include "dbs_csv.h"
#include "dbs_insn.h"
#include "dbs_model.h"
#include "dbs_options.h"
#include "version.h"

#define ME "dbsweep-list"

static const char usage_text[] =
    "usage: " ME " [OPTION]... [GLOB[,GLOB...]]\n"
    "Prints dbsweep's case table, the cases GLOB selects (as the cases= option;\n"
    "default '*'; an item random:SEED:N adds the seeded random cases\n"
    "random.SEED.0 to random.SEED.N-1), one a line, tab-separated: name, how TF\n"
    "is armed, the bytes in hex, offset:kind of each instruction then the end\n"
    "offset, the breakpoints (as the CSV's bps column, '-' for none), then\n"
    "mode:MODE where the name does not say it (random cases; k64 otherwise),\n"
    "then needs:WHAT for what the machine must offer. The count goes to\n"
    "standard error.\n"
    "\n"
    "  -o, --output FILE   write there instead of standard output ('-': stdout)\n"
    "  -h, --help          this text\n"
    "  -V, --version       tool and model versions\n"
    "\n"
    "exit status: 0 listed (also when no case matches), 1 a case does not compile,\n"
    "2 bad usage or an output error.\n";

static void put_case(struct dbs_buf *b, const struct dbs_case *c)
{
    static const char *const needs[] = {"timer", "rdtscp", "osxsave", "env", "xapic",
                                        "delivery_watch"}; /* by bit */
    unsigned i;

    dbs_put_str(b, c->name);
    dbs_put_char(b, '\t');
    dbs_put_str(b, dbs_tf_names[c->tf]);
    dbs_put_char(b, '\t');
    dbs_put_hex_bytes(b, c->bytes, c->nbytes);
    dbs_put_char(b, '\t');
    for (i = 0; i < c->ninsn; i++) {
        dbs_put_dec(b, c->off[i]);
        dbs_put_char(b, ':');
        dbs_put_str(b, dbs_kind_names[c->kind[i]]);
        dbs_put_char(b, ',');
    }
    dbs_put_dec(b, c->nbytes);
    dbs_put_char(b, '\t');
    if (c->nbp)
        dbs_csv_bps(b, c);
    else
        dbs_put_char(b, '-');
    /* a mode the name does not say (random cases): k64 otherwise */
    for (i = 0; dbs_mode_names[c->mode][i] && c->name[i] == dbs_mode_names[c->mode][i]; i++)
        ;
    if (c->mode != DBS_MODE_K64 && (dbs_mode_names[c->mode][i] || c->name[i] != '.')) {
        dbs_put_str(b, "\tmode:");
        dbs_put_str(b, dbs_mode_names[c->mode]);
    }
    for (i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
        if (c->needs & (1u << i)) {
            dbs_put_str(b, "\tneeds:");
            dbs_put_str(b, needs[i]);
        }
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {"version", no_argument, NULL, 'V'},
                                             {NULL, 0, NULL, 0}};
    static struct dbs_case c;
    static char line[1024];
    const char *sel = "*", *path = NULL;
    FILE *out = stdout;
    unsigned i, n = 0;
    int opt, rc = 0;

    while ((opt = getopt_long(argc, argv, "o:hV", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o': path = strcmp(optarg, "-") ? optarg : NULL; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf(ME " %s (git %s)\nreference model: %s\n", DBS_VERSION, DBS_GIT,
                         DBS_MODEL_NAME);
                  return 0;
        default: fprintf(stderr, "Try '" ME " --help'.\n"); return 2;
        }
    }
    if (argc - optind > 1) {
        fprintf(stderr, ME ": one GLOB list at most (comma-separated)\nTry '" ME " --help'.\n");
        return 2;
    }
    if (optind < argc)
        sel = argv[optind];
    {
        /* the app's own check of a cases= value, with its message */
        static struct dbs_options o;
        static char arg[sizeof(o.cases) + 8], msg[256];
        struct dbs_buf err;

        dbs_buf_init(&err, msg, sizeof(msg));
        snprintf(arg, sizeof(arg), "cases=%s", sel);
        if (strlen(sel) >= sizeof(o.cases) || dbs_options_parse_args(&o, arg, &err)) {
            fprintf(stderr, ME ": %s\n", err.len ? dbs_buf_str(&err) : "GLOB list too long");
            return 2;
        }
    }
    dbs_random_configure(sel);
    if (path && !(out = fopen(path, "w"))) {
        fprintf(stderr, ME ": cannot write %s: %s\n", path, strerror(errno));
        return 2;
    }
    for (i = 0; i < dbs_case_count() && !rc; i++) {
        struct dbs_buf b;

        if (dbs_case_get(i, &c)) {
            fprintf(stderr, ME ": case %u does not compile\n", i);
            rc = 1;
            break;
        }
        if (!dbs_selected(sel, c.name))
            continue;
        dbs_buf_init(&b, line, sizeof(line));
        put_case(&b, &c);
        fprintf(out, "%s\n", dbs_buf_str(&b));
        n++;
    }
    if (fflush(out) || ferror(out) || (out != stdout && fclose(out))) {
        fprintf(stderr, ME ": error writing %s: %s\n", path ? path : "standard output",
                strerror(errno));
        return 2;
    }
    fprintf(stderr, "%u of %u cases\n", n, dbs_case_count());
    return rc;
}
