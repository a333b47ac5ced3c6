/* ops.c -- the op classes: inputs, dense, activations, normalisation, embedding, concat,
** elementwise ops for functional graphs, and the losses. Each op reads its inputs' buffers
** and writes its own; backward writes (first writer) or adds into its inputs' gradients. */
/* The elementwise loops here and the optimizer loop are the hot path of small networks:
** let GCC vectorise them (the project builds with -O2), and sqrtf/expf need no errno. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3", "-fno-math-errno")
#endif

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nn/nn_int.h"

#define IN(k) (&g->nodes[n->in[k]])

static int64_t count(const nn__Node *n, int64_t B) { return n->scalar ? n->size : B * n->size; }

/* Per-sample element count of n's shape (n->size is set after infer returns). */
static int64_t numel(const nn__Node *n) {
    int64_t s = 1;
    for (int i = 0; i < n->ndim; i++)
        s *= n->shape[i];
    return s;
}

static void copy_shape(nn__Node *n, const nn__Node *m) {
    n->ndim = m->ndim;
    memcpy(n->shape, m->shape, sizeof n->shape);
}

static const char *shp(const nn__Node *n, char *buf, int sz) {
    return tn_shape_str(n->shape, n->ndim, buf, sz);
}

static double dflt(double v, double d) { return isnan(v) ? d : v; }

/* ---- inputs ---- */

static int input_infer(nn_Graph *g, nn__Node *n, mn_Err *e) {
    if (n->a.ndim < 1 || n->a.ndim > TN_MAXDIM - 1)
        return mn_fail(e, MN_EARG, "%s: needs a per-sample shape (1 to %d dimensions)", n->label,
                       TN_MAXDIM - 1);
    for (int i = 0; i < n->a.ndim; i++)
        if (n->a.shape[i] < 1)
            return mn_fail(e, MN_EARG, "%s: shape extents must be >= 1", n->label);
    n->ndim = n->a.ndim;
    memcpy(n->shape, n->a.shape, sizeof n->shape);
    return MN_OK;
}
static void nop_fwd(nn_Graph *g, nn__Node *n, int64_t B) { (void)g, (void)n, (void)B; }

static const nn__OpClass op_input = {"input", 0, 0, NN__INPUT, input_infer, NULL, nop_fwd,
                                     nop_fwd};
static const nn__OpClass op_target = {"target", 0, 0, NN__TARGET, input_infer, NULL, nop_fwd,
                                      nop_fwd};

/* ---- dense: (rows, F) -> (rows, units), W is (units, F) as in PyTorch ---- */

static int dense_infer(nn_Graph *g, nn__Node *n, mn_Err *e) {
    const nn__Node *x = IN(0);
    int64_t F = nn__last(x);
    if (n->a.units < 1)
        return mn_fail(e, MN_EARG, "%s: units must be >= 1", n->label);
    if (x->scalar)
        return mn_fail(e, MN_ESHAPE, "%s: input is a scalar", n->label);
    if (F * n->a.units > INT32_MAX || n->a.units > INT32_MAX)
        return mn_fail(e, MN_ESHAPE, "%s: too large", n->label);
    copy_shape(n, x);
    n->shape[n->ndim - 1] = n->a.units;
    n->nw = n->a.units * F;
    n->np = n->nw + (n->a.bias ? n->a.units : 0);
    if (strcmp(n->a.act, "relu") != 0)
        n->a.act[0] = '\0';
    return MN_OK;
}

static void dense_init(nn_Graph *g, nn__Node *n, mn_Rng *r) {
    int64_t F = nn__last(IN(0)), U = n->a.units;
    float *w = g->params + n->poff;
    int pt = strcmp(n->a.init, "default") == 0;
    nn__init_weights(n->a.init, w, U, F, r);
    if (n->a.bias) {
        if (pt)
            nn__init_uniform(w + n->nw, U, 1.0f / sqrtf((float)F), r);
        else
            memset(w + n->nw, 0, (size_t)U * sizeof(float));
    }
}

static void dense_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const nn__Node *x = IN(0);
    int64_t rows = nn__rows(x, B), F = nn__last(x), U = n->a.units;
    const float *w = g->params + n->poff;
    const float *restrict b = n->a.bias ? w + n->nw : NULL;
    float *restrict y = n->out;
    int relu = n->fuse || n->a.act[0] != '\0';
    nn__sgemm(g, 0, 1, (int)rows, (int)U, (int)F, 1.0f, x->out, (int)F, w, (int)F, 0.0f, y,
              (int)U);
    if (b != NULL && relu) {
        for (int64_t i = 0; i < rows; i++, y += U)
            for (int64_t j = 0; j < U; j++) {
                float v = y[j] + b[j];
                y[j] = v > 0.0f ? v : 0.0f;
            }
    } else if (b != NULL) {
        for (int64_t i = 0; i < rows; i++, y += U)
            for (int64_t j = 0; j < U; j++)
                y[j] += b[j];
    } else if (relu) {
        for (int64_t i = 0; i < rows * U; i++)
            y[i] = y[i] > 0.0f ? y[i] : 0.0f;
    }
}

