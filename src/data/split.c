/* split.c -- holdout, stratified, time-ordered, k-fold and walk-forward splits as lists of
** row indices. Randomness only through the mn_Rng passed in; results are sorted ascending. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "data/clean_int.h"
#include "data/split.h"

void fr_split_free(fr_Split *s) {
    if (s == NULL)
        return;
    mn_free(s->train);
    mn_free(s->test);
    memset(s, 0, sizeof *s);
}

int fr_split_test_count(int64_t n, double test, int64_t *ntest, mn_Err *e) {
    int64_t k;
    if (!(test > 0.0) || isinf(test))
        return mn_fail(e, MN_EARG, "split: test must be a fraction in (0, 1) or a row count "
                       ">= 1 (got %g)", test);
    if (test < 1.0)
        k = (int64_t)ceil(test * (double)n);
    else if (test >= (double)n)
        k = n;                                   /* refused below, without an overflowing cast */
    else if (test == floor(test))
        k = (int64_t)test;
    else
        return mn_fail(e, MN_EARG, "split: test = %g is neither a fraction below 1 nor a whole "
                       "row count", test);
    if (k < 1 || k > n - 1)
        return mn_fail(e, MN_EARG, "split: test = %g gives %" PRId64 " test rows of %" PRId64
                       "; both sides need at least one row", test, k, n);
    *ntest = k;
    return MN_OK;
}

/* The split whose test rows are those with mark[i] != 0 (arrays ascending by construction). */
static int from_marks(const uint8_t *mark, int64_t n, fr_Split *out, mn_Err *e) {
    fr_Split s = {0};
    for (int64_t i = 0; i < n; i++)
        s.ntest += mark[i] != 0;
    s.ntrain = n - s.ntest;
    s.train = mn_malloc((size_t)(s.ntrain ? s.ntrain : 1) * sizeof *s.train);
    s.test = mn_malloc((size_t)(s.ntest ? s.ntest : 1) * sizeof *s.test);
    if (s.train == NULL || s.test == NULL) {
        fr_split_free(&s);
        return mn_fail(e, MN_ENOMEM, "split: out of memory");
    }
    s.ntrain = s.ntest = 0;
    for (int64_t i = 0; i < n; i++) {
        if (mark[i])
            s.test[s.ntest++] = i;
        else
            s.train[s.ntrain++] = i;
    }
    *out = s;
    return MN_OK;
}

/* Row numbers of each class, class after class: rows[start[c] .. start[c+1]), ascending
** inside a class. A counting sort: one pass to count, one to place. */
static int by_class(const int64_t *cls, int64_t n, int64_t nclass, int64_t **rows_out,
                    int64_t **start_out, mn_Err *e) {
    int64_t *rows = mn_malloc((size_t)(n ? n : 1) * sizeof *rows);
    int64_t *start = mn_calloc((size_t)nclass + 1, sizeof *start);
    int64_t *cur = mn_malloc((size_t)(nclass ? nclass : 1) * sizeof *cur);
    if (rows == NULL || start == NULL || cur == NULL) {
        mn_free(rows);
        mn_free(start);
        mn_free(cur);
        return mn_fail(e, MN_ENOMEM, "split: out of memory");
    }
    for (int64_t i = 0; i < n; i++) {
        if (cls[i] < 0 || cls[i] >= nclass) {
            mn_free(rows);
            mn_free(start);
            mn_free(cur);
            return mn_fail(e, MN_EARG, "split: class id %" PRId64 " of row %" PRId64
                           " is outside [0, %" PRId64 ")", cls[i], i + 1, nclass);
        }
        start[cls[i] + 1]++;
    }
    for (int64_t c = 0; c < nclass; c++) {
        start[c + 1] += start[c];
        cur[c] = start[c];
    }
    for (int64_t i = 0; i < n; i++)
        rows[cur[cls[i]]++] = i;
    mn_free(cur);
    *rows_out = rows;
    *start_out = start;
    return MN_OK;
}

/* A class waiting for a leftover test row: its remainder (ntest * n_c mod n, exact) and its
** place in a seeded random order, which breaks ties. */
typedef struct Rem {
    int64_t rem, pos, cls;
} Rem;

