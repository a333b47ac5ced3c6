/* acf.h -- sample autocorrelation and partial autocorrelation of a series in double
** precision, with the confidence bands statsmodels draws: Bartlett's for the ACF, 1/sqrt(n)
** for the PACF. The first pieces of ts/; unit-root and white-noise tests, ARIMA and GARCH
** will sit beside it. Nothing here allocates more than O(nlags^2) scratch. */
#ifndef MN_TS_ACF_H
#define MN_TS_ACF_H

#include <stdint.h>

#include "core/err.h"

/* Sample autocorrelations r[0..nlags] of x[0..n) (r[0] = 1): r_k = c_k / c_0 with
** c_k = sum_{t=k}^{n-1} (x_t - m)(x_{t-k} - m) / n and m the mean (the biased estimate,
** statsmodels.tsa.stattools.acf(x, nlags, adjusted=False, fft=False)). If 'band' is not NULL,
** band[k] is the half-width of the two-sided (1 - alpha) interval of r_k under Bartlett's
** formula, z * sqrt((1 + 2 sum_{j<k} r_j^2) / n) for k >= 1 (band[0] = 0), z the normal
** quantile at 1 - alpha / 2: statsmodels' confint is r -+ band.
** Errors: MN_EARG (n < 2, nlags outside [1, n - 1], alpha outside (0, 1), a constant series),
** MN_ENAN naming the first NaN or infinite element (counted from 1). Outputs are written only
** on success. */
int ts_acf(const double *x, int64_t n, int nlags, double alpha, double *r, double *band,
           mn_Err *e);

/* Sample partial autocorrelations p[0..nlags] of x[0..n) (p[0] = 1): the Durbin-Levinson
** recursion on the autocorrelations of ts_acf (statsmodels.tsa.stattools.pacf(x, nlags,
** method="ldb"), equal to method="ywm"). band[k] (if not NULL) is z / sqrt(n) for k >= 1 and
** 0 for k = 0. Errors as ts_acf's, and MN_ENOMEM. */
int ts_pacf(const double *x, int64_t n, int nlags, double alpha, double *p, double *band,
            mn_Err *e);

/* Durbin-Levinson: the partial autocorrelations p[1..k] from autocorrelations r[0..k]
** (r[0] = 1), with 'work' scratch of 2 * (k + 1) doubles; p[0] is set to 1. A singular step
** (a perfectly predictable series) gives NaN from there on. Cannot fail. */
void ts_durbin_levinson(const double *r, int k, double *p, double *work);

#endif