static void dense_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0);
    int64_t rows = nn__rows(x, B), F = nn__last(x), U = n->a.units;
    const float *w = g->params + n->poff;
    float *dw = g->pgrad + n->poff;
    float *restrict dy = n->grad;
    if (n->fuse || n->a.act[0] != '\0') {          /* through the fused relu */
        const float *restrict y = n->out;
        for (int64_t i = 0; i < rows * U; i++)
            dy[i] = y[i] > 0.0f ? dy[i] : 0.0f;
    }
    /* dW (U, F) = dY^T (U, rows) X (rows, F) */
    nn__sgemm(g, 1, 0, (int)U, (int)F, (int)rows, 1.0f, dy, (int)U, x->out, (int)F, 0.0f, dw,
              (int)F);
    if (n->a.bias) {
        float *restrict db = dw + n->nw;
        memset(db, 0, (size_t)U * sizeof(float));
        for (int64_t i = 0; i < rows; i++) {
            const float *restrict r = dy + i * U;
            for (int64_t j = 0; j < U; j++)
                db[j] += r[j];
        }
    }
    if (x->needs_grad)                             /* dX (rows, F) = dY (rows, U) W (U, F) */
        nn__sgemm(g, 0, 0, (int)rows, (int)F, (int)U, 1.0f, dy, (int)U, w, (int)F,
                  nn__accum(x) ? 1.0f : 0.0f, x->grad, (int)F);
}

static const nn__OpClass op_dense = {"dense", 1, 1, 0, dense_infer, dense_init, dense_fwd,
                                     dense_bwd};

/* ---- activations (elementwise, same shape) ---- */

static int same_infer(nn_Graph *g, nn__Node *n, mn_Err *e) {
    copy_shape(n, IN(0));
    n->scalar = IN(0)->scalar;
    return MN_OK;
}

/* Write or add v into the input gradient. */
#define BWD_LOOP(x, N, expr) do { float *restrict dx_ = (x)->grad; \
    const float *restrict dy = n->grad; \
    if (nn__accum(x)) { for (int64_t i = 0; i < (N); i++) dx_[i] += (expr); } \
    else { for (int64_t i = 0; i < (N); i++) dx_[i] = (expr); } } while (0)

static void relu_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const float *restrict x = IN(0)->out;
    float *restrict y = n->out;
    for (int64_t i = 0, N = count(n, B); i < N; i++)
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}
static void relu_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0);
    const float *restrict y = n->out;
    if (x->needs_grad)
        BWD_LOOP(x, count(n, B), y[i] > 0.0f ? dy[i] : 0.0f);
}

static void leaky_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const float *restrict x = IN(0)->out;
    float *restrict y = n->out, a = (float)dflt(n->a.slope, 0.01);
    for (int64_t i = 0, N = count(n, B); i < N; i++)
        y[i] = x[i] > 0.0f ? x[i] : a * x[i];
}
static void leaky_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0);
    const float *restrict xv = x->out;
    float a = (float)dflt(n->a.slope, 0.01);
    if (x->needs_grad)
        BWD_LOOP(x, count(n, B), xv[i] > 0.0f ? dy[i] : a * dy[i]);
}

static void elu_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const float *restrict x = IN(0)->out;
    float *restrict y = n->out, a = (float)dflt(n->a.alpha, 1.0);
    for (int64_t i = 0, N = count(n, B); i < N; i++)
        y[i] = x[i] > 0.0f ? x[i] : a * expm1f(x[i]);
}
static void elu_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0);
    const float *restrict xv = x->out, *restrict y = n->out;
    float a = (float)dflt(n->a.alpha, 1.0);
    if (x->needs_grad)
        BWD_LOOP(x, count(n, B), xv[i] > 0.0f ? dy[i] : dy[i] * (y[i] + a));
}

/* exact GELU, as PyTorch's default: x * Phi(x) */
static void gelu_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const float *restrict x = IN(0)->out;
    float *restrict y = n->out;
    for (int64_t i = 0, N = count(n, B); i < N; i++)
        y[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678f));
}
static void gelu_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0);
    const float *restrict xv = x->out;
    if (x->needs_grad)
        BWD_LOOP(x, count(n, B), dy[i] * (0.5f * (1.0f + erff(xv[i] * 0.70710678f)) +
                                          xv[i] * 0.39894228f * expf(-0.5f * xv[i] * xv[i])));
}

static void tanh_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const float *restrict x = IN(0)->out;
    float *restrict y = n->out;
    for (int64_t i = 0, N = count(n, B); i < N; i++)
        y[i] = tanhf(x[i]);
}
static void tanh_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0);
    const float *restrict y = n->out;
    if (x->needs_grad)
        BWD_LOOP(x, count(n, B), dy[i] * (1.0f - y[i] * y[i]));
}

