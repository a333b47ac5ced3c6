/* stats.c -- column statistics that skip missing values (summary, quantiles), distinct values
** and their counts, and fr_describe, the per-column summary frame. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "data/ops_int.h"
#include "data/stats.h"

int64_t fr_col_count(const fr_Column *c) {
    int64_t m = 0;
    for (int64_t i = 0; i < c->n; i++)
        m += !fr_col_isna(c, i);
    return m;
}

int fr_col_summary(const fr_Column *c, fr_Summary *s, mn_Err *e) {
    fr__Sum sum = {0, 0};
    double ss = 0, lo = (double)INFINITY, hi = -(double)INFINITY;
    int64_t m = 0;
    if (!fr__is_numeric(c))
        return mn_fail(e, MN_EARG, "column is %s, not numeric (f64 or bool)",
                       fr_type_name(c->type));
    for (int64_t i = 0; i < c->n; i++) {
        double x = fr__num_at(c, i);
        if (isnan(x))
            continue;
        m++;
        fr__sum_add(&sum, x);
        if (x < lo)
            lo = x;
        if (x > hi)
            hi = x;
    }
    s->count = m;
    s->missing = c->n - m;
    s->sum = sum.sum + sum.comp;
    s->mean = m > 0 ? s->sum / (double)m : (double)NAN;
    for (int64_t i = 0; m > 1 && i < c->n; i++) {      /* second pass: deviations */
        double x = fr__num_at(c, i);
        if (!isnan(x))
            ss += (x - s->mean) * (x - s->mean);
    }
    s->std = m > 1 ? sqrt(ss / (double)(m - 1)) : (double)NAN;
    s->min = m > 0 ? lo : (double)NAN;
    s->max = m > 0 ? hi : (double)NAN;
    return MN_OK;
}

void fr__moments(const fr_Column *c, int ddof, double *mean, double *sd, int64_t *m) {
    fr__Sum s = {0, 0};
    double mu, ss = 0;
    int64_t k = 0;
    for (int64_t i = 0; i < c->n; i++) {
        double x = fr__num_at(c, i);
        if (!isnan(x)) {
            fr__sum_add(&s, x);
            k++;
        }
    }
    *m = k;
    mu = k > 0 ? (s.sum + s.comp) / (double)k : (double)NAN;
    for (int64_t i = 0; k > ddof && i < c->n; i++) {   /* second pass: deviations */
        double x = fr__num_at(c, i);
        if (!isnan(x))
            ss += (x - mu) * (x - mu);
    }
    *mean = mu;
    *sd = k > ddof ? sqrt(ss / (double)(k - ddof)) : (double)NAN;
}

double fr_quantile_sorted(const double *x, int64_t n, double p) {
    double h, fl;
    int64_t j;
    if (n == 0)
        return (double)NAN;
    h = (double)(n - 1) * p;
    fl = floor(h);
    j = (int64_t)fl;
    if (j >= n - 1)
        return x[n - 1];
    if (h == fl || x[j] == x[j + 1])      /* exact: no 0 * inf when a neighbour is infinite */
        return x[j];
    return x[j] + (h - fl) * (x[j + 1] - x[j]);
}

static int dbl_cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int fr__sorted_values(const fr_Column *c, double **out, int64_t *m, mn_Err *e) {
    double *x;
    int64_t k = 0;
    if (!fr__is_numeric(c))
        return mn_fail(e, MN_EARG, "column is %s, not numeric (f64 or bool)",
                       fr_type_name(c->type));
    x = mn_malloc((size_t)(c->n ? c->n : 1) * sizeof *x);
    if (x == NULL)
        return mn_fail(e, MN_ENOMEM, "out of memory sorting %" PRId64 " values", c->n);
    for (int64_t i = 0; i < c->n; i++) {
        double v = fr__num_at(c, i);
        if (!isnan(v))
            x[k++] = v;
    }
    qsort(x, (size_t)k, sizeof *x, dbl_cmp);
    *out = x;
    *m = k;
    return MN_OK;
}

int fr_col_quantiles(const fr_Column *c, const double *p, int np, double *q, mn_Err *e) {
    double *x;
    int64_t m;
    int rc;
    if (!fr__is_numeric(c))
        return mn_fail(e, MN_EARG, "quantile: column is %s, not numeric (f64 or bool)",
                       fr_type_name(c->type));
    for (int i = 0; i < np; i++)
        if (!(p[i] >= 0 && p[i] <= 1))
            return mn_fail(e, MN_EARG, "quantile: p = %g is outside [0, 1]", p[i]);
    if ((rc = fr__sorted_values(c, &x, &m, e)) != MN_OK)
        return mn_prefix(e, "quantile");
    for (int i = 0; i < np; i++)
        q[i] = fr_quantile_sorted(x, m, p[i]);
    mn_free(x);
    return MN_OK;
}

