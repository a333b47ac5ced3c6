/* test_nn.c -- the nn layer from C: finite-difference gradient checks for every op, layer and
** loss; optimizer steps against hand-computed updates; XOR; reproducibility; model files;
** shape errors naming the layer; Ctrl-C through the progress hook. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "core/interrupt.h"
#include "core/mem.h"
#include "core/rng.h"
#include "nn/file.h"
#include "nn/graph.h"
#include "nn/nn_int.h"
#include "nn/optim.h"
#include "nn/train.h"

#define BATCH 5

/* Scratch files in $TMPDIR (or /tmp), named by the process, whatever the build folder. */
static const char *tmp_path(char *buf, size_t n, const char *ext) {
    const char *d = getenv("TMPDIR");
    snprintf(buf, n, "%s/moneta-test-nn-%ld.%s", d && *d ? d : "/tmp", (long)getpid(), ext);
    return buf;
}
static char mdl_buf[512], st_buf[512];
static const char *mdl_path(void) { return tmp_path(mdl_buf, sizeof mdl_buf, "mdl"); }
static const char *st_path(void) { return tmp_path(st_buf, sizeof st_buf, "safetensors"); }

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

/* The gradient checks of every op are in test_nn_train.c (train-1.x): central differences
** with Richardson extrapolation at 1e-3, which a 3% error in a backward fails. */

/* ---- optimizers against hand-computed updates ---- */

