/* test_ml_logistic.c -- ml/logistic.h: IRLS against statsmodels' Logit, L2 against
** scikit-learn, L1 against statsmodels' fit_regularized, recovery of simulated coefficients,
** weights as repeated rows, elastic-net optimality (KKT), separation and refusals. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/rng.h"
#include "ml/logistic.h"

/* The small data set every reference snippet below rebuilds (n = 200, exact integers):
**   i = np.arange(200); u = ((i*7919+13)*104729 % 1000003)/1000003.0
**   x1 = ((i*37+11)%101)/50.0-1.0; x2 = ((i*53+7)%97)/24.0-2.0
**   y = (u < 1/(1+np.exp(-(0.5+1.2*x1-0.8*x2)))).astype(float)
**   X = sm.add_constant(np.column_stack([x1, x2])) */
#define N0 200
static double X0[2 * N0], Y0[N0];

static void make_data(ml_Design *d) {
    static char names[2][ML_NAMEMAX] = {"x1", "x2"};
    for (int64_t i = 0; i < N0; i++) {
        double u = (double)(((i * 7919 + 13) * 104729) % 1000003) / 1000003.0;
        double x1 = (double)((i * 37 + 11) % 101) / 50.0 - 1.0;
        double x2 = (double)((i * 53 + 7) % 97) / 24.0 - 2.0;
        X0[i] = x1, X0[N0 + i] = x2;
        Y0[i] = u < 1.0 / (1.0 + exp(-(0.5 + 1.2 * x1 - 0.8 * x2))) ? 1.0 : 0.0;
    }
    d->n = N0, d->p = 2, d->x = X0, d->names = names;
}

static void logit_statsmodels(void) {                                 /* logit-1.1 */
    /* r = sm.Logit(y, X).fit(disp=0, tol=1e-12); r.params, r.bse, r.pvalues, r.llf,
    ** r.llnull, r.prsquared, r.aic, r.bic  (python3-statsmodels 0.14, Debian) */
    static const double par[] = {0.4714234063925798, 1.5313002907088005, -0.7265873430717369};
    static const double bse[] = {0.1666692437189899, 0.3085702483879293, 0.15210502939912715};
    static const double pv[] = {4.676718277134434e-03, 6.956783682789050e-07,
                                1.780366994654182e-06};
    ml_Design d;
    ml_Logit m;
    mn_Err e = {0};
    make_data(&d);
    CHECK_OK(ml_logit_fit(&d, Y0, NULL, NULL, &m, &e), &e);
    CHECK(m.converged && m.k == 3 && m.separation == 0 && m.warning[0] == 0);
    CHECK(strcmp(m.names[0], "const") == 0 && strcmp(m.names[2], "x2") == 0);
    for (int j = 0; j < 3; j++) {
        CHECK_NEAR(m.coef[j], par[j], 1e-9 * fabs(par[j]));
        CHECK_NEAR(m.se[j], bse[j], 1e-8 * bse[j]);
        CHECK_NEAR(m.pval[j], pv[j], 1e-7 * pv[j]);
    }
    CHECK_NEAR(m.loglik, -110.58387698017202, 1e-9);
    /* llnull in closed form, 118 ln 0.59 + 82 ln 0.41 (118 of 200 are 1); statsmodels'
    ** -135.37170936578914 comes from an iterative fit and is 2e-8 off it */
    CHECK_NEAR(m.llnull, -135.37170934699014, 1e-10);
    CHECK_NEAR(m.prsquared, 0.18310939919714664, 1e-12);      /* 1 - llf / llnull */
    CHECK_NEAR(m.aic, 227.16775396034404, 1e-8);
    CHECK_NEAR(m.bic, 237.06270605998816, 1e-8);
    double pr[N0];
    ml_logit_predict_proba(&m, X0, N0, pr);
    CHECK_NEAR(pr[0], 1.0 / (1.0 + exp(-(par[0] + par[1] * X0[0] + par[2] * X0[N0]))), 1e-9);
    ml_logit_free(&m);
}

