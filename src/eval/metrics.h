/* metrics.h -- evaluation metrics in double precision: binary classification (from labels or
** scores), regression, and finance (Sharpe, Sortino, maximum drawdown). Definitions with their
** formulas are in docs/metrics.md. Nothing here fits a model or keeps a pointer past its call.
**
** Conventions shared by every function below:
** - Inputs are plain arrays of 'n' doubles; paired arrays have the same length 'n'.
** - y_true of a classification metric holds labels: each element is 0 or 1.
** - Every input element must be finite. NaN or +-Inf is refused with MN_ENAN and a message
**   naming the function, the argument and the element ("auc: y_score element 4 is NaN");
**   element numbers in messages count from 1, as in Lua.
** - n == 0 is refused with MN_EARG ("auc: empty input").
** - Messages start with the metric's Lua name ("auc: ...") and say how to fix the input.
** - A metric undefined for the data (one class for AUC, constant y_true for R^2, ...) is an
**   error, never a NaN result; so is a sum that overflows on huge finite inputs (MN_ENAN).
** - Results are written only on success. Functions that sort (auc, pr_auc, ks, gini, the
**   curves) use O(n) scratch memory and O(n log n) time, and can fail with MN_ENOMEM.
*/
#ifndef MN_EVAL_METRICS_H
#define MN_EVAL_METRICS_H

#include <math.h>
#include <stdint.h>

#include "core/err.h"

/* ---- classification from labels or thresholded scores ---- */

#define EV_THRESHOLD 0.5           /* the default decision threshold */
/* Passed as 'threshold': y_pred holds 0/1 labels (what a classifier's predict gives), used as
** they are. The caller says so (in Lua, labels = true); it is never guessed from the values. */
#define EV_LABELS NAN

/* The 2x2 confusion counts; "positive" is label 1. */
typedef struct ev_Confusion {
    int64_t tp, fp, tn, fn;
} ev_Confusion;

/* Count true/false positives/negatives of the predictions 'y_pred' against 'y_true'.
** With threshold == EV_LABELS, y_pred holds 0/1 labels and any other value is refused
** ("accuracy: y_pred element 2 is 0.7, but labels = true ..."); otherwise y_pred holds scores
** (probabilities or any real score), an element predicts 1 when score >= threshold, and
** 'threshold' must be finite.
** Errors: MN_EARG (empty input, a label other than 0/1 in y_true or, with EV_LABELS, in
** y_pred, an infinite threshold), MN_ENAN. */
int ev_confusion(const double *y_true, const double *y_pred, int64_t n, double threshold,
                 ev_Confusion *out, mn_Err *e);

/* (tp + tn) / n, predictions as in ev_confusion. Errors as ev_confusion. */
int ev_accuracy(const double *y_true, const double *y_pred, int64_t n, double threshold,
                double *out, mn_Err *e);

/* tp / (tp + fp), tp / (tp + fn) and the F1 score 2 tp / (2 tp + fp + fn), predictions as in
** ev_confusion. When the denominator is 0 (precision: nothing predicted positive; recall: no
** positive in y_true; f1: neither) the result is 'zero_division' (0 or 1, as scikit-learn),
** or, if zero_division is NaN, the call fails with MN_EARG saying why the metric is
** undefined. Errors as ev_confusion, plus that one. */
int ev_precision(const double *y_true, const double *y_pred, int64_t n, double threshold,
                 double zero_division, double *out, mn_Err *e);
int ev_recall(const double *y_true, const double *y_pred, int64_t n, double threshold,
              double zero_division, double *out, mn_Err *e);
int ev_f1(const double *y_true, const double *y_pred, int64_t n, double threshold,
          double zero_division, double *out, mn_Err *e);

/* ---- ranking metrics from scores (sort once, sweep distinct thresholds) ---- */

/* ROC AUC: the probability that a random positive scores above a random negative, ties
** counting 1/2 (the Mann-Whitney U statistic over P*N, equal to the trapezoid area under the
** ROC curve through all distinct thresholds). Computed from integer counts, so it is exact up
** to the final division. A higher score means "more likely 1".
** Errors: MN_EARG (empty, a label other than 0/1, only one class present: "auc: y_true has
** only one class (0); AUC is undefined"), MN_ENAN, MN_ENOMEM. */
int ev_auc(const double *y_true, const double *y_score, int64_t n, double *out, mn_Err *e);

/* Gini coefficient 2 * AUC - 1 (the accuracy ratio). Errors as ev_auc. */
int ev_gini(const double *y_true, const double *y_score, int64_t n, double *out, mn_Err *e);

/* Average precision as scikit-learn defines it: sum over distinct thresholds t, from the
** highest, of (R(t) - R(previous t)) * P(t), where P and R are the precision and recall of
** predicting 1 for score >= t. Tied scores form one threshold (no interpolation).
** Errors as ev_auc. */
int ev_pr_auc(const double *y_true, const double *y_score, int64_t n, double *out, mn_Err *e);

/* Kolmogorov-Smirnov statistic: max over distinct thresholds t of |TPR(t) - FPR(t)| for the
** rule score >= t. '*threshold' (may be NULL) gets the t where the maximum is first reached
** scanning from the highest score. Exact up to the final division. Errors as ev_auc. */
int ev_ks(const double *y_true, const double *y_score, int64_t n, double *ks,
          double *threshold, mn_Err *e);

/* The ROC and precision-recall curves, highest threshold first: point 0 is the rule that
** predicts nothing positive (thr +Inf; fpr = tpr = 0; precision 1, recall 0), then one point
** per distinct score t for the rule score >= t. These are scikit-learn's roc_curve(...,
** drop_intermediate=False) and precision_recall_curve (the latter in reverse order).
** On success the three arrays are new, each of '*m' doubles, and the caller frees them with
** mn_free(). Errors as ev_auc. */
int ev_roc_curve(const double *y_true, const double *y_score, int64_t n, double **fpr,
                 double **tpr, double **thr, int64_t *m, mn_Err *e);
