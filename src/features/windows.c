/* windows.c -- sequence windows cut per group through the group driver (group.h), and the
** window scaler (per-feature z-score over (N, T, F) tensors) with its own versioned text.
** Values stay double until they are written into the float32 tensors. */
#include "features/windows.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/interrupt.h"
#include "core/mem.h"

void ft_window_opts_init(ft_WindowOpts *o) {
    memset(o, 0, sizeof *o);
    o->stride = 1;
    o->horizon = 1;
}

void ft_windows_free(ft_Windows *w) {
    if (w == NULL)
        return;
    tn_free(w->X);
    tn_free(w->y);
    mn_free(w->row);
    mn_free(w->group);
    mn_free(w);
}

/* The frame column that orders time, as ft_groups_new resolves it (group.h), or -1. */
static int time_column(const fr_Frame *f, const ft_Order *o) {
    int found = -1;
    if (o->time != NULL)
        return o->time[0] == '\0' ? -1 : fr_find(f, o->time);
    for (int j = 0; j < fr_ncols(f); j++) {
        fr_Type t = fr_col_type(fr_col(f, j));
        if (t == FR_DATE || t == FR_DATETIME) {
            if (found >= 0)
                return -1;
            found = j;
        }
    }
    return found;
}

static int check_opts(const ft_WindowOpts *o, mn_Err *e) {
    if (o->features == NULL || o->nfeatures < 1)
        return mn_fail(e, MN_EARG, "windows: features: at least one column is needed");
    if (o->length < 1)
        return mn_fail(e, MN_EARG, "windows: length: must be >= 1 (got %" PRId64 ")",
                       o->length);
    if (o->stride < 1)
        return mn_fail(e, MN_EARG, "windows: stride: must be >= 1 (got %" PRId64 ")",
                       o->stride);
    if (o->target != NULL && o->horizon < 1)
        return mn_fail(e, MN_EARG, "windows: horizon: must be >= 1 (got %" PRId64 "): y is "
                       "the target at t + horizon, after the window's last step t", o->horizon);
    return MN_OK;
}

/* Per-frame-row inputs: F feature arrays then the target (borrowed or owned). */
typedef struct Inputs {
    int            nx;        /* F, plus 1 with a target */
    const double **x;
    double       **owned;
} Inputs;

static void inputs_free(Inputs *in) {
    for (int k = 0; in->owned != NULL && k < in->nx; k++)
        mn_free(in->owned[k]);
    mn_free(in->owned);
    mn_free((void *)in->x);
}

static int inputs_new(const fr_Frame *f, const ft_WindowOpts *o, Inputs *in, mn_Err *e) {
    in->nx = o->nfeatures + (o->target != NULL);
    in->x = mn_calloc((size_t)in->nx, sizeof *in->x);
    in->owned = mn_calloc((size_t)in->nx, sizeof *in->owned);
    if (in->x == NULL || in->owned == NULL)
        return mn_fail(e, MN_ENOMEM, "windows: out of memory");
    for (int k = 0; k < in->nx; k++) {
        const char *name = k < o->nfeatures ? o->features[k] : o->target;
        int rc;
        if (name == NULL)
            return mn_fail(e, MN_EARG, "windows: features: entry %d is not a name", k + 1);
        if ((rc = ft_numeric(f, name, &in->x[k], &in->owned[k], e)) != MN_OK)
            return mn_prefix(e, "windows: %s", k < o->nfeatures ? "features" : "target");
    }
    return MN_OK;
}

/* Last steps (0-based in the group) of group length n: T-1, T-1+stride, ... <= last. */
static int64_t nlast(int64_t n, const ft_WindowOpts *o) {
    int64_t last = n - 1 - (o->target != NULL ? o->horizon : 0);
    if (last < o->length - 1)
        return 0;
    return (last - (o->length - 1)) / o->stride + 1;
}

