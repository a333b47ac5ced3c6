/* test_features_series.c -- the series kernels (features/series.h) against pandas 1.5.3
** (Debian's python3-pandas, /usr/bin/python3) for a small series with NaNs, row, span (dates
** with gaps) and expanding windows, EWM; the no-look-ahead property for every kernel; and
** the window checks. The pandas snippet that printed each table is quoted above it. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/rng.h"
#include "data/frame.h"
#include "features/series.h"

#define NA NAN
#define N 12

/* x = pd.Series([1, 3, nan, 2, 5, 4, nan, nan, 7, 6, 8, 3.5])
** xt = pd.Series(x.values, index=pd.to_datetime("2024-01-01")
**                + pd.to_timedelta([0,1,2,4,5,8,9,10,11,15,16,17], "D"))
** R4_s = x.rolling(4, min_periods=2).s(); R4_q25 = ....quantile(0.25);
** R4_z = (x - r.mean()) / r.std();  R3_s = x.rolling(3).s()
** SP_s = xt.rolling("3D").s(); SP_q75 = ....quantile(0.75); EX_s = x.expanding().s()
** EW_mean_s3 = x.ewm(span=3).mean(); ..._s3n: adjust=False; EW_mean_hl2: halflife=2;
** EW_var_a3 = x.ewm(alpha=0.3).var(); EW_vol_a3 = np.sqrt((x**2).ewm(alpha=0.3).mean())
** SH_pct2 = x.pct_change(2, fill_method=None); SH_diff1 = x.diff(1);
** SH_log1 = np.log(x / x.shift(1)) */
static const double X[N] = {1, 3, NA, 2, 5, 4, NA, NA, 7, 6, 8, 3.5};
static const int64_t DAYS[N] = {0, 1, 2, 4, 5, 8, 9, 10, 11, 15, 16, 17};
static const double R4_sum[12] = {
    NA, 4.0, 4.0, 6.0, 10.0, 11.0, 11.0, 9.0, 11.0, 13.0, 21.0, 24.5};
static const double SP_sum[12] = {1.0, 4.0, 4.0, 2.0, 7.0, 4.0, 4.0, 4.0, 7.0, 6.0, 14.0, 17.5};
static const double EX_sum[12] = {
    1.0, 4.0, 4.0, 6.0, 11.0, 15.0, 15.0, 15.0, 22.0, 28.0, 36.0, 39.5};
static const double R4_mean[12] = {
    NA, 2.0, 2.0, 2.0, 3.3333333333333335, 3.6666666666666665, 3.6666666666666665, 4.5,
    5.5, 6.5, 7.0, 6.125};
static const double SP_mean[12] = {
    1.0, 2.0, 2.0, 2.0, 3.5, 4.0, 4.0, 4.0, 7.0, 6.0, 7.0, 5.833333333333333};
static const double EX_mean[12] = {
    1.0, 2.0, 2.0, 2.0, 2.75, 3.0, 3.0, 3.0, 3.6666666666666665, 4.0, 4.5,
    4.388888888888889};
static const double R4_var[12] = {
    NA, 2.0, 2.0, 1.0, 2.333333333333333, 2.333333333333333, 2.333333333333333, 0.5, 4.5,
    0.5, 1.0, 3.7291666666666665};
static const double SP_var[12] = {
    NA, 2.0, 2.0, NA, 4.5, NA, NA, NA, NA, NA, 2.0, 5.083333333333333};
static const double EX_var[12] = {
    NA, 2.0, 2.0, 1.0, 2.9166666666666665, 2.5, 2.5, 2.5, 4.666666666666667,
    4.666666666666667, 6.0, 5.361111111111111};
static const double R4_std[12] = {
    NA, 1.4142135623730951, 1.4142135623730951, 1.0, 1.5275252316519465,
    1.5275252316519465, 1.5275252316519465, 0.7071067811865476, 2.1213203435596424,
    0.7071067811865476, 1.0, 1.9311050377094112};
