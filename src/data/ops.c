/* ops.c -- row operations (stable multi-key sort, filter) and element-wise column operations
** (arithmetic, comparisons, Kleene logic, isna). Statistics live in stats.c, joins in join.c,
** group-by in group.c. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/interrupt.h"
#include "core/mem.h"
#include "data/ops_int.h"

int fr__cmp_rows(const fr_Column *a, int64_t i, const fr_Column *b, int64_t j) {
    if (fr__is_string(a->type))
        return strcmp(fr__row_text(a, i), fr__row_text(b, j));
    if (fr__is_time(a->type)) {
        int64_t x = ((const int64_t *)a->data)[i], y = ((const int64_t *)b->data)[j];
        return (x > y) - (x < y);
    }
    {
        double x = fr__num_at(a, i), y = fr__num_at(b, j);
        return (x > y) - (x < y);
    }
}

/* ---- sort ---- */

typedef struct SKey {
    fr_Type        type;
    const void    *data;
    int32_t       *rank;        /* FR_CAT: rank of each code by level text (owned) */
    int            desc;
} SKey;

typedef struct LevelRef {
    const char *text;
    int32_t     code;
} LevelRef;

static int levelref_cmp(const void *a, const void *b) {
    return strcmp(((const LevelRef *)a)->text, ((const LevelRef *)b)->text);
}

static int level_ranks(const fr_Column *c, int32_t **out, mn_Err *e) {
    int32_t n = c->nlevels;
    LevelRef *refs = mn_malloc((size_t)(n ? n : 1) * sizeof *refs);
    int32_t *rank = mn_malloc((size_t)(n ? n : 1) * sizeof *rank);
    if (refs == NULL || rank == NULL) {
        mn_free(refs);
        mn_free(rank);
        return mn_fail(e, MN_ENOMEM, "sort: out of memory");
    }
    for (int32_t l = 0; l < n; l++) {
        refs[l].text = c->levels[l];
        refs[l].code = l;
    }
    qsort(refs, (size_t)n, sizeof *refs, levelref_cmp);
    for (int32_t r = 0; r < n; r++)
        rank[refs[r].code] = r;
    mn_free(refs);
    *out = rank;
    return MN_OK;
}

/* <0, 0, >0 for rows a, b by all keys; missing last in either direction. */
static int cmp_keys(const SKey *keys, int k, int64_t a, int64_t b) {
    for (int j = 0; j < k; j++) {
        const SKey *s = &keys[j];
        int c = 0, na = 0, nb = 0;
        switch (s->type) {
        case FR_F64: {
            double x = ((const double *)s->data)[a], y = ((const double *)s->data)[b];
            na = isnan(x), nb = isnan(y);
            c = (x > y) - (x < y);
            break;
        }
        case FR_CAT: {
            int32_t x = ((const int32_t *)s->data)[a], y = ((const int32_t *)s->data)[b];
            na = x < 0, nb = y < 0;
            if (!na && !nb)
                c = (s->rank[x] > s->rank[y]) - (s->rank[x] < s->rank[y]);
            break;
        }
        case FR_DATE: case FR_DATETIME: {
            int64_t x = ((const int64_t *)s->data)[a], y = ((const int64_t *)s->data)[b];
            na = x == FR_NA_TIME, nb = y == FR_NA_TIME;
            c = (x > y) - (x < y);
            break;
        }
        case FR_BOOL: {
            int8_t x = ((const int8_t *)s->data)[a], y = ((const int8_t *)s->data)[b];
            na = x < 0, nb = y < 0;
            c = (x > y) - (x < y);
            break;
        }
        case FR_TEXT: {
            const char *x = ((char *const *)s->data)[a], *y = ((char *const *)s->data)[b];
            na = x == NULL, nb = y == NULL;
            if (!na && !nb)
                c = strcmp(x, y);
            break;
        }
        }
        if (na || nb) {
            if (na && nb)
                continue;
            return na ? 1 : -1;
        }
        if (c != 0)
            return s->desc ? -c : c;
    }
    return 0;
}

#define RUN 16

