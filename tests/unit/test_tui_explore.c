/* test_tui_explore.c -- the explorer's logic that does not draw (tui/explore.h): cell text,
** column statistics, histogram bins, sorting the view by a row permutation and searching it.
** Expected values are worked by hand in the comments. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/interrupt.h"
#include "frames.h"
#include "tui/explore.h"

#define NA NAN
#define JAN1_2024 19723                 /* days from 1970-01-01 to 2024-01-01 */

/* x, k, d, s over 6 rows, one missing value in each column (row 2, 0-based):
**   x  3    1    NA   2    10   4
**   k  b    a    NA   a    c    a
**   d  3rd  1st  NA   1st  10th 4th   (of January 2024)
**   s  Foo  bar  NA   Baz  "foo bar"  x */
static fr_Frame *sample(void) {
    static const double x[] = {3, 1, NA, 2, 10, 4};
    static const char *const k[] = {"b", "a", NULL, "a", "c", "a"};
    static const char *const s[] = {"Foo", "bar", NULL, "Baz", "foo bar", "x"};
    static const int64_t d[] = {JAN1_2024 + 2, JAN1_2024, 0, JAN1_2024, JAN1_2024 + 9,
                                JAN1_2024 + 3};
    fr_Frame *f = newframe();
    fr_Column *dc = datecol(d, 6);
    fr_col_time(dc)[2] = FR_NA_TIME;
    put(f, "x", f64col(x, 6));
    put(f, "k", catcol(k, 6));
    put(f, "d", dc);
    put(f, "s", textcol(s, 6));
    return f;
}

static void explore_cell_text(void) {                     /* explore-u1.1 */
    static const double v[] = {10, 2.5, 1.0 / 3, NA, -0.0, 1e20};
    static const char *const t[] = {"a\tb\nc"};
    fr_Column *c = f64col(v, 6), *tc = textcol(t, 1);
    char buf[64];
    CHECK(ui_cell_text(c, 0, buf, sizeof buf) == 0 && strcmp(buf, "10") == 0);
    CHECK(ui_cell_text(c, 1, buf, sizeof buf) == 0 && strcmp(buf, "2.5") == 0);
    CHECK(ui_cell_text(c, 2, buf, sizeof buf) == 0 && strcmp(buf, "0.3333333") == 0);
    CHECK(ui_cell_text(c, 3, buf, sizeof buf) == 1 && strcmp(buf, "NA") == 0);
    CHECK(ui_cell_text(c, 5, buf, sizeof buf) == 0 && strcmp(buf, "1e+20") == 0);
    ui_cell_text(tc, 0, buf, sizeof buf);                  /* control characters: spaces */
    CHECK(strcmp(buf, "a b c") == 0);
    fr_col_unref(c);
    fr_col_unref(tc);
}

static void explore_stats_numeric(void) {                 /* explore-u2.1 */
    /* x without its NA: 3 1 2 10 4, n = 5, mean 20/5 = 4; deviations -1 -3 -2 6 0, squares sum
    ** 50, sample variance 50/4 = 12.5, std sqrt(12.5) = 3.5355339059327378. Sorted 1 2 3 4 10:
    ** h = 4p gives q25 = x[1] = 2, q50 = x[2] = 3, q75 = x[3] = 4. Distinct 5, all whole. */
    fr_Frame *f = sample();
    ui_ColStats s;
    mn_Err e = {0};
    CHECK_OK(ui_col_stats(fr_col(f, 0), &s, &e), &e);
    CHECK(s.n == 6 && s.count == 5 && s.missing == 1 && s.distinct == 5 && s.integers);
    CHECK_NEAR(s.mean, 4.0, 1e-15);
    CHECK_NEAR(s.std, 3.5355339059327378, 1e-15);
    CHECK_NEAR(s.min, 1, 0);
    CHECK_NEAR(s.q25, 2, 0);
    CHECK_NEAR(s.q50, 3, 0);
    CHECK_NEAR(s.q75, 4, 0);
    CHECK_NEAR(s.max, 10, 0);
    CHECK(s.ntop == 0);
    /* 20 bins asked, range 1..10 whole: one bin per integer, 10 bins over [0.5, 10.5] */
    ui_col_hist(fr_col(f, 0), &s, 20);
    CHECK(s.nbins == 10);
    CHECK_NEAR(s.hlo, 0.5, 0);
    CHECK_NEAR(s.hhi, 10.5, 0);
    {
        static const int64_t want[10] = {1, 1, 1, 1, 0, 0, 0, 0, 0, 1};
        CHECK(memcmp(s.hist, want, sizeof want) == 0);
    }
    /* 4 bins over [1, 10], width 2.25: [1, 3.25) holds 1 2 3, [3.25, 5.5) 4, then 0, and the
    ** last bin [7.75, 10] holds 10 */
    ui_col_hist(fr_col(f, 0), &s, 4);
    CHECK(s.nbins == 4 && s.hist_asked == 4);
    CHECK(s.hist[0] == 3 && s.hist[1] == 1 && s.hist[2] == 0 && s.hist[3] == 1);
    ui_col_stats_free(&s);
    fr_free(f);
}