static void nn_optim_hand(void) {                         /* nn-2.1 */
    mn_Err e = {0};
    nn_Optim o;
    float p[1], g[1];
    /* SGD, lr 0.1: p = 1 - 0.1 * 0.5 = 0.95 */
    nn_optim_init(&o, NN_SGD);
    p[0] = 1;
    g[0] = 0.5f;
    CHECK_OK(nn_optim_step(&o, p, g, 1, 0.1, &e), &e);
    CHECK_NEAR(p[0], 0.95, 1e-6);
    nn_optim_reset(&o);
    /* SGD momentum 0.9: step 1 buf = g = 0.5, p = 1 - 0.05 = 0.95; step 2 (g 0.5)
    ** buf = 0.9*0.5 + 0.5 = 0.95, p = 0.95 - 0.095 = 0.855 */
    nn_optim_init(&o, NN_SGD);
    o.momentum = 0.9;
    p[0] = 1;
    g[0] = 0.5f;
    CHECK_OK(nn_optim_step(&o, p, g, 1, 0.1, &e), &e);
    g[0] = 0.5f;
    CHECK_OK(nn_optim_step(&o, p, g, 1, 0.1, &e), &e);
    CHECK_NEAR(p[0], 0.855, 1e-6);
    nn_optim_reset(&o);
    /* Nesterov: step 1 buf = 0.5, update g + 0.9 buf = 0.95, p = 1 - 0.095 = 0.905 */
    nn_optim_init(&o, NN_SGD);
    o.momentum = 0.9;
    o.nesterov = 1;
    p[0] = 1;
    g[0] = 0.5f;
    CHECK_OK(nn_optim_step(&o, p, g, 1, 0.1, &e), &e);
    CHECK_NEAR(p[0], 0.905, 1e-6);
    nn_optim_reset(&o);
    /* Adam lr 0.1, step 1, g = 0.5: m = 0.05, v = 0.00025, mhat = 0.5, vhat = 0.25,
    ** p = 1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.9 */
    nn_optim_init(&o, NN_ADAM);
    p[0] = 1;
    g[0] = 0.5f;
    CHECK_OK(nn_optim_step(&o, p, g, 1, 0.1, &e), &e);
    CHECK_NEAR(p[0], 0.9, 1e-6);
    /* step 2, g = -0.5: m = 0.045 - 0.05 = -0.005, v = 0.00024975 + 0.00025 = 0.00049975,
    ** mhat = -0.005/0.19 = -0.0263158, vhat = 0.00049975/0.001999 = 0.25, sqrt 0.5;
    ** p = 0.9 + 0.1 * 0.0263158 / 0.5 = 0.9052632 */
    g[0] = -0.5f;
    CHECK_OK(nn_optim_step(&o, p, g, 1, 0.1, &e), &e);
    CHECK_NEAR(p[0], 0.9052632, 1e-5);
    nn_optim_reset(&o);
    /* AdamW lr 0.1, wd 0.1: p = 1 * (1 - 0.01) = 0.99, then - 0.1 * 1 = 0.89 */
    nn_optim_init(&o, NN_ADAMW);
    o.weight_decay = 0.1;
    p[0] = 1;
    g[0] = 0.5f;
    CHECK_OK(nn_optim_step(&o, p, g, 1, 0.1, &e), &e);
    CHECK_NEAR(p[0], 0.89, 1e-6);
    nn_optim_reset(&o);
    /* Adam with L2 weight decay 0.1: g = 0.5 + 0.1 * 1 = 0.6 (written back, as optim.h
    ** says); the first Adam step moves by lr whatever the gradient, so p = 0.9. Step 2,
    ** g = -0.5 + 0.1 * 0.9 = -0.41: m = 0.054 - 0.041 = 0.013, v = 0.00035964 + 0.0001681 =
    ** 0.00052774, mhat = 0.0684211, sqrt(vhat) = 0.5138113, p = 0.9 - 0.0133164 = 0.8866836
    ** (0.9052632 without decay) */
    nn_optim_init(&o, NN_ADAM);
    o.weight_decay = 0.1;
    p[0] = 1;
    g[0] = 0.5f;
    CHECK_OK(nn_optim_step(&o, p, g, 1, 0.1, &e), &e);
    CHECK_NEAR(g[0], 0.6, 1e-6);
    CHECK_NEAR(p[0], 0.9, 1e-6);
    g[0] = -0.5f;
    CHECK_OK(nn_optim_step(&o, p, g, 1, 0.1, &e), &e);
    CHECK_NEAR(g[0], -0.41, 1e-6);
    CHECK_NEAR(p[0], 0.8866836, 1e-5);
    nn_optim_reset(&o);
    /* SGD with L2 weight decay 0.1, lr 0.1: g = 0.5 + 0.1 * 1 = 0.6, p = 1 - 0.06 = 0.94 */
    nn_optim_init(&o, NN_SGD);
    o.weight_decay = 0.1;
    p[0] = 1;
    g[0] = 0.5f;
    CHECK_OK(nn_optim_step(&o, p, g, 1, 0.1, &e), &e);
    CHECK_NEAR(g[0], 0.6, 1e-6);
    CHECK_NEAR(p[0], 0.94, 1e-6);
    nn_optim_reset(&o);
    /* RMSprop alpha 0.99, lr 0.01: v = 0.01 * 0.25 = 0.0025, p = 1 - 0.01 * 0.5 / 0.05 = 0.9 */
    nn_optim_init(&o, NN_RMSPROP);
    p[0] = 1;
    g[0] = 0.5f;
    CHECK_OK(nn_optim_step(&o, p, g, 1, 0.01, &e), &e);
    CHECK_NEAR(p[0], 0.9, 1e-5);
    nn_optim_reset(&o);
    /* Adagrad lr 0.1: v = 0.25, p = 1 - 0.1 * 0.5 / 0.5 = 0.9; step 2 g = 0.5:
    ** v = 0.5, p = 0.9 - 0.1 * 0.5 / 0.7071068 = 0.8292893 */
    nn_optim_init(&o, NN_ADAGRAD);
    p[0] = 1;
    g[0] = 0.5f;
    CHECK_OK(nn_optim_step(&o, p, g, 1, 0.1, &e), &e);
    CHECK_NEAR(p[0], 0.9, 1e-6);
    g[0] = 0.5f;
    CHECK_OK(nn_optim_step(&o, p, g, 1, 0.1, &e), &e);
    CHECK_NEAR(p[0], 0.8292893, 1e-6);
    nn_optim_reset(&o);
}

