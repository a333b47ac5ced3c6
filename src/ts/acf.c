/* acf.c -- sample ACF and PACF (Durbin-Levinson) with their confidence bands (see acf.h).
** Direct sums, O(n nlags): fine for the lags a correlogram shows; an FFT path can come when
** a caller needs hundreds of lags on long series. */
#include <math.h>

#include "core/dist.h"
#include "core/mem.h"
#include "ts/acf.h"

static int check_args(const char *fn, const double *x, int64_t n, int nlags, double alpha,
                      mn_Err *e) {
    if (n < 2)
        return mn_fail(e, MN_EARG, "%s: need at least 2 values, got %lld", fn, (long long)n);
    if (nlags < 1 || (int64_t)nlags > n - 1)
        return mn_fail(e, MN_EARG, "%s: lags must be from 1 to %lld (n - 1), got %d", fn,
                       (long long)(n - 1), nlags);
    if (!(alpha > 0.0 && alpha < 1.0))
        return mn_fail(e, MN_EARG, "%s: alpha must be in (0, 1), got %g", fn, alpha);
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return mn_fail(e, MN_ENAN, "%s: element %lld is %s; drop missing values first", fn,
                           (long long)(i + 1), isnan(x[i]) ? "NaN" : "infinite");
    return MN_OK;
}

/* r[0..nlags] of checked x, or MN_EARG for a constant series. */
static int autocorr(const char *fn, const double *x, int64_t n, int nlags, double *r,
                    mn_Err *e) {
    double m = 0.0, c0 = 0.0;
    for (int64_t i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    for (int64_t i = 0; i < n; i++)
        c0 += (x[i] - m) * (x[i] - m);
    if (!(c0 > 0.0))
        return mn_fail(e, MN_EARG, "%s: the series is constant (no autocorrelation)", fn);
    r[0] = 1.0;
    for (int k = 1; k <= nlags; k++) {
        double c = 0.0;
        for (int64_t t = k; t < n; t++)
            c += (x[t] - m) * (x[t - k] - m);
        r[k] = c / c0;
    }
    return MN_OK;
}

int ts_acf(const double *x, int64_t n, int nlags, double alpha, double *r, double *band,
           mn_Err *e) {
    int rc;
    double z, acc = 0.0;
    if ((rc = check_args("acf", x, n, nlags, alpha, e)) != MN_OK)
        return rc;
    if ((rc = autocorr("acf", x, n, nlags, r, e)) != MN_OK)   /* r untouched on error */
        return rc;
    if (band != NULL) {
        z = mn_norm_ppf(1.0 - alpha / 2.0);
        band[0] = 0.0;
        for (int k = 1; k <= nlags; k++) {
            band[k] = z * sqrt((1.0 + 2.0 * acc) / (double)n);
            acc += r[k] * r[k];
        }
    }
    return MN_OK;
}

void ts_durbin_levinson(const double *r, int k, double *p, double *work) {
    double *phi = work, *next = work + (k + 1);
    p[0] = 1.0;
    for (int m = 1; m <= k; m++) {
        double num = r[m], den = 1.0, a;
        for (int j = 1; j < m; j++) {
            num -= phi[j] * r[m - j];
            den -= phi[j] * r[j];
        }
        a = den != 0.0 ? num / den : (double)NAN;
        for (int j = 1; j < m; j++)
            next[j] = phi[j] - a * phi[m - j];
        next[m] = a;
        for (int j = 1; j <= m; j++)
            phi[j] = next[j];
        p[m] = a;
    }
}

int ts_pacf(const double *x, int64_t n, int nlags, double alpha, double *p, double *band,
            mn_Err *e) {
    int rc;
    double *r, *work;
    if ((rc = check_args("pacf", x, n, nlags, alpha, e)) != MN_OK)
        return rc;
    if ((r = mn_malloc((size_t)(nlags + 1) * 4 * sizeof *r)) == NULL)
        return mn_fail(e, MN_ENOMEM, "pacf: out of memory");
    work = r + (nlags + 1) * 2;
    if ((rc = autocorr("pacf", x, n, nlags, r, e)) != MN_OK) {
        mn_free(r);
        return rc;
    }
    ts_durbin_levinson(r, nlags, r + (nlags + 1), work);
    for (int k = 0; k <= nlags; k++)
        p[k] = r[nlags + 1 + k];
    mn_free(r);
    if (band != NULL) {
        double b = mn_norm_ppf(1.0 - alpha / 2.0) / sqrt((double)n);
        band[0] = 0.0;
        for (int k = 1; k <= nlags; k++)
            band[k] = b;
    }
    return MN_OK;
}
