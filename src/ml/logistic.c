/* logistic.c -- binary logistic regression: Newton/IRLS whose steps are weighted least
** squares solved by pivoted QR (core/blas.h), penalised IRLS for L2, glmnet's coordinate
** descent on the IRLS quadratic for L1 / elastic net, and the separation checks. */
#include "ml/logistic.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/blas.h"
#include "core/dist.h"
#include "core/interrupt.h"
#include "core/mem.h"

#define EDGE 1e-8            /* a fitted probability this close to 0 or 1 counts as exact */

void ml_logit_opts_init(ml_LogitOpts *o) {
    memset(o, 0, sizeof *o);
    o->penalty = ML_PEN_NONE;
    o->lambda = 1.0;
    o->alpha = 0.5;
    o->max_iter = 100;
    o->tol = 1e-10;
    o->fit_intercept = 1;
    o->class_weight[0] = o->class_weight[1] = 1.0;
}

int ml_logit_alloc(ml_Logit *m, int k, mn_Err *e) {
    memset(m, 0, sizeof *m);
    m->k = k;
    m->names = mn_calloc((size_t)k, sizeof *m->names);
    m->coef = mn_calloc((size_t)k * 4, sizeof *m->coef);
    if (m->names == NULL || m->coef == NULL) {
        ml_logit_free(m);
        return mn_fail(e, MN_ENOMEM, "logistic: out of memory for %d parameters", k);
    }
    m->se = m->coef + k;
    m->z = m->coef + 2 * k;
    m->pval = m->coef + 3 * k;
    return MN_OK;
}

void ml_logit_free(ml_Logit *m) {
    if (m == NULL)
        return;
    mn_free(m->names);
    mn_free(m->coef);
    memset(m, 0, sizeof *m);
}

static double sigmoid(double t) {
    if (t >= 0)
        return 1.0 / (1.0 + exp(-t));
    double u = exp(t);
    return u / (1.0 + u);
}

static double softplus(double t) {           /* log(1 + e^t) without overflow */
    return t > 0 ? t + log1p(exp(-t)) : log1p(exp(t));
}

void ml_logit_predict_proba(const ml_Logit *m, const double *x, int64_t n, double *prob) {
    int off = m->fit_intercept ? 1 : 0;
    for (int64_t i = 0; i < n; i++)
        prob[i] = off ? m->coef[0] : 0.0;
    for (int j = 0; j < m->p; j++) {
        const double *c = x + (size_t)j * (size_t)n;
        double b = m->coef[off + j];
        for (int64_t i = 0; i < n; i++)
            prob[i] += b * c[i];
    }
    for (int64_t i = 0; i < n; i++)
        prob[i] = sigmoid(prob[i]);
}

/* ---- the fit ---- */

typedef struct Fit {
    int64_t n;
    int k, off;                  /* parameters; 1 when column 0 is "const" */
    const double *x;             /* n x k column-major, with the const column */
    const double *y, *wt;        /* labels, effective weights */
    double lam2, lam1;           /* lambda (1 - alpha), lambda alpha */
} Fit;

static void linpred(const Fit *f, const double *b, double *eta) {
    memset(eta, 0, (size_t)f->n * sizeof *eta);
    for (int j = 0; j < f->k; j++) {
        const double *c = f->x + (size_t)j * (size_t)f->n;
        for (int64_t i = 0; i < f->n; i++)
            eta[i] += b[j] * c[i];
    }
}

static double loglik(const Fit *f, const double *eta) {
    double s = 0.0;
    for (int64_t i = 0; i < f->n; i++)
        if (f->wt[i] > 0)
            s += f->wt[i] * (f->y[i] * eta[i] - softplus(eta[i]));
    return s;
}

/* The penalised objective: -loglik + lam2 / 2 ||b||^2 + lam1 ||b||_1, const unpenalised. */
static double objective(const Fit *f, const double *b, const double *eta) {
    double s = -loglik(f, eta);
    for (int j = f->off; j < f->k; j++)
        s += 0.5 * f->lam2 * b[j] * b[j] + f->lam1 * fabs(b[j]);
    return s;
}

/* Rows fitted at 0 or 1 (within EDGE) among those with weight. */
static int64_t at_edge(const Fit *f, const double *eta, int64_t *live) {
    int64_t c = 0, l = 0;
    for (int64_t i = 0; i < f->n; i++) {
        if (!(f->wt[i] > 0))
            continue;
        double mu = sigmoid(eta[i]);
        l++;
        if ((f->y[i] > 0.5 && mu > 1 - EDGE) || (f->y[i] < 0.5 && mu < EDGE))
            c++;
    }
    *live = l;
    return c;
}