static void nn_clip_and_schedules(void) {                 /* nn-2.2 */
    float g[2] = {3, 4};
    nn_Sched s;
    /* norm 5, clipped to 1: (0.6, 0.8) */
    CHECK_NEAR(nn_clip_grad_norm(g, 2, 1.0), 5.0, 1e-9);
    CHECK_NEAR(g[0], 0.6, 1e-5);
    CHECK_NEAR(g[1], 0.8, 1e-5);
    nn_sched_init(&s, NN_SCHED_STEP);
    s.step_size = 2;
    s.gamma = 0.5;
    CHECK_NEAR(nn_sched_lr(&s, 1.0, 3, 10), 0.5, 1e-12);   /* epoch 3 // 2 = 1 */
    CHECK_NEAR(nn_sched_lr(&s, 1.0, 4, 10), 0.25, 1e-12);
    nn_sched_init(&s, NN_SCHED_EXP);
    s.gamma = 0.9;
    CHECK_NEAR(nn_sched_lr(&s, 1.0, 2, 10), 0.81, 1e-12);
    nn_sched_init(&s, NN_SCHED_COSINE);
    CHECK_NEAR(nn_sched_lr(&s, 1.0, 5, 10), 0.5, 1e-12);   /* (1 + cos(pi/2)) / 2 */
    nn_sched_init(&s, NN_SCHED_PLATEAU);
    s.patience = 1;
    s.factor = 0.5;
    CHECK_NEAR(nn_sched_plateau(&s, 1.0, 1.0), 1.0, 0);
    CHECK_NEAR(nn_sched_plateau(&s, 1.0, 1.0), 1.0, 0);    /* 1 bad epoch */
    CHECK_NEAR(nn_sched_plateau(&s, 1.0, 1.0), 0.5, 0);    /* 2 bad epochs > patience */
}

/* ---- training ---- */

static nn_Graph *xor_graph(mn_Err *e) {
    nn_Graph *g = NULL;
    nn_Attr a;
    int x, h, r, o, t, l;
    nn_graph_new(&g, e);
    input(g, "input", 2, &x, e);
    nn_attr_init(&a);
    a.units = 8;
    add(g, "dense", x, -1, &a, &h, e);
    add(g, "tanh", h, -1, NULL, &r, e);
    a.units = 1;
    add(g, "dense", r, -1, &a, &o, e);
    nn_graph_output(g, o, e);
    input(g, "target", 1, &t, e);
    add(g, "bce", o, t, NULL, &l, e);
    nn_graph_set_loss(g, l, e);
    return g;
}

static void xor_data(tn_Tensor **x, tn_Tensor **y) {
    static const float xv[] = {0, 0, 0, 1, 1, 0, 1, 1}, yv[] = {0, 1, 1, 0};
    int64_t sx[2] = {4, 2}, sy[2] = {4, 1};
    tn_from(xv, sx, 2, x, NULL);
    tn_from(yv, sy, 2, y, NULL);
}