static void logit_penalised(void) {                                   /* logit-1.2 */
    ml_Design d;
    ml_Logit m;
    ml_LogitOpts o;
    mn_Err e = {0};
    make_data(&d);
    /* L2, lambda = 2 = 1/C: LogisticRegression(C=0.5, penalty='l2', tol=1e-12,
    ** max_iter=10000).fit(X[:, 1:], y): intercept_, coef_  (python3-sklearn 1.2, lbfgs) */
    ml_logit_opts_init(&o);
    o.penalty = ML_PEN_L2, o.lambda = 2.0;
    CHECK_OK(ml_logit_fit(&d, Y0, NULL, &o, &m, &e), &e);
    CHECK_NEAR(m.coef[0], 0.448174639634863, 1e-7);
    CHECK_NEAR(m.coef[1], 1.2824788983614412, 1e-7);
    CHECK_NEAR(m.coef[2], -0.6638925476912491, 1e-7);
    CHECK(isnan(m.se[1]) && isnan(m.pval[1]) && strstr(m.warning, "no standard errors"));
    ml_logit_free(&m);
    /* L1, lambda = 10: sm.Logit(y, X).fit_regularized(method='l1', alpha=[0, 10, 10],
    ** acc=1e-12): the same objective, -llf + 10 (|b1| + |b2|), const unpenalised; its
    ** SLSQP answer is good to about 2e-6 (ours has the lower objective by 2e-11) */
    o.penalty = ML_PEN_L1, o.lambda = 10.0;
    CHECK_OK(ml_logit_fit(&d, Y0, NULL, &o, &m, &e), &e);
    CHECK(m.converged);
    CHECK_NEAR(m.coef[0], 0.3951016038017149, 5e-6);
    CHECK_NEAR(m.coef[1], 0.6523259130729551, 5e-6);
    CHECK_NEAR(m.coef[2], -0.4412746779148566, 5e-6);
    ml_logit_free(&m);
    /* L1 strong enough zeroes a coefficient exactly (KKT: |gradient| <= lambda there) */
    o.lambda = 60.0;
    CHECK_OK(ml_logit_fit(&d, Y0, NULL, &o, &m, &e), &e);
    CHECK(m.coef[1] == 0.0 || m.coef[2] == 0.0);
    ml_logit_free(&m);
    /* elastic net, lambda = 4, alpha = 0.3: the optimum satisfies the KKT conditions
    ** g_j + lambda (1 - alpha) b_j + lambda alpha sign(b_j) = 0 for b_j != 0, where
    ** g = -X'(y - mu) is the gradient of -loglik (worked from the definition) */
    o.penalty = ML_PEN_ENET, o.lambda = 4.0, o.alpha = 0.3;
    CHECK_OK(ml_logit_fit(&d, Y0, NULL, &o, &m, &e), &e);
    double pr[N0], g[3] = {0, 0, 0};
    ml_logit_predict_proba(&m, X0, N0, pr);
    for (int i = 0; i < N0; i++) {
        g[0] -= Y0[i] - pr[i];
        g[1] -= X0[i] * (Y0[i] - pr[i]);
        g[2] -= X0[N0 + i] * (Y0[i] - pr[i]);
    }
    CHECK_NEAR(g[0], 0.0, 1e-6);
    for (int j = 1; j < 3; j++) {
        CHECK(m.coef[j] != 0.0);
        CHECK_NEAR(g[j] + 4.0 * 0.7 * m.coef[j] + 4.0 * 0.3 * (m.coef[j] > 0 ? 1 : -1), 0.0,
                   1e-6);
    }
    ml_logit_free(&m);
}

static void logit_recovers(void) {                                    /* logit-1.3 */
    /* 20000 rows simulated from b = (-0.7, 1.5, -2.0, 0.3): each estimate within 4 of its
    ** standard errors of the truth (a property of the MLE; fails by chance < 1e-3) */
    enum { N = 20000 };
    static const double beta[] = {-0.7, 1.5, -2.0, 0.3};
    static char names[3][ML_NAMEMAX] = {"a", "b", "c"};
    double *x = malloc(3 * N * sizeof *x), *y = malloc(N * sizeof *y);
    mn_Rng r;
    ml_Design d = {N, 3, x, names};
    ml_Logit m;
    mn_Err e = {0};
    mn_rng_seed(&r, 42);
    for (int i = 0; i < N; i++) {
        double eta = beta[0];
        for (int j = 0; j < 3; j++) {
            x[j * N + i] = mn_rng_normal(&r);
            eta += beta[j + 1] * x[j * N + i];
        }
        y[i] = mn_rng_uniform(&r) < 1.0 / (1.0 + exp(-eta)) ? 1.0 : 0.0;
    }
    CHECK_OK(ml_logit_fit(&d, y, NULL, NULL, &m, &e), &e);
    for (int j = 0; j < 4; j++)
        CHECK(fabs(m.coef[j] - beta[j]) < 4 * m.se[j]);
    CHECK(m.iter < 15);
    ml_logit_free(&m);
    free(x), free(y);
}

