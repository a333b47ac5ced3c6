/* metrics.c -- evaluation metrics (see metrics.h for the contract, docs/metrics.md for the
** formulas). Ranking metrics sort (score, label) pairs once and sweep the groups of tied scores
** with integer counts; sums are compensated (Neumaier) and means take a correction pass. */
#include "eval/metrics.h"

#include <math.h>

#include "core/mem.h"
#include "core/stats.h"

/* ---- input checks ---- */

static int check_n(const char *fn, int64_t n, mn_Err *e) {
    if (n <= 0)
        return mn_fail(e, MN_EARG, "%s: empty input", fn);
    return MN_OK;
}

static int check_finite(const char *fn, const char *arg, const double *x, int64_t n,
                        mn_Err *e) {
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return mn_fail(e, MN_ENAN, "%s: %s element %lld is %s (drop or fill missing values "
                           "first)", fn, arg, (long long)i + 1,
                           isnan(x[i]) ? "NaN" : x[i] > 0 ? "Inf" : "-Inf");
    return MN_OK;
}

static int check_labels(const char *fn, const double *y, int64_t n, mn_Err *e) {
    int rc = check_finite(fn, "y_true", y, n, e);
    if (rc != MN_OK)
        return rc;
    for (int64_t i = 0; i < n; i++)
        if (y[i] != 0.0 && y[i] != 1.0)
            return mn_fail(e, MN_EARG, "%s: y_true element %lld is %.17g; labels must be 0 or 1",
                           fn, (long long)i + 1, y[i]);
    return MN_OK;
}

static int check_probs(const char *fn, const double *p, int64_t n, mn_Err *e) {
    int rc = check_finite(fn, "y_prob", p, n, e);
    if (rc != MN_OK)
        return rc;
    for (int64_t i = 0; i < n; i++)
        if (p[i] < 0.0 || p[i] > 1.0)
            return mn_fail(e, MN_EARG, "%s: y_prob element %lld is %.17g; probabilities must be "
                           "in [0, 1]", fn, (long long)i + 1, p[i]);
    return MN_OK;
}

/* The checks every paired metric starts with: n, both arrays finite. */
static int check_pair(const char *fn, const char *a, const double *x, const char *b,
                      const double *y, int64_t n, mn_Err *e) {
    int rc;
    if ((rc = check_n(fn, n, e)) != MN_OK || (rc = check_finite(fn, a, x, n, e)) != MN_OK)
        return rc;
    return check_finite(fn, b, y, n, e);
}

/* ---- compensated sums ---- */

typedef struct Sum {
    double s, c;               /* running sum and the low-order bits it lost (Neumaier) */
} Sum;

static void sum_add(Sum *a, double x) {
    double t = a->s + x;
    if (fabs(a->s) >= fabs(x))
        a->c += (a->s - t) + x;
    else
        a->c += (x - t) + a->s;
    a->s = t;
}

static double sum_value(const Sum *a) {
    return a->s + a->c;
}

/* Store a result, refusing NaN: finite inputs can still overflow (1e308 + 1e308 - ...). */
static int result(const char *fn, double v, double *out, mn_Err *e) {
    if (isnan(v))
        return mn_fail(e, MN_ENAN, "%s: the result is NaN because an intermediate sum "
                       "overflowed; rescale the inputs", fn);
    *out = v;
    return MN_OK;
}

/* Mean of x[i] - shift, with a second pass that removes most of the first pass's error. */
static double mean_of(const double *x, int64_t n, double shift) {
    Sum s = {0, 0}, r = {0, 0};
    double m;
    for (int64_t i = 0; i < n; i++)
        sum_add(&s, x[i] - shift);
    m = sum_value(&s) / (double)n;
    for (int64_t i = 0; i < n; i++)
        sum_add(&r, (x[i] - shift) - m);
    return m + sum_value(&r) / (double)n;
}

