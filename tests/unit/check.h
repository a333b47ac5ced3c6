/* check.h -- the tiny assertion macros of the C unit tests. Each test file defines cases as
** static void functions and lists them in main() with RUN(case). The last line printed is
** "N passed, N failed"; the exit status is nonzero when any check failed. */
#ifndef MN_TEST_CHECK_H
#define MN_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

static int check_failures = 0, check_cases_failed = 0, check_cases = 0;
static const char *check_case = "";

#define CHECK(cond) do { if (!(cond)) { check_failures++; \
    fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, __LINE__, check_case, #cond); \
    } } while (0)
#define CHECK_NEAR(a, b, tol) do { double a_ = (a), b_ = (b); \
    if (!(fabs(a_ - b_) <= (tol)) && !(isnan(a_) && isnan(b_))) { check_failures++; \
    fprintf(stderr, "%s:%d: %s: %s = %.17g, expected %.17g (tol %g)\n", __FILE__, __LINE__, \
            check_case, #a, a_, b_, (double)(tol)); } } while (0)
#define CHECK_OK(call, e) do { int rc_ = (call); if (rc_ != MN_OK) { check_failures++; \
    fprintf(stderr, "%s:%d: %s: %s returned %d: %s\n", __FILE__, __LINE__, check_case, \
            #call, rc_, (e)->msg); } } while (0)
#define CHECK_FAIL(call, code, e, substr) do { int rc_ = (call); \
    if (rc_ != (code) || strstr((e)->msg, (substr)) == NULL) { check_failures++; \
    fprintf(stderr, "%s:%d: %s: %s returned %d (\"%s\"), expected %d with \"%s\"\n", \
            __FILE__, __LINE__, check_case, #call, rc_, (e)->msg, (code), (substr)); } } while (0)
#define RUN(fn) do { int before_ = check_failures; check_case = #fn; check_cases++; fn(); \
    if (check_failures != before_) check_cases_failed++; } while (0)
#define CHECK_DONE() (printf("%d passed, %d failed\n", check_cases - check_cases_failed, \
    check_cases_failed), check_cases_failed != 0)

#endif
