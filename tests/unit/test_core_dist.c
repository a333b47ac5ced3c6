/* test_core_dist.c -- core/dist.h (GSL's distribution functions) against scipy.stats.
** Expected values: /usr/bin/python3 with Debian's python3-scipy, the call beside each value.
** Tolerances are relative: small tails must keep their digits (computed as upper tails). */
#include <math.h>

#include "check.h"
#include "core/dist.h"

#define REL(a, b, r) CHECK_NEAR((a), (b), (r) * fabs(b))

static void dist_normal(void) {                                       /* dist-1.1 */
    REL(mn_norm_cdf(-1.5), 0.06680720126885807, 1e-13);     /* norm.cdf(-1.5) */
    REL(mn_norm_sf(8.0), 6.22096057427174e-16, 1e-12);      /* norm.sf(8.0) */
    REL(mn_norm_ppf(0.025), -1.9599639845400545, 1e-13);    /* norm.ppf(0.025) */
    REL(mn_norm_ppf(1e-300), -37.0470962993612, 1e-12);     /* norm.ppf(1e-300) */
    CHECK_NEAR(mn_norm_ppf(0.5), 0.0, 0.0);
    CHECK(isnan(mn_norm_ppf(0.0)) && isnan(mn_norm_ppf(1.0)) && isnan(mn_norm_ppf(NAN)));
}

static void dist_t(void) {                                            /* dist-1.2 */
    REL(mn_t_sf(2.0, 5), 0.05096973941492914, 1e-12);       /* t.sf(2.0, 5) */
    REL(mn_t_sf(-1.0, 3), 0.8044988905221148, 1e-12);       /* t.sf(-1.0, 3) */
    REL(mn_t_sf(40.0, 10), 1.1404288715428737e-12, 1e-9);   /* t.sf(40.0, 10) */
    REL(mn_t_ppf(0.975, 10), 2.2281388519649385, 1e-10);    /* t.ppf(0.975, 10); GSL 1e-11 */
    CHECK(isnan(mn_t_sf(1.0, 0.0)) && isnan(mn_t_ppf(1.5, 3.0)));
}

static void dist_chi2_f(void) {                                       /* dist-1.3 */
    REL(mn_chi2_sf(3.84, 1), 0.05004352124870519, 1e-12);   /* chi2.sf(3.84, 1) */
    REL(mn_chi2_sf(100.0, 10), 5.4497019829205215e-17, 1e-9); /* chi2.sf(100.0, 10) */
    REL(mn_f_sf(3.5, 3, 20), 0.03449310388512439, 1e-12);   /* f.sf(3.5, 3, 20) */
    REL(mn_f_sf(200.0, 5, 100), 2.0438314933293586e-50, 1e-8); /* f.sf(200.0, 5, 100) */
    CHECK_NEAR(mn_chi2_sf(0.0, 2), 1.0, 0.0);
    CHECK(isnan(mn_f_sf(1.0, -1.0, 3.0)) && isnan(mn_chi2_sf(NAN, 2.0)));
}

static void dist_two_sided(void) {                                    /* dist-1.4 */
    REL(mn_p_two_sided(2.5, 12), 0.027915399571325213, 1e-12);  /* 2 * t.sf(2.5, 12) */
    REL(mn_p_two_sided(-2.5, 12), 0.027915399571325213, 1e-12);
    REL(mn_p_two_sided(3.0, 0), 0.0026997960632601866, 1e-12);  /* 2 * norm.sf(3.0) */
    CHECK(isnan(mn_p_two_sided(NAN, 3)));
}

int main(void) {
    RUN(dist_normal);
    RUN(dist_t);
    RUN(dist_chi2_f);
    RUN(dist_two_sided);
    return CHECK_DONE();
}
