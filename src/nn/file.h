/* file.h -- model files and weight export. A model file is versioned binary: magic
** "MONETANN", version, the architecture as text (a serialized Lua-table description made by
** lua/moneta/nn.lua), the flat weights, non-trainable state, pruning mask, an optional
** opaque blob (fitted transforms), and a CRC-32 of all of it; written atomically (temporary
** file, fsync, rename). Export: safetensors (JSON header + little-endian F32). */
#ifndef MN_NN_FILE_H
#define MN_NN_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "nn/graph.h"

#define NN_FILE_MAGIC "MONETANN"
#define NN_FILE_VERSION 1

typedef struct nn_ModelFile {
    uint32_t version;
    char    *arch;          /* NUL-terminated; arch_len bytes before the NUL */
    size_t   arch_len;
    float   *params, *state, *mask;   /* mask NULL when the model was not pruned */
    int64_t  nparams, nstate;
    char    *prep;          /* NULL when none */
    size_t   prep_len;
} nn_ModelFile;

/* Write graph 'g' (compiled) with 'arch' text and an optional blob to 'path' atomically. */
int  nn_model_write(const char *path, const nn_Graph *g, const char *arch, const char *prep,
                    size_t prep_len, mn_Err *e);
/* Read and verify a model file (magic, version, sizes, checksum). '*mf' owns its buffers;
** free with nn_model_file_free. Errors name the path and what is wrong. */
int  nn_model_read(const char *path, nn_ModelFile *mf, mn_Err *e);
void nn_model_file_free(nn_ModelFile *mf);
/* Load the weights of 'mf' into 'g' (compiled, same layout). */
int  nn_model_load_weights(nn_Graph *g, const nn_ModelFile *mf, mn_Err *e);

/* Export the parameters (and batchnorm running statistics) as safetensors: one tensor per
** parameter array, named "<op>_<node>.weight", ".bias", ".running_mean", ".running_var". */
int  nn_export_safetensors(const char *path, const nn_Graph *g, mn_Err *e);

uint32_t nn_crc32(uint32_t crc, const void *data, size_t n);

#endif
