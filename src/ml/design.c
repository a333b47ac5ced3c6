/* design.c -- the design matrix every classical model fits on (see design.h): frame or
** row-major doubles in, column-major doubles with names out. Refuses what a model cannot use
** (text, categories, dates, NaN) with the row and column named; knows nothing of any model. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/mem.h"
#include "ml/design.h"

static int alloc_design(int64_t n, int64_t p, ml_Design *d, mn_Err *e) {
    memset(d, 0, sizeof *d);
    if (n < 0 || p < 0 || (p > 0 && (uint64_t)n > SIZE_MAX / sizeof(double) / (uint64_t)p))
        return mn_fail(e, MN_EARG, "design: bad shape %lld x %lld", (long long)n,
                       (long long)p);
    d->x = mn_malloc((size_t)(n * p > 0 ? n * p : 1) * sizeof(double));
    d->names = mn_calloc((size_t)(p > 0 ? p : 1), sizeof *d->names);
    if (d->x == NULL || d->names == NULL) {
        ml_design_free(d);
        return mn_fail(e, MN_ENOMEM, "design: out of memory for %lld x %lld", (long long)n,
                       (long long)p);
    }
    d->n = n;
    d->p = p;
    return MN_OK;
}

static void set_name(ml_Design *d, int64_t j, const char *name) {
    snprintf(d->names[j], ML_NAMEMAX, "%s", name);
}

int ml_design_from_frame(const fr_Frame *f, const char *const *cols, int k, int allow_nan,
                         ml_Design *out, mn_Err *e) {
    int64_t n = fr_nrows(f);
    int p = cols != NULL ? k : fr_ncols(f);
    ml_Design d;
    int rc;

    /* check every column before allocating */
    for (int j = 0; j < p; j++) {
        int idx = cols != NULL ? fr_find(f, cols[j]) : j;
        if (idx < 0)
            return mn_fail(e, MN_EARG, "design: no column '%s'", cols[j]);
        fr_Type t = fr_col_type(fr_col(f, idx));
        if (t != FR_F64 && t != FR_BOOL)
            return mn_fail(e, MN_EARG, "design: column '%s' is %s, not numeric; encode it "
                           "first (prep.onehot / prep.ordinal) or drop it", fr_name(f, idx),
                           fr_type_name(t));
    }
    if ((rc = alloc_design(n, p, &d, e)) != MN_OK)
        return rc;
    for (int j = 0; j < p; j++) {
        int idx = cols != NULL ? fr_find(f, cols[j]) : j;
        fr_Column *c = fr_col(f, idx);
        double *dst = d.x + (int64_t)j * n;
        set_name(&d, j, fr_name(f, idx));
        if (fr_col_type(c) == FR_F64) {
            memcpy(dst, fr_col_f64(c), (size_t)n * sizeof(double));
        } else {
            const int8_t *b = fr_col_bool(c);
            for (int64_t i = 0; i < n; i++)
                dst[i] = b[i] < 0 ? (double)NAN : (double)b[i];
        }
        if (!allow_nan)
            for (int64_t i = 0; i < n; i++)
                if (!isfinite(dst[i])) {
                    rc = mn_fail(e, MN_ENAN, "design: row %lld, column '%s' is %s; drop or "
                                 "impute missing values first (dropna, prep.impute)",
                                 (long long)(i + 1), fr_name(f, idx),
                                 isnan(dst[i]) ? "NaN" : "infinite");
                    ml_design_free(&d);
                    return rc;
                }
    }
    *out = d;
    return MN_OK;
}

int ml_design_from_rows(const double *rows, int64_t n, int64_t p, int allow_nan,
                        ml_Design *out, mn_Err *e) {
    ml_Design d;
    int rc;
    if (!allow_nan)
        for (int64_t i = 0; i < n * p; i++)
            if (!isfinite(rows[i]))
                return mn_fail(e, MN_ENAN, "design: row %lld, column 'x%lld' is %s; drop or "
                               "impute missing values first", (long long)(i / p + 1),
                               (long long)(i % p + 1), isnan(rows[i]) ? "NaN" : "infinite");
    if ((rc = alloc_design(n, p, &d, e)) != MN_OK)
        return rc;
    for (int64_t j = 0; j < p; j++) {
        char nm[32];
        snprintf(nm, sizeof nm, "x%lld", (long long)(j + 1));
        set_name(&d, j, nm);
        for (int64_t i = 0; i < n; i++)
            d.x[j * n + i] = rows[i * p + j];
    }
    *out = d;
    return MN_OK;
}

void ml_design_free(ml_Design *d) {
    if (d == NULL)
        return;
    mn_free(d->x);
    mn_free(d->names);
    memset(d, 0, sizeof *d);
}

static int same_bits(double a, double b) {
    return a == b || (isnan(a) && isnan(b));
}

int ml_design_degenerate(const ml_Design *d, int *which, int *dup_of) {
    int count = 0;
    int64_t n = d->n;
    for (int64_t j = 0; j < d->p; j++) {
        const double *c = d->x + j * n;
        int64_t i;
        for (i = 1; i < n && same_bits(c[i], c[0]); i++)
            ;
        if (i == n) {                       /* constant (also: no rows) */
            which[count] = (int)j;
            dup_of[count++] = -1;
            continue;
        }
        for (int64_t k = 0; k < j; k++) {
            const double *o = d->x + k * n;
            for (i = 0; i < n && same_bits(c[i], o[i]); i++)
                ;
            if (i == n) {
                which[count] = (int)j;
                dup_of[count++] = (int)k;
                break;
            }
        }
    }
    return count;
}
