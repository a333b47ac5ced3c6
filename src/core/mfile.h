/* mfile.h -- the model-file container every model kind uses (nets, classical, time series):
** kind ("nn", "ml.logistic", ...), the kind's version, options (declarative text the kind
** parses: an architecture, hyperparameters), named float32/float64 arrays (parameters), an
** opaque fitted-transform blob, and a CRC-32. It knows nothing of what the options mean. */
#ifndef MN_CORE_MFILE_H
#define MN_CORE_MFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

#define MN_MFILE_MAGIC     "MONETAMF"   /* 8 bytes */
#define MN_MFILE_VERSION   2u           /* container version (1 was the nets-only MONETANN) */
#define MN_MFILE_LEGACY    "MONETANN"   /* version-1 files: nets only, read by nn/file.c */
#define MN_MFILE_KINDMAX   32           /* kind and array names: at most 31 bytes */
#define MN_MFILE_MAXARRAYS 16

enum { MN_F32 = 1, MN_F64 = 2 };

/* One named array of 'n' numbers. For mn_mfile_write 'data' is borrowed; after
** mn_mfile_read it is owned by the mn_MFile (float * or double *, per 'dtype'). */
typedef struct mn_MArray {
    char    name[MN_MFILE_KINDMAX];
    int     dtype;                     /* MN_F32 or MN_F64 */
    int64_t n;
    void   *data;
} mn_MArray;

typedef struct mn_MFile {
    char      kind[MN_MFILE_KINDMAX];  /* "nn", later "ml.logistic", "ts.garch", ... */
    uint32_t  kind_version;            /* the version of the kind's options format */
    char     *options;                 /* NUL-terminated text, options_len bytes before it */
    size_t    options_len;
    mn_MArray arrays[MN_MFILE_MAXARRAYS];
    int       narrays;
    char     *prep;                    /* fitted-transform blob, NULL when none */
    size_t    prep_len;
} mn_MFile;

/* Write 'mf' to 'path' atomically: a temporary beside it, fsync, rename. Layout, all
** little-endian: magic, u32 container version, u32 kind length, u32 kind version,
** u32 array count, u64 options length, u64 prep length, the kind, per array (u32 name
** length, u32 dtype, u64 count, the name), the options, the prep blob, the array data, and
** a u32 CRC-32 of every byte before it. Errors: MN_EARG (bad names, counts), MN_EIO. */
int mn_mfile_write(const char *path, const mn_MFile *mf, mn_Err *e);

/* Read and verify 'path': magic, container version, CRC-32, then that the declared sizes add
** up to the file's size exactly -- all before anything is allocated beyond the file's own
** bytes, so a crafted header cannot make it allocate more than the file justifies. On
** success '*out' owns every buffer (free with mn_mfile_free). A version-1 file (magic
** MONETANN) fails with MN_EPARSE saying so; nn/file.c reads those. Errors name the path. */
int mn_mfile_read(const char *path, mn_MFile *out, mn_Err *e);

/* The kind and kind version of a model file, from its header only (no checksum check).
** Version-1 files (MONETANN) are nets: kind "nn", version 1. 'kind' has MN_MFILE_KINDMAX
** bytes. MN_EPARSE when 'path' is not a model file. */
int mn_mfile_peek(const char *path, char *kind, uint32_t *kind_version, mn_Err *e);

void mn_mfile_free(mn_MFile *mf);      /* frees what mn_mfile_read allocated; zeroes 'mf' */

/* The array named 'name', or NULL. */
const mn_MArray *mn_mfile_array(const mn_MFile *mf, const char *name);

/* CRC-32 (IEEE 802.3, as zlib's crc32): start with crc = 0, feed chunks in order. */
uint32_t mn_crc32(uint32_t crc, const void *data, size_t n);

/* Atomic writes for other formats (safetensors): open a temporary beside 'path' ('tmp' gets
** its name, 'n' bytes); mn_atomic_close flushes, fsyncs and renames it over 'path' unless
** 'werr' (an errno) is set, and removes it on any failure. */
FILE *mn_atomic_open(const char *path, char *tmp, size_t n, mn_Err *e);
int   mn_atomic_close(FILE *f, int werr, const char *tmp, const char *path, mn_Err *e);

#endif
