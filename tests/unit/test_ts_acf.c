/* test_ts_acf.c -- ts/acf: ACF and PACF with their bands against statsmodels 0.13.5 (Debian's
** python3-statsmodels, run with /usr/bin/python3), hand-worked small cases, the normal
** quantile against scipy, and every error path. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "core/dist.h"
#include "core/mem.h"
#include "ts/acf.h"

static const double X12[] = {1.2, -0.5, 0.3, 2.1, -1.4, 0.8, 0.0, -0.7, 1.5, 0.4, -1.1, 0.9};

/* r, ci = statsmodels.tsa.stattools.acf(X12, nlags=5, fft=False, alpha=0.05); band = ci[:,1]-r */
static void acf_statsmodels(void) {                                   /* ts-1.1 */
    static const double want[] = {1, -0.51645651364900058, -0.20530417460213218,
                                  0.5385663623826098, -0.46662726297585427,
                                  0.14195726888640794};
    static const double wband[] = {0, 0.56579286703808584, 0.70063678973487109,
                                   0.71963743227234511, 0.8387985108111331,
                                   0.91814493639033778};
    double r[6], band[6];
    mn_Err e = {0};
    CHECK_OK(ts_acf(X12, 12, 5, 0.05, r, band, &e), &e);
    for (int k = 0; k <= 5; k++) {
        CHECK_NEAR(r[k], want[k], 1e-14);
        CHECK_NEAR(band[k], wband[k], 1e-12);
    }
    CHECK_OK(ts_acf(X12, 12, 5, 0.05, r, NULL, &e), &e);          /* band is optional */
    CHECK_NEAR(r[3], want[3], 1e-14);
}

/* p, ci = statsmodels.tsa.stattools.pacf(X12, nlags=5, method="ldb", alpha=0.05)
** (method="ywm" gives the same to 1e-15) */
static void pacf_statsmodels(void) {                                  /* ts-1.2 */
    static const double want[] = {1, -0.51645651364900058, -0.64373257687123497,
                                  0.074102500266793866, -0.27185284750393662,
                                  0.013747538346440677};
    double p[6], band[6];
    mn_Err e = {0};
    CHECK_OK(ts_pacf(X12, 12, 5, 0.05, p, band, &e), &e);
    CHECK_NEAR(band[0], 0.0, 0.0);
    for (int k = 0; k <= 5; k++)
        CHECK_NEAR(p[k], want[k], 1e-13);
    for (int k = 1; k <= 5; k++)
        CHECK_NEAR(band[k], 0.56579286703808584, 1e-12);          /* 1.959964 / sqrt(12) */
}

/* By hand: x = 1, 2, 3, 4, mean 2.5, c0 = 5; r1 = (1.5*.5 + .5*-.5 + -.5*-1.5) / 5 = .25,
** r2 = (1.5*-.5 + .5*-1.5) / 5 = -.3. An AR(1) correlogram r_k = .5^k has pacf .5, 0, 0. */
static void acf_by_hand(void) {                                       /* ts-1.3 */
    static const double x[] = {1, 2, 3, 4}, r_ar[] = {1, 0.5, 0.25, 0.125};
    double r[3], p[4], work[8];
    mn_Err e = {0};
    CHECK_OK(ts_acf(x, 4, 2, 0.05, r, NULL, &e), &e);
    CHECK_NEAR(r[1], 0.25, 1e-15);
    CHECK_NEAR(r[2], -0.3, 1e-15);
    ts_durbin_levinson(r_ar, 3, p, work);
    CHECK_NEAR(p[0], 1.0, 0.0);
    CHECK_NEAR(p[1], 0.5, 1e-15);
    CHECK_NEAR(p[2], 0.0, 1e-15);
    CHECK_NEAR(p[3], 0.0, 1e-15);
}

/* scipy.stats.norm.ppf(0.975), norm.ppf(0.995), norm.ppf(1e-10) */
static void norm_ppf_scipy(void) {                                    /* ts-1.4 */
    CHECK_NEAR(mn_norm_ppf(0.975), 1.959963984540054, 1e-13);
    CHECK_NEAR(mn_norm_ppf(0.995), 2.5758293035489004, 1e-13);
    CHECK_NEAR(mn_norm_ppf(1e-10), -6.3613409024040557, 1e-12);
    CHECK_NEAR(mn_norm_ppf(0.5), 0.0, 0.0);
    CHECK(isnan(mn_norm_ppf(0.0)) && isnan(mn_norm_ppf(1.0)));
}

static void acf_errors(void) {                                        /* ts-1.5 */
    static const double c[] = {2, 2, 2, 2};
    double x[5] = {1, 2, NAN, 4, 5}, r[6] = {-7, -7, -7, -7, -7, -7};
    mn_Err e = {0};
    CHECK_FAIL(ts_acf(x, 5, 2, 0.05, r, NULL, &e), MN_ENAN, &e, "acf: element 3 is NaN");
    CHECK(r[0] == -7);                                            /* untouched on error */
    x[2] = INFINITY;
    CHECK_FAIL(ts_pacf(x, 5, 2, 0.05, r, NULL, &e), MN_ENAN, &e, "pacf: element 3 is infinite");
    x[2] = 3;
    CHECK_FAIL(ts_acf(x, 5, 5, 0.05, r, NULL, &e), MN_EARG, &e, "lags must be from 1 to 4");
    CHECK_FAIL(ts_acf(x, 5, 0, 0.05, r, NULL, &e), MN_EARG, &e, "lags must be from 1 to 4");
    CHECK_FAIL(ts_acf(x, 1, 1, 0.05, r, NULL, &e), MN_EARG, &e, "at least 2 values");
    CHECK_FAIL(ts_acf(x, 5, 2, 1.0, r, NULL, &e), MN_EARG, &e, "alpha must be in (0, 1)");
    CHECK_FAIL(ts_pacf(c, 4, 2, 0.05, r, NULL, &e), MN_EARG, &e, "constant");
    mn_mem_fail_after(1);
    CHECK_FAIL(ts_pacf(x, 5, 2, 0.05, r, NULL, &e), MN_ENOMEM, &e, "out of memory");
    mn_mem_fail_after(0);
}

int main(void) {
    RUN(acf_statsmodels);
    RUN(pacf_statsmodels);
    RUN(acf_by_hand);
    RUN(norm_ppf_scipy);
    RUN(acf_errors);
    return CHECK_DONE();
}
