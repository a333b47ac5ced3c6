/* ops_int.h -- shared inside data/: row keys over several typed columns (hash and equality
** that agree across frames), a hash table of groups built on them, and the statistics helpers
** of stats.c that cleaning and transforms use too. */
#ifndef MN_DATA_OPS_INT_H
#define MN_DATA_OPS_INT_H

#include <math.h>

#include "data/frame_int.h"
#include "data/ops.h"

/* Poll the interrupt flag once per this many rows. */
#define FR__POLL 65536

/* One key column, viewed for hashing: cat levels hash by text so that two frames agree. */
typedef struct fr__KeyCol {
    const fr_Column *col;
    uint64_t        *lvhash;     /* FR_CAT: hash of each level's text (owned) */
} fr__KeyCol;

typedef struct fr__Keys {
    int         k;
    int64_t     n;               /* rows */
    fr__KeyCol *cols;            /* k, owned */
} fr__Keys;

/* View cols[0..k) (all of one length) as keys. Free with fr__keys_free (also after failure). */
int      fr__keys_init(fr__Keys *ks, fr_Column *const *cols, int k, mn_Err *e);
void     fr__keys_free(fr__Keys *ks);
int      fr__keys_hasna(const fr__Keys *ks, int64_t i);          /* any key missing in row i */
uint64_t fr__keys_hash(const fr__Keys *ks, int64_t i);           /* missing hashes to a constant */
/* Row i of 'a' equals row j of 'b' (missing equals missing; callers skip it when it must not). */
int      fr__keys_eq(const fr__Keys *a, int64_t i, const fr__Keys *b, int64_t j);
/* MN_EARG unless column i of 'a' and 'b' can be compared; names[i] names the pair. */
int      fr__keys_check(const fr__Keys *a, const fr__Keys *b, const char *const *names,
                        mn_Err *e);

/* Groups of equal keys, numbered 0..ngroups-1 in order of first appearance. */
typedef struct fr__Groups {
    int64_t   n, ngroups;
    int64_t  *gid;               /* n: group of each row; -1 for skipped (missing) rows */
    int64_t  *first;             /* ngroups (allocated n): first row of each group */
    uint64_t *ghash;             /* ngroups (allocated n): hash of each group's key */
    int64_t  *slots;             /* cap: a group id or -1 (open addressing, linear probing) */
    int64_t   cap;
} fr__Groups;

/* Group the rows of 'ks'. na_group: rows with a missing key form groups too (missing equals
** missing); otherwise they get gid -1. Free with fr__groups_free (also after failure). */
int     fr__groups_build(const fr__Keys *ks, int na_group, fr__Groups *g, mn_Err *e);
/* The group of 'build' whose key equals row i of 'probe', or -1 (also when row i has a
** missing key). */
int64_t fr__groups_find(const fr__Groups *g, const fr__Keys *build, const fr__Keys *probe,
                        int64_t i);
void    fr__groups_free(fr__Groups *g);

/* Stable order of rows idx[0..n) (indices into cols, rewritten in place) by cols[0..k), desc[j]
** nonzero for descending (desc may be NULL), missing last. MN_ENOMEM, MN_EINTR. */
int fr__order_cols(fr_Column *const *cols, const int *desc, int k, int64_t *idx, int64_t n,
                   mn_Err *e);

/* Compare non-missing row i of 'a' with row j of 'b' of the same ordered kind (numeric, time,
** or cat/text by text): <0, 0, >0. */
int fr__cmp_rows(const fr_Column *a, int64_t i, const fr_Column *b, int64_t j);

/* Is the column f64 or bool (arithmetic and statistics accept both)? */
int fr__is_numeric(const fr_Column *c);

static inline int fr__is_string(fr_Type t) { return t == FR_CAT || t == FR_TEXT; }
static inline int fr__is_time(fr_Type t) { return t == FR_DATE || t == FR_DATETIME; }

/* Text of non-missing row i of a cat or text column. */
static inline const char *fr__row_text(const fr_Column *c, int64_t i) {
    if (c->type == FR_CAT)
        return c->levels[((const int32_t *)c->data)[i]];
    return ((char *const *)c->data)[i];
}

/* Row i of a numeric (f64 or bool) column as a double; NaN when missing. */
static inline double fr__num_at(const fr_Column *c, int64_t i) {
    int8_t b;
    if (c->type == FR_F64)
        return ((const double *)c->data)[i];
    b = ((const int8_t *)c->data)[i];
    return b < 0 ? (double)NAN : (double)b;
}

/* ---- statistics (stats.c) ---- */

/* Neumaier's compensated sum: start from {0, 0}, add with fr__sum_add; the total is
** sum + comp. Long sums of prices keep their last digits. */
typedef struct fr__Sum {
    double sum, comp;
} fr__Sum;

static inline void fr__sum_add(fr__Sum *s, double x) {
    double t = s->sum + x;
    s->comp += fabs(s->sum) >= fabs(x) ? (s->sum - t) + x : (x - t) + s->sum;
    s->sum = t;
}

/* The non-missing values of numeric column 'c', sorted ascending, in a new mn_malloc'ed array
** the caller frees; '*m' gets their count. MN_EARG (not numeric), MN_ENOMEM. */
int fr__sorted_values(const fr_Column *c, double **out, int64_t *m, mn_Err *e);

/* Mean (compensated sum) and standard deviation with 'ddof' (0: population, 1: sample; two
** passes, deviations from the mean) of the non-missing values of numeric column 'c'; '*m' gets
** their count. mean is NaN when m = 0, sd when m <= ddof. */
void fr__moments(const fr_Column *c, int ddof, double *mean, double *sd, int64_t *m);

#endif
