/* test_features_group.c -- the group driver (features/group.h): grouping in order of first
** appearance, the strict time-order check and its messages, the default time column rule,
** gather/scatter, numeric views and span parsing. Expected values are worked out by hand. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/mem.h"
#include "data/csv.h"
#include "features/group.h"
#include "frames.h"

static fr_Frame *csv(const char *s) {
    fr_Frame *f = NULL;
    mn_Err e = {0};
    if (fr_read_csv_str(s, strlen(s), NULL, &f, &e) != MN_OK) {
        fprintf(stderr, "csv: %s\n", e.msg);
        abort();
    }
    return f;
}

static const char *PX =
    "date,ticker,close\n"
    "2024-01-01,B,10\n2024-01-01,A,1\n2024-01-02,A,2\n2024-01-02,B,11\n"
    "2024-01-05,A,3\n2024-01-03,B,12\n";

static void group_by_key(void) {                              /* ftg-1.1 */
    mn_Err e = {0};
    fr_Frame *f = csv(PX);
    ft_Order o = {"ticker", NULL};
    ft_Groups *g = NULL;
    CHECK_OK(ft_groups_new(f, &o, &g, &e), &e);
    if (g != NULL) {
        /* by hand: B first (row 0), then A; rows in frame order inside each group */
        int64_t want[] = {0, 3, 5, 1, 2, 4};
        CHECK(g->ngroups == 2 && g->nrows == 6 && g->maxlen == 3);
        CHECK(g->start[0] == 0 && g->start[1] == 3 && g->start[2] == 6);
        for (int i = 0; i < 6; i++)
            CHECK(g->rows[i] == want[i]);
        CHECK(g->time != NULL && g->time[4] == 4 * FR_NS_PER_DAY + 19723 * FR_NS_PER_DAY);
        CHECK(ft_group_len(g, 1) == 3 && ft_group_rows(g, 1)[0] == 1);
    }
    ft_groups_free(g);
    fr_free(f);
}

static void gather_scatter(void) {                            /* ftg-1.2 */
    mn_Err e = {0};
    fr_Frame *f = csv(PX);
    ft_Order o = {"ticker", NULL};
    ft_Groups *g = NULL;
    const double *x;
    double *own, buf[3], out[6];
    CHECK_OK(ft_groups_new(f, &o, &g, &e), &e);
    CHECK_OK(ft_numeric(f, "close", &x, &own, &e), &e);
    CHECK(own == NULL);                                       /* f64 is borrowed */
    ft_gather(g, 0, x, buf);
    CHECK(buf[0] == 10 && buf[1] == 11 && buf[2] == 12);
    ft_gather(g, 1, x, buf);
    CHECK(buf[0] == 1 && buf[1] == 2 && buf[2] == 3);
    for (int64_t k = 0; k < g->ngroups; k++) {
        ft_gather(g, k, x, buf);
        for (int i = 0; i < 3; i++)
            buf[i] *= 2;
        ft_scatter(g, k, buf, out);
    }
    for (int i = 0; i < 6; i++)
        CHECK(out[i] == 2 * x[i]);
    ft_groups_free(g);
    fr_free(f);
}

static void unsorted_refused(void) {                          /* ftg-2.1 */
    mn_Err e = {0};
    fr_Frame *f = csv("date,ticker,close\n2024-01-01,A,1\n2024-01-03,B,2\n"
                      "2024-01-02,A,3\n2024-01-02,B,4\n");
    ft_Order o = {"ticker", NULL}, none = {NULL, NULL};
    ft_Groups *g = NULL;
    /* per ticker: A is 01,02 (fine), B is 03 then 02 (row 4 after row 2) */
    CHECK_FAIL(ft_groups_new(f, &o, &g, &e), MN_EARG, &e, "time column 'date'");
    CHECK(strstr(e.msg, "group 'B'") && strstr(e.msg, "row 4 (2024-01-02)") &&
          strstr(e.msg, "row 2 (2024-01-03)"));
    CHECK(g == NULL);
    /* without the key the whole frame is one group: row 3 goes back in time */
    CHECK_FAIL(ft_groups_new(f, &none, &g, &e), MN_EARG, &e, "row 3 (2024-01-02)");
    fr_free(f);
    f = csv("date,close\n2024-01-01,1\n2024-01-01,2\n");      /* equal times: not strict */
    CHECK_FAIL(ft_groups_new(f, NULL, &g, &e), MN_EARG, &e,
               "time column 'date' repeats a time: rows 1 and 2 are both 2024-01-01; several "
               "series in one frame? give by = their key column");
    fr_free(f);
}

