/* drawdown.h -- the equity curve of a strategy and its drawdown series, for equity plots and
** backtests. The maximum drawdown itself is ev_max_drawdown in metrics.h, whose 'kind's
** (EV_DD_RETURNS, EV_DD_LOG_RETURNS, EV_DD_EQUITY) these share. */
#ifndef MN_EVAL_DRAWDOWN_H
#define MN_EVAL_DRAWDOWN_H

#include <stdint.h>

#include "core/err.h"

/* Equity curve out[0..n) from x[0..n) by 'kind': EV_DD_RETURNS compounds simple returns from
** 'start' (out[i] = out[i-1] (1 + x[i]), out[-1] = start), EV_DD_LOG_RETURNS log returns
** (times exp(x[i])), EV_DD_EQUITY copies x. A NaN return counts as no change (the level is
** carried); a NaN equity value stays NaN. Errors: MN_EARG (bad kind, start not > 0). */
int ev_equity(const double *x, int64_t n, int kind, double start, double *out, mn_Err *e);

/* Drawdown series dd[0..n) of an equity curve: dd[i] = E[i] / peak[i] - 1 (<= 0), with
** peak[i] the running maximum of the non-NaN E[0..i] and of 'start' (NaN: no starting level,
** the peak starts at the first value; a first loss from a starting capital is then not a
** drawdown). NaN where E[i] is NaN or the peak is not positive. Cannot fail. */
void ev_drawdown(const double *equity, int64_t n, double start, double *dd);

#endif
