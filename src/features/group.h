/* group.h -- the rows of a frame as groups in time order: the one driver every series feature
** runs through, so no kernel ever sees two groups or a later row. Kernels (series.h,
** indicators.h, windows.h) work on one group's values as a plain array in time order; the
** driver gathers, runs the kernel and scatters the result back to the frame's rows.
** CONTRACT written before the implementation (issue 12): keep the names and meaning. */
#ifndef MN_FEATURES_GROUP_H
#define MN_FEATURES_GROUP_H

#include <stdint.h>

#include "core/err.h"
#include "data/frame.h"

/* How a frame's rows are ordered and grouped for series features. */
typedef struct ft_Order {
    const char *by;           /* group key column (any type but f64), or NULL: one group */
    const char *time;         /* time column (date, datetime or f64), NULL: the frame's one
                              ** date/datetime column if it has exactly one, else row order;
                              ** "" forces row order */
} ft_Order;

/* Groups of rows, each in time order. */
typedef struct ft_Groups {
    int64_t        nrows;     /* rows of the frame */
    int64_t        ngroups;
    int64_t       *start;     /* ngroups + 1 offsets into 'rows' */
    int64_t       *rows;      /* frame row numbers, group after group, each in time order */
    const int64_t *time;      /* per frame row: ns since the epoch (date/datetime), or NULL
                              ** when ordered by rows or by an f64 column */
    int64_t        maxlen;    /* rows in the largest group (scratch size for gathers) */
} ft_Groups;

/* Group 'f' by o->by (groups in order of first appearance) and check that within each group
** the time column is strictly increasing: a frame not sorted by its time column is refused
** (MN_EARG naming the column, the group and the first row out of order), as is a missing time
** value. It is never re-sorted silently. '*out' is freed with ft_groups_free. */
int  ft_groups_new(const fr_Frame *f, const ft_Order *o, ft_Groups **out, mn_Err *e);
void ft_groups_free(ft_Groups *g);                /* NULL is a no-op */

/* Group k's rows: n = start[k+1] - start[k] frame rows at g->rows + start[k]. */
static inline int64_t ft_group_len(const ft_Groups *g, int64_t k) {
    return g->start[k + 1] - g->start[k];
}
static inline const int64_t *ft_group_rows(const ft_Groups *g, int64_t k) {
    return g->rows + g->start[k];
}

/* Copy column values x (indexed by frame row) of group k into buf[0..n) in time order. */
void ft_gather(const ft_Groups *g, int64_t k, const double *x, double *buf);
/* The inverse: out[rows[i]] = buf[i] for group k. */
void ft_scatter(const ft_Groups *g, int64_t k, const double *buf, double *out);

/* The numeric values of column 'name' of 'f' as doubles by frame row (f64 as is, bool 0/1;
** other types are refused, naming the column and its type); '*x' is borrowed from the
** column when it is f64, else a new array in '*owned' (free with mn_free; NULL otherwise). */
int  ft_numeric(const fr_Frame *f, const char *name, const double **x, double **owned,
                mn_Err *e);

/* A window span "20d", "4h", "90min", "30s", "2w" in ns (MN_EARG naming the text otherwise);
** windows given as a span need a date/datetime time column. */
int  ft_parse_span(const char *s, int64_t *ns, mn_Err *e);

#endif
