/* frame.h -- the data frame: named, typed, column-oriented, in double precision.
** Columns are immutable once in a frame and refcounted, so select/drop/add share them without
** copying. Missing values: NaN (double), -1 (categorical code), FR_NA_TIME (date/datetime),
** -1 (boolean), NULL (text). Row operations (filter, sort, slice) gather into new columns. */
#ifndef MN_DATA_FRAME_H
#define MN_DATA_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

typedef enum fr_Type {
    FR_F64 = 0,      /* double; NaN = missing */
    FR_CAT,          /* int32 codes into a dictionary of levels; -1 = missing */
    FR_DATE,         /* int64 ns since the epoch, UTC, at midnight; FR_NA_TIME = missing */
    FR_DATETIME,     /* int64 ns since the epoch, UTC; FR_NA_TIME = missing */
    FR_BOOL,         /* int8 0/1; -1 = missing */
    FR_TEXT          /* char* (owned, UTF-8); NULL = missing */
} fr_Type;

#define FR_NA_TIME INT64_MIN
#define FR_NS_PER_DAY INT64_C(86400000000000)

typedef struct fr_Column fr_Column;   /* opaque; body in data/frame_int.h */
typedef struct fr_Frame fr_Frame;     /* opaque */

/* ---- columns ---- */

/* A new column of 'n' rows, every value missing (text NULL, cat -1, ...). Refcount 1; the
** caller drops it with fr_col_unref(). */
int  fr_col_new(fr_Type type, int64_t n, fr_Column **out, mn_Err *e);
/* The same for a writer that fills every row itself before anyone reads the column (a
** feature kernel's output): an f64, date, datetime or bool column whose values are NOT set
** (MN_EARG for cat and text, which must start missing). Skips one pass over the memory. */
int  fr_col_new_unset(fr_Type type, int64_t n, fr_Column **out, mn_Err *e);
void fr_col_ref(fr_Column *c);
void fr_col_unref(fr_Column *c);                 /* NULL is a no-op; frees at zero */

fr_Type     fr_col_type(const fr_Column *c);
int64_t     fr_col_len(const fr_Column *c);
const char *fr_type_name(fr_Type t);             /* "f64", "cat", "date", ... */
/* The inverse of fr_type_name: 1 and '*t' for "f64", "cat", "date", "datetime", "bool" or
** "text" (also "number", "num", "double" for f64 and "string", "str" for text); 0 else. */
int         fr_type_parse(const char *name, fr_Type *t);

/* Typed storage, valid while the column lives. NULL if the type differs. A column may be
** written only while its refcount is 1 and it is in no frame (that is, while building it). */
double   *fr_col_f64(fr_Column *c);
int32_t  *fr_col_codes(fr_Column *c);            /* FR_CAT */
int64_t  *fr_col_time(fr_Column *c);             /* FR_DATE, FR_DATETIME */
int8_t   *fr_col_bool(fr_Column *c);
char    **fr_col_text(fr_Column *c);             /* each owned by the column; set with strdup */

/* Categorical dictionary. fr_cat_intern returns the code of 'level' (adding it if new).
** Levels are kept in first-seen order; codes index them. */
int         fr_cat_intern(fr_Column *c, const char *level, size_t len, int32_t *code, mn_Err *e);
int32_t     fr_cat_nlevels(const fr_Column *c);
const char *fr_cat_level(const fr_Column *c, int32_t code);   /* NULL for -1 / out of range */
int32_t     fr_cat_find(const fr_Column *c, const char *level); /* -1 when absent */

/* Is row i missing? */
int fr_col_isna(const fr_Column *c, int64_t i);

/* Value of row i as a double: f64 as is, bool 0/1, cat code, time ns; NaN when missing or text. */
double fr_col_get_num(const fr_Column *c, int64_t i);

/* Format row i into buf (missing -> "NA"); doubles in the shortest round-trip form. */
int fr_col_format(const fr_Column *c, int64_t i, char *buf, size_t size);

/* Parse the date or datetime s[0..n) as read_csv reads ISO dates: YYYY-MM-DD (or YYYY/MM/DD),
** optionally followed by 'T' or ' ' and HH:MM[:SS[.fraction]] and then Z or an offset
** +HH:MM / -HH:MM (+HHMM too). Invalid calendar dates and times (2024-02-30, 24:00) are
** refused. On success returns 1, sets '*ns' to ns since the epoch, UTC (the offset applied),
** and '*has_time' to 1 when a time of day was given (0 for a plain date); else returns 0 and
** leaves both untouched. No surrounding blanks. Used by comparisons, casts and plots. */
int fr_parse_time(const char *s, size_t n, int64_t *ns, int *has_time);

/* New column with rows idx[0..n) of 'c' (idx may repeat; -1 gives a missing value). */
int fr_col_take(const fr_Column *c, const int64_t *idx, int64_t n, fr_Column **out, mn_Err *e);

/* Deep copy (for copy-on-write). */
int fr_col_copy(const fr_Column *c, fr_Column **out, mn_Err *e);

/* ---- frames ---- */

/* An empty frame: 0 columns, 'nrows' rows (the first added column must have that length,
** unless nrows is -1, which takes the first column's length). */
int  fr_new(int64_t nrows, fr_Frame **out, mn_Err *e);
void fr_free(fr_Frame *f);                       /* NULL is a no-op; unrefs its columns */

int64_t     fr_nrows(const fr_Frame *f);
int         fr_ncols(const fr_Frame *f);
const char *fr_name(const fr_Frame *f, int j);   /* borrowed */
fr_Column  *fr_col(const fr_Frame *f, int j);    /* borrowed; j in [0, ncols) */
int         fr_find(const fr_Frame *f, const char *name);   /* index or -1 */
/* Column by name, or an MN_EARG error "no column 'x' (columns: a, b, ...)". Borrowed. */
int         fr_get(const fr_Frame *f, const char *name, fr_Column **out, mn_Err *e);
/* Shortcut for tests: the doubles of column 'name', NULL if absent or not f64. */
double     *fr_f64(const fr_Frame *f, const char *name);

/* Append column 'c' under 'name' (the frame takes a reference; the caller keeps its own).
** Fails on a length mismatch or a duplicate name. */
int fr_add(fr_Frame *f, const char *name, fr_Column *c, mn_Err *e);
/* Replace the column called 'name' (or append it if absent). */
int fr_set(fr_Frame *f, const char *name, fr_Column *c, mn_Err *e);
int fr_rename(fr_Frame *f, const char *from, const char *to, mn_Err *e);

/* New frame sharing the columns named in names[0..k) (in that order). */
int fr_select(const fr_Frame *f, const char *const *names, int k, fr_Frame **out, mn_Err *e);
/* New frame sharing every column but the named ones (unknown names are an error). */
int fr_drop(const fr_Frame *f, const char *const *names, int k, fr_Frame **out, mn_Err *e);
/* New frame with rows idx[0..n) (gather; -1 gives missing values). */
int fr_take(const fr_Frame *f, const int64_t *idx, int64_t n, fr_Frame **out, mn_Err *e);
/* Rows [first, first+count), clipped to the frame. */
int fr_slice(const fr_Frame *f, int64_t first, int64_t count, fr_Frame **out, mn_Err *e);

#endif
