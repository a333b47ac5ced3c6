/* gemm.c -- the SGEMM the layers call. For now a straight call into OpenBLAS through core/;
** the place to split small products over worker threads. */
#include "nn/nn_int.h"

void nn__sgemm(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
               const float *B, int ldb, float beta, float *C, int ldc) {
    tn_sgemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}
