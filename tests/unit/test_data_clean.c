/* test_data_clean.c -- data/clean: dropna, fillna (constants, statistics, ffill/bfill,
** interpolation over uneven dates), dedupe, clip, winsorize, outlier flags, casts. Expected
** values are worked by hand in the comments. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "frames.h"
#include "core/interrupt.h"
#include "core/mem.h"
#include "data/clean.h"
#include "data/frame.h"

static const char *cat_at(const fr_Frame *f, const char *name, int64_t i) {
    fr_Column *c = fr_col(f, fr_find(f, name));
    return fr_cat_level(c, fr_col_codes(c)[i]);
}

/* ---- cases ---- */

static void clean_dropna_any_all_subset(void) {          /* clean-1.1 */
    mn_Err e = {0};
    fr_Frame *f = newframe(), *g = NULL;
    const double a[] = {1, NAN, 3, NAN}, b[] = {10, 20, NAN, NAN};
    const char *sub[] = {"a"};
    put(f, "a", f64col(a, 4));
    put(f, "b", f64col(b, 4));
    CHECK_OK(fr_dropna(f, 0, NULL, 0, &g, &e), &e);        /* any: only row 1 is complete */
    CHECK(fr_nrows(g) == 1 && fr_f64(g, "b")[0] == 10);
    fr_free(g);
    CHECK_OK(fr_dropna(f, 1, NULL, 0, &g, &e), &e);        /* all: only row 4 is all-NaN */
    CHECK(fr_nrows(g) == 3 && fr_f64(g, "a")[2] == 3);
    fr_free(g);
    CHECK_OK(fr_dropna(f, 0, sub, 1, &g, &e), &e);         /* subset a: rows 1 and 3 */
    CHECK(fr_nrows(g) == 2 && fr_f64(g, "a")[1] == 3 && isnan(fr_f64(g, "b")[1]));
    fr_free(g);
    sub[0] = "zz";
    CHECK_FAIL(fr_dropna(f, 0, sub, 1, &g, &e), MN_EARG, &e, "no column 'zz'");
    fr_free(f);
}

static void clean_fill_constant_mean_median_mode(void) { /* clean-2.1 */
    mn_Err e = {0};
    fr_Frame *f = newframe(), *g = NULL;
    const double x[] = {1, NAN, 2, 10, NAN};
    const char *s[] = {"b", NULL, "a", "b", "a"};
    fr_Fill fl[2] = {{"x", FR_FILL_MEAN, 0, NULL}, {"s", FR_FILL_MODE, 0, NULL}};
    put(f, "x", f64col(x, 5));
    put(f, "s", catcol(s, 5));
    /* mean of 1, 2, 10 = 13/3; mode of s: a and b twice each -> "a" (first in byte order) */
    CHECK_OK(fr_fillna(f, fl, 2, NULL, &g, &e), &e);
    CHECK_NEAR(fr_f64(g, "x")[1], 13.0 / 3.0, 1e-15);
    CHECK_NEAR(fr_f64(g, "x")[4], 13.0 / 3.0, 1e-15);
    CHECK(strcmp(cat_at(g, "s", 1), "a") == 0);
    CHECK(isnan(fr_f64(f, "x")[1]));                        /* the input is untouched */
    fr_free(g);
    fl[0].how = FR_FILL_MEDIAN;                             /* median of 1, 2, 10 = 2 */
    fl[1].how = FR_FILL_VALUE;
    fl[1].level = "unknown";                                /* a new level */
    CHECK_OK(fr_fillna(f, fl, 2, NULL, &g, &e), &e);
    CHECK(fr_f64(g, "x")[1] == 2.0 && fr_f64(g, "x")[4] == 2.0);
    CHECK(strcmp(cat_at(g, "s", 1), "unknown") == 0 && strcmp(cat_at(g, "s", 0), "b") == 0);
    fr_free(g);
    fl[0].how = FR_FILL_VALUE;
    fl[0].value = -1;
    CHECK_OK(fr_fillna(f, fl, 1, NULL, &g, &e), &e);
    CHECK(fr_f64(g, "x")[1] == -1 && fr_f64(g, "x")[4] == -1 && fr_f64(g, "x")[3] == 10);
    fr_free(g);
    fl[0].column = "s";
    fl[0].how = FR_FILL_MEDIAN;
    CHECK_FAIL(fr_fillna(f, fl, 1, NULL, &g, &e), MN_EARG, &e, "column 's' is cat");
    fr_free(f);
}

