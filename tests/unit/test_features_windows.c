/* test_features_windows.c -- sequence windows (features/windows.h): every element of X and y
** checked against the frame rows it must come from, on a small frame of two interleaved groups;
** stride, group boundaries, NaN, errors; and the window scaler with its text round trip. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "core/mem.h"
#include "features/windows.h"
#include "frames.h"

/* ---- the fixture ----
** 11 rows, groups interleaved: A at frame rows 0, 2, 4, 6, 8, 10 and B at 1, 3, 5, 7, 9, dates
** increasing within each group. a[r] = r and b[r] = 100 + r, tg[r] = 1000 + r, so a value
** names the frame row it came from. */
#define NR 11
static fr_Frame *fixture(double nan_a_row, double nan_tg_row) {
    static const char *const tick[NR] = {"A", "B", "A", "B", "A", "B", "A", "B", "A", "B", "A"};
    int64_t days[NR];
    double a[NR], b[NR], tg[NR];
    const char *txt[NR];
    fr_Frame *f = NULL;
    mn_Err e = {0};
    for (int r = 0; r < NR; r++) {
        days[r] = 19000 + r;
        a[r] = r;
        b[r] = 100 + r;
        tg[r] = 1000 + r;
        txt[r] = "x";
    }
    if (nan_a_row >= 0)
        a[(int)nan_a_row] = NAN;
    if (nan_tg_row >= 0)
        tg[(int)nan_tg_row] = NAN;
    if (fr_new(NR, &f, &e) != MN_OK)
        abort();
    put(f, "ticker", catcol(tick, NR));
    put(f, "date", datecol(days, NR));
    put(f, "a", f64col(a, NR));
    put(f, "b", f64col(b, NR));
    put(f, "tg", f64col(tg, NR));
    put(f, "name", textcol(txt, NR));
    return f;
}

static const char *const AB[] = {"a", "b"};

static void opts(ft_WindowOpts *o, int64_t T) {
    ft_window_opts_init(o);
    o->features = AB;
    o->nfeatures = 2;
    o->target = "tg";
    o->length = T;
    o->order.by = "ticker";
}

/* X[i] must hold rows[i][0..T) (frame rows, in order) and y[i] the target at yrow[i]. */
static void check_windows(const ft_Windows *w, int64_t n, int64_t T, const int64_t *rows,
                          const int64_t *last, const int64_t *yrow) {
    CHECK(w->n == n);
    CHECK(tn_ndim(w->X) == 3 && tn_shape(w->X)[0] == n && tn_shape(w->X)[1] == T &&
          tn_shape(w->X)[2] == 2);
    if (w->n != n)
        return;
    for (int64_t i = 0; i < n; i++) {
        CHECK(w->row[i] == last[i]);
        for (int64_t j = 0; j < T; j++) {
            const float *x = tn_data(w->X) + (i * T + j) * 2;
            CHECK_NEAR(x[0], (double)rows[i * T + j], 0.0);
            CHECK_NEAR(x[1], 100.0 + (double)rows[i * T + j], 0.0);
        }
        if (yrow != NULL)
            CHECK_NEAR(tn_data(w->y)[i], 1000.0 + (double)yrow[i], 0.0);
    }
    if (yrow != NULL)
        CHECK(tn_ndim(w->y) == 2 && tn_shape(w->y)[0] == n && tn_shape(w->y)[1] == 1);
}

/* ---- windows ---- */

static void windows_line_up(void) {                        /* fwin-1.1 */
    /* by hand: A (6 rows) T = 3, h = 1: last steps at group positions 2..4 -> frame rows 4, 6,
    ** 8, targets two frame rows later (the next A row); B (5 rows): positions 2..3 -> rows
    ** 5, 7, targets at rows 7, 9. Groups in order of first appearance: A then B. */
    static const int64_t rows[] = {0, 2, 4, 2, 4, 6, 4, 6, 8, 1, 3, 5, 3, 5, 7};
    static const int64_t last[] = {4, 6, 8, 5, 7}, yrow[] = {6, 8, 10, 7, 9};
    fr_Frame *f = fixture(-1, -1);
    ft_WindowOpts o;
    ft_Windows *w = NULL;
    mn_Err e = {0};
    opts(&o, 3);
    CHECK_OK(ft_windows(f, &o, &w, &e), &e);
    if (w != NULL) {
        check_windows(w, 5, 3, rows, last, yrow);
        CHECK(w->group[0] == 0 && w->group[2] == 0 && w->group[3] == 1 && w->group[4] == 1);
        CHECK(w->ngroups == 2 && w->dropped == 0 && w->short_groups == 0);
        CHECK(w->time_col == fr_find(f, "date"));
    }
    ft_windows_free(w);
    fr_free(f);
}