/* bad[i] = number of rows j < i of the group's buffer with a non-finite feature. */
static void bad_prefix(const double *buf, int64_t n, int F, int64_t *bad) {
    bad[0] = 0;
    for (int64_t i = 0; i < n; i++) {
        int b = 0;
        for (int k = 0; k < F; k++)
            b |= !isfinite(buf[i * F + k]);
        bad[i + 1] = bad[i] + b;
    }
}

int ft_windows(const fr_Frame *f, const ft_WindowOpts *o, ft_Windows **out, mn_Err *e) {
    ft_Groups *g = NULL;
    ft_Windows *w = NULL;
    Inputs in = {0};
    double *col = NULL, *buf = NULL, *tgt = NULL;
    int64_t *bad = NULL, cap = 0, N = 0;
    int F = o->nfeatures, rc;
    const int64_t T = o->length;

    if ((rc = check_opts(o, e)) != MN_OK)
        return rc;
    if ((rc = inputs_new(f, o, &in, e)) != MN_OK)
        goto done;
    if ((rc = ft_groups_new(f, &o->order, &g, e)) != MN_OK) {
        mn_prefix(e, "windows");
        goto done;
    }
    if (T > g->maxlen) {
        rc = mn_fail(e, MN_EARG, "windows: length: %" PRId64 " rows is longer than every "
                     "group (the longest has %" PRId64 ")", T, g->maxlen);
        goto done;
    }
    for (int64_t k = 0; k < g->ngroups; k++)
        cap += nlast(ft_group_len(g, k), o);
    if ((w = mn_calloc(1, sizeof *w)) == NULL ||
        (w->row = mn_malloc((size_t)(cap ? cap : 1) * sizeof *w->row)) == NULL ||
        (w->group = mn_malloc((size_t)(cap ? cap : 1) * sizeof *w->group)) == NULL ||
        (col = mn_malloc((size_t)g->maxlen * sizeof *col)) == NULL ||
        (buf = mn_malloc((size_t)g->maxlen * (size_t)F * sizeof *buf)) == NULL ||
        (tgt = mn_malloc((size_t)g->maxlen * sizeof *tgt)) == NULL ||
        (bad = mn_malloc(((size_t)g->maxlen + 1) * sizeof *bad)) == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "windows: out of memory");
        goto done;
    }
    w->ngroups = g->ngroups;
    w->time_col = time_column(f, &o->order);

    /* pass 1: which windows are kept (last steps, in group order) */
    for (int64_t k = 0; k < g->ngroups; k++) {
        int64_t n = ft_group_len(g, k), m = nlast(n, o);
        const int64_t *rows = ft_group_rows(g, k);
        if (m == 0) {
            w->short_groups++;
            continue;
        }
        for (int q = 0; q < F; q++) {             /* (n, F) row-major buffer of the group */
            ft_gather(g, k, in.x[q], col);
            for (int64_t i = 0; i < n; i++)
                buf[i * F + q] = col[i];
        }
        bad_prefix(buf, n, F, bad);
        if (o->target != NULL)
            ft_gather(g, k, in.x[F], tgt);
        for (int64_t j = 0; j < m; j++) {
            int64_t t = T - 1 + j * o->stride;
            if (bad[t + 1] - bad[t + 1 - T] > 0 ||
                (o->target != NULL && !isfinite(tgt[t + o->horizon]))) {
                w->dropped++;
                continue;
            }
            w->row[N] = rows[t];
            w->group[N] = k;
            N++;
        }
    }
    w->n = N;

    /* pass 2: fill X and y, window after window, from the frame rows */
    {
        int64_t shx[3] = {N, T, F}, shy[2] = {N, 1};
        float *X, *y = NULL;
        if ((rc = tn_zeros(shx, 3, &w->X, e)) != MN_OK)
            goto done;
        if (o->target != NULL && (rc = tn_zeros(shy, 2, &w->y, e)) != MN_OK)
            goto done;
        X = tn_data(w->X);
        if (w->y != NULL)
            y = tn_data(w->y);
        for (int64_t i = 0, k = -1, pos = 0; i < N; i++) {
            const int64_t *rows;
            if (w->group[i] != k) {              /* position of the last step in its group */
                k = w->group[i];
                pos = 0;
            }
            rows = ft_group_rows(g, k);
            while (rows[pos] != w->row[i])
                pos++;
            if ((i & 4095) == 0 && mn_interrupted()) {
                rc = mn_fail(e, MN_EINTR, "windows: interrupted");
                goto done;
            }
            for (int64_t j = 0; j < T; j++) {
                int64_t r = rows[pos - T + 1 + j];
                float *dst = X + (i * T + j) * F;
                for (int q = 0; q < F; q++)
                    dst[q] = (float)in.x[q][r];
            }
            if (y != NULL)
                y[i] = (float)in.x[F][rows[pos + o->horizon]];
        }
    }
    *out = w;
    w = NULL;
    rc = MN_OK;