static void clean_fill_ffill_bfill(void) {               /* clean-2.2 */
    mn_Err e = {0};
    fr_Frame *f = newframe(), *g = NULL;
    const double x[] = {NAN, 1, NAN, NAN, 4, NAN};
    fr_Fill fl = {"x", FR_FILL_FFILL, 0, NULL};
    put(f, "x", f64col(x, 6));
    CHECK_OK(fr_fillna(f, &fl, 1, NULL, &g, &e), &e);     /* NaN 1 1 1 4 4 */
    {
        const double *v = fr_f64(g, "x");
        CHECK(isnan(v[0]) && v[1] == 1 && v[2] == 1 && v[3] == 1 && v[4] == 4 && v[5] == 4);
    }
    fr_free(g);
    fl.how = FR_FILL_BFILL;                                /* 1 1 4 4 4 NaN */
    CHECK_OK(fr_fillna(f, &fl, 1, NULL, &g, &e), &e);
    {
        const double *v = fr_f64(g, "x");
        CHECK(v[0] == 1 && v[1] == 1 && v[2] == 4 && v[3] == 4 && v[4] == 4 && isnan(v[5]));
    }
    fr_free(g);
    fr_free(f);
}

static void clean_fill_interpolate_uneven_dates(void) {  /* clean-2.3 */
    mn_Err e = {0};
    fr_Frame *f = newframe(), *g = NULL;
    /* days 0, 1, 4, 10 with values 10, NaN, NaN, 40: linear in time, not in rows:
    ** day 1: 10 + 30 * 1/10 = 13; day 4: 10 + 30 * 4/10 = 22 (by row it would be 20, 30) */
    const double x[] = {NAN, 10, NAN, NAN, 40, NAN};
    const int64_t d[] = {-1, 0, 1, 4, 10, 11};
    fr_Fill fl = {"x", FR_FILL_INTERP, 0, NULL};
    put(f, "x", f64col(x, 6));
    put(f, "date", datecol(d, 6));
    CHECK_OK(fr_fillna(f, &fl, 1, "date", &g, &e), &e);
    {
        const double *v = fr_f64(g, "x");
        CHECK(isnan(v[0]) && isnan(v[5]));                  /* no extrapolation */
        CHECK_NEAR(v[2], 13.0, 1e-12);
        CHECK_NEAR(v[3], 22.0, 1e-12);
    }
    fr_free(g);
    CHECK_OK(fr_fillna(f, &fl, 1, NULL, &g, &e), &e);     /* by row: 20, 30 */
    CHECK_NEAR(fr_f64(g, "x")[2], 20.0, 1e-12);
    CHECK_NEAR(fr_f64(g, "x")[3], 30.0, 1e-12);
    fr_free(g);
    CHECK_FAIL(fr_fillna(f, &fl, 1, "x", &g, &e), MN_EARG, &e, "no time at row");
    fr_free(f);
}

static void clean_dedupe_first_last(void) {              /* clean-3.1 */
    mn_Err e = {0};
    fr_Frame *f = newframe(), *g = NULL;
    /* rows: (1,a) (NaN,b) (1,a) (NaN,b) (2,a); NaN equals NaN for dedupe */
    const double x[] = {1, NAN, 1, NAN, 2}, id[] = {1, 2, 3, 4, 5};
    const char *s[] = {"a", "b", "a", "b", "a"};
    const char *sub[] = {"x", "s"}, *sub1[] = {"s"};
    put(f, "x", f64col(x, 5));
    put(f, "s", catcol(s, 5));
    put(f, "id", f64col(id, 5));
    CHECK_OK(fr_dedupe(f, sub, 2, FR_KEEP_FIRST, &g, &e), &e);   /* ids 1 2 5 */
    CHECK(fr_nrows(g) == 3);
    CHECK(fr_f64(g, "id")[0] == 1 && fr_f64(g, "id")[1] == 2 && fr_f64(g, "id")[2] == 5);
    fr_free(g);
    CHECK_OK(fr_dedupe(f, sub, 2, FR_KEEP_LAST, &g, &e), &e);    /* ids 3 4 5 */
    CHECK(fr_nrows(g) == 3);
    CHECK(fr_f64(g, "id")[0] == 3 && fr_f64(g, "id")[1] == 4 && fr_f64(g, "id")[2] == 5);
    fr_free(g);
    CHECK_OK(fr_dedupe(f, sub, 2, FR_KEEP_NONE, &g, &e), &e);    /* id 5 only */
    CHECK(fr_nrows(g) == 1 && fr_f64(g, "id")[0] == 5);
    fr_free(g);
    CHECK_OK(fr_dedupe(f, NULL, 0, FR_KEEP_FIRST, &g, &e), &e);  /* all columns: ids differ */
    CHECK(fr_nrows(g) == 5);
    fr_free(g);
    CHECK_OK(fr_dedupe(f, sub1, 1, FR_KEEP_LAST, &g, &e), &e);   /* by s: ids 4 5 */
    CHECK(fr_nrows(g) == 2 && fr_f64(g, "id")[0] == 4 && fr_f64(g, "id")[1] == 5);
    fr_free(g);
    fr_free(f);
}

