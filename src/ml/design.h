/* design.h -- what every classical model fits on: a design matrix in double precision,
** column-major (LAPACK's order), with the columns' names, and a response. The bindings turn
** a frame, a tensor or a column into these; the models never see frames or Lua.
** CONTRACT written before the implementation (issue 13): keep the names and meaning. */
#ifndef MN_ML_DESIGN_H
#define MN_ML_DESIGN_H

#include <stdint.h>

#include "core/err.h"
#include "data/frame.h"

#define ML_NAMEMAX 64                /* a column name, NUL included (longer ones are cut) */

/* n rows by p features, column j at x + j * n. No intercept column: a model that has one
** adds it itself and calls it "const" (statsmodels' name). */
typedef struct ml_Design {
    int64_t n, p;
    double *x;                        /* owned; n * p doubles */
    char  (*names)[ML_NAMEMAX];       /* owned; p names */
} ml_Design;

/* The f64 and bool columns of 'f' (bool as 0/1), in frame order, or only 'cols[0..k)' when
** cols is not NULL. Any other column type is refused naming it and saying to encode it first
** (prep.onehot / prep.ordinal). NaN is refused naming the 1-based row and the column, unless
** 'allow_nan' (models that handle missing values). */
int  ml_design_from_frame(const fr_Frame *f, const char *const *cols, int k, int allow_nan,
                          ml_Design *out, mn_Err *e);
/* From row-major doubles (a tensor's values widened by the binding): n x p, names "x1".. */
int  ml_design_from_rows(const double *rows, int64_t n, int64_t p, int allow_nan,
                         ml_Design *out, mn_Err *e);
void ml_design_free(ml_Design *d);    /* zeroes 'd'; NULL data is fine */

/* Columns that are constant or exact duplicates of an earlier one: their indexes into
** 'which' (p ints), returning the count, for models to report ("column 'b' duplicates 'a'"). */
int  ml_design_degenerate(const ml_Design *d, int *which, int *dup_of);

#endif
