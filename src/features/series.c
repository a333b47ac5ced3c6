/* series.c -- the series kernels of series.h: shifts, returns, rolling/expanding statistics
** (running compensated sums, Welford, monotonic deques, a Fenwick tree of ranks) and pandas'
** exponentially weighted recursions. One group at a time; out[i] never reads past i. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "features/series.h"

/* ---- shifts and returns ---- */

void ft_lag(const double *x, int64_t n, int64_t k, double *out) {
    for (int64_t i = n - 1; i >= 0; i--)          /* backwards: out may alias x */
        out[i] = i >= k ? x[i - k] : (double)NAN;
}

void ft_diff(const double *x, int64_t n, int64_t k, double *out) {
    for (int64_t i = n - 1; i >= 0; i--)
        out[i] = i >= k ? x[i] - x[i - k] : (double)NAN;
}

void ft_pct_change(const double *x, int64_t n, int64_t k, double *out) {
    for (int64_t i = n - 1; i >= 0; i--)
        out[i] = i >= k ? x[i] / x[i - k] - 1.0 : (double)NAN;
}

void ft_log_returns(const double *x, int64_t n, int64_t k, double *out) {
    for (int64_t i = n - 1; i >= 0; i--) {
        double r = i >= k ? x[i] / x[i - k] : (double)NAN;
        out[i] = r > 0 ? log(r) : (double)NAN;    /* NaN in, or a non-positive price */
    }
}

/* ---- window statistics ---- */

static const char *const stat_names[] = {"sum", "mean", "var", "std", "min", "max", "median",
                                         "quantile", "zscore", "skew", "count"};
#define NSTAT ((int)(sizeof stat_names / sizeof stat_names[0]))

int ft_stat_parse(const char *s, ft_Stat *out, mn_Err *e) {
    for (int i = 0; i < NSTAT; i++)
        if (s != NULL && strcmp(s, stat_names[i]) == 0) {
            *out = (ft_Stat)i;
            return MN_OK;
        }
    return mn_fail(e, MN_EARG, "stat '%s': expected sum, mean, var, std, min, max, median, "
                   "quantile, zscore, skew or count", s ? s : "(nil)");
}

const char *ft_stat_name(ft_Stat s) {
    return (unsigned)s < (unsigned)NSTAT ? stat_names[s] : "?";
}

int ft_window_check(const ft_Window *w, ft_Stat s, mn_Err *e) {
    if (w->span <= 0 && w->rows < 1)
        return mn_fail(e, MN_EARG, "window: %lld rows; a window is >= 1 row or a span "
                       "(\"20d\")", (long long)w->rows);
    if (w->min_periods < -1)
        return mn_fail(e, MN_EARG, "min_periods: %lld; expected >= 0",
                       (long long)w->min_periods);
    if (w->span <= 0 && w->rows != INT64_MAX && w->min_periods > w->rows)
        return mn_fail(e, MN_EARG, "min_periods: %lld is more than the window (%lld rows)",
                       (long long)w->min_periods, (long long)w->rows);
    if (s == FT_QUANTILE && !(w->q >= 0 && w->q <= 1))
        return mn_fail(e, MN_EARG, "q: %g; a quantile is in [0, 1]", w->q);
    return MN_OK;
}

/* Kahan's compensated sum (pandas' rolling sums use the same); removal adds -x. Branch-free,
** unlike Neumaier's variant, whose data-dependent branch mispredicts on returns. The total
** is s; c holds the negated lost low part. */
typedef struct Sum {
    double s, c;
} Sum;

static inline void sum_add(Sum *a, double x) {
    double y = x - a->c, t = a->s + y;
    a->c = (t - a->s) - y;
    a->s = t;
}

/* The running state of one window. */
typedef struct Win {
    ft_Stat  stat;
    int64_t  nobs;                 /* non-NaN values in the window */
    Sum      s1, s2, s3;           /* sum; skew: powers of x - shift */
    double   mean, ssq;            /* Welford */
    double   shift;                /* skew */
    double   prev;                 /* last non-NaN value added */
    int64_t  same;                 /* how many of the last added values equal 'prev' */
    int64_t *rank, *tree, nt;      /* median/quantile: rank of each x, Fenwick over ranks */
    double  *sorted;               /* values by rank */
    double  *sw;                   /* small row windows: the window's values, sorted */
    int64_t  inv_n;                /* replace: 'inv' is 1 / inv_n (a full window's count) */
    double   inv;
} Win;

