/* graph.c -- building the op graph, inferring shapes, planning memory once, and driving
** forward and backward passes. The ops themselves are in ops.c; training loop in train.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "nn/nn_int.h"

void nn_attr_init(nn_Attr *a) {
    memset(a, 0, sizeof *a);
    a->bias = 1;
    a->axis = -1;
    a->slope = a->alpha = a->scale = a->delta = a->q = NAN;
    a->p = 0;
    a->eps = NAN;
    a->momentum = NAN;
    a->pos_weight = 1;
    strcpy(a->init, "default");
}

static const nn__OpClass *find_op(const char *name) {
    for (int i = 0; nn__ops[i] != NULL; i++)
        if (strcmp(nn__ops[i]->name, name) == 0)
            return nn__ops[i];
    return NULL;
}

const char *const *nn_op_names(void) {
    static const char *names[64];
    if (names[0] == NULL) {
        int i;
        for (i = 0; nn__ops[i] != NULL && i < 63; i++)
            names[i] = nn__ops[i]->name;
        names[i] = NULL;
    }
    return names;
}

int nn_op_is_loss(const char *op) {
    const nn__OpClass *c = find_op(op);
    return c != NULL && (c->flags & NN__LOSS);
}

int nn_graph_new(nn_Graph **out, mn_Err *e) {
    nn_Graph *g = mn_calloc(1, sizeof *g);
    if (g == NULL)
        return mn_fail(e, MN_ENOMEM, "nn: out of memory");
    mn_rng_seed(&g->rng, 0);
    g->loss = -1;
    *out = g;
    return MN_OK;
}

static void free_plan(nn_Graph *g) {
    mn_free(g->arena);
    mn_free(g->fwd_pred);
    mn_free(g->fwd_loss);
    g->arena = NULL;
    g->fwd_pred = g->fwd_loss = NULL;
    g->compiled = 0;
}

void nn_graph_free(nn_Graph *g) {
    if (g == NULL)
        return;
    nn__pool_stop(g);
    free_plan(g);
    mn_free(g->params);
    mn_free(g->pgrad);
    mn_free(g->state);
    mn_free(g->mask);
    mn_free(g->nodes);
    mn_free(g);
}

int nn_graph_add(nn_Graph *g, const char *op, const int *in, int nin, const nn_Attr *a,
                 const char *label, int *id, mn_Err *e) {
    const nn__OpClass *c = find_op(op);
    nn__Node *n;
    int rc;
    if (c == NULL)
        return mn_fail(e, MN_EARG, "%s: unknown op '%s'", label ? label : "nn", op);
    if (g->params != NULL)
        return mn_fail(e, MN_EARG, "%s: the graph is already compiled", label ? label : op);
    if (nin < c->minin || nin > c->maxin)
        return mn_fail(e, MN_EARG, "%s: takes %d to %d inputs, got %d", label ? label : op,
                       c->minin, c->maxin, nin);
    for (int i = 0; i < nin; i++)
        if (in[i] < 0 || in[i] >= g->n)
            return mn_fail(e, MN_EARG, "%s: input %d is not an earlier node", label ? label : op,
                           i + 1);
    if (g->n == g->cap) {
        int cap = g->cap ? 2 * g->cap : 16;
        nn__Node *nodes = mn_realloc(g->nodes, (size_t)cap * sizeof *nodes);
        if (nodes == NULL)
            return mn_fail(e, MN_ENOMEM, "nn: out of memory");
        g->nodes = nodes;
        g->cap = cap;
    }
    n = &g->nodes[g->n];
    memset(n, 0, sizeof *n);
    n->op = c;
    n->id = g->n;
    n->nin = nin;
    for (int i = 0; i < nin; i++)
        n->in[i] = in[i];
    if (a != NULL)
        n->a = *a;
    else
        nn_attr_init(&n->a);
    snprintf(n->label, sizeof n->label, "%s", label && *label ? label : op);
    if ((rc = c->infer(g, n, e)) != MN_OK)
        return rc;
    if (c->flags & NN__SCALAR)
        n->scalar = 1;
    if (n->scalar) {
        n->ndim = 1;
        n->shape[0] = 1;
    }
    n->size = 1;
    for (int i = 0; i < n->ndim; i++)
        n->size *= n->shape[i];
    for (int i = 0; i < nin; i++)
        g->nodes[in[i]].nconsumers++;
    *id = g->n++;
    return MN_OK;
}

int nn_graph_output(nn_Graph *g, int id, mn_Err *e) {
    if (id < 0 || id >= g->n)
        return mn_fail(e, MN_EARG, "nn: output %d is not a node", id);
    if (g->noutputs >= 16)
        return mn_fail(e, MN_EARG, "nn: at most 16 outputs");
    g->outputs[g->noutputs++] = id;
    return MN_OK;
}

/* Mark the ancestors of node 'id' in 'need'. */
static void mark(const nn_Graph *g, int id, char *need) {
    if (need[id])
        return;
    need[id] = 1;
    for (int i = 0; i < g->nodes[id].nin; i++)
        mark(g, g->nodes[id].in[i], need);
}

