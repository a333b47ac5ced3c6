/* test_eval_metrics.c -- eval/metrics: hand-worked small cases (the arithmetic is in the
** comments), properties of the ranking metrics (invariance, reversal, ties, a brute-force
** pair count), reference values from scikit-learn, and every error path. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "core/mem.h"
#include "core/rng.h"
#include "eval/metrics.h"

#define N_OF(a) ((int64_t)(sizeof(a) / sizeof((a)[0])))

/* ---- classification from labels or scores ---- */

/* y = 0 1 1 0 1, scores .2 .7 .4 .6 .9, threshold .5 -> predictions 0 1 0 1 1:
** tp = 2 (elements 2, 5), fp = 1 (4), tn = 1 (1), fn = 1 (3).
** accuracy 3/5; precision 2/3; recall 2/3; f1 = 2*2 / (2*2 + 1 + 1) = 2/3. */
static void metrics_confusion_by_hand(void) {           /* metrics-1.1 */
    static const double y[] = {0, 1, 1, 0, 1}, s[] = {0.2, 0.7, 0.4, 0.6, 0.9};
    mn_Err e = {0};
    ev_Confusion c = {0, 0, 0, 0};
    double v = -1;
    CHECK_OK(ev_confusion(y, s, 5, EV_THRESHOLD, &c, &e), &e);
    CHECK(c.tp == 2 && c.fp == 1 && c.tn == 1 && c.fn == 1);
    CHECK_OK(ev_accuracy(y, s, 5, EV_THRESHOLD, &v, &e), &e);
    CHECK_NEAR(v, 0.6, 1e-15);
    CHECK_OK(ev_precision(y, s, 5, EV_THRESHOLD, 0, &v, &e), &e);
    CHECK_NEAR(v, 2.0 / 3.0, 1e-15);
    CHECK_OK(ev_recall(y, s, 5, EV_THRESHOLD, 0, &v, &e), &e);
    CHECK_NEAR(v, 2.0 / 3.0, 1e-15);
    CHECK_OK(ev_f1(y, s, 5, EV_THRESHOLD, 0, &v, &e), &e);
    CHECK_NEAR(v, 2.0 / 3.0, 1e-15);
    /* threshold .65: predictions 0 1 0 0 1 -> tp 2, fp 0, tn 2, fn 1; a score equal to the
    ** threshold counts as positive (.7 >= .7 below). */
    CHECK_OK(ev_confusion(y, s, 5, 0.65, &c, &e), &e);
    CHECK(c.tp == 2 && c.fp == 0 && c.tn == 2 && c.fn == 1);
    CHECK_OK(ev_confusion(y, s, 5, 0.7, &c, &e), &e);
    CHECK(c.tp == 2 && c.fp == 0);
}

/* Labels only when the caller says so (EV_LABELS), never guessed from the values: 0/1 given as
** scores are cut at the threshold like any score; with EV_LABELS, a value other than 0 or 1 is
** refused, naming the element. y = 0 1 1 0, p = 0 1 0 1: tp 1 (2), fp 1 (4), tn 1, fn 1. */
static void metrics_labels_are_said(void) {             /* metrics-1.2 */
    static const double y[] = {0, 1, 1, 0}, p[] = {0, 1, 0, 1}, q[] = {0, 1, 0.5, 1};
    mn_Err e = {0};
    ev_Confusion c = {0, 0, 0, 0};
    double v = -1;
    CHECK_OK(ev_confusion(y, p, 4, EV_LABELS, &c, &e), &e);
    CHECK(c.tp == 1 && c.fp == 1 && c.tn == 1 && c.fn == 1);
    CHECK_OK(ev_confusion(y, p, 4, 5.0, &c, &e), &e);          /* scores: nothing >= 5 */
    CHECK(c.tp == 0 && c.fp == 0 && c.tn == 2 && c.fn == 2);
    CHECK_OK(ev_confusion(y, p, 4, -3.0, &c, &e), &e);         /* scores: all >= -3 */
    CHECK(c.tp == 2 && c.fp == 2 && c.tn == 0 && c.fn == 0);
    CHECK_FAIL(ev_confusion(y, q, 4, EV_LABELS, &c, &e), MN_EARG, &e,
               "confusion: y_pred element 3 is 0.5, but labels = true");
    CHECK_FAIL(ev_accuracy(y, q, 4, EV_LABELS, &v, &e), MN_EARG, &e,
               "accuracy: y_pred element 3 is 0.5");
    CHECK_FAIL(ev_confusion(y, p, 4, INFINITY, &c, &e), MN_EARG, &e,
               "threshold must be a finite number");
}

