/* stats.c -- ranking kernels over (score, label) pairs: sort, tie groups, 2U (see stats.h). */
#include "core/stats.h"

#include <stdlib.h>

static int by_score_desc(const void *a, const void *b) {
    double x = ((const mn_Scored *)a)->s, y = ((const mn_Scored *)b)->s;
    return (x < y) - (x > y);
}

void mn_scored_sort(mn_Scored *v, int64_t n) {
    if (n > 1)
        qsort(v, (size_t)n, sizeof *v, by_score_desc);
}

int64_t mn_scored_group(const mn_Scored *v, int64_t n, int64_t i, int64_t *pos, int64_t *neg) {
    int64_t j = i;
    *pos = *neg = 0;
    while (j < n && v[j].s == v[i].s) {
        if (v[j].y)
            (*pos)++;
        else
            (*neg)++;
        j++;
    }
    return j;
}

int64_t mn_auc_u2(const mn_Scored *v, int64_t n, int64_t *npos) {
    int64_t u2 = 0, tp = 0, pos, neg;
    /* A negative in a group is outranked by every positive of earlier groups (2 each) and
    ** tied with the positives of its own group (1 each). */
    for (int64_t i = 0; i < n;) {
        i = mn_scored_group(v, n, i, &pos, &neg);
        u2 += neg * (2 * tp + pos);
        tp += pos;
    }
    if (npos != NULL)
        *npos = tp;
    return u2;
}