static int make_order(nn_Graph *g, int losses, int **order, int *count, mn_Err *e) {
    char *need = mn_calloc((size_t)g->n + 1, 1);
    int *o = mn_malloc(((size_t)g->n + 1) * sizeof *o), k = 0;
    if (need == NULL || o == NULL) {
        mn_free(need), mn_free(o);
        return mn_fail(e, MN_ENOMEM, "nn: out of memory");
    }
    for (int i = 0; i < g->noutputs; i++)
        mark(g, g->outputs[i], need);
    if (losses && g->loss >= 0)
        mark(g, g->loss, need);
    for (int i = 0; i < g->n; i++)
        if (need[i] && !(g->nodes[i].op->flags & (NN__INPUT | NN__TARGET)))
            o[k++] = i;
    mn_free(need);
    *order = o;
    *count = k;
    return MN_OK;
}

/* Parameter and state offsets for every node and the flat buffers (zero-filled). */
static int alloc_params(nn_Graph *g, mn_Err *e) {
    int64_t np = 0, ns = 0;
    for (int i = 0; i < g->n; i++) {
        nn__Node *n = &g->nodes[i];
        n->poff = np;
        np += n->np;
        n->soff = ns;
        ns += n->ns;
    }
    g->nparams = np;
    g->nstate = ns;
    g->params = mn_calloc((size_t)(np ? np : 1), sizeof(float));
    g->pgrad = mn_calloc((size_t)(np ? np : 1), sizeof(float));
    g->state = mn_calloc((size_t)(ns ? ns : 1), sizeof(float));
    if (g->params == NULL || g->pgrad == NULL || g->state == NULL) {
        mn_free(g->params), mn_free(g->pgrad), mn_free(g->state);
        g->params = g->pgrad = g->state = NULL;
        return mn_fail(e, MN_ENOMEM, "nn: out of memory for %lld parameters", (long long)np);
    }
    return MN_OK;
}

/* Every op's initial parameters and state from 'seed', then the graph's own (dropout) RNG. */
static void init_params(nn_Graph *g, uint64_t seed) {
    mn_Rng r;
    mn_rng_seed(&r, seed);
    for (int i = 0; i < g->n; i++) {
        nn__Node *n = &g->nodes[i];
        if (n->op->init != NULL)
            n->op->init(g, n, &r);
    }
    mn_rng_seed(&g->rng, seed ^ 0x9e3779b97f4a7c15ULL);
}

