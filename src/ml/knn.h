/* knn.h -- k nearest neighbours, classification and regression, by exact brute-force search
** in Euclidean distance: directly for few columns, else squared distances |a|^2 + |b|^2 - 2a.b
** with one DGEMM per block (core/blas.h), the k best kept in a heap per query row, re-ranked
** by the exact distance; ties go to the earlier training row (scikit-learn's brute force). */
#ifndef MN_ML_KNN_H
#define MN_ML_KNN_H

#include <stdint.h>

#include "core/err.h"
#include "ml/design.h"

/* A fitted model: it keeps the training design (instance-based). */
typedef struct ml_Knn {
    int64_t n;                      /* training rows */
    int     p;                      /* columns */
    int     k;                      /* neighbours */
    int     distance;               /* 0 uniform weights, 1 weights 1 / distance */
    int     K;                      /* classes (labels 0..K-1); 0 = regression */
    double *x;                      /* n x p, column-major (owned copy) */
    double *y;                      /* n: class index or target */
    double *norm2;                  /* n squared row norms */
} ml_Knn;

/* Fit: copy 'd' (no NaN: refused naming the 1-based row and column) and 'y' (n values; with
** K >= 2 each an integer class index in [0, K), with K = 0 any finite number). 'k' >= 1 and
** at most d->n. Errors: MN_EARG (k, K or a label naming its row), MN_ENAN, MN_ENOMEM. */
int  ml_knn_fit(const ml_Design *d, const double *y, int K, int k, int distance, ml_Knn *out,
                mn_Err *e);

/* The k nearest training rows of each of the n query rows of 'x' (column-major n x m->p):
** idx (0-based training rows) and dist (Euclidean distances), n x k row-major, nearest first,
** ties to the smaller training row (the DGEMM path re-ranks k + 8 candidates by the exact
** distance, so near-ties within rounding are ordered right). 'blas' < 0 chooses (DGEMM when p >= 16), 0 forces the
** direct loop, 1 the DGEMM blocks. Errors: MN_ENOMEM, MN_EINTR. */
int  ml_knn_neighbors(const ml_Knn *m, const double *x, int64_t n, int blas, int64_t *idx,
                      double *dist, mn_Err *e);

/* Classification: class shares of the k neighbours (weights 1 / distance when 'distance';
** a neighbour at distance 0 then takes all the weight, shared with other exact matches) into
** prob (n x K, row-major) and the predicted class (the largest share, ties to the smaller
** index) into 'out'. Regression (K = 0): the (weighted) mean of the neighbours' y into 'out',
** prob unused (may be NULL). Errors as ml_knn_neighbors. */
int  ml_knn_predict(const ml_Knn *m, const double *x, int64_t n, double *out, double *prob,
                    mn_Err *e);

/* Allocate a model of n rows and p columns (for loading); MN_ENOMEM. norm2 is filled by
** ml_knn_ready once x is in place. */
int  ml_knn_alloc(ml_Knn *m, int64_t n, int p, mn_Err *e);
void ml_knn_ready(ml_Knn *m);
void ml_knn_free(ml_Knn *m);        /* zeroes 'm' */

#endif