static void nn_fit_xor(void) {                             /* nn-3.1 */
    mn_Err e = {0};
    nn_Graph *g = xor_graph(&e), *g2 = xor_graph(&e);
    tn_Tensor *x, *y, *pred = NULL, *pred2 = NULL;
    nn_Data d = {1, 1, {NULL}, {NULL}};
    nn_FitOpts o;
    nn_Optim opt;
    nn_History h;
    xor_data(&x, &y);
    d.x[0] = x;
    d.y[0] = y;
    nn_fit_opts_init(&o);
    o.epochs = 500;
    o.batch = 4;
    o.seed = 3;
    nn_optim_init(&opt, NN_ADAM);
    opt.lr = 0.05;
    CHECK_OK(nn_fit(g, &d, NULL, &opt, &o, NULL, &h, &e), &e);
    CHECK(h.nepochs == 500);
    CHECK(strcmp(h.reason, "completed") == 0);
    CHECK_OK(nn_predict(g, &d, 0, NN_POST_LABEL01, &pred, &e), &e);
    for (int i = 0; pred && i < 4; i++)
        CHECK(tn_data(pred)[i] == tn_data(y)[i]);
    nn_history_free(&h);
    /* same seed, same weights */
    nn_optim_reset(&opt);
    CHECK_OK(nn_fit(g2, &d, NULL, &opt, &o, NULL, &h, &e), &e);
    {
        int64_t n1, n2;
        float *p1 = nn_graph_params(g, &n1), *p2 = nn_graph_params(g2, &n2);
        CHECK(n1 == n2 && memcmp(p1, p2, (size_t)n1 * sizeof *p1) == 0);
    }
    nn_history_free(&h);
    /* save, load into a fresh graph: identical predictions */
    {
        nn_Graph *g3 = xor_graph(&e);
        nn_ModelFile mf;
        CHECK_OK(nn_model_write(mdl_path(), g, NULL, "blob", 4, &e), &e);   /* g's own arch */
        CHECK_OK(nn_model_read(mdl_path(), &mf, &e), &e);
        CHECK(strncmp(mf.arch, "moneta.nn.arch 1\n", 17) == 0 && mf.prep_len == 4);
        CHECK_OK(nn_graph_compile(g3, 4, 99, &e), &e);
        CHECK_OK(nn_model_load_weights(g3, &mf, &e), &e);
        CHECK_OK(nn_predict(g3, &d, 0, NN_POST_NONE, &pred2, &e), &e);
        tn_free(pred);
        pred = NULL;
        CHECK_OK(nn_predict(g, &d, 0, NN_POST_NONE, &pred, &e), &e);
        CHECK(memcmp(tn_data(pred), tn_data(pred2), 4 * sizeof(float)) == 0);
        nn_model_file_free(&mf);
        nn_graph_free(g3);
        CHECK_OK(nn_export_safetensors(st_path(), g, &e), &e);
    }
    nn_optim_reset(&opt);
    tn_free(pred);
    tn_free(pred2);
    tn_free(x);
    tn_free(y);
    nn_graph_free(g);
    nn_graph_free(g2);
}

static double *series_of(const nn_History *h, const char *name) {
    for (int i = 0; i < h->nseries; i++)
        if (strcmp(h->names[i], name) == 0)
            return h->series[i];
    return NULL;
}

/* The plateau schedule's state lives in the fit: the same options twice give the same
** learning rates (they once stayed reduced in the caller's nn_FitOpts). */
static void nn_fit_plateau_twice(void) {                   /* nn-3.3 */
    mn_Err e = {0};
    tn_Tensor *x, *y;
    nn_Data d = {1, 1, {NULL}, {NULL}};
    nn_FitOpts o;
    nn_Optim opt;
    nn_History h1, h2;
    double *lr1, *lr2;
    xor_data(&x, &y);
    d.x[0] = x;
    d.y[0] = y;
    nn_fit_opts_init(&o);
    o.epochs = 12;
    o.batch = 4;
    o.seed = 5;
    nn_sched_init(&o.sched, NN_SCHED_PLATEAU);
    o.sched.patience = 1;
    o.sched.factor = 0.5;
    o.sched.threshold = 0.5;         /* nearly every epoch is "no improvement" */
    for (int run = 0; run < 2; run++) {
        nn_Graph *g = xor_graph(&e);
        nn_optim_init(&opt, NN_ADAM);
        opt.lr = 0.05;
        CHECK_OK(nn_fit(g, &d, NULL, &opt, &o, NULL, run ? &h2 : &h1, &e), &e);
        nn_optim_reset(&opt);
        nn_graph_free(g);
    }
    lr1 = series_of(&h1, "lr");
    lr2 = series_of(&h2, "lr");
    CHECK(lr1 != NULL && lr2 != NULL);
    if (lr1 == NULL || lr2 == NULL)
        return;
    CHECK(h1.nepochs == 12 && h2.nepochs == 12);
    CHECK_NEAR(lr1[0], 0.05, 0);
    CHECK(lr1[11] < 0.05 / 4);                             /* the schedule did cut it */
    for (int i = 0; i < 12; i++)
        CHECK_NEAR(lr2[i], lr1[i], 0);
    CHECK(o.sched.cur == 0 && o.sched.bad == 0 && isinf(o.sched.best));
    nn_history_free(&h1);
    nn_history_free(&h2);
    tn_free(x);
    tn_free(y);
}