/* Nothing predicted positive: precision is 0/0. zero_division gives 0 or 1, NaN refuses. */
static void metrics_zero_division(void) {               /* metrics-1.3 */
    static const double y[] = {0, 1, 0}, p[] = {0.1, 0.2, 0.3};
    static const double y0[] = {0, 0}, p0[] = {0, 0};
    mn_Err e = {0};
    double v = -1;
    CHECK_OK(ev_precision(y, p, 3, 0.5, 0.0, &v, &e), &e);
    CHECK(v == 0.0);
    CHECK_OK(ev_precision(y, p, 3, 0.5, 1.0, &v, &e), &e);
    CHECK(v == 1.0);
    CHECK_FAIL(ev_precision(y, p, 3, 0.5, NAN, &v, &e), MN_EARG, &e,
               "precision: nothing is predicted positive (tp + fp = 0); precision is undefined");
    CHECK_FAIL(ev_recall(y0, p0, 2, 0.5, NAN, &v, &e), MN_EARG, &e,
               "recall: y_true has no positive");
    CHECK_FAIL(ev_f1(y0, p0, 2, 0.5, NAN, &v, &e), MN_EARG, &e, "f1: neither y_true");
    CHECK_OK(ev_recall(y, p, 3, 0.5, NAN, &v, &e), &e);          /* defined: 0 / 1 */
    CHECK(v == 0.0);
    CHECK_FAIL(ev_f1(y, p, 3, 0.5, 0.5 + 1, &v, &e), MN_EARG, &e, "zero_division must be");
}

/* ---- ranking metrics ---- */

/* y = 0 0 1 1, scores .1 .4 .35 .8. Pairs (positive, negative): .35 > .1 yes, .35 > .4 no,
** .8 > .1 yes, .8 > .4 yes -> AUC 3/4, gini 1/2.
** Sorted down: .8(1) .4(0) .35(1) .1(0). AP = recall steps x precision there:
** .5 * 1/1 (at .8) + .5 * 2/3 (at .35) = 5/6.
** KS: after .8 tpr .5 fpr 0 -> .5; after .4: .5 .5 -> 0; after .35: 1 .5 -> .5; after .1: 0.
** Max .5, first reached at threshold .8. */
static void metrics_ranking_by_hand(void) {             /* metrics-2.1 */
    static const double y[] = {0, 0, 1, 1}, s[] = {0.1, 0.4, 0.35, 0.8};
    mn_Err e = {0};
    double v = -1, at = 0;
    CHECK_OK(ev_auc(y, s, 4, &v, &e), &e);
    CHECK(v == 0.75);
    CHECK_OK(ev_gini(y, s, 4, &v, &e), &e);
    CHECK(v == 0.5);
    CHECK_OK(ev_pr_auc(y, s, 4, &v, &e), &e);
    CHECK_NEAR(v, 5.0 / 6.0, 1e-15);
    CHECK_OK(ev_ks(y, s, 4, &v, &at, &e), &e);
    CHECK(v == 0.5);
    CHECK(at == 0.8);
}

/* Ties. y = 0 1 0 1, scores .5 .5 .2 .9: positive .5 vs negative .5 ties (1/2), vs .2 wins;
** positive .9 wins both -> (1/2 + 1 + 2) / 4 = 7/8.
** AP with a tied group: y = 1 0 1 0, scores .9 .9 .5 .1. Group .9 holds one of each: recall
** 0 -> .5 at precision 1/2; group .5: recall .5 -> 1 at precision 2/3 -> .25 + 1/3 = 7/12
** (scikit-learn 1.2.1 gives 0.5833333333333333; no interpolation inside the tie).
** All scores equal: AUC 1/2, KS 0, AP = P/n. */
static void metrics_ranking_ties(void) {                /* metrics-2.2 */
    static const double y[] = {0, 1, 0, 1}, s[] = {0.5, 0.5, 0.2, 0.9};
    static const double y2[] = {1, 0, 1, 0}, s2[] = {0.9, 0.9, 0.5, 0.1};
    static const double y3[] = {1, 0, 0, 1, 0}, s3[] = {3, 3, 3, 3, 3};
    mn_Err e = {0};
    double v = -1;
    CHECK_OK(ev_auc(y, s, 4, &v, &e), &e);
    CHECK(v == 0.875);
    CHECK_OK(ev_pr_auc(y2, s2, 4, &v, &e), &e);
    CHECK_NEAR(v, 7.0 / 12.0, 1e-15);
    CHECK_NEAR(v, 0.5833333333333333, 1e-16);
    CHECK_OK(ev_auc(y3, s3, 5, &v, &e), &e);
    CHECK(v == 0.5);
    CHECK_OK(ev_ks(y3, s3, 5, &v, NULL, &e), &e);
    CHECK(v == 0.0);
    CHECK_OK(ev_pr_auc(y3, s3, 5, &v, &e), &e);
    CHECK_NEAR(v, 0.4, 1e-15);
}

/* Random labels and scores on a coarse grid (many ties), seeded. */
static void random_case(uint64_t seed, int64_t n, int grid, double *y, double *s) {
    mn_Rng r;
    mn_rng_seed(&r, seed);
    for (int64_t i = 0; i < n; i++) {
        y[i] = mn_rng_uniform(&r) < 0.3 ? 1.0 : 0.0;
        s[i] = (double)mn_rng_below(&r, (uint64_t)grid) / (double)grid;
    }
    y[0] = 0.0, y[1] = 1.0;                  /* both classes, whatever the draw */
}

