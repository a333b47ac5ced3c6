/* linear.c -- OLS/WLS by QR with column pivoting on unit-norm columns (LAPACK dgeqp3 through
** core/blas.h), inference from R^-1 (never (X'X)^-1 formed), robust HC0-HC3 and Newey-West
** covariances as statsmodels; ridge / lasso / elastic net by glmnet's coordinate descent. */
#include <math.h>
#include <string.h>

#include "core/blas.h"
#include "core/dist.h"
#include "core/interrupt.h"
#include "core/mem.h"
#include "ml/linear.h"

#define IDX(i, j, ld) ((int64_t)(j) * (ld) + (i))

void ml_ols_free(ml_Ols *m) {
    if (m == NULL)
        return;
    mn_free(m->coef);              /* se, stat, p and vcov live in the same block */
    mn_free(m->resid);
    mn_free(m->aliased);
    memset(m, 0, sizeof *m);
}

void ml_linear_predict(const ml_Design *d, const double *coef, int intercept, double *out) {
    for (int64_t i = 0; i < d->n; i++)
        out[i] = intercept ? coef[0] : 0.0;
    for (int64_t j = 0; j < d->p; j++) {
        double b = coef[j + (intercept ? 1 : 0)];
        const double *x = d->x + j * d->n;
        for (int64_t i = 0; i < d->n; i++)
            out[i] += b * x[i];
    }
}

/* Solve the q x q symmetric positive definite 'a' (column-major, destroyed) for b in place by
** Cholesky; returns 0 when 'a' is not positive definite. Small q only (the Wald F). */
static int spd_solve(double *a, int q, double *b) {
    for (int j = 0; j < q; j++) {
        double s = a[IDX(j, j, q)];
        for (int k = 0; k < j; k++)
            s -= a[IDX(j, k, q)] * a[IDX(j, k, q)];
        if (!(s > 0.0))
            return 0;
        a[IDX(j, j, q)] = sqrt(s);
        for (int i = j + 1; i < q; i++) {
            double t = a[IDX(i, j, q)];
            for (int k = 0; k < j; k++)
                t -= a[IDX(i, k, q)] * a[IDX(j, k, q)];
            a[IDX(i, j, q)] = t / a[IDX(j, j, q)];
        }
    }
    for (int i = 0; i < q; i++) {                  /* L z = b */
        for (int k = 0; k < i; k++)
            b[i] -= a[IDX(i, k, q)] * b[k];
        b[i] /= a[IDX(i, i, q)];
    }
    for (int i = q - 1; i >= 0; i--) {             /* L' x = z */
        for (int k = i + 1; k < q; k++)
            b[i] -= a[IDX(k, i, q)] * b[k];
        b[i] /= a[IDX(i, i, q)];
    }
    return 1;
}

static int check_inputs(const ml_Design *d, const double *y, const ml_OlsOpts *o, int k,
                        mn_Err *e) {
    if (d->n < k)
        return mn_fail(e, MN_EARG, "ols: %d parameters (%lld columns%s) but only %lld rows: "
                       "least squares needs at least as many rows as parameters; drop columns "
                       "or use a penalty (ridge)", k, (long long)d->p,
                       o->intercept ? " and const" : "", (long long)d->n);
    for (int64_t i = 0; i < d->n; i++)
        if (!isfinite(y[i]))
            return mn_fail(e, MN_ENAN, "ols: y: row %lld is %s", (long long)(i + 1),
                           isnan(y[i]) ? "NaN" : "infinite");
    if (o->w != NULL)
        for (int64_t i = 0; i < d->n; i++)
            if (!(o->w[i] > 0.0) || !isfinite(o->w[i]))
                return mn_fail(e, MN_EARG, "ols: weights: row %lld is %g; weights must be "
                               "positive and finite", (long long)(i + 1), o->w[i]);
    if (o->cov < ML_COV_NONROBUST || o->cov > ML_COV_HAC)
        return mn_fail(e, MN_EARG, "ols: unknown covariance type %d", o->cov);
    if (o->cov == ML_COV_HAC && (o->maxlags < 0 || o->maxlags >= d->n))
        return mn_fail(e, MN_EARG, "ols: maxlags must be from 0 to %lld (n - 1), got %d",
                       (long long)(d->n - 1), o->maxlags);
    return MN_OK;
}