done:
    ft_windows_free(w);
    ft_groups_free(g);
    inputs_free(&in);
    mn_free(col);
    mn_free(buf);
    mn_free(tgt);
    mn_free(bad);
    return rc;
}

/* ---- the window scaler ---- */

#define WSCALER_VERSION 1

struct ft_WScaler {
    int     fitted;
    int64_t F;
    double *mean, *sd;
};

int ft_wscaler_new(ft_WScaler **out, mn_Err *e) {
    ft_WScaler *s = mn_calloc(1, sizeof *s);
    if (s == NULL)
        return mn_fail(e, MN_ENOMEM, "window_scaler: out of memory");
    *out = s;
    return MN_OK;
}

void ft_wscaler_free(ft_WScaler *s) {
    if (s == NULL)
        return;
    mn_free(s->mean);
    mn_free(s->sd);
    mn_free(s);
}

int ft_wscaler_fitted(const ft_WScaler *s) { return s->fitted; }
int64_t ft_wscaler_nfeatures(const ft_WScaler *s) { return s->fitted ? s->F : 0; }

void ft_wscaler_param(const ft_WScaler *s, int64_t k, double *mean, double *sd) {
    *mean = s->mean[k];
    *sd = s->sd[k];
}

/* Replace s's parameters by F fresh arrays (contents unset). */
static int set_size(ft_WScaler *s, int64_t F, mn_Err *e) {
    double *m = mn_malloc((size_t)(F ? F : 1) * sizeof *m);
    double *d = mn_malloc((size_t)(F ? F : 1) * sizeof *d);
    if (m == NULL || d == NULL) {
        mn_free(m);
        mn_free(d);
        return mn_fail(e, MN_ENOMEM, "window_scaler: out of memory");
    }
    mn_free(s->mean);
    mn_free(s->sd);
    s->mean = m;
    s->sd = d;
    s->F = F;
    return MN_OK;
}