/* Stable bottom-up merge sort of idx[0..n): insertion-sorted runs of RUN, then merges that
** ping-pong between idx and tmp. Polls the interrupt flag once per pass. */
static int merge_sort(const SKey *keys, int k, int64_t *idx, int64_t *tmp, int64_t n,
                      mn_Err *e) {
    int64_t *src = idx, *dst = tmp;
    for (int64_t lo = 0; lo < n; lo += RUN) {
        int64_t hi = lo + RUN < n ? lo + RUN : n;
        for (int64_t i = lo + 1; i < hi; i++) {
            int64_t v = idx[i], j = i;
            while (j > lo && cmp_keys(keys, k, idx[j - 1], v) > 0) {
                idx[j] = idx[j - 1];
                j--;
            }
            idx[j] = v;
        }
    }
    for (int64_t w = RUN; w < n; w *= 2) {
        if (mn_interrupted())
            return mn_fail(e, MN_EINTR, "sort: interrupted");
        for (int64_t lo = 0; lo < n; lo += 2 * w) {
            int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            int64_t i = lo, j = mid, o = lo;
            if (mid >= hi || cmp_keys(keys, k, src[mid - 1], src[mid]) <= 0) {
                memcpy(dst + lo, src + lo, (size_t)(hi - lo) * sizeof *dst);  /* in order */
                continue;
            }
            while (i < mid && j < hi)      /* '<= 0' takes the left one on ties: stable */
                dst[o++] = cmp_keys(keys, k, src[i], src[j]) <= 0 ? src[i++] : src[j++];
            while (i < mid)
                dst[o++] = src[i++];
            while (j < hi)
                dst[o++] = src[j++];
        }
        {
            int64_t *t = src;
            src = dst;
            dst = t;
        }
    }
    if (src != idx)
        memcpy(idx, src, (size_t)n * sizeof *idx);
    return MN_OK;
}

int fr__order_cols(fr_Column *const *cols, const int *desc, int k, int64_t *idx, int64_t n,
                   mn_Err *e) {
    SKey *keys = mn_calloc((size_t)(k ? k : 1), sizeof *keys);
    int64_t *tmp = mn_malloc((size_t)(n ? n : 1) * sizeof *tmp);
    int rc = MN_OK;
    if (keys == NULL || tmp == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "sort: out of memory for %" PRId64 " rows", n);
        goto done;
    }
    for (int j = 0; j < k; j++) {
        keys[j].type = cols[j]->type;
        keys[j].data = cols[j]->data;
        keys[j].desc = desc != NULL && desc[j];
        if (cols[j]->type == FR_CAT && (rc = level_ranks(cols[j], &keys[j].rank, e)) != MN_OK)
            goto done;
    }
    rc = merge_sort(keys, k, idx, tmp, n, e);
done:
    if (keys != NULL)
        for (int j = 0; j < k; j++)
            mn_free(keys[j].rank);
    mn_free(keys);
    mn_free(tmp);
    return rc;
}

int fr_order(const fr_Frame *f, const fr_SortKey *keys, int k, int64_t *idx, mn_Err *e) {
    fr_Column **cols = mn_malloc((size_t)(k ? k : 1) * sizeof *cols);
    int *desc = mn_malloc((size_t)(k ? k : 1) * sizeof *desc);
    int64_t n = fr_nrows(f);
    int rc = MN_OK;
    if (cols == NULL || desc == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "sort: out of memory");
        goto done;
    }
    for (int j = 0; j < k; j++) {
        if ((rc = fr_get(f, keys[j].name, &cols[j], e)) != MN_OK) {
            mn_prefix(e, "sort");
            goto done;
        }
        desc[j] = keys[j].desc;
    }
    for (int64_t i = 0; i < n; i++)
        idx[i] = i;
    rc = fr__order_cols(cols, desc, k, idx, n, e);
done:
    mn_free(cols);
    mn_free(desc);
    return rc;
}

int fr_sort(const fr_Frame *f, const fr_SortKey *keys, int k, fr_Frame **out, mn_Err *e) {
    int64_t n = fr_nrows(f);
    int64_t *idx = mn_malloc((size_t)(n ? n : 1) * sizeof *idx);
    int rc;
    if (idx == NULL)
        return mn_fail(e, MN_ENOMEM, "sort: out of memory for %" PRId64 " rows", n);
    if ((rc = fr_order(f, keys, k, idx, e)) == MN_OK)
        rc = fr_take(f, idx, n, out, e);
    mn_free(idx);
    return rc;
}