static int cmp_rem(const void *a, const void *b) {
    const Rem *x = a, *y = b;
    if (x->rem != y->rem)
        return x->rem < y->rem ? 1 : -1;              /* largest remainder first */
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Test rows per class by largest remainders: class c's exact share is ntest * n_c / n; each
** class gets its floor, then the ntest - sum(floors) leftover rows go one each to the classes
** with the largest fractional parts, ties in a random order drawn from 'rng'. Integer
** arithmetic, so equal shares tie exactly. take has nclass slots. */
static int largest_remainders(const int64_t *start, int64_t nclass, int64_t n, int64_t ntest,
                              mn_Rng *rng, int64_t *take, mn_Err *e) {
    int64_t given = 0, *order;
    Rem *r;
    if (n > INT64_C(3037000499))                  /* ntest * n_c must fit in int64 */
        return mn_fail(e, MN_EARG, "split: %" PRId64 " rows are too many for a stratified "
                       "split", n);
    r = mn_malloc((size_t)(nclass ? nclass : 1) * sizeof *r);
    order = mn_malloc((size_t)(nclass ? nclass : 1) * sizeof *order);
    if (r == NULL || order == NULL) {
        mn_free(r);
        mn_free(order);
        return mn_fail(e, MN_ENOMEM, "split: out of memory");
    }
    for (int64_t c = 0; c < nclass; c++)
        order[c] = c;
    mn_rng_shuffle(rng, order, nclass);
    for (int64_t p = 0; p < nclass; p++) {
        int64_t c = order[p], share = ntest * (start[c + 1] - start[c]);
        take[c] = share / n;
        given += take[c];
        r[p].rem = share % n;
        r[p].pos = p;
        r[p].cls = c;
    }
    /* the remainders sum to n * (ntest - given), each below n: enough classes to go round */
    qsort(r, (size_t)nclass, sizeof *r, cmp_rem);
    for (int64_t p = 0; p < ntest - given && p < nclass; p++)
        take[r[p].cls]++;
    mn_free(r);
    mn_free(order);
    return MN_OK;
}

int fr_split_classes(const fr_Column *c, int64_t *cls, int64_t *nclass, mn_Err *e) {
    return fr__cl_groups(c, cls, nclass, e);
}

int fr_split_random(int64_t n, double test, const int64_t *strata, int64_t nclass,
                    mn_Rng *rng, fr_Split *out, mn_Err *e) {
    int64_t ntest, *rows = NULL, *start = NULL, *take = NULL;
    uint8_t *mark;
    int rc;
    if ((rc = fr_split_test_count(n, test, &ntest, e)) != MN_OK)
        return rc;
    mark = mn_calloc((size_t)n, 1);
    if (mark == NULL)
        return mn_fail(e, MN_ENOMEM, "split: out of memory");
    if (strata == NULL) {
        if ((rows = mn_malloc((size_t)n * sizeof *rows)) == NULL) {
            rc = mn_fail(e, MN_ENOMEM, "split: out of memory");
            goto done;
        }
        for (int64_t i = 0; i < n; i++)
            rows[i] = i;
        mn_rng_shuffle(rng, rows, n);
        for (int64_t i = 0; i < ntest; i++)
            mark[rows[i]] = 1;
        rc = from_marks(mark, n, out, e);
        goto done;
    }
    if ((rc = by_class(strata, n, nclass, &rows, &start, e)) != MN_OK)
        goto done;
    take = mn_calloc((size_t)nclass + 1, sizeof *take);
    if (take == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "split: out of memory");
        goto done;
    }
    if ((rc = largest_remainders(start, nclass, n, ntest, rng, take, e)) != MN_OK)
        goto done;
    for (int64_t c = 0; c < nclass; c++) {
        int64_t *r = rows + start[c], nc = start[c + 1] - start[c];
        mn_rng_shuffle(rng, r, nc);
        for (int64_t i = 0; i < take[c]; i++)
            mark[r[i]] = 1;
    }
    rc = from_marks(mark, n, out, e);
    if (rc == MN_OK && (out->ntest == 0 || out->ntrain == 0)) {
        fr_split_free(out);
        rc = mn_fail(e, MN_EARG, "split: stratified split left one side empty (classes too "
                     "small for test = %g)", test);
    }
done:
    mn_free(mark);
    mn_free(rows);
    mn_free(start);
    mn_free(take);
    return rc;
}

/* ---- time order ---- */

typedef struct TKey {
    double  d;
    int64_t i;
    int64_t row;
} TKey;

static int cmp_tkey_d(const void *a, const void *b) {
    const TKey *x = a, *y = b;
    if (x->d != y->d)
        return (x->d > y->d) - (x->d < y->d);
    return (x->row > y->row) - (x->row < y->row);
}