int ft_wscaler_fit(ft_WScaler *s, const tn_Tensor *X, mn_Err *e) {
    int nd = tn_ndim(X);
    const int64_t *sh = tn_shape(X);
    const float *x = tn_data(X);
    int64_t F, rows, N;
    double *m, *d;
    char b[64];
    int rc;

    if (nd < 2 || nd > 3)
        return mn_fail(e, MN_ESHAPE, "window_scaler.fit: X is %s; (N, T, F) or (N, F) expected",
                       tn_shape_str(sh, nd, b, sizeof b));
    N = sh[0];
    F = sh[nd - 1];
    rows = F > 0 ? tn_numel(X) / F : 0;          /* N*T time steps */
    if (N == 0 || rows == 0 || F == 0)
        return mn_fail(e, MN_EARG, "window_scaler.fit: X is %s: no values to fit on",
                       tn_shape_str(sh, nd, b, sizeof b));
    for (int64_t i = 0; i < rows * F; i++)
        if (isnan(x[i])) {
            int64_t per = rows / N;
            return mn_fail(e, MN_ENAN, "window_scaler.fit: X has NaN in window %" PRId64
                           ", step %" PRId64 ", feature %" PRId64 " (1-based)",
                           i / F / per + 1, i / F % per + 1, i % F + 1);
        }
    if ((rc = set_size(s, F, e)) != MN_OK)
        return rc;
    m = s->mean;
    d = s->sd;
    for (int64_t k = 0; k < F; k++)
        m[k] = d[k] = 0.0;
    for (int64_t i = 0; i < rows; i++)            /* two passes: mean, then squares */
        for (int64_t k = 0; k < F; k++)
            m[k] += (double)x[i * F + k];
    for (int64_t k = 0; k < F; k++)
        m[k] /= (double)rows;
    for (int64_t i = 0; i < rows; i++)
        for (int64_t k = 0; k < F; k++) {
            double dv = (double)x[i * F + k] - m[k];
            d[k] += dv * dv;
        }
    for (int64_t k = 0; k < F; k++) {
        d[k] = sqrt(d[k] / (double)rows);
        if (!(d[k] > 0.0) || !isfinite(d[k]))
            d[k] = 1.0;
    }
    s->fitted = 1;
    return MN_OK;
}

int ft_wscaler_transform(const ft_WScaler *s, const tn_Tensor *X, tn_Tensor **out,
                         mn_Err *e) {
    int nd = tn_ndim(X);
    const int64_t *sh = tn_shape(X);
    tn_Tensor *y = NULL;
    char b[64];
    int rc;

    if (!s->fitted)
        return mn_fail(e, MN_EARG, "window_scaler.transform: not fitted (call fit first)");
    if (nd < 2 || nd > 3 || sh[nd - 1] != s->F)
        return mn_fail(e, MN_ESHAPE, "window_scaler.transform: X is %s but the scaler was "
                       "fitted on %" PRId64 " features", tn_shape_str(sh, nd, b, sizeof b),
                       s->F);
    if ((rc = tn_zeros(sh, nd, &y, e)) != MN_OK)
        return rc;
    {
        const float *x = tn_data(X);
        float *z = tn_data(y);
        int64_t rows = tn_numel(X) / s->F;
        for (int64_t i = 0; i < rows; i++)
            for (int64_t k = 0; k < s->F; k++)
                z[i * s->F + k] = (float)(((double)x[i * s->F + k] - s->mean[k]) / s->sd[k]);
    }
    *out = y;
    return MN_OK;
}

/* ---- serialization ---- */

int ft_wscaler_serialize(const ft_WScaler *s, char **out, size_t *len, mn_Err *e) {
    mn_Buf b = MN_BUF_INIT;
    mn_buf_printf(&b, "moneta.wscaler %d\nfitted %d\nfeatures %" PRId64 "\n", WSCALER_VERSION,
                  s->fitted, s->fitted ? s->F : 0);
    for (int64_t k = 0; s->fitted && k < s->F; k++)
        mn_buf_printf(&b, "%a %a\n", s->mean[k], s->sd[k]);
    mn_buf_printf(&b, "end\n");
    if (b.oom) {
        mn_buf_free(&b);
        return mn_fail(e, MN_ENOMEM, "window_scaler: out of memory serializing");
    }
    *out = b.s;
    *len = b.len;
    return MN_OK;
}

typedef struct Rd {
    const char *s;
    size_t      len, pos;
    size_t      word;          /* where the last word read began */
    mn_Err     *e;
    int         bad;
} Rd;

static int rd_fail(Rd *r, const char *what) {
    if (!r->bad)
        mn_fail(r->e, MN_EPARSE, "window_scaler.deserialize: byte %zu: expected %s", r->pos,
                what);
    r->bad = 1;
    return 0;
}

/* A word read fine but its value is wrong: report its start. */
static int rd_bad_word(Rd *r, const char *what) {
    r->pos = r->word;
    return rd_fail(r, what);
}

