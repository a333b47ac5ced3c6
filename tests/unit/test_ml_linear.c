/* test_ml_linear.c -- ml/linear.h: OLS against NIST StRD certified values (Longley, Norris,
** Filip: https://www.itl.nist.gov/div898/strd/lls/lls.shtml, data and certified values typed
** from there), and OLS/WLS inference, robust covariances, penalised fits against statsmodels
** and scikit-learn on a small generated data set (the snippets are in the comments). */
#include <math.h>
#include <string.h>

#include "check.h"
#include "ml/design.h"
#include "ml/linear.h"

/* NIST StRD data sets Filip (82 rows) and Norris (36 rows), as {y, x} pairs */
static const double FILIP[] = {   /* y, x pairs */
    0.8116, -6.860120914, 0.9072, -4.324130045, 0.9052, -4.358625055, 0.9039, -4.358426747,
    0.8053, -6.955852379, 0.8377, -6.661145254, 0.8667, -6.355462942, 0.8809, -6.118102026,
    0.7975, -7.115148017, 0.8162, -6.815308569, 0.8515, -6.519993057, 0.8766, -6.204119983,
    0.8885, -5.853871964, 0.8859, -6.109523091, 0.8959, -5.79832982, 0.8913, -5.482672118,
    0.8959, -5.171791386, 0.8971, -4.851705903, 0.9021, -4.517126416, 0.909, -4.143573228,
    0.9139, -3.709075441, 0.9199, -3.499489089, 0.8692, -6.300769497, 0.8872, -5.953504836,
    0.89, -5.642065153, 0.891, -5.031376979, 0.8977, -4.680685696, 0.9035, -4.329846955,
    0.9078, -3.928486195, 0.7675, -8.56735134, 0.7705, -8.363211311, 0.7713, -8.107682739,
    0.7736, -7.823908741, 0.7775, -7.522878745, 0.7841, -7.218819279, 0.7971, -6.920818754,
    0.8329, -6.628932138, 0.8641, -6.323946875, 0.8804, -5.991399828, 0.7668, -8.781464495,
    0.7633, -8.663140179, 0.7678, -8.473531488, 0.7697, -8.247337057, 0.77, -7.971428747,
    0.7749, -7.676129393, 0.7796, -7.352812702, 0.7897, -7.072065318, 0.8131, -6.774174009,
    0.8498, -6.478861916, 0.8741, -6.159517513, 0.8061, -6.835647144, 0.846, -6.53165267,
    0.8751, -6.224098421, 0.8856, -5.910094889, 0.8919, -5.598599459, 0.8934, -5.290645224,
    0.894, -4.974284616, 0.8957, -4.64454848, 0.9047, -4.290560426, 0.9129, -3.885055584,
    0.9209, -3.408378962, 0.9219, -3.13200249, 0.7739, -8.726767166, 0.7681, -8.66695597,
    0.7665, -8.511026475, 0.7703, -8.165388579, 0.7702, -7.886056648, 0.7761, -7.588043762,
    0.7809, -7.283412422, 0.7961, -6.995678626, 0.8253, -6.691862621, 0.8602, -6.392544977,
    0.8809, -6.067374056, 0.8301, -6.684029655, 0.8664, -6.378719832, 0.8834, -6.065855188,
    0.8898, -5.752272167, 0.8964, -5.132414673, 0.8963, -4.811352704, 0.9074, -4.098269308,
    0.9119, -3.66174277, 0.9228, -3.2644011,
};
static const double NORRIS[] = {   /* y, x pairs */
    0.1, 0.2, 338.8, 337.4, 118.1, 118.2, 888.0, 884.6, 9.2, 10.1, 228.1, 226.5, 668.5, 666.3,
    998.5, 996.3, 449.1, 448.6, 778.9, 777.0, 559.2, 558.2, 0.3, 0.4, 0.1, 0.6, 778.1, 775.5,
    668.8, 666.9, 339.3, 338.0, 448.9, 447.5, 10.8, 11.6, 557.7, 556.0, 228.3, 228.1,
    998.0, 995.8, 888.8, 887.6, 119.6, 120.2, 0.3, 0.3, 0.6, 0.3, 557.6, 556.8, 339.3, 339.1,
    888.0, 887.2, 998.5, 999.0, 778.9, 779.0, 10.2, 11.1, 117.6, 118.3, 228.9, 229.2,
    668.4, 669.1, 449.2, 448.9, 0.2, 0.5,
};