/* Row windows up to this many rows keep median/quantile in a sorted array (binary search,
** then a memmove of at most SMALL_WIN doubles: a few ns per row in cache); longer windows and
** spans use the Fenwick tree, whose one sort of the group costs O(n log n). */
#define SMALL_WIN 256

/* The first i with a[i] >= v in sorted a[0..n) (n if none), branch-free (the select compiles
** to a conditional move: a data-dependent branch here mispredicts on every other row). */
static int64_t sw_lower(const double *a, int64_t n, double v) {
    const double *b = a;
    if (n == 0)
        return 0;
    while (n > 1) {
        int64_t half = n / 2;
        b = b[half - 1] < v ? b + half : b;
        n -= half;
    }
    return (b - a) + (b[0] < v);
}

static void fen_add(Win *w, int64_t r, int64_t d) {
    for (int64_t i = r + 1; i <= w->nt; i += i & -i)
        w->tree[i] += d;
}

static int64_t fen_kth(const Win *w, int64_t k) {  /* rank of the k-th (0-based) present value */
    int64_t pos = 0, step = 1;
    while (step * 2 <= w->nt)
        step *= 2;
    for (; step > 0; step /= 2)
        if (pos + step <= w->nt && w->tree[pos + step] <= k) {
            pos += step;
            k -= w->tree[pos];
        }
    return pos;                                   /* 0-based rank */
}

typedef struct Pair {
    double  v;
    int64_t i;
} Pair;

static int cmp_pair(const void *a, const void *b) {
    const Pair *u = a, *v = b;
    return (u->v > v->v) - (u->v < v->v);
}

static inline void win_add(Win *w, const double *x, int64_t i) {
    double v = x[i];
    if (isnan(v))
        return;
    w->nobs++;
    w->same = w->nobs > 1 && v == w->prev ? w->same + 1 : 1;
    w->prev = v;
    switch (w->stat) {
    case FT_SUM: case FT_MEAN:
        sum_add(&w->s1, v);
        break;
    case FT_VAR: case FT_STD: case FT_ZSCORE: {
        double d = v - w->mean;
        w->mean += d / (double)w->nobs;
        w->ssq += d * (v - w->mean);
        break;
    }
    case FT_SKEW: {
        double u = v - w->shift;
        sum_add(&w->s1, u);
        sum_add(&w->s2, u * u);
        sum_add(&w->s3, u * u * u);
        break;
    }
    case FT_MEDIAN: case FT_QUANTILE:
        if (w->sw != NULL) {
            int64_t p = sw_lower(w->sw, w->nobs - 1, v);
            memmove(w->sw + p + 1, w->sw + p, (size_t)(w->nobs - 1 - p) * sizeof *w->sw);
            w->sw[p] = v;
        } else {
            fen_add(w, w->rank[i], 1);
        }
        break;
    case FT_MIN: case FT_MAX: case FT_COUNT:     /* min, max: roll_minmax */
        break;
    }
}

static inline void win_remove(Win *w, const double *x, int64_t i) {
    double v = x[i];
    if (isnan(v))
        return;
    w->nobs--;
    switch (w->stat) {
    case FT_SUM: case FT_MEAN:
        sum_add(&w->s1, -v);
        if (w->nobs == 0)
            w->s1.s = w->s1.c = 0;
        break;
    case FT_VAR: case FT_STD: case FT_ZSCORE:
        if (w->nobs == 0) {
            w->mean = w->ssq = 0;
        } else {
            double d = v - w->mean;
            w->mean -= d / (double)w->nobs;
            w->ssq -= d * (v - w->mean);
        }
        break;
    case FT_SKEW: {
        double u = v - w->shift;
        sum_add(&w->s1, -u);
        sum_add(&w->s2, -u * u);
        sum_add(&w->s3, -u * u * u);
        break;
    }
    case FT_MEDIAN: case FT_QUANTILE:
        if (w->sw != NULL) {
            int64_t p = sw_lower(w->sw, w->nobs + 1, v);   /* a[p] == v: it is there */
            memmove(w->sw + p, w->sw + p + 1, (size_t)(w->nobs - p) * sizeof *w->sw);
        } else {
            fen_add(w, w->rank[i], -1);
        }
        break;
    case FT_MIN: case FT_MAX: case FT_COUNT:     /* min, max: roll_minmax */
        break;
    }
}

