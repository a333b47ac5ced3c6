/* windows.h -- sequence windows for recurrent and convolutional nets: (N, T, F) float32 inputs
** and (N, 1) targets cut from a frame, one group at a time in time order (group.h), never
** across a group, with the frame row of each window's last step; and the window scaler, a
** per-feature z-score fitted on training windows that serializes with a model. */
#ifndef MN_FEATURES_WINDOWS_H
#define MN_FEATURES_WINDOWS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/tensor.h"
#include "data/frame.h"
#include "features/group.h"

typedef struct ft_WindowOpts {
    const char *const *features;   /* F >= 1 numeric columns (f64 or bool), in this order */
    int                nfeatures;
    const char        *target;     /* numeric column for y, or NULL: no y */
    int64_t            length;     /* T >= 1 rows per window */
    int64_t            stride;     /* >= 1 (1): rows between the last steps of two windows */
    int64_t            horizon;    /* >= 1 (1): y is the target at t + horizon */
    ft_Order           order;      /* group key and time column (group.h) */
} ft_WindowOpts;

void ft_window_opts_init(ft_WindowOpts *o);      /* stride 1, horizon 1, the rest 0/NULL */

typedef struct ft_Windows {
    tn_Tensor *X;          /* (N, T, F) float32; the caller may take it (set the field NULL) */
    tn_Tensor *y;          /* (N, 1) float32, or NULL without a target; may be taken too */
    int64_t    n;          /* N */
    int64_t   *row;        /* N frame rows (0-based) of each window's last step */
    int64_t   *group;      /* N group numbers (0-based, groups in order of first appearance) */
    int        time_col;   /* frame column that orders time within groups, or -1 (row order) */
    int64_t    ngroups;
    int64_t    dropped;    /* windows left out for a NaN or infinite feature or target */
    int64_t    short_groups;   /* groups with fewer than T (+ horizon) rows: no windows */
} ft_Windows;

/* Cut windows from 'f'. Group after group (ft_groups_new: in order of first appearance, each
** in time order; a frame not sorted by its time column is refused there), window i ends at
** row t_i (its last step) and holds the features of rows t_i-T+1 .. t_i of that group, in
** time order: X[i, j, k] = features[k] at the group's (t_i - T + 1 + j)-th row. With a
** target, y[i] = target at the group's row t_i + horizon, so the window sees data up to t_i
** and its label lies strictly after it. Within a group of n rows the last steps are T-1,
** T-1+stride, ... up to n-1-horizon (n-1 without a target): a window whose target would fall
** beyond its group is not formed (the horizon cannot be met: no window, not an error). A
** window with any NaN or infinite feature value or target is dropped and counted in
** 'dropped'. A group shorter than T + horizon gives no windows (counted in 'short_groups');
** T longer than every group is MN_EARG naming 'length'. N may be 0.
** Values are read as doubles and cast to float32 only when written into X and y.
** Errors: MN_EARG (bad length / stride / horizon / features, a missing or non-numeric
** column, naming it), MN_ENOMEM, MN_EINTR. '*out' is freed with ft_windows_free. */
int  ft_windows(const fr_Frame *f, const ft_WindowOpts *o, ft_Windows **out, mn_Err *e);
void ft_windows_free(ft_Windows *w);             /* NULL is a no-op; frees X and y if kept */

/* ---- the window scaler ---- */

typedef struct ft_WScaler ft_WScaler;            /* opaque */

/* A new, unfitted scaler. */
int  ft_wscaler_new(ft_WScaler **out, mn_Err *e);
void ft_wscaler_free(ft_WScaler *s);             /* NULL is a no-op */

/* Learn, per feature k (the last dimension of X: (N, T, F), or (N, F)), the mean and the
** population standard deviation (ddof = 0, as prep.standard) over every time step of every
** window: over all N*T values X[., ., k], accumulated in double. A zero sd is stored as 1.
** NaN values are refused (MN_ENAN naming the window and feature); N = 0 is MN_EARG.
** Replaces an earlier fit. */
int  ft_wscaler_fit(ft_WScaler *s, const tn_Tensor *X, mn_Err *e);
/* A new tensor of X's shape: (x - mean_k) / sd_k, computed in double, stored as float32.
** X's last dimension must be the fitted F (MN_ESHAPE naming both); MN_EARG when unfitted. */
int  ft_wscaler_transform(const ft_WScaler *s, const tn_Tensor *X, tn_Tensor **out,
                          mn_Err *e);
int  ft_wscaler_fitted(const ft_WScaler *s);
int64_t ft_wscaler_nfeatures(const ft_WScaler *s);   /* 0 when unfitted */
/* Feature k's mean and sd (k in [0, nfeatures)). */
void ft_wscaler_param(const ft_WScaler *s, int64_t k, double *mean, double *sd);

/* The scaler as text: "moneta.wscaler 1\n", "fitted 0|1\n", "features F\n", F lines
** "<mean> <sd>" as C99 hex floats (exact round trip), "end\n". '*out' is mn_malloc'ed and
** NUL-terminated (the caller mn_frees it); '*len' its length. */
int  ft_wscaler_serialize(const ft_WScaler *s, char **out, size_t *len, mn_Err *e);
/* The inverse. MN_EPARSE naming the byte offset and what was expected when the text is
** damaged (or an sd is not positive and finite); MN_EARG for another version. */
int  ft_wscaler_deserialize(const char *s, size_t len, ft_WScaler **out, mn_Err *e);

#endif
