/* tensor.h -- float32 tensors: contiguous, row-major, up to TN_MAXDIM dimensions, with cheap
** refcounted views (rows of a tensor share its storage), and the matrix products that the
** neural-network layer runs on: an OpenBLAS path and a plain C reference kernel beside it. */
#ifndef MN_CORE_TENSOR_H
#define MN_CORE_TENSOR_H

#include <stdint.h>

#include "core/err.h"

#define TN_MAXDIM 6

typedef struct tn_Tensor tn_Tensor;        /* opaque; body in tensor.c */

/* Zero-filled tensor of 'shape' (ndim in [1, TN_MAXDIM], every extent >= 0). On success
** '*out' is a new tensor the caller frees with tn_free(). Errors: MN_EARG, MN_ENOMEM. */
int tn_zeros(const int64_t *shape, int ndim, tn_Tensor **out, mn_Err *e);
/* Like tn_zeros, then copies numel floats from 'data'. */
int tn_from(const float *data, const int64_t *shape, int ndim, tn_Tensor **out, mn_Err *e);
/* Rows [first, first+count) of 'base' along dimension 0, sharing its refcounted storage;
** free base and view in any order. Errors: MN_ESHAPE when out of range. */
int tn_rows(tn_Tensor *base, int64_t first, int64_t count, tn_Tensor **out, mn_Err *e);
/* A view of the same storage with another shape of the same element count. */
int tn_reshape(tn_Tensor *base, const int64_t *shape, int ndim, tn_Tensor **out, mn_Err *e);
/* A new tensor with its own copy of the data. */
int tn_clone(const tn_Tensor *t, tn_Tensor **out, mn_Err *e);
/* Gather rows idx[0..n) of 't' (dimension 0) into a new tensor of n rows. */
int tn_gather_rows(const tn_Tensor *t, const int64_t *idx, int64_t n, tn_Tensor **out,
                   mn_Err *e);
void tn_free(tn_Tensor *t);                /* NULL is a no-op */

float         *tn_data(const tn_Tensor *t);  /* borrowed; valid while t lives */
int            tn_ndim(const tn_Tensor *t);
const int64_t *tn_shape(const tn_Tensor *t);
int64_t        tn_numel(const tn_Tensor *t);
int64_t        tn_rowsize(const tn_Tensor *t); /* elements per row of dimension 0 */
/* "(3, 4)" into buf (size n); returns buf. */
const char    *tn_shape_str(const int64_t *shape, int ndim, char *buf, int n);

/* ---- matrix products ---- */

/* C = alpha * op(A) op(B) + beta * C, row-major; op(X) = X or X^T (ta/tb nonzero).
** op(A) is (M, K), op(B) is (K, N), C is (M, N); lda/ldb/ldc are row strides.
** tn_sgemm calls cblas_sgemm (CblasRowMajor); tn_sgemm_naive is the reference kernel the
** tests compare it with (accumulates in double). */
void tn_sgemm(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
              const float *B, int ldb, float beta, float *C, int ldc);
void tn_sgemm_naive(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
                    const float *B, int ldb, float beta, float *C, int ldc);

/* (M, K) x (K, N) -> new (M, N) tensor. Errors: MN_ESHAPE naming both shapes. */
int tn_matmul(const tn_Tensor *a, const tn_Tensor *b, tn_Tensor **out, mn_Err *e);

/* Fill w (rows, cols) with a (semi-)orthogonal matrix times 'gain': QR of a standard normal
** matrix (LAPACKE sgeqrf/sorgqr), columns signed by diag(R), as torch.nn.init.orthogonal_.
** Errors: MN_ENOMEM, MN_EARG when LAPACK fails. */
struct mn_Rng;
int tn_orthogonal(float *w, int64_t rows, int64_t cols, float gain, struct mn_Rng *r, mn_Err *e);

#endif