static void windows_horizon(void) {                        /* fwin-1.2 */
    /* h = 2, T = 2: A last positions 1..3 (rows 2, 4, 6), y at positions 3..5 (rows 6, 8, 10);
    ** B positions 1..2 (rows 3, 5), y at positions 3, 4 (rows 7, 9). */
    static const int64_t rows[] = {0, 2, 2, 4, 4, 6, 1, 3, 3, 5};
    static const int64_t last[] = {2, 4, 6, 3, 5}, yrow[] = {6, 8, 10, 7, 9};
    fr_Frame *f = fixture(-1, -1);
    ft_WindowOpts o;
    ft_Windows *w = NULL;
    mn_Err e = {0};
    opts(&o, 2);
    o.horizon = 2;
    CHECK_OK(ft_windows(f, &o, &w, &e), &e);
    if (w != NULL)
        check_windows(w, 5, 2, rows, last, yrow);
    ft_windows_free(w);
    fr_free(f);
}

static void windows_stride(void) {                         /* fwin-1.3 */
    /* stride 2, T = 3, h = 1: A positions 2, 4 (rows 4, 8); B position 2 only (4 > 3). */
    static const int64_t rows[] = {0, 2, 4, 4, 6, 8, 1, 3, 5};
    static const int64_t last[] = {4, 8, 5}, yrow[] = {6, 10, 7};
    fr_Frame *f = fixture(-1, -1);
    ft_WindowOpts o;
    ft_Windows *w = NULL;
    mn_Err e = {0};
    opts(&o, 3);
    o.stride = 2;
    CHECK_OK(ft_windows(f, &o, &w, &e), &e);
    if (w != NULL)
        check_windows(w, 3, 3, rows, last, yrow);
    ft_windows_free(w);
    fr_free(f);
}

static void windows_no_target(void) {                      /* fwin-1.4 */
    /* without a target every last step up to the group's end: A positions 2..5, B 2..4 */
    static const int64_t rows[] = {0, 2, 4, 2, 4, 6, 4, 6, 8, 6, 8, 10,
                                   1, 3, 5, 3, 5, 7, 5, 7, 9};
    static const int64_t last[] = {4, 6, 8, 10, 5, 7, 9};
    fr_Frame *f = fixture(-1, -1);
    ft_WindowOpts o;
    ft_Windows *w = NULL;
    mn_Err e = {0};
    opts(&o, 3);
    o.target = NULL;
    CHECK_OK(ft_windows(f, &o, &w, &e), &e);
    if (w != NULL) {
        check_windows(w, 7, 3, rows, last, NULL);
        CHECK(w->y == NULL);
    }
    ft_windows_free(w);
    fr_free(f);
}

static void windows_one_group(void) {                      /* fwin-1.5 */
    /* no key, row order: one group of 11 rows; T = 4, h = 1, stride 3: last steps 3, 6, 9 */
    static const int64_t rows[] = {0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9};
    static const int64_t last[] = {3, 6, 9}, yrow[] = {4, 7, 10};
    fr_Frame *f = fixture(-1, -1);
    ft_WindowOpts o;
    ft_Windows *w = NULL;
    mn_Err e = {0};
    opts(&o, 4);
    o.order.by = NULL;
    o.order.time = "";
    o.stride = 3;
    CHECK_OK(ft_windows(f, &o, &w, &e), &e);
    if (w != NULL) {
        check_windows(w, 3, 4, rows, last, yrow);
        CHECK(w->time_col == -1 && w->ngroups == 1);
    }
    ft_windows_free(w);
    fr_free(f);
}

static void windows_never_cross(void) {                    /* fwin-1.6 */
    /* property: for every T, stride, h, each window's steps are rows of one group (row parity
    ** here) increasing by 2 (consecutive rows of that group), and y is h group rows later */
    fr_Frame *f = fixture(-1, -1);
    for (int64_t T = 1; T <= 6; T++)
        for (int64_t s = 1; s <= 3; s++)
            for (int64_t h = 1; h <= 3; h++) {
                ft_WindowOpts o;
                ft_Windows *w = NULL;
                mn_Err e = {0};
                opts(&o, T);
                o.stride = s;
                o.horizon = h;
                CHECK_OK(ft_windows(f, &o, &w, &e), &e);
                for (int64_t i = 0; w != NULL && i < w->n; i++) {
                    const float *x = tn_data(w->X) + i * T * 2;
                    for (int64_t j = 1; j < T; j++)
                        CHECK(x[j * 2] == x[(j - 1) * 2] + 2.0f);
                    CHECK((int64_t)x[(T - 1) * 2] == w->row[i]);
                    CHECK(tn_data(w->y)[i] == 1000.0f + (float)(w->row[i] + 2 * h));
                    CHECK(w->row[i] + 2 * h < NR);
                }
                ft_windows_free(w);
            }
    fr_free(f);
}

