/* test_nn_train.c -- the nn layer's numbers against independent ones: a tight central-
** difference gradient check of every op (a backward wrong by a few percent fails), and one
** epoch of nn_fit on a 2-layer net against a double-precision reference step written here
** from the published formulas. The event kinds of fit's progress records. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "core/mem.h"
#include "core/rng.h"
#include "nn/graph.h"
#include "nn/optim.h"
#include "nn/train.h"

#define GB 6                      /* gradient-check batch */

static int add(nn_Graph *g, const char *op, int a, int b, const nn_Attr *at, int *id,
               mn_Err *e) {
    int in[2] = {a, b};
    return nn_graph_add(g, op, in, b < 0 ? (a < 0 ? 0 : 1) : 2, at, op, id, e);
}

static int input(nn_Graph *g, const char *op, int64_t n, int *id, mn_Err *e) {
    nn_Attr a;
    nn_attr_init(&a);
    a.ndim = 1;
    a.shape[0] = n;
    return add(g, op, -1, -1, &a, id, e);
}

/* The one numeric attribute of 'op' (leaky_relu slope, elu alpha, scale factor, huber delta,
** quantile q), each its own named field of nn_Attr. */
static void set_num_attr(nn_Attr *a, const char *op, double v) {
    if (strcmp(op, "leaky_relu") == 0)
        a->slope = v;
    else if (strcmp(op, "elu") == 0)
        a->alpha = v;
    else if (strcmp(op, "scale") == 0)
        a->scale = v;
    else if (strcmp(op, "huber") == 0)
        a->delta = v;
    else if (strcmp(op, "quantile") == 0)
        a->q = v;                                   /* mse, mae: none to set */
}

/* ---- gradient check ---- */

/* The case under test: the op, its attributes, how targets are drawn. */
static const char *g_op;
static nn_Attr g_attr;
enum { T_NORMAL, T_01, T_CLASS, T_ONEHOT };
static int g_tkind;
static int g_unfused;             /* 1: h is also an output, so no dense+relu fusion */

typedef int (*Build)(nn_Graph *g, int h, int *loss, mn_Err *e);

/* mean(op(h) * R): R a random target, so that the op's backward sees a random upstream
** gradient rather than a constant one. */
static int build_unary(nn_Graph *g, int h, int *loss, mn_Err *e) {
    int o, r, m, rc;
    int64_t shape[TN_MAXDIM];
    if ((rc = add(g, g_op, h, -1, &g_attr, &o, e)) != MN_OK)
        return rc;
    nn_graph_node_shape(g, o, shape);
    if ((rc = input(g, "target", shape[0], &r, e)) != MN_OK ||
        (rc = add(g, "mul", o, r, NULL, &m, e)) != MN_OK)
        return rc;
    return add(g, "mean", m, -1, NULL, loss, e);
}

static int build_loss(nn_Graph *g, int h, int *loss, mn_Err *e) {
    int t, rc;
    int64_t shape[TN_MAXDIM];
    nn_graph_node_shape(g, h, shape);
    if ((rc = input(g, "target", g_tkind == T_CLASS ? 1 : shape[0], &t, e)) != MN_OK)
        return rc;
    return add(g, g_op, h, t, &g_attr, loss, e);
}

/* Two branches of h combined by the binary op 'g_op' (add, sub, mul) or concat, then
** mean(. * R). */
static int build_binary(nn_Graph *g, int h, int *loss, mn_Err *e) {
    int h2, t, c, r, m, rc;
    int64_t shape[TN_MAXDIM];
    nn_Attr a;
    nn_attr_init(&a);
    a.units = 4;
    if ((rc = add(g, "dense", h, -1, &a, &h2, e)) != MN_OK ||
        (rc = add(g, "tanh", h2, -1, NULL, &t, e)) != MN_OK ||
        (rc = add(g, g_op, h, t, NULL, &c, e)) != MN_OK)
        return rc;
    nn_graph_node_shape(g, c, shape);
    if ((rc = input(g, "target", shape[0], &r, e)) != MN_OK ||
        (rc = add(g, "mul", c, r, NULL, &m, e)) != MN_OK)
        return rc;
    return add(g, "mean", m, -1, NULL, loss, e);
}

