/* io_int.h -- helpers shared by the CSV reader/writer (csv.c) and SQLite I/O (sql.c): value
** parsers (numbers, dates, booleans) and the "column of strings -> typed column" inference.
** For data/ only. */
#ifndef MN_DATA_IO_INT_H
#define MN_DATA_IO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "data/csv.h"
#include "data/frame.h"

/* Exactly-rounded decimal parse of s[0..n): optional surrounding blanks, sign, digits with an
** optional decimal mark 'dec' and thousands mark 'thou' (0: none) between integer digits, an
** optional exponent; also inf/infinity/nan in any case. Returns 1 and sets *v, or 0. */
int fr__parse_num(const char *s, size_t n, char dec, char thou, double *v);

/* Booleans: true/false in lower, Title or UPPER case; with 'loose' also yes/no, t/f, y/n, 1/0.
** Returns 0 or 1, or -1 when not a boolean. */
int fr__parse_bool(const char *s, size_t n, int loose);

/* Dates and datetimes. 'order' is FR_DATES_*: YMD/AUTO accept ISO 8601 (YYYY-MM-DD, optional
** 'T' or ' ' and HH:MM[:SS[.fraction]] and Z or +HH:MM); DMY and MDY also accept D/M/YYYY or
** M/D/YYYY with '/', '.' or '-' and an optional time. Sets *ns (UTC) and *has_time; 1 or 0.
** Invalid calendar dates (2024-02-30) are refused. fr_parse_time is its public ISO face. */
int fr__parse_time(const char *s, size_t n, int order, int64_t *ns, int *has_time);

/* A column of strings being collected: off[i] >= 0 is the offset of row i's NUL-terminated
** string in 'arena'; -1 is missing; <= -2 is a quoted string that looks like a missing marker
** (at offset -(off+2)): a literal for cat/text, missing for every other type. */
typedef struct fr__Strs {
    char    *arena;
    size_t   len, cap;
    int64_t *off;              /* capacity is the caller's business */
} fr__Strs;

/* Append s[0..n) (+ NUL) to the arena; the offset goes to *off. MN_ENOMEM on failure. */
int fr__strs_push(fr__Strs *s, const char *p, size_t n, int64_t *off, mn_Err *e);
void fr__strs_free(fr__Strs *s);

/* How to type a column of strings. */
typedef struct fr__Infer {
    int     dates;             /* FR_DATES_* */
    char    dec, thou;         /* for the all-numbers case */
    int64_t cat_max;           /* cat when #levels <= cat_max and <= max(20, nonmissing / 2) */
    int     numeric;           /* 1: may become f64 when every value is a number */
    int     no_dates;          /* 1: never infer dates */
} fr__Infer;

/* Build a column from rows [0, n) of 's'. 'forced' is a type or -1 to infer (bool, date,
** datetime, f64, then cat or text by cardinality). When forced to a type that a value does
** not fit, fails with MN_EPARSE naming the row index in *bad_row. 'warn' (size wsize, may be
** NULL) receives a note when the choice was ambiguous (d/m vs m/d dates), else "". */
int fr__strs_column(const fr__Strs *s, int64_t n, const fr__Infer *how, int forced,
                    fr_Column **out, int64_t *bad_row, char *warn, size_t wsize, mn_Err *e);

/* Is s[0..n) valid UTF-8? Returns -1 if so, else the offset of the first bad byte. */
int64_t fr__utf8_check(const char *s, size_t n);

#endif