static int cmp_tkey_i(const void *a, const void *b) {
    const TKey *x = a, *y = b;
    if (x->i != y->i)
        return (x->i > y->i) - (x->i < y->i);
    return (x->row > y->row) - (x->row < y->row);
}

int fr_time_order(const fr_Column *t, const char *name, int64_t *order, int64_t *rank,
                  mn_Err *e) {
    fr_Type ty = fr_col_type(t);
    int64_t n = fr_col_len(t), r = 0;
    int isf = ty == FR_F64;
    TKey *k;
    if (!isf && ty != FR_DATE && ty != FR_DATETIME)
        return mn_fail(e, MN_EARG, "split: by '%s' is %s; a date, datetime or f64 column is "
                       "needed", name, fr_type_name(ty));
    k = mn_malloc((size_t)(n ? n : 1) * sizeof *k);
    if (k == NULL)
        return mn_fail(e, MN_ENOMEM, "split: out of memory");
    for (int64_t i = 0; i < n; i++) {
        if (fr_col_isna(t, i)) {
            mn_free(k);
            return mn_fail(e, MN_EARG, "split: by '%s': row %" PRId64 " has no time (drop or "
                           "fill it first)", name, i + 1);
        }
        k[i].row = i;
        k[i].d = isf ? fr_col_f64((fr_Column *)t)[i] : 0.0;
        k[i].i = isf ? 0 : fr_col_time((fr_Column *)t)[i];
    }
    qsort(k, (size_t)n, sizeof *k, isf ? cmp_tkey_d : cmp_tkey_i);
    for (int64_t p = 0; p < n; p++) {
        if (p > 0 && (isf ? k[p].d != k[p - 1].d : k[p].i != k[p - 1].i))
            r++;
        order[p] = k[p].row;
        if (rank != NULL)
            rank[p] = r;
    }
    mn_free(k);
    return MN_OK;
}

int fr_split_time(const fr_Column *t, const char *name, double test, fr_Split *out,
                  mn_Err *e) {
    int64_t n = fr_col_len(t), ntest, cut, *order = NULL, *rank = NULL;
    uint8_t *mark = NULL;
    int rc;
    if ((rc = fr_split_test_count(n, test, &ntest, e)) != MN_OK)
        return rc;
    order = mn_malloc((size_t)n * sizeof *order);
    rank = mn_malloc((size_t)n * sizeof *rank);
    mark = mn_calloc((size_t)n, 1);
    if (order == NULL || rank == NULL || mark == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "split: out of memory");
        goto done;
    }
    if ((rc = fr_time_order(t, name, order, rank, e)) != MN_OK)
        goto done;
    cut = n - ntest;                             /* positions [0, cut) train, [cut, n) test */
    if (rank[cut - 1] == rank[cut]) {            /* the cut splits a run of equal times */
        int64_t lo = cut, hi = cut;
        while (lo > 0 && rank[lo - 1] == rank[cut])
            lo--;
        while (hi < n && rank[hi] == rank[cut])
            hi++;
        /* lo: the run goes to test; hi: it goes to train */
        if (lo >= 1 && (hi > n - 1 || llabs((n - lo) - ntest) <= llabs((n - hi) - ntest)))
            cut = lo;
        else if (hi <= n - 1)
            cut = hi;
        else {
            rc = mn_fail(e, MN_EARG, "split: by '%s': all %" PRId64 " rows share one time; no "
                         "cut puts every test row strictly after every train row", name, n);
            goto done;
        }
    }
    for (int64_t p = cut; p < n; p++)
        mark[order[p]] = 1;
    rc = from_marks(mark, n, out, e);
done:
    mn_free(order);
    mn_free(rank);
    mn_free(mark);
    return rc;
}

/* ---- k-fold ---- */

