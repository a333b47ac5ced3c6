/* test_data_transform.c -- data/transform: scaler parameters (population sd, as
** scikit-learn's StandardScaler), robust median/IQR, impute, onehot and ordinal with unseen
** levels, schema errors, pipelines and their exact round trip through serialize. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "frames.h"
#include "core/mem.h"
#include "data/frame.h"
#include "data/transform.h"

/* Train: x = 1 2 3 4 NaN, y = 10 10 10 10 10, s = a b a NA c */
static fr_Frame *train_frame(void) {
    fr_Frame *f = newframe();
    const double x[] = {1, 2, 3, 4, NAN}, y[] = {10, 10, 10, 10, 10};
    const char *s[] = {"a", "b", "a", NULL, "c"};
    put(f, "x", f64col(x, 5));
    put(f, "y", f64col(y, 5));
    put(f, "s", catcol(s, 5));
    return f;
}

static fr_Prep *newprep(fr_PrepKind k, const fr_PrepOpts *o) {
    fr_Prep *p = NULL;
    mn_Err e = {0};
    if (fr_prep_new(k, o, &p, &e) != MN_OK)
        abort();
    return p;
}

static void prep_standard_population_sd(void) {         /* prep-1.1 */
    mn_Err e = {0};
    fr_Frame *f = train_frame(), *g = NULL;
    fr_Prep *p = newprep(FR_PREP_STANDARD, NULL);
    double a, b;
    /* x: mean 2.5, population sd sqrt((2.25+0.25+0.25+2.25)/4) = sqrt(1.25) (sample sd would
    ** be sqrt(5/3)); y: sd 0 -> divided by 1; s passes through */
    CHECK_OK(fr_prep_fit_transform(p, f, &g, &e), &e);
    CHECK(fr_prep_ncols(p) == 2);
    CHECK(strcmp(fr_prep_col(p, 0, NULL, &a, &b, NULL), "x") == 0);
    CHECK_NEAR(a, 2.5, 0);
    CHECK_NEAR(b, sqrt(1.25), 1e-15);
    CHECK_NEAR(fr_f64(g, "x")[0], -1.5 / sqrt(1.25), 1e-15);
    CHECK(isnan(fr_f64(g, "x")[4]));                         /* NaN stays NaN */
    CHECK(fr_f64(g, "y")[2] == 0.0);
    CHECK(fr_col_type(fr_col(g, 2)) == FR_CAT);
    fr_free(g);
    fr_prep_free(p);
    fr_free(f);
}

static void prep_minmax_robust(void) {                   /* prep-1.2 */
    mn_Err e = {0};
    fr_Frame *f = train_frame(), *g = NULL;
    fr_Prep *p = newprep(FR_PREP_MINMAX, NULL), *r = newprep(FR_PREP_ROBUST, NULL);
    double a, b;
    CHECK_OK(fr_prep_fit_transform(p, f, &g, &e), &e);     /* (x - 1) / 3 */
    CHECK_NEAR(fr_f64(g, "x")[1], 1.0 / 3.0, 1e-15);
    CHECK(fr_f64(g, "x")[3] == 1.0);
    fr_free(g);
    /* robust x: median of 1 2 3 4 = 2.5; Q1 = 1 + 0.75 = 1.75, Q3 = 3.25: IQR 1.5 */
    CHECK_OK(fr_prep_fit_transform(r, f, &g, &e), &e);
    fr_prep_col(r, 0, NULL, &a, &b, NULL);
    CHECK_NEAR(a, 2.5, 0);
    CHECK_NEAR(b, 1.5, 0);
    CHECK_NEAR(fr_f64(g, "x")[3], 1.0, 1e-15);              /* (4 - 2.5) / 1.5 */
    fr_free(g);
    fr_prep_free(p);
    fr_prep_free(r);
    fr_free(f);
}

