/* ops.h -- frame operations: sort, filter, column arithmetic and comparisons, statistics and
** describe, hash joins (inner, left, as-of) and group-by aggregation. Every function returns a
** new frame or column (inputs are never modified) and leaves MN_E* plus a message naming the
** column on failure. Not here: cleaning (clean.h), transforms, splits, CSV/SQL I/O. */
#ifndef MN_DATA_OPS_H
#define MN_DATA_OPS_H

#include <stdint.h>

#include "data/frame.h"

/* ---- sort ---- */

typedef struct fr_SortKey {
    const char *name;       /* column name */
    int         desc;       /* nonzero: descending */
} fr_SortKey;

/* Stable sort order of the rows of 'f' by keys[0..k) (the first key first, ties broken by the
** next, remaining ties keep their original order). Missing values sort last whatever the
** direction; f64, date, datetime and bool compare by value, cat by level text (not code),
** text by strcmp (byte order). Writes a permutation of 0..nrows-1 into idx[0..nrows) (the
** caller's array). O(n log n) merge sort. Errors: MN_EARG for an unknown column (k == 0 is
** allowed and gives the identity), MN_ENOMEM, MN_EINTR (Ctrl-C). */
int fr_order(const fr_Frame *f, const fr_SortKey *keys, int k, int64_t *idx, mn_Err *e);

/* New frame with the rows of 'f' in fr_order() order; the caller frees it with fr_free(). */
int fr_sort(const fr_Frame *f, const fr_SortKey *keys, int k, fr_Frame **out, mn_Err *e);

/* ---- filter ---- */

/* New frame with the rows of 'f' where 'mask' (a FR_BOOL column of nrows values) is true;
** missing (-1) counts as false. Errors: MN_EARG when 'mask' is not bool, MN_ESHAPE when its
** length differs from the frame's. */
int fr_filter(const fr_Frame *f, const fr_Column *mask, fr_Frame **out, mn_Err *e);

/* ---- column arithmetic (f64 results) ---- */

typedef enum fr_Arith { FR_ADD = 0, FR_SUB, FR_MUL, FR_DIV, FR_MOD, FR_POW } fr_Arith;

/* Element-wise a op b into a new f64 column (refcount 1, caller unrefs). Operands are f64 or
** bool (0/1). Missing in, missing out: a NaN operand gives NaN even where IEEE would not
** (NaN^0, 1^NaN). Otherwise IEEE: x/0 is +-inf (0/0 NaN); MOD is floored like Lua's and
** Python's % (the sign of the divisor), x % 0 is NaN. Errors (message says "left/right
** operand"): MN_EARG for a non-numeric operand, MN_ESHAPE for different lengths. */
int fr_arith(const fr_Column *a, const fr_Column *b, fr_Arith op, fr_Column **out, mn_Err *e);
/* a op x, or x op a when 'swap' is nonzero; x NaN makes every row NaN. */
int fr_arith_scalar(const fr_Column *a, double x, fr_Arith op, int swap, fr_Column **out,
                    mn_Err *e);
/* -a (NaN stays NaN). */
int fr_neg(const fr_Column *a, fr_Column **out, mn_Err *e);

/* ---- comparisons and logic (bool results) ---- */

typedef enum fr_Cmp { FR_LT = 0, FR_LE, FR_GT, FR_GE, FR_EQ, FR_NE } fr_Cmp;

/* Element-wise a op b into a new bool column. Comparable pairs: numeric with numeric (f64 and
** bool), date/datetime with date/datetime (by ns), cat/text with cat/text (by level text,
** strcmp, so cat columns of different frames compare correctly). A missing operand gives a
** missing result (-1; fr_filter drops it). Errors: MN_EARG (types), MN_ESHAPE (lengths). */
int fr_compare(const fr_Column *a, const fr_Column *b, fr_Cmp op, fr_Column **out, mn_Err *e);
/* a op x for a numeric (f64 or bool) column; x NaN gives all missing. */
int fr_compare_num(const fr_Column *a, double x, fr_Cmp op, fr_Column **out, mn_Err *e);
/* a op s: cat/text by strcmp, date/datetime against a date or datetime parsed by
** fr_parse_time (ISO, as read_csv reads it; an offset like +01:00 is applied, so the instant
** is compared in UTC). Errors: MN_EARG (type; unparsable or invalid date like 2024-02-30). */
int fr_compare_str(const fr_Column *a, const char *s, fr_Cmp op, fr_Column **out, mn_Err *e);