static void sigmoid_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const float *restrict x = IN(0)->out;
    float *restrict y = n->out;
    for (int64_t i = 0, N = count(n, B); i < N; i++)
        y[i] = nn__sigmoid(x[i]);
}
static void sigmoid_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0);
    const float *restrict y = n->out;
    if (x->needs_grad)
        BWD_LOOP(x, count(n, B), dy[i] * y[i] * (1.0f - y[i]));
}

/* softmax over the last dimension */
void nn__softmax_rows(const float *x, float *y, int64_t rows, int64_t C) {
    for (int64_t r = 0; r < rows; r++, x += C, y += C) {
        float m = x[0];
        double s = 0;
        for (int64_t j = 1; j < C; j++)
            m = x[j] > m ? x[j] : m;
        for (int64_t j = 0; j < C; j++) {
            y[j] = expf(x[j] - m);
            s += (double)y[j];
        }
        for (int64_t j = 0; j < C; j++)
            y[j] = (float)((double)y[j] / s);
    }
}
int64_t nn__argmax(const float *q, int64_t C) {
    int64_t k = 0;
    for (int64_t j = 1; j < C; j++)
        if (q[j] > q[k])
            k = j;
    return k;
}

static void softmax_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__softmax_rows(IN(0)->out, n->out, nn__rows(n, B), nn__last(n));
}
static void softmax_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0);
    int64_t rows = nn__rows(n, B), C = nn__last(n);
    int acc;
    if (!x->needs_grad)
        return;
    acc = nn__accum(x);
    for (int64_t r = 0; r < rows; r++) {      /* dx = y * (dy - sum(dy * y)) */
        const float *y = n->out + r * C, *dy = n->grad + r * C;
        float *dx = x->grad + r * C;
        double s = 0;
        for (int64_t j = 0; j < C; j++)
            s += (double)(dy[j] * y[j]);
        for (int64_t j = 0; j < C; j++) {
            float v = y[j] * (dy[j] - (float)s);
            dx[j] = acc ? dx[j] + v : v;
        }
    }
}

static const nn__OpClass op_relu = {"relu", 1, 1, 0, same_infer, NULL, relu_fwd, relu_bwd};
static const nn__OpClass op_leaky = {"leaky_relu", 1, 1, 0, same_infer, NULL, leaky_fwd,
                                     leaky_bwd};
static const nn__OpClass op_elu = {"elu", 1, 1, 0, same_infer, NULL, elu_fwd, elu_bwd};
static const nn__OpClass op_gelu = {"gelu", 1, 1, 0, same_infer, NULL, gelu_fwd, gelu_bwd};
static const nn__OpClass op_tanh = {"tanh", 1, 1, 0, same_infer, NULL, tanh_fwd, tanh_bwd};
static const nn__OpClass op_sigmoid = {"sigmoid", 1, 1, 0, same_infer, NULL, sigmoid_fwd,
                                       sigmoid_bwd};
static const nn__OpClass op_softmax = {"softmax", 1, 1, 0, same_infer, NULL, softmax_fwd,
                                       softmax_bwd};

/* ---- dropout: inverted, scale 1/(1-p) at training time, identity otherwise ---- */

static int dropout_infer(nn_Graph *g, nn__Node *n, mn_Err *e) {
    if (!(n->a.p >= 0 && n->a.p < 1))
        return mn_fail(e, MN_EARG, "%s: p must be in [0, 1), got %g", n->label, n->a.p);
    copy_shape(n, IN(0));
    n->aux_per = numel(n);                         /* the mask */
    return MN_OK;
}
static void dropout_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const float *restrict x = IN(0)->out;
    float *restrict y = n->out, *restrict m = n->aux;
    int64_t N = count(n, B);
    if (!g->training || n->a.p == 0) {             /* identity: no mask (backward knows) */
        memcpy(y, x, (size_t)N * sizeof(float));
        return;
    }
    float p = (float)n->a.p, s = 1.0f / (1.0f - p);
    for (int64_t i = 0; i < N; i++) {
        m[i] = mn_rng_uniformf(&g->rng) >= p ? s : 0.0f;
        y[i] = x[i] * m[i];
    }
}
static void dropout_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0);
    const float *restrict m = n->aux;
    if (!x->needs_grad)
        return;
    if (!g->training || n->a.p == 0)               /* the forward was the identity */
        BWD_LOOP(x, count(n, B), dy[i]);
    else
        BWD_LOOP(x, count(n, B), dy[i] * m[i]);
}
static const nn__OpClass op_dropout = {"dropout", 1, 1, 0, dropout_infer, NULL, dropout_fwd,
                                       dropout_bwd};

/* ---- batchnorm over the last dimension (all other dims are batch) ---- */