/* ---- distinct values ---- */

/* Groups of the non-missing values of 'c' and the count of each. '*counts' is owned by the
** caller (mn_free); 'g' is freed with fr__groups_free. */
static int count_values(const fr_Column *c, fr__Groups *g, int64_t **counts, mn_Err *e) {
    fr__Keys ks;
    fr_Column *col = (fr_Column *)c;                /* keys only read it */
    int64_t *cnt = NULL;
    int rc;
    memset(g, 0, sizeof *g);
    rc = fr__keys_init(&ks, &col, 1, e);
    if (rc == MN_OK)
        rc = fr__groups_build(&ks, 0, g, e);
    fr__keys_free(&ks);
    if (rc != MN_OK)
        return rc;
    cnt = mn_calloc((size_t)(g->ngroups ? g->ngroups : 1), sizeof *cnt);
    if (cnt == NULL)
        return mn_fail(e, MN_ENOMEM, "value counts: out of memory");
    for (int64_t i = 0; i < c->n; i++)
        if (g->gid[i] >= 0)
            cnt[g->gid[i]]++;
    *counts = cnt;
    return MN_OK;
}

int fr_col_unique(const fr_Column *c, fr_Column **out, mn_Err *e) {
    fr__Groups g;
    int64_t *cnt = NULL;
    int rc = count_values(c, &g, &cnt, e);
    if (rc == MN_OK)
        rc = fr_col_take(c, g.first, g.ngroups, out, e);
    fr__groups_free(&g);
    mn_free(cnt);
    return rc;
}

typedef struct CountRef {
    int64_t count, id;
} CountRef;

static int countref_cmp(const void *a, const void *b) {
    const CountRef *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;          /* most frequent first */
    return (x->id > y->id) - (x->id < y->id);         /* then first seen */
}

/* Group ids ordered most frequent first, ties by first appearance (= group id). */
static int order_by_count(const int64_t *cnt, int64_t ng, int64_t **out, mn_Err *e) {
    CountRef *refs = mn_malloc((size_t)(ng ? ng : 1) * sizeof *refs);
    int64_t *ord = mn_malloc((size_t)(ng ? ng : 1) * sizeof *ord);
    if (refs == NULL || ord == NULL) {
        mn_free(refs);
        mn_free(ord);
        return mn_fail(e, MN_ENOMEM, "value counts: out of memory");
    }
    for (int64_t q = 0; q < ng; q++)
        refs[q].count = cnt[q], refs[q].id = q;
    qsort(refs, (size_t)ng, sizeof *refs, countref_cmp);
    for (int64_t q = 0; q < ng; q++)
        ord[q] = refs[q].id;
    mn_free(refs);
    *out = ord;
    return MN_OK;
}

int fr_value_counts(const fr_Column *c, fr_Frame **out, mn_Err *e) {
    fr__Groups g;
    int64_t *cnt = NULL, *ord = NULL, *rows = NULL;
    fr_Column *vals = NULL, *counts = NULL;
    fr_Frame *f = NULL;
    int rc = count_values(c, &g, &cnt, e);
    if (rc != MN_OK)
        goto done;
    if ((rc = order_by_count(cnt, g.ngroups, &ord, e)) != MN_OK)
        goto done;
    if ((rows = mn_malloc((size_t)(g.ngroups ? g.ngroups : 1) * sizeof *rows)) == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "value counts: out of memory");
        goto done;
    }
    for (int64_t q = 0; q < g.ngroups; q++)
        rows[q] = g.first[ord[q]];
    if ((rc = fr_col_take(c, rows, g.ngroups, &vals, e)) != MN_OK ||
        (rc = fr_col_new(FR_F64, g.ngroups, &counts, e)) != MN_OK)
        goto done;
    for (int64_t q = 0; q < g.ngroups; q++)
        fr_col_f64(counts)[q] = (double)cnt[ord[q]];
    if ((rc = fr_new(g.ngroups, &f, e)) != MN_OK ||
        (rc = fr_add(f, "value", vals, e)) != MN_OK ||
        (rc = fr_add(f, "count", counts, e)) != MN_OK)
        goto done;
    *out = f;
    f = NULL;
done:
    fr_free(f);
    fr_col_unref(vals);
    fr_col_unref(counts);
    fr__groups_free(&g);
    mn_free(cnt);
    mn_free(ord);
    mn_free(rows);
    return rc;
}

/* ---- describe ---- */

