/* indicators.h -- technical indicators and forecast targets over ONE group's values in time
** order (the group driver of group.h gathers them). Every indicator writes out[i] from inputs
** at indices <= i only; the targets are the one exception by design and read i+1..i+h.
** Kernels cannot fail on valid shapes (void); callers check periods >= 1 and n >= 0 first. */
#ifndef MN_FEATURES_INDICATORS_H
#define MN_FEATURES_INDICATORS_H

#include <stdint.h>

#include "core/err.h"

/* NaN rules, shared by the kernels below:
** - Windowed values (Bollinger, stochastic, realized volatility, beta, correlation) follow
**   pandas' rolling(w) with its default min_periods = w: NaN until the window holds w rows
**   and NaN while any of its w rows is NaN.
** - Recursions (Wilder's smoothing in RSI and ATR, the EMAs of MACD, OBV's running sum)
**   skip a NaN step: the row gets NaN and the state carries over unchanged to the next
**   computable row (pandas' ewm(ignore_na=True), except that pandas repeats the last value on
**   the NaN row where these give NaN). */

/* Relative strength index with Wilder's smoothing over 'period' rows (J. W. Wilder, "New
** Concepts in Technical Trading Systems", 1978; TA-Lib's RSI). With d[i] = x[i] - x[i-1],
** gains g = max(d, 0) and losses l = max(-d, 0): the first averages are the plain means of
** the first 'period' computable steps (d[1..period] without NaNs), so the first RSI is at index
** 'period' (TA-Lib's convention); after that avg = (avg (period-1) + step) / period.
** RSI = 100 avg_g / (avg_g + avg_l); 50 when both averages are 0 (a flat run: TA-Lib gives 0).
** NaN before the first value and on rows whose step is NaN. */
void ft_rsi(const double *x, int64_t n, int period, double *out);

/* Exponential moving average with alpha = 2 / (span + 1), pandas' ewm(span, adjust=False):
** y[0] = x[0], y[i] = (1 - alpha) y[i-1] + alpha x[i]; values from the first non-NaN row
** (pandas' min_periods = 0); NaN rows skipped as above. */
void ft_ema(const double *x, int64_t n, double span, double *out);

/* MACD (G. Appel): line = EMA(x, fast) - EMA(x, slow), signal = EMA(line, sig),
** hist = line - signal, each EMA as ft_ema (pandas' ewm(span, adjust=False).mean(), the
** usual definition; no warm-up NaNs: the early values lean on the first close). One pass;
** line, signal and hist are three distinct arrays. */
void ft_macd(const double *x, int64_t n, int fast, int slow, int sig, double *line,
             double *signal, double *hist);

/* Bollinger bands (J. Bollinger): mid = rolling mean of w rows, upper/lower = mid +/- k sd,
** sd the rolling standard deviation with divisor w - ddof (ddof = 0, population, is
** Bollinger's and TA-Lib's; pandas' rolling std uses ddof = 1). %b = (x - lower) /
** (upper - lower), NaN when the band has zero width. Windows as pandas' (NaN rule above).
** Any output pointer may be NULL. */
void ft_bollinger(const double *x, int64_t n, int w, double k, int ddof, double *mid,
                  double *upper, double *lower, double *pctb);

/* True range (Wilder): max(high, close[i-1]) - min(low, close[i-1]); row 0 has no previous
** close and is NaN (TA-Lib's TRANGE). NaN when any of its three inputs is NaN. */
void ft_true_range(const double *high, const double *low, const double *close, int64_t n,
                   double *out);

/* Average true range (Wilder, TA-Lib's ATR): the first value, at index 'period', is the mean
** of the first 'period' true ranges (rows 1..period); then atr = (atr (period-1) + tr) /
** period. NaN-TR rows skipped as above. */
void ft_atr(const double *high, const double *low, const double *close, int64_t n, int period,
            double *out);

/* Stochastic oscillator (G. Lane): %K = 100 (close - LL) / (HH - LL), HH and LL the highest
** high and lowest low of the last kp rows including this one; %D = the mean of the last dp %K
** values. NaN until a window is full, when a window holds a NaN, and when HH = LL (0/0, as the
** pandas formula gives). 'k' and 'd' must not alias. */
void ft_stochastic(const double *high, const double *low, const double *close, int64_t n,
                   int kp, int dp, double *k, double *d);

/* On-balance volume (J. Granville): obv[0] = 0, then obv[i] = obv[i-1] + sign(close[i] -
** close[i-1]) volume[i] (TA-Lib starts at volume[0] instead; the differences are the same).
** A row whose close, previous close or volume is NaN gets NaN and adds nothing. */
void ft_obv(const double *close, const double *volume, int64_t n, double *out);

/* Realized volatility of returns r over w rows: sqrt(sum of r^2) over the window, or, with
** periods_per_year > 0, annualised: sqrt(periods_per_year / w * sum of r^2) (the root mean
** square return times the square root of the periods per year). Windows as pandas'. */
void ft_realized_vol(const double *r, int64_t n, int w, double periods_per_year, double *out);

/* Drawdown from the running peak: dd[i] = x[i] / peak[i] - 1 (<= 0), peak[i] the running
** maximum of the non-NaN x[0..i] and of 'start' (NaN: no starting level). NaN where x[i] is
** NaN or the peak is not positive. eval's ev_drawdown is this function. */
void ft_drawdown(const double *x, int64_t n, double start, double *dd);

/* Rolling beta of y on x over w rows: cov(y, x) / var(x) (the divisor cancels); NaN when
** var(x) = 0. Rolling Pearson correlation: cov / sqrt(var x var y), NaN when either variance
** is 0 (pandas' rolling(w).corr). Windows as pandas': a row where x or y is NaN spoils the
** w windows that hold it. Either output may be NULL. */
void ft_beta_corr(const double *y, const double *x, int64_t n, int w, double *beta,
                  double *corr);

/* Calendar features of times t (ns since the epoch, UTC; FR_NA_TIME missing -> NaN):
** day of week 0 = Monday .. 6 = Sunday (pandas' dayofweek), month 1..12, quarter 1..4,
** month_end 1/0 (the last calendar day of its month, pandas' is_month_end) and days to the
** month's last day (0 on it). Any output may be NULL. */
void ft_calendar(const int64_t *t, int64_t n, double *dow, double *month, double *quarter,
                 double *month_end, double *days_to_month_end);

/* Forward return over h rows: out[i] = x[i+h] / x[i] - 1, or log(x[i+h] / x[i]) when 'log';
** NaN for the last h rows and where either value is NaN. Row i's target reads i+1..i+h (the
** value at i+h) and row i, nothing else. Errors: MN_EARG naming 'h' when h < 1. */
int ft_target_return(const double *x, int64_t n, int64_t h, int log, double *out, mn_Err *e);

/* Direction over h rows: 1 when the simple forward return x[i+h] / x[i] - 1 is above
** 'threshold', 0 when it is not (a tie is 0), NaN where the return is unknown. Errors: MN_EARG
** naming 'h' when h < 1, naming 'threshold' when it is not finite. */
int ft_target_direction(const double *x, int64_t n, int64_t h, double threshold, double *out,
                        mn_Err *e);

#endif
