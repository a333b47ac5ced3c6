/* test_data_stats.c -- data/stats.h: ranks, Pearson and Spearman (pairwise-complete), the
** correlation matrix, the least-squares line, R's bw.nrd0 and Gaussian KDE against scipy 1.10
** (Debian's python3-scipy, run with /usr/bin/python3), a brute-force check of the binned KDE,
** and the error paths. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "core/mem.h"
#include "data/stats.h"

static const double X[] = {3.1, 1.2, 4.4, 1.2, 5.0, 2.2, 4.4, 0.7, 3.3, 1.2};
static const double Y[] = {2.0, 0.5, 3.9, 1.1, 4.2, 2.5, 3.0, 0.1, 2.9, 1.6};

/* scipy.stats.rankdata(X) (method="average"); a NaN gets a NaN rank and is not counted */
static void stats_ranks(void) {                                      /* stats-1.1 */
    static const double want[] = {6, 3, 8.5, 3, 10, 5, 8.5, 1, 7, 3};
    double r[10], z[4], rz[4];
    mn_Err e = {0};
    CHECK_OK(fr_ranks(X, 10, r, &e), &e);
    for (int i = 0; i < 10; i++)
        CHECK_NEAR(r[i], want[i], 0.0);
    z[0] = 2; z[1] = NAN; z[2] = 1; z[3] = 2;                 /* by hand: 2.5, -, 1, 2.5 */
    CHECK_OK(fr_ranks(z, 4, rz, &e), &e);
    CHECK(rz[0] == 2.5 && isnan(rz[1]) && rz[2] == 1 && rz[3] == 2.5);
}

/* scipy.stats.pearsonr(X, Y)[0], spearmanr(X, Y)[0]; pairwise-complete: the same on X, Y
** without elements 3 and 6 (0-based 2 and 5), which are made NaN on one side each */
static void stats_corr(void) {                                       /* stats-1.2 */
    double r = 0, xs[10], ys[10], m[9];
    const double *cols[3];
    mn_Err e = {0};
    CHECK_OK(fr_corr(X, Y, 10, FR_PEARSON, &r, &e), &e);
    CHECK_NEAR(r, 0.93531285463828262, 1e-14);
    CHECK_OK(fr_corr(X, Y, 10, FR_SPEARMAN, &r, &e), &e);
    CHECK_NEAR(r, 0.97242277873672844, 1e-14);
    for (int i = 0; i < 10; i++) {
        xs[i] = X[i];
        ys[i] = Y[i];
    }
    xs[2] = NAN;
    ys[5] = NAN;
    CHECK_OK(fr_corr(xs, ys, 10, FR_PEARSON, &r, &e), &e);
    CHECK_NEAR(r, 0.94639090698023021, 1e-14);
    CHECK_OK(fr_corr(xs, ys, 10, FR_SPEARMAN, &r, &e), &e);
    CHECK_NEAR(r, 0.9759000729485332, 1e-14);
    /* the matrix: symmetric, 1 on the diagonal; -X correlates -1 with X by definition */
    for (int i = 0; i < 10; i++)
        ys[i] = -X[i];
    cols[0] = X;
    cols[1] = Y;
    cols[2] = ys;
    CHECK_OK(fr_corr_matrix(cols, 3, 10, FR_SPEARMAN, m, &e), &e);
    CHECK(m[0] == 1 && m[4] == 1 && m[8] == 1);
    CHECK_NEAR(m[1], 0.97242277873672844, 1e-14);
    CHECK(m[1] == m[3] && m[2] == m[6] && m[5] == m[7]);
    CHECK_NEAR(m[2], -1.0, 1e-15);
    /* fewer than 2 pairs, or a constant side: NaN, not an error */
    CHECK_OK(fr_corr(X, Y, 1, FR_PEARSON, &r, &e), &e);
    CHECK(isnan(r));
    xs[0] = xs[1] = xs[2] = 4;
    CHECK_OK(fr_corr(xs, Y, 3, FR_SPEARMAN, &r, &e), &e);
    CHECK(isnan(r));
    CHECK_FAIL(fr_corr(X, Y, 10, 7, &r, &e), MN_EARG, &e, "unknown method");
    mn_mem_fail_after(1);
    CHECK_FAIL(fr_corr(X, Y, 10, FR_SPEARMAN, &r, &e), MN_ENOMEM, &e, "out of memory");
    mn_mem_fail_after(0);
}