static void prep_impute_numeric_and_cat(void) {          /* prep-2.1 */
    mn_Err e = {0};
    fr_Frame *f = train_frame(), *g = NULL;
    fr_Prep *p = newprep(FR_PREP_IMPUTE, NULL);            /* median */
    fr_Column *s;
    CHECK_OK(fr_prep_fit_transform(p, f, &g, &e), &e);
    CHECK(fr_f64(g, "x")[4] == 2.5);                        /* median of 1 2 3 4 */
    s = fr_col(g, fr_find(g, "s"));                          /* most frequent level: a */
    CHECK(strcmp(fr_cat_level(s, fr_col_codes(s)[3]), "a") == 0);
    fr_free(g);
    fr_prep_free(p);
    {
        fr_PrepOpts o;
        fr_prep_opts_init(&o);
        o.strategy = FR_IMPUTE_CONSTANT;
        o.value = -9;
        o.level = "none";
        p = newprep(FR_PREP_IMPUTE, &o);
        CHECK_OK(fr_prep_fit_transform(p, f, &g, &e), &e);
        s = fr_col(g, fr_find(g, "s"));
        CHECK(fr_f64(g, "x")[4] == -9);
        CHECK(strcmp(fr_cat_level(s, fr_col_codes(s)[3]), "none") == 0);
        fr_free(g);
        fr_prep_free(p);
    }
    fr_free(f);
}

static void prep_onehot_unknown_policies(void) {         /* prep-3.1 */
    mn_Err e = {0};
    fr_Frame *f = train_frame(), *t = newframe(), *g = NULL;
    const double x[] = {0, 0, 0}, y[] = {1, 1, 1};
    const char *s[] = {"c", "zzz", NULL};                   /* zzz: unseen at fit */
    fr_PrepOpts o;
    fr_Prep *p;
    put(t, "x", f64col(x, 3));
    put(t, "y", f64col(y, 3));
    put(t, "s", catcol(s, 3));
    /* ignore: levels a b c (sorted) -> s=a s=b s=c; unseen and missing -> all zeros */
    p = newprep(FR_PREP_ONEHOT, NULL);
    CHECK_OK(fr_prep_fit(p, f, &e), &e);
    CHECK_OK(fr_prep_transform(p, t, &g, &e), &e);
    CHECK(fr_ncols(g) == 5 && strcmp(fr_name(g, 2), "s=a") == 0);
    CHECK(fr_f64(g, "s=c")[0] == 1 && fr_f64(g, "s=a")[0] == 0);
    CHECK(fr_f64(g, "s=a")[1] == 0 && fr_f64(g, "s=b")[1] == 0 && fr_f64(g, "s=c")[1] == 0);
    CHECK(fr_f64(g, "s=a")[2] == 0 && fr_f64(g, "s=c")[2] == 0);
    fr_free(g);
    fr_prep_free(p);
    /* error: names the column, row and level */
    fr_prep_opts_init(&o);
    o.unknown = FR_UNKNOWN_ERROR;
    p = newprep(FR_PREP_ONEHOT, &o);
    CHECK_OK(fr_prep_fit(p, f, &e), &e);
    CHECK_FAIL(fr_prep_transform(p, t, &g, &e), MN_EARG, &e, "column 's' row 2: level 'zzz'");
    fr_prep_free(p);
    /* infrequent with min_frequency 2: b and c (once each) join unseen levels in
    ** s=<infrequent>; drop_first leaves out s=a; missing gets its own column s=NA */
    o.unknown = FR_UNKNOWN_INFREQUENT;
    o.min_frequency = 2;
    o.missing_column = 1;
    o.drop_first = 1;
    p = newprep(FR_PREP_ONEHOT, &o);
    CHECK_OK(fr_prep_fit(p, f, &e), &e);
    CHECK_OK(fr_prep_transform(p, t, &g, &e), &e);
    CHECK(fr_ncols(g) == 4 && fr_find(g, "s=a") < 0);
    CHECK(fr_f64(g, "s=<infrequent>")[0] == 1 && fr_f64(g, "s=<infrequent>")[1] == 1);
    CHECK(fr_f64(g, "s=NA")[2] == 1 && fr_f64(g, "s=<infrequent>")[2] == 0);
    fr_free(g);
    fr_prep_free(p);
    fr_free(t);
    fr_free(f);
}

static void prep_ordinal_unknown(void) {                 /* prep-3.2 */
    mn_Err e = {0};
    fr_Frame *f = train_frame(), *t = newframe(), *g = NULL;
    const double x[] = {0, 0, 0}, y[] = {1, 1, 1};
    const char *s[] = {"c", "zzz", NULL};
    fr_Prep *p = newprep(FR_PREP_ORDINAL, NULL);
    put(t, "x", f64col(x, 3));
    put(t, "y", f64col(y, 3));
    put(t, "s", catcol(s, 3));
    CHECK_OK(fr_prep_fit(p, f, &e), &e);
    CHECK_OK(fr_prep_transform(p, t, &g, &e), &e);         /* a 0, b 1, c 2; unseen -1 */
    CHECK(fr_f64(g, "s")[0] == 2 && fr_f64(g, "s")[1] == -1 && isnan(fr_f64(g, "s")[2]));
    fr_free(g);
    fr_prep_free(p);
    fr_free(t);
    fr_free(f);
}