/* The fit's val_auc: ties count 1/2, one class gives NaN. */
static void nn_auc_ties(void) {                            /* nn-3.4 */
    static const float s[] = {0.5f, 0.5f, 0.2f, 0.9f}, y[] = {1, 0, 0, 1}, y1[] = {1, 1, 1, 1};
    static const float s2[] = {0.1f, 0.4f, 0.35f, 0.8f}, y2[] = {0, 0, 1, 1};
    mn_Err e = {0};
    CHECK_NEAR(nn_auc(s, y, 4, &e), 0.875, 1e-12);
    CHECK_NEAR(nn_auc(s2, y2, 4, &e), 0.75, 1e-12);          /* scikit-learn's example */
    CHECK(isnan(nn_auc(s, y1, 4, &e)));
    CHECK(e.code == MN_OK);
}

/* predict()'s post-processing (the ops' kernels) against double-precision references. */
static void nn_predict_post(void) {                        /* nn-3.5 */
    mn_Err e = {0};
    nn_Graph *g = NULL;
    nn_Attr a;
    int x, h;
    int64_t sx[2] = {7, 4};
    tn_Tensor *X = NULL, *raw = NULL, *sm = NULL, *am = NULL, *sg = NULL;
    nn_Data d = {1, 0, {NULL}, {NULL}};
    mn_Rng r;
    CHECK_OK(nn_graph_new(&g, &e), &e);
    CHECK_OK(input(g, "input", 4, &x, &e), &e);
    nn_attr_init(&a);
    a.units = 3;
    CHECK_OK(add(g, "dense", x, -1, &a, &h, &e), &e);
    CHECK_OK(nn_graph_output(g, h, &e), &e);
    CHECK_OK(nn_graph_compile(g, 4, 3, &e), &e);           /* 7 rows: two chunks */
    CHECK_OK(tn_zeros(sx, 2, &X, &e), &e);
    mn_rng_seed(&r, 4);
    for (int i = 0; i < 28; i++)
        tn_data(X)[i] = (float)(5.0 * mn_rng_normal(&r));
    d.x[0] = X;
    CHECK_OK(nn_predict(g, &d, 0, NN_POST_NONE, &raw, &e), &e);
    CHECK_OK(nn_predict(g, &d, 0, NN_POST_SOFTMAX, &sm, &e), &e);
    CHECK_OK(nn_predict(g, &d, 0, NN_POST_ARGMAX, &am, &e), &e);
    CHECK_OK(nn_predict(g, &d, 0, NN_POST_SIGMOID, &sg, &e), &e);
    for (int i = 0; raw && sm && am && sg && i < 7; i++) {
        const float *q = tn_data(raw) + 3 * i;
        double m = fmax(q[0], fmax(q[1], q[2])), z = 0;
        int best = q[1] > q[0] ? 1 : 0;
        best = q[2] > q[best] ? 2 : best;
        for (int j = 0; j < 3; j++)
            z += exp((double)q[j] - m);
        for (int j = 0; j < 3; j++) {
            CHECK_NEAR(tn_data(sm)[3 * i + j], exp((double)q[j] - m) / z, 1e-6);
            CHECK_NEAR(tn_data(sg)[3 * i + j], 1.0 / (1.0 + exp(-(double)q[j])), 1e-6);
        }
        CHECK_NEAR(tn_data(am)[i], best, 0);
    }
    CHECK_NEAR(nn__sigmoid(-200.0f), 0.0, 0);             /* no overflow either way */
    CHECK_NEAR(nn__sigmoid(200.0f), 1.0, 0);
    tn_free(X), tn_free(raw), tn_free(sm), tn_free(am), tn_free(sg);
    nn_graph_free(g);
}

