/* blas.h -- the only door to OpenBLAS and LAPACKE: thread control, build info, and a GEMM
** throughput probe. Tensor kernels (core/tensor) call CBLAS through here. */
#ifndef MN_CORE_BLAS_H
#define MN_CORE_BLAS_H

#include "core/err.h"

void        mn_blas_set_threads(int n);   /* n >= 1 */
int         mn_blas_threads(void);
const char *mn_blas_config(void);         /* e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Haswell" */
const char *mn_blas_core(void);           /* the kernel in use, e.g. "Haswell" */

/* Square float32 SGEMM, n x n, repeated for at least 'seconds' after one warm-up call.
** Polls the interrupt flag between calls (MN_EINTR). On success '*gflops' = 2 n^3 calls / s. */
int mn_gemm_bench(int n, double seconds, double *gflops, mn_Err *e);

#endif
