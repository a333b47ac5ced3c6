/* knn.c -- exact k-nearest-neighbour search (direct loop or DGEMM blocks), a bounded max-heap
** per query row ordered by (distance, training row), and the votes / means built on it. */
#include "ml/knn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/blas.h"
#include "core/interrupt.h"
#include "core/mem.h"

#define BLAS_MIN_P 16               /* columns from which DGEMM blocks pay */
#define QB 128                      /* query rows per block */
#define TB 2048                     /* training rows per block */
#define PAD 8                       /* extra DGEMM candidates re-ranked exactly */

void ml_knn_free(ml_Knn *m) {
    if (m == NULL)
        return;
    mn_free(m->x);
    mn_free(m->y);
    mn_free(m->norm2);
    memset(m, 0, sizeof *m);
}

int ml_knn_alloc(ml_Knn *m, int64_t n, int p, mn_Err *e) {
    memset(m, 0, sizeof *m);
    if (n < 1 || p < 1)
        return mn_fail(e, MN_EARG, "knn: %d rows and %d columns: at least one of each needed",
                       (int)n, p);
    m->n = n, m->p = p;
    m->x = mn_malloc((size_t)n * (size_t)p * sizeof *m->x);
    m->y = mn_malloc((size_t)n * sizeof *m->y);
    m->norm2 = mn_malloc((size_t)n * sizeof *m->norm2);
    if (m->x == NULL || m->y == NULL || m->norm2 == NULL) {
        ml_knn_free(m);
        return mn_fail(e, MN_ENOMEM, "knn: out of memory for %d x %d training rows", (int)n, p);
    }
    return MN_OK;
}

void ml_knn_ready(ml_Knn *m) {
    for (int64_t i = 0; i < m->n; i++)
        m->norm2[i] = 0.0;
    for (int c = 0; c < m->p; c++) {
        const double *xc = m->x + (size_t)c * (size_t)m->n;
        for (int64_t i = 0; i < m->n; i++)
            m->norm2[i] += xc[i] * xc[i];
    }
}

int ml_knn_fit(const ml_Design *d, const double *y, int K, int k, int distance, ml_Knn *out,
               mn_Err *e) {
    memset(out, 0, sizeof *out);
    if (d->n < 1 || d->p < 1)
        return mn_fail(e, MN_EARG, "knn: X has %d rows and %d columns", (int)d->n, (int)d->p);
    if (k < 1 || k > d->n)
        return mn_fail(e, MN_EARG, "knn: k = %d, but the training set has %d rows (k must be "
                       "in 1..%d)", k, (int)d->n, (int)d->n);
    if (K == 1 || K < 0)
        return mn_fail(e, MN_EARG, "knn: %d classes: a classifier needs two", K);
    for (int64_t c = 0; c < d->p; c++)
        for (int64_t i = 0; i < d->n; i++)
            if (!isfinite(d->x[c * d->n + i]))
                return mn_fail(e, MN_ENAN, "knn: X, row %d, column '%s': not a finite number",
                               (int)i + 1, d->names[c]);
    for (int64_t i = 0; i < d->n; i++) {
        if (!isfinite(y[i]))
            return mn_fail(e, MN_ENAN, "knn: y, row %d: not a finite number", (int)i + 1);
        if (K > 0 && (y[i] != floor(y[i]) || y[i] < 0 || y[i] >= K))
            return mn_fail(e, MN_EARG, "knn: y, row %d: %g is not a class index in 0..%d",
                           (int)i + 1, y[i], K - 1);
    }
    if (ml_knn_alloc(out, d->n, (int)d->p, e) != MN_OK)
        return e != NULL ? e->code : MN_ENOMEM;
    memcpy(out->x, d->x, (size_t)d->n * (size_t)d->p * sizeof *d->x);
    memcpy(out->y, y, (size_t)d->n * sizeof *y);
    out->k = k, out->K = K, out->distance = distance != 0;
    ml_knn_ready(out);
    return MN_OK;
}

/* ---- the bounded heap: root = the worst kept (largest distance, then largest row) ---- */

