/* test_core.c -- errors, allocator fault injection, RNG, interrupt flag, progress throttle,
** ranking kernels, splitmix64, the monotonic clock, the metric column order, the text buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/blas.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/interrupt.h"
#include "core/mem.h"
#include "core/progress.h"
#include "core/rng.h"
#include "core/stats.h"

static void core_err_fail_and_prefix(void) {            /* core-1.1 */
    mn_Err e = {0};
    CHECK(mn_fail(&e, MN_EPARSE, "line %d: bad '%s'", 3, "x") == MN_EPARSE);
    CHECK(e.code == MN_EPARSE);
    CHECK(strcmp(e.msg, "line 3: bad 'x'") == 0);
    mn_prefix(&e, "%s", "a.csv");
    CHECK(strcmp(e.msg, "a.csv: line 3: bad 'x'") == 0);
    CHECK(mn_fail(NULL, MN_EARG, "ignored") == MN_EARG);   /* NULL err is allowed */
}

static void core_mem_fault_injection(void) {            /* core-1.2 */
    void *a, *b, *c;
    mn_mem_fail_after(2);
    a = mn_malloc(16);
    b = mn_malloc(16);                                    /* the 2nd allocation fails */
    c = mn_malloc(16);
    CHECK(a != NULL);
    CHECK(b == NULL);
    CHECK(c != NULL);
    mn_free(a), mn_free(b), mn_free(c);
    CHECK(mn_calloc(SIZE_MAX / 2, 4) == NULL);            /* overflow is refused */
}

/* Reference values: xoshiro256** seeded with splitmix64(0), as in Vigna's reference code
** (splitmix64 of state 0 gives e220a8397b1dcdaf, 6e789e6aa1b965f4, 06c45d188009454f,
** f88bb8a8724c81ec; the first xoshiro256** output is rotl(s1*5,7)*9). */
static void core_rng_reference_stream(void) {           /* core-2.1 */
    mn_Rng r;
    uint64_t s1 = 0x6e789e6aa1b965f4ULL, x = s1 * 5, expect = ((x << 7) | (x >> 57)) * 9;
    mn_rng_seed(&r, 0);
    CHECK(r.s[0] == 0xe220a8397b1dcdafULL);
    CHECK(r.s[1] == 0x6e789e6aa1b965f4ULL);
    CHECK(r.s[2] == 0x06c45d188009454fULL);
    CHECK(r.s[3] == 0xf88bb8a8724c81ecULL);
    CHECK(mn_rng_u64(&r) == expect);
}

static void core_rng_same_seed_same_stream(void) {      /* core-2.2 */
    mn_Rng a, b;
    int same = 1;
    mn_rng_seed(&a, 42);
    mn_rng_seed(&b, 42);
    for (int i = 0; i < 1000; i++)
        same &= mn_rng_u64(&a) == mn_rng_u64(&b);
    CHECK(same);
}

/* Moments of 200k draws: mean within 4 standard errors of the true value. */
static void core_rng_moments(void) {                    /* core-2.3 */
    mn_Rng r;
    const int n = 200000;
    double su = 0, sn = 0, sn2 = 0;
    long below_counts[7] = {0};
    mn_rng_seed(&r, 7);
    for (int i = 0; i < n; i++) {
        double u = mn_rng_uniform(&r), z = mn_rng_normal(&r);
        CHECK(u >= 0.0 && u < 1.0);
        su += u;
        sn += z;
        sn2 += z * z;
        below_counts[mn_rng_below(&r, 7)]++;
    }
    CHECK_NEAR(su / n, 0.5, 4 * sqrt(1.0 / 12 / n));
    CHECK_NEAR(sn / n, 0.0, 4 * sqrt(1.0 / n));
    CHECK_NEAR(sn2 / n, 1.0, 4 * sqrt(2.0 / n));
    for (int k = 0; k < 7; k++)          /* binomial(n, 1/7): sd = sqrt(n p (1-p)) */
        CHECK_NEAR((double)below_counts[k], n / 7.0, 4 * sqrt(n * (1 / 7.0) * (6 / 7.0)));
}

