/* frame.c -- columns (typed storage, categorical dictionaries) and frames (named columns). */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mem.h"
#include "data/frame_int.h"

/* ---- columns ---- */

static size_t elem_size(fr_Type t) {
    switch (t) {
    case FR_F64: return sizeof(double);
    case FR_CAT: return sizeof(int32_t);
    case FR_DATE: case FR_DATETIME: return sizeof(int64_t);
    case FR_BOOL: return sizeof(int8_t);
    case FR_TEXT: return sizeof(char *);
    }
    return 0;
}

const char *fr_type_name(fr_Type t) {
    static const char *const names[] = {"f64", "cat", "date", "datetime", "bool", "text"};
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

int fr_type_parse(const char *name, fr_Type *t) {
    static const struct { const char *name; fr_Type t; } alias[] = {
        {"number", FR_F64}, {"num", FR_F64}, {"double", FR_F64}, {"string", FR_TEXT},
        {"str", FR_TEXT}};
    for (int i = 0; i <= FR_TEXT; i++)
        if (strcmp(name, fr_type_name((fr_Type)i)) == 0) {
            *t = (fr_Type)i;
            return 1;
        }
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (strcmp(name, alias[i].name) == 0) {
            *t = alias[i].t;
            return 1;
        }
    return 0;
}

static void fill_missing(fr_Column *c, int64_t from, int64_t to) {
    switch (c->type) {
    case FR_F64:
        for (int64_t i = from; i < to; i++)
            ((double *)c->data)[i] = NAN;
        break;
    case FR_CAT:
        for (int64_t i = from; i < to; i++)
            ((int32_t *)c->data)[i] = -1;
        break;
    case FR_DATE: case FR_DATETIME:
        for (int64_t i = from; i < to; i++)
            ((int64_t *)c->data)[i] = FR_NA_TIME;
        break;
    case FR_BOOL:
        memset((int8_t *)c->data + from, -1, (size_t)(to - from));
        break;
    case FR_TEXT:
        memset((char **)c->data + from, 0, (size_t)(to - from) * sizeof(char *));
        break;
    }
}

static int col_alloc(fr_Type type, int64_t n, int fill, fr_Column **out, mn_Err *e) {
    fr_Column *c;
    if (n < 0 || (uint64_t)n > SIZE_MAX / 16)
        return mn_fail(e, MN_EARG, "column: bad length %" PRId64, n);
    if ((unsigned)type > FR_TEXT)
        return mn_fail(e, MN_EARG, "column: bad type %d", (int)type);
    c = mn_calloc(1, sizeof *c);
    if (c == NULL)
        return mn_fail(e, MN_ENOMEM, "column: out of memory");
    c->type = type;
    c->refs = 1;
    c->n = n;
    c->data = mn_malloc((size_t)(n ? n : 1) * elem_size(type));
    if (c->data == NULL) {
        mn_free(c);
        return mn_fail(e, MN_ENOMEM, "column: out of memory for %" PRId64 " rows", n);
    }
    if (fill)
        fill_missing(c, 0, n);
    *out = c;
    return MN_OK;
}

int fr_col_new(fr_Type type, int64_t n, fr_Column **out, mn_Err *e) {
    return col_alloc(type, n, 1, out, e);
}

int fr_col_new_unset(fr_Type type, int64_t n, fr_Column **out, mn_Err *e) {
    if (type == FR_CAT || type == FR_TEXT)
        return mn_fail(e, MN_EARG, "column: a %s column starts missing, not unset",
                       fr_type_name(type));
    return col_alloc(type, n, 0, out, e);
}

void fr_col_ref(fr_Column *c) {
    if (c != NULL)
        c->refs++;
}

void fr_col_unref(fr_Column *c) {
    if (c == NULL || --c->refs > 0)
        return;
    if (c->type == FR_TEXT)
        for (int64_t i = 0; i < c->n; i++)
            mn_free(((char **)c->data)[i]);
    for (int32_t i = 0; i < c->nlevels; i++)
        mn_free(c->levels[i]);
    mn_free(c->levels);
    mn_free(c->hash);
    mn_free(c->data);
    mn_free(c);
}

fr_Type fr_col_type(const fr_Column *c) { return c->type; }
int64_t fr_col_len(const fr_Column *c) { return c->n; }
double *fr_col_f64(fr_Column *c) { return c->type == FR_F64 ? c->data : NULL; }
int32_t *fr_col_codes(fr_Column *c) { return c->type == FR_CAT ? c->data : NULL; }
int64_t *fr_col_time(fr_Column *c) {
    return c->type == FR_DATE || c->type == FR_DATETIME ? c->data : NULL;
}
int8_t *fr_col_bool(fr_Column *c) { return c->type == FR_BOOL ? c->data : NULL; }
char **fr_col_text(fr_Column *c) { return c->type == FR_TEXT ? c->data : NULL; }

/* ---- categorical dictionary ---- */

uint64_t fr__hash(const char *s, size_t len) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static int rehash(fr_Column *c, int32_t cap, mn_Err *e) {
    int32_t *h = mn_malloc((size_t)cap * sizeof *h);
    if (h == NULL)
        return mn_fail(e, MN_ENOMEM, "categorical: out of memory");
    for (int32_t i = 0; i < cap; i++)
        h[i] = -1;
    for (int32_t k = 0; k < c->nlevels; k++) {
        uint64_t j = fr__hash(c->levels[k], strlen(c->levels[k])) & (uint64_t)(cap - 1);
        while (h[j] >= 0)
            j = (j + 1) & (uint64_t)(cap - 1);
        h[j] = k;
    }
    mn_free(c->hash);
    c->hash = h;
    c->hashcap = cap;
    return MN_OK;
}

int fr_cat_intern(fr_Column *c, const char *level, size_t len, int32_t *code, mn_Err *e) {
    uint64_t j;
    char *copy;
    if (c->type != FR_CAT)
        return mn_fail(e, MN_EARG, "fr_cat_intern: not a categorical column");
    if (c->hashcap == 0 || 2 * (c->nlevels + 1) > c->hashcap) {
        int rc = rehash(c, c->hashcap ? 2 * c->hashcap : 64, e);
        if (rc != MN_OK)
            return rc;
    }
    j = fr__hash(level, len) & (uint64_t)(c->hashcap - 1);
    while (c->hash[j] >= 0) {
        const char *l = c->levels[c->hash[j]];
        if (strncmp(l, level, len) == 0 && l[len] == '\0') {
            *code = c->hash[j];
            return MN_OK;
        }
        j = (j + 1) & (uint64_t)(c->hashcap - 1);
    }
    if (c->nlevels == INT32_MAX - 1)
        return mn_fail(e, MN_EARG, "categorical: too many levels");
    if (c->nlevels == c->levcap) {
        int32_t cap = c->levcap ? 2 * c->levcap : 16;
        char **lv = mn_realloc(c->levels, (size_t)cap * sizeof *lv);
        if (lv == NULL)
            return mn_fail(e, MN_ENOMEM, "categorical: out of memory");
        c->levels = lv;
        c->levcap = cap;
    }
    copy = mn_malloc(len + 1);
    if (copy == NULL)
        return mn_fail(e, MN_ENOMEM, "categorical: out of memory");
    memcpy(copy, level, len);
    copy[len] = '\0';
    c->levels[c->nlevels] = copy;
    c->hash[j] = c->nlevels;
    *code = c->nlevels++;
    return MN_OK;
}

int32_t fr_cat_nlevels(const fr_Column *c) { return c->type == FR_CAT ? c->nlevels : 0; }

const char *fr_cat_level(const fr_Column *c, int32_t code) {
    return code >= 0 && code < c->nlevels ? c->levels[code] : NULL;
}

int32_t fr_cat_find(const fr_Column *c, const char *level) {
    size_t len = strlen(level);
    uint64_t j;
    if (c->type != FR_CAT || c->hashcap == 0)
        return -1;
    j = fr__hash(level, len) & (uint64_t)(c->hashcap - 1);
    while (c->hash[j] >= 0) {
        if (strcmp(c->levels[c->hash[j]], level) == 0)
            return c->hash[j];
        j = (j + 1) & (uint64_t)(c->hashcap - 1);
    }
    return -1;
}

/* ---- values ---- */

int fr_col_isna(const fr_Column *c, int64_t i) {
    switch (c->type) {
    case FR_F64: return isnan(((const double *)c->data)[i]);
    case FR_CAT: return ((const int32_t *)c->data)[i] < 0;
    case FR_DATE: case FR_DATETIME: return ((const int64_t *)c->data)[i] == FR_NA_TIME;
    case FR_BOOL: return ((const int8_t *)c->data)[i] < 0;
    case FR_TEXT: return ((char *const *)c->data)[i] == NULL;
    }
    return 1;
}

double fr_col_get_num(const fr_Column *c, int64_t i) {
    if (fr_col_isna(c, i))
        return NAN;
    switch (c->type) {
    case FR_F64: return ((const double *)c->data)[i];
    case FR_CAT: return ((const int32_t *)c->data)[i];
    case FR_DATE: case FR_DATETIME: return (double)((const int64_t *)c->data)[i];
    case FR_BOOL: return ((const int8_t *)c->data)[i];
    case FR_TEXT: return NAN;
    }
    return NAN;
}

int fr__fmt_double(double v, char *buf, size_t size) {
    int n = 0;
    if (isnan(v))
        return snprintf(buf, size, "NaN");
    if (isinf(v))
        return snprintf(buf, size, v > 0 ? "inf" : "-inf");
    /* Any decimal of <= 15 significant digits survives decimal -> double -> %.15g, so when
    ** %.15g reads back it is also the shortest form; else 16, else 17 (always exact).
    ** Subnormals carry fewer digits, so they search from 1. */
    for (int p = fabs(v) < DBL_MIN ? 1 : 15; p <= 17; p++) {   /* subnormals: fewer digits */
        n = snprintf(buf, size, "%.*g", p, v);
        if (p == 17 || strtod(buf, NULL) == v)
            break;
    }
    return n;
}

static int fmt_time(int64_t ns, int with_time, char *buf, size_t size) {
    int64_t secs = ns / 1000000000, frac = ns % 1000000000;
    time_t t;
    struct tm tm;
    if (frac < 0) {
        frac += 1000000000;
        secs -= 1;
    }
    t = (time_t)secs;
    if (gmtime_r(&t, &tm) == NULL)
        return snprintf(buf, size, "?");
    if (!with_time)
        return snprintf(buf, size, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    if (frac == 0)
        return snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (frac % 1000000 == 0)
        return snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", tm.tm_year + 1900,
                        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                        (int)(frac / 1000000));
    return snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09d", tm.tm_year + 1900,
                    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)frac);
}

