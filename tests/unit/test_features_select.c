/* test_features_select.c -- features/select.h: correlation frames, variance threshold, k-NN
** mutual information, VIF (and core/blas.h's mn_lstsq under it) against pandas 1.5, scikit-learn
** 1.2 and statsmodels 0.13 (Debian's python3-* run with /usr/bin/python3; snippets beside the
** values), the error paths and the n = 10,000 timing of mutual information. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "core/blas.h"
#include "core/clock.h"
#include "core/interrupt.h"
#include "core/mem.h"
#include "features/select.h"
#include "frames.h"

/* The data every reference below is computed from (numpy):
**   n = 200; i = np.arange(n)
**   a = 3*np.sin(0.7*i) + 0.01*i
**   b = np.cos(1.3*i) + 0.5*a
**   c = ((i*37) % 101)/10.0 + 0.001*np.sqrt(i) + 0.5*a
**   yr = a + b**2 + 0.1*np.sin(5*i)
**   yc = (a + b > 0.5).astype(int) + (a > 2).astype(int)        # classes of 84, 42, 74 rows */
#define N 200
static double A[N], B[N], C[N], YR[N], YC[N];

static void make_data(void) {
    for (int i = 0; i < N; i++) {
        A[i] = 3 * sin(0.7 * i) + 0.01 * i;
        B[i] = cos(1.3 * i) + 0.5 * A[i];
        C[i] = (double)((i * 37) % 101) / 10.0 + 0.001 * sqrt((double)i) + 0.5 * A[i];
        YR[i] = A[i] + B[i] * B[i] + 0.1 * sin(5.0 * i);
        YC[i] = (double)(A[i] + B[i] > 0.5) + (double)(A[i] > 2);
    }
}

static fr_Frame *abc(void) {
    fr_Frame *f = newframe();
    put(f, "a", f64col(A, N));
    put(f, "b", f64col(B, N));
    put(f, "c", f64col(C, N));
    return f;
}

/* pd.DataFrame({"a": a, "b": b, "c": c}).corr() and .corr(method="spearman") */
static void select_corr(void) {                                      /* select-1.1 */
    static const double pear[9] = {
        1.0, 0.8400479248935531, 0.3484202492764225,
        0.8400479248935531, 1.0, 0.29257885425185054,
        0.3484202492764225, 0.29257885425185054, 1.0};
    static const double spear[9] = {
        1.0, 0.846289657241431, 0.332606315157879,
        0.846289657241431, 1.0, 0.28782869571739295,
        0.332606315157879, 0.28782869571739295, 1.0};
    static const char *names[3] = {"a", "b", "c"};
    fr_Frame *f = abc(), *g = NULL;
    mn_Err e = {0};
    for (int method = 0; method < 2; method++) {
        const double *want = method == 0 ? pear : spear;
        CHECK_OK(ft_corr(f, method == 0 ? FR_PEARSON : FR_SPEARMAN, &g, &e), &e);
        if (g == NULL)
            continue;
        CHECK(fr_ncols(g) == 4 && fr_nrows(g) == 3);
        CHECK(strcmp(fr_name(g, 0), "column") == 0);
        for (int i = 0; i < 3; i++) {
            CHECK(strcmp(fr_col_text(fr_col(g, 0))[i], names[i]) == 0);
            CHECK(strcmp(fr_name(g, i + 1), names[i]) == 0);
            for (int j = 0; j < 3; j++)
                CHECK_NEAR(fr_col_f64(fr_col(g, j + 1))[i], want[i * 3 + j], 1e-12);
        }
        fr_free(g);
        g = NULL;
    }
    fr_free(f);
}