/* Least squares min ||A x - b|| by pivoted QR (core/blas.h: dgeqp3, dormqr, dtrtrs, dtrtri).
** 'a' m x n column-major (m >= n), overwritten; 'b' m values. '*rank' = the count of
** |R_kk| > rcond |R_11|; 'perm' the 0-based pivot order. Only at full rank are b[0..n) set to
** x and, when 'cov' is not NULL, cov = (A'A)^-1 = P R^-1 R^-T P' (n x n, column-major). */
static int qr_lstsq(double *a, int m, int n, double *b, double rcond, int *rank, int *perm,
                    double *cov, mn_Err *e) {
    double *tau = mn_malloc((size_t)n * sizeof *tau), *y = mn_malloc((size_t)n * sizeof *y);
    double *rinv = cov != NULL ? mn_calloc((size_t)n * (size_t)n, sizeof *rinv) : NULL;
    int r = 0, rc;

    if (tau == NULL || y == NULL || (cov != NULL && rinv == NULL)) {
        rc = mn_fail(e, MN_ENOMEM, "out of memory for a %d x %d system", m, n);
        goto done;
    }
    if ((rc = mn_qrp(a, m, n, perm, tau, e)) != MN_OK)
        goto done;
    for (r = 0; r < n; r++)
        if (!(fabs(a[(size_t)r * m + r]) > rcond * fabs(a[0])))
            break;
    *rank = r;
    if (r < n)
        goto done;
    if ((rc = mn_qr_qtb(a, m, n, tau, b, e)) != MN_OK ||
        (rc = mn_tri_solve(a, n, m, b, e)) != MN_OK)
        goto done;
    for (int j = 0; j < n; j++)
        y[j] = b[j];
    for (int j = 0; j < n; j++)
        b[perm[j]] = y[j];
    if (cov != NULL) {
        for (int j = 0; j < n; j++)
            for (int i = 0; i <= j; i++)
                rinv[(size_t)j * n + i] = a[(size_t)j * m + i];
        if ((rc = mn_tri_inv(rinv, n, n, e)) != MN_OK)
            goto done;
        /* (A P)'(A P) = R'R, so (A'A)^-1 = P R^-1 R^-T P'; R^-1 is upper triangular */
        for (int j = 0; j < n; j++)
            for (int i = 0; i <= j; i++) {
                double s = 0.0;
                for (int k = j; k < n; k++)
                    s += rinv[(size_t)k * n + i] * rinv[(size_t)k * n + j];
                cov[(size_t)perm[j] * n + perm[i]] = s;
                cov[(size_t)perm[i] * n + perm[j]] = s;
            }
    }
done:
    mn_free(tau), mn_free(y), mn_free(rinv);
    return rc;
}

/* One Newton step for the unpenalised / L2 objective, as the weighted least squares
**   min || sqrt(w v) (X d - (y - mu) / v) ||^2 + lam2 || d + b ||^2 (columns only)
** solved by pivoted QR of the stacked matrix (n + k - off rows). 'cov' (k x k, may be NULL)
** gets (X'WVX + lam2 I)^-1. On a rank-deficient system '*rank' < k and perm names columns. */
static int newton_step(const Fit *f, const double *b, const double *eta, double *a,
                       double *rhs, double *d, double *cov, int *rank, int *perm, mn_Err *e) {
    int64_t n = f->n;
    int pen = f->lam2 > 0 ? f->k - f->off : 0;
    int64_t m = n + pen;
    int rc;

    if (m > 2147483647)
        return mn_fail(e, MN_EARG, "logistic: too many rows for LAPACK (%lld)", (long long)m);
    for (int64_t i = 0; i < n; i++) {
        double mu = sigmoid(eta[i]), v = mu * (1 - mu);
        double sw = sqrt(f->wt[i] * v);
        rhs[i] = sw > 0 ? sqrt(f->wt[i]) * (f->y[i] - mu) / sqrt(v) : 0.0;
        for (int j = 0; j < f->k; j++)
            a[(size_t)j * m + i] = sw * f->x[(size_t)j * n + i];
    }
    if (pen > 0) {
        double s = sqrt(f->lam2);
        for (int j = 0; j < f->k; j++)
            for (int r = 0; r < pen; r++)
                a[(size_t)j * m + n + r] = (j - f->off == r) ? s : 0.0;
        for (int r = 0; r < pen; r++)
            rhs[n + r] = -s * b[f->off + r];
    }
    if ((rc = qr_lstsq(a, (int)m, f->k, rhs, 1e-10, rank, perm, cov, e)) != MN_OK)
        return mn_prefix(e, "logistic");
    if (*rank == f->k)
        memcpy(d, rhs, (size_t)f->k * sizeof *d);
    return MN_OK;
}

