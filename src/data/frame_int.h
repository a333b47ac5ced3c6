/* frame_int.h -- the bodies of fr_Column and fr_Frame; for data/ only. */
#ifndef MN_DATA_FRAME_INT_H
#define MN_DATA_FRAME_INT_H

#include "data/frame.h"

struct fr_Column {
    fr_Type  type;
    int      refs;
    int64_t  n;
    void    *data;          /* double*, int32_t*, int64_t*, int8_t*, char** by type */
    /* FR_CAT dictionary: levels[0..nlevels), open-addressing hash of level -> code */
    char   **levels;
    int32_t  nlevels, levcap;
    int32_t *hash;          /* size hashcap, -1 = empty */
    int32_t  hashcap;
};

struct fr_Frame {
    int64_t     nrows;
    int         ncols, cap;
    char      **names;
    fr_Column **cols;
};

/* FNV-1a over bytes (the dictionary hash). */
uint64_t fr__hash(const char *s, size_t len);

/* Shortest "%.{15,16,17}g" that reads back to the same double (at most three snprintf/strtod
** rounds; subnormals search from one digit); "inf", "-inf", "NaN"; returns the length as
** snprintf does. Used by fr_col_format and the CSV writer. */
int fr__fmt_double(double v, char *buf, size_t size);

#endif
