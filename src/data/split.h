/* split.h -- row splits for validation: random and stratified holdout, time-ordered holdout,
** k-fold and stratified k-fold, walk-forward folds with a gap. Works on row indices (0-based);
** gathering the rows into frames is fr_take's job. Every random choice takes an mn_Rng. */
#ifndef MN_DATA_SPLIT_H
#define MN_DATA_SPLIT_H

#include <stdint.h>

#include "core/err.h"
#include "core/rng.h"
#include "data/frame.h"

/* A train/test pair of row-index lists, each ascending (original row order). */
typedef struct fr_Split {
    int64_t *train, *test;
    int64_t  ntrain, ntest;
} fr_Split;

void fr_split_free(fr_Split *s);           /* frees the arrays, zeroes 's'; NULL is a no-op */

/* Number of test rows for 'test' out of n: a fraction in (0, 1) gives ceil(test * n) (as
** scikit-learn), a whole number >= 1 is a count. MN_EARG unless 1 <= count <= n - 1. */
int fr_split_test_count(int64_t n, double test, int64_t *ntest, mn_Err *e);

/* Random holdout: a uniformly random set of fr_split_test_count(n, test) rows is the test
** set. With 'strata' (class ids 0..nclass-1 per row, e.g. from fr_split_classes) each class
** c of n_c rows gives floor(test * n_c) or one more test rows: the ceil(test * n) test rows
** are given out by floors first, then one each to the classes with the largest remainders
** (computed exactly; equal remainders in a random order drawn from 'rng'), so every class's
** test share is within one row of 'test'. O(n + nclass log nclass). */
int fr_split_random(int64_t n, double test, const int64_t *strata, int64_t nclass,
                    mn_Rng *rng, fr_Split *out, mn_Err *e);

/* Class ids for stratifying by column 'c' (any type; missing values form their own class). */
int fr_split_classes(const fr_Column *c, int64_t *cls, int64_t *nclass, mn_Err *e);

/* Time-ordered holdout by 't' (date, datetime or f64; no missing values): every test row is
** strictly later than every train row. The cut aims at fr_split_test_count rows; when it falls
** inside a run of equal times the whole run goes to the side that leaves the test count
** closest to the aim (ties of closeness: to test). MN_EARG naming the column when no cut
** leaves rows on both sides (all times equal) or a time is missing. */
int fr_split_time(const fr_Column *t, const char *name, double test, fr_Split *out, mn_Err *e);

/* k-fold: fold[i] in [0, k) is the test fold of row i. Without strata: rows (shuffled when
** 'shuffle', else in order) are cut into k consecutive blocks, the first n % k one row
** larger (scikit-learn's KFold). With strata: the rows of each class (shuffled when asked)
** are dealt round-robin to the folds, the deal continuing from class to class, so fold sizes
** differ by at most one and so do any class's counts in two folds. 2 <= k <= n. */
int fr_kfold(int64_t n, int k, const int64_t *strata, int64_t nclass, int shuffle,
             mn_Rng *rng, int32_t *fold, mn_Err *e);

typedef struct fr_WalkOpts {
    int64_t n;          /* rows, in time order (positions 0..n-1) */
    int64_t train;      /* rows of the first train window (>= 1) */
    int64_t test;       /* rows per test window (>= 1) */
    int64_t step;       /* how far each fold moves (default: test when <= 0) */
    int64_t gap;        /* rows left out between train and test (embargo), >= 0 */
    int     expanding;  /* 1: train grows from row 0; 0: a sliding window of 'train' rows */
} fr_WalkOpts;

/* Walk-forward folds over positions 0..n-1: fold j tests [s, s + test) with s = train + gap +
** j * step and trains on [s - gap - train, s - gap) (sliding) or [0, s - gap) (expanding);
** folds stop before s + test > n. 'order' (may be NULL) maps positions to row numbers (rows
** sorted by time) and 'rank' (may be NULL; from fr_time_order) moves the train end back
** past rows whose time equals the first gap/test row's, so train is strictly earlier.
** '*folds' is a new array of '*nfolds' splits: free each with fr_split_free, then mn_free it.
** MN_EARG when not even one fold fits. */
int fr_walk_forward_folds(const fr_WalkOpts *o, const int64_t *order, const int64_t *rank,
                          fr_Split **folds, int *nfolds, mn_Err *e);

/* Rows of time column 't' (date, datetime or f64) in time order, stable: order[0..n) gets
** the row numbers and, if not NULL, rank[0..n) the dense rank of each position's time (equal
** times, equal ranks). MN_EARG naming the column and row of a missing time. */
int fr_time_order(const fr_Column *t, const char *name, int64_t *order, int64_t *rank,
                  mn_Err *e);

#endif