/* AUC against the definition: count every (positive, negative) pair, O(n^2). */
static void metrics_auc_brute_force(void) {             /* metrics-2.3 */
    enum { N = 700 };
    static double y[N], s[N];
    mn_Err e = {0};
    for (uint64_t seed = 1; seed <= 5; seed++) {
        int64_t wins2 = 0, pos = 0, neg = 0;
        double v = -1;
        random_case(seed, N, seed == 5 ? 3 : 40, y, s);
        for (int i = 0; i < N; i++) {
            pos += y[i] == 1.0, neg += y[i] == 0.0;
            for (int j = 0; j < N; j++)
                if (y[i] == 1.0 && y[j] == 0.0)
                    wins2 += s[i] > s[j] ? 2 : s[i] == s[j] ? 1 : 0;
        }
        CHECK_OK(ev_auc(y, s, N, &v, &e), &e);
        CHECK(v == (double)wins2 / (2.0 * (double)pos * (double)neg));
    }
}

/* AUC, AP and KS depend on the order of the scores only; reversing the order turns AUC into
** 1 - AUC and leaves KS alone (|TPR - FPR| is symmetric in the swap). */
static void metrics_ranking_properties(void) {          /* metrics-2.4 */
    enum { N = 1000 };
    static double y[N], s[N], t[N];
    mn_Err e = {0};
    double auc = 0, ap = 0, ks = 0, v = -1;
    random_case(42, N, 50, y, s);
    CHECK_OK(ev_auc(y, s, N, &auc, &e), &e);
    CHECK_OK(ev_pr_auc(y, s, N, &ap, &e), &e);
    CHECK_OK(ev_ks(y, s, N, &ks, NULL, &e), &e);
    for (int k = 0; k < 3; k++) {            /* strictly increasing maps keep ties as ties */
        for (int i = 0; i < N; i++)
            t[i] = k == 0 ? exp(3.0 * s[i]) : k == 1 ? s[i] * s[i] * s[i] - 7.0
                 : 1.0 / (1.0 + exp(-10.0 * (s[i] - 0.5)));
        CHECK_OK(ev_auc(y, t, N, &v, &e), &e);
        CHECK(v == auc);
        CHECK_OK(ev_pr_auc(y, t, N, &v, &e), &e);
        CHECK(v == ap);
        CHECK_OK(ev_ks(y, t, N, &v, NULL, &e), &e);
        CHECK(v == ks);
    }
    for (int i = 0; i < N; i++)
        t[i] = -s[i];
    CHECK_OK(ev_auc(y, t, N, &v, &e), &e);
    CHECK_NEAR(v, 1.0 - auc, 1e-15);
    CHECK_OK(ev_ks(y, t, N, &v, NULL, &e), &e);
    CHECK(v == ks);
    CHECK_OK(ev_gini(y, s, N, &v, &e), &e);
    CHECK_NEAR(v, 2.0 * auc - 1.0, 1e-15);
}

/* The curves agree with the scalars: trapezoids under the ROC points give AUC, recall steps
** times precision along the PR points give AP, the largest tpr - fpr gap gives KS. */
static void metrics_curves(void) {                      /* metrics-2.5 */
    enum { N = 300 };
    static double y[N], s[N];
    double *a = NULL, *b = NULL, *t = NULL, auc = 0, ap = 0, ks = 0, area = 0, ks2 = 0;
    int64_t m = 0;
    mn_Err e = {0};
    random_case(9, N, 25, y, s);
    CHECK_OK(ev_auc(y, s, N, &auc, &e), &e);
    CHECK_OK(ev_pr_auc(y, s, N, &ap, &e), &e);
    CHECK_OK(ev_ks(y, s, N, &ks, NULL, &e), &e);
    CHECK_OK(ev_roc_curve(y, s, N, &a, &b, &t, &m, &e), &e);
    CHECK(m >= 2 && m <= 26 && isinf(t[0]) && a[0] == 0 && b[0] == 0);
    CHECK(a[m - 1] == 1.0 && b[m - 1] == 1.0);
    for (int64_t k = 1; k < m; k++) {
        CHECK(t[k] < t[k - 1]);
        area += (a[k] - a[k - 1]) * (b[k] + b[k - 1]) / 2.0;
        ks2 = fmax(ks2, fabs(b[k] - a[k]));
    }
    CHECK_NEAR(area, auc, 1e-14);
    CHECK_NEAR(ks2, ks, 1e-15);
    mn_free(a), mn_free(b), mn_free(t);
    CHECK_OK(ev_pr_curve(y, s, N, &a, &b, &t, &m, &e), &e);
    CHECK(a[0] == 1.0 && b[0] == 0.0 && isinf(t[0]) && b[m - 1] == 1.0);
    area = 0;
    for (int64_t k = 1; k < m; k++)
        area += (b[k] - b[k - 1]) * a[k];
    CHECK_NEAR(area, ap, 1e-14);
    mn_free(a), mn_free(b), mn_free(t);
}