/* ---- filter ---- */

int fr_filter(const fr_Frame *f, const fr_Column *mask, fr_Frame **out, mn_Err *e) {
    int64_t n = fr_nrows(f), m = 0, *idx;
    const int8_t *b;
    int rc;
    if (mask->type != FR_BOOL)
        return mn_fail(e, MN_EARG, "filter: mask is %s, not bool", fr_type_name(mask->type));
    if (mask->n != n)
        return mn_fail(e, MN_ESHAPE, "filter: mask has %" PRId64 " rows, the frame %" PRId64,
                       mask->n, n);
    b = mask->data;
    for (int64_t i = 0; i < n; i++)
        m += b[i] == 1;
    idx = mn_malloc((size_t)(m ? m : 1) * sizeof *idx);
    if (idx == NULL)
        return mn_fail(e, MN_ENOMEM, "filter: out of memory");
    m = 0;
    for (int64_t i = 0; i < n; i++)
        if (b[i] == 1)
            idx[m++] = i;
    rc = fr_take(f, idx, m, out, e);
    mn_free(idx);
    return rc;
}

/* ---- arithmetic ---- */

static const char *const arith_sym[] = {"+", "-", "*", "/", "%", "^"};

static double arith(fr_Arith op, double x, double y) {
    if (isnan(x) || isnan(y))
        return (double)NAN;                                   /* missing in, missing out */
    switch (op) {
    case FR_ADD: return x + y;
    case FR_SUB: return x - y;
    case FR_MUL: return x * y;
    case FR_DIV: return x / y;
    case FR_MOD: {
        double m;
        if (y == 0)
            return (double)NAN;
        m = fmod(x, y);
        if (m != 0 && (m < 0) != (y < 0))             /* floored, like Lua and Python */
            m += y;
        return m;
    }
    case FR_POW: return pow(x, y);
    }
    return (double)NAN;
}

static int check_numeric(const fr_Column *c, const char *role, const char *op, mn_Err *e) {
    if (!fr__is_numeric(c))
        return mn_fail(e, MN_EARG, "%s operand of %s is %s, not numeric (f64 or bool)", role,
                       op, fr_type_name(c->type));
    return MN_OK;
}

static int check_lengths(const fr_Column *a, const fr_Column *b, const char *op, mn_Err *e) {
    if (a->n != b->n)
        return mn_fail(e, MN_ESHAPE, "operands of %s have %" PRId64 " and %" PRId64 " rows",
                       op, a->n, b->n);
    return MN_OK;
}

int fr_arith(const fr_Column *a, const fr_Column *b, fr_Arith op, fr_Column **out, mn_Err *e) {
    const char *sym = arith_sym[op];
    fr_Column *r;
    double *v;
    int rc;
    if ((rc = check_numeric(a, "left", sym, e)) != MN_OK ||
        (rc = check_numeric(b, "right", sym, e)) != MN_OK ||
        (rc = check_lengths(a, b, sym, e)) != MN_OK ||
        (rc = fr_col_new(FR_F64, a->n, &r, e)) != MN_OK)
        return rc;
    v = r->data;
    if (a->type == FR_F64 && b->type == FR_F64) {      /* the common case, no conversions */
        const double *x = a->data, *y = b->data;
        for (int64_t i = 0; i < a->n; i++)
            v[i] = arith(op, x[i], y[i]);
    } else {
        for (int64_t i = 0; i < a->n; i++)
            v[i] = arith(op, fr__num_at(a, i), fr__num_at(b, i));
    }
    *out = r;
    return MN_OK;
}

int fr_arith_scalar(const fr_Column *a, double x, fr_Arith op, int swap, fr_Column **out,
                    mn_Err *e) {
    fr_Column *r;
    double *v;
    int rc;
    if ((rc = check_numeric(a, swap ? "right" : "left", arith_sym[op], e)) != MN_OK ||
        (rc = fr_col_new(FR_F64, a->n, &r, e)) != MN_OK)
        return rc;
    v = r->data;
    for (int64_t i = 0; i < a->n; i++)
        v[i] = swap ? arith(op, x, fr__num_at(a, i)) : arith(op, fr__num_at(a, i), x);
    *out = r;
    return MN_OK;
}

