/* downsample.c -- M4 down-sampling of long line plots (see downsample.h): one pass over x
** to check it is sorted, one pass per series marking the kept points in a byte map, one pass
** gathering their indices. O(n) time, n bytes of scratch. */
#include <math.h>
#include <string.h>

#include "core/mem.h"
#include "plot/downsample.h"

/* Mark in 'keep' the first, last, min and max of each x bucket of series 'y', and its NaNs. */
static void mark_series(const double *x, const double *y, int64_t n, double lo, double scale,
                        int64_t nb, unsigned char *keep) {
    int64_t b0 = -1, first = 0, last = 0, imin = 0, imax = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t b = (int64_t)floor((x[i] - lo) * scale);
        if (b >= nb)
            b = nb - 1;                      /* the last x lands on the bucket's edge */
        if (b != b0) {
            if (b0 >= 0)
                keep[first] = keep[last] = keep[imin] = keep[imax] = 1;
            b0 = b;
            first = last = imin = imax = i;
            if (isnan(y[i]))
                keep[i] = 1;
            continue;
        }
        last = i;
        if (isnan(y[i])) {
            keep[i] = 1;
        } else {
            if (isnan(y[imin]) || y[i] < y[imin])
                imin = i;
            if (isnan(y[imax]) || y[i] > y[imax])
                imax = i;
        }
    }
    if (b0 >= 0)
        keep[first] = keep[last] = keep[imin] = keep[imax] = 1;
}

int gp_m4(const double *x, const double *const *ys, int ny, int64_t n, int width,
          int64_t **idx, int64_t *nkeep, mn_Err *e) {
    int64_t nb = 2 * (int64_t)width, m = 0, *out;
    unsigned char *keep;
    double lo, hi;
    if (width < 1 || ny < 1)
        return mn_fail(e, MN_EARG, "m4: width and the number of series must be 1 or more");
    if (n <= 4 * nb)
        goto keep_all;
    for (int64_t i = 1; i < n; i++)
        if (!(x[i] >= x[i - 1]))             /* unsorted, or a NaN x: draw every point */
            goto keep_all;
    lo = x[0];
    hi = x[n - 1];
    if (!(hi > lo) || !isfinite(hi - lo))
        goto keep_all;
    if ((keep = mn_calloc((size_t)n, 1)) == NULL)
        return mn_fail(e, MN_ENOMEM, "m4: out of memory for %lld points", (long long)n);
    for (int j = 0; j < ny; j++)
        mark_series(x, ys[j], n, lo, (double)nb / (hi - lo), nb, keep);
    for (int64_t i = 0; i < n; i++)
        m += keep[i];
    if ((out = mn_malloc((size_t)(m > 0 ? m : 1) * sizeof *out)) == NULL) {
        mn_free(keep);
        return mn_fail(e, MN_ENOMEM, "m4: out of memory for %lld points", (long long)m);
    }
    m = 0;
    for (int64_t i = 0; i < n; i++)
        if (keep[i])
            out[m++] = i;
    mn_free(keep);
    *idx = out;
    *nkeep = m;
    return MN_OK;
keep_all:
    *idx = NULL;
    *nkeep = n;
    return MN_OK;
}
