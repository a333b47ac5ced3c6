/* sql.c -- SQLite queries into frames and frames into tables. Each call opens the database,
** does its work (writes in one transaction) and closes it; no handle outlives a call. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sqlite3.h>

#include "core/interrupt.h"
#include "core/mem.h"
#include "data/io_int.h"
#include "data/sql.h"

#define BUSY_MS 3000

static int db_fail(mn_Err *e, sqlite3 *h, const char *db, int rc, const char *what) {
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return mn_fail(e, MN_EDB, "%s: database is locked (another connection is writing; "
                       "waited %d s)", db, BUSY_MS / 1000);
    return mn_fail(e, MN_EDB, "%s: %s%s%s", db, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc),
                   what ? " in: " : "", what ? what : "");
}

static int open_db(const char *db, int flags, sqlite3 **h, mn_Err *e) {
    int rc;
    if (!(flags & SQLITE_OPEN_CREATE) && access(db, F_OK) != 0)
        return mn_fail(e, MN_EIO, "%s: no such database file", db);
    rc = sqlite3_open_v2(db, h, flags, NULL);
    if (rc != SQLITE_OK) {
        int r2 = mn_fail(e, MN_EDB, "%s: cannot open: %s", db,
                         *h ? sqlite3_errmsg(*h) : sqlite3_errstr(rc));
        sqlite3_close(*h);
        *h = NULL;
        return r2;
    }
    sqlite3_busy_timeout(*h, BUSY_MS);
    return MN_OK;
}

/* ---- reading ---- */

typedef struct SCol {
    fr__Strs s;             /* text of every non-NULL value */
    double  *d;             /* numeric value (NaN: NULL or text) */
    int      has_text, has_num, bool_ok;
    char    *decl;
} SCol;

static int bind_params(sqlite3_stmt *st, const fr_SqlParam *p, int np, const char *db,
                       mn_Err *e) {
    int pos = 0;
    for (int k = 0; k < np; k++) {
        int idx, rc = SQLITE_OK;
        if (p[k].name == NULL) {
            idx = ++pos;
        } else {
            char nm[128];
            const char *pre = ":@$";
            idx = 0;
            for (int q = 0; q < 3 && idx == 0; q++) {
                snprintf(nm, sizeof nm, "%c%s", pre[q], p[k].name);
                idx = sqlite3_bind_parameter_index(st, nm);
            }
            if (idx == 0)
                return mn_fail(e, MN_EARG, "%s: the query has no parameter ':%s'", db,
                               p[k].name);
        }
        if (idx > sqlite3_bind_parameter_count(st))
            return mn_fail(e, MN_EARG, "%s: %d parameters given, the query has %d", db, pos,
                           sqlite3_bind_parameter_count(st));
        switch (p[k].type) {
        case FR_SQL_NULL: rc = sqlite3_bind_null(st, idx); break;
        case FR_SQL_INT: rc = sqlite3_bind_int64(st, idx, p[k].i); break;
        case FR_SQL_REAL: rc = sqlite3_bind_double(st, idx, p[k].d); break;
        default: rc = sqlite3_bind_text(st, idx, p[k].s, (int)p[k].n, SQLITE_TRANSIENT);
        }
        if (rc != SQLITE_OK)
            return mn_fail(e, MN_EDB, "%s: binding parameter %d: %s", db, idx,
                           sqlite3_errstr(rc));
    }
    return MN_OK;
}

static int has_word(const char *decl, const char *w) {
    size_t n = strlen(w);
    for (const char *p = decl; p && *p; p++)
        if (strncasecmp(p, w, n) == 0)
            return 1;
    return 0;
}

