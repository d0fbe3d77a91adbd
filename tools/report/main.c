/* dbsweep-report: summary, diff, matrix, kut and check over dbsweep CSVs.
 * Exit status: 0 fine (diff: equal), 1 a finding (diff: differ; check:
 * disagreeing rows), 2 an error (unreadable or malformed input, bad usage). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matrix.h"
#include "report.h"

#define MAX_FILES 64

static int usage(void)
{
    fputs("usage: dbsweep-report summary FILE...\n"
          "       dbsweep-report diff A.csv B.csv [--group G]\n"
          "       dbsweep-report matrix FILE... -o matrix.html\n"
          "       dbsweep-report kut CASE FILE\n"
          "       dbsweep-report check FILE...\n",
          stderr);
    return 2;
}

/* Loads every file; on the first error prints it and returns NULL. */
static struct dbs_run **load_all(char **paths, unsigned n)
{
    static struct dbs_run runs[MAX_FILES];
    static struct dbs_run *ptrs[MAX_FILES];
    char err[512];
    unsigned i;

    if (n == 0 || n > MAX_FILES) {
        fprintf(stderr, "dbsweep-report: give 1 to %d files\n", MAX_FILES);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if (dbs_run_load(&runs[i], paths[i], err, sizeof(err))) {
            fprintf(stderr, "dbsweep-report: %s\n", err);
            return NULL;
        }
        ptrs[i] = &runs[i];
    }
    return ptrs;
}

int main(int argc, char **argv)
{
    struct dbs_run **runs;
    const char *cmd = argc > 1 ? argv[1] : "";

    if (!strcmp(cmd, "summary") || !strcmp(cmd, "check")) {
        runs = load_all(argv + 2, (unsigned)argc - 2);
        if (!runs)
            return 2;
        return cmd[0] == 's' ? dbs_report_summary(runs, (unsigned)argc - 2, stdout)
                             : dbs_report_check(runs, (unsigned)argc - 2, stdout);
    }
    if (!strcmp(cmd, "diff")) {
        const char *group = NULL;
        if (argc == 6 && !strcmp(argv[4], "--group"))
            group = argv[5];
        else if (argc != 4)
            return usage();
        runs = load_all(argv + 2, 2);
        return runs ? dbs_report_diff(runs[0], runs[1], group, stdout) : 2;
    }
    if (!strcmp(cmd, "matrix")) {
        if (argc < 5 || strcmp(argv[argc - 2], "-o"))
            return usage();
        runs = load_all(argv + 2, (unsigned)argc - 4);
        return runs ? dbs_report_matrix(runs, (unsigned)argc - 4, argv[argc - 1]) : 2;
    }
    if (!strcmp(cmd, "kut")) {
        if (argc != 4)
            return usage();
        runs = load_all(argv + 3, 1);
        return runs ? dbs_report_kut(runs[0], argv[2], stdout) : 2;
    }
    return usage();
}