/* A custom loss of a functional graph: 0.5 mse + mae + mean((h - t)^2), through scale, sub,
** mul, add and mean. */
static int build_combo(nn_Graph *g, int h, int *loss, mn_Err *e) {
    int t, l1, l2, s, d, sq, m, rc;
    nn_Attr a;
    nn_attr_init(&a);
    a.scale = 0.5;
    if ((rc = input(g, "target", 4, &t, e)) != MN_OK ||
        (rc = add(g, "mse", h, t, NULL, &l1, e)) != MN_OK ||
        (rc = add(g, "mae", h, t, NULL, &l2, e)) != MN_OK ||
        (rc = add(g, "scale", l1, -1, &a, &s, e)) != MN_OK ||
        (rc = add(g, "sub", h, t, NULL, &d, e)) != MN_OK ||
        (rc = add(g, "mul", d, d, NULL, &sq, e)) != MN_OK ||
        (rc = add(g, "mean", sq, -1, NULL, &m, e)) != MN_OK ||
        (rc = add(g, "add", s, l2, NULL, &d, e)) != MN_OK)
        return rc;
    return add(g, "add", d, m, NULL, loss, e);
}

static double loss_at(nn_Graph *g) {
    nn_graph_set_seed(g, 99);                      /* the same dropout mask every time */
    nn_graph_forward(g, GB, 1);
    return nn_graph_loss(g);
}

/* L(p_i + h) - L(p_i - h) over the step actually taken in float32. */
static double central(nn_Graph *g, float *p, int64_t i, float h) {
    float keep = p[i], up = keep + h, dn = keep - h;
    double lp, lm;
    p[i] = up;
    lp = loss_at(g);
    p[i] = dn;
    lm = loss_at(g);
    p[i] = keep;
    return (lp - lm) / ((double)up - (double)dn);
}

/* x (GB, 3) -> dense(4) -> [build]; the gradient of every parameter against central
** differences of the float32 loss. Two steps, h and h/2, combined by Richardson
** extrapolation ((4 D(h/2) - D(h)) / 3 cancels the h^2 term). Where the two disagree the
** step crossed a kink (relu at 0, |x| in mae) and the coordinate is skipped: a wrong
** backward moves both estimates alike, so this never hides one. The error of a coordinate
** is |num - an| / max(|num|, |an|, 0.05 max|an|); every checked coordinate must be within
** 'tol' (1e-3 for smooth ops). Returns the worst error (for the report). */
static double gradcheck_tol(const char *op, Build build, int training, double tol) {
    mn_Err e = {0};
    nn_Graph *g = NULL;
    int x, h, loss, worst_i = -1;
    int64_t np, skipped = 0;
    float *p, *an;
    nn_Attr a;
    mn_Rng r;
    double worst = 0, gmax = 0;
    g_op = op;
    nn_attr_init(&a);
    a.units = 4;
    CHECK_OK(nn_graph_new(&g, &e), &e);
    CHECK_OK(input(g, "input", 3, &x, &e), &e);
    CHECK_OK(add(g, "dense", x, -1, &a, &h, &e), &e);
    if (g_unfused)
        CHECK_OK(nn_graph_output(g, h, &e), &e);
    CHECK_OK(build(g, h, &loss, &e), &e);
    if (e.code) {
        nn_graph_free(g);
        return INFINITY;
    }
    CHECK_OK(nn_graph_set_loss(g, loss, &e), &e);
    CHECK_OK(nn_graph_compile(g, GB, 7, &e), &e);
    nn_graph_set_training(g, training);
    mn_rng_seed(&r, 3);
    for (int k = 0; k < nn_graph_nnodes(g); k++) {
        const char *kop = nn_graph_node_op(g, k);
        int64_t shape[TN_MAXDIM], n = 1;
        int nd = nn_graph_node_shape(g, k, shape);
        float *buf = nn_graph_buffer(g, k);
        for (int d = 0; d < nd; d++)
            n *= shape[d];
        if (strcmp(kop, "input") == 0)
            for (int64_t i = 0; i < n * GB; i++)
                buf[i] = (float)mn_rng_normal(&r);
        else if (strcmp(kop, "target") == 0 && g_tkind == T_ONEHOT)
            for (int64_t i = 0; i < GB; i++)
                for (int64_t c = 0; c < n; c++)
                    buf[i * n + c] = (float)(c == (i * 3 + 1) % n);
        else if (strcmp(kop, "target") == 0)
            for (int64_t i = 0; i < n * GB; i++)
                buf[i] = g_tkind == T_01 ? (float)(mn_rng_uniform(&r) < 0.5)
                       : g_tkind == T_CLASS ? (float)mn_rng_below(&r, 4)
                                            : (float)mn_rng_normal(&r);
    }
    p = nn_graph_params(g, &np);
    loss_at(g);
    nn_graph_backward(g, GB);
    an = malloc((size_t)np * sizeof *an);
    memcpy(an, nn_graph_grads(g), (size_t)np * sizeof *an);
    for (int64_t i = 0; i < np; i++)
        gmax = fmax(gmax, fabs((double)an[i]));
    for (int64_t i = 0; i < np; i++) {
        double d1 = central(g, p, i, 2e-2f), d2 = central(g, p, i, 1e-2f);
        double num = (4 * d2 - d1) / 3, floor_ = 0.05 * gmax, err;
        if (fabs(d1 - d2) > 0.5 * tol * fmax(fabs(d2), floor_)) {
            skipped++;                                  /* a kink between the steps */
            continue;
        }
        err = fabs(num - (double)an[i]) / fmax(fmax(fabs(num), fabs((double)an[i])), floor_);
        if (err > worst) {
            worst = err;
            worst_i = (int)i;
        }
    }
    if (worst > tol || skipped * 4 > np)
        fprintf(stderr, "gradcheck %s: worst relative error %.3g at parameter %d, "
                "%lld of %lld skipped as kinks\n", op, worst, worst_i, (long long)skipped,
                (long long)np);
    CHECK(worst <= tol);
    CHECK(skipped * 4 <= np);                           /* at most a quarter skipped */
    free(an);
    nn_graph_free(g);
    return worst;
}

