/* pool.h -- parallel for over independent tasks on worker threads (trees of a forest, folds,
** settings of a search, query blocks). The caller's thread takes part; tasks are claimed one
** at a time from a shared counter, so the split adapts to uneven tasks. Results must depend
** only on the task index (give each task its own seed, e.g. mn_splitmix64 of seed + task),
** never on which worker ran it: then the same seed gives the same result at any thread count.
** Workers must not touch the Lua state or ncurses; the interrupt flag (core/interrupt.h) may
** be polled by tasks to stop early. */
#ifndef MN_CORE_POOL_H
#define MN_CORE_POOL_H

#include <stdint.h>

/* fn(ctx, task, worker): runs task 'task' in [0, ntasks); 'worker' in [0, nthreads) names
** the thread (for per-worker scratch space). Returns 0, or nonzero to stop: no new tasks are
** started and mn_pool_run returns the first nonzero value a task returned. */
typedef int (*mn_PoolFn)(void *ctx, int64_t task, int worker);

/* Run fn over all tasks on min(nthreads, ntasks) threads (nthreads < 1 means
** mn_pool_threads()). Returns 0 when every task returned 0. If a thread cannot be created
** the remaining threads (at least the caller) do the work: never fails for lack of threads. */
int mn_pool_run(int nthreads, int64_t ntasks, mn_PoolFn fn, void *ctx);

/* The default worker count for parallel work in the core: moneta.threads() sets it (and
** BLAS's count); starts at the number of online CPUs. */
int  mn_pool_threads(void);
void mn_pool_set_threads(int n);            /* n >= 1 */

#endif
