/* stats.h -- descriptive statistics over plain arrays of doubles (stats.c): ranks, Pearson
** and Spearman correlation and the correlation matrix, the least-squares line of two series,
** and Gaussian kernel density with R's bw.nrd0 bandwidth. Column statistics (summary,
** quantiles) are in ops.h. NaN and infinities are missing: each function says what it does. */
#ifndef MN_DATA_STATS_H
#define MN_DATA_STATS_H

#include <stdint.h>

#include "core/err.h"

/* Ranks 1..m of the m finite values of x[0..n) into r[0..n), ties getting the average of the
** ranks they span (scipy.stats.rankdata(method="average")); a NaN or infinite x gets a NaN
** rank and is not counted. O(n log n). Errors: MN_ENOMEM. */
int fr_ranks(const double *x, int64_t n, double *r, mn_Err *e);

enum { FR_PEARSON = 0, FR_SPEARMAN = 1 };

/* Correlation of x and y over the pairs where both are finite (pairwise-complete, as pandas'
** DataFrame.corr): Pearson's r, or Spearman's rho (Pearson's r of the pairs' ranks,
** scipy.stats.spearmanr). '*r' is NaN when fewer than 2 pairs remain or one side is constant
** there. Errors: MN_EARG (unknown method), MN_ENOMEM. */
int fr_corr(const double *x, const double *y, int64_t n, int method, double *r, mn_Err *e);

/* The ncols x ncols correlation matrix of columns cols[0..ncols)[0..n), row-major into out,
** each entry fr_corr of its pair (1 on the diagonal, symmetric). Errors as fr_corr's. */
int fr_corr_matrix(const double *const *cols, int ncols, int64_t n, int method, double *out,
                   mn_Err *e);

/* Least-squares line y = icept + slope x over the pairs where both are finite
** (scipy.stats.linregress): '*r2' is its R^2, the squared correlation (1 when y is constant
** there), '*m' the number of pairs used. Errors: MN_EARG when fewer than 2 pairs remain or x
** is constant there. Outputs are written only on success. */
int fr_linfit(const double *x, const double *y, int64_t n, double *icept, double *slope,
              double *r2, int64_t *m, mn_Err *e);

/* Silverman's rule of thumb as R's bw.nrd0 over the finite values of x[0..n):
** 0.9 min(sd, IQR / 1.34) m^(-1/5), sd the sample (m - 1) standard deviation and IQR from
** quantiles by linear interpolation (R's type 7); when that minimum is 0, the first of sd,
** |x1| and 1 that is not (as R does). Errors: MN_EARG (fewer than 2 finite values), ENOMEM. */
int fr_bw_nrd0(const double *x, int64_t n, double *bw, mn_Err *e);

/* Gaussian kernel density of the finite values of x[0..n) with bandwidth 'bw' (the kernel's
** standard deviation), at m equally spaced points from lo to hi: xs[i] = lo + i (hi - lo) /
** (m - 1) and ys[i] = sum_j phi((xs[i] - x_j) / bw) / (k bw) over the k finite values, which
** is scipy.stats.gaussian_kde(x, bw_method=bw / x.std(ddof=1)). Up to 4,000,000 kernel
** evaluations (k m) it sums exactly; beyond, the values are first binned linearly onto 4096
** points spanning them (an error of order (bin / bw)^2; the tests hold it under 1e-4 of the
** peak).
** Errors: MN_EARG (no finite value, bw <= 0, m < 2, hi <= lo), MN_ENOMEM. */
int fr_kde(const double *x, int64_t n, double bw, double lo, double hi, int m, double *xs,
           double *ys, mn_Err *e);

#endif
