/* test_core_optim.c -- core/optim.h on problems whose minimum is known in closed form. */
#include <math.h>

#include "check.h"
#include "core/optim.h"

/* Rosenbrock: minimum 0 at (1, 1). */
static double rosen(const double *x, double *g, void *ctx) {
    double a = 1 - x[0], b = x[1] - x[0] * x[0];
    (void)ctx;
    if (g) {
        g[0] = -2 * a - 400 * x[0] * b;
        g[1] = 200 * b;
    }
    return a * a + 100 * b * b;
}

/* Quadratic (x0-3)^2 + 2 (x1+1)^2 + x0 x1: Hessian [[2,1],[1,4]]. */
static double quad(const double *x, double *g, void *ctx) {
    (void)ctx;
    if (g) {
        g[0] = 2 * (x[0] - 3) + x[1];
        g[1] = 4 * (x[1] + 1) + x[0];
    }
    return (x[0] - 3) * (x[0] - 3) + 2 * (x[1] + 1) * (x[1] + 1) + x[0] * x[1];
}

static void optim_rosenbrock(void) {                                  /* optim-1.1 */
    mn_Err e = {0};
    mn_OptimOpts o = mn_optim_defaults();
    mn_OptimResult r;
    for (int hg = 0; hg <= 1; hg++) {
        double x[2] = {-1.2, 1.0};
        o.has_grad = hg;
        CHECK_OK(mn_optim_minimize(2, x, NULL, NULL, rosen, NULL, &o, &r, &e), &e);
        CHECK(r.converged);
        CHECK_NEAR(x[0], 1.0, 1e-5);
        CHECK_NEAR(x[1], 1.0, 1e-5);
    }
}

static void optim_bounds(void) {                                      /* optim-1.2 */
    /* min of quad with x0 <= 2: on the bound x0 = 2, then x1 = -1 - 2/4 = -1.5. */
    mn_Err e = {0};
    mn_OptimOpts o = mn_optim_defaults();
    mn_OptimResult r;
    double lo[2] = {-HUGE_VAL, -HUGE_VAL}, hi[2] = {2.0, HUGE_VAL};
    for (int a = 0; a <= 1; a++) {
        double x[2] = {0.0, 0.0};
        o.algo = a ? MN_OPTIM_BOBYQA : MN_OPTIM_LBFGS;
        CHECK_OK(mn_optim_minimize(2, x, lo, hi, quad, NULL, &o, &r, &e), &e);
        CHECK_NEAR(x[0], 2.0, 1e-6);
        CHECK_NEAR(x[1], -1.5, 1e-6);
    }
    {
        double x[2] = {3.0, 0.0};                     /* start outside: refused */
        CHECK_FAIL(mn_optim_minimize(2, x, lo, hi, quad, NULL, &o, &r, &e), MN_EARG, &e,
                   "outside its bounds");
    }
}

static void optim_hessian(void) {                                     /* optim-1.3 */
    mn_Err e = {0};
    double x[2] = {0.5, -2.0}, H[4], g[2], ga[2];
    CHECK_OK(mn_num_hessian(2, x, quad, NULL, H, &e), &e);
    CHECK_NEAR(H[0], 2.0, 1e-6);
    CHECK_NEAR(H[1], 1.0, 1e-6);
    CHECK_NEAR(H[2], 1.0, 1e-6);
    CHECK_NEAR(H[3], 4.0, 1e-6);
    CHECK_OK(mn_num_grad(2, x, NULL, NULL, quad, NULL, g, &e), &e);
    quad(x, ga, NULL);
    CHECK_NEAR(g[0], ga[0], 1e-7);
    CHECK_NEAR(g[1], ga[1], 1e-7);
}

int main(void) {
    RUN(optim_rosenbrock);
    RUN(optim_bounds);
    RUN(optim_hessian);
    return CHECK_DONE();
}