static const double SP_std[12] = {
    NA, 1.4142135623730951, 1.4142135623730951, NA, 2.1213203435596424, NA, NA, NA, NA,
    NA, 1.4142135623730951, 2.254624876411447};
static const double EX_std[12] = {
    NA, 1.4142135623730951, 1.4142135623730951, 1.0, 1.707825127659933,
    1.5811388300841898, 1.5811388300841898, 1.5811388300841898, 2.160246899469287,
    2.160246899469287, 2.449489742783178, 2.3154073315749675};
static const double R4_min[12] = {NA, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 4.0, 4.0, 6.0, 6.0, 3.5};
static const double SP_min[12] = {1.0, 1.0, 1.0, 2.0, 2.0, 4.0, 4.0, 4.0, 7.0, 6.0, 6.0, 3.5};
static const double EX_min[12] = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
static const double R4_max[12] = {NA, 3.0, 3.0, 3.0, 5.0, 5.0, 5.0, 5.0, 7.0, 7.0, 8.0, 8.0};
static const double SP_max[12] = {1.0, 3.0, 3.0, 2.0, 5.0, 4.0, 4.0, 4.0, 7.0, 6.0, 8.0, 8.0};
static const double EX_max[12] = {1.0, 3.0, 3.0, 3.0, 5.0, 5.0, 5.0, 5.0, 7.0, 7.0, 8.0, 8.0};
static const double R4_median[12] = {NA, 2.0, 2.0, 2.0, 3.0, 4.0, 4.0, 4.5, 5.5, 6.5, 7.0, 6.5};
static const double SP_median[12] = {1.0, 2.0, 2.0, 2.0, 3.5, 4.0, 4.0, 4.0, 7.0, 6.0, 7.0, 6.0};
static const double EX_median[12] = {1.0, 2.0, 2.0, 2.0, 2.5, 3.0, 3.0, 3.0, 3.5, 4.0, 4.5, 4.0};
static const double R4_skew[12] = {
    NA, NA, NA, 7.993605777301119e-15, 0.9352195295828247, -0.9352195295828245,
    -0.9352195295828245, NA, NA, NA, 2.398081733190341e-14, -1.0024075087289075};
static const double SP_skew[12] = {
    NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, -0.3308318147058999};
static const double EX_skew[12] = {
    NA, NA, NA, 7.993605777301119e-15, 0.7528371991317256, 0.0, 0.0, 0.0,
    0.46291004988627577, 0.0, 0.0, 0.1723082263450243};
static const double R4_count[12] = {NA, 2.0, 2.0, 3.0, 3.0, 3.0, 3.0, 2.0, 2.0, 2.0, 3.0, 4.0};
static const double SP_count[12] = {1.0, 2.0, 2.0, 1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0};
static const double EX_count[12] = {1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 5.0, 5.0, 6.0, 7.0, 8.0, 9.0};
static const double R4_q25[12] = {NA, 1.5, 1.5, 1.5, 2.5, 3.0, 3.0, 4.25, 4.75, 6.25, 6.5, 5.375};
static const double R4_z[12] = {
    NA, 0.7071067811865475, NA, 0.0, 1.0910894511799618, 0.2182178902359925, NA, NA,
    0.7071067811865476, -0.7071067811865475, 1.0, -1.3593253338066247};
static const double SP_q75[12] = {1.0, 2.5, 2.5, 2.0, 4.25, 4.0, 4.0, 4.0, 7.0, 6.0, 7.5, 7.0};
static const double R3_mean[12] = {
    NA, NA, NA, NA, NA, 3.6666666666666665, NA, NA, NA, NA, 7.0, 5.833333333333333};
static const double R3_std[12] = {
    NA, NA, NA, NA, NA, 1.5275252316519468, NA, NA, NA, NA, 1.0, 2.254624876411447};
