/* test_data_ops.c -- frame operations (data/ops.h): statistics and describe, stable sort,
** filter, arithmetic and comparisons, joins, as-of join, group-by. Expected values are worked
** by hand in the comments. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "frames.h"
#include "core/mem.h"
#include "data/frame.h"
#include "data/ops.h"

#define NA NAN
#define LEN(a) ((int64_t)(sizeof(a) / sizeof((a)[0])))

static int same_f64(fr_Column *c, const double *want, int64_t n) {
    const double *v = fr_col_f64(c);
    if (v == NULL || fr_col_len(c) != n)
        return 0;
    for (int64_t i = 0; i < n; i++)
        if (!(v[i] == want[i] || (isnan(v[i]) && isnan(want[i]))))
            return 0;
    return 1;
}

static int same_bool(fr_Column *c, const int8_t *want, int64_t n) {
    return fr_col_bool(c) != NULL && fr_col_len(c) == n &&
           memcmp(fr_col_bool(c), want, (size_t)n) == 0;
}

static const char *cat_at(fr_Column *c, int64_t i) {
    return fr_cat_level(c, fr_col_codes(c)[i]);
}

/* ---- statistics ---- */

static void ops_summary_and_quantiles(void) {          /* ops-1.1 */
    /* x = {1, 2, 3, 4, 10} plus a NaN, skipped: n = 5, sum 20, mean 4;
    ** deviations -3 -2 -1 0 6, squares 9 4 1 0 36 = 50, var = 50 / 4 = 12.5, std = 3.5355...
    ** linear quantiles, h = (n - 1) p = 4p: p .25 -> h 1 -> x[1] = 2; .5 -> 3; .75 -> 4;
    ** p .1 -> h .4 -> 1 + .4 (2 - 1) = 1.4; p .9 -> h 3.6 -> 4 + .6 (10 - 4) = 7.6. */
    static const double x[] = {1, 2, NA, 3, 4, 10};
    static const double p[] = {0, 0.1, 0.25, 0.5, 0.75, 0.9, 1};
    double q[7];
    fr_Column *c = f64col(x, LEN(x));
    fr_Summary s;
    mn_Err e = {0};
    CHECK_OK(fr_col_summary(c, &s, &e), &e);
    CHECK(s.count == 5 && s.missing == 1);
    CHECK_NEAR(s.sum, 20, 0);
    CHECK_NEAR(s.mean, 4, 0);
    CHECK_NEAR(s.std, sqrt(12.5), 1e-15);
    CHECK_NEAR(s.min, 1, 0);
    CHECK_NEAR(s.max, 10, 0);
    CHECK_OK(fr_col_quantiles(c, p, 7, q, &e), &e);
    CHECK_NEAR(q[0], 1, 0);
    CHECK_NEAR(q[1], 1.4, 1e-15);
    CHECK_NEAR(q[2], 2, 0);
    CHECK_NEAR(q[3], 3, 0);
    CHECK_NEAR(q[4], 4, 0);
    CHECK_NEAR(q[5], 7.6, 1e-15);
    CHECK_NEAR(q[6], 10, 0);
    CHECK(fr_col_count(c) == 5);
    {
        double bad = 1.5;
        CHECK_FAIL(fr_col_quantiles(c, &bad, 1, q, &e), MN_EARG, &e, "outside [0, 1]");
    }
    fr_col_unref(c);
    {   /* an all-missing column: count 0, sum 0, the rest NaN */
        static const double none[] = {NA, NA};
        c = f64col(none, 2);
        CHECK_OK(fr_col_summary(c, &s, &e), &e);
        CHECK(s.count == 0 && s.sum == 0 && isnan(s.mean) && isnan(s.std) && isnan(s.min));
        CHECK_OK(fr_col_quantiles(c, p, 1, q, &e), &e);
        CHECK(isnan(q[0]));
        fr_col_unref(c);
    }
    {   /* infinities: x = {-inf, 1, 2, inf}, h = 3p. p 0 -> -inf; 1/3 -> h 1 -> x[1] = 1 (no
        ** 0 * inf); 1 -> inf. Sorted {5, inf, inf}: p .75 -> h 1.5 between inf and inf = inf
        ** (inf + .5 (inf - inf) would be NaN) */
        static const double xi[] = {(double)INFINITY, 1, -(double)INFINITY, 2};
        static const double pi[] = {0, 1.0 / 3.0, 1};
        const double sorted[] = {5, (double)INFINITY, (double)INFINITY};
        c = f64col(xi, 4);
        CHECK_OK(fr_col_quantiles(c, pi, 3, q, &e), &e);
        CHECK(isinf(q[0]) && q[0] < 0 && q[1] == 1 && isinf(q[2]) && q[2] > 0);
        CHECK(isinf(fr_quantile_sorted(sorted, 3, 0.75)));
        fr_col_unref(c);
    }
}

