/* transform.h -- fitted transforms ("prep"): scalers, imputer, one-hot and ordinal encoders
** and pipelines of them. Each learns on one frame (fit) and applies what it learned to
** another (transform); the fitted state serializes to a versioned text string that a model
** file can carry. Stateless cleaning is data/clean.h. */
#ifndef MN_DATA_TRANSFORM_H
#define MN_DATA_TRANSFORM_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "data/frame.h"
#include "data/woe.h"

typedef struct fr_Prep fr_Prep;       /* opaque, refcounted */

typedef enum fr_PrepKind {
    FR_PREP_STANDARD = 0,   /* (x - mean) / sd, population sd (ddof = 0) as scikit-learn's
                            ** StandardScaler; sd 0 -> divide by 1. Default: f64, date and
                            ** datetime columns (dates as days since 1970-01-01; output f64) */
    FR_PREP_MINMAX,         /* (x - min) / (max - min) mapped to [range_lo, range_hi]; a zero
                            ** range -> divide by 1. Default columns as standard */
    FR_PREP_ROBUST,         /* (x - median) / (Q(q_hi) - Q(q_lo)), quantiles as numpy's default;
                            ** zero IQR -> divide by 1. Default columns as standard */
    FR_PREP_IMPUTE,         /* missing -> a statistic learned at fit. f64, date, datetime: the
                            ** strategy's value (dates in days; constant 'value' in days);
                            ** cat and bool: the most frequent value for median, mean and
                            ** most_frequent, 'level' / 'value' for constant. Default: f64, cat,
                            ** bool, date and datetime columns */
    FR_PREP_ONEHOT,         /* cat/text column x -> f64 0/1 columns "x=level", levels sorted by
                            ** bytes; bool -> f64 0/1 in place. Default: cat, text, bool */
    FR_PREP_ORDINAL,        /* cat/text -> f64 code (level index, levels sorted by bytes);
                            ** missing -> NaN. Default: cat and text columns */
    FR_PREP_WOE,            /* weight of evidence: each column -> the f64 WoE of its bin, bins
                            ** learned against a 0/1 target (data/woe.h). Default: f64, bool,
                            ** cat and text columns; the target column (option 'target') is
                            ** not binned and is left out of the output */
    FR_PREP_PIPELINE        /* steps applied in order; fit fits each on the previous output */
} fr_PrepKind;

typedef enum fr_Impute {
    FR_IMPUTE_MEDIAN = 0, FR_IMPUTE_MEAN, FR_IMPUTE_MOST_FREQUENT, FR_IMPUTE_CONSTANT
} fr_Impute;

typedef enum fr_Unknown {
    FR_UNKNOWN_DEFAULT = -1,  /* onehot: IGNORE; ordinal: VALUE */
    FR_UNKNOWN_IGNORE = 0,    /* onehot: an unseen level gives all zeros */
    FR_UNKNOWN_ERROR,         /* MN_EARG naming column, row and level */
    FR_UNKNOWN_INFREQUENT,    /* onehot: unseen and infrequent levels go to "x=<infrequent>" */
    FR_UNKNOWN_VALUE          /* ordinal: unseen levels get 'unknown_value' (-1, or NaN) */
} fr_Unknown;

typedef struct fr_PrepOpts {
    const char *const *columns;  /* act on these columns only (NULL: the kind's default) */
    int         ncolumns;
    fr_Impute   strategy;        /* impute (median) */
    double      value;           /* impute constant for f64 and bool columns (0) */
    const char *level;           /* impute constant for cat columns ("missing") */
    int         drop_first;      /* onehot: leave out the first level's column (0) */
    fr_Unknown  unknown;         /* onehot / ordinal: unseen levels (FR_UNKNOWN_DEFAULT) */
    double      unknown_value;   /* ordinal (-1) */
    double      min_frequency;   /* onehot infrequent: levels seen fewer times (a count >= 1,
                                 ** or a share of the rows when < 1) are infrequent (0) */
    int         missing_column;  /* onehot: missing -> its own "x=NA" column (1) or all
                                 ** zeros (0, the default) */
    double      range_lo, range_hi;   /* minmax (0, 1) */
    double      q_lo, q_hi;           /* robust (0.25, 0.75) */
    fr_WoeOpts  woe;             /* woe: method, bins, fine, min_share, smooth */
    const char *target;          /* woe: the frame's 0/1 target column (NULL: y given to fit) */
} fr_PrepOpts;