static void explore_stats_categories_dates(void) {        /* explore-u2.2 */
    /* k: b a NA a c a -> 5 values, 1 missing, 3 distinct; a 3 times, then b and c once each
    ** (ties in first-seen order: b before c). d: NA in row 2; min Jan 1, max Jan 10, distinct
    ** {3rd, 1st, 10th, 4th} = 4; 9 days apart. */
    fr_Frame *f = sample();
    ui_ColStats s;
    mn_Err e = {0};
    CHECK_OK(ui_col_stats(fr_col(f, 1), &s, &e), &e);
    CHECK(s.count == 5 && s.missing == 1 && s.distinct == 3 && s.ntop == 3);
    CHECK(strcmp(s.top[0], "a") == 0 && s.topc[0] == 3);
    CHECK(strcmp(s.top[1], "b") == 0 && s.topc[1] == 1);
    CHECK(strcmp(s.top[2], "c") == 0 && s.topc[2] == 1);
    ui_col_hist(fr_col(f, 1), &s, 10);
    CHECK(s.nbins == 0);                                   /* no histogram for categories */
    ui_col_stats_free(&s);

    CHECK_OK(ui_col_stats(fr_col(f, 2), &s, &e), &e);
    CHECK(s.count == 5 && s.missing == 1 && s.distinct == 4);
    CHECK_NEAR(s.min, (double)JAN1_2024 * 86400e9, 0);
    CHECK_NEAR((s.max - s.min) / 86400e9, 9, 0);
    /* 3 bins over 9 days (3 days each): days 0 0 2 | 3 | 9 -> 3, 1, 1 */
    ui_col_hist(fr_col(f, 2), &s, 3);
    CHECK(s.nbins == 3 && s.hist[0] == 3 && s.hist[1] == 1 && s.hist[2] == 1);
    ui_col_stats_free(&s);

    CHECK_OK(ui_col_stats(fr_col(f, 3), &s, &e), &e);      /* text: 5 distinct, once each */
    CHECK(s.count == 5 && s.distinct == 5 && s.ntop == 5 && strcmp(s.top[0], "Foo") == 0);
    ui_col_stats_free(&s);
    fr_free(f);
}

static void explore_hist_counts(void) {                   /* explore-u3.1 */
    /* [0, 1] in 2 bins: 0 -> bin 0; 0.5 and 1 (the top edge) -> bin 1; NaN, 2, -1 skipped */
    static const double x[] = {0, 0.5, 1, NA, 2, -1};
    static const double same[] = {5, 5, 6};
    int64_t c[2];
    ui_hist_counts(x, 6, 2, 0, 1, c);
    CHECK(c[0] == 1 && c[1] == 2);
    ui_hist_counts(same, 3, 1, 5, 5, c);                   /* lo == hi: the 5s in bin 0 */
    CHECK(c[0] == 2);
}

static void explore_sort_and_search(void) {               /* explore-u4.1 */
    /* x descending: 10 (row 4), 4 (row 5), 3 (row 0), 2 (row 3), 1 (row 1), NA (row 2) last */
    static const int64_t want[6] = {4, 5, 0, 3, 1, 2};
    fr_Frame *f = sample();
    ui_Table t;
    mn_Err e = {0};
    int64_t line;
    int col, wrapped;
    CHECK_OK(ui_table_init(&t, f, &e), &e);
    CHECK(t.n == 6 && t.ncols == 4 && t.sort_col == -1);
    t.cur = 3;
    CHECK_OK(ui_table_sort(&t, 0, 1, &e), &e);
    CHECK(memcmp(t.perm, want, sizeof want) == 0);
    CHECK(t.cur == 0 && t.sort_col == 0 && t.sort_desc == 1);
    CHECK(ui_table_line_of(&t, 0) == 2 && ui_table_line_of(&t, 2) == 5);
    /* "foo" in s (column 3), from line 0, in view order: line 2 (row 0, "Foo") */
    CHECK(ui_table_search(&t, "foo", 3, 0, 0, 1, &line, &col, &wrapped) == 1);
    CHECK(line == 2 && col == 3 && wrapped == 0);
    /* from line 2 onwards: Baz, bar, NA, then wraps to line 0 ("foo bar") */
    CHECK(ui_table_search(&t, "FOO", 3, 2, 3, 1, &line, &col, &wrapped) == 1);
    CHECK(line == 0 && wrapped == 1);
    /* backwards from line 0 wraps to the bottom: NA, bar, Baz, then line 2 */
    CHECK(ui_table_search(&t, "foo", 3, 0, 3, -1, &line, &col, &wrapped) == 1);
    CHECK(line == 2 && wrapped == 1);
    /* categories (through the per-level memo): "A" in k from line 0 -> line 1 (row 5, "a") */
    CHECK(ui_table_search(&t, "A", 1, 0, 1, 1, &line, &col, &wrapped) == 1);
    CHECK(line == 1 && col == 1);
    /* missing cells read "NA": line 5 (row 2) */
    CHECK(ui_table_search(&t, "na", 1, 0, 1, 1, &line, &col, &wrapped) == 1);
    CHECK(line == 5);
    /* every column, row by row from (0, 0): line 0 is row 4: k "c", d "2024-01-10", s "foo bar"
    ** -> the 'a' of "bar" in column 3 */
    CHECK(ui_table_search(&t, "a", -1, 0, 0, 1, &line, &col, &wrapped) == 1);
    CHECK(line == 0 && col == 3 && wrapped == 0);
    CHECK(ui_table_search(&t, "zzz", -1, 0, 0, 1, &line, &col, &wrapped) == 0);
    CHECK(ui_table_search(&t, "", 3, 0, 0, 1, &line, &col, &wrapped) == 0);
    /* back to frame order: the cursor stays on its frame row (line 1 showed row 5) */
    t.cur = 1;
    CHECK_OK(ui_table_sort(&t, -1, 0, &e), &e);
    CHECK(t.cur == 5 && t.sort_col == -1 && t.perm[5] == 5);
    /* widths: "x" holds "10" and "NA" but the type and arrow need 5; s holds "foo bar" (7) */
    CHECK(t.width[0] == 5 && t.width[3] == 7);
    ui_table_free(&t);
    fr_free(f);
}

