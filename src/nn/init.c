/* init.c -- weight initialisers. "default" is PyTorch's for nn.Linear: kaiming_uniform with
** a = sqrt(5), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)); biases are set by the layer. */
#include <math.h>
#include <string.h>

#include "nn/nn_int.h"

void nn__init_uniform(float *w, int64_t n, float bound, mn_Rng *r) {
    for (int64_t i = 0; i < n; i++)
        w[i] = bound * (2.0f * mn_rng_uniformf(r) - 1.0f);
}

/* w is (fan_out, fan_in), row-major. */
void nn__init_weights(const char *kind, float *w, int64_t fan_out, int64_t fan_in, mn_Rng *r) {
    int64_t n = fan_out * fan_in;
    if (strcmp(kind, "glorot") == 0 || strcmp(kind, "xavier") == 0) {
        nn__init_uniform(w, n, sqrtf(6.0f / (float)(fan_in + fan_out)), r);
    } else if (strcmp(kind, "he") == 0 || strcmp(kind, "kaiming") == 0) {
        float sd = sqrtf(2.0f / (float)fan_in);           /* kaiming normal, fan_in, relu */
        for (int64_t i = 0; i < n; i++)
            w[i] = sd * (float)mn_rng_normal(r);
    } else if (strcmp(kind, "orthogonal") == 0) {
        if (tn_orthogonal(w, fan_out, fan_in, 1.0f, r, NULL) != MN_OK)
            nn__init_uniform(w, n, sqrtf(6.0f / (float)(fan_in + fan_out)), r);
    } else if (strcmp(kind, "normal") == 0) {
        for (int64_t i = 0; i < n; i++)
            w[i] = 0.01f * (float)mn_rng_normal(r);
    } else if (strcmp(kind, "zeros") == 0) {
        memset(w, 0, (size_t)n * sizeof *w);
    } else {                                             /* "default": PyTorch */
        nn__init_uniform(w, n, 1.0f / sqrtf((float)fan_in), r);
    }
}

int nn_init_known(const char *kind) {
    static const char *const k[] = {"default", "glorot", "xavier", "he", "kaiming",
                                    "orthogonal", "normal", "zeros", NULL};
    for (int i = 0; k[i]; i++)
        if (strcmp(k[i], kind) == 0)
            return 1;
    return 0;
}
