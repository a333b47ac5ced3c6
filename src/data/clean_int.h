/* clean_int.h -- small statistics shared by clean.c, transform.c and split.c (data/ only).
** Named fr__cl_* so they cannot collide with the frame-ops statistics of other modules. */
#ifndef MN_DATA_CLEAN_INT_H
#define MN_DATA_CLEAN_INT_H

#include <stdint.h>

#include "core/err.h"
#include "data/frame.h"

/* The non-NaN values of f64 column 'c', sorted ascending, in a new mn_malloc'ed array
** (the caller frees it); '*m' gets their count. */
int fr__cl_sorted(const fr_Column *c, double **out, int64_t *m, mn_Err *e);

/* Quantile q of sorted s[0..m), linear between order statistics (R type 7); NaN if m = 0. */
double fr__cl_quantile(const double *s, int64_t m, double q);

/* Mean and population sd (ddof = 0) of the non-NaN values; '*m' gets the count (NaN, NaN
** when there are none). */
void fr__cl_moments(const fr_Column *c, double *mean, double *sd, int64_t *m);

/* Class id of every row of 'c' (any type): equal values get equal ids, numbered 0..k-1 in
** the order of the values (missing last, as its own class). gid has fr_col_len(c) slots. */
int fr__cl_groups(const fr_Column *c, int64_t *gid, int64_t *k, mn_Err *e);

#endif
