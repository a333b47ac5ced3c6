/* select.c -- feature selection (select.h): correlation frames over data/stats.h, variance
** threshold, k-nearest-neighbour mutual information (a 2-d tree for the joint space, sorted
** arrays for one dimension) and variance inflation factors through core/blas.h's mn_lstsq. */
#include "features/select.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/blas.h"
#include "core/interrupt.h"
#include "core/mem.h"
#include "core/rng.h"
#include "data/stats.h"
#include "features/group.h"

/* ---- numeric columns ---- */

/* Column j of f as doubles through the layer's one reader (group.h's ft_numeric: f64
** borrowed, bool copied into '*owned'); errors start with 'what'. */
static int numeric(const fr_Frame *f, int j, const char *what, const double **x,
                   double **owned, mn_Err *e) {
    int rc = ft_numeric(f, fr_name(f, j), x, owned, e);
    return rc == MN_OK ? MN_OK : mn_prefix(e, "%s", what);
}

/* All columns of f as doubles: cols[j] borrowed or in owned[j] (free with free_cols). */
static int numeric_all(const fr_Frame *f, const char *what, const double ***cols,
                       double ***owned, mn_Err *e) {
    int k = fr_ncols(f), rc = MN_OK;
    const double **c = mn_calloc((size_t)(k > 0 ? k : 1), sizeof *c);
    double **o = mn_calloc((size_t)(k > 0 ? k : 1), sizeof *o);
    if (c == NULL || o == NULL) {
        mn_free(c), mn_free(o);
        return mn_fail(e, MN_ENOMEM, "%s: out of memory for %d columns", what, k);
    }
    for (int j = 0; j < k && rc == MN_OK; j++)
        rc = numeric(f, j, what, &c[j], &o[j], e);
    if (rc != MN_OK) {
        for (int j = 0; j < k; j++)
            mn_free(o[j]);
        mn_free(c), mn_free(o);
        return rc;
    }
    *cols = c;
    *owned = o;
    return MN_OK;
}

static void free_cols(const double **cols, double **owned, int k) {
    if (owned != NULL)
        for (int j = 0; j < k; j++)
            mn_free(owned[j]);
    mn_free(owned);
    mn_free((void *)cols);
}

/* MN_ENAN naming the first non-finite value of x, if any (column 'name'; NULL: the target). */
static int check_finite(const double *x, int64_t n, const char *what, const char *name,
                        mn_Err *e) {
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return mn_fail(e, MN_ENAN, "%s: %s%s%s has %s at row %" PRId64
                           " (drop or fill missing values first)", what,
                           name ? "column '" : "the target y", name ? name : "",
                           name ? "'" : "", isnan(x[i]) ? "NaN" : "an infinite value", i + 1);
    return MN_OK;
}

/* ---- correlation and variance ---- */

int ft_corr(const fr_Frame *f, int method, fr_Frame **out, mn_Err *e) {
    int k = fr_ncols(f), rc;
    int64_t n = fr_nrows(f);
    const double **cols = NULL;
    double **owned = NULL, *m = NULL;
    fr_Frame *g = NULL;
    fr_Column *c = NULL;

    if (k < 1)
        return mn_fail(e, MN_EARG, "corr: the frame has no columns");
    if (fr_find(f, "column") >= 0)
        return mn_fail(e, MN_EARG, "corr: a column is named 'column', the name the result "
                       "gives its row labels (rename it)");
    if ((rc = numeric_all(f, "corr", &cols, &owned, e)) != MN_OK)
        return rc;
    if ((m = mn_malloc((size_t)k * (size_t)k * sizeof *m)) == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "corr: out of memory for a %d x %d matrix", k, k);
        goto done;
    }
    if ((rc = fr_corr_matrix(cols, k, n, method, m, e)) != MN_OK)
        goto done;
    if ((rc = fr_new(k, &g, e)) != MN_OK || (rc = fr_col_new(FR_TEXT, k, &c, e)) != MN_OK)
        goto done;
    for (int i = 0; i < k; i++)
        if ((fr_col_text(c)[i] = mn_strdup(fr_name(f, i))) == NULL) {
            rc = mn_fail(e, MN_ENOMEM, "corr: out of memory for the names");
            goto done;
        }
    rc = fr_add(g, "column", c, e);
    fr_col_unref(c);
    c = NULL;
    for (int j = 0; j < k && rc == MN_OK; j++) {
        if ((rc = fr_col_new(FR_F64, k, &c, e)) != MN_OK)
            break;
        for (int i = 0; i < k; i++)
            fr_col_f64(c)[i] = m[(size_t)i * (size_t)k + (size_t)j];
        rc = fr_add(g, fr_name(f, j), c, e);
        fr_col_unref(c);
        c = NULL;
    }
    if (rc == MN_OK) {
        *out = g;
        g = NULL;
    }
