/* woe.c -- weight-of-evidence binning (quantile, monotonic by pooling adjacent violators,
** categorical with an "other" bin), WoE and IV from the bin counts, and the population
** stability index. Plain arrays in, an fr_Woe out; frames are data/transform.c's business. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "data/woe.h"

void fr_woe_opts_init(fr_WoeOpts *o) {
    o->method = FR_WOE_QUANTILE;
    o->bins = 10;
    o->fine = 20;
    o->min_share = 0.05;
    o->smooth = 0.5;
}

void fr_woe_free(fr_Woe *w) {
    if (w == NULL)
        return;
    for (int32_t k = 0; w->lev != NULL && k < w->nlev; k++)
        mn_free(w->lev[k]);
    mn_free(w->lev);
    mn_free(w->lev_bin);
    mn_free(w->bin);
    mn_free(w);
}

int fr_woe_alloc(int categorical, int nbins, int32_t nlev, fr_Woe **out, mn_Err *e) {
    fr_Woe *w = mn_calloc(1, sizeof *w);
    if (w == NULL || nbins < 0 || nlev < 0)
        goto fail;
    w->categorical = categorical != 0;
    w->nbins = nbins;
    w->other = -1;
    w->smooth = 0.5;
    if ((w->bin = mn_calloc((size_t)nbins + 1, sizeof *w->bin)) == NULL)
        goto fail;
    for (int k = 0; k <= nbins; k++)
        w->bin[k].lo = w->bin[k].hi = (double)NAN;
    w->nlev = nlev;
    if (nlev > 0 && ((w->lev = mn_calloc((size_t)nlev, sizeof *w->lev)) == NULL ||
                     (w->lev_bin = mn_calloc((size_t)nlev, sizeof *w->lev_bin)) == NULL))
        goto fail;
    *out = w;
    return MN_OK;
fail:
    fr_woe_free(w);
    if (nbins < 0 || nlev < 0)
        return mn_fail(e, MN_EARG, "woe: negative bin or level count");
    return mn_fail(e, MN_ENOMEM, "woe: out of memory");
}

int fr_woe_finish(fr_Woe *w, mn_Err *e) {
    int used = 0;
    double s = w->smooth, G, B;
    if (!(s >= 0.0 && s < 1e6))
        return mn_fail(e, MN_EARG, "woe: smoothing must be >= 0 (got %g)", s);
    w->good = w->bad = 0;
    for (int k = 0; k <= w->nbins; k++) {
        const fr_WoeBin *b = &w->bin[k];
        if (b->n < 0 || b->bad < 0 || b->bad > b->n)
            return mn_fail(e, MN_EARG, "woe: bin %d has %" PRId64 " rows and %" PRId64
                           " bads", k + 1, b->n, b->bad);
        if (!w->categorical && k < w->nbins) {
            if (isnan(b->hi) || (k > 0 && !(b->hi > w->bin[k - 1].hi)))
                return mn_fail(e, MN_EARG, "woe: bin edges must increase");
            if (k == w->nbins - 1 && !(isinf(b->hi) && b->hi > 0))
                return mn_fail(e, MN_EARG, "woe: the last bin must end at +inf");
        }
        w->good += b->n - b->bad;
        w->bad += b->bad;
        used += b->n > 0;
    }
    if (w->categorical) {
        if (w->other < -1 || w->other >= w->nbins)
            return mn_fail(e, MN_EARG, "woe: bad 'other' bin %d", w->other);
        for (int32_t q = 0; q < w->nlev; q++) {
            if (w->lev[q] == NULL || (q > 0 && strcmp(w->lev[q - 1], w->lev[q]) >= 0))
                return mn_fail(e, MN_EARG, "woe: levels must be sorted and distinct");
            if (w->lev_bin[q] < 0 || w->lev_bin[q] >= w->nbins)
                return mn_fail(e, MN_EARG, "woe: level %" PRId32 " has bin %" PRId32, q + 1,
                               w->lev_bin[q]);
        }
    }
    if (w->good == 0 || w->bad == 0)
        return mn_fail(e, MN_EARG, "woe: the target needs both classes (%" PRId64 " goods, %"
                       PRId64 " bads; 1 = bad)", w->good, w->bad);
    G = (double)w->good + s * used;
    B = (double)w->bad + s * used;
    w->iv = 0.0;
    for (int k = 0; k <= w->nbins; k++) {
        fr_WoeBin *b = &w->bin[k];
        double pg, pb;
        if (b->n == 0) {                  /* nothing seen: no evidence either way */
            b->woe = b->iv = 0.0;
            continue;
        }
        pg = ((double)(b->n - b->bad) + s) / G;
        pb = ((double)b->bad + s) / B;
        if (pg == 0.0 || pb == 0.0)       /* smooth = 0 and an empty cell */
            return mn_fail(e, MN_EARG, "woe: bin %d has no %s; set smooth > 0", k + 1,
                           pg == 0.0 ? "goods" : "bads");
        b->woe = log(pg / pb);
        b->iv = (pg - pb) * b->woe;
        w->iv += b->iv;
    }
    return MN_OK;
}