int ev_pr_curve(const double *y_true, const double *y_score, int64_t n, double **precision,
                double **recall, double **thr, int64_t *m, mn_Err *e);

/* ---- probabilistic losses ---- */

#define EV_LOGLOSS_EPS 1e-15       /* scikit-learn's default before 1.2 */

/* Mean negative log-likelihood -mean(y log p + (1 - y) log(1 - p)) with p clipped to
** [eps, 1 - eps]; 0 <= eps < 0.5 (with eps = 0 a certain, wrong prediction gives +Inf).
** y_prob must hold probabilities in [0, 1].
** Errors: MN_EARG (empty, bad label, a probability outside [0, 1], bad eps), MN_ENAN. */
int ev_logloss(const double *y_true, const double *y_prob, int64_t n, double eps, double *out,
               mn_Err *e);

/* Brier score mean((p - y)^2), probabilities in [0, 1]. Errors as ev_logloss. */
int ev_brier(const double *y_true, const double *y_prob, int64_t n, double *out, mn_Err *e);

/* ---- regression ---- */

/* Mean squared error, its root, mean absolute error. Errors: MN_EARG (empty), MN_ENAN. */
int ev_mse(const double *y_true, const double *y_pred, int64_t n, double *out, mn_Err *e);
int ev_rmse(const double *y_true, const double *y_pred, int64_t n, double *out, mn_Err *e);
int ev_mae(const double *y_true, const double *y_pred, int64_t n, double *out, mn_Err *e);

/* Mean absolute percentage error mean(|y - p| / |y|) as a fraction (0.05 = 5%), like
** scikit-learn. A zero in y_true is refused with MN_EARG naming the element. */
int ev_mape(const double *y_true, const double *y_pred, int64_t n, double *out, mn_Err *e);

/* Coefficient of determination 1 - SS_res / SS_tot, SS_tot = sum((y - mean(y))^2). Negative
** when worse than predicting the mean. A constant y_true (SS_tot = 0, including n = 1) is
** refused with MN_EARG: R^2 is undefined there. */
int ev_r2(const double *y_true, const double *y_pred, int64_t n, double *out, mn_Err *e);

/* Directional accuracy: the share of hits, where sign() is -1, 0 or 1 and a hit is equal signs.
**   EV_DIR_SIGN:   over i = 1..n, sign(y_true[i]) == sign(y_pred[i]); for forecasts of returns
**                  or changes.
**   EV_DIR_CHANGE: over i = 2..n, sign(y_true[i] - y_true[i-1]) == sign(y_pred[i] - y_true[i-1]),
**                  the mean directional accuracy of level forecasts (prices): did the forecast
**                  move the right way from the last observed value? Needs n >= 2.
** Errors: MN_EARG (empty, n < 2 for EV_DIR_CHANGE, unknown kind), MN_ENAN. */
enum { EV_DIR_SIGN = 0, EV_DIR_CHANGE = 1 };
int ev_directional(const double *y_true, const double *y_pred, int64_t n, int kind,
                   double *out, mn_Err *e);

/* ---- finance: per-period returns ---- */

/* Annualised Sharpe ratio sqrt(periods) * mean(x) / sd(x), x = returns - rf, with the sample
** standard deviation (ddof = 1). 'rf' is the risk-free return per period (same units as the
** returns); 'periods' the number of periods per year (252 for daily), > 0.
** Errors: MN_EARG (n < 2, all returns equal so sd = 0, bad rf or periods), MN_ENAN. */
int ev_sharpe(const double *returns, int64_t n, double rf, double periods, double *out,
              mn_Err *e);

/* Annualised Sortino ratio sqrt(periods) * mean(r - target) / DD with the downside deviation
** DD = sqrt(mean(min(r - target, 0)^2)) taken over all n returns (as empyrical does).
** Errors: MN_EARG (empty, no return below target so DD = 0, bad target or periods), MN_ENAN. */
int ev_sortino(const double *returns, int64_t n, double target, double periods, double *out,
               mn_Err *e);

/* Maximum drawdown of an equity curve: max over t of 1 - E[t] / max(E[s], s <= t), a fraction
** in [0, 1]. The input is, by 'kind':
**   EV_DD_RETURNS:      simple returns r (each >= -1); E starts at 1 and E[i] = E[i-1] (1 + r[i])
**   EV_DD_LOG_RETURNS:  log returns; E[i] = E[i-1] exp(r[i])
**   EV_DD_EQUITY:       the equity values themselves (each > 0)
** 'peak' and 'trough' are 0-based element indices of the drawdown's high and low; for the two
** returns kinds peak is -1 when the high is the starting capital, before the first return.
** The peak is the latest time the running high was reached; with no drawdown at all depth is
** 0 and peak = trough = the first point (-1 for returns, 0 for equity). Ties keep the first
** (earliest trough) maximum. Errors: MN_EARG (empty, r < -1, equity <= 0, bad kind), MN_ENAN. */
enum { EV_DD_RETURNS = 0, EV_DD_LOG_RETURNS = 1, EV_DD_EQUITY = 2 };
typedef struct ev_Drawdown {
    double  depth;             /* the maximum drawdown, a fraction in [0, 1] */
    int64_t peak, trough;      /* 0-based element indices; peak -1 = the starting capital */
} ev_Drawdown;
int ev_max_drawdown(const double *x, int64_t n, int kind, ev_Drawdown *out, mn_Err *e);

#endif
