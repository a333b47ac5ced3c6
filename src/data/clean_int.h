/* clean_int.h -- class ids shared by clean.c and split.c (data/ only). The statistics they
** and transform.c use (sorted values, quantiles, moments) are stats.c's, in ops_int.h. */
#ifndef MN_DATA_CLEAN_INT_H
#define MN_DATA_CLEAN_INT_H

#include <stdint.h>

#include "core/err.h"
#include "data/frame.h"

/* Class id of every row of 'c' (any type): equal values get equal ids, numbered 0..k-1 in
** the order of the values (missing last, as its own class). gid has fr_col_len(c) slots. */
int fr__cl_groups(const fr_Column *c, int64_t *gid, int64_t *k, mn_Err *e);

#endif
