/* optim.h -- optimizers over one flat float32 parameter buffer (one tight loop per step),
** gradient clipping by global norm, and learning-rate schedules applied per epoch. */
#ifndef MN_NN_OPTIM_H
#define MN_NN_OPTIM_H

#include <stdint.h>

#include "core/err.h"

enum { NN_SGD = 0, NN_ADAM, NN_ADAMW, NN_RMSPROP, NN_ADAGRAD };
#define NN_OPTIM_DEFAULT NN_ADAM          /* fit's optimizer when none is given */

typedef struct nn_Optim {
    int     kind;                 /* NN_SGD ... */
    double  lr;                   /* base learning rate */
    double  momentum;             /* sgd: 0 (none); rmsprop: 0 */
    int     nesterov;             /* sgd */
    double  beta1, beta2, eps;    /* adam/adamw (0.9, 0.999, 1e-8); rmsprop alpha = beta2
                                  ** (0.99), eps 1e-8; adagrad eps 1e-10 */
    double  weight_decay;         /* L2 added to the gradient; adamw: decoupled */
    /* state, allocated by nn_optim_step on first use (or nn_optim_reset) */
    int64_t n, t;
    float  *m, *v;
} nn_Optim;

/* Defaults for 'kind' (PyTorch's), lr 1e-3 (sgd 1e-2). */
void nn_optim_init(nn_Optim *o, int kind);
/* Name -> kind, or -1. */
int  nn_optim_kind(const char *name);
const char *nn_optim_name(int kind);
/* One update of p[0..n) with gradient g at learning rate 'lr' (the schedule's, not o->lr).
** Allocates the moment buffers on the first call (MN_ENOMEM). 'g' may be modified (weight
** decay is added to it). */
int  nn_optim_step(nn_Optim *o, float *p, float *g, int64_t n, double lr, mn_Err *e);
void nn_optim_reset(nn_Optim *o);         /* frees the state; hyperparameters kept */

/* Scale g so that its L2 norm is at most max_norm; returns the norm before clipping. */
double nn_clip_grad_norm(float *g, int64_t n, double max_norm);

enum { NN_SCHED_NONE = 0, NN_SCHED_STEP, NN_SCHED_EXP, NN_SCHED_COSINE, NN_SCHED_PLATEAU };

typedef struct nn_Sched {
    int     kind;
    int64_t step_size;            /* step: every step_size epochs lr *= gamma */
    double  gamma;                /* step/exponential factor */
    int64_t t_max;                /* cosine: period in epochs (default: the fit's epochs) */
    double  eta_min;              /* cosine floor */
    double  factor;               /* plateau: lr *= factor after 'patience' bad epochs */
    int64_t patience;
    double  threshold;            /* plateau: relative improvement needed (1e-4) */
    double  min_lr;
    /* plateau state */
    double  best, cur;
    int64_t bad;
} nn_Sched;

void   nn_sched_init(nn_Sched *s, int kind);
int    nn_sched_kind(const char *name);
/* Learning rate for 0-based epoch 'epoch' (step, exponential, cosine) from base 'lr0'. */
double nn_sched_lr(nn_Sched *s, double lr0, int64_t epoch, int64_t epochs);
/* Plateau: feed the monitored value after an epoch; returns the new learning rate. */
double nn_sched_plateau(nn_Sched *s, double lr, double metric);

#endif
