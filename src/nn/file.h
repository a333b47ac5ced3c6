/* file.h -- a net's model file and weight export. A model file is core/mfile's container
** with kind "nn": the options are the architecture text (nn/arch.h), the arrays "params",
** "state" and, for a pruned net, "mask" (float32), plus the fitted-transform blob. Version-1
** files (magic MONETANN, the architecture as Lua source) are still read, without running
** anything. Export: safetensors (JSON header + little-endian F32). */
#ifndef MN_NN_FILE_H
#define MN_NN_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/mfile.h"
#include "nn/arch.h"
#include "nn/graph.h"

#define NN_FILE_KIND    "nn"
#define NN_FILE_VERSION 2          /* model-file version written: core/mfile's container */

typedef struct nn_ModelFile {
    uint32_t version;       /* the file's version: 2, or 1 for a MONETANN file */
    char    *arch;          /* the architecture text (nn/arch.h format, also for version 1,
                            ** converted on reading); NUL-terminated, arch_len bytes */
    size_t   arch_len;
    float   *params, *state, *mask;   /* mask NULL when the model was not pruned */
    int64_t  nparams, nstate;
    char    *prep;          /* NULL when none */
    size_t   prep_len;
} nn_ModelFile;

/* Write compiled graph 'g' to 'path' atomically with architecture text 'arch' (NULL or "":
** the architecture of 'g' itself, nn_arch_from_graph) and an optional blob. 'arch' is parsed
** and must imply exactly the parameter and state counts of 'g' (MN_ESHAPE otherwise), so a
** file that cannot be read back is never written. */
int  nn_model_write(const char *path, const nn_Graph *g, const char *arch, const char *prep,
                    size_t prep_len, mn_Err *e);
/* Read and verify a model file (magic, version, checksum, sizes; core/mfile.h). Nothing in
** the file is run. '*mf' owns its buffers; free with nn_model_file_free. Errors name the path
** and what is wrong. */
int  nn_model_read(const char *path, nn_ModelFile *mf, mn_Err *e);
void nn_model_file_free(nn_ModelFile *mf);
/* Load the weights of 'mf' into 'g' (compiled, same layout). */
int  nn_model_load_weights(nn_Graph *g, const nn_ModelFile *mf, mn_Err *e);

/* Open a model file: read it, parse its architecture into '*arch', build the graph, check
** the parameter and state counts the architecture implies against the stored arrays BEFORE
** compiling (a crafted file declaring a huge layer fails here, at once, with MN_EPARSE),
** then compile for batches of up to 'max_batch' and load the weights. On success '*g' is
** the caller's (nn_graph_free), '*arch' too (nn_arch_free) and '*mf' (nn_model_file_free;
** its prep blob and version are what the caller still needs). */
int  nn_model_open(const char *path, int64_t max_batch, nn_Graph **g, nn_Arch *arch,
                   nn_ModelFile *mf, mn_Err *e);

/* Export the parameters (and batchnorm running statistics) as safetensors: one tensor per
** parameter array, named "<op>_<node>.weight", ".bias", ".running_mean", ".running_var". */
int  nn_export_safetensors(const char *path, const nn_Graph *g, mn_Err *e);

#endif