static int finish_col(SCol *c, int64_t n, fr_Column **out, mn_Err *e) {
    fr__Infer how = {FR_DATES_YMD, '.', 0, 1000, 0, 0};
    int64_t bad;
    char w[8];
    int is_time = c->decl && (has_word(c->decl, "DATE") || has_word(c->decl, "TIME"));
    int is_bool = c->decl && has_word(c->decl, "BOOL");
    int rc;
    if (!c->has_text && is_bool && c->bool_ok) {
        fr_Column *col;
        if ((rc = fr_col_new(FR_BOOL, n, &col, e)) != MN_OK)
            return rc;
        for (int64_t i = 0; i < n; i++)
            if (!isnan(c->d[i]))
                fr_col_bool(col)[i] = (int8_t)(c->d[i] != 0);
        *out = col;
        return MN_OK;
    }
    if (!c->has_text) {
        fr_Column *col;
        if ((rc = fr_col_new(FR_F64, n, &col, e)) != MN_OK)
            return rc;
        if (n > 0)
            memcpy(fr_col_f64(col), c->d, (size_t)n * sizeof(double));
        *out = col;
        return MN_OK;
    }
    how.no_dates = !is_time;       /* dates only where declared */
    return fr__strs_column(&c->s, n, &how, -1, out, &bad, w, sizeof w, e);
}

int fr_read_sql(const char *db, const char *sql, const fr_SqlParam *params, int nparams,
                fr_Frame **out, mn_Err *e) {
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    SCol *cols = NULL;
    fr_Frame *f = NULL;
    int ncol = 0, rc, src;
    int64_t n = 0, cap = 0;
    if ((rc = open_db(db, SQLITE_OPEN_READONLY, &h, e)) != MN_OK)
        return rc;
    src = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
    if (src != SQLITE_OK) {
        rc = db_fail(e, h, db, src, sql);
        goto done;
    }
    if (st == NULL) {
        rc = mn_fail(e, MN_EARG, "%s: empty SQL", db);
        goto done;
    }
    if ((rc = bind_params(st, params, nparams, db, e)) != MN_OK)
        goto done;
    ncol = sqlite3_column_count(st);
    if ((cols = mn_calloc((size_t)(ncol ? ncol : 1), sizeof *cols)) == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "%s: out of memory", db);
        goto done;
    }
    for (int j = 0; j < ncol; j++) {
        const char *d = sqlite3_column_decltype(st, j);
        cols[j].bool_ok = 1;
        if (d != NULL && (cols[j].decl = mn_strdup(d)) == NULL) {
            rc = mn_fail(e, MN_ENOMEM, "%s: out of memory", db);
            goto done;
        }
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if ((n & 4095) == 0 && mn_interrupted()) {
            rc = mn_fail(e, MN_EINTR, "%s: query interrupted after %" PRId64 " rows", db, n);
            goto done;
        }
        if (n == cap) {
            int64_t nc = cap ? 2 * cap : 256;
            for (int j = 0; j < ncol; j++) {
                double *d = mn_realloc(cols[j].d, (size_t)nc * sizeof *d);
                int64_t *o;
                if (d != NULL)
                    cols[j].d = d;
                o = d ? mn_realloc(cols[j].s.off, (size_t)nc * sizeof *o) : NULL;
                if (o == NULL) {
                    rc = mn_fail(e, MN_ENOMEM, "%s: out of memory at row %" PRId64, db, n);
                    goto done;
                }
                cols[j].s.off = o;
            }
            cap = nc;
        }
        for (int j = 0; j < ncol; j++) {
            SCol *c = &cols[j];
            int t = sqlite3_column_type(st, j);
            c->d[n] = NAN;
            c->s.off[n] = -1;
            if (t == SQLITE_NULL)
                continue;
            if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
                c->d[n] = sqlite3_column_double(st, j);
                c->has_num = 1;
                if (c->d[n] != 0 && c->d[n] != 1)
                    c->bool_ok = 0;
            } else {
                c->has_text = 1;
            }
            {
                const unsigned char *txt = sqlite3_column_text(st, j);
                int len = sqlite3_column_bytes(st, j);
                if (txt == NULL) {
                    rc = mn_fail(e, MN_ENOMEM, "%s: out of memory", db);
                    goto done;
                }
                if ((rc = fr__strs_push(&c->s, (const char *)txt, (size_t)len, &c->s.off[n],
                                        e)) != MN_OK)
                    goto done;
            }
        }
        n++;
    }
    if (src != SQLITE_DONE) {
        rc = db_fail(e, h, db, src, NULL);
        goto done;
    }
    if ((rc = fr_new(n, &f, e)) != MN_OK)
        goto done;
    for (int j = 0; j < ncol; j++) {
        fr_Column *col = NULL;
        const char *nm = sqlite3_column_name(st, j);
        char buf[64];
        if (nm == NULL || nm[0] == '\0') {
            snprintf(buf, sizeof buf, "V%d", j + 1);
            nm = buf;
        }
        if (fr_find(f, nm) >= 0) {
            for (int sfx = 2;; sfx++) {
                snprintf(buf, sizeof buf, "%.50s_%d", nm, sfx);
                if (fr_find(f, buf) < 0)
                    break;
            }
            nm = buf;
        }
        if ((rc = finish_col(&cols[j], n, &col, e)) != MN_OK)
            goto done;
        rc = fr_add(f, nm, col, e);
        fr_col_unref(col);
        if (rc != MN_OK)
            goto done;
    }
    *out = f;
    f = NULL;
    rc = MN_OK;