/* Reference values from scikit-learn 1.2.1 (numpy 1.24.2), run with /usr/bin/python3:
**   y = [0,1,1,0,1,0,0,1,1,0,1,0,1,1,0,0,0,1,0,1]
**   s = [.12,.80,.35,.35,.90,.10,.45,.62,.35,.20,.70,.62,.55,.95,.30,.05,.45,.40,.62,.88]
**   roc_auc_score 0.84; average_precision_score 0.8527777777777777;
**   roc_curve(drop_intermediate=False): max |tpr - fpr| 0.5 at threshold 0.7;
**   log_loss(eps=1e-15) 0.46910220531568225; brier_score_loss 0.15810000000000002;
**   pred = s >= .5: accuracy .75, precision 0.7777777777777778, recall .7,
**   f1 0.7368421052631577, confusion_matrix [[8 2] [3 7]];
**   pred = s >= .4: accuracy .7, precision 0.6666666666666666, recall .8, f1 0.7272727272727272
**   roc_curve: 16 points, fpr ... 0.2 0.2 0.4 0.4 0.5 ..., tpr ... 0.6 0.7 0.7 0.8 1.0 ... */
static void metrics_sklearn_classification(void) {      /* metrics-2.6 */
    static const double y[] = {0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1};
    static const double s[] = {.12, .80, .35, .35, .90, .10, .45, .62, .35, .20,
                               .70, .62, .55, .95, .30, .05, .45, .40, .62, .88};
    static const double fpr[] = {0, 0, 0, 0, 0, 0, .2, .2, .4, .4, .5, .6, .7, .8, .9, 1};
    static const double tpr[] = {0, .1, .2, .3, .4, .5, .6, .7, .7, .8, 1, 1, 1, 1, 1, 1};
    const int64_t n = N_OF(y);
    mn_Err e = {0};
    ev_Confusion c = {0, 0, 0, 0};
    double v = -1, at = 0, *a = NULL, *b = NULL, *t = NULL;
    int64_t m = 0;
    CHECK_OK(ev_auc(y, s, n, &v, &e), &e);
    CHECK_NEAR(v, 0.84, 1e-15);
    CHECK_OK(ev_gini(y, s, n, &v, &e), &e);
    CHECK_NEAR(v, 0.68, 1e-15);
    CHECK_OK(ev_pr_auc(y, s, n, &v, &e), &e);
    CHECK_NEAR(v, 0.8527777777777777, 1e-15);
    CHECK_OK(ev_ks(y, s, n, &v, &at, &e), &e);
    CHECK_NEAR(v, 0.5, 1e-15);
    CHECK(at == 0.70);
    CHECK_OK(ev_logloss(y, s, n, EV_LOGLOSS_EPS, &v, &e), &e);
    CHECK_NEAR(v, 0.46910220531568225, 1e-15);
    CHECK_OK(ev_brier(y, s, n, &v, &e), &e);
    CHECK_NEAR(v, 0.15810000000000002, 1e-15);
    CHECK_OK(ev_confusion(y, s, n, 0.5, &c, &e), &e);
    CHECK(c.tn == 8 && c.fp == 2 && c.fn == 3 && c.tp == 7);
    CHECK_OK(ev_accuracy(y, s, n, 0.5, &v, &e), &e);
    CHECK_NEAR(v, 0.75, 1e-15);
    CHECK_OK(ev_precision(y, s, n, 0.5, 0, &v, &e), &e);
    CHECK_NEAR(v, 0.7777777777777778, 1e-15);
    CHECK_OK(ev_recall(y, s, n, 0.5, 0, &v, &e), &e);
    CHECK_NEAR(v, 0.7, 1e-15);
    CHECK_OK(ev_f1(y, s, n, 0.5, 0, &v, &e), &e);
    CHECK_NEAR(v, 0.7368421052631577, 1e-15);
    CHECK_OK(ev_accuracy(y, s, n, 0.4, &v, &e), &e);
    CHECK_NEAR(v, 0.7, 1e-15);
    CHECK_OK(ev_precision(y, s, n, 0.4, 0, &v, &e), &e);
    CHECK_NEAR(v, 0.6666666666666666, 1e-15);
    CHECK_OK(ev_recall(y, s, n, 0.4, 0, &v, &e), &e);
    CHECK_NEAR(v, 0.8, 1e-15);
    CHECK_OK(ev_f1(y, s, n, 0.4, 0, &v, &e), &e);
    CHECK_NEAR(v, 0.7272727272727272, 1e-15);
    CHECK_OK(ev_roc_curve(y, s, n, &a, &b, &t, &m, &e), &e);
    CHECK(m == N_OF(fpr));
    for (int64_t k = 0; k < m && k < N_OF(fpr); k++) {
        CHECK_NEAR(a[k], fpr[k], 1e-15);
        CHECK_NEAR(b[k], tpr[k], 1e-15);
    }
    mn_free(a), mn_free(b), mn_free(t);
}