static void clean_dedupe_keys_and_interrupt(void) {      /* clean-3.2 */
    mn_Err e = {0};
    fr_Frame *f = newframe(), *g = NULL, *big = newframe();
    /* rows: (0, NA) (-0, NA) (0, "x") (-0, "x"): -0 equals 0 and missing text equals
    ** missing text, so two groups: first keeps rows 1 and 3 */
    const double x[] = {0.0, -0.0, 0.0, -0.0};
    const char *t[] = {NULL, NULL, "x", "x"};
    double *v;
    put(f, "x", f64col(x, 4));
    put(f, "t", textcol(t, 4));
    CHECK_OK(fr_dedupe(f, NULL, 0, FR_KEEP_FIRST, &g, &e), &e);
    CHECK(fr_nrows(g) == 2 && fr_col_text(fr_col(g, 1))[0] == NULL);
    fr_free(g);
    CHECK_OK(fr_dedupe(f, NULL, 0, FR_KEEP_NONE, &g, &e), &e);
    CHECK(fr_nrows(g) == 0);
    fr_free(g);
    fr_free(f);
    /* Ctrl-C: a set interrupt flag stops a large dedupe with MN_EINTR */
    {
        fr_Column *c = tb_newcol(FR_F64, 200000);
        v = fr_col_f64(c);
        for (int64_t i = 0; i < 200000; i++)
            v[i] = (double)(i % 1000);
        put(big, "v", c);
    }
    mn_interrupt_set();
    CHECK_FAIL(fr_dedupe(big, NULL, 0, FR_KEEP_FIRST, &g, &e), MN_EINTR, &e, "dedupe");
    mn_interrupt_clear();
    CHECK_OK(fr_dedupe(big, NULL, 0, FR_KEEP_FIRST, &g, &e), &e);
    CHECK(fr_nrows(g) == 1000);
    fr_free(g);
    fr_free(big);
}

static void clean_clip_and_quantiles(void) {             /* clean-4.1 */
    mn_Err e = {0};
    fr_Frame *f = newframe(), *g = NULL;
    const double x[] = {-5, 0, 5, NAN, 50};
    double lo, hi;
    put(f, "x", f64col(x, 5));
    CHECK_OK(fr_clip(f, "x", 0, 10, &g, &e), &e);           /* 0 0 5 NaN 10 */
    {
        const double *v = fr_f64(g, "x");
        CHECK(v[0] == 0 && v[1] == 0 && v[2] == 5 && isnan(v[3]) && v[4] == 10);
    }
    fr_free(g);
    /* sorted -5 0 5 50 (m = 4): q = 0.1 -> h = 0.3 -> -5 + 0.3*5 = -3.5;
    ** q = 0.9 -> h = 2.7 -> 5 + 0.7*45 = 36.5 */
    CHECK_OK(fr_quantile_bounds(fr_col(f, 0), 0.1, 0.9, &lo, &hi, &e), &e);
    CHECK_NEAR(lo, -3.5, 1e-12);
    CHECK_NEAR(hi, 36.5, 1e-12);
    CHECK_FAIL(fr_clip(f, "x", 3, 1, &g, &e), MN_EARG, &e, "lo <= hi");
    fr_free(f);
}

