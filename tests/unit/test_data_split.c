/* test_data_split.c -- data/split: random and stratified holdout, time-ordered holdout,
** k-fold partitions, walk-forward gaps; properties checked over many seeds. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "core/mem.h"
#include "core/rng.h"
#include "data/frame.h"
#include "data/split.h"

static int sorted_disjoint_cover(const fr_Split *s, int64_t n) {
    uint8_t *seen = calloc((size_t)n, 1);
    int ok = s->ntrain + s->ntest == n;
    for (int64_t i = 0; ok && i < s->ntrain; i++) {
        ok = s->train[i] >= 0 && s->train[i] < n && !seen[s->train[i]] &&
             (i == 0 || s->train[i - 1] < s->train[i]);
        if (ok)
            seen[s->train[i]] = 1;
    }
    for (int64_t i = 0; ok && i < s->ntest; i++) {
        ok = s->test[i] >= 0 && s->test[i] < n && !seen[s->test[i]] &&
             (i == 0 || s->test[i - 1] < s->test[i]);
        if (ok)
            seen[s->test[i]] = 1;
    }
    free(seen);
    return ok;
}

static void split_test_count_rounding(void) {           /* split-1.1 */
    mn_Err e = {0};
    int64_t k;
    CHECK_OK(fr_split_test_count(10, 0.25, &k, &e), &e);  /* ceil(2.5) = 3 */
    CHECK(k == 3);
    CHECK_OK(fr_split_test_count(10, 4, &k, &e), &e);     /* a count */
    CHECK(k == 4);
    CHECK_FAIL(fr_split_test_count(10, 10, &k, &e), MN_EARG, &e, "both sides");
    CHECK_FAIL(fr_split_test_count(10, 2.5, &k, &e), MN_EARG, &e, "whole");
    CHECK_FAIL(fr_split_test_count(10, 0, &k, &e), MN_EARG, &e, "fraction");
}

static void split_random_seeded(void) {                  /* split-1.2 */
    mn_Err e = {0};
    mn_Rng r1, r2, r3;
    fr_Split a, b, c;
    mn_rng_seed(&r1, 7);
    mn_rng_seed(&r2, 7);
    mn_rng_seed(&r3, 8);
    CHECK_OK(fr_split_random(100, 0.2, NULL, 0, &r1, &a, &e), &e);
    CHECK_OK(fr_split_random(100, 0.2, NULL, 0, &r2, &b, &e), &e);
    CHECK_OK(fr_split_random(100, 0.2, NULL, 0, &r3, &c, &e), &e);
    CHECK(a.ntest == 20 && a.ntrain == 80 && sorted_disjoint_cover(&a, 100));
    CHECK(memcmp(a.test, b.test, 20 * sizeof *a.test) == 0);   /* same seed, same split */
    CHECK(memcmp(a.test, c.test, 20 * sizeof *a.test) != 0);   /* another seed differs */
    fr_split_free(&a);
    fr_split_free(&b);
    fr_split_free(&c);
}

static void split_stratified_shares(void) {              /* split-1.3 */
    mn_Err e = {0};
    /* classes of 50, 30, 17 and 3 rows, test = 0.2: exact shares 10, 6, 3.4, 0.6; total
    ** ceil(20) = 20 test rows: floors 10 6 3 0 = 19, the extra row goes to the largest
    ** remainder (0.6, the last class) -> 10 6 3 1 */
    int64_t n = 100, cls[100];
    const int64_t want[4] = {10, 6, 3, 1}, size[4] = {50, 30, 17, 3};
    {
        int64_t i = 0;
        for (int c = 0; c < 4; c++)
            for (int64_t j = 0; j < size[c]; j++)
                cls[(i++ * 37) % 100] = c;       /* interleave the classes over the rows */
    }
    for (uint64_t seed = 0; seed < 50; seed++) {
        mn_Rng r;
        fr_Split s;
        int64_t got[4] = {0, 0, 0, 0};
        mn_rng_seed(&r, seed);
        CHECK_OK(fr_split_random(n, 0.2, cls, 4, &r, &s, &e), &e);
        CHECK(s.ntest == 20 && sorted_disjoint_cover(&s, n));
        for (int64_t i = 0; i < s.ntest; i++)
            got[cls[s.test[i]]]++;
        for (int c = 0; c < 4; c++) {
            CHECK(got[c] == want[c]);
            /* property: within one row of the exact share */
            CHECK(fabs((double)got[c] - 0.2 * (double)size[c]) < 1.0);
        }
        fr_split_free(&s);
    }
}

