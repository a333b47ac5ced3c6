/* ops_key.c -- row keys over several typed columns and the hash table of groups that joins,
** group-by, unique and value_counts share. No per-row allocation: one table per call. */
#include <math.h>
#include <string.h>

#include "core/interrupt.h"
#include "core/mem.h"
#include "core/rng.h"
#include "data/ops_int.h"

/* A 64-bit hash of a key value: the one splitmix64 (core/rng.h). */
static uint64_t mix64(uint64_t x) { return mn_splitmix64(&x); }

#define NA_HASH 0x9e3779b97f4a7c15ULL

int fr__is_numeric(const fr_Column *c) { return c->type == FR_F64 || c->type == FR_BOOL; }

int fr__keys_init(fr__Keys *ks, fr_Column *const *cols, int k, mn_Err *e) {
    memset(ks, 0, sizeof *ks);
    ks->cols = mn_calloc((size_t)(k ? k : 1), sizeof *ks->cols);
    if (ks->cols == NULL)
        return mn_fail(e, MN_ENOMEM, "keys: out of memory");
    ks->k = k;
    ks->n = k ? cols[0]->n : 0;
    for (int j = 0; j < k; j++) {
        const fr_Column *c = cols[j];
        ks->cols[j].col = c;
        if (c->type == FR_CAT) {
            uint64_t *h = mn_malloc((size_t)(c->nlevels ? c->nlevels : 1) * sizeof *h);
            if (h == NULL)
                return mn_fail(e, MN_ENOMEM, "keys: out of memory");
            for (int32_t l = 0; l < c->nlevels; l++)
                h[l] = fr__hash(c->levels[l], strlen(c->levels[l]));
            ks->cols[j].lvhash = h;
        }
    }
    return MN_OK;
}

void fr__keys_free(fr__Keys *ks) {
    if (ks->cols != NULL)
        for (int j = 0; j < ks->k; j++)
            mn_free(ks->cols[j].lvhash);
    mn_free(ks->cols);
    memset(ks, 0, sizeof *ks);
}

int fr__keys_hasna(const fr__Keys *ks, int64_t i) {
    for (int j = 0; j < ks->k; j++)
        if (fr_col_isna(ks->cols[j].col, i))
            return 1;
    return 0;
}

static uint64_t col_hash(const fr__KeyCol *kc, int64_t i) {
    const fr_Column *c = kc->col;
    switch (c->type) {
    case FR_F64: {
        double v = ((const double *)c->data)[i];
        uint64_t u;
        if (isnan(v))
            return NA_HASH;
        if (v == 0)
            v = 0;                                  /* -0 and +0 are one key */
        memcpy(&u, &v, sizeof u);
        return mix64(u);
    }
    case FR_CAT: {
        int32_t code = ((const int32_t *)c->data)[i];
        return code < 0 ? NA_HASH : kc->lvhash[code];
    }
    case FR_TEXT: {
        const char *s = ((char *const *)c->data)[i];
        return s == NULL ? NA_HASH : fr__hash(s, strlen(s));
    }
    case FR_DATE: case FR_DATETIME: {
        int64_t t = ((const int64_t *)c->data)[i];
        return t == FR_NA_TIME ? NA_HASH : mix64((uint64_t)t);
    }
    case FR_BOOL: {
        int8_t b = ((const int8_t *)c->data)[i];
        return b < 0 ? NA_HASH : mix64((uint64_t)b + 1);
    }
    }
    return 0;
}

uint64_t fr__keys_hash(const fr__Keys *ks, int64_t i) {
    uint64_t h = 0x243f6a8885a308d3ULL;
    for (int j = 0; j < ks->k; j++)
        h = mix64(h ^ col_hash(&ks->cols[j], i)) + (uint64_t)j;
    return h;
}