/* ---- probabilistic losses ---- */

/* y = 1 0, p = .8 .3: -(ln .8 + ln .7) / 2 = (0.22314355131420976 + 0.35667494393873245) / 2
** = 0.2899092476264711 (scikit-learn log_loss agrees). Brier (.2^2 + .3^2) / 2 = .065.
** Clipping: y = 1 0, p = 0 0 -> (-ln 1e-15 + 0) / 2 = 34.538776394910684 / 2 = 17.2693881974553
** (scikit-learn log_loss(eps=1e-15): 17.269388197455342). With eps = 0 the loss is +Inf. */
static void metrics_losses_by_hand(void) {              /* metrics-3.1 */
    static const double y[] = {1, 0}, p[] = {0.8, 0.3}, z[] = {0, 0};
    mn_Err e = {0};
    double v = -1;
    CHECK_OK(ev_logloss(y, p, 2, EV_LOGLOSS_EPS, &v, &e), &e);
    CHECK_NEAR(v, 0.2899092476264711, 1e-16);
    CHECK_OK(ev_brier(y, p, 2, &v, &e), &e);
    CHECK_NEAR(v, 0.065, 1e-16);
    CHECK_OK(ev_logloss(y, z, 2, EV_LOGLOSS_EPS, &v, &e), &e);
    CHECK_NEAR(v, 17.269388197455342, 1e-13);
    CHECK_OK(ev_logloss(y, z, 2, 0.0, &v, &e), &e);
    CHECK(isinf(v) && v > 0);
    CHECK_FAIL(ev_logloss(y, p, 2, 0.7, &v, &e), MN_EARG, &e, "logloss: eps must be");
}

/* ---- regression ---- */

/* y = 3 -.5 2 7, p = 2.5 0 2 8; errors .5 -.5 0 -1.
** mse (.25 + .25 + 0 + 1) / 4 = .375; rmse sqrt(.375); mae (.5 + .5 + 0 + 1) / 4 = .5;
** mape (.5/3 + .5/.5 + 0/2 + 1/7) / 4 = 0.3273809523809524;
** mean y = 11.5 / 4 = 2.875; SS_tot = .125^2 + 3.375^2 + .875^2 + 4.125^2 = 29.1875;
** r2 = 1 - 1.5 / 29.1875 = 0.9486081370449679 (scikit-learn r2_score agrees). */
static void metrics_regression_by_hand(void) {          /* metrics-4.1 */
    static const double y[] = {3, -0.5, 2, 7}, p[] = {2.5, 0, 2, 8};
    mn_Err e = {0};
    double v = -1;
    CHECK_OK(ev_mse(y, p, 4, &v, &e), &e);
    CHECK(v == 0.375);
    CHECK_OK(ev_rmse(y, p, 4, &v, &e), &e);
    CHECK(v == sqrt(0.375));
    CHECK_OK(ev_mae(y, p, 4, &v, &e), &e);
    CHECK(v == 0.5);
    CHECK_OK(ev_mape(y, p, 4, &v, &e), &e);
    CHECK_NEAR(v, 0.3273809523809524, 1e-16);
    CHECK_OK(ev_r2(y, p, 4, &v, &e), &e);
    CHECK_NEAR(v, 0.9486081370449679, 1e-15);
    CHECK_OK(ev_r2(y, y, 4, &v, &e), &e);
    CHECK(v == 1.0);
}

/* scikit-learn 1.2.1: yt = [1.5,-.3,2.2,4.0,.7,-1.2,3.3,2.8],
** yp = [1.2,.1,2.5,3.6,.9,-.8,2.9,3.1]:
** mse 0.11875, rmse 0.3446012188022555, mae 0.3375, mape 0.3271374458874459,
** r2 0.9581774158045344. */
static void metrics_sklearn_regression(void) {          /* metrics-4.2 */
    static const double y[] = {1.5, -0.3, 2.2, 4.0, 0.7, -1.2, 3.3, 2.8};
    static const double p[] = {1.2, 0.1, 2.5, 3.6, 0.9, -0.8, 2.9, 3.1};
    mn_Err e = {0};
    double v = -1;
    CHECK_OK(ev_mse(y, p, 8, &v, &e), &e);
    CHECK_NEAR(v, 0.11875, 1e-15);
    CHECK_OK(ev_rmse(y, p, 8, &v, &e), &e);
    CHECK_NEAR(v, 0.3446012188022555, 1e-15);
    CHECK_OK(ev_mae(y, p, 8, &v, &e), &e);
    CHECK_NEAR(v, 0.3375, 1e-15);
    CHECK_OK(ev_mape(y, p, 8, &v, &e), &e);
    CHECK_NEAR(v, 0.3271374458874459, 1e-15);
    CHECK_OK(ev_r2(y, p, 8, &v, &e), &e);
    CHECK_NEAR(v, 0.9581774158045344, 1e-15);
}

