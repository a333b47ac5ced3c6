/* test_data_woe.c -- data/woe and the woe prep kind: quantile bins worked out by hand, the
** monotone pooling, the missing bin, min_share merging, categorical levels and "other", WoE,
** IV and PSI recomputed here from their formulas, the serialization round trip and damaged
** blobs. Expected values come from the definitions in data/woe.h, computed in the comments. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "frames.h"
#include "core/mem.h"
#include "data/frame.h"
#include "data/transform.h"
#include "data/woe.h"

static fr_WoeOpts opts(fr_WoeMethod m, int bins, double min_share) {
    fr_WoeOpts o;
    fr_woe_opts_init(&o);
    o.method = m;
    o.bins = o.fine = bins;
    o.min_share = min_share;
    return o;
}

/* x sorted, y per row: bins by hand (K = 4, m = 10): edge k is the ceil(10 k / 4)-th
** smallest: the 3rd (2), the 5th (3), the 8th (6). So (-inf, 2] = {1, 2, 2, 2} (the three 2s
** together), (2, 3] = {3}, (3, 6] = {4, 5, 6}, (6, inf] = {7, 8}. numpy agrees (python3-numpy:
** np.quantile(v, [.25, .5, .75], method='inverted_cdf') -> 2, 3, 6; for 1..10 with 5 bins,
** used in woe-1.4: 2, 4, 6, 8; with 4 bins, woe-2.2: 3, 5, 8). */
static const double X1[] = {1, 2, 2, 2, 3, 4, 5, 6, 7, 8};
static const double Y1[] = {0, 0, 0, 1, 0, 1, 0, 1, 1, 1};

static void woe_quantile_by_hand(void) {                 /* woe-1.1 */
    mn_Err e = {0};
    fr_Woe *w = NULL;
    fr_WoeOpts o = opts(FR_WOE_QUANTILE, 4, 0.0);
    CHECK_OK(fr_woe_fit_num(X1, Y1, 10, &o, &w, &e), &e);
    if (w == NULL)
        return;
    CHECK(w->nbins == 4 && !w->categorical && w->direction == 0);
    CHECK(w->bin[0].hi == 2 && w->bin[1].hi == 3 && w->bin[2].hi == 6 && isinf(w->bin[3].hi));
    CHECK(isinf(w->bin[0].lo) && w->bin[0].lo < 0 && w->bin[1].lo == 2 && w->bin[3].lo == 6);
    CHECK(w->bin[0].n == 4 && w->bin[0].bad == 1);
    CHECK(w->bin[1].n == 1 && w->bin[1].bad == 0);
    CHECK(w->bin[2].n == 3 && w->bin[2].bad == 2);
    CHECK(w->bin[3].n == 2 && w->bin[3].bad == 2);
    CHECK(w->bin[4].n == 0 && w->bin[4].woe == 0);       /* no missing at fit: no evidence */
    CHECK(w->good == 5 && w->bad == 5);
    /* 0.5 added to each count of the 4 used bins: shares (g + 0.5) / 7 and (b + 0.5) / 7 */
    {
        const double g[] = {3, 1, 1, 0}, b[] = {1, 0, 2, 2};
        double iv = 0;
        for (int k = 0; k < 4; k++) {
            double pg = (g[k] + 0.5) / 7, pb = (b[k] + 0.5) / 7, woe = log(pg / pb);
            CHECK_NEAR(w->bin[k].woe, woe, 1e-15);
            CHECK_NEAR(w->bin[k].iv, (pg - pb) * woe, 1e-15);
            iv += (pg - pb) * woe;
        }
        CHECK_NEAR(w->bin[0].woe, log(7.0 / 3.0), 1e-15);  /* ln(3.5 / 1.5) */
        CHECK_NEAR(w->iv, iv, 1e-15);
        CHECK_NEAR(w->iv, 2.0 / 7 * log(7.0 / 3) + log(3.0) / 7 - log(0.6) / 7 -
                   2.0 / 7 * log(0.2), 1e-14);
    }
    /* lookup: bins are lo < x <= hi */
    CHECK(fr_woe_bin_num(w, 2.0) == 0 && fr_woe_bin_num(w, 2.5) == 1);
    CHECK(fr_woe_bin_num(w, -100) == 0 && fr_woe_bin_num(w, 6.0) == 2);
    CHECK(fr_woe_bin_num(w, 1e9) == 3 && fr_woe_bin_num(w, NAN) == 4);
    fr_woe_free(w);
}