static void clean_winsorize_bounds(void) {               /* clean-4.2 */
    mn_Err e = {0};
    fr_Frame *f = newframe(), *g = NULL;
    /* 10 values 1..10 with 1 NaN extra; limits 0.1, 0.2 on m = 10: floor(1) smallest -> the
    ** 2nd smallest (2); floor(2) largest -> the 3rd largest (8) */
    const double x[] = {10, 1, 2, 3, NAN, 4, 5, 6, 7, 8, 9};
    const char *cols[] = {"x"};
    put(f, "x", f64col(x, 11));
    CHECK_OK(fr_winsorize(f, cols, 1, 0.1, 0.2, &g, &e), &e);
    {
        const double *v = fr_f64(g, "x");
        CHECK(v[0] == 8 && v[1] == 2 && v[2] == 2 && v[3] == 3 && isnan(v[4]));
        CHECK(v[9] == 8 && v[10] == 8 && v[8] == 7);
    }
    fr_free(g);
    CHECK_FAIL(fr_winsorize(f, cols, 1, 0.6, 0.5, &g, &e), MN_EARG, &e, "limits");
    fr_free(f);
}

static void clean_outliers_zscore_iqr(void) {            /* clean-5.1 */
    mn_Err e = {0};
    /* 1 2 3 4 100 NaN: mean 22, population sd = sqrt((21^2+20^2+19^2+18^2+78^2)/5)
    ** = sqrt(7610/5) = 39.01; k = 1.5: |100 - 22| = 78 > 58.5 -> only 100 flagged.
    ** IQR: sorted 1 2 3 4 100, Q1 = 2, Q3 = 4, IQR 2, k 1.5 -> [-1, 7]: 100 flagged. */
    const double x[] = {1, 2, 3, 4, 100, NAN};
    fr_Column *c = f64col(x, 6), *o = NULL;
    CHECK_OK(fr_outliers(c, FR_OUT_ZSCORE, 1.5, &o, &e), &e);
    CHECK(fr_col_bool(o)[4] == 1 && fr_col_bool(o)[0] == 0 && fr_col_bool(o)[3] == 0);
    CHECK(fr_col_bool(o)[5] == -1);                           /* NaN -> missing flag */
    fr_col_unref(o);
    CHECK_OK(fr_outliers(c, FR_OUT_ZSCORE, 2.0, &o, &e), &e); /* 78 < 78.02: none */
    CHECK(fr_col_bool(o)[4] == 0);
    fr_col_unref(o);
    CHECK_OK(fr_outliers(c, FR_OUT_IQR, 1.5, &o, &e), &e);
    CHECK(fr_col_bool(o)[4] == 1 && fr_col_bool(o)[0] == 0 && fr_col_bool(o)[3] == 0);
    fr_col_unref(o);
    fr_col_unref(c);
}

