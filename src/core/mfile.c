/* mfile.c -- the model-file container (core/mfile.h): writing atomically, reading with every
** size checked against the file before anything is allocated. All integers and floats are
** little-endian whatever the host. What the options text means is the kind's business. */
#include "core/mfile.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "core/mem.h"

#define HDR 40                      /* magic 8, 4 x u32, 2 x u64 */
#define ARRHDR 16                   /* per array: u32 name length, u32 dtype, u64 count */

uint32_t mn_crc32(uint32_t crc, const void *data, size_t n) {
    static uint32_t table[256];     /* const once filled; filled by the first call */
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

/* ---- atomic files ---- */

FILE *mn_atomic_open(const char *path, char *tmp, size_t n, mn_Err *e) {
    FILE *f;
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    if ((f = fopen(tmp, "wb")) == NULL)
        mn_fail(e, MN_EIO, "%s: %s", tmp, strerror(errno));
    return f;
}

int mn_atomic_close(FILE *f, int werr, const char *tmp, const char *path, mn_Err *e) {
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

/* ---- writing ---- */

/* A writer that tracks the CRC and the first error (an errno). */
typedef struct W {
    FILE    *f;
    uint32_t crc;
    int      err;
} W;

static void wbytes(W *w, const void *p, size_t n) {
    if (w->err || n == 0)
        return;
    w->crc = mn_crc32(w->crc, p, n);
    if (fwrite(p, 1, n, w->f) != n)
        w->err = errno ? errno : EIO;
}

static void wuint(W *w, uint64_t v, int bytes) {
    unsigned char b[8];
    for (int i = 0; i < bytes; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    wbytes(w, b, (size_t)bytes);
}

/* 'n' numbers of 'size' bytes (4: float, 8: double), little-endian, in chunks. */
static void wnumbers(W *w, const void *data, int64_t n, int size) {
    unsigned char buf[4096];
    size_t k = 0;
    for (int64_t i = 0; i < n; i++) {
        uint64_t u = 0;
        if (size == 4) {
            uint32_t u32;
            memcpy(&u32, (const float *)data + i, 4);
            u = u32;
        } else {
            memcpy(&u, (const double *)data + i, 8);
        }
        for (int j = 0; j < size; j++)
            buf[k++] = (unsigned char)(u >> (8 * j));
        if (k + 8 > sizeof buf) {
            wbytes(w, buf, k);
            k = 0;
        }
    }
    wbytes(w, buf, k);
}

static int dtype_size(int dtype) { return dtype == MN_F32 ? 4 : dtype == MN_F64 ? 8 : 0; }

static int check_name(const char *what, const char *s, mn_Err *e) {
    size_t n = strlen(s);
    if (n == 0 || n >= MN_MFILE_KINDMAX)
        return mn_fail(e, MN_EARG, "model file: %s '%s' must have 1 to %d bytes", what, s,
                       MN_MFILE_KINDMAX - 1);
    return MN_OK;
}

int mn_mfile_write(const char *path, const mn_MFile *mf, mn_Err *e) {
    char tmp[4096];
    W w = {0};
    size_t olen = mf->options ? mf->options_len : 0, plen = mf->prep ? mf->prep_len : 0;
    int rc;
    if ((rc = check_name("kind", mf->kind, e)) != MN_OK)
        return rc;
    if (mf->narrays < 0 || mf->narrays > MN_MFILE_MAXARRAYS)
        return mn_fail(e, MN_EARG, "model file: %d arrays (at most %d)", mf->narrays,
                       MN_MFILE_MAXARRAYS);
    for (int i = 0; i < mf->narrays; i++) {
        const mn_MArray *a = &mf->arrays[i];
        if ((rc = check_name("array name", a->name, e)) != MN_OK)
            return rc;
        if (dtype_size(a->dtype) == 0 || a->n < 0 || (a->n > 0 && a->data == NULL))
            return mn_fail(e, MN_EARG, "model file: array '%s': bad dtype or count", a->name);
    }
    if ((w.f = mn_atomic_open(path, tmp, sizeof tmp, e)) == NULL)
        return MN_EIO;
    wbytes(&w, MN_MFILE_MAGIC, 8);
    wuint(&w, MN_MFILE_VERSION, 4);
    wuint(&w, strlen(mf->kind), 4);
    wuint(&w, mf->kind_version, 4);
    wuint(&w, (uint64_t)mf->narrays, 4);
    wuint(&w, olen, 8);
    wuint(&w, plen, 8);
    wbytes(&w, mf->kind, strlen(mf->kind));
    for (int i = 0; i < mf->narrays; i++) {
        const mn_MArray *a = &mf->arrays[i];
        wuint(&w, strlen(a->name), 4);
        wuint(&w, (uint64_t)a->dtype, 4);
        wuint(&w, (uint64_t)a->n, 8);
        wbytes(&w, a->name, strlen(a->name));
    }
    wbytes(&w, mf->options, olen);
    wbytes(&w, mf->prep, plen);
    for (int i = 0; i < mf->narrays; i++)
        wnumbers(&w, mf->arrays[i].data, mf->arrays[i].n, dtype_size(mf->arrays[i].dtype));
    {
        uint32_t crc = w.crc;
        wuint(&w, crc, 4);
    }
    return mn_atomic_close(w.f, w.err, tmp, path, e);
}

/* ---- reading ---- */

static uint64_t ruint(const unsigned char *p, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

void mn_mfile_free(mn_MFile *mf) {
    if (mf == NULL)
        return;
    mn_free(mf->options);
    mn_free(mf->prep);
    for (int i = 0; i < mf->narrays && i < MN_MFILE_MAXARRAYS; i++)
        mn_free(mf->arrays[i].data);
    memset(mf, 0, sizeof *mf);
}

const mn_MArray *mn_mfile_array(const mn_MFile *mf, const char *name) {
    for (int i = 0; i < mf->narrays; i++)
        if (strcmp(mf->arrays[i].name, name) == 0)
            return &mf->arrays[i];
    return NULL;
}

/* The whole file in one buffer of its own size (what the file justifies, and no more). */
static int slurp(const char *path, unsigned char **buf, size_t *n, mn_Err *e) {
    FILE *f = fopen(path, "rb");
    long size;
    if (f == NULL)
        return mn_fail(e, MN_EIO, "%s: %s", path, strerror(errno));
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return mn_fail(e, MN_EIO, "%s: cannot size the file", path);
    }
    if ((*buf = mn_malloc((size_t)size + 1)) == NULL) {
        fclose(f);
        return mn_fail(e, MN_ENOMEM, "%s: out of memory (%ld bytes)", path, size);
    }
    if (fread(*buf, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        mn_free(*buf);
        *buf = NULL;
        return mn_fail(e, MN_EIO, "%s: read error", path);
    }
    fclose(f);
    *n = (size_t)size;
    return MN_OK;
}

static int magic_error(const char *path, const unsigned char *buf, size_t n, mn_Err *e) {
    if (n >= 12 && memcmp(buf, MN_MFILE_LEGACY, 8) == 0)
        return mn_fail(e, MN_EPARSE, "%s: a version-%u neural-network file (MONETANN); read it "
                       "with nn.load", path, (unsigned)ruint(buf + 8, 4));
    return mn_fail(e, MN_EPARSE, "%s: not a moneta model file", path);
}

/* 'buf' of 'n' bytes, CRC checked: the header's sizes must add up to 'n'; fills 'mf' with
** lengths, names and offsets only ('off' gets the options, prep and array offsets). */
static int layout(const char *path, const unsigned char *buf, size_t n, mn_MFile *mf,
                  size_t *off, mn_Err *e) {
    uint64_t klen = ruint(buf + 12, 4), nar = ruint(buf + 20, 4), olen = ruint(buf + 24, 8);
    uint64_t plen = ruint(buf + 32, 8), at = HDR, body = n - 4;
    mf->kind_version = (uint32_t)ruint(buf + 16, 4);
    if (klen == 0 || klen >= MN_MFILE_KINDMAX || nar > MN_MFILE_MAXARRAYS || klen > body - at)
        return mn_fail(e, MN_EPARSE, "%s: corrupt header (kind length %llu, %llu arrays)",
                       path, (unsigned long long)klen, (unsigned long long)nar);
    memcpy(mf->kind, buf + at, klen);
    mf->kind[klen] = '\0';
    at += klen;
    for (uint64_t i = 0; i < nar; i++) {
        mn_MArray *a = &mf->arrays[i];
        uint64_t nlen, dt, cnt;
        if (ARRHDR > body - at)
            return mn_fail(e, MN_EPARSE, "%s: truncated array table", path);
        nlen = ruint(buf + at, 4);
        dt = ruint(buf + at + 4, 4);
        cnt = ruint(buf + at + 8, 8);
        at += ARRHDR;
        if (nlen == 0 || nlen >= MN_MFILE_KINDMAX || nlen > body - at ||
            dtype_size((int)dt) == 0 || (dt != MN_F32 && dt != MN_F64))
            return mn_fail(e, MN_EPARSE, "%s: corrupt array table (array %llu)", path,
                           (unsigned long long)i + 1);
        memcpy(a->name, buf + at, nlen);
        a->name[nlen] = '\0';
        at += nlen;
        a->dtype = (int)dt;
        if (cnt > body)                         /* each number takes >= 4 bytes */
            return mn_fail(e, MN_EPARSE, "%s: array '%s' declares %llu numbers in a file of "
                           "%zu bytes", path, a->name, (unsigned long long)cnt, n);
        a->n = (int64_t)cnt;
    }
    mf->narrays = (int)nar;
    if (olen > body - at || plen > body - at - olen)
        return mn_fail(e, MN_EPARSE, "%s: truncated or corrupt (sizes do not add up)", path);
    off[0] = (size_t)at;
    off[1] = (size_t)(at + olen);
    at += olen + plen;
    mf->options_len = (size_t)olen;
    mf->prep_len = (size_t)plen;
    for (int i = 0; i < mf->narrays; i++) {
        uint64_t bytes = (uint64_t)mf->arrays[i].n * (uint64_t)dtype_size(mf->arrays[i].dtype);
        if (bytes > body - at)
            return mn_fail(e, MN_EPARSE, "%s: truncated or corrupt (array '%s' runs past the "
                           "end)", path, mf->arrays[i].name);
        off[2 + i] = (size_t)at;
        at += bytes;
    }
    if (at != body)
        return mn_fail(e, MN_EPARSE, "%s: truncated or corrupt (sizes do not add up)", path);
    return MN_OK;
}

int mn_mfile_read(const char *path, mn_MFile *out, mn_Err *e) {
    unsigned char *buf = NULL;
    size_t n = 0, off[2 + MN_MFILE_MAXARRAYS];
    mn_MFile mf;
    uint32_t version;
    int rc;
    memset(&mf, 0, sizeof mf);
    if ((rc = slurp(path, &buf, &n, e)) != MN_OK)
        return rc;
    if (n < HDR + 4 || memcmp(buf, MN_MFILE_MAGIC, 8) != 0) {
        rc = magic_error(path, buf, n, e);
        goto done;
    }
    version = (uint32_t)ruint(buf + 8, 4);
    if (version != MN_MFILE_VERSION) {
        rc = mn_fail(e, MN_EPARSE, "%s: model file version %u, this moneta reads version %u",
                     path, version, MN_MFILE_VERSION);
        goto done;
    }
    if ((uint32_t)ruint(buf + n - 4, 4) != mn_crc32(0, buf, n - 4)) {
        rc = mn_fail(e, MN_EPARSE, "%s: checksum mismatch (the file is corrupt)", path);
        goto done;
    }
    if ((rc = layout(path, buf, n, &mf, off, e)) != MN_OK) {
        memset(&mf, 0, sizeof mf);              /* nothing allocated yet */
        goto done;
    }
    /* every size is now known to fit in the file: allocate and copy */
    mf.options = mn_malloc(mf.options_len + 1);
    mf.prep = mf.prep_len ? mn_malloc(mf.prep_len + 1) : NULL;
    if (mf.options == NULL || (mf.prep_len && mf.prep == NULL)) {
        rc = mn_fail(e, MN_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    memcpy(mf.options, buf + off[0], mf.options_len);
    mf.options[mf.options_len] = '\0';
    if (mf.prep) {
        memcpy(mf.prep, buf + off[1], mf.prep_len);
        mf.prep[mf.prep_len] = '\0';
    }
    for (int i = 0; i < mf.narrays; i++) {
        mn_MArray *a = &mf.arrays[i];
        int size = dtype_size(a->dtype);
        const unsigned char *p = buf + off[2 + i];
        if ((a->data = mn_malloc((size_t)(a->n + 1) * (size_t)size)) == NULL) {
            rc = mn_fail(e, MN_ENOMEM, "%s: out of memory", path);
            goto done;
        }
        for (int64_t k = 0; k < a->n; k++, p += size) {
            uint64_t u = ruint(p, size);
            if (size == 4) {
                uint32_t u32 = (uint32_t)u;
                memcpy((float *)a->data + k, &u32, 4);
            } else {
                memcpy((double *)a->data + k, &u, 8);
            }
        }
    }
    *out = mf;
    memset(&mf, 0, sizeof mf);
done:
    mn_mfile_free(&mf);
    mn_free(buf);
    return rc;
}

int mn_mfile_peek(const char *path, char *kind, uint32_t *kind_version, mn_Err *e) {
    FILE *f = fopen(path, "rb");
    unsigned char h[HDR + MN_MFILE_KINDMAX];
    size_t got;
    uint64_t klen;
    if (f == NULL)
        return mn_fail(e, MN_EIO, "%s: %s", path, strerror(errno));
    got = fread(h, 1, sizeof h, f);
    fclose(f);
    if (got >= 12 && memcmp(h, MN_MFILE_LEGACY, 8) == 0) {
        strcpy(kind, "nn");
        *kind_version = (uint32_t)ruint(h + 8, 4);
        return MN_OK;
    }
    if (got < HDR || memcmp(h, MN_MFILE_MAGIC, 8) != 0)
        return mn_fail(e, MN_EPARSE, "%s: not a moneta model file", path);
    klen = ruint(h + 12, 4);
    if (klen == 0 || klen >= MN_MFILE_KINDMAX || HDR + klen > got)
        return mn_fail(e, MN_EPARSE, "%s: corrupt header (kind length %llu)", path,
                       (unsigned long long)klen);
    memcpy(kind, h + HDR, klen);
    kind[klen] = '\0';
    *kind_version = (uint32_t)ruint(h + 16, 4);
    return MN_OK;
}
