/* gemm.c -- the SGEMM the layers call. Degenerate products (one output row or column, or a
** rank-1 update: the 1-unit output layer of every binary classifier and regressor) are plain
** vectorised loops, which beat OpenBLAS's packing at these sizes; the rest go to OpenBLAS
** through core/tensor (tn_sgemm), optionally split over the fit's worker threads. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3", "-fno-math-errno")
#endif

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "core/blas.h"
#include "core/mem.h"
#include "nn/nn_int.h"

/* ---- the fit's worker: one extra thread that takes half of each product ----
** Small products are too short for OpenBLAS's own threading (which hurts at these sizes);
** splitting the output between the driving thread and one spinning worker, each calling
** single-threaded OpenBLAS, keeps both cores busy. The worker spins only while a fit runs;
** the driver takes back a half the worker has not claimed, so a descheduled worker costs
** nothing but the spin. After long idleness (about 20k yields) it sleeps in 1 ms naps. */

/* Smallest product (M*N*K multiply-adds) worth splitting: below it the hand-off and the two
** cores' caches cost more than half the product saves. Measured on the bench machine (2
** cores, OpenBLAS Haswell kernels): an MLP 20-w-w/2-1 at batch 64/256 runs 0.70x at 2 threads
** for w = 64..128 with every product split, 1.24-1.32x for products of 8M and more. */
#define NN_SPLIT_MIN 4194304.0

typedef struct Job {
    int ta, tb, M, N, K, lda, ldb, ldc;
    float alpha, beta;
    const float *A, *B;
    float *C;
} Job;

struct nn__Pool {
    pthread_t  th;
    atomic_int seq, done, quit, claim;   /* claim: the last job someone took */
    Job        job;
};

static void run_job(const Job *j) {
    tn_sgemm(j->ta, j->tb, j->M, j->N, j->K, j->alpha, j->A, j->lda, j->B, j->ldb, j->beta,
             j->C, j->ldc);
}

static void *worker(void *arg) {
    nn__Pool *p = arg;
    int last = 0;
    for (;;) {
        int s, spins = 0;
        while ((s = atomic_load_explicit(&p->seq, memory_order_acquire)) == last) {
            if (atomic_load_explicit(&p->quit, memory_order_relaxed))
                return NULL;
            if (++spins > 20000) {
                /* idle for long (a paused dashboard, a slow listener, validation): stop
                ** burning the core; waking costs at most a millisecond once */
                if (spins > 20000 + 20000) {
                    struct timespec ts = {0, 1000000};
                    nanosleep(&ts, NULL);
                } else {
                    sched_yield();
                }
            }
        }
        last = s;
        {
            int want = s - 1;                     /* the driver may have taken it already */
            if (atomic_compare_exchange_strong(&p->claim, &want, s)) {
                run_job(&p->job);
                atomic_store_explicit(&p->done, s, memory_order_release);
            }
        }
    }
}

int nn__pool_start(nn_Graph *g, int threads) {
    nn__Pool *p;
    if (threads < 2 || g->pool != NULL)
        return 0;
    if ((p = mn_calloc(1, sizeof *p)) == NULL)
        return 0;
    if (pthread_create(&p->th, NULL, worker, p) != 0) {
        mn_free(p);
        return 0;
    }
    g->pool = p;
    g->blas_threads = mn_blas_threads();
    mn_blas_set_threads(1);
    return 1;
}

void nn__pool_stop(nn_Graph *g) {
    nn__Pool *p = g->pool;
    if (p == NULL)
        return;
    atomic_store(&p->quit, 1);
    pthread_join(p->th, NULL);
    mn_free(p);
    g->pool = NULL;
    mn_blas_set_threads(g->blas_threads);
}

#define AT(X, ld, t, i, k) ((t) ? (X)[(size_t)(k) * (size_t)(ld) + (size_t)(i)] \
                                : (X)[(size_t)(i) * (size_t)(ld) + (size_t)(k)])

