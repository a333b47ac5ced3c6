/* optim.c -- mn_optim_minimize over NLopt; numerical derivatives. */
#include "core/optim.h"

#include <float.h>
#include <math.h>
#include <nlopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/interrupt.h"

mn_OptimOpts mn_optim_defaults(void) {
    mn_OptimOpts o;
    o.algo = MN_OPTIM_LBFGS;
    o.has_grad = 0;
    o.maxeval = 2000;
    o.ftol_rel = 1e-12;
    o.xtol_rel = 1e-10;
    o.gtol = 0.0;
    return o;
}

typedef struct Ctx {
    int           n;
    mn_OptimFn    f;
    void         *ctx;
    const double *lo, *hi;
    int           has_grad;
    int           nevals;
    int           interrupted;
    double       *xb;         /* scratch for numerical gradients */
} Ctx;

static double step_for(double x, double h0) {
    return h0 * fmax(fabs(x), 1.0);
}

static int grad_core(int n, const double *x, const double *lo, const double *hi,
                     mn_OptimFn f, void *ctx, double *grad, double *xb, int *nevals) {
    const double h0 = cbrt(DBL_EPSILON);
    memcpy(xb, x, (size_t)n * sizeof *xb);
    for (int i = 0; i < n; i++) {
        double h = step_for(x[i], h0), xp = x[i] + h, xm = x[i] - h, fp, fm;
        if (hi && xp > hi[i])
            xp = hi[i];
        if (lo && xm < lo[i])
            xm = lo[i];
        if (xp == xm) {
            grad[i] = 0.0;
            continue;
        }
        xb[i] = xp;
        fp = f(xb, NULL, ctx);
        xb[i] = xm;
        fm = f(xb, NULL, ctx);
        xb[i] = x[i];
        *nevals += 2;
        if (!isfinite(fp) || !isfinite(fm))
            return MN_ENAN;
        grad[i] = (fp - fm) / (xp - xm);
    }
    return MN_OK;
}

static double trampoline(unsigned n, const double *x, double *grad, void *data) {
    Ctx *c = data;
    double v;
    if (mn_interrupted()) {
        c->interrupted = 1;
        return HUGE_VAL;
    }
    if (grad != NULL && c->has_grad) {
        v = c->f(x, grad, c->ctx);
        c->nevals++;
    } else {
        v = c->f(x, NULL, c->ctx);
        c->nevals++;
        if (grad != NULL && isfinite(v) &&
            grad_core((int)n, x, c->lo, c->hi, c->f, c->ctx, grad, c->xb, &c->nevals) != MN_OK)
            v = HUGE_VAL;
    }
    if (!isfinite(v)) {
        v = HUGE_VAL;
        if (grad != NULL)
            for (unsigned i = 0; i < n; i++)
                grad[i] = 0.0;
    }
    return v;
}

static const char *reason_of(nlopt_result rc) {
    switch (rc) {
    case NLOPT_SUCCESS: return "converged";
    case NLOPT_STOPVAL_REACHED: return "stopval reached";
    case NLOPT_FTOL_REACHED: return "ftol reached";
    case NLOPT_XTOL_REACHED: return "xtol reached";
    case NLOPT_MAXEVAL_REACHED: return "maxeval reached";
    case NLOPT_MAXTIME_REACHED: return "maxtime reached";
    case NLOPT_ROUNDOFF_LIMITED: return "roundoff limited";
    case NLOPT_FORCED_STOP: return "stopped";
    case NLOPT_OUT_OF_MEMORY: return "out of memory";
    case NLOPT_INVALID_ARGS: return "invalid arguments";
    default: return "failed";
    }
}

