/* blas.c -- OpenBLAS thread control, a GEMM probe and LAPACK least squares. */
#include "core/blas.h"

#include <cblas.h>
#include <lapacke.h>
#include <stdlib.h>

#include "core/clock.h"
#include "core/interrupt.h"
#include "core/mem.h"
#include "core/rng.h"

void mn_blas_set_threads(int n) { openblas_set_num_threads(n < 1 ? 1 : n); }
int mn_blas_threads(void) { return openblas_get_num_threads(); }
const char *mn_blas_config(void) { return openblas_get_config(); }
const char *mn_blas_core(void) { return openblas_get_corename(); }

int mn_gemm_bench(int n, double seconds, double *gflops, mn_Err *e) {
    size_t nn;
    float *a, *b, *c;
    mn_Rng r;
    double t0, t;
    long calls = 0;

    if (n < 1 || n > 16384)
        return mn_fail(e, MN_EARG, "gemm_bench: n must be in [1, 16384], got %d", n);
    nn = (size_t)n * (size_t)n;
    a = mn_malloc(nn * sizeof *a);
    b = mn_malloc(nn * sizeof *b);
    c = mn_malloc(nn * sizeof *c);
    if (a == NULL || b == NULL || c == NULL) {
        mn_free(a), mn_free(b), mn_free(c);
        return mn_fail(e, MN_ENOMEM, "gemm_bench: out of memory for n = %d", n);
    }
    mn_rng_seed(&r, 1);
    for (size_t i = 0; i < nn; i++) {
        a[i] = mn_rng_uniformf(&r);
        b[i] = mn_rng_uniformf(&r);
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
    t0 = mn_now();
    do {
        if (mn_interrupted()) {
            mn_free(a), mn_free(b), mn_free(c);
            return mn_fail(e, MN_EINTR, "gemm_bench: interrupted");
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n,
                    1.0f, a, n, b, n, 0.0f, c, n);
        calls++;
        t = mn_now() - t0;
    } while (t < seconds);
    *gflops = 2.0 * (double)n * n * n * (double)calls / t / 1e9;
    mn_free(a), mn_free(b), mn_free(c);
    return MN_OK;
}

int mn_lstsq(double *a, int m, int n, double *b, double rcond, int *rank, mn_Err *e) {
    double *s;
    lapack_int r = 0, info;

    if (m < 1 || n < 1)
        return mn_fail(e, MN_EARG, "lstsq: A must have at least one row and column (%d x %d)",
                       m, n);
    if ((s = mn_malloc((size_t)(m < n ? m : n) * sizeof *s)) == NULL)
        return mn_fail(e, MN_ENOMEM, "lstsq: out of memory for a %d x %d system", m, n);
    /* b is one right-hand side, ldb = 1 in row-major; LAPACKE allocates its own workspace */
    info = LAPACKE_dgelsd(LAPACK_ROW_MAJOR, m, n, 1, a, n, b, 1, s, rcond, &r);
    mn_free(s);
    if (info == LAPACK_WORK_MEMORY_ERROR || info == LAPACK_TRANSPOSE_MEMORY_ERROR)
        return mn_fail(e, MN_ENOMEM, "lstsq: out of memory in LAPACK for %d x %d", m, n);
    if (info != 0)
        return mn_fail(e, MN_ENAN, "lstsq: the SVD did not converge (info %d): NaN or Inf in "
                       "the data?", (int)info);
    if (rank != NULL)
        *rank = (int)r;
    return MN_OK;
}

/* ---- QR with column pivoting ---- */

static int lapack_fail(const char *fn, lapack_int info, mn_Err *e) {
    if (info == LAPACK_WORK_MEMORY_ERROR || info == LAPACK_TRANSPOSE_MEMORY_ERROR)
        return mn_fail(e, MN_ENOMEM, "%s: out of memory in LAPACK", fn);
    if (info < 0)
        return mn_fail(e, MN_EARG, "%s: bad argument %d to LAPACK", fn, (int)-info);
    return mn_fail(e, MN_ENAN, "%s: singular triangle (info %d)", fn, (int)info);
}

int mn_qrp(double *a, int m, int n, int *jpvt, double *tau, mn_Err *e) {
    lapack_int *jp, info;
    if (m < 1 || n < 1 || m < n)
        return mn_fail(e, MN_EARG, "qrp: need m >= n >= 1, got %d x %d", m, n);
    if ((jp = mn_calloc((size_t)n, sizeof *jp)) == NULL)   /* 0: every column is free */
        return mn_fail(e, MN_ENOMEM, "qrp: out of memory for %d columns", n);
    info = LAPACKE_dgeqp3(LAPACK_COL_MAJOR, m, n, a, m, jp, tau);
    for (int j = 0; j < n; j++)
        jpvt[j] = (int)jp[j] - 1;
    mn_free(jp);
    return info == 0 ? MN_OK : lapack_fail("qrp", info, e);
}

int mn_qr_qtb(const double *qr, int m, int n, const double *tau, double *b, mn_Err *e) {
    lapack_int info = LAPACKE_dormqr(LAPACK_COL_MAJOR, 'L', 'T', m, 1, n, qr, m, tau, b, m);
    return info == 0 ? MN_OK : lapack_fail("qr_qtb", info, e);
}

int mn_qr_q(double *qr, int m, int k, const double *tau, mn_Err *e) {
    lapack_int info = LAPACKE_dorgqr(LAPACK_COL_MAJOR, m, k, k, qr, m, tau);
    return info == 0 ? MN_OK : lapack_fail("qr_q", info, e);
}

int mn_tri_solve(const double *r, int k, int lda, double *b, mn_Err *e) {
    lapack_int info = LAPACKE_dtrtrs(LAPACK_COL_MAJOR, 'U', 'N', 'N', k, 1, r, lda, b, k);
    return info == 0 ? MN_OK : lapack_fail("tri_solve", info, e);
}

int mn_tri_inv(double *r, int k, int lda, mn_Err *e) {
    lapack_int info = LAPACKE_dtrtri(LAPACK_COL_MAJOR, 'U', 'N', k, r, lda);
    return info == 0 ? MN_OK : lapack_fail("tri_inv", info, e);
}

int mn_svd(double *a, int m, int n, double *s, double *u, double *vt, mn_Err *e) {
    int r = m < n ? m : n;
    lapack_int info;
    if (m < 1 || n < 1)
        return mn_fail(e, MN_EARG, "svd: need m, n >= 1, got %d x %d", m, n);
    info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', m, n, a, m, s, u, m, vt, r);
    return info == 0 ? MN_OK : lapack_fail("svd", info, e);
}

void mn_dgemm(int ta, int tb, int m, int n, int k, double alpha, const double *a, int lda,
              const double *b, int ldb, double beta, double *c, int ldc) {
    cblas_dgemm(CblasColMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