static void ops_describe(void) {                       /* ops-1.2 */
    /* x as in ops-1.1; g = {b, a, b, NA, b, a}: 5 values, unique 2, top b (3 times);
    ** ok (bool) = {1, 0, 1, 1, NA, 1}: count 5, mean 4/5 = .8, unique 2, top true (4). */
    static const double x[] = {1, 2, NA, 3, 4, 10};
    static const char *const g[] = {"b", "a", "b", NULL, "b", "a"};
    static const int8_t ok[] = {1, 0, 1, 1, -1, 1};
    fr_Frame *f = newframe(), *d = NULL;
    mn_Err e = {0};
    fr_Column *c;
    put(f, "x", f64col(x, 6));
    put(f, "g", catcol(g, 6));
    put(f, "ok", boolcol(ok, 6));
    CHECK_OK(fr_describe(f, &d, &e), &e);
    if (d == NULL)
        return;
    CHECK(fr_nrows(d) == 3);
    CHECK(strcmp(fr_col_text(fr_col(d, 0))[0], "x") == 0);
    CHECK(strcmp(fr_col_text(fr_col(d, 1))[1], "cat") == 0);
    CHECK_NEAR(fr_f64(d, "count")[0], 5, 0);
    CHECK_NEAR(fr_f64(d, "missing")[0], 1, 0);
    CHECK_NEAR(fr_f64(d, "mean")[0], 4, 0);
    CHECK_NEAR(fr_f64(d, "std")[0], sqrt(12.5), 1e-15);
    CHECK_NEAR(fr_f64(d, "min")[0], 1, 0);
    CHECK_NEAR(fr_f64(d, "25%")[0], 2, 0);
    CHECK_NEAR(fr_f64(d, "50%")[0], 3, 0);
    CHECK_NEAR(fr_f64(d, "75%")[0], 4, 0);
    CHECK_NEAR(fr_f64(d, "max")[0], 10, 0);
    CHECK(isnan(fr_f64(d, "unique")[0]));
    CHECK_NEAR(fr_f64(d, "count")[1], 5, 0);
    CHECK(isnan(fr_f64(d, "mean")[1]));
    CHECK_NEAR(fr_f64(d, "unique")[1], 2, 0);
    CHECK_OK(fr_get(d, "top", &c, &e), &e);
    CHECK(strcmp(fr_col_text(c)[1], "b") == 0);
    CHECK(fr_col_text(c)[0] == NULL);
    CHECK_NEAR(fr_f64(d, "freq")[1], 3, 0);
    CHECK_NEAR(fr_f64(d, "mean")[2], 0.8, 1e-15);
    CHECK_NEAR(fr_f64(d, "unique")[2], 2, 0);
    CHECK(strcmp(fr_col_text(c)[2], "true") == 0);
    CHECK_NEAR(fr_f64(d, "freq")[2], 4, 0);
    fr_free(d);
    fr_free(f);
}

static void ops_unique_value_counts(void) {            /* ops-1.3 */
    /* {x, y, NA, y, x, z}: unique in first-seen order x, y, z; counts x 2, y 2, z 1 with the
    ** x/y tie broken by first appearance (x). */
    static const char *const v[] = {"x", "y", NULL, "y", "x", "z"};
    fr_Column *c = textcol(v, 6), *u = NULL, *val;
    fr_Frame *vc = NULL;
    mn_Err e = {0};
    CHECK_OK(fr_col_unique(c, &u, &e), &e);
    CHECK(fr_col_len(u) == 3 && fr_col_type(u) == FR_TEXT);
    CHECK(strcmp(fr_col_text(u)[0], "x") == 0 && strcmp(fr_col_text(u)[2], "z") == 0);
    CHECK_OK(fr_value_counts(c, &vc, &e), &e);
    CHECK(fr_nrows(vc) == 3);
    CHECK_OK(fr_get(vc, "value", &val, &e), &e);
    CHECK(strcmp(fr_col_text(val)[0], "x") == 0 && strcmp(fr_col_text(val)[1], "y") == 0);
    CHECK_NEAR(fr_f64(vc, "count")[0], 2, 0);
    CHECK_NEAR(fr_f64(vc, "count")[2], 1, 0);
    fr_free(vc);
    fr_col_unref(u);
    fr_col_unref(c);
}

/* ---- sort ---- */

static void ops_sort_stable_missing_last(void) {       /* ops-2.1 */
    /* x = {2, NA, 1, 2, 1} (rows 0..4). Ascending, ties in row order, NA last:
    ** 1 (row 2), 1 (4), 2 (0), 2 (3), NA (1). Descending: 2 (0), 2 (3), 1 (2), 1 (4), NA (1). */
    static const double x[] = {2, NA, 1, 2, 1};
    static const int64_t asc[] = {2, 4, 0, 3, 1}, desc[] = {0, 3, 2, 4, 1};
    fr_Frame *f = newframe(), *s = NULL;
    fr_SortKey k = {"x", 0};
    int64_t idx[5];
    mn_Err e = {0};
    put(f, "x", f64col(x, 5));
    CHECK_OK(fr_order(f, &k, 1, idx, &e), &e);
    CHECK(memcmp(idx, asc, sizeof asc) == 0);
    k.desc = 1;
    CHECK_OK(fr_order(f, &k, 1, idx, &e), &e);
    CHECK(memcmp(idx, desc, sizeof desc) == 0);
    CHECK_OK(fr_sort(f, &k, 1, &s, &e), &e);
    {
        static const double want[] = {2, 2, 1, 1, NA};
        CHECK(same_f64(fr_col(s, 0), want, 5));
    }
    fr_free(s);
    k.name = "nope";
    CHECK_FAIL(fr_order(f, &k, 1, idx, &e), MN_EARG, &e, "sort: no column 'nope'");
    fr_free(f);
}

