/* The runs' part of a verdicts document, written in run order and rendered
 * on two CPUs: a worker renders every other run into memory while the
 * command's thread renders the one before it straight to the output, then
 * copies the worker's. Writing comes after every file is read (JSON and
 * JUnit open with the totals) and is half of verdicts' time over many
 * files (JSON of 500 full CSVs: ~1.5 GB), so it would otherwise run on one
 * CPU while the other idles. Memory: one rendered run at a time. */
#include <pthread.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <unistd.h>

#include "verdicts.h"

struct ahead {
    const struct dbs_verdicts *v;
    dbs_put_run_fn *put;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *buf;  /* run k's text; NULL in a full slot: the worker could not
                   render it, the command does */
    size_t len;
    unsigned k; /* the run in the slot */
    int full;   /* the slot holds run k */
};

static void *worker(void *arg)
{
    struct ahead *a = arg;
    unsigned k;

    for (k = 1; k < a->v->nruns; k += 2) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        if (f) {
            __fsetlocking(f, FSETLOCKING_BYCALLER); /* this thread's own stream */
            a->put(a->v, k, f);
        }
        if (!f || fclose(f)) {
            free(buf);
            buf = NULL;
        }
        pthread_mutex_lock(&a->mu);
        while (a->full)
            pthread_cond_wait(&a->cv, &a->mu);
        a->buf = buf, a->len = len, a->k = k, a->full = 1;
        pthread_cond_broadcast(&a->cv);
        pthread_mutex_unlock(&a->mu);
    }
    return NULL;
}

/* Run k (odd) from the worker: its text, or rendered here when it failed. */
static void copy(struct ahead *a, unsigned k, FILE *out)
{
    pthread_mutex_lock(&a->mu);
    while (!a->full || a->k != k)
        pthread_cond_wait(&a->cv, &a->mu);
    pthread_mutex_unlock(&a->mu);
    if (!a->buf)
        a->put(a->v, k, out);
    else
        fwrite(a->buf, 1, a->len, out);
    free(a->buf);
    pthread_mutex_lock(&a->mu);
    a->buf = NULL, a->full = 0;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
}

void dbs_verdicts_put_runs(const struct dbs_verdicts *v, dbs_put_run_fn *put, FILE *out)
{
    struct ahead a = {v, put, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0, 0, 0};
    pthread_t t;
    int threaded = v->nruns > 1 && sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
                   !pthread_create(&t, NULL, worker, &a);
    unsigned k;

    for (k = 0; k < v->nruns; k++) {
        if (threaded && k % 2)
            copy(&a, k, out);
        else
            put(v, k, out);
    }
    if (threaded) /* it rendered its last run, which the loop copied */
        pthread_join(t, NULL);
}
