/* pool.c -- mn_pool_run: threads created per call (a fit's tasks take milliseconds to
** minutes, so creation cost does not matter) claiming tasks from an atomic counter. */
#include "core/pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#define POOL_MAX 256

typedef struct Job {
    mn_PoolFn      fn;
    void          *ctx;
    int64_t        ntasks;
    atomic_llong   next;           /* next task to claim */
    atomic_int     rc;             /* first nonzero result, 0 while all is well */
} Job;

typedef struct Worker {
    Job *job;
    int  id;
} Worker;

static atomic_int pool_threads = 0;    /* 0 = not yet set: online CPUs */

int mn_pool_threads(void) {
    int n = atomic_load(&pool_threads);
    if (n < 1) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c < 1 ? 1 : c > POOL_MAX ? POOL_MAX : (int)c;
    }
    return n;
}

void mn_pool_set_threads(int n) {
    atomic_store(&pool_threads, n < 1 ? 1 : n > POOL_MAX ? POOL_MAX : n);
}

static void run_tasks(Job *job, int id) {
    for (;;) {
        int64_t t;
        int rc;
        if (atomic_load(&job->rc) != 0)
            return;
        t = (int64_t)atomic_fetch_add(&job->next, 1);
        if (t >= job->ntasks)
            return;
        rc = job->fn(job->ctx, t, id);
        if (rc != 0) {
            int zero = 0;
            atomic_compare_exchange_strong(&job->rc, &zero, rc);
            return;
        }
    }
}

static void *worker_main(void *arg) {
    Worker *w = arg;
    run_tasks(w->job, w->id);
    return NULL;
}

int mn_pool_run(int nthreads, int64_t ntasks, mn_PoolFn fn, void *ctx) {
    Job job;
    pthread_t th[POOL_MAX];
    Worker wk[POOL_MAX];
    int started = 0;
    if (ntasks <= 0)
        return 0;
    if (nthreads < 1)
        nthreads = mn_pool_threads();
    if (nthreads > POOL_MAX)
        nthreads = POOL_MAX;
    if ((int64_t)nthreads > ntasks)
        nthreads = (int)ntasks;
    job.fn = fn;
    job.ctx = ctx;
    job.ntasks = ntasks;
    atomic_init(&job.next, 0);
    atomic_init(&job.rc, 0);
    for (int i = 1; i < nthreads; i++) {
        wk[started].job = &job;
        wk[started].id = i;
        if (pthread_create(&th[started], NULL, worker_main, &wk[started]) != 0)
            break;                 /* fewer threads: the rest of us do the work */
        started++;
    }
    run_tasks(&job, 0);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    return atomic_load(&job.rc);
}
