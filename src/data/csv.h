/* csv.h -- reading and writing CSV files as frames. The reader streams the file (plain or
** gzip, told apart by the magic bytes) in chunks, types every column over the whole file and
** names file, line and column in every error. The writer round-trips doubles bit for bit and
** replaces the target atomically (temporary file, fsync, rename). */
#ifndef MN_DATA_CSV_H
#define MN_DATA_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/progress.h"
#include "data/frame.h"

#define FR_CSV_MAXWARN 16        /* warnings kept in a report (the count goes on) */
#define FR_CSV_MAXSHOW 5         /* skipped lines kept in a report */

/* What the reader noticed without failing. */
typedef struct fr_CsvReport {
    int     nwarn;                             /* may exceed FR_CSV_MAXWARN */
    char    warn[FR_CSV_MAXWARN][200];
    int64_t nskipped;                          /* bad rows skipped (on_bad = skip) */
    char    skipped[FR_CSV_MAXSHOW][200];      /* the first few, "line 12: ..." */
} fr_CsvReport;

enum { FR_CSV_BAD_ERROR = 0, FR_CSV_BAD_SKIP = 1 };

/* Date orders for d/m/y style dates (the 'dates' option). */
enum { FR_DATES_AUTO = 0, FR_DATES_YMD, FR_DATES_DMY, FR_DATES_MDY };

typedef struct fr_CsvOpts {
    char        sep;            /* field separator; 0 sniffs among , ; TAB | (default 0) */
    int         no_header;      /* 1: no header line, columns are V1..Vn */
    const char *const *na;      /* missing markers (unquoted fields); NULL: the defaults */
    int         nna;            /*   "", NA, N/A, NaN, nan, null, NULL, - */
    char        decimal;        /* decimal mark ('.' when 0) */
    char        thousands;      /* thousands mark inside numbers, 0 = none */
    int64_t     skip;           /* physical lines to skip before the header */
    int64_t     nrows;          /* at most this many data rows; < 0: all */
    const char *const *columns; /* keep only these columns, in this order; NULL: all */
    int         ncolumns;
    const char *const *type_cols; /* per-column type overrides: type_cols[i] is types[i] */
    const fr_Type *types;
    int         ntypes;
    int         dates;          /* FR_DATES_*: auto, ymd (ISO only), dmy, mdy */
    int         on_bad;         /* FR_CSV_BAD_ERROR or FR_CSV_BAD_SKIP */
    int64_t     cat_max;        /* strings -> cat when #levels <= cat_max (and repeated); 0: 1000 */
    size_t      chunk;          /* bytes per read; 0: 4 MiB (tests use tiny chunks) */
    int         threads;        /* 1: one thread; 0: two for plain numeric chunks */
    const char *name;           /* name used in messages; NULL: the path ("<string>") */
    mn_Hook    *hook;           /* "read_csv" progress: bytes of total, then "end"; or NULL */
    fr_CsvReport *report;       /* filled when not NULL */
} fr_CsvOpts;

/* Defaults: everything 0/NULL except nrows = -1. */
void fr_csv_opts_init(fr_CsvOpts *o);

/* Read the CSV file at 'path' ('opt' may be NULL for the defaults). On success '*out' is a
** new frame the caller frees with fr_free(). Errors: MN_EIO (open/read), MN_EPARSE (malformed:
** "path:LINE: column J 'name': ..."), MN_EARG (unknown column in columns/types), MN_ENOMEM,
** MN_EINTR (Ctrl-C, polled per chunk). An empty file gives a frame of 0 columns; a file with
** only a header gives 0 rows (columns f64 unless typed). Types are inferred from every row:
** f64 (numbers, with decimal/thousands marks), bool (true/false), date, datetime (ISO; d/m/Y
** and m/d/Y when unambiguous or told by 'dates'), else cat or text by cardinality. */
int fr_read_csv(const char *path, const fr_CsvOpts *opt, fr_Frame **out, mn_Err *e);
/* The same on the 'len' bytes at 's' (a copy is not needed; 's' is only read). */
int fr_read_csv_str(const char *s, size_t len, const fr_CsvOpts *opt, fr_Frame **out,
                    mn_Err *e);

typedef struct fr_CsvWriteOpts {
    char        sep;            /* 0: ',' */
    const char *na;             /* written for missing values; NULL: "" (empty) */
    int         no_header;      /* 1: no header line */
    int         gzip;           /* -1: by the ".gz" extension (default), 0 no, 1 yes */
} fr_CsvWriteOpts;

void fr_csv_wopts_init(fr_CsvWriteOpts *o);

/* Write 'f' to 'path' through a temporary file in the same directory that is fsync'ed and
** renamed over 'path', so readers never see half a file. Doubles in the shortest form that
** reads back to the same bits; text quoted when it holds the separator, a quote, a line break,
** leading/trailing blanks, is empty or looks like a missing marker; dates ISO 8601. */
int fr_write_csv(const fr_Frame *f, const char *path, const fr_CsvWriteOpts *opt, mn_Err *e);
/* The same into a new NUL-terminated buffer '*out' (length '*len'), freed with mn_free(). */
int fr_write_csv_str(const fr_Frame *f, const fr_CsvWriteOpts *opt, char **out, size_t *len,
                     mn_Err *e);

#endif
