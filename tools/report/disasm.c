/* Disassembly through objdump: the report prints what ran as assembly
 * without an x86 decoder of its own. Many byte strings go through one
 * objdump run per code width (a file each, all named on one command line):
 * a diff of thousands of cases used to start objdump thousands of times. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "disasm.h"
#include "grow.h"

int dbs_unhex(const char *hex, unsigned char *out, size_t cap)
{
    size_t n = 0;

    for (; hex[0] && hex[1]; hex += 2) {
        unsigned v;
        if (n == cap || sscanf(hex, "%2x", &v) != 1)
            return -1;
        out[n++] = (unsigned char)v;
    }
    return hex[0] ? -1 : (int)n;
}

/* Writes job i's bytes to dir/n<i>; the names are objdump's arguments. */
static int write_inputs(int dir, const struct dbs_disasm_job *jobs, unsigned n, char **argv)
{
    unsigned i;

    for (i = 0; i < n; i++) {
        int fd, ok;

        argv[i] = malloc(16);
        if (!argv[i])
            return -1;
        snprintf(argv[i], 16, "n%u", i);
        fd = openat(dir, argv[i], O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0)
            return -1;
        ok = write(fd, jobs[i].bytes, jobs[i].n) == (ssize_t)jobs[i].n;
        if (close(fd) || !ok)
            return -1;
    }
    return 0;
}

/* objdump in dir with the given file names, decoding 32- or 64-bit code;
 * its stdout as a stream. */
static FILE *start_objdump(const char *dir, char **names, unsigned n, int bits32, pid_t *pid)
{
    const char *const head[] = {"objdump", "-D", "-b", "binary",
                                bits32 ? "-mi386" : "-mi386:x86-64", "-M", "intel",
                                "--insn-width=15"};
    const unsigned nhead = sizeof(head) / sizeof(head[0]);
    char **argv = calloc(nhead + n + 1, sizeof(*argv));
    int fds[2];

    if (!argv || pipe(fds)) {
        free(argv);
        return NULL;
    }
    memcpy(argv, head, sizeof(head));
    memcpy(argv + nhead, names, n * sizeof(*names));
    *pid = fork();
    if (*pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(fds[1], 1);
        if (null >= 0)
            dup2(null, 2); /* "objdump: not found" is said by the caller */
        close(fds[0]);
        if (chdir(dir) == 0)
            execvp(argv[0], argv);
        _exit(127);
    }
    free(argv);
    close(fds[1]);
    if (*pid < 0) {
        close(fds[0]);
        return NULL;
    }
    return fdopen(fds[0], "r");
}

static int add_line(struct dbs_disasm *d, unsigned off, const char *text)
{
    struct dbs_asm_line *l;
    char *s;

    if (dbs_grow(&d->lines, d->nlines, &d->cap, sizeof(*d->lines), 256))
        return -1;
    l = &d->lines[d->nlines++];
    l->off = off;
    snprintf(l->text, sizeof(l->text), "%s", text);
    l->text[strcspn(l->text, "\n")] = 0;
    for (s = l->text; *s; s++) /* one space between mnemonic and operands */
        while (*s == ' ' && s[1] == ' ')
            memmove(s, s + 1, strlen(s));
    return 0;
}

/* objdump's listing: "n<i>:     file format binary" starts file i, then
 * "   off:\tbytes\tmnemonic operands" per instruction. */
static int read_listing(FILE *p, struct dbs_disasm_job *jobs, unsigned n, struct dbs_disasm *d)
{
    char line[512];
    unsigned cur = n, i, off;

    while (fgets(line, sizeof(line), p)) {
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;

        if (line[0] == 'n' && strstr(line, ":     file format") && sscanf(line, "n%u:", &i) == 1 &&
            i < n) {
            cur = i;
            jobs[cur].first = d->nlines;
        } else if (cur < n && t2 && sscanf(line, " %x:", &off) == 1) {
            if (add_line(d, off, t2 + 1))
                return -1;
            jobs[cur].count++;
        }
    }
    return 0;
}

static void remove_inputs(const char *path, int dir, char **names, unsigned n)
{
    unsigned i;

    for (i = 0; i < n && names[i]; i++) {
        unlinkat(dir, names[i], 0);
        free(names[i]);
    }
    close(dir);
    rmdir(path);
}

/* One objdump run over the jobs of one width, read into d; 0, or -1. */
static int run_width(const char *dir, char **names, struct dbs_disasm_job *jobs, unsigned n,
                     int bits32, struct dbs_disasm *d)
{
    char **mine = calloc(n + 1, sizeof(*mine));
    unsigned i, m = 0;
    int status = -1, rc = -1;
    pid_t pid;
    FILE *p;

    if (!mine)
        return -1;
    for (i = 0; i < n; i++)
        if (!jobs[i].bits32 == !bits32)
            mine[m++] = names[i];
    p = m ? start_objdump(dir, mine, m, bits32, &pid) : NULL;
    if (p) {
        rc = read_listing(p, jobs, n, d);
        fclose(p);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    free(mine);
    return !m ? 0 : rc || !WIFEXITED(status) || WEXITSTATUS(status) ? -1 : 0;
}

int dbs_disasm_batch(struct dbs_disasm_job *jobs, unsigned n, struct dbs_disasm *d)
{
    const char *tmp = getenv("TMPDIR");
    char dir[4096], **names = calloc(n + 1, sizeof(*names));
    unsigned i;
    int rc = -1, dfd;

    memset(d, 0, sizeof(*d));
    for (i = 0; i < n; i++)
        jobs[i].first = jobs[i].count = 0;
    snprintf(dir, sizeof(dir), "%s/dbsweep-report-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!names || !mkdtemp(dir)) {
        free(names);
        return -1;
    }
    dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0 && !write_inputs(dfd, jobs, n, names))
        rc = run_width(dir, names, jobs, n, 0, d) || run_width(dir, names, jobs, n, 1, d) ? -1 : 0;
    remove_inputs(dir, dfd, names, n);
    free(names);
    if (rc) {
        for (i = 0; i < n; i++)
            jobs[i].count = 0;
        dbs_disasm_free(d);
        return -1;
    }
    return 0;
}

void dbs_disasm_free(struct dbs_disasm *d)
{
    free(d->lines);
    memset(d, 0, sizeof(*d));
}

int dbs_disasm(const unsigned char *bytes, size_t n, char lines[][80], unsigned *offs,
               unsigned max)
{
    struct dbs_disasm_job job = {bytes, n, 0, 0, 0};
    struct dbs_disasm d;
    unsigned i;

    if (dbs_disasm_batch(&job, 1, &d) || !job.count)
        return -1;
    for (i = 0; i < job.count && i < max; i++) {
        offs[i] = d.lines[job.first + i].off;
        snprintf(lines[i], 80, "%s", d.lines[job.first + i].text);
    }
    dbs_disasm_free(&d);
    return (int)i;
}