static void core_rng_shuffle_is_permutation(void) {     /* core-2.4 */
    mn_Rng r;
    int64_t idx[100];
    int seen[100] = {0}, moved = 0;
    for (int i = 0; i < 100; i++)
        idx[i] = i;
    mn_rng_seed(&r, 3);
    mn_rng_shuffle(&r, idx, 100);
    for (int i = 0; i < 100; i++) {
        CHECK(idx[i] >= 0 && idx[i] < 100);
        seen[idx[i]]++;
        moved += idx[i] != i;
    }
    for (int i = 0; i < 100; i++)
        CHECK(seen[i] == 1);
    CHECK(moved > 50);
}

static void core_interrupt_flag(void) {                 /* core-3.1 */
    mn_interrupt_clear();
    CHECK(!mn_interrupted());
    mn_interrupt_set();
    CHECK(mn_interrupted());
    mn_interrupt_clear();
    CHECK(!mn_interrupted());
}

static int calls;
static int count_calls(void *ud, const mn_Progress *p) {
    (void)ud, (void)p;
    calls++;
    return MN_PROG_GO;
}

static void core_progress_throttle(void) {             /* core-4.1 */
    mn_Hook h = {count_calls, NULL, 10.0, 0};
    mn_Progress p;
    mn_progress_init(&p, "test");
    CHECK(isnan(p.lr));
    calls = 0;
    p.phase = "batch";
    for (int i = 0; i < 1000; i++)
        mn_progress_emit(&h, &p);
    CHECK(calls == 1);                   /* batch calls within 10 s collapse to one */
    p.phase = "epoch";
    mn_progress_emit(&h, &p);
    mn_progress_emit(&h, &p);
    CHECK(calls == 3);                   /* epoch calls always go through */
    mn_progress_metric(&p, "loss", 1.5);
    mn_progress_metric(&p, "loss", 0.5);
    CHECK(p.nmetrics == 1 && p.values[0] == 0.5);
    CHECK(mn_progress_emit(NULL, &p) == MN_PROG_GO);
}

static void core_gemm_probe(void) {                     /* core-5.1 */
    mn_Err e = {0};
    double gf = 0;
    CHECK_OK(mn_gemm_bench(64, 0.01, &gf, &e), &e);
    CHECK(gf > 0);
    CHECK_FAIL(mn_gemm_bench(0, 0.01, &gf, &e), MN_EARG, &e, "n must be");
    mn_interrupt_set();
    CHECK_FAIL(mn_gemm_bench(64, 10.0, &gf, &e), MN_EINTR, &e, "interrupted");
    mn_interrupt_clear();
}