static const double R3_max[12] = {NA, NA, NA, NA, NA, 5.0, NA, NA, NA, NA, 8.0, 8.0};
static const double EW_mean_s3[12] = {
    1.0, 2.3333333333333335, 2.3333333333333335, 2.090909090909091, 3.814814814814815,
    3.9152542372881354, 3.9152542372881354, 3.9152542372881354, 6.4222222222222225,
    6.1608222490931075, 7.178282009724473, 5.24621697871249};
static const double EW_mean_s3n[12] = {
    1.0, 2.0, 2.0, 2.0, 3.5, 3.75, 3.75, 3.75, 6.35, 6.175, 7.0875, 5.29375};
static const double EW_std_s3[12] = {
    NA, 1.4142135623730951, 1.4142135623730951, 0.7844645405527362, 1.9700731252448174,
    1.2731901402415333, 1.2731901402415333, 1.2731901402415333, 2.2393567412805435,
    1.1316895908119415, 1.37654860377299, 2.484935064967784};
static const double EW_std_s3n[12] = {
    NA, 1.4142135623730951, 1.4142135623730951, 0.816496580927726, 1.9663841605003503,
    1.391584685352615, 1.391584685352615, 1.391584685352615, 2.369582617463836,
    1.3074652802525524, 1.436309779921852, 2.4229951569891286};
static const double EW_mean_hl2[12] = {
    1.0, 2.17157287525381, 2.17157287525381, 2.079008573559272, 3.34314575050762,
    3.5925319725471105, 3.5925319725471105, 3.5925319725471105, 5.356945551186162,
    5.628783784325662, 6.515977267467178, 5.472348819141797};
static const double EW_var_a3[12] = {
    NA, 2.0, 1.9999999999999998, 0.7518355359765052, 3.4537154232719964,
    2.110817510822199, 2.110817510822199, 2.1108175108221987, 5.4457029459370725,
    3.033443580536524, 3.5271567509425137, 4.973153575246051};
static const double EW_vol_a3[12] = {
    1.0, 2.388698882852583, 2.388698882852583, 2.1852303906769746, 3.6923840258211964,
    3.813719482393665, 3.813719482393665, 3.813719482393665, 5.723949852246122,
    5.844339787781185, 6.746709257902218, 5.813646993281053};
static const double SH_pct2[12] = {
    NA, NA, NA, -0.33333333333333337, NA, 1.0, NA, NA, NA, NA, 0.1428571428571428,
    -0.41666666666666663};
static const double SH_diff1[12] = {NA, 2.0, NA, NA, 3.0, -1.0, NA, NA, NA, -1.0, 2.0, -4.5};
static const double SH_log1[12] = {
    NA, 1.0986122886681096, NA, NA, 0.916290731874155, -0.2231435513142097, NA, NA, NA,
    -0.15415067982725836, 0.28768207245178085, -0.8266785731844679};

static void check_vec(const char *what, const double *got, const double *want, int64_t n,
                      double tol) {
    for (int64_t i = 0; i < n; i++) {
        double g = got[i], w = want[i];
        int ok = (isnan(g) && isnan(w)) || fabs(g - w) <= tol * (1 + fabs(w));
        if (!ok) {
            check_failures++;
            fprintf(stderr, "%s: %s[%lld] = %.17g, expected %.17g\n", check_case, what,
                    (long long)i, g, w);
        }
    }
}

static void times(int64_t *t) {
    for (int i = 0; i < N; i++)
        t[i] = DAYS[i] * FR_NS_PER_DAY;
}

static void roll(ft_Stat s, int64_t rows, int64_t span, int64_t minp, double q,
                 const char *what, const double *want) {
    mn_Err e = {0};
    int64_t t[N];
    double out[N];
    ft_Window w = {rows, span, minp, q};
    times(t);
    CHECK_OK(ft_window_check(&w, s, &e), &e);
    CHECK_OK(ft_rolling(X, t, N, &w, s, out, &e), &e);
    check_vec(what, out, want, N, 1e-12);
}