static void missing_time_and_key(void) {                      /* ftg-2.2 */
    mn_Err e = {0};
    fr_Frame *f = csv("date,ticker,close\n2024-01-01,A,1\n,A,2\n2024-01-03,,3\n");
    ft_Order o = {"ticker", NULL}, bad = {"nope", NULL}, badt = {NULL, "close2"};
    ft_Groups *g = NULL;
    CHECK_FAIL(ft_groups_new(f, &o, &g, &e), MN_EARG, &e, "by: column 'ticker' is missing "
               "in row 3");
    o.by = NULL;
    CHECK_FAIL(ft_groups_new(f, &o, &g, &e), MN_EARG, &e, "time column 'date' is missing "
               "in row 2");
    CHECK_FAIL(ft_groups_new(f, &bad, &g, &e), MN_EARG, &e, "by: no column 'nope'");
    CHECK_FAIL(ft_groups_new(f, &badt, &g, &e), MN_EARG, &e, "time: no column 'close2'");
    o.by = "close";
    CHECK_FAIL(ft_groups_new(f, &o, &g, &e), MN_EARG, &e, "by: column 'close' is f64");
    o.by = NULL;
    o.time = "ticker";
    CHECK_FAIL(ft_groups_new(f, &o, &g, &e), MN_EARG, &e, "time: column 'ticker' is cat");
    CHECK(g == NULL);
    fr_free(f);
}

static void default_time_rule(void) {                         /* ftg-3.1 */
    mn_Err e = {0};
    ft_Groups *g = NULL;
    ft_Order rows = {NULL, ""}, byf = {NULL, "t"};
    /* two date columns: no default, row order; unsorted dates are then fine */
    fr_Frame *f = csv("d1,d2,x\n2024-01-02,2024-01-01,1\n2024-01-01,2024-01-05,2\n");
    CHECK_OK(ft_groups_new(f, NULL, &g, &e), &e);
    CHECK(g && g->time == NULL && g->ngroups == 1 && g->rows[1] == 1);
    ft_groups_free(g);
    g = NULL;
    fr_free(f);
    /* one date column: it is the time; "" forces row order */
    f = csv("d,x,t\n2024-01-02,1,5\n2024-01-01,2,6\n");
    CHECK_FAIL(ft_groups_new(f, NULL, &g, &e), MN_EARG, &e, "time column 'd'");
    CHECK_OK(ft_groups_new(f, &rows, &g, &e), &e);
    CHECK(g && g->time == NULL);
    ft_groups_free(g);
    g = NULL;
    /* an f64 time column is checked but gives no ns times */
    CHECK_OK(ft_groups_new(f, &byf, &g, &e), &e);
    CHECK(g && g->time == NULL);
    ft_groups_free(g);
    g = NULL;
    byf.time = "x";                                           /* 1, 2: increasing */
    CHECK_OK(ft_groups_new(f, &byf, &g, &e), &e);
    ft_groups_free(g);
    fr_free(f);
    /* an empty frame has no groups */
    f = csv("x\n");
    g = NULL;
    CHECK_OK(ft_groups_new(f, NULL, &g, &e), &e);
    CHECK(g && g->ngroups == 0 && g->maxlen == 0);
    ft_groups_free(g);
    fr_free(f);
}

