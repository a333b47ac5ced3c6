/* test_nn_file.c -- a net's model file without Lua: graph -> file -> nn_model_open -> the same
** predictions; the architecture text (round trip, malformed texts with positions, limits);
** crafted files refused fast; a corrupt checksum; and the version-1 fixtures in tests/data. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "core/mem.h"
#include "core/mfile.h"
#include "nn/arch.h"
#include "nn/file.h"
#include "nn/graph.h"

static char path_buf[512];
static const char *path(void) {
    const char *d = getenv("TMPDIR");
    snprintf(path_buf, sizeof path_buf, "%s/moneta-test-nnfile-%ld.mdl", d && *d ? d : "/tmp",
             (long)getpid());
    return path_buf;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int add1(nn_Graph *g, const char *op, const int *in, int nin, const nn_Attr *a,
                int *id, mn_Err *e) {
    return nn_graph_add(g, op, in, nin, a, op, id, e);
}

/* input(3) -> dense(4) -> {leaky_relu(0.2), elu(0.5)} -> concat -> batchnorm -> dense(2)
** -> scale(0.5): every renamed attribute, state (batchnorm) and two parameter layers. */
static nn_Graph *build(mn_Err *e) {
    nn_Graph *g = NULL;
    nn_Attr a;
    int x, h, l, el, c, bn, d, s, in[2];
    CHECK_OK(nn_graph_new(&g, e), e);
    nn_attr_init(&a);
    a.ndim = 1;
    a.shape[0] = 3;
    CHECK_OK(add1(g, "input", NULL, 0, &a, &x, e), e);
    nn_attr_init(&a);
    a.units = 4;
    CHECK_OK(add1(g, "dense", &x, 1, &a, &h, e), e);
    nn_attr_init(&a);
    a.slope = 0.2;
    CHECK_OK(add1(g, "leaky_relu", &h, 1, &a, &l, e), e);
    nn_attr_init(&a);
    a.alpha = 0.5;
    CHECK_OK(add1(g, "elu", &h, 1, &a, &el, e), e);
    in[0] = l;
    in[1] = el;
    CHECK_OK(add1(g, "concat", in, 2, NULL, &c, e), e);
    nn_attr_init(&a);
    a.eps = 1e-3;
    CHECK_OK(add1(g, "batchnorm", &c, 1, &a, &bn, e), e);
    nn_attr_init(&a);
    a.units = 2;
    strcpy(a.init, "glorot");
    CHECK_OK(add1(g, "dense", &bn, 1, &a, &d, e), e);
    nn_attr_init(&a);
    a.scale = 0.5;
    CHECK_OK(add1(g, "scale", &d, 1, &a, &s, e), e);
    CHECK_OK(nn_graph_output(g, s, e), e);
    return g;
}

/* Predictions of output 0 for B rows of x (F per row), in evaluation mode, into y. */
static void predict(nn_Graph *g, const float *x, int64_t B, int64_t F, float *y, int64_t ny,
                    mn_Err *e) {
    tn_Tensor *t = NULL;
    int64_t shape[2] = {B, F};
    CHECK_OK(tn_from(x, shape, 2, &t, e), e);
    nn_graph_set_training(g, 0);
    CHECK_OK(nn_graph_feed(g, nn_graph_input_id(g, 0), t, NULL, 0, B, e), e);
    nn_graph_forward(g, B, 0);
    memcpy(y, nn_graph_buffer(g, nn_graph_output_id(g, 0)), (size_t)(B * ny) * sizeof *y);
    tn_free(t);
}

static const float X[4 * 3] = {0.5f, -1, 2, 1, 0.25f, -0.5f, -1.5f, 1, 0, 2, -2, 0.5f};

