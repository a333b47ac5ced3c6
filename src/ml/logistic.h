/* logistic.h -- binary logistic regression: unpenalized by Newton/IRLS (each step a weighted
** least squares by pivoted QR, never inverting X'WX), L2 by penalised IRLS, L1 and elastic
** net by coordinate descent on the IRLS quadratic (glmnet), sample and class weights, and
** separation detection; unpenalised multinomial (softmax) by Newton on the full Hessian. */
#ifndef MN_ML_LOGISTIC_H
#define MN_ML_LOGISTIC_H

#include <stdint.h>

#include "core/err.h"
#include "ml/design.h"

enum { ML_PEN_NONE = 0, ML_PEN_L2, ML_PEN_L1, ML_PEN_ENET };

/* Penalised objective, scikit-learn's with C = 1 / lambda and l1_ratio = alpha:
**     sum_i w_i logloss_i + lambda * ((1 - alpha) / 2 ||b||^2 + alpha ||b||_1)
** over the coefficients b of the columns (the intercept "const" is never penalised).
** L2 is alpha = 0, L1 alpha = 1; ENET takes alpha in [0, 1]. */
typedef struct ml_LogitOpts {
    int    penalty;                 /* ML_PEN_* (default NONE) */
    double lambda;                  /* >= 0 (default 1, used only when penalised) */
    double alpha;                   /* elastic-net mix in [0, 1] (default 0.5) */
    int    max_iter;                /* Newton / outer iterations (default 100) */
    double tol;                     /* on the relative change of the deviance (1e-10) */
    int    fit_intercept;           /* add "const" (default 1) */
    int    balanced;                /* class weights n / (2 n_c), as scikit-learn's */
    double class_weight[2];         /* weight of class 0 and class 1 (default 1, 1) */
} ml_LogitOpts;

void ml_logit_opts_init(ml_LogitOpts *o);

#define ML_LOGIT_WARNMAX 256

/* A fitted model. Coefficients in the order const (when fitted), then the design's columns. */
typedef struct ml_Logit {
    int64_t n;                      /* rows fitted */
    int     p;                      /* design columns */
    int     k;                      /* parameters: p + fit_intercept */
    int     fit_intercept, penalty;
    double  lambda, alpha;
    char  (*names)[ML_NAMEMAX];     /* k names, "const" first when fitted */
    double *coef;                   /* k */
    double *se, *z, *pval;          /* k each; NaN when penalised (see 'nop') */
    double  loglik, llnull, prsquared, aic, bic;
    int     iter, converged;
    int     separation;             /* 0 none, 1 quasi-complete (warning) */
    char    warning[ML_LOGIT_WARNMAX];   /* "" or why the numbers need care */
} ml_Logit;

/* Fit on 'd' (n x p, column-major, no NaN: ml_design_* refuses them) and y (n values, each
** 0 or 1; anything else is refused naming the 1-based row), 'w' optional sample weights (n
** values >= 0, NULL = 1), options 'o' (NULL = defaults). The effective weight of row i is
** w_i times its class weight. On success '*out' holds the fit (free with ml_logit_free).
** Errors: MN_EARG (bad option naming it, one class only, a column that is constant or
** duplicates another in an unpenalised fit, perfect separation naming the columns),
** MN_ENAN (NaN in x, y or w naming row and column), MN_ENOMEM, MN_EINTR.
** A fit that stops at max_iter has converged = 0 and says so in 'warning'; quasi-complete
** separation (some rows fitted at 0 or 1) sets separation = 1 and a warning naming the
** columns whose coefficients diverge. */
int ml_logit_fit(const ml_Design *d, const double *y, const double *w, const ml_LogitOpts *o,
                 ml_Logit *out, mn_Err *e);

/* P(y = 1) for the n rows of 'x' (column-major, n x m->p) into 'prob' (n values). */
void ml_logit_predict_proba(const ml_Logit *m, const double *x, int64_t n, double *prob);

/* Allocate the arrays of a model with k parameters (for loading a saved one); MN_ENOMEM. */
int  ml_logit_alloc(ml_Logit *m, int k, mn_Err *e);
void ml_logit_free(ml_Logit *m);    /* zeroes 'm' */

/* ---- multinomial (softmax), unpenalised, statsmodels' MNLogit: class 0 is the reference ----
** Class c >= 1 has its own coefficients against class 0: coef[(c - 1) * k + j], k = p +
** fit_intercept per equation, names as ml_Logit's. Newton on the full (K-1)k Hessian, solved
** by least squares (mn_lstsq); standard errors from its inverse (K-1)k solves: for small k. */
typedef struct ml_MLogit {
    int64_t n;
    int     p, k, K, fit_intercept;
    char  (*names)[ML_NAMEMAX];     /* k */
    double *coef, *se, *z, *pval;   /* (K - 1) k each */
    double  loglik, llnull, prsquared, aic, bic;
    int     iter, converged, separation;
    char    warning[ML_LOGIT_WARNMAX];
} ml_MLogit;

/* y holds class indexes 0..K-1 (K >= 3 here; each class present), w optional weights, 'o'
** gives max_iter, tol and fit_intercept (a penalty or class weights are refused: not yet).
** Errors as ml_logit_fit; a collinear column is named. */
int  ml_mlogit_fit(const ml_Design *d, const int *y, int K, const double *w,
                   const ml_LogitOpts *o, ml_MLogit *out, mn_Err *e);
/* Class probabilities of n rows of 'x' (column-major n x p) into prob (n x K, row-major). */
void ml_mlogit_predict_proba(const ml_MLogit *m, const double *x, int64_t n, double *prob);
int  ml_mlogit_alloc(ml_MLogit *m, int k, int K, mn_Err *e);
void ml_mlogit_free(ml_MLogit *m);  /* zeroes 'm' */

#endif
