/* csv.c -- the CSV reader: one streaming pass over the file (plain or gzip) in chunks that
** finds fields, parses numbers on the spot and types every column over the whole file; a
** second pass only for the rare column that turns out not numeric after numbers were stored.
** Errors name file, line and column. The writer lives in csv_write.c. */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/interrupt.h"
#include "core/mem.h"
#include "data/csv.h"
#include "data/frame_int.h"
#include "data/io_int.h"

#define DEFAULT_CHUNK ((size_t)4 << 20)
#define REC_MORE (-1)            /* record runs past the parsed part of the buffer */

static const char *const default_na[] = {"", "NA", "N/A", "NaN", "nan", "null", "NULL", "-"};

/* How a column is being collected. */
enum {
    M_NUM,          /* doubles, stored as parsed */
    M_STR,          /* strings in an arena, typed at the end */
    M_TIME,         /* forced date/datetime: int64 ns */
    M_BOOL,         /* forced bool: int8 */
    M_DEFER         /* was numeric, met a non-number: collected again in pass 2 */
};

typedef struct Col {
    int      mode;
    int      forced;        /* fr_Type, or -1 to infer */
    int      j;             /* field index in the file */
    const char *name;       /* borrowed from Rd.names */
    int64_t  nnum;          /* M_NUM: 1 once a number was found before a non-number */
    double  *f64;           /* M_NUM */
    int64_t *tim;           /* M_TIME */
    int8_t  *b;             /* M_BOOL */
    fr__Strs s;             /* M_STR (s.off has the row capacity) */
    size_t   mark;          /* arena length at the start of the current record */
} Col;

typedef struct Field {
    const char *s;
    size_t n;
    int quoted, esc;
} Field;

enum { ST_BOM, ST_SKIP, ST_HEADER, ST_DATA, ST_DONE };

typedef struct Rd {
    const char *name;       /* for messages */
    const fr_CsvOpts *o;
    mn_Err *e;
    /* source */
    int fd;
    gzFile gz;
    const char *mem;
    size_t memlen, mempos;
    int64_t fsize;          /* -1 unknown */
    int64_t consumed;       /* bytes read so far */
    double  t0;             /* when reading began (progress records) */
    /* buffer: buf[pos..limit) holds whole lines; buf has cap + 16 bytes */
    char *buf;
    size_t cap, len, pos, limit;
    int eof;
    int64_t line;           /* line number at buf[pos] */
    int64_t skipped_lines;
    int state, pass;
    char sep, dec, thou;
    int dates;
    /* missing markers */
    const char *const *na;
    int nna, na_empty;
    unsigned char na_first[256];
    /* columns */
    int nfile;              /* fields per record */
    char **names;           /* nfile header names (deduplicated) */
    Col **map;              /* nfile: the column collecting field j, or NULL */
    Col **nomap;            /* nfile NULLs (rows skipped in pass 2) */
    Col *cols;              /* selected, in output order */
    int ncols;
    Col **strs;             /* columns in M_STR mode (for the record marks) */
    int nstrs;
    int64_t nrow, rowcap, maxrows;
    int64_t rec;            /* data records seen (incl. skipped) */
    int64_t *bad;           /* ordinals of skipped records */
    int64_t nbad, badcap, badpos;
    Field *fields;          /* header splitting */
    int fieldcap;
    char *ub;               /* unescaping buffer */
    size_t ubcap;
    char msg[200];          /* the current bad-row message */
} Rd;

/* ---- warnings ---- */

