/* group.c -- group-by aggregation: rows grouped by a hash of their keys (groups in order of
** first appearance), then one pass over the rows per aggregation, with per-group scratch
** arrays allocated once per call. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/mem.h"
#include "data/ops_int.h"

static const char *const agg_names[] = {"count", "sum", "mean", "std", "min", "max", "first",
                                        "last", "size"};
#define NAGG ((int)(sizeof agg_names / sizeof agg_names[0]))

int fr_agg_parse(const char *name, fr_Agg *out, mn_Err *e) {
    for (int a = 0; a < NAGG; a++)
        if (strcmp(name, agg_names[a]) == 0) {
            *out = (fr_Agg)a;
            return MN_OK;
        }
    return mn_fail(e, MN_EARG, "unknown aggregation '%s' (known: count, sum, mean, std, min, "
                   "max, first, last, size)", name);
}

const char *fr_agg_name(fr_Agg a) {
    return (unsigned)a < (unsigned)NAGG ? agg_names[a] : "?";
}

typedef struct Scratch {
    int64_t  ng;
    int64_t *cnt, *best;
    fr__Sum *sum;
    double  *ss;
} Scratch;

/* The aggregate of column c (NULL for SIZE) over the groups of g, as a new column. */
static int aggregate(const fr_Column *c, fr_Agg agg, const fr__Groups *g, Scratch *s,
                     fr_Column **out, mn_Err *e) {
    int64_t n = g->n, ng = g->ngroups;
    fr_Column *r = NULL;
    double *v;
    int rc;
    if (agg == FR_AGG_MIN || agg == FR_AGG_MAX || agg == FR_AGG_FIRST || agg == FR_AGG_LAST) {
        for (int64_t q = 0; q < ng; q++)
            s->best[q] = -1;
        for (int64_t i = 0; i < n; i++) {
            int64_t q = g->gid[i], b = s->best[q];
            if (fr_col_isna(c, i))
                continue;
            if (b < 0 || agg == FR_AGG_LAST ||
                (agg == FR_AGG_MIN && fr__cmp_rows(c, i, c, b) < 0) ||
                (agg == FR_AGG_MAX && fr__cmp_rows(c, i, c, b) > 0))
                s->best[q] = i;                     /* ties keep the first seen */
        }
        return fr_col_take(c, s->best, ng, out, e);
    }
    if ((agg == FR_AGG_SUM || agg == FR_AGG_MEAN || agg == FR_AGG_STD) && !fr__is_numeric(c))
        return mn_fail(e, MN_EARG, "%s needs a numeric (f64 or bool) column, not %s",
                       agg_names[agg], fr_type_name(c->type));
    if ((rc = fr_col_new(FR_F64, ng, &r, e)) != MN_OK)
        return rc;
    v = fr_col_f64(r);
    memset(s->cnt, 0, (size_t)ng * sizeof *s->cnt);
    if (agg == FR_AGG_SIZE || agg == FR_AGG_COUNT) {
        for (int64_t i = 0; i < n; i++)
            s->cnt[g->gid[i]] += agg == FR_AGG_SIZE || !fr_col_isna(c, i);
        for (int64_t q = 0; q < ng; q++)
            v[q] = (double)s->cnt[q];
        *out = r;
        return MN_OK;
    }
    for (int64_t q = 0; q < ng; q++) {
        s->sum[q].sum = s->sum[q].comp = 0;
        s->ss[q] = 0;
    }
    for (int64_t i = 0; i < n; i++) {
        int64_t q = g->gid[i];
        double x = fr__num_at(c, i);
        if (isnan(x))
            continue;
        s->cnt[q]++;
        fr__sum_add(&s->sum[q], x);                       /* compensated, per group */
    }
    for (int64_t q = 0; q < ng; q++) {
        double sum = s->sum[q].sum + s->sum[q].comp;
        v[q] = agg == FR_AGG_SUM ? sum : s->cnt[q] > 0 ? sum / (double)s->cnt[q] : (double)NAN;
    }
    if (agg == FR_AGG_STD) {                              /* second pass around the means */
        for (int64_t i = 0; i < n; i++) {
            int64_t q = g->gid[i];
            double x = fr__num_at(c, i);
            if (!isnan(x))
                s->ss[q] += (x - v[q]) * (x - v[q]);
        }
        for (int64_t q = 0; q < ng; q++)
            v[q] = s->cnt[q] > 1 ? sqrt(s->ss[q] / (double)(s->cnt[q] - 1)) : (double)NAN;
    }
    *out = r;
    return MN_OK;
}