int fr_col_format(const fr_Column *c, int64_t i, char *buf, size_t size) {
    if (fr_col_isna(c, i))
        return snprintf(buf, size, "NA");
    switch (c->type) {
    case FR_F64: return fr__fmt_double(((const double *)c->data)[i], buf, size);
    case FR_CAT: return snprintf(buf, size, "%s", c->levels[((const int32_t *)c->data)[i]]);
    case FR_DATE: return fmt_time(((const int64_t *)c->data)[i], 0, buf, size);
    case FR_DATETIME: return fmt_time(((const int64_t *)c->data)[i], 1, buf, size);
    case FR_BOOL: return snprintf(buf, size, "%s", ((const int8_t *)c->data)[i] ? "true" : "false");
    case FR_TEXT: return snprintf(buf, size, "%s", ((char *const *)c->data)[i]);
    }
    return snprintf(buf, size, "?");
}

/* Share the dictionary of 'src' with the new column 'dst' (a deep copy of the levels). */
static int copy_levels(const fr_Column *src, fr_Column *dst, mn_Err *e) {
    for (int32_t k = 0; k < src->nlevels; k++) {
        int32_t code;
        int rc = fr_cat_intern(dst, src->levels[k], strlen(src->levels[k]), &code, e);
        if (rc != MN_OK)
            return rc;
    }
    return MN_OK;
}