/* NIST StRD Longley (16 x 6): y = TOTEMP, then GNPDEFL GNP UNEMP ARMED POP YEAR */
static const double LONGLEY[] = {
    60323, 83.0, 234289, 2356, 1590, 107608, 1947, 61122, 88.5, 259426, 2325, 1456, 108632, 1948,
    60171, 88.2, 258054, 3682, 1616, 109773, 1949, 61187, 89.5, 284599, 3351, 1650, 110929, 1950,
    63221, 96.2, 328975, 2099, 3099, 112075, 1951, 63639, 98.1, 346999, 1932, 3594, 113270, 1952,
    64989, 99.0, 365385, 1870, 3547, 115094, 1953, 63761, 100.0, 363112, 3578, 3350, 116219, 1954,
    66019, 101.2, 397469, 2904, 3048, 117388, 1955, 67857, 104.6, 419180, 2822, 2857, 118734, 1956,
    68169, 108.4, 442769, 2936, 2798, 120445, 1957, 66513, 110.8, 444546, 4681, 2637, 121950, 1958,
    68655, 112.6, 482704, 3813, 2552, 123366, 1959, 69564, 114.2, 502601, 3931, 2514, 125368, 1960,
    69331, 115.7, 518173, 4806, 2572, 127852, 1961, 70551, 116.9, 554894, 4007, 2827, 130081, 1962,
};

/* Significant digits of agreement: -log10(|a - b| / |b|) (the LRE NIST uses). */
static double lre(double a, double b) {
    double r = fabs(a - b) / fabs(b);
    return r == 0.0 ? 16.0 : -log10(r);
}

/* A design from 'rows' (n rows of 1 + p values, y first) and y. */
static void split_xy(const double *rows, int n, int p, double *x_rm, double *y) {
    for (int i = 0; i < n; i++) {
        y[i] = rows[i * (p + 1)];
        for (int j = 0; j < p; j++)
            x_rm[i * p + j] = rows[i * (p + 1) + 1 + j];
    }
}

static ml_Ols fit(const double *x_rm, const double *y, int n, int p, const ml_OlsOpts *o) {
    ml_Design d;
    ml_Ols m;
    mn_Err e = {0};
    memset(&m, 0, sizeof m);
    CHECK_OK(ml_design_from_rows(x_rm, n, p, 0, &d, &e), &e);
    CHECK_OK(ml_ols_fit(&d, y, o, &m, &e), &e);
    ml_design_free(&d);
    return m;
}

static void linear_longley(void) {                                    /* linear-1.1 */
    static const double b[] = {-3482258.63459582, 15.0618722713733, -0.358191792925910E-01,
                               -2.02022980381683, -1.03322686717359, -0.511041056535807E-01,
                               1829.15146461355};
    static const double se[] = {890420.383607373, 84.9149257747669, 0.334910077722432E-01,
                                0.488399681651699, 0.214274163161675, 0.226073200069370,
                                455.478499142212};
    double x[16 * 6], y[16];
    ml_OlsOpts o = {.intercept = 1};
    split_xy(LONGLEY, 16, 6, x, y);
    ml_Ols m = fit(x, y, 16, 6, &o);
    CHECK(m.rank == 7);
    for (int j = 0; j < 7; j++) {
        CHECK(lre(m.coef[j], b[j]) >= 10.0);     /* 10.9 to 13.1 digits measured */
        CHECK(lre(m.se[j], se[j]) >= 11.0);      /* 12.3 to 13.1 */
    }
    CHECK(lre(sqrt(m.scale), 304.854073561965) >= 11.0);     /* residual SD */
    CHECK(lre(m.r2, 0.995479004577296) >= 11.0);
    CHECK(lre(m.fvalue, 330.285339234588) >= 10.0);
    CHECK(lre(m.ssr, 836424.055505915) >= 10.0);
    CHECK(m.df_model == 6 && m.df_resid == 9);
    ml_ols_free(&m);
}

static void linear_norris(void) {                                     /* linear-1.2 */
    double x[36], y[36];
    ml_OlsOpts o = {.intercept = 1};
    split_xy(NORRIS, 36, 1, x, y);
    ml_Ols m = fit(x, y, 36, 1, &o);
    CHECK(lre(m.coef[0], -0.262323073774029) >= 11.0);
    CHECK(lre(m.coef[1], 1.00211681802045) >= 12.0);
    CHECK(lre(m.se[0], 0.232818234301152) >= 11.0);
    CHECK(lre(m.se[1], 0.429796848199937E-03) >= 11.0);
    CHECK(lre(sqrt(m.scale), 0.884796396144373) >= 11.0);
    CHECK(lre(m.r2, 0.999993745883712) >= 12.0);
    ml_ols_free(&m);
}

