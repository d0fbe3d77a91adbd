/* A run is walked case by case; a path is loaded first, by a worker thread
 * when reading ahead. Parsing is most of a command's time: with the files
 * parsed on every CPU, 500 full CSVs take seconds, not tens of them. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "runs.h"

#define MAX_WORKERS 4 /* each holds a file of up to ~25 MB (text and rows) */

/* A file as a worker left it: loaded, or the error that stopped it. */
struct slot {
    struct dbs_run run;
    int rc, done;
    char err[512];
};

/* The workers take files in order; file i goes to slot i % nslots. A file
 * is taken only once the command is done with the one nslots before it, so
 * at most nslots files are in memory. */
struct dbs_ahead {
    const struct dbs_runs *s;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned next;  /* the next file a worker takes */
    unsigned done;  /* files the command is done with */
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
        unsigned i = a->next;
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

    n = cpus < 2 || s->loaded || s->n < 2 ? 0 : cpus > MAX_WORKERS ? MAX_WORKERS : (unsigned)cpus;
    a = n ? calloc(1, sizeof(*a)) : NULL;
    if (!a)
        return;
    a->s = s;
    a->nslots = n + 1; /* one being folded, one being parsed per worker */
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
    if (!a->nworkers) /* no thread to be had: read in turn */
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

/* File k as loaded (into store): by a worker, or now. */
static int load(const struct dbs_runs *s, unsigned k, struct dbs_run *store, char *err,
                size_t cap)
{
    struct dbs_ahead *a = s->ahead;
    struct slot *sl;
    int rc;

    if (!a)
        return dbs_run_load(store, s->paths[k], err, cap);
    sl = &a->slots[k % a->nslots];
    pthread_mutex_lock(&a->mu);
    while (!sl->done)
        pthread_cond_wait(&a->cv, &a->mu);
    pthread_mutex_unlock(&a->mu);
    *store = sl->run;
    rc = sl->rc;
    if (rc)
        snprintf(err, cap, "%s", sl->err);
    return rc;
}

/* The command is done with file k: its slot takes the next file. */
static void release(const struct dbs_runs *s, unsigned k)
{
    struct dbs_ahead *a = s->ahead;

    if (!a)
        return;
    pthread_mutex_lock(&a->mu);
    memset(&a->slots[k % a->nslots], 0, sizeof(a->slots[0]));
    a->done = k + 1;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
}

/* Hands each case of r to fn. */
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
    int rc;

    memset(store, 0, sizeof(*store));
    if (s->loaded) {
        *run = s->loaded[k];
        return walk(*run, fn, ctx, err, cap);
    }
    *run = store;
    rc = load(s, k, store, err, cap) || walk(store, fn, ctx, err, cap) ? -1
         : dbs_run_keep_meta(store) ? dbs_fail(err, cap, store->path, 0, "out of memory")
                                    : 0;
    release(s, k);
    return rc;
}
