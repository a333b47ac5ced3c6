/* gemm.c -- the SGEMM the layers call. Degenerate products (one output row or column, or a
** rank-1 update: the 1-unit output layer of every binary classifier and regressor) are plain
** vectorised loops, which beat OpenBLAS's packing at these sizes; the rest go to OpenBLAS
** through core/tensor (tn_sgemm), optionally split over the fit's worker threads. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3", "-fno-math-errno")
#endif

#include <string.h>

#include "nn/nn_int.h"

#define AT(X, ld, t, i, k) ((t) ? (X)[(size_t)(k) * (size_t)(ld) + (size_t)(i)] \
                                : (X)[(size_t)(i) * (size_t)(ld) + (size_t)(k)])

/* C (M, N) = alpha op(A) op(B) + beta C for M == 1, N == 1 or K == 1. */
static void small(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
                  const float *B, int ldb, float beta, float *C, int ldc) {
    if (K == 1) {                                  /* outer product */
        for (int i = 0; i < M; i++) {
            float a = alpha * AT(A, lda, ta, i, 0);
            float *restrict c = C + (size_t)i * (size_t)ldc;
            const float *restrict b = tb ? B : B;   /* op(B) is (1, N): row 0 */
            if (tb) {
                for (int j = 0; j < N; j++)
                    c[j] = (beta == 0.0f ? 0.0f : beta * c[j]) + a * B[(size_t)j * (size_t)ldb];
            } else {
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

void nn__sgemm(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
               const float *B, int ldb, float beta, float *C, int ldc) {
    if (M == 0 || N == 0)
        return;
    if (M == 1 || N == 1 || K == 1) {
        small(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    tn_sgemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}