static int check_target(const double *y, int64_t n, mn_Err *e) {
    for (int64_t i = 0; i < n; i++)
        if (!(y[i] == 0.0 || y[i] == 1.0))
            return mn_fail(e, MN_EARG, "woe: target row %" PRId64 " is %g; it must be 0 (good) "
                           "or 1 (bad)", i + 1, y[i]);
    return MN_OK;
}

int fr_woe_check_opts(const fr_WoeOpts *o, mn_Err *e) {
    if ((unsigned)o->method > FR_WOE_MONOTONIC)
        return mn_fail(e, MN_EARG, "woe: bad method %d", (int)o->method);
    if (o->bins < 1 || o->bins > 10000 || o->fine < 1 || o->fine > 10000)
        return mn_fail(e, MN_EARG, "woe: bins and fine must be in 1..10000 (got %d, %d)",
                       o->bins, o->fine);
    if (!(o->min_share >= 0.0 && o->min_share < 1.0))
        return mn_fail(e, MN_EARG, "woe: min_share must be in [0, 1) (got %g)", o->min_share);
    if (!(o->smooth >= 0.0 && o->smooth < 1e6))
        return mn_fail(e, MN_EARG, "woe: smooth must be >= 0 (got %g)", o->smooth);
    return MN_OK;
}

/* ---- numeric ---- */

typedef struct XY {
    double x, y;
} XY;

static int cmp_xy(const void *a, const void *b) {
    double u = ((const XY *)a)->x, v = ((const XY *)b)->x;
    return (u > v) - (u < v);
}