static void ops_sort_multikey(void) {                  /* ops-2.2 */
    /* g (cat, levels first seen b, a, c so codes disagree with text order) = {b, a, b, a, c},
    ** x = {1, 2, 3, 1, 0}; by g ascending (a < b < c by text), x descending:
    ** a: rows 1 (x 2), 3 (x 1); b: rows 2 (x 3), 0 (x 1); c: row 4 -> {1, 3, 2, 0, 4}. */
    static const char *const g[] = {"b", "a", "b", "a", "c"};
    static const double x[] = {1, 2, 3, 1, 0};
    static const int64_t want[] = {1, 3, 2, 0, 4};
    fr_SortKey keys[2] = {{"g", 0}, {"x", 1}};
    fr_Frame *f = newframe();
    int64_t idx[5];
    mn_Err e = {0};
    put(f, "g", catcol(g, 5));
    put(f, "x", f64col(x, 5));
    CHECK_OK(fr_order(f, keys, 2, idx, &e), &e);
    CHECK(memcmp(idx, want, sizeof want) == 0);
    fr_free(f);
    {   /* text by byte order: "B" (66) < "a" (97) < "b"; NULL last -> {1, 2, 0, 3} */
        static const char *const t[] = {"b", "B", "a", NULL};
        static const int64_t tw[] = {1, 2, 0, 3};
        fr_SortKey tk = {"t", 0};
        f = newframe();
        put(f, "t", textcol(t, 4));
        CHECK_OK(fr_order(f, &tk, 1, idx, &e), &e);
        CHECK(memcmp(idx, tw, sizeof tw) == 0);
        fr_free(f);
    }
}

static void ops_sort_large_is_sorted_and_stable(void) {  /* ops-2.3 */
    /* 10007 rows, key = i % 97 (many ties): sorted keys ascend and, within a key, the row
    ** numbers ascend (stability across merge passes). */
    int64_t n = 10007, *idx = malloc((size_t)n * sizeof *idx);
    double *v = malloc((size_t)n * sizeof *v);
    fr_Frame *f = newframe();
    fr_SortKey k = {"k", 0};
    mn_Err e = {0};
    int ok = 1;
    for (int64_t i = 0; i < n; i++)
        v[i] = (double)((i * 7919) % 97);
    put(f, "k", f64col(v, n));
    CHECK_OK(fr_order(f, &k, 1, idx, &e), &e);
    for (int64_t i = 1; i < n; i++)
        ok &= v[idx[i - 1]] < v[idx[i]] || (v[idx[i - 1]] == v[idx[i]] && idx[i - 1] < idx[i]);
    CHECK(ok);
    fr_free(f);
    free(idx);
    free(v);
}

/* ---- filter, arithmetic, comparisons ---- */

static void ops_filter(void) {                         /* ops-3.1 */
    static const double x[] = {10, 20, 30, 40};
    static const int8_t m[] = {1, -1, 0, 1};           /* missing counts as false */
    fr_Frame *f = newframe(), *g = NULL;
    fr_Column *mask = boolcol(m, 4), *shortmask = boolcol(m, 3), *notbool = f64col(x, 4);
    mn_Err e = {0};
    put(f, "x", f64col(x, 4));
    CHECK_OK(fr_filter(f, mask, &g, &e), &e);
    {
        static const double want[] = {10, 40};
        CHECK(fr_nrows(g) == 2 && same_f64(fr_col(g, 0), want, 2));
    }
    CHECK_FAIL(fr_filter(f, shortmask, &g, &e), MN_ESHAPE, &e, "mask has 3 rows");
    CHECK_FAIL(fr_filter(f, notbool, &g, &e), MN_EARG, &e, "not bool");
    fr_free(g);
    fr_free(f);
    fr_col_unref(mask);
    fr_col_unref(shortmask);
    fr_col_unref(notbool);
}

