/* csv_write.c -- the CSV writer: a frame to a file (atomically: temporary file in the same
** directory, fsync, rename; gzip for ".gz") or to a memory buffer. Doubles are written in the
** shortest form that reads back to the same bits. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/interrupt.h"
#include "core/mem.h"
#include "data/csv.h"
#include "data/frame_int.h"
#include "data/io_int.h"

typedef struct Out {
    int fd;
    gzFile gz;
    char *buf;              /* pending bytes (the whole result when writing to memory) */
    size_t n, cap;
    int tomem;
    const char *name;
    mn_Err *e;
} Out;

static int out_flush(Out *o) {
    size_t done = 0;
    if (o->tomem || o->n == 0)
        return MN_OK;
    if (o->gz != NULL) {
        if (gzwrite(o->gz, o->buf, (unsigned)o->n) != (int)o->n) {
            int zerr;
            return mn_fail(o->e, MN_EIO, "%s: gzip: %s", o->name, gzerror(o->gz, &zerr));
        }
        o->n = 0;
        return MN_OK;
    }
    while (done < o->n) {
        ssize_t k = write(o->fd, o->buf + done, o->n - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return mn_fail(o->e, MN_EIO, "%s: %s", o->name, strerror(errno));
        done += (size_t)k;
    }
    o->n = 0;
    return MN_OK;
}

static int out_put(Out *o, const char *s, size_t n) {
    if (o->n + n + 1 > o->cap) {           /* keep a spare byte for the NUL */
        int rc;
        if (!o->tomem && (rc = out_flush(o)) != MN_OK)
            return rc;
        if (o->n + n + 1 > o->cap) {
            size_t cap = o->cap ? o->cap : 4096;
            char *b;
            while (cap < o->n + n + 1)
                cap *= 2;
            if ((b = mn_realloc(o->buf, cap)) == NULL)
                return mn_fail(o->e, MN_ENOMEM, "%s: out of memory", o->name);
            o->buf = b;
            o->cap = cap;
        }
    }
    memcpy(o->buf + o->n, s, n);
    o->n += n;
    return MN_OK;
}

static int looks_na(const char *s, size_t n, const char *na) {
    static const char *const markers[] = {"NA", "N/A", "NaN", "nan", "null", "NULL", "-"};
    if (n == 0 || (na != NULL && strlen(na) == n && memcmp(na, s, n) == 0))
        return 1;
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
        if (strlen(markers[i]) == n && memcmp(markers[i], s, n) == 0)
            return 1;
    return 0;
}

/* A string field, quoted when it must be to read back as the same string. */
static int put_text(Out *o, const char *s, char sep, const char *na) {
    size_t n = strlen(s);
    int q = looks_na(s, n, na) || s[0] == ' ' || s[n - 1] == ' ';
    int rc;
    for (size_t i = 0; i < n && !q; i++)
        q = s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!q)
        return out_put(o, s, n);
    if ((rc = out_put(o, "\"", 1)) != MN_OK)
        return rc;
    for (;;) {
        const char *z = memchr(s, '"', n);
        size_t k = z ? (size_t)(z - s) + 1 : n;
        if ((rc = out_put(o, s, k)) != MN_OK)
            return rc;
        if (z == NULL)
            break;
        if ((rc = out_put(o, "\"", 1)) != MN_OK)      /* double the quote */
            return rc;
        s += k;
        n -= k;
    }
    return out_put(o, "\"", 1);
}

static int write_all(const fr_Frame *f, const fr_CsvWriteOpts *opt, Out *o) {
    char sep = opt->sep ? opt->sep : ',';
    const char *na = opt->na ? opt->na : "";
    size_t nalen = strlen(na);
    int nc = fr_ncols(f), rc;
    int64_t nr = fr_nrows(f);
    char num[64];
    if (!opt->no_header && nc > 0) {
        for (int j = 0; j < nc; j++) {
            if ((j && (rc = out_put(o, &sep, 1)) != MN_OK) ||
                (rc = put_text(o, fr_name(f, j), sep, NULL)) != MN_OK)
                return rc;
        }
        if ((rc = out_put(o, "\n", 1)) != MN_OK)
            return rc;
    }
    for (int64_t i = 0; i < nr; i++) {
        if ((i & 0xffff) == 0 && mn_interrupted())
            return mn_fail(o->e, MN_EINTR, "%s: writing interrupted at row %" PRId64, o->name,
                           i + 1);
        for (int j = 0; j < nc; j++) {
            fr_Column *c = fr_col(f, j);
            fr_Type t = fr_col_type(c);
            if (j && (rc = out_put(o, &sep, 1)) != MN_OK)
                return rc;
            if (fr_col_isna(c, i)) {
                rc = out_put(o, na, nalen);
            } else if (t == FR_F64) {
                int k = fr__fmt_double(fr_col_f64(c)[i], num, sizeof num);
                rc = out_put(o, num, (size_t)k);
            } else if (t == FR_TEXT) {
                rc = put_text(o, fr_col_text(c)[i], sep, na);
            } else if (t == FR_CAT) {
                rc = put_text(o, fr_cat_level(c, fr_col_codes(c)[i]), sep, na);
            } else {
                int k = fr_col_format(c, i, num, sizeof num);
                rc = out_put(o, num, (size_t)k);
            }
            if (rc != MN_OK)
                return rc;
        }
        if ((rc = out_put(o, "\n", 1)) != MN_OK)
            return rc;
    }
    return out_flush(o);
}

