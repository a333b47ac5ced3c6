/* rng.c -- xoshiro256** (Blackman and Vigna, 2018), seeded with splitmix64. */
#include "core/rng.h"

#include <math.h>

uint64_t mn_splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void mn_rng_seed(mn_Rng *r, uint64_t seed) {
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = mn_splitmix64(&x);
    r->has_gauss = 0;
    r->gauss = 0.0;
}

uint64_t mn_rng_u64(mn_Rng *r) {
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double mn_rng_uniform(mn_Rng *r) { return (double)(mn_rng_u64(r) >> 11) * 0x1.0p-53; }

float mn_rng_uniformf(mn_Rng *r) { return (float)(mn_rng_u64(r) >> 40) * 0x1.0p-24f; }

uint64_t mn_rng_below(mn_Rng *r, uint64_t n) {
    /* Lemire's nearly-divisionless method, rejection makes it exact. */
    uint64_t x = mn_rng_u64(r);
    __uint128_t m = (__uint128_t)x * n;
    uint64_t l = (uint64_t)m;
    if (l < n) {
        uint64_t t = -n % n;
        while (l < t) {
            x = mn_rng_u64(r);
            m = (__uint128_t)x * n;
            l = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

double mn_rng_normal(mn_Rng *r) {
    double u, v, s;
    if (r->has_gauss) {
        r->has_gauss = 0;
        return r->gauss;
    }
    do {                                  /* Marsaglia's polar method */
        u = 2.0 * mn_rng_uniform(r) - 1.0;
        v = 2.0 * mn_rng_uniform(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    s = sqrt(-2.0 * log(s) / s);
    r->gauss = v * s;
    r->has_gauss = 1;
    return u * s;
}

void mn_rng_shuffle(mn_Rng *r, int64_t *idx, int64_t n) {
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)mn_rng_below(r, (uint64_t)i + 1);
        int64_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
}
