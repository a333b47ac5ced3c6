/* test_data_csv.c -- the CSV reader and writer: the awkward-file corpus in tests/data/csv,
** exact values worked out by hand, error messages with file:line and column, round trips of
** random frames bit for bit, chunk boundaries, allocation failures and Ctrl-C. */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/interrupt.h"
#include "core/mem.h"
#include "core/rng.h"
#include "data/csv.h"
#include "data/frame.h"

#define DIR "tests/data/csv/"
#define DAY(d) ((int64_t)(d) * FR_NS_PER_DAY)
#define SEC INT64_C(1000000000)

static fr_Frame *rd(const char *file, const fr_CsvOpts *o) {
    mn_Err e = {0};
    fr_Frame *f = NULL;
    CHECK_OK(fr_read_csv(file, o, &f, &e), &e);
    return f;
}

static fr_Frame *rds(const char *s, const fr_CsvOpts *o) {
    mn_Err e = {0};
    fr_Frame *f = NULL;
    CHECK_OK(fr_read_csv_str(s, strlen(s), o, &f, &e), &e);
    return f;
}

static fr_Column *col(const fr_Frame *f, const char *name) {
    int j = fr_find(f, name);
    if (j < 0) {
        fprintf(stderr, "no column '%s'\n", name);
        exit(2);
    }
    return fr_col(f, j);
}

static const char *txt(const fr_Frame *f, const char *name, int64_t i) {
    fr_Column *c = col(f, name);
    if (fr_col_type(c) == FR_CAT)
        return fr_cat_level(c, fr_col_codes(c)[i]);
    if (fr_col_type(c) == FR_TEXT)
        return fr_col_text(c)[i];
    return "<not a string column>";
}

