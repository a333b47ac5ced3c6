/* optim.c -- SGD (momentum, Nesterov), Adam, AdamW, RMSprop, Adagrad with PyTorch's update
** rules, each one loop over the flat parameter buffer; global-norm clipping; schedules. */
/* One loop per update over the flat buffer: let GCC vectorise it (see ops.c). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3", "-fno-math-errno")
#endif

#include "nn/optim.h"

#include <math.h>
#include <string.h>

#include "core/mem.h"

static const char *const names[] = {"sgd", "adam", "adamw", "rmsprop", "adagrad", NULL};

void nn_optim_init(nn_Optim *o, int kind) {
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->lr = kind == NN_SGD ? 1e-2 : 1e-3;
    o->beta1 = 0.9;
    o->beta2 = kind == NN_RMSPROP ? 0.99 : 0.999;
    o->eps = kind == NN_ADAGRAD ? 1e-10 : 1e-8;
    o->weight_decay = kind == NN_ADAMW ? 1e-2 : 0;
}

int nn_optim_kind(const char *name) {
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *nn_optim_name(int kind) { return kind >= 0 && kind <= NN_ADAGRAD ? names[kind] : "?"; }

void nn_optim_reset(nn_Optim *o) {
    mn_free(o->m);
    mn_free(o->v);
    o->m = o->v = NULL;
    o->n = o->t = 0;
}

int nn_optim_step(nn_Optim *o, float *restrict p, float *restrict g, int64_t n, double lr,
                  mn_Err *e) {
    float *restrict m, *restrict v;
    float flr = (float)lr, wd = (float)o->weight_decay;
    if (o->n != n) {
        nn_optim_reset(o);
        o->m = mn_calloc((size_t)(n ? n : 1), sizeof(float));
        o->v = mn_calloc((size_t)(n ? n : 1), sizeof(float));
        if (o->m == NULL || o->v == NULL) {
            nn_optim_reset(o);
            return mn_fail(e, MN_ENOMEM, "%s: out of memory for %lld parameters",
                           nn_optim_name(o->kind), (long long)n);
        }
        o->n = n;
    }
    m = o->m;
    v = o->v;
    o->t++;
    if (wd != 0.0f && o->kind != NN_ADAMW)
        for (int64_t i = 0; i < n; i++)
            g[i] += wd * p[i];
    switch (o->kind) {
    case NN_SGD: {
        float mu = (float)o->momentum;
        if (mu == 0.0f) {
            for (int64_t i = 0; i < n; i++)
                p[i] -= flr * g[i];
        } else if (o->t == 1) {                     /* PyTorch: buf = g on the first step */
            for (int64_t i = 0; i < n; i++) {
                m[i] = g[i];
                p[i] -= flr * (o->nesterov ? g[i] + mu * m[i] : m[i]);
            }
        } else {
            for (int64_t i = 0; i < n; i++) {
                m[i] = mu * m[i] + g[i];
                p[i] -= flr * (o->nesterov ? g[i] + mu * m[i] : m[i]);
            }
        }
        break;
    }
    case NN_ADAM:
    case NN_ADAMW: {
        /* 1 - beta in double, then rounded (as PyTorch's float32 Adam): 1.0f - 0.999f is
        ** 0.00099998713, which made every step 6.4e-6 too long */
        float b1 = (float)o->beta1, b2 = (float)o->beta2, eps = (float)o->eps;
        float ob1 = (float)(1 - o->beta1), ob2 = (float)(1 - o->beta2);
        double bc1 = 1 - pow(o->beta1, (double)o->t), bc2 = 1 - pow(o->beta2, (double)o->t);
        float step = (float)(lr / bc1), rbc2 = (float)(1.0 / sqrt(bc2));
        if (o->kind == NN_ADAMW && wd != 0.0f) {
            float k = 1.0f - flr * wd;
            for (int64_t i = 0; i < n; i++)
                p[i] *= k;
        }
        /* m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
        ** p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)   (PyTorch's form) */
        for (int64_t i = 0; i < n; i++) {
            float gi = g[i];
            float mi = b1 * m[i] + ob1 * gi;
            float vi = b2 * v[i] + ob2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] -= step * mi / (sqrtf(vi) * rbc2 + eps);
        }
        break;
    }
    case NN_RMSPROP: {
        float a = (float)o->beta2, oa = (float)(1 - o->beta2), eps = (float)o->eps;
        float mu = (float)o->momentum;
        for (int64_t i = 0; i < n; i++) {
            float vi = a * v[i] + oa * g[i] * g[i];
            v[i] = vi;
            if (mu != 0.0f) {
                m[i] = mu * m[i] + g[i] / (sqrtf(vi) + eps);
                p[i] -= flr * m[i];
            } else {
                p[i] -= flr * g[i] / (sqrtf(vi) + eps);
            }
        }
        break;
    }
    case NN_ADAGRAD: {
        float eps = (float)o->eps;
        for (int64_t i = 0; i < n; i++) {
            v[i] += g[i] * g[i];
            p[i] -= flr * g[i] / (sqrtf(v[i]) + eps);
        }
        break;
    }
    default:
        return mn_fail(e, MN_EARG, "optimizer: unknown kind %d", o->kind);
    }
    return MN_OK;
}

