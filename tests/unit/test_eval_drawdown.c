/* test_eval_drawdown.c -- eval/drawdown: equity curves from returns and their drawdown
** series, worked by hand (the arithmetic is in the comments), agreeing with ev_max_drawdown,
** and the error paths. */
#include <math.h>
#include <stdint.h>

#include "check.h"
#include "eval/drawdown.h"
#include "eval/metrics.h"

/* returns -10%, +5%, -20%, +10% from 1: equity .9, .945, .756, .8316; against the starting
** capital the drawdown is -10%, -5.5%, -24.4%, -16.84%, and the deepest is ev_max_drawdown's */
static void drawdown_first_loss(void) {                              /* drawdown-1.1 */
    static const double r[] = {-0.1, 0.05, -0.2, 0.1};
    static const double eq[] = {0.9, 0.945, 0.756, 0.8316}, dd_want[] = {-0.1, -0.055, -0.244,
                                                                         -0.1684};
    double out[4], dd[4], low = 0;
    ev_Drawdown m;
    mn_Err e = {0};
    CHECK_OK(ev_equity(r, 4, EV_DD_RETURNS, 1.0, out, &e), &e);
    for (int i = 0; i < 4; i++)
        CHECK_NEAR(out[i], eq[i], 1e-15);
    ev_drawdown(out, 4, 1.0, dd);
    for (int i = 0; i < 4; i++) {
        CHECK_NEAR(dd[i], dd_want[i], 1e-15);
        if (dd[i] < low)
            low = dd[i];
    }
    CHECK_OK(ev_max_drawdown(r, 4, EV_DD_RETURNS, &m, &e), &e);
    CHECK_NEAR(-low, m.depth, 1e-15);
    /* without a starting level the peak is the first value: .9, so dd[0] = 0 and
    ** dd[2] = .756 / .945 - 1 = -0.2 */
    ev_drawdown(out, 4, NAN, dd);
    CHECK_NEAR(dd[0], 0.0, 0.0);
    CHECK_NEAR(dd[2], -0.2, 1e-15);
}

/* log returns ln 2, NaN, -ln 4 from 100: 200, 200 (carried), 50; equity kind copies, keeping
** NaN, whose drawdown is NaN while the peak carries on: 100, NaN, 50 -> 0, NaN, -.5 */
static void drawdown_kinds_and_gaps(void) {                          /* drawdown-1.2 */
    double lr[3] = {log(2.0), NAN, -log(4.0)}, out[3], eq[3] = {100, NAN, 50}, dd[3];
    mn_Err e = {0};
    CHECK_OK(ev_equity(lr, 3, EV_DD_LOG_RETURNS, 100.0, out, &e), &e);
    CHECK_NEAR(out[0], 200, 1e-12);
    CHECK_NEAR(out[1], 200, 1e-12);
    CHECK_NEAR(out[2], 50, 1e-12);
    CHECK_OK(ev_equity(eq, 3, EV_DD_EQUITY, 1.0, out, &e), &e);
    CHECK(out[0] == 100 && isnan(out[1]) && out[2] == 50);
    ev_drawdown(out, 3, NAN, dd);
    CHECK(dd[0] == 0 && isnan(dd[1]));
    CHECK_NEAR(dd[2], -0.5, 1e-15);
    CHECK_FAIL(ev_equity(lr, 3, 9, 1.0, out, &e), MN_EARG, &e, "unknown kind");
    CHECK_FAIL(ev_equity(lr, 3, EV_DD_RETURNS, 0.0, out, &e), MN_EARG, &e, "start must be");
}

int main(void) {
    RUN(drawdown_first_loss);
    RUN(drawdown_kinds_and_gaps);
    return CHECK_DONE();
}