static void ops_arith_nan(void) {                      /* ops-3.2 */
    /* a = {1, NA, 3, -7, 7}, b = {2, 2, 0, 3, -3}:
    ** a + b = {3, NA, 3, -4, 4}; a / b = {.5, NA, inf, -7/3, -7/3};
    ** a % b floored: 1 % 2 = 1, NA, 3 % 0 = NA, -7 % 3 = -7 - 3 floor(-7/3) = -7 + 9 = 2,
    ** 7 % -3 = 7 - (-3)(-3) = -2; a ^ 0 = {1, NA (missing in, missing out), 1, 1, 1}. */
    static const double a[] = {1, NA, 3, -7, 7}, b[] = {2, 2, 0, 3, -3};
    fr_Column *ca = f64col(a, 5), *cb = f64col(b, 5), *r = NULL;
    mn_Err e = {0};
    CHECK_OK(fr_arith(ca, cb, FR_ADD, &r, &e), &e);
    {
        static const double want[] = {3, NA, 3, -4, 4};
        CHECK(same_f64(r, want, 5));
    }
    fr_col_unref(r);
    CHECK_OK(fr_arith(ca, cb, FR_DIV, &r, &e), &e);
    CHECK_NEAR(fr_col_f64(r)[0], 0.5, 0);
    CHECK(isnan(fr_col_f64(r)[1]) && isinf(fr_col_f64(r)[2]));
    fr_col_unref(r);
    CHECK_OK(fr_arith(ca, cb, FR_MOD, &r, &e), &e);
    {
        static const double want[] = {1, NA, NA, 2, -2};
        CHECK(same_f64(r, want, 5));
    }
    fr_col_unref(r);
    CHECK_OK(fr_arith_scalar(ca, 0, FR_POW, 0, &r, &e), &e);
    {
        static const double want[] = {1, NA, 1, 1, 1};
        CHECK(same_f64(r, want, 5));
    }
    fr_col_unref(r);
    CHECK_OK(fr_arith_scalar(ca, 10, FR_SUB, 1, &r, &e), &e);      /* 10 - a */
    {
        static const double want[] = {9, NA, 7, 17, 3};
        CHECK(same_f64(r, want, 5));
    }
    fr_col_unref(r);
    CHECK_OK(fr_neg(ca, &r, &e), &e);
    CHECK_NEAR(fr_col_f64(r)[3], 7, 0);
    fr_col_unref(r);
    {   /* errors: length mismatch, non-numeric operand */
        static const char *const g[] = {"u", "v", "w", "x", "y"};
        fr_Column *c3 = f64col(a, 3), *cg = catcol(g, 5);
        CHECK_FAIL(fr_arith(ca, c3, FR_ADD, &r, &e), MN_ESHAPE, &e,
                   "operands of + have 5 and 3 rows");
        CHECK_FAIL(fr_arith(ca, cg, FR_MUL, &r, &e), MN_EARG, &e, "right operand of * is cat");
        fr_col_unref(c3);
        fr_col_unref(cg);
    }
    fr_col_unref(ca);
    fr_col_unref(cb);
}

static void ops_compare_logic(void) {                  /* ops-3.3 */
    /* x = {1, NA, 3}: x > 2 = {F, NA, T}; x <= 1 = {T, NA, F}.
    ** Kleene: (x > 2) and {T, F, NA} = {F, F, NA}; (x > 2) or {T, F, NA} = {T, NA, T}. */
    static const double x[] = {1, NA, 3};
    static const int8_t m[] = {1, 0, -1};
    fr_Column *cx = f64col(x, 3), *cm = boolcol(m, 3), *gt = NULL, *r = NULL;
    mn_Err e = {0};
    CHECK_OK(fr_compare_num(cx, 2, FR_GT, &gt, &e), &e);
    {
        static const int8_t want[] = {0, -1, 1};
        CHECK(same_bool(gt, want, 3));
    }
    CHECK_OK(fr_compare_num(cx, 1, FR_LE, &r, &e), &e);
    {
        static const int8_t want[] = {1, -1, 0};
        CHECK(same_bool(r, want, 3));
    }
    fr_col_unref(r);
    CHECK_OK(fr_and(gt, cm, &r, &e), &e);
    {
        static const int8_t want[] = {0, 0, -1};
        CHECK(same_bool(r, want, 3));
    }
    fr_col_unref(r);
    CHECK_OK(fr_or(gt, cm, &r, &e), &e);
    {
        static const int8_t want[] = {1, -1, 1};
        CHECK(same_bool(r, want, 3));
    }
    fr_col_unref(r);
    CHECK_OK(fr_not(cm, &r, &e), &e);
    {
        static const int8_t want[] = {0, 1, -1};
        CHECK(same_bool(r, want, 3));
    }
    fr_col_unref(r);
    CHECK_OK(fr_isna(cx, &r, &e), &e);
    {
        static const int8_t want[] = {0, 1, 0};
        CHECK(same_bool(r, want, 3));
    }
    fr_col_unref(r);
    {   /* cat vs string and cat vs text across dictionaries, by text */
        static const char *const g[] = {"b", "a", NULL}, *const h[] = {"a", "a", "c"};
        fr_Column *cg = catcol(g, 3), *ch = textcol(h, 3);
        CHECK_OK(fr_compare_str(cg, "a", FR_EQ, &r, &e), &e);
        {
            static const int8_t want[] = {0, 1, -1};
            CHECK(same_bool(r, want, 3));
        }
        fr_col_unref(r);
        CHECK_OK(fr_compare(cg, ch, FR_GT, &r, &e), &e);          /* "b" > "a", "a" > "a" */
        {
            static const int8_t want[] = {1, 0, -1};
            CHECK(same_bool(r, want, 3));
        }
        fr_col_unref(r);
        CHECK_FAIL(fr_compare(cg, cx, FR_EQ, &r, &e), MN_EARG, &e, "cannot compare cat with f64");
        CHECK_FAIL(fr_compare_num(cg, 1, FR_EQ, &r, &e), MN_EARG, &e, "cat column");
        fr_col_unref(cg);
        fr_col_unref(ch);
    }
    {   /* dates against an ISO string: 2024-01-31 is day 19753 since 1970-01-01 */
        fr_Column *d = NULL;
        CHECK_OK(fr_col_new(FR_DATE, 3, &d, &e), &e);
        fr_col_time(d)[0] = INT64_C(19752) * FR_NS_PER_DAY;
        fr_col_time(d)[1] = INT64_C(19753) * FR_NS_PER_DAY;
        fr_col_time(d)[2] = INT64_C(19754) * FR_NS_PER_DAY;
        CHECK_OK(fr_compare_str(d, "2024-01-31", FR_GE, &r, &e), &e);
        {
            static const int8_t want[] = {0, 1, 1};
            CHECK(same_bool(r, want, 3));
        }
        fr_col_unref(r);
        CHECK_FAIL(fr_compare_str(d, "31/01/2024", FR_GE, &r, &e), MN_EARG, &e, "not a date");
        /* 2024-02-30 used to be read as March 1st; it is no day at all */
        CHECK_FAIL(fr_compare_str(d, "2024-02-30", FR_LT, &r, &e), MN_EARG, &e,
                   "'2024-02-30' is not a date");
        fr_col_unref(d);
    }
    {   /* an offset literal: 2024-01-31T01:30+01:00 is 00:30 UTC = day 19753 + 1800 s */
        fr_Column *d = NULL;
        int64_t day = INT64_C(19753) * FR_NS_PER_DAY, half = INT64_C(1800000000000);
        CHECK_OK(fr_col_new(FR_DATETIME, 3, &d, &e), &e);
        fr_col_time(d)[0] = day;
        fr_col_time(d)[1] = day + half;
        fr_col_time(d)[2] = day + 2 * half;
        CHECK_OK(fr_compare_str(d, "2024-01-31T01:30:00+01:00", FR_EQ, &r, &e), &e);
        {
            static const int8_t want[] = {0, 1, 0};
            CHECK(same_bool(r, want, 3));
        }
        fr_col_unref(r);
        CHECK_OK(fr_compare_str(d, "2024-01-31T01:30+01:00", FR_GT, &r, &e), &e);
        {
            static const int8_t want[] = {0, 0, 1};
            CHECK(same_bool(r, want, 3));
        }
        fr_col_unref(r);
        fr_col_unref(d);
    }
    {   /* the public parser: offsets applied, invalid days refused, has_time reported */
        int64_t ns = 0;
        int ht = -1;
        CHECK(fr_parse_time("2024-01-31T01:30:00+01:00", 25, &ns, &ht) == 1);
        CHECK(ns == INT64_C(19753) * FR_NS_PER_DAY + INT64_C(1800000000000) && ht == 1);
        CHECK(fr_parse_time("2024-01-31", 10, &ns, &ht) == 1);
        CHECK(ns == INT64_C(19753) * FR_NS_PER_DAY && ht == 0);
        CHECK(fr_parse_time("2024-02-30", 10, &ns, &ht) == 0);
        CHECK(fr_parse_time("2023-02-29", 10, &ns, &ht) == 0);    /* not a leap year */
        CHECK(fr_parse_time("2024-02-29", 10, &ns, &ht) == 1);
    }
    fr_col_unref(gt);
    fr_col_unref(cx);
    fr_col_unref(cm);
}