static void windows_nan_dropped(void) {                    /* fwin-1.7 */
    /* a NaN at frame row 6 (A's position 3) removes A's windows ending at rows 6 and 8, which
    ** contain it; a NaN target at row 9 removes B's window ending at row 7 (its y) */
    static const int64_t rows[] = {0, 2, 4, 1, 3, 5};
    static const int64_t last[] = {4, 5}, yrow[] = {6, 7};
    fr_Frame *f = fixture(6, 9);
    ft_WindowOpts o;
    ft_Windows *w = NULL;
    mn_Err e = {0};
    opts(&o, 3);
    CHECK_OK(ft_windows(f, &o, &w, &e), &e);
    if (w != NULL) {
        check_windows(w, 2, 3, rows, last, yrow);
        CHECK(w->dropped == 3);
    }
    ft_windows_free(w);
    fr_free(f);
}

static void windows_short_groups(void) {                   /* fwin-1.8 */
    /* T = 6 fits A's 6 rows but not with a target one row later; B has 5: no windows at all,
    ** not an error; without a target A gives exactly one window (rows 0..10 of A) */
    fr_Frame *f = fixture(-1, -1);
    ft_WindowOpts o;
    ft_Windows *w = NULL;
    mn_Err e = {0};
    opts(&o, 6);
    CHECK_OK(ft_windows(f, &o, &w, &e), &e);
    if (w != NULL) {
        CHECK(w->n == 0 && w->short_groups == 2 && tn_shape(w->X)[0] == 0);
        CHECK(tn_shape(w->y)[0] == 0);
    }
    ft_windows_free(w);
    w = NULL;
    o.target = NULL;
    CHECK_OK(ft_windows(f, &o, &w, &e), &e);
    if (w != NULL) {
        CHECK(w->n == 1 && w->row[0] == 10 && w->short_groups == 1);
        CHECK(tn_data(w->X)[0] == 0.0f && tn_data(w->X)[5 * 2] == 10.0f);
    }
    ft_windows_free(w);
    fr_free(f);
}

static void windows_errors(void) {                         /* fwin-1.9 */
    static const char *const missing[] = {"a", "nope"}, *const text[] = {"name"};
    fr_Frame *f = fixture(-1, -1);
    ft_WindowOpts o;
    ft_Windows *w = NULL;
    mn_Err e = {0};
    opts(&o, 7);                                   /* longer than every group (6 rows) */
    CHECK_FAIL(ft_windows(f, &o, &w, &e), MN_EARG, &e, "length");
    opts(&o, 0);
    CHECK_FAIL(ft_windows(f, &o, &w, &e), MN_EARG, &e, "length");
    opts(&o, 2);
    o.horizon = 0;
    CHECK_FAIL(ft_windows(f, &o, &w, &e), MN_EARG, &e, "horizon");
    opts(&o, 2);
    o.stride = 0;
    CHECK_FAIL(ft_windows(f, &o, &w, &e), MN_EARG, &e, "stride");
    opts(&o, 2);
    o.nfeatures = 0;
    CHECK_FAIL(ft_windows(f, &o, &w, &e), MN_EARG, &e, "features");
    opts(&o, 2);
    o.features = missing;
    CHECK_FAIL(ft_windows(f, &o, &w, &e), MN_EARG, &e, "nope");
    opts(&o, 2);
    o.features = text;
    o.nfeatures = 1;
    CHECK_FAIL(ft_windows(f, &o, &w, &e), MN_EARG, &e, "name");
    opts(&o, 2);
    o.target = "nope";
    CHECK_FAIL(ft_windows(f, &o, &w, &e), MN_EARG, &e, "target");
    CHECK(w == NULL);
    fr_free(f);
}

static void windows_nomem(void) {                          /* fwin-1.10 */
    /* every allocation failing in turn gives MN_ENOMEM and leaks nothing (ASan build) */
    fr_Frame *f = fixture(-1, -1);
    int ok = 0;
    for (long k = 1; k < 100 && !ok; k++) {
        ft_WindowOpts o;
        ft_Windows *w = NULL;
        mn_Err e = {0};
        int rc;
        opts(&o, 3);
        mn_mem_fail_after(k);
        rc = ft_windows(f, &o, &w, &e);
        mn_mem_fail_after(0);
        CHECK(rc == MN_OK || rc == MN_ENOMEM);
        ok = rc == MN_OK;
        ft_windows_free(w);
    }
    CHECK(ok);
    fr_free(f);
}

