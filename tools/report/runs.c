/* The command's thread streams every (workers + 1)-th path itself, its
 * cases folded as they are parsed (no rows kept); worker threads load the
 * paths between in full meanwhile, and the command walks those when their
 * turn comes. Parsing is most of a command's time: this way it runs on
 * every CPU, and memory holds one loaded file per worker besides the one
 * being streamed. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "runs.h"

#define MAX_WORKERS 3 /* each holds a file of up to ~25 MB (text and rows) */

/* A file as a worker left it: loaded, or the error that stopped it. */
struct slot {
    struct dbs_run run;
    int rc, done;
    char err[512];
};

/* File i is the command's own when i % nslots == 0, else a worker's, kept
 * in slot i % nslots. A worker takes file i once the command is done with
 * file i - nslots, the slot's previous file. */
struct dbs_ahead {
    const struct dbs_runs *s;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned next; /* the next file a worker takes */
    unsigned done; /* files the command is done with */
    unsigned nslots, nworkers;
    int stop;
    struct slot *slots;
    pthread_t workers[MAX_WORKERS];
};

static void *worker(void *arg)
{
    struct dbs_ahead *a = arg;

    pthread_mutex_lock(&a->mu);
    for (;;) {
        unsigned i = a->next += a->next % a->nslots == 0; /* not the command's */
        struct slot *sl = &a->slots[i % a->nslots];

        if (a->stop || i >= a->s->n)
            break;
        if (i >= a->done + a->nslots) {
            pthread_cond_wait(&a->cv, &a->mu);
            continue;
        }
        a->next++;
        pthread_mutex_unlock(&a->mu);
        sl->rc = dbs_run_load(&sl->run, a->s->paths[i], sl->err, sizeof(sl->err));
        pthread_mutex_lock(&a->mu);
        sl->done = 1;
        pthread_cond_broadcast(&a->cv);
    }
    pthread_mutex_unlock(&a->mu);
    return NULL;
}

void dbs_runs_ahead(struct dbs_runs *s)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    struct dbs_ahead *a;
    unsigned n;

    /* the command's thread reads too: one worker per other CPU */
    n = cpus < 2 || s->loaded || s->n < 2 ? 0
        : cpus - 1 > MAX_WORKERS         ? MAX_WORKERS
                                         : (unsigned)cpus - 1;
    a = n ? calloc(1, sizeof(*a)) : NULL;
    if (!a)
        return;
    a->s = s;
    a->nslots = n + 1; /* slot 0 unused: the command's files */
    a->slots = calloc(a->nslots, sizeof(*a->slots));
    if (!a->slots || pthread_mutex_init(&a->mu, NULL)) {
        free(a->slots);
        free(a);
        return;
    }
    pthread_cond_init(&a->cv, NULL);
    for (; a->nworkers < n; a->nworkers++)
        if (pthread_create(&a->workers[a->nworkers], NULL, worker, a))
            break;
    s->ahead = a;
    if (a->nworkers < n) /* fewer threads than files are set aside for */
        dbs_runs_close(s);
}

void dbs_runs_close(struct dbs_runs *s)
{
    struct dbs_ahead *a = s->ahead;
    unsigned i;

    if (!a)
        return;
    pthread_mutex_lock(&a->mu);
    a->stop = 1;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
    for (i = 0; i < a->nworkers; i++)
        pthread_join(a->workers[i], NULL);
    for (i = 0; i < a->nslots; i++)
        if (a->slots[i].done)
            dbs_run_free(&a->slots[i].run);
    pthread_cond_destroy(&a->cv);
    pthread_mutex_destroy(&a->mu);
    free(a->slots);
    free(a);
    s->ahead = NULL;
}

/* Worker file k as loaded, moved into store. */
static int take(struct dbs_ahead *a, unsigned k, struct dbs_run *store, char *err, size_t cap)
{
    struct slot *sl = &a->slots[k % a->nslots];

    pthread_mutex_lock(&a->mu);
    while (!sl->done)
        pthread_cond_wait(&a->cv, &a->mu);
    pthread_mutex_unlock(&a->mu);
    *store = sl->run;
    if (sl->rc)
        snprintf(err, cap, "%s", sl->err);
    return sl->rc;
}

/* The command is done with file k: the next file can take its slot. */
static void release(struct dbs_ahead *a, unsigned k)
{
    pthread_mutex_lock(&a->mu);
    memset(&a->slots[k % a->nslots], 0, sizeof(a->slots[0]));
    a->done = k + 1;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
}

/* Hands each case of a loaded run to fn. */
static int walk(const struct dbs_run *r, dbs_case_fn *fn, void *ctx, char *err, size_t cap)
{
    struct dbs_case_rows c = {r, 0, 0};

    for (; c.first < r->nrows; c.first = c.end) {
        c.end = dbs_run_case_end(r, c.first);
        if (fn(ctx, &c))
            return dbs_fail(err, cap, r->path, r->rows[c.first].line, "out of memory");
    }
    return 0;
}

int dbs_runs_read(const struct dbs_runs *s, unsigned k, struct dbs_run *store,
                  const struct dbs_run **run, dbs_case_fn *fn, void *ctx, char *err, size_t cap)
{
    struct dbs_ahead *a = s->ahead;
    int rc;

    memset(store, 0, sizeof(*store));
    if (s->loaded) {
        *run = s->loaded[k];
        return walk(*run, fn, ctx, err, cap);
    }
    *run = store;
    if (!a || k % a->nslots == 0)
        rc = dbs_run_stream(store, s->paths[k], fn, ctx, err, cap);
    else if (take(a, k, store, err, cap) || walk(store, fn, ctx, err, cap))
        rc = -1;
    else if (dbs_run_keep_meta(store))
        rc = dbs_fail(err, cap, store->path, 0, "out of memory");
    else
        rc = 0;
    if (a)
        release(a, k);
    return rc;
}