/* ---- joins ---- */

static void ops_join_dups_missing(void) {              /* ops-4.1 */
    /* left  k = {a, b, NA, a, c}, v = {1, 2, 3, 4, 5}
    ** right k = {b, a, a, NA, d}, v = {20, 10, 11, 30, 40}  (a different dictionary order)
    ** inner: row a -> right rows 1, 2; b -> 0; NA never matches; a -> 1, 2; c -> none:
    **   v = {1, 1, 2, 4, 4}, v_right = {10, 11, 20, 10, 11}
    ** left: also rows NA (3) and c (5) with v_right NA, in left order:
    **   v = {1, 1, 2, 3, 4, 4, 5}, v_right = {10, 11, 20, NA, 10, 11, NA} */
    static const char *const lk[] = {"a", "b", NULL, "a", "c"};
    static const char *const rk[] = {"b", "a", "a", NULL, "d"};
    static const double lv[] = {1, 2, 3, 4, 5}, rv[] = {20, 10, 11, 30, 40};
    const char *on = "k";
    fr_Frame *l = newframe(), *r = newframe(), *j = NULL;
    mn_Err e = {0};
    put(l, "k", catcol(lk, 5));
    put(l, "v", f64col(lv, 5));
    put(r, "k", catcol(rk, 5));
    put(r, "v", f64col(rv, 5));
    CHECK_OK(fr_join(l, r, &on, NULL, 1, FR_JOIN_INNER, NULL, &j, &e), &e);
    if (j != NULL) {
        static const double wv[] = {1, 1, 2, 4, 4}, wr[] = {10, 11, 20, 10, 11};
        CHECK(fr_ncols(j) == 3 && strcmp(fr_name(j, 2), "v_right") == 0);
        CHECK(same_f64(fr_col(j, 1), wv, 5) && same_f64(fr_col(j, 2), wr, 5));
        CHECK(strcmp(cat_at(fr_col(j, 0), 2), "b") == 0);
        fr_free(j);
        j = NULL;
    }
    CHECK_OK(fr_join(l, r, &on, NULL, 1, FR_JOIN_LEFT, "_r", &j, &e), &e);
    if (j != NULL) {
        static const double wv[] = {1, 1, 2, 3, 4, 4, 5}, wr[] = {10, 11, 20, NA, 10, 11, NA};
        CHECK(strcmp(fr_name(j, 2), "v_r") == 0);
        CHECK(same_f64(fr_col(j, 1), wv, 7) && same_f64(fr_col(j, 2), wr, 7));
        fr_free(j);
    }
    {
        const char *bad = "nope";
        CHECK_FAIL(fr_join(l, r, &bad, NULL, 1, FR_JOIN_INNER, NULL, &j, &e), MN_EARG, &e,
                   "join: left frame: no column 'nope'");
    }
    fr_free(l);
    fr_free(r);
}