static void clean_cast_types_and_errors(void) {          /* clean-6.1 */
    mn_Err e = {0};
    fr_Frame *f = newframe(), *g = NULL;
    const char *s[] = {"1.5", "NA", "2e3", "x"};
    const char *d[] = {"2024-01-02", NULL, "1970-01-01", "2024-02-30"};
    const char *b[] = {"yes", "F", NULL, "1"};
    const double x[] = {1, 0, NAN, 2.5};
    put(f, "s", catcol(s, 4));
    put(f, "d", catcol(d, 4));
    put(f, "b", catcol(b, 4));
    put(f, "x", f64col(x, 4));
    CHECK_FAIL(fr_cast(f, "s", FR_F64, &g, &e), MN_EARG, &e, "column 's' row 4: 'x' is not");
    CHECK_FAIL(fr_cast(f, "d", FR_DATE, &g, &e), MN_EARG, &e, "row 4: '2024-02-30'");
    CHECK_FAIL(fr_cast(f, "x", FR_BOOL, &g, &e), MN_EARG, &e, "row 4: 2.5 is not 0 or 1");
    CHECK_OK(fr_cast(f, "b", FR_BOOL, &g, &e), &e);
    {
        const int8_t *v = fr_col_bool(fr_col(g, fr_find(g, "b")));
        CHECK(v[0] == 1 && v[1] == 0 && v[2] == -1 && v[3] == 1);
    }
    fr_free(g);
    CHECK_OK(fr_cast(f, "x", FR_CAT, &g, &e), &e);          /* 1 0 NA 2.5 -> levels */
    CHECK(strcmp(cat_at(g, "x", 3), "2.5") == 0 && cat_at(g, "x", 2) == NULL);
    fr_free(g);
    {
        fr_Frame *h = NULL;
        const char *ok[] = {"2024-01-02", NULL};
        fr_Frame *f2 = newframe();
        put(f2, "d", catcol(ok, 2));
        CHECK_OK(fr_cast(f2, "d", FR_DATE, &h, &e), &e);
        /* 2024-01-02: 19724 days after 1970-01-01 (54 years, 13 leap days: 54*365+13+1) */
        CHECK(fr_col_time(fr_col(h, 0))[0] == INT64_C(19724) * FR_NS_PER_DAY);
        CHECK(fr_col_time(fr_col(h, 0))[1] == FR_NA_TIME);
        CHECK_OK(fr_cast(h, "d", FR_F64, &g, &e), &e);
        CHECK(fr_f64(g, "d")[0] == 19724.0 && isnan(fr_f64(g, "d")[1]));
        fr_free(g);
        fr_free(h);
        fr_free(f2);
    }
    {   /* read_csv's number and boolean rules: "0x10" and "1e" are not numbers (read_csv
        ** refuses them for an f64 column too), blanks around a number are trimmed as
        ** read_csv trims them; booleans in lower, Title or UPPER case only */
        fr_Frame *h = NULL, *f3 = newframe();
        const char *hex[] = {"0x10"}, *pad[] = {" 12 ", "-1.5e3"}, *bad[] = {"1e"};
        const char *mixed[] = {"tRUE"}, *yes[] = {"YES", "n"};
        put(f3, "hex", catcol(hex, 1));
        CHECK_FAIL(fr_cast(f3, "hex", FR_F64, &h, &e), MN_EARG, &e,
                   "row 1: '0x10' is not a number");
        fr_free(f3);
        f3 = newframe();
        put(f3, "bad", catcol(bad, 1));
        CHECK_FAIL(fr_cast(f3, "bad", FR_F64, &h, &e), MN_EARG, &e, "'1e' is not a number");
        fr_free(f3);
        f3 = newframe();
        put(f3, "pad", catcol(pad, 2));
        CHECK_OK(fr_cast(f3, "pad", FR_F64, &h, &e), &e);
        CHECK(fr_f64(h, "pad")[0] == 12.0 && fr_f64(h, "pad")[1] == -1500.0);
        fr_free(h);
        fr_free(f3);
        f3 = newframe();
        put(f3, "m", catcol(mixed, 1));
        CHECK_FAIL(fr_cast(f3, "m", FR_BOOL, &h, &e), MN_EARG, &e, "'tRUE' is not a boolean");
        fr_free(f3);
        f3 = newframe();
        put(f3, "y", catcol(yes, 2));
        CHECK_OK(fr_cast(f3, "y", FR_BOOL, &h, &e), &e);
        CHECK(fr_col_bool(fr_col(h, 0))[0] == 1 && fr_col_bool(fr_col(h, 0))[1] == 0);
        fr_free(h);
        fr_free(f3);
    }
    fr_free(f);
}

static void clean_missing_counts(void) {                 /* clean-7.1 */
    fr_Frame *f = newframe();
    const double x[] = {NAN, 1, NAN};
    const char *s[] = {"a", NULL, "b"};
    int64_t cnt[2];
    put(f, "x", f64col(x, 3));
    put(f, "s", catcol(s, 3));
    fr_missing_counts(f, cnt);
    CHECK(cnt[0] == 2 && cnt[1] == 1);
    fr_free(f);
}

static void clean_oom_is_reported(void) {                /* clean-8.1 */
    mn_Err e = {0};
    fr_Frame *f = newframe(), *g = NULL;
    const double x[] = {1, 1, 2};
    put(f, "x", f64col(x, 3));
    for (int k = 1; k <= 8; k++) {                           /* every allocation point */
        int rc;
        mn_mem_fail_after(k);
        rc = fr_dedupe(f, NULL, 0, FR_KEEP_FIRST, &g, &e);
        mn_mem_fail_after(0);
        CHECK(rc == MN_OK || rc == MN_ENOMEM);
        if (rc == MN_OK) {
            CHECK(fr_nrows(g) == 2);
            fr_free(g);
        }
    }
    fr_free(f);
}

int main(void) {
    RUN(clean_dropna_any_all_subset);
    RUN(clean_fill_constant_mean_median_mode);
    RUN(clean_fill_ffill_bfill);
    RUN(clean_fill_interpolate_uneven_dates);
    RUN(clean_dedupe_first_last);
    RUN(clean_dedupe_keys_and_interrupt);
    RUN(clean_clip_and_quantiles);
    RUN(clean_winsorize_bounds);
    RUN(clean_outliers_zscore_iqr);
    RUN(clean_cast_types_and_errors);
    RUN(clean_missing_counts);
    RUN(clean_oom_is_reported);
    return CHECK_DONE();
}
