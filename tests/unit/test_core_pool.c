/* test_core_pool.c -- core/pool.h: every task runs exactly once at any thread count, worker
** ids stay in range, the first nonzero result stops the run and is returned. */
#include <stdatomic.h>
#include <stdint.h>

#include "check.h"
#include "core/pool.h"

#define NT 1000

typedef struct Ctx {
    atomic_int hits[NT];
    int        nthreads;
    atomic_int bad_worker;
    int64_t    fail_at;         /* task that returns 7, or -1 */
} Ctx;

static int task(void *p, int64_t t, int worker) {
    Ctx *c = p;
    if (worker < 0 || worker >= c->nthreads)
        atomic_store(&c->bad_worker, 1);
    atomic_fetch_add(&c->hits[t], 1);
    return t == c->fail_at ? 7 : 0;
}

static void pool_each_once(void) {                                    /* pool-1.1 */
    static Ctx c;
    for (int nt = 1; nt <= 5; nt++) {
        for (int i = 0; i < NT; i++)
            atomic_init(&c.hits[i], 0);
        c.nthreads = nt;
        atomic_init(&c.bad_worker, 0);
        c.fail_at = -1;
        CHECK(mn_pool_run(nt, NT, task, &c) == 0);
        for (int i = 0; i < NT; i++)
            CHECK(atomic_load(&c.hits[i]) == 1);
        CHECK(atomic_load(&c.bad_worker) == 0);
    }
    CHECK(mn_pool_run(2, 0, task, &c) == 0);                    /* nothing to do */
}

static void pool_stop(void) {                                         /* pool-1.2 */
    static Ctx c;
    int ran = 0;
    for (int i = 0; i < NT; i++)
        atomic_init(&c.hits[i], 0);
    c.nthreads = 2;
    atomic_init(&c.bad_worker, 0);
    c.fail_at = 10;
    CHECK(mn_pool_run(2, NT, task, &c) == 7);
    for (int i = 0; i < NT; i++)
        ran += atomic_load(&c.hits[i]);
    CHECK(atomic_load(&c.hits[10]) == 1);
    CHECK(ran < NT);                          /* stopped early: at most a few after task 10 */
}

static void pool_threads_setting(void) {                              /* pool-1.3 */
    int n0 = mn_pool_threads();
    CHECK(n0 >= 1);
    mn_pool_set_threads(3);
    CHECK(mn_pool_threads() == 3);
    mn_pool_set_threads(0);
    CHECK(mn_pool_threads() == 1);
}

int main(void) {
    RUN(pool_each_once);
    RUN(pool_stop);
    RUN(pool_threads_setting);
    return CHECK_DONE();
}