static int bn_infer(nn_Graph *g, nn__Node *n, mn_Err *e) {
    int64_t F;
    copy_shape(n, IN(0));
    F = nn__last(n);
    n->np = 2 * F;                                  /* gamma, beta */
    n->ns = 2 * F;                                  /* running mean, running var */
    n->aux_per = numel(n);                          /* xhat */
    n->aux_fix = 2 * F;                             /* batch mean, 1/std */
    return MN_OK;
}
static void bn_init(nn_Graph *g, nn__Node *n, mn_Rng *r) {
    int64_t F = nn__last(n);
    for (int64_t j = 0; j < F; j++) {
        g->params[n->poff + j] = 1.0f;
        g->params[n->poff + F + j] = 0.0f;
        g->state[n->soff + j] = 0.0f;
        g->state[n->soff + F + j] = 1.0f;
    }
}
static void bn_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    int64_t rows = nn__rows(n, B), F = nn__last(n);
    const float *x = IN(0)->out, *gam = g->params + n->poff, *bet = gam + F;
    float *rm = g->state + n->soff, *rv = rm + F, *mean = n->aux + n->aux_per * g->max_batch;
    float *istd = mean + F, *xh = n->aux, *y = n->out;
    double eps = dflt(n->a.eps, 1e-5), mom = dflt(n->a.momentum, 0.1);
    for (int64_t j = 0; j < F; j++) {
        double mu, var;
        if (g->training) {
            double s = 0, ss = 0;
            for (int64_t r = 0; r < rows; r++)
                s += (double)x[r * F + j];
            mu = s / (double)rows;
            for (int64_t r = 0; r < rows; r++) {
                double d = (double)x[r * F + j] - mu;
                ss += d * d;
            }
            var = ss / (double)rows;
            rm[j] = (float)((1 - mom) * (double)rm[j] + mom * mu);
            rv[j] = (float)((1 - mom) * (double)rv[j] +
                            mom * (rows > 1 ? ss / (double)(rows - 1) : var));
        } else {
            mu = (double)rm[j];
            var = (double)rv[j];
        }
        mean[j] = (float)mu;
        istd[j] = (float)(1.0 / sqrt(var + eps));
    }
    for (int64_t r = 0; r < rows; r++)
        for (int64_t j = 0; j < F; j++) {
            float h = (x[r * F + j] - mean[j]) * istd[j];
            xh[r * F + j] = h;
            y[r * F + j] = gam[j] * h + bet[j];
        }
}
static void bn_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0);
    int64_t rows = nn__rows(n, B), F = nn__last(n);
    const float *gam = g->params + n->poff, *xh = n->aux, *dy = n->grad;
    const float *istd = n->aux + n->aux_per * g->max_batch + F;
    float *dg = g->pgrad + n->poff, *db = dg + F;
    int acc = x->needs_grad ? nn__accum(x) : 0;
    for (int64_t j = 0; j < F; j++) {
        double sdy = 0, sdyx = 0;
        for (int64_t r = 0; r < rows; r++) {
            sdy += (double)dy[r * F + j];
            sdyx += (double)(dy[r * F + j] * xh[r * F + j]);
        }
        dg[j] = (float)sdyx;
        db[j] = (float)sdy;
        if (!x->needs_grad)
            continue;
        for (int64_t r = 0; r < rows; r++) {
            double v;
            if (g->training)
                v = (double)gam[j] * (double)istd[j] / (double)rows *
                    ((double)rows * (double)dy[r * F + j] - sdy - (double)xh[r * F + j] * sdyx);
            else
                v = (double)(gam[j] * istd[j] * dy[r * F + j]);
            x->grad[r * F + j] = acc ? x->grad[r * F + j] + (float)v : (float)v;
        }
    }
}
static const nn__OpClass op_batchnorm = {"batchnorm", 1, 1, 0, bn_infer, bn_init, bn_fwd, bn_bwd};

/* ---- layernorm over the last dimension ---- */