done:
    fr_col_unref(c);
    fr_free(g);
    mn_free(m);
    free_cols(cols, owned, k);
    return rc;
}

int ft_variance_threshold(const fr_Frame *f, double threshold, double *var, fr_Frame **out,
                          mn_Err *e) {
    int k = fr_ncols(f), nkeep = 0, rc;
    int64_t n = fr_nrows(f);
    const double **cols = NULL;
    double **owned = NULL;
    const char **keep;

    if (!(threshold >= 0))
        return mn_fail(e, MN_EARG, "variance_threshold: threshold must be >= 0, got %g",
                       threshold);
    if ((rc = numeric_all(f, "variance_threshold", &cols, &owned, e)) != MN_OK)
        return rc;
    if ((keep = mn_malloc((size_t)(k > 0 ? k : 1) * sizeof *keep)) == NULL) {
        free_cols(cols, owned, k);
        return mn_fail(e, MN_ENOMEM, "variance_threshold: out of memory");
    }
    for (int j = 0; j < k; j++) {
        double s = 0, ss = 0, mean;
        int64_t m = 0;
        for (int64_t i = 0; i < n; i++)
            if (!isnan(cols[j][i]))
                s += cols[j][i], m++;
        mean = m > 0 ? s / (double)m : (double)NAN;
        for (int64_t i = 0; i < n; i++)
            if (!isnan(cols[j][i]))
                ss += (cols[j][i] - mean) * (cols[j][i] - mean);   /* two passes: no cancelling */
        var[j] = m > 0 ? ss / (double)m : (double)NAN;
        if (var[j] > threshold)
            keep[nkeep++] = fr_name(f, j);
    }
    rc = fr_select(f, keep, nkeep, out, e);
    mn_free(keep);
    free_cols(cols, owned, k);
    return rc;
}

/* ---- mutual information ---- */

