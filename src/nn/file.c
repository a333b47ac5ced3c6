/* file.c -- model files (versioned, checksummed, written atomically) and safetensors export.
** All integers and floats are written little-endian whatever the host. */
#include "nn/file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/mem.h"
#include "nn/nn_int.h"

uint32_t nn_crc32(uint32_t crc, const void *data, size_t n) {
    static uint32_t table[256];
    const unsigned char *p = data;
    if (table[1] == 0)
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* A writer that tracks the CRC and the first error. */
typedef struct W {
    FILE    *f;
    uint32_t crc;
    int      err;
} W;

static void wbytes(W *w, const void *p, size_t n) {
    if (w->err || n == 0)
        return;
    w->crc = nn_crc32(w->crc, p, n);
    if (fwrite(p, 1, n, w->f) != n)
        w->err = errno ? errno : EIO;
}
static void wu64(W *w, uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    wbytes(w, b, 8);
}
static void wu32(W *w, uint32_t v) {
    unsigned char b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    wbytes(w, b, 4);
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

/* Open a temporary beside 'path'; the caller renames it over 'path' on success. */
static FILE *open_tmp(const char *path, char *tmp, size_t n, mn_Err *e) {
    FILE *f;
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    if ((f = fopen(tmp, "wb")) == NULL)
        mn_fail(e, MN_EIO, "%s: %s", tmp, strerror(errno));
    return f;
}

static int close_tmp(FILE *f, int werr, const char *tmp, const char *path, mn_Err *e) {
    int err = werr;
    if (!err && fflush(f) != 0)
        err = errno;
    if (!err && fsync(fileno(f)) != 0)
        err = errno;
    if (fclose(f) != 0 && !err)
        err = errno;
    if (!err && rename(tmp, path) != 0)
        err = errno;
    if (err) {
        remove(tmp);
        return mn_fail(e, MN_EIO, "%s: %s", path, strerror(err));
    }
    return MN_OK;
}

int nn_model_write(const char *path, const nn_Graph *g, const char *arch, const char *prep,
                   size_t prep_len, mn_Err *e) {
    char tmp[4096];
    W w = {0};
    size_t alen = arch ? strlen(arch) : 0;
    if (g->params == NULL)
        return mn_fail(e, MN_EARG, "save: the model has no weights yet (fit it first)");
    if ((w.f = open_tmp(path, tmp, sizeof tmp, e)) == NULL)
        return MN_EIO;
    wbytes(&w, NN_FILE_MAGIC, 8);
    wu32(&w, NN_FILE_VERSION);
    wu32(&w, g->mask ? 1u : 0u);                   /* flags: bit 0 = mask present */
    wu64(&w, alen);
    wu64(&w, (uint64_t)g->nparams);
    wu64(&w, (uint64_t)g->nstate);
    wu64(&w, prep ? prep_len : 0);
    wbytes(&w, arch, alen);
    wfloats(&w, g->params, g->nparams);
    wfloats(&w, g->state, g->nstate);
    if (g->mask)
        wfloats(&w, g->mask, g->nparams);
    if (prep)
        wbytes(&w, prep, prep_len);
    {
        uint32_t crc = w.crc;
        wu32(&w, crc);
    }
    return close_tmp(w.f, w.err, tmp, path, e);
}

/* ---- reading ---- */

typedef struct R {
    const unsigned char *p;
    size_t n, at;
} R;

static int need(R *r, size_t k) { return r->at + k <= r->n; }
static uint64_t ru(R *r, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)r->p[r->at + (size_t)i] << (8 * i);
    r->at += (size_t)bytes;
    return v;
}
static void rfloats(R *r, float *v, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        uint32_t u = (uint32_t)ru(r, 4);
        memcpy(&v[i], &u, 4);
    }
}

void nn_model_file_free(nn_ModelFile *mf) {
    mn_free(mf->arch);
    mn_free(mf->params);
    mn_free(mf->state);
    mn_free(mf->mask);
    mn_free(mf->prep);
    memset(mf, 0, sizeof *mf);
}

