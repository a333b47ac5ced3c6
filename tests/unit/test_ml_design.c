/* test_ml_design.c -- ml/design.h: frames and row-major doubles to column-major designs,
** refusals that name the row and column, constant and duplicated columns. Expected values
** are the inputs themselves, laid out by hand. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "frames.h"
#include "ml/design.h"

static void design_from_frame(void) {                                 /* design-1.1 */
    static const double a[] = {1, 2, 3}, b[] = {4.5, 5.5, 6.5};
    static const int8_t t[] = {1, 0, 1};
    static const char *const lv[] = {"x", "y", "x"};
    fr_Frame *f = newframe();
    ml_Design d;
    mn_Err e = {0};
    put(f, "a", f64col(a, 3));
    put(f, "flag", boolcol(t, 3));
    put(f, "b", f64col(b, 3));
    CHECK_OK(ml_design_from_frame(f, NULL, 0, 0, &d, &e), &e);
    CHECK(d.n == 3 && d.p == 3);
    CHECK(strcmp(d.names[0], "a") == 0 && strcmp(d.names[1], "flag") == 0);
    CHECK_NEAR(d.x[0 * 3 + 2], 3.0, 0.0);          /* column-major: a[2] */
    CHECK_NEAR(d.x[1 * 3 + 1], 0.0, 0.0);          /* flag[1] */
    CHECK_NEAR(d.x[2 * 3 + 0], 4.5, 0.0);          /* b[0] */
    ml_design_free(&d);
    static const char *const pick[] = {"b", "a"};
    CHECK_OK(ml_design_from_frame(f, pick, 2, 0, &d, &e), &e);
    CHECK(d.p == 2 && strcmp(d.names[0], "b") == 0);
    CHECK_NEAR(d.x[3 + 1], 2.0, 0.0);
    ml_design_free(&d);
    put(f, "grade", catcol(lv, 3));
    CHECK_FAIL(ml_design_from_frame(f, NULL, 0, 0, &d, &e), MN_EARG, &e,
               "column 'grade' is cat");
    static const char *const miss[] = {"a", "zzz"};
    CHECK_FAIL(ml_design_from_frame(f, miss, 2, 0, &d, &e), MN_EARG, &e, "no column 'zzz'");
    ml_design_free(&d);                             /* zeroed struct: a no-op */
    fr_free(f);
}

static void design_nan(void) {                                        /* design-1.2 */
    static const double a[] = {1, 2, 3}, b[] = {4, NAN, 6};
    fr_Frame *f = newframe();
    ml_Design d;
    mn_Err e = {0};
    put(f, "a", f64col(a, 3));
    put(f, "b", f64col(b, 3));
    CHECK_FAIL(ml_design_from_frame(f, NULL, 0, 0, &d, &e), MN_ENAN, &e, "row 2, column 'b'");
    CHECK_OK(ml_design_from_frame(f, NULL, 0, 1, &d, &e), &e);
    CHECK(isnan(d.x[3 + 1]));
    ml_design_free(&d);
    fr_free(f);
}

static void design_from_rows(void) {                                  /* design-1.3 */
    static const double r[] = {1, 2, 3, 4, 5, 6};                    /* 3 x 2 row-major */
    static const double bad[] = {1, 2, 3, INFINITY};
    ml_Design d;
    mn_Err e = {0};
    CHECK_OK(ml_design_from_rows(r, 3, 2, 0, &d, &e), &e);
    CHECK(strcmp(d.names[1], "x2") == 0);
    CHECK_NEAR(d.x[0], 1.0, 0.0);
    CHECK_NEAR(d.x[1], 3.0, 0.0);
    CHECK_NEAR(d.x[3], 2.0, 0.0);
    CHECK_NEAR(d.x[5], 6.0, 0.0);
    ml_design_free(&d);
    CHECK_FAIL(ml_design_from_rows(bad, 2, 2, 0, &d, &e), MN_ENAN, &e, "row 2, column 'x2'");
}

static void design_degenerate(void) {                                 /* design-1.4 */
    /* columns: a, constant, a again, b, b again */
    static const double r[] = {1, 7, 1, 2, 2,
                               2, 7, 2, 0, 0,
                               3, 7, 3, 5, 5};
    ml_Design d;
    mn_Err e = {0};
    int which[5], dup[5];
    CHECK_OK(ml_design_from_rows(r, 3, 5, 0, &d, &e), &e);
    CHECK(ml_design_degenerate(&d, which, dup) == 3);
    CHECK(which[0] == 1 && dup[0] == -1);
    CHECK(which[1] == 2 && dup[1] == 0);
    CHECK(which[2] == 4 && dup[2] == 3);
    ml_design_free(&d);
}

int main(void) {
    RUN(design_from_frame);
    RUN(design_nan);
    RUN(design_from_rows);
    RUN(design_degenerate);
    return CHECK_DONE();
}