/* Row windows, both values present: the oldest value u leaves as v arrives, in one update
** (half the dependent floating-point steps of a removal and an addition). */
static inline void win_replace(Win *w, double u, double v) {
    w->same = v == w->prev ? w->same + 1 : 1;
    w->prev = v;
    if (w->stat == FT_SUM || w->stat == FT_MEAN) {
        sum_add(&w->s1, v - u);
    } else {                                      /* var, std, zscore: Welford's replace */
        double d = v - u, m0 = w->mean;
        if (w->inv_n != w->nobs) {                /* a multiply, not a divide, in the chain */
            w->inv_n = w->nobs;
            w->inv = 1.0 / (double)w->nobs;
        }
        w->mean += d * w->inv;
        w->ssq += d * ((v - w->mean) + (u - m0));
    }
}

static double win_var(const Win *w) {
    if (w->nobs < 2)
        return NAN;
    if (w->same >= w->nobs)                       /* all equal: exactly 0, as pandas */
        return 0;
    return w->ssq > 0 ? w->ssq / (double)(w->nobs - 1) : 0.0;
}

static double win_value(const Win *w, const double *x, int64_t i, double q) {
    switch (w->stat) {
    case FT_SUM: return w->s1.s;
    case FT_MEAN: return w->nobs ? w->s1.s / (double)w->nobs : (double)NAN;
    case FT_VAR: return win_var(w);
    case FT_STD: return sqrt(win_var(w));
    case FT_ZSCORE: return (x[i] - w->mean) / sqrt(win_var(w));
    case FT_SKEW: {
        double dn = (double)w->nobs, A, B, C;
        if (w->nobs < 3)
            return NAN;
        if (w->same >= w->nobs)
            return 0;
        A = w->s1.s / dn;
        B = w->s2.s / dn - A * A;
        C = w->s3.s / dn - A * A * A - 3 * A * B;
        if (B <= 1e-14)
            return NAN;
        return sqrt(dn * (dn - 1)) * C / ((dn - 2) * B * sqrt(B));
    }
    case FT_MEDIAN: case FT_QUANTILE: {
        double idx = q * (double)(w->nobs - 1), lo, a, b;
        int64_t ilo;
        if (w->nobs == 0)
            return NAN;
        lo = floor(idx);
        ilo = (int64_t)lo;
        a = w->sw ? w->sw[ilo] : w->sorted[fen_kth(w, ilo)];
        if (idx == lo)
            return a;
        b = w->sw ? w->sw[ilo + 1] : w->sorted[fen_kth(w, ilo + 1)];
        return a + (idx - lo) * (b - a);
    }
    case FT_COUNT: return (double)w->nobs;
    case FT_MIN: case FT_MAX: break;              /* roll_minmax */
    }
    return NAN;
}

/* min or max by a monotonic deque of indices dq (n), without the generic dispatch: the
** deque's pops are data-dependent, so the loop is kept small. */
static void roll_minmax(const double *x, const int64_t *t, int64_t n, const ft_Window *w,
                        int64_t minp, int ismax, int64_t *dq, double *out) {
    int64_t dh = 0, dt = 0, lo = 0, cnt = 0;
    for (int64_t i = 0; i < n; i++) {
        double v = x[i];
        if (!isnan(v)) {
            if (ismax)
                while (dt > dh && x[dq[dt - 1]] <= v)
                    dt--;
            else
                while (dt > dh && x[dq[dt - 1]] >= v)
                    dt--;
            dq[dt++] = i;
            cnt++;
        }
        if (w->span > 0) {
            while (t[lo] <= t[i] - w->span)
                cnt -= !isnan(x[lo++]);
        } else if (i - lo + 1 > w->rows) {
            cnt -= !isnan(x[lo++]);
        }
        while (dt > dh && dq[dh] < lo)           /* a span may drop several at once */
            dh++;
        out[i] = cnt >= minp && cnt > 0 ? x[dq[dh]] : (double)NAN;
    }
}

