/* test_ml_pca.c -- ml/pca.h against scikit-learn's PCA(svd_solver="full") on a small
** generated data set, the inverse transform as a property, and refusals. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "ml/pca.h"

/* i = np.arange(30); x1 = ((i*37+11)%101)/50.0-1.0; x2 = ((i*53+7)%97)/24.0-2.0
** x3 = x1+0.5*x2+((i*17+3)%23)/46.0; X = np.column_stack([x1, x2, x3]) */
#define N0 30
static double X0[3 * N0];

static void make_data(ml_Design *d) {
    static char names[3][ML_NAMEMAX] = {"x1", "x2", "x3"};
    for (int i = 0; i < N0; i++) {
        double x1 = (double)((i * 37 + 11) % 101) / 50.0 - 1.0;
        double x2 = (double)((i * 53 + 7) % 97) / 24.0 - 2.0;
        X0[i] = x1, X0[N0 + i] = x2;
        X0[2 * N0 + i] = x1 + 0.5 * x2 + (double)((i * 17 + 3) % 23) / 46.0;
    }
    d->n = N0, d->p = 3, d->x = X0, d->names = names;
}

static void pca_sklearn(void) {                                        /* pca-1.1 */
    /* p = PCA(2, svd_solver='full').fit(X); p.components_, p.explained_variance_,
    ** p.explained_variance_ratio_, p.transform(X)[0], p.noise_variance_ (python3-sklearn) */
    static const double comp[] = {-0.19493200563860025, -0.7703796248905257,
        -0.6070558019912555, -0.6706198502838403, 0.5563365475567271, -0.49067164403289176};
    static const double var[] = {2.108184589523845, 0.5957417775429917};
    static const double ratio[] = {0.7778388576484792, 0.21980575420209134};
    static const double z0[] = {2.5543000800592894, 0.44275330714314154};
    ml_Design d;
    ml_Pca m;
    mn_Err e = {0};
    double z[2 * N0], back[3 * N0];
    make_data(&d);
    CHECK_OK(ml_pca_fit(&d, 2, 1, 0, &m, &e), &e);
    for (int j = 0; j < 6; j++)
        CHECK_NEAR(m.comp[j], comp[j], 1e-12);
    for (int c = 0; c < 2; c++) {
        CHECK_NEAR(m.var[c], var[c], 1e-12);
        CHECK_NEAR(m.ratio[c], ratio[c], 1e-12);
    }
    CHECK_NEAR(m.noise_var, 0.006383832525397642, 1e-12);
    ml_pca_transform(&m, &d, z);
    CHECK_NEAR(z[0], z0[0], 1e-12);
    CHECK_NEAR(z[1], z0[1], 1e-12);
    ml_pca_free(&m);
    /* all 3 components: the inverse transform gives X back (property) */
    CHECK_OK(ml_pca_fit(&d, 3, 1, 1, &m, &e), &e);
    {
        double z3[3 * N0];
        ml_pca_transform(&m, &d, z3);
        ml_pca_inverse(&m, z3, N0, back);
        for (int i = 0; i < N0; i++)
            for (int j = 0; j < 3; j++)
                CHECK_NEAR(back[i * 3 + j], X0[j * N0 + i], 1e-12);
    }
    CHECK_NEAR(m.ratio[0] + m.ratio[1] + m.ratio[2], 1.0, 1e-12);
    ml_pca_free(&m);
}

static void pca_refusals(void) {                                       /* pca-1.2 */
    ml_Design d;
    ml_Pca m;
    mn_Err e = {0};
    make_data(&d);
    CHECK_FAIL(ml_pca_fit(&d, 4, 1, 0, &m, &e), MN_EARG, &e, "n_components");
    CHECK_FAIL(ml_pca_fit(&d, 0, 1, 0, &m, &e), MN_EARG, &e, "n_components");
}

int main(void) {
    RUN(pca_sklearn);
    RUN(pca_refusals);
    return CHECK_DONE();
}
