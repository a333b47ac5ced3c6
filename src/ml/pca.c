/* pca.c -- principal components: centre and scale the columns, thin SVD (core/blas.h's
** dgesdd), keep the first k right singular vectors with svd_flip's signs; variance with
** ddof 1 as scikit-learn. */
#include <math.h>
#include <string.h>

#include "core/blas.h"
#include "core/mem.h"
#include "ml/pca.h"

void ml_pca_free(ml_Pca *m) {
    if (m == NULL)
        return;
    mn_free(m->mean);
    mn_free(m->scale);
    mn_free(m->comp);
    mn_free(m->sv);
    mn_free(m->var);
    mn_free(m->ratio);
    memset(m, 0, sizeof *m);
}

int ml_pca_fit(const ml_Design *d, int k, int center, int scale, ml_Pca *m, mn_Err *e) {
    int64_t n = d->n;
    int p = (int)d->p, r = (int)(n < d->p ? n : d->p);
    double *a = NULL, *s = NULL, *u = NULL, *vt = NULL, total = 0.0, rest = 0.0;
    int rc = MN_OK;
    memset(m, 0, sizeof *m);
    if (n < 2 || p < 1)
        return mn_fail(e, MN_EARG, "pca: need at least 2 rows and 1 column, got %d x %d",
                       (int)n, p);
    if (k < 1 || k > r)
        return mn_fail(e, MN_EARG, "n_components: %d out of range 1..%d (min(rows, columns))",
                       k, r);
    m->n = n, m->p = p, m->k = k;
    m->mean = mn_calloc((size_t)p, sizeof *m->mean);
    m->scale = mn_calloc((size_t)p, sizeof *m->scale);
    m->comp = mn_calloc((size_t)k * (size_t)p, sizeof *m->comp);
    m->sv = mn_calloc((size_t)k, sizeof *m->sv);
    m->var = mn_calloc((size_t)k, sizeof *m->var);
    m->ratio = mn_calloc((size_t)k, sizeof *m->ratio);
    a = mn_malloc((size_t)n * (size_t)p * sizeof *a);
    s = mn_malloc((size_t)r * sizeof *s);
    u = mn_malloc((size_t)n * (size_t)r * sizeof *u);
    vt = mn_malloc((size_t)r * (size_t)p * sizeof *vt);
    if (!m->mean || !m->scale || !m->comp || !m->sv || !m->var || !m->ratio || !a || !s ||
        !u || !vt) {
        rc = mn_fail(e, MN_ENOMEM, "pca: out of memory for %d x %d", (int)n, p);
        goto done;
    }
    for (int j = 0; j < p; j++) {
        const double *x = d->x + (int64_t)j * n;
        double mu = 0.0, ss = 0.0;
        for (int64_t i = 0; i < n; i++)
            mu += x[i];
        mu /= (double)n;
        for (int64_t i = 0; i < n; i++)
            ss += (x[i] - mu) * (x[i] - mu);
        m->mean[j] = center ? mu : 0.0;
        m->scale[j] = 1.0;
        if (scale && ss > 0.0)
            m->scale[j] = sqrt(ss / (double)n);
        for (int64_t i = 0; i < n; i++)
            a[(int64_t)j * n + i] = (x[i] - m->mean[j]) / m->scale[j];
    }
    if ((rc = mn_svd(a, (int)n, p, s, u, vt, e)) != MN_OK)
        goto done;
    /* total variance from the whole spectrum (scikit-learn: explained_variance_.sum()) */
    for (int c = 0; c < r; c++) {
        double v = s[c] * s[c] / (double)(n - 1);
        total += v;
        if (c >= k)
            rest += v;
    }
    for (int c = 0; c < k; c++) {
        int big = 0;
        double sign;
        /* svd_flip(U, Vt) as scikit-learn's PCA calls it: the largest |U[:, c]| positive */
        for (int64_t i = 1; i < n; i++)
            if (fabs(u[(int64_t)c * n + i]) > fabs(u[(int64_t)c * n + big]))
                big = (int)i;
        sign = u[(int64_t)c * n + big] < 0.0 ? -1.0 : 1.0;
        for (int j = 0; j < p; j++)
            m->comp[(int64_t)c * p + j] = sign * vt[(int64_t)j * r + c];
        m->sv[c] = s[c];
        m->var[c] = s[c] * s[c] / (double)(n - 1);
        m->ratio[c] = total > 0.0 ? m->var[c] / total : 0.0;
    }
    m->noise_var = k < r ? rest / (double)(r - k) : 0.0;
done:
    mn_free(a);
    mn_free(s);
    mn_free(u);
    mn_free(vt);
    if (rc != MN_OK)
        ml_pca_free(m);
    return rc;
}

void ml_pca_transform(const ml_Pca *m, const ml_Design *d, double *out) {
    int64_t n = d->n;
    for (int64_t i = 0; i < n; i++)
        for (int c = 0; c < m->k; c++) {
            double acc = 0.0;
            for (int j = 0; j < m->p; j++)
                acc += (d->x[(int64_t)j * n + i] - m->mean[j]) / m->scale[j] *
                       m->comp[(int64_t)c * m->p + j];
            out[i * m->k + c] = acc;
        }
}

void ml_pca_inverse(const ml_Pca *m, const double *z, int64_t n, double *out) {
    for (int64_t i = 0; i < n; i++)
        for (int j = 0; j < m->p; j++) {
            double acc = 0.0;
            for (int c = 0; c < m->k; c++)
                acc += z[i * m->k + c] * m->comp[(int64_t)c * m->p + j];
            out[i * m->p + j] = acc * m->scale[j] + m->mean[j];
        }
}