/* sign: y = .01 -.02 .03 0 -.01 (+ - + 0 -), p = .02 .01 .01 0 -.03 (+ + + 0 -): hits at
** 1, 3, 4, 5 -> 4/5 (0 matches 0).
** change: y = 100 101 99 102, p = _ 100.5 100 98: moves of y from the last y: +1 -2 +3;
** forecast moves from the last y: 100.5-100 = +, 100-101 = -, 98-99 = - -> hits 2 of 3. */
static void metrics_directional_by_hand(void) {         /* metrics-4.3 */
    static const double y[] = {0.01, -0.02, 0.03, 0, -0.01}, p[] = {0.02, 0.01, 0.01, 0, -0.03};
    static const double ly[] = {100, 101, 99, 102}, lp[] = {0, 100.5, 100, 98};
    mn_Err e = {0};
    double v = -1;
    CHECK_OK(ev_directional(y, p, 5, EV_DIR_SIGN, &v, &e), &e);
    CHECK_NEAR(v, 0.8, 1e-16);
    CHECK_OK(ev_directional(ly, lp, 4, EV_DIR_CHANGE, &v, &e), &e);
    CHECK_NEAR(v, 2.0 / 3.0, 1e-16);
    CHECK_FAIL(ev_directional(ly, lp, 1, EV_DIR_CHANGE, &v, &e), MN_EARG, &e, "at least 2");
    CHECK_FAIL(ev_directional(ly, lp, 4, 7, &v, &e), MN_EARG, &e, "unknown kind");
}

/* ---- finance ---- */

/* r = .01 .02 -.01 .03: mean .0125; deviations -.0025 .0075 -.0225 .0175, squares sum to
** 875e-6, sample variance 875e-6 / 3, sd 0.0170782513...; Sharpe per period
** .0125 / sd = 0.7319250547113998, annualised x sqrt(252).
** Sortino (target 0): min(r, 0) = 0 0 -.01 0, mean square 1e-4 / 4, DD = .005 -> 2.5 per
** period. */
static void metrics_sharpe_sortino_by_hand(void) {      /* metrics-5.1 */
    static const double r[] = {0.01, 0.02, -0.01, 0.03};
    mn_Err e = {0};
    double v = -1;
    CHECK_OK(ev_sharpe(r, 4, 0.0, 1.0, &v, &e), &e);
    CHECK_NEAR(v, 0.7319250547113998, 1e-15);
    CHECK_OK(ev_sharpe(r, 4, 0.0, 252.0, &v, &e), &e);
    CHECK_NEAR(v, 0.7319250547113998 * sqrt(252.0), 1e-14);
    CHECK_OK(ev_sortino(r, 4, 0.0, 1.0, &v, &e), &e);
    CHECK_NEAR(v, 2.5, 1e-15);
}

/* numpy 1.24.2 by the formulas (/usr/bin/python3), r below:
**   r.mean() / r.std(ddof=1) * sqrt(252)                       = 3.5599470595230853
**   x = r - .0001: x.mean() / x.std(ddof=1) * sqrt(12)         = 0.7457703712137145
**   r.mean() / sqrt(mean(minimum(r, 0)^2)) * sqrt(252)         = 6.2906966483536655
**   x = r - .002: x.mean() / sqrt(mean(minimum(x, 0)^2)) * sqrt(252) = 1.0625592962581039
**   equity = cumprod(1 + r) from 1: max drawdown 0.015000000000000013, high after element 8,
**   low after element 9 (1-based). */
static void metrics_numpy_finance(void) {               /* metrics-5.2 */
    static const double r[] = {0.012, -0.004, 0.007, -0.011, 0.020,
                               0.003, -0.006, 0.009, -0.015, 0.010};
    mn_Err e = {0};
    ev_Drawdown d = {0, 0, 0};
    double v = -1;
    CHECK_OK(ev_sharpe(r, 10, 0.0, 252.0, &v, &e), &e);
    CHECK_NEAR(v, 3.5599470595230853, 1e-13);
    CHECK_OK(ev_sharpe(r, 10, 0.0001, 12.0, &v, &e), &e);
    CHECK_NEAR(v, 0.7457703712137145, 1e-14);
    CHECK_OK(ev_sortino(r, 10, 0.0, 252.0, &v, &e), &e);
    CHECK_NEAR(v, 6.2906966483536655, 1e-13);
    CHECK_OK(ev_sortino(r, 10, 0.002, 252.0, &v, &e), &e);
    CHECK_NEAR(v, 1.0625592962581039, 1e-13);
    CHECK_OK(ev_max_drawdown(r, 10, EV_DD_RETURNS, &d, &e), &e);
    CHECK_NEAR(d.depth, 0.015000000000000013, 1e-15);
    CHECK(d.peak == 7 && d.trough == 8);
}