static void windows_unsorted(void) {                       /* fwin-1.11 */
    /* one group whose dates at rows 3 and 4 are out of order: refused, never re-sorted */
    static const double v[] = {1, 2, 3, 4};
    static const int64_t days[] = {10, 11, 13, 12};
    static const char *const one[] = {"v"};
    fr_Frame *f = NULL;
    ft_WindowOpts o;
    ft_Windows *w = NULL;
    mn_Err e = {0};
    CHECK_OK(fr_new(4, &f, &e), &e);
    put(f, "date", datecol(days, 4));
    put(f, "v", f64col(v, 4));
    ft_window_opts_init(&o);
    o.features = one;
    o.nfeatures = 1;
    o.length = 2;
    CHECK_FAIL(ft_windows(f, &o, &w, &e), MN_EARG, &e, "date");
    CHECK(strncmp(e.msg, "windows: ", 9) == 0);
    o.order.time = "";                             /* row order: accepted */
    CHECK_OK(ft_windows(f, &o, &w, &e), &e);
    CHECK(w != NULL && w->n == 3 && w->time_col == -1);
    ft_windows_free(w);
    fr_free(f);
}

/* ---- the scaler ---- */

static tn_Tensor *tensor3(const float *v, int64_t N, int64_t T, int64_t F) {
    int64_t sh[3] = {N, T, F};
    tn_Tensor *t = NULL;
    mn_Err e = {0};
    if (tn_from(v, sh, 3, &t, &e) != MN_OK)
        abort();
    return t;
}

static void scaler_fit_transform(void) {                   /* fwin-2.1 */
    /* (2, 2, 2): feature 0 takes 1, 2, 3, 6 over the 4 steps: mean 3, population variance
    ** (4 + 1 + 0 + 9) / 4 = 3.5; feature 1 is 5 everywhere: sd 0 -> stored as 1 (by hand) */
    static const float v[] = {1, 5, 2, 5, 3, 5, 6, 5};
    tn_Tensor *X = tensor3(v, 2, 2, 2), *Z = NULL;
    ft_WScaler *s = NULL;
    mn_Err e = {0};
    double m, sd;
    CHECK_OK(ft_wscaler_new(&s, &e), &e);
    CHECK(!ft_wscaler_fitted(s));
    CHECK_FAIL(ft_wscaler_transform(s, X, &Z, &e), MN_EARG, &e, "not fitted");
    CHECK_OK(ft_wscaler_fit(s, X, &e), &e);
    CHECK(ft_wscaler_nfeatures(s) == 2);
    ft_wscaler_param(s, 0, &m, &sd);
    CHECK_NEAR(m, 3.0, 1e-15);
    CHECK_NEAR(sd, sqrt(3.5), 1e-15);
    ft_wscaler_param(s, 1, &m, &sd);
    CHECK_NEAR(m, 5.0, 0.0);
    CHECK_NEAR(sd, 1.0, 0.0);
    CHECK_OK(ft_wscaler_transform(s, X, &Z, &e), &e);
    if (Z != NULL) {
        CHECK(tn_ndim(Z) == 3 && tn_shape(Z)[1] == 2);
        CHECK_NEAR(tn_data(Z)[0], -2.0 / sqrt(3.5), 1e-6);
        CHECK_NEAR(tn_data(Z)[6], 3.0 / sqrt(3.5), 1e-6);
        CHECK_NEAR(tn_data(Z)[7], 0.0, 0.0);
    }
    tn_free(Z);
    tn_free(X);
    ft_wscaler_free(s);
}

static void scaler_shapes(void) {                          /* fwin-2.2 */
    static const float v[] = {1, 2, 3, 4, 5, 6, NAN, 8};
    tn_Tensor *X = tensor3(v, 1, 2, 3), *Y = tensor3(v, 1, 2, 4), *Z = NULL, *E = NULL;
    int64_t sh0[3] = {0, 2, 3};
    ft_WScaler *s = NULL;
    mn_Err e = {0};
    CHECK_OK(ft_wscaler_new(&s, &e), &e);
    CHECK_OK(tn_zeros(sh0, 3, &E, &e), &e);
    CHECK_FAIL(ft_wscaler_fit(s, E, &e), MN_EARG, &e, "no values");
    CHECK_FAIL(ft_wscaler_fit(s, Y, &e), MN_ENAN, &e, "window 1, step 2, feature 3");
    CHECK_OK(ft_wscaler_fit(s, X, &e), &e);
    CHECK_FAIL(ft_wscaler_transform(s, Y, &Z, &e), MN_ESHAPE, &e, "3 features");
    CHECK(Z == NULL);
    tn_free(E);
    tn_free(X);
    tn_free(Y);
    ft_wscaler_free(s);
}

