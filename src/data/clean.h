/* clean.h -- cleaning a frame: drop or fill missing values, drop duplicate rows, clip and
** winsorize, flag outliers, cast between column types, count what is missing. Every function
** returns a new frame (untouched columns are shared, changed ones are new); none of them
** learns state to apply elsewhere: for that see data/transform.h. */
#ifndef MN_DATA_CLEAN_H
#define MN_DATA_CLEAN_H

#include <stdint.h>

#include "core/err.h"
#include "data/frame.h"

/* Rows with a missing value dropped. how_all = 0: drop a row when any of the columns is
** missing; 1: only when all of them are. Columns: subset[0..k), or every column when k = 0.
** Unknown names are an MN_EARG error. Row order is kept. */
int fr_dropna(const fr_Frame *f, int how_all, const char *const *subset, int k,
              fr_Frame **out, mn_Err *e);

typedef enum fr_FillHow {
    FR_FILL_VALUE = 0,   /* a constant: 'value' (f64, bool 0/1, date ns) or 'level' (cat, text) */
    FR_FILL_MEAN,        /* f64 only: mean of the non-missing values */
    FR_FILL_MEDIAN,      /* f64 only: median (average of the middle two) */
    FR_FILL_MODE,        /* f64, cat, bool, date: most frequent value; ties -> the smallest
                         ** (for cat: the level first in byte order) */
    FR_FILL_FFILL,       /* any type: the previous non-missing value; leading ones stay */
    FR_FILL_BFILL,       /* any type: the next non-missing value; trailing ones stay */
    FR_FILL_INTERP       /* f64 only: linear between the non-missing neighbours (in row order),
                         ** weighted by the 'by' column's time or by row position; leading
                         ** and trailing missing values stay (no extrapolation) */
} fr_FillHow;

typedef struct fr_Fill {
    const char *column;
    fr_FillHow  how;
    double      value;   /* FR_FILL_VALUE on f64, bool (nonzero = true), date/datetime (ns) */
    const char *level;   /* FR_FILL_VALUE on cat (added to the dictionary if new) and text */
} fr_Fill;

/* Missing values filled as fills[0..k) say, one entry per column. 'by' (may be NULL) names
** a date, datetime or f64 column giving the time of each row for FR_FILL_INTERP; the values
** involved must have a time and times must not decrease between the two neighbours.
** A statistic of a column with no values (mean, median, mode) leaves it unchanged.
** Errors (MN_EARG) name the column: unknown, wrong type for the method, missing time. */
int fr_fillna(const fr_Frame *f, const fr_Fill *fills, int k, const char *by,
              fr_Frame **out, mn_Err *e);

typedef enum fr_Keep { FR_KEEP_FIRST = 0, FR_KEEP_LAST, FR_KEEP_NONE } fr_Keep;

/* Duplicate rows removed. Rows are equal when every column of subset[0..k) (all columns when
** k = 0) is equal: exact equality, NaN equals NaN and missing equals missing (as in pandas),
** -0.0 equals 0.0. keep: the first or the last of each group of equal rows, or none of them.
** The rows kept stay in their original order. The keys are those of joins and groupby
** (one hash table per call); Ctrl-C gives MN_EINTR. */
int fr_dedupe(const fr_Frame *f, const char *const *subset, int k, fr_Keep keep,
              fr_Frame **out, mn_Err *e);

/* Column 'col' (f64) clipped to [lo, hi] (use -INFINITY / INFINITY for one side). NaN stays
** NaN. lo > hi is an MN_EARG error. */
int fr_clip(const fr_Frame *f, const char *col, double lo, double hi, fr_Frame **out,
            mn_Err *e);

/* Quantiles qlo and qhi of the non-missing values of 'c' (f64), linear interpolation between
** order statistics (numpy's default, R type 7). NaN when the column has no values. */
int fr_quantile_bounds(const fr_Column *c, double qlo, double qhi, double *lo, double *hi,
                       mn_Err *e);

/* Columns cols[0..k) (f64) winsorized as scipy.stats.mstats.winsorize does on the m
** non-missing values: the floor(lo_frac*m) smallest are set to the next larger value and the
** floor(hi_frac*m) largest to the next smaller one. NaN stays NaN and is not counted. */
int fr_winsorize(const fr_Frame *f, const char *const *cols, int k, double lo_frac,
                 double hi_frac, fr_Frame **out, mn_Err *e);

typedef enum fr_OutlierMethod { FR_OUT_ZSCORE = 0, FR_OUT_IQR } fr_OutlierMethod;

/* A new bool column flagging outliers of 'c' (f64): z-score: |x - mean| > k * sd with the
** population sd (ddof = 0) of the non-missing values; IQR: x < Q1 - k*IQR or x > Q3 + k*IQR
** (quartiles as in fr_quantile_bounds). Missing values give missing flags. A constant
** column has no z-score outliers. Refcount 1: the caller unrefs it. */
int fr_outliers(const fr_Column *c, fr_OutlierMethod method, double k, fr_Column **out,
                mn_Err *e);

/* Column 'col' converted to type 'to'. Missing stays missing. f64 -> cat/text: shortest
** round-trip text; f64 -> bool: 0/1 only; cat/text -> f64: the whole text must be a number
** ("" and "NA" are missing); cat/text -> bool: true/false/t/f/yes/no/1/0 (any case);
** cat/text -> date: YYYY-MM-DD; -> datetime: YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z]; bool -> f64:
** 0/1, -> cat/text: "true"/"false"; date/datetime -> f64: days since 1970-01-01 (fractional
** for datetime); date <-> datetime; date/datetime -> cat/text: ISO text. Anything else, or a
** value that does not convert, is an MN_EARG error naming column, row (1-based) and value. */
int fr_cast(const fr_Frame *f, const char *col, fr_Type to, fr_Frame **out, mn_Err *e);
int fr_col_cast(const fr_Column *c, const char *name, fr_Type to, fr_Column **out, mn_Err *e);

/* counts[j] = number of missing values in column j (counts has fr_ncols(f) slots). */
void fr_missing_counts(const fr_Frame *f, int64_t *counts);

#endif