static double gradcheck(const char *op, Build build, int training) {
    return gradcheck_tol(op, build, training, 1e-3);
}

static void train_grad_pointwise(void) {                  /* train-1.1 */
    static const char *const ops[] = {"relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid",
                                      "softmax", "layernorm", "flatten", "dense", NULL};
    g_tkind = T_NORMAL;
    for (int i = 0; ops[i]; i++) {
        nn_attr_init(&g_attr);
        g_attr.units = 3;
        if (strcmp(ops[i], "leaky_relu") == 0)
            set_num_attr(&g_attr, ops[i], 0.1);
        gradcheck(ops[i], build_unary, 1);
    }
    g_unfused = 1;                                      /* relu's own backward, not dense's */
    nn_attr_init(&g_attr);
    gradcheck("relu", build_unary, 1);
    g_unfused = 0;
    nn_attr_init(&g_attr);
    set_num_attr(&g_attr, "elu", 0.7);                  /* elu with alpha != 1 */
    gradcheck("elu", build_unary, 1);
    nn_attr_init(&g_attr);
    set_num_attr(&g_attr, "scale", 2.5);
    gradcheck("scale", build_unary, 1);
}

static void train_grad_dropout_batchnorm(void) {         /* train-1.2 */
    nn_attr_init(&g_attr);
    g_attr.p = 0.3;
    gradcheck("dropout", build_unary, 0);                 /* evaluation: the identity */
    gradcheck("dropout", build_unary, 1);                 /* training, a fixed mask */
    nn_attr_init(&g_attr);
    gradcheck("batchnorm", build_unary, 1);               /* batch statistics */
    gradcheck("batchnorm", build_unary, 0);               /* running statistics */
}

static void train_grad_binary(void) {                    /* train-1.3 */
    static const char *const ops[] = {"add", "sub", "mul", "concat", NULL};
    g_tkind = T_NORMAL;
    for (int i = 0; ops[i]; i++)
        gradcheck(ops[i], build_binary, 1);
}

static void train_grad_custom_loss(void) {               /* train-1.6 */
    g_tkind = T_NORMAL;
    gradcheck("custom loss", build_combo, 1);
}

