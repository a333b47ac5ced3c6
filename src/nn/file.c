/* file.c -- a net's model file on core/mfile's container, the reader of version-1 files
** (MONETANN), opening a file into a compiled graph, and safetensors export. All integers
** and floats are written little-endian whatever the host. */
#include "nn/file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "nn/nn_int.h"

/* A writer for safetensors: tracks the first error (an errno). */
typedef struct W {
    FILE *f;
    int   err;
} W;

static void wbytes(W *w, const void *p, size_t n) {
    if (w->err || n == 0)
        return;
    if (fwrite(p, 1, n, w->f) != n)
        w->err = errno ? errno : EIO;
}
static void wu64(W *w, uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    wbytes(w, b, 8);
}
static void wfloats(W *w, const float *v, int64_t n) {
    unsigned char buf[4096];
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &v[i], 4);
        for (int j = 0; j < 4; j++)
            buf[k++] = (unsigned char)(u >> (8 * j));
        if (k == (int64_t)sizeof buf) {
            wbytes(w, buf, (size_t)k);
            k = 0;
        }
    }
    wbytes(w, buf, (size_t)k);
}

/* ---- writing ---- */

/* Parse 'text', build its graph (no compile) and compare the counts with 'np', 'ns'. */
static int check_counts(const char *text, size_t len, const char *name, int64_t np,
                        int64_t ns, nn_Arch *arch, mn_Err *e) {
    nn_Graph *g = NULL;
    int64_t anp, ans;
    int rc;
    if ((rc = nn_arch_parse(text, len, name, arch, e)) != MN_OK)
        return rc;
    if ((rc = nn_graph_from_arch(arch, &g, &anp, &ans, e)) != MN_OK) {
        mn_prefix(e, "%s", name);
        goto fail;
    }
    nn_graph_free(g);
    if (anp != np || ans != ns) {
        rc = mn_fail(e, MN_ESHAPE, "%s: the architecture declares %lld parameters and %lld "
                     "state values, the file holds %lld and %lld", name, (long long)anp,
                     (long long)ans, (long long)np, (long long)ns);
        goto fail;
    }
    return MN_OK;
fail:
    nn_arch_free(arch);
    return rc;
}

int nn_model_write(const char *path, const nn_Graph *g, const char *arch, const char *prep,
                   size_t prep_len, mn_Err *e) {
    mn_MFile mf;
    nn_Arch a;
    char *own = NULL, name[300];
    size_t alen;
    int rc;
    if (g->params == NULL)
        return mn_fail(e, MN_EARG, "save: the model has no weights yet (fit it first)");
    if (arch == NULL || *arch == '\0') {
        if ((rc = nn_arch_from_graph(g, &a, e)) != MN_OK)
            return rc;
        rc = nn_arch_write(&a, &own, &alen, e);
        nn_arch_free(&a);
        if (rc != MN_OK)
            return rc;
        arch = own;
    } else {
        alen = strlen(arch);
    }
    snprintf(name, sizeof name, "save %s: architecture", path);
    if ((rc = check_counts(arch, alen, name, g->nparams, g->nstate, &a, e)) != MN_OK) {
        mn_free(own);
        return rc;
    }
    nn_arch_free(&a);
    memset(&mf, 0, sizeof mf);
    strcpy(mf.kind, NN_FILE_KIND);
    mf.kind_version = NN_ARCH_VERSION;
    mf.options = (char *)arch;
    mf.options_len = alen;
    mf.arrays[0] = (mn_MArray){"params", MN_F32, g->nparams, g->params};
    mf.arrays[1] = (mn_MArray){"state", MN_F32, g->nstate, g->state};
    mf.narrays = 2;
    if (g->mask)
        mf.arrays[mf.narrays++] = (mn_MArray){"mask", MN_F32, g->nparams, g->mask};
    mf.prep = (char *)prep;
    mf.prep_len = prep ? prep_len : 0;
    rc = mn_mfile_write(path, &mf, e);
    mn_free(own);
    return rc;
}

/* ---- reading ---- */

void nn_model_file_free(nn_ModelFile *mf) {
    mn_free(mf->arch);
    mn_free(mf->params);
    mn_free(mf->state);
    mn_free(mf->mask);
    mn_free(mf->prep);
    memset(mf, 0, sizeof *mf);
}

/* Take array 'name' (float32) out of 'f' into '*dst'; 'need' = required (else NULL ok). */
static int take_array(const char *path, mn_MFile *f, const char *name, int need, float **dst,
                      int64_t *n, mn_Err *e) {
    mn_MArray *a = (mn_MArray *)mn_mfile_array(f, name);
    if (a == NULL) {
        if (need)
            return mn_fail(e, MN_EPARSE, "%s: no '%s' array", path, name);
        return MN_OK;
    }
    if (a->dtype != MN_F32)
        return mn_fail(e, MN_EPARSE, "%s: the '%s' array is not float32", path, name);
    *dst = a->data;
    a->data = NULL;
    if (n)
        *n = a->n;
    return MN_OK;
}