int fr_col_take(const fr_Column *c, const int64_t *idx, int64_t n, fr_Column **out, mn_Err *e) {
    fr_Column *d;
    int rc = fr_col_new(c->type, n, &d, e);
    size_t es = elem_size(c->type);
    if (rc != MN_OK)
        return rc;
    if (c->type == FR_CAT && (rc = copy_levels(c, d, e)) != MN_OK) {
        fr_col_unref(d);
        return rc;
    }
    for (int64_t i = 0; i < n; i++) {
        int64_t k = idx[i];
        if (k < 0)
            continue;                               /* stays missing */
        if (k >= c->n) {
            fr_col_unref(d);
            return mn_fail(e, MN_EARG, "take: row %" PRId64 " out of range (%" PRId64 " rows)",
                           k + 1, c->n);
        }
        if (c->type == FR_TEXT) {
            const char *s = ((char *const *)c->data)[k];
            if (s != NULL && (((char **)d->data)[i] = mn_strdup(s)) == NULL) {
                fr_col_unref(d);
                return mn_fail(e, MN_ENOMEM, "take: out of memory");
            }
        } else if (es == 8) {
            ((uint64_t *)d->data)[i] = ((const uint64_t *)c->data)[k];
        } else if (es == 4) {
            ((uint32_t *)d->data)[i] = ((const uint32_t *)c->data)[k];
        } else {
            ((uint8_t *)d->data)[i] = ((const uint8_t *)c->data)[k];
        }
    }
    *out = d;
    return MN_OK;
}