/* glmnet's inner loop: coordinate descent on the quadratic approximation at 'b' (weights
** w v, working response z), giving the minimiser in 'bn'. 'r' and 'ww' are n scratch. */
static void cd_quadratic(const Fit *f, const double *b, const double *eta, double *bn,
                         double *r, double *ww, double *xsq) {
    int64_t n = f->n;
    for (int64_t i = 0; i < n; i++) {
        double mu = sigmoid(eta[i]), v = mu * (1 - mu);
        if (v < 1e-5)                 /* glmnet caps fitted probabilities at 1e-5 likewise */
            v = 1e-5;
        ww[i] = f->wt[i] * v;
        r[i] = (f->y[i] - mu) / v;    /* z - eta */
    }
    memcpy(bn, b, (size_t)f->k * sizeof *bn);
    for (int j = 0; j < f->k; j++) {
        const double *c = f->x + (size_t)j * (size_t)n;
        double s = 0.0;
        for (int64_t i = 0; i < n; i++)
            s += ww[i] * c[i] * c[i];
        xsq[j] = s;
    }
    for (int pass = 0; pass < 10000; pass++) {
        double dmax = 0.0;
        for (int j = 0; j < f->k; j++) {
            const double *c = f->x + (size_t)j * (size_t)n;
            double g = 0.0, nb;
            if (!(xsq[j] > 0))
                continue;
            for (int64_t i = 0; i < n; i++)
                g += ww[i] * c[i] * r[i];
            g += xsq[j] * bn[j];
            if (j < f->off) {
                nb = g / xsq[j];
            } else {
                double t = fabs(g) - f->lam1;
                nb = t > 0 ? copysign(t, g) / (xsq[j] + f->lam2) : 0.0;
            }
            double dj = nb - bn[j];
            if (dj != 0.0) {
                for (int64_t i = 0; i < n; i++)
                    r[i] -= dj * c[i];
                bn[j] = nb;
                if (fabs(dj) * sqrt(xsq[j]) > dmax)
                    dmax = fabs(dj) * sqrt(xsq[j]);
            }
        }
        if (dmax < 1e-13)
            break;
    }
}

/* The columns whose coefficients moved most in the last step (scaled by the column's
** spread): the directions that diverge under separation. Appends their names to 'buf'. */
static void name_diverging(const Fit *f, const ml_Logit *m, const double *step, char *buf,
                           size_t cap) {
    double mx = 0.0, *sc = NULL;
    size_t used = strlen(buf);
    int named = 0;

    if ((sc = mn_calloc((size_t)f->k, sizeof *sc)) == NULL)
        return;
    for (int j = f->off; j < f->k; j++) {
        const double *c = f->x + (size_t)j * (size_t)f->n;
        double mean = 0.0, ss = 0.0;
        for (int64_t i = 0; i < f->n; i++)
            mean += c[i];
        mean /= (double)f->n;
        for (int64_t i = 0; i < f->n; i++)
            ss += (c[i] - mean) * (c[i] - mean);
        sc[j] = fabs(step[j]) * sqrt(ss / (double)f->n);
        if (sc[j] > mx)
            mx = sc[j];
    }
    for (int j = f->off; j < f->k && mx > 0; j++) {
        if (sc[j] < 0.1 * mx)
            continue;
        int w = snprintf(buf + used, cap - used, "%s'%s'", named ? ", " : "", m->names[j]);
        if (w < 0 || (size_t)w >= cap - used)
            break;
        used += (size_t)w;
        named++;
    }
    mn_free(sc);
}

static int check_inputs(const ml_Design *d, const double *y, const double *w,
                        const ml_LogitOpts *o, mn_Err *e) {
    if (o->penalty < ML_PEN_NONE || o->penalty > ML_PEN_ENET)
        return mn_fail(e, MN_EARG, "logistic: penalty must be none, l2, l1 or elasticnet");
    if (!(o->lambda >= 0) || isinf(o->lambda))
        return mn_fail(e, MN_EARG, "logistic: lambda must be a finite number >= 0, got %g",
                       o->lambda);
    if (!(o->alpha >= 0 && o->alpha <= 1))
        return mn_fail(e, MN_EARG, "logistic: alpha must be in [0, 1], got %g", o->alpha);
    if (o->max_iter < 1)
        return mn_fail(e, MN_EARG, "logistic: max_iter must be >= 1, got %d", o->max_iter);
    if (!(o->tol > 0))
        return mn_fail(e, MN_EARG, "logistic: tol must be > 0, got %g", o->tol);
    for (int c = 0; c < 2; c++)
        if (!(o->class_weight[c] > 0) || isinf(o->class_weight[c]))
            return mn_fail(e, MN_EARG, "logistic: class_weight of class %d must be > 0, got %g",
                           c, o->class_weight[c]);
    if (d->n < 1 || d->p < 0)
        return mn_fail(e, MN_EARG, "logistic: no rows to fit");
    if (d->p + (o->fit_intercept ? 1 : 0) < 1)
        return mn_fail(e, MN_EARG, "logistic: no columns and no intercept: nothing to fit");
    for (int64_t j = 0; j < d->p; j++)
        for (int64_t i = 0; i < d->n; i++)
            if (!isfinite(d->x[j * d->n + i]))
                return mn_fail(e, MN_ENAN, "logistic: row %lld, column '%s': %s",
                               (long long)i + 1, d->names[j],
                               isnan(d->x[j * d->n + i]) ? "NaN (missing)" : "infinite");
    for (int64_t i = 0; i < d->n; i++) {
        if (isnan(y[i]))
            return mn_fail(e, MN_ENAN, "logistic: y, row %lld: NaN (missing)", (long long)i + 1);
        if (y[i] != 0.0 && y[i] != 1.0)
            return mn_fail(e, MN_EARG, "logistic: y, row %lld: %g is not a class 0 or 1",
                           (long long)i + 1, y[i]);
        if (w != NULL && !(w[i] >= 0 && isfinite(w[i])))
            return mn_fail(e, isnan(w[i]) ? MN_ENAN : MN_EARG,
                           "logistic: weight, row %lld: %g is not a finite number >= 0",
                           (long long)i + 1, w[i]);
    }
    return MN_OK;
}