/* Version 1 (MONETANN): magic, u32 version, u32 flags (bit 0: mask), u64 arch length,
** u64 params, u64 state, u64 prep length, the Lua-source arch, the floats, prep, CRC-32. */
static uint64_t ru(const unsigned char *p, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}
static void rfloats(const unsigned char *p, float *v, int64_t n) {
    for (int64_t i = 0; i < n; i++, p += 4) {
        uint32_t u = (uint32_t)ru(p, 4);
        memcpy(&v[i], &u, 4);
    }
}

static int read_v1(const char *path, nn_ModelFile *out, mn_Err *e) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long size;
    size_t n, at = 48;
    nn_ModelFile mf;
    nn_Arch a;
    uint32_t flags;
    uint64_t alen, np, ns, plen;
    char name[300];
    int rc = MN_OK;
    memset(&mf, 0, sizeof mf);
    if (f == NULL)
        return mn_fail(e, MN_EIO, "%s: %s", path, strerror(errno));
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return mn_fail(e, MN_EIO, "%s: cannot size the file", path);
    }
    if ((buf = mn_malloc((size_t)size + 1)) == NULL) {
        fclose(f);
        return mn_fail(e, MN_ENOMEM, "%s: out of memory", path);
    }
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        mn_free(buf);
        return mn_fail(e, MN_EIO, "%s: read error", path);
    }
    fclose(f);
    n = (size_t)size;
    if (n < 48 + 4 || memcmp(buf, MN_MFILE_LEGACY, 8) != 0 || ru(buf + 8, 4) != 1) {
        rc = mn_fail(e, MN_EPARSE, "%s: not a version-1 moneta model file", path);
        goto done;
    }
    if ((uint32_t)ru(buf + n - 4, 4) != mn_crc32(0, buf, n - 4)) {
        rc = mn_fail(e, MN_EPARSE, "%s: checksum mismatch (the file is corrupt)", path);
        goto done;
    }
    flags = (uint32_t)ru(buf + 12, 4);
    alen = ru(buf + 16, 8);
    np = ru(buf + 24, 8);
    ns = ru(buf + 32, 8);
    plen = ru(buf + 40, 8);
    if (alen > n || np > n || ns > n || plen > n ||
        at + alen + 4 * (np + ns + ((flags & 1) ? np : 0)) + plen + 4 != n) {
        rc = mn_fail(e, MN_EPARSE, "%s: truncated or corrupt (sizes do not add up)", path);
        goto done;
    }
    /* the architecture: Lua table source, read as data and rewritten in today's format */
    snprintf(name, sizeof name, "%s: architecture (version 1)", path);
    if ((rc = nn_arch_parse_v1((const char *)buf + at, (size_t)alen, name, &a, e)) != MN_OK)
        goto done;
    rc = nn_arch_write(&a, &mf.arch, &mf.arch_len, e);
    nn_arch_free(&a);
    if (rc != MN_OK)
        goto done;
    at += alen;
    mf.params = mn_malloc((size_t)(np + 1) * sizeof(float));
    mf.state = mn_malloc((size_t)(ns + 1) * sizeof(float));
    mf.mask = (flags & 1) ? mn_malloc((size_t)(np + 1) * sizeof(float)) : NULL;
    mf.prep = plen ? mn_malloc(plen + 1) : NULL;
    if (mf.params == NULL || mf.state == NULL || ((flags & 1) && mf.mask == NULL) ||
        (plen && mf.prep == NULL)) {
        rc = mn_fail(e, MN_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    mf.version = 1;
    mf.nparams = (int64_t)np;
    mf.nstate = (int64_t)ns;
    rfloats(buf + at, mf.params, mf.nparams);
    at += 4 * np;
    rfloats(buf + at, mf.state, mf.nstate);
    at += 4 * ns;
    if (mf.mask) {
        rfloats(buf + at, mf.mask, mf.nparams);
        at += 4 * np;
    }
    if (plen) {
        memcpy(mf.prep, buf + at, plen);
        mf.prep[plen] = '\0';
        mf.prep_len = plen;
    }
    *out = mf;
    memset(&mf, 0, sizeof mf);
done:
    nn_model_file_free(&mf);
    mn_free(buf);
    return rc;
}

int nn_model_read(const char *path, nn_ModelFile *out, mn_Err *e) {
    mn_MFile f;
    nn_ModelFile mf;
    char kind[MN_MFILE_KINDMAX];
    uint32_t kv;
    int64_t nmask = 0;
    int rc;
    memset(&mf, 0, sizeof mf);
    if ((rc = mn_mfile_peek(path, kind, &kv, e)) != MN_OK)
        return rc;
    if (strcmp(kind, NN_FILE_KIND) != 0)
        return mn_fail(e, MN_EARG, "%s: a model of kind '%s', not a neural network (open it "
                       "with moneta.load)", path, kind);
    if (kv == 1) {                 /* MONETANN version 1, or a container holding arch v1 */
        FILE *fp = fopen(path, "rb");
        char m[8] = {0};
        int legacy = fp != NULL && fread(m, 1, 8, fp) == 8 &&
                     memcmp(m, MN_MFILE_LEGACY, 8) == 0;
        if (fp)
            fclose(fp);
        if (legacy)
            return read_v1(path, out, e);
    }
    if ((rc = mn_mfile_read(path, &f, e)) != MN_OK)
        return rc;
    if (strcmp(f.kind, NN_FILE_KIND) != 0) {
        rc = mn_fail(e, MN_EARG, "%s: a model of kind '%s', not a neural network", path,
                     f.kind);
        goto done;
    }
    if (f.kind_version != NN_ARCH_VERSION) {
        rc = mn_fail(e, MN_EPARSE, "%s: architecture version %u, this moneta reads version %d",
                     path, f.kind_version, NN_ARCH_VERSION);
        goto done;
    }
    if ((rc = take_array(path, &f, "params", 1, &mf.params, &mf.nparams, e)) != MN_OK ||
        (rc = take_array(path, &f, "state", 1, &mf.state, &mf.nstate, e)) != MN_OK ||
        (rc = take_array(path, &f, "mask", 0, &mf.mask, &nmask, e)) != MN_OK)
        goto done;
    if (mf.mask != NULL && nmask != mf.nparams) {
        rc = mn_fail(e, MN_EPARSE, "%s: a mask of %lld for %lld parameters", path,
                     (long long)nmask, (long long)mf.nparams);
        goto done;
    }
    mf.version = NN_FILE_VERSION;
    mf.arch = f.options;
    mf.arch_len = f.options_len;
    f.options = NULL;
    mf.prep = f.prep;
    mf.prep_len = f.prep_len;
    f.prep = NULL;
    *out = mf;
    memset(&mf, 0, sizeof mf);
done:
    mn_mfile_free(&f);
    nn_model_file_free(&mf);
    return rc;
}

int nn_model_load_weights(nn_Graph *g, const nn_ModelFile *mf, mn_Err *e) {
    if (g->params == NULL)
        return mn_fail(e, MN_EARG, "load: the graph is not compiled");
    if (g->nparams != mf->nparams || g->nstate != mf->nstate)
        return mn_fail(e, MN_ESHAPE, "load: the file holds %lld parameters, the architecture "
                       "has %lld", (long long)mf->nparams, (long long)g->nparams);
    memcpy(g->params, mf->params, (size_t)mf->nparams * sizeof(float));
    memcpy(g->state, mf->state, (size_t)mf->nstate * sizeof(float));
    return nn_graph_set_mask(g, mf->mask, e);
}

int nn_model_open(const char *path, int64_t max_batch, nn_Graph **out, nn_Arch *arch,
                  nn_ModelFile *out_mf, mn_Err *e) {
    nn_ModelFile mf;
    nn_Arch a;
    nn_Graph *g = NULL;
    char name[300];
    int64_t np, ns;
    int rc;
    nn_arch_init(&a);
    if ((rc = nn_model_read(path, &mf, e)) != MN_OK)
        return rc;
    snprintf(name, sizeof name, "%s: architecture", path);
    if ((rc = nn_arch_parse(mf.arch, mf.arch_len, name, &a, e)) != MN_OK)
        goto fail;
    if ((rc = nn_graph_from_arch(&a, &g, &np, &ns, e)) != MN_OK) {
        mn_prefix(e, "%s", name);
        goto fail;
    }
    if (np != mf.nparams || ns != mf.nstate) {       /* before compile allocates anything */
        rc = mn_fail(e, MN_EPARSE, "%s: the architecture declares %lld parameters and %lld "
                     "state values, the file holds %lld and %lld (corrupt or not a moneta "
                     "file)", path, (long long)np, (long long)ns, (long long)mf.nparams,
                     (long long)mf.nstate);
        goto fail;
    }
    if ((rc = nn_graph_compile(g, max_batch, 0, e)) != MN_OK ||
        (rc = nn_model_load_weights(g, &mf, e)) != MN_OK)
        goto fail;
    *out = g;
    *arch = a;
    *out_mf = mf;
    return MN_OK;
fail:
    nn_graph_free(g);
    nn_arch_free(&a);
    nn_model_file_free(&mf);
    return rc;
}

/* ---- safetensors ---- */

typedef struct Entry {
    char    name[64];
    int     ndim;
    int64_t shape[2];
    const float *data;
    int64_t n;
} Entry;

int nn_export_safetensors(const char *path, const nn_Graph *g, mn_Err *e) {
    Entry *ents;
    int ne = 0, rc;
    mn_Buf hdr = MN_BUF_INIT;                       /* the JSON header; failures stick */
    size_t len;
    uint64_t off = 0;
    char tmp[4096];
    W w = {0};
    if (g->params == NULL)
        return mn_fail(e, MN_EARG, "export: the model has no weights yet (fit it first)");
    if ((ents = mn_calloc((size_t)g->n * 4 + 1, sizeof *ents)) == NULL)
        return mn_fail(e, MN_ENOMEM, "export: out of memory");
    for (int i = 0; i < g->n; i++) {
        const nn__Node *n = &g->nodes[i];
        const char *op = n->op->name;
        int64_t last = n->ndim ? n->shape[n->ndim - 1] : 0;
        if (n->np == 0)
            continue;
        if (strcmp(op, "dense") == 0) {
            int64_t F = n->nw / n->a.units;
            ents[ne] = (Entry){"", 2, {n->a.units, F}, g->params + n->poff, n->nw};
            snprintf(ents[ne++].name, 64, "%s_%d.weight", op, i);
            if (n->a.bias) {
                ents[ne] = (Entry){"", 1, {n->a.units, 0}, g->params + n->poff + n->nw,
                                   n->a.units};
                snprintf(ents[ne++].name, 64, "%s_%d.bias", op, i);
            }
        } else if (strcmp(op, "embedding") == 0) {
            ents[ne] = (Entry){"", 2, {n->a.n, n->a.units}, g->params + n->poff, n->np};
            snprintf(ents[ne++].name, 64, "%s_%d.weight", op, i);
        } else if (strcmp(op, "batchnorm") == 0 || strcmp(op, "layernorm") == 0) {
            static const char *const nm[] = {"weight", "bias", "running_mean", "running_var"};
            for (int k = 0; k < (n->ns ? 4 : 2); k++) {
                const float *src = k < 2 ? g->params + n->poff + k * last
                                         : g->state + n->soff + (k - 2) * last;
                ents[ne] = (Entry){"", 1, {last, 0}, src, last};
                snprintf(ents[ne++].name, 64, "%s_%d.%s", op, i, nm[k]);
            }
        } else {
            ents[ne] = (Entry){"", 1, {n->np, 0}, g->params + n->poff, n->np};
            snprintf(ents[ne++].name, 64, "%s_%d.param", op, i);
        }
    }
    mn_buf_printf(&hdr, "{\"__metadata__\":{\"format\":\"pt\",\"producer\":\"moneta\"}");
    for (int k = 0; k < ne; k++) {
        uint64_t bytes = (uint64_t)ents[k].n * 4;
        mn_buf_printf(&hdr, ",\"%s\":{\"dtype\":\"F32\",\"shape\":[", ents[k].name);
        for (int d = 0; d < ents[k].ndim; d++)
            mn_buf_printf(&hdr, "%s%lld", d ? "," : "", (long long)ents[k].shape[d]);
        mn_buf_printf(&hdr, "],\"data_offsets\":[%llu,%llu]}", (unsigned long long)off,
                (unsigned long long)(off + bytes));
        off += bytes;
    }
    mn_buf_printf(&hdr, "}");
    while (!hdr.oom && hdr.len % 8 != 0)
        mn_buf_printf(&hdr, " ");                   /* pad so the data is 8-byte aligned */
    if (hdr.oom) {
        mn_buf_free(&hdr);
        mn_free(ents);
        return mn_fail(e, MN_ENOMEM, "export: out of memory");
    }
    len = hdr.len;
    if ((w.f = mn_atomic_open(path, tmp, sizeof tmp, e)) == NULL) {
        mn_buf_free(&hdr);
        mn_free(ents);
        return MN_EIO;
    }
    wu64(&w, (uint64_t)len);
    wbytes(&w, hdr.s, len);
    for (int k = 0; k < ne; k++)
        wfloats(&w, ents[k].data, ents[k].n);
    rc = mn_atomic_close(w.f, w.err, tmp, path, e);
    mn_buf_free(&hdr);
    mn_free(ents);
    return rc;
}