static void scaler_text(void) {                            /* fwin-2.3 */
    static const float v[] = {0.1f, 7, 0.2f, 9, 0.7f, 11};
    tn_Tensor *X = tensor3(v, 1, 3, 2);
    ft_WScaler *s = NULL, *t = NULL;
    char *txt = NULL;
    size_t len = 0;
    mn_Err e = {0};
    CHECK_OK(ft_wscaler_new(&s, &e), &e);
    CHECK_OK(ft_wscaler_serialize(s, &txt, &len, &e), &e);    /* unfitted round trip */
    CHECK(strcmp(txt, "moneta.wscaler 1\nfitted 0\nfeatures 0\nend\n") == 0);
    CHECK_OK(ft_wscaler_deserialize(txt, len, &t, &e), &e);
    CHECK(t != NULL && !ft_wscaler_fitted(t));
    ft_wscaler_free(t);
    t = NULL;
    mn_free(txt);
    CHECK_OK(ft_wscaler_fit(s, X, &e), &e);
    CHECK_OK(ft_wscaler_serialize(s, &txt, &len, &e), &e);
    CHECK(strncmp(txt, "moneta.wscaler 1\nfitted 1\nfeatures 2\n", 37) == 0);
    CHECK_OK(ft_wscaler_deserialize(txt, len, &t, &e), &e);
    if (t != NULL) {                               /* hex floats: exactly the same doubles */
        for (int k = 0; k < 2; k++) {
            double m1, s1, m2, s2;
            ft_wscaler_param(s, k, &m1, &s1);
            ft_wscaler_param(t, k, &m2, &s2);
            CHECK(m1 == m2 && s1 == s2);
        }
    }
    ft_wscaler_free(t);
    mn_free(txt);
    tn_free(X);
    ft_wscaler_free(s);
}

static void scaler_damaged(void) {                         /* fwin-2.4 */
    ft_WScaler *t = NULL;
    mn_Err e = {0};
    const char *v2 = "moneta.wscaler 2\nfitted 0\nfeatures 0\nend\n";
    const char *bad = "moneta.wscaler 1\nfitted 1\nfeatures 1\n0x1p+0 zz\nend\n";
    const char *neg = "moneta.wscaler 1\nfitted 1\nfeatures 1\n0x1p+0 -0x1p+0\nend\n";
    const char *cut = "moneta.wscaler 1\nfitted 1\nfeatures 2\n0x1p+0 0x1p+0\n";
    const char *tail = "moneta.wscaler 1\nfitted 0\nfeatures 0\nend\nmore";
    CHECK_FAIL(ft_wscaler_deserialize("moneta.prep 1\n", 14, &t, &e), MN_EPARSE, &e,
               "not a serialized window scaler");
    CHECK_FAIL(ft_wscaler_deserialize(v2, strlen(v2), &t, &e), MN_EARG, &e, "version 2");
    /* byte offsets by hand: "moneta.wscaler 1\n" is 17 bytes, "fitted 1\n" 9, "features 1\n"
    ** 11, so the line of numbers starts at 37 and "zz" at 37 + 7 = 44 */
    CHECK_FAIL(ft_wscaler_deserialize(bad, strlen(bad), &t, &e), MN_EPARSE, &e,
               "byte 44: expected a standard deviation");
    CHECK_FAIL(ft_wscaler_deserialize(neg, strlen(neg), &t, &e), MN_EPARSE, &e,
               "positive standard deviation");
    CHECK_FAIL(ft_wscaler_deserialize(cut, strlen(cut), &t, &e), MN_EPARSE, &e, "a mean");
    CHECK_FAIL(ft_wscaler_deserialize(tail, strlen(tail), &t, &e), MN_EPARSE, &e,
               "the end of the text");
    CHECK(t == NULL);
}

int main(void) {
    RUN(windows_line_up);
    RUN(windows_horizon);
    RUN(windows_stride);
    RUN(windows_no_target);
    RUN(windows_one_group);
    RUN(windows_never_cross);
    RUN(windows_nan_dropped);
    RUN(windows_short_groups);
    RUN(windows_errors);
    RUN(windows_nomem);
    RUN(windows_unsorted);
    RUN(scaler_fit_transform);
    RUN(scaler_shapes);
    RUN(scaler_text);
    RUN(scaler_damaged);
    return CHECK_DONE();
}