/* A constant column: NaN off the diagonal (pandas: DataFrame({"a": a, "k": 1.0}).corr() gives
** NaN for (a, k) and (k, k); fr_corr_matrix, reused here, puts 1 on the diagonal); a text
** column is refused by name; a bool column counts 0/1 (pandas' corr of a with (a > 0) as float:
** a.corr(pd.Series(a > 0).astype(float)) = 0.8667125069467001). */
static void select_corr_edges(void) {                                /* select-1.2 */
    double k[N];
    int8_t pos[N];
    const char *txt[N];
    fr_Frame *f = newframe(), *g = NULL;
    mn_Err e = {0};
    for (int i = 0; i < N; i++)
        k[i] = 1.0, pos[i] = A[i] > 0, txt[i] = "x";
    put(f, "a", f64col(A, N));
    put(f, "k", f64col(k, N));
    put(f, "pos", boolcol(pos, N));
    CHECK_OK(ft_corr(f, FR_PEARSON, &g, &e), &e);
    if (g != NULL) {
        CHECK(isnan(fr_col_f64(fr_col(g, 2))[0]) && isnan(fr_col_f64(fr_col(g, 1))[1]));
        CHECK_NEAR(fr_col_f64(fr_col(g, 3))[0], 0.8667125069467001, 1e-12);
    }
    fr_free(g);
    put(f, "name", textcol(txt, N));
    CHECK_FAIL(ft_corr(f, FR_PEARSON, &g, &e), MN_EARG, &e, "column 'name' is text");
    fr_free(f);
    f = newframe();
    put(f, "column", f64col(A, N));
    CHECK_FAIL(ft_corr(f, FR_PEARSON, &g, &e), MN_EARG, &e, "named 'column'");
    fr_free(f);
}

/* np.var(X, axis=0) (ddof 0) = VarianceThreshold().fit(X).variances_; with threshold 2:
** a (4.77) and c (9.73) stay, b (1.70) goes. A NaN is skipped (sklearn's nanvar: np.nanvar of
** [1, NaN, 3] = 1); an all-NaN column and a constant one are dropped at threshold 0. */
static void select_variance(void) {                                  /* select-1.3 */
    static const double z[3] = {1, NAN, 3}, k[3] = {5, 5, 5}, w[3] = {NAN, NAN, NAN};
    double var[4];
    fr_Frame *f = abc(), *g = NULL;
    mn_Err e = {0};
    CHECK_OK(ft_variance_threshold(f, 2.0, var, &g, &e), &e);
    CHECK_NEAR(var[0], 4.769717592587427, 1e-12);
    CHECK_NEAR(var[1], 1.7014280340692773, 1e-12);
    CHECK_NEAR(var[2], 9.730597230865099, 1e-12);
    CHECK(g != NULL && fr_ncols(g) == 2 && fr_find(g, "b") < 0 && fr_find(g, "c") == 1);
    fr_free(g);
    g = NULL;
    CHECK_FAIL(ft_variance_threshold(f, -1, var, &g, &e), MN_EARG, &e, "threshold");
    fr_free(f);
    f = newframe();
    put(f, "z", f64col(z, 3));
    put(f, "k", f64col(k, 3));
    put(f, "w", f64col(w, 3));
    CHECK_OK(ft_variance_threshold(f, 0.0, var, &g, &e), &e);
    CHECK_NEAR(var[0], 1.0, 1e-15);
    CHECK(var[1] == 0 && isnan(var[2]));
    CHECK(g != NULL && fr_ncols(g) == 1 && fr_find(g, "z") == 0);
    fr_free(g);
    fr_free(f);
}

/* The raw estimators against scikit-learn's own, which add no noise:
**   from sklearn.feature_selection._mutual_info import _compute_mi_cc as cc, _compute_mi_cd as cd
**   cc(a, yr, 3), cc(c, b, 3), cc(a, yr, 1), cd(a, yc, 3), cd(c, yc, 2)
** and a small Ross case from the definition in plain Python (scipy.special.digamma), since
** scikit-learn's own cd gives 0.98957 here: for a class of fewer than 2k rows its
** NearestNeighbors goes brute-force, whose distances (via |x|^2 - 2xy + |y|^2) are off by an
** ulp, so the k-th neighbour itself falls inside the "strict" radius (its kd-tree path, used
** for the 200-row cases above, agrees with ours: with M.NearestNeighbors replaced by
** lambda **kw: NearestNeighbors(algorithm="kd_tree", **kw) it gives 1.1335137085137093 too):
**   d = [0,0,0,0,0,1,1,1,1,2,2,5]; c = [0.1,0.5,0.9,0.3,0.7,2.0,2.6,2.2,3.1,5.0,5.5,9.0]
**   cnt = {l: d.count(l) for l in d}; use = [i for i in range(12) if cnt[d[i]] > 1]
**   for i in use: k = min(3, cnt[d[i]] - 1); r = k-th smallest |c[j] - c[i]| over the j != i
**     of i's class; m = #{j in use: |c[j] - c[i]| < r}
**   digamma(len(use)) + mean(digamma(k)) - mean(digamma(cnt)) - mean(digamma(m))
**     = 1.1335137085137093 (label 5 occurs once: left out; label 2 twice: k = 1) */
static void select_mi_raw(void) {                                    /* select-2.1 */
    static const double d1[12] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 5};
    static const double c1[12] = {0.1, 0.5, 0.9, 0.3, 0.7, 2.0, 2.6, 2.2, 3.1, 5.0, 5.5, 9.0};
    static const double one[3] = {0, 1, 2};
    double mi = -1;
    mn_Err e = {0};
    CHECK_OK(ft_mi_cc(A, YR, N, 3, &mi, &e), &e);
    CHECK_NEAR(mi, 1.2448699500295182, 1e-12);
    CHECK_OK(ft_mi_cc(C, B, N, 3, &mi, &e), &e);
    CHECK_NEAR(mi, 0.020721553057574837, 1e-12);
    CHECK_OK(ft_mi_cc(A, YR, N, 1, &mi, &e), &e);
    CHECK_NEAR(mi, 1.3361970703331338, 1e-12);
    CHECK_OK(ft_mi_cd(A, YC, N, 3, &mi, &e), &e);
    CHECK_NEAR(mi, 1.00949769512299, 1e-12);
    CHECK_OK(ft_mi_cd(C, YC, N, 2, &mi, &e), &e);
    CHECK_NEAR(mi, 0.2203883094106629, 1e-12);
    CHECK_OK(ft_mi_cd(c1, d1, 12, 3, &mi, &e), &e);
    CHECK_NEAR(mi, 1.1335137085137093, 1e-12);
    CHECK_FAIL(ft_mi_cd(one, one, 3, 1, &mi, &e), MN_EARG, &e, "single row");
    CHECK_FAIL(ft_mi_cc(one, one, 3, 3, &mi, &e), MN_EARG, &e, "more than k rows");
}

