/* graph.h -- the neural network as a graph of float32 ops that a model definition (Lua) builds
** ONCE and the core runs many times: shapes are inferred, parameters live in one flat buffer,
** and every activation and gradient buffer is planned once for the largest batch. Ops are a
** table of classes (nn__ops in ops.c) with forward/backward over float32 buffers; shapes are
** per sample, (B, ...) where B is the batch dimension that varies (last partial batch). */
#ifndef MN_NN_GRAPH_H
#define MN_NN_GRAPH_H

#include <stdint.h>

#include "core/err.h"
#include "core/rng.h"
#include "core/tensor.h"

typedef struct nn_Graph nn_Graph;   /* opaque; body in nn_int.h */

/* Attributes of one node; nn_attr_init() fills the defaults (NaN = op default). */
typedef struct nn_Attr {
    int64_t units;            /* dense units; embedding dimension */
    int64_t n;                /* embedding vocabulary size */
    int     ndim;             /* input/target: per-sample shape */
    int64_t shape[TN_MAXDIM];
    int     bias;             /* dense: 1 = with a bias (default) */
    int     axis;             /* concat: per-sample axis, -1 = last (default) */
    double  slope;            /* leaky_relu: slope below 0 (0.01) */
    double  alpha;            /* elu: alpha (1) */
    double  scale;            /* scale: the factor (1) */
    double  delta;            /* huber: delta (1) */
    double  q;                /* quantile: q (0.5) */
    double  p;                /* dropout probability */
    double  eps, momentum;    /* batchnorm/layernorm eps (1e-5); batchnorm momentum (0.1) */
    double  pos_weight;       /* bce: weight of the positive term (1) */
    char    init[16];         /* weights: "default" (PyTorch), "glorot", "he", "orthogonal",
                              ** "normal", "zeros" */
    char    act[16];          /* dense: activation fused into the layer ("relu" or "") */
} nn_Attr;

void nn_attr_init(nn_Attr *a);
/* 1 if 'kind' names a weight initialiser ("default", "glorot", "he", "orthogonal", ...). */
int  nn_init_known(const char *kind);

/* Op kinds a node may be; see nn_op_names(). Inputs and targets are both fed from data;
** loss ops reduce to one number per batch (batch mean). */
const char *const *nn_op_names(void);        /* NULL-terminated */
int nn_op_is_loss(const char *op);

int  nn_graph_new(nn_Graph **out, mn_Err *e);
void nn_graph_free(nn_Graph *g);             /* NULL is a no-op */

/* Append a node of kind 'op' reading nodes 'in[0..nin)' (ids returned by earlier calls);
** 'label' (e.g. "dense(64) #2") names it in errors. Shapes are inferred here: a mismatch
** fails with MN_ESHAPE naming the label and the shapes. '*id' gets the new node's id. */
int nn_graph_add(nn_Graph *g, const char *op, const int *in, int nin, const nn_Attr *a,
                 const char *label, int *id, mn_Err *e);
/* Mark node 'id' as a model output (predict returns outputs in marking order). */
int nn_graph_output(nn_Graph *g, int id, mn_Err *e);
/* Plan memory for batches of up to 'max_batch' rows and initialise parameters with 'seed'
** (only the first time; later calls keep the weights). Nothing is allocated per batch. */
int nn_graph_compile(nn_Graph *g, int64_t max_batch, uint64_t seed, mn_Err *e);

int         nn_graph_nnodes(const nn_Graph *g);
const char *nn_graph_node_op(const nn_Graph *g, int id);
const char *nn_graph_node_label(const nn_Graph *g, int id);
/* Per-sample output shape of node 'id'; returns ndim. */
int         nn_graph_node_shape(const nn_Graph *g, int id, int64_t *shape);
int64_t     nn_graph_node_nparams(const nn_Graph *g, int id);
int         nn_graph_noutputs(const nn_Graph *g);
int         nn_graph_output_id(const nn_Graph *g, int k);
/* Ids of feature inputs (role "input") and targets (role "target"), in creation order. */
int         nn_graph_ninputs(const nn_Graph *g);
int         nn_graph_input_id(const nn_Graph *g, int k);
int         nn_graph_ntargets(const nn_Graph *g);
int         nn_graph_target_id(const nn_Graph *g, int k);
/* The node training minimises (a scalar node: a loss, or a sum of losses); -1 = none. */
int         nn_graph_set_loss(nn_Graph *g, int id, mn_Err *e);
int         nn_graph_loss_id(const nn_Graph *g);

/* The flat trainable parameters (and non-trainable state such as batchnorm running stats).
** Valid after compile; borrowed. */
float  *nn_graph_params(nn_Graph *g, int64_t *n);
float  *nn_graph_state(nn_Graph *g, int64_t *n);
float  *nn_graph_grads(nn_Graph *g);
/* The parameter segment of node 'id': offset into params and count; weights first
** ('*nweights' of them, prunable), then biases/scales. Returns the count. */
int64_t nn_graph_node_params(const nn_Graph *g, int id, int64_t *offset, int64_t *nweights);

/* One step over a batch of B rows already in the input/target buffers. */
float  *nn_graph_buffer(nn_Graph *g, int id);       /* node output, (max_batch, ...) */
float  *nn_graph_gradbuf(nn_Graph *g, int id);
void    nn_graph_set_training(nn_Graph *g, int on);  /* dropout, batchnorm statistics */
void    nn_graph_set_seed(nn_Graph *g, uint64_t seed); /* dropout's stream */
/* Forward over B rows: with 'losses' nonzero through the loss nodes, else outputs only. */
void    nn_graph_forward(nn_Graph *g, int64_t B, int losses);
/* The loss node's value (a batch mean), after a forward with losses. */
double  nn_graph_loss(const nn_Graph *g);
/* Backward from the loss node: fills the parameter gradients. */
void    nn_graph_backward(nn_Graph *g, int64_t B);

/* Copy inputs[k] rows idx[0..B) (or rows first..first+B when idx is NULL) into the node
** buffer; checks the per-sample shape, naming the first consumer in the error. */
int nn_graph_feed(nn_Graph *g, int id, const tn_Tensor *t, const int64_t *idx, int64_t first,
                  int64_t B, mn_Err *e);
/* Check that tensor 't' fits node 'id' (an input or target), message names the layer. */
int nn_graph_check_feed(const nn_Graph *g, int id, const tn_Tensor *t, mn_Err *e);

/* Pruning masks: 'mask' has one float (0 or 1) per parameter, applied after every update
** (nn_graph_apply_mask); NULL clears them. */
int  nn_graph_set_mask(nn_Graph *g, const float *mask, mn_Err *e);
const float *nn_graph_mask(const nn_Graph *g);
void nn_graph_apply_mask(nn_Graph *g);
/* Magnitude pruning: zero the fraction 'sparsity' of smallest |w| among the weights (not
** biases), over all layers at once ('global') or in each layer; sets the mask. */
int  nn_graph_prune(nn_Graph *g, double sparsity, int global, mn_Err *e);

/* Same parameter layout (counts per node) in both graphs: copy weights and state. */
int nn_graph_copy_weights(nn_Graph *dst, const nn_Graph *src, mn_Err *e);

#endif