done:
    if (cols != NULL)
        for (int j = 0; j < ncol; j++) {
            fr__strs_free(&cols[j].s);
            mn_free(cols[j].d);
            mn_free(cols[j].decl);
        }
    mn_free(cols);
    fr_free(f);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return rc;
}

/* ---- writing ---- */

/* "name" with inner quotes doubled, into buf (size >= 2 * strlen + 3). */
static void quote_ident(const char *s, char *buf) {
    *buf++ = '"';
    for (; *s; s++) {
        if (*s == '"')
            *buf++ = '"';
        *buf++ = *s;
    }
    *buf++ = '"';
    *buf = '\0';
}

static const char *decl_of(fr_Type t) {
    switch (t) {
    case FR_F64: return "REAL";
    case FR_DATE: return "DATE";
    case FR_DATETIME: return "TIMESTAMP";
    case FR_BOOL: return "BOOLEAN";
    default: return "TEXT";
    }
}

/* Append to a growing SQL string. */
static int sql_add(char **s, size_t *n, size_t *cap, const char *t, mn_Err *e) {
    size_t k = strlen(t);
    if (*n + k + 1 > *cap) {
        size_t nc = *cap ? *cap : 256;
        char *b;
        while (nc < *n + k + 1)
            nc *= 2;
        if ((b = mn_realloc(*s, nc)) == NULL)
            return mn_fail(e, MN_ENOMEM, "out of memory");
        *s = b;
        *cap = nc;
    }
    memcpy(*s + *n, t, k + 1);
    *n += k;
    return MN_OK;
}