static void logit_weights(void) {                                     /* logit-1.4 */
    /* integer sample weights fit as the rows repeated (the likelihood is the same sum) */
    ml_Design d, d2;
    ml_Logit m, m2;
    ml_LogitOpts o;
    mn_Err e = {0};
    static char names[2][ML_NAMEMAX] = {"x1", "x2"};
    double w[N0], x2[2 * 3 * N0], y2[3 * N0];
    int64_t n2 = 0;
    make_data(&d);
    for (int i = 0; i < N0; i++)
        w[i] = (double)(1 + i % 3);
    for (int i = 0; i < N0; i++)
        n2 += (int64_t)w[i];
    for (int64_t i = 0, r = 0; i < N0; i++)
        for (int c = 0; c < (int)w[i]; c++, r++) {
            y2[r] = Y0[i];
            x2[r] = X0[i];
            x2[n2 + r] = X0[N0 + i];
        }
    d2.n = n2, d2.p = 2, d2.x = x2, d2.names = names;
    CHECK_OK(ml_logit_fit(&d, Y0, w, NULL, &m, &e), &e);
    CHECK_OK(ml_logit_fit(&d2, y2, NULL, NULL, &m2, &e), &e);
    for (int j = 0; j < 3; j++) {
        CHECK_NEAR(m.coef[j], m2.coef[j], 1e-9);
        CHECK_NEAR(m.se[j], m2.se[j], 1e-9);
    }
    CHECK_NEAR(m.loglik, m2.loglik, 1e-8);
    ml_logit_free(&m), ml_logit_free(&m2);
    /* balanced: class weight n / (2 n_c), the same as that table given by hand */
    double n1 = 0;
    for (int i = 0; i < N0; i++)
        n1 += Y0[i];
    ml_logit_opts_init(&o);
    o.balanced = 1;
    CHECK_OK(ml_logit_fit(&d, Y0, NULL, &o, &m, &e), &e);
    ml_logit_opts_init(&o);
    o.class_weight[0] = N0 / (2.0 * (N0 - n1)), o.class_weight[1] = N0 / (2.0 * n1);
    CHECK_OK(ml_logit_fit(&d, Y0, NULL, &o, &m2, &e), &e);
    CHECK_NEAR(m.coef[1], m2.coef[1], 1e-12);
    CHECK(fabs(m.coef[0] - 0.4714234063925798) > 0.05);   /* the weights moved the const */
    ml_logit_free(&m), ml_logit_free(&m2);
}

static void logit_separation(void) {                                  /* logit-1.5 */
    static char names[2][ML_NAMEMAX] = {"noise", "cut"};
    double x[40], y[20];
    ml_Design d = {20, 2, x, names};
    ml_Logit m;
    mn_Err e = {0};
    for (int i = 0; i < 20; i++) {
        x[i] = (double)((i * 7) % 5);
        x[20 + i] = (double)i;
        y[i] = i >= 10;                              /* cut > 9.5 gives y exactly */
    }
    CHECK_FAIL(ml_logit_fit(&d, y, NULL, NULL, &m, &e), MN_EARG, &e, "perfect separation");
    CHECK(strstr(e.msg, "'cut'") != NULL);
    /* quasi-complete: rows 0..9 have cut < 9.5 and y = 0; from 10 on both classes at cut 10 */
    for (int i = 10; i < 20; i++)
        x[20 + i] = 10.0, y[i] = i % 2;
    CHECK_OK(ml_logit_fit(&d, y, NULL, NULL, &m, &e), &e);
    CHECK(m.separation == 1 && strstr(m.warning, "separation") && strstr(m.warning, "'cut'"));
    CHECK(isnan(m.se[2]));
    ml_logit_free(&m);
}

static void logit_refusals(void) {                                    /* logit-1.6 */
    ml_Design d;
    ml_Logit m;
    ml_LogitOpts o;
    mn_Err e = {0};
    double y1[N0], x[2 * N0];
    make_data(&d);
    for (int i = 0; i < N0; i++)
        y1[i] = 1.0;
    CHECK_FAIL(ml_logit_fit(&d, y1, NULL, NULL, &m, &e), MN_EARG, &e, "one class only");
    y1[3] = 2.0, y1[0] = 0.0;
    CHECK_FAIL(ml_logit_fit(&d, y1, NULL, NULL, &m, &e), MN_EARG, &e, "row 4: 2 is not");
    memcpy(x, X0, sizeof x);
    x[N0 + 6] = NAN;
    d.x = x;
    CHECK_FAIL(ml_logit_fit(&d, Y0, NULL, NULL, &m, &e), MN_ENAN, &e, "row 7, column 'x2'");
    memcpy(x + N0, X0, N0 * sizeof *x);               /* x2 = x1: collinear */
    CHECK_FAIL(ml_logit_fit(&d, Y0, NULL, NULL, &m, &e), MN_EARG, &e, "linear combination");
    ml_logit_opts_init(&o);
    o.penalty = ML_PEN_L2;                            /* ridge still fits */
    CHECK_OK(ml_logit_fit(&d, Y0, NULL, &o, &m, &e), &e);
    CHECK_NEAR(m.coef[1], m.coef[2], 1e-9);
    ml_logit_free(&m);
    o.alpha = 2.0, o.penalty = ML_PEN_ENET;
    CHECK_FAIL(ml_logit_fit(&d, Y0, NULL, &o, &m, &e), MN_EARG, &e, "alpha");
}