/* ---- classification from labels or thresholded scores ---- */

static int confusion(const char *fn, const double *y, const double *p, int64_t n, double thr,
                     ev_Confusion *out, mn_Err *e) {
    ev_Confusion c = {0, 0, 0, 0};
    int rc, labels = isnan(thr);               /* EV_LABELS: the caller said so */
    if ((rc = check_n(fn, n, e)) != MN_OK || (rc = check_labels(fn, y, n, e)) != MN_OK ||
        (rc = check_finite(fn, "y_pred", p, n, e)) != MN_OK)
        return rc;
    if (!labels && !isfinite(thr))
        return mn_fail(e, MN_EARG, "%s: threshold must be a finite number", fn);
    for (int64_t i = 0; i < n && labels; i++)
        if (p[i] != 0.0 && p[i] != 1.0)
            return mn_fail(e, MN_EARG, "%s: y_pred element %lld is %.17g, but labels = true "
                           "says y_pred holds 0/1 labels (scores: drop labels and give a "
                           "threshold)", fn, (long long)i + 1, p[i]);
    for (int64_t i = 0; i < n; i++) {
        int pred = labels ? p[i] == 1.0 : p[i] >= thr;
        if (y[i] == 1.0)
            pred ? c.tp++ : c.fn++;
        else
            pred ? c.fp++ : c.tn++;
    }
    *out = c;
    return MN_OK;
}

static int check_zero_division(const char *fn, double zd, mn_Err *e) {
    if (!isnan(zd) && !(zd >= 0.0 && zd <= 1.0))
        return mn_fail(e, MN_EARG, "%s: zero_division must be 0, 1 or \"error\"", fn);
    return MN_OK;
}

/* num / den, or the zero_division rule when den is 0. */
static int ratio(const char *fn, int64_t num, int64_t den, double zd, const char *why,
                 double *out, mn_Err *e) {
    if (den == 0) {
        if (isnan(zd))
            return mn_fail(e, MN_EARG, "%s: %s; %s is undefined (zero_division=0 or 1 gives a "
                           "value)", fn, why, fn);
        *out = zd;
        return MN_OK;
    }
    *out = (double)num / (double)den;
    return MN_OK;
}

int ev_confusion(const double *y_true, const double *y_pred, int64_t n, double threshold,
                 ev_Confusion *out, mn_Err *e) {
    return confusion("confusion", y_true, y_pred, n, threshold, out, e);
}

int ev_accuracy(const double *y_true, const double *y_pred, int64_t n, double threshold,
                double *out, mn_Err *e) {
    ev_Confusion c;
    int rc = confusion("accuracy", y_true, y_pred, n, threshold, &c, e);
    if (rc == MN_OK)
        *out = (double)(c.tp + c.tn) / (double)n;
    return rc;
}

int ev_precision(const double *y_true, const double *y_pred, int64_t n, double threshold,
                 double zero_division, double *out, mn_Err *e) {
    ev_Confusion c;
    int rc;
    if ((rc = check_zero_division("precision", zero_division, e)) != MN_OK ||
        (rc = confusion("precision", y_true, y_pred, n, threshold, &c, e)) != MN_OK)
        return rc;
    return ratio("precision", c.tp, c.tp + c.fp, zero_division,
                 "nothing is predicted positive (tp + fp = 0)", out, e);
}

int ev_recall(const double *y_true, const double *y_pred, int64_t n, double threshold,
              double zero_division, double *out, mn_Err *e) {
    ev_Confusion c;
    int rc;
    if ((rc = check_zero_division("recall", zero_division, e)) != MN_OK ||
        (rc = confusion("recall", y_true, y_pred, n, threshold, &c, e)) != MN_OK)
        return rc;
    return ratio("recall", c.tp, c.tp + c.fn, zero_division,
                 "y_true has no positive (tp + fn = 0)", out, e);
}