/* Filip: y on x, x^2, ..., x^10; the design's condition number is about 1.8e15, so the
** normal equations (cond^2) keep no digit at all. */
static void linear_filip(void) {                                      /* linear-1.3 */
    static const double b[] = {-1467.48961422980, -2772.17959193342, -2316.37108160893,
                               -1127.97394098372, -354.478233703349, -75.1242017393757,
                               -10.8753180355343, -1.06221498588947, -0.670191154593408E-01,
                               -0.246781078275479E-02, -0.402962525080404E-04};
    static const double se[] = {298.084530995537, 559.779865474950, 466.477572127796,
                                227.204274477751, 71.6478660875927, 15.2897178747400,
                                2.23691159816033, 0.221624321934227, 0.142363763154724E-01,
                                0.535617408889821E-03, 0.896632837373868E-05};
    double x[82 * 10], y[82], worst = 16.0;
    ml_OlsOpts o = {.intercept = 1};
    for (int i = 0; i < 82; i++) {
        double xi = FILIP[2 * i + 1], pw = 1.0;
        y[i] = FILIP[2 * i];
        for (int j = 0; j < 10; j++)
            x[i * 10 + j] = (pw *= xi);
    }
    ml_Ols m = fit(x, y, 82, 10, &o);
    CHECK(m.rank == 11);
    for (int j = 0; j < 11; j++) {
        double l = lre(m.coef[j], b[j]), ls = lre(m.se[j], se[j]);
        worst = l < worst ? l : worst;
        worst = ls < worst ? ls : worst;
    }
    fprintf(stderr, "filip: %.1f significant digits at worst (coefficients and errors)\n",
            worst);
    CHECK(worst >= 7.0);                         /* 7.6 measured */
    CHECK(lre(sqrt(m.scale), 0.334801051324544E-02) >= 7.0);
    CHECK(lre(m.r2, 0.996727416185620) >= 7.0);
    ml_ols_free(&m);
}

/* The generated set: i = 1..30, x1 = sin i, x2 = cos(1.7 i) + i / 10,
** y = 1 + 2 x1 - 0.5 x2 + 0.3 sin(3.1 i^2)(1 + |x1|), w = 1 + (i mod 5). */
static void gen(double *x, double *y, double *w) {
    for (int k = 0; k < 30; k++) {
        double i = k + 1, x1 = sin(i), x2 = cos(1.7 * i) + i / 10;
        x[2 * k] = x1;
        x[2 * k + 1] = x2;
        y[k] = 1 + 2 * x1 - 0.5 * x2 + 0.3 * sin(3.1 * i * i) * (1 + fabs(x1));
        w[k] = 1 + (k + 1) % 5;
    }
}

#define NEAR_REL(a, b, r) CHECK_NEAR((a), (b), (r) * fabs(b))

/* statsmodels 0.14 (Debian python3-statsmodels):
**   X = sm.add_constant(np.column_stack([x1, x2])); r = sm.OLS(y, X).fit()
**   r.params, r.bse, r.pvalues, r.rsquared(_adj), r.fvalue, r.f_pvalue, r.llf, r.aic, r.bic
**   durbin_watson(r.wresid), jarque_bera(r.wresid) */
static void linear_ols_statsmodels(void) {                            /* linear-2.1 */
    static const double b[] = {1.0704341521121328, 1.9338519641699206, -0.5626266265936164};
    static const double se[] = {0.10471739238455838, 0.08749130656169544, 0.05406957643566569};
    static const double p[] = {8.843642390593799e-11, 7.957049308139456e-19,
                               6.009293964934978e-11};
    double x[60], y[30], w[30];
    ml_OlsOpts o = {.intercept = 1};
    gen(x, y, w);
    ml_Ols m = fit(x, y, 30, 2, &o);
    for (int j = 0; j < 3; j++) {
        NEAR_REL(m.coef[j], b[j], 1e-12);
        NEAR_REL(m.se[j], se[j], 1e-12);
        NEAR_REL(m.p[j], p[j], 1e-8);
    }
    NEAR_REL(m.stat[0], 10.222123830023664, 1e-12);
    NEAR_REL(m.r2, 0.9620075981258558, 1e-13);
    NEAR_REL(m.r2_adj, 0.9591933461351785, 1e-13);
    NEAR_REL(m.fvalue, 341.8342072112439, 1e-11);
    NEAR_REL(m.f_p, 6.697398355514195e-20, 1e-8);
    NEAR_REL(m.loglik, -8.688671385133102, 1e-12);
    NEAR_REL(m.aic, 23.377342770266203, 1e-12);
    NEAR_REL(m.bic, 27.58093491525267, 1e-12);
    NEAR_REL(m.dw, 2.505312781870491, 1e-12);
    NEAR_REL(m.jb, 1.893348486531699, 1e-10);
    NEAR_REL(m.jb_p, 0.3880293711957178, 1e-10);
    NEAR_REL(m.skew, -0.039008754654069396, 1e-9);
    NEAR_REL(m.kurtosis, 1.7717524445508903, 1e-12);
    ml_ols_free(&m);
}