void fr_prep_opts_init(fr_PrepOpts *o);

/* A new, unfitted transform of 'kind' (not FR_PREP_PIPELINE). Options are copied. */
int fr_prep_new(fr_PrepKind kind, const fr_PrepOpts *o, fr_Prep **out, mn_Err *e);
/* A pipeline holding references to steps[0..n) (fitting it fits them in place). */
int fr_prep_pipeline(fr_Prep *const *steps, int n, fr_Prep **out, mn_Err *e);
void fr_prep_ref(fr_Prep *p);
void fr_prep_free(fr_Prep *p);           /* drops a reference; NULL is a no-op */

/* Learn from 'f' (replacing any earlier fit). Columns named in the options must exist and
** have a type the kind accepts; NaN and missing values are skipped by every statistic. */
int fr_prep_fit(fr_Prep *p, const fr_Frame *f, mn_Err *e);
/* Apply the fit to 'f', which must have exactly the columns (names and types) seen at fit,
** in any order: otherwise MN_EARG naming the column. The result has the fit-time column
** order. Missing values: scalers keep NaN; impute fills; onehot/ordinal as documented above. */
int fr_prep_transform(const fr_Prep *p, const fr_Frame *f, fr_Frame **out, mn_Err *e);
int fr_prep_fit_transform(fr_Prep *p, const fr_Frame *f, fr_Frame **out, mn_Err *e);
/* The same with a target y[0..ny) (ny must be fr_nrows(f)): a woe step without a 'target'
** column learns against it; every other kind ignores it, and a pipeline hands it to each
** step (no step changes the rows). y NULL is fr_prep_fit / fr_prep_fit_transform. */
int fr_prep_fit_y(fr_Prep *p, const fr_Frame *f, const double *y, int64_t ny, mn_Err *e);
int fr_prep_fit_transform_y(fr_Prep *p, const fr_Frame *f, const double *y, int64_t ny,
                            fr_Frame **out, mn_Err *e);

/* The whole transform (options and fitted state, pipelines with their steps) as text:
** "moneta.prep 1\n" then tokens; doubles as C99 hex floats (%a), so they round-trip
** exactly; strings length-prefixed. A woe step adds its options and bins (an older reader
** refuses it as an unknown kind); blobs without woe are as before, so still version 1.
** '*out' is mn_malloc'ed (NUL-terminated; the caller mn_frees it); '*len' its length. */
int fr_prep_serialize(const fr_Prep *p, char **out, size_t *len, mn_Err *e);
/* A transform from fr_prep_serialize's text. MN_EPARSE naming the byte offset when the text
** is damaged; MN_EARG for a version this build does not read. */
int fr_prep_deserialize(const char *s, size_t len, fr_Prep **out, mn_Err *e);

/* ---- introspection ---- */
fr_PrepKind fr_prep_kind(const fr_Prep *p);
const char *fr_prep_kind_name(fr_PrepKind k);   /* "standard", "minmax", ... */
int         fr_prep_fitted(const fr_Prep *p);
int         fr_prep_nsteps(const fr_Prep *p);               /* pipelines; else 0 */
fr_Prep    *fr_prep_step(const fr_Prep *p, int i);          /* borrowed */
/* Fitted columns: j in [0, fr_prep_ncols). '*a', '*b': standard mean, sd; minmax min,
** max - min; robust median, IQR (dates: in days); impute f64/bool/date the fill value.
** '*nlev' the levels (onehot/ordinal: the learned levels; impute cat: 1, the fill level).
** Returns the name. */
int         fr_prep_ncols(const fr_Prep *p);
const char *fr_prep_col(const fr_Prep *p, int j, fr_Type *type, double *a, double *b,
                        int32_t *nlev);
const char *fr_prep_level(const fr_Prep *p, int j, int32_t k);
int         fr_prep_infrequent(const fr_Prep *p, int j);    /* onehot: has an infrequent col */
const fr_Woe *fr_prep_woe(const fr_Prep *p, int j);         /* woe: column j's bins; borrowed */
const char *fr_prep_target(const fr_Prep *p);               /* woe: the target column or NULL */

#endif