static int ln_infer(nn_Graph *g, nn__Node *n, mn_Err *e) {
    copy_shape(n, IN(0));
    n->np = 2 * nn__last(n);
    n->aux_per = numel(n) + numel(n) / nn__last(n); /* xhat, 1/std per row */
    return MN_OK;
}
static void ln_init(nn_Graph *g, nn__Node *n, mn_Rng *r) {
    int64_t F = nn__last(n);
    for (int64_t j = 0; j < F; j++) {
        g->params[n->poff + j] = 1.0f;
        g->params[n->poff + F + j] = 0.0f;
    }
}
static void ln_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    int64_t rows = nn__rows(n, B), F = nn__last(n);
    const float *x = IN(0)->out, *gam = g->params + n->poff, *bet = gam + F;
    float *xh = n->aux, *rs = n->aux + n->size * g->max_batch, *y = n->out;
    double eps = dflt(n->a.eps, 1e-5);
    for (int64_t r = 0; r < rows; r++) {
        const float *xr = x + r * F;
        double s = 0, ss = 0, mu, is;
        for (int64_t j = 0; j < F; j++)
            s += (double)xr[j];
        mu = s / (double)F;
        for (int64_t j = 0; j < F; j++)
            ss += ((double)xr[j] - mu) * ((double)xr[j] - mu);
        is = 1.0 / sqrt(ss / (double)F + eps);
        rs[r] = (float)is;
        for (int64_t j = 0; j < F; j++) {
            float h = (float)(((double)xr[j] - mu) * is);
            xh[r * F + j] = h;
            y[r * F + j] = gam[j] * h + bet[j];
        }
    }
}
static void ln_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0);
    int64_t rows = nn__rows(n, B), F = nn__last(n);
    const float *gam = g->params + n->poff, *xh = n->aux, *dy = n->grad;
    const float *rs = n->aux + n->size * g->max_batch;
    float *dg = g->pgrad + n->poff, *db = dg + F;
    int acc = x->needs_grad ? nn__accum(x) : 0;
    memset(dg, 0, (size_t)(2 * F) * sizeof(float));
    for (int64_t r = 0; r < rows; r++) {
        double s1 = 0, s2 = 0;
        for (int64_t j = 0; j < F; j++) {
            float d = dy[r * F + j] * gam[j];
            dg[j] += dy[r * F + j] * xh[r * F + j];
            db[j] += dy[r * F + j];
            s1 += (double)d;
            s2 += (double)(d * xh[r * F + j]);
        }
        if (!x->needs_grad)
            continue;
        for (int64_t j = 0; j < F; j++) {
            double d = (double)(dy[r * F + j] * gam[j]);
            float v = (float)((double)rs[r] / (double)F *
                              ((double)F * d - s1 - (double)xh[r * F + j] * s2));
            x->grad[r * F + j] = acc ? x->grad[r * F + j] + v : v;
        }
    }
}
static const nn__OpClass op_layernorm = {"layernorm", 1, 1, 0, ln_infer, ln_init, ln_fwd,
                                         ln_bwd};

/* ---- embedding: indices (stored as floats) (...) -> (..., dim); W is (n, dim) ---- */

static int emb_infer(nn_Graph *g, nn__Node *n, mn_Err *e) {
    const nn__Node *x = IN(0);
    if (n->a.n < 1 || n->a.units < 1)
        return mn_fail(e, MN_EARG, "%s: needs a vocabulary size and a dimension >= 1", n->label);
    if (x->ndim >= TN_MAXDIM - 1)
        return mn_fail(e, MN_ESHAPE, "%s: too many dimensions", n->label);
    copy_shape(n, x);
    if (x->ndim == 1 && x->shape[0] == 1)          /* (B, 1) -> (B, dim) */
        n->shape[0] = n->a.units;
    else
        n->shape[n->ndim++] = n->a.units;
    n->np = n->nw = n->a.n * n->a.units;
    return MN_OK;
}
static void emb_init(nn_Graph *g, nn__Node *n, mn_Rng *r) {
    float *w = g->params + n->poff;
    if (strcmp(n->a.init, "default") == 0)         /* PyTorch: N(0, 1) */
        for (int64_t i = 0; i < n->np; i++)
            w[i] = (float)mn_rng_normal(r);
    else
        nn__init_weights(n->a.init, w, n->a.n, n->a.units, r);
}
static int64_t emb_index(float v, int64_t nv) {
    int64_t k = (int64_t)v;
    return (v >= 0 && k < nv) ? k : -1;            /* out of range reads a zero row */
}
static void emb_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const float *x = IN(0)->out, *w = g->params + n->poff;
    int64_t D = n->a.units, N = count(IN(0), B);
    for (int64_t i = 0; i < N; i++) {
        int64_t k = emb_index(x[i], n->a.n);
        if (k < 0)
            memset(n->out + i * D, 0, (size_t)D * sizeof(float));
        else
            memcpy(n->out + i * D, w + k * D, (size_t)D * sizeof(float));
    }
}
static void emb_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const float *x = IN(0)->out;
    float *dw = g->pgrad + n->poff;
    int64_t D = n->a.units, N = count(IN(0), B);
    memset(dw, 0, (size_t)n->np * sizeof(float));
    for (int64_t i = 0; i < N; i++) {
        int64_t k = emb_index(x[i], n->a.n);
        if (k >= 0)
            for (int64_t j = 0; j < D; j++)
                dw[k * D + j] += n->grad[i * D + j];
    }
}
static const nn__OpClass op_embedding = {"embedding", 1, 1, 0, emb_infer, emb_init, emb_fwd,
                                         emb_bwd};

/* ---- concat along the last per-sample dimension ---- */

