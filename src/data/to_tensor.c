/* to_tensor.c -- frame -> float32 tensor, refusing missing values. */
#include "data/to_tensor.h"

#include <inttypes.h>
#include <math.h>
#include <stddef.h>

static int check_type(const fr_Column *c, const char *name, mn_Err *e) {
    fr_Type t = fr_col_type(c);
    if (t == FR_F64 || t == FR_BOOL)
        return MN_OK;
    return mn_fail(e, MN_EARG, "to_tensor: column '%s' is %s; encode it first "
                   "(moneta.prep.onehot or ordinal) or drop it", name, fr_type_name(t));
}

/* Write column c into dst[i * stride] as float32; names the first missing/non-finite row. */
static int fill(const fr_Column *c, const char *name, float *dst, int64_t stride, mn_Err *e) {
    int64_t n = fr_col_len(c);
    for (int64_t i = 0; i < n; i++) {
        double v = fr_col_get_num(c, i);
        if (!isfinite(v))
            return mn_fail(e, MN_ENAN, "to_tensor: row %" PRId64 ", column '%s': %s value "
                           "(fill or drop missing values first: fillna, dropna, prep.impute)",
                           i + 1, name, isnan(v) ? "missing" : "infinite");
        dst[i * stride] = (float)v;
    }
    return MN_OK;
}

int fr_to_tensor(const fr_Frame *f, tn_Tensor **out, mn_Err *e) {
    int64_t shape[2] = {fr_nrows(f), fr_ncols(f)};
    tn_Tensor *t = NULL;
    int rc;
    if (fr_ncols(f) == 0)
        return mn_fail(e, MN_EARG, "to_tensor: the frame has no columns");
    for (int j = 0; j < fr_ncols(f); j++)
        if ((rc = check_type(fr_col(f, j), fr_name(f, j), e)) != MN_OK)
            return rc;
    if ((rc = tn_zeros(shape, 2, &t, e)) != MN_OK)
        return rc;
    for (int j = 0; j < fr_ncols(f); j++)
        if ((rc = fill(fr_col(f, j), fr_name(f, j), tn_data(t) + j, shape[1], e)) != MN_OK) {
            tn_free(t);
            return rc;
        }
    *out = t;
    return MN_OK;
}

int fr_col_to_tensor(const fr_Column *c, const char *name, tn_Tensor **out, mn_Err *e) {
    int64_t shape[1] = {fr_col_len(c)};
    tn_Tensor *t = NULL;
    int rc = check_type(c, name, e);
    if (rc != MN_OK)
        return rc;
    if ((rc = tn_zeros(shape, 1, &t, e)) != MN_OK)
        return rc;
    if ((rc = fill(c, name, tn_data(t), 1, e)) != MN_OK) {
        tn_free(t);
        return rc;
    }
    *out = t;
    return MN_OK;
}
