/* test_core_tensor.c -- tensors: creation, views sharing storage, reshape, gather; SGEMM
** through OpenBLAS against the reference kernel for every transpose case; orthogonal init. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "core/blas.h"
#include "core/mem.h"
#include "core/rng.h"
#include "core/tensor.h"

static void tensor_views_share_storage(void) {          /* tensor-1.1 */
    mn_Err e = {0};
    int64_t s[2] = {4, 3};
    tn_Tensor *t = NULL, *v = NULL, *r = NULL;
    char buf[64];
    CHECK_OK(tn_zeros(s, 2, &t, &e), &e);
    for (int i = 0; i < 12; i++)
        tn_data(t)[i] = (float)i;
    CHECK_OK(tn_rows(t, 1, 2, &v, &e), &e);
    CHECK(tn_shape(v)[0] == 2 && tn_numel(v) == 6);
    CHECK(tn_data(v)[0] == 3.0f);
    tn_data(v)[0] = 42;                                   /* writes through */
    CHECK(tn_data(t)[3] == 42.0f);
    tn_free(t);                                           /* free in any order */
    CHECK(tn_data(v)[5] == 8.0f);
    s[0] = 3;
    s[1] = 4;
    CHECK_FAIL(tn_reshape(v, s, 2, &r, &e), MN_ESHAPE, &e, "(2, 3) has 6 elements, (3, 4) has 12");
    s[1] = 2;
    CHECK_OK(tn_reshape(v, s, 2, &r, &e), &e);
    CHECK(strcmp(tn_shape_str(tn_shape(r), 2, buf, sizeof buf), "(3, 2)") == 0);
    CHECK_FAIL(tn_rows(v, 1, 5, &t, &e), MN_ESHAPE, &e, "outside");
    tn_free(v);
    tn_free(r);
}

static void tensor_gather_and_errors(void) {            /* tensor-1.2 */
    mn_Err e = {0};
    int64_t s[2] = {3, 2}, idx[3] = {2, 0, 2}, bad[1] = {3};
    float d[6] = {1, 2, 3, 4, 5, 6};
    tn_Tensor *t = NULL, *g = NULL;
    CHECK_OK(tn_from(d, s, 2, &t, &e), &e);
    CHECK_OK(tn_gather_rows(t, idx, 3, &g, &e), &e);
    CHECK(tn_data(g)[0] == 5.0f && tn_data(g)[3] == 2.0f && tn_data(g)[5] == 6.0f);
    tn_free(g);
    CHECK_FAIL(tn_gather_rows(t, bad, 1, &g, &e), MN_ESHAPE, &e, "row 3");
    s[0] = -1;
    CHECK_FAIL(tn_zeros(s, 2, &g, &e), MN_EARG, &e, "negative");
    s[0] = 1;
    mn_mem_fail_after(1);
    CHECK_FAIL(tn_zeros(s, 2, &g, &e), MN_ENOMEM, &e, "out of memory");
    mn_mem_fail_after(0);
    tn_free(t);
}

static void tensor_sgemm_vs_naive(void) {               /* tensor-2.1 */
    mn_Rng r;
    int M = 37, N = 29, K = 23;
    float *A = malloc(sizeof(float) * 64 * 64), *B = malloc(sizeof(float) * 64 * 64);
    float *C1 = malloc(sizeof(float) * 64 * 64), *C2 = malloc(sizeof(float) * 64 * 64);
    mn_rng_seed(&r, 5);
    for (int i = 0; i < 64 * 64; i++) {
        A[i] = (float)mn_rng_normal(&r);
        B[i] = (float)mn_rng_normal(&r);
    }
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++)
            for (int threads = 1; threads <= 2; threads++) {
                int lda = ta ? M : K, ldb = tb ? K : N;
                double worst = 0;
                mn_blas_set_threads(threads);
                for (int i = 0; i < M * N; i++)
                    C1[i] = C2[i] = (float)i * 0.01f;      /* beta = 0.5 reads C */
                tn_sgemm(ta, tb, M, N, K, 1.5f, A, lda, B, ldb, 0.5f, C1, N);
                tn_sgemm_naive(ta, tb, M, N, K, 1.5f, A, lda, B, ldb, 0.5f, C2, N);
                for (int i = 0; i < M * N; i++)
                    worst = fmax(worst, fabs((double)C1[i] - (double)C2[i]));
                CHECK(worst < 1e-4);
            }
    mn_blas_set_threads(1);
    free(A), free(B), free(C1), free(C2);
}

static void tensor_matmul(void) {                        /* tensor-2.2 */
    mn_Err e = {0};
    int64_t sa[2] = {2, 3}, sb[2] = {3, 2}, sc[2] = {2, 2};
    float a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {7, 8, 9, 10, 11, 12};
    tn_Tensor *A, *B, *C = NULL;
    tn_from(a, sa, 2, &A, &e);
    tn_from(b, sb, 2, &B, &e);
    CHECK_OK(tn_matmul(A, B, &C, &e), &e);
    /* [1 2 3; 4 5 6] [7 8; 9 10; 11 12] = [58 64; 139 154] */
    CHECK(C && tn_ndim(C) == 2 && tn_shape(C)[0] == sc[0] && tn_shape(C)[1] == sc[1]);
    CHECK(C && tn_data(C)[0] == 58.0f && tn_data(C)[1] == 64.0f && tn_data(C)[2] == 139.0f &&
          tn_data(C)[3] == 154.0f);
    tn_free(C);
    CHECK_FAIL(tn_matmul(A, A, &C, &e), MN_ESHAPE, &e, "matmul: shapes (2, 3) and (2, 3)");
    tn_free(A);
    tn_free(B);
}

static void tensor_orthogonal(void) {                    /* tensor-3.1 */
    mn_Err e = {0};
    mn_Rng r;
    float w[6 * 4];
    double worst = 0;
    mn_rng_seed(&r, 1);
    /* (4, 6): rows orthonormal, W W^T = I */
    CHECK_OK(tn_orthogonal(w, 4, 6, 1.0f, &r, &e), &e);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            double s = 0;
            for (int k = 0; k < 6; k++)
                s += (double)w[i * 6 + k] * (double)w[j * 6 + k];
            worst = fmax(worst, fabs(s - (i == j)));
        }
    CHECK(worst < 1e-5);
    /* (6, 4): columns orthonormal, W^T W = I */
    worst = 0;
    CHECK_OK(tn_orthogonal(w, 6, 4, 1.0f, &r, &e), &e);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            double s = 0;
            for (int k = 0; k < 6; k++)
                s += (double)w[k * 4 + i] * (double)w[k * 4 + j];
            worst = fmax(worst, fabs(s - (i == j)));
        }
    CHECK(worst < 1e-5);
}

int main(void) {
    RUN(tensor_views_share_storage);
    RUN(tensor_gather_and_errors);
    RUN(tensor_sgemm_vs_naive);
    RUN(tensor_matmul);
    RUN(tensor_orthogonal);
    return CHECK_DONE();
}