double nn_clip_grad_norm(float *g, int64_t n, double max_norm) {
    double s = 0, norm;
    for (int64_t i = 0; i < n; i++)
        s += (double)g[i] * (double)g[i];
    norm = sqrt(s);
    if (max_norm > 0 && norm > max_norm) {
        float k = (float)(max_norm / (norm + 1e-6));
        for (int64_t i = 0; i < n; i++)
            g[i] *= k;
    }
    return norm;
}

/* ---- schedules ---- */

static const char *const snames[] = {"none", "step", "exponential", "cosine",
                                     "reduce_on_plateau", NULL};

void nn_sched_init(nn_Sched *s, int kind) {
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->step_size = 10;
    s->gamma = kind == NN_SCHED_EXP ? 0.95 : 0.1;
    s->factor = 0.1;
    s->patience = 10;
    s->threshold = 1e-4;
    s->best = INFINITY;
}

int nn_sched_kind(const char *name) {
    for (int i = 0; snames[i]; i++)
        if (strcmp(snames[i], name) == 0)
            return i;
    if (strcmp(name, "plateau") == 0)
        return NN_SCHED_PLATEAU;
    return -1;
}

double nn_sched_lr(nn_Sched *s, double lr0, int64_t epoch, int64_t epochs) {
    switch (s->kind) {
    case NN_SCHED_STEP:
        return lr0 * pow(s->gamma, (double)(epoch / (s->step_size > 0 ? s->step_size : 1)));
    case NN_SCHED_EXP:
        return lr0 * pow(s->gamma, (double)epoch);
    case NN_SCHED_COSINE: {
        int64_t T = s->t_max > 0 ? s->t_max : epochs;
        double c = cos(M_PI * (double)(epoch % (T > 0 ? T : 1)) / (double)(T > 0 ? T : 1));
        return s->eta_min + (lr0 - s->eta_min) * (1 + c) / 2;
    }
    case NN_SCHED_PLATEAU:
        return s->cur > 0 ? s->cur : lr0;
    default:
        return lr0;
    }
}

double nn_sched_plateau(nn_Sched *s, double lr, double metric) {
    if (s->cur <= 0)
        s->cur = lr;
    if (metric < s->best * (1 - s->threshold) || isinf(s->best)) {
        s->best = metric;
        s->bad = 0;
    } else if (++s->bad > s->patience) {
        s->cur = fmax(s->cur * s->factor, s->min_lr);
        s->bad = 0;
    }
    return s->cur;
}
