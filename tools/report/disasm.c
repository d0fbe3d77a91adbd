/* Disassembly through objdump: the report prints what ran as assembly
 * without an x86 decoder of its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

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

int dbs_disasm(const unsigned char *bytes, size_t n, char lines[][80], unsigned *offs,
               unsigned max)
{
    char path[] = "/tmp/dbsweep-report-XXXXXX", cmd[128], line[256];
    int fd = mkstemp(path);
    unsigned count = 0;
    FILE *p;

    if (fd < 0)
        return -1;
    if (write(fd, bytes, n) != (ssize_t)n) {
        close(fd);
        unlink(path);
        return -1;
    }
    close(fd);
    snprintf(cmd, sizeof(cmd), "objdump -D -b binary -mi386:x86-64 -M intel --insn-width=15 %s",
             path);
    p = popen(cmd, "r");
    if (!p) {
        unlink(path);
        return -1;
    }
    while (fgets(line, sizeof(line), p) && count < max) {
        unsigned off;
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL, *s;

        if (!t2 || sscanf(line, " %x:", &off) != 1)
            continue;
        for (s = t2 + 1; *s; s++) /* one space between mnemonic and operands */
            if (*s == '\n')
                *s = 0;
        offs[count] = off;
        snprintf(lines[count], 80, "%s", t2 + 1);
        for (s = lines[count]; *s; s++)
            while (*s == ' ' && s[1] == ' ')
                memmove(s, s + 1, strlen(s));
        count++;
    }
    if (pclose(p) != 0)
        count = 0;
    unlink(path);
    return count ? (int)count : -1;
}