/* lr = scipy.stats.linregress(X, Y): intercept, slope, rvalue**2 */
static void stats_linfit(void) {                                     /* stats-1.3 */
    double a = 0, b = 0, r2 = 0, xs[3] = {1, NAN, 1};
    int64_t m = 0;
    mn_Err e = {0};
    CHECK_OK(fr_linfit(X, Y, 10, &a, &b, &r2, &m, &e), &e);
    CHECK_NEAR(a, 0.01216952305035246, 1e-13);
    CHECK_NEAR(b, 0.81192152694743347, 1e-14);
    CHECK_NEAR(r2, 0.87481013605161262, 1e-14);
    CHECK(m == 10);
    CHECK_FAIL(fr_linfit(xs, Y, 3, &a, &b, &r2, &m, &e), MN_EARG, &e, "x is constant");
    CHECK_FAIL(fr_linfit(xs, Y, 2, &a, &b, &r2, &m, &e), MN_EARG, &e, "at least 2 points");
}

/* bw.nrd0 by its definition in R's documentation, computed with numpy:
** 0.9 * min(np.std(X, ddof=1), (np.percentile(X, 75) - np.percentile(X, 25)) / 1.34) * 10**-0.2;
** density: scipy.stats.gaussian_kde(X, bw_method=bw / np.std(X, ddof=1)).evaluate(0..6) */
static void stats_kde(void) {                                        /* stats-1.4 */
    static const double want[] = {0.089808550466896939, 0.19464193327048881,
                                  0.18776761123727731, 0.1657111132257604,
                                  0.17099917102650436, 0.12792996607397161,
                                  0.042881824053673176};
    static const double one[] = {NAN, -3, 5};
    double bw = 0, xs[7], ys[7], x2[12];
    mn_Err e = {0};
    CHECK_OK(fr_bw_nrd0(X, 10, &bw, &e), &e);
    CHECK_NEAR(bw, 0.89948275227720009, 1e-14);
    CHECK_OK(fr_kde(X, 10, bw, 0, 6, 7, xs, ys, &e), &e);
    for (int i = 0; i < 7; i++) {
        CHECK_NEAR(xs[i], (double)i, 1e-15);
        CHECK_NEAR(ys[i], want[i], 1e-14);
    }
    /* missing values are skipped: X with NaNs around gives the same density */
    x2[0] = NAN;
    x2[11] = INFINITY;
    for (int i = 0; i < 10; i++)
        x2[i + 1] = X[i];
    CHECK_OK(fr_kde(x2, 12, bw, 0, 6, 7, xs, ys, &e), &e);
    CHECK_NEAR(ys[3], want[3], 1e-14);
    /* R: when sd and IQR give 0, |x1|, else 1: two equal values -3 -> 0.9 * 3 * 2^-0.2 */
    {
        double c[] = {-3, -3};
        CHECK_OK(fr_bw_nrd0(c, 2, &bw, &e), &e);
        CHECK_NEAR(bw, 0.9 * 3 * pow(2, -0.2), 1e-15);
    }
    CHECK_FAIL(fr_bw_nrd0(one, 2, &bw, &e), MN_EARG, &e, "at least 2 finite values");
    CHECK_FAIL(fr_kde(X, 10, 0, 0, 6, 7, xs, ys, &e), MN_EARG, &e, "bandwidth");
    CHECK_FAIL(fr_kde(X, 10, 1, 6, 6, 7, xs, ys, &e), MN_EARG, &e, "low < high");
    CHECK_FAIL(fr_kde(one, 1, 1, 0, 6, 7, xs, ys, &e), MN_EARG, &e, "no finite value");
}

/* 40,000 values on 200 points (8e6 kernels): the binned path; against a brute-force sum of
** the definition, within 1e-4 of the peak density. */
static void stats_kde_binned(void) {                                 /* stats-1.5 */
    enum { N = 40000, M = 200 };
    double *x = malloc(N * sizeof *x), xs[M], ys[M], peak = 0, bw = 0.3;
    mn_Err e = {0};
    for (int i = 0; i < N; i++)
        x[i] = 3 * sin(0.37 * i) + 0.5 * cos(1.3 * i);
    CHECK_OK(fr_kde(x, N, bw, -5, 5, M, xs, ys, &e), &e);
    for (int k = 0; k < M; k++)
        if (ys[k] > peak)
            peak = ys[k];
    for (int k = 0; k < M; k += 7) {
        double acc = 0;
        for (int i = 0; i < N; i++) {
            double z = (xs[k] - x[i]) / bw;
            acc += exp(-0.5 * z * z);
        }
        acc /= N * bw * sqrt(2 * M_PI);
        CHECK_NEAR(ys[k], acc, 1e-4 * peak);
    }
    free(x);
}

int main(void) {
    RUN(stats_ranks);
    RUN(stats_corr);
    RUN(stats_linfit);
    RUN(stats_kde);
    RUN(stats_kde_binned);
    return CHECK_DONE();
}