int ev_f1(const double *y_true, const double *y_pred, int64_t n, double threshold,
          double zero_division, double *out, mn_Err *e) {
    ev_Confusion c;
    int rc;
    if ((rc = check_zero_division("f1", zero_division, e)) != MN_OK ||
        (rc = confusion("f1", y_true, y_pred, n, threshold, &c, e)) != MN_OK)
        return rc;
    return ratio("f1", 2 * c.tp, 2 * c.tp + c.fp + c.fn, zero_division,
                 "neither y_true nor the predictions have a positive (2 tp + fp + fn = 0)",
                 out, e);
}

/* ---- ranking metrics: sort once, sweep groups of tied scores ---- */

/* The (score, label) pairs sorted by score, highest first, and the class counts. Refuses what
** every ranking metric refuses: empty, bad labels, non-finite scores, a single class. */
static int ranked(const char *fn, const char *what, const double *y, const double *s,
                  int64_t n, mn_Scored **out, int64_t *npos, mn_Err *e) {
    mn_Scored *v;
    int64_t P = 0;
    int rc;
    if ((rc = check_n(fn, n, e)) != MN_OK || (rc = check_labels(fn, y, n, e)) != MN_OK ||
        (rc = check_finite(fn, "y_score", s, n, e)) != MN_OK)
        return rc;
    /* The integer sweeps below need 2 P N <= n^2 / 2 < 2^63. */
    if (n > INT64_C(4000000000))
        return mn_fail(e, MN_EARG, "%s: %lld elements is more than this implementation takes",
                       fn, (long long)n);
    for (int64_t i = 0; i < n; i++)
        P += y[i] == 1.0;
    if (P == 0 || P == n)
        return mn_fail(e, MN_EARG, "%s: y_true has only one class (%d); %s is undefined", fn,
                       P == 0 ? 0 : 1, what);
    if ((v = mn_malloc((size_t)n * sizeof *v)) == NULL)
        return mn_fail(e, MN_ENOMEM, "%s: out of memory sorting %lld scores", fn, (long long)n);
    for (int64_t i = 0; i < n; i++) {
        v[i].s = s[i];
        v[i].y = y[i] == 1.0;
    }
    mn_scored_sort(v, n);
    *out = v;
    *npos = P;
    return MN_OK;
}

/* 2U (core/stats.h) and the class counts, for the metrics built on the Mann-Whitney U. */
static int u2_of(const char *fn, const char *what, const double *y, const double *s, int64_t n,
                 int64_t *u2, int64_t *P, mn_Err *e) {
    mn_Scored *v;
    int rc = ranked(fn, what, y, s, n, &v, P, e);
    if (rc != MN_OK)
        return rc;
    *u2 = mn_auc_u2(v, n, NULL);
    mn_free(v);
    return MN_OK;
}

int ev_auc(const double *y_true, const double *y_score, int64_t n, double *out, mn_Err *e) {
    int64_t P, N, u2;          /* 2 U: each (positive, negative) pair counts 2, a tie 1 */
    int rc = u2_of("auc", "AUC", y_true, y_score, n, &u2, &P, e);
    if (rc != MN_OK)
        return rc;
    N = n - P;
    *out = (double)u2 / (2.0 * (double)P * (double)N);
    return MN_OK;
}

int ev_gini(const double *y_true, const double *y_score, int64_t n, double *out, mn_Err *e) {
    int64_t P, N, u2;
    int rc = u2_of("gini", "the Gini coefficient", y_true, y_score, n, &u2, &P, e);
    if (rc != MN_OK)
        return rc;
    N = n - P;
    /* 2 AUC - 1 = (2U - PN) / PN, computed in integers before the one division */
    *out = (double)(u2 - P * N) / ((double)P * (double)N);
    return MN_OK;
}