/* The r x r "meat" in Q space for the robust covariances: sum_i u_i q_i q_i' (HC) or the
** Bartlett-weighted autocovariances of g_t = q_t e_t (HAC); q (n x r) holds Q's columns. */
static void meat(const ml_Ols *m, const double *q, int64_t n, int r, const double *we,
                 double *out) {
    memset(out, 0, (size_t)r * (size_t)r * sizeof *out);
    if (m->cov == ML_COV_HAC) {
        for (int l = 0; l <= m->maxlags; l++) {
            double wl = l == 0 ? 1.0 : 1.0 - (double)l / (double)(m->maxlags + 1);
            for (int a = 0; a < r; a++)
                for (int b = 0; b < r; b++) {
                    double s = 0.0;
                    for (int64_t t = l; t < n; t++)
                        s += q[IDX(t, a, n)] * we[t] * q[IDX(t - l, b, n)] * we[t - l];
                    out[IDX(a, b, r)] += wl * s;
                    if (l > 0)
                        out[IDX(b, a, r)] += wl * s;
                }
        }
        /* use_correction = True: n / (n - k) */
        for (int i = 0; i < r * r; i++)
            out[i] *= (double)n / (double)(n - r);
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        double u = we[i] * we[i], h = 0.0;
        if (m->cov == ML_COV_HC2 || m->cov == ML_COV_HC3) {
            for (int a = 0; a < r; a++)
                h += q[IDX(i, a, n)] * q[IDX(i, a, n)];
            u /= m->cov == ML_COV_HC2 ? (1.0 - h) : (1.0 - h) * (1.0 - h);
        }
        for (int a = 0; a < r; a++)
            for (int b = 0; b <= a; b++)
                out[IDX(a, b, r)] += u * q[IDX(i, a, n)] * q[IDX(i, b, n)];
    }
    for (int a = 0; a < r; a++)
        for (int b = 0; b < a; b++)
            out[IDX(b, a, r)] = out[IDX(a, b, r)];
    if (m->cov == ML_COV_HC1)
        for (int i = 0; i < r * r; i++)
            out[i] *= (double)n / (double)(n - r);
}

/* Wald F of every non-constant, non-aliased coefficient being zero, with vcov. */
static double wald_f(const ml_Ols *m, double *work, int *q_out) {
    int q = 0, *idx = mn_malloc((size_t)m->k * sizeof *idx);
    if (idx == NULL)
        return (double)NAN;
    for (int j = m->intercept; j < m->k; j++)
        if (!m->aliased[j])
            idx[q++] = j;
    *q_out = q;
    if (q == 0) {
        mn_free(idx);
        return (double)NAN;
    }
    double *a = work, *b = work + (size_t)q * (size_t)q, f = 0.0;
    for (int i = 0; i < q; i++) {
        b[i] = m->coef[idx[i]];
        for (int j = 0; j < q; j++)
            a[IDX(i, j, q)] = m->vcov[IDX(idx[i], idx[j], m->k)];
    }
    double *c = b + q;
    mn_free(idx);
    memcpy(c, b, (size_t)q * sizeof *c);
    if (!spd_solve(a, q, c))
        return (double)NAN;
    for (int i = 0; i < q; i++)
        f += b[i] * c[i];
    return f / q;
}