static void woe_min_share_merges(void) {                 /* woe-1.2 */
    mn_Err e = {0};
    fr_Woe *w = NULL;
    /* min_share 0.15 of 10 rows = 1.5: (2, 3] (1 row) is small; its neighbours hold 4 and 3
    ** rows, so it joins the smaller, (3, 6]: (-inf, 2] 4 rows, (2, 6] 4 rows, (6, inf] 2 */
    fr_WoeOpts o = opts(FR_WOE_QUANTILE, 4, 0.15);
    CHECK_OK(fr_woe_fit_num(X1, Y1, 10, &o, &w, &e), &e);
    if (w == NULL)
        return;
    CHECK(w->nbins == 3);
    CHECK(w->bin[0].hi == 2 && w->bin[0].n == 4);
    CHECK(w->bin[1].lo == 2 && w->bin[1].hi == 6 && w->bin[1].n == 4 && w->bin[1].bad == 2);
    CHECK(w->bin[2].n == 2 && isinf(w->bin[2].hi));
    fr_woe_free(w);
    /* min_share 0.25 = 2.5 rows: then (6, inf] (2 rows) also joins its only neighbour */
    o.min_share = 0.25;
    CHECK_OK(fr_woe_fit_num(X1, Y1, 10, &o, &w, &e), &e);
    if (w == NULL)
        return;
    CHECK(w->nbins == 2 && w->bin[0].n == 4 && w->bin[1].n == 6 && w->bin[1].lo == 2);
    fr_woe_free(w);
}

static void woe_missing_bin(void) {                      /* woe-1.3 */
    mn_Err e = {0};
    fr_Woe *w = NULL;
    const double x[] = {NAN, NAN, NAN, 1, 2, 3, 4};
    const double y[] = {1, 1, 0, 0, 1, 0, 0};
    fr_WoeOpts o = opts(FR_WOE_QUANTILE, 2, 0.0);
    CHECK_OK(fr_woe_fit_num(x, y, 7, &o, &w, &e), &e);
    if (w == NULL)
        return;
    /* K = 2, m = 4: edge = the 2nd smallest (2): {1, 2} 1 bad, {3, 4} 0 bads; missing: 3 rows,
    ** 2 bads. Goods 4, bads 3, 3 used bins: G' = 5.5, B' = 4.5. */
    CHECK(w->nbins == 2 && w->bin[2].n == 3 && w->bin[2].bad == 2);
    CHECK_NEAR(w->bin[2].woe, log((1.5 / 5.5) / (2.5 / 4.5)), 1e-15);
    CHECK_NEAR(w->bin[1].woe, log((2.5 / 5.5) / (0.5 / 4.5)), 1e-15);
    CHECK_NEAR(fr_woe_value(w, fr_woe_bin_num(w, NAN)), w->bin[2].woe, 0);
    CHECK(isnan(w->bin[2].lo) && isnan(w->bin[2].hi));
    fr_woe_free(w);
}