int ev_pr_auc(const double *y_true, const double *y_score, int64_t n, double *out, mn_Err *e) {
    mn_Scored *v;
    int64_t P, tp = 0, fp = 0, pos, neg;
    Sum ap = {0, 0};
    int rc = ranked("pr_auc", "average precision", y_true, y_score, n, &v, &P, e);
    if (rc != MN_OK)
        return rc;
    /* Recall rises by pos/P at a group; that step is weighted by the precision there. */
    for (int64_t i = 0; i < n;) {
        i = mn_scored_group(v, n, i, &pos, &neg);
        tp += pos;
        fp += neg;
        if (pos > 0)
            sum_add(&ap, (double)pos * ((double)tp / (double)(tp + fp)));
    }
    mn_free(v);
    *out = sum_value(&ap) / (double)P;
    return MN_OK;
}

int ev_ks(const double *y_true, const double *y_score, int64_t n, double *ks,
          double *threshold, mn_Err *e) {
    mn_Scored *v;
    int64_t P, N, tp = 0, fp = 0, pos, neg, best = -1;
    double at = INFINITY;
    int rc = ranked("ks", "the KS statistic", y_true, y_score, n, &v, &P, e);
    if (rc != MN_OK)
        return rc;
    N = n - P;
    /* |TPR - FPR| = |tp N - fp P| / (P N): compare integers, divide once. */
    for (int64_t i = 0; i < n;) {
        int64_t d, j = i;
        i = mn_scored_group(v, n, i, &pos, &neg);
        tp += pos;
        fp += neg;
        d = tp * N - fp * P;
        d = d < 0 ? -d : d;
        if (d > best) {
            best = d;
            at = v[j].s;
        }
    }
    mn_free(v);
    *ks = (double)best / ((double)P * (double)N);
    if (threshold != NULL)
        *threshold = at;
    return MN_OK;
}

/* Both curves: point 0 predicts nothing positive, then one point per distinct score. */
static int curve(const char *fn, int roc, const double *y, const double *s, int64_t n,
                 double **a, double **b, double **thr, int64_t *m, mn_Err *e) {
    mn_Scored *v;
    int64_t P, N, tp = 0, fp = 0, pos, neg, groups = 0, k = 1;
    double *x = NULL, *z = NULL, *t = NULL;
    int rc = ranked(fn, roc ? "the ROC curve" : "the precision-recall curve", y, s, n, &v, &P,
                    e);
    if (rc != MN_OK)
        return rc;
    N = n - P;
    for (int64_t i = 0; i < n; groups++)
        i = mn_scored_group(v, n, i, &pos, &neg);
    x = mn_malloc((size_t)(groups + 1) * sizeof *x);
    z = mn_malloc((size_t)(groups + 1) * sizeof *z);
    t = mn_malloc((size_t)(groups + 1) * sizeof *t);
    if (x == NULL || z == NULL || t == NULL) {
        mn_free(x), mn_free(z), mn_free(t), mn_free(v);
        return mn_fail(e, MN_ENOMEM, "%s: out of memory for %lld points", fn,
                       (long long)groups + 1);
    }
    x[0] = roc ? 0.0 : 1.0;    /* fpr 0, or precision 1 */
    z[0] = 0.0;                /* tpr 0, or recall 0 */
    t[0] = INFINITY;
    for (int64_t i = 0; i < n; k++) {
        int64_t j = i;
        i = mn_scored_group(v, n, i, &pos, &neg);
        tp += pos;
        fp += neg;
        x[k] = roc ? (double)fp / (double)N : (double)tp / (double)(tp + fp);
        z[k] = (double)tp / (double)P;
        t[k] = v[j].s;
    }
    mn_free(v);
    *a = x;
    *b = z;
    *thr = t;
    *m = groups + 1;
    return MN_OK;
}

int ev_roc_curve(const double *y_true, const double *y_score, int64_t n, double **fpr,
                 double **tpr, double **thr, int64_t *m, mn_Err *e) {
    return curve("roc_curve", 1, y_true, y_score, n, fpr, tpr, thr, m, e);
}