/* Kleene logic on bool columns: false AND missing = false, true OR missing = true, otherwise
** a missing operand gives missing. NOT missing = missing. Errors: MN_EARG, MN_ESHAPE. */
int fr_and(const fr_Column *a, const fr_Column *b, fr_Column **out, mn_Err *e);
int fr_or(const fr_Column *a, const fr_Column *b, fr_Column **out, mn_Err *e);
int fr_not(const fr_Column *a, fr_Column **out, mn_Err *e);
/* Bool column, true where 'a' is missing (any type); never missing itself. */
int fr_isna(const fr_Column *a, fr_Column **out, mn_Err *e);

/* ---- statistics (stats.c); all skip missing values ---- */

typedef struct fr_Summary {
    int64_t count;          /* non-missing values */
    int64_t missing;
    double  sum;            /* 0 when count == 0 (compensated summation) */
    double  mean;           /* NaN when count == 0 */
    double  std;            /* sample (n - 1) standard deviation; NaN when count < 2 */
    double  min, max;       /* NaN when count == 0 */
} fr_Summary;

/* Count, sum, mean, std, min and max of a numeric column (f64, or bool as 0/1), skipping
** missing values. Errors: MN_EARG for other types. */
int fr_col_summary(const fr_Column *c, fr_Summary *s, mn_Err *e);

/* Non-missing values of any column. */
int64_t fr_col_count(const fr_Column *c);

/* Quantiles p[0..np) (each in [0, 1]) of a numeric column, skipping missing values, by linear
** interpolation between order statistics (numpy/pandas "linear"): with the n values sorted as
** x[0..n), h = (n - 1) p and q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
** q[i] is NaN when there are no values. O(n log n), one sort for all p. Errors: MN_EARG (type,
** p outside [0, 1] or NaN), MN_ENOMEM. */
int fr_col_quantiles(const fr_Column *c, const double *p, int np, double *q, mn_Err *e);
/* The same interpolation on x[0..n) already sorted ascending without NaN; NaN when n == 0. */
double fr_quantile_sorted(const double *x, int64_t n, double p);

/* Distinct non-missing values of 'c' in order of first appearance, as a new column of the
** same type (a cat result keeps the input's dictionary). Hash-based, O(n). */
int fr_col_unique(const fr_Column *c, fr_Column **out, mn_Err *e);

/* Frame with columns "value" (the distinct non-missing values, type of 'c') and "count" (f64),
** most frequent first, ties in order of first appearance. Missing values are not counted. */
int fr_value_counts(const fr_Column *c, fr_Frame **out, mn_Err *e);

/* Summary of every column of 'f': one row per column, with columns
**   column (text), type (text), count, missing,
**   mean, std, min, 25%, 50%, 75%, max        (f64 and bool columns; NaN for others),
**   unique, top (text), freq                  (cat, text and bool columns; NA for others).
** count = non-missing values, missing = missing ones, std is the sample std (n - 1),
** quantiles as fr_col_quantiles; unique = distinct non-missing values, top the most frequent
** (first seen on ties) and freq its count. Date and datetime columns get count, missing and
** unique only. */
int fr_describe(const fr_Frame *f, fr_Frame **out, mn_Err *e);

/* ---- joins (join.c) ---- */

typedef enum fr_JoinHow { FR_JOIN_INNER = 0, FR_JOIN_LEFT } fr_JoinHow;