static void woe_monotone_pooling(void) {                 /* woe-1.4 */
    mn_Err e = {0};
    fr_Woe *w = NULL;
    const double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    double y[] = {0, 0, 1, 0, 0, 0, 1, 1, 1, 0}, yflip[10];
    fr_WoeOpts o = opts(FR_WOE_MONOTONIC, 5, 0.0);
    /* fine bins of 2 rows: bad rates 0, 1/2, 0, 1, 1/2. Pearson r > 0 (sum (x - 5.5)(y - 0.4)
    ** = 3 + 2 = 5), so rising: pool {3,4} with {5,6} (1/4), then {7,8} with {9,10} (3/4):
    ** (-inf, 2] 0/2, (2, 6] 1/4, (6, inf] 3/4. */
    CHECK_OK(fr_woe_fit_num(x, y, 10, &o, &w, &e), &e);
    if (w == NULL)
        return;
    CHECK(w->direction == 1 && w->nbins == 3);
    CHECK(w->bin[0].hi == 2 && w->bin[0].bad == 0 && w->bin[0].n == 2);
    CHECK(w->bin[1].hi == 6 && w->bin[1].bad == 1 && w->bin[1].n == 4);
    CHECK(w->bin[2].bad == 3 && w->bin[2].n == 4);
    CHECK(w->bin[0].woe > w->bin[1].woe && w->bin[1].woe > w->bin[2].woe);
    fr_woe_free(w);
    /* the same with goods and bads swapped: rates 1, 1/2, 1, 0, 1/2, r < 0, falling: the
    ** same edges, bad rates 1, 3/4, 1/4 */
    for (int i = 0; i < 10; i++)
        yflip[i] = 1 - y[i];
    CHECK_OK(fr_woe_fit_num(x, yflip, 10, &o, &w, &e), &e);
    if (w == NULL)
        return;
    CHECK(w->direction == -1 && w->nbins == 3);
    CHECK(w->bin[0].hi == 2 && w->bin[1].hi == 6 && w->bin[1].bad == 3 && w->bin[2].bad == 1);
    fr_woe_free(w);
    /* quantile on the same data keeps the non-monotone fine bins */
    o.method = FR_WOE_QUANTILE;
    CHECK_OK(fr_woe_fit_num(x, y, 10, &o, &w, &e), &e);
    CHECK(w != NULL && w->nbins == 5);
    fr_woe_free(w);
}

static void woe_categorical(void) {                      /* woe-1.5 */
    mn_Err e = {0};
    fr_Woe *w = NULL;
    const char *x[] = {"b", "a", "b", "a", "c", NULL, "a", "b", "d", "a"};
    const double y[] = {1, 0, 0, 0, 1, 1, 1, 0, 0, 0};
    fr_WoeOpts o = opts(FR_WOE_QUANTILE, 10, 0.15);
    /* 9 non-missing rows, min 1.35: a (4 rows, 1 bad), b (3, 1), c and d (1 each) -> other
    ** (2 rows, 1 bad); missing 1 row, 1 bad */
    CHECK_OK(fr_woe_fit_cat(x, y, 10, &o, &w, &e), &e);
    if (w == NULL)
        return;
    CHECK(w->categorical && w->nbins == 3 && w->other == 2 && w->nlev == 4);
    CHECK(strcmp(w->lev[0], "a") == 0 && strcmp(w->lev[3], "d") == 0);
    CHECK(w->bin[0].n == 4 && w->bin[0].bad == 1 && w->bin[1].n == 3 && w->bin[1].bad == 1);
    CHECK(w->bin[2].n == 2 && w->bin[2].bad == 1 && w->bin[3].n == 1 && w->bin[3].bad == 1);
    CHECK(fr_woe_bin_cat(w, "c") == 2 && fr_woe_bin_cat(w, "zzz") == 2);  /* unseen: other */
    CHECK(fr_woe_bin_cat(w, NULL) == 3 && fr_woe_bin_cat(w, "b") == 1);
    /* goods 6, bads 4, 4 used bins: G' = 8, B' = 6; a: ln((3.5/8) / (1.5/6)) */
    CHECK_NEAR(w->bin[0].woe, log((3.5 / 8) / (1.5 / 6)), 1e-15);
    fr_woe_free(w);
    o.min_share = 0.0;                                  /* no "other": unseen -> -1 -> 0 */
    CHECK_OK(fr_woe_fit_cat(x, y, 10, &o, &w, &e), &e);
    CHECK(w != NULL && w->other == -1 && w->nbins == 4);
    CHECK(w != NULL && fr_woe_bin_cat(w, "zzz") == -1 && fr_woe_value(w, -1) == 0);
    fr_woe_free(w);
}

