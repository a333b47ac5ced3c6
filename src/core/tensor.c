/* tensor.c -- float32 tensors with refcounted storage, views, and SGEMM (OpenBLAS and a
** reference kernel). Not a general strided array library: every tensor is contiguous. */
#include "core/tensor.h"

#include <cblas.h>
#include <stdio.h>
#include <string.h>

#include "core/mem.h"
#include "core/rng.h"

#include <lapacke.h>

typedef struct Storage {
    long   refs;
    float *data;
} Storage;

struct tn_Tensor {
    Storage *st;
    int64_t  offset;                 /* in elements, into st->data */
    int      ndim;
    int64_t  shape[TN_MAXDIM];
    int64_t  numel;
};

static int check_shape(const int64_t *shape, int ndim, int64_t *numel, mn_Err *e) {
    int64_t n = 1;
    if (ndim < 1 || ndim > TN_MAXDIM)
        return mn_fail(e, MN_EARG, "tensor: %d dimensions (1 to %d allowed)", ndim, TN_MAXDIM);
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0)
            return mn_fail(e, MN_EARG, "tensor: dimension %d is negative (%lld)", i + 1,
                           (long long)shape[i]);
        if (shape[i] > 0 && n > INT64_MAX / 4 / shape[i])
            return mn_fail(e, MN_EARG, "tensor: too many elements");
        n *= shape[i];
    }
    *numel = n;
    return MN_OK;
}

static tn_Tensor *new_head(Storage *st, const int64_t *shape, int ndim, int64_t numel) {
    tn_Tensor *t = mn_malloc(sizeof *t);
    if (t == NULL)
        return NULL;
    memset(t, 0, sizeof *t);
    t->st = st;
    t->ndim = ndim;
    memcpy(t->shape, shape, (size_t)ndim * sizeof *shape);
    t->numel = numel;
    return t;
}

int tn_zeros(const int64_t *shape, int ndim, tn_Tensor **out, mn_Err *e) {
    int64_t numel;
    Storage *st;
    tn_Tensor *t;
    int rc = check_shape(shape, ndim, &numel, e);
    if (rc != MN_OK)
        return rc;
    st = mn_malloc(sizeof *st);
    if (st == NULL)
        return mn_fail(e, MN_ENOMEM, "tensor: out of memory");
    st->refs = 1;
    st->data = mn_calloc((size_t)(numel ? numel : 1), sizeof(float));
    t = st->data ? new_head(st, shape, ndim, numel) : NULL;
    if (t == NULL) {
        mn_free(st->data);
        mn_free(st);
        return mn_fail(e, MN_ENOMEM, "tensor: out of memory for %lld floats", (long long)numel);
    }
    *out = t;
    return MN_OK;
}

int tn_from(const float *data, const int64_t *shape, int ndim, tn_Tensor **out, mn_Err *e) {
    tn_Tensor *t;
    int rc = tn_zeros(shape, ndim, &t, e);
    if (rc != MN_OK)
        return rc;
    if (t->numel)
        memcpy(tn_data(t), data, (size_t)t->numel * sizeof(float));
    *out = t;
    return MN_OK;
}

int tn_rows(tn_Tensor *base, int64_t first, int64_t count, tn_Tensor **out, mn_Err *e) {
    int64_t shape[TN_MAXDIM], rs = tn_rowsize(base);
    tn_Tensor *t;
    if (first < 0 || count < 0 || first + count > base->shape[0])
        return mn_fail(e, MN_ESHAPE, "tensor rows: [%lld, %lld) is outside 0..%lld",
                       (long long)first, (long long)(first + count), (long long)base->shape[0]);
    memcpy(shape, base->shape, sizeof shape);
    shape[0] = count;
    t = new_head(base->st, shape, base->ndim, count * rs);
    if (t == NULL)
        return mn_fail(e, MN_ENOMEM, "tensor: out of memory");
    t->offset = base->offset + first * rs;
    base->st->refs++;
    *out = t;
    return MN_OK;
}

int tn_reshape(tn_Tensor *base, const int64_t *shape, int ndim, tn_Tensor **out, mn_Err *e) {
    int64_t numel;
    tn_Tensor *t;
    int rc = check_shape(shape, ndim, &numel, e);
    char a[64], b[64];
    if (rc != MN_OK)
        return rc;
    if (numel != base->numel)
        return mn_fail(e, MN_ESHAPE, "tensor reshape: %s has %lld elements, %s has %lld",
                       tn_shape_str(base->shape, base->ndim, a, sizeof a),
                       (long long)base->numel, tn_shape_str(shape, ndim, b, sizeof b),
                       (long long)numel);
    t = new_head(base->st, shape, ndim, numel);
    if (t == NULL)
        return mn_fail(e, MN_ENOMEM, "tensor: out of memory");
    t->offset = base->offset;
    base->st->refs++;
    *out = t;
    return MN_OK;
}

int tn_clone(const tn_Tensor *t, tn_Tensor **out, mn_Err *e) {
    return tn_from(tn_data(t), t->shape, t->ndim, out, e);
}