enum { D_COUNT, D_MISSING, D_MEAN, D_STD, D_MIN, D_Q25, D_Q50, D_Q75, D_MAX, D_UNIQUE, D_FREQ,
       D_NNUM };
static const char *const num_names[D_NNUM] = {
    "count", "missing", "mean", "std", "min", "25%", "50%", "75%", "max", "unique", "freq"};

/* Stats of column c into row j of the numeric output columns and top[j]. */
static int describe_col(const fr_Column *c, double **v, int64_t j, char **top, mn_Err *e) {
    int rc;
    v[D_COUNT][j] = (double)fr_col_count(c);
    v[D_MISSING][j] = (double)(c->n - fr_col_count(c));
    if (fr__is_numeric(c)) {
        fr_Summary s;
        static const double p[3] = {0.25, 0.5, 0.75};
        double q[3];
        if ((rc = fr_col_summary(c, &s, e)) != MN_OK ||
            (rc = fr_col_quantiles(c, p, 3, q, e)) != MN_OK)
            return rc;
        v[D_MEAN][j] = s.mean, v[D_STD][j] = s.std, v[D_MIN][j] = s.min;
        v[D_Q25][j] = q[0], v[D_Q50][j] = q[1], v[D_Q75][j] = q[2], v[D_MAX][j] = s.max;
    }
    if (c->type != FR_F64) {
        fr__Groups g;
        int64_t *cnt = NULL, best = -1;
        if ((rc = count_values(c, &g, &cnt, e)) != MN_OK) {
            fr__groups_free(&g);
            return rc;
        }
        v[D_UNIQUE][j] = (double)g.ngroups;
        for (int64_t q = 0; q < g.ngroups; q++)
            if (best < 0 || cnt[q] > cnt[best])
                best = q;                                /* first seen wins ties */
        if (best >= 0 && c->type != FR_DATE && c->type != FR_DATETIME) {
            char buf[128];
            fr_col_format(c, g.first[best], buf, sizeof buf);
            v[D_FREQ][j] = (double)cnt[best];
            if ((top[j] = mn_strdup(buf)) == NULL)
                rc = mn_fail(e, MN_ENOMEM, "describe: out of memory");
        }
        fr__groups_free(&g);
        mn_free(cnt);
    }
    return rc;
}

int fr_describe(const fr_Frame *f, fr_Frame **out, mn_Err *e) {
    int64_t nc = fr_ncols(f);
    fr_Column *name = NULL, *type = NULL, *top = NULL, *num[D_NNUM] = {NULL};
    double *v[D_NNUM];
    fr_Frame *d = NULL;
    int rc;
    if ((rc = fr_col_new(FR_TEXT, nc, &name, e)) != MN_OK ||
        (rc = fr_col_new(FR_TEXT, nc, &type, e)) != MN_OK ||
        (rc = fr_col_new(FR_TEXT, nc, &top, e)) != MN_OK)
        goto done;
    for (int s = 0; s < D_NNUM; s++) {
        if ((rc = fr_col_new(FR_F64, nc, &num[s], e)) != MN_OK)
            goto done;
        v[s] = fr_col_f64(num[s]);
    }
    for (int64_t j = 0; j < nc; j++) {
        const fr_Column *c = fr_col(f, (int)j);
        if ((fr_col_text(name)[j] = mn_strdup(fr_name(f, (int)j))) == NULL ||
            (fr_col_text(type)[j] = mn_strdup(fr_type_name(c->type))) == NULL) {
            rc = mn_fail(e, MN_ENOMEM, "describe: out of memory");
            goto done;
        }
        if ((rc = describe_col(c, v, j, fr_col_text(top), e)) != MN_OK) {
            mn_prefix(e, "describe: column '%s'", fr_name(f, (int)j));
            goto done;
        }
    }
    if ((rc = fr_new(nc, &d, e)) != MN_OK ||
        (rc = fr_add(d, "column", name, e)) != MN_OK ||
        (rc = fr_add(d, "type", type, e)) != MN_OK)
        goto done;
    for (int s = 0; s <= D_UNIQUE && rc == MN_OK; s++)
        rc = fr_add(d, num_names[s], num[s], e);
    if (rc == MN_OK && (rc = fr_add(d, "top", top, e)) == MN_OK)
        rc = fr_add(d, "freq", num[D_FREQ], e);
    if (rc != MN_OK)
        goto done;
    *out = d;
    d = NULL;
done:
    fr_free(d);
    fr_col_unref(name);
    fr_col_unref(type);
    fr_col_unref(top);
    for (int s = 0; s < D_NNUM; s++)
        fr_col_unref(num[s]);
    return rc;
}

