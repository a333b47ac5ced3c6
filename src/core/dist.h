/* dist.h -- the distribution functions behind p values, through GSL (libgsl-dev; reached only
** from here, so the rest of the core has one place to look). Upper tails are computed
** directly (not 1 - cdf) so small p values keep their digits.
** CONTRACT written before the implementation (issue 13): keep the names and meaning. */
#ifndef MN_CORE_DIST_H
#define MN_CORE_DIST_H

double mn_norm_cdf(double z);
double mn_norm_sf(double z);                 /* P(Z > z) */
double mn_norm_ppf(double p);                /* inverse cdf; NaN outside (0, 1) */
double mn_t_sf(double t, double df);         /* P(T > t), Student t with df degrees */
double mn_t_ppf(double p, double df);
double mn_chi2_sf(double x, double df);      /* P(X > x) */
double mn_f_sf(double f, double df1, double df2);   /* P(F > f) */

/* Two-sided p value of a z or t statistic: 2 P(|Z| > |z|); df <= 0 means normal. */
double mn_p_two_sided(double stat, double df);

#endif