/* safetensors of a deep net (a header of some kB): 8-byte length, JSON padded to 8, then
** every parameter; an allocation failure while the header grows is MN_ENOMEM. */
static void nn_safetensors_header(void) {                  /* nn-3.6 */
    mn_Err e = {0};
    nn_Graph *g = NULL;
    nn_Attr a;
    int h;
    int64_t np;
    FILE *f;
    unsigned char len8[8];
    uint64_t hlen = 0;
    long size;
    char *json;
    CHECK_OK(nn_graph_new(&g, &e), &e);
    CHECK_OK(input(g, "input", 3, &h, &e), &e);
    nn_attr_init(&a);
    a.units = 3;
    for (int i = 0; i < 60; i++)
        CHECK_OK(add(g, "dense", h, -1, &a, &h, &e), &e);
    CHECK_OK(nn_graph_output(g, h, &e), &e);
    CHECK_OK(nn_graph_compile(g, 2, 1, &e), &e);
    nn_graph_params(g, &np);
    CHECK(np == 60 * 12);
    mn_mem_fail_after(2);                                 /* ents, then the header's first */
    CHECK_FAIL(nn_export_safetensors(st_path(), g, &e), MN_ENOMEM, &e, "out of memory");
    mn_mem_fail_after(0);
    CHECK_OK(nn_export_safetensors(st_path(), g, &e), &e);
    f = fopen(st_path(), "rb");
    CHECK(f != NULL);
    if (f == NULL) {
        nn_graph_free(g);
        return;
    }
    CHECK(fread(len8, 1, 8, f) == 8);
    for (int i = 7; i >= 0; i--)
        hlen = hlen << 8 | len8[i];
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    CHECK(hlen % 8 == 0 && hlen > 60 * 2 * 60);           /* 120 entries of ~80 bytes */
    CHECK((uint64_t)size == 8 + hlen + (uint64_t)np * 4);
    json = calloc(hlen + 1, 1);
    fseek(f, 8, SEEK_SET);
    CHECK(fread(json, 1, hlen, f) == hlen);
    fclose(f);
    CHECK(strncmp(json, "{\"__metadata__\":", 15) == 0);
    CHECK(strstr(json, "\"dense_60.bias\":{\"dtype\":\"F32\",\"shape\":[3],"
                       "\"data_offsets\":[2868,2880]}}") != NULL);
    free(json);
    remove(st_path());
    nn_graph_free(g);
}

static void nn_model_file_corrupt(void) {                  /* nn-3.2 */
    mn_Err e = {0};
    nn_ModelFile mf;
    FILE *f = fopen(mdl_path(), "r+b");
    CHECK(f != NULL);
    if (f == NULL)
        return;
    fseek(f, 60, SEEK_SET);
    fputc('Z', f);
    fclose(f);
    CHECK_FAIL(nn_model_read(mdl_path(), &mf, &e), MN_EPARSE, &e, "checksum");
    CHECK_FAIL(nn_model_read("/nonexistent/no-such.mdl", &mf, &e), MN_EIO, &e, "no-such.mdl");
    remove(mdl_path());
    remove(st_path());
}

static void nn_shape_errors(void) {                        /* nn-4.1 */
    mn_Err e = {0};
    nn_Graph *g = NULL;
    nn_Attr a;
    int x, h, in[1];
    tn_Tensor *t;
    int64_t s[2] = {3, 19};
    nn_graph_new(&g, &e);
    input(g, "input", 20, &x, &e);
    nn_attr_init(&a);
    a.units = 64;
    in[0] = x;
    CHECK_OK(nn_graph_add(g, "dense", in, 1, &a, "dense(64) #1", &h, &e), &e);
    CHECK_OK(nn_graph_output(g, h, &e), &e);
    CHECK_OK(nn_graph_compile(g, 8, 1, &e), &e);
    tn_zeros(s, 2, &t, &e);
    CHECK_FAIL(nn_graph_check_feed(g, x, t, &e), MN_ESHAPE, &e,
               "dense(64) #1: input has 19 features, expected 20");
    {   /* concat of incompatible shapes names the layer and shapes */
        nn_Graph *g2 = NULL;
        int x1, x2, c, ins[2];
        nn_Attr b;
        nn_graph_new(&g2, &e);
        nn_attr_init(&b);
        b.ndim = 2;
        b.shape[0] = 3;
        b.shape[1] = 2;
        nn_graph_add(g2, "input", NULL, 0, &b, "x1", &x1, &e);
        input(g2, "input", 4, &x2, &e);
        ins[0] = x1;
        ins[1] = x2;
        CHECK_FAIL(nn_graph_add(g2, "concat", ins, 2, NULL, "concat #3", &c, &e), MN_ESHAPE,
                   &e, "concat #3: input 2 has shape (4,), not compatible with (3, 2)");
        b.p = 1.5;
        CHECK_FAIL(nn_graph_add(g2, "dropout", ins, 1, &b, "dropout(1.5) #3", &c, &e),
                   MN_EARG, &e, "dropout(1.5) #3: p must be in [0, 1)");
        nn_graph_free(g2);
    }
    tn_free(t);
    nn_graph_free(g);
}