int fr_write_sql(const fr_Frame *f, const char *db, const char *table, int mode, mn_Err *e) {
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    char *create = NULL, *insert = NULL, *qt = NULL, *qc = NULL;
    size_t cn = 0, ccap = 0, in = 0, icap = 0;
    int rc, src, nc = fr_ncols(f), began = 0;
    int64_t nr = fr_nrows(f);
    char buf[64];
    if (nc == 0)
        return mn_fail(e, MN_EARG, "%s: to_sql: the frame has no columns", db);
    if ((rc = open_db(db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &h, e)) != MN_OK)
        return rc;
    if ((qt = mn_malloc(2 * strlen(table) + 3)) == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "out of memory");
        goto done;
    }
    quote_ident(table, qt);
    if ((src = sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK) {
        rc = db_fail(e, h, db, src, NULL);
        goto done;
    }
    began = 1;
    if (mode == FR_SQL_REPLACE) {
        char *drop = sqlite3_mprintf("DROP TABLE IF EXISTS %s", qt);
        src = drop ? sqlite3_exec(h, drop, NULL, NULL, NULL) : SQLITE_NOMEM;
        sqlite3_free(drop);
        if (src != SQLITE_OK) {
            rc = db_fail(e, h, db, src, NULL);
            goto done;
        }
    }
    if ((rc = sql_add(&create, &cn, &ccap, mode == FR_SQL_APPEND ?
                      "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ", e)) != MN_OK ||
        (rc = sql_add(&create, &cn, &ccap, qt, e)) != MN_OK ||
        (rc = sql_add(&create, &cn, &ccap, " (", e)) != MN_OK ||
        (rc = sql_add(&insert, &in, &icap, "INSERT INTO ", e)) != MN_OK ||
        (rc = sql_add(&insert, &in, &icap, qt, e)) != MN_OK ||
        (rc = sql_add(&insert, &in, &icap, " (", e)) != MN_OK)
        goto done;
    for (int j = 0; j < nc; j++) {
        mn_free(qc);
        if ((qc = mn_malloc(2 * strlen(fr_name(f, j)) + 3)) == NULL) {
            rc = mn_fail(e, MN_ENOMEM, "out of memory");
            goto done;
        }
        quote_ident(fr_name(f, j), qc);
        if ((rc = sql_add(&create, &cn, &ccap, j ? ", " : "", e)) != MN_OK ||
            (rc = sql_add(&create, &cn, &ccap, qc, e)) != MN_OK ||
            (rc = sql_add(&create, &cn, &ccap, " ", e)) != MN_OK ||
            (rc = sql_add(&create, &cn, &ccap, decl_of(fr_col_type(fr_col(f, j))), e)) != MN_OK ||
            (rc = sql_add(&insert, &in, &icap, j ? ", " : "", e)) != MN_OK ||
            (rc = sql_add(&insert, &in, &icap, qc, e)) != MN_OK)
            goto done;
    }
    if ((rc = sql_add(&create, &cn, &ccap, ")", e)) != MN_OK ||
        (rc = sql_add(&insert, &in, &icap, ") VALUES (", e)) != MN_OK)
        goto done;
    for (int j = 0; j < nc; j++)
        if ((rc = sql_add(&insert, &in, &icap, j ? ", ?" : "?", e)) != MN_OK)
            goto done;
    if ((rc = sql_add(&insert, &in, &icap, ")", e)) != MN_OK)
        goto done;
    if ((src = sqlite3_exec(h, create, NULL, NULL, NULL)) != SQLITE_OK) {
        if (mode == FR_SQL_CREATE && strstr(sqlite3_errmsg(h), "already exists"))
            rc = mn_fail(e, MN_EDB, "%s: table '%s' already exists (use mode = \"append\" or "
                         "\"replace\")", db, table);
        else
            rc = db_fail(e, h, db, src, create);
        goto done;
    }
    if ((src = sqlite3_prepare_v2(h, insert, -1, &st, NULL)) != SQLITE_OK) {
        rc = db_fail(e, h, db, src, insert);
        goto done;
    }
    for (int64_t i = 0; i < nr; i++) {
        if ((i & 4095) == 0 && mn_interrupted()) {
            rc = mn_fail(e, MN_EINTR, "%s: to_sql interrupted at row %" PRId64 " (nothing "
                         "written)", db, i + 1);
            goto done;
        }
        for (int j = 0; j < nc; j++) {
            fr_Column *c = fr_col(f, j);
            fr_Type t = fr_col_type(c);
            if (fr_col_isna(c, i))
                src = sqlite3_bind_null(st, j + 1);
            else if (t == FR_F64)
                src = sqlite3_bind_double(st, j + 1, fr_col_f64(c)[i]);
            else if (t == FR_BOOL)
                src = sqlite3_bind_int(st, j + 1, fr_col_bool(c)[i]);
            else if (t == FR_TEXT)
                src = sqlite3_bind_text(st, j + 1, fr_col_text(c)[i], -1, SQLITE_STATIC);
            else if (t == FR_CAT)
                src = sqlite3_bind_text(st, j + 1, fr_cat_level(c, fr_col_codes(c)[i]), -1,
                                        SQLITE_STATIC);
            else {
                fr_col_format(c, i, buf, sizeof buf);
                src = sqlite3_bind_text(st, j + 1, buf, -1, SQLITE_TRANSIENT);
            }
            if (src != SQLITE_OK) {
                rc = db_fail(e, h, db, src, NULL);
                goto done;
            }
        }
        if ((src = sqlite3_step(st)) != SQLITE_DONE) {
            rc = db_fail(e, h, db, src, NULL);
            goto done;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    if ((src = sqlite3_exec(h, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
        rc = db_fail(e, h, db, src, NULL);
        goto done;
    }
    began = 0;
    rc = MN_OK;
done:
    sqlite3_finalize(st);
    if (began)
        sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(h);
    mn_free(create);
    mn_free(insert);
    mn_free(qt);
    mn_free(qc);
    return rc;
}