static int concat_infer(nn_Graph *g, nn__Node *n, mn_Err *e) {
    const nn__Node *x0 = IN(0);
    char a[64], b[64];
    int64_t last = 0;
    if (n->a.axis != -1 && n->a.axis != x0->ndim)
        return mn_fail(e, MN_EARG, "%s: only the last axis is supported", n->label);
    for (int k = 0; k < n->nin; k++) {
        const nn__Node *x = IN(k);
        int ok = x->ndim == x0->ndim && !x->scalar;
        for (int i = 0; ok && i + 1 < x->ndim; i++)
            ok = x->shape[i] == x0->shape[i];
        if (!ok)
            return mn_fail(e, MN_ESHAPE, "%s: input %d has shape %s, not compatible with %s",
                           n->label, k + 1, shp(x, a, sizeof a), shp(x0, b, sizeof b));
        last += nn__last(x);
    }
    copy_shape(n, x0);
    n->shape[n->ndim - 1] = last;
    return MN_OK;
}
static void concat_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    int64_t rows = nn__rows(n, B), C = nn__last(n), off = 0;
    for (int k = 0; k < n->nin; k++) {
        const nn__Node *x = IN(k);
        int64_t c = nn__last(x);
        for (int64_t r = 0; r < rows; r++)
            memcpy(n->out + r * C + off, x->out + r * c, (size_t)c * sizeof(float));
        off += c;
    }
}
static void concat_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    int64_t rows = nn__rows(n, B), C = nn__last(n), off = 0;
    for (int k = 0; k < n->nin; k++) {
        nn__Node *x = IN(k);
        int64_t c = nn__last(x);
        if (x->needs_grad) {
            int acc = nn__accum(x);
            for (int64_t r = 0; r < rows; r++)
                for (int64_t j = 0; j < c; j++) {
                    float v = n->grad[r * C + off + j];
                    x->grad[r * c + j] = acc ? x->grad[r * c + j] + v : v;
                }
        }
        off += c;
    }
}
static const nn__OpClass op_concat = {"concat", 1, NN_MAXIN, 0, concat_infer, NULL, concat_fwd,
                                      concat_bwd};

/* ---- flatten: (B, ...) -> (B, size) ---- */

static int flatten_infer(nn_Graph *g, nn__Node *n, mn_Err *e) {
    const nn__Node *x = IN(0);
    n->ndim = 1;
    n->shape[0] = 1;
    for (int i = 0; i < x->ndim; i++)
        n->shape[0] *= x->shape[i];
    return MN_OK;
}
static void copy_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    memcpy(n->out, IN(0)->out, (size_t)count(n, B) * sizeof(float));
}
static void copy_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0);
    if (x->needs_grad)
        BWD_LOOP(x, count(n, B), dy[i]);
}
static const nn__OpClass op_flatten = {"flatten", 1, 1, 0, flatten_infer, NULL, copy_fwd,
                                       copy_bwd};

/* ---- elementwise ops of functional graphs: add, sub, mul (same shapes), scale ---- */

static int binary_infer(nn_Graph *g, nn__Node *n, mn_Err *e) {
    const nn__Node *x = IN(0), *y = IN(1);
    char a[64], b[64];
    if (x->size != y->size || x->scalar != y->scalar)
        return mn_fail(e, MN_ESHAPE, "%s: shapes %s%s and %s%s differ", n->label,
                       shp(x, a, sizeof a), x->scalar ? " (scalar)" : "", shp(y, b, sizeof b),
                       y->scalar ? " (scalar)" : "");
    copy_shape(n, x);
    n->scalar = x->scalar;
    return MN_OK;
}
static void add_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const float *restrict x = IN(0)->out, *restrict y = IN(1)->out;
    float *restrict z = n->out;
    for (int64_t i = 0, N = count(n, B); i < N; i++)
        z[i] = x[i] + y[i];
}
static void add_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0), *y = IN(1);
    if (x->needs_grad)
        BWD_LOOP(x, count(n, B), dy[i]);
    if (y->needs_grad)
        BWD_LOOP(y, count(n, B), dy[i]);
}
static void sub_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const float *restrict x = IN(0)->out, *restrict y = IN(1)->out;
    float *restrict z = n->out;
    for (int64_t i = 0, N = count(n, B); i < N; i++)
        z[i] = x[i] - y[i];
}
static void sub_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0), *y = IN(1);
    if (x->needs_grad)
        BWD_LOOP(x, count(n, B), dy[i]);
    if (y->needs_grad)
        BWD_LOOP(y, count(n, B), -dy[i]);
}
static void mul_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const float *restrict x = IN(0)->out, *restrict y = IN(1)->out;
    float *restrict z = n->out;
    for (int64_t i = 0, N = count(n, B); i < N; i++)
        z[i] = x[i] * y[i];
}
static void mul_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0), *y = IN(1);
    const float *xv = x->out, *yv = y->out;
    if (x->needs_grad)
        BWD_LOOP(x, count(n, B), dy[i] * yv[i]);
    if (y->needs_grad)
        BWD_LOOP(y, count(n, B), dy[i] * xv[i]);
}
static void scale_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const float *restrict x = IN(0)->out;
    float *restrict z = n->out, s = (float)dflt(n->a.scale, 1.0);
    for (int64_t i = 0, N = count(n, B); i < N; i++)
        z[i] = s * x[i];
}
static void scale_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0);
    float s = (float)dflt(n->a.scale, 1.0);
    if (x->needs_grad)
        BWD_LOOP(x, count(n, B), s * dy[i]);
}
/* mean of every element of the batch: a scalar */
static int mean_infer(nn_Graph *g, nn__Node *n, mn_Err *e) {
    n->scalar = 1;
    return MN_OK;
}
static void mean_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const nn__Node *x = IN(0);
    double s = 0;
    int64_t N = count(x, B);
    for (int64_t i = 0; i < N; i++)
        s += (double)x->out[i];
    n->out[0] = (float)(s / (double)N);
}
static void mean_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *x = IN(0);
    int64_t N = count(x, B);
    float v = n->grad[0] / (float)N;
    int acc;
    if (!x->needs_grad)
        return;
    acc = nn__accum(x);
    for (int64_t i = 0; i < N; i++)
        x->grad[i] = acc ? x->grad[i] + v : v;
}
static const nn__OpClass op_add = {"add", 2, 2, 0, binary_infer, NULL, add_fwd, add_bwd};
static const nn__OpClass op_sub = {"sub", 2, 2, 0, binary_infer, NULL, sub_fwd, sub_bwd};
static const nn__OpClass op_mul = {"mul", 2, 2, 0, binary_infer, NULL, mul_fwd, mul_bwd};
static const nn__OpClass op_scale = {"scale", 1, 1, 0, same_infer, NULL, scale_fwd, scale_bwd};
static const nn__OpClass op_mean = {"mean", 1, 1, 0, mean_infer, NULL, mean_fwd, mean_bwd};