void fr_csv_wopts_init(fr_CsvWriteOpts *o) {
    memset(o, 0, sizeof *o);
    o->gzip = -1;
}

int fr_write_csv_str(const fr_Frame *f, const fr_CsvWriteOpts *opt, char **out, size_t *len,
                     mn_Err *e) {
    fr_CsvWriteOpts defaults;
    Out o;
    int rc;
    if (opt == NULL) {
        fr_csv_wopts_init(&defaults);
        opt = &defaults;
    }
    memset(&o, 0, sizeof o);
    o.fd = -1;
    o.tomem = 1;
    o.name = "<string>";
    o.e = e;
    if ((rc = write_all(f, opt, &o)) == MN_OK && (rc = out_put(&o, "", 0)) == MN_OK &&
        o.buf == NULL && (o.buf = mn_malloc(1)) == NULL)
        rc = mn_fail(e, MN_ENOMEM, "out of memory");
    if (rc != MN_OK) {
        mn_free(o.buf);
        return rc;
    }
    o.buf[o.n] = '\0';                   /* out_put keeps one spare byte */
    *out = o.buf;
    *len = o.n;
    return MN_OK;
}

int fr_write_csv(const fr_Frame *f, const char *path, const fr_CsvWriteOpts *opt, mn_Err *e) {
    fr_CsvWriteOpts defaults;
    Out o;
    size_t plen = strlen(path);
    char *tmp;
    int rc, gz;
    mode_t mask;
    if (opt == NULL) {
        fr_csv_wopts_init(&defaults);
        opt = &defaults;
    }
    gz = opt->gzip >= 0 ? opt->gzip : (plen > 3 && strcmp(path + plen - 3, ".gz") == 0);
    if ((tmp = mn_malloc(plen + 16)) == NULL)
        return mn_fail(e, MN_ENOMEM, "%s: out of memory", path);
    snprintf(tmp, plen + 16, "%s.tmp-XXXXXX", path);
    memset(&o, 0, sizeof o);
    o.name = path;
    o.e = e;
    if ((o.fd = mkstemp(tmp)) < 0) {
        rc = mn_fail(e, MN_EIO, "%s: cannot create a file beside it: %s", path, strerror(errno));
        mn_free(tmp);
        return rc;
    }
    mask = umask(0);                     /* mkstemp makes 0600; give the usual 0666 & ~umask */
    umask(mask);
    (void)fchmod(o.fd, 0666 & ~mask);
    o.cap = 1 << 18;
    if ((o.buf = mn_malloc(o.cap)) == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "%s: out of memory", path);
        goto fail;
    }
    if (gz) {
        int fd2 = dup(o.fd);
        if (fd2 < 0 || (o.gz = gzdopen(fd2, "wb6")) == NULL) {
            if (fd2 >= 0)
                close(fd2);
            rc = mn_fail(e, MN_EIO, "%s: gzip: cannot open the stream", path);
            goto fail;
        }
    }
    if ((rc = write_all(f, opt, &o)) != MN_OK)
        goto fail;
    if (o.gz != NULL) {
        int zrc = gzclose(o.gz);
        o.gz = NULL;
        if (zrc != Z_OK) {
            rc = mn_fail(e, MN_EIO, "%s: gzip: error %d on close", path, zrc);
            goto fail;
        }
    }
    if (fsync(o.fd) != 0 || close(o.fd) != 0) {
        o.fd = -1;
        rc = mn_fail(e, MN_EIO, "%s: %s", path, strerror(errno));
        goto fail;
    }
    o.fd = -1;
    if (rename(tmp, path) != 0) {
        rc = mn_fail(e, MN_EIO, "%s: rename: %s", path, strerror(errno));
        goto fail;
    }
    mn_free(o.buf);
    mn_free(tmp);
    return MN_OK;
fail:
    if (o.gz != NULL)
        gzclose(o.gz);
    if (o.fd >= 0)
        close(o.fd);
    unlink(tmp);
    mn_free(o.buf);
    mn_free(tmp);
    return rc;
}