/* Gradient flow (a node needs a gradient if it has parameters or an input that does), and
** dense -> relu fusion when the relu is the dense's only consumer and not an output. */
static void plan_flow(nn_Graph *g) {
    for (int i = 0; i < g->n; i++) {
        nn__Node *n = &g->nodes[i];
        n->needs_grad = n->np > 0;
        for (int j = 0; j < n->nin; j++)
            n->needs_grad |= g->nodes[n->in[j]].needs_grad;
        n->fuse = 0;
    }
    for (int i = 0; i < g->n; i++) {
        nn__Node *n = &g->nodes[i];
        if (strcmp(n->op->name, "relu") == 0) {
            nn__Node *d = &g->nodes[n->in[0]];
            int is_out = 0;
            for (int k = 0; k < g->noutputs; k++)
                is_out |= g->outputs[k] == d->id;
            if (strcmp(d->op->name, "dense") == 0 && d->nconsumers == 1 && !is_out &&
                d->a.act[0] == '\0') {
                d->fuse = 1;
                n->fuse = 2;                       /* an alias of its input */
            }
        }
    }
}

/* One arena for every node's output, gradient and scratch at 'max_batch' rows, each start
** 64-byte aligned; a fused relu aliases its dense's buffers. */
static int plan_buffers(nn_Graph *g, int64_t max_batch, mn_Err *e) {
    int64_t total = 0;
    float *p;
    for (int i = 0; i < g->n; i++) {
        nn__Node *n = &g->nodes[i];
        int64_t rows = n->scalar ? 1 : max_batch;
        if (n->fuse != 2)
            total += 2 * rows * n->size;
        total += n->aux_per * max_batch + n->aux_fix;
        total += 16;                               /* keep buffers apart (alignment) */
    }
    g->arena = mn_calloc((size_t)(total ? total : 1), sizeof(float));
    if (g->arena == NULL)
        return mn_fail(e, MN_ENOMEM, "nn: out of memory planning %lld floats for batch %lld",
                       (long long)total, (long long)max_batch);
    p = g->arena;
    for (int i = 0; i < g->n; i++) {
        nn__Node *n = &g->nodes[i];
        int64_t rows = n->scalar ? 1 : max_batch;
        if (n->fuse == 2) {
            n->out = g->nodes[n->in[0]].out;
            n->grad = g->nodes[n->in[0]].grad;
        } else {
            n->out = p;
            p += rows * n->size;
            n->grad = p;
            p += rows * n->size;
        }
        n->aux = p;
        p += n->aux_per * max_batch + n->aux_fix;
        p += (16 - ((p - g->arena) & 15)) & 15;    /* 64-byte aligned starts */
    }
    g->max_batch = max_batch;
    return MN_OK;
}

/* The forward orders: outputs only (predict), and outputs plus the loss (training). */
static int plan_order(nn_Graph *g, mn_Err *e) {
    int rc;
    if ((rc = make_order(g, 0, &g->fwd_pred, &g->nfwd_pred, e)) != MN_OK)
        return rc;
    return make_order(g, 1, &g->fwd_loss, &g->nfwd_loss, e);
}

/* Shapes were inferred as nodes were added; compiling allocates and initialises the
** parameters (once), plans gradient flow, fusion and the buffers for 'max_batch' rows, and
** the forward orders. Compiling again for a batch no larger is a no-op. */
int nn_graph_compile(nn_Graph *g, int64_t max_batch, uint64_t seed, mn_Err *e) {
    int rc;
    if (max_batch < 1)
        return mn_fail(e, MN_EARG, "nn: batch must be >= 1, got %lld", (long long)max_batch);
    if (g->n == 0)
        return mn_fail(e, MN_EARG, "nn: the model has no layers");
    if (g->compiled && max_batch <= g->max_batch)
        return MN_OK;
    free_plan(g);
    if (g->params == NULL) {                        /* parameters: once per graph */
        if ((rc = alloc_params(g, e)) != MN_OK)
            return rc;
        init_params(g, seed);
    }
    plan_flow(g);
    if ((rc = plan_buffers(g, max_batch, e)) != MN_OK || (rc = plan_order(g, e)) != MN_OK) {
        free_plan(g);
        return rc;
    }
    g->compiled = 1;
    return MN_OK;
}

/* ---- accessors ---- */

