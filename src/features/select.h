/* select.h -- feature selection over the columns of a frame, cross-sectional (no time order,
** no groups): correlation matrices, variance threshold, k-nearest-neighbour mutual information
** (scikit-learn's estimators), variance inflation factors. Recursive feature elimination is
** Lua-level (lua/moneta/feat_select.lua) since it drives a model object. */
#ifndef MN_FEATURES_SELECT_H
#define MN_FEATURES_SELECT_H

#include <stdint.h>

#include "core/err.h"
#include "data/frame.h"
#include "data/stats.h"          /* FR_PEARSON, FR_SPEARMAN */

/* Every function here reads numeric columns: f64 as is, bool as 0/1 (missing: NaN); any other
** type is refused with MN_EARG naming the column and its type. */

/* The Pearson (method FR_PEARSON) or Spearman (FR_SPEARMAN) correlation matrix of every column
** of 'f' (data/stats.h fr_corr_matrix: pairwise-complete over rows where both are finite, as
** pandas' DataFrame.corr). '*out' is a new frame of ncols rows: a text column "column" naming
** the row, then one f64 column per column of 'f' in order. A column that is constant (or has
** fewer than 2 finite pairs) gets NaN off the diagonal, as pandas, but 1 on it (pandas: NaN).
** Errors: MN_EARG (no columns, a non-numeric column, a column named "column"), MN_ENOMEM. */
int ft_corr(const fr_Frame *f, int method, fr_Frame **out, mn_Err *e);

/* scikit-learn's VarianceThreshold: the population variance (ddof 0) of each column of 'f'
** over its non-NaN values (sklearn uses nanvar) into var[0..ncols) (NaN for a column with no
** value), and '*out' a new frame sharing the columns whose variance is > threshold (a NaN
** variance is dropped, as sklearn). All columns dropped is not an error: '*out' then has no
** columns. Errors: MN_EARG (threshold < 0 or NaN, a non-numeric column), MN_ENOMEM. */
int ft_variance_threshold(const fr_Frame *f, double threshold, double *var, fr_Frame **out,
                          mn_Err *e);

/* ---- mutual information (k nearest neighbours) ---- */

/* The raw estimators, with no scaling and no noise (ft_mutual_info adds both). Each writes
** max(0, estimate) in nats, as scikit-learn's _compute_mi_cc / _compute_mi_cd, with k
** neighbours and the same strict radius (distances < the k-th neighbour's).
** ft_mi_cc: Kraskov, Stoegbauer and Grassberger (2004), estimator 1, between continuous x and
** y, maximum norm in the joint space (a 2-d tree finds the k-th neighbour: O(n log n)).
** ft_mi_cd: Ross (2014) between continuous c and discrete labels d (compared for equality):
** rows whose label occurs once are left out; a label with m <= k rows uses m - 1 neighbours.
** Values must be finite (not checked here). Errors: MN_EARG (k < 1, n <= k, or for ft_mi_cd no
** label with two rows), MN_ENOMEM. */
int ft_mi_cc(const double *x, const double *y, int64_t n, int k, double *mi, mn_Err *e);
int ft_mi_cd(const double *c, const double *d, int64_t n, int k, double *mi, mn_Err *e);

enum { FT_MI_REGRESSION = 0, FT_MI_CLASSIFICATION = 1 };

typedef struct ft_MiOpts {
    int      kind;         /* FT_MI_REGRESSION (continuous y) or FT_MI_CLASSIFICATION */
    int      k;            /* neighbours; scikit-learn's n_neighbors = 3 */
    uint64_t seed;         /* of the noise */
    int      noise;        /* 1: add scikit-learn's small noise; 0: none (deterministic) */
} ft_MiOpts;

/* Mutual information between each column of 'f' (every feature continuous, scikit-learn's
** discrete_features="auto" for dense X) and the target y[0..nrows): mutual_info_regression
** (kind FT_MI_REGRESSION) or mutual_info_classif (FT_MI_CLASSIFICATION, y holds class labels
** compared for equality) into mi[0..ncols). As scikit-learn: each feature, and y for
** regression, is divided by its population standard deviation (left alone below 10 eps), then
** gets noise 1e-10 max(1, mean |v|) N(0, 1) drawn from mn_Rng: y's from 'seed', feature j's
** from seed + 1 + j, so a feature's value does not depend on the other columns. The draws
** differ from numpy's, so results match scikit-learn's within that noise (exactly when no
** distances tie). Errors: MN_EARG (a non-numeric column, bad k or kind, nrows <= k), MN_ENAN
** (NaN or Inf in a column or in y, naming the column and the 1-based row), MN_ENOMEM, MN_EINTR
** (the interrupt flag, polled before each column). */
int ft_mutual_info(const fr_Frame *f, const double *y, const ft_MiOpts *o, double *mi,
                   mn_Err *e);

/* ---- collinearity ---- */

/* Variance inflation factors as statsmodels' variance_inflation_factor on add_constant(X):
** column j regressed on the other columns with an intercept by LAPACK least squares
** (core/blas.h mn_lstsq, SVD), VIF_j = 1 / (1 - R^2_j), R^2_j = 1 - SSR_j / TSS_j with the
** centred total sum of squares; huge or +Inf when column j is an exact linear combination of
** the others (as statsmodels). One column alone gets 1. Errors: MN_EARG (no columns, a
** non-numeric or constant column, naming it; rows <= columns), MN_ENAN (a NaN or Inf, naming
** the column and the 1-based row), MN_ENOMEM, MN_EINTR (polled before each regression). */
int ft_vif(const fr_Frame *f, double *vif, mn_Err *e);

#endif
