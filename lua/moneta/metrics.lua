-- moneta.metrics: evaluation metrics for binary classification, regression and finance. The
-- work is done in C (eval/metrics.c through "moneta.c.metrics"); this file names the public
-- functions and registers their help. Definitions and formulas: docs/metrics.md.
local C = require "moneta.c.metrics"
local doc = require "moneta.doc"
-- Only this file uses the C table; dropping it from package.loaded lets tracebacks name the
-- functions moneta.metrics.auc rather than moneta.c.metrics.auc.
package.loaded["moneta.c.metrics"] = nil

local M = {}

local names = {
  "accuracy", "precision", "recall", "f1", "confusion", "auc", "pr_auc", "logloss", "brier",
  "ks", "gini", "roc_curve", "pr_curve",
  "mse", "rmse", "mae", "mape", "r2", "directional", "sharpe", "sortino", "max_drawdown",
}
for _, k in ipairs(names) do M[k] = assert(C[k], k) end

doc.topic("metrics", "classification, regression and finance metrics",
  "Vectors are tables of numbers (booleans count 0/1), columns or tensors. y_true of a " ..
  "classification metric holds 0/1 labels. accuracy, precision, recall, f1 and confusion " ..
  "cut scores at opts.threshold (0.5; score >= threshold predicts 1), or take 0/1 labels " ..
  "with labels = true (nothing is guessed from the values). auc, pr_auc, ks, gini, the " ..
  "curves, logloss and brier take scores or probabilities as given. Ranking metrics handle tied scores exactly. NaN, empty input, unequal lengths and undefined cases " ..
  "(one class for auc, constant y_true for r2, a zero for mape) raise an error naming the " ..
  "function and the argument. Formulas: docs/metrics.md.")
doc.typetopic["moneta.Confusion"] = "metrics"      -- help(cm) for a confusion table cm

doc.module(M, "moneta.metrics", "metrics", {
  {"accuracy", "metrics.accuracy(y_true, y_pred [, {threshold=0.5 | labels=true}]) -> number",
   "Share of correct predictions; y_pred holds scores cut at threshold, or 0/1 labels when " ..
   "labels = true (then any other value raises)."},
  {"precision", "metrics.precision(y_true, y_pred [, {threshold=0.5 | labels=true, zero_division=0}]) -> number",
   "tp / (tp + fp); zero_division (0, 1 or \"error\") when nothing is predicted positive."},
  {"recall", "metrics.recall(y_true, y_pred [, {threshold=0.5 | labels=true, zero_division=0}]) -> number",
   "tp / (tp + fn), the true positive rate; zero_division when y_true has no positive."},
  {"f1", "metrics.f1(y_true, y_pred [, {threshold=0.5 | labels=true, zero_division=0}]) -> number",
   "F1 score 2 tp / (2 tp + fp + fn), the harmonic mean of precision and recall."},
  {"confusion", "metrics.confusion(y_true, y_pred [, {threshold=0.5 | labels=true}]) -> {tp, fp, tn, fn}",
   "Confusion counts; printing the table shows the 2x2 matrix (rows true, columns predicted)."},
  {"auc", "metrics.auc(y_true, y_score) -> number",
   "ROC AUC: chance a random positive outscores a random negative, ties counting 1/2."},
  {"pr_auc", "metrics.pr_auc(y_true, y_score) -> number",
   "Average precision (scikit-learn): sum of recall steps times precision, ties grouped."},
  {"logloss", "metrics.logloss(y_true, y_prob [, {eps=1e-15}]) -> number",
   "Mean negative log-likelihood of probabilities clipped to [eps, 1 - eps]."},
  {"brier", "metrics.brier(y_true, y_prob) -> number",
   "Brier score: mean squared difference between probability and label."},
  {"ks", "metrics.ks(y_true, y_score) -> ks, threshold",
   "Kolmogorov-Smirnov: max |TPR - FPR| over thresholds, and the score where it is reached."},
  {"gini", "metrics.gini(y_true, y_score) -> number",
   "Gini coefficient (accuracy ratio) 2 * auc - 1."},
  {"roc_curve", "metrics.roc_curve(y_true, y_score) -> fpr, tpr, thresholds",
   "ROC points at each distinct score, highest first, after the point (0, 0) at threshold inf."},
  {"pr_curve", "metrics.pr_curve(y_true, y_score) -> precision, recall, thresholds",
   "Precision-recall points at each distinct score, highest first, after (1, 0) at inf."},
  {"mse", "metrics.mse(y_true, y_pred) -> number", "Mean squared error."},
  {"rmse", "metrics.rmse(y_true, y_pred) -> number", "Root mean squared error."},
  {"mae", "metrics.mae(y_true, y_pred) -> number", "Mean absolute error."},
  {"mape", "metrics.mape(y_true, y_pred) -> number",
   "Mean absolute percentage error as a fraction (0.05 = 5%); zeros in y_true are refused."},
  {"r2", "metrics.r2(y_true, y_pred) -> number",
   "Coefficient of determination 1 - SS_res / SS_tot; a constant y_true is refused."},
  {"directional", "metrics.directional(y_true, y_pred [, {kind=\"sign\"}]) -> number",
   "Share of matching directions: signs of values (\"sign\") or of moves from the last true " ..
   "value (\"change\")."},
  {"sharpe", "metrics.sharpe(returns [, {rf=0, periods=252}]) -> number",
   "Annualised Sharpe ratio sqrt(periods) * mean(r - rf) / sd(r - rf), sample sd; rf per period."},
  {"sortino", "metrics.sortino(returns [, {target=0, periods=252}]) -> number",
   "Annualised Sortino ratio; downside deviation sqrt(mean(min(r - target, 0)^2)) over all r."},
  {"max_drawdown", "metrics.max_drawdown(x [, {kind=\"returns\"}]) -> depth, peak, trough",
   "Largest fall from a high as a positive fraction, with 1-based peak and trough indices " ..
   "(peak 0: the starting capital); kind \"returns\", \"log_returns\" or \"equity\"."},
})

return M