static int stop_at_batch_3(void *ud, const mn_Progress *p) {
    (void)ud;
    if (strcmp(p->phase, "batch") == 0 && p->step == 3)
        mn_interrupt_set();                               /* as Ctrl-C would */
    return MN_PROG_GO;
}

/* A listener that stops the loop at batch 3, as the monitor does on Ctrl-C (ud != NULL: the
** interrupt flag is set first) or on its own 'q' key (ud == NULL). */
static int listener_stops_at_batch_3(void *ud, const mn_Progress *p) {
    if (strcmp(p->phase, "batch") != 0 || p->step != 3)
        return MN_PROG_GO;
    if (ud != NULL)
        mn_interrupt_set();
    return MN_PROG_STOP;
}

/* Stops after epoch 2, with the interrupt flag set when ud != NULL. */
static int listener_stops_after_epoch_2(void *ud, const mn_Progress *p) {
    if (strcmp(p->phase, "epoch") != 0 || p->epoch != 2)
        return MN_PROG_GO;
    if (ud != NULL)
        mn_interrupt_set();
    return MN_PROG_STOP;
}

static void nn_fit_interrupt_and_nan(void) {               /* nn-4.2 */
    mn_Err e = {0};
    nn_Graph *g = xor_graph(&e);
    tn_Tensor *x, *y;
    nn_Data d = {1, 1, {NULL}, {NULL}};
    nn_FitOpts o;
    nn_Optim opt;
    nn_History h;
    mn_Hook hook = {stop_at_batch_3, NULL, 1e-9, 0};
    xor_data(&x, &y);
    d.x[0] = x;
    d.y[0] = y;
    nn_fit_opts_init(&o);
    o.epochs = 5;
    o.batch = 1;
    nn_optim_init(&opt, NN_ADAM);
    CHECK_OK(nn_fit(g, &d, NULL, &opt, &o, &hook, &h, &e), &e);
    CHECK(h.stopped_early);
    CHECK(h.interrupted == 1);
    CHECK(strstr(h.reason, "interrupted at epoch 1, batch 4") != NULL);
    mn_interrupt_clear();
    nn_history_free(&h);
    /* a listener's stop is Ctrl-C only when the flag is set: mid-epoch ... */
    hook.fn = listener_stops_at_batch_3;
    hook.ud = &hook;
    CHECK_OK(nn_fit(g, &d, NULL, &opt, &o, &hook, &h, &e), &e);
    CHECK(h.stopped_early && h.interrupted == 1);
    CHECK(strstr(h.reason, "interrupted at epoch 1, batch 3") != NULL);
    mn_interrupt_clear();
    nn_history_free(&h);
    hook.ud = NULL;
    CHECK_OK(nn_fit(g, &d, NULL, &opt, &o, &hook, &h, &e), &e);
    CHECK(h.stopped_early && h.interrupted == 0);
    CHECK(strstr(h.reason, "stopped by the progress listener at epoch 1, batch 3") != NULL);
    nn_history_free(&h);
    /* ... and after an epoch */
    hook.fn = listener_stops_after_epoch_2;
    hook.ud = &hook;
    CHECK_OK(nn_fit(g, &d, NULL, &opt, &o, &hook, &h, &e), &e);
    CHECK(h.stopped_early && h.interrupted == 1 && h.nepochs == 2);
    CHECK(strstr(h.reason, "interrupted after epoch 2") != NULL);
    mn_interrupt_clear();
    nn_history_free(&h);
    hook.ud = NULL;
    CHECK_OK(nn_fit(g, &d, NULL, &opt, &o, &hook, &h, &e), &e);
    CHECK(h.stopped_early && h.interrupted == 0 && h.nepochs == 2);
    CHECK(strstr(h.reason, "stopped by the progress listener after epoch 2") != NULL);
    nn_history_free(&h);
    /* NaN in the data: the loss is NaN at the first batch with it */
    tn_data(x)[4] = NAN;
    o.shuffle = 0;
    CHECK_OK(nn_fit(g, &d, NULL, &opt, &o, NULL, &h, &e), &e);
    CHECK(strstr(h.reason, "loss is NaN at epoch 1, batch 3 of 4") != NULL);
    CHECK(h.stopped_early && h.interrupted == 0);
    nn_history_free(&h);
    nn_optim_reset(&opt);
    tn_free(x);
    tn_free(y);
    nn_graph_free(g);
}