int ml_logit_fit(const ml_Design *d, const double *y, const double *w, const ml_LogitOpts *o,
                 ml_Logit *out, mn_Err *e) {
    ml_LogitOpts def;
    ml_Logit m = {0};
    Fit f = {0};
    double *xs = NULL, *wt = NULL, *b = NULL, *bn = NULL, *step = NULL, *eta = NULL;
    double *etn = NULL, *a = NULL, *rhs = NULL, *cov = NULL, *s1 = NULL, *s2 = NULL;
    int *perm = NULL;
    int64_t n = d->n, cnt[2] = {0, 0};
    double wsum[2] = {0, 0}, obj;
    int rc, k, off, pen, rank = 0;

    if (o == NULL) {
        ml_logit_opts_init(&def);
        o = &def;
    }
    if ((rc = check_inputs(d, y, w, o, e)) != MN_OK)
        return rc;
    off = o->fit_intercept ? 1 : 0;
    k = (int)d->p + off;
    pen = o->penalty != ML_PEN_NONE;
    if ((rc = ml_logit_alloc(&m, k, e)) != MN_OK)
        return rc;
    m.n = n, m.p = (int)d->p, m.fit_intercept = off, m.penalty = o->penalty;
    m.lambda = pen ? o->lambda : 0.0;
    m.alpha = o->penalty == ML_PEN_L2 ? 0.0 : o->penalty == ML_PEN_L1 ? 1.0 : o->alpha;
    if (off)
        strcpy(m.names[0], "const");
    for (int j = 0; j < m.p; j++)
        memcpy(m.names[off + j], d->names[j], ML_NAMEMAX);

    int64_t mrows = n + k;
    xs = mn_malloc((size_t)n * (size_t)k * sizeof *xs);
    wt = mn_malloc((size_t)n * sizeof *wt);
    eta = mn_malloc((size_t)n * sizeof *eta);
    etn = mn_malloc((size_t)n * sizeof *etn);
    s1 = mn_malloc((size_t)n * sizeof *s1);
    s2 = mn_malloc((size_t)n * sizeof *s2);
    a = mn_malloc((size_t)mrows * (size_t)k * sizeof *a);
    rhs = mn_malloc((size_t)mrows * sizeof *rhs);
    b = mn_calloc((size_t)k * 4, sizeof *b);
    cov = mn_malloc((size_t)k * (size_t)k * sizeof *cov);
    perm = mn_malloc((size_t)k * sizeof *perm);
    if (!xs || !wt || !eta || !etn || !s1 || !s2 || !a || !rhs || !b || !cov || !perm) {
        rc = mn_fail(e, MN_ENOMEM, "logistic: out of memory for %lld rows x %d parameters",
                     (long long)n, k);
        goto done;
    }
    bn = b + k, step = b + 2 * k;
    for (int64_t i = 0; i < n; i++) {
        int c = y[i] > 0.5;
        cnt[c]++;
        wsum[c] += w != NULL ? w[i] : 1.0;
    }
    if (cnt[0] == 0 || cnt[1] == 0 || wsum[0] <= 0 || wsum[1] <= 0) {
        rc = mn_fail(e, MN_EARG, "logistic: y has one class only (%s): a classifier needs "
                     "both 0 and 1 with weight", cnt[1] == 0 || wsum[1] <= 0 ? "0" : "1");
        goto done;
    }
    for (int64_t i = 0; i < n; i++) {
        int c = y[i] > 0.5;
        double cw = o->balanced ? (double)n / (2.0 * (double)cnt[c]) : o->class_weight[c];
        wt[i] = (w != NULL ? w[i] : 1.0) * cw;
    }
    for (int64_t i = 0; i < n; i++)
        if (off)
            xs[i] = 1.0;
    memcpy(xs + (size_t)off * (size_t)n, d->x, (size_t)n * (size_t)d->p * sizeof *xs);
    f.n = n, f.k = k, f.off = off, f.x = xs, f.y = y, f.wt = wt;
    f.lam2 = m.lambda * (1 - m.alpha);
    f.lam1 = m.lambda * m.alpha;

    /* start at the intercept-only fit: const = logit of the weighted mean of y */
    double ybar = 0.0, wtot = 0.0;
    for (int64_t i = 0; i < n; i++)
        ybar += wt[i] * y[i], wtot += wt[i];
    ybar /= wtot;
    if (off)
        b[0] = log(ybar / (1 - ybar));
    linpred(&f, b, eta);
    obj = objective(&f, b, eta);

    int l1 = f.lam1 > 0;
    for (m.iter = 1; m.iter <= o->max_iter; m.iter++) {
        int64_t live, edge;
        if (mn_interrupted()) {
            rc = mn_fail(e, MN_EINTR, "logistic: interrupted at iteration %d", m.iter);
            goto done;
        }
        edge = at_edge(&f, eta, &live);
        if (!pen && edge == live) {
            char cols[ML_LOGIT_WARNMAX] = "";
            name_diverging(&f, &m, step, cols, sizeof cols);
            rc = mn_fail(e, MN_EARG, "logistic: perfect separation: %s predict%s y exactly, "
                         "so the coefficients diverge (drop or bin the column, or use a "
                         "penalty)", cols[0] ? cols : "the columns", strchr(cols, ',') ? "" :
                         "s");
            goto done;
        }
        if (l1) {
            cd_quadratic(&f, b, eta, bn, s1, s2, rhs);
            for (int j = 0; j < k; j++)
                step[j] = bn[j] - b[j];
        } else {
            if ((rc = newton_step(&f, b, eta, a, rhs, step, NULL, &rank, perm, e)) != MN_OK)
                goto done;
            if (rank < k) {
                if (edge > 0 && m.iter > 1) {      /* the separated rows' weights vanished */
                    m.separation = 1;
                    break;
                }
                rc = mn_fail(e, MN_EARG, "logistic: column '%s' is constant or a linear "
                             "combination of the others (drop it, or use penalty = 'l2')",
                             m.names[perm[rank]]);
                goto done;
            }
        }
        /* step halving: the objective must not rise */
        double t = 1.0, on = obj;
        for (int h = 0; h < 30; h++, t *= 0.5) {
            for (int j = 0; j < k; j++)
                bn[j] = b[j] + t * step[j];
            linpred(&f, bn, etn);
            on = objective(&f, bn, etn);
            if (on <= obj + 1e-12 * fabs(obj))
                break;
        }
        for (int j = 0; j < k; j++)
            step[j] *= t;
        memcpy(b, bn, (size_t)k * sizeof *b);
        memcpy(eta, etn, (size_t)n * sizeof *eta);
        double change = fabs(obj - on);
        obj = on;
        if (change <= o->tol * (fabs(on) + 0.1)) {
            m.converged = 1;
            break;
        }
    }
    if (m.iter > o->max_iter)
        m.iter = o->max_iter;
    memcpy(m.coef, b, (size_t)k * sizeof *b);
    m.loglik = loglik(&f, eta);
    {
        double s = 0.0, l0 = off ? log(ybar / (1 - ybar)) : 0.0;
        for (int64_t i = 0; i < n; i++)
            s += wt[i] * (y[i] * l0 - softplus(l0));
        m.llnull = s;
    }
    m.prsquared = 1.0 - m.loglik / m.llnull;
    m.aic = -2.0 * m.loglik + 2.0 * k;
    m.bic = -2.0 * m.loglik + (double)k * log((double)n);

    if (!pen) {
        int64_t live, edge = at_edge(&f, eta, &live);
        if (edge == live) {
            char cols[ML_LOGIT_WARNMAX] = "";
            name_diverging(&f, &m, step, cols, sizeof cols);
            rc = mn_fail(e, MN_EARG, "logistic: perfect separation: %s predict%s y exactly, "
                         "so the coefficients diverge (drop or bin the column, or use a "
                         "penalty)", cols[0] ? cols : "the columns", strchr(cols, ',') ? "" :
                         "s");
            goto done;
        }
    }
    /* separation that converged anyway: rows at the edge and coefficients still moving */
    if (!pen && !m.separation) {
        int64_t live, edge = at_edge(&f, eta, &live);
        double big = 0.0;
        for (int j = off; j < k; j++)
            if (fabs(step[j]) > big)
                big = fabs(step[j]);
        if (edge > 0 && (big > 1e-4 || !m.converged))
            m.separation = 1;
    }
    for (int j = 0; j < k; j++)
        m.se[j] = m.z[j] = m.pval[j] = NAN;
    if (m.separation) {
        int64_t live, edge = at_edge(&f, eta, &live);
        char cols[120] = "";
        name_diverging(&f, &m, step, cols, sizeof cols);
        snprintf(m.warning, sizeof m.warning, "quasi-complete separation: %lld of %lld rows "
                 "fitted at 0 or 1; coefficients of %s diverge (no standard errors)",
                 (long long)edge, (long long)live, cols[0] ? cols : "the columns");
    } else if (pen) {
        snprintf(m.warning, sizeof m.warning, "penalised fit: no standard errors or p values "
                 "(the penalty biases the estimates; their sampling distribution is not the "
                 "Fisher one)");
    } else {
        if ((rc = newton_step(&f, b, eta, a, rhs, bn, cov, &rank, perm, e)) != MN_OK)
            goto done;
        if (rank == k)
            for (int j = 0; j < k; j++) {
                m.se[j] = sqrt(cov[(size_t)j * k + j]);
                m.z[j] = m.coef[j] / m.se[j];
                m.pval[j] = mn_p_two_sided(m.z[j], 0);
            }
        if (!m.converged)
            snprintf(m.warning, sizeof m.warning, "did not converge in %d iterations "
                     "(raise max_iter)", o->max_iter);
    }
    if (pen && !m.converged)
        snprintf(m.warning, sizeof m.warning, "did not converge in %d iterations (raise "
                 "max_iter); penalised fit: no standard errors or p values", o->max_iter);
    *out = m;
    memset(&m, 0, sizeof m);
    rc = MN_OK;
done:
    ml_logit_free(&m);
    mn_free(xs), mn_free(wt), mn_free(eta), mn_free(etn), mn_free(s1), mn_free(s2);
    mn_free(a), mn_free(rhs), mn_free(b), mn_free(cov), mn_free(perm);
    return rc;
}