static void text_and_bool_keys(void) {                        /* ftg-3.2 */
    mn_Err e = {0};
    ft_Groups *g = NULL;
    fr_Frame *f = csv("k,b,x\nx,true,1\ny,false,2\nx,true,3\ny,true,4\n");
    ft_Order o = {"b", ""};
    CHECK_OK(ft_groups_new(f, &o, &g, &e), &e);               /* true: rows 0,2,3; false: 1 */
    CHECK(g && g->ngroups == 2 && g->start[1] == 3 && g->rows[2] == 3 && g->rows[3] == 1);
    ft_groups_free(g);
    fr_free(f);
    {   /* a text key (hash path) and a date key */
        const char *k[] = {"x", "yy", "x", "zz", "yy"};
        int64_t d[] = {3, 1, 3, 1, 2};
        ft_Order ot = {"k", ""}, od = {"d", ""};
        f = newframe();
        put(f, "k", textcol(k, 5));
        put(f, "d", datecol(d, 5));
        g = NULL;
        CHECK_OK(ft_groups_new(f, &ot, &g, &e), &e);      /* x: 0,2  yy: 1,4  zz: 3 */
        CHECK(g && g->ngroups == 3 && g->rows[1] == 2 && g->rows[3] == 4 && g->rows[4] == 3);
        ft_groups_free(g);
        g = NULL;
        CHECK_OK(ft_groups_new(f, &od, &g, &e), &e);      /* 3: 0,2  1: 1,3  2: 4 */
        CHECK(g && g->ngroups == 3 && g->rows[1] == 2 && g->rows[3] == 3 && g->rows[4] == 4);
        ft_groups_free(g);
        fr_free(f);
    }
}

static void numeric_view(void) {                              /* ftg-4.1 */
    mn_Err e = {0};
    fr_Frame *f = csv("b,s\ntrue,a\n,b\nfalse,c\n");
    const double *x;
    double *own = NULL;
    CHECK_OK(ft_numeric(f, "b", &x, &own, &e), &e);
    CHECK(own != NULL && x[0] == 1 && isnan(x[1]) && x[2] == 0);
    mn_free(own);
    CHECK_FAIL(ft_numeric(f, "s", &x, &own, &e), MN_EARG, &e, "column 's' is");
    CHECK(strstr(e.msg, "not numeric"));
    CHECK_FAIL(ft_numeric(f, "zz", &x, &own, &e), MN_EARG, &e, "no column 'zz'");
    fr_free(f);
}

static void spans(void) {                                     /* ftg-5.1 */
    mn_Err e = {0};
    int64_t ns = 0;
    CHECK_OK(ft_parse_span("20d", &ns, &e), &e);
    CHECK(ns == 20 * FR_NS_PER_DAY);
    CHECK_OK(ft_parse_span("4h", &ns, &e), &e);
    CHECK(ns == INT64_C(4) * 3600 * 1000000000);
    CHECK_OK(ft_parse_span("90min", &ns, &e), &e);
    CHECK(ns == INT64_C(90) * 60 * 1000000000);
    CHECK_OK(ft_parse_span("30s", &ns, &e), &e);
    CHECK(ns == INT64_C(30) * 1000000000);
    CHECK_OK(ft_parse_span("2w", &ns, &e), &e);
    CHECK(ns == 14 * FR_NS_PER_DAY);
    CHECK_FAIL(ft_parse_span("0d", &ns, &e), MN_EARG, &e, "span '0d'");
    CHECK_FAIL(ft_parse_span("d", &ns, &e), MN_EARG, &e, "span 'd'");
    CHECK_FAIL(ft_parse_span("5y", &ns, &e), MN_EARG, &e, "span '5y'");
    CHECK_FAIL(ft_parse_span("-5d", &ns, &e), MN_EARG, &e, "span '-5d'");
    CHECK_FAIL(ft_parse_span("5 d", &ns, &e), MN_EARG, &e, "span '5 d'");
    CHECK_FAIL(ft_parse_span("99999999999999999999d", &ns, &e), MN_EARG, &e, "span");
}

static void alloc_failure(void) {                             /* ftg-6.1 */
    mn_Err e = {0};
    fr_Frame *f = csv(PX);
    ft_Order o = {"ticker", NULL};
    for (long k = 1; k < 9; k++) {                           /* each allocation in turn */
        ft_Groups *g = NULL;
        int rc;
        mn_mem_fail_after(k);
        rc = ft_groups_new(f, &o, &g, &e);
        mn_mem_fail_after(0);
        CHECK(rc == MN_OK || rc == MN_ENOMEM);
        CHECK((rc == MN_OK) == (g != NULL));
        ft_groups_free(g);
    }
    fr_free(f);
}

int main(void) {
    RUN(group_by_key);
    RUN(gather_scatter);
    RUN(unsorted_refused);
    RUN(missing_time_and_key);
    RUN(default_time_rule);
    RUN(text_and_bool_keys);
    RUN(numeric_view);
    RUN(spans);
    RUN(alloc_failure);
    return CHECK_DONE();
}