static int col_eq(const fr__KeyCol *ka, int64_t i, const fr__KeyCol *kb, int64_t j) {
    const fr_Column *a = ka->col, *b = kb->col;
    int na = fr_col_isna(a, i), nb = fr_col_isna(b, j);
    if (na || nb)
        return na && nb;
    if (fr__is_string(a->type)) {
        if (a == b && a->type == FR_CAT)            /* one dictionary: codes suffice */
            return ((const int32_t *)a->data)[i] == ((const int32_t *)b->data)[j];
        return strcmp(fr__row_text(a, i), fr__row_text(b, j)) == 0;
    }
    switch (a->type) {
    case FR_F64: return ((const double *)a->data)[i] == ((const double *)b->data)[j];
    case FR_DATE: case FR_DATETIME:
        return ((const int64_t *)a->data)[i] == ((const int64_t *)b->data)[j];
    case FR_BOOL: return ((const int8_t *)a->data)[i] == ((const int8_t *)b->data)[j];
    default: return 0;
    }
}

int fr__keys_eq(const fr__Keys *a, int64_t i, const fr__Keys *b, int64_t j) {
    for (int c = 0; c < a->k; c++)
        if (!col_eq(&a->cols[c], i, &b->cols[c], j))
            return 0;
    return 1;
}

int fr__keys_check(const fr__Keys *a, const fr__Keys *b, const char *const *names, mn_Err *e) {
    for (int j = 0; j < a->k; j++) {
        fr_Type ta = a->cols[j].col->type, tb = b->cols[j].col->type;
        int ok = ta == tb || (fr__is_string(ta) && fr__is_string(tb)) || (fr__is_time(ta) && fr__is_time(tb));
        if (!ok)
            return mn_fail(e, MN_EARG, "key '%s' is %s on the left but %s on the right",
                           names[j], fr_type_name(ta), fr_type_name(tb));
    }
    return MN_OK;
}

/* ---- groups ---- */

int fr__groups_build(const fr__Keys *ks, int na_group, fr__Groups *g, mn_Err *e) {
    int64_t n = ks->n, cap = 16;
    memset(g, 0, sizeof *g);
    while (cap < 2 * n)
        cap *= 2;
    g->n = n;
    g->cap = cap;
    g->gid = mn_malloc((size_t)(n ? n : 1) * sizeof *g->gid);
    g->first = mn_malloc((size_t)(n ? n : 1) * sizeof *g->first);
    g->ghash = mn_malloc((size_t)(n ? n : 1) * sizeof *g->ghash);
    g->slots = mn_malloc((size_t)cap * sizeof *g->slots);
    if (g->gid == NULL || g->first == NULL || g->ghash == NULL || g->slots == NULL)
        return mn_fail(e, MN_ENOMEM, "group: out of memory for %lld rows", (long long)n);
    memset(g->slots, 0xff, (size_t)cap * sizeof *g->slots);        /* all -1 */
    for (int64_t i = 0; i < n; i++) {
        uint64_t h, s;
        if (i % FR__POLL == FR__POLL - 1 && mn_interrupted())
            return mn_fail(e, MN_EINTR, "group: interrupted at row %lld", (long long)i + 1);
        if (!na_group && fr__keys_hasna(ks, i)) {
            g->gid[i] = -1;
            continue;
        }
        h = fr__keys_hash(ks, i);
        s = h & (uint64_t)(cap - 1);
        for (;;) {
            int64_t q = g->slots[s];
            if (q < 0) {                                      /* a new group */
                g->slots[s] = g->ngroups;
                g->first[g->ngroups] = i;
                g->ghash[g->ngroups] = h;
                g->gid[i] = g->ngroups++;
                break;
            }
            if (g->ghash[q] == h && fr__keys_eq(ks, g->first[q], ks, i)) {
                g->gid[i] = q;
                break;
            }
            s = (s + 1) & (uint64_t)(cap - 1);
        }
    }
    return MN_OK;
}

int64_t fr__groups_find(const fr__Groups *g, const fr__Keys *build, const fr__Keys *probe,
                        int64_t i) {
    uint64_t h, s;
    if (fr__keys_hasna(probe, i))
        return -1;
    h = fr__keys_hash(probe, i);
    s = h & (uint64_t)(g->cap - 1);
    for (;;) {
        int64_t q = g->slots[s];
        if (q < 0)
            return -1;
        if (g->ghash[q] == h && fr__keys_eq(build, g->first[q], probe, i))
            return q;
        s = (s + 1) & (uint64_t)(g->cap - 1);
    }
}

void fr__groups_free(fr__Groups *g) {
    mn_free(g->gid);
    mn_free(g->first);
    mn_free(g->ghash);
    mn_free(g->slots);
    memset(g, 0, sizeof *g);
}