/* ---- multinomial (softmax) ---- */

int ml_mlogit_alloc(ml_MLogit *m, int k, int K, mn_Err *e) {
    size_t q = (size_t)k * (size_t)(K - 1);
    memset(m, 0, sizeof *m);
    m->k = k, m->K = K;
    m->names = mn_calloc((size_t)k, sizeof *m->names);
    m->coef = mn_calloc(q * 4, sizeof *m->coef);
    if (m->names == NULL || m->coef == NULL) {
        ml_mlogit_free(m);
        return mn_fail(e, MN_ENOMEM, "logistic: out of memory for %d x %d parameters", k,
                       K - 1);
    }
    m->se = m->coef + q, m->z = m->coef + 2 * q, m->pval = m->coef + 3 * q;
    return MN_OK;
}

void ml_mlogit_free(ml_MLogit *m) {
    if (m == NULL)
        return;
    mn_free(m->names);
    mn_free(m->coef);
    memset(m, 0, sizeof *m);
}

/* Softmax of the K linear predictors of row i (column-major x with the const column). */
static void softmax_row(const double *x, int64_t n, int64_t i, int k, int K, const double *b,
                        double *pr) {
    double mx = 0.0, s = 0.0;
    pr[0] = 0.0;
    for (int c = 1; c < K; c++) {
        double t = 0.0;
        for (int j = 0; j < k; j++)
            t += b[(size_t)(c - 1) * k + j] * x[(size_t)j * n + i];
        pr[c] = t;
        if (t > mx)
            mx = t;
    }
    for (int c = 0; c < K; c++)
        s += (pr[c] = exp(pr[c] - mx));
    for (int c = 0; c < K; c++)
        pr[c] /= s;
}