static void shifts(void) {                                   /* fts-1.1 */
    double out[N], lag2[N];
    ft_diff(X, N, 1, out);
    check_vec("diff1", out, SH_diff1, N, 1e-15);
    ft_pct_change(X, N, 2, out);
    check_vec("pct2", out, SH_pct2, N, 1e-15);
    ft_log_returns(X, N, 1, out);
    check_vec("log1", out, SH_log1, N, 1e-15);
    ft_lag(X, N, 2, lag2);                                   /* by hand: x shifted by 2 */
    CHECK(isnan(lag2[0]) && isnan(lag2[1]) && lag2[2] == 1 && lag2[3] == 3 && isnan(lag2[4]));
    CHECK(lag2[11] == 6);
    memcpy(out, X, sizeof out);                              /* in place */
    ft_lag(out, N, 2, out);
    check_vec("lag in place", out, lag2, N, 0);
}

static void rolling_rows(void) {                             /* fts-2.1 */
    roll(FT_SUM, 4, 0, 2, 0, "sum", R4_sum);
    roll(FT_MEAN, 4, 0, 2, 0, "mean", R4_mean);
    roll(FT_VAR, 4, 0, 2, 0, "var", R4_var);
    roll(FT_STD, 4, 0, 2, 0, "std", R4_std);
    roll(FT_MIN, 4, 0, 2, 0, "min", R4_min);
    roll(FT_MAX, 4, 0, 2, 0, "max", R4_max);
    roll(FT_MEDIAN, 4, 0, 2, 0, "median", R4_median);
    roll(FT_QUANTILE, 4, 0, 2, 0.25, "q25", R4_q25);
    roll(FT_ZSCORE, 4, 0, 2, 0, "zscore", R4_z);
    roll(FT_COUNT, 4, 0, 2, 0, "count", R4_count);
    roll(FT_MEAN, 3, 0, -1, 0, "mean3", R3_mean);            /* default min_periods = 3 */
    roll(FT_STD, 3, 0, -1, 0, "std3", R3_std);
    roll(FT_MAX, 3, 0, -1, 0, "max3", R3_max);
}

static void rolling_skew(void) {                             /* fts-2.2 */
    /* pandas prints 8e-15 and 2.4e-14 for the exactly symmetric windows {1,3,2}, {7,6,8}:
    ** rounding in its sums; the absolute tolerance below accepts our 0 there */
    mn_Err e = {0};
    int64_t t[N];
    double out[N];
    ft_Window w = {4, 0, 2, 0}, s = {0, 3 * FR_NS_PER_DAY, -1, 0}, x = {INT64_MAX, 0, -1, 0};
    times(t);
    CHECK_OK(ft_rolling(X, t, N, &w, FT_SKEW, out, &e), &e);
    for (int i = 0; i < N; i++)
        CHECK_NEAR(out[i], R4_skew[i], 1e-12);
    CHECK_OK(ft_rolling(X, t, N, &s, FT_SKEW, out, &e), &e);
    for (int i = 0; i < N; i++)
        CHECK_NEAR(out[i], SP_skew[i], 1e-12);
    CHECK_OK(ft_rolling(X, t, N, &x, FT_SKEW, out, &e), &e);
    for (int i = 0; i < N; i++)
        CHECK_NEAR(out[i], EX_skew[i], 1e-12);
}

static void rolling_span(void) {                             /* fts-2.3 */
    int64_t d3 = 3 * FR_NS_PER_DAY;
    roll(FT_SUM, 0, d3, -1, 0, "sum", SP_sum);
    roll(FT_MEAN, 0, d3, -1, 0, "mean", SP_mean);
    roll(FT_VAR, 0, d3, -1, 0, "var", SP_var);
    roll(FT_STD, 0, d3, -1, 0, "std", SP_std);
    roll(FT_MIN, 0, d3, -1, 0, "min", SP_min);
    roll(FT_MAX, 0, d3, -1, 0, "max", SP_max);
    roll(FT_MEDIAN, 0, d3, -1, 0, "median", SP_median);
    roll(FT_QUANTILE, 0, d3, -1, 0.75, "q75", SP_q75);
    roll(FT_COUNT, 0, d3, -1, 0, "count", SP_count);
}