static void ops_join_multikey(void) {                  /* ops-4.2 */
    /* keys (t text, d f64); left (x,1) (x,2) (y,1); right (x,2) w=7, (y,1) w=8, (y,2) w=9;
    ** inner: (x,2) -> 7, (y,1) -> 8; left row (x,1) dropped. Key types must agree. */
    static const char *const lt[] = {"x", "x", "y"}, *const rt[] = {"x", "y", "y"};
    static const double ld[] = {1, 2, 1}, rd[] = {2, 1, 2}, rw[] = {7, 8, 9};
    const char *on[] = {"t", "d"};
    fr_Frame *l = newframe(), *r = newframe(), *j = NULL;
    mn_Err e = {0};
    put(l, "t", textcol(lt, 3));
    put(l, "d", f64col(ld, 3));
    put(r, "t", catcol(rt, 3));                         /* text joins cat by text */
    put(r, "d", f64col(rd, 3));
    put(r, "w", f64col(rw, 3));
    CHECK_OK(fr_join(l, r, on, NULL, 2, FR_JOIN_INNER, NULL, &j, &e), &e);
    if (j != NULL) {
        static const double ww[] = {7, 8};
        CHECK(fr_nrows(j) == 2 && same_f64(fr_col(j, 2), ww, 2));
        fr_free(j);
    }
    {
        const char *mixed[] = {"d", "t"};                 /* f64 against cat */
        CHECK_FAIL(fr_join(l, r, on, mixed, 2, FR_JOIN_INNER, NULL, &j, &e), MN_EARG, &e,
                   "key 't' is text on the left but f64 on the right");
    }
    fr_free(l);
    fr_free(r);
}

static void ops_join_asof(void) {                      /* ops-4.3 */
    /* left  t = {1, 5, 10, 3, NA}, tk = {A, A, B, B, A}
    ** right t = {4, 2, 9, 0, 4}, tk = {A, A, B, A, A}, v = {40, 20, 90, 0, 41}
    ** A's right rows sorted by t (stable): (0, 0) (2, 20) (4, 40) (4, 41); B's: (9, 90).
    ** backward: 1 -> t 0 -> 0; 5 -> last of the t = 4 tie -> 41; 10 (B) -> 90; 3 (B) -> none;
    **           NA -> none.                              v = {0, 41, 90, NA, NA}
    ** forward:  1 -> 2 -> 20; 5 -> none; 10 -> none; 3 (B) -> 9 -> 90.  {20, NA, NA, 90, NA}
    ** nearest:  1 -> 0 and 2 are both 1 away, backward wins -> 0; 5 -> 41; 10 -> 90;
    **           3 (B) -> 90.                             {0, 41, 90, 90, NA} */
    static const double lt[] = {1, 5, 10, 3, NA}, rt[] = {4, 2, 9, 0, 4};
    static const double rv[] = {40, 20, 90, 0, 41};
    static const char *const lk[] = {"A", "A", "B", "B", "A"}, *const rk[] = {"A", "A", "B",
                                                                             "A", "A"};
    static const double back[] = {0, 41, 90, NA, NA}, fwd[] = {20, NA, NA, 90, NA},
                        near[] = {0, 41, 90, 90, NA};
    const double *want[] = {back, fwd, near};
    const char *by = "tk";
    fr_Frame *l = newframe(), *r = newframe(), *j = NULL;
    mn_Err e = {0};
    put(l, "t", f64col(lt, 5));
    put(l, "tk", catcol(lk, 5));
    put(r, "t", f64col(rt, 5));
    put(r, "tk", catcol(rk, 5));
    put(r, "v", f64col(rv, 5));
    for (int d = 0; d < 3; d++) {
        j = NULL;
        CHECK_OK(fr_join_asof(l, r, "t", &by, 1, (fr_AsofDir)d, NULL, &j, &e), &e);
        if (j == NULL)
            continue;
        CHECK(fr_ncols(j) == 3 && strcmp(fr_name(j, 2), "v") == 0);
        CHECK(same_f64(fr_col(j, 2), want[d], 5));
        fr_free(j);
    }
    /* without 'by': all right rows, sorted t 0 2 4 4 9: backward of {1, 5, 10, 3} ->
    ** {0, 41, 90, 20} */
    CHECK_OK(fr_join_asof(l, r, "t", NULL, 0, FR_ASOF_BACKWARD, NULL, &j, &e), &e);
    if (j != NULL) {
        static const double w[] = {0, 41, 90, 20, NA};
        CHECK(fr_ncols(j) == 4 && strcmp(fr_name(j, 2), "tk_right") == 0);
        CHECK(same_f64(fr_col(j, 3), w, 5));
        fr_free(j);
    }
    CHECK_FAIL(fr_join_asof(l, r, "tk", NULL, 0, FR_ASOF_BACKWARD, NULL, &j, &e), MN_EARG, &e,
               "must be f64, date or datetime");
    fr_free(l);
    fr_free(r);
}