int ml_ols_fit(const ml_Design *d, const double *y, const ml_OlsOpts *o, ml_Ols *out,
               mn_Err *e) {
    int ic = o->intercept ? 1 : 0, k = (int)d->p + ic, rc, r = 0;
    int64_t n = d->n;
    double tol = o->tol > 0.0 ? o->tol : 1e-13;
    ml_Ols m;
    double *a = NULL, *tau, *s, *qty, *we, *ri, *q = NULL, *mt, *cz, *sw;
    int *jpvt;

    memset(&m, 0, sizeof m);
    if ((rc = check_inputs(d, y, o, k, e)) != MN_OK)
        return rc;
    m.n = n;
    m.k = k;
    m.intercept = ic;
    m.cov = o->cov;
    m.maxlags = o->maxlags;
    /* one block: coef se stat p (4k), vcov (k^2); resid fitted (2n); a scratch block */
    m.coef = mn_calloc((size_t)(4 * k + k * k), sizeof(double));
    m.resid = mn_calloc((size_t)(2 * n), sizeof(double));
    m.aliased = mn_calloc((size_t)k, sizeof(int));
    jpvt = mn_calloc((size_t)k, sizeof(int));
    size_t scratch = (size_t)n * (size_t)k + (size_t)(3 * k) + (size_t)(3 * n)
                     + 3 * (size_t)k * (size_t)k + 2 * (size_t)k;
    a = mn_malloc(scratch * sizeof(double));
    if (m.coef == NULL || m.resid == NULL || m.aliased == NULL || jpvt == NULL || a == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "ols: out of memory for %lld x %d", (long long)n, k);
        goto done;
    }
    m.se = m.coef + k;
    m.stat = m.se + k;
    m.p = m.stat + k;
    m.vcov = m.p + k;
    m.fitted = m.resid + n;
    tau = a + (size_t)n * (size_t)k;
    s = tau + k;
    qty = s + k;
    we = qty + n;
    sw = we + n;
    ri = sw + n;
    mt = ri + (size_t)k * (size_t)k;
    cz = mt + (size_t)k * (size_t)k;

    /* whitened, unit-norm columns: A = diag(sqrt w) [1 X] diag(1/s) */
    for (int64_t i = 0; i < n; i++)
        sw[i] = o->w ? sqrt(o->w[i]) : 1.0;
    for (int j = 0; j < k; j++) {
        double nrm = 0.0;
        for (int64_t i = 0; i < n; i++) {
            double v = sw[i] * (ic && j == 0 ? 1.0 : d->x[IDX(i, j - ic, n)]);
            a[IDX(i, j, n)] = v;
            nrm += v * v;
        }
        s[j] = nrm > 0.0 ? sqrt(nrm) : 1.0;
        for (int64_t i = 0; i < n; i++)
            a[IDX(i, j, n)] /= s[j];
    }
    if ((rc = mn_qrp(a, (int)n, k, jpvt, tau, e)) != MN_OK)
        goto done;
    {
        double r11 = fabs(a[0]);
        while (r < k && fabs(a[IDX(r, r, n)]) > tol * r11)
            r++;
    }
    m.rank = r;
    for (int64_t i = 0; i < n; i++)
        qty[i] = sw[i] * y[i];
    if ((rc = mn_qr_qtb(a, (int)n, k, tau, qty, e)) != MN_OK)
        goto done;
    if (r > 0 && (rc = mn_tri_solve(a, r, (int)n, qty, e)) != MN_OK)
        goto done;
    for (int i = 0; i < k; i++) {
        int j = jpvt[i];
        m.coef[j] = i < r ? qty[i] / s[j] : 0.0;
        m.aliased[j] = i >= r;
    }
    /* residuals in the original (unweighted) units; whitened ones for the statistics */
    {
        ml_Design dd = *d;
        ml_linear_predict(&dd, m.coef, ic, m.fitted);
    }
    double sumw = 0.0, ybar = 0.0;
    m.ssr = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double wi = o->w ? o->w[i] : 1.0;
        m.resid[i] = y[i] - m.fitted[i];
        we[i] = sw[i] * m.resid[i];
        m.ssr += we[i] * we[i];
        sumw += wi;
        ybar += wi * y[i];
    }
    ybar = ic ? ybar / sumw : 0.0;
    m.centered_tss = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double wi = o->w ? o->w[i] : 1.0;
        m.centered_tss += wi * (y[i] - ybar) * (y[i] - ybar);
    }
    m.df_resid = (double)(n - r);
    m.df_model = (double)(r - ic);
    m.scale = m.df_resid > 0 ? m.ssr / m.df_resid : (double)NAN;
    m.r2 = 1.0 - m.ssr / m.centered_tss;
    m.r2_adj = 1.0 - (double)(n - ic) / m.df_resid * (1.0 - m.r2);

    /* R^-1 of the leading r x r triangle; covariance in the pivoted, scaled space */
    memset(ri, 0, (size_t)r * (size_t)r * sizeof *ri);
    for (int j = 0; j < r; j++)
        for (int i = 0; i <= j; i++)
            ri[IDX(i, j, r)] = a[IDX(i, j, n)];
    if (r > 0 && (rc = mn_tri_inv(ri, r, r, e)) != MN_OK)
        goto done;
    if (m.cov == ML_COV_NONROBUST) {
        for (int i = 0; i < r * r; i++)
            mt[i] = 0.0;
        for (int i = 0; i < r; i++)
            mt[IDX(i, i, r)] = m.scale;
    } else {
        if ((q = mn_malloc((size_t)n * (size_t)(r > 0 ? r : 1) * sizeof *q)) == NULL) {
            rc = mn_fail(e, MN_ENOMEM, "ols: out of memory for Q (%lld x %d)", (long long)n, r);
            goto done;
        }
        memcpy(q, a, (size_t)n * (size_t)r * sizeof *q);
        if (r > 0 && (rc = mn_qr_q(q, (int)n, r, tau, e)) != MN_OK)
            goto done;
        meat(&m, q, n, r, we, mt);
    }
    /* cz = Ri mt Ri' */
    for (int i = 0; i < r; i++)
        for (int j = 0; j < r; j++) {
            double acc = 0.0;
            for (int u = i; u < r; u++)        /* Ri upper: row i has entries u >= i */
                for (int v = j; v < r; v++)
                    acc += ri[IDX(i, u, r)] * mt[IDX(u, v, r)] * ri[IDX(j, v, r)];
            cz[IDX(i, j, r)] = acc;
        }
    for (int i = 0; i < k * k; i++)
        m.vcov[i] = (double)NAN;
    for (int i = 0; i < r; i++)
        for (int j = 0; j < r; j++)
            m.vcov[IDX(jpvt[i], jpvt[j], k)] = cz[IDX(i, j, r)] / (s[jpvt[i]] * s[jpvt[j]]);
    for (int j = 0; j < k; j++) {
        m.se[j] = m.aliased[j] ? (double)NAN : sqrt(m.vcov[IDX(j, j, k)]);
        m.stat[j] = m.aliased[j] ? (double)NAN : m.coef[j] / m.se[j];
        /* statsmodels: t with df_resid for the classical covariance, normal for robust ones */
        m.p[j] = mn_p_two_sided(m.stat[j], m.cov == ML_COV_NONROBUST ? m.df_resid : 0.0);
    }
    if (m.df_model > 0 && m.df_resid > 0) {
        if (m.cov == ML_COV_NONROBUST) {
            m.fvalue = ((m.centered_tss - m.ssr) / m.df_model) / m.scale;
        } else {
            int qn;
            m.fvalue = wald_f(&m, mt, &qn);
        }
        m.f_p = mn_f_sf(m.fvalue, m.df_model, m.df_resid);
    } else {
        m.fvalue = m.f_p = (double)NAN;
    }
    {
        double nobs2 = (double)n / 2.0, slw = 0.0;
        if (o->w)
            for (int64_t i = 0; i < n; i++)
                slw += log(o->w[i]);
        m.loglik = -log(m.ssr) * nobs2 - (1.0 + log(M_PI / nobs2)) * nobs2 + 0.5 * slw;
        m.aic = -2.0 * m.loglik + 2.0 * (m.df_model + ic);
        m.bic = -2.0 * m.loglik + log((double)n) * (m.df_model + ic);
    }
    {   /* Durbin-Watson and Jarque-Bera on the whitened residuals (statsmodels' summary) */
        double num = 0.0, mean = 0.0, m2 = 0.0, m3 = 0.0, m4 = 0.0;
        for (int64_t i = 1; i < n; i++)
            num += (we[i] - we[i - 1]) * (we[i] - we[i - 1]);
        m.dw = num / m.ssr;
        for (int64_t i = 0; i < n; i++)
            mean += we[i];
        mean /= (double)n;
        for (int64_t i = 0; i < n; i++) {
            double z = we[i] - mean, z2 = z * z;
            m2 += z2;
            m3 += z2 * z;
            m4 += z2 * z2;
        }
        m2 /= (double)n;
        m3 /= (double)n;
        m4 /= (double)n;
        m.skew = m3 / pow(m2, 1.5);
        m.kurtosis = m4 / (m2 * m2);
        m.jb = (double)n / 6.0 * (m.skew * m.skew + 0.25 * (m.kurtosis - 3.0) *
                                                    (m.kurtosis - 3.0));
        m.jb_p = mn_chi2_sf(m.jb, 2.0);
    }
    m.cond = (double)NAN;
    *out = m;
    memset(&m, 0, sizeof m);
    rc = MN_OK;