int mn_optim_minimize(int n, double *x, const double *lo, const double *hi, mn_OptimFn f,
                      void *ctx, const mn_OptimOpts *o, mn_OptimResult *r, mn_Err *e) {
    mn_OptimOpts d = o ? *o : mn_optim_defaults();
    nlopt_opt opt;
    nlopt_result rc;
    Ctx c;
    double fx = HUGE_VAL, f0;
    if (n < 1 || x == NULL || f == NULL || r == NULL)
        return mn_fail(e, MN_EARG, "optimise: bad arguments");
    for (int i = 0; i < n; i++)
        if (!isfinite(x[i]) || (lo && x[i] < lo[i]) || (hi && x[i] > hi[i]))
            return mn_fail(e, MN_EARG, "optimise: start value %d (%g) is outside its bounds",
                           i + 1, x[i]);
    f0 = f(x, NULL, ctx);
    if (!isfinite(f0))
        return mn_fail(e, MN_ENAN, "optimise: the objective is not finite at the start");
    memset(&c, 0, sizeof c);
    c.n = n;
    c.f = f;
    c.ctx = ctx;
    c.lo = lo;
    c.hi = hi;
    c.has_grad = d.has_grad && d.algo == MN_OPTIM_LBFGS;
    c.xb = malloc((size_t)n * sizeof *c.xb);
    opt = nlopt_create(d.algo == MN_OPTIM_BOBYQA ? NLOPT_LN_BOBYQA : NLOPT_LD_LBFGS,
                       (unsigned)n);
    if (c.xb == NULL || opt == NULL) {
        free(c.xb);
        if (opt)
            nlopt_destroy(opt);
        return mn_fail(e, MN_ENOMEM, "optimise: out of memory");
    }
    if (lo)
        nlopt_set_lower_bounds(opt, lo);
    if (hi)
        nlopt_set_upper_bounds(opt, hi);
    nlopt_set_min_objective(opt, trampoline, &c);
    nlopt_set_maxeval(opt, d.maxeval > 0 ? d.maxeval : 2000);
    if (d.ftol_rel > 0)
        nlopt_set_ftol_rel(opt, d.ftol_rel);
    if (d.xtol_rel > 0)
        nlopt_set_xtol_rel(opt, d.xtol_rel);
    rc = nlopt_optimize(opt, x, &fx);
    nlopt_destroy(opt);
    free(c.xb);
    if (c.interrupted)
        return mn_fail(e, MN_EINTR, "optimise: interrupted");
    if (rc == NLOPT_OUT_OF_MEMORY)
        return mn_fail(e, MN_ENOMEM, "optimise: out of memory");
    if (rc == NLOPT_INVALID_ARGS)
        return mn_fail(e, MN_EARG, "optimise: NLopt refused the arguments");
    r->f = fx;
    r->nevals = c.nevals + 1;
    /* Roundoff-limited at a finite point is how L-BFGS usually ends on a likelihood whose
    ** optimum is as flat as double precision can see: counted as converged. */
    r->converged = rc > 0 && rc != NLOPT_MAXEVAL_REACHED && rc != NLOPT_MAXTIME_REACHED;
    if (rc == NLOPT_ROUNDOFF_LIMITED && isfinite(fx))
        r->converged = 1;
    snprintf(r->reason, sizeof r->reason, "%s", reason_of(rc));
    return MN_OK;
}

int mn_num_grad(int n, const double *x, const double *lo, const double *hi, mn_OptimFn f,
                void *ctx, double *grad, mn_Err *e) {
    int nev = 0, rc;
    double *xb = malloc((size_t)(n > 0 ? n : 1) * sizeof *xb);
    if (xb == NULL)
        return mn_fail(e, MN_ENOMEM, "gradient: out of memory");
    rc = grad_core(n, x, lo, hi, f, ctx, grad, xb, &nev);
    free(xb);
    if (rc != MN_OK)
        return mn_fail(e, rc, "gradient: the objective is not finite near the point");
    return MN_OK;
}

int mn_num_hessian(int n, const double *x, mn_OptimFn f, void *ctx, double *H, mn_Err *e) {
    const double h0 = pow(DBL_EPSILON, 0.25);
    double *xb = malloc((size_t)(n > 0 ? n : 1) * sizeof *xb), *h, f0;
    if (xb == NULL)
        return mn_fail(e, MN_ENOMEM, "hessian: out of memory");
    h = malloc((size_t)(n > 0 ? n : 1) * sizeof *h);
    if (h == NULL) {
        free(xb);
        return mn_fail(e, MN_ENOMEM, "hessian: out of memory");
    }
    memcpy(xb, x, (size_t)n * sizeof *xb);
    f0 = f(x, NULL, ctx);
    for (int i = 0; i < n; i++)
        h[i] = step_for(x[i], h0);
    for (int i = 0; i < n && isfinite(f0); i++) {
        for (int j = i; j < n; j++) {
            double fpp, fpm, fmp, fmm;
            xb[i] += h[i]; xb[j] += h[j]; fpp = f(xb, NULL, ctx);
            xb[j] -= 2 * h[j];            fpm = f(xb, NULL, ctx);
            xb[i] -= 2 * h[i];            fmm = f(xb, NULL, ctx);
            xb[j] += 2 * h[j];            fmp = f(xb, NULL, ctx);
            xb[i] = x[i];
            xb[j] = x[j];
            if (!isfinite(fpp) || !isfinite(fpm) || !isfinite(fmp) || !isfinite(fmm)) {
                f0 = NAN;
                break;
            }
            H[i * n + j] = H[j * n + i] = (fpp - fpm - fmp + fmm) / (4 * h[i] * h[j]);
        }
    }
    free(xb);
    free(h);
    if (!isfinite(f0))
        return mn_fail(e, MN_ENAN, "hessian: the objective is not finite near the point");
    return MN_OK;
}