static void ops_join_asof_negative_and_time(void) {    /* ops-4.4 */
    /* f64 keys below zero order by value, not by bits: right t = {0.5, -2, -1}, v = {3, 1, 2};
    ** backward of -1.5 -> -2 (v 1); of -1 -> -1 (v 2); of 7 -> 0.5 (v 3); of -3 -> none. */
    static const double lt[] = {-1.5, -1, 7, -3}, rt[] = {0.5, -2, -1}, rv[] = {3, 1, 2};
    fr_Frame *l = newframe(), *r = newframe(), *j = NULL;
    fr_Column *ld = NULL, *rd = NULL;
    mn_Err e = {0};
    put(l, "t", f64col(lt, 4));
    put(r, "t", f64col(rt, 3));
    put(r, "v", f64col(rv, 3));
    CHECK_OK(fr_join_asof(l, r, "t", NULL, 0, FR_ASOF_BACKWARD, NULL, &j, &e), &e);
    if (j != NULL) {
        static const double w[] = {1, 2, 3, NA};
        CHECK(same_f64(fr_col(j, 1), w, 4));
        fr_free(j);
        j = NULL;
    }
    fr_free(l);
    fr_free(r);
    /* datetimes (ns, one before the epoch): right at -1 s, 1 s, 1 s + 1 ns; left at 0 and
    ** 1 s + 1 ns. nearest of 0: -1 s and 1 s tie -> backward (-1 s, v 10); of 1 s + 1 ns:
    ** exact -> v 30. forward of 0 -> 1 s (v 20). */
    l = newframe(), r = newframe();
    CHECK_OK(fr_col_new(FR_DATETIME, 2, &ld, &e), &e);
    CHECK_OK(fr_col_new(FR_DATETIME, 3, &rd, &e), &e);
    fr_col_time(ld)[0] = 0, fr_col_time(ld)[1] = 1000000001;
    fr_col_time(rd)[0] = -1000000000, fr_col_time(rd)[1] = 1000000000;
    fr_col_time(rd)[2] = 1000000001;
    put(l, "ts", ld);
    put(r, "ts", rd);
    {
        static const double v[] = {10, 20, 30};
        put(r, "v", f64col(v, 3));
    }
    CHECK_OK(fr_join_asof(l, r, "ts", NULL, 0, FR_ASOF_NEAREST, NULL, &j, &e), &e);
    if (j != NULL) {
        static const double w[] = {10, 30};
        CHECK(same_f64(fr_col(j, 1), w, 2));
        fr_free(j);
        j = NULL;
    }
    CHECK_OK(fr_join_asof(l, r, "ts", NULL, 0, FR_ASOF_FORWARD, NULL, &j, &e), &e);
    if (j != NULL) {
        static const double w[] = {20, 30};
        CHECK(same_f64(fr_col(j, 1), w, 2));
        fr_free(j);
    }
    fr_free(l);
    fr_free(r);
}

/* ---- group-by ---- */

static void ops_groupby(void) {                        /* ops-5.1 */
    /* g = {a, b, a, NA, b, a}, x = {1, 2, 3, 4, NA, 5}; groups in first-seen order a, b, NA.
    ** a: x 1 3 5: count 3, sum 9, mean 3, std sqrt(((-2)^2 + 0 + 2^2) / 2) = 2, min 1, max 5,
    **    first 1, last 5, size 3.
    ** b: x 2 NA: count 1, sum 2, mean 2, std NA (one value), min = max = first = last = 2,
    **    size 2.
    ** NA: x 4: count 1, sum 4, mean 4, std NA, size 1. */
    static const char *const g[] = {"a", "b", "a", NULL, "b", "a"};
    static const double x[] = {1, 2, 3, 4, NA, 5};
    fr_AggSpec sp[] = {{"x", FR_AGG_COUNT, NULL}, {"x", FR_AGG_SUM, NULL},
                       {"x", FR_AGG_MEAN, "avg"}, {"x", FR_AGG_STD, NULL},
                       {"x", FR_AGG_MIN, NULL},   {"x", FR_AGG_MAX, NULL},
                       {"x", FR_AGG_FIRST, NULL}, {"x", FR_AGG_LAST, NULL},
                       {NULL, FR_AGG_SIZE, NULL}, {"g", FR_AGG_LAST, NULL}};
    const char *key = "g";
    fr_Frame *f = newframe(), *r = NULL;
    mn_Err e = {0};
    put(f, "g", catcol(g, 6));
    put(f, "x", f64col(x, 6));
    CHECK_OK(fr_groupby(f, &key, 1, sp, 10, &r, &e), &e);
    if (r != NULL) {
        static const double cnt[] = {3, 1, 1}, sum[] = {9, 2, 4}, avg[] = {3, 2, 4},
                            sd[] = {2, NA, NA}, mn[] = {1, 2, 4}, mx[] = {5, 2, 4},
                            fi[] = {1, 2, 4}, la[] = {5, 2, 4}, sz[] = {3, 2, 1};
        fr_Column *c;
        CHECK(fr_nrows(r) == 3 && fr_ncols(r) == 11);
        CHECK(strcmp(cat_at(fr_col(r, 0), 0), "a") == 0 && fr_col_isna(fr_col(r, 0), 2));
        CHECK(same_f64(fr_col(r, 1), cnt, 3) && strcmp(fr_name(r, 1), "x_count") == 0);
        CHECK(same_f64(fr_col(r, 2), sum, 3));
        CHECK(same_f64(fr_col(r, 3), avg, 3) && strcmp(fr_name(r, 3), "avg") == 0);
        CHECK_NEAR(fr_col_f64(fr_col(r, 4))[0], sd[0], 1e-15);
        CHECK(isnan(fr_col_f64(fr_col(r, 4))[1]) && isnan(fr_col_f64(fr_col(r, 4))[2]));
        CHECK(same_f64(fr_col(r, 5), mn, 3) && same_f64(fr_col(r, 6), mx, 3));
        CHECK(same_f64(fr_col(r, 7), fi, 3) && same_f64(fr_col(r, 8), la, 3));
        CHECK(same_f64(fr_col(r, 9), sz, 3) && strcmp(fr_name(r, 9), "size") == 0);
        c = fr_col(r, 10);                               /* last of a cat keeps the type */
        CHECK(fr_col_type(c) == FR_CAT && strcmp(cat_at(c, 1), "b") == 0);
        fr_free(r);
    }
    {
        fr_AggSpec bad = {"g", FR_AGG_MEAN, NULL}, unknown = {"y", FR_AGG_SUM, NULL};
        fr_Agg a;
        CHECK_FAIL(fr_groupby(f, &key, 1, &bad, 1, &r, &e), MN_EARG, &e,
                   "column 'g': mean needs a numeric");
        CHECK_FAIL(fr_groupby(f, &key, 1, &unknown, 1, &r, &e), MN_EARG, &e,
                   "no column 'y'");
        CHECK_FAIL(fr_agg_parse("avg", &a, &e), MN_EARG, &e, "unknown aggregation 'avg'");
        CHECK_OK(fr_agg_parse("std", &a, &e), &e);
        CHECK(a == FR_AGG_STD);
    }
    fr_free(f);
}