static void prep_schema_errors(void) {                   /* prep-4.1 */
    mn_Err e = {0};
    fr_Frame *f = train_frame(), *g = NULL, *h = NULL;
    fr_Prep *p = newprep(FR_PREP_STANDARD, NULL);
    const char *drop[] = {"y"};
    const double z[] = {1, 2, 3, 4, 5};
    CHECK_FAIL(fr_prep_transform(p, f, &g, &e), MN_EARG, &e, "not fitted");
    CHECK_OK(fr_prep_fit(p, f, &e), &e);
    CHECK_OK(fr_drop(f, drop, 1, &h, &e), &e);
    CHECK_FAIL(fr_prep_transform(p, h, &g, &e), MN_EARG, &e, "column 'y' (f64 at fit) is missing");
    put(h, "y", catcol((const char *[]){"a", "a", "a", "a", "a"}, 5));
    CHECK_FAIL(fr_prep_transform(p, h, &g, &e), MN_EARG, &e, "column 'y' is cat but was f64");
    fr_free(h);
    CHECK_OK(fr_drop(f, NULL, 0, &h, &e), &e);
    put(h, "z", f64col(z, 5));
    CHECK_FAIL(fr_prep_transform(p, h, &g, &e), MN_EARG, &e, "column 'z' was not in the frame");
    fr_free(h);
    fr_prep_free(p);
    fr_free(f);
}

static int frames_equal(const fr_Frame *a, const fr_Frame *b) {
    if (fr_ncols(a) != fr_ncols(b) || fr_nrows(a) != fr_nrows(b))
        return 0;
    for (int j = 0; j < fr_ncols(a); j++) {
        const double *x = fr_col_f64(fr_col(a, j)), *y = fr_col_f64(fr_col(b, j));
        if (strcmp(fr_name(a, j), fr_name(b, j)) != 0 || x == NULL || y == NULL)
            return 0;
        if (memcmp(x, y, (size_t)fr_nrows(a) * sizeof *x) != 0)   /* bit for bit */
            return 0;
    }
    return 1;
}

static void prep_pipeline_round_trip(void) {             /* prep-5.1 */
    mn_Err e = {0};
    fr_Frame *f = train_frame(), *g = NULL, *g2 = NULL;
    fr_Prep *steps[3], *p = NULL, *q = NULL;
    char *s = NULL, *s2 = NULL;
    size_t len, len2;
    steps[0] = newprep(FR_PREP_IMPUTE, NULL);
    steps[1] = newprep(FR_PREP_STANDARD, NULL);
    steps[2] = newprep(FR_PREP_ONEHOT, NULL);
    CHECK_OK(fr_prep_pipeline(steps, 3, &p, &e), &e);
    for (int i = 0; i < 3; i++)
        fr_prep_free(steps[i]);                               /* the pipeline holds them */
    CHECK_OK(fr_prep_fit_transform(p, f, &g, &e), &e);
    /* all f64, no NaN: x y s=a s=b s=c; x imputed 1 2 3 4 2.5 then standardized: mean 2.5,
    ** population sd sqrt((2.25 + 0.25 + 0.25 + 2.25 + 0) / 5) = 1 */
    CHECK(fr_ncols(g) == 5);
    for (int j = 0; j < fr_ncols(g); j++) {
        CHECK(fr_col_type(fr_col(g, j)) == FR_F64);
        for (int64_t i = 0; i < fr_nrows(g); i++)
            CHECK(!isnan(fr_col_f64(fr_col(g, j))[i]));
    }
    CHECK_NEAR(fr_f64(g, "x")[0], -1.5, 1e-15);
    CHECK(fr_f64(g, "s=a")[3] == 1);                          /* NA -> a by impute */
    CHECK_OK(fr_prep_serialize(p, &s, &len, &e), &e);
    CHECK(strncmp(s, "moneta.prep 1\n", 14) == 0 && strlen(s) == len);
    CHECK_OK(fr_prep_deserialize(s, len, &q, &e), &e);
    CHECK(fr_prep_kind(q) == FR_PREP_PIPELINE && fr_prep_nsteps(q) == 3 && fr_prep_fitted(q));
    CHECK_OK(fr_prep_transform(q, f, &g2, &e), &e);
    CHECK(frames_equal(g, g2));
    CHECK_OK(fr_prep_serialize(q, &s2, &len2, &e), &e);
    CHECK(len == len2 && memcmp(s, s2, len) == 0);           /* the text is a fixed point */
    /* damaged text is refused with a position, not a crash */
    for (size_t cut = 0; cut + 1 < len; cut += 7) {     /* ("end" without its newline is whole) */
        fr_Prep *bad = NULL;
        int rc = fr_prep_deserialize(s, cut, &bad, &e);
        CHECK(rc != MN_OK && bad == NULL);
    }
    {
        fr_Prep *bad = NULL;
        CHECK_FAIL(fr_prep_deserialize("moneta.prep 9\n", 14, &bad, &e), MN_EARG, &e,
                   "version 9");
    }
    mn_free(s);
    mn_free(s2);
    fr_free(g);
    fr_free(g2);
    fr_prep_free(p);
    fr_prep_free(q);
    fr_free(f);
}