typedef struct { double d; int64_t i; } Cand;

static int worse(const Cand *a, const Cand *b) {
    return a->d > b->d || (a->d == b->d && a->i > b->i);
}

static void heap_push(Cand *h, int *len, int k, double d, int64_t i) {
    Cand c = {d, i};
    int j;
    if (*len < k) {                                 /* sift up */
        j = (*len)++;
        while (j > 0 && worse(&c, &h[(j - 1) / 2])) {
            h[j] = h[(j - 1) / 2];
            j = (j - 1) / 2;
        }
        h[j] = c;
        return;
    }
    if (!worse(&h[0], &c))
        return;
    j = 0;                                          /* replace the root, sift down */
    for (;;) {
        int l = 2 * j + 1, r = l + 1, big = j;
        const Cand *cur = big == j ? &c : &h[big];
        if (l < k && worse(&h[l], cur))
            big = l, cur = &h[l];
        if (r < k && worse(&h[r], cur))
            big = r;
        if (big == j)
            break;
        h[j] = h[big];
        j = big;
    }
    h[j] = c;
}

static int cmp_cand(const void *a, const void *b) {
    const Cand *x = a, *y = b;
    if (x->d != y->d)
        return x->d < y->d ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* exact Euclidean distance between query row q of x (nq rows) and training row j */
static double exact(const ml_Knn *m, const double *x, int64_t nq, int64_t q, int64_t j) {
    double s = 0.0;
    for (int c = 0; c < m->p; c++) {
        double t = x[(size_t)c * (size_t)nq + (size_t)q] - m->x[(size_t)c * (size_t)m->n + j];
        s += t * t;
    }
    return sqrt(s);
}

int ml_knn_neighbors(const ml_Knn *m, const double *x, int64_t n, int blas, int64_t *idx,
                     double *dist, mn_Err *e) {
    int use_blas = blas < 0 ? m->p >= BLAS_MIN_P : blas != 0;
    /* DGEMM distances carry rounding: keep PAD more candidates, re-rank them exactly */
    int k = use_blas ? (int)(m->k + PAD < m->n ? m->k + PAD : m->n) : m->k, *len;
    Cand *heap;
    double *buf, *qn = NULL;
    int64_t tb = m->n < TB ? m->n : TB;

    if (n < 1)
        return MN_OK;
    heap = mn_malloc((size_t)QB * (size_t)k * sizeof *heap);
    len = mn_malloc(QB * sizeof *len);
    buf = mn_malloc((size_t)QB * (size_t)tb * sizeof *buf);
    if (use_blas)
        qn = mn_malloc(QB * sizeof *qn);
    if (heap == NULL || len == NULL || buf == NULL || (use_blas && qn == NULL)) {
        mn_free(heap), mn_free(len), mn_free(buf), mn_free(qn);
        return mn_fail(e, MN_ENOMEM, "knn: out of memory for the search buffers");
    }
    for (int64_t q0 = 0; q0 < n; q0 += QB) {
        int bq = (int)(n - q0 < QB ? n - q0 : QB);
        if (mn_interrupted()) {
            mn_free(heap), mn_free(len), mn_free(buf), mn_free(qn);
            return mn_fail(e, MN_EINTR, "knn: interrupted");
        }
        for (int a = 0; a < bq; a++)
            len[a] = 0;
        if (use_blas)
            for (int a = 0; a < bq; a++) {
                double s = 0.0;
                for (int c = 0; c < m->p; c++) {
                    double v = x[(size_t)c * (size_t)n + (size_t)(q0 + a)];
                    s += v * v;
                }
                qn[a] = s;
            }
        for (int64_t t0 = 0; t0 < m->n; t0 += tb) {
            int bt = (int)(m->n - t0 < tb ? m->n - t0 : tb);
            if (use_blas) {
                /* buf (bq x bt, column-major) = Q T^T, then |q|^2 + |t|^2 - 2 q.t */
                mn_dgemm(0, 1, bq, bt, m->p, 1.0, x + q0, (int)n, m->x + t0, (int)m->n, 0.0,
                         buf, bq);
                for (int b = 0; b < bt; b++)
                    for (int a = 0; a < bq; a++) {
                        double d2 = qn[a] + m->norm2[t0 + b] - 2.0 * buf[(size_t)b * bq + a];
                        buf[(size_t)b * bq + a] = d2 > 0.0 ? d2 : 0.0;
                    }
            } else {
                for (size_t s = 0; s < (size_t)bq * (size_t)bt; s++)
                    buf[s] = 0.0;
                for (int c = 0; c < m->p; c++) {
                    const double *tc = m->x + (size_t)c * (size_t)m->n + t0;
                    for (int a = 0; a < bq; a++) {
                        double qv = x[(size_t)c * (size_t)n + (size_t)(q0 + a)];
                        double *row = buf + (size_t)a;
                        for (int b = 0; b < bt; b++) {
                            double t = tc[b] - qv;
                            row[(size_t)b * bq] += t * t;
                        }
                    }
                }
            }
            for (int b = 0; b < bt; b++)
                for (int a = 0; a < bq; a++)
                    heap_push(heap + (size_t)a * k, &len[a], k, buf[(size_t)b * bq + a],
                              t0 + b);
        }
        for (int a = 0; a < bq; a++) {
            Cand *h = heap + (size_t)a * k;
            for (int j = 0; j < k; j++)       /* the exact distance of the chosen k */
                h[j].d = exact(m, x, n, q0 + a, h[j].i);
            qsort(h, (size_t)k, sizeof *h, cmp_cand);
            for (int j = 0; j < m->k; j++) {
                idx[(size_t)(q0 + a) * m->k + j] = h[j].i;
                dist[(size_t)(q0 + a) * m->k + j] = h[j].d;
            }
        }
    }
    mn_free(heap), mn_free(len), mn_free(buf), mn_free(qn);
    return MN_OK;
}

int ml_knn_predict(const ml_Knn *m, const double *x, int64_t n, double *out, double *prob,
                   mn_Err *e) {
    int k = m->k, K = m->K;
    int64_t *idx;
    double *dist, *w;
    int rc;
    if (n < 1)
        return MN_OK;
    idx = mn_malloc((size_t)n * (size_t)k * sizeof *idx);
    dist = mn_malloc((size_t)n * (size_t)k * sizeof *dist);
    w = mn_malloc((size_t)k * sizeof *w);
    if (idx == NULL || dist == NULL || w == NULL) {
        mn_free(idx), mn_free(dist), mn_free(w);
        return mn_fail(e, MN_ENOMEM, "knn: out of memory for %d query rows", (int)n);
    }
    rc = ml_knn_neighbors(m, x, n, -1, idx, dist, e);
    for (int64_t i = 0; rc == MN_OK && i < n; i++) {
        const int64_t *ii = idx + (size_t)i * k;
        const double *di = dist + (size_t)i * k;
        double tot = 0.0;
        int exact0 = 0;
        for (int j = 0; j < k; j++)
            exact0 |= di[j] == 0.0;
        for (int j = 0; j < k; j++) {    /* scikit-learn's _get_weights */
            if (!m->distance)
                w[j] = 1.0;
            else if (exact0)
                w[j] = di[j] == 0.0 ? 1.0 : 0.0;
            else
                w[j] = 1.0 / di[j];
            tot += w[j];
        }
        if (K == 0) {
            double s = 0.0;
            for (int j = 0; j < k; j++)
                s += w[j] * m->y[ii[j]];
            out[i] = s / tot;
            continue;
        }
        double *pr = prob + (size_t)i * K;
        int best = 0;
        for (int c = 0; c < K; c++)
            pr[c] = 0.0;
        for (int j = 0; j < k; j++)
            pr[(int)m->y[ii[j]]] += w[j];
        for (int c = 0; c < K; c++) {
            if (pr[c] > pr[best])
                best = c;
        }
        for (int c = 0; c < K; c++)
            pr[c] /= tot;
        out[i] = best;
    }
    mn_free(idx), mn_free(dist), mn_free(w);
    return rc;
}