/* sm.OLS(y, X).fit(cov_type=c) for c in HC0..HC3: r.bse, r.pvalues (normal: use_t False),
** r.fvalue (the Wald F); cov_type="HAC", cov_kwds={"maxlags": 2, "use_correction": True} */
static void linear_robust_statsmodels(void) {                         /* linear-2.2 */
    static const double se[5][3] = {
        {0.093271594228527, 0.09166430249853107, 0.04157929620777689},
        {0.09831689291905361, 0.09662265867534046, 0.04382842650779223},
        {0.09938698322265954, 0.09699858701239306, 0.04459563003170643},
        {0.1060371328645223, 0.10272554253611683, 0.0479003497270798},
        {0.05927184409980423, 0.08377965692727778, 0.03290543852456285}};
    static const double f[5] = {466.818915114064, 420.1370236026577, 414.04877195748134,
                                366.46482910055704, 502.6794367124249};
    static const double p0[5] = {1.7309070509602163e-30, 1.3208754565131978e-27,
                                 4.7511043837089165e-27, 5.8190914603922566e-24,
                                 6.6132164365809182e-073};
    static const int cov[5] = {ML_COV_HC0, ML_COV_HC1, ML_COV_HC2, ML_COV_HC3, ML_COV_HAC};
    double x[60], y[30], w[30];
    gen(x, y, w);
    for (int c = 0; c < 5; c++) {
        ml_OlsOpts o = {.intercept = 1, .cov = cov[c], .maxlags = 2};
        ml_Ols m = fit(x, y, 30, 2, &o);
        for (int j = 0; j < 3; j++)
            NEAR_REL(m.se[j], se[c][j], 1e-11);
        NEAR_REL(m.fvalue, f[c], 1e-10);
        NEAR_REL(m.p[0], p0[c], 1e-7);
        NEAR_REL(m.coef[1], 1.9338519641699206, 1e-12);
        ml_ols_free(&m);
    }
}

/* sm.WLS(y, X, weights=w).fit(): params, bse, rsquared, llf, fvalue, durbin_watson(wresid);
** .fit(cov_type="HC3").bse */
static void linear_wls_statsmodels(void) {                            /* linear-2.3 */
    static const double b[] = {1.0386624487842724, 1.9070202382512929, -0.5721483595523803};
    static const double se[] = {0.10612972803842259, 0.08755218682602849, 0.05595213663471073};
    static const double se3[] = {0.1060589358788997, 0.11821447917340253, 0.04763270578350969};
    double x[60], y[30], w[30];
    gen(x, y, w);
    ml_OlsOpts o = {.intercept = 1, .w = w};
    ml_Ols m = fit(x, y, 30, 2, &o);
    for (int j = 0; j < 3; j++) {
        NEAR_REL(m.coef[j], b[j], 1e-12);
        NEAR_REL(m.se[j], se[j], 1e-12);
    }
    NEAR_REL(m.r2, 0.9641561851255132, 1e-13);
    NEAR_REL(m.loglik, -9.805661042428252, 1e-12);
    NEAR_REL(m.fvalue, 363.1340175361503, 1e-11);
    NEAR_REL(m.dw, 2.436168036498009, 1e-12);
    ml_ols_free(&m);
    o.cov = ML_COV_HC3;
    m = fit(x, y, 30, 2, &o);
    for (int j = 0; j < 3; j++)
        NEAR_REL(m.se[j], se3[j], 1e-11);
    ml_ols_free(&m);
}