/* psi(x) for x > 0: the recurrence up to 10, then the asymptotic series (error < 1e-14). */
static double digamma(double x) {
    double r = 0, f;
    while (x < 10) {
        r -= 1 / x;
        x += 1;
    }
    f = 1 / (x * x);
    return r + log(x) - 0.5 / x
           - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* In ascending s[0..n): the number of j with |s_j - v| <= r, comparing each difference as
** it is computed (what a tree's distance test does), found by two binary searches. */
static int64_t count_within(const double *s, int64_t n, double v, double r) {
    int64_t lo = 0, hi = n, a, b;
    while (lo < hi) {           /* first j with s_j >= v or v - s_j <= r */
        int64_t mid = lo + (hi - lo) / 2;
        if (s[mid] >= v || v - s[mid] <= r)
            hi = mid;
        else
            lo = mid + 1;
    }
    a = lo;
    lo = a, hi = n;
    while (lo < hi) {           /* first j with s_j > v and s_j - v > r */
        int64_t mid = lo + (hi - lo) / 2;
        if (s[mid] <= v || s[mid] - v <= r)
            lo = mid + 1;
        else
            hi = mid;
    }
    b = lo;
    return b - a;
}

/* The k smallest distances seen so far, ascending, in best[0..k); best[k-1] is the radius. */
static void keep_best(double *best, int k, double d) {
    int i;
    if (d >= best[k - 1])
        return;
    for (i = k - 1; i > 0 && best[i - 1] > d; i--)
        best[i] = best[i - 1];
    best[i] = d;
}

/* ---- a 2-d tree over points (x[i], y[i]) for the k-th neighbour in the maximum norm ---- */

typedef struct Tree {
    const double *x, *y;
    int64_t      *idx;        /* node [lo, hi): median idx[(lo + hi) / 2] splits on depth % 2 */
} Tree;

#define LEAF 8

static double coord(const Tree *t, int64_t i, int dim) { return dim ? t->y[i] : t->x[i]; }

/* Quickselect idx[lo..hi) so that idx[m] has the m-th smallest coordinate 'dim'. */
static void select_nth(Tree *t, int64_t lo, int64_t hi, int64_t m, int dim) {
    int64_t *v = t->idx;
    hi--;
    while (lo < hi) {
        double p = coord(t, v[lo + (hi - lo) / 2], dim);
        int64_t i = lo, j = hi;
        while (i <= j) {
            while (coord(t, v[i], dim) < p)
                i++;
            while (coord(t, v[j], dim) > p)
                j--;
            if (i <= j) {
                int64_t s = v[i];
                v[i] = v[j], v[j] = s;
                i++, j--;
            }
        }
        if (m <= j)
            hi = j;
        else if (m >= i)
            lo = i;
        else
            return;
    }
}

static void build(Tree *t, int64_t lo, int64_t hi, int depth) {
    int64_t m = lo + (hi - lo) / 2;
    if (hi - lo <= LEAF)
        return;
    select_nth(t, lo, hi, m, depth & 1);
    build(t, lo, m, depth + 1);
    build(t, m + 1, hi, depth + 1);
}

static double cheb(const Tree *t, int64_t i, int64_t q) {
    double dx = fabs(t->x[i] - t->x[q]), dy = fabs(t->y[i] - t->y[q]);
    return dx > dy ? dx : dy;
}

/* Feed the distances from point q (left out itself) in node [lo, hi) into best[0..k). */
static void search(const Tree *t, int64_t lo, int64_t hi, int depth, int64_t q, double *best,
                   int k) {
    int64_t m;
    int dim = depth & 1;
    double diff;
    if (hi - lo <= LEAF) {
        for (int64_t i = lo; i < hi; i++)
            if (t->idx[i] != q)
                keep_best(best, k, cheb(t, t->idx[i], q));
        return;
    }
    m = lo + (hi - lo) / 2;
    if (t->idx[m] != q)
        keep_best(best, k, cheb(t, t->idx[m], q));
    diff = coord(t, q, dim) - coord(t, t->idx[m], dim);
    if (diff < 0) {             /* the near side first; the far one only if it can hold closer */
        search(t, lo, m, depth + 1, q, best, k);
        if (-diff < best[k - 1])     /* a point there is at least -diff away: no better */
            search(t, m + 1, hi, depth + 1, q, best, k);
    } else {
        search(t, m + 1, hi, depth + 1, q, best, k);
        if (diff < best[k - 1])
            search(t, lo, m, depth + 1, q, best, k);
    }
}

int ft_mi_cc(const double *x, const double *y, int64_t n, int k, double *mi, mn_Err *e) {
    int64_t *idx;
    double *sx, *sy, *best, sum = 0;
    Tree t;

    if (k < 1 || n <= k)
        return mn_fail(e, MN_EARG, "mutual_info: need k >= 1 and more than k rows (k = %d, "
                       "%" PRId64 " rows)", k, n);
    idx = mn_malloc((size_t)n * sizeof *idx);
    sx = mn_malloc((size_t)n * sizeof *sx);
    sy = mn_malloc((size_t)n * sizeof *sy);
    best = mn_malloc((size_t)k * sizeof *best);
    if (idx == NULL || sx == NULL || sy == NULL || best == NULL) {
        mn_free(idx), mn_free(sx), mn_free(sy), mn_free(best);
        return mn_fail(e, MN_ENOMEM, "mutual_info: out of memory for %" PRId64 " rows", n);
    }
    for (int64_t i = 0; i < n; i++)
        idx[i] = i;
    memcpy(sx, x, (size_t)n * sizeof *sx);
    memcpy(sy, y, (size_t)n * sizeof *sy);
    qsort(sx, (size_t)n, sizeof *sx, cmp_double);
    qsort(sy, (size_t)n, sizeof *sy, cmp_double);
    t.x = x, t.y = y, t.idx = idx;
    build(&t, 0, n, 0);
    for (int64_t i = 0; i < n; i++) {
        double r;
        int64_t nx, ny;
        for (int j = 0; j < k; j++)
            best[j] = HUGE_VAL;
        search(&t, 0, n, 0, i, best, k);
        r = nextafter(best[k - 1], 0);           /* strictly inside the k-th neighbour */
        nx = count_within(sx, n, x[i], r) - 1;   /* not counting the point itself */
        ny = count_within(sy, n, y[i], r) - 1;
        sum += digamma((double)nx + 1) + digamma((double)ny + 1);
    }
    *mi = digamma((double)n) + digamma((double)k) - sum / (double)n;
    if (!(*mi > 0))
        *mi = 0;
    mn_free(idx), mn_free(sx), mn_free(sy), mn_free(best);
    return MN_OK;
}

/* Rows ordered by (label, value), for the per-label neighbour walk. */
typedef struct LabVal {
    double d, c;
} LabVal;

static int cmp_labval(const void *a, const void *b) {
    const LabVal *p = a, *q = b;
    if (p->d != q->d)
        return (p->d > q->d) - (p->d < q->d);
    return (p->c > q->c) - (p->c < q->c);
}

int ft_mi_cd(const double *c, const double *d, int64_t n, int k, double *mi, mn_Err *e) {
    LabVal *v;
    double *all, sk = 0, sm = 0, sl = 0;
    int64_t used = 0;

    if (k < 1 || n <= k)
        return mn_fail(e, MN_EARG, "mutual_info: need k >= 1 and more than k rows (k = %d, "
                       "%" PRId64 " rows)", k, n);
    v = mn_malloc((size_t)n * sizeof *v);
    all = mn_malloc((size_t)n * sizeof *all);
    if (v == NULL || all == NULL) {
        mn_free(v), mn_free(all);
        return mn_fail(e, MN_ENOMEM, "mutual_info: out of memory for %" PRId64 " rows", n);
    }
    for (int64_t i = 0; i < n; i++)
        v[i].d = d[i], v[i].c = c[i];
    qsort(v, (size_t)n, sizeof *v, cmp_labval);
    /* the values of rows whose label occurs more than once, sorted, for the radius counts */
    for (int64_t a = 0, b; a < n; a = b) {
        for (b = a + 1; b < n && v[b].d == v[a].d; b++)
            ;
        if (b - a > 1)
            for (int64_t i = a; i < b; i++)
                all[used++] = v[i].c;
    }
    if (used == 0) {
        mn_free(v), mn_free(all);
        return mn_fail(e, MN_EARG, "mutual_info: every class has a single row");
    }
    qsort(all, (size_t)used, sizeof *all, cmp_double);
    for (int64_t a = 0, b; a < n; a = b) {
        int64_t cnt;
        int kk;
        for (b = a + 1; b < n && v[b].d == v[a].d; b++)
            ;
        cnt = b - a;
        if (cnt < 2)
            continue;                         /* a label seen once is left out */
        kk = cnt - 1 < k ? (int)(cnt - 1) : k;
        for (int64_t i = a; i < b; i++) {
            /* the kk-th nearest other value in the label's sorted run: walk out both ways */
            int64_t l = i - 1, h = i + 1;
            double dist = 0, r;
            for (int s = 0; s < kk; s++) {
                double dl = l >= a ? v[i].c - v[l].c : HUGE_VAL;
                double dh = h < b ? v[h].c - v[i].c : HUGE_VAL;
                if (dl <= dh)
                    dist = dl, l--;
                else
                    dist = dh, h++;
            }
            r = nextafter(dist, 0);
            sm += digamma((double)count_within(all, used, v[i].c, r));
            sk += digamma((double)kk);
            sl += digamma((double)cnt);
        }
    }
    *mi = digamma((double)used) + (sk - sl - sm) / (double)used;
    if (!(*mi > 0))
        *mi = 0;
    mn_free(v), mn_free(all);
    return MN_OK;
}

/* scikit-learn's scale(with_mean=False) and its noise: out = v / sd + 1e-10 max(1, mean|.|) z */
static void scale_noise(const double *v, int64_t n, int noise, uint64_t seed, double *out) {
    double s = 0, ss = 0, mean, sd, ma = 0;
    mn_Rng r;
    for (int64_t i = 0; i < n; i++)
        s += v[i];
    mean = s / (double)n;
    for (int64_t i = 0; i < n; i++)
        ss += (v[i] - mean) * (v[i] - mean);
    sd = sqrt(ss / (double)n);
    if (sd < 10 * DBL_EPSILON)                /* sklearn's _handle_zeros_in_scale */
        sd = 1;
    for (int64_t i = 0; i < n; i++) {
        out[i] = v[i] / sd;
        ma += fabs(out[i]);
    }
    if (!noise)
        return;
    ma /= (double)n;
    if (ma < 1)
        ma = 1;
    mn_rng_seed(&r, seed);
    for (int64_t i = 0; i < n; i++)
        out[i] += 1e-10 * ma * mn_rng_normal(&r);
}

int ft_mutual_info(const fr_Frame *f, const double *y, const ft_MiOpts *o, double *mi,
                   mn_Err *e) {
    int k = fr_ncols(f), rc = MN_OK;
    int64_t n = fr_nrows(f);
    double *xs = NULL, *ys = NULL;

    if (o->kind != FT_MI_REGRESSION && o->kind != FT_MI_CLASSIFICATION)
        return mn_fail(e, MN_EARG, "mutual_info: unknown kind %d", o->kind);
    if (o->k < 1 || n <= o->k)
        return mn_fail(e, MN_EARG, "mutual_info: k must be >= 1 and below the number of rows "
                       "(k = %d, %" PRId64 " rows)", o->k, n);
    if ((rc = check_finite(y, n, "mutual_info", NULL, e)) != MN_OK)
        return rc;
    xs = mn_malloc((size_t)n * sizeof *xs);
    ys = mn_malloc((size_t)n * sizeof *ys);
    if (xs == NULL || ys == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "mutual_info: out of memory for %" PRId64 " rows", n);
        goto done;
    }
    if (o->kind == FT_MI_REGRESSION)
        scale_noise(y, n, o->noise, o->seed, ys);
    for (int j = 0; j < k && rc == MN_OK; j++) {
        const double *x;
        double *owned;
        if (mn_interrupted()) {
            rc = mn_fail(e, MN_EINTR, "mutual_info: interrupted at column '%s'", fr_name(f, j));
            break;
        }
        if ((rc = numeric(f, j, "mutual_info", &x, &owned, e)) != MN_OK)
            break;
        if ((rc = check_finite(x, n, "mutual_info", fr_name(f, j), e)) == MN_OK) {
            scale_noise(x, n, o->noise, o->seed + 1 + (uint64_t)j, xs);
            rc = o->kind == FT_MI_REGRESSION ? ft_mi_cc(xs, ys, n, o->k, &mi[j], e)
                                             : ft_mi_cd(xs, y, n, o->k, &mi[j], e);
        }
        mn_free(owned);
    }
done:
    mn_free(xs), mn_free(ys);
    return rc;
}

/* ---- variance inflation factors ---- */

int ft_vif(const fr_Frame *f, double *vif, mn_Err *e) {
    int k = fr_ncols(f), rc;
    int64_t n = fr_nrows(f);
    const double **cols = NULL;
    double **owned = NULL, *a = NULL, *b = NULL;

    if (k < 1)
        return mn_fail(e, MN_EARG, "vif: the frame has no columns");
    if (n <= k || n > INT32_MAX)
        return mn_fail(e, MN_EARG, "vif: %" PRId64 " rows for %d columns and the intercept: "
                       "more rows than parameters (and under 2^31) needed", n, k);
    if ((rc = numeric_all(f, "vif", &cols, &owned, e)) != MN_OK)
        return rc;
    for (int j = 0; j < k && rc == MN_OK; j++) {
        if ((rc = check_finite(cols[j], n, "vif", fr_name(f, j), e)) != MN_OK)
            break;
        for (int64_t i = 1; i < n; i++)
            if (cols[j][i] != cols[j][0])
                goto varies;
        rc = mn_fail(e, MN_EARG, "vif: column '%s' is constant: it is collinear with the "
                     "intercept and has no VIF (drop it)", fr_name(f, j));
varies:;
    }
    if (rc != MN_OK)
        goto done;
    a = mn_malloc((size_t)n * (size_t)k * sizeof *a);   /* (n, k): 1 and the other columns */
    b = mn_malloc((size_t)n * sizeof *b);
    if (a == NULL || b == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "vif: out of memory for %" PRId64 " x %d", n, k);
        goto done;
    }
    for (int j = 0; j < k && rc == MN_OK; j++) {
        const double *x = cols[j];
        double mean = 0, tss = 0, ssr = 0, r2;
        if (mn_interrupted()) {
            rc = mn_fail(e, MN_EINTR, "vif: interrupted at column '%s'", fr_name(f, j));
            break;
        }
        for (int64_t i = 0; i < n; i++) {
            double *row = a + (size_t)i * (size_t)k;
            row[0] = 1;
            for (int l = 0, c = 1; l < k; l++)
                if (l != j)
                    row[c++] = cols[l][i];
            b[i] = x[i];
            mean += x[i];
        }
        if ((rc = mn_lstsq(a, (int)n, k, b, -1, NULL, e)) != MN_OK)
            break;
        mean /= (double)n;
        for (int64_t i = 0; i < n; i++) {      /* residuals from the original data */
            double fit = b[0];
            for (int l = 0, c = 1; l < k; l++)
                if (l != j)
                    fit += b[c++] * cols[l][i];
            ssr += (x[i] - fit) * (x[i] - fit);
            tss += (x[i] - mean) * (x[i] - mean);
        }
        r2 = 1 - ssr / tss;                     /* statsmodels' rsquared, then its formula */
        vif[j] = 1 / (1 - r2);
    }
done:
    mn_free(a), mn_free(b);
    free_cols(cols, owned, k);
    return rc;
}
