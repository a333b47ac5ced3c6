/* downsample.h -- fewer points for long line plots: M4 aggregation over plain arrays of
** doubles (the column's values, never Lua tables), so a million-point series reaches gnuplot
** as a few thousand points drawing the same picture. Nothing here speaks gnuplot. */
#ifndef MN_PLOT_DOWNSAMPLE_H
#define MN_PLOT_DOWNSAMPLE_H

#include <stdint.h>

#include "core/err.h"

/* The M4 aggregation (Jugel et al., VLDB 2014) of the series ys[0..ny)[0..n) against x[0..n)
** for a plot 'width' pixels wide: x is cut into 2 * width equal buckets and, per bucket and
** series, the first, last, lowest and highest point are kept, plus every NaN y (the line
** breaks there). Nothing is dropped (*idx = NULL, *nkeep = n) when n <= 8 * width, when x is
** not sorted non-decreasing or holds a NaN, or when x is constant. Otherwise *idx is a new
** array (the caller frees it with mn_free) of the *nkeep kept 0-based indices, ascending.
** Errors: MN_EARG (width < 1, ny < 1), MN_ENOMEM; outputs are then untouched. */
int gp_m4(const double *x, const double *const *ys, int ny, int64_t n, int width,
          int64_t **idx, int64_t *nkeep, mn_Err *e);

#endif
