/* nn_int.h -- inside nn/: the graph's body and the op class table. An op is a const
** nn__OpClass of callbacks over float32 buffers; a new layer is a class plus a table entry. */
#ifndef MN_NN_INT_H
#define MN_NN_INT_H

#include <math.h>

#include "nn/graph.h"

#define NN_MAXIN 8
#define NN_LABEL 48

typedef struct nn__Node nn__Node;
typedef struct nn__Pool nn__Pool;

typedef struct nn__OpClass {
    const char *name;
    int minin, maxin;
    int flags;                                  /* NN__* below */
    /* Set n->ndim/shape, n->np (params), n->nw (weights among them), n->ns (state),
    ** n->aux_per (floats per batch row) and n->aux_fix. */
    int  (*infer)(nn_Graph *g, nn__Node *n, mn_Err *e);
    void (*init)(nn_Graph *g, nn__Node *n, mn_Rng *r);        /* params and state */
    void (*forward)(nn_Graph *g, nn__Node *n, int64_t B);
    void (*backward)(nn_Graph *g, nn__Node *n, int64_t B);
} nn__OpClass;

enum {
    NN__INPUT = 1,       /* fed from data */
    NN__TARGET = 2,      /* fed from data, the 'y' side */
    NN__SCALAR = 4,      /* the output is one number per batch (losses, reductions) */
    NN__LOSS = 8
};

struct nn__Node {
    const nn__OpClass *op;
    int      id;
    int      in[NN_MAXIN], nin;
    nn_Attr  a;
    char     label[NN_LABEL];
    int      ndim;                  /* per-sample output shape */
    int64_t  shape[TN_MAXDIM];
    int64_t  size;                  /* per-sample numel (1 for scalar nodes) */
    int64_t  poff, np, nw;          /* params: offset, count, prunable weights among them */
    int64_t  soff, ns;              /* non-trainable state */
    int64_t  aux_per, aux_fix;      /* scratch: per batch row, plus fixed */
    float   *out, *grad, *aux;
    int      needs_grad;            /* gradient flows into this node's output */
    int      fresh;                 /* backward: grad not yet written this pass */
    int      fuse;                  /* dense: 1 = relu fused in */
    int      nconsumers;
    int      scalar;                /* one number per batch (losses, reductions) */
    int      lk;                    /* pointwise losses: which one (ops.c) */
};

struct nn_Graph {
    nn__Node *nodes;
    int       n, cap;
    int       outputs[16], noutputs;
    int       loss;                 /* the node training minimises, -1 = none */
    int64_t   nparams, nstate;
    float    *params, *pgrad, *state, *mask;
    float    *arena;
    int64_t   max_batch;
    int       compiled, initialised;
    int       training;
    mn_Rng    rng;                  /* dropout */
    int      *fwd_pred, nfwd_pred;  /* node order for predict (outputs only) */
    int      *fwd_loss, nfwd_loss;  /* node order for training (losses and outputs) */
    nn__Pool *pool;                 /* the fit's worker thread, or NULL */
    int       blas_threads;         /* OpenBLAS threads to restore after the fit */
};

extern const nn__OpClass *const nn__ops[];

/* Rows of the 2-D view of a node: B times all per-sample dims but the last. */
static inline int64_t nn__rows(const nn__Node *n, int64_t B) {
    int64_t r = B;
    for (int i = 0; i + 1 < n->ndim; i++)
        r *= n->shape[i];
    return r;
}
static inline int64_t nn__last(const nn__Node *n) { return n->shape[n->ndim - 1]; }

/* Backward helper: 1 if node 'm' already has a gradient this pass (accumulate), else 0 and
** marks it (overwrite). */
static inline int nn__accum(nn__Node *m) {
    if (m->fresh) {
        m->fresh = 0;
        return 0;
    }
    return 1;
}

/* Kernels shared by the ops and predict()'s post-processing (ops.c). */
static inline float nn__sigmoid(float x) {      /* stable: no overflow for large |x| */
    return x >= 0 ? 1.0f / (1.0f + expf(-x)) : expf(x) / (1.0f + expf(x));
}
/* y = softmax(x) over each of 'rows' rows of C (max subtracted, sum in double); y may be x. */
void    nn__softmax_rows(const float *x, float *y, int64_t rows, int64_t C);
/* Index of the largest of q[0..C), the first one on ties. */
int64_t nn__argmax(const float *q, int64_t C);

/* Initializers (init.c). */
void nn__init_weights(const char *kind, float *w, int64_t fan_out, int64_t fan_in, mn_Rng *r);
void nn__init_uniform(float *w, int64_t n, float bound, mn_Rng *r);

/* SGEMM for the layers (gemm.c), same contract as tn_sgemm; split with the fit's worker
** thread when one runs (nn__pool_start, with OpenBLAS set to one thread meanwhile). */
void nn__sgemm(nn_Graph *g, int ta, int tb, int M, int N, int K, float alpha, const float *A,
               int lda, const float *B, int ldb, float beta, float *C, int ldc);
int  nn__pool_start(nn_Graph *g, int threads);     /* 1 if started */
void nn__pool_stop(nn_Graph *g);

#endif