static void train_grad_losses(void) {                    /* train-1.4 */
    static const char *const ops[] = {"mse", "mae", "huber", "quantile", NULL};
    for (int i = 0; ops[i]; i++) {
        nn_attr_init(&g_attr);
        set_num_attr(&g_attr, ops[i], strcmp(ops[i], "quantile") == 0 ? 0.3 : 0.7);
        g_tkind = T_NORMAL;
        gradcheck(ops[i], build_loss, 1);
    }
    nn_attr_init(&g_attr);
    g_tkind = T_01;
    gradcheck("bce", build_loss, 1);
    g_attr.pos_weight = 3;
    gradcheck("bce", build_loss, 1);
    nn_attr_init(&g_attr);
    gradcheck("hinge", build_loss, 1);
    g_tkind = T_CLASS;
    gradcheck("softmax_ce", build_loss, 1);               /* class indices */
    g_tkind = T_ONEHOT;
    gradcheck("softmax_ce", build_loss, 1);               /* one-hot rows */
    g_tkind = T_NORMAL;
}

/* embedding(5, 2) of integer inputs -> flatten -> dense(3) -> tanh -> mean(. * R). */
static void train_grad_embedding(void) {                 /* train-1.5 */
    mn_Err e = {0};
    nn_Graph *g = NULL;
    nn_Attr a;
    int x, em, fl, d, t, r, m, loss;
    int64_t np;
    float *p, *an;
    double worst = 0, gmax = 0;
    nn_attr_init(&a);
    a.n = 5;
    a.units = 2;
    CHECK_OK(nn_graph_new(&g, &e), &e);
    CHECK_OK(input(g, "input", 3, &x, &e), &e);
    CHECK_OK(add(g, "embedding", x, -1, &a, &em, &e), &e);
    CHECK_OK(add(g, "flatten", em, -1, NULL, &fl, &e), &e);
    a.units = 3;
    CHECK_OK(add(g, "dense", fl, -1, &a, &d, &e), &e);
    CHECK_OK(add(g, "tanh", d, -1, NULL, &t, &e), &e);
    CHECK_OK(input(g, "target", 3, &r, &e), &e);
    CHECK_OK(add(g, "mul", t, r, NULL, &m, &e), &e);
    CHECK_OK(add(g, "mean", m, -1, NULL, &loss, &e), &e);
    CHECK_OK(nn_graph_set_loss(g, loss, &e), &e);
    CHECK_OK(nn_graph_compile(g, GB, 1, &e), &e);
    for (int i = 0; i < 3 * GB; i++)
        nn_graph_buffer(g, x)[i] = (float)((i * 7) % 5);
    for (int i = 0; i < 3 * GB; i++)
        nn_graph_buffer(g, r)[i] = (float)(i % 7) - 3.0f;
    p = nn_graph_params(g, &np);
    loss_at(g);
    nn_graph_backward(g, GB);
    an = malloc((size_t)np * sizeof *an);
    memcpy(an, nn_graph_grads(g), (size_t)np * sizeof *an);
    for (int64_t i = 0; i < np; i++)
        gmax = fmax(gmax, fabs((double)an[i]));
    for (int64_t i = 0; i < np; i++) {
        double d1 = central(g, p, i, 2e-2f), d2 = central(g, p, i, 1e-2f);
        double num = (4 * d2 - d1) / 3;
        worst = fmax(worst, fabs(num - (double)an[i]) /
                                fmax(fmax(fabs(num), fabs((double)an[i])), 0.05 * gmax));
    }
    if (worst > 1e-3)
        fprintf(stderr, "gradcheck embedding: worst relative error %.3g\n", worst);
    CHECK(worst <= 1e-3);
    free(an);
    nn_graph_free(g);
}

/* ---- one epoch of fit against a double-precision reference ---- */

#define RN 10                    /* rows: batches of 4, 4 and a partial 2 */
#define RF 3                     /* features */
#define RH 4                     /* hidden units */
#define RB 4                     /* batch */

/* The net's parameters in double, in the graph's layout: W1 (RH, RF), b1, W2 (1, RH), b2. */
typedef struct Ref {
    double w1[RH][RF], b1[RH], w2[RH], b2;
} Ref;