int nn_graph_nnodes(const nn_Graph *g) { return g->n; }
const char *nn_graph_node_op(const nn_Graph *g, int id) { return g->nodes[id].op->name; }
const char *nn_graph_node_label(const nn_Graph *g, int id) { return g->nodes[id].label; }
int nn_graph_node_shape(const nn_Graph *g, int id, int64_t *shape) {
    memcpy(shape, g->nodes[id].shape, (size_t)g->nodes[id].ndim * sizeof *shape);
    return g->nodes[id].ndim;
}
int64_t nn_graph_node_nparams(const nn_Graph *g, int id) { return g->nodes[id].np; }
int nn_graph_noutputs(const nn_Graph *g) { return g->noutputs; }
int nn_graph_output_id(const nn_Graph *g, int k) { return g->outputs[k]; }

static int nth_flag(const nn_Graph *g, int flag, int k) {
    for (int i = 0; i < g->n; i++)
        if ((g->nodes[i].op->flags & flag) && k-- == 0)
            return i;
    return -1;
}
static int count_flag(const nn_Graph *g, int flag) {
    int c = 0;
    for (int i = 0; i < g->n; i++)
        c += (g->nodes[i].op->flags & flag) != 0;
    return c;
}
int nn_graph_ninputs(const nn_Graph *g) { return count_flag(g, NN__INPUT); }
int nn_graph_input_id(const nn_Graph *g, int k) { return nth_flag(g, NN__INPUT, k); }
int nn_graph_ntargets(const nn_Graph *g) { return count_flag(g, NN__TARGET); }
int nn_graph_target_id(const nn_Graph *g, int k) { return nth_flag(g, NN__TARGET, k); }
int nn_graph_loss_id(const nn_Graph *g) { return g->loss; }
int nn_graph_set_loss(nn_Graph *g, int id, mn_Err *e) {
    if (id < 0 || id >= g->n || !g->nodes[id].scalar)
        return mn_fail(e, MN_EARG, "nn: the loss must be a scalar node (a loss or a sum of them)");
    g->loss = id;
    if (g->compiled) {
        mn_free(g->fwd_loss);
        g->fwd_loss = NULL;
        return make_order(g, 1, &g->fwd_loss, &g->nfwd_loss, e);
    }
    return MN_OK;
}

float *nn_graph_params(nn_Graph *g, int64_t *n) {
    if (n)
        *n = g->nparams;
    return g->params;
}
float *nn_graph_state(nn_Graph *g, int64_t *n) {
    if (n)
        *n = g->nstate;
    return g->state;
}
float *nn_graph_grads(nn_Graph *g) { return g->pgrad; }
int64_t nn_graph_node_params(const nn_Graph *g, int id, int64_t *offset, int64_t *nweights) {
    if (offset)
        *offset = g->nodes[id].poff;
    if (nweights)
        *nweights = g->nodes[id].nw;
    return g->nodes[id].np;
}
float *nn_graph_buffer(nn_Graph *g, int id) { return g->nodes[id].out; }
float *nn_graph_gradbuf(nn_Graph *g, int id) { return g->nodes[id].grad; }
void nn_graph_set_training(nn_Graph *g, int on) { g->training = on; }
void nn_graph_set_seed(nn_Graph *g, uint64_t seed) { mn_rng_seed(&g->rng, seed); }

/* ---- passes ---- */

void nn_graph_forward(nn_Graph *g, int64_t B, int losses) {
    const int *o = losses ? g->fwd_loss : g->fwd_pred;
    int k = losses ? g->nfwd_loss : g->nfwd_pred;
    for (int i = 0; i < k; i++) {
        nn__Node *n = &g->nodes[o[i]];
        if (n->fuse != 2)
            n->op->forward(g, n, B);
    }
}

double nn_graph_loss(const nn_Graph *g) {
    return g->loss >= 0 ? (double)g->nodes[g->loss].out[0] : (double)NAN;
}