/* ---- allocation failures ---- */

static void ops_out_of_memory(void) {                  /* ops-6.1 */
    /* Make the n-th allocation fail for n = 1, 2, ... until the call succeeds: every
    ** failure must come back as MN_ENOMEM (leaks show up in the sanitizer build). */
    static const char *const g[] = {"a", "b", "a", "c"};
    static const double x[] = {3, 1, 2, NA};
    const char *key = "g";
    fr_AggSpec sp = {"x", FR_AGG_MEAN, NULL};
    fr_SortKey sk = {"g", 1};
    fr_Frame *f = newframe(), *r = NULL;
    mn_Err e = {0};
    int which, n, rc, bad = 0;
    put(f, "g", catcol(g, 4));
    put(f, "x", f64col(x, 4));
    for (which = 0; which < 4; which++) {
        for (n = 1; n < 200; n++) {
            r = NULL;
            mn_mem_fail_after(n);
            switch (which) {
            case 0: rc = fr_sort(f, &sk, 1, &r, &e); break;
            case 1: rc = fr_join(f, f, &key, NULL, 1, FR_JOIN_LEFT, NULL, &r, &e); break;
            case 2: rc = fr_groupby(f, &key, 1, &sp, 1, &r, &e); break;
            default: rc = fr_describe(f, &r, &e); break;
            }
            mn_mem_fail_after(0);
            if (rc == MN_OK) {
                fr_free(r);
                break;
            }
            bad += rc != MN_ENOMEM;
        }
        CHECK(n < 200);
    }
    CHECK(bad == 0);
    fr_free(f);
}

/* fr_col_new_unset: numeric columns of the asked length whose rows the caller then writes;
** cat and text are refused (they must start missing). */
static void ops_col_new_unset(void) {                     /* ops-9.1 */
    mn_Err e = {0};
    fr_Column *c = NULL;
    CHECK_OK(fr_col_new_unset(FR_F64, 5, &c, &e), &e);
    CHECK(fr_col_len(c) == 5 && fr_col_type(c) == FR_F64 && fr_col_f64(c) != NULL);
    for (int i = 0; i < 5; i++)
        fr_col_f64(c)[i] = i;
    CHECK(fr_col_get_num(c, 4) == 4.0);
    fr_col_unref(c);
    c = NULL;
    CHECK(fr_col_new_unset(FR_CAT, 3, &c, &e) == MN_EARG && c == NULL);
    CHECK(strstr(e.msg, "cat column starts missing") != NULL);
    CHECK(fr_col_new_unset(FR_TEXT, 3, &c, &e) == MN_EARG && c == NULL);
}

int main(void) {
    RUN(ops_summary_and_quantiles);
    RUN(ops_col_new_unset);
    RUN(ops_describe);
    RUN(ops_unique_value_counts);
    RUN(ops_sort_stable_missing_last);
    RUN(ops_sort_multikey);
    RUN(ops_sort_large_is_sorted_and_stable);
    RUN(ops_filter);
    RUN(ops_arith_nan);
    RUN(ops_compare_logic);
    RUN(ops_join_dups_missing);
    RUN(ops_join_multikey);
    RUN(ops_join_asof);
    RUN(ops_join_asof_negative_and_time);
    RUN(ops_groupby);
    RUN(ops_out_of_memory);
    return CHECK_DONE();
}