/* min or max over row windows of 'rows' by van Herk / Gil-Werman: within blocks of 'rows'
** values a running extreme from the block's start (g, written into out) and one from its end
** (h, the scratch), so the window [i - rows + 1, i] is max(h[i - rows + 1], g[i]): three
** comparisons a row, no data-dependent branches. NaN counts as -inf for max (+inf for min)
** and the window's count of values decides min_periods, so the result is the deque's. No
** look-ahead in the result: the window's first row j lies in the block before i's (or starts
** i's block, which then ends at i), so h[j] spans rows j .. that block's end <= i. */
static void roll_minmax_rows(const double *x, int64_t n, int64_t rows, int64_t minp,
                             int ismax, double *h, double *out) {
    const double none = ismax ? -INFINITY : INFINITY;
    int64_t cnt = 0;
#define EXT(a, b) (ismax ? ((a) >= (b) ? (a) : (b)) : ((a) <= (b) ? (a) : (b)))
    for (int64_t b0 = 0; b0 < n; b0 += rows) {
        int64_t b1 = b0 + rows < n ? b0 + rows : n;
        double run = none;
        for (int64_t i = b0; i < b1; i++) {           /* g: from the block's start */
            double v = isnan(x[i]) ? none : x[i];
            run = EXT(run, v);
            out[i] = run;
        }
        run = none;
        for (int64_t i = b1 - 1; i >= b0; i--) {      /* h: from the block's end */
            double v = isnan(x[i]) ? none : x[i];
            run = EXT(run, v);
            h[i] = run;
        }
    }
    /* out[i] still holds g[i]; the window's first row j = i - rows + 1 is in the previous
    ** block (or this one when j is a block start, where h[j] covers the whole block) */
    for (int64_t i = 0; i < n; i++) {
        int64_t j = i - rows + 1;
        double m = out[i];
        cnt += !isnan(x[i]);
        if (j > 0)
            cnt -= !isnan(x[j - 1]);
        if (j > 0 && j % rows != 0)
            m = EXT(h[j], m);
        else if (j > 0)                           /* j starts a block: the window is it */
            m = h[j];
        out[i] = cnt >= minp && cnt > 0 ? m : (double)NAN;
    }
#undef EXT
}

int ft_rolling(const double *x, const int64_t *t, int64_t n, const ft_Window *w, ft_Stat s,
               double *out, mn_Err *e) {
    Win st;
    int64_t lo = 0, minp = w->min_periods;
    int span = w->span > 0;
    int fast = !span && w->rows != INT64_MAX && (s == FT_SUM || s == FT_MEAN || s == FT_VAR ||
                                                 s == FT_STD || s == FT_ZSCORE);
    double q = s == FT_MEDIAN ? 0.5 : w->q;
    int rc = MN_OK;

    if (minp < 0)
        minp = span || w->rows == INT64_MAX ? 1 : w->rows;
    memset(&st, 0, sizeof st);
    st.stat = s;
    if (n == 0)
        return MN_OK;
    if ((s == FT_MIN || s == FT_MAX) && !span && w->rows < n) {
        double *h = mn_malloc((size_t)n * sizeof *h);
        if (h == NULL)
            return mn_fail(e, MN_ENOMEM, "rolling %s: out of memory", ft_stat_name(s));
        roll_minmax_rows(x, n, w->rows, minp, s == FT_MAX, h, out);
        mn_free(h);
        return MN_OK;
    } else if (s == FT_MIN || s == FT_MAX) {        /* spans, or a window past the group */
        int64_t *dq = mn_malloc((size_t)n * sizeof *dq);
        if (dq == NULL)
            return mn_fail(e, MN_ENOMEM, "rolling %s: out of memory", ft_stat_name(s));
        roll_minmax(x, t, n, w, minp, s == FT_MAX, dq, out);
        mn_free(dq);
        return MN_OK;
    } else if ((s == FT_MEDIAN || s == FT_QUANTILE) && !span && w->rows <= SMALL_WIN) {
        /* rows + 1: a row is added before the oldest leaves */
        if ((st.sw = mn_malloc((size_t)(w->rows + 1) * sizeof *st.sw)) == NULL)
            return mn_fail(e, MN_ENOMEM, "rolling %s: out of memory", ft_stat_name(s));
    } else if (s == FT_MEDIAN || s == FT_QUANTILE) {
        Pair *idx = mn_malloc((size_t)n * sizeof *idx);
        int64_t m = 0;
        st.rank = mn_malloc((size_t)n * sizeof *st.rank);
        st.tree = mn_calloc((size_t)n + 1, sizeof *st.tree);
        st.sorted = mn_malloc((size_t)n * sizeof *st.sorted);
        if (idx == NULL || st.rank == NULL || st.tree == NULL || st.sorted == NULL) {
            mn_free(idx);
            rc = mn_fail(e, MN_ENOMEM, "rolling %s: out of memory", ft_stat_name(s));
            goto done;
        }
        for (int64_t i = 0; i < n; i++)           /* ranks of the non-NaN values */
            if (!isnan(x[i]))
                idx[m++] = (Pair){x[i], i};
        qsort(idx, (size_t)m, sizeof *idx, cmp_pair);
        for (int64_t r = 0; r < m; r++) {
            st.rank[idx[r].i] = r;
            st.sorted[r] = idx[r].v;
        }
        st.nt = m;
        mn_free(idx);
    } else if (s == FT_SKEW) {
        for (int64_t i = 0; i < n; i++)
            if (!isnan(x[i])) {
                st.shift = x[i];                  /* the first value: a past value */
                break;
            }
    }
    for (int64_t i = 0; i < n; i++) {
        if (fast && i >= w->rows && st.nobs > 0 && !isnan(x[i]) && !isnan(x[lo])) {
            win_replace(&st, x[lo++], x[i]);      /* lo == i - rows */
            out[i] = st.nobs >= minp ? win_value(&st, x, i, q) : (double)NAN;
            continue;
        }
        win_add(&st, x, i);
        if (span) {
            while (t[lo] <= t[i] - w->span)
                win_remove(&st, x, lo++);
        } else {
            while (i - lo + 1 > w->rows)
                win_remove(&st, x, lo++);
        }
        out[i] = st.nobs >= minp && (st.nobs > 0 || s == FT_SUM || s == FT_COUNT)
                     ? win_value(&st, x, i, q) : (double)NAN;
    }
done:
    mn_free(st.rank);
    mn_free(st.tree);
    mn_free(st.sorted);
    mn_free(st.sw);
    return rc;
}