static void expanding(void) {                                /* fts-2.4 */
    roll(FT_SUM, INT64_MAX, 0, -1, 0, "sum", EX_sum);
    roll(FT_MEAN, INT64_MAX, 0, -1, 0, "mean", EX_mean);
    roll(FT_VAR, INT64_MAX, 0, -1, 0, "var", EX_var);
    roll(FT_STD, INT64_MAX, 0, -1, 0, "std", EX_std);
    roll(FT_MIN, INT64_MAX, 0, -1, 0, "min", EX_min);
    roll(FT_MAX, INT64_MAX, 0, -1, 0, "max", EX_max);
    roll(FT_MEDIAN, INT64_MAX, 0, -1, 0, "median", EX_median);
    roll(FT_COUNT, INT64_MAX, 0, -1, 0, "count", EX_count);
}

static void constant_window(void) {                          /* fts-2.5 */
    /* by hand: equal values have variance exactly 0 (pandas' rule), skew 0 */
    mn_Err e = {0};
    double x[6] = {0.1, 0.1, 0.1, 0.1, 0.7, 0.1}, out[6];
    ft_Window w = {3, 0, -1, 0};
    CHECK_OK(ft_rolling(x, NULL, 6, &w, FT_VAR, out, &e), &e);
    CHECK(out[2] == 0 && out[3] == 0 && out[4] > 0 && out[5] > 0);
    CHECK_OK(ft_rolling(x, NULL, 6, &w, FT_SKEW, out, &e), &e);
    CHECK(out[2] == 0 && out[3] == 0);
}