/* 2U against counting every (positive, negative) pair, on scores with many ties. */
static void core_auc_u2_pairs(void) {                   /* core-6.1 */
    enum { N = 300 };
    mn_Scored v[N], w[N];
    mn_Rng r;
    int64_t brute = 0, P = -1, pos, neg, groups = 0;
    mn_rng_seed(&r, 11);
    for (int i = 0; i < N; i++) {
        v[i].s = (double)mn_rng_below(&r, 20) / 4.0;    /* 20 distinct scores: ties */
        v[i].y = mn_rng_uniform(&r) < 0.3;
        w[i] = v[i];
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            if (v[i].y && !v[j].y)
                brute += v[i].s > v[j].s ? 2 : v[i].s == v[j].s ? 1 : 0;
    mn_scored_sort(w, N);
    for (int i = 1; i < N; i++)
        CHECK(w[i - 1].s >= w[i].s);
    CHECK(mn_auc_u2(w, N, &P) == brute);
    {
        int64_t np = 0;
        for (int i = 0; i < N; i++)
            np += v[i].y;
        CHECK(P == np);
    }
    for (int64_t i = 0; i < N; groups++) {
        int64_t j = mn_scored_group(w, N, i, &pos, &neg);
        CHECK(j > i && pos + neg == j - i);
        i = j;
    }
    CHECK(groups <= 20);
    /* hand-worked: positives 0.5, 0.9; negatives 0.5, 0.2 -> 1 + 2 + 2 + 2 = 7 (AUC 0.875) */
    {
        mn_Scored h[4] = {{0.5, 1}, {0.5, 0}, {0.2, 0}, {0.9, 1}};
        mn_scored_sort(h, 4);
        CHECK(mn_auc_u2(h, 4, NULL) == 7);
    }
}

static void core_splitmix64_reference(void) {          /* core-7.1 */
    /* Vigna's splitmix64.c from state 0: the first three outputs, recomputed with Python's
    ** integers (x += 0x9e3779b97f4a7c15, then the two xor-shift-multiply rounds, mod 2^64) */
    uint64_t x = 0;
    CHECK(mn_splitmix64(&x) == 0xe220a8397b1dcdafULL);
    CHECK(mn_splitmix64(&x) == 0x6e789e6aa1b965f4ULL);
    CHECK(mn_splitmix64(&x) == 0x06c45d188009454fULL);
    CHECK(x == 3 * 0x9e3779b97f4a7c15ULL);                 /* the state only adds (mod 2^64) */
}

static void core_clock_monotonic(void) {               /* core-7.2 */
    double t0 = mn_now(), t1;
    volatile double s = 0;
    for (int i = 0; i < 100000; i++)
        s += (double)i;
    t1 = mn_now();
    CHECK(t0 > 0 && t1 >= t0 && t1 - t0 < 60);
}

/* Sorting a scrambled list with the rule must give the documented order (worked by hand:
** base names loss < accuracy < auc < bce_loss with loss first, training before val_). */
static void core_metric_order(void) {                  /* core-7.3 */
    const char *in[] = {"val_auc", "auc", "val_loss", "accuracy", "loss", "val_accuracy",
                        "bce_loss"};
    static const char *const want[] = {"loss", "val_loss", "accuracy", "val_accuracy", "auc",
                                       "val_auc", "bce_loss"};
    int n = 7;
    for (int i = 1; i < n; i++)                            /* insertion sort */
        for (int k = i; k > 0 && mn_metric_before(in[k], in[k - 1]); k--) {
            const char *t = in[k];
            in[k] = in[k - 1];
            in[k - 1] = t;
        }
    for (int i = 0; i < n; i++)
        CHECK(strcmp(in[i], want[i]) == 0);
    CHECK(!mn_metric_before("loss", "loss"));              /* strict: irreflexive */
    CHECK(mn_metric_before("loss", "aaa") && !mn_metric_before("aaa", "loss"));
    CHECK(mn_metric_before("val_loss", "accuracy"));       /* loss's pair before the rest */
    CHECK(mn_metric_before("mae", "val_mae") && !mn_metric_before("val_mae", "mae"));
}

/* The text buffer: appends as printf would (compared with snprintf into a fixed array), bytes
** with NULs, and a failed allocation that sticks, keeping what was there. */
static void core_buf_appends_and_fails(void) {        /* core-8.1 */
    mn_Buf b = MN_BUF_INIT;
    char want[4096];
    size_t n = 0;
    for (int i = 0; i < 300; i++) {                     /* grows several times */
        mn_buf_printf(&b, "%d:%s;", i, i % 2 ? "odd" : "even");
        n += (size_t)snprintf(want + n, sizeof want - n, "%d:%s;", i, i % 2 ? "odd" : "even");
    }
    CHECK(!b.oom);
    CHECK(b.len == n && strlen(b.s) == n && memcmp(b.s, want, n) == 0);
    mn_buf_add(&b, "a\0b", 3);
    CHECK(b.len == n + 3 && b.s[n + 1] == '\0' && b.s[n + 3] == '\0');
    mn_mem_fail_after(1);                               /* the next allocation fails */
    mn_buf_printf(&b, "%*s", 100000, "x");
    CHECK(b.oom && b.len == n + 3 && memcmp(b.s, want, n) == 0);
    mn_buf_printf(&b, "more");                          /* sticks: nothing appended */
    CHECK(b.len == n + 3);
    mn_buf_free(&b);
    CHECK(b.s == NULL && b.len == 0 && !b.oom);
    mn_buf_printf(&b, "%s", "");                        /* empty, but a string */
    CHECK(b.s != NULL && b.s[0] == '\0' && b.len == 0);
    mn_buf_free(&b);
}

int main(void) {
    RUN(core_err_fail_and_prefix);
    RUN(core_mem_fault_injection);
    RUN(core_rng_reference_stream);
    RUN(core_rng_same_seed_same_stream);
    RUN(core_rng_moments);
    RUN(core_rng_shuffle_is_permutation);
    RUN(core_interrupt_flag);
    RUN(core_progress_throttle);
    RUN(core_gemm_probe);
    RUN(core_auc_u2_pairs);
    RUN(core_splitmix64_reference);
    RUN(core_clock_monotonic);
    RUN(core_metric_order);
    RUN(core_buf_appends_and_fails);
    return CHECK_DONE();
}