/* ---- exponentially weighted moments ---- */

/* pandas' ewma (ignore_na=False, equal spacing), on x or, for volatility, on x^2. */
static void ewma(const double *x, int64_t n, const ft_Ewm *p, int squared, double *out) {
    double a = p->alpha, owf = 1 - a, nw = p->adjust ? 1 : a, ow = 1, wt;
    int64_t minp = p->min_periods > 1 ? p->min_periods : 1, nobs;
    if (n == 0)
        return;
    wt = squared ? x[0] * x[0] : x[0];
    nobs = !isnan(wt);
    out[0] = nobs >= minp ? wt : (double)NAN;
    for (int64_t i = 1; i < n; i++) {
        double v = squared ? x[i] * x[i] : x[i];
        int obs = !isnan(v);
        nobs += obs;
        if (!isnan(wt)) {
            ow *= owf;                            /* a NaN still ages the old weight */
            if (obs) {
                if (wt != v)
                    wt = (ow * wt + nw * v) / (ow + nw);
                ow = p->adjust ? ow + nw : 1;
            }
        } else if (obs) {
            wt = v;
        }
        out[i] = nobs >= minp ? wt : (double)NAN;
    }
}

void ft_ewm_mean(const double *x, int64_t n, const ft_Ewm *p, double *out) {
    ewma(x, n, p, 0, out);
}

void ft_ewm_vol(const double *x, int64_t n, const ft_Ewm *p, double *out) {
    ewma(x, n, p, 1, out);
    for (int64_t i = 0; i < n; i++)
        out[i] = sqrt(out[i]);
}

/* pandas' ewmcov(x, x, bias=False). */
void ft_ewm_var(const double *x, int64_t n, const ft_Ewm *p, double *out) {
    double a = p->alpha, owf = 1 - a, nw = p->adjust ? 1 : a;
    double mean, cov = 0, sw = 1, sw2 = 1, ow = 1;
    int64_t minp = p->min_periods > 1 ? p->min_periods : 1, nobs;
    if (n == 0)
        return;
    mean = x[0];
    nobs = !isnan(mean);
    for (int64_t i = 0; i < n; i++) {
        double num, den;
        if (i > 0) {
            double v = x[i];
            int obs = !isnan(v);
            nobs += obs;
            if (!isnan(mean)) {
                sw *= owf;
                sw2 *= owf * owf;
                ow *= owf;
                if (obs) {
                    double om = mean;
                    if (mean != v)
                        mean = (ow * om + nw * v) / (ow + nw);
                    cov = (ow * (cov + (om - mean) * (om - mean)) +
                           nw * ((v - mean) * (v - mean))) / (ow + nw);
                    sw += nw;
                    sw2 += nw * nw;
                    ow += nw;
                    if (!p->adjust) {
                        sw /= ow;
                        sw2 /= ow * ow;
                        ow = 1;
                    }
                }
            } else if (obs) {
                mean = v;
            }
        }
        num = sw * sw;
        den = num - sw2;
        out[i] = nobs >= minp && den > 0 ? num / den * cov : (double)NAN;
    }
}

void ft_ewm_std(const double *x, int64_t n, const ft_Ewm *p, double *out) {
    ft_ewm_var(x, n, p, out);
    for (int64_t i = 0; i < n; i++)
        out[i] = out[i] > 0 ? sqrt(out[i]) : out[i] == 0 ? 0.0 : (double)NAN;
}