/* ---- losses: (prediction, target) -> batch mean ---- */

static int loss_infer(nn_Graph *g, nn__Node *n, mn_Err *e) {
    const nn__Node *p = IN(0), *t = IN(1);
    char a[64], b[64];
    int ok = p->size == t->size;
    if (strcmp(n->op->name, "softmax_ce") == 0)
        ok = ok || t->size * nn__last(p) == p->size;   /* class indices */
    if (!ok || p->scalar)
        return mn_fail(e, MN_ESHAPE, "%s: output has shape %s, target %s", n->label,
                       shp(p, a, sizeof a), shp(t, b, sizeof b));
    if (strcmp(n->op->name, "softmax_ce") == 0)
        n->aux_per = p->size;                            /* probabilities */
    if (strcmp(n->op->name, "quantile") == 0 && !isnan(n->a.q) && !(n->a.q > 0 && n->a.q < 1))
        return mn_fail(e, MN_EARG, "%s: q must be in (0, 1), got %g", n->label, n->a.q);
    if (strcmp(n->op->name, "huber") == 0 && !isnan(n->a.delta) && !(n->a.delta > 0))
        return mn_fail(e, MN_EARG, "%s: delta must be > 0, got %g", n->label, n->a.delta);
    if (!(n->a.pos_weight > 0))
        return mn_fail(e, MN_EARG, "%s: pos_weight must be > 0, got %g", n->label,
                       n->a.pos_weight);
    n->scalar = 1;
    return MN_OK;
}

static int loss_kind(const nn__Node *n);
static int pw_infer(nn_Graph *g, nn__Node *n, mn_Err *e) {
    int rc = loss_infer(g, n, e);
    n->lk = loss_kind(n);
    return rc;
}

/* Elementwise losses share one shape: l(p, t) and dl/dp per element. */
typedef struct { double l; float d; } LossPt;

static LossPt pt_mse(float p, float t, const nn_Attr *a) {
    float d = p - t;
    return (LossPt){(double)d * (double)d, 2.0f * d};
}
static LossPt pt_mae(float p, float t, const nn_Attr *a) {
    float d = p - t;
    return (LossPt){fabs((double)d), d > 0 ? 1.0f : (d < 0 ? -1.0f : 0.0f)};
}
static LossPt pt_huber(float p, float t, const nn_Attr *a) {
    double dl = dflt(a->delta, 1.0), d = (double)p - (double)t, ad = fabs(d);
    if (ad <= dl)
        return (LossPt){0.5 * d * d, (float)d};
    return (LossPt){dl * (ad - 0.5 * dl), (float)(d > 0 ? dl : -dl)};
}
static double softplus(double x) { return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)); }
static LossPt pt_bce(float p, float t, const nn_Attr *a) {
    /* l = w t softplus(-x) + (1 - t) softplus(x); dl/dx = w t (s - 1) + (1 - t) s */
    double x = (double)p, y = (double)t, w = a->pos_weight, s = 1.0 / (1.0 + exp(-x));
    return (LossPt){w * y * softplus(-x) + (1 - y) * softplus(x),
                    (float)(w * y * (s - 1) + (1 - y) * s)};
}
static LossPt pt_hinge(float p, float t, const nn_Attr *a) {
    float s = t > 0 ? 1.0f : -1.0f, m = 1.0f - s * p;
    return m > 0 ? (LossPt){(double)m, -s} : (LossPt){0, 0.0f};
}
static LossPt pt_quantile(float p, float t, const nn_Attr *a) {
    double q = dflt(a->q, 0.5), d = (double)t - (double)p;
    return d >= 0 ? (LossPt){q * d, (float)-q} : (LossPt){(q - 1) * d, (float)(1 - q)};
}

