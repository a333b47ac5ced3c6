/* rng.h -- the one random number generator: xoshiro256** seeded through splitmix64.
** Every random choice in moneta takes an mn_Rng*; the same seed gives the same stream. */
#ifndef MN_CORE_RNG_H
#define MN_CORE_RNG_H

#include <stdint.h>

typedef struct mn_Rng {
    uint64_t s[4];
    int      has_gauss;      /* a spare normal deviate from the polar method */
    double   gauss;
} mn_Rng;

void     mn_rng_seed(mn_Rng *r, uint64_t seed);
uint64_t mn_rng_u64(mn_Rng *r);
double   mn_rng_uniform(mn_Rng *r);               /* [0, 1), 53 random bits */
uint64_t mn_rng_below(mn_Rng *r, uint64_t n);     /* uniform in [0, n), unbiased; n > 0 */
double   mn_rng_normal(mn_Rng *r);                /* N(0, 1) */
float    mn_rng_uniformf(mn_Rng *r);              /* [0, 1) as float32 */
/* splitmix64 (Steele, Lea and Flood, 2014; Vigna's reference code): advance the state '*x'
** by the golden-ratio increment and return its mixed value. Seeds mn_Rng; also a 64-bit hash
** of a value (uint64_t x = v; mn_splitmix64(&x)). */
uint64_t mn_splitmix64(uint64_t *x);
/* Fisher-Yates shuffle of idx[0..n). */
void     mn_rng_shuffle(mn_Rng *r, int64_t *idx, int64_t n);

#endif