int ev_pr_curve(const double *y_true, const double *y_score, int64_t n, double **precision,
                double **recall, double **thr, int64_t *m, mn_Err *e) {
    return curve("pr_curve", 0, y_true, y_score, n, precision, recall, thr, m, e);
}

/* ---- probabilistic losses ---- */

int ev_logloss(const double *y_true, const double *y_prob, int64_t n, double eps, double *out,
               mn_Err *e) {
    Sum s = {0, 0};
    int rc;
    if ((rc = check_n("logloss", n, e)) != MN_OK ||
        (rc = check_labels("logloss", y_true, n, e)) != MN_OK ||
        (rc = check_probs("logloss", y_prob, n, e)) != MN_OK)
        return rc;
    if (!(eps >= 0.0 && eps < 0.5))
        return mn_fail(e, MN_EARG, "logloss: eps must be in [0, 0.5), got %.17g", eps);
    for (int64_t i = 0; i < n; i++) {
        double p = fmin(fmax(y_prob[i], eps), 1.0 - eps);
        /* log1p(-p) keeps the digits of log(1 - p) for small p */
        double t = y_true[i] == 1.0 ? -log(p) : -log1p(-p);
        if (isinf(t)) {        /* eps = 0 and a certain, wrong prediction: the loss is +Inf */
            *out = INFINITY;
            return MN_OK;
        }
        sum_add(&s, t);
    }
    return result("logloss", sum_value(&s) / (double)n, out, e);
}

int ev_brier(const double *y_true, const double *y_prob, int64_t n, double *out, mn_Err *e) {
    Sum s = {0, 0};
    int rc;
    if ((rc = check_n("brier", n, e)) != MN_OK ||
        (rc = check_labels("brier", y_true, n, e)) != MN_OK ||
        (rc = check_probs("brier", y_prob, n, e)) != MN_OK)
        return rc;
    for (int64_t i = 0; i < n; i++) {
        double d = y_prob[i] - y_true[i];
        sum_add(&s, d * d);
    }
    *out = sum_value(&s) / (double)n;
    return MN_OK;
}

/* ---- regression ---- */

static int mse(const char *fn, const double *y, const double *p, int64_t n, double *out,
               mn_Err *e) {
    Sum s = {0, 0};
    int rc = check_pair(fn, "y_true", y, "y_pred", p, n, e);
    if (rc != MN_OK)
        return rc;
    for (int64_t i = 0; i < n; i++) {
        double d = y[i] - p[i];
        sum_add(&s, d * d);
    }
    return result(fn, sum_value(&s) / (double)n, out, e);
}

int ev_mse(const double *y_true, const double *y_pred, int64_t n, double *out, mn_Err *e) {
    return mse("mse", y_true, y_pred, n, out, e);
}

int ev_rmse(const double *y_true, const double *y_pred, int64_t n, double *out, mn_Err *e) {
    double m;
    int rc = mse("rmse", y_true, y_pred, n, &m, e);
    if (rc == MN_OK)
        *out = sqrt(m);
    return rc;
}

int ev_mae(const double *y_true, const double *y_pred, int64_t n, double *out, mn_Err *e) {
    Sum s = {0, 0};
    int rc = check_pair("mae", "y_true", y_true, "y_pred", y_pred, n, e);
    if (rc != MN_OK)
        return rc;
    for (int64_t i = 0; i < n; i++)
        sum_add(&s, fabs(y_true[i] - y_pred[i]));
    return result("mae", sum_value(&s) / (double)n, out, e);
}