int fr_col_copy(const fr_Column *c, fr_Column **out, mn_Err *e) {
    fr_Column *d;
    int rc = fr_col_new(c->type, c->n, &d, e);
    if (rc != MN_OK)
        return rc;
    if (c->type == FR_CAT && (rc = copy_levels(c, d, e)) != MN_OK) {
        fr_col_unref(d);
        return rc;
    }
    if (c->type == FR_TEXT) {
        for (int64_t i = 0; i < c->n; i++) {
            const char *s = ((char *const *)c->data)[i];
            if (s != NULL && (((char **)d->data)[i] = mn_strdup(s)) == NULL) {
                fr_col_unref(d);
                return mn_fail(e, MN_ENOMEM, "copy: out of memory");
            }
        }
    } else {
        memcpy(d->data, c->data, (size_t)c->n * elem_size(c->type));
    }
    *out = d;
    return MN_OK;
}

/* ---- frames ---- */

int fr_new(int64_t nrows, fr_Frame **out, mn_Err *e) {
    fr_Frame *f = mn_calloc(1, sizeof *f);
    if (f == NULL)
        return mn_fail(e, MN_ENOMEM, "frame: out of memory");
    f->nrows = nrows;
    *out = f;
    return MN_OK;
}

void fr_free(fr_Frame *f) {
    if (f == NULL)
        return;
    for (int j = 0; j < f->ncols; j++) {
        mn_free(f->names[j]);
        fr_col_unref(f->cols[j]);
    }
    mn_free(f->names);
    mn_free(f->cols);
    mn_free(f);
}

int64_t fr_nrows(const fr_Frame *f) { return f->nrows < 0 ? 0 : f->nrows; }
int fr_ncols(const fr_Frame *f) { return f->ncols; }
const char *fr_name(const fr_Frame *f, int j) { return f->names[j]; }
fr_Column *fr_col(const fr_Frame *f, int j) { return f->cols[j]; }

int fr_find(const fr_Frame *f, const char *name) {
    for (int j = 0; j < f->ncols; j++)
        if (strcmp(f->names[j], name) == 0)
            return j;
    return -1;
}

int fr_get(const fr_Frame *f, const char *name, fr_Column **out, mn_Err *e) {
    char list[160];
    size_t used = 0;
    int j = fr_find(f, name);
    if (j >= 0) {
        *out = f->cols[j];
        return MN_OK;
    }
    list[0] = '\0';
    for (int k = 0; k < f->ncols && used < sizeof list - 8; k++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", f->names[k]);
        if (w < 0 || (size_t)w >= sizeof list - used) {
            snprintf(list + used, sizeof list - used, ", ...");
            break;
        }
        used += (size_t)w;
    }
    return mn_fail(e, MN_EARG, "no column '%s' (columns: %s)", name, list);
}

double *fr_f64(const fr_Frame *f, const char *name) {
    int j = fr_find(f, name);
    return j < 0 ? NULL : fr_col_f64(f->cols[j]);
}

int fr_add(fr_Frame *f, const char *name, fr_Column *c, mn_Err *e) {
    char *copy;
    if (fr_find(f, name) >= 0)
        return mn_fail(e, MN_EARG, "frame already has a column '%s'", name);
    if (f->nrows >= 0 && c->n != f->nrows)
        return mn_fail(e, MN_ESHAPE, "column '%s' has %" PRId64 " rows, the frame %" PRId64,
                       name, c->n, f->nrows);
    if (f->ncols == f->cap) {
        int cap = f->cap ? 2 * f->cap : 8;
        char **names = mn_realloc(f->names, (size_t)cap * sizeof *names);
        fr_Column **cols;
        if (names == NULL)
            return mn_fail(e, MN_ENOMEM, "frame: out of memory");
        f->names = names;
        cols = mn_realloc(f->cols, (size_t)cap * sizeof *cols);
        if (cols == NULL)
            return mn_fail(e, MN_ENOMEM, "frame: out of memory");
        f->cols = cols;
        f->cap = cap;
    }
    if ((copy = mn_strdup(name)) == NULL)
        return mn_fail(e, MN_ENOMEM, "frame: out of memory");
    f->names[f->ncols] = copy;
    f->cols[f->ncols++] = c;
    fr_col_ref(c);
    f->nrows = c->n;
    return MN_OK;
}

