/* clean.c -- dropna, fillna, dedupe, clip, winsorize, outlier flags, casts and missing counts,
** plus the class ids that split.c shares through clean_int.h (statistics are stats.c's). No
** fitted state lives here. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "data/clean.h"
#include "data/clean_int.h"
#include "data/io_int.h"
#include "data/ops_int.h"

/* ---- class ids ---- */

typedef struct Key {
    double      d;
    int64_t     i;
    const char *s;
    int64_t     row;
} Key;

static int cmp_key_d(const void *a, const void *b) {
    const Key *x = a, *y = b;
    int nx = isnan(x->d), ny = isnan(y->d);
    if (nx || ny)
        return nx != ny ? nx - ny : (x->row > y->row) - (x->row < y->row);
    if (x->d != y->d)
        return (x->d > y->d) - (x->d < y->d);
    return (x->row > y->row) - (x->row < y->row);
}

static int cmp_key_i(const void *a, const void *b) {
    const Key *x = a, *y = b;
    if (x->i != y->i)
        return (x->i > y->i) - (x->i < y->i);
    return (x->row > y->row) - (x->row < y->row);
}

static int cmp_key_s(const void *a, const void *b) {
    const Key *x = a, *y = b;
    int c;
    if (x->s == NULL || y->s == NULL)
        c = (x->s == NULL) - (y->s == NULL);
    else
        c = strcmp(x->s, y->s);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

static int cmp_levels_ptr(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* rank[code] = position of level 'code' in byte order of the levels. */
static int level_ranks(const fr_Column *c, int32_t **out, mn_Err *e) {
    int32_t nl = fr_cat_nlevels(c);
    const char **lv = mn_malloc((size_t)(nl ? nl : 1) * sizeof *lv);
    int32_t *rank = mn_malloc((size_t)(nl ? nl : 1) * sizeof *rank);
    if (lv == NULL || rank == NULL) {
        mn_free(lv);
        mn_free(rank);
        return mn_fail(e, MN_ENOMEM, "out of memory ranking levels");
    }
    for (int32_t k = 0; k < nl; k++)
        lv[k] = fr_cat_level(c, k);
    qsort(lv, (size_t)nl, sizeof *lv, cmp_levels_ptr);
    for (int32_t k = 0; k < nl; k++)
        rank[fr_cat_find(c, lv[k])] = k;
    mn_free(lv);
    *out = rank;
    return MN_OK;
}

int fr__cl_groups(const fr_Column *c, int64_t *gid, int64_t *k, mn_Err *e) {
    int64_t n = fr_col_len(c), ng = 0;
    fr_Column *cc = (fr_Column *)c;
    int32_t *rank = NULL;
    int (*cmp)(const void *, const void *) = cmp_key_i;
    Key *keys = mn_malloc((size_t)(n ? n : 1) * sizeof *keys);
    if (keys == NULL)
        return mn_fail(e, MN_ENOMEM, "out of memory grouping %" PRId64 " rows", n);
    if (fr_col_type(c) == FR_CAT && level_ranks(c, &rank, e) != MN_OK) {
        mn_free(keys);
        return e->code;
    }
    for (int64_t i = 0; i < n; i++) {
        Key *q = &keys[i];
        q->row = i;
        q->d = 0.0;
        q->i = 0;
        q->s = NULL;
        switch (fr_col_type(c)) {
        case FR_F64: q->d = fr_col_f64(cc)[i]; cmp = cmp_key_d; break;
        case FR_CAT: {
            int32_t code = fr_col_codes(cc)[i];
            q->i = code < 0 ? INT64_MAX : rank[code];
            break;
        }
        case FR_DATE: case FR_DATETIME: {
            int64_t t = fr_col_time(cc)[i];
            q->i = t == FR_NA_TIME ? INT64_MAX : t;
            break;
        }
        case FR_BOOL: q->i = fr_col_bool(cc)[i] < 0 ? 2 : fr_col_bool(cc)[i]; break;
        case FR_TEXT: q->s = fr_col_text(cc)[i]; cmp = cmp_key_s; break;
        }
    }
    qsort(keys, (size_t)n, sizeof *keys, cmp);
    for (int64_t r = 0; r < n; r++) {
        if (r > 0 && cmp(&(Key){keys[r - 1].d, keys[r - 1].i, keys[r - 1].s, 0},
                         &(Key){keys[r].d, keys[r].i, keys[r].s, 0}) != 0)
            ng++;
        gid[keys[r].row] = ng;
    }
    *k = n ? ng + 1 : 0;
    mn_free(rank);
    mn_free(keys);
    return MN_OK;
}

/* ---- helpers ---- */

/* The columns named subset[0..k) (all when k = 0) into a new array of '*nc' pointers. */
static int pick_columns(const fr_Frame *f, const char *const *subset, int k, const char *what,
                        fr_Column ***out, int *nc, mn_Err *e) {
    int n = k > 0 ? k : fr_ncols(f);
    fr_Column **cols = mn_malloc((size_t)(n ? n : 1) * sizeof *cols);
    if (cols == NULL)
        return mn_fail(e, MN_ENOMEM, "%s: out of memory", what);
    for (int j = 0; j < n; j++) {
        if (k == 0) {
            cols[j] = fr_col(f, j);
        } else if (fr_get(f, subset[j], &cols[j], e) != MN_OK) {
            mn_free(cols);
            return mn_prefix(e, "%s", what);
        }
    }
    *out = cols;
    *nc = n;
    return MN_OK;
}

/* A column of 'f' that must be f64. */
static int get_f64(const fr_Frame *f, const char *name, const char *what, fr_Column **c,
                   mn_Err *e) {
    if (fr_get(f, name, c, e) != MN_OK)
        return mn_prefix(e, "%s", what);
    if (fr_col_type(*c) != FR_F64)
        return mn_fail(e, MN_EARG, "%s: column '%s' is %s, not f64", what, name,
                       fr_type_name(fr_col_type(*c)));
    return MN_OK;
}

/* A frame sharing every column of 'f', with column 'name' replaced by 'c' (the new frame
** takes its own reference; the caller keeps and drops its own). */
static int replace_col(const fr_Frame *f, const char *name, fr_Column *c, fr_Frame **out,
                       mn_Err *e) {
    fr_Frame *g = NULL;
    int rc = fr_drop(f, NULL, 0, &g, e);
    if (rc == MN_OK && (rc = fr_set(g, name, c, e)) != MN_OK) {
        fr_free(g);
        return rc;
    }
    if (rc == MN_OK)
        *out = g;
    return rc;
}

/* ---- dropna ---- */

int fr_dropna(const fr_Frame *f, int how_all, const char *const *subset, int k,
              fr_Frame **out, mn_Err *e) {
    fr_Column **cols = NULL;
    int nc, rc;
    int64_t n = fr_nrows(f), kept = 0, *idx;
    if ((rc = pick_columns(f, subset, k, "dropna", &cols, &nc, e)) != MN_OK)
        return rc;
    idx = mn_malloc((size_t)(n ? n : 1) * sizeof *idx);
    if (idx == NULL) {
        mn_free(cols);
        return mn_fail(e, MN_ENOMEM, "dropna: out of memory");
    }
    for (int64_t i = 0; i < n; i++) {
        int na = 0;
        for (int j = 0; j < nc; j++)
            na += fr_col_isna(cols[j], i);
        if (nc == 0 || (how_all ? na < nc : na == 0))
            idx[kept++] = i;
    }
    rc = fr_take(f, idx, kept, out, e);
    mn_free(idx);
    mn_free(cols);
    return rc;
}

/* ---- fillna ---- */

/* Row of a most frequent value of 'c' (-1 when no value); ties -> the smallest value (for
** cat: the level first in byte order), as groups are numbered in value order. */
static int mode_row(const fr_Column *c, int64_t *row, mn_Err *e) {
    int64_t n = fr_col_len(c), ng, best = -1, bestn = 0, *gid, *cnt;
    int rc;
    *row = -1;
    gid = mn_malloc((size_t)(n ? n : 1) * sizeof *gid);
    if (gid == NULL)
        return mn_fail(e, MN_ENOMEM, "mode: out of memory");
    if ((rc = fr__cl_groups(c, gid, &ng, e)) != MN_OK) {
        mn_free(gid);
        return rc;
    }
    cnt = mn_calloc((size_t)(ng ? ng : 1), sizeof *cnt);
    if (cnt == NULL) {
        mn_free(gid);
        return mn_fail(e, MN_ENOMEM, "mode: out of memory");
    }
    for (int64_t i = 0; i < n; i++)
        if (!fr_col_isna(c, i))
            cnt[gid[i]]++;
    for (int64_t g = 0; g < ng; g++)       /* first max wins */
        if (cnt[g] > bestn) {
            bestn = cnt[g];
            best = g;
        }
    for (int64_t i = 0; best >= 0 && i < n; i++)
        if (gid[i] == best) {
            *row = i;
            break;
        }
    mn_free(cnt);
    mn_free(gid);
    return MN_OK;
}

/* Copy the value of row 'from' into row 'to' of column 'c' (same column, refcount 1). */
static int copy_cell(fr_Column *c, int64_t from, int64_t to, mn_Err *e) {
    switch (fr_col_type(c)) {
    case FR_F64: fr_col_f64(c)[to] = fr_col_f64(c)[from]; break;
    case FR_CAT: fr_col_codes(c)[to] = fr_col_codes(c)[from]; break;
    case FR_DATE: case FR_DATETIME: fr_col_time(c)[to] = fr_col_time(c)[from]; break;
    case FR_BOOL: fr_col_bool(c)[to] = fr_col_bool(c)[from]; break;
    case FR_TEXT: {
        char *s = mn_strdup(fr_col_text(c)[from]);
        if (s == NULL)
            return mn_fail(e, MN_ENOMEM, "fillna: out of memory");
        mn_free(fr_col_text(c)[to]);
        fr_col_text(c)[to] = s;
        break;
    }
    }
    return MN_OK;
}

/* Time of row i of the 'by' column as a double offset usable in differences. */
static int row_time(const fr_Column *by, int64_t i, double *t) {
    if (fr_col_isna(by, i))
        return 0;
    if (fr_col_type(by) == FR_F64)
        *t = fr_col_f64((fr_Column *)by)[i];
    else
        *t = (double)fr_col_time((fr_Column *)by)[i];
    return 1;
}

static int interpolate(fr_Column *c, const fr_Column *by, const char *name, const char *byname,
                       mn_Err *e) {
    double *v = fr_col_f64(c);
    int64_t n = fr_col_len(c), prev = -1;
    for (int64_t i = 0; i < n; i++) {
        if (isnan(v[i]))
            continue;
        if (prev >= 0 && i - prev > 1) {          /* a gap (prev, i) between two values */
            double t0 = (double)prev, t1 = (double)i;
            const int64_t *tt = by && fr_col_type(by) != FR_F64 ?
                                fr_col_time((fr_Column *)by) : NULL;
            if (by != NULL && (!row_time(by, prev, &t0) || !row_time(by, i, &t1)))
                return mn_fail(e, MN_EARG, "fillna: interpolate '%s' by '%s': no time at "
                               "row %" PRId64, name, byname,
                               (fr_col_isna(by, prev) ? prev : i) + 1);
            for (int64_t r = prev + 1; r < i; r++) {
                double t = (double)r, w;
                if (by != NULL && !row_time(by, r, &t))
                    return mn_fail(e, MN_EARG, "fillna: interpolate '%s' by '%s': no time at "
                                   "row %" PRId64, name, byname, r + 1);
                if (by != NULL && (t < t0 || t > t1))
                    return mn_fail(e, MN_EARG, "fillna: interpolate '%s' by '%s': time "
                                   "decreases between rows %" PRId64 " and %" PRId64
                                   " (sort by time first)", name, byname, prev + 1, i + 1);
                if (tt != NULL)          /* exact int64 differences, then one division */
                    w = tt[prev] == tt[i] ? 0.0 :
                        (double)(tt[r] - tt[prev]) / (double)(tt[i] - tt[prev]);
                else
                    w = t1 == t0 ? 0.0 : (t - t0) / (t1 - t0);
                v[r] = v[prev] + w * (v[i] - v[prev]);
            }
        }
        prev = i;
    }
    return MN_OK;
}

static const char *fill_name(fr_FillHow how) {
    static const char *const names[] = {"value", "mean", "median", "mode", "ffill", "bfill",
                                        "interpolate"};
    return (unsigned)how < sizeof names / sizeof names[0] ? names[how] : "?";
}

/* Fill column 'c' (a private copy) in place as 'fl' says. */
static int fill_one(fr_Column *c, const fr_Fill *fl, const fr_Column *by, const char *byname,
                    mn_Err *e) {
    int64_t n = fr_col_len(c);
    fr_Type t = fr_col_type(c);
    const char *name = fl->column;
    double x = NAN;
    int rc;
    switch (fl->how) {
    case FR_FILL_MEAN: case FR_FILL_MEDIAN: case FR_FILL_INTERP:
        if (t != FR_F64)
            return mn_fail(e, MN_EARG, "fillna: column '%s' is %s; '%s' needs f64", name,
                           fr_type_name(t), fill_name(fl->how));
        if (fl->how == FR_FILL_INTERP)
            return interpolate(c, by, name, byname, e);
        if (fl->how == FR_FILL_MEAN) {
            double sd;
            int64_t m;
            fr__moments(c, 0, &x, &sd, &m);
        } else {
            double *s;
            int64_t m;
            if ((rc = fr__sorted_values(c, &s, &m, e)) != MN_OK)
                return rc;
            x = fr_quantile_sorted(s, m, 0.5);
            mn_free(s);
        }
        for (int64_t i = 0; i < n; i++)
            if (isnan(fr_col_f64(c)[i]))
                fr_col_f64(c)[i] = x;
        return MN_OK;
    case FR_FILL_MODE: {
        int64_t row;
        if (t == FR_TEXT)
            return mn_fail(e, MN_EARG, "fillna: column '%s' is text; 'mode' needs f64, cat, "
                           "bool or date (cast it to cat)", name);
        if ((rc = mode_row(c, &row, e)) != MN_OK)
            return rc;
        for (int64_t i = 0; row >= 0 && i < n; i++)
            if (fr_col_isna(c, i) && (rc = copy_cell(c, row, i, e)) != MN_OK)
                return rc;
        return MN_OK;
    }
    case FR_FILL_FFILL:
        for (int64_t i = 1; i < n; i++)
            if (fr_col_isna(c, i) && !fr_col_isna(c, i - 1) &&
                (rc = copy_cell(c, i - 1, i, e)) != MN_OK)
                return rc;
        return MN_OK;
    case FR_FILL_BFILL:
        for (int64_t i = n - 2; i >= 0; i--)
            if (fr_col_isna(c, i) && !fr_col_isna(c, i + 1) &&
                (rc = copy_cell(c, i + 1, i, e)) != MN_OK)
                return rc;
        return MN_OK;
    case FR_FILL_VALUE:
        break;
    }
    /* a constant */
    if ((t == FR_CAT || t == FR_TEXT) && fl->level == NULL)
        return mn_fail(e, MN_EARG, "fillna: column '%s' is %s; give a string to fill with",
                       name, fr_type_name(t));
    if ((t != FR_CAT && t != FR_TEXT) && (fl->level != NULL || isnan(fl->value)))
        return mn_fail(e, MN_EARG, "fillna: column '%s' is %s; give a %s to fill with", name,
                       fr_type_name(t), t == FR_BOOL ? "boolean" : "number");
    if (t == FR_CAT) {
        int32_t code;
        if ((rc = fr_cat_intern(c, fl->level, strlen(fl->level), &code, e)) != MN_OK)
            return rc;
        for (int64_t i = 0; i < n; i++)
            if (fr_col_codes(c)[i] < 0)
                fr_col_codes(c)[i] = code;
        return MN_OK;
    }
    for (int64_t i = 0; i < n; i++) {
        if (!fr_col_isna(c, i))
            continue;
        switch (t) {
        case FR_F64: fr_col_f64(c)[i] = fl->value; break;
        case FR_BOOL: fr_col_bool(c)[i] = fl->value != 0.0; break;
        case FR_DATE: case FR_DATETIME: fr_col_time(c)[i] = (int64_t)fl->value; break;
        case FR_TEXT:
            if ((fr_col_text(c)[i] = mn_strdup(fl->level)) == NULL)
                return mn_fail(e, MN_ENOMEM, "fillna: out of memory");
            break;
        default: break;
        }
    }
    return MN_OK;
}

int fr_fillna(const fr_Frame *f, const fr_Fill *fills, int k, const char *by,
              fr_Frame **out, mn_Err *e) {
    fr_Column *byc = NULL;
    fr_Frame *g = NULL;
    int rc;
    if (by != NULL) {
        if (fr_get(f, by, &byc, e) != MN_OK)
            return mn_prefix(e, "fillna: by");
        if (fr_col_type(byc) != FR_F64 && fr_col_type(byc) != FR_DATE &&
            fr_col_type(byc) != FR_DATETIME)
            return mn_fail(e, MN_EARG, "fillna: by '%s' is %s; a date, datetime or f64 column "
                           "is needed", by, fr_type_name(fr_col_type(byc)));
    }
    if ((rc = fr_drop(f, NULL, 0, &g, e)) != MN_OK)
        return rc;
    for (int i = 0; i < k; i++) {
        fr_Column *src, *c = NULL;
        if ((rc = fr_get(g, fills[i].column, &src, e)) != MN_OK) {
            mn_prefix(e, "fillna");
            break;
        }
        if ((rc = fr_col_copy(src, &c, e)) != MN_OK)
            break;
        if ((rc = fill_one(c, &fills[i], byc, by, e)) == MN_OK)
            rc = fr_set(g, fills[i].column, c, e);
        fr_col_unref(c);
        if (rc != MN_OK)
            break;
    }
    if (rc != MN_OK) {
        fr_free(g);
        return rc;
    }
    *out = g;
    return MN_OK;
}

/* ---- dedupe ---- */

int fr_dedupe(const fr_Frame *f, const char *const *subset, int k, fr_Keep keep,
              fr_Frame **out, mn_Err *e) {
    fr_Column **cols = NULL;
    fr__Keys ks = {0};
    fr__Groups g = {0};
    int nc, rc;
    int64_t n = fr_nrows(f), kept = 0, *last = NULL, *count = NULL, *idx = NULL;
    if ((rc = pick_columns(f, subset, k, "dedupe", &cols, &nc, e)) != MN_OK)
        return rc;
    /* missing equals missing (na_group), NaN and -0 as in joins and groupby; polls Ctrl-C */
    rc = fr__keys_init(&ks, cols, nc, e);
    ks.n = n;                           /* no key columns: every row is one and the same key */
    if (rc != MN_OK || (rc = fr__groups_build(&ks, 1, &g, e)) != MN_OK) {
        mn_prefix(e, "dedupe");
        goto done;
    }
    last = mn_malloc((size_t)(g.ngroups ? g.ngroups : 1) * sizeof *last);
    count = mn_calloc((size_t)(g.ngroups ? g.ngroups : 1), sizeof *count);
    idx = mn_malloc((size_t)(n ? n : 1) * sizeof *idx);
    if (last == NULL || count == NULL || idx == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "dedupe: out of memory for %" PRId64 " rows", n);
        goto done;
    }
    for (int64_t i = 0; i < n; i++) {
        last[g.gid[i]] = i;
        count[g.gid[i]]++;
    }
    for (int64_t i = 0; i < n; i++) {
        int64_t q = g.gid[i];
        if ((keep == FR_KEEP_FIRST && g.first[q] == i) || (keep == FR_KEEP_LAST && last[q] == i) ||
            (keep == FR_KEEP_NONE && count[q] == 1))
            idx[kept++] = i;
    }
    rc = fr_take(f, idx, kept, out, e);
done:
    fr__groups_free(&g);
    fr__keys_free(&ks);
    mn_free(cols);
    mn_free(last);
    mn_free(count);
    mn_free(idx);
    return rc;
}

/* ---- clip, winsorize, outliers ---- */

int fr_clip(const fr_Frame *f, const char *col, double lo, double hi, fr_Frame **out,
            mn_Err *e) {
    fr_Column *src, *c = NULL;
    int rc;
    if ((rc = get_f64(f, col, "clip", &src, e)) != MN_OK)
        return rc;
    if (isnan(lo) || isnan(hi) || lo > hi)
        return mn_fail(e, MN_EARG, "clip: column '%s': bounds [%g, %g] are not lo <= hi", col,
                       lo, hi);
    if ((rc = fr_col_copy(src, &c, e)) != MN_OK)
        return rc;
    for (int64_t i = 0; i < fr_col_len(c); i++) {
        double *v = &fr_col_f64(c)[i];
        if (*v < lo)
            *v = lo;
        else if (*v > hi)
            *v = hi;                                  /* NaN compares false: stays NaN */
    }
    rc = replace_col(f, col, c, out, e);
    fr_col_unref(c);
    return rc;
}

int fr_quantile_bounds(const fr_Column *c, double qlo, double qhi, double *lo, double *hi,
                       mn_Err *e) {
    double *s;
    int64_t m;
    int rc;
    if (!(qlo >= 0.0 && qlo <= 1.0 && qhi >= 0.0 && qhi <= 1.0 && qlo <= qhi))
        return mn_fail(e, MN_EARG, "quantiles %g, %g must satisfy 0 <= lo <= hi <= 1", qlo, qhi);
    if (fr_col_type(c) != FR_F64)
        return mn_fail(e, MN_EARG, "column is %s, not f64", fr_type_name(fr_col_type(c)));
    if ((rc = fr__sorted_values(c, &s, &m, e)) != MN_OK)
        return rc;
    *lo = fr_quantile_sorted(s, m, qlo);
    *hi = fr_quantile_sorted(s, m, qhi);
    mn_free(s);
    return MN_OK;
}

int fr_winsorize(const fr_Frame *f, const char *const *cols, int k, double lo_frac,
                 double hi_frac, fr_Frame **out, mn_Err *e) {
    fr_Frame *g = NULL;
    int rc;
    if (!(lo_frac >= 0.0 && hi_frac >= 0.0 && lo_frac + hi_frac < 1.0))
        return mn_fail(e, MN_EARG, "winsorize: limits %g, %g must be >= 0 with a sum below 1",
                       lo_frac, hi_frac);
    if ((rc = fr_drop(f, NULL, 0, &g, e)) != MN_OK)
        return rc;
    for (int j = 0; j < k && rc == MN_OK; j++) {
        fr_Column *src, *c = NULL;
        double *s;
        int64_t m, nlo, nhi;
        if ((rc = get_f64(f, cols[j], "winsorize", &src, e)) != MN_OK)
            break;
        if ((rc = fr__sorted_values(src, &s, &m, e)) != MN_OK)
            break;
        nlo = (int64_t)(lo_frac * (double)m);       /* as scipy: int(limit * n) */
        nhi = (int64_t)(hi_frac * (double)m);
        if ((rc = fr_col_copy(src, &c, e)) == MN_OK && m > 0) {
            double lo = s[nlo], hi = s[m - nhi - 1];
            for (int64_t i = 0; i < fr_col_len(c); i++) {
                double *v = &fr_col_f64(c)[i];
                if (*v < lo)
                    *v = lo;
                else if (*v > hi)
                    *v = hi;
            }
        }
        mn_free(s);
        if (rc == MN_OK)
            rc = fr_set(g, cols[j], c, e);
        fr_col_unref(c);
    }
    if (rc != MN_OK) {
        fr_free(g);
        return rc;
    }
    *out = g;
    return MN_OK;
}

int fr_outliers(const fr_Column *c, fr_OutlierMethod method, double k, fr_Column **out,
                mn_Err *e) {
    fr_Column *flags = NULL;
    const double *v = fr_col_f64((fr_Column *)c);
    double lo, hi;
    int rc;
    if (v == NULL)
        return mn_fail(e, MN_EARG, "outliers: column is %s, not f64",
                       fr_type_name(fr_col_type(c)));
    if (!(k >= 0.0))
        return mn_fail(e, MN_EARG, "outliers: k must be >= 0 (got %g)", k);
    if (method == FR_OUT_ZSCORE) {
        double mean, sd;
        int64_t m;
        fr__moments(c, 0, &mean, &sd, &m);
        lo = mean - k * sd;
        hi = mean + k * sd;
    } else {
        double q1, q3;
        if ((rc = fr_quantile_bounds(c, 0.25, 0.75, &q1, &q3, e)) != MN_OK)
            return rc;
        lo = q1 - k * (q3 - q1);
        hi = q3 + k * (q3 - q1);
    }
    if ((rc = fr_col_new(FR_BOOL, fr_col_len(c), &flags, e)) != MN_OK)
        return rc;
    for (int64_t i = 0; i < fr_col_len(c); i++)
        if (!isnan(v[i]))
            fr_col_bool(flags)[i] = v[i] < lo || v[i] > hi;
    *out = flags;
    return MN_OK;
}

/* ---- cast ---- */

static int is_na_text(const char *s) { return s[0] == '\0' || strcmp(s, "NA") == 0; }

/* Store 'txt' (a formatted value) in row i of a cat or text column. */
static int put_text(fr_Column *d, int64_t i, const char *txt, mn_Err *e) {
    if (fr_col_type(d) == FR_CAT)
        return fr_cat_intern(d, txt, strlen(txt), &fr_col_codes(d)[i], e);
    if ((fr_col_text(d)[i] = mn_strdup(txt)) == NULL)
        return mn_fail(e, MN_ENOMEM, "cast: out of memory");
    return MN_OK;
}

int fr_col_cast(const fr_Column *c, const char *name, fr_Type to, fr_Column **out, mn_Err *e) {
    fr_Column *cc = (fr_Column *)c, *d = NULL;
    fr_Type from = fr_col_type(c);
    int64_t n = fr_col_len(c);
    int rc;
    char buf[64];
    if (from == to)
        return fr_col_copy(c, out, e);
    if ((from == FR_F64 && (to == FR_DATE || to == FR_DATETIME)) ||
        ((from == FR_DATE || from == FR_DATETIME) && to == FR_BOOL) ||
        (from == FR_BOOL && (to == FR_DATE || to == FR_DATETIME)))
        return mn_fail(e, MN_EARG, "cast: column '%s': no conversion from %s to %s", name,
                       fr_type_name(from), fr_type_name(to));
    if ((rc = fr_col_new(to, n, &d, e)) != MN_OK)
        return rc;
    for (int64_t i = 0; i < n && rc == MN_OK; i++) {
        const char *s = NULL;
        if (fr_col_isna(c, i))
            continue;
        if (from == FR_CAT)
            s = fr_cat_level(c, fr_col_codes(cc)[i]);
        else if (from == FR_TEXT)
            s = fr_col_text(cc)[i];
        if (to == FR_CAT || to == FR_TEXT) {
            if (from == FR_BOOL)
                s = fr_col_bool(cc)[i] ? "true" : "false";
            else if (s == NULL) {
                fr_col_format(c, i, buf, sizeof buf);
                s = buf;
            }
            rc = put_text(d, i, s, e);
            continue;
        }
        if (s != NULL) {                                 /* parse text */
            const char *bad = NULL;
            if (is_na_text(s))
                continue;
            if (to == FR_F64) {                          /* read_csv's rules throughout */
                if (!fr__parse_num(s, strlen(s), '.', 0, &fr_col_f64(d)[i]))
                    bad = "a number";
            } else if (to == FR_BOOL) {
                int b = fr__parse_bool(s, strlen(s), 1);
                if (b < 0)
                    bad = "a boolean (true/false/yes/no/t/f/y/n/1/0)";
                else
                    fr_col_bool(d)[i] = (int8_t)b;
            } else {
                int64_t ns;
                int has_time;
                if (!fr__parse_time(s, strlen(s), FR_DATES_YMD, &ns, &has_time) ||
                    (to == FR_DATE && has_time))
                    bad = to == FR_DATE ? "a date (YYYY-MM-DD)" :
                          "a date-time (YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM])";
                else
                    fr_col_time(d)[i] = ns;
            }
            if (bad != NULL)
                rc = mn_fail(e, MN_EARG, "cast: column '%s' row %" PRId64 ": '%.40s' is not %s",
                             name, i + 1, s, bad);
            continue;
        }
        switch (from) {                                  /* numeric sources */
        case FR_F64: {
            double v = fr_col_f64(cc)[i];
            if (to == FR_BOOL) {
                if (v != 0.0 && v != 1.0) {
                    fr_col_format(c, i, buf, sizeof buf);
                    rc = mn_fail(e, MN_EARG, "cast: column '%s' row %" PRId64 ": %s is not 0 or "
                                 "1 (bool)", name, i + 1, buf);
                } else {
                    fr_col_bool(d)[i] = (int8_t)v;
                }
            }
            break;
        }
        case FR_BOOL:
            fr_col_f64(d)[i] = fr_col_bool(cc)[i];
            break;
        case FR_DATE: case FR_DATETIME: {
            int64_t t = fr_col_time(cc)[i];
            if (to == FR_F64)
                fr_col_f64(d)[i] = (double)(t / FR_NS_PER_DAY) +
                                   (double)(t % FR_NS_PER_DAY) / (double)FR_NS_PER_DAY;
            else if (to == FR_DATE)             /* floor to midnight */
                fr_col_time(d)[i] = (t / FR_NS_PER_DAY - (t % FR_NS_PER_DAY < 0)) *
                                    FR_NS_PER_DAY;
            else
                fr_col_time(d)[i] = t;
            break;
        }
        default:
            break;
        }
    }
    if (rc != MN_OK) {
        fr_col_unref(d);
        return rc;
    }
    *out = d;
    return MN_OK;
}

int fr_cast(const fr_Frame *f, const char *col, fr_Type to, fr_Frame **out, mn_Err *e) {
    fr_Column *src, *c = NULL;
    int rc;
    if (fr_get(f, col, &src, e) != MN_OK)
        return mn_prefix(e, "cast");
    if ((rc = fr_col_cast(src, col, to, &c, e)) != MN_OK)
        return rc;
    rc = replace_col(f, col, c, out, e);
    fr_col_unref(c);
    return rc;
}

void fr_missing_counts(const fr_Frame *f, int64_t *counts) {
    for (int j = 0; j < fr_ncols(f); j++) {
        fr_Column *c = fr_col(f, j);
        counts[j] = 0;
        for (int64_t i = 0; i < fr_col_len(c); i++)
            counts[j] += fr_col_isna(c, i);
    }
}