int ev_mape(const double *y_true, const double *y_pred, int64_t n, double *out, mn_Err *e) {
    Sum s = {0, 0};
    int rc = check_pair("mape", "y_true", y_true, "y_pred", y_pred, n, e);
    if (rc != MN_OK)
        return rc;
    for (int64_t i = 0; i < n; i++)
        if (y_true[i] == 0.0)
            return mn_fail(e, MN_EARG, "mape: y_true element %lld is 0; MAPE is undefined where "
                           "the true value is zero (use mae or drop those rows)",
                           (long long)i + 1);
    for (int64_t i = 0; i < n; i++)
        sum_add(&s, fabs(y_true[i] - y_pred[i]) / fabs(y_true[i]));
    return result("mape", sum_value(&s) / (double)n, out, e);
}

int ev_r2(const double *y_true, const double *y_pred, int64_t n, double *out, mn_Err *e) {
    Sum res = {0, 0}, tot = {0, 0};
    double m;
    int constant = 1;
    int rc = check_pair("r2", "y_true", y_true, "y_pred", y_pred, n, e);
    if (rc != MN_OK)
        return rc;
    for (int64_t i = 1; i < n && constant; i++)
        constant = y_true[i] == y_true[0];
    if (constant)
        return mn_fail(e, MN_EARG, "r2: y_true is constant (%.17g)%s; R^2 is undefined",
                       y_true[0], n == 1 ? ", a single value" : "");
    m = mean_of(y_true, n, 0.0);
    for (int64_t i = 0; i < n; i++) {
        double r = y_true[i] - y_pred[i], d = y_true[i] - m;
        sum_add(&res, r * r);
        sum_add(&tot, d * d);
    }
    return result("r2", 1.0 - sum_value(&res) / sum_value(&tot), out, e);
}

static int sign(double x) {
    return (x > 0.0) - (x < 0.0);
}

int ev_directional(const double *y_true, const double *y_pred, int64_t n, int kind,
                   double *out, mn_Err *e) {
    int64_t hits = 0;
    int rc = check_pair("directional", "y_true", y_true, "y_pred", y_pred, n, e);
    if (rc != MN_OK)
        return rc;
    if (kind == EV_DIR_SIGN) {
        for (int64_t i = 0; i < n; i++)
            hits += sign(y_true[i]) == sign(y_pred[i]);
        *out = (double)hits / (double)n;
    } else if (kind == EV_DIR_CHANGE) {
        if (n < 2)
            return mn_fail(e, MN_EARG, "directional: kind \"change\" needs at least 2 values, "
                           "got 1");
        for (int64_t i = 1; i < n; i++)
            hits += sign(y_true[i] - y_true[i - 1]) == sign(y_pred[i] - y_true[i - 1]);
        *out = (double)hits / (double)(n - 1);
    } else {
        return mn_fail(e, MN_EARG, "directional: unknown kind %d", kind);
    }
    return MN_OK;
}

/* ---- finance ---- */

static int check_periods(const char *fn, double periods, mn_Err *e) {
    if (!(isfinite(periods) && periods > 0.0))
        return mn_fail(e, MN_EARG, "%s: periods must be a positive number (252 for daily "
                       "returns), got %.17g", fn, periods);
    return MN_OK;
}

int ev_sharpe(const double *returns, int64_t n, double rf, double periods, double *out,
              mn_Err *e) {
    Sum ss = {0, 0};
    double m, x0;
    int constant = 1, rc;
    if ((rc = check_n("sharpe", n, e)) != MN_OK ||
        (rc = check_finite("sharpe", "returns", returns, n, e)) != MN_OK ||
        (rc = check_periods("sharpe", periods, e)) != MN_OK)
        return rc;
    if (!isfinite(rf))
        return mn_fail(e, MN_EARG, "sharpe: rf must be a finite number");
    if (n < 2)
        return mn_fail(e, MN_EARG, "sharpe: needs at least 2 returns for a standard deviation, "
                       "got 1");
    x0 = returns[0] - rf;
    for (int64_t i = 1; i < n && constant; i++)
        constant = returns[i] - rf == x0;
    if (constant)
        return mn_fail(e, MN_EARG, "sharpe: all returns are equal (%.17g), so the standard "
                       "deviation is 0 and the Sharpe ratio is undefined", returns[0]);
    m = mean_of(returns, n, rf);
    for (int64_t i = 0; i < n; i++) {
        double d = (returns[i] - rf) - m;
        sum_add(&ss, d * d);
    }
    return result("sharpe", m / sqrt(sum_value(&ss) / (double)(n - 1)) * sqrt(periods), out,
                  e);
}