#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
    if (a_ == NULL || strcmp(a_, b_) != 0) { check_failures++; \
    fprintf(stderr, "%s:%d: %s: %s = \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
            check_case, #a, a_ ? a_ : "(null)", b_); } } while (0)

/* ---- the corpus ---- */

static void csv_quoted(void) {                            /* csv-1.1 */
    fr_Frame *f = rd(DIR "quoted.csv", NULL);
    if (f == NULL)
        return;
    CHECK(fr_nrows(f) == 3 && fr_ncols(f) == 4);
    CHECK_STR(txt(f, "name", 0), "Smith, John");
    CHECK_STR(txt(f, "note", 0), "said \"hi\"");
    CHECK_STR(txt(f, "name", 1), "multi\nline");
    CHECK(fr_col_isna(col(f, "name"), 2));                /* unquoted empty: missing */
    CHECK_STR(txt(f, "note", 2), "");                     /* quoted empty: the empty string */
    CHECK(fr_f64(f, "price")[0] == 1.5);
    CHECK(fr_f64(f, "price")[1] == -2250.0);
    CHECK(fr_f64(f, "price")[2] == 7.0);
    CHECK(fr_f64(f, "id")[2] == 3.0);
    fr_free(f);
}

static char *slurp(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    char *s;
    long n;
    if (fp == NULL)
        return NULL;
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    s = malloc((size_t)n + 1);
    if (fread(s, 1, (size_t)n, fp) != (size_t)n)
        n = 0;
    s[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return s;
}

static void csv_chunks(void) {                            /* csv-1.2 every chunk boundary */
    static const char *const files[] = {"quoted.csv", "types.csv", "bom_chinese.csv",
                                        "late_text.csv", "na_markers.csv"};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        char path[256];
        size_t len;
        char *s, *ref = NULL, *got = NULL;
        size_t rlen, glen;
        fr_Frame *f0;
        mn_Err e = {0};
        snprintf(path, sizeof path, DIR "%s", files[k]);
        s = slurp(path, &len);
        CHECK(s != NULL);
        if (s == NULL)
            continue;
        f0 = rds(s, NULL);
        CHECK_OK(fr_write_csv_str(f0, NULL, &ref, &rlen, &e), &e);
        for (size_t chunk = 1; chunk <= 24; chunk++) {
            fr_CsvOpts o;
            fr_Frame *f;
            fr_csv_opts_init(&o);
            o.chunk = chunk;
            o.sep = ',';
            f = rds(s, &o);
            if (f == NULL)
                continue;
            CHECK_OK(fr_write_csv_str(f, NULL, &got, &glen, &e), &e);
            CHECK(glen == rlen && memcmp(got, ref, rlen) == 0);
            for (int j = 0; j < fr_ncols(f); j++)
                CHECK(fr_col_type(fr_col(f, j)) == fr_col_type(fr_col(f0, j)));
            mn_free(got);
            fr_free(f);
        }
        mn_free(ref);
        fr_free(f0);
        free(s);
    }
}

static void csv_bom_chinese(void) {                       /* csv-1.3 */
    fr_Frame *f = rd(DIR "bom_chinese.csv", NULL);
    if (f == NULL)
        return;
    CHECK_STR(fr_name(f, 0), "日期");
    CHECK_STR(fr_name(f, 1), "价格");
    CHECK(fr_col_type(fr_col(f, 0)) == FR_DATE);
    CHECK(fr_col_time(fr_col(f, 0))[1] == DAY(19725));
    CHECK(fr_f64(f, "价格")[1] == 11.0);
    CHECK_STR(txt(f, "名称", 0), "苹果");
    fr_free(f);
}

static void csv_sniff(void) {                             /* csv-1.4 tab, pipe, ';' */
    fr_Frame *f = rd(DIR "tab.tsv", NULL);
    fr_CsvOpts o;
    if (f != NULL) {
        CHECK(fr_ncols(f) == 3);
        CHECK_STR(txt(f, "b", 0), "x y");
        CHECK(fr_f64(f, "c")[1] == -4.0);
        fr_free(f);
    }
    if ((f = rd(DIR "pipe.txt", NULL)) != NULL) {
        CHECK(fr_ncols(f) == 2 && fr_f64(f, "b")[1] == 4.0);
        fr_free(f);
    }
    fr_csv_opts_init(&o);
    o.decimal = ',';
    o.thousands = '.';
    o.dates = 2;                                          /* dmy */
    if ((f = rd(DIR "semicolon_decimal_comma.csv", &o)) != NULL) {
        CHECK(fr_ncols(f) == 3);
        CHECK(fr_f64(f, "close")[0] == 1234.5);
        CHECK(fr_f64(f, "close")[1] == -0.75);
        CHECK(fr_f64(f, "volume")[0] == 1000.0);
        CHECK(fr_col_time(col(f, "date"))[0] == DAY(19724));
        fr_free(f);
    }
    fr_csv_opts_init(&o);                                 /* override: ',' gives one column */
    o.sep = '|';
    if ((f = rd(DIR "tab.tsv", &o)) != NULL) {
        CHECK(fr_ncols(f) == 1);
        fr_free(f);
    }
}

static void csv_header_names(void) {                      /* csv-1.5 none, dup, empty */
    fr_CsvOpts o;
    fr_CsvReport rep;
    fr_Frame *f;
    fr_csv_opts_init(&o);
    o.no_header = 1;
    if ((f = rd(DIR "noheader.csv", &o)) != NULL) {
        CHECK(fr_nrows(f) == 2);
        CHECK_STR(fr_name(f, 0), "V1");
        CHECK_STR(fr_name(f, 2), "V3");
        CHECK(fr_f64(f, "V2")[1] == 4.0);
        CHECK_STR(txt(f, "V3", 0), "x");
        fr_free(f);
    }
    fr_csv_opts_init(&o);
    memset(&rep, 0, sizeof rep);
    o.report = &rep;
    if ((f = rd(DIR "dup_header.csv", &o)) != NULL) {
        CHECK_STR(fr_name(f, 2), "a_2");
        CHECK_STR(fr_name(f, 3), "V4");
        CHECK_STR(fr_name(f, 4), "a_3");
        CHECK(fr_f64(f, "a_3")[0] == 5.0);
        CHECK(rep.nwarn == 3);
        CHECK(strstr(rep.warn[0], "column 4 has no name") != NULL);
        CHECK(strstr(rep.warn[1], "renamed 'a_2'") != NULL);
        fr_free(f);
    }
}

static void csv_na(void) {                                /* csv-1.6 */
    fr_Frame *f = rd(DIR "na_markers.csv", NULL);
    fr_CsvOpts o;
    const char *na[] = {"-"};
    if (f != NULL) {
        double *x = fr_f64(f, "x"), *y = fr_f64(f, "y");
        CHECK(fr_nrows(f) == 6);
        CHECK(x[0] == 1 && isnan(x[1]) && isnan(x[2]) && isnan(x[3]) && isnan(x[4]));
        CHECK(x[5] == 5 && y[5] == 6 && isnan(y[0]) && y[1] == 2 && isnan(y[4]));
        fr_free(f);
    }
    fr_csv_opts_init(&o);                                 /* only '-': NA becomes a string */
    o.na = na;
    o.nna = 1;
    if ((f = rds("a,b\nNA,1\n-,2\nx,\n", &o)) != NULL) {
        CHECK_STR(txt(f, "a", 0), "NA");
        CHECK(fr_col_isna(col(f, "a"), 1));
        CHECK(fr_col_type(col(f, "b")) == FR_CAT);       /* "" is a value now */
        fr_free(f);
    }
}

static void csv_types(void) {                             /* csv-1.7 */
    fr_Frame *f = rd(DIR "types.csv", NULL);
    if (f == NULL)
        return;
    CHECK(fr_f64(f, "int")[0] == 1 && fr_f64(f, "int")[1] == -2 && fr_f64(f, "int")[2] == 3);
    CHECK(fr_f64(f, "dec")[1] == -1.25 && fr_f64(f, "dec")[2] == 0.75);
    CHECK(fr_f64(f, "sci")[0] == 1000.0);
    CHECK(fr_f64(f, "sci")[1] == -0.025);
    CHECK(fr_f64(f, "sci")[2] == 6.02e23);
    CHECK(fr_col_type(col(f, "flag")) == FR_BOOL);
    CHECK(fr_col_bool(col(f, "flag"))[0] == 1 && fr_col_bool(col(f, "flag"))[1] == 0);
    CHECK(fr_col_type(col(f, "day")) == FR_DATE);
    CHECK(fr_col_time(col(f, "day"))[1] == DAY(19782));
    CHECK(fr_col_time(col(f, "day"))[2] == DAY(10956));
    CHECK(fr_col_type(col(f, "stamp")) == FR_DATETIME);
    CHECK(fr_col_time(col(f, "stamp"))[0] == DAY(19724) + (9 * 3600 + 30 * 60) * SEC);
    CHECK(fr_col_time(col(f, "stamp"))[1] == DAY(19724) + 16 * 3600 * SEC + 250000000);
    CHECK(fr_col_time(col(f, "stamp"))[2] == DAY(19725));
    CHECK(fr_col_type(col(f, "side")) == FR_CAT);
    CHECK(fr_cat_nlevels(col(f, "side")) == 2);
    fr_free(f);
}

static void csv_type_overrides(void) {                    /* csv-1.8 */
    const char *names[] = {"int", "flag", "side", "day"};
    const fr_Type types[] = {FR_TEXT, FR_CAT, FR_TEXT, FR_DATETIME};
    fr_CsvOpts o;
    fr_Frame *f;
    fr_csv_opts_init(&o);
    o.type_cols = names;
    o.types = types;
    o.ntypes = 4;
    if ((f = rd(DIR "types.csv", &o)) == NULL)
        return;
    CHECK(fr_col_type(col(f, "int")) == FR_TEXT);
    CHECK_STR(txt(f, "int", 2), "+3");
    CHECK(fr_col_type(col(f, "flag")) == FR_CAT);
    CHECK_STR(txt(f, "flag", 2), "TRUE");
    CHECK(fr_col_type(col(f, "side")) == FR_TEXT);
    CHECK(fr_col_type(col(f, "day")) == FR_DATETIME);
    CHECK(fr_col_time(col(f, "day"))[0] == DAY(19724));
    fr_free(f);
}

static void csv_dates(void) {                             /* csv-1.9 d/m/Y and m/d/Y */
    fr_CsvOpts o;
    fr_CsvReport rep;
    fr_Frame *f;
    if ((f = rd(DIR "dmy.csv", NULL)) != NULL) {
        CHECK(fr_col_type(col(f, "d")) == FR_DATE);
        CHECK(fr_col_time(col(f, "d"))[0] == DAY(20088));
        CHECK(fr_col_time(col(f, "d"))[1] == DAY(19754));     /* 1 February */
        fr_free(f);
    }
    if ((f = rd(DIR "mdy.csv", NULL)) != NULL) {
        CHECK(fr_col_time(col(f, "d"))[1] == DAY(19724));     /* 2 January */
        fr_free(f);
    }
    fr_csv_opts_init(&o);
    memset(&rep, 0, sizeof rep);
    o.report = &rep;
    if ((f = rd(DIR "ambiguous_dates.csv", &o)) != NULL) {
        CHECK(fr_col_type(col(f, "d")) == FR_CAT);
        CHECK(rep.nwarn == 1 && strstr(rep.warn[0], "dmy") != NULL);
        fr_free(f);
    }
    o.dates = 3;                                          /* mdy */
    if ((f = rd(DIR "ambiguous_dates.csv", &o)) != NULL) {
        CHECK(fr_col_time(col(f, "d"))[0] == DAY(19724));
        fr_free(f);
    }
}

static void csv_thousands(void) {                         /* csv-1.10 */
    fr_CsvOpts o;
    fr_Frame *f;
    fr_csv_opts_init(&o);
    o.thousands = ',';
    if ((f = rd(DIR "thousands.csv", &o)) != NULL) {
        CHECK(fr_f64(f, "amount")[0] == 1234.5);
        CHECK(fr_f64(f, "amount")[1] == -10000.0);
        fr_free(f);
    }
    if ((f = rds("x\n\"1,23\"\n", &o)) != NULL) {        /* not groups of three: a string */
        CHECK(fr_col_type(fr_col(f, 0)) == FR_CAT);
        fr_free(f);
    }
}

static void csv_skip_nrows_columns(void) {                /* csv-1.11 */
    fr_CsvOpts o;
    const char *cols[] = {"price", "id"};
    fr_Frame *f;
    fr_csv_opts_init(&o);
    o.skip = 2;
    if ((f = rd(DIR "skip_meta.csv", &o)) != NULL) {
        CHECK(fr_nrows(f) == 1 && fr_f64(f, "y")[0] == 2.0);
        fr_free(f);
    }
    fr_csv_opts_init(&o);
    o.nrows = 2;
    o.columns = cols;
    o.ncolumns = 2;
    if ((f = rd(DIR "quoted.csv", &o)) != NULL) {
        CHECK(fr_nrows(f) == 2 && fr_ncols(f) == 2);
        CHECK_STR(fr_name(f, 0), "price");
        CHECK(fr_f64(f, "price")[1] == -2250.0 && fr_f64(f, "id")[1] == 2.0);
        fr_free(f);
    }
    o.nrows = 0;
    if ((f = rd(DIR "quoted.csv", &o)) != NULL) {
        CHECK(fr_nrows(f) == 0 && fr_ncols(f) == 2);
        fr_free(f);
    }
}

static void csv_gzip_late_text(void) {                    /* csv-1.12 */
    fr_Frame *f = rd(DIR "small_gz.bin", NULL);
    if (f != NULL) {
        CHECK(fr_nrows(f) == 3);
        CHECK_STR(txt(f, "v", 2), "A");
        CHECK(fr_f64(f, "n")[2] == 3.0);
        fr_free(f);
    }
    if ((f = rd(DIR "late_text.csv", NULL)) != NULL) {    /* "001" survives the 2nd pass */
        CHECK(fr_col_type(col(f, "code")) == FR_CAT);
        CHECK_STR(txt(f, "code", 0), "001");
        CHECK_STR(txt(f, "code", 2), "A03");
        CHECK(fr_f64(f, "v")[2] == 3.0);
        fr_free(f);
    }
}

static void csv_empty(void) {                             /* csv-1.13 */
    fr_Frame *f = rd(DIR "empty.csv", NULL);
    if (f != NULL) {
        CHECK(fr_nrows(f) == 0 && fr_ncols(f) == 0);
        fr_free(f);
    }
    if ((f = rd(DIR "header_only.csv", NULL)) != NULL) {
        CHECK(fr_nrows(f) == 0 && fr_ncols(f) == 3);
        CHECK_STR(fr_name(f, 2), "c");
        fr_free(f);
    }
    if ((f = rds("\n\n\r\n", NULL)) != NULL) {
        CHECK(fr_ncols(f) == 0);
        fr_free(f);
    }
    if ((f = rds("a,b\n1,2", NULL)) != NULL) {           /* no final newline */
        CHECK(fr_nrows(f) == 1 && fr_f64(f, "b")[0] == 2.0);
        fr_free(f);
    }
}

/* ---- errors ---- */

static void csv_errors(void) {                            /* csv-2.1 file:line: column */
    mn_Err e = {0};
    fr_Frame *f = NULL;
    const char *names[] = {"close"};
    const fr_Type types[] = {FR_F64};
    fr_CsvOpts o;
    CHECK_FAIL(fr_read_csv(DIR "bad_fields.csv", NULL, &f, &e), MN_EPARSE, &e,
               "bad_fields.csv:3: expected 3 fields, found 4");
    CHECK_FAIL(fr_read_csv(DIR "bad_quote.csv", NULL, &f, &e), MN_EPARSE, &e,
               "bad_quote.csv:2: unterminated quoted field");
    CHECK_FAIL(fr_read_csv(DIR "bad_utf8.csv", NULL, &f, &e), MN_EPARSE, &e,
               "bad_utf8.csv:3: column 2 'b': invalid UTF-8");
    CHECK_FAIL(fr_read_csv(DIR "after_quote.csv", NULL, &f, &e), MN_EPARSE, &e,
               "after_quote.csv:2: column 2: unexpected 'j' after a closing quote");
    fr_csv_opts_init(&o);
    o.type_cols = names;
    o.types = types;
    o.ntypes = 1;
    CHECK_FAIL(fr_read_csv(DIR "bad_value.csv", &o, &f, &e), MN_EPARSE, &e,
               "bad_value.csv:3: column 3 'close': 'n/a' is not a number");
    CHECK_FAIL(fr_read_csv(DIR "nope.csv", NULL, &f, &e), MN_EIO, &e, "nope.csv: No such file");
    CHECK_FAIL(fr_read_csv_str("a,b\n1,\"x\ny\"\n2,3,4\n", 19, NULL, &f, &e), MN_EPARSE, &e,
               "<string>:4: expected 2 fields, found 3");   /* lines count quoted newlines */
    o.type_cols = (const char *[]){"zz"};
    CHECK_FAIL(fr_read_csv(DIR "bad_value.csv", &o, &f, &e), MN_EARG, &e,
               "types: no column 'zz' (columns: date, open, close)");
    fr_csv_opts_init(&o);
    o.columns = (const char *[]){"open", "nope"};
    o.ncolumns = 2;
    CHECK_FAIL(fr_read_csv(DIR "bad_value.csv", &o, &f, &e), MN_EARG, &e, "no column 'nope'");
    fr_csv_opts_init(&o);                                 /* a typed date that is not one */
    o.type_cols = (const char *[]){"d"};
    o.types = (const fr_Type[]){FR_DATE};
    o.ntypes = 1;
    CHECK_FAIL(fr_read_csv_str("d\n2024-01-02\n2024-13-01\n", 24, &o, &f, &e), MN_EPARSE, &e,
               "<string>:3: column 1 'd': '2024-13-01' is not a date");
    CHECK(f == NULL);
}

static void csv_on_bad_skip(void) {                       /* csv-2.2 */
    fr_CsvOpts o;
    fr_CsvReport rep;
    fr_Frame *f;
    const char *names[] = {"close"};
    const fr_Type types[] = {FR_F64};
    fr_csv_opts_init(&o);
    memset(&rep, 0, sizeof rep);
    o.on_bad = FR_CSV_BAD_SKIP;
    o.report = &rep;
    if ((f = rd(DIR "bad_fields.csv", &o)) != NULL) {
        CHECK(fr_nrows(f) == 3);
        CHECK(fr_f64(f, "a")[1] == 8.0 && fr_f64(f, "c")[2] == 15.0);
        CHECK(rep.nskipped == 2);
        CHECK(strstr(rep.skipped[0], "bad_fields.csv:3:") != NULL);
        CHECK(strstr(rep.skipped[1], "bad_fields.csv:5: expected 3 fields, found 2") != NULL);
        fr_free(f);
    }
    memset(&rep, 0, sizeof rep);
    o.type_cols = names;
    o.types = types;
    o.ntypes = 1;
    if ((f = rd(DIR "bad_value.csv", &o)) != NULL) {
        CHECK(fr_nrows(f) == 2 && fr_f64(f, "close")[1] == 1.9 && rep.nskipped == 1);
        fr_free(f);
    }
    memset(&rep, 0, sizeof rep);
    o.ntypes = 0;
    if ((f = rd(DIR "bad_utf8.csv", &o)) != NULL) {
        CHECK(fr_nrows(f) == 2 && rep.nskipped == 1);
        CHECK_STR(txt(f, "b", 1), "fine");
        fr_free(f);
    }
    memset(&rep, 0, sizeof rep);                          /* skipped in pass 1 and pass 2 */
    if ((f = rds("k,v\n1,1\n2,2,2\nx,3\n", &o)) != NULL) {
        CHECK(fr_nrows(f) == 2 && rep.nskipped == 1);
        CHECK_STR(txt(f, "k", 0), "1");
        CHECK_STR(txt(f, "k", 1), "x");
        CHECK(fr_f64(f, "v")[1] == 3.0);
        fr_free(f);
    }
}

/* ---- numbers ---- */

static void csv_numbers_exact(void) {                     /* csv-3.1 fast path == strtod */
    mn_Rng rng_, *rng = &rng_;
    char *s = malloc(1 << 20), *p = s;
    const int n = 20000;
    char (*lits)[48] = malloc((size_t)n * sizeof *lits);
    fr_Frame *f;
    mn_rng_seed(rng, 42);
    p += sprintf(p, "x\n");
    for (int i = 0; i < n; i++) {
        int nd = 1 + (int)(mn_rng_u64(rng) % 19), dot = (int)(mn_rng_u64(rng) % (nd + 1));
        int k = 0;
        if (mn_rng_u64(rng) & 1)
            lits[i][k++] = '-';
        for (int d = 0; d < nd; d++) {
            if (d == dot && d > 0)
                lits[i][k++] = '.';
            lits[i][k++] = (char)('0' + mn_rng_u64(rng) % 10);
        }
        if (mn_rng_u64(rng) % 4 == 0)
            k += sprintf(lits[i] + k, "e%d", (int)(mn_rng_u64(rng) % 61) - 30);
        lits[i][k] = '\0';
        p += sprintf(p, "%s\n", lits[i]);
    }
    f = rds(s, NULL);
    if (f != NULL) {
        double *x = fr_f64(f, "x");
        int bad = 0;
        for (int i = 0; i < n && x != NULL; i++) {
            double want = strtod(lits[i], NULL);
            if (memcmp(&x[i], &want, sizeof want) != 0 && bad++ < 5)
                fprintf(stderr, "  '%s' -> %.17g, strtod %.17g\n", lits[i], x[i], want);
        }
        CHECK(x != NULL && bad == 0);
        fr_free(f);
    }
    free(lits);
    free(s);
}

/* ---- round trips ---- */

static fr_Column *random_col(mn_Rng *rng, fr_Type t, int64_t n) {
    static const char *const pieces[] = {"a", "b,c", "\"q\"", "line\nbreak", "€", "日本",
                                         " sp", "x\r\ny", "NA", "", "-", "12", ";", "é"};
    fr_Column *c = NULL;
    mn_Err e = {0};
    CHECK_OK(fr_col_new(t, n, &c, &e), &e);
    for (int64_t i = 0; i < n; i++) {
        uint64_t u = mn_rng_u64(rng);
        if (u % 7 == 0)
            continue;                                     /* missing */
        switch (t) {
        case FR_F64: {
            double v;
            uint64_t bits = mn_rng_u64(rng);
            switch (u % 6) {
            case 0: memcpy(&v, &bits, 8); break;          /* any bits (incl. subnormal) */
            case 1: v = (double)(bits % 2000000) / 1000.0 - 1000.0; break;
            case 2: v = -0.0; break;
            case 3: bits &= UINT64_C(0x800FFFFFFFFFFFFF); memcpy(&v, &bits, 8); break;
            case 4: v = ldexp((double)(bits >> 11), (int)(u % 2000) - 1000); break;
            default: v = (u & 8) ? HUGE_VAL : -HUGE_VAL;
            }
            if (isnan(v))
                v = 1.0;
            fr_col_f64(c)[i] = v;
            break;
        }
        case FR_TEXT: case FR_CAT: {
            char buf[128];
            int k = 0, np = 1 + (int)(u % 4);
            buf[0] = '\0';
            for (int q = 0; q < np; q++)
                k += snprintf(buf + k, sizeof buf - (size_t)k, "%s",
                              pieces[mn_rng_u64(rng) % (sizeof pieces / sizeof pieces[0])]);
            if (t == FR_TEXT) {
                fr_col_text(c)[i] = mn_strdup(buf);
            } else {
                int32_t code;
                CHECK_OK(fr_cat_intern(c, buf, strlen(buf), &code, &e), &e);
                fr_col_codes(c)[i] = code;
            }
            break;
        }
        case FR_BOOL: fr_col_bool(c)[i] = (int8_t)((u >> 8) & 1); break;
        case FR_DATE: fr_col_time(c)[i] = DAY((int64_t)(u % 100000) - 40000); break;
        case FR_DATETIME:
            fr_col_time(c)[i] = ((int64_t)(u % 4000000000000) - 1000000000000) * 1000 +
                                ((u & 1) ? (int64_t)(mn_rng_u64(rng) % 1000000) * 1000 : 0);
            break;
        }
    }
    return c;
}

static int same_col(const fr_Column *a, const fr_Column *b) {
    int64_t n = fr_col_len(a);
    if (fr_col_type(a) != fr_col_type(b) || fr_col_len(b) != n)
        return 0;
    for (int64_t i = 0; i < n; i++) {
        char x[600], y[600];
        if (fr_col_isna(a, i) != fr_col_isna(b, i))
            return 0;
        if (fr_col_isna(a, i))
            continue;
        if (fr_col_type(a) == FR_F64) {
            if (memcmp(&fr_col_f64((fr_Column *)a)[i], &fr_col_f64((fr_Column *)b)[i], 8) != 0)
                return 0;
            continue;
        }
        if (fr_col_type(a) == FR_DATE || fr_col_type(a) == FR_DATETIME) {
            if (fr_col_time((fr_Column *)a)[i] != fr_col_time((fr_Column *)b)[i])
                return 0;
            continue;
        }
        fr_col_format(a, i, x, sizeof x);
        fr_col_format(b, i, y, sizeof y);
        if (strcmp(x, y) != 0)
            return 0;
    }
    return 1;
}

static void csv_round_trip(void) {                        /* csv-4.1 write, read: same bits */
    static const fr_Type kinds[] = {FR_F64, FR_TEXT, FR_CAT, FR_BOOL, FR_DATE, FR_DATETIME,
                                    FR_F64};
    static const char *const names[] = {"x", "t,ext", "c\"at", "b", "日付", "ts", "y"};
    mn_Rng rng_, *rng = &rng_;
    mn_Err e = {0};
    char path[256];
    const char *dir = getenv("MONETA_TEST_TMP") ? getenv("MONETA_TEST_TMP") : "/tmp";
    mn_rng_seed(rng, 7);
    for (int trial = 0; trial < 30; trial++) {
        int64_t n = (int64_t)(mn_rng_u64(rng) % 300);
        fr_Frame *f = NULL, *g = NULL;
        fr_CsvOpts o;
        char *s = NULL;
        size_t len;
        CHECK_OK(fr_new(n, &f, &e), &e);
        for (int j = 0; j < 7; j++) {
            fr_Column *c = random_col(rng, kinds[j], n);
            CHECK_OK(fr_add(f, names[j], c, &e), &e);
            fr_col_unref(c);
        }
        fr_csv_opts_init(&o);
        o.type_cols = names;
        o.types = kinds;
        o.ntypes = 7;
        o.sep = ',';
        if (trial % 3 == 0) {                              /* through a file, gzip or not */
            snprintf(path, sizeof path, "%s/moneta-rt-%d.csv%s", dir, (int)getpid(),
                     trial % 2 ? ".gz" : "");
            CHECK_OK(fr_write_csv(f, path, NULL, &e), &e);
            CHECK_OK(fr_read_csv(path, &o, &g, &e), &e);
            unlink(path);
        } else {
            CHECK_OK(fr_write_csv_str(f, NULL, &s, &len, &e), &e);
            o.chunk = trial % 2 ? 7 : 0;
            CHECK_OK(fr_read_csv_str(s, len, &o, &g, &e), &e);
        }
        if (g != NULL) {
            CHECK(fr_nrows(g) == n && fr_ncols(g) == 7);
            for (int j = 0; j < 7 && j < fr_ncols(g); j++) {
                int ok = same_col(fr_col(f, j), fr_col(g, j));
                CHECK(ok);
                if (!ok)
                    fprintf(stderr, "  trial %d column %s differs\n", trial, names[j]);
            }
        }
        mn_free(s);
        fr_free(g);
        fr_free(f);
    }
}

static void csv_write_atomic(void) {                      /* csv-4.2 */
    mn_Err e = {0};
    fr_Frame *f = rds("a,b\n1,x\n", NULL);
    char *s = NULL;
    size_t len;
    if (f == NULL)
        return;
    CHECK_FAIL(fr_write_csv(f, "/nonexistent-dir/out.csv", NULL, &e), MN_EIO, &e,
               "/nonexistent-dir/out.csv");
    CHECK_OK(fr_write_csv_str(f, NULL, &s, &len, &e), &e);
    CHECK_STR(s, "a,b\n1,x\n");
    mn_free(s);
    fr_free(f);
    if ((f = rds("v\n0.1\n1e300\n-0\n5e-324\n123456789012345678\n", NULL)) != NULL) {
        CHECK_OK(fr_write_csv_str(f, NULL, &s, &len, &e), &e);
        CHECK_STR(s, "v\n0.1\n1e+300\n-0\n5e-324\n1.2345678901234568e+17\n");
        mn_free(s);
        fr_free(f);
    }
}

static void csv_two_threads(void) {                       /* csv-3.2 same rows, 1 or 2 threads */
    mn_Rng rng_, *rng = &rng_;
    size_t cap = 8 << 20, len = 0;
    char *s = malloc(cap);
    mn_rng_seed(rng, 3);
    for (int variant = 0; variant < 4; variant++) {
        fr_CsvOpts o1, o2;
        fr_Frame *f1, *f2;
        len = (size_t)sprintf(s, "a,b,c\n");
        for (int i = 0; i < 250000; i++) {
            if (variant == 1 && i == 40000)
                len += (size_t)sprintf(s + len, "\n");                /* blank line, 1st half */
            if (variant == 2 && i == 200000)
                len += (size_t)sprintf(s + len, "1,x,2\n");           /* text, 2nd half */
            if (variant == 3 && i == 1000)
                len += (size_t)sprintf(s + len, "1,\"2\",3\n");       /* a quote */
            len += (size_t)sprintf(s + len, "%.6f,%d,%.3e\n", mn_rng_normal(rng) * 10,
                                   (int)(mn_rng_u64(rng) % 1000) - 500, mn_rng_normal(rng));
        }
        fr_csv_opts_init(&o1);
        fr_csv_opts_init(&o2);
        o1.threads = 1;
        f1 = rds(s, &o1);
        f2 = rds(s, &o2);
        if (f1 != NULL && f2 != NULL) {
            CHECK(fr_nrows(f1) == fr_nrows(f2) && fr_nrows(f1) >= 250000);
            for (int j = 0; j < 3; j++)
                CHECK(same_col(fr_col(f1, j), fr_col(f2, j)));
        }
        fr_free(f1);
        fr_free(f2);
    }
    free(s);
}

/* ---- failures ---- */

static void csv_fault_injection(void) {                   /* csv-5.1 every allocation fails */
    static const char *const files[] = {DIR "quoted.csv", DIR "late_text.csv", DIR "types.csv",
                                        DIR "dup_header.csv"};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        int ok = 0;
        for (long n = 1; n < 400 && !ok; n++) {
            mn_Err e = {0};
            fr_Frame *f = NULL;
            int rc;
            mn_mem_fail_after(n);
            rc = fr_read_csv(files[k], NULL, &f, &e);
            mn_mem_fail_after(0);
            CHECK(rc == MN_OK || rc == MN_ENOMEM);
            CHECK((rc == MN_OK) == (f != NULL));
            ok = rc == MN_OK;
            fr_free(f);
        }
        CHECK(ok);
    }
}

static void csv_interrupt(void) {                         /* csv-5.2 Ctrl-C */
    mn_Err e = {0};
    fr_Frame *f = NULL;
    mn_interrupt_set();
    CHECK_FAIL(fr_read_csv(DIR "quoted.csv", NULL, &f, &e), MN_EINTR, &e, "interrupted");
    mn_interrupt_clear();
    CHECK(f == NULL);
}

static void csv_type_names(void) {                        /* csv-6.1 type option names */
    fr_Type t = FR_BOOL;
    for (int i = 0; i <= FR_TEXT; i++) {                     /* the inverse of fr_type_name */
        CHECK(fr_type_parse(fr_type_name((fr_Type)i), &t) == 1 && t == (fr_Type)i);
    }
    CHECK(fr_type_parse("number", &t) == 1 && t == FR_F64);
    CHECK(fr_type_parse("str", &t) == 1 && t == FR_TEXT);
    t = FR_BOOL;
    CHECK(fr_type_parse("int", &t) == 0 && t == FR_BOOL);    /* untouched on failure */
    CHECK(fr_type_parse("F64", &t) == 0);
}

int main(void) {
    RUN(csv_quoted);
    RUN(csv_type_names);
    RUN(csv_chunks);
    RUN(csv_bom_chinese);
    RUN(csv_sniff);
    RUN(csv_header_names);
    RUN(csv_na);
    RUN(csv_types);
    RUN(csv_type_overrides);
    RUN(csv_dates);
    RUN(csv_thousands);
    RUN(csv_skip_nrows_columns);
    RUN(csv_gzip_late_text);
    RUN(csv_empty);
    RUN(csv_errors);
    RUN(csv_on_bad_skip);
    RUN(csv_numbers_exact);
    RUN(csv_round_trip);
    RUN(csv_write_atomic);
    RUN(csv_two_threads);
    RUN(csv_fault_injection);
    RUN(csv_interrupt);
    return CHECK_DONE();
}