static double mlogit_ll(const double *x, int64_t n, int k, int K, const double *b,
                        const int *y, const double *wt, double *pr) {
    double ll = 0.0;
    for (int64_t i = 0; i < n; i++) {
        if (!(wt[i] > 0))
            continue;
        softmax_row(x, n, i, k, K, b, pr);
        ll += wt[i] * log(pr[y[i]] > 1e-300 ? pr[y[i]] : 1e-300);
    }
    return ll;
}

void ml_mlogit_predict_proba(const ml_MLogit *m, const double *x, int64_t n, double *prob) {
    int off = m->fit_intercept;
    double pr[256], t[256];
    for (int64_t i = 0; i < n; i++) {
        double mx = 0.0, s = 0.0;
        t[0] = 0.0;
        for (int c = 1; c < m->K; c++) {
            double v = off ? m->coef[(size_t)(c - 1) * m->k] : 0.0;
            for (int j = 0; j < m->p; j++)
                v += m->coef[(size_t)(c - 1) * m->k + off + j] * x[(size_t)j * n + i];
            t[c] = v;
            if (v > mx)
                mx = v;
        }
        for (int c = 0; c < m->K; c++)
            s += (pr[c] = exp(t[c] - mx));
        for (int c = 0; c < m->K; c++)
            prob[(size_t)i * m->K + c] = pr[c] / s;
    }
}