/* The public estimator, with scaling and noise, against scikit-learn's (the same to 1e-16 for
** random_state 0, 1 and 2: no distance here ties within the noise, so our different draws
** give the same numbers):
**   X = np.column_stack([a, b, c])
**   mutual_info_regression(X, yr, random_state=0)  -> [1.2658084715040405,
**                                        1.3130558305998403, 0.05940682410978626]
**   mutual_info_regression(X, yr, n_neighbors=5, random_state=0)
**                                     -> [1.1753465544701216, 1.2340212686071022, 0]
**   mutual_info_classif(X, yc, random_state=0) -> [1.00949769512299, 0.5408297565354117,
**                                        0.20277559470224715] */
static void select_mi(void) {                                        /* select-2.2 */
    static const double reg[3] = {1.2658084715040405, 1.3130558305998403, 0.05940682410978626};
    static const double reg5[3] = {1.1753465544701216, 1.2340212686071022, 0};
    static const double cls[3] = {1.00949769512299, 0.5408297565354117, 0.20277559470224715};
    fr_Frame *f = abc();
    double mi[3];
    mn_Err e = {0};
    for (int noise = 0; noise < 2; noise++)
        for (uint64_t seed = 0; seed < 3; seed++) {
            ft_MiOpts o = {FT_MI_REGRESSION, 3, seed, noise};
            CHECK_OK(ft_mutual_info(f, YR, &o, mi, &e), &e);
            for (int j = 0; j < 3; j++)
                CHECK_NEAR(mi[j], reg[j], 1e-9);
            o.kind = FT_MI_CLASSIFICATION;
            CHECK_OK(ft_mutual_info(f, YC, &o, mi, &e), &e);
            for (int j = 0; j < 3; j++)
                CHECK_NEAR(mi[j], cls[j], 1e-9);
            o.kind = FT_MI_REGRESSION;
            o.k = 5;
            CHECK_OK(ft_mutual_info(f, YR, &o, mi, &e), &e);
            for (int j = 0; j < 3; j++)
                CHECK_NEAR(mi[j], reg5[j], 1e-9);
        }
    fr_free(f);
}

