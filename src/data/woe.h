/* woe.h -- weight-of-evidence binning of one feature against a 0/1 target (1 = bad), the
** information value, and the population stability index of two samples. The fitted WoE
** transform that applies a binning to frames and serializes it is in data/transform.h. */
#ifndef MN_DATA_WOE_H
#define MN_DATA_WOE_H

#include <stdint.h>

#include "core/err.h"

typedef enum fr_WoeMethod {
    FR_WOE_QUANTILE = 0,    /* 'bins' quantile bins, ties kept together */
    FR_WOE_MONOTONIC        /* 'fine' quantile bins pooled until the bad rate is monotone */
} fr_WoeMethod;

typedef struct fr_WoeOpts {
    fr_WoeMethod method;    /* FR_WOE_QUANTILE */
    int          bins;      /* quantile: number of bins (10) */
    int          fine;      /* monotonic: the fine quantile bins it starts from (20) */
    double       min_share; /* a value bin (or level) with fewer than this share of the
                            ** non-missing rows is merged (0.05); 0 turns merging off */
    double       smooth;    /* added to every good and bad count before shares (0.5) */
} fr_WoeOpts;

void fr_woe_opts_init(fr_WoeOpts *o);
/* MN_EARG naming the option when one is out of range (method, bins and fine in 1..10000,
** 0 <= min_share < 1, smooth >= 0). */
int  fr_woe_check_opts(const fr_WoeOpts *o, mn_Err *e);

typedef struct fr_WoeBin {
    double  lo, hi;         /* numeric: the bin is lo < x <= hi (first lo -inf, last hi
                            ** +inf); categorical and the missing bin: NaN */
    int64_t n, bad;         /* rows and bads (target 1) at fit; goods are n - bad */
    double  woe, iv;        /* ln(%good / %bad) and (%good - %bad) * woe, smoothed shares */
} fr_WoeBin;

/* A fitted binning. Owned by its creator and freed with fr_woe_free. The value bins come
** first (numeric: in increasing x; categorical: one per kept level in byte order, then the
** "other" bin), then one missing bin, bin[nbins], always present (n = 0 when no value was
** missing at fit; its woe is then 0, no evidence). */
typedef struct fr_Woe {
    int        categorical;
    int        nbins;       /* value bins; bin[] has nbins + 1 entries */
    fr_WoeBin *bin;
    int32_t    nlev;        /* categorical: the levels seen at fit, sorted by bytes, */
    char     **lev;         /* and the bin of each */
    int32_t   *lev_bin;
    int        other;       /* categorical: the "other" bin (small levels), or -1 */
    int        direction;   /* monotonic: +1 the bad rate rises with x, -1 falls; else 0 */
    double     smooth;
    int64_t    good, bad;   /* totals over every row, the missing bin included */
    double     iv;          /* sum of the bins' iv */
} fr_Woe;

/* Bin numeric x[0..n) against y[0..n) (each 0 or 1; anything else is MN_EARG naming the row).
** NaN in x goes to the missing bin. Quantile edges: edge k (k = 1..K-1) is the
** ceil(k m / K)-th smallest of the m non-missing values (the inverse empirical CDF, numpy's
** 'inverted_cdf'); bins are lo < x <= hi, so equal values always share a bin and repeated
** edges collapse. Monotonic: direction is the sign of the Pearson correlation of x and y
** over the non-missing rows (+1 when it is 0 or undefined); adjacent bins that break it are
** pooled (pool-adjacent-violators, ties allowed) until the bad rate is monotone. Then, both
** methods, while a bin holds fewer than min_share * m rows it is merged into its smaller
** neighbour (the left one on a tie), which keeps a monotone sequence monotone.
** MN_EARG when the target has a single class. '*out' is new; free with fr_woe_free. */
int fr_woe_fit_num(const double *x, const double *y, int64_t n, const fr_WoeOpts *o,
                   fr_Woe **out, mn_Err *e);
/* Categorical x[0..n) (NULL = missing): one bin per level; levels with fewer than
** min_share of the non-missing rows go together into one "other" bin (placed last). */
int fr_woe_fit_cat(const char *const *x, const double *y, int64_t n, const fr_WoeOpts *o,
                   fr_Woe **out, mn_Err *e);

/* An empty binning for a reader to fill (bins zeroed, lev/lev_bin of nlev entries). */
int  fr_woe_alloc(int categorical, int nbins, int32_t nlev, fr_Woe **out, mn_Err *e);
/* Check a filled binning (edges increasing and ending at +inf, 0 <= bad <= n, levels sorted
** and distinct, bins in range, both classes present) and compute totals, woe and iv from
** the counts. MN_EARG with what is wrong. */
int  fr_woe_finish(fr_Woe *w, mn_Err *e);
void fr_woe_free(fr_Woe *w);              /* NULL is a no-op */

/* The bin of a value: numeric NaN and categorical NULL -> nbins (missing); an unseen level
** -> the "other" bin, or -1 when there is none. */
int    fr_woe_bin_num(const fr_Woe *w, double x);
int    fr_woe_bin_cat(const fr_Woe *w, const char *s);
/* The WoE of a bin as the transform writes it: 0 for -1 and for a bin empty at fit. */
double fr_woe_value(const fr_Woe *w, int bin);

/* The usual reading of an information value: "useless" (< 0.02), "weak" (< 0.1), "medium"
** (< 0.3), "strong" (< 0.5), "suspicious" (>= 0.5: too good, check for a leak). */
const char *fr_iv_reading(double iv);

/* ---- population stability index ---- */

typedef struct fr_Psi {
    int     nbins;          /* value bins, then one missing bin when either sample has NaN */
    double *hi;             /* upper edges (last +inf; missing bin NaN) */
    double *expected, *actual;  /* smoothed shares per bin */
    double *contrib;        /* (a - e) ln(a / e) per bin */
    double  psi;
} fr_Psi;

/* PSI of 'actual' against 'expected': bins fixed by 'bins' quantile edges of expected (the
** same edges as fr_woe_fit_num's, ties together), counts + 0.5 in every bin of both samples
** before taking shares (so an empty bin gives a finite term), PSI = sum (a - e) ln(a / e).
** NaN goes to a missing bin of its own. MN_EARG when a sample has no values or bins < 2.
** Fills '*out' (its arrays mn_malloc'ed; release with fr_psi_clear). */
int  fr_psi(const double *expected, int64_t ne, const double *actual, int64_t na, int bins,
            fr_Psi *out, mn_Err *e);
void fr_psi_clear(fr_Psi *p);
/* "stable" (< 0.1), "some shift" (< 0.25), "major shift" (>= 0.25). */
const char *fr_psi_reading(double psi);

#endif