static void split_stratified_ties(void) {                /* split-1.4 */
    mn_Err e = {0};
    /* classes of 2, 2, 2, 6 and 8 rows (n = 20), test = 0.3 -> 6 test rows. Exact shares
    ** 0.6 0.6 0.6 1.8 2.4: floors 0 0 0 1 2 = 3, 3 rows left. Remainders .6 .6 .6 .8 .4:
    ** class 3 (.8) gets one, then two of the three tied classes 0..2 (.6); class 4 (.4) none.
    ** So test counts: class 3 -> 2, class 4 -> 2, and one of classes 0..2 gets 0, the others 1.
    ** In floating point 0.3 * 6 - 1 = 0.7999999999999998: exact arithmetic keeps the ties. */
    int64_t n = 20, cls[20];
    const int64_t size[5] = {2, 2, 2, 6, 8};
    int zero_seen[3] = {0, 0, 0};
    {
        int64_t i = 0;
        for (int c = 0; c < 5; c++)
            for (int64_t j = 0; j < size[c]; j++)
                cls[(i++ * 7) % 20] = c;
    }
    for (uint64_t seed = 0; seed < 60; seed++) {
        mn_Rng r, r2;
        fr_Split s, s2;
        int64_t got[5] = {0, 0, 0, 0, 0};
        int zeros = 0;
        mn_rng_seed(&r, seed);
        mn_rng_seed(&r2, seed);
        CHECK_OK(fr_split_random(n, 0.3, cls, 5, &r, &s, &e), &e);
        CHECK_OK(fr_split_random(n, 0.3, cls, 5, &r2, &s2, &e), &e);
        CHECK(s.ntest == 6 && sorted_disjoint_cover(&s, n));
        CHECK(s2.ntest == 6 && memcmp(s.test, s2.test, 6 * sizeof *s.test) == 0);  /* seeded */
        for (int64_t i = 0; i < s.ntest; i++)
            got[cls[s.test[i]]]++;
        CHECK(got[3] == 2 && got[4] == 2);
        for (int c = 0; c < 3; c++) {
            CHECK(got[c] == 0 || got[c] == 1);
            if (got[c] == 0) {
                zeros++;
                zero_seen[c] = 1;
            }
        }
        CHECK(zeros == 1);
        fr_split_free(&s);
        fr_split_free(&s2);
    }
    /* the class left out changes with the seed: over 60 seeds each of the three is seen */
    CHECK(zero_seen[0] && zero_seen[1] && zero_seen[2]);
}

static void split_stratified_many_classes(void) {        /* split-1.5 */
    mn_Err e = {0};
    /* 200k rows in 20k classes of 10 rows: test = 0.15 -> 30000 rows, 1.5 per class: every
    ** class gives 1 or 2, half of them 2. Was O(rows x classes); must simply complete. */
    int64_t n = 200000, nclass = 20000, *cls = malloc((size_t)n * sizeof *cls);
    int64_t *got = calloc((size_t)nclass, sizeof *got), twos = 0;
    mn_Rng r;
    fr_Split s;
    for (int64_t i = 0; i < n; i++)
        cls[i] = (i * 7919) % nclass;
    mn_rng_seed(&r, 3);
    CHECK_OK(fr_split_random(n, 0.15, cls, nclass, &r, &s, &e), &e);
    CHECK(s.ntest == 30000 && sorted_disjoint_cover(&s, n));
    for (int64_t i = 0; i < s.ntest; i++)
        got[cls[s.test[i]]]++;
    for (int64_t c = 0; c < nclass; c++) {
        CHECK(got[c] == 1 || got[c] == 2);
        twos += got[c] == 2;
    }
    CHECK(twos == 10000);
    fr_split_free(&s);
    free(cls);
    free(got);
}