static void nnfile_round_trip(void) {                     /* nnfile-1.1 */
    mn_Err e = {0};
    nn_Graph *g = build(&e), *g2 = NULL, *g3 = NULL;
    nn_ModelFile mf;
    nn_Arch a;
    float y1[8], y2[8], y3[8], *st;
    int64_t np, ns;
    CHECK_OK(nn_graph_compile(g, 4, 17, &e), &e);
    st = nn_graph_state(g, &ns);
    for (int64_t i = 0; i < ns; i++)             /* running stats away from the 0/1 start */
        st[i] = 0.25f * (float)(i + 1);
    CHECK_OK(nn_graph_prune(g, 0.25, 1, &e), &e);
    predict(g, X, 4, 3, y1, 2, &e);
    CHECK_OK(nn_model_write(path(), g, NULL, "prep", 4, &e), &e);
    /* open: parse, build, count check, compile, weights */
    CHECK_OK(nn_model_open(path(), 8, &g2, &a, &mf, &e), &e);
    CHECK(mf.version == 2 && mf.prep_len == 4 && memcmp(mf.prep, "prep", 4) == 0);
    CHECK(a.nnodes == 8 && a.noutputs == 1 && a.outputs[0] == 7 && a.ninputs == 1);
    CHECK(nn_graph_mask(g2) != NULL);
    predict(g2, X, 4, 3, y2, 2, &e);
    CHECK(memcmp(y1, y2, sizeof y1) == 0);       /* bit for bit: same weights, same kernels */
    /* the same by hand: nn_graph_from_arch on the text, then the stored weights */
    nn_arch_free(&a);
    CHECK_OK(nn_arch_parse(mf.arch, mf.arch_len, "arch", &a, &e), &e);
    CHECK_OK(nn_graph_from_arch(&a, &g3, &np, &ns, &e), &e);
    /* by hand: dense 3*4+4, dense 8*2+2, batchnorm 2*8 params and 2*8 running stats */
    CHECK(np == 16 + 18 + 16 && ns == 16);
    CHECK(np == mf.nparams && ns == mf.nstate);
    CHECK_OK(nn_graph_compile(g3, 4, 99, &e), &e);
    CHECK_OK(nn_model_load_weights(g3, &mf, &e), &e);
    predict(g3, X, 4, 3, y3, 2, &e);
    CHECK(memcmp(y1, y3, sizeof y1) == 0);
    nn_arch_free(&a);
    nn_model_file_free(&mf);
    nn_graph_free(g);
    nn_graph_free(g2);
    nn_graph_free(g3);
    remove(path());
}

/* The text, parsed and written again, is the same text (the writer's canonical form). */
static void nnfile_arch_text(void) {                      /* nnfile-1.2 */
    static const char *const text =
        "moneta.nn.arch 1\n"
        "model kind=sequential head=bce inputs=1\n"
        "node 0 input shape=30,4 label=\"input\"\n"
        "node 1 dense in=0 units=1 bias=false init=he act=relu label=\"dense \\\"1\\\" #1\"\n"
        "node 2 leaky_relu in=1 slope=0.125 label=\"leaky #2\"\n"
        "node 3 dropout in=2 p=0.25 label=\"d\"\n"
        "node 4 target shape=30,1 label=\"target 1\"\n"
        "node 5 quantile in=3,4 q=0.75 label=\"quantile\"\n"
        "node 6 huber in=3,4 delta=2 label=\"huber\"\n"
        "node 7 add in=5,6 label=\"loss sum\"\n"
        "output 3\n"
        "loss 7\n";
    mn_Err e = {0};
    nn_Arch a;
    char *out = NULL;
    size_t len = 0;
    nn_Graph *g = NULL;
    int64_t np = -1;
    CHECK_OK(nn_arch_parse(text, strlen(text), "t", &a, &e), &e);
    CHECK(strcmp(a.kind, "sequential") == 0 && strcmp(a.head, "bce") == 0 && a.loss == 7);
    CHECK(a.nodes[1].a.units == 1 && a.nodes[1].a.bias == 0 && strcmp(a.nodes[1].a.act, "relu")
          == 0 && strcmp(a.nodes[1].label, "dense \"1\" #1") == 0);
    CHECK(a.nodes[2].a.slope == 0.125 && a.nodes[5].a.q == 0.75 && a.nodes[6].a.delta == 2);
    CHECK(a.nodes[0].a.ndim == 2 && a.nodes[0].a.shape[0] == 30 && a.nodes[0].a.shape[1] == 4);
    CHECK_OK(nn_arch_write(&a, &out, &len, &e), &e);
    CHECK(out && strcmp(out, text) == 0);        /* the text was in the writer's form ... */
    {
        nn_Arch b;
        char *out2 = NULL;
        size_t len2 = 0;
        CHECK_OK(nn_arch_parse(out, len, "t2", &b, &e), &e);
        CHECK_OK(nn_arch_write(&b, &out2, &len2, &e), &e);
        CHECK(out2 && len2 == len && strcmp(out, out2) == 0);   /* ... which is a fixed point */
        mn_free(out2);
        nn_arch_free(&b);
    }
    CHECK_OK(nn_graph_from_arch(&a, &g, &np, NULL, &e), &e);
    CHECK(np == 4 * 1);                          /* dense(1) on 4 features, no bias */
    nn_graph_free(g);
    mn_free(out);
    nn_arch_free(&a);
}

