/* drawdown.c -- equity curves from returns and their drawdown series (see drawdown.h). */
#include <math.h>

#include "eval/drawdown.h"
#include "eval/metrics.h"
#include "features/indicators.h"

int ev_equity(const double *x, int64_t n, int kind, double start, double *out, mn_Err *e) {
    double level = start;
    if (kind != EV_DD_RETURNS && kind != EV_DD_LOG_RETURNS && kind != EV_DD_EQUITY)
        return mn_fail(e, MN_EARG, "equity: unknown kind %d (returns, log_returns, equity)",
                       kind);
    if (!(start > 0) || !isfinite(start))
        return mn_fail(e, MN_EARG, "equity: start must be a positive number, got %g", start);
    for (int64_t i = 0; i < n; i++) {
        if (kind == EV_DD_EQUITY) {
            out[i] = x[i];
            continue;
        }
        if (!isnan(x[i]))                    /* a missing return: no change */
            level = kind == EV_DD_RETURNS ? level * (1.0 + x[i]) : level * exp(x[i]);
        out[i] = level;
    }
    return MN_OK;
}

/* The drawdown series is a feature too: one implementation, in features/indicators.c. */
void ev_drawdown(const double *equity, int64_t n, double start, double *dd) {
    ft_drawdown(equity, n, start, dd);
}