static void warn(Rd *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void warn(Rd *r, const char *fmt, ...) {
    fr_CsvReport *rep = r->o->report;
    va_list ap;
    if (rep == NULL || r->pass > 1)
        return;
    if (rep->nwarn < FR_CSV_MAXWARN) {
        va_start(ap, fmt);
        vsnprintf(rep->warn[rep->nwarn], sizeof rep->warn[0], fmt, ap);
        va_end(ap);
    }
    rep->nwarn++;
}

/* ---- source ---- */

static int src_read(Rd *r, char *dst, size_t want, size_t *got) {
    size_t have = 0;
    if (r->mem != NULL) {
        size_t k = r->memlen - r->mempos < want ? r->memlen - r->mempos : want;
        memcpy(dst, r->mem + r->mempos, k);
        r->mempos += k;
        *got = k;
        return MN_OK;
    }
    if (r->gz != NULL) {
        while (have < want) {
            unsigned ask = want - have > (1u << 30) ? (1u << 30) : (unsigned)(want - have);
            int k = gzread(r->gz, dst + have, ask);
            if (k < 0) {
                int zerr;
                const char *m = gzerror(r->gz, &zerr);
                return mn_fail(r->e, MN_EIO, "%s: gzip: %s", r->name, m);
            }
            if (k == 0) {
                int zerr;
                gzerror(r->gz, &zerr);
                if (zerr != Z_OK && zerr != Z_BUF_ERROR)
                    return mn_fail(r->e, MN_EIO, "%s: gzip: %s", r->name, gzerror(r->gz, &zerr));
                break;
            }
            have += (size_t)k;
        }
        *got = have;
        return MN_OK;
    }
    while (have < want) {
        ssize_t k = read(r->fd, dst + have, want - have);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return mn_fail(r->e, MN_EIO, "%s: %s", r->name, strerror(errno));
        if (k == 0)
            break;
        have += (size_t)k;
    }
    *got = have;
    return MN_OK;
}

static int src_rewind(Rd *r) {
    r->mempos = 0;
    if (r->gz != NULL && gzrewind(r->gz) != 0)
        return mn_fail(r->e, MN_EIO, "%s: gzip: cannot rewind", r->name);
    if (r->gz == NULL && r->fd >= 0 && lseek(r->fd, 0, SEEK_SET) < 0)
        return mn_fail(r->e, MN_EIO, "%s: %s", r->name, strerror(errno));
    r->len = r->pos = r->limit = 0;
    r->eof = 0;
    r->line = 1;
    r->consumed = 0;
    return MN_OK;
}

/* Move the unparsed tail to the front and read more (growing the buffer when it is full).
** Then buf[pos..limit) ends just after a '\n'; at end of file a '\n' is added if missing. */
static int fill(Rd *r) {
    size_t got = 0;
    int rc;
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    if (!r->eof) {
        if (r->len >= r->cap) {
            size_t cap = r->cap * 2;
            char *b = mn_realloc(r->buf, cap + 16);
            if (b == NULL)
                return mn_fail(r->e, MN_ENOMEM, "%s: out of memory for a %zu-byte record",
                               r->name, r->len);
            r->buf = b;
            r->cap = cap;
        }
        if ((rc = src_read(r, r->buf + r->len, r->cap - r->len, &got)) != MN_OK)
            return rc;
        r->len += got;
        r->consumed += (int64_t)got;
        if (got == 0)
            r->eof = 1;
    }
    if (r->eof) {
        if (r->len > 0 && r->buf[r->len - 1] != '\n')
            r->buf[r->len++] = '\n';            /* room: buf has cap + 16 bytes */
        r->limit = r->len;
    } else {
        const char *nl = NULL;
        for (size_t k = r->len; k > 0; k--)     /* memrchr is a GNU extension */
            if (r->buf[k - 1] == '\n') {
                nl = r->buf + k - 1;
                break;
            }
        r->limit = nl ? (size_t)(nl - r->buf) + 1 : 0;
    }
    memset(r->buf + r->len, 0, 8);              /* fast_num reads 8 bytes at a time */
    return MN_OK;
}

/* ---- missing markers, fields ---- */

static int is_na(const Rd *r, const char *s, size_t n) {
    if (n == 0)
        return r->na_empty;
    if (!r->na_first[(unsigned char)s[0]])
        return 0;
    for (int i = 0; i < r->nna; i++)
        if (strlen(r->na[i]) == n && memcmp(r->na[i], s, n) == 0)
            return 1;
    return 0;
}

/* Copy s[0..n) collapsing doubled quotes into r->ub. */
static int unescape(Rd *r, const char **s, size_t *n) {
    size_t k = 0;
    if (*n + 1 > r->ubcap) {
        size_t cap = r->ubcap ? r->ubcap : 256;
        char *b;
        while (cap < *n + 1)
            cap *= 2;
        if ((b = mn_realloc(r->ub, cap)) == NULL)
            return mn_fail(r->e, MN_ENOMEM, "%s: out of memory", r->name);
        r->ub = b;
        r->ubcap = cap;
    }
    for (size_t i = 0; i < *n; i++) {
        r->ub[k++] = (*s)[i];
        if ((*s)[i] == '"' && i + 1 < *n && (*s)[i + 1] == '"')
            i++;
    }
    *s = r->ub;
    *n = k;
    return MN_OK;
}

/* Split one record at p (< limit) into r->fields without storing anything. Returns the
** number of fields, REC_MORE, or -2 (-(MN_E*) - 2 on error); *endp gets the next record. */
static int split_record(Rd *r, const char *p, const char *limit, const char **endp,
                        int64_t *nlines) {
    int nf = 0;
    int64_t nl = 0;
    for (;;) {
        Field f = {p, 0, 0, 0};
        if (*p == '"') {
            const char *q = p + 1;
            f.quoted = 1;
            for (;;) {
                const char *z = memchr(q, '"', (size_t)(limit - q));
                if (z == NULL)
                    return REC_MORE;
                if (z[1] == '"') {
                    f.esc = 1;
                    q = z + 2;
                    continue;
                }
                f.s = p + 1;
                f.n = (size_t)(z - f.s);
                p = z + 1;
                break;
            }
            for (const char *z = f.s; (z = memchr(z, '\n', (size_t)(f.s + f.n - z))); z++)
                nl++;
            while (*p != r->sep && *p != '\n' && *p != '\r')
                p++;            /* text after a closing quote: ignored here, caught on data */
        } else {
            while (*p != r->sep && *p != '\n' && *p != '\r')
                p++;
            f.n = (size_t)(p - f.s);
        }
        if (nf == r->fieldcap) {
            int cap = r->fieldcap ? 2 * r->fieldcap : 64;
            Field *fs = mn_realloc(r->fields, (size_t)cap * sizeof *fs);
            if (fs == NULL) {
                mn_fail(r->e, MN_ENOMEM, "%s: out of memory", r->name);
                return -MN_ENOMEM - 2;
            }
            r->fields = fs;
            r->fieldcap = cap;
        }
        r->fields[nf++] = f;
        if (*p == r->sep) {
            p++;
            continue;
        }
        break;
    }
    if (*p == '\r')
        p++;
    if (*p == '\n')
        p++;
    *endp = p;
    *nlines = nl + 1;
    return nf;
}

/* ---- columns ---- */

static int grow_rows(Rd *r, int64_t need) {
    int64_t cap = r->rowcap ? r->rowcap : 1024;
    while (cap < need)
        cap *= 2;
    for (int k = 0; k < r->ncols; k++) {
        Col *c = &r->cols[k];
        void **pp = NULL;
        size_t es = 8;
        switch (c->mode) {
        case M_NUM: pp = (void **)&c->f64; break;
        case M_TIME: pp = (void **)&c->tim; break;
        case M_BOOL: pp = (void **)&c->b; es = 1; break;
        case M_STR: pp = (void **)&c->s.off; break;
        default: continue;
        }
        void *d = mn_realloc(*pp, (size_t)cap * es);
        if (d == NULL)
            return mn_fail(r->e, MN_ENOMEM, "%s: out of memory for %" PRId64 " rows", r->name,
                           cap);
        *pp = d;
#ifdef MADV_HUGEPAGE
        if ((size_t)cap * es >= ((size_t)8 << 20)) {   /* fewer page faults on big columns */
            uintptr_t a = ((uintptr_t)d + 4095) & ~(uintptr_t)4095;
            uintptr_t z = ((uintptr_t)d + (size_t)cap * es) & ~(uintptr_t)4095;
            if (z > a)
                (void)madvise((void *)a, z - a, MADV_HUGEPAGE);
        }
#endif
    }
    r->rowcap = cap;
    return MN_OK;
}

static int add_str(Rd *r, Col *c) {
    Col **s = mn_realloc(r->strs, (size_t)(r->nstrs + 1) * sizeof *s);
    if (s == NULL)
        return mn_fail(r->e, MN_ENOMEM, "%s: out of memory", r->name);
    r->strs = s;
    r->strs[r->nstrs++] = c;
    return MN_OK;
}

static int bad_value(Rd *r, Col *c, int64_t line, const char *s, size_t n, const char *what) {
    snprintf(r->msg, sizeof r->msg, "%s:%" PRId64 ": column %d '%s': '%.*s' is not %s",
             r->name, line, c->j + 1, c->name, n > 40 ? 40 : (int)n, s, what);
    return MN_EPARSE;
}

/* Store one field (not taken by the fast path) of column c at row 'row'. Returns MN_OK,
** MN_EPARSE with r->msg set (a bad row), or another MN_E* with r->e set. */
static int store(Rd *r, Col *c, const char *s, size_t n, int quoted, int esc, int64_t row,
                 int64_t line) {
    int na, rc;
    double v;
    int64_t bad, off;
    if (esc && (rc = unescape(r, &s, &n)) != MN_OK)
        return rc;
    na = is_na(r, s, n);
    switch (c->mode) {
    case M_NUM:
        if (na) {
            c->f64[row] = NAN;
            return MN_OK;
        }
        if (fr__parse_num(s, n, r->dec, r->thou, &v)) {
            c->f64[row] = v;
            return MN_OK;
        }
        if (c->forced >= 0)
            return bad_value(r, c, line, s, n, "a number");
        for (int64_t i = 0; i < row && !c->nnum; i++)     /* once per column */
            c->nnum = !isnan(c->f64[i]);
        if (c->nnum > 0) {          /* numbers already stored: collect it again in pass 2 */
            mn_free(c->f64);
            c->f64 = NULL;
            c->mode = M_DEFER;
            goto defer;
        }
        c->s.off = (int64_t *)(void *)c->f64;     /* same size: reuse the row buffer */
        c->f64 = NULL;
        for (int64_t i = 0; i < row; i++)
            c->s.off[i] = -1;
        c->mode = M_STR;
        c->mark = c->s.len;
        if ((rc = add_str(r, c)) != MN_OK)
            return rc;
        /* fall through */
    case M_STR:
        if (na && !quoted) {
            c->s.off[row] = -1;
            return MN_OK;
        }
        if ((bad = fr__utf8_check(s, n)) >= 0) {
            snprintf(r->msg, sizeof r->msg, "%s:%" PRId64 ": column %d '%s': invalid UTF-8 "
                     "(byte 0x%02x at offset %" PRId64 ")", r->name, line, c->j + 1, c->name,
                     (unsigned char)s[bad], bad + 1);
            return MN_EPARSE;
        }
        if ((rc = fr__strs_push(&c->s, s, n, &off, r->e)) != MN_OK)
            return rc;
        c->s.off[row] = na ? -off - 2 : off;
        return MN_OK;
    case M_TIME: {
        int64_t ns;
        int ht;
        if (na) {
            c->tim[row] = FR_NA_TIME;
            return MN_OK;
        }
        if (!fr__parse_time(s, n, r->dates ? r->dates : FR_DATES_YMD, &ns, &ht))
            return bad_value(r, c, line, s, n, r->dates > FR_DATES_YMD ? "a date" :
                             "a date (YYYY-MM-DD; for d/m/Y pass dates = \"dmy\" or \"mdy\")");
        if (c->forced == FR_DATE) {
            int64_t d = ns / FR_NS_PER_DAY;
            if (ns % FR_NS_PER_DAY < 0)
                d--;
            ns = d * FR_NS_PER_DAY;
        }
        c->tim[row] = ns;
        return MN_OK;
    }
    case M_BOOL: {
        int b;
        if (na) {
            c->b[row] = -1;
            return MN_OK;
        }
        if ((b = fr__parse_bool(s, n, 1)) < 0)
            return bad_value(r, c, line, s, n, "a boolean (true/false)");
        c->b[row] = (int8_t)b;
        return MN_OK;
    }
    case M_DEFER:
    defer:
        if (!na && (bad = fr__utf8_check(s, n)) >= 0) {
            snprintf(r->msg, sizeof r->msg, "%s:%" PRId64 ": column %d '%s': invalid UTF-8 "
                     "(byte 0x%02x at offset %" PRId64 ")", r->name, line, c->j + 1, c->name,
                     (unsigned char)s[bad], bad + 1);
            return MN_EPARSE;
        }
        return MN_OK;
    }
    return MN_OK;
}

/* ---- the fast number path ---- */

static const double pow10_exact[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Parse [+-]digits[.digits][e[+-]digits] at p. When the mantissa fits 53 bits and the
** power of ten is exact (|e| <= 22), one IEEE multiply or divide gives the correctly rounded
** result (Clinger's fast path). Returns 0 when the slow path must decide. */
static int fast_num_loop(const char *p, char dec, double *out, const char **endp) {
    uint64_t m = 0;
    int neg = 0, nd, fd = 0, e10;
    const char *d0;
    double v;
    if (*p == '-') {
        neg = 1;
        p++;
    } else if (*p == '+') {
        p++;
    }
    d0 = p;
    while ((unsigned)(*p - '0') < 10 && p - d0 < 20)
        m = m * 10 + (unsigned)(*p++ - '0');
    nd = (int)(p - d0);
    if (*p == dec) {
        const char *f0 = ++p;
        while ((unsigned)(*p - '0') < 10 && nd + (p - f0) < 20)
            m = m * 10 + (unsigned)(*p++ - '0');
        fd = (int)(p - f0);
        nd += fd;
    }
    if (nd == 0 || nd > 19)
        return 0;
    e10 = -fd;
    if (*p == 'e' || *p == 'E') {
        int es = 1, x = 0, ed = 0;
        p++;
        if (*p == '-') {
            es = -1;
            p++;
        } else if (*p == '+') {
            p++;
        }
        while ((unsigned)(*p - '0') < 10 && ed < 5) {
            x = x * 10 + (*p++ - '0');
            ed++;
        }
        if (ed == 0 || ed == 5)
            return 0;
        e10 += es * x;
    }
    if (m > (UINT64_C(1) << 53))
        return 0;
    v = (double)m;
    if (e10 < 0) {
        if (e10 < -22)
            return 0;
        v /= pow10_exact[-e10];
    } else if (e10 > 0) {
        if (e10 > 22)
            return 0;
        v *= pow10_exact[e10];
    }
    *out = neg ? -v : v;
    *endp = p;
    return 1;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
/* SWAR: eight bytes at a time (the buffer keeps 8 readable bytes past its end). */
static inline uint64_t load8(const char *p) {
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/* Number of leading ASCII digits among the 8 bytes of x (first byte lowest). */
static inline int lead_digits(uint64_t x) {
    uint64_t a = (x & UINT64_C(0xF0F0F0F0F0F0F0F0)) ^ UINT64_C(0x3030303030303030);
    uint64_t b = ((x + UINT64_C(0x0606060606060606)) & UINT64_C(0xF0F0F0F0F0F0F0F0)) ^
                 UINT64_C(0x3030303030303030);
    uint64_t nd = a | b;
    return nd ? __builtin_ctzll(nd) >> 3 : 8;
}

/* Value of the k (1..8) leading digits of x (simdjson's eight-digit conversion). */
static inline uint64_t digits_val(uint64_t x, int k) {
    x -= UINT64_C(0x3030303030303030);
    x <<= 8 * (8 - k);                       /* garbage out, leading zeros in */
    x = x * 10 + (x >> 8);
    return (((x & UINT64_C(0x000000FF000000FF)) * (100 + (UINT64_C(1000000) << 32))) +
            (((x >> 16) & UINT64_C(0x000000FF000000FF)) * (1 + (UINT64_C(10000) << 32)))) >> 32;
}

static const uint64_t pow10_u64[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};

/* The common shape, up to 7 integer and 7 fraction digits, no exponent, without a branch
** per digit; anything else goes to fast_num_loop. */
static inline int fast_num(const char *p0, char dec, double *out, const char **endp) {
    const char *p = p0;
    int neg = *p == '-', k1, fd = 0;
    uint64_t x, m;
    double v;
    p += neg;
    x = load8(p);
    k1 = lead_digits(x);
    if (k1 == 8)
        return fast_num_loop(p0, dec, out, endp);
    m = k1 ? digits_val(x, k1) : 0;
    p += k1;
    if (*p == dec) {
        x = load8(++p);
        fd = lead_digits(x);
        if (fd == 8)
            return fast_num_loop(p0, dec, out, endp);
        if (fd)
            m = m * pow10_u64[fd] + digits_val(x, fd);
        p += fd;
    }
    if (k1 + fd == 0 || *p == 'e' || *p == 'E')
        return fast_num_loop(p0, dec, out, endp);
    v = (double)m / pow10_exact[fd];
    *out = neg ? -v : v;
    *endp = p;
    return 1;
}
#else
#define fast_num fast_num_loop
#endif

/* ---- records ---- */

static int record_bad(Rd *r, int64_t line) {
    fr_CsvReport *rep = r->o->report;
    if (r->o->on_bad != FR_CSV_BAD_SKIP)
        return mn_fail(r->e, MN_EPARSE, "%s", r->msg);
    (void)line;
    if (r->pass == 1) {
        if (r->nbad == r->badcap) {
            int64_t cap = r->badcap ? 2 * r->badcap : 64;
            int64_t *b = mn_realloc(r->bad, (size_t)cap * sizeof *b);
            if (b == NULL)
                return mn_fail(r->e, MN_ENOMEM, "%s: out of memory", r->name);
            r->bad = b;
            r->badcap = cap;
        }
        r->bad[r->nbad++] = r->rec;
        if (rep != NULL) {
            if (rep->nskipped < FR_CSV_MAXSHOW)
                snprintf(rep->skipped[rep->nskipped], sizeof rep->skipped[0], "%s", r->msg);
            rep->nskipped++;
        }
    }
    return MN_OK;
}

/* Parse the data record at *pp into row r->nrow. Returns MN_OK (stored or skipped),
** REC_MORE, or an MN_E* error (r->e set). */
static int data_record(Rd *r, const char **pp, const char *limit) {
    const char *p = *pp;
    const char sep = r->sep, dec = r->dec;
    const int nf = r->nfile;
    const int64_t row = r->nrow;
    int64_t nl = 0;
    int j = 0, rc, bad = 0;
    Col **map = r->map;
    if (r->pass > 1 && r->badpos < r->nbad && r->bad[r->badpos] == r->rec)
        map = r->nomap;                          /* skipped in pass 1 */
    for (int k = 0; k < r->nstrs; k++)
        r->strs[k]->mark = r->strs[k]->s.len;
    for (;;) {
        Col *c = j < nf ? map[j] : NULL;
        const char *fs;
        size_t fn;
        int quoted = 0, esc = 0;
        if (c != NULL && c->mode == M_NUM && *p != '"') {
            double v;
            const char *q;
            if (fast_num(p, dec, &v, &q) && (*q == sep || *q == '\n' || *q == '\r')) {
                c->f64[row] = v;
                p = q;
                goto next;
            }
        }
        if (*p == '"') {
            const char *q = p + 1;
            quoted = 1;
            for (;;) {
                const char *z = memchr(q, '"', (size_t)(limit - q));
                if (z == NULL) {
                    for (int k = 0; k < r->nstrs; k++)
                        r->strs[k]->s.len = r->strs[k]->mark;
                    return REC_MORE;
                }
                if (z[1] == '"') {              /* z + 1 < limit: limit[-1] is '\n' */
                    esc = 1;
                    q = z + 2;
                    continue;
                }
                fs = p + 1;
                fn = (size_t)(z - fs);
                p = z + 1;
                break;
            }
            for (const char *z = fs; (z = memchr(z, '\n', (size_t)(fs + fn - z))); z++)
                nl++;
            if (*p != sep && *p != '\n' && *p != '\r') {
                if (!bad)
                    snprintf(r->msg, sizeof r->msg, "%s:%" PRId64 ": column %d: unexpected "
                             "'%c' after a closing quote (a quote inside a quoted field is "
                             "written \"\")", r->name, r->line + nl, j + 1, *p);
                bad = 1;
                while (*p != sep && *p != '\n' && *p != '\r')
                    p++;
                c = NULL;
            }
        } else {
            fs = p;
            while (*p != sep && *p != '\n' && *p != '\r')
                p++;
            fn = (size_t)(p - fs);
        }
        if (c != NULL && !bad) {
            rc = store(r, c, fs, fn, quoted, esc, row, r->line + nl);
            if (rc == MN_EPARSE)
                bad = 1;
            else if (rc != MN_OK)
                return rc;
        }
    next:
        j++;
        if (*p == sep) {
            p++;
            continue;
        }
        break;
    }
    if (*p == '\r')
        p++;
    if (*p == '\n')
        p++;
    if (j != nf && !bad) {
        snprintf(r->msg, sizeof r->msg, "%s:%" PRId64 ": expected %d fields, found %d%s",
                 r->name, r->line, nf, j, j > nf && r->sep == ',' ?
                 " (is a field with a comma missing its quotes?)" : "");
        bad = 1;
    }
    if (bad && map != r->nomap) {
        if ((rc = record_bad(r, r->line)) != MN_OK)
            return rc;
        for (int k = 0; k < r->nstrs; k++)
            r->strs[k]->s.len = r->strs[k]->mark;
    } else if (map == r->nomap) {
        r->badpos++;
    } else {
        r->nrow++;
    }
    r->rec++;
    r->line += 1 + nl;
    *pp = p;
    return MN_OK;
}

/* ---- header, names, selection ---- */

static int set_names_from_header(Rd *r, int nf) {
    r->nfile = nf;
    if ((r->names = mn_calloc((size_t)nf, sizeof *r->names)) == NULL)
        return mn_fail(r->e, MN_ENOMEM, "%s: out of memory", r->name);
    for (int j = 0; j < nf; j++) {
        Field *f = &r->fields[j];
        const char *s = f->s;
        size_t n = f->n;
        int rc;
        char buf[32];
        if (r->o->no_header) {
            snprintf(buf, sizeof buf, "V%d", j + 1);
            s = buf;
            n = strlen(buf);
        } else {
            int64_t badb;
            if (f->esc && (rc = unescape(r, &s, &n)) != MN_OK)
                return rc;
            if ((badb = fr__utf8_check(s, n)) >= 0)
                return mn_fail(r->e, MN_EPARSE, "%s:%" PRId64 ": column %d: invalid UTF-8 in "
                               "the header (byte 0x%02x)", r->name, r->line, j + 1,
                               (unsigned char)s[badb]);
            if (n == 0) {
                snprintf(buf, sizeof buf, "V%d", j + 1);
                warn(r, "column %d has no name; called it %s", j + 1, buf);
                s = buf;
                n = strlen(buf);
            }
        }
        if ((r->names[j] = mn_malloc(n + 1)) == NULL)
            return mn_fail(r->e, MN_ENOMEM, "%s: out of memory", r->name);
        memcpy(r->names[j], s, n);
        r->names[j][n] = '\0';
    }
    /* duplicates: the second 'a' becomes a_2 (or a_3, ... if that is taken too) */
    for (int j = 1; j < nf; j++) {
        int dup = -1;
        for (int k = 0; k < j && dup < 0; k++)
            if (strcmp(r->names[k], r->names[j]) == 0)
                dup = k;
        if (dup < 0)
            continue;
        for (int sfx = 2;; sfx++) {
            size_t n = strlen(r->names[j]) + 16;
            char *nm = mn_malloc(n);
            int taken = 0;
            if (nm == NULL)
                return mn_fail(r->e, MN_ENOMEM, "%s: out of memory", r->name);
            snprintf(nm, n, "%s_%d", r->names[j], sfx);
            for (int k = 0; k < nf && !taken; k++)
                taken = k != j && strcmp(r->names[k], nm) == 0;
            if (taken) {
                mn_free(nm);
                continue;
            }
            warn(r, "column %d '%s' repeats the name of column %d; renamed '%s'", j + 1,
                 r->names[j], dup + 1, nm);
            mn_free(r->names[j]);
            r->names[j] = nm;
            break;
        }
    }
    return MN_OK;
}

static int find_name(Rd *r, const char *name) {
    for (int j = 0; j < r->nfile; j++)
        if (strcmp(r->names[j], name) == 0)
            return j;
    return -1;
}

static int no_column(Rd *r, const char *opt, const char *name) {
    char list[120];
    size_t used = 0;
    list[0] = '\0';
    for (int j = 0; j < r->nfile && used < sizeof list - 8; j++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", j ? ", " : "", r->names[j]);
        if (w < 0 || (size_t)w >= sizeof list - used) {
            snprintf(list + used, sizeof list - used, ", ...");
            break;
        }
        used += (size_t)w;
    }
    return mn_fail(r->e, MN_EARG, "%s: %s: no column '%s' (columns: %s)", r->name, opt, name,
                   list);
}

static int setup_columns(Rd *r) {
    const fr_CsvOpts *o = r->o;
    int n = o->columns ? o->ncolumns : r->nfile;
    if ((r->map = mn_calloc((size_t)r->nfile, sizeof *r->map)) == NULL ||
        (r->nomap = mn_calloc((size_t)r->nfile, sizeof *r->nomap)) == NULL ||
        (r->cols = mn_calloc((size_t)(n ? n : 1), sizeof *r->cols)) == NULL)
        return mn_fail(r->e, MN_ENOMEM, "%s: out of memory", r->name);
    for (int k = 0; k < n; k++) {
        int j = o->columns ? find_name(r, o->columns[k]) : k;
        Col *c = &r->cols[k];
        if (j < 0)
            return no_column(r, "columns", o->columns[k]);
        if (r->map[j] != NULL)
            return mn_fail(r->e, MN_EARG, "%s: columns: '%s' is listed twice", r->name,
                           o->columns[k]);
        c->j = j;
        c->name = r->names[j];
        c->forced = -1;
        c->mode = M_NUM;
        r->map[j] = c;
    }
    r->ncols = n;
    for (int t = 0; t < o->ntypes; t++) {
        int j = find_name(r, o->type_cols[t]);
        Col *c;
        if (j < 0)
            return no_column(r, "types", o->type_cols[t]);
        if ((c = r->map[j]) == NULL)
            continue;                       /* typed but not selected: fine */
        c->forced = (int)o->types[t];
        switch (o->types[t]) {
        case FR_F64: c->mode = M_NUM; break;
        case FR_DATE: case FR_DATETIME: c->mode = M_TIME; break;
        case FR_BOOL: c->mode = M_BOOL; break;
        default:
            c->mode = M_STR;
            if (add_str(r, c) != MN_OK)
                return r->e->code;
        }
    }
    return MN_OK;
}

/* Choose the separator from the first lines at buf[pos..len): the candidate found the same
** nonzero number of times on every line, most often; else the most frequent on line 1. */
static char sniff(Rd *r) {
    static const char cand[] = {',', ';', '\t', '|'};
    int count[4][20], nlines = 0;
    const char *p = r->buf + r->pos, *end = r->buf + r->len;
    int inq = 0, best = -1;
    memset(count, 0, sizeof count);
    while (p < end && nlines < 20) {
        if (*p == '"')
            inq = !inq;
        else if (!inq && *p == '\n')
            nlines++;
        else if (!inq)
            for (int k = 0; k < 4; k++)
                if (*p == cand[k])
                    count[k][nlines]++;
        p++;
    }
    if (p == end && nlines < 20 && p > r->buf + r->pos && p[-1] != '\n')
        nlines++;
    for (int k = 0; k < 4; k++) {
        int ok = nlines > 0 && count[k][0] > 0;
        if (cand[k] == r->dec)
            continue;
        for (int l = 1; l < nlines && ok; l++)
            ok = count[k][l] == count[k][0];
        if (ok && (best < 0 || count[k][0] > count[best][0]))
            best = k;
    }
    if (best < 0)
        for (int k = 0; k < 4; k++)
            if (cand[k] != r->dec && count[k][0] > 0 && (best < 0 || count[k][0] > count[best][0]))
                best = k;
    return best < 0 ? ',' : cand[best];
}

/* ---- two threads for the plain numeric case ---- */

/* Rows of plain numbers only (every selected column M_NUM, every field on the fast path, the
** right field count, no blank line) from p up to limit, into rows row0.. (below 'cap'). Stops
** at the first record that is anything else: the serial parser takes over there. Reads the
** column layout but never changes it, so two of these may run at once. */
typedef struct Span {
    Rd         *r;
    const char *p, *limit;
    int64_t     row0, cap;
    int64_t     rows;          /* out: records stored */
    const char *stop;          /* out: where the first unhandled record starts */
} Span;

static void *span_parse(void *arg) {
    Span *sp = arg;
    Rd *r = sp->r;
    const char *p = sp->p, *limit = sp->limit;
    const char sep = r->sep, dec = r->dec;
    const int nf = r->nfile;
    Col **map = r->map;
    int64_t row = sp->row0;
    while (p < limit && row < sp->cap) {
        const char *rec = p;
        int j = 0;
        for (;; j++) {
            Col *c = map[j];
            double v;
            const char *q;
            if (!fast_num(p, dec, &v, &q) || (*q != sep && *q != '\n' && *q != '\r'))
                goto stop;
            if (c != NULL)
                c->f64[row] = v;
            p = q;
            if (*p != sep)
                break;
            if (j + 1 == nf)
                goto stop;
            p++;
        }
        if (j + 1 != nf)
            goto stop;
        if (*p == '\r')
            p++;
        if (*p != '\n') {
            p = rec;
            break;
        }
        p++;
        row++;
        continue;
    stop:
        p = rec;
        break;
    }
    sp->rows = row - sp->row0;
    sp->stop = p;
    return NULL;
}

/* Newlines in [p, end), eight bytes at a time. */
static int64_t count_nl(const char *p, const char *end) {
    int64_t n = 0;
    while (p < end && ((uintptr_t)p & 7) != 0)
        n += *p++ == '\n';
    for (; end - p >= 8; p += 8) {
        uint64_t v, t;
        memcpy(&v, p, 8);
        v ^= UINT64_C(0x0A0A0A0A0A0A0A0A);                 /* '\n' bytes -> 0 */
        t = (v & UINT64_C(0x7F7F7F7F7F7F7F7F)) + UINT64_C(0x7F7F7F7F7F7F7F7F);
        t = ~(t | v | UINT64_C(0x7F7F7F7F7F7F7F7F));       /* 0x80 exactly at zero bytes */
        n += __builtin_popcountll(t);
    }
    while (p < end)
        n += *p++ == '\n';
    return n;
}

/* Parse [*pp, limit) with two threads when it is plain numbers: the first half here, the
** second in a worker writing the rows that follow. Advances *pp over what both handled (the
** serial loop does the rest). Returns 0 when it did nothing. */
static int parallel_numeric(Rd *r, const char **pp, const char *limit) {
    const char *p = *pp, *mid;
    Span a, b;
    pthread_t th;
    int64_t n1;
    if (r->o->threads == 1 || r->pass != 1 || r->maxrows >= 0 || r->nstrs > 0 ||
        limit - p < (1 << 20))
        return 0;
    for (int k = 0; k < r->ncols; k++)
        if (r->cols[k].mode != M_NUM)
            return 0;
    if (memchr(p, '"', (size_t)(limit - p)) != NULL)
        return 0;
    mid = memchr(p + (limit - p) / 2, '\n', (size_t)(limit - p - (limit - p) / 2));
    if (mid == NULL || mid + 1 >= limit)
        return 0;
    mid++;
    n1 = count_nl(p, mid);
    if (r->rowcap < r->nrow + n1 + 1024 && grow_rows(r, r->nrow + n1 + 1024) != MN_OK)
        return 0;                     /* not fatal: the serial path reports memory errors */
    a = (Span){r, p, mid, r->nrow, r->nrow + n1, 0, NULL};
    b = (Span){r, mid, limit, r->nrow + n1, r->rowcap, 0, NULL};
    if (pthread_create(&th, NULL, span_parse, &b) != 0)
        return 0;
    span_parse(&a);
    pthread_join(th, NULL);
    if (a.stop != mid) {              /* the first half stopped early: the worker's rows wait */
        r->nrow += a.rows;
        r->rec += a.rows;
        r->line += a.rows;
        *pp = a.stop;
        return a.rows > 0;
    }
    r->nrow += a.rows + b.rows;
    r->rec += a.rows + b.rows;
    r->line += a.rows + b.rows;
    *pp = b.stop;
    return a.rows + b.rows > 0;
}

/* ---- the passes ---- */

static void estimate_rows(Rd *r) {
    /* Reserve rows from the file size and the first chunk's line length (pages never
    ** touched cost nothing); gzip input grows by doubling. */
    size_t nl = 0, span = r->limit - r->pos;
    const char *p = r->buf + r->pos, *end = r->buf + r->limit;
    int64_t est;
    if (r->fsize < 0 || r->gz != NULL || span == 0)
        return;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL && nl < 100000) {
        nl++;
        p++;
    }
    if (nl == 0)
        return;
    est = (int64_t)((double)(r->fsize - r->consumed + (int64_t)(r->len - r->pos)) /
                    ((double)span / (double)nl) * 1.02) + 64;
    if (r->maxrows >= 0 && est > r->maxrows)
        est = r->maxrows + 1;
    if (est > r->rowcap) {
        mn_Err keep = *r->e;
        if (grow_rows(r, est) != MN_OK)     /* not fatal: rows grow by doubling later */
            *r->e = keep;
    }
}

static void progress(Rd *r) {
    mn_Hook *h = r->o->hook;
    mn_Progress pr;
    if (h == NULL || h->fn == NULL)
        return;
    if (r->t0 == 0)
        r->t0 = mn_now();
    mn_progress_init(&pr, "read_csv");
    pr.phase = "batch";
    /* gzip: compressed bytes consumed of the file's size, so the fraction is still right */
    pr.step = r->gz != NULL ? (int64_t)gzoffset(r->gz) : r->consumed;
    pr.total = r->fsize > 0 ? r->fsize : 0;
    pr.elapsed = mn_now() - r->t0;
    mn_progress_emit(h, &pr);
}

static int run_pass(Rd *r) {
    int rc;
    r->state = ST_BOM;
    r->line = 1;
    r->skipped_lines = 0;
    r->nrow = 0;
    r->rec = 0;
    r->badpos = 0;
    for (;;) {
        const char *p, *limit;
        if (mn_interrupted())
            return mn_fail(r->e, MN_EINTR, "%s: reading interrupted at line %" PRId64,
                           r->name, r->line);
        if ((rc = fill(r)) != MN_OK)
            return rc;
        progress(r);
        p = r->buf + r->pos;
        limit = r->buf + r->limit;
        if (r->state == ST_BOM) {
            if (r->len - r->pos < 3 && !r->eof)
                continue;
            if (r->len - r->pos >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
                p += 3;
            r->state = ST_SKIP;
        }
        while (r->state == ST_SKIP && r->skipped_lines < r->o->skip && p < limit) {
            const char *z = memchr(p, '\n', (size_t)(limit - p));
            p = z + 1;                          /* limit[-1] is '\n' */
            r->skipped_lines++;
            r->line++;
        }
        if (r->state == ST_SKIP && r->skipped_lines >= r->o->skip)
            r->state = ST_HEADER;
        while (r->state == ST_HEADER && p < limit && (*p == '\n' || (*p == '\r' && p[1] == '\n'))) {
            p += *p == '\r' ? 2 : 1;            /* blank lines before the header */
            r->line++;
        }
        if (r->state == ST_HEADER && p < limit) {
            const char *end;
            int64_t nls;
            int nf;
            r->pos = (size_t)(p - r->buf);
            if (r->sep == 0) {                  /* sniff on 64 KiB or the whole file */
                if (!r->eof && r->len - r->pos < 65536)
                    continue;
                r->sep = sniff(r);
            }
            nf = split_record(r, p, limit, &end, &nls);
            if (nf == REC_MORE && !r->eof)
                continue;
            if (nf == REC_MORE)
                return mn_fail(r->e, MN_EPARSE, "%s:%" PRId64 ": unterminated quoted field in "
                               "the header", r->name, r->line);
            if (nf < 0)
                return r->e->code;
            if (r->pass == 1) {
                if ((rc = set_names_from_header(r, nf)) != MN_OK ||
                    (rc = setup_columns(r)) != MN_OK)
                    return rc;
            }
            if (!r->o->no_header) {
                p = end;
                r->line += nls;
            }
            r->state = ST_DATA;
            if (r->pass == 1) {
                r->pos = (size_t)(p - r->buf);
                estimate_rows(r);
            }
        }
        if (r->state == ST_DATA && p < limit)
            parallel_numeric(r, &p, limit);
        while (r->state == ST_DATA && p < limit) {
            if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
                p += *p == '\r' ? 2 : 1;        /* blank line */
                r->line++;
                continue;
            }
            if (r->maxrows >= 0 && r->nrow >= r->maxrows) {
                r->state = ST_DONE;
                break;
            }
            if (r->nrow == r->rowcap && (rc = grow_rows(r, r->nrow + 1)) != MN_OK)
                return rc;
            rc = data_record(r, &p, limit);
            if (rc == REC_MORE) {
                if (!r->eof)
                    break;
                snprintf(r->msg, sizeof r->msg, "%s:%" PRId64 ": unterminated quoted field "
                         "(the quote is never closed)", r->name, r->line);
                if ((rc = record_bad(r, r->line)) != MN_OK)
                    return rc;
                p = limit;
                break;
            }
            if (rc != MN_OK)
                return rc;
        }
        r->pos = (size_t)(p - r->buf);
        if (r->state == ST_DONE || (r->eof && r->pos >= r->len))
            break;
    }
    return MN_OK;
}

/* A column adopting a buffer of n elements (shrunk to size). */
static int adopt(fr_Type t, void **data, int64_t n, size_t es, fr_Column **out, mn_Err *e) {
    fr_Column *c;
    int rc = fr_col_new(t, 0, &c, e);
    if (rc != MN_OK)
        return rc;
    if (*data != NULL) {
        void *d = n > 0 ? mn_realloc(*data, (size_t)n * es) : NULL;
        mn_free(c->data);
        c->data = d != NULL ? d : *data;
        *data = NULL;
    }
    c->n = n;
    *out = c;
    return MN_OK;
}

static int finish(Rd *r, fr_Frame **out) {
    fr_Frame *f = NULL;
    int rc = fr_new(r->nrow, &f, r->e);
    fr__Infer how = {r->dates, r->dec, r->thou,
                     r->o->cat_max > 0 ? r->o->cat_max : 1000, 1, 0};
    for (int k = 0; rc == MN_OK && k < r->ncols; k++) {
        Col *c = &r->cols[k];
        fr_Column *col = NULL;
        char w[160];
        int64_t badrow;
        switch (c->mode) {
        case M_NUM: rc = adopt(FR_F64, (void **)&c->f64, r->nrow, 8, &col, r->e); break;
        case M_TIME:
            rc = adopt((fr_Type)c->forced, (void **)&c->tim, r->nrow, 8, &col, r->e);
            break;
        case M_BOOL: rc = adopt(FR_BOOL, (void **)&c->b, r->nrow, 1, &col, r->e); break;
        default:
            rc = fr__strs_column(&c->s, r->nrow, &how, c->forced, &col, &badrow, w, sizeof w,
                                 r->e);
            if (rc == MN_OK && w[0])
                warn(r, "column '%s': %s", c->name, w);
            if (rc == MN_EPARSE)
                mn_prefix(r->e, "%s: column '%s' (data row %" PRId64 ")", r->name, c->name,
                          badrow + 1);
            fr__strs_free(&c->s);
        }
        if (rc == MN_OK) {
            rc = fr_add(f, c->name, col, r->e);
            fr_col_unref(col);
        }
    }
    if (rc != MN_OK) {
        fr_free(f);
        return rc;
    }
    *out = f;
    return MN_OK;
}

static void rd_free(Rd *r) {
    for (int k = 0; k < r->ncols; k++) {
        mn_free(r->cols[k].f64);
        mn_free(r->cols[k].tim);
        mn_free(r->cols[k].b);
        fr__strs_free(&r->cols[k].s);
    }
    if (r->names != NULL)
        for (int j = 0; j < r->nfile; j++)
            mn_free(r->names[j]);
    mn_free(r->names);
    mn_free(r->map);
    mn_free(r->nomap);
    mn_free(r->cols);
    mn_free(r->strs);
    mn_free(r->bad);
    mn_free(r->fields);
    mn_free(r->ub);
    mn_free(r->buf);
    if (r->gz != NULL)
        gzclose(r->gz);
    else if (r->fd >= 0)
        close(r->fd);
}

static int read_any(Rd *r, fr_Frame **out) {
    const fr_CsvOpts *o = r->o;
    int rc, ndefer = 0;
    r->cap = o->chunk ? o->chunk : DEFAULT_CHUNK;
    if (r->mem != NULL && r->memlen + 16 < r->cap)
        r->cap = r->memlen + 16;
    if (r->cap < 4)
        r->cap = 4;
    if ((r->buf = mn_malloc(r->cap + 16)) == NULL)
        return mn_fail(r->e, MN_ENOMEM, "%s: out of memory", r->name);
    r->sep = o->sep;
    r->dec = o->decimal ? o->decimal : '.';
    r->thou = o->thousands;
    r->dates = o->dates;
    r->maxrows = o->nrows;
    r->na = o->na ? o->na : default_na;
    r->nna = o->na ? o->nna : (int)(sizeof default_na / sizeof default_na[0]);
    for (int i = 0; i < r->nna; i++) {
        if (r->na[i][0] == '\0')
            r->na_empty = 1;
        else
            r->na_first[(unsigned char)r->na[i][0]] = 1;
    }
    if (r->sep == '"' || r->sep == '\n' || r->sep == '\r' || (r->sep && r->sep == r->dec))
        return mn_fail(r->e, MN_EARG, "%s: bad separator '%c'", r->name, r->sep);
    r->pass = 1;
    r->line = 1;
    if ((rc = run_pass(r)) != MN_OK)
        return rc;
    if (r->state < ST_DATA) {                   /* nothing but blank or skipped lines */
        warn(r, "%s is empty: no header and no rows", r->name);
        return fr_new(0, out, r->e);
    }
    for (int k = 0; k < r->ncols; k++)
        ndefer += r->cols[k].mode == M_DEFER;
    if (ndefer > 0) {                           /* pass 2: only the deferred columns */
        int64_t rows = r->nrow;
        for (int j = 0; j < r->nfile; j++)
            if (r->map[j] != NULL && r->map[j]->mode != M_DEFER)
                r->map[j] = NULL;
        r->nstrs = 0;
        for (int k = 0; k < r->ncols; k++) {
            Col *c = &r->cols[k];
            if (c->mode != M_DEFER)
                continue;
            if ((c->s.off = mn_malloc((size_t)(rows ? rows : 1) * sizeof *c->s.off)) == NULL)
                return mn_fail(r->e, MN_ENOMEM, "%s: out of memory", r->name);
            c->mode = M_STR;
            if ((rc = add_str(r, c)) != MN_OK)
                return rc;
        }
        r->rowcap = rows ? rows : 1;
        r->maxrows = rows;
        r->pass = 2;
        if ((rc = src_rewind(r)) != MN_OK || (rc = run_pass(r)) != MN_OK)
            return rc;
        if (r->nrow != rows)
            return mn_fail(r->e, MN_EIO, "%s: the file changed while being read", r->name);
    }
    return finish(r, out);
}

void fr_csv_opts_init(fr_CsvOpts *o) {
    memset(o, 0, sizeof *o);
    o->nrows = -1;
}

int fr_read_csv(const char *path, const fr_CsvOpts *opt, fr_Frame **out, mn_Err *e) {
    fr_CsvOpts defaults;
    Rd r;
    struct stat st;
    unsigned char magic[2];
    int rc;
    if (opt == NULL) {
        fr_csv_opts_init(&defaults);
        opt = &defaults;
    }
    memset(&r, 0, sizeof r);
    r.o = opt;
    r.e = e;
    r.name = opt->name ? opt->name : path;
    r.fsize = -1;
    if ((r.fd = open(path, O_RDONLY)) < 0)
        return mn_fail(e, MN_EIO, "%s: %s", r.name, strerror(errno));
    if (fstat(r.fd, &st) == 0 && S_ISREG(st.st_mode))
        r.fsize = (int64_t)st.st_size;
    if (fstat(r.fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(r.fd);
        return mn_fail(e, MN_EIO, "%s: is a directory", r.name);
    }
    if (pread(r.fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        if ((r.gz = gzdopen(r.fd, "rb")) == NULL) {
            close(r.fd);
            return mn_fail(e, MN_ENOMEM, "%s: gzip: out of memory", r.name);
        }
        gzbuffer(r.gz, 1 << 18);
    }
    rc = read_any(&r, out);
    rd_free(&r);
    if (opt->hook != NULL && opt->hook->fn != NULL) {   /* listeners clear progress lines */
        mn_Progress end;
        mn_progress_init(&end, "read_csv");
        end.phase = "end";
        mn_progress_emit(opt->hook, &end);
    }
    return rc;
}

int fr_read_csv_str(const char *s, size_t len, const fr_CsvOpts *opt, fr_Frame **out,
                    mn_Err *e) {
    fr_CsvOpts defaults;
    Rd r;
    int rc;
    if (opt == NULL) {
        fr_csv_opts_init(&defaults);
        opt = &defaults;
    }
    memset(&r, 0, sizeof r);
    r.o = opt;
    r.e = e;
    r.name = opt->name ? opt->name : "<string>";
    r.fd = -1;
    r.mem = s;
    r.memlen = len;
    r.fsize = (int64_t)len;
    rc = read_any(&r, out);
    rd_free(&r);
    return rc;
}