/* Each malformed text fails with MN_EPARSE naming the line and column of the fault. */
static void nnfile_arch_errors(void) {                    /* nnfile-2.1 */
    static const struct { const char *text, *msg; } cases[] = {
        {"", "t: empty (expected 'moneta.nn.arch 1')"},
        {"moneta.nn.arch 2\n", "t:1:16: architecture version 2; this moneta reads version 1"},
        {"return {nodes = {}}\n", "t:1:1: expected 'moneta.nn.arch 1' (not an architecture)"},
        {"moneta.nn.arch 1\nnode 0 input shape=3\nnode 1 dense in=0 unitz=4\noutput 1\n",
         "t:3:19: unknown attribute 'unitz' for dense"},
        {"moneta.nn.arch 1\nnode 0 input shape=3\nnode 1 dense in=0 units=four\n",
         "t:3:25: expected an integer, got 'four'"},
        {"moneta.nn.arch 1\nnode 0 input shape=3\nnode 1 dense in=0 units=1099511627776\n",
         "t:3:25: 1099511627776 is out of range (1 to 16777216)"},
        {"moneta.nn.arch 1\nnode 0 input shape=3\nnode 2 relu in=0\n",
         "t:3:6: expected node 1 here"},
        {"moneta.nn.arch 1\nnode 0 input shape=3\nnode 1 relu in=1\n",
         "t:3:16: 1 is out of range (0 to 0)"},
        {"moneta.nn.arch 1\nnode 0 input shape=3\nnode 1 frobnicate in=0\n",
         "t:3:8: unknown op 'frobnicate'"},
        {"moneta.nn.arch 1\nnode 0 input shape=3 label=\"open\n",
         "t:2:28: unterminated string (label)"},
        {"moneta.nn.arch 1\nnode 0 input shape=3,\n", "t:2:22: expected an integer after ','"},
        {"moneta.nn.arch 1\nnode 0 input shape=3\nnode 1 elu in=0 alpha=nan\n",
         "t:3:23: expected a finite number, got 'nan'"},
        {"moneta.nn.arch 1\nnode 0 input shape=3\nnode 1 elu in=0 alpha=1 alpha=2\n",
         "t:3:25: attribute 'alpha' given twice"},
        {"moneta.nn.arch 1\nnode 0 input shape=3\nbogus 1\n",
         "t:3:1: expected a statement (model, node, output, loss), got 'bogus'"},
        {"moneta.nn.arch 1\nnode 0 input shape=3\noutput 0 extra\n",
         "t:3:10: expected the end of the line"},
        {"moneta.nn.arch 1\nnode 0 input shape=3\n", "t: no output line"},
        {"moneta.nn.arch 1\nmodel kind=recurrent\n",
         "t:2:12: kind must be sequential or functional, got 'recurrent'"},
        {"moneta.nn.arch 1\nnode 0 input shape=16777216,16777216\n",
         "t:2: node 0: a shape of more than 67108864 elements"},
        {"moneta.nn.arch 1\n# a comment\n\nnode 0 input shape=3 # trailing\nnode 1 dense in=0 "
         "units=2 init=magic\n", "t:5:32: unknown init 'magic'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mn_Err e = {0};
        nn_Arch a;
        int rc = nn_arch_parse(cases[i].text, strlen(cases[i].text), "t", &a, &e);
        if (rc != MN_EPARSE || strstr(e.msg, cases[i].msg) == NULL) {
            check_failures++;
            fprintf(stderr, "case %zu: rc %d, \"%s\", expected \"%s\"\n", i, rc, e.msg,
                    cases[i].msg);
        }
        CHECK(a.nnodes == 0 && a.nodes == NULL);  /* left empty on failure */
    }
}

/* A v2 container with kind "nn", 'arch' as options and 'np' parameters. */
static void craft(const char *arch, int64_t np) {
    mn_Err e = {0};
    mn_MFile f;
    float *p = calloc((size_t)np + 1, sizeof *p), s = 0;
    memset(&f, 0, sizeof f);
    strcpy(f.kind, "nn");
    f.kind_version = 1;
    f.options = (char *)arch;
    f.options_len = strlen(arch);
    f.arrays[0] = (mn_MArray){"params", MN_F32, np, p};
    f.arrays[1] = (mn_MArray){"state", MN_F32, 0, &s};
    f.narrays = 2;
    CHECK_OK(mn_mfile_write(path(), &f, &e), &e);
    free(p);
}

/* Crafted files (valid checksums) declaring huge architectures: refused at once. */
static void nnfile_crafted(void) {                        /* nnfile-3.1 */
    mn_Err e = {0};
    nn_Graph *g = NULL;
    nn_Arch a;
    nn_ModelFile mf;
    char *many;
    size_t n = 0;
    double t0 = now();
    /* dense(2^40): over the units limit, caught by the parser */
    craft("moneta.nn.arch 1\nnode 0 input shape=4\nnode 1 dense in=0 units=1099511627776\n"
          "output 1\n", 5);
    CHECK_FAIL(nn_model_open(path(), 256, &g, &a, &mf, &e), MN_EPARSE, &e,
               "architecture:3:25: 1099511627776 is out of range");
    /* within every limit, but 2^20 x 2^24 weights where the file holds 5 numbers: the count
    ** check refuses it before compile would allocate 64 TiB */
    craft("moneta.nn.arch 1\nnode 0 input shape=1048576\nnode 1 dense in=0 units=16777216\n"
          "output 1\n", 5);
    CHECK_FAIL(nn_model_open(path(), 256, &g, &a, &mf, &e), MN_ESHAPE, &e, "too large");
    craft("moneta.nn.arch 1\nnode 0 input shape=64\nnode 1 dense in=0 units=16777216\n"
          "output 1\n", 5);
    CHECK_FAIL(nn_model_open(path(), 256, &g, &a, &mf, &e), MN_EPARSE, &e,
               "declares 1090519040 parameters and 0 state values, the file holds 5 and 0");
    /* no parameters at all, but activations of 2^26 floats per sample in each of 8 nodes */
    craft("moneta.nn.arch 1\nnode 0 input shape=8192,8192\nnode 1 relu in=0\nnode 2 relu in=1\n"
          "node 3 relu in=2\nnode 4 relu in=3\nnode 5 relu in=4\noutput 5\n", 0);
    CHECK_FAIL(nn_model_open(path(), 256, &g, &a, &mf, &e), MN_ESHAPE, &e,
               "more than 268435456 values per sample");
    /* 5000 nodes: over the node limit */
    many = malloc(5000 * 32 + 64);
    n += (size_t)sprintf(many, "moneta.nn.arch 1\nnode 0 input shape=1\n");
    for (int i = 1; i < 5000; i++)
        n += (size_t)sprintf(many + n, "node %d relu in=%d\n", i, i - 1);
    sprintf(many + n, "output 1\n");
    craft(many, 0);
    free(many);
    CHECK_FAIL(nn_model_open(path(), 256, &g, &a, &mf, &e), MN_EPARSE, &e,
               "architecture:4098: node 4096: more than 4096 nodes");
    CHECK(now() - t0 < 1.0);                     /* all of the above, well under a second */
    /* a wrong kind, a checksum broken by one byte */
    {
        mn_MFile f;
        FILE *fp;
        memset(&f, 0, sizeof f);
        strcpy(f.kind, "ml.logistic");
        CHECK_OK(mn_mfile_write(path(), &f, &e), &e);
        CHECK_FAIL(nn_model_open(path(), 256, &g, &a, &mf, &e), MN_EARG, &e,
                   "a model of kind 'ml.logistic', not a neural network");
        craft("moneta.nn.arch 1\nnode 0 input shape=4\nnode 1 dense in=0 units=1\noutput 1\n",
              5);
        fp = fopen(path(), "r+b");
        CHECK(fp != NULL);
        if (fp) {
            fseek(fp, 100, SEEK_SET);
            fputc('#', fp);
            fclose(fp);
        }
        CHECK_FAIL(nn_model_open(path(), 256, &g, &a, &mf, &e), MN_EPARSE, &e,
                   "checksum mismatch");
    }
    /* the writer refuses an architecture that does not match the graph it saves */
    {
        nn_Graph *gg = build(&e);
        CHECK_OK(nn_graph_compile(gg, 4, 1, &e), &e);
        CHECK_FAIL(nn_model_write(path(), gg, "moneta.nn.arch 1\nnode 0 input shape=3\n"
                                  "node 1 dense in=0 units=2\noutput 1\n", NULL, 0, &e),
                   MN_ESHAPE, &e, "declares 8 parameters and 0 state values, the file holds "
                   "50 and 16");
        CHECK_FAIL(nn_model_write(path(), gg, "{arch}", NULL, 0, &e), MN_EPARSE, &e,
                   "architecture:1:1: expected 'moneta.nn.arch 1'");
        CHECK_OK(nn_model_write(path(), gg, "", NULL, 0, &e), &e);   /* "": g's own */
        CHECK_OK(nn_model_open(path(), 4, &g, &a, &mf, &e), &e);
        CHECK(a.nnodes == 8 && mf.nparams == 50);
        nn_graph_free(g);
        nn_arch_free(&a);
        nn_model_file_free(&mf);
        nn_graph_free(gg);
    }
    remove(path());
}

/* Hand forward of the v1 fixture's net (tests/data/nn/README.md) from its stored weights. */
static void hand_v1_functional(const float *p, const float *x, double *out) {
    double h[4], c[8], o = 0;
    for (int u = 0; u < 4; u++) {                /* dense(4): W (4, 3) row-major, then b */
        h[u] = p[12 + u];
        for (int f = 0; f < 3; f++)
            h[u] += (double)p[u * 3 + f] * (double)x[f];
    }
    for (int u = 0; u < 4; u++) {
        c[u] = h[u] > 0 ? h[u] : 0.2 * h[u];                 /* leaky_relu(0.2) */
        c[4 + u] = h[u] > 0 ? h[u] : 0.5 * (exp(h[u]) - 1);  /* elu(0.5) */
    }
    o = p[16 + 8];                               /* dense(1): W (1, 8), then b */
    for (int k = 0; k < 8; k++)
        o += (double)p[16 + k] * c[k];
    *out = 2 * o;                                /* * 2: the scale node */
}

static void nnfile_v1_fixtures(void) {                    /* nnfile-4.1 */
    mn_Err e = {0};
    nn_Graph *g = NULL;
    nn_Arch a;
    nn_ModelFile mf;
    float y[4];
    double want;
    CHECK_OK(nn_model_open("tests/data/nn/v1_functional.mdl", 4, &g, &a, &mf, &e), &e);
    if (g == NULL)
        return;
    CHECK(mf.version == 1 && mf.nparams == 25 && mf.nstate == 0 && mf.mask == NULL);
    CHECK(mf.prep_len == 12 && strcmp(mf.prep, "prep-blob-v1") == 0);
    CHECK(strcmp(a.kind, "functional") == 0 && strcmp(a.head, "bce") == 0);
    CHECK(a.nnodes == 7 && a.ninputs == 1 && a.noutputs == 1 && a.outputs[0] == 6);
    /* v1's one 'alpha' lands on each op's own name */
    CHECK(a.nodes[2].a.slope == 0.2 && isnan(a.nodes[2].a.alpha));
    CHECK(a.nodes[3].a.alpha == 0.5 && a.nodes[6].a.scale == 2);
    CHECK(strcmp(a.nodes[1].label, "dense(4) #1") == 0 && a.nodes[4].nin == 2);
    predict(g, X, 4, 3, y, 1, &e);
    for (int i = 0; i < 4; i++) {
        hand_v1_functional(mf.params, X + 3 * i, &want);
        CHECK_NEAR(y[i], want, 1e-5);
    }
    /* and the value the writing version printed for row 1 (predict_raw at save time) */
    CHECK_NEAR(y[0], 1.14984334, 1e-6);
    nn_graph_free(g);
    nn_arch_free(&a);
    nn_model_file_free(&mf);
    /* the sequential fixture: batchnorm state and a pruning mask */
    CHECK_OK(nn_model_open("tests/data/nn/v1_sequential.mdl", 4, &g, &a, &mf, &e), &e);
    if (g == NULL)
        return;
    /* by hand: dense 2*5+5, batchnorm 2*5 (+ 2*5 state), dense 5*2 without bias */
    CHECK(mf.nparams == 15 + 10 + 10 && mf.nstate == 10 && mf.mask != NULL);
    CHECK(strcmp(a.kind, "sequential") == 0 && strcmp(a.head, "mse") == 0);
    CHECK(strcmp(a.nodes[1].a.init, "glorot") == 0 && a.nodes[2].a.eps == 1e-3);
    CHECK(a.nodes[4].a.p == 0.1 && a.nodes[5].a.bias == 0);
    CHECK(nn_graph_mask(g) != NULL);
    nn_graph_free(g);
    nn_arch_free(&a);
    nn_model_file_free(&mf);
}

/* Version-1 architectures are read as data: code, unknown keys and bad values refused. */
static void nnfile_v1_source(void) {                      /* nnfile-4.2 */
    static const struct { const char *text, *msg; } cases[] = {
        {"(function() while true do end end)()", "v:1:1: expected '{'"},
        {"{nodes={{op=\"input\",shape={3,},},},outputs={os.exit(),},}",
         "v:1:45: expected a value"},
        {"{nodes={{op=\"input\",shape={3,},},},outputs={1,},evil=1,}", "unknown key 'evil'"},
        {"{nodes={{op=\"input\",shape={3,},},\n{op=\"dense\",inputs={1,},units=1099511627776,},}"
         ",outputs={2,},}", "v:2:31: units: 1099511627776 is out of range"},
        {"{nodes={{op=\"input\",shape={3,},},{op=\"dense\",inputs={5,},units=2,},},outputs={2,},}",
         "inputs: 5 is not an earlier node"},
        {"{nodes={{op=\"input\",shape={3,},},},outputs={1,},} extra", "expected the end"},
        {"{nodes={{op=\"input\",shape={3,},},},outputs={1,}", "unterminated table"},
        {"{{{{{{{{{{{{}}}}}}}}}}}}", "nested deeper than 8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mn_Err e = {0};
        nn_Arch a;
        int rc = nn_arch_parse_v1(cases[i].text, strlen(cases[i].text), "v", &a, &e);
        if (rc != MN_EPARSE || strstr(e.msg, cases[i].msg) == NULL) {
            check_failures++;
            fprintf(stderr, "case %zu: rc %d, \"%s\", expected \"%s\"\n", i, rc, e.msg,
                    cases[i].msg);
        }
    }
}

int main(void) {
    RUN(nnfile_round_trip);
    RUN(nnfile_arch_text);
    RUN(nnfile_arch_errors);
    RUN(nnfile_crafted);
    RUN(nnfile_v1_fixtures);
    RUN(nnfile_v1_source);
    return CHECK_DONE();
}
