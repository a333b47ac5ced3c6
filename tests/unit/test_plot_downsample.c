/* test_plot_downsample.c -- plot/downsample: M4 keeps each bucket's first, last, lowest and
** highest point and every gap, worked out from the construction of the series; unsorted or
** short series keep everything; allocation failure is reported, not a crash. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "core/mem.h"
#include "plot/downsample.h"

/* 100,000 points on 10 pixels (20 buckets of 5,000): per bucket at most 4 points plus gaps. */
static void m4_keeps_extremes_and_gaps(void) {                    /* downsample-1.1 */
    enum { N = 100000, NB = 20 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    const double *ys[1];
    int64_t *idx = NULL, m = -1, bmin[NB], bmax[NB];
    unsigned char *kept = calloc(N, 1);
    mn_Err e = {0};
    for (int64_t i = 0; i < N; i++) {
        x[i] = (double)(i + 1);
        y[i] = (double)((i + 1) % 97) / 97.0;
    }
    y[12344] = -5;                                   /* the lowest point of all */
    y[67889] = 9;                                    /* the highest */
    y[50000] = NAN;                                  /* a gap */
    ys[0] = y;
    CHECK_OK(gp_m4(x, ys, 1, N, 10, &idx, &m, &e), &e);
    CHECK(idx != NULL && m > 0 && m <= NB * 4 + 1);
    for (int64_t k = 0; idx && k < m; k++) {
        kept[idx[k]] = 1;
        if (k > 0)
            CHECK(idx[k] > idx[k - 1]);              /* ascending */
    }
    CHECK(kept[0] && kept[N - 1]);
    CHECK(kept[12344] && kept[67889]);
    CHECK(kept[50000]);                              /* the line still breaks there */
    /* every bucket's first min and first max survive (bucket of x: (x - 1) * 20 / (N - 1)) */
    for (int b = 0; b < NB; b++)
        bmin[b] = bmax[b] = -1;
    for (int64_t i = 0; i < N; i++) {
        int64_t b = (int64_t)floor((x[i] - 1) * NB / (N - 1));
        if (b >= NB)
            b = NB - 1;
        if (isnan(y[i]))
            continue;
        if (bmin[b] < 0 || y[i] < y[bmin[b]])
            bmin[b] = i;
        if (bmax[b] < 0 || y[i] > y[bmax[b]])
            bmax[b] = i;
    }
    for (int b = 0; b < NB; b++)
        CHECK(bmin[b] >= 0 && kept[bmin[b]] && kept[bmax[b]]);
    mn_free(idx);
    free(kept);
    free(x);
    free(y);
}

/* Unsorted x, a NaN x, a constant x or few points: nothing is dropped. */
static void m4_keeps_all(void) {                                  /* downsample-1.2 */
    static const double x3[] = {3, 1, 2}, y3[] = {1, 2, 3};
    enum { N = 1000 };
    double x[N], y[N];
    const double *ys[1] = {y3};
    int64_t *idx = (int64_t *)1, m = -1;
    mn_Err e = {0};
    CHECK_OK(gp_m4(x3, ys, 1, 3, 1, &idx, &m, &e), &e);
    CHECK(idx == NULL && m == 3);
    for (int i = 0; i < N; i++) {
        x[i] = i;
        y[i] = i % 7;
    }
    ys[0] = y;
    CHECK_OK(gp_m4(x, ys, 1, N, 125, &idx, &m, &e), &e);     /* 1000 <= 8 * 125 */
    CHECK(idx == NULL && m == N);
    x[500] = NAN;
    CHECK_OK(gp_m4(x, ys, 1, N, 10, &idx, &m, &e), &e);
    CHECK(idx == NULL && m == N);
    for (int i = 0; i < N; i++)
        x[i] = 4;
    CHECK_OK(gp_m4(x, ys, 1, N, 10, &idx, &m, &e), &e);
    CHECK(idx == NULL && m == N);
    CHECK_FAIL(gp_m4(x, ys, 1, N, 0, &idx, &m, &e), MN_EARG, &e, "width");
}

/* Two series: the union of what each keeps; an allocation failure is MN_ENOMEM. */
static void m4_two_series_and_nomem(void) {                       /* downsample-1.3 */
    enum { N = 10000 };
    static double x[N], a[N], b[N];
    const double *ys[2] = {a, b};
    int64_t *idx = NULL, m = 0;
    mn_Err e = {0};
    int found_a = 0, found_b = 0;
    for (int i = 0; i < N; i++) {
        x[i] = i;
        a[i] = 0;
        b[i] = 0;
    }
    a[4321] = 1;                                     /* only a's max */
    b[8765] = -1;                                    /* only b's min */
    CHECK_OK(gp_m4(x, ys, 2, N, 10, &idx, &m, &e), &e);
    for (int64_t k = 0; k < m; k++) {
        found_a |= idx[k] == 4321;
        found_b |= idx[k] == 8765;
    }
    CHECK(found_a && found_b);
    mn_free(idx);
    mn_mem_fail_after(1);
    CHECK_FAIL(gp_m4(x, ys, 2, N, 10, &idx, &m, &e), MN_ENOMEM, &e, "out of memory");
    mn_mem_fail_after(0);
}

int main(void) {
    RUN(m4_keeps_extremes_and_gaps);
    RUN(m4_keeps_all);
    RUN(m4_two_series_and_nomem);
    return CHECK_DONE();
}