static void linear_errors(void) {                                     /* linear-3.1 */
    static const double x3[] = {1, 2, 3, 4, 5, 6};         /* 2 rows, 3 columns */
    static const double yy[] = {1, 2, 3, 4};
    static const double xd[] = {1, 2, 2, 4, 3, 6, 4, 8};   /* x2 = 2 x1 */
    double ynan[] = {1, NAN, 3, 4}, wbad[] = {1, 1, 0, 1};
    ml_Design d;
    ml_Ols m;
    mn_Err e = {0};
    ml_OlsOpts o = {.intercept = 1};
    CHECK_OK(ml_design_from_rows(x3, 2, 3, 0, &d, &e), &e);
    CHECK_FAIL(ml_ols_fit(&d, yy, &o, &m, &e), MN_EARG, &e, "only 2 rows");
    ml_design_free(&d);
    CHECK_OK(ml_design_from_rows(xd, 4, 2, 0, &d, &e), &e);
    CHECK_FAIL(ml_ols_fit(&d, ynan, &o, &m, &e), MN_ENAN, &e, "row 2");
    o.w = wbad;
    CHECK_FAIL(ml_ols_fit(&d, yy, &o, &m, &e), MN_EARG, &e, "weights: row 3");
    o.w = NULL;
    o.cov = ML_COV_HAC;
    o.maxlags = 9;
    CHECK_FAIL(ml_ols_fit(&d, yy, &o, &m, &e), MN_EARG, &e, "maxlags");
    o.cov = ML_COV_NONROBUST;
    /* rank deficient: one of the columns is aliased, the fit still predicts y exactly */
    CHECK_OK(ml_ols_fit(&d, yy, &o, &m, &e), &e);
    CHECK(m.rank == 2 && m.aliased[1] + m.aliased[2] == 1);
    for (int i = 0; i < 4; i++)
        CHECK_NEAR(m.fitted[i], yy[i], 1e-12);
    ml_ols_free(&m);
    ml_design_free(&d);
}

/* scikit-learn on the standardised columns (Z = (X - mean) / std, 1/n std), mapped back to
** the original scale (b = c / std, b0 = mean(y) - sum b mean(x)):
**   Lasso(alpha=0.2), ElasticNet(alpha=0.1, l1_ratio=0.5), Ridge(alpha=0.3 * 30) */
static void linear_net_sklearn(void) {                                /* linear-4.1 */
    static const double lasso[] = {0.841091138479986, 1.692938533283882, -0.4137422667917027};
    static const double enet[] = {0.9869504259246271, 1.7885052866556657, -0.5080848788432571};
    static const double ridge[] = {0.9210295519139523, 1.506440833138492, -0.46401335085625367};
    static const double al[3] = {1.0, 0.5, 0.0}, lam[3] = {0.2, 0.1, 0.3};
    const double *want[3] = {lasso, enet, ridge};
    double x[60], y[30], w[30];
    ml_Design d;
    mn_Err e = {0};
    gen(x, y, w);
    CHECK_OK(ml_design_from_rows(x, 30, 2, 0, &d, &e), &e);
    for (int c = 0; c < 3; c++) {
        ml_NetOpts o = {.alpha = al[c], .lambda = lam[c], .nlambda = 50, .tol = 1e-14,
                        .max_iter = 100000, .intercept = 1};
        ml_Net m;
        CHECK_OK(ml_net_fit(&d, y, &o, &m, &e), &e);
        CHECK(m.converged);
        for (int j = 0; j < 3; j++)
            CHECK_NEAR(m.coef[j], want[c][j], 1e-7);
        ml_net_free(&m);
    }
    {   /* two sweeps are not enough: the result says so */
        ml_NetOpts o = {.alpha = 0.5, .lambda = 0.01, .nlambda = 1, .tol = 1e-14,
                        .max_iter = 2, .intercept = 1};
        ml_Net m;
        CHECK_OK(ml_net_fit(&d, y, &o, &m, &e), &e);
        CHECK(!m.converged && m.iters == 2);
        ml_net_free(&m);
    }
    ml_design_free(&d);
}

int main(void) {
    RUN(linear_longley);
    RUN(linear_norris);
    RUN(linear_filip);
    RUN(linear_ols_statsmodels);
    RUN(linear_robust_statsmodels);
    RUN(linear_wls_statsmodels);
    RUN(linear_errors);
    RUN(linear_net_sklearn);
    return CHECK_DONE();
}