static int cmp_dbl(const void *a, const void *b) {
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

/* Quantile edges of sorted v[0..m) for K bins: strictly increasing, each < v[m-1]. Writes
** up to K - 1 edges into 'edge'; returns how many. */
static int quantile_edges(const double *v, int64_t m, int K, double *edge) {
    int ne = 0;
    for (int k = 1; k < K && m > 0; k++) {
        int64_t idx = ((int64_t)k * m + K - 1) / K - 1;   /* ceil(k m / K) - 1 */
        double x = v[idx < 0 ? 0 : idx];
        if (x >= v[m - 1] || (ne > 0 && x <= edge[ne - 1]))
            continue;
        edge[ne++] = x;
    }
    return ne;
}

/* Merge bin k+1 into bin k (arrays of nb bins). */
static void merge_next(fr_WoeBin *b, int *nb, int k) {
    b[k].hi = b[k + 1].hi;
    b[k].n += b[k + 1].n;
    b[k].bad += b[k + 1].bad;
    memmove(&b[k + 1], &b[k + 2], (size_t)(*nb - k - 2) * sizeof *b);
    (*nb)--;
}

/* Bad rate of a falls after b's (rate a > rate b) in the given direction, without division. */
static int violates(const fr_WoeBin *a, const fr_WoeBin *b, int dir) {
    double l = (double)a->bad * (double)b->n, r = (double)b->bad * (double)a->n;
    return dir > 0 ? l > r : l < r;
}

static void merge_small(fr_WoeBin *b, int *nb, double min_rows) {
    while (*nb > 1) {
        int k = -1;
        for (int j = 0; j < *nb; j++)
            if ((double)b[j].n < min_rows && (k < 0 || b[j].n < b[k].n))
                k = j;
        if (k < 0)
            return;
        if (k == 0 || (k < *nb - 1 && b[k + 1].n < b[k - 1].n))
            merge_next(b, nb, k);
        else
            merge_next(b, nb, k - 1);
    }
}

static int pearson_sign(const XY *p, int64_t m) {
    double mx = 0.0, my = 0.0, sxy = 0.0;
    for (int64_t i = 0; i < m; i++) {
        mx += p[i].x;
        my += p[i].y;
    }
    mx /= (double)(m ? m : 1);
    my /= (double)(m ? m : 1);
    for (int64_t i = 0; i < m; i++)
        sxy += (p[i].x - mx) * (p[i].y - my);
    return sxy < 0.0 ? -1 : 1;
}

int fr_woe_fit_num(const double *x, const double *y, int64_t n, const fr_WoeOpts *o,
                   fr_Woe **out, mn_Err *e) {
    fr_WoeOpts def;
    XY *p = NULL;
    double *v = NULL, *edge = NULL;
    fr_WoeBin *b = NULL;
    fr_Woe *w = NULL;
    int64_t m = 0, nmiss = 0, bmiss = 0;
    int K, ne, nb, rc, dir = 0;
    if (o == NULL) {
        fr_woe_opts_init(&def);
        o = &def;
    }
    if ((rc = fr_woe_check_opts(o, e)) != MN_OK || (rc = check_target(y, n, e)) != MN_OK)
        return rc;
    K = o->method == FR_WOE_MONOTONIC ? o->fine : o->bins;
    p = mn_malloc((size_t)(n ? n : 1) * sizeof *p);
    v = mn_malloc((size_t)(n ? n : 1) * sizeof *v);
    edge = mn_malloc((size_t)K * sizeof *edge);
    b = mn_calloc((size_t)K + 1, sizeof *b);
    if (p == NULL || v == NULL || edge == NULL || b == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "woe: out of memory");
        goto done;
    }
    for (int64_t i = 0; i < n; i++) {
        if (isnan(x[i])) {
            nmiss++;
            bmiss += y[i] == 1.0;
        } else {
            p[m].x = x[i];
            p[m++].y = y[i];
        }
    }
    qsort(p, (size_t)m, sizeof *p, cmp_xy);
    for (int64_t i = 0; i < m; i++)
        v[i] = p[i].x;
    ne = quantile_edges(v, m, K, edge);
    nb = m > 0 ? ne + 1 : 0;
    for (int k = 0; k < nb; k++)
        b[k].hi = k < ne ? edge[k] : (double)INFINITY;
    for (int64_t i = 0, k = 0; i < m; i++) {      /* sorted: walk the bins once */
        while (k < nb - 1 && p[i].x > b[k].hi)
            k++;
        b[k].n++;
        b[k].bad += p[i].y == 1.0;
    }
    if (o->method == FR_WOE_MONOTONIC && nb > 1) {
        dir = pearson_sign(p, m);
        for (int k = 0; k < nb - 1;) {            /* pool adjacent violators */
            if (violates(&b[k], &b[k + 1], dir)) {
                merge_next(b, &nb, k);
                k = k > 0 ? k - 1 : 0;
            } else {
                k++;
            }
        }
    } else if (o->method == FR_WOE_MONOTONIC) {
        dir = 1;
    }
    merge_small(b, &nb, o->min_share * (double)m);
    if ((rc = fr_woe_alloc(0, nb, 0, &w, e)) != MN_OK)
        goto done;
    for (int k = 0; k < nb; k++) {
        w->bin[k] = b[k];
        w->bin[k].lo = k == 0 ? -(double)INFINITY : b[k - 1].hi;
    }
    w->bin[nb].n = nmiss;
    w->bin[nb].bad = bmiss;
    w->direction = dir;
    w->smooth = o->smooth;
    if ((rc = fr_woe_finish(w, e)) != MN_OK)
        goto done;
    *out = w;
    w = NULL;
done:
    fr_woe_free(w);
    mn_free(p);
    mn_free(v);
    mn_free(edge);
    mn_free(b);
    return rc;
}

/* ---- categorical ---- */