/* ---- ranks, correlation, least squares, kernel density (stats.h) ---- */

typedef struct RankItem {
    double  v;
    int64_t i;
} RankItem;

static int rank_cmp(const void *a, const void *b) {
    const RankItem *x = a, *y = b;
    if (x->v < y->v)
        return -1;
    if (x->v > y->v)
        return 1;
    return (x->i > y->i) - (x->i < y->i);
}

int fr_ranks(const double *x, int64_t n, double *r, mn_Err *e) {
    RankItem *it = mn_malloc((size_t)(n > 0 ? n : 1) * sizeof *it);
    int64_t m = 0;
    if (it == NULL)
        return mn_fail(e, MN_ENOMEM, "ranks: out of memory for %lld values", (long long)n);
    for (int64_t i = 0; i < n; i++) {
        if (isfinite(x[i])) {
            it[m].v = x[i];
            it[m++].i = i;
        }
        r[i] = (double)NAN;
    }
    qsort(it, (size_t)m, sizeof *it, rank_cmp);
    for (int64_t a = 0, b; a < m; a = b) {
        for (b = a + 1; b < m && it[b].v == it[a].v; b++) {}
        for (int64_t k = a; k < b; k++)          /* ranks a+1..b share their mean */
            r[it[k].i] = (double)(a + 1 + b) / 2.0;
    }
    mn_free(it);
    return MN_OK;
}

/* Centred second moments of the pairs where both x and y are finite, in two passes (means
** first): their count, the means and the sums of squares and products. */
typedef struct Moments {
    int64_t m;
    double  mx, my, sxx, syy, sxy;
} Moments;

static Moments pair_moments(const double *x, const double *y, int64_t n) {
    Moments q = {0, 0, 0, 0, 0, 0};
    double sx = 0, sy = 0;
    for (int64_t i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i])) {
            sx += x[i];
            sy += y[i];
            q.m++;
        }
    if (q.m == 0)
        return q;
    q.mx = sx / (double)q.m;
    q.my = sy / (double)q.m;
    for (int64_t i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i])) {
            double u = x[i] - q.mx, v = y[i] - q.my;
            q.sxx += u * u;
            q.syy += v * v;
            q.sxy += u * v;
        }
    return q;
}

/* Pearson's r of the pairs where both are finite; NaN with fewer than 2 or a constant side. */
static double pearson(const double *x, const double *y, int64_t n) {
    Moments q = pair_moments(x, y, n);
    if (q.m < 2 || !(q.sxx > 0) || !(q.syy > 0))
        return (double)NAN;
    return q.sxy / sqrt(q.sxx * q.syy);
}

int fr_corr(const double *x, const double *y, int64_t n, int method, double *r, mn_Err *e) {
    double *px, *py, *rx, *ry;
    int64_t m = 0;
    int rc;
    if (method == FR_PEARSON) {
        *r = pearson(x, y, n);
        return MN_OK;
    }
    if (method != FR_SPEARMAN)
        return mn_fail(e, MN_EARG, "corr: unknown method %d (pearson or spearman)", method);
    if ((px = mn_malloc(4 * (size_t)(n > 0 ? n : 1) * sizeof *px)) == NULL)
        return mn_fail(e, MN_ENOMEM, "corr: out of memory for %lld values", (long long)n);
    py = px + n;
    rx = py + n;
    ry = rx + n;
    for (int64_t i = 0; i < n; i++)          /* the complete pairs, then their ranks */
        if (isfinite(x[i]) && isfinite(y[i])) {
            px[m] = x[i];
            py[m++] = y[i];
        }
    if ((rc = fr_ranks(px, m, rx, e)) == MN_OK && (rc = fr_ranks(py, m, ry, e)) == MN_OK)
        *r = pearson(rx, ry, m);
    mn_free(px);
    return rc;
}

int fr_corr_matrix(const double *const *cols, int ncols, int64_t n, int method, double *out,
                   mn_Err *e) {
    for (int i = 0; i < ncols; i++) {
        out[(size_t)i * (size_t)ncols + (size_t)i] = 1.0;
        for (int j = i + 1; j < ncols; j++) {
            double r;
            int rc = fr_corr(cols[i], cols[j], n, method, &r, e);
            if (rc != MN_OK)
                return rc;
            out[(size_t)i * (size_t)ncols + (size_t)j] = r;
            out[(size_t)j * (size_t)ncols + (size_t)i] = r;
        }
    }
    return MN_OK;
}