void nn_graph_backward(nn_Graph *g, int64_t B) {
    for (int i = 0; i < g->n; i++)
        g->nodes[i].fresh = 1;
    if (g->loss < 0 || !g->nodes[g->loss].needs_grad)
        return;
    g->nodes[g->loss].grad[0] = 1.0f;
    g->nodes[g->loss].fresh = 0;
    for (int i = g->nfwd_loss - 1; i >= 0; i--) {
        nn__Node *n = &g->nodes[g->fwd_loss[i]];
        if (!n->needs_grad || n->fresh)
            continue;                              /* no gradient reached this node */
        if (n->fuse == 2) {                        /* relu fused into its dense */
            g->nodes[n->in[0]].fresh = 0;
            continue;
        }
        n->op->backward(g, n, B);
    }
}

/* ---- feeding data ---- */

static const nn__Node *first_consumer(const nn_Graph *g, int id) {
    for (int i = id + 1; i < g->n; i++)
        for (int j = 0; j < g->nodes[i].nin; j++)
            if (g->nodes[i].in[j] == id)
                return &g->nodes[i];
    return NULL;
}

int nn_graph_check_feed(const nn_Graph *g, int id, const tn_Tensor *t, mn_Err *e) {
    const nn__Node *n = &g->nodes[id];
    int64_t rs = tn_ndim(t) == 1 ? 1 : tn_rowsize(t);
    if (!(n->op->flags & (NN__INPUT | NN__TARGET)))
        return mn_fail(e, MN_EARG, "%s: not an input", n->label);
    if (rs != n->size) {
        const nn__Node *c = first_consumer(g, id);
        char a[64];
        if (n->op->flags & NN__TARGET)
            return mn_fail(e, MN_ESHAPE, "%s: target has %lld values per row, expected %lld "
                           "(shape %s)", c ? c->label : n->label, (long long)rs,
                           (long long)n->size, tn_shape_str(n->shape, n->ndim, a, sizeof a));
        if (n->ndim == 1)
            return mn_fail(e, MN_ESHAPE, "%s: input has %lld features, expected %lld",
                           c ? c->label : n->label, (long long)rs, (long long)n->size);
        return mn_fail(e, MN_ESHAPE, "%s: input has %lld values per row, expected %lld %s",
                       c ? c->label : n->label, (long long)rs, (long long)n->size,
                       tn_shape_str(n->shape, n->ndim, a, sizeof a));
    }
    return MN_OK;
}

int nn_graph_feed(nn_Graph *g, int id, const tn_Tensor *t, const int64_t *idx, int64_t first,
                  int64_t B, mn_Err *e) {
    nn__Node *n = &g->nodes[id];
    const float *src = tn_data(t);
    int64_t rs = n->size;
    int rc = nn_graph_check_feed(g, id, t, e);
    if (rc != MN_OK)
        return rc;
    if (B > g->max_batch)
        return mn_fail(e, MN_EARG, "%s: batch of %lld rows exceeds the planned %lld",
                       n->label, (long long)B, (long long)g->max_batch);
    if (idx == NULL) {
        memcpy(n->out, src + first * rs, (size_t)(B * rs) * sizeof(float));
    } else if (rs == 1) {
        for (int64_t i = 0; i < B; i++)
            n->out[i] = src[idx[i]];
    } else {
        for (int64_t i = 0; i < B; i++)
            memcpy(n->out + i * rs, src + idx[i] * rs, (size_t)rs * sizeof(float));
    }
    return MN_OK;
}

/* ---- masks and pruning ---- */

int nn_graph_set_mask(nn_Graph *g, const float *mask, mn_Err *e) {
    if (mask == NULL) {
        mn_free(g->mask);
        g->mask = NULL;
        return MN_OK;
    }
    if (g->mask == NULL && (g->mask = mn_malloc((size_t)g->nparams * sizeof(float) + 1)) == NULL)
        return mn_fail(e, MN_ENOMEM, "nn: out of memory for the pruning mask");
    memcpy(g->mask, mask, (size_t)g->nparams * sizeof(float));
    nn_graph_apply_mask(g);
    return MN_OK;
}

