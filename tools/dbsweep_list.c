/* dbsweep-list [GLOB[,GLOB...]]: prints the case table the app runs (the
 * same generator code), one case per line:
 *   name  tf  bytes  boundaries  bps  [needs]
 * boundaries are offset:kind for each instruction, then the end offset. */
#include <stdio.h>
#include <string.h>

#include "dbs_case.h"
#include "dbs_csv.h"
#include "dbs_insn.h"
#include "dbs_options.h"

static void put_case(struct dbs_buf *b, const struct dbs_case *c)
{
    static const char *const needs[] = {"timer", "rdtscp", "osxsave", "xapic"};
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
    for (i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
        if (c->needs & (1u << i)) {
            dbs_put_str(b, "\tneeds:");
            dbs_put_str(b, needs[i]);
        }
}

int main(int argc, char **argv)
{
    static struct dbs_case c;
    static char line[1024];
    const char *sel = argc > 1 ? argv[1] : "*";
    unsigned i, n = 0;

    if (argc > 2 || (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))) {
        fprintf(stderr, "usage: dbsweep-list [GLOB[,GLOB...]]\n");
        return 2;
    }
    for (i = 0; i < dbs_case_count(); i++) {
        struct dbs_buf b;

        if (dbs_case_get(i, &c)) {
            fprintf(stderr, "dbsweep-list: case %u does not compile\n", i);
            return 1;
        }
        if (!dbs_selected(sel, c.name))
            continue;
        dbs_buf_init(&b, line, sizeof(line));
        put_case(&b, &c);
        puts(dbs_buf_str(&b));
        n++;
    }
    fprintf(stderr, "%u of %u cases\n", n, dbs_case_count());
    return 0;
}