/* Ties: with noise the estimate no longer sees the exact duplicates, and the seed decides the
** order among them; the same seed gives the same value, and without noise it is repeatable.
** NaN in a column or in y, a non-numeric column and a bad k are refused. */
static void select_mi_edges(void) {                                  /* select-2.3 */
    double x[N], mi1[2], mi2[2], y[N];
    const char *txt[N];
    fr_Frame *f = newframe();
    ft_MiOpts o = {FT_MI_REGRESSION, 3, 7, 1};
    mn_Err e = {0};
    for (int i = 0; i < N; i++)
        x[i] = (double)(i % 7), y[i] = (double)(i % 7) + (double)(i % 3), txt[i] = "t";
    put(f, "x", f64col(x, N));
    put(f, "a", f64col(A, N));
    CHECK_OK(ft_mutual_info(f, y, &o, mi1, &e), &e);
    CHECK_OK(ft_mutual_info(f, y, &o, mi2, &e), &e);
    CHECK(mi1[0] == mi2[0] && mi1[1] == mi2[1]);
    CHECK(mi1[0] > 0.3);            /* y is x plus a 3-valued term: strongly dependent */
    y[5] = NAN;
    CHECK_FAIL(ft_mutual_info(f, y, &o, mi1, &e), MN_ENAN, &e, "the target y has NaN at row 6");
    y[5] = 0;
    x[9] = NAN;
    put(f, "xn", f64col(x, N));
    CHECK_FAIL(ft_mutual_info(f, y, &o, mi1, &e), MN_ENAN, &e, "column 'xn' has NaN at row 10");
    fr_free(f);
    f = newframe();
    put(f, "s", textcol(txt, N));
    CHECK_FAIL(ft_mutual_info(f, y, &o, mi1, &e), MN_EARG, &e, "column 's' is text");
    o.k = N;
    CHECK_FAIL(ft_mutual_info(f, y, &o, mi1, &e), MN_EARG, &e, "k must be");
    fr_free(f);
}

/* n = 10,000 (the brief: well under a second): two features, both estimators, timed. */
static void select_mi_speed(void) {                                  /* select-2.4 */
    enum { M = 10000 };
    double *x = mn_malloc(M * sizeof *x), *y = mn_malloc(M * sizeof *y), mi[2], t0, t1, t2;
    double *z = mn_malloc(M * sizeof *z), *lab = mn_malloc(M * sizeof *lab);
    fr_Frame *f = newframe();
    ft_MiOpts o = {FT_MI_REGRESSION, 3, 1, 1};
    mn_Err e = {0};
    for (int i = 0; i < M; i++) {
        x[i] = sin(0.37 * i) + 0.0001 * i;
        z[i] = cos(0.11 * i * i);
        y[i] = x[i] * x[i] + 0.2 * cos(1.7 * i);
        lab[i] = (double)(y[i] > 0.3);
    }
    put(f, "x", f64col(x, M));
    put(f, "z", f64col(z, M));
    t0 = mn_now();
    CHECK_OK(ft_mutual_info(f, y, &o, mi, &e), &e);
    t1 = mn_now();
    o.kind = FT_MI_CLASSIFICATION;
    CHECK_OK(ft_mutual_info(f, lab, &o, mi, &e), &e);
    t2 = mn_now();
    printf("mutual_info n = %d, 2 features: regression %.3f s, classification %.3f s\n", M,
           t1 - t0, t2 - t1);
    CHECK(t1 - t0 < 5.0 && t2 - t1 < 5.0);     /* loose: sanitizer builds run several x slower */
    fr_free(f);
    /* many exact duplicates and no noise: the tree must not visit every tied point */
    for (int i = 0; i < M; i++)
        x[i] = (double)(i % 10), y[i] = (double)(i % 7);
    f = newframe();
    put(f, "x", f64col(x, M));
    o.kind = FT_MI_REGRESSION;
    o.noise = 0;
    t0 = mn_now();
    CHECK_OK(ft_mutual_info(f, y, &o, mi, &e), &e);
    t1 = mn_now();
    printf("mutual_info n = %d, 10 x 7 tied values, no noise: %.3f s\n", M, t1 - t0);
    CHECK(t1 - t0 < 5.0);
    mn_interrupt_set();                        /* Ctrl-C: polled before each column */
    CHECK_FAIL(ft_mutual_info(f, y, &o, mi, &e), MN_EINTR, &e, "interrupted at column 'x'");
    CHECK_FAIL(ft_vif(f, mi, &e), MN_EINTR, &e, "vif: interrupted");
    mn_interrupt_clear();
    fr_free(f);
    mn_free(x), mn_free(y), mn_free(z), mn_free(lab);
}