/* The gradient of the loglik (g, q) and the Hessian of -loglik (h, q x q) at b. */
static void grad_hess(const double *xs, int64_t n, int k, int K, const double *b,
                      const int *y, const double *wt, double *g, double *h) {
    int q = k * (K - 1);
    double pr[256];
    /* H[(c,j),(d,l)] = sum w p_c (delta_cd - p_d) x_j x_l */
    memset(g, 0, (size_t)q * sizeof *g);
    memset(h, 0, (size_t)q * (size_t)q * sizeof *h);
    for (int64_t i = 0; i < n; i++) {
        if (!(wt[i] > 0))
            continue;
        softmax_row(xs, n, i, k, K, b, pr);
        for (int c = 1; c < K; c++) {
            double r = wt[i] * ((y[i] == c) - pr[c]);
            for (int j = 0; j < k; j++)
                g[(size_t)(c - 1) * k + j] += r * xs[(size_t)j * n + i];
            for (int dd = 1; dd < K; dd++) {
                double v = wt[i] * pr[c] * ((c == dd) - pr[dd]);
                for (int j = 0; j < k; j++) {
                    double vx = v * xs[(size_t)j * n + i];
                    size_t row = (size_t)((c - 1) * k + j) * (size_t)q;
                    for (int l = 0; l < k; l++)
                        h[row + (size_t)(dd - 1) * k + l] += vx * xs[(size_t)l * n + i];
                }
            }
        }
    }
}