static void woe_bad_input(void) {                        /* woe-1.6 */
    mn_Err e = {0};
    fr_Woe *w = NULL;
    const double x[] = {1, 2, 3}, y2[] = {0, 2, 1}, y0[] = {0, 0, 0};
    fr_WoeOpts o = opts(FR_WOE_QUANTILE, 2, 0.0);
    CHECK_FAIL(fr_woe_fit_num(x, y2, 3, &o, &w, &e), MN_EARG, &e, "target row 2 is 2");
    CHECK_FAIL(fr_woe_fit_num(x, y0, 3, &o, &w, &e), MN_EARG, &e, "both classes");
    o.bins = 0;
    CHECK_FAIL(fr_woe_fit_num(x, y0, 3, &o, &w, &e), MN_EARG, &e, "bins");
    o = opts(FR_WOE_QUANTILE, 2, 1.5);
    CHECK_FAIL(fr_woe_fit_num(x, y0, 3, &o, &w, &e), MN_EARG, &e, "min_share");
    CHECK(w == NULL);
}

static void woe_readings(void) {                         /* woe-2.1 */
    /* the usual cut points (Siddiqi, Credit Risk Scorecards, 2006) */
    CHECK(strcmp(fr_iv_reading(0.019), "useless") == 0);
    CHECK(strcmp(fr_iv_reading(0.05), "weak") == 0);
    CHECK(strcmp(fr_iv_reading(0.2), "medium") == 0);
    CHECK(strcmp(fr_iv_reading(0.4), "strong") == 0);
    CHECK(strcmp(fr_iv_reading(0.6), "suspicious") == 0);
    CHECK(strcmp(fr_psi_reading(0.05), "stable") == 0);
    CHECK(strcmp(fr_psi_reading(0.2), "some shift") == 0);
    CHECK(strcmp(fr_psi_reading(0.3), "major shift") == 0);
}