int fr_linfit(const double *x, const double *y, int64_t n, double *icept, double *slope,
              double *r2, int64_t *m, mn_Err *e) {
    Moments q = pair_moments(x, y, n);
    double b;
    if (q.m < 2)
        return mn_fail(e, MN_EARG, "fit: needs at least 2 points where x and y are finite, "
                       "got %lld", (long long)q.m);
    if (!(q.sxx > 0))
        return mn_fail(e, MN_EARG, "fit: x is constant, so no line fits");
    b = q.sxy / q.sxx;
    *slope = b;
    *icept = q.my - b * q.mx;
    *r2 = q.syy > 0 ? q.sxy * q.sxy / (q.sxx * q.syy) : 1.0;
    *m = q.m;
    return MN_OK;
}

int fr_bw_nrd0(const double *x, int64_t n, double *bw, mn_Err *e) {
    double *v = mn_malloc((size_t)(n > 0 ? n : 1) * sizeof *v), s = 0, ss = 0, sd, iqr, lo;
    int64_t m = 0;
    if (v == NULL)
        return mn_fail(e, MN_ENOMEM, "bandwidth: out of memory for %lld values", (long long)n);
    for (int64_t i = 0; i < n; i++)
        if (isfinite(x[i])) {
            v[m++] = x[i];
            s += x[i];
        }
    if (m < 2) {
        mn_free(v);
        return mn_fail(e, MN_EARG, "bandwidth: needs at least 2 finite values, got %lld",
                       (long long)m);
    }
    for (int64_t i = 0; i < m; i++)
        ss += (v[i] - s / (double)m) * (v[i] - s / (double)m);
    sd = sqrt(ss / (double)(m - 1));
    lo = fabs(v[0]);                         /* R's x[1]: the first finite value */
    qsort(v, (size_t)m, sizeof *v, dbl_cmp);
    iqr = fr_quantile_sorted(v, m, 0.75) - fr_quantile_sorted(v, m, 0.25);
    mn_free(v);
    {
        double spread = iqr / 1.34 < sd ? iqr / 1.34 : sd;
        if (!(spread > 0))
            spread = sd > 0 ? sd : lo > 0 ? lo : 1.0;
        *bw = 0.9 * spread * pow((double)m, -0.2);
    }
    return MN_OK;
}

int fr_kde(const double *x, int64_t n, double bw, double lo, double hi, int m, double *xs,
           double *ys, mn_Err *e) {
    enum { NBIN = 4096 };
    const double c = 1.0 / sqrt(2.0 * M_PI);
    double step = 0, xmin = HUGE_VAL, xmax = -HUGE_VAL, *w = NULL;
    int64_t k = 0;
    if (!(bw > 0) || !isfinite(bw))
        return mn_fail(e, MN_EARG, "kde: bandwidth must be a positive number, got %g", bw);
    if (m < 2 || !(hi > lo))
        return mn_fail(e, MN_EARG, "kde: needs 2 or more points on a range with low < high");
    for (int64_t i = 0; i < n; i++)
        if (isfinite(x[i])) {
            k++;
            if (x[i] < xmin)
                xmin = x[i];
            if (x[i] > xmax)
                xmax = x[i];
        }
    if (k == 0)
        return mn_fail(e, MN_EARG, "kde: no finite value");
    if ((double)k * (double)m > 4e6 && xmax > xmin) {
        /* linear binning: each value splits its weight between the two nearest bin points */
        if ((w = mn_calloc(NBIN, sizeof *w)) == NULL)
            return mn_fail(e, MN_ENOMEM, "kde: out of memory");
        step = (xmax - xmin) / (NBIN - 1);
        for (int64_t i = 0; i < n; i++)
            if (isfinite(x[i])) {
                double p = (x[i] - xmin) / step;
                int b = (int)floor(p);
                double f = p - b;
                if (b >= NBIN - 1) {
                    b = NBIN - 2;
                    f = 1.0;
                }
                w[b] += 1.0 - f;
                w[b + 1] += f;
            }
    }
    for (int i = 0; i < m; i++) {
        double at = lo + (hi - lo) * (double)i / (double)(m - 1), acc = 0;
        if (w != NULL) {
            for (int b = 0; b < NBIN; b++)
                if (w[b] > 0) {
                    double z = (at - (xmin + b * step)) / bw;
                    if (z > -40 && z < 40)
                        acc += w[b] * exp(-0.5 * z * z);
                }
        } else {
            for (int64_t j = 0; j < n; j++)
                if (isfinite(x[j])) {
                    double z = (at - x[j]) / bw;
                    acc += exp(-0.5 * z * z);
                }
        }
        xs[i] = at;
        ys[i] = acc * c / ((double)k * bw);
    }
    mn_free(w);
    return MN_OK;
}