int fr_set(fr_Frame *f, const char *name, fr_Column *c, mn_Err *e) {
    int j = fr_find(f, name);
    if (j < 0)
        return fr_add(f, name, c, e);
    if (c->n != f->nrows)
        return mn_fail(e, MN_ESHAPE, "column '%s' has %" PRId64 " rows, the frame %" PRId64,
                       name, c->n, f->nrows);
    fr_col_ref(c);
    fr_col_unref(f->cols[j]);
    f->cols[j] = c;
    return MN_OK;
}

int fr_rename(fr_Frame *f, const char *from, const char *to, mn_Err *e) {
    fr_Column *c;
    int j, rc = fr_get(f, from, &c, e);
    char *copy;
    if (rc != MN_OK)
        return rc;
    j = fr_find(f, from);
    if (strcmp(from, to) != 0 && fr_find(f, to) >= 0)
        return mn_fail(e, MN_EARG, "rename: frame already has a column '%s'", to);
    if ((copy = mn_strdup(to)) == NULL)
        return mn_fail(e, MN_ENOMEM, "rename: out of memory");
    mn_free(f->names[j]);
    f->names[j] = copy;
    return MN_OK;
}

int fr_select(const fr_Frame *f, const char *const *names, int k, fr_Frame **out, mn_Err *e) {
    fr_Frame *g = NULL;
    int rc = fr_new(f->nrows, &g, e);
    for (int i = 0; rc == MN_OK && i < k; i++) {
        fr_Column *c;
        if ((rc = fr_get(f, names[i], &c, e)) == MN_OK)
            rc = fr_add(g, names[i], c, e);
    }
    if (rc != MN_OK) {
        fr_free(g);
        return rc;
    }
    *out = g;
    return MN_OK;
}

int fr_drop(const fr_Frame *f, const char *const *names, int k, fr_Frame **out, mn_Err *e) {
    fr_Frame *g = NULL;
    int rc;
    for (int i = 0; i < k; i++) {
        fr_Column *c;
        if ((rc = fr_get(f, names[i], &c, e)) != MN_OK)
            return rc;
    }
    if ((rc = fr_new(f->nrows, &g, e)) != MN_OK)
        return rc;
    for (int j = 0; rc == MN_OK && j < f->ncols; j++) {
        int dropped = 0;
        for (int i = 0; i < k; i++)
            dropped |= strcmp(names[i], f->names[j]) == 0;
        if (!dropped)
            rc = fr_add(g, f->names[j], f->cols[j], e);
    }
    if (rc != MN_OK) {
        fr_free(g);
        return rc;
    }
    *out = g;
    return MN_OK;
}

int fr_take(const fr_Frame *f, const int64_t *idx, int64_t n, fr_Frame **out, mn_Err *e) {
    fr_Frame *g = NULL;
    int rc = fr_new(n, &g, e);
    for (int j = 0; rc == MN_OK && j < f->ncols; j++) {
        fr_Column *c;
        if ((rc = fr_col_take(f->cols[j], idx, n, &c, e)) == MN_OK) {
            rc = fr_add(g, f->names[j], c, e);
            fr_col_unref(c);
        }
    }
    if (rc != MN_OK) {
        fr_free(g);
        return rc;
    }
    *out = g;
    return MN_OK;
}

int fr_slice(const fr_Frame *f, int64_t first, int64_t count, fr_Frame **out, mn_Err *e) {
    int64_t n, *idx;
    int rc;
    if (first < 0)
        first = 0;
    if (first > fr_nrows(f))
        first = fr_nrows(f);
    n = count < 0 ? 0 : count;
    if (n > fr_nrows(f) - first)
        n = fr_nrows(f) - first;
    idx = mn_malloc((size_t)(n ? n : 1) * sizeof *idx);
    if (idx == NULL)
        return mn_fail(e, MN_ENOMEM, "slice: out of memory");
    for (int64_t i = 0; i < n; i++)
        idx[i] = first + i;
    rc = fr_take(f, idx, n, out, e);
    mn_free(idx);
    return rc;
}