int fr_neg(const fr_Column *a, fr_Column **out, mn_Err *e) {
    fr_Column *r;
    int rc;
    if ((rc = check_numeric(a, "the", "unary -", e)) != MN_OK ||
        (rc = fr_col_new(FR_F64, a->n, &r, e)) != MN_OK)
        return rc;
    for (int64_t i = 0; i < a->n; i++)
        ((double *)r->data)[i] = -fr__num_at(a, i);
    *out = r;
    return MN_OK;
}

/* ---- comparisons ---- */

static const char *const cmp_name[] = {"lt", "le", "gt", "ge", "eq", "ne"};

static int8_t cmp_result(fr_Cmp op, int c) {
    switch (op) {
    case FR_LT: return c < 0;
    case FR_LE: return c <= 0;
    case FR_GT: return c > 0;
    case FR_GE: return c >= 0;
    case FR_EQ: return c == 0;
    case FR_NE: return c != 0;
    }
    return -1;
}

int fr_compare(const fr_Column *a, const fr_Column *b, fr_Cmp op, fr_Column **out, mn_Err *e) {
    fr_Column *r;
    int8_t *v;
    int rc;
    int ok = (fr__is_numeric(a) && fr__is_numeric(b)) || (fr__is_time(a->type) && fr__is_time(b->type))
             || (fr__is_string(a->type) && fr__is_string(b->type));
    if (!ok)
        return mn_fail(e, MN_EARG, "%s: cannot compare %s with %s", cmp_name[op],
                       fr_type_name(a->type), fr_type_name(b->type));
    if ((rc = check_lengths(a, b, cmp_name[op], e)) != MN_OK ||
        (rc = fr_col_new(FR_BOOL, a->n, &r, e)) != MN_OK)
        return rc;
    v = r->data;
    for (int64_t i = 0; i < a->n; i++) {
        if (fr_col_isna(a, i) || fr_col_isna(b, i))
            continue;                                    /* stays -1: missing */
        if (a == b && a->type == FR_CAT)
            v[i] = cmp_result(op, 0);
        else
            v[i] = cmp_result(op, fr__cmp_rows(a, i, b, i));
    }
    *out = r;
    return MN_OK;
}

int fr_compare_num(const fr_Column *a, double x, fr_Cmp op, fr_Column **out, mn_Err *e) {
    fr_Column *r;
    int rc;
    if (!fr__is_numeric(a))
        return mn_fail(e, MN_EARG, "%s: cannot compare a %s column with a number%s",
                       cmp_name[op], fr_type_name(a->type),
                       fr__is_time(a->type) ? " (give a date string like \"2024-01-31\")" : "");
    if ((rc = fr_col_new(FR_BOOL, a->n, &r, e)) != MN_OK)
        return rc;
    for (int64_t i = 0; i < a->n; i++) {
        double y = fr__num_at(a, i);
        if (!isnan(y) && !isnan(x))
            ((int8_t *)r->data)[i] = cmp_result(op, (y > x) - (y < x));
    }
    *out = r;
    return MN_OK;
}