int ev_sortino(const double *returns, int64_t n, double target, double periods, double *out,
               mn_Err *e) {
    Sum dd = {0, 0};
    double m;
    int rc;
    if ((rc = check_n("sortino", n, e)) != MN_OK ||
        (rc = check_finite("sortino", "returns", returns, n, e)) != MN_OK ||
        (rc = check_periods("sortino", periods, e)) != MN_OK)
        return rc;
    if (!isfinite(target))
        return mn_fail(e, MN_EARG, "sortino: target must be a finite number");
    for (int64_t i = 0; i < n; i++) {
        double d = fmin(returns[i] - target, 0.0);
        sum_add(&dd, d * d);
    }
    if (sum_value(&dd) == 0.0)
        return mn_fail(e, MN_EARG, "sortino: no return is below the target (%.17g), so the "
                       "downside deviation is 0 and the Sortino ratio is undefined", target);
    m = mean_of(returns, n, target);
    return result("sortino", m / sqrt(sum_value(&dd) / (double)n) * sqrt(periods), out, e);
}

int ev_max_drawdown(const double *x, int64_t n, int kind, ev_Drawdown *out, mn_Err *e) {
    ev_Drawdown best = {0.0, 0, 0};
    int rc;
    if ((rc = check_n("max_drawdown", n, e)) != MN_OK ||
        (rc = check_finite("max_drawdown", kind == EV_DD_EQUITY ? "equity" : "returns", x, n,
                           e)) != MN_OK)
        return rc;
    if (kind == EV_DD_EQUITY) {
        double high = x[0];
        int64_t at = 0;
        for (int64_t i = 0; i < n; i++)
            if (!(x[i] > 0.0))
                return mn_fail(e, MN_EARG, "max_drawdown: equity element %lld is %.17g; equity "
                               "must be positive (pass returns with kind=\"returns\")",
                               (long long)i + 1, x[i]);
        for (int64_t i = 0; i < n; i++) {
            if (x[i] >= high) {
                high = x[i];
                at = i;
            } else if (1.0 - x[i] / high > best.depth) {
                best.depth = 1.0 - x[i] / high;
                best.peak = at;
                best.trough = i;
            }
        }
    } else if (kind == EV_DD_RETURNS || kind == EV_DD_LOG_RETURNS) {
        /* Log equity, so that long series neither overflow nor lose the ratio's digits:
        ** depth = 1 - E/H = -expm1(log E - log H). A return of -1 makes log E = -Inf. */
        double le = 0.0, lh = 0.0;
        int64_t at = -1;
        best.peak = best.trough = -1;
        if (kind == EV_DD_RETURNS)
            for (int64_t i = 0; i < n; i++)
                if (x[i] < -1.0)
                    return mn_fail(e, MN_EARG, "max_drawdown: returns element %lld is %.17g; a "
                                   "simple return cannot be below -1 (log returns need "
                                   "kind=\"log_returns\")", (long long)i + 1, x[i]);
        for (int64_t i = 0; i < n; i++) {
            le += kind == EV_DD_RETURNS ? log1p(x[i]) : x[i];
            if (le >= lh) {
                lh = le;
                at = i;
            } else if (-expm1(le - lh) > best.depth) {
                best.depth = -expm1(le - lh);
                best.peak = at;
                best.trough = i;
            }
        }
    } else {
        return mn_fail(e, MN_EARG, "max_drawdown: unknown kind %d", kind);
    }
    *out = best;
    return MN_OK;
}
