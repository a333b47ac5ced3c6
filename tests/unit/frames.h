/* frames.h -- builders shared by the data unit tests: columns from C arrays and frames from
** columns. They abort on failure (only out of memory can fail on these tiny inputs). */
#ifndef MN_TEST_FRAMES_H
#define MN_TEST_FRAMES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "data/frame.h"

static inline fr_Column *tb_newcol(fr_Type t, int64_t n) {
    fr_Column *c = NULL;
    mn_Err e = {0};
    if (fr_col_new(t, n, &c, &e) != MN_OK)
        abort();
    return c;
}

static inline fr_Column *f64col(const double *v, int64_t n) {
    fr_Column *c = tb_newcol(FR_F64, n);
    memcpy(fr_col_f64(c), v, (size_t)n * sizeof *v);
    return c;
}

static inline fr_Column *catcol(const char *const *v, int64_t n) {   /* NULL = missing */
    fr_Column *c = tb_newcol(FR_CAT, n);
    mn_Err e = {0};
    for (int64_t i = 0; i < n; i++)
        if (v[i] != NULL && fr_cat_intern(c, v[i], strlen(v[i]), &fr_col_codes(c)[i], &e))
            abort();
    return c;
}

static inline fr_Column *textcol(const char *const *v, int64_t n) {  /* NULL = missing */
    fr_Column *c = tb_newcol(FR_TEXT, n);
    for (int64_t i = 0; i < n; i++)
        if (v[i] != NULL && (fr_col_text(c)[i] = mn_strdup(v[i])) == NULL)
            abort();
    return c;
}

static inline fr_Column *boolcol(const int8_t *v, int64_t n) {       /* -1 = missing */
    fr_Column *c = tb_newcol(FR_BOOL, n);
    memcpy(fr_col_bool(c), v, (size_t)n);
    return c;
}

static inline fr_Column *datecol(const int64_t *days, int64_t n) {   /* days since 1970 */
    fr_Column *c = tb_newcol(FR_DATE, n);
    for (int64_t i = 0; i < n; i++)
        fr_col_time(c)[i] = days[i] * FR_NS_PER_DAY;
    return c;
}

/* Add 'c' to 'f' under 'name' and drop the builder's reference. */
static inline void put(fr_Frame *f, const char *name, fr_Column *c) {
    mn_Err e = {0};
    if (fr_add(f, name, c, &e) != MN_OK)
        abort();
    fr_col_unref(c);
}

static inline fr_Frame *newframe(void) {
    fr_Frame *f = NULL;
    mn_Err e = {0};
    if (fr_new(-1, &f, &e) != MN_OK)
        abort();
    return f;
}

#endif