static void logit_multinomial(void) {                                 /* logit-1.7 */
    /* 3 classes, n = 300, from softmax utilities (class 0 the reference):
    **   i = np.arange(300); u, x1, x2 as make_data's; e1 = 0.3+x1-0.5*x2; e2 = -0.2-0.8*x1+0.7*x2
    **   d = 1+exp(e1)+exp(e2); y = where(u < 1/d, 0, where(u < (1+exp(e1))/d, 1, 2))
    **   r = sm.MNLogit(y, sm.add_constant(X)).fit(method='newton', tol=1e-12)
    **   r.params.T.ravel(), r.bse.T.ravel(), r.pvalues, r.llf, r.llnull, r.prsquared */
    static const double par[] = {0.2814261190394935, 0.7627990005431475, -0.4835814645764948,
                                 -0.19818689925732524, -1.1163031984728775, 0.711872598451754};
    static const double bse[] = {0.1547481031225369, 0.2725471860991362, 0.13917152629966936,
                                 0.18149962636271333, 0.3029136813458894, 0.1595173857508725};
    enum { N = 300 };
    static char names[2][ML_NAMEMAX] = {"x1", "x2"};
    double x[2 * N], pr[3 * N];
    int y[N];
    ml_Design d = {N, 2, x, names};
    ml_MLogit m;
    mn_Err e = {0};
    for (int64_t i = 0; i < N; i++) {
        double u = (double)(((i * 7919 + 13) * 104729) % 1000003) / 1000003.0;
        double x1 = (double)((i * 37 + 11) % 101) / 50.0 - 1.0;
        double x2 = (double)((i * 53 + 7) % 97) / 24.0 - 2.0;
        double e1 = 0.3 + 1.0 * x1 - 0.5 * x2, e2 = -0.2 - 0.8 * x1 + 0.7 * x2;
        double dd = 1 + exp(e1) + exp(e2);
        x[i] = x1, x[N + i] = x2;
        y[i] = u < 1 / dd ? 0 : u < 1 / dd + exp(e1) / dd ? 1 : 2;
    }
    CHECK_OK(ml_mlogit_fit(&d, y, 3, NULL, NULL, &m, &e), &e);
    CHECK(m.converged && m.k == 3 && m.K == 3 && m.warning[0] == 0);
    for (int j = 0; j < 6; j++) {
        CHECK_NEAR(m.coef[j], par[j], 1e-9 * fabs(par[j]));
        CHECK_NEAR(m.se[j], bse[j], 1e-8 * bse[j]);
    }
    CHECK_NEAR(m.pval[5], 8.094668529893573e-06, 1e-13);
    CHECK_NEAR(m.loglik, -273.95358218378595, 1e-9);
    /* llnull in closed form sum n_c ln(n_c / 300), counts 79, 127, 94 (statsmodels' fitted
    ** -323.66689256227266 is 2e-8 off it), and 1 - llf / llnull */
    CHECK_NEAR(m.llnull, -323.6668925383442, 1e-10);
    CHECK_NEAR(m.prsquared, 0.1535940545685216, 1e-12);
    ml_mlogit_predict_proba(&m, x, N, pr);
    CHECK_NEAR(pr[0] + pr[1] + pr[2], 1.0, 1e-15);
    ml_mlogit_free(&m);
    ml_LogitOpts o;
    ml_logit_opts_init(&o);
    o.penalty = ML_PEN_L2;
    CHECK_FAIL(ml_mlogit_fit(&d, y, 3, NULL, &o, &m, &e), MN_EARG, &e, "no penalty");
}

int main(void) {
    RUN(logit_statsmodels);
    RUN(logit_penalised);
    RUN(logit_recovers);
    RUN(logit_weights);
    RUN(logit_separation);
    RUN(logit_refusals);
    RUN(logit_multinomial);
    return CHECK_DONE();
}
