/* arch.h -- a net's architecture as data: nodes (op, inputs, attributes, label), outputs and
** the model's kind and fitted head; its declarative text format (what model files store,
** parsed here with line:column in every error and hard limits, never run), and the graph
** built from it. Also reads the Lua table source of version-1 model files, without Lua. */
#ifndef MN_NN_ARCH_H
#define MN_NN_ARCH_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "nn/graph.h"

#define NN_ARCH_VERSION   1           /* the text's first line: "moneta.nn.arch 1" */
#define NN_ARCH_MAXNODES  4096
#define NN_ARCH_MAXIN     8           /* inputs per node */
#define NN_ARCH_MAXOUT    16          /* model outputs */
#define NN_ARCH_NAME      48          /* labels: at most 47 bytes */
#define NN_ARCH_MAXUNITS  ((int64_t)1 << 24)   /* units, vocabulary size, each shape extent */
#define NN_ARCH_MAXSIZE   ((int64_t)1 << 26)   /* floats per sample in any one node */
#define NN_ARCH_MAXTOTAL  ((int64_t)1 << 28)   /* floats per sample over all nodes */

typedef struct nn_ArchNode {
    char    op[16];
    char    label[NN_ARCH_NAME];
    int     in[NN_ARCH_MAXIN], nin;   /* ids of earlier nodes (0-based) */
    nn_Attr a;
} nn_ArchNode;

typedef struct nn_Arch {
    char         kind[16];            /* "sequential" or "functional" */
    char         head[16];            /* the loss it was fitted with ("bce", ...), "" none */
    int          ninputs;             /* the first 'ninputs' nodes are the model's inputs */
    nn_ArchNode *nodes;
    int          nnodes, cap;
    int          outputs[NN_ARCH_MAXOUT], noutputs;
    int          loss;                /* the node training minimises, -1 none */
} nn_Arch;

void nn_arch_init(nn_Arch *a);       /* empty: kind "functional", no head, loss -1 */
void nn_arch_free(nn_Arch *a);       /* frees the nodes; 'a' is then empty */

/* Append a node; checks the op name, that inputs are earlier nodes, the limits above (count,
** extents, units), and names the node (its label, else "node <id>") in errors (MN_EARG). */
int nn_arch_add(nn_Arch *a, const char *op, const int *in, int nin, const nn_Attr *at,
                const char *label, mn_Err *e);
/* Mark node 'id' as an output (MN_EARG for a bad id or too many outputs). */
int nn_arch_output(nn_Arch *a, int id, mn_Err *e);

/* Parse the text format (docs/nn.md, "Model files"):
**     moneta.nn.arch 1
**     model kind=sequential head=bce inputs=1
**     node 0 input shape=4 label="input"
**     node 1 dense in=0 units=8 bias=true init=default label="dense(8) #1"
**     output 1
** One statement a line; '#' starts a comment; values are integers, numbers, true/false,
** comma lists of integers (shape=30,4 in=1,2) or "quoted" strings (\" \\ \n escapes).
** Every error is MN_EPARSE "<name>:<line>:<col>: ..." saying what was expected. On success
** '*out' (initialised here) owns its nodes; on failure it is left empty. */
int nn_arch_parse(const char *text, size_t len, const char *name, nn_Arch *out, mn_Err *e);

/* The same architecture from the Lua table source that version-1 model files stored (a
** literal of tables, strings, numbers and booleans; nothing is evaluated). Errors as above. */
int nn_arch_parse_v1(const char *text, size_t len, const char *name, nn_Arch *out,
                     mn_Err *e);

/* The text of 'a' in the format above; '*out' is a new NUL-terminated mn_malloc'ed string. */
int nn_arch_write(const nn_Arch *a, char **out, size_t *len, mn_Err *e);

/* The architecture of graph 'g' (every node, its outputs and loss), kind "functional". */
int nn_arch_from_graph(const nn_Graph *g, nn_Arch *out, mn_Err *e);

/* Build (not compile) the graph of 'a': shapes are inferred node by node and each node's
** per-sample size is held to the limits above, so nothing large is allocated. '*nparams'
** and '*nstate' (either may be NULL) get the parameter and state counts compile would
** allocate, for the caller to check against stored arrays before nn_graph_compile. */
int nn_graph_from_arch(const nn_Arch *a, nn_Graph **out, int64_t *nparams, int64_t *nstate,
                       mn_Err *e);

#endif
