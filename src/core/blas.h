/* blas.h -- the only door to OpenBLAS and LAPACKE: thread control, build info, a GEMM
** throughput probe and double-precision least squares. Tensor kernels (core/tensor) call CBLAS
** through here. */
#ifndef MN_CORE_BLAS_H
#define MN_CORE_BLAS_H

#include "core/err.h"

void        mn_blas_set_threads(int n);   /* n >= 1 */
int         mn_blas_threads(void);
const char *mn_blas_config(void);         /* e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Haswell" */
const char *mn_blas_core(void);           /* the kernel in use, e.g. "Haswell" */

/* Square float32 SGEMM, n x n, repeated for at least 'seconds' after one warm-up call.
** Polls the interrupt flag between calls (MN_EINTR). On success '*gflops' = 2 n^3 calls / s. */
int mn_gemm_bench(int n, double seconds, double *gflops, mn_Err *e);

/* Least squares min ||A x - b||_2 in double precision by LAPACKE_dgelsd (SVD, divide and
** conquer), so a rank-deficient A gets the minimum-norm solution, as numpy.linalg.lstsq and
** statsmodels' pinv do. 'a' is m x n row-major and is overwritten; 'b' holds m values on entry
** and max(m, n) room, and on success its first n values are x. Singular values below
** rcond * the largest count as zero (rcond < 0: machine precision); '*rank' (may be NULL)
** gets the effective rank. Errors: MN_EARG (m or n < 1), MN_ENOMEM, MN_ENAN (the SVD did not
** converge: NaN or Inf in A or b). */
int mn_lstsq(double *a, int m, int n, double *b, double rcond, int *rank, mn_Err *e);

/* ---- QR with column pivoting (least squares without normal equations) ----
** Column-major, LAPACK's order. mn_qrp factors the m x n 'a' (m >= n) in place as A P = Q R
** (LAPACKE_dgeqp3): R on and above the diagonal, Householder reflectors below, 'jpvt' (n
** ints) the 0-based original column at each position, 'tau' n scalars. mn_qr_qtb overwrites
** the m values of 'b' by Q^T b (dormqr); mn_qr_q overwrites a copy of the factor by the first
** k columns of Q (dorgqr). mn_tri_solve solves R x = b for the leading k x k upper triangle of
** 'r' (leading dimension lda; dtrtrs), mn_tri_inv inverts it in place (dtrtri). Errors:
** MN_EARG (shapes), MN_ENOMEM, MN_ENAN (a zero pivot in the triangle, LAPACK's info). */
int mn_qrp(double *a, int m, int n, int *jpvt, double *tau, mn_Err *e);
int mn_qr_qtb(const double *qr, int m, int n, const double *tau, double *b, mn_Err *e);
int mn_qr_q(double *qr, int m, int k, const double *tau, mn_Err *e);
int mn_tri_solve(const double *r, int k, int lda, double *b, mn_Err *e);
int mn_tri_inv(double *r, int k, int lda, mn_Err *e);

/* Thin SVD of the m x n column-major 'a' (overwritten) by LAPACKE_dgesdd (divide and conquer):
** A = U diag(s) Vt with r = min(m, n) singular values 's' in decreasing order, 'u' m x r and
** 'vt' r x n, both column-major. Errors: MN_EARG (m or n < 1), MN_ENAN (no convergence). */
int mn_svd(double *a, int m, int n, double *s, double *u, double *vt, mn_Err *e);
/* C = alpha op(A) op(B) + beta C in double precision, column-major (cblas_dgemm): op(A) is
** m x k, op(B) k x n, C m x n; ta / tb nonzero transpose A / B. No checks beyond BLAS's. */
void mn_dgemm(int ta, int tb, int m, int n, int k, double alpha, const double *a, int lda,
              const double *b, int ldb, double beta, double *c, int ldc);

#endif