int fr_groupby(const fr_Frame *f, const char *const *keys, int k, const fr_AggSpec *specs,
               int nspecs, fr_Frame **out, mn_Err *e) {
    fr_Column **kc = NULL;
    fr__Keys ks = {0};
    fr__Groups g = {0};
    Scratch s = {0};
    fr_Frame *r = NULL;
    int rc;
    if (k < 1)
        return mn_fail(e, MN_EARG, "groupby: no key columns");
    if ((kc = mn_malloc((size_t)k * sizeof *kc)) == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "groupby: out of memory");
        goto done;
    }
    for (int j = 0; j < k; j++)
        if ((rc = fr_get(f, keys[j], &kc[j], e)) != MN_OK) {
            mn_prefix(e, "groupby");
            goto done;
        }
    if ((rc = fr__keys_init(&ks, kc, k, e)) != MN_OK ||
        (rc = fr__groups_build(&ks, 1, &g, e)) != MN_OK ||
        (rc = fr_new(g.ngroups, &r, e)) != MN_OK)
        goto done;
    s.ng = g.ngroups;
    {
        size_t m = (size_t)(s.ng ? s.ng : 1);
        s.cnt = mn_malloc(m * sizeof *s.cnt);
        s.best = mn_malloc(m * sizeof *s.best);
        s.sum = mn_malloc(m * sizeof *s.sum);
        s.ss = mn_malloc(m * sizeof *s.ss);
        if (!s.cnt || !s.best || !s.sum || !s.ss) {
            rc = mn_fail(e, MN_ENOMEM, "groupby: out of memory");
            goto done;
        }
    }
    for (int j = 0; j < k; j++) {                   /* the keys: each group's first row */
        fr_Column *c;
        if ((rc = fr_col_take(kc[j], g.first, g.ngroups, &c, e)) != MN_OK)
            goto done;
        rc = fr_add(r, keys[j], c, e);
        fr_col_unref(c);
        if (rc != MN_OK) {
            mn_prefix(e, "groupby");
            goto done;
        }
    }
    for (int a = 0; a < nspecs; a++) {
        const fr_AggSpec *sp = &specs[a];
        fr_Column *c = NULL, *res;
        char name[256];
        if ((unsigned)sp->agg >= (unsigned)NAGG) {
            rc = mn_fail(e, MN_EARG, "groupby: bad aggregation %d", (int)sp->agg);
            goto done;
        }
        if (sp->agg != FR_AGG_SIZE && (sp->col == NULL || fr_get(f, sp->col, &c, e) != MN_OK)) {
            rc = sp->col == NULL ? mn_fail(e, MN_EARG, "groupby: %s needs a column",
                                           agg_names[sp->agg]) : mn_prefix(e, "groupby");
            goto done;
        }
        if (sp->as != NULL)
            snprintf(name, sizeof name, "%s", sp->as);
        else if (sp->agg == FR_AGG_SIZE)
            snprintf(name, sizeof name, "size");
        else
            snprintf(name, sizeof name, "%s_%s", sp->col, agg_names[sp->agg]);
        if ((rc = aggregate(c, sp->agg, &g, &s, &res, e)) != MN_OK) {
            mn_prefix(e, "groupby: column '%s'", sp->col);
            goto done;
        }
        rc = fr_add(r, name, res, e);
        fr_col_unref(res);
        if (rc != MN_OK) {
            mn_prefix(e, "groupby");
            goto done;
        }
    }
    *out = r;
    r = NULL;
done:
    fr_free(r);
    mn_free(kc);
    fr__keys_free(&ks);
    fr__groups_free(&g);
    mn_free(s.cnt);
    mn_free(s.best);
    mn_free(s.sum);
    mn_free(s.ss);
    return rc;
}
