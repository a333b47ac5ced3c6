/* pca.h -- principal component analysis by the SVD of the centred (optionally standardised)
** design (LAPACK dgesdd through core/blas.h), as scikit-learn's PCA(svd_solver="full"):
** explained variance with ddof 1, its ratio, components with svd_flip's signs. */
#ifndef MN_ML_PCA_H
#define MN_ML_PCA_H

#include <stdint.h>

#include "core/err.h"
#include "ml/design.h"

typedef struct ml_Pca {
    int64_t n;                /* rows fitted on */
    int p, k;                 /* features, components kept */
    double *mean;             /* p: column means (0 when not centring) */
    double *scale;            /* p: column std (ddof 0, as StandardScaler; 1 when not scaling) */
    double *comp;             /* k x p row-major: component c is comp[c * p .. c * p + p) */
    double *sv, *var, *ratio; /* k: singular values, explained variance, its ratio */
    double noise_var;         /* mean of the discarded variances (0 when k = min(n, p)) */
} ml_Pca;

/* Fit k components (1 <= k <= min(n, p)) on 'd'. Signs as scikit-learn's PCA (svd_flip with
** u_based_decision=True: each score column's largest |value| is positive). A constant column under 'scale'
** is left unscaled (scale 1), as StandardScaler. Errors: MN_EARG (k out of range, n < 2),
** MN_ENOMEM, MN_ENAN (the SVD did not converge). */
int  ml_pca_fit(const ml_Design *d, int k, int center, int scale, ml_Pca *m, mn_Err *e);
/* Scores of d's n rows: out n x k row-major. d->p must be m->p (the binding checks). */
void ml_pca_transform(const ml_Pca *m, const ml_Design *d, double *out);
/* Back to feature space: z n x k row-major -> out n x p row-major. */
void ml_pca_inverse(const ml_Pca *m, const double *z, int64_t n, double *out);
void ml_pca_free(ml_Pca *m);  /* zeroes 'm' */

#endif