int fr_kfold(int64_t n, int k, const int64_t *strata, int64_t nclass, int shuffle,
             mn_Rng *rng, int32_t *fold, mn_Err *e) {
    int64_t *rows = NULL, *start = NULL;
    int rc;
    if (k < 2 || (int64_t)k > n)
        return mn_fail(e, MN_EARG, "kfold: k = %d must be in [2, %" PRId64 "] (the rows)", k, n);
    if (strata == NULL) {
        int64_t pos = 0;
        if ((rows = mn_malloc((size_t)n * sizeof *rows)) == NULL)
            return mn_fail(e, MN_ENOMEM, "kfold: out of memory");
        for (int64_t i = 0; i < n; i++)
            rows[i] = i;
        if (shuffle)
            mn_rng_shuffle(rng, rows, n);
        for (int f = 0; f < k; f++) {
            int64_t size = n / k + (f < n % k);
            for (int64_t i = 0; i < size; i++)
                fold[rows[pos++]] = f;
        }
        mn_free(rows);
        return MN_OK;
    }
    if ((rc = by_class(strata, n, nclass, &rows, &start, e)) != MN_OK)
        return rc;
    for (int64_t c = 0; shuffle && c < nclass; c++)
        mn_rng_shuffle(rng, rows + start[c], start[c + 1] - start[c]);
    for (int64_t p = 0; p < n; p++)              /* deal: class after class, round-robin */
        fold[rows[p]] = (int32_t)(p % k);
    mn_free(rows);
    mn_free(start);
    return MN_OK;
}

/* ---- walk-forward ---- */

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* A split of positions [a, b) train and [c, d) test, mapped through 'order' and sorted. */
static int make_fold(int64_t a, int64_t b, int64_t c, int64_t d, const int64_t *order,
                     fr_Split *s, mn_Err *e) {
    s->ntrain = b - a;
    s->ntest = d - c;
    s->train = mn_malloc((size_t)(s->ntrain ? s->ntrain : 1) * sizeof *s->train);
    s->test = mn_malloc((size_t)(s->ntest ? s->ntest : 1) * sizeof *s->test);
    if (s->train == NULL || s->test == NULL) {
        fr_split_free(s);
        return mn_fail(e, MN_ENOMEM, "walk_forward_folds: out of memory");
    }
    for (int64_t p = a; p < b; p++)
        s->train[p - a] = order ? order[p] : p;
    for (int64_t p = c; p < d; p++)
        s->test[p - c] = order ? order[p] : p;
    if (order != NULL) {
        qsort(s->train, (size_t)s->ntrain, sizeof *s->train, cmp_i64);
        qsort(s->test, (size_t)s->ntest, sizeof *s->test, cmp_i64);
    }
    return MN_OK;
}

int fr_walk_forward_folds(const fr_WalkOpts *o, const int64_t *order, const int64_t *rank,
                          fr_Split **folds, int *nfolds, mn_Err *e) {
    int64_t step = o->step > 0 ? o->step : o->test, nf;
    fr_Split *fs;
    if (o->train < 1 || o->test < 1 || o->gap < 0)
        return mn_fail(e, MN_EARG, "walk_forward_folds: train (%" PRId64 ") and test (%" PRId64 ") "
                       "must be >= 1 and gap (%" PRId64 ") >= 0", o->train, o->test, o->gap);
    if (o->train > o->n || o->gap > o->n || o->test > o->n ||
        o->train + o->gap + o->test > o->n)
        return mn_fail(e, MN_EARG, "walk_forward_folds: train + gap + test = %" PRId64 " + %" PRId64
                       " + %" PRId64 " rows, more than the %" PRId64 " there are", o->train,
                       o->gap, o->test, o->n);
    nf = (o->n - o->train - o->gap - o->test) / step + 1;
    if (nf > INT32_MAX)
        return mn_fail(e, MN_EARG, "walk_forward_folds: too many folds (%" PRId64 ")", nf);
    fs = mn_calloc((size_t)nf, sizeof *fs);
    if (fs == NULL)
        return mn_fail(e, MN_ENOMEM, "walk_forward_folds: out of memory");
    for (int64_t j = 0; j < nf; j++) {
        int64_t s = o->train + o->gap + j * step, te = s - o->gap;
        int64_t ts = o->expanding ? 0 : te - o->train;
        int rc;
        while (rank != NULL && te > ts && rank[te - 1] == rank[te])
            te--;                    /* equal times stay out of train: strictly earlier */
        if (te <= ts)
            rc = mn_fail(e, MN_EARG, "walk_forward_folds: fold %" PRId64 " has no train rows "
                         "strictly before its test rows (too many equal times)", j + 1);
        else
            rc = make_fold(ts, te, s, s + o->test, order, &fs[j], e);
        if (rc != MN_OK) {
            for (int64_t i = 0; i < j; i++)
                fr_split_free(&fs[i]);
            mn_free(fs);
            return rc;
        }
    }
    *folds = fs;
    *nfolds = (int)nf;
    return MN_OK;
}