static void woe_psi_by_hand(void) {                      /* woe-2.2 */
    mn_Err e = {0};
    fr_Psi r;
    const double ex[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const double ac[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    const double far[] = {100, 200, NAN};
    /* 4 bins on expected: edges the 3rd, 5th, 8th smallest: 3, 5, 8. Expected counts 3 2 3 2,
    ** actual 2 2 3 3; + 0.5 each over 12: PSI = 2 * (1/12) ln(3.5/2.5) = ln(1.4) / 6 */
    CHECK_OK(fr_psi(ex, 10, ac, 10, 4, &r, &e), &e);
    CHECK(r.nbins == 4 && r.hi[0] == 3 && r.hi[1] == 5 && r.hi[2] == 8 && isinf(r.hi[3]));
    CHECK_NEAR(r.expected[0], 3.5 / 12, 1e-15);
    CHECK_NEAR(r.actual[3], 3.5 / 12, 1e-15);
    CHECK_NEAR(r.psi, log(1.4) / 6, 1e-15);
    fr_psi_clear(&r);
    /* identical samples: 0 */
    CHECK_OK(fr_psi(ex, 10, ex, 10, 10, &r, &e), &e);
    CHECK_NEAR(r.psi, 0, 0);
    fr_psi_clear(&r);
    /* everything beyond the expected range plus a NaN: bins 4 + missing; actual counts
    ** 0 0 0 2 and 1 missing; expected 3 2 3 2 0. Totals 12.5 and 5.5 */
    CHECK_OK(fr_psi(ex, 10, far, 3, 4, &r, &e), &e);
    CHECK(r.nbins == 5 && isnan(r.hi[4]));
    {
        const double ce[] = {3, 2, 3, 2, 0}, ca[] = {0, 0, 0, 2, 1};
        double psi = 0;
        for (int k = 0; k < 5; k++) {
            double pe = (ce[k] + 0.5) / 12.5, pa = (ca[k] + 0.5) / 5.5;
            psi += (pa - pe) * log(pa / pe);
        }
        CHECK_NEAR(r.psi, psi, 1e-14);
        CHECK(r.psi > 0.25);
    }
    fr_psi_clear(&r);
    CHECK_FAIL(fr_psi(ex, 10, far, 3, 1, &r, &e), MN_EARG, &e, "bins");
    CHECK_FAIL(fr_psi(far + 2, 1, ex, 10, 4, &r, &e), MN_EARG, &e, "expected sample");
}

/* ---- the prep kind ---- */

static int frames_equal(const fr_Frame *a, const fr_Frame *b) {   /* f64 only, bit for bit */
    if (fr_ncols(a) != fr_ncols(b) || fr_nrows(a) != fr_nrows(b))
        return 0;
    for (int j = 0; j < fr_ncols(a); j++) {
        const double *x = fr_col_f64(fr_col(a, j)), *y = fr_col_f64(fr_col(b, j));
        if (strcmp(fr_name(a, j), fr_name(b, j)) != 0 || x == NULL || y == NULL ||
            memcmp(x, y, (size_t)fr_nrows(a) * sizeof *x) != 0)
            return 0;
    }
    return 1;
}

static fr_Frame *credit_frame(void) {
    fr_Frame *f = newframe();
    const char *c[] = {"b", "a", "b", "a", "c", NULL, "a", "b", "d", "a"};
    const double y[] = {1, 0, 0, 0, 1, 1, 1, 0, 0, 0};
    const double x[] = {1, 2, 3, 4, NAN, 6, 7, 8, 9, 10};
    put(f, "x", f64col(x, 10));
    put(f, "c", catcol(c, 10));
    put(f, "default", f64col(y, 10));
    return f;
}

static fr_Prep *woe_prep(const char *target) {
    fr_PrepOpts o;
    fr_Prep *p = NULL;
    mn_Err e = {0};
    fr_prep_opts_init(&o);
    o.woe.bins = 3;
    o.woe.min_share = 0.15;
    o.target = target;
    if (fr_prep_new(FR_PREP_WOE, &o, &p, &e) != MN_OK)
        abort();
    return p;
}

static void woe_prep_transform(void) {                   /* woe-3.1 */
    mn_Err e = {0};
    fr_Frame *f = credit_frame(), *g = NULL, *h = NULL, *test = newframe();
    fr_Prep *p = woe_prep("default"), *q = woe_prep(NULL);
    const double tx[] = {NAN, 0.5, 100};
    const char *tc[] = {"zzz", NULL, "b"};
    const fr_Woe *wx, *wc;
    CHECK_OK(fr_prep_fit_transform(p, f, &g, &e), &e);
    if (g == NULL)
        return;
    CHECK(fr_ncols(g) == 2 && fr_find(g, "default") < 0);      /* the target is left out */
    wx = fr_prep_woe(p, 0);
    wc = fr_prep_woe(p, 1);
    CHECK(wx != NULL && wc != NULL && !wx->categorical && wc->categorical);
    for (int64_t i = 0; i < 10; i++) {
        CHECK(fr_f64(g, "x")[i] == fr_woe_value(wx, fr_woe_bin_num(wx, fr_f64(f, "x")[i])));
    }
    CHECK(fr_f64(g, "c")[1] == wc->bin[0].woe);                 /* "a" */
    CHECK(fr_f64(g, "c")[5] == wc->bin[wc->nbins].woe);         /* missing */
    /* test rows, with or without the target column */
    put(test, "x", f64col(tx, 3));
    put(test, "c", catcol(tc, 3));
    CHECK_OK(fr_prep_transform(p, test, &h, &e), &e);
    if (h != NULL) {
        CHECK(fr_f64(h, "x")[0] == wx->bin[wx->nbins].woe);     /* NaN: the missing bin */
        CHECK(fr_f64(h, "x")[1] == wx->bin[0].woe);
        CHECK(fr_f64(h, "x")[2] == wx->bin[wx->nbins - 1].woe);
        CHECK(fr_f64(h, "c")[0] == wc->bin[wc->other].woe);     /* unseen: other */
        CHECK(fr_f64(h, "c")[2] == wc->bin[1].woe);
    }
    /* a y given to fit instead of the target option: the same bins for x */
    {
        fr_Frame *noy = NULL;
        const char *keep[] = {"x", "c"};
        CHECK_OK(fr_select(f, keep, 2, &noy, &e), &e);
        CHECK_FAIL(fr_prep_fit(q, noy, &e), MN_EARG, &e, "needs a 0/1 target");
        CHECK_FAIL(fr_prep_fit_y(q, noy, fr_f64(f, "default"), 9, &e), MN_ESHAPE, &e,
                   "9 values");
        CHECK_OK(fr_prep_fit_y(q, noy, fr_f64(f, "default"), 10, &e), &e);
        CHECK(fr_prep_woe(q, 0)->iv == wx->iv && fr_prep_woe(q, 1)->iv == wc->iv);
        fr_free(noy);
    }
    fr_free(f);
    fr_free(g);
    fr_free(h);
    fr_free(test);
    fr_prep_free(p);
    fr_prep_free(q);
}

static void woe_prep_round_trip(void) {                  /* woe-3.2 */
    mn_Err e = {0};
    fr_Frame *f = credit_frame(), *g = NULL, *g2 = NULL;
    fr_Prep *steps[2], *p = NULL, *q = NULL;
    char *s = NULL, *s2 = NULL;
    size_t len = 0, len2 = 0;
    steps[0] = woe_prep("default");
    steps[1] = NULL;
    if (fr_prep_new(FR_PREP_STANDARD, NULL, &steps[1], &e) != MN_OK)
        abort();
    CHECK_OK(fr_prep_pipeline(steps, 2, &p, &e), &e);
    fr_prep_free(steps[0]);
    fr_prep_free(steps[1]);
    CHECK_OK(fr_prep_fit_transform(p, f, &g, &e), &e);
    CHECK_OK(fr_prep_serialize(p, &s, &len, &e), &e);
    CHECK_OK(fr_prep_deserialize(s, len, &q, &e), &e);
    if (q == NULL)
        return;
    CHECK(fr_prep_kind(fr_prep_step(q, 0)) == FR_PREP_WOE);
    CHECK(strcmp(fr_prep_target(fr_prep_step(q, 0)), "default") == 0);
    CHECK_OK(fr_prep_transform(q, f, &g2, &e), &e);
    CHECK(g2 != NULL && frames_equal(g, g2));
    CHECK_OK(fr_prep_serialize(q, &s2, &len2, &e), &e);
    CHECK(len == len2 && memcmp(s, s2, len) == 0);             /* a fixed point */
    for (size_t cut = 0; cut + 1 < len; cut += 5) {  /* truncated: refused, past the header
                                                      ** with the byte offset */
        fr_Prep *bad = NULL;
        CHECK(fr_prep_deserialize(s, cut, &bad, &e) != MN_OK && bad == NULL);
        CHECK(e.code == MN_EPARSE && (cut < 12 || strstr(e.msg, "byte ") != NULL));
    }
    {   /* a bin's bad count raised above its rows: refused with the position and the reason.
        ** " woe 0 nbins dir other smooth hi n bad ...": the 9th token after the space */
        char *t = mn_strdup(s), *at = strstr(t, " woe 0 "), *u;
        fr_Prep *bad = NULL;
        CHECK(at != NULL);
        for (int k = 0; at != NULL && k < 8; k++)
            at = strchr(at + 1, ' ');
        u = at != NULL ? strchr(at + 1, ' ') : NULL;           /* the bad count: at+1..u */
        if (u != NULL) {
            size_t w = (size_t)(u - at - 1);
            memset(at + 1, '9', w);                            /* 9..9 > n */
            CHECK_FAIL(fr_prep_deserialize(t, strlen(t), &bad, &e), MN_EPARSE, &e,
                       "consistent woe bins");
            CHECK(bad == NULL);
        }
        mn_free(t);
    }
    {   /* an unknown woe method */
        char *t = mn_strdup(s), *at = strstr(t, "woeopts 0");
        fr_Prep *bad = NULL;
        at[8] = '7';
        CHECK_FAIL(fr_prep_deserialize(t, strlen(t), &bad, &e), MN_EPARSE, &e, "woe method");
        mn_free(t);
    }
    {   /* a blob of the older version-1 format (no woe) still reads */
        static const char old[] = "moneta.prep 1\nstandard 1 0 0x0p+0 7:missing 0 0 0 -0x1p+0 "
            "0x0p+0 0x0p+0 0x1p+0 0x1p-2 0x1.8p-1 0\nin 1 1:x 0\ncols 1\ncol 1:x 0 0x1p+1 "
            "0x1.a20bd700c2c3ep-1 0 0\nsteps 0\nend\n";
        fr_Prep *o = NULL;
        double a, b;
        CHECK_OK(fr_prep_deserialize(old, strlen(old), &o, &e), &e);
        CHECK(o != NULL && fr_prep_col(o, 0, NULL, &a, &b, NULL) != NULL && a == 2);
        CHECK_NEAR(b, sqrt(2.0 / 3.0), 1e-15);                  /* the sd of 1 2 3 */
        fr_prep_free(o);
    }
    mn_free(s);
    mn_free(s2);
    fr_free(f);
    fr_free(g);
    fr_free(g2);
    fr_prep_free(p);
    fr_prep_free(q);
}

static void woe_prep_errors(void) {                      /* woe-3.3 */
    mn_Err e = {0};
    fr_Frame *f = credit_frame();
    fr_Prep *p = NULL;
    fr_PrepOpts o;
    const char *cols[] = {"default"};
    fr_prep_opts_init(&o);
    o.target = "nope";
    CHECK_OK(fr_prep_new(FR_PREP_WOE, &o, &p, &e), &e);
    CHECK_FAIL(fr_prep_fit(p, f, &e), MN_EARG, &e, "nope");
    fr_prep_free(p);
    o.target = "c";
    CHECK_OK(fr_prep_new(FR_PREP_WOE, &o, &p, &e), &e);
    CHECK_FAIL(fr_prep_fit(p, f, &e), MN_EARG, &e, "target column 'c' is cat");
    fr_prep_free(p);
    o.target = "default";
    o.columns = cols;
    o.ncolumns = 1;
    CHECK_OK(fr_prep_new(FR_PREP_WOE, &o, &p, &e), &e);
    CHECK_FAIL(fr_prep_fit(p, f, &e), MN_EARG, &e, "is the target");
    fr_prep_free(p);
    fr_prep_opts_init(&o);
    o.woe.smooth = -1;
    p = NULL;
    CHECK_FAIL(fr_prep_new(FR_PREP_WOE, &o, &p, &e), MN_EARG, &e, "smooth");
    CHECK(p == NULL);
    fr_free(f);
}

int main(void) {
    RUN(woe_quantile_by_hand);
    RUN(woe_min_share_merges);
    RUN(woe_missing_bin);
    RUN(woe_monotone_pooling);
    RUN(woe_categorical);
    RUN(woe_bad_input);
    RUN(woe_readings);
    RUN(woe_psi_by_hand);
    RUN(woe_prep_transform);
    RUN(woe_prep_round_trip);
    RUN(woe_prep_errors);
    return CHECK_DONE();
}