static void split_time_strict(void) {                    /* split-2.1 */
    mn_Err e = {0};
    fr_Column *t = NULL;
    fr_Split s;
    /* times (rows 0..9): 5 1 3 3 9 7 3 8 2 6; sorted: 1 2 3 3 3 5 6 7 8 9.
    ** test 0.2 -> 2 rows: times 8, 9 (rows 7 and 4). test 0.7 -> 7 rows: the cut (3 train)
    ** falls in the run of 3s (positions 2..4): run to test gives 8 test rows (|8-7| = 1), to
    ** train gives 5 (|5-7| = 2) -> the 3s go to test: train = times 1, 2 (rows 1, 8). */
    const double v[] = {5, 1, 3, 3, 9, 7, 3, 8, 2, 6};
    CHECK_OK(fr_col_new(FR_F64, 10, &t, &e), &e);
    memcpy(fr_col_f64(t), v, sizeof v);
    CHECK_OK(fr_split_time(t, "t", 0.2, &s, &e), &e);
    CHECK(s.ntest == 2 && s.test[0] == 4 && s.test[1] == 7 && sorted_disjoint_cover(&s, 10));
    fr_split_free(&s);
    CHECK_OK(fr_split_time(t, "t", 0.7, &s, &e), &e);
    CHECK(s.ntrain == 2 && s.train[0] == 1 && s.train[1] == 8);
    fr_split_free(&s);
    /* property: for every test size, max(train time) < min(test time) */
    for (int k = 1; k <= 9; k++) {
        double maxtr = -1e300, mints = 1e300;
        CHECK_OK(fr_split_time(t, "t", k, &s, &e), &e);
        for (int64_t i = 0; i < s.ntrain; i++)
            maxtr = fmax(maxtr, v[s.train[i]]);
        for (int64_t i = 0; i < s.ntest; i++)
            mints = fmin(mints, v[s.test[i]]);
        CHECK(maxtr < mints && sorted_disjoint_cover(&s, 10));
        fr_split_free(&s);
    }
    for (int64_t i = 0; i < 10; i++)
        fr_col_f64(t)[i] = 4;
    CHECK_FAIL(fr_split_time(t, "t", 0.2, &s, &e), MN_EARG, &e, "share one time");
    fr_col_f64(t)[3] = NAN;
    CHECK_FAIL(fr_split_time(t, "t", 0.2, &s, &e), MN_EARG, &e, "row 4 has no time");
    fr_col_unref(t);
}

static void split_kfold_partition(void) {                /* split-3.1 */
    mn_Err e = {0};
    int32_t fold[23];
    int64_t cls[23];
    mn_Rng r;
    /* 23 rows, k = 5: sizes 5 5 5 4 4 (the first 23 % 5 = 3 folds one larger) */
    mn_rng_seed(&r, 1);
    CHECK_OK(fr_kfold(23, 5, NULL, 0, 0, &r, fold, &e), &e);
    CHECK(fold[0] == 0 && fold[4] == 0 && fold[5] == 1 && fold[14] == 2 && fold[15] == 3 &&
          fold[22] == 4);
    for (uint64_t seed = 0; seed < 20; seed++) {
        int64_t size[5] = {0}, cc[5][3] = {{0}};
        mn_rng_seed(&r, seed);
        for (int i = 0; i < 23; i++)
            cls[i] = i < 12 ? 0 : i < 20 ? 1 : 2;
        CHECK_OK(fr_kfold(23, 5, seed % 2 ? cls : NULL, 3, 1, &r, fold, &e), &e);
        for (int i = 0; i < 23; i++) {              /* each row in exactly one test fold */
            CHECK(fold[i] >= 0 && fold[i] < 5);
            size[fold[i]]++;
            cc[fold[i]][cls[i]]++;
        }
        for (int f = 0; f < 5; f++) {
            CHECK(size[f] == 4 || size[f] == 5);
            for (int c = 0; seed % 2 && c < 3; c++)   /* stratified: class counts within 1 */
                for (int g = 0; g < 5; g++)
                    CHECK(llabs(cc[f][c] - cc[g][c]) <= 1);
        }
    }
    CHECK_FAIL(fr_kfold(3, 5, NULL, 0, 0, &r, fold, &e), MN_EARG, &e, "k = 5");
}