int fr_compare_str(const fr_Column *a, const char *s, fr_Cmp op, fr_Column **out, mn_Err *e) {
    fr_Column *r;
    int8_t *v;
    int rc;
    if (!fr__is_string(a->type) && !fr__is_time(a->type))
        return mn_fail(e, MN_EARG, "%s: cannot compare a %s column with a string", cmp_name[op],
                       fr_type_name(a->type));
    if (fr__is_time(a->type)) {
        int64_t t;
        int has_time;
        if (!fr_parse_time(s, strlen(s), &t, &has_time))
            return mn_fail(e, MN_EARG, "%s: '%s' is not a date (a valid YYYY-MM-DD"
                           "[THH:MM[:SS[.fff]]][Z|+HH:MM])", cmp_name[op], s);
        if ((rc = fr_col_new(FR_BOOL, a->n, &r, e)) != MN_OK)
            return rc;
        for (int64_t i = 0; i < a->n; i++) {
            int64_t x = ((const int64_t *)a->data)[i];
            if (x != FR_NA_TIME)
                ((int8_t *)r->data)[i] = cmp_result(op, (x > t) - (x < t));
        }
        *out = r;
        return MN_OK;
    }
    if ((rc = fr_col_new(FR_BOOL, a->n, &r, e)) != MN_OK)
        return rc;
    v = r->data;
    if (a->type == FR_CAT) {                  /* one strcmp per level, then a lookup per row */
        int8_t *lv = mn_malloc((size_t)(a->nlevels ? a->nlevels : 1));
        if (lv == NULL) {
            fr_col_unref(r);
            return mn_fail(e, MN_ENOMEM, "%s: out of memory", cmp_name[op]);
        }
        for (int32_t l = 0; l < a->nlevels; l++)
            lv[l] = cmp_result(op, strcmp(a->levels[l], s));
        for (int64_t i = 0; i < a->n; i++) {
            int32_t code = ((const int32_t *)a->data)[i];
            if (code >= 0)
                v[i] = lv[code];
        }
        mn_free(lv);
    } else {
        for (int64_t i = 0; i < a->n; i++) {
            const char *x = ((char *const *)a->data)[i];
            if (x != NULL)
                v[i] = cmp_result(op, strcmp(x, s));
        }
    }
    *out = r;
    return MN_OK;
}

/* ---- logic ---- */

static int check_bool(const fr_Column *c, const char *role, const char *op, mn_Err *e) {
    if (c->type != FR_BOOL)
        return mn_fail(e, MN_EARG, "%s operand of %s is %s, not bool", role, op,
                       fr_type_name(c->type));
    return MN_OK;
}

static int logic2(const fr_Column *a, const fr_Column *b, int is_and, fr_Column **out,
                  mn_Err *e) {
    const char *op = is_and ? "and" : "or";
    const int8_t *x, *y;
    fr_Column *r;
    int rc;
    if ((rc = check_bool(a, "left", op, e)) != MN_OK ||
        (rc = check_bool(b, "right", op, e)) != MN_OK ||
        (rc = check_lengths(a, b, op, e)) != MN_OK ||
        (rc = fr_col_new(FR_BOOL, a->n, &r, e)) != MN_OK)
        return rc;
    x = a->data, y = b->data;
    for (int64_t i = 0; i < a->n; i++) {
        int8_t p = x[i], q = y[i], v;
        if (is_and)
            v = (p == 0 || q == 0) ? 0 : (p < 0 || q < 0) ? -1 : 1;
        else
            v = (p == 1 || q == 1) ? 1 : (p < 0 || q < 0) ? -1 : 0;
        ((int8_t *)r->data)[i] = v;
    }
    *out = r;
    return MN_OK;
}

int fr_and(const fr_Column *a, const fr_Column *b, fr_Column **out, mn_Err *e) {
    return logic2(a, b, 1, out, e);
}

int fr_or(const fr_Column *a, const fr_Column *b, fr_Column **out, mn_Err *e) {
    return logic2(a, b, 0, out, e);
}

int fr_not(const fr_Column *a, fr_Column **out, mn_Err *e) {
    fr_Column *r;
    int rc;
    if ((rc = check_bool(a, "the", "not", e)) != MN_OK ||
        (rc = fr_col_new(FR_BOOL, a->n, &r, e)) != MN_OK)
        return rc;
    for (int64_t i = 0; i < a->n; i++) {
        int8_t p = ((const int8_t *)a->data)[i];
        ((int8_t *)r->data)[i] = p < 0 ? -1 : !p;
    }
    *out = r;
    return MN_OK;
}

int fr_isna(const fr_Column *a, fr_Column **out, mn_Err *e) {
    fr_Column *r;
    int rc = fr_col_new(FR_BOOL, a->n, &r, e);
    if (rc != MN_OK)
        return rc;
    for (int64_t i = 0; i < a->n; i++)
        ((int8_t *)r->data)[i] = (int8_t)fr_col_isna(a, i);
    *out = r;
    return MN_OK;
}
