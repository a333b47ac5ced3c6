/* dist.c -- the distribution functions behind p values (see dist.h), on GSL's gsl_cdf_*.
** Arguments are checked here first (NaN and out-of-range give NaN), so GSL's error handler,
** which aborts by default, is never reached; it is also switched off as a second guard. */
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "core/dist.h"

static void quiet(void) {
    /* GSL keeps its error handler in a global (no user-data pointer to pass one); the core
    ** must never abort, so it is off. Idempotent. */
    gsl_set_error_handler_off();
}

double mn_norm_cdf(double z) {
    if (isnan(z))
        return z;
    quiet();
    return gsl_cdf_ugaussian_P(z);
}

double mn_norm_sf(double z) {
    if (isnan(z))
        return z;
    quiet();
    return gsl_cdf_ugaussian_Q(z);
}

double mn_norm_ppf(double p) {
    if (!(p > 0.0 && p < 1.0))
        return (double)NAN;
    if (p == 0.5)
        return 0.0;
    quiet();
    return gsl_cdf_ugaussian_Pinv(p);
}

double mn_t_sf(double t, double df) {
    if (isnan(t) || !(df > 0.0))
        return (double)NAN;
    quiet();
    return gsl_cdf_tdist_Q(t, df);
}

double mn_t_ppf(double p, double df) {
    if (!(p > 0.0 && p < 1.0) || !(df > 0.0))
        return (double)NAN;
    quiet();
    return gsl_cdf_tdist_Pinv(p, df);     /* GSL: about 1e-11 relative (scipy: 1e-15) */
}

double mn_chi2_sf(double x, double df) {
    if (isnan(x) || !(df > 0.0))
        return (double)NAN;
    if (x <= 0.0)
        return 1.0;
    quiet();
    return gsl_cdf_chisq_Q(x, df);
}

double mn_f_sf(double f, double df1, double df2) {
    if (isnan(f) || !(df1 > 0.0) || !(df2 > 0.0))
        return (double)NAN;
    if (f <= 0.0)
        return 1.0;
    quiet();
    return gsl_cdf_fdist_Q(f, df1, df2);
}

double mn_p_two_sided(double stat, double df) {
    double a = fabs(stat);
    if (isnan(stat))
        return stat;
    return 2.0 * (df > 0.0 ? mn_t_sf(a, df) : mn_norm_sf(a));
}