/* The next blank-delimited word into buf (at most size-1 bytes). */
static int rd_word(Rd *r, char *buf, size_t size, const char *what) {
    size_t n = 0;
    if (r->bad)
        return 0;
    while (r->pos < r->len && (r->s[r->pos] == ' ' || r->s[r->pos] == '\n'))
        r->pos++;
    r->word = r->pos;
    while (r->pos < r->len && r->s[r->pos] != ' ' && r->s[r->pos] != '\n') {
        if (n + 1 >= size)
            return rd_fail(r, what);
        buf[n++] = r->s[r->pos++];
    }
    buf[n] = '\0';
    return n > 0 ? 1 : rd_fail(r, what);
}

static void rd_expect(Rd *r, const char *word) {
    char buf[32];
    if (rd_word(r, buf, sizeof buf, word) && strcmp(buf, word) != 0)
        rd_bad_word(r, word);
}

static long long rd_int(Rd *r, long long lo, long long hi, const char *what) {
    char buf[32], *end;
    long long v;
    if (!rd_word(r, buf, sizeof buf, what))
        return lo;
    v = strtoll(buf, &end, 10);
    if (*end != '\0' || v < lo || v > hi)
        return rd_bad_word(r, what), lo;
    return v;
}

static double rd_num(Rd *r, const char *what) {
    char buf[64], *end;
    double v;
    if (!rd_word(r, buf, sizeof buf, what))
        return 0.0;
    v = strtod(buf, &end);
    if (*end != '\0' || !isfinite(v))
        return rd_bad_word(r, what), 0.0;
    return v;
}

int ft_wscaler_deserialize(const char *s, size_t len, ft_WScaler **out, mn_Err *e) {
    static const char magic[] = "moneta.wscaler ";
    Rd r = {s, len, 0, 0, e, 0};
    ft_WScaler *w = NULL;
    long long ver, F;
    int fitted, rc;

    if (len < sizeof magic - 1 || memcmp(s, magic, sizeof magic - 1) != 0)
        return mn_fail(e, MN_EPARSE, "window_scaler.deserialize: not a serialized window "
                       "scaler (it starts with 'moneta.wscaler N')");
    r.pos = sizeof magic - 1;
    ver = rd_int(&r, 0, 1000000, "a version number");
    if (r.bad)
        return MN_EPARSE;
    if (ver != WSCALER_VERSION)
        return mn_fail(e, MN_EARG, "window_scaler.deserialize: version %lld; this moneta reads "
                       "version %d", ver, WSCALER_VERSION);
    rd_expect(&r, "fitted");
    fitted = (int)rd_int(&r, 0, 1, "fitted flag 0 or 1");
    rd_expect(&r, "features");
    F = rd_int(&r, fitted, fitted ? (long long)(len / 4 + 1) : 0, "a feature count");
    if (r.bad)
        return MN_EPARSE;
    if ((rc = ft_wscaler_new(&w, e)) != MN_OK)
        return rc;
    if (fitted && (rc = set_size(w, F, e)) != MN_OK) {
        ft_wscaler_free(w);
        return rc;
    }
    for (long long k = 0; fitted && k < F && !r.bad; k++) {
        w->mean[k] = rd_num(&r, "a mean (hex float)");
        w->sd[k] = rd_num(&r, "a standard deviation (hex float)");
        if (!r.bad && !(w->sd[k] > 0.0))
            rd_bad_word(&r, "a positive standard deviation");
    }
    rd_expect(&r, "end");
    while (!r.bad && r.pos < len && (s[r.pos] == ' ' || s[r.pos] == '\n'))
        r.pos++;
    if (!r.bad && r.pos != len)
        rd_fail(&r, "the end of the text");
    if (r.bad) {
        ft_wscaler_free(w);
        return MN_EPARSE;
    }
    w->fitted = fitted;
    *out = w;
    return MN_OK;
}
