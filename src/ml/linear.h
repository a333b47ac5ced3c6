/* linear.h -- linear regression: OLS and WLS by QR with column pivoting (never the normal
** equations) with the inference an analyst reads, and ridge / lasso / elastic net by
** coordinate descent over a lambda path as glmnet. Knows designs, not frames or Lua. */
#ifndef MN_ML_LINEAR_H
#define MN_ML_LINEAR_H

#include <stdint.h>

#include "core/err.h"
#include "ml/design.h"

enum { ML_COV_NONROBUST = 0, ML_COV_HC0, ML_COV_HC1, ML_COV_HC2, ML_COV_HC3, ML_COV_HAC };

typedef struct ml_OlsOpts {
    int intercept;                 /* 1: a first parameter "const" */
    const double *w;               /* NULL, or n weights > 0: WLS (statsmodels' WLS) */
    int cov;                       /* ML_COV_* */
    int maxlags;                   /* HAC: Bartlett kernel over lags 1..maxlags (>= 0) */
    double tol;                    /* rank: |R_jj| <= tol |R_11| on unit-norm columns; <= 0:
                                   ** 1e-13 (keeps NIST Filip's 11 columns) */
} ml_OlsOpts;

/* A fitted OLS/WLS. k parameters (const first when there is one), in the design's order. A
** column that is a linear combination of earlier ones is "aliased": coefficient 0, NaN
** standard error, listed in 'aliased' (1 per aliased parameter). */
typedef struct ml_Ols {
    int64_t n;
    int k, rank, intercept, cov, maxlags;
    double *coef, *se, *stat, *p;  /* k each; stat: t (nonrobust) or z (robust), as statsmodels */
    double *vcov;                  /* k x k, column-major */
    double *resid, *fitted;        /* n each; unweighted y - fitted */
    int *aliased;                  /* k */
    double ssr, centered_tss, r2, r2_adj, fvalue, f_p, df_model, df_resid, scale;
    double loglik, aic, bic, dw, jb, jb_p, skew, kurtosis, cond;
} ml_Ols;

/* Fit y (n values) on 'd' with options 'o'. Errors: MN_EARG (more parameters than rows,
** saying so; bad weights naming the row; maxlags), MN_ENAN (NaN in y naming the row),
** MN_ENOMEM. On success '*out' owns its arrays (ml_ols_free). */
int  ml_ols_fit(const ml_Design *d, const double *y, const ml_OlsOpts *o, ml_Ols *out,
                mn_Err *e);
void ml_ols_free(ml_Ols *m);       /* zeroes 'm' */

/* Predictions b0 + X b for the n rows of 'd' (p columns; 'coef' has p + intercept values). */
void ml_linear_predict(const ml_Design *d, const double *coef, int intercept, double *out);

/* ---- penalised: (1/2n) sum w_i (y_i - b0 - x_i b)^2 + lambda (alpha |b|_1 + (1-alpha)/2 |b|^2)
** on standardised columns (glmnet's gaussian family, standardize = TRUE, intercept
** unpenalised), coefficients returned on the original scale. */
typedef struct ml_NetOpts {
    double alpha;                  /* 1 lasso, 0 ridge, between: elastic net */
    double lambda;                 /* the final lambda (> 0); the path runs down to it */
    int nlambda;                   /* path length (>= 1; 1: lambda only) */
    double tol;                    /* max weighted squared coefficient change per sweep */
    int max_iter;                  /* sweeps over the coordinates, in all */
    int intercept;
} ml_NetOpts;

typedef struct ml_Net {
    int k;                         /* p + intercept */
    double *coef;                  /* k; const first when there is one */
    int converged, iters;          /* converged 0: max_iter reached (the result says so) */
    double lambda_max;             /* the smallest lambda at which every b_j is 0 */
    int npath;                     /* lambdas fitted along the path (the last is 'lambda') */
    double *path_lambda;           /* npath values, decreasing */
    double *path_coef;             /* npath x k, row l = the coefficients at path_lambda[l] */
} ml_Net;

int  ml_net_fit(const ml_Design *d, const double *y, const ml_NetOpts *o, ml_Net *out,
                mn_Err *e);
void ml_net_free(ml_Net *m);

#endif