static int cmp_d(const void *a, const void *b) {
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

/* The definition, by brute force: the non-NaN values of the window, sorted; q by linear
** interpolation (pandas' 'linear'); min and max their ends. */
static double brute(const double *x, const int64_t *t, int64_t i, const ft_Window *w, double q,
                    ft_Stat s, double *tmp) {
    int64_t m = 0;
    double idx;
    for (int64_t j = 0; j <= i; j++) {
        int in = w->span > 0 ? t[j] > t[i] - w->span : j > i - w->rows;
        if (in && !isnan(x[j]))
            tmp[m++] = x[j];
    }
    if (m < (w->min_periods < 0 ? 1 : w->min_periods) || m == 0)
        return NAN;
    qsort(tmp, (size_t)m, sizeof *tmp, cmp_d);
    if (s == FT_MIN)
        return tmp[0];
    if (s == FT_MAX)
        return tmp[m - 1];
    idx = q * (double)(m - 1);
    return tmp[(int64_t)idx] + (idx - floor(idx)) * (tmp[(int64_t)ceil(idx)] - tmp[(int64_t)idx]);
}

static void order_stats_brute(void) {                        /* fts-2.6 */
    /* both median/quantile paths (sorted array <= 256 rows, Fenwick tree beyond and for
    ** spans) and the min/max deque against the brute-force definition */
    enum { M = 900 };
    static double x[M], out[M], tmp[M];
    static int64_t t[M];
    ft_Window ws[] = {{5, 0, 1, 0}, {256, 0, 10, 0}, {300, 0, 1, 0}, {INT64_MAX, 0, 1, 0},
                      {0, 40 * FR_NS_PER_DAY, 1, 0}};
    ft_Stat ss[] = {FT_QUANTILE, FT_MEDIAN, FT_MIN, FT_MAX};
    mn_Rng rng;
    mn_Err e = {0};
    mn_rng_seed(&rng, 3);
    for (int i = 0; i < M; i++) {
        x[i] = mn_rng_uniform(&rng) < 0.1 ? (double)NAN : (double)mn_rng_below(&rng, 50);
        t[i] = (i ? t[i - 1] : 0) + (int64_t)(1 + mn_rng_below(&rng, 9)) * FR_NS_PER_DAY;
    }
    for (size_t a = 0; a < sizeof ws / sizeof ws[0]; a++)
        for (size_t b = 0; b < sizeof ss / sizeof ss[0]; b++) {
            double q = ss[b] == FT_QUANTILE ? 0.37 : 0.5;
            ws[a].q = q;
            CHECK_OK(ft_rolling(x, t, M, &ws[a], ss[b], out, &e), &e);
            for (int i = 0; i < M; i++) {
                double want = brute(x, t, i, &ws[a], q, ss[b], tmp);
                if (!((isnan(want) && isnan(out[i])) || fabs(out[i] - want) < 1e-12)) {
                    check_failures++;
                    fprintf(stderr, "%s: window %zu stat %d row %d: %g, brute force %g\n",
                            check_case, a, (int)ss[b], i, out[i], want);
                    break;
                }
            }
        }
}

static void ewm(void) {                                      /* fts-3.1 */
    double out[N];
    ft_Ewm s3 = {2.0 / 4.0, 1, 0}, s3n = {2.0 / 4.0, 0, 0};
    ft_Ewm hl2 = {1 - exp(-log(2.0) / 2), 1, 0}, a3 = {0.3, 1, 0};
    ft_ewm_mean(X, N, &s3, out);
    check_vec("mean s3", out, EW_mean_s3, N, 1e-13);
    ft_ewm_mean(X, N, &s3n, out);
    check_vec("mean s3n", out, EW_mean_s3n, N, 1e-13);
    ft_ewm_std(X, N, &s3, out);
    check_vec("std s3", out, EW_std_s3, N, 1e-13);
    ft_ewm_std(X, N, &s3n, out);
    check_vec("std s3n", out, EW_std_s3n, N, 1e-13);
    ft_ewm_mean(X, N, &hl2, out);
    check_vec("mean hl2", out, EW_mean_hl2, N, 1e-13);
    ft_ewm_var(X, N, &a3, out);
    check_vec("var a3", out, EW_var_a3, N, 1e-13);
    ft_ewm_vol(X, N, &a3, out);
    check_vec("vol a3", out, EW_vol_a3, N, 1e-13);
}

/* Every kernel on a random series with NaNs and gapped times: rewriting all rows after t
** (new values, new NaNs, later times) leaves out[0..t] bit for bit unchanged. */
#define LN 60
typedef struct Kern {
    const char *name;
    int         kind;        /* 0 shift(k), 1 rolling, 2 ewm */
    void      (*shift)(const double *, int64_t, int64_t, double *);
    void      (*ew)(const double *, int64_t, const ft_Ewm *, double *);
} Kern;

static void run_kernel(const Kern *k, ft_Stat s, const ft_Window *w, const double *x,
                       const int64_t *t, double *out) {
    mn_Err e = {0};
    ft_Ewm p = {0.2, s == FT_MEAN, 0};
    if (k->kind == 0)
        k->shift(x, LN, 3, out);
    else if (k->kind == 1)
        CHECK_OK(ft_rolling(x, t, LN, w, s, out, &e), &e);
    else
        k->ew(x, LN, &p, out);
}

static void no_look_ahead(void) {                            /* fts-4.1 */
    static const Kern ks[] = {
        {"lag", 0, ft_lag, NULL}, {"diff", 0, ft_diff, NULL},
        {"pct", 0, ft_pct_change, NULL}, {"logret", 0, ft_log_returns, NULL},
        {"rolling", 1, NULL, NULL}, {"ewm_mean", 2, NULL, ft_ewm_mean},
        {"ewm_var", 2, NULL, ft_ewm_var}, {"ewm_std", 2, NULL, ft_ewm_std},
        {"ewm_vol", 2, NULL, ft_ewm_vol},
    };
    ft_Window ws[] = {{7, 0, 3, 0.3}, {0, 5 * FR_NS_PER_DAY, -1, 0.3}, {INT64_MAX, 0, -1, 0.9}};
    mn_Rng rng;
    double x[LN], y[LN], base[LN], pert[LN];
    int64_t t[LN], u[LN];
    mn_rng_seed(&rng, 12);
    for (int i = 0; i < LN; i++) {
        x[i] = mn_rng_uniform(&rng) < 0.15 ? (double)NAN : 50 + 10 * mn_rng_uniform(&rng);
        t[i] = (i ? t[i - 1] : 0) + (1 + (int64_t)(3 * mn_rng_uniform(&rng))) * FR_NS_PER_DAY;
    }
    for (size_t kk = 0; kk < sizeof ks / sizeof ks[0]; kk++)
        for (int s = 0; s < (ks[kk].kind == 1 ? FT_COUNT + 1 : 2); s++)
            for (int wi = 0; wi < (ks[kk].kind == 1 ? 3 : 1); wi++) {
                run_kernel(&ks[kk], (ft_Stat)s, &ws[wi], x, t, base);
                for (int cut = 0; cut < LN - 1; cut += 3) {
                    memcpy(y, x, sizeof y);
                    memcpy(u, t, sizeof u);
                    for (int i = cut + 1; i < LN; i++) {
                        y[i] = mn_rng_uniform(&rng) < 0.3 ? (double)NAN
                                                          : 1e3 * mn_rng_uniform(&rng);
                        u[i] = u[i - 1] + FR_NS_PER_DAY / 2;
                    }
                    run_kernel(&ks[kk], (ft_Stat)s, &ws[wi], y, u, pert);
                    for (int i = 0; i <= cut; i++)
                        if (memcmp(&base[i], &pert[i], sizeof base[i]) != 0) {
                            check_failures++;
                            fprintf(stderr, "%s: %s stat %d window %d: row %d changed when "
                                    "rows after %d did\n", check_case, ks[kk].name, s, wi, i,
                                    cut);
                            i = cut;
                            cut = LN;
                        }
                }
            }
}

static void window_checks(void) {                            /* fts-5.1 */
    mn_Err e = {0};
    ft_Stat s;
    ft_Window w0 = {0, 0, -1, 0}, wneg = {-3, 0, -1, 0}, wmp = {5, 0, 6, 0};
    ft_Window wq = {5, 0, -1, 1.5}, wmn = {5, 0, -2, 0};
    CHECK_FAIL(ft_window_check(&w0, FT_MEAN, &e), MN_EARG, &e, "window: 0 rows");
    CHECK_FAIL(ft_window_check(&wneg, FT_MEAN, &e), MN_EARG, &e, "window: -3 rows");
    CHECK_FAIL(ft_window_check(&wmp, FT_MEAN, &e), MN_EARG, &e, "min_periods: 6");
    CHECK_FAIL(ft_window_check(&wmn, FT_MEAN, &e), MN_EARG, &e, "min_periods");
    CHECK_FAIL(ft_window_check(&wq, FT_QUANTILE, &e), MN_EARG, &e, "q: 1.5");
    CHECK_FAIL(ft_stat_parse("avg", &s, &e), MN_EARG, &e, "stat 'avg'");
    CHECK_OK(ft_stat_parse("skew", &s, &e), &e);
    CHECK(s == FT_SKEW && strcmp(ft_stat_name(FT_ZSCORE), "zscore") == 0);
}

static void short_group(void) {                              /* fts-5.2 */
    /* a group shorter than the window: NaN, not an error (issue 12, item 6) */
    mn_Err e = {0};
    double x[2] = {1, 2}, out[2];
    ft_Window w = {20, 0, -1, 0};
    CHECK_OK(ft_rolling(x, NULL, 2, &w, FT_MEAN, out, &e), &e);
    CHECK(isnan(out[0]) && isnan(out[1]));
    CHECK_OK(ft_rolling(x, NULL, 0, &w, FT_MEDIAN, out, &e), &e);
}

int main(void) {
    RUN(shifts);
    RUN(rolling_rows);
    RUN(rolling_skew);
    RUN(rolling_span);
    RUN(expanding);
    RUN(constant_window);
    RUN(order_stats_brute);
    RUN(ewm);
    RUN(no_look_ahead);
    RUN(window_checks);
    RUN(short_group);
    return CHECK_DONE();
}