/* equity 100 120 90 110 80 130: high 120 (index 1), low 80 (index 4): 1 - 80/120 = 1/3.
** returns .1 -.5 .2: equity 1 1.1 .55 .66: 1 - .55/1.1 = .5, high after r[0], low after r[1].
** returns -.1 .05: equity 1 .9 .945: .1 from the starting capital (peak -1) to index 0.
** log returns ln 2, ln .25, 0: equity 1 2 .5 .5: .75, peak 0, trough 1 (the first low).
** Rising equity: depth 0, peak = trough = the first point. A return of -1 loses all: 1. */
static void metrics_drawdown_by_hand(void) {            /* metrics-5.3 */
    static const double eq[] = {100, 120, 90, 110, 80, 130}, r1[] = {0.1, -0.5, 0.2};
    static const double r2[] = {-0.1, 0.05}, up[] = {1, 2, 3}, r3[] = {0.2, -1, 0.5};
    double lr[3];
    mn_Err e = {0};
    ev_Drawdown d = {0, 0, 0};
    lr[0] = log(2.0), lr[1] = log(0.25), lr[2] = 0.0;
    CHECK_OK(ev_max_drawdown(eq, 6, EV_DD_EQUITY, &d, &e), &e);
    CHECK_NEAR(d.depth, 1.0 / 3.0, 1e-16);
    CHECK(d.peak == 1 && d.trough == 4);
    CHECK_OK(ev_max_drawdown(r1, 3, EV_DD_RETURNS, &d, &e), &e);
    CHECK_NEAR(d.depth, 0.5, 1e-15);
    CHECK(d.peak == 0 && d.trough == 1);
    CHECK_OK(ev_max_drawdown(r2, 2, EV_DD_RETURNS, &d, &e), &e);
    CHECK_NEAR(d.depth, 0.1, 1e-15);
    CHECK(d.peak == -1 && d.trough == 0);
    CHECK_OK(ev_max_drawdown(lr, 3, EV_DD_LOG_RETURNS, &d, &e), &e);
    CHECK_NEAR(d.depth, 0.75, 1e-15);
    CHECK(d.peak == 0 && d.trough == 1);
    CHECK_OK(ev_max_drawdown(up, 3, EV_DD_EQUITY, &d, &e), &e);
    CHECK(d.depth == 0.0 && d.peak == 0 && d.trough == 0);
    CHECK_OK(ev_max_drawdown(up, 3, EV_DD_RETURNS, &d, &e), &e);
    CHECK(d.depth == 0.0 && d.peak == -1 && d.trough == -1);
    CHECK_OK(ev_max_drawdown(r3, 3, EV_DD_RETURNS, &d, &e), &e);
    CHECK(d.depth == 1.0 && d.peak == 0 && d.trough == 1);
}

/* ---- errors ---- */

static void metrics_degenerate_ranking(void) {          /* metrics-6.1 */
    static const double y0[] = {0, 0, 0}, y1[] = {1, 1}, s[] = {0.1, 0.2, 0.3};
    static const double y[] = {0, 1, 2}, sn[] = {0.1, NAN, 0.3}, yn[] = {0, NAN, 1};
    mn_Err e = {0};
    double v = -1, *a = NULL, *b = NULL, *t = NULL;
    int64_t m = 0;
    CHECK_FAIL(ev_auc(y0, s, 3, &v, &e), MN_EARG, &e,
               "auc: y_true has only one class (0); AUC is undefined");
    CHECK_FAIL(ev_auc(y1, s, 2, &v, &e), MN_EARG, &e, "auc: y_true has only one class (1)");
    CHECK_FAIL(ev_pr_auc(y0, s, 3, &v, &e), MN_EARG, &e, "pr_auc: y_true has only one class");
    CHECK_FAIL(ev_ks(y1, s, 2, &v, NULL, &e), MN_EARG, &e, "ks: y_true has only one class");
    CHECK_FAIL(ev_gini(y0, s, 3, &v, &e), MN_EARG, &e, "gini: y_true has only one class");
    CHECK_FAIL(ev_roc_curve(y0, s, 3, &a, &b, &t, &m, &e), MN_EARG, &e, "roc_curve: y_true");
    CHECK_FAIL(ev_auc(y0, s, 0, &v, &e), MN_EARG, &e, "auc: empty input");
    CHECK_FAIL(ev_auc(y, s, 3, &v, &e), MN_EARG, &e,
               "auc: y_true element 3 is 2; labels must be 0 or 1");
    CHECK_FAIL(ev_auc(y0, sn, 3, &v, &e), MN_ENAN, &e, "auc: y_score element 2 is NaN");
    CHECK_FAIL(ev_auc(yn, s, 3, &v, &e), MN_ENAN, &e, "auc: y_true element 2 is NaN");
    CHECK(v == -1 && a == NULL && m == 0);                   /* outputs untouched */
}