static void ref_from(Ref *r, const float *p) {
    for (int j = 0; j < RH; j++)
        for (int k = 0; k < RF; k++)
            r->w1[j][k] = (double)*p++;
    for (int j = 0; j < RH; j++)
        r->b1[j] = (double)*p++;
    for (int j = 0; j < RH; j++)
        r->w2[j] = (double)*p++;
    r->b2 = (double)*p;
}

static void ref_flat(const Ref *r, double *v) {
    memcpy(v, r->w1, sizeof r->w1);
    memcpy(v + RH * RF, r->b1, sizeof r->b1);
    memcpy(v + RH * RF + RH, r->w2, sizeof r->w2);
    v[RH * RF + 2 * RH] = r->b2;
}

#define RNP (RH * RF + 2 * RH + 1)

/* One batch of rows [first, first+B): forward z = W2 relu(W1 x + b1) + b2, the batch-mean
** loss (mse: (z-y)^2; bce on logits: log(1+e^z) - y z), and its gradient in 'gr' (flat,
** the graph's layout). Returns the batch loss. */
static double ref_grad(const Ref *r, const double (*x)[RF], const double *y, int first, int B,
                       int bce, double *gr) {
    double loss = 0;
    memset(gr, 0, RNP * sizeof *gr);
    for (int i = first; i < first + B; i++) {
        double a[RH], hdn[RH], z = r->b2, dz;
        for (int j = 0; j < RH; j++) {
            a[j] = r->b1[j];
            for (int k = 0; k < RF; k++)
                a[j] += r->w1[j][k] * x[i][k];
            hdn[j] = a[j] > 0 ? a[j] : 0;
            z += r->w2[j] * hdn[j];
        }
        if (bce) {
            loss += (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - y[i] * z;
            dz = (1 / (1 + exp(-z)) - y[i]) / B;
        } else {
            loss += (z - y[i]) * (z - y[i]);
            dz = 2 * (z - y[i]) / B;
        }
        for (int j = 0; j < RH; j++) {
            double dh = a[j] > 0 ? dz * r->w2[j] : 0;
            gr[RH * RF + RH + j] += dz * hdn[j];
            for (int k = 0; k < RF; k++)
                gr[j * RF + k] += dh * x[i][k];
            gr[RH * RF + j] += dh;
        }
        gr[RNP - 1] += dz;
    }
    return loss / B;
}

/* The published updates. SGD with momentum mu (PyTorch: buf = g at the first step, then
** buf = mu buf + g; p -= lr buf). Adam (Kingma & Ba 2015, Algorithm 1): m = b1 m + (1-b1) g,
** v = b2 v + (1-b2) g^2, p -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps). */
static void ref_step(double *p, const double *g, double *m, double *v, int t, int adam,
                     double lr, double mu) {
    for (int i = 0; i < RNP; i++) {
        if (adam) {
            const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            p[i] -= lr * (m[i] / (1 - pow(b1, t))) / (sqrt(v[i] / (1 - pow(b2, t))) + eps);
        } else {
            m[i] = t == 1 ? g[i] : mu * m[i] + g[i];
            p[i] -= lr * (mu > 0 ? m[i] : g[i]);
        }
    }
}

static void ref_unflat(Ref *r, const double *v) {
    memcpy(r->w1, v, sizeof r->w1);
    memcpy(r->b1, v + RH * RF, sizeof r->b1);
    memcpy(r->w2, v + RH * RF + RH, sizeof r->w2);
    r->b2 = v[RH * RF + 2 * RH];
}

/* input(3) -> dense(4) -> relu -> dense(1) -> mse|bce(., target(1)); one epoch of nn_fit
** without shuffling (rows in order: batches 1-4, 5-8, 9-10) against the reference above,
** run from the weights read out of the compiled graph. */
static void fit_one_epoch(int bce, int adam, double lr, double mu) {
    static double x[RN][RF], y[RN];
    mn_Err e = {0};
    nn_Graph *g = NULL;
    nn_Attr a;
    nn_FitOpts o;
    nn_Optim opt;
    nn_History h;
    nn_Data d;
    tn_Tensor *tx = NULL, *ty = NULL;
    int in, d1, rl, d2, t, loss;
    int64_t np, sx[2] = {RN, RF}, sy[2] = {RN, 1};
    Ref r;
    double p[RNP], gr[RNP], m[RNP] = {0}, v[RNP] = {0}, sum = 0, worst = 0;
    const float *fp;

    for (int i = 0; i < RN; i++) {                    /* fixed, well-scaled data */
        for (int k = 0; k < RF; k++)
            x[i][k] = sin(1.3 * i + 0.7 * k + 0.2) * (1 + 0.1 * k);
        y[i] = bce ? (double)(x[i][0] + 0.5 * x[i][1] > 0) : x[i][0] - 0.5 * x[i][2] + 0.1;
    }
    nn_attr_init(&a);
    a.units = RH;
    CHECK_OK(nn_graph_new(&g, &e), &e);
    CHECK_OK(input(g, "input", RF, &in, &e), &e);
    CHECK_OK(add(g, "dense", in, -1, &a, &d1, &e), &e);
    CHECK_OK(add(g, "relu", d1, -1, NULL, &rl, &e), &e);
    a.units = 1;
    CHECK_OK(add(g, "dense", rl, -1, &a, &d2, &e), &e);
    CHECK_OK(nn_graph_output(g, d2, &e), &e);
    CHECK_OK(input(g, "target", 1, &t, &e), &e);
    CHECK_OK(add(g, bce ? "bce" : "mse", d2, t, NULL, &loss, &e), &e);
    CHECK_OK(nn_graph_set_loss(g, loss, &e), &e);
    CHECK_OK(nn_graph_compile(g, RB, 11, &e), &e);
    fp = nn_graph_params(g, &np);
    CHECK(np == RNP);
    if (e.code || np != RNP) {
        nn_graph_free(g);
        return;
    }
    ref_from(&r, fp);

    CHECK_OK(tn_zeros(sx, 2, &tx, &e), &e);
    CHECK_OK(tn_zeros(sy, 2, &ty, &e), &e);
    for (int i = 0; i < RN; i++) {
        for (int k = 0; k < RF; k++)
            tn_data(tx)[i * RF + k] = (float)x[i][k];
        tn_data(ty)[i] = (float)y[i];
    }
    /* the reference reads the float32 values the graph sees */
    for (int i = 0; i < RN; i++) {
        for (int k = 0; k < RF; k++)
            x[i][k] = (double)tn_data(tx)[i * RF + k];
        y[i] = (double)tn_data(ty)[i];
    }
    memset(&d, 0, sizeof d);
    d.nx = d.ny = 1;
    d.x[0] = tx;
    d.y[0] = ty;
    nn_fit_opts_init(&o);
    o.epochs = 1;
    o.batch = RB;
    o.shuffle = 0;
    o.seed = 11;
    nn_optim_init(&opt, adam ? NN_ADAM : NN_SGD);
    opt.lr = lr;
    opt.momentum = mu;
    CHECK_OK(nn_fit(g, &d, NULL, &opt, &o, NULL, &h, &e), &e);
    nn_optim_reset(&opt);

    ref_flat(&r, p);
    for (int first = 0, step = 1; first < RN; first += RB, step++) {
        int B = RN - first < RB ? RN - first : RB;
        ref_unflat(&r, p);
        sum += ref_grad(&r, (const double (*)[RF])x, y, first, B, bce, gr) * B;
        ref_step(p, gr, m, v, step, adam, lr, mu);
    }
    fp = nn_graph_params(g, &np);
    for (int i = 0; i < RNP; i++) {
        double err = fabs((double)fp[i] - p[i]) / fmax(fabs(p[i]), 0.1);
        worst = fmax(worst, err);
    }
    if (worst > 1e-6)
        fprintf(stderr, "fit %s/%s: worst relative weight error %.3g\n", bce ? "bce" : "mse",
                adam ? "adam" : "sgd", worst);
    CHECK(worst <= 1e-6);                  /* float32 against double: ~1.5e-7 measured */
    /* the epoch's loss: the batches' losses weighted by their rows, before each update */
    CHECK(h.nepochs == 1 && h.stop == NN_STOP_DONE);
    CHECK_NEAR(h.series[0][0], sum / RN, 1e-6 * fmax(1, sum / RN));
    CHECK(h.samples == RN);
    nn_history_free(&h);
    tn_free(tx);
    tn_free(ty);
    nn_graph_free(g);
}

static void train_epoch_reference(void) {                /* train-2.1 */
    fit_one_epoch(0, 0, 0.1, 0);                          /* mse, plain sgd */
    fit_one_epoch(0, 1, 0.01, 0);                         /* mse, adam */
    fit_one_epoch(1, 0, 0.5, 0.9);                        /* bce, sgd with momentum */
    fit_one_epoch(1, 1, 0.05, 0);                         /* bce, adam */
}

/* ---- stop reasons and event kinds ---- */

/* What a hook saw: the event/end records' kinds and messages; asks for what 'want' says. */
typedef struct Seen {
    int  want;                   /* flags returned on the first batch record */
    int  stop_at_begin;
    int  nev, kinds[8];
    char msgs[8][200];
    int  ended;
} Seen;

static int seen_hook(void *ud, const mn_Progress *p) {
    Seen *s = ud;
    if (strcmp(p->phase, "begin") == 0)
        return s->stop_at_begin ? MN_PROG_STOP : MN_PROG_GO;
    if ((strcmp(p->phase, "event") == 0 || strcmp(p->phase, "end") == 0) && s->nev < 8) {
        s->kinds[s->nev] = p->kind;
        snprintf(s->msgs[s->nev++], sizeof s->msgs[0], "%s", p->event);
        s->ended |= strcmp(p->phase, "end") == 0;
    }
    if (strcmp(p->phase, "batch") == 0 && p->epoch == 1 && p->step == 1)
        return s->want;
    return MN_PROG_GO;
}

/* input(2) -> dense(1) -> mse on 8 rows (the third NaN when 'nan'); nn_fit with 'o' and a
** hook that records what it sees. */
static nn_Stop fit_seen(nn_FitOpts *o, int nan, Seen *s) {
    mn_Err e = {0};
    nn_Graph *g = NULL;
    nn_Attr a;
    nn_Optim opt;
    nn_History h;
    nn_Data d;
    mn_Hook hook = {seen_hook, s, 1e-12, 0};
    tn_Tensor *tx = NULL, *ty = NULL;
    int64_t sx[2] = {8, 2}, sy[2] = {8, 1};
    int in, dn, t, l;
    nn_Stop why = NN_STOP_NONE;
    nn_attr_init(&a);
    a.units = 1;
    CHECK_OK(nn_graph_new(&g, &e), &e);
    CHECK_OK(input(g, "input", 2, &in, &e), &e);
    CHECK_OK(add(g, "dense", in, -1, &a, &dn, &e), &e);
    CHECK_OK(nn_graph_output(g, dn, &e), &e);
    CHECK_OK(input(g, "target", 1, &t, &e), &e);
    CHECK_OK(add(g, "mse", dn, t, NULL, &l, &e), &e);
    CHECK_OK(nn_graph_set_loss(g, l, &e), &e);
    CHECK_OK(tn_zeros(sx, 2, &tx, &e), &e);
    CHECK_OK(tn_zeros(sy, 2, &ty, &e), &e);
    for (int i = 0; i < 8; i++) {
        tn_data(tx)[2 * i] = (float)i / 8;
        tn_data(tx)[2 * i + 1] = nan && i == 2 ? NAN : 1.0f - (float)i / 8;
        tn_data(ty)[i] = (float)(i % 3);
    }
    memset(&d, 0, sizeof d);
    d.nx = d.ny = 1;
    d.x[0] = tx;
    d.y[0] = ty;
    nn_optim_init(&opt, NN_SGD);
    memset(s->kinds, 0, sizeof s->kinds);
    if (e.code == MN_OK) {
        CHECK_OK(nn_fit(g, &d, NULL, &opt, o, &hook, &h, &e), &e);
        why = h.stop;
        CHECK(h.stopped_early == (why != NN_STOP_DONE));
        nn_history_free(&h);
    }
    nn_optim_reset(&opt);
    tn_free(tx);
    tn_free(ty);
    nn_graph_free(g);
    return why;
}

static void train_stop_and_kinds(void) {                 /* train-3.1 */
    nn_FitOpts o;
    Seen s;
    char path[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/moneta-test-nn-train-%ld.mdl", tmp && *tmp ? tmp : "/tmp",
             (long)getpid());

    /* completed: the end record is good */
    nn_fit_opts_init(&o);
    o.epochs = 2, o.batch = 4, o.arch = "";
    memset(&s, 0, sizeof s);
    CHECK(fit_seen(&o, 0, &s) == NN_STOP_DONE);
    CHECK(s.nev == 1 && s.kinds[0] == MN_EV_GOOD && strcmp(s.msgs[0], "completed") == 0);

    /* a checkpoint asked for by the listener: written (good) ... */
    o.checkpoint_now = path;
    memset(&s, 0, sizeof s);
    s.want = MN_PROG_CHECKPOINT;
    CHECK(fit_seen(&o, 0, &s) == NN_STOP_DONE);
    CHECK(s.nev == 2 && s.kinds[0] == MN_EV_GOOD && strstr(s.msgs[0], "checkpoint written"));
    CHECK(access(path, F_OK) == 0);
    unlink(path);
    /* ... failed (bad, and training goes on) ... */
    o.checkpoint_now = "/nonexistent-moneta-dir/x.mdl";
    memset(&s, 0, sizeof s);
    s.want = MN_PROG_CHECKPOINT;
    CHECK(fit_seen(&o, 0, &s) == NN_STOP_DONE);
    CHECK(s.nev == 2 && s.kinds[0] == MN_EV_BAD && strstr(s.msgs[0], "checkpoint failed"));
    CHECK(s.kinds[1] == MN_EV_GOOD);
    /* ... or nowhere to write (warn) */
    o.checkpoint_now = NULL;
    memset(&s, 0, sizeof s);
    s.want = MN_PROG_CHECKPOINT;
    CHECK(fit_seen(&o, 0, &s) == NN_STOP_DONE);
    CHECK(s.nev == 2 && s.kinds[0] == MN_EV_WARN && strstr(s.msgs[0], "no checkpoint path"));

    /* the listener stops at batch 1: warn, and the reason says where */
    memset(&s, 0, sizeof s);
    s.want = MN_PROG_STOP;
    CHECK(fit_seen(&o, 0, &s) == NN_STOP_LISTENER);
    CHECK(s.nev == 1 && s.kinds[0] == MN_EV_WARN &&
          strcmp(s.msgs[0], "stopped by the progress listener at epoch 1, batch 1 of 2") == 0);

    /* ... or before the first batch: no end record */
    memset(&s, 0, sizeof s);
    s.stop_at_begin = 1;
    CHECK(fit_seen(&o, 0, &s) == NN_STOP_LISTENER);
    CHECK(s.nev == 0);

    /* early stopping (min_delta too large to ever improve after epoch 1): warn */
    o.epochs = 20, o.early_stop = 1, o.patience = 2, o.min_delta = 1e9;
    memset(&s, 0, sizeof s);
    CHECK(fit_seen(&o, 0, &s) == NN_STOP_EARLY);
    CHECK(s.nev == 1 && s.kinds[0] == MN_EV_WARN && strstr(s.msgs[0], "early stopping: loss"));

    /* a NaN loss at the third row, batch 1 (rows 1-4): bad */
    nn_fit_opts_init(&o);
    o.epochs = 2, o.batch = 4, o.shuffle = 0;
    memset(&s, 0, sizeof s);
    CHECK(fit_seen(&o, 1, &s) == NN_STOP_NAN);
    CHECK(s.nev == 1 && s.kinds[0] == MN_EV_BAD &&
          strstr(s.msgs[0], "loss is NaN at epoch 1, batch 1 of 2"));
}

int main(void) {
    RUN(train_grad_pointwise);
    RUN(train_grad_dropout_batchnorm);
    RUN(train_grad_binary);
    RUN(train_grad_losses);
    RUN(train_grad_embedding);
    RUN(train_grad_custom_loss);
    RUN(train_epoch_reference);
    RUN(train_stop_and_kinds);
    return CHECK_DONE();
}
