/* stats.h -- small ranking kernels shared by eval/ (AUC, Gini, KS, curves) and nn/ (the fit's
** val_auc): (score, label) pairs sorted by score, swept in groups of tied scores. No
** allocation and no errors here: callers check their inputs and own the arrays. */
#ifndef MN_CORE_STATS_H
#define MN_CORE_STATS_H

#include <stdint.h>

typedef struct mn_Scored {
    double s;                  /* score; a higher score means "more likely 1" */
    int    y;                  /* label 0/1 */
} mn_Scored;

/* Sort v[0..n) by score, highest first; the order inside a group of ties is unspecified.
** Scores must not be NaN. */
void mn_scored_sort(mn_Scored *v, int64_t n);

/* For sorted v: the counts of positives and negatives in the group of scores tied with v[i];
** returns the index just after that group. */
int64_t mn_scored_group(const mn_Scored *v, int64_t n, int64_t i, int64_t *pos, int64_t *neg);

/* For sorted v: twice the Mann-Whitney U statistic, in integers: each (positive, negative)
** pair counts 2 when the positive scores higher, 1 when tied. ROC AUC = u2 / (2 P N) with P
** positives and N = n - P negatives; '*npos' (may be NULL) gets P. Exact while 2 P N < 2^63,
** that is for n up to 4e9. */
int64_t mn_auc_u2(const mn_Scored *v, int64_t n, int64_t *npos);

#endif