static fr_Prep *three_steps(void) {
    fr_Prep *steps[3], *p = NULL;
    mn_Err e = {0};
    steps[0] = newprep(FR_PREP_IMPUTE, NULL);
    steps[1] = newprep(FR_PREP_STANDARD, NULL);
    steps[2] = newprep(FR_PREP_ONEHOT, NULL);
    if (fr_prep_pipeline(steps, 3, &p, &e) != MN_OK)
        abort();
    for (int i = 0; i < 3; i++)
        fr_prep_free(steps[i]);
    return p;
}

static void prep_fit_equals_fit_transform(void) {        /* prep-5.2 */
    /* fit (no output frame: a leaf only learns, a pipeline transforms between steps but not
    ** after the last) learns exactly what fit_transform learns, for leaves and pipelines */
    static const fr_PrepKind kinds[] = {FR_PREP_STANDARD, FR_PREP_MINMAX, FR_PREP_ROBUST,
                                        FR_PREP_IMPUTE, FR_PREP_ONEHOT, FR_PREP_ORDINAL};
    mn_Err e = {0};
    fr_Frame *f = train_frame();
    for (int k = 0; k <= 6; k++) {
        fr_Prep *a = k < 6 ? newprep(kinds[k], NULL) : three_steps();
        fr_Prep *b = k < 6 ? newprep(kinds[k], NULL) : three_steps();
        fr_Frame *g = NULL;
        char *sa = NULL, *sb = NULL;
        size_t la = 0, lb = 0;
        CHECK_OK(fr_prep_fit(a, f, &e), &e);
        CHECK_OK(fr_prep_fit_transform(b, f, &g, &e), &e);
        CHECK(fr_prep_fitted(a) && fr_prep_fitted(b));
        CHECK_OK(fr_prep_serialize(a, &sa, &la, &e), &e);
        CHECK_OK(fr_prep_serialize(b, &sb, &lb, &e), &e);
        CHECK(sa != NULL && sb != NULL && la == lb && memcmp(sa, sb, la) == 0);
        mn_free(sa);
        mn_free(sb);
        fr_free(g);
        fr_prep_free(a);
        fr_prep_free(b);
    }
    {   /* impute strategies without sorting (mean, constant) and with (median, most frequent):
        ** x = 1 2 3 4 NaN -> mean 2.5, median 2.5, most frequent (all once) the smallest, 1 */
        static const fr_Impute st[] = {FR_IMPUTE_MEAN, FR_IMPUTE_MEDIAN,
                                       FR_IMPUTE_MOST_FREQUENT, FR_IMPUTE_CONSTANT};
        static const double want[] = {2.5, 2.5, 1, 7};
        for (int i = 0; i < 4; i++) {
            fr_PrepOpts o;
            fr_Prep *p;
            double a;
            fr_prep_opts_init(&o);
            o.strategy = st[i];
            o.value = 7;
            p = newprep(FR_PREP_IMPUTE, &o);
            CHECK_OK(fr_prep_fit(p, f, &e), &e);
            fr_prep_col(p, 0, NULL, &a, NULL, NULL);
            CHECK_NEAR(a, want[i], 0);
            fr_prep_free(p);
        }
    }
    fr_free(f);
}

int main(void) {
    RUN(prep_standard_population_sd);
    RUN(prep_minmax_robust);
    RUN(prep_impute_numeric_and_cat);
    RUN(prep_onehot_unknown_policies);
    RUN(prep_ordinal_unknown);
    RUN(prep_schema_errors);
    RUN(prep_pipeline_round_trip);
    RUN(prep_fit_equals_fit_transform);
    return CHECK_DONE();
}