static void split_walk_forward_gap(void) {               /* split-4.1 */
    mn_Err e = {0};
    fr_WalkOpts o = {20, 8, 3, 0, 2, 0};
    fr_Split *fs = NULL;
    int nf = 0;
    /* n 20, train 8, gap 2, test 3, step = test: test starts s = 10, 13, 16 (19 + 3 > 20
    ** stops) -> 3 folds; sliding train = [s - 10, s - 2) */
    CHECK_OK(fr_walk_forward_folds(&o, NULL, NULL, &fs, &nf, &e), &e);
    CHECK(nf == 3);
    for (int j = 0; j < nf; j++) {
        int64_t s = 10 + 3 * j;
        CHECK(fs[j].ntrain == 8 && fs[j].train[0] == s - 10 && fs[j].train[7] == s - 3);
        CHECK(fs[j].ntest == 3 && fs[j].test[0] == s && fs[j].test[2] == s + 2);
        CHECK(fs[j].test[0] - fs[j].train[fs[j].ntrain - 1] - 1 == 2);   /* the gap */
        fr_split_free(&fs[j]);
    }
    mn_free(fs);
    o.expanding = 1;
    o.step = 5;                                  /* s = 10, 15; expanding train [0, s - 2) */
    CHECK_OK(fr_walk_forward_folds(&o, NULL, NULL, &fs, &nf, &e), &e);
    CHECK(nf == 2 && fs[1].ntrain == 13 && fs[1].train[0] == 0 && fs[1].test[0] == 15);
    for (int j = 0; j < nf; j++)
        fr_split_free(&fs[j]);
    mn_free(fs);
    o.train = 18;
    CHECK_FAIL(fr_walk_forward_folds(&o, NULL, NULL, &fs, &nf, &e), MN_EARG, &e, "more than");
}

static void split_walk_forward_ties(void) {              /* split-4.2 */
    mn_Err e = {0};
    /* positions' time ranks 0 1 2 2 3 4: train 3, test 2, no gap -> test starts at 3 (rank 2)
    ** and position 2 (also rank 2) leaves train: train = positions 0, 1 */
    const int64_t rank[] = {0, 1, 2, 2, 3, 4}, order[] = {5, 4, 3, 2, 1, 0};
    fr_WalkOpts o = {6, 3, 2, 0, 0, 1};
    fr_Split *fs = NULL;
    int nf = 0;
    CHECK_OK(fr_walk_forward_folds(&o, order, rank, &fs, &nf, &e), &e);
    CHECK(nf == 1 && fs[0].ntrain == 2 && fs[0].train[0] == 4 && fs[0].train[1] == 5);
    CHECK(fs[0].ntest == 2 && fs[0].test[0] == 1 && fs[0].test[1] == 2);
    fr_split_free(&fs[0]);
    mn_free(fs);
}

int main(void) {
    RUN(split_test_count_rounding);
    RUN(split_random_seeded);
    RUN(split_stratified_shares);
    RUN(split_stratified_ties);
    RUN(split_stratified_many_classes);
    RUN(split_time_strict);
    RUN(split_kfold_partition);
    RUN(split_walk_forward_gap);
    RUN(split_walk_forward_ties);
    return CHECK_DONE();
}