int tn_gather_rows(const tn_Tensor *t, const int64_t *idx, int64_t n, tn_Tensor **out,
                   mn_Err *e) {
    int64_t shape[TN_MAXDIM], rs = tn_rowsize(t);
    tn_Tensor *r;
    int rc;
    for (int64_t i = 0; i < n; i++)
        if (idx[i] < 0 || idx[i] >= t->shape[0])
            return mn_fail(e, MN_ESHAPE, "tensor gather: row %lld is outside 0..%lld",
                           (long long)idx[i], (long long)t->shape[0]);
    memcpy(shape, t->shape, sizeof shape);
    shape[0] = n;
    if ((rc = tn_zeros(shape, t->ndim, &r, e)) != MN_OK)
        return rc;
    for (int64_t i = 0; i < n; i++)
        memcpy(tn_data(r) + i * rs, tn_data(t) + idx[i] * rs, (size_t)rs * sizeof(float));
    *out = r;
    return MN_OK;
}

void tn_free(tn_Tensor *t) {
    if (t == NULL)
        return;
    if (--t->st->refs == 0) {
        mn_free(t->st->data);
        mn_free(t->st);
    }
    mn_free(t);
}

float *tn_data(const tn_Tensor *t) { return t->st->data + t->offset; }
int tn_ndim(const tn_Tensor *t) { return t->ndim; }
const int64_t *tn_shape(const tn_Tensor *t) { return t->shape; }
int64_t tn_numel(const tn_Tensor *t) { return t->numel; }

int64_t tn_rowsize(const tn_Tensor *t) {
    int64_t n = 1;
    for (int i = 1; i < t->ndim; i++)
        n *= t->shape[i];
    return n;
}

const char *tn_shape_str(const int64_t *shape, int ndim, char *buf, int n) {
    int k = snprintf(buf, (size_t)n, "(");
    for (int i = 0; i < ndim && k < n; i++)
        k += snprintf(buf + k, (size_t)(n - k), "%s%lld", i ? ", " : "", (long long)shape[i]);
    if (k < n)
        snprintf(buf + k, (size_t)(n - k), "%s)", ndim == 1 ? "," : "");
    return buf;
}

/* ---- matrix products ---- */

void tn_sgemm(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
              const float *B, int ldb, float beta, float *C, int ldc) {
    if (M == 0 || N == 0)
        return;
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void tn_sgemm_naive(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
                    const float *B, int ldb, float beta, float *C, int ldc) {
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            double s = 0;
            for (int k = 0; k < K; k++) {
                double a = ta ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k];
                double b = tb ? B[(size_t)j * ldb + k] : B[(size_t)k * ldb + j];
                s += a * b;
            }
            float *c = &C[(size_t)i * ldc + j];
            *c = (float)((double)alpha * s + (beta == 0.0f ? 0.0 : (double)beta * (double)*c));
        }
}

int tn_matmul(const tn_Tensor *a, const tn_Tensor *b, tn_Tensor **out, mn_Err *e) {
    char sa[64], sb[64];
    int64_t shape[2];
    tn_Tensor *c;
    int rc;
    if (a->ndim != 2 || b->ndim != 2 || a->shape[1] != b->shape[0])
        return mn_fail(e, MN_ESHAPE, "matmul: shapes %s and %s do not chain",
                       tn_shape_str(a->shape, a->ndim, sa, sizeof sa),
                       tn_shape_str(b->shape, b->ndim, sb, sizeof sb));
    if (a->shape[0] > INT32_MAX || a->shape[1] > INT32_MAX || b->shape[1] > INT32_MAX)
        return mn_fail(e, MN_ESHAPE, "matmul: dimensions beyond 2^31");
    shape[0] = a->shape[0];
    shape[1] = b->shape[1];
    if ((rc = tn_zeros(shape, 2, &c, e)) != MN_OK)
        return rc;
    tn_sgemm(0, 0, (int)shape[0], (int)shape[1], (int)a->shape[1], 1.0f, tn_data(a),
             (int)a->shape[1], tn_data(b), (int)b->shape[1], 0.0f, tn_data(c), (int)shape[1]);
    *out = c;
    return MN_OK;
}

/* ---- initialisation ---- */

int tn_orthogonal(float *w, int64_t rows, int64_t cols, float gain, mn_Rng *r, mn_Err *e) {
    int64_t m = rows > cols ? rows : cols, k = rows > cols ? cols : rows;
    float *a = mn_malloc((size_t)(m * k) * sizeof *a), *tau = mn_malloc((size_t)k * sizeof *tau);
    float d[4096];
    int rc = MN_OK;
    if (a == NULL || tau == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "orthogonal init: out of memory");
        goto done;
    }
    if (k > 4096) {
        rc = mn_fail(e, MN_EARG, "orthogonal init: %lld columns is too many", (long long)k);
        goto done;
    }
    for (int64_t i = 0; i < m * k; i++)                  /* a is (m, k), row-major */
        a[i] = (float)mn_rng_normal(r);
    if (LAPACKE_sgeqrf(LAPACK_ROW_MAJOR, (int)m, (int)k, a, (int)k, tau) != 0) {
        rc = mn_fail(e, MN_EARG, "orthogonal init: sgeqrf failed");
        goto done;
    }
    for (int64_t j = 0; j < k; j++)                      /* signs of diag(R) */
        d[j] = a[j * k + j] < 0 ? -1.0f : 1.0f;
    if (LAPACKE_sorgqr(LAPACK_ROW_MAJOR, (int)m, (int)k, (int)k, a, (int)k, tau) != 0) {
        rc = mn_fail(e, MN_EARG, "orthogonal init: sorgqr failed");
        goto done;
    }
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < k; j++) {
            float v = gain * a[i * k + j] * d[j];
            if (rows >= cols)
                w[i * cols + j] = v;                     /* w = Q */
            else
                w[j * cols + i] = v;                     /* w = Q^T */
        }
done:
    mn_free(a);
    mn_free(tau);
    return rc;
}