int nn_model_read(const char *path, nn_ModelFile *out, mn_Err *e) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long size;
    R r;
    nn_ModelFile mf;
    uint32_t flags, crc;
    uint64_t alen, np, ns, plen;
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
    r.p = buf;
    r.n = (size_t)size;
    r.at = 0;
    if (!need(&r, 48) || memcmp(buf, NN_FILE_MAGIC, 8) != 0) {
        rc = mn_fail(e, MN_EPARSE, "%s: not a moneta neural-network model file", path);
        goto done;
    }
    r.at = 8;
    mf.version = (uint32_t)ru(&r, 4);
    if (mf.version != NN_FILE_VERSION) {
        rc = mn_fail(e, MN_EPARSE, "%s: model file version %u, this moneta reads version %d",
                     path, mf.version, NN_FILE_VERSION);
        goto done;
    }
    flags = (uint32_t)ru(&r, 4);
    alen = ru(&r, 8);
    np = ru(&r, 8);
    ns = ru(&r, 8);
    plen = ru(&r, 8);
    if (alen > r.n || np > r.n || ns > r.n || plen > r.n ||
        r.at + alen + 4 * (np + ns + ((flags & 1) ? np : 0)) + plen + 4 != r.n) {
        rc = mn_fail(e, MN_EPARSE, "%s: truncated or corrupt (sizes do not add up)", path);
        goto done;
    }
    crc = nn_crc32(0, buf, r.n - 4);
    {
        R t = r;
        t.at = r.n - 4;
        if ((uint32_t)ru(&t, 4) != crc) {
            rc = mn_fail(e, MN_EPARSE, "%s: checksum mismatch (the file is corrupt)", path);
            goto done;
        }
    }
    mf.arch = mn_malloc(alen + 1);
    mf.params = mn_malloc((size_t)(np + 1) * sizeof(float));
    mf.state = mn_malloc((size_t)(ns + 1) * sizeof(float));
    mf.mask = (flags & 1) ? mn_malloc((size_t)(np + 1) * sizeof(float)) : NULL;
    mf.prep = plen ? mn_malloc(plen + 1) : NULL;
    if (mf.arch == NULL || mf.params == NULL || mf.state == NULL ||
        ((flags & 1) && mf.mask == NULL) || (plen && mf.prep == NULL)) {
        rc = mn_fail(e, MN_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    memcpy(mf.arch, buf + r.at, alen);
    mf.arch[alen] = '\0';
    mf.arch_len = alen;
    r.at += alen;
    mf.nparams = (int64_t)np;
    mf.nstate = (int64_t)ns;
    rfloats(&r, mf.params, (int64_t)np);
    rfloats(&r, mf.state, (int64_t)ns);
    if (mf.mask)
        rfloats(&r, mf.mask, (int64_t)np);
    if (plen) {
        memcpy(mf.prep, buf + r.at, plen);
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

/* ---- safetensors ---- */

typedef struct Entry {
    char    name[64];
    int     ndim;
    int64_t shape[2];
    const float *data;
    int64_t n;
} Entry;

/* The JSON header, grown as it is written; 'oom' sticks after a failed allocation. */
typedef struct Hdr {
    char  *p;
    size_t len, cap;
    int    oom;
} Hdr;

static void hdr_add(Hdr *h, const char *fmt, ...) {
    va_list ap;
    int n;
    while (!h->oom) {
        size_t room = h->cap - h->len;
        va_start(ap, fmt);
        n = vsnprintf(h->p != NULL ? h->p + h->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) {
            h->oom = 1;                             /* an encoding error: cannot happen */
        } else if ((size_t)n < room) {
            h->len += (size_t)n;
            return;
        } else {                                    /* too small: grow and print again */
            size_t cap = h->cap * 2 > h->len + (size_t)n + 16 ? h->cap * 2
                                                              : h->len + (size_t)n + 16;
            char *q = mn_realloc(h->p, cap);
            if (q == NULL) {
                h->oom = 1;
            } else {
                h->p = q;
                h->cap = cap;
            }
        }
    }
}

int nn_export_safetensors(const char *path, const nn_Graph *g, mn_Err *e) {
    Entry *ents;
    int ne = 0, rc;
    Hdr hdr = {NULL, 0, 0, 0};
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
    hdr_add(&hdr, "{\"__metadata__\":{\"format\":\"pt\",\"producer\":\"moneta\"}");
    for (int k = 0; k < ne; k++) {
        uint64_t bytes = (uint64_t)ents[k].n * 4;
        hdr_add(&hdr, ",\"%s\":{\"dtype\":\"F32\",\"shape\":[", ents[k].name);
        for (int d = 0; d < ents[k].ndim; d++)
            hdr_add(&hdr, "%s%lld", d ? "," : "", (long long)ents[k].shape[d]);
        hdr_add(&hdr, "],\"data_offsets\":[%llu,%llu]}", (unsigned long long)off,
                (unsigned long long)(off + bytes));
        off += bytes;
    }
    hdr_add(&hdr, "}");
    while (!hdr.oom && hdr.len % 8 != 0)
        hdr_add(&hdr, " ");                         /* pad so the data is 8-byte aligned */
    if (hdr.oom) {
        mn_free(hdr.p);
        mn_free(ents);
        return mn_fail(e, MN_ENOMEM, "export: out of memory");
    }
    len = hdr.len;
    if ((w.f = open_tmp(path, tmp, sizeof tmp, e)) == NULL) {
        mn_free(hdr.p);
        mn_free(ents);
        return MN_EIO;
    }
    wu64(&w, (uint64_t)len);
    wbytes(&w, hdr.p, len);
    for (int k = 0; k < ne; k++)
        wfloats(&w, ents[k].data, ents[k].n);
    rc = close_tmp(w.f, w.err, tmp, path, e);
    mn_free(hdr.p);
    mn_free(ents);
    return rc;
}