/* Hash join of 'left' and 'right' on key columns lkeys[i] (left) = rkeys[i] (right), k >= 1;
** rkeys NULL means the same names. Keys may be f64, cat or text (cat and text compare by text,
** so dictionaries of different frames agree), date/datetime (by ns) or bool; each pair must
** be comparable. Missing keys never match. Output: every left row in left order, each followed
** by its matches in right order (duplicates multiply); FR_JOIN_LEFT keeps unmatched left rows
** with missing right values, FR_JOIN_INNER drops them. Columns: all of left, then right's
** non-key columns, a name already taken getting 'suffix' ("_right" when NULL). O(n + m + out).
** Errors: MN_EARG (unknown or incomparable key, name clash after suffixing), MN_ENOMEM,
** MN_EINTR. */
int fr_join(const fr_Frame *left, const fr_Frame *right, const char *const *lkeys,
            const char *const *rkeys, int k, fr_JoinHow how, const char *suffix,
            fr_Frame **out, mn_Err *e);

typedef enum fr_AsofDir { FR_ASOF_BACKWARD = 0, FR_ASOF_FORWARD, FR_ASOF_NEAREST } fr_AsofDir;

/* As-of join on the ordered column 'on' (f64, date or datetime, the same name in both):
** for each left row, within the right rows whose by[0..nby) keys equal the left row's (all
** rows when nby == 0): BACKWARD takes the last right row with on <= the left value, FORWARD
** the first with on >= it, NEAREST the closer of those two (BACKWARD on a tie). "Last" and
** "first" follow the right frame's order among equal 'on' values. 'right' need not be sorted
** (it is sorted internally, stably). Left rows keep their order and count; with no match,
** or a missing 'on' or 'by' value, the right columns are missing. Columns: all of left, then
** right's columns other than 'on' and 'by', suffixed like fr_join. Errors as fr_join. */
int fr_join_asof(const fr_Frame *left, const fr_Frame *right, const char *on,
                 const char *const *by, int nby, fr_AsofDir dir, const char *suffix,
                 fr_Frame **out, mn_Err *e);

/* ---- group-by (group.c) ---- */

typedef enum fr_Agg {
    FR_AGG_COUNT = 0,       /* non-missing values (f64) */
    FR_AGG_SUM,             /* f64/bool: sum skipping NaN (0 for none) */
    FR_AGG_MEAN,            /* f64/bool: mean skipping NaN (NaN for none) */
    FR_AGG_STD,             /* f64/bool: sample std, n - 1 (NaN for fewer than 2) */
    FR_AGG_MIN,             /* any ordered type (cat/text by text); result keeps the type */
    FR_AGG_MAX,
    FR_AGG_FIRST,           /* first non-missing value in row order; keeps the type */
    FR_AGG_LAST,            /* last non-missing value */
    FR_AGG_SIZE             /* rows in the group, missing or not ('col' may be NULL) */
} fr_Agg;

typedef struct fr_AggSpec {
    const char *col;        /* input column */
    fr_Agg      agg;
    const char *as;         /* output name; NULL gives "<col>_<agg>" ("size" for SIZE) */
} fr_AggSpec;

/* "mean" -> FR_AGG_MEAN, ...; MN_EARG listing the known names otherwise. */
int         fr_agg_parse(const char *name, fr_Agg *out, mn_Err *e);
const char *fr_agg_name(fr_Agg a);

/* One row per distinct combination of keys[0..k) (k >= 1), in order of first appearance;
** rows whose keys are missing form their own group (missing equals missing here, unlike
** joins). Columns: the keys, then specs[0..nspecs) in order. Hash-based, O(n) per spec plus
** the output. Errors: MN_EARG (unknown column, numeric aggregation of a non-numeric column,
** duplicate output name), MN_ENOMEM, MN_EINTR. */
int fr_groupby(const fr_Frame *f, const char *const *keys, int k, const fr_AggSpec *specs,
               int nspecs, fr_Frame **out, mn_Err *e);

#endif