int ml_mlogit_fit(const ml_Design *d, const int *y, int K, const double *w,
                  const ml_LogitOpts *o, ml_MLogit *out, mn_Err *e) {
    ml_LogitOpts def;
    ml_MLogit m = {0};
    double *xs = NULL, *wt = NULL, *b = NULL, *bn = NULL, *g = NULL, *h = NULL, *a = NULL;
    double *cls = NULL, pr[256];
    int64_t n = d->n;
    int rc, k, off, q, rank = 0;
    double ll;

    if (o == NULL) {
        ml_logit_opts_init(&def);
        o = &def;
    }
    if (K < 3 || K > 256)
        return mn_fail(e, MN_EARG, "logistic: multinomial needs 3..256 classes, got %d", K);
    if (o->penalty != ML_PEN_NONE || o->balanced || o->class_weight[0] != 1.0 ||
        o->class_weight[1] != 1.0)
        return mn_fail(e, MN_EARG, "logistic: multinomial takes no penalty or class weights "
                       "yet (only the unpenalised fit, with sample weights)");
    {
        ml_LogitOpts chk = *o;
        double *y01 = mn_malloc((size_t)(n > 0 ? n : 1) * sizeof *y01);
        if (y01 == NULL)
            return mn_fail(e, MN_ENOMEM, "logistic: out of memory");
        for (int64_t i = 0; i < n; i++)
            y01[i] = 0.0;
        rc = check_inputs(d, y01, w, &chk, e);
        mn_free(y01);
        if (rc != MN_OK)
            return rc;
    }
    off = o->fit_intercept ? 1 : 0;
    k = (int)d->p + off;
    q = k * (K - 1);
    if ((rc = ml_mlogit_alloc(&m, k, K, e)) != MN_OK)
        return rc;
    m.n = n, m.p = (int)d->p, m.fit_intercept = off;
    if (off)
        strcpy(m.names[0], "const");
    for (int j = 0; j < m.p; j++)
        memcpy(m.names[off + j], d->names[j], ML_NAMEMAX);
    xs = mn_malloc((size_t)n * (size_t)k * sizeof *xs);
    wt = mn_malloc((size_t)n * sizeof *wt);
    b = mn_calloc((size_t)q * 3, sizeof *b);
    h = mn_malloc((size_t)q * (size_t)q * sizeof *h);
    a = mn_malloc((size_t)q * (size_t)q * sizeof *a);
    cls = mn_calloc((size_t)K, sizeof *cls);
    if (!xs || !wt || !b || !h || !a || !cls) {
        rc = mn_fail(e, MN_ENOMEM, "logistic: out of memory for %lld rows x %d parameters",
                     (long long)n, q);
        goto done;
    }
    bn = b + q, g = b + 2 * q;
    for (int64_t i = 0; i < n; i++) {
        if (y[i] < 0 || y[i] >= K) {
            rc = mn_fail(e, MN_EARG, "logistic: y, row %lld: class %d outside 0..%d",
                         (long long)i + 1, y[i], K - 1);
            goto done;
        }
        wt[i] = w != NULL ? w[i] : 1.0;
        cls[y[i]] += wt[i];
    }
    double wtot = 0.0;
    for (int c = 0; c < K; c++) {
        if (!(cls[c] > 0)) {
            rc = mn_fail(e, MN_EARG, "logistic: class %d has no rows with weight", c);
            goto done;
        }
        wtot += cls[c];
    }
    for (int64_t i = 0; i < n; i++)
        if (off)
            xs[i] = 1.0;
    memcpy(xs + (size_t)off * (size_t)n, d->x, (size_t)n * (size_t)d->p * sizeof *xs);
    if (off)                                   /* start at the class frequencies */
        for (int c = 1; c < K; c++)
            b[(size_t)(c - 1) * k] = log(cls[c] / cls[0]);
    ll = mlogit_ll(xs, n, k, K, b, y, wt, pr);
    for (m.iter = 1; m.iter <= o->max_iter; m.iter++) {
        if (mn_interrupted()) {
            rc = mn_fail(e, MN_EINTR, "logistic: interrupted at iteration %d", m.iter);
            goto done;
        }
        grad_hess(xs, n, k, K, b, y, wt, g, h);
        memcpy(a, h, (size_t)q * (size_t)q * sizeof *a);
        memcpy(bn, g, (size_t)q * sizeof *bn);
        if ((rc = mn_lstsq(a, q, q, bn, 1e-12, &rank, e)) != MN_OK) {
            mn_prefix(e, "logistic");
            goto done;
        }
        if (rank < q) {
            rc = mn_fail(e, MN_EARG, "logistic: the columns are collinear or one is constant "
                         "(the Hessian has rank %d of %d): drop the redundant column", rank, q);
            goto done;
        }
        /* step halving on the loglik; bn holds the Newton step */
        double t = 1.0, lln = ll;
        memcpy(g, bn, (size_t)q * sizeof *g);
        for (int hh = 0; hh < 30; hh++, t *= 0.5) {
            for (int j = 0; j < q; j++)
                bn[j] = b[j] + t * g[j];
            lln = mlogit_ll(xs, n, k, K, bn, y, wt, pr);
            if (lln >= ll - 1e-12 * fabs(ll))
                break;
        }
        memcpy(b, bn, (size_t)q * sizeof *b);
        double change = fabs(lln - ll);
        ll = lln;
        if (change <= o->tol * (fabs(ll) + 0.1)) {
            m.converged = 1;
            break;
        }
    }
    if (m.iter > o->max_iter)
        m.iter = o->max_iter;
    memcpy(m.coef, b, (size_t)q * sizeof *b);
    m.loglik = ll;
    m.llnull = 0.0;
    for (int64_t i = 0; i < n; i++)
        m.llnull += wt[i] * log(cls[y[i]] / wtot);
    m.prsquared = 1.0 - m.loglik / m.llnull;
    m.aic = -2.0 * m.loglik + 2.0 * q;
    m.bic = -2.0 * m.loglik + (double)q * log((double)n);
    /* separation: some rows' own class fitted at 1 while the coefficients still move */
    {
        int64_t edge = 0;
        double big = 0.0;
        for (int64_t i = 0; i < n; i++) {
            softmax_row(xs, n, i, k, K, b, pr);
            if (wt[i] > 0 && pr[y[i]] > 1 - EDGE)
                edge++;
        }
        for (int j = 0; j < q; j++)
            if (fabs(g[j]) > big)
                big = fabs(g[j]);
        if (edge > 0 && (big > 1e-4 || !m.converged)) {
            m.separation = 1;
            snprintf(m.warning, sizeof m.warning, "quasi-complete separation: %lld of %lld "
                     "rows fitted at probability 1; coefficients diverge (no standard "
                     "errors)", (long long)edge, (long long)n);
        } else if (!m.converged) {
            snprintf(m.warning, sizeof m.warning, "did not converge in %d iterations (raise "
                     "max_iter)", o->max_iter);
        }
    }
    /* covariance: H^-1 at the optimum, column by column (q solves) */
    grad_hess(xs, n, k, K, b, y, wt, bn, h);
    for (int j = 0; j < q; j++)
        m.se[j] = m.z[j] = m.pval[j] = NAN;
    if (!m.separation)
        for (int c = 0; c < q; c++) {
            memcpy(a, h, (size_t)q * (size_t)q * sizeof *a);
            memset(bn, 0, (size_t)q * sizeof *bn);
            bn[c] = 1.0;
            if ((rc = mn_lstsq(a, q, q, bn, 1e-12, &rank, e)) != MN_OK) {
                mn_prefix(e, "logistic");
                goto done;
            }
            m.se[c] = sqrt(bn[c]);
            m.z[c] = m.coef[c] / m.se[c];
            m.pval[c] = mn_p_two_sided(m.z[c], 0);
        }
    *out = m;
    memset(&m, 0, sizeof m);
    rc = MN_OK;
done:
    ml_mlogit_free(&m);
    mn_free(xs), mn_free(wt), mn_free(b), mn_free(h), mn_free(a), mn_free(cls);
    return rc;
}
