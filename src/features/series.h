/* series.h -- series kernels over ONE group's values in time order (see group.h): lags and
** differences, returns, rolling / expanding window statistics and exponentially weighted
** moments. Every kernel writes out[i] from x[0..i] (and t[0..i]) only: no look-ahead. NaN
** follows pandas: skipped inside windows and counted against min_periods. */
#ifndef MN_FEATURES_SERIES_H
#define MN_FEATURES_SERIES_H

#include <stdint.h>

#include "core/err.h"

/* ---- shifts and returns (k >= 1; the first k rows are NaN, NaN in gives NaN out) ---- */

void ft_lag(const double *x, int64_t n, int64_t k, double *out);         /* x[i-k] */
void ft_diff(const double *x, int64_t n, int64_t k, double *out);        /* x[i] - x[i-k] */
/* x[i] / x[i-k] - 1 (pandas pct_change(k, fill_method=None): no forward fill; x/0 is +-inf
** as in pandas). ft_log_returns: log(x[i] / x[i-k]) (NaN for a non-positive ratio). */
void ft_pct_change(const double *x, int64_t n, int64_t k, double *out);
void ft_log_returns(const double *x, int64_t n, int64_t k, double *out);

/* ---- rolling and expanding windows ---- */

typedef enum ft_Stat {
    FT_SUM, FT_MEAN, FT_VAR, FT_STD, FT_MIN, FT_MAX, FT_MEDIAN, FT_QUANTILE, FT_ZSCORE,
    FT_SKEW, FT_COUNT
} ft_Stat;

/* The stat named 's' ("sum", "mean", "var", "std", "min", "max", "median", "quantile",
** "zscore", "skew", "count"); MN_EARG listing the names otherwise. */
int         ft_stat_parse(const char *s, ft_Stat *out, mn_Err *e);
const char *ft_stat_name(ft_Stat s);

/* A window: the last 'rows' rows (rows >= 1; INT64_MAX: expanding), or, when span > 0, the
** rows whose time is in (t[i] - span, t[i]] (pandas' offset windows, closed right).
** min_periods: the fewest non-NaN values for a result (pandas: the window size for row
** windows, 1 for span and expanding windows; pass -1 for that default). q in [0, 1]: the
** quantile, linear interpolation between order statistics (pandas' default). */
typedef struct ft_Window {
    int64_t rows;
    int64_t span;
    int64_t min_periods;
    double  q;
} ft_Window;

/* Checks of a window and stat before any group runs: rows >= 1 or span > 0,
** 0 <= min_periods (<= rows for a row window, as pandas), q in [0, 1]. MN_EARG naming the
** parameter. */
int ft_window_check(const ft_Window *w, ft_Stat s, mn_Err *e);

/* out[i] = stat of the non-NaN x[j] in the window ending at i (NaN with fewer than
** min_periods of them). t: the group's times (ns, increasing) for a span window, else
** unused (may be NULL). Statistics and their algorithms (O(n) unless said):
**   sum, mean: Kahan-compensated running sum, added and removed (as pandas);
**   var, std: sample (ddof 1, pandas' default), Welford's update and its inverse on
**     removal; exactly 0 when every value in the window is equal (pandas' rule); NaN below 2;
**   zscore: (x[i] - mean) / std of the same window (NaN when x[i] is NaN);
**   skew: pandas' bias-corrected sample skewness from compensated sums of powers of x - x0
**     (x0 the group's first value: shifting keeps the sums small); NaN below 3 values or
**     for a variance <= 1e-14, 0 for equal values (pandas);
**   min, max: monotonic deque of indices;
**   median, quantile: row windows of <= 256 rows keep the window sorted in an array
**     (binary search and a bounded memmove per row); longer and span windows use ranks from
**     one sort of the group and a Fenwick tree over them (O(n log n) for the group);
**   count: the number of non-NaN values (min_periods applies).
** MN_ENOMEM only (scratch). */
int ft_rolling(const double *x, const int64_t *t, int64_t n, const ft_Window *w, ft_Stat s,
               double *out, mn_Err *e);

/* ---- exponentially weighted moments (pandas ewm, ignore_na=False) ---- */

typedef struct ft_Ewm {
    double  alpha;            /* (0, 1]; from span: 2/(span+1), halflife h: 1-exp(-ln 2/h) */
    int     adjust;           /* pandas' adjust: weights (1-a)^k normalised (1), or the
                              ** recursion y = (1-a) y + a x (0) */
    int64_t min_periods;      /* fewest non-NaN values seen for a result (pandas: 0 == 1) */
} ft_Ewm;

/* Mean, sample variance (bias=False, pandas' default), its square root, and volatility:
** sqrt of the weighted mean of x^2 (RiskMetrics, returns taken as zero-mean). pandas' code
** path (aggregations.pyx ewma / ewmcov), so values agree to rounding. */
void ft_ewm_mean(const double *x, int64_t n, const ft_Ewm *p, double *out);
void ft_ewm_var(const double *x, int64_t n, const ft_Ewm *p, double *out);
void ft_ewm_std(const double *x, int64_t n, const ft_Ewm *p, double *out);
void ft_ewm_vol(const double *x, int64_t n, const ft_Ewm *p, double *out);

#endif