static LossPt (*const pointwise[])(float, float, const nn_Attr *) = {
    pt_mse, pt_mae, pt_huber, pt_bce, pt_hinge, pt_quantile};
static const char *const pointwise_names[] = {"mse", "mae", "huber", "bce", "hinge",
                                              "quantile"};

static int loss_kind(const nn__Node *n) {
    for (int i = 0; i < 6; i++)
        if (n->op->name == pointwise_names[i] || strcmp(n->op->name, pointwise_names[i]) == 0)
            return i;
    return -1;
}

/* Forward computes the loss only; backward recomputes the derivatives (cheap, no storage). */
static void loss_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const nn__Node *p = IN(0), *t = IN(1);
    int kind = n->lk;
    LossPt (*f)(float, float, const nn_Attr *) = pointwise[kind];
    int64_t N = count(p, B);
    double s = 0;
    if (kind == 0) {           /* the common cases, inlined */
        for (int64_t i = 0; i < N; i++) {
            double d = (double)p->out[i] - (double)t->out[i];
            s += d * d;
        }
    } else {
        for (int64_t i = 0; i < N; i++)
            s += f(p->out[i], t->out[i], &n->a).l;
    }
    n->out[0] = (float)(s / (double)N);
}
static void loss_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *p = IN(0);
    const nn__Node *t = IN(1);
    LossPt (*f)(float, float, const nn_Attr *) = pointwise[n->lk];
    int64_t N = count(p, B);
    float sc = n->grad[0] / (float)N;
    int acc;
    if (!p->needs_grad)
        return;
    acc = nn__accum(p);
    if (n->lk == 3 && n->a.pos_weight == 1) {
        for (int64_t i = 0; i < N; i++) {            /* dl/dx = sigmoid(x) - t */
            float v = sc * (nn__sigmoid(p->out[i]) - t->out[i]);
            p->grad[i] = acc ? p->grad[i] + v : v;
        }
        return;
    }
    for (int64_t i = 0; i < N; i++) {
        float v = sc * f(p->out[i], t->out[i], &n->a).d;
        p->grad[i] = acc ? p->grad[i] + v : v;
    }
}

/* softmax cross-entropy over the last dimension; target = class index or probabilities */
static void sce_fwd(nn_Graph *g, nn__Node *n, int64_t B) {
    const nn__Node *p = IN(0), *t = IN(1);
    int64_t rows = nn__rows(p, B), C = nn__last(p);
    int idx = t->size != p->size;
    double s = 0;
    nn__softmax_rows(p->out, n->aux, rows, C);
    for (int64_t r = 0; r < rows; r++) {
        const float *q = n->aux + r * C;
        if (idx) {
            int64_t k = (int64_t)t->out[r];
            if (k >= 0 && k < C)
                s -= log((double)q[k] > 1e-38 ? (double)q[k] : 1e-38);
        } else {
            for (int64_t j = 0; j < C; j++)
                if (t->out[r * C + j] != 0)
                    s -= (double)t->out[r * C + j] *
                         log((double)q[j] > 1e-38 ? (double)q[j] : 1e-38);
        }
    }
    n->out[0] = (float)(s / (double)rows);
}
static void sce_bwd(nn_Graph *g, nn__Node *n, int64_t B) {
    nn__Node *p = IN(0);
    const nn__Node *t = IN(1);
    int64_t rows = nn__rows(p, B), C = nn__last(p);
    int idx = t->size != p->size, acc;
    float sc = n->grad[0] / (float)rows;
    if (!p->needs_grad)
        return;
    acc = nn__accum(p);
    for (int64_t r = 0; r < rows; r++)
        for (int64_t j = 0; j < C; j++) {
            float tv = idx ? ((int64_t)t->out[r] == j ? 1.0f : 0.0f) : t->out[r * C + j];
            float v = sc * (n->aux[r * C + j] - tv);
            p->grad[r * C + j] = acc ? p->grad[r * C + j] + v : v;
        }
}

#define LOSS(nm) static const nn__OpClass op_##nm = {#nm, 2, 2, NN__SCALAR | NN__LOSS, \
    pw_infer, NULL, loss_fwd, loss_bwd}
LOSS(mse);
LOSS(mae);
LOSS(huber);
LOSS(bce);
LOSS(hinge);
LOSS(quantile);
static const nn__OpClass op_sce = {"softmax_ce", 2, 2, NN__SCALAR | NN__LOSS, loss_infer, NULL,
                                   sce_fwd, sce_bwd};

const nn__OpClass *const nn__ops[] = {
    &op_input, &op_target, &op_dense, &op_relu, &op_leaky, &op_elu, &op_gelu, &op_tanh,
    &op_sigmoid, &op_softmax, &op_dropout, &op_batchnorm, &op_layernorm, &op_embedding,
    &op_concat, &op_flatten, &op_add, &op_sub, &op_mul, &op_scale, &op_mean,
    &op_mse, &op_mae, &op_huber, &op_bce, &op_hinge, &op_quantile, &op_sce, NULL};
