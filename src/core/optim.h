/* optim.h -- the one likelihood optimiser (NLopt, reached only from here), shared by ml/ and
** ts/: bounded minimisation by L-BFGS (NLopt's Luksan code) when the objective gives its
** gradient or central differences stand in for it, BOBYQA (derivative-free) on request; and
** the numerical derivatives that standard errors need (gradient, Hessian, per-observation
** scores for sandwich errors are the caller's: it has the per-observation terms). */
#ifndef MN_CORE_OPTIM_H
#define MN_CORE_OPTIM_H

#include "core/err.h"

/* f(x, grad, ctx): the objective at x[0..n). When 'grad' is not NULL fill grad[0..n) with
** df/dx. Return +HUGE_VAL (or NaN) where f is undefined (outside the stationary region, say):
** the line search backs off. */
typedef double (*mn_OptimFn)(const double *x, double *grad, void *ctx);

typedef enum mn_OptimAlgo {
    MN_OPTIM_LBFGS = 0,       /* gradient-based, bounds honoured */
    MN_OPTIM_BOBYQA           /* derivative-free, bounds honoured; grad is always NULL */
} mn_OptimAlgo;

typedef struct mn_OptimOpts {
    mn_OptimAlgo algo;
    int    has_grad;          /* 1: f fills grad; 0: central differences (LBFGS only) */
    int    maxeval;           /* evaluations of f (numerical gradients count 2n+1 each) */
    double ftol_rel;          /* stop when f changes by less than this, relatively */
    double xtol_rel;          /* stop when every x changes by less than this, relatively */
    double gtol;              /* LBFGS with numerical gradient: done when max|g| < gtol */
} mn_OptimOpts;

/* The defaults: LBFGS, numerical gradient, maxeval 2000, ftol_rel 1e-12, xtol_rel 1e-10,
** gtol 0 (off). */
mn_OptimOpts mn_optim_defaults(void);

typedef struct mn_OptimResult {
    double f;                 /* the objective at the returned x */
    int    nevals;            /* evaluations of f, the numerical gradient's included */
    int    converged;         /* 1 when a tolerance was met; 0: out of evaluations, stopped */
    char   reason[64];        /* "ftol reached", "maxeval reached", "roundoff limited", ... */
} mn_OptimResult;

/* Minimise f over lo <= x <= hi (lo/hi may be NULL for unbounded; entries may be
** -HUGE_VAL/+HUGE_VAL), starting from x, which is overwritten with the best point found.
** Returns MN_OK with 'r' filled also when not converged (r->converged = 0: the caller says
** so to the user); MN_ENAN when f is not finite at the start; MN_EINTR when the user pressed
** Ctrl-C (core/interrupt.h); MN_EARG for bad arguments. */
int mn_optim_minimize(int n, double *x, const double *lo, const double *hi, mn_OptimFn f,
                      void *ctx, const mn_OptimOpts *o, mn_OptimResult *r, mn_Err *e);

/* Central-difference gradient of f at x (f called with grad = NULL), step h_i =
** eps^(1/3) * max(|x_i|, 1), shrunk to stay inside [lo, hi] when given. */
int mn_num_grad(int n, const double *x, const double *lo, const double *hi, mn_OptimFn f,
                void *ctx, double *grad, mn_Err *e);

/* Numerical Hessian (n by n, row-major, symmetric) of f at x by central differences of f
** (step eps^(1/4) * max(|x_i|, 1)); MN_ENAN when f is not finite at a probed point. */
int mn_num_hessian(int n, const double *x, mn_OptimFn f, void *ctx, double *H, mn_Err *e);

#endif