/* The layers' SGEMM (degenerate shapes as loops, the rest OpenBLAS, halves on the worker
** thread) against the reference kernel. The last three shapes reach the split (M*N*K >=
** NN_SPLIT_MIN, 4M): rows when M >= N (256x256x64, odd 255x129x191), columns otherwise
** (128x256x128, odd 129x255x191). */
static void nn_gemm_paths(void) {                         /* nn-5.1 */
    static const int shapes[][3] = {{256, 1, 32}, {1, 32, 256}, {256, 32, 1}, {37, 29, 23},
                                    {256, 64, 20}, {64, 20, 256}, {256, 256, 64},
                                    {128, 256, 128}, {255, 129, 191}, {129, 255, 191}};
    const int nshapes = (int)(sizeof shapes / sizeof shapes[0]);
    mn_Err e = {0};
    nn_Graph *g = NULL;
    mn_Rng r;
    float *A = malloc(sizeof(float) * 256 * 256), *B = malloc(sizeof(float) * 256 * 256);
    float *C1 = malloc(sizeof(float) * 256 * 256), *C2 = malloc(sizeof(float) * 256 * 256);
    CHECK_OK(nn_graph_new(&g, &e), &e);
    mn_rng_seed(&r, 2);
    for (int i = 0; i < 256 * 256; i++) {
        A[i] = (float)mn_rng_normal(&r);
        B[i] = (float)mn_rng_normal(&r);
    }
    for (int pool = 0; pool < 2; pool++) {
        if (pool)
            CHECK(nn__pool_start(g, 2) == 1);
        for (int s = 0; s < nshapes; s++)
            for (int ta = 0; ta < 2; ta++)
                for (int tb = 0; tb < 2; tb++) {
                    int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
                    int lda = ta ? M : K, ldb = tb ? K : N;
                    double worst = 0;
                    for (int i = 0; i < M * N; i++)
                        C1[i] = C2[i] = 0.5f;
                    nn__sgemm(g, ta, tb, M, N, K, 1.0f, A, lda, B, ldb, 1.0f, C1, N);
                    tn_sgemm_naive(ta, tb, M, N, K, 1.0f, A, lda, B, ldb, 1.0f, C2, N);
                    for (int i = 0; i < M * N; i++)
                        worst = fmax(worst, fabs((double)C1[i] - (double)C2[i]));
                    CHECK(worst < 1e-3);
                }
    }
    nn_graph_free(g);                                     /* stops the worker */
    free(A), free(B), free(C1), free(C2);
}

int main(void) {
    RUN(nn_gemm_paths);
    RUN(nn_optim_hand);
    RUN(nn_clip_and_schedules);
    RUN(nn_fit_xor);
    RUN(nn_model_file_corrupt);
    RUN(nn_fit_plateau_twice);
    RUN(nn_auc_ties);
    RUN(nn_predict_post);
    RUN(nn_safetensors_header);
    RUN(nn_shape_errors);
    RUN(nn_fit_interrupt_and_nan);
    return CHECK_DONE();
}
