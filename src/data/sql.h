/* sql.h -- SQLite I/O for frames: run a query into a typed frame, write a frame into a table
** in one transaction. SQLite is used only here in data/ (and later in track/). */
#ifndef MN_DATA_SQL_H
#define MN_DATA_SQL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "data/frame.h"

enum { FR_SQL_NULL = 0, FR_SQL_INT, FR_SQL_REAL, FR_SQL_TEXT };

/* One bound parameter: positional when 'name' is NULL (the k-th positional one binds ?k), else
** named (":name", "@name" or "$name" in the SQL). Text is copied by SQLite. */
typedef struct fr_SqlParam {
    const char *name;
    int         type;       /* FR_SQL_* */
    int64_t     i;
    double      d;
    const char *s;
    size_t      n;
} fr_SqlParam;

/* Run one statement on the database file 'db' (opened read-only; a busy database is retried
** for 3 s) and collect its rows: INTEGER/REAL -> f64, TEXT -> cat or text by cardinality,
** text in columns declared DATE/DATETIME/TIMESTAMP -> date or datetime, BOOLEAN 0/1 -> bool,
** NULL -> missing. On success '*out' is a new frame (fr_free). Errors (MN_EDB, MN_EIO, MN_EINTR,
** MN_ENOMEM) name the file and carry SQLite's message. */
int fr_read_sql(const char *db, const char *sql, const fr_SqlParam *params, int nparams,
                fr_Frame **out, mn_Err *e);

enum { FR_SQL_CREATE = 0, FR_SQL_APPEND, FR_SQL_REPLACE };

/* Write 'f' into table 'table' of 'db' (created if missing) in one transaction: CREATE fails
** if the table exists, APPEND adds rows (creating the table if needed), REPLACE drops it
** first. Types: f64 REAL, cat/text TEXT, date DATE, datetime TIMESTAMP (ISO text), bool
** BOOLEAN (0/1); missing values are NULL. Nothing is written on failure. */
int fr_write_sql(const fr_Frame *f, const char *db, const char *table, int mode, mn_Err *e);

#endif