/* statsmodels: Xc = sm.add_constant(np.column_stack([a, b, c]))
**   [variance_inflation_factor(Xc, j) for j in (1, 2, 3)]
**   -> [3.5360894837043175, 3.397668527856125, 1.1381701087353238] */
static void select_vif(void) {                                       /* select-3.1 */
    static const double want[3] = {3.5360894837043175, 3.397668527856125, 1.1381701087353238};
    double vif[4], d[N];
    fr_Frame *f = abc();
    mn_Err e = {0};
    CHECK_OK(ft_vif(f, vif, &e), &e);
    for (int j = 0; j < 3; j++)
        CHECK_NEAR(vif[j], want[j], 1e-9);
    /* an exact combination: d = a - 2 b makes R^2 = 1 for a, b and d (statsmodels: inf or
    ** ~1e15 depending on rounding); c stays finite and unchanged in kind */
    for (int i = 0; i < N; i++)
        d[i] = A[i] - 2 * B[i];
    put(f, "d", f64col(d, N));
    CHECK_OK(ft_vif(f, vif, &e), &e);
    CHECK(vif[0] > 1e10 && vif[1] > 1e10 && vif[3] > 1e10 && vif[2] < 10);
    fr_free(f);
    /* one column alone: regressed on the intercept only, R^2 = 0, VIF 1 */
    f = newframe();
    put(f, "a", f64col(A, N));
    CHECK_OK(ft_vif(f, vif, &e), &e);
    CHECK_NEAR(vif[0], 1.0, 1e-12);
    fr_free(f);
}

/* Refused: a constant column (collinear with the intercept), NaN (row named), fewer rows than
** parameters, a non-numeric column. */
static void select_vif_edges(void) {                                 /* select-3.2 */
    static const double k[4] = {2, 2, 2, 2}, x[4] = {1, 2, NAN, 4}, u[4] = {1, 3, 2, 5};
    const char *txt[4] = {"a", "b", "c", "d"};
    double vif[3];
    fr_Frame *f = newframe();
    mn_Err e = {0};
    put(f, "u", f64col(u, 4));
    put(f, "k", f64col(k, 4));
    CHECK_FAIL(ft_vif(f, vif, &e), MN_EARG, &e, "column 'k' is constant");
    fr_free(f);
    f = newframe();
    put(f, "u", f64col(u, 4));
    put(f, "x", f64col(x, 4));
    CHECK_FAIL(ft_vif(f, vif, &e), MN_ENAN, &e, "column 'x' has NaN at row 3");
    put(f, "w", f64col(u, 4));
    put(f, "s", textcol(txt, 4));
    CHECK_FAIL(ft_vif(f, vif, &e), MN_EARG, &e, "4 rows for 4 columns");
    fr_free(f);
    f = newframe();
    put(f, "u", f64col(u, 4));
    put(f, "s", textcol(txt, 4));
    CHECK_FAIL(ft_vif(f, vif, &e), MN_EARG, &e, "column 's' is text");
    fr_free(f);
}

/* mn_lstsq: numpy.linalg.lstsq([[1,0],[1,1],[1,2],[1,3]], [1,3,4,8]) -> [0.7, 2.2] (by hand:
** the normal equations 4 b0 + 6 b1 = 16, 6 b0 + 14 b1 = 35); a rank-deficient A (second column
** twice the first) gets rank 1 and the minimum-norm solution, lstsq([[1,2],[2,4],[3,6]],
** [1,2,3]) -> [0.2, 0.4]. */
static void select_lstsq(void) {                                     /* select-3.3 */
    double a[8] = {1, 0, 1, 1, 1, 2, 1, 3}, b[4] = {1, 3, 4, 8};
    double r[6] = {1, 2, 2, 4, 3, 6}, c[3] = {1, 2, 3};
    int rank = 0;
    mn_Err e = {0};
    CHECK_OK(mn_lstsq(a, 4, 2, b, -1, &rank, &e), &e);
    CHECK(rank == 2);
    CHECK_NEAR(b[0], 0.7, 1e-12);
    CHECK_NEAR(b[1], 2.2, 1e-12);
    CHECK_OK(mn_lstsq(r, 3, 2, c, -1, &rank, &e), &e);
    CHECK(rank == 1);
    CHECK_NEAR(c[0], 0.2, 1e-12);
    CHECK_NEAR(c[1], 0.4, 1e-12);
    CHECK_FAIL(mn_lstsq(r, 0, 2, c, -1, &rank, &e), MN_EARG, &e, "at least one row");
}

int main(void) {
    make_data();
    RUN(select_corr);
    RUN(select_corr_edges);
    RUN(select_variance);
    RUN(select_mi_raw);
    RUN(select_mi);
    RUN(select_mi_edges);
    RUN(select_mi_speed);
    RUN(select_vif);
    RUN(select_vif_edges);
    RUN(select_lstsq);
    return CHECK_DONE();
}
