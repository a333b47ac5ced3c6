/* test_data_sql.c -- SQLite I/O: a frame into a table and back with the same values and types,
** bound parameters, create/append/replace, error messages, a locked database, and allocation
** failures. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/mem.h"
#include "data/csv.h"
#include "data/frame.h"
#include "data/sql.h"

static char db[256];

static fr_Frame *sample(void) {
    const char *s = "id,name,day,ts,ok,x\n"
                    "1,apple,2024-01-02,2024-01-02T09:30:00,true,1.5\n"
                    "2,\"b,anana\",2024-01-03,2024-01-03T10:00:00.250,false,\n"
                    "3,apple,,2024-01-04T00:00:00,,-0.1\n";
    mn_Err e = {0};
    fr_Frame *f = NULL;
    CHECK_OK(fr_read_csv_str(s, strlen(s), NULL, &f, &e), &e);
    return f;
}

static void sql_round_trip(void) {                        /* sql-1.1 */
    mn_Err e = {0};
    fr_Frame *f = sample(), *g = NULL;
    if (f == NULL)
        return;
    unlink(db);
    CHECK_OK(fr_write_sql(f, db, "t", FR_SQL_CREATE, &e), &e);
    CHECK_OK(fr_read_sql(db, "SELECT * FROM t ORDER BY id", NULL, 0, &g, &e), &e);
    if (g != NULL) {
        CHECK(fr_nrows(g) == 3 && fr_ncols(g) == 6);
        for (int j = 0; j < 6 && j < fr_ncols(g); j++) {
            CHECK(strcmp(fr_name(g, j), fr_name(f, j)) == 0);
            CHECK(fr_col_type(fr_col(g, j)) == fr_col_type(fr_col(f, j)));
            for (int64_t i = 0; i < 3; i++) {
                char a[64], b[64];
                fr_col_format(fr_col(f, j), i, a, sizeof a);
                fr_col_format(fr_col(g, j), i, b, sizeof b);
                CHECK(strcmp(a, b) == 0);
            }
        }
        CHECK(fr_f64(g, "x")[2] == -0.1);
        CHECK(isnan(fr_f64(g, "x")[1]));
        CHECK(fr_col_time(fr_col(g, 3))[1] % 1000000000 == 250000000);
    }
    fr_free(g);
    fr_free(f);
}

static void sql_params(void) {                            /* sql-1.2 */
    mn_Err e = {0};
    fr_Frame *g = NULL;
    fr_SqlParam pos[] = {{NULL, FR_SQL_TEXT, 0, 0, "apple", 5}, {NULL, FR_SQL_INT, 2, 0, NULL, 0}};
    fr_SqlParam named[] = {{"lo", FR_SQL_REAL, 0, 0.0, NULL, 0}};
    CHECK_OK(fr_read_sql(db, "SELECT id FROM t WHERE name = ? AND id >= ?", pos, 2, &g, &e), &e);
    if (g != NULL) {
        CHECK(fr_nrows(g) == 1 && fr_f64(g, "id")[0] == 3.0);
        fr_free(g);
        g = NULL;
    }
    CHECK_OK(fr_read_sql(db, "SELECT id, x * 2 AS x2 FROM t WHERE x > :lo", named, 1, &g, &e),
             &e);
    if (g != NULL) {
        CHECK(fr_nrows(g) == 1 && fr_f64(g, "x2")[0] == 3.0);
        fr_free(g);
        g = NULL;
    }
    CHECK_FAIL(fr_read_sql(db, "SELECT id FROM t WHERE id = :nope", named, 1, &g, &e), MN_EARG,
               &e, "no parameter ':lo'");
}

static void sql_modes_errors(void) {                      /* sql-1.3 */
    mn_Err e = {0};
    fr_Frame *f = sample(), *g = NULL;
    if (f == NULL)
        return;
    CHECK_FAIL(fr_write_sql(f, db, "t", FR_SQL_CREATE, &e), MN_EDB, &e,
               "table 't' already exists");
    CHECK_OK(fr_write_sql(f, db, "t", FR_SQL_APPEND, &e), &e);
    CHECK_OK(fr_read_sql(db, "SELECT count(*) AS n FROM t", NULL, 0, &g, &e), &e);
    if (g != NULL)
        CHECK(fr_f64(g, "n")[0] == 6.0);
    fr_free(g);
    CHECK_OK(fr_write_sql(f, db, "t", FR_SQL_REPLACE, &e), &e);
    CHECK_OK(fr_read_sql(db, "SELECT count(*) AS n FROM t", NULL, 0, &g, &e), &e);
    if (g != NULL)
        CHECK(fr_f64(g, "n")[0] == 3.0);
    fr_free(g);
    CHECK_FAIL(fr_read_sql(db, "SELEC oops", NULL, 0, &g, &e), MN_EDB, &e, "syntax error");
    CHECK(strstr(e.msg, db) == e.msg);
    CHECK_FAIL(fr_read_sql(db, "SELECT * FROM missing", NULL, 0, &g, &e), MN_EDB, &e,
               "no such table: missing");
    CHECK_FAIL(fr_read_sql("/nonexistent/x.db", "SELECT 1", NULL, 0, &g, &e), MN_EIO, &e,
               "/nonexistent/x.db: no such database file");
    fr_free(f);
}

static void sql_locked(void) {                            /* sql-1.4 a writer holds the lock */
    mn_Err e = {0};
    fr_Frame *f = sample();
    sqlite3 *h = NULL;
    if (f == NULL)
        return;
    CHECK(sqlite3_open(db, &h) == SQLITE_OK);
    CHECK(sqlite3_exec(h, "BEGIN EXCLUSIVE", NULL, NULL, NULL) == SQLITE_OK);
    CHECK_FAIL(fr_write_sql(f, db, "u", FR_SQL_CREATE, &e), MN_EDB, &e, "database is locked");
    sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(h);
    fr_free(f);
}

static void sql_fault_injection(void) {                   /* sql-1.5 */
    fr_Frame *f = sample();
    int ok = 0;
    if (f == NULL)
        return;
    for (long n = 1; n < 300 && !ok; n++) {
        mn_Err e = {0};
        fr_Frame *g = NULL;
        int rc;
        mn_mem_fail_after(n);
        rc = fr_read_sql(db, "SELECT * FROM t", NULL, 0, &g, &e);
        mn_mem_fail_after(0);
        CHECK(rc == MN_OK || rc == MN_ENOMEM);
        ok = rc == MN_OK;
        fr_free(g);
    }
    CHECK(ok);
    fr_free(f);
}

int main(void) {
    const char *dir = getenv("MONETA_TEST_TMP") ? getenv("MONETA_TEST_TMP") : "/tmp";
    snprintf(db, sizeof db, "%s/moneta-sql-%d.db", dir, (int)getpid());
    RUN(sql_round_trip);
    RUN(sql_params);
    RUN(sql_modes_errors);
    RUN(sql_locked);
    RUN(sql_fault_injection);
    unlink(db);
    return CHECK_DONE();
}