static void metrics_degenerate_values(void) {           /* metrics-6.2 */
    static const double y[] = {1, 0, 3}, p[] = {1, 2, 3}, c[] = {2, 2, 2}, inf[] = {1, INFINITY};
    static const double pr[] = {0.5, 1.2, 0.1}, lab[] = {0, 1, 1}, bad[] = {0.1, -1.5};
    mn_Err e = {0};
    ev_Drawdown d = {0, 0, 0};
    double v = -1;
    CHECK_FAIL(ev_mape(y, p, 3, &v, &e), MN_EARG, &e,
               "mape: y_true element 2 is 0; MAPE is undefined where the true value is zero");
    CHECK_FAIL(ev_r2(c, p, 3, &v, &e), MN_EARG, &e, "r2: y_true is constant (2)");
    CHECK_FAIL(ev_r2(p, p, 1, &v, &e), MN_EARG, &e, "a single value; R^2 is undefined");
    CHECK_FAIL(ev_mse(p, inf, 2, &v, &e), MN_ENAN, &e, "mse: y_pred element 2 is Inf");
    CHECK_FAIL(ev_mae(p, p, 0, &v, &e), MN_EARG, &e, "mae: empty input");
    CHECK_FAIL(ev_logloss(lab, pr, 3, EV_LOGLOSS_EPS, &v, &e), MN_EARG, &e,
               "logloss: y_prob element 2 is 1.2");
    CHECK_FAIL(ev_brier(lab, pr, 3, &v, &e), MN_EARG, &e, "probabilities must be in [0, 1]");
    CHECK_FAIL(ev_accuracy(lab, pr, 3, -INFINITY, &v, &e), MN_EARG, &e, "accuracy: threshold");
    CHECK_FAIL(ev_sharpe(p, 1, 0, 252, &v, &e), MN_EARG, &e, "sharpe: needs at least 2");
    CHECK_FAIL(ev_sharpe(c, 3, 0, 252, &v, &e), MN_EARG, &e,
               "sharpe: all returns are equal (2), so the standard deviation is 0");
    CHECK_FAIL(ev_sharpe(p, 3, 0, 0, &v, &e), MN_EARG, &e,
               "sharpe: periods must be a positive number");
    CHECK_FAIL(ev_sortino(p, 3, 0, 252, &v, &e), MN_EARG, &e,
               "sortino: no return is below the target (0)");
    CHECK_FAIL(ev_sortino(inf, 2, 0, 252, &v, &e), MN_ENAN, &e, "sortino: returns element 2");
    CHECK_FAIL(ev_max_drawdown(y, 3, EV_DD_EQUITY, &d, &e), MN_EARG, &e,
               "max_drawdown: equity element 2 is 0; equity must be positive");
    CHECK_FAIL(ev_max_drawdown(inf, 2, EV_DD_EQUITY, &d, &e), MN_ENAN, &e, "equity element 2");
    CHECK_FAIL(ev_max_drawdown(bad, 2, EV_DD_RETURNS, &d, &e), MN_EARG, &e,
               "returns element 2 is -1.5; a simple return cannot be below -1");
    CHECK_FAIL(ev_max_drawdown(bad, 2, 9, &d, &e), MN_EARG, &e, "unknown kind");
    CHECK(v == -1);
}

/* A huge but finite input overflows a sum: a clear error, not a NaN result. */
static void metrics_overflow_is_refused(void) {         /* metrics-6.3 */
    static const double y[] = {1e308, -1e308, 1e308}, p[] = {-1e308, 1e308, 0};
    mn_Err e = {0};
    double v = -1;
    CHECK_FAIL(ev_r2(y, p, 3, &v, &e), MN_ENAN, &e, "r2: the result is NaN");
}

static void metrics_out_of_memory(void) {               /* metrics-6.4 */
    static const double y[] = {0, 1, 0, 1}, s[] = {0.1, 0.2, 0.3, 0.4};
    mn_Err e = {0};
    double v = -1, *a = NULL, *b = NULL, *t = NULL;
    int64_t m = 0;
    mn_mem_fail_after(1);
    CHECK_FAIL(ev_auc(y, s, 4, &v, &e), MN_ENOMEM, &e, "auc: out of memory");
    for (long k = 1; k <= 4; k++) {          /* each of the curve's four allocations */
        mn_mem_fail_after(k);
        CHECK_FAIL(ev_roc_curve(y, s, 4, &a, &b, &t, &m, &e), MN_ENOMEM, &e, "out of memory");
    }
    mn_mem_fail_after(0);
    CHECK(v == -1 && a == NULL && m == 0);
}

int main(void) {
    RUN(metrics_confusion_by_hand);
    RUN(metrics_labels_are_said);
    RUN(metrics_zero_division);
    RUN(metrics_ranking_by_hand);
    RUN(metrics_ranking_ties);
    RUN(metrics_auc_brute_force);
    RUN(metrics_ranking_properties);
    RUN(metrics_curves);
    RUN(metrics_sklearn_classification);
    RUN(metrics_losses_by_hand);
    RUN(metrics_regression_by_hand);
    RUN(metrics_sklearn_regression);
    RUN(metrics_directional_by_hand);
    RUN(metrics_sharpe_sortino_by_hand);
    RUN(metrics_numpy_finance);
    RUN(metrics_drawdown_by_hand);
    RUN(metrics_degenerate_ranking);
    RUN(metrics_degenerate_values);
    RUN(metrics_overflow_is_refused);
    RUN(metrics_out_of_memory);
    return CHECK_DONE();
}