typedef struct SY {
    const char *s;
    double      y;
} SY;

static int cmp_sy(const void *a, const void *b) {
    return strcmp(((const SY *)a)->s, ((const SY *)b)->s);
}

int fr_woe_fit_cat(const char *const *x, const double *y, int64_t n, const fr_WoeOpts *o,
                   fr_Woe **out, mn_Err *e) {
    fr_WoeOpts def;
    SY *p = NULL;
    int64_t *cnt = NULL, *bad = NULL, m = 0, nmiss = 0, bmiss = 0;
    int32_t nl = 0, nbig = 0;
    int nsmall = 0, rc;
    fr_Woe *w = NULL;
    if (o == NULL) {
        fr_woe_opts_init(&def);
        o = &def;
    }
    if ((rc = fr_woe_check_opts(o, e)) != MN_OK || (rc = check_target(y, n, e)) != MN_OK)
        return rc;
    p = mn_malloc((size_t)(n ? n : 1) * sizeof *p);
    cnt = mn_calloc((size_t)(n ? n : 1), sizeof *cnt);
    bad = mn_calloc((size_t)(n ? n : 1), sizeof *bad);
    if (p == NULL || cnt == NULL || bad == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "woe: out of memory");
        goto done;
    }
    for (int64_t i = 0; i < n; i++) {
        if (x[i] == NULL) {
            nmiss++;
            bmiss += y[i] == 1.0;
        } else {
            p[m].s = x[i];
            p[m++].y = y[i];
        }
    }
    qsort(p, (size_t)m, sizeof *p, cmp_sy);
    for (int64_t i = 0; i < m; i++) {
        if (i == 0 || strcmp(p[i].s, p[i - 1].s) != 0) {
            if (nl >= INT32_MAX - 1) {
                rc = mn_fail(e, MN_EARG, "woe: too many levels");
                goto done;
            }
            p[nl++].s = p[i].s;                    /* compacts the distinct levels in place */
        }
        cnt[nl - 1]++;
        bad[nl - 1] += p[i].y == 1.0;
    }
    for (int32_t q = 0; q < nl; q++) {
        if ((double)cnt[q] < o->min_share * (double)m)
            nsmall++;
        else
            nbig++;
    }
    if ((rc = fr_woe_alloc(1, nbig + (nsmall > 0), nl, &w, e)) != MN_OK)
        goto done;
    w->other = nsmall > 0 ? nbig : -1;
    for (int32_t q = 0, k = 0; q < nl; q++) {
        int big = (double)cnt[q] >= o->min_share * (double)m;
        int bin = big ? k++ : w->other;
        if ((w->lev[q] = mn_strdup(p[q].s)) == NULL) {
            rc = mn_fail(e, MN_ENOMEM, "woe: out of memory");
            goto done;
        }
        w->lev_bin[q] = bin;
        w->bin[bin].n += cnt[q];
        w->bin[bin].bad += bad[q];
    }
    w->bin[w->nbins].n = nmiss;
    w->bin[w->nbins].bad = bmiss;
    w->smooth = o->smooth;
    if ((rc = fr_woe_finish(w, e)) != MN_OK)
        goto done;
    *out = w;
    w = NULL;
done:
    fr_woe_free(w);
    mn_free(p);
    mn_free(cnt);
    mn_free(bad);
    return rc;
}

/* ---- lookup ---- */