const float *nn_graph_mask(const nn_Graph *g) { return g->mask; }

void nn_graph_apply_mask(nn_Graph *g) {
    if (g->mask == NULL)
        return;
    for (int64_t i = 0; i < g->nparams; i++)
        g->params[i] *= g->mask[i];
}

static int cmp_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Threshold below which the fraction 's' of |v[0..n)| lies. */
static int threshold(const float *v, int64_t n, double s, float *thr, mn_Err *e) {
    float *c;
    int64_t k = (int64_t)floor(s * (double)n);
    if (k <= 0) {
        *thr = -1.0f;
        return MN_OK;
    }
    if ((c = mn_malloc((size_t)n * sizeof *c)) == NULL)
        return mn_fail(e, MN_ENOMEM, "prune: out of memory");
    for (int64_t i = 0; i < n; i++)
        c[i] = fabsf(v[i]);
    qsort(c, (size_t)n, sizeof *c, cmp_float);
    *thr = c[k - 1];
    mn_free(c);
    return MN_OK;
}

int nn_graph_prune(nn_Graph *g, double sparsity, int global, mn_Err *e) {
    float *mask, thr = 0;
    int64_t nw = 0;
    int rc = MN_OK;
    if (!(sparsity >= 0 && sparsity < 1))
        return mn_fail(e, MN_EARG, "prune: sparsity must be in [0, 1), got %g", sparsity);
    if (g->params == NULL)
        return mn_fail(e, MN_EARG, "prune: the model has no weights yet (fit or build first)");
    if ((mask = mn_malloc((size_t)g->nparams * sizeof *mask + 1)) == NULL)
        return mn_fail(e, MN_ENOMEM, "prune: out of memory");
    for (int64_t i = 0; i < g->nparams; i++)
        mask[i] = g->mask ? g->mask[i] : 1.0f;
    if (global) {
        float *all;
        for (int i = 0; i < g->n; i++)
            nw += g->nodes[i].nw;
        if ((all = mn_malloc((size_t)(nw ? nw : 1) * sizeof *all)) == NULL) {
            mn_free(mask);
            return mn_fail(e, MN_ENOMEM, "prune: out of memory");
        }
        nw = 0;
        for (int i = 0; i < g->n; i++) {
            memcpy(all + nw, g->params + g->nodes[i].poff, (size_t)g->nodes[i].nw * sizeof *all);
            nw += g->nodes[i].nw;
        }
        rc = threshold(all, nw, sparsity, &thr, e);
        mn_free(all);
    }
    for (int i = 0; i < g->n && rc == MN_OK; i++) {
        nn__Node *n = &g->nodes[i];
        if (n->nw == 0)
            continue;
        if (!global && (rc = threshold(g->params + n->poff, n->nw, sparsity, &thr, e)) != MN_OK)
            break;
        for (int64_t j = 0; j < n->nw; j++)
            if (fabsf(g->params[n->poff + j]) <= thr)
                mask[n->poff + j] = 0.0f;
    }
    if (rc == MN_OK)
        rc = nn_graph_set_mask(g, mask, e);
    mn_free(mask);
    return rc;
}

int nn_graph_copy_weights(nn_Graph *dst, const nn_Graph *src, mn_Err *e) {
    if (dst->params == NULL || src->params == NULL)
        return mn_fail(e, MN_EARG, "nn: copy weights: a graph is not compiled");
    if (dst->nparams != src->nparams || dst->nstate != src->nstate)
        return mn_fail(e, MN_ESHAPE, "nn: copy weights: %lld parameters into %lld",
                       (long long)src->nparams, (long long)dst->nparams);
    memcpy(dst->params, src->params, (size_t)src->nparams * sizeof(float));
    memcpy(dst->state, src->state, (size_t)src->nstate * sizeof(float));
    if (src->mask)
        return nn_graph_set_mask(dst, src->mask, e);
    return nn_graph_set_mask(dst, NULL, e);
}