done:
    ml_ols_free(&m);
    mn_free(q);
    mn_free(a);
    mn_free(jpvt);
    return rc;
}

/* ---- penalised fits: glmnet's coordinate descent (covariance-free "naive" updates) ---- */

void ml_net_free(ml_Net *m) {
    if (m == NULL)
        return;
    mn_free(m->coef);
    mn_free(m->path_lambda);
    mn_free(m->path_coef);
    memset(m, 0, sizeof *m);
}

/* The coefficients on the original scale from the standardised ones. */
static void unscale(const double *b, const double *xm, const double *xs, int64_t p, int ic,
                    double ym, double *coef) {
    double b0 = ym;
    for (int64_t j = 0; j < p; j++) {
        double bj = xs[j] > 0.0 ? b[j] / xs[j] : 0.0;
        coef[j + ic] = bj;
        b0 -= bj * xm[j];
    }
    if (ic)
        coef[0] = b0;
}

static double soft(double z, double g) {
    return z > g ? z - g : z < -g ? z + g : 0.0;
}

int ml_net_fit(const ml_Design *d, const double *y, const ml_NetOpts *o, ml_Net *out,
               mn_Err *e) {
    int64_t n = d->n, p = d->p;
    int ic = o->intercept ? 1 : 0, sweeps = 0, converged = 1;
    double *z, *xm, *xs, *b, *r, ym = 0.0, vy = 0.0, lmax = 0.0;
    ml_Net m;

    if (n < 1)
        return mn_fail(e, MN_EARG, "net: no rows");
    if (!(o->alpha >= 0.0 && o->alpha <= 1.0))
        return mn_fail(e, MN_EARG, "net: alpha must be in [0, 1], got %g", o->alpha);
    if (!(o->lambda > 0.0) || !isfinite(o->lambda))
        return mn_fail(e, MN_EARG, "net: lambda must be positive, got %g", o->lambda);
    if (o->nlambda < 1 || o->max_iter < 1 || !(o->tol > 0.0))
        return mn_fail(e, MN_EARG, "net: nlambda and max_iter must be >= 1, tol > 0");
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(y[i]))
            return mn_fail(e, MN_ENAN, "net: y: row %lld is %s", (long long)(i + 1),
                           isnan(y[i]) ? "NaN" : "infinite");
    memset(&m, 0, sizeof m);
    m.k = (int)p + ic;
    m.coef = mn_calloc((size_t)m.k, sizeof(double));
    m.path_lambda = mn_calloc((size_t)o->nlambda, sizeof(double));
    m.path_coef = mn_calloc((size_t)o->nlambda * (size_t)m.k, sizeof(double));
    z = mn_malloc(((size_t)n * (size_t)p + 3 * (size_t)p + (size_t)n + 1) * sizeof(double));
    if (m.coef == NULL || z == NULL || m.path_lambda == NULL || m.path_coef == NULL) {
        mn_free(z);
        ml_net_free(&m);
        return mn_fail(e, MN_ENOMEM, "net: out of memory for %lld x %lld", (long long)n,
                       (long long)p);
    }
    xm = z + (size_t)n * (size_t)p;
    xs = xm + p;
    b = xs + p;
    r = b + p;
    /* standardise with 1/n variances (glmnet); a constant column keeps b_j = 0 */
    for (int64_t i = 0; i < n; i++)
        ym += y[i];
    ym = ic ? ym / (double)n : 0.0;
    for (int64_t i = 0; i < n; i++) {
        r[i] = y[i] - ym;
        vy += r[i] * r[i];
    }
    vy /= (double)n;
    for (int64_t j = 0; j < p; j++) {
        const double *x = d->x + j * n;
        double mu = 0.0, v = 0.0;
        if (ic) {
            for (int64_t i = 0; i < n; i++)
                mu += x[i];
            mu /= (double)n;
        }
        for (int64_t i = 0; i < n; i++)
            v += (x[i] - mu) * (x[i] - mu);
        v /= (double)n;
        xm[j] = mu;
        xs[j] = v > 0.0 ? sqrt(v) : 0.0;
        for (int64_t i = 0; i < n; i++)
            z[IDX(i, j, n)] = xs[j] > 0.0 ? (x[i] - mu) / xs[j] : 0.0;
        b[j] = 0.0;
        double g = 0.0;
        for (int64_t i = 0; i < n; i++)
            g += z[IDX(i, j, n)] * r[i];
        g = fabs(g) / (double)n;
        if (g > lmax)
            lmax = g;
    }
    lmax /= o->alpha > 1e-3 ? o->alpha : 1e-3;
    m.lambda_max = lmax;
    {
        int nl = o->lambda < lmax ? o->nlambda : 1;
        double thr = o->tol * (vy > 0.0 ? vy : 1.0);
        for (int l = 0; l < nl && converged; l++) {
            double lam = nl == 1 ? o->lambda
                         : lmax * pow(o->lambda / lmax, (double)(l + 1) / (double)nl);
            double l1 = lam * o->alpha, den = 1.0 + lam * (1.0 - o->alpha);
            for (;;) {
                double dmax = 0.0;
                if (sweeps >= o->max_iter) {
                    converged = 0;
                    break;
                }
                if (mn_interrupted()) {
                    mn_free(z);
                    ml_net_free(&m);
                    return mn_fail(e, MN_EINTR, "net: interrupted");
                }
                sweeps++;
                for (int64_t j = 0; j < p; j++) {
                    if (xs[j] == 0.0)
                        continue;
                    const double *zj = z + j * n;
                    double g = 0.0, bn, dl;
                    for (int64_t i = 0; i < n; i++)
                        g += zj[i] * r[i];
                    g = g / (double)n + b[j];
                    bn = soft(g, l1) / den;
                    dl = bn - b[j];
                    if (dl != 0.0) {
                        for (int64_t i = 0; i < n; i++)
                            r[i] -= zj[i] * dl;
                        b[j] = bn;
                        if (dl * dl > dmax)
                            dmax = dl * dl;
                    }
                }
                if (dmax < thr)
                    break;
            }
            if (converged) {
                m.path_lambda[m.npath] = lam;
                unscale(b, xm, xs, p, ic, ym, m.path_coef + (size_t)m.npath * (size_t)m.k);
                m.npath++;
            }
        }
    }
    unscale(b, xm, xs, p, ic, ym, m.coef);
    m.converged = converged;
    m.iters = sweeps;
    mn_free(z);
    *out = m;
    return MN_OK;
}