int fr_woe_bin_num(const fr_Woe *w, double x) {
    int lo = 0, hi = w->nbins - 1;
    if (isnan(x) || w->nbins == 0)
        return isnan(x) ? w->nbins : -1;
    while (lo < hi) {                             /* first bin with x <= hi */
        int mid = lo + (hi - lo) / 2;
        if (x <= w->bin[mid].hi)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

int fr_woe_bin_cat(const fr_Woe *w, const char *s) {
    int32_t lo = 0, hi = w->nlev - 1;
    if (s == NULL)
        return w->nbins;
    while (lo <= hi) {
        int32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(w->lev[mid], s);
        if (c == 0)
            return w->lev_bin[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return w->other;
}

double fr_woe_value(const fr_Woe *w, int bin) {
    return bin < 0 || bin > w->nbins ? 0.0 : w->bin[bin].woe;
}

const char *fr_iv_reading(double iv) {
    return iv < 0.02 ? "useless" : iv < 0.1 ? "weak" : iv < 0.3 ? "medium" :
           iv < 0.5 ? "strong" : "suspicious";
}

/* ---- PSI ---- */

const char *fr_psi_reading(double psi) {
    return psi < 0.1 ? "stable" : psi < 0.25 ? "some shift" : "major shift";
}

void fr_psi_clear(fr_Psi *p) {
    mn_free(p->hi);
    mn_free(p->expected);
    mn_free(p->actual);
    mn_free(p->contrib);
    memset(p, 0, sizeof *p);
}

/* Counts of x[0..n) in the bins hi[0..nv) (+ a missing slot at nv). */
static void count_bins(const double *x, int64_t n, const double *hi, int nv, double *c) {
    for (int64_t i = 0; i < n; i++) {
        int lo = 0, top = nv - 1;
        if (isnan(x[i])) {
            c[nv] += 1.0;
            continue;
        }
        while (lo < top) {
            int mid = lo + (top - lo) / 2;
            if (x[i] <= hi[mid])
                top = mid;
            else
                lo = mid + 1;
        }
        c[lo] += 1.0;
    }
}

int fr_psi(const double *expected, int64_t ne, const double *actual, int64_t na, int bins,
           fr_Psi *out, mn_Err *e) {
    fr_Psi r = {0};
    double *v = NULL, *ce = NULL, *ca = NULL, te = 0.0, ta = 0.0;
    int64_t m = 0, ma = 0;
    int nv, nb, rc = MN_OK;
    const double s = 0.5;
    if (bins < 2 || bins > 10000)
        return mn_fail(e, MN_EARG, "psi: bins must be in 2..10000 (got %d)", bins);
    v = mn_malloc((size_t)(ne ? ne : 1) * sizeof *v);
    r.hi = mn_malloc(((size_t)bins + 1) * sizeof *r.hi);
    ce = mn_calloc((size_t)bins + 1, sizeof *ce);
    ca = mn_calloc((size_t)bins + 1, sizeof *ca);
    if (v == NULL || r.hi == NULL || ce == NULL || ca == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "psi: out of memory");
        goto done;
    }
    for (int64_t i = 0; i < ne; i++)
        if (!isnan(expected[i]))
            v[m++] = expected[i];
    for (int64_t i = 0; i < na; i++)
        ma += !isnan(actual[i]);
    if (m == 0 || ma == 0) {
        rc = mn_fail(e, MN_EARG, "psi: the %s sample has no values", m == 0 ? "expected" :
                     "actual");
        goto done;
    }
    qsort(v, (size_t)m, sizeof *v, cmp_dbl);
    nv = quantile_edges(v, m, bins, r.hi) + 1;
    r.hi[nv - 1] = (double)INFINITY;
    count_bins(expected, ne, r.hi, nv, ce);
    count_bins(actual, na, r.hi, nv, ca);
    nb = nv + (ce[nv] > 0.0 || ca[nv] > 0.0);     /* a missing bin only when needed */
    r.hi[nv] = (double)NAN;
    r.nbins = nb;
    r.expected = mn_malloc((size_t)nb * sizeof *r.expected);
    r.actual = mn_malloc((size_t)nb * sizeof *r.actual);
    r.contrib = mn_malloc((size_t)nb * sizeof *r.contrib);
    if (r.expected == NULL || r.actual == NULL || r.contrib == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "psi: out of memory");
        goto done;
    }
    for (int k = 0; k < nb; k++) {
        te += ce[k] + s;
        ta += ca[k] + s;
    }
    for (int k = 0; k < nb; k++) {
        double pe = (ce[k] + s) / te, pa = (ca[k] + s) / ta;
        r.expected[k] = pe;
        r.actual[k] = pa;
        r.contrib[k] = (pa - pe) * log(pa / pe);
        r.psi += r.contrib[k];
    }
    *out = r;
    r.hi = r.expected = r.actual = r.contrib = NULL;
done:
    fr_psi_clear(&r);
    mn_free(v);
    mn_free(ce);
    mn_free(ca);
    return rc;
}