/* C (M, N) = alpha op(A) op(B) + beta C for M == 1, N == 1 or K == 1. */
static void small(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
                  const float *B, int ldb, float beta, float *C, int ldc) {
    if (K == 1) {                                  /* outer product */
        for (int i = 0; i < M; i++) {
            float a = alpha * AT(A, lda, ta, i, 0);
            float *restrict c = C + (size_t)i * (size_t)ldc;
            if (tb) {                              /* op(B) is (1, N): column 0 of B */
                for (int j = 0; j < N; j++)
                    c[j] = (beta == 0.0f ? 0.0f : beta * c[j]) + a * B[(size_t)j * (size_t)ldb];
            } else {                               /* op(B) is (1, N): row 0 of B */
                const float *restrict b = B;
                for (int j = 0; j < N; j++)
                    c[j] = (beta == 0.0f ? 0.0f : beta * c[j]) + a * b[j];
            }
        }
    } else if (N == 1) {                           /* matrix-vector: C[i] = op(A)[i,:] . b */
        for (int i = 0; i < M; i++) {
            float s = 0.0f;
            if (!ta && !tb) {
                const float *restrict a = A + (size_t)i * (size_t)lda;
                for (int k = 0; k < K; k++)
                    s += a[k] * B[(size_t)k * (size_t)ldb];
            } else if (!ta) {
                const float *restrict a = A + (size_t)i * (size_t)lda;
                for (int k = 0; k < K; k++)
                    s += a[k] * B[k];
            } else {
                for (int k = 0; k < K; k++)
                    s += AT(A, lda, ta, i, k) * AT(B, ldb, tb, k, 0);
            }
            C[(size_t)i * (size_t)ldc] = alpha * s +
                (beta == 0.0f ? 0.0f : beta * C[(size_t)i * (size_t)ldc]);
        }
    } else {                                       /* M == 1: c = op(A)[0,:] op(B) */
        float *restrict c = C;
        for (int j = 0; j < N; j++)
            c[j] = beta == 0.0f ? 0.0f : beta * c[j];
        for (int k = 0; k < K; k++) {
            float a = alpha * AT(A, lda, ta, 0, k);
            if (!tb) {
                const float *restrict b = B + (size_t)k * (size_t)ldb;
                for (int j = 0; j < N; j++)
                    c[j] += a * b[j];
            } else {
                for (int j = 0; j < N; j++)
                    c[j] += a * B[(size_t)j * (size_t)ldb + (size_t)k];
            }
        }
    }
}

void nn__sgemm(nn_Graph *g, int ta, int tb, int M, int N, int K, float alpha, const float *A,
               int lda, const float *B, int ldb, float beta, float *C, int ldc) {
    nn__Pool *p = g->pool;
    Job mine;
    if (M == 0 || N == 0)
        return;
    if (M == 1 || N == 1 || K == 1) {
        small(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    if (p == NULL || (double)M * N * K < NN_SPLIT_MIN) {
        tn_sgemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    /* split the output: rows when M >= N, else columns; the worker takes the second part */
    mine = (Job){ta, tb, M, N, K, lda, ldb, ldc, alpha, beta, A, B, C};
    p->job = mine;
    if (M >= N) {
        int h = M / 2;
        mine.M = h;
        p->job.M = M - h;
        p->job.A = ta ? A + h : A + (size_t)h * (size_t)lda;
        p->job.C = C + (size_t)h * (size_t)ldc;
    } else {
        int h = N / 2;
        mine.N = h;
        p->job.N = N - h;
        p->job.B = tb ? B + (size_t)h * (size_t)ldb : B + h;
        p->job.C = C + h;
    }
    {
        int s = atomic_load_explicit(&p->seq, memory_order_relaxed) + 1;
        atomic_store_explicit(&p->seq, s, memory_order_release);
        int want = s - 1;
        run_job(&mine);
        /* if the worker has not started (its core is busy elsewhere), do its half too */
        if (atomic_compare_exchange_strong(&p->claim, &want, s)) {
            run_job(&p->job);
        } else {
            while (atomic_load_explicit(&p->done, memory_order_acquire) != s)
                ;
        }
    }
}