/* A sort that fails (here: interrupted) leaves the view as it was, not in frame order. */
static void explore_failed_sort_keeps_view(void) {         /* explore-u4.2 */
    /* 40 rows (more than one merge run of 16, so the sort polls the interrupt flag):
    ** x = (7 * i) % 40, y = -i. Sorted by x up, line k shows the row with x = k: i = 23k mod 40
    ** (7 * 23 = 161 = 4 * 40 + 1), so line 0 row 0, line 1 row 23, line 2 row 6. */
    double x[40], y[40];
    fr_Frame *f = newframe();
    ui_Table t;
    mn_Err e = {0};
    int64_t before[40];
    for (int i = 0; i < 40; i++) {
        x[i] = (double)(7 * i % 40);
        y[i] = -i;
    }
    put(f, "x", f64col(x, 40));
    put(f, "y", f64col(y, 40));
    CHECK_OK(ui_table_init(&t, f, &e), &e);
    CHECK_OK(ui_table_sort(&t, 0, 0, &e), &e);
    CHECK(t.perm[0] == 0 && t.perm[1] == 23 && t.perm[2] == 6);
    t.cur = 2;
    memcpy(before, t.perm, sizeof before);
    mn_interrupt_set();
    CHECK_FAIL(ui_table_sort(&t, 1, 1, &e), MN_EINTR, &e, "interrupted");
    mn_interrupt_clear();
    CHECK(memcmp(t.perm, before, sizeof before) == 0);     /* still sorted by x */
    CHECK(t.sort_col == 0 && t.sort_desc == 0 && t.cur == 2);
    CHECK_OK(ui_table_sort(&t, 1, 1, &e), &e);              /* y down: row 0 (-0) first */
    CHECK(t.sort_col == 1 && t.perm[0] == 0 && t.perm[39] == 39 && t.cur == 0);
    ui_table_free(&t);
    fr_free(f);
}

/* ui_explore checks its options before the terminal, and its messages are the only copy (the
** Lua binding raises them under its own name). */
static void explore_opts_checked_first(void) {            /* explore-u5.1 */
    fr_Frame *f = sample();
    mn_Err e = {0};
    ui_ExploreOpts o = {0};
    CHECK(freopen("/dev/null", "r", stdin) != NULL);       /* no terminal, whatever ctest gives */
    o.sort = "nope";
    CHECK_FAIL(ui_explore(f, &o, &e), MN_EARG, &e, "explore: option 'sort': no column 'nope'");
    o.column = "zz";                                       /* both bad: sort is named first */
    CHECK_FAIL(ui_explore(f, &o, &e), MN_EARG, &e, "option 'sort': no column 'nope'");
    o.sort = "x";
    CHECK_FAIL(ui_explore(f, &o, &e), MN_EARG, &e, "explore: option 'column': no column 'zz'");
    o.column = "s";
    o.row = 99;                                            /* past the end: not an error */
    CHECK_FAIL(ui_explore(f, &o, &e), MN_EIO, &e, "needs a terminal on stdin and stdout");
    CHECK_FAIL(ui_explore(f, NULL, &e), MN_EIO, &e, "needs a terminal");
    CHECK(!ui_active());
    fr_free(f);
}

int main(void) {
    RUN(explore_cell_text);
    RUN(explore_stats_numeric);
    RUN(explore_stats_categories_dates);
    RUN(explore_hist_counts);
    RUN(explore_sort_and_search);
    RUN(explore_failed_sort_keeps_view);
    RUN(explore_opts_checked_first);
    return CHECK_DONE();
}
