/* group.c -- the group driver of group.h: rows grouped by a key (a small open-addressing hash
** table, or the codes of a categorical key directly), laid out group after group by a stable
** counting pass, then checked for strictly increasing time inside each group. Never sorts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/mem.h"
#include "features/group.h"

/* ---- keys ---- */

static uint64_t mix64(uint64_t x) {               /* splitmix64's finaliser */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t str_hash(const char *s) {         /* FNV-1a, then mixed */
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return mix64(h);
}

/* Group ids (0.. in order of first appearance) of the rows of key column c; '*ng' groups. */
static int key_groups(fr_Column *c, const char *name, int64_t n, int64_t *gid, int64_t *ng,
                      mn_Err *e) {
    fr_Type t = fr_col_type(c);
    int64_t count = 0;
    if (t == FR_F64)
        return mn_fail(e, MN_EARG, "by: column '%s' is f64; group by a cat, text, date, "
                       "datetime or bool column", name);
    for (int64_t i = 0; i < n; i++)
        if (fr_col_isna(c, i))
            return mn_fail(e, MN_EARG, "by: column '%s' is missing in row %lld; drop or fill "
                           "those rows first", name, (long long)i + 1);
    if (t == FR_CAT || t == FR_BOOL) {            /* small dense keys: a direct map */
        int64_t nl = t == FR_CAT ? fr_cat_nlevels(c) : 2, *map;
        const int32_t *codes = fr_col_codes(c);
        const int8_t *b = fr_col_bool(c);
        if ((map = mn_malloc((size_t)(nl ? nl : 1) * sizeof *map)) == NULL)
            return mn_fail(e, MN_ENOMEM, "by: out of memory");
        memset(map, 0xff, (size_t)(nl ? nl : 1) * sizeof *map);
        for (int64_t i = 0; i < n; i++) {
            int64_t k = t == FR_CAT ? codes[i] : b[i];
            if (map[k] < 0)
                map[k] = count++;
            gid[i] = map[k];
        }
        mn_free(map);
    } else {                                      /* text, date, datetime: hash table */
        int64_t cap = 16, *slot, *first;
        const int64_t *tv = fr_col_time(c);
        char **sv = fr_col_text(c);
        while (cap < 2 * n)
            cap *= 2;
        slot = mn_malloc((size_t)cap * sizeof *slot);
        first = mn_malloc((size_t)(n ? n : 1) * sizeof *first);
        if (slot == NULL || first == NULL) {
            mn_free(slot);
            mn_free(first);
            return mn_fail(e, MN_ENOMEM, "by: out of memory for %lld rows", (long long)n);
        }
        memset(slot, 0xff, (size_t)cap * sizeof *slot);
        for (int64_t i = 0; i < n; i++) {
            uint64_t h = tv ? mix64((uint64_t)tv[i]) : str_hash(sv[i]);
            uint64_t s = h & (uint64_t)(cap - 1);
            for (;;) {
                int64_t q = slot[s];
                if (q < 0) {
                    slot[s] = count;
                    first[count] = i;
                    gid[i] = count++;
                    break;
                }
                if (tv ? tv[first[q]] == tv[i] : strcmp(sv[first[q]], sv[i]) == 0) {
                    gid[i] = q;
                    break;
                }
                s = (s + 1) & (uint64_t)(cap - 1);
            }
        }
        mn_free(slot);
        mn_free(first);
    }
    *ng = count;
    return MN_OK;
}

/* ---- time order ---- */

/* The time column to use (o->time, or the default rule); *tc NULL for row order. */
static int pick_time(const fr_Frame *f, const ft_Order *o, fr_Column **tc, const char **tname,
                     mn_Err *e) {
    int rc;
    *tc = NULL;
    *tname = NULL;
    if (o != NULL && o->time != NULL) {
        fr_Type t;
        if (o->time[0] == '\0')
            return MN_OK;
        if ((rc = fr_get(f, o->time, tc, e)) != MN_OK)
            return (void)mn_prefix(e, "time"), rc;
        t = fr_col_type(*tc);
        if (t != FR_DATE && t != FR_DATETIME && t != FR_F64)
            return mn_fail(e, MN_EARG, "time: column '%s' is %s; a time column is date, "
                           "datetime or f64", o->time, fr_type_name(t));
        *tname = o->time;
        return MN_OK;
    }
    for (int j = 0, seen = 0; j < fr_ncols(f); j++) {
        fr_Type t = fr_col_type(fr_col(f, j));
        if (t != FR_DATE && t != FR_DATETIME)
            continue;
        if (seen++) {                             /* two candidates: row order */
            *tc = NULL;
            *tname = NULL;
            break;
        }
        *tc = fr_col(f, j);
        *tname = fr_name(f, j);
    }
    return MN_OK;
}

static void group_label(fr_Column *key, int64_t row, char *buf, size_t size) {
    char v[128];
    if (key == NULL) {
        snprintf(buf, size, "%s", "");
        return;
    }
    fr_col_format(key, row, v, sizeof v);
    snprintf(buf, size, " in group '%s'", v);
}

/* Strictly increasing time inside every group, no missing time. */
static int check_time(const ft_Groups *g, fr_Column *tc, const char *tname, fr_Column *key,
                      mn_Err *e) {
    const int64_t *tv = fr_col_time(tc);
    const double *dv = fr_col_f64(tc);
    char lab[160], a[64], b[64];
    for (int64_t k = 0; k < g->ngroups; k++) {
        const int64_t *r = ft_group_rows(g, k);
        int64_t n = ft_group_len(g, k);
        for (int64_t i = 0; i < n; i++) {
            int na = tv ? tv[r[i]] == FR_NA_TIME : isnan(dv[r[i]]);
            int bad = 0;
            if (na) {
                group_label(key, r[i], lab, sizeof lab);
                return mn_fail(e, MN_EARG, "time column '%s' is missing in row %lld%s; drop "
                               "or fill those rows first", tname, (long long)r[i] + 1, lab);
            }
            if (i > 0)
                bad = tv ? tv[r[i]] <= tv[r[i - 1]] : !(dv[r[i]] > dv[r[i - 1]]);
            if (bad && (tv ? tv[r[i]] == tv[r[i - 1]] : dv[r[i]] == dv[r[i - 1]])) {
                group_label(key, r[i], lab, sizeof lab);
                fr_col_format(tc, r[i], a, sizeof a);
                return mn_fail(e, MN_EARG, "time column '%s' repeats a time%s: rows %lld and %lld "
                               "are both %s; %s", tname, lab, (long long)r[i - 1] + 1,
                               (long long)r[i] + 1, a, key ? "drop the duplicates first"
                               : "several series in one frame? give by = their key column");
            }
            if (bad) {
                group_label(key, r[i], lab, sizeof lab);
                fr_col_format(tc, r[i], a, sizeof a);
                fr_col_format(tc, r[i - 1], b, sizeof b);
                return mn_fail(e, MN_EARG, "time column '%s' is not strictly increasing%s: "
                               "row %lld (%s) comes after row %lld (%s); sort the frame by %s%s "
                               "first (it is never re-sorted silently)", tname, lab,
                               (long long)r[i] + 1, a, (long long)r[i - 1] + 1, b,
                               key ? "the key and " : "", tname);
            }
        }
    }
    return MN_OK;
}

/* ---- groups ---- */

void ft_groups_free(ft_Groups *g) {
    if (g == NULL)
        return;
    mn_free(g->start);
    mn_free(g->rows);
    mn_free(g);
}

int ft_groups_new(const fr_Frame *f, const ft_Order *o, ft_Groups **out, mn_Err *e) {
    int64_t n = fr_nrows(f), ng = 1, *gid = NULL;
    fr_Column *key = NULL, *tc = NULL;
    const char *tname = NULL;
    ft_Groups *g = NULL;
    int rc;

    if (o != NULL && o->by != NULL && (rc = fr_get(f, o->by, &key, e)) != MN_OK)
        return (void)mn_prefix(e, "by"), rc;
    if ((rc = pick_time(f, o, &tc, &tname, e)) != MN_OK)
        return rc;
    if ((g = mn_calloc(1, sizeof *g)) == NULL)
        return mn_fail(e, MN_ENOMEM, "groups: out of memory");
    g->nrows = n;
    g->rows = mn_malloc((size_t)(n ? n : 1) * sizeof *g->rows);
    if (g->rows == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "groups: out of memory for %lld rows", (long long)n);
        goto fail;
    }
    if (key != NULL) {
        int64_t *pos;
        if ((gid = mn_malloc((size_t)(n ? n : 1) * sizeof *gid)) == NULL) {
            rc = mn_fail(e, MN_ENOMEM, "groups: out of memory for %lld rows", (long long)n);
            goto fail;
        }
        if ((rc = key_groups(key, o->by, n, gid, &ng, e)) != MN_OK)
            goto fail;
        if ((g->start = mn_calloc((size_t)ng + 1, sizeof *g->start)) == NULL) {
            rc = mn_fail(e, MN_ENOMEM, "groups: out of memory");
            goto fail;
        }
        for (int64_t i = 0; i < n; i++)           /* counting sort, stable in row order */
            g->start[gid[i] + 1]++;
        for (int64_t k = 0; k < ng; k++)
            g->start[k + 1] += g->start[k];
        if ((pos = mn_malloc((size_t)(ng ? ng : 1) * sizeof *pos)) == NULL) {
            rc = mn_fail(e, MN_ENOMEM, "groups: out of memory");
            goto fail;
        }
        memcpy(pos, g->start, (size_t)ng * sizeof *pos);
        for (int64_t i = 0; i < n; i++)
            g->rows[pos[gid[i]]++] = i;
        mn_free(pos);
    } else {
        ng = n > 0;                               /* an empty frame has no group */
        if ((g->start = mn_calloc(2, sizeof *g->start)) == NULL) {
            rc = mn_fail(e, MN_ENOMEM, "groups: out of memory");
            goto fail;
        }
        g->start[1] = n;
        for (int64_t i = 0; i < n; i++)
            g->rows[i] = i;
    }
    g->ngroups = ng;
    for (int64_t k = 0; k < ng; k++)
        if (ft_group_len(g, k) > g->maxlen)
            g->maxlen = ft_group_len(g, k);
    if (tc != NULL) {
        if ((rc = check_time(g, tc, tname, key, e)) != MN_OK)
            goto fail;
        g->time = fr_col_time(tc);                /* NULL for an f64 time column */
    }
    mn_free(gid);
    *out = g;
    return MN_OK;
fail:
    mn_free(gid);
    ft_groups_free(g);
    return rc;
}

void ft_gather(const ft_Groups *g, int64_t k, const double *x, double *buf) {
    const int64_t *r = ft_group_rows(g, k);
    int64_t n = ft_group_len(g, k);
    for (int64_t i = 0; i < n; i++)
        buf[i] = x[r[i]];
}

void ft_scatter(const ft_Groups *g, int64_t k, const double *buf, double *out) {
    const int64_t *r = ft_group_rows(g, k);
    int64_t n = ft_group_len(g, k);
    for (int64_t i = 0; i < n; i++)
        out[r[i]] = buf[i];
}

/* ---- columns and spans ---- */

int ft_numeric(const fr_Frame *f, const char *name, const double **x, double **owned,
               mn_Err *e) {
    fr_Column *c;
    int rc;
    *owned = NULL;
    if ((rc = fr_get(f, name, &c, e)) != MN_OK)
        return rc;
    if (fr_col_type(c) == FR_F64) {
        *x = fr_col_f64(c);
        return MN_OK;
    }
    if (fr_col_type(c) == FR_BOOL) {
        int64_t n = fr_col_len(c);
        const int8_t *b = fr_col_bool(c);
        double *v = mn_malloc((size_t)(n ? n : 1) * sizeof *v);
        if (v == NULL)
            return mn_fail(e, MN_ENOMEM, "column '%s': out of memory", name);
        for (int64_t i = 0; i < n; i++)
            v[i] = b[i] < 0 ? (double)NAN : (double)b[i];
        *x = v;
        *owned = v;
        return MN_OK;
    }
    return mn_fail(e, MN_EARG, "column '%s' is %s, not numeric (f64 or bool)", name,
                   fr_type_name(fr_col_type(c)));
}

int ft_parse_span(const char *s, int64_t *ns, mn_Err *e) {
    static const struct { const char *unit; int64_t ns; } units[] = {
        {"w", 7 * FR_NS_PER_DAY}, {"d", FR_NS_PER_DAY}, {"h", INT64_C(3600000000000)},
        {"min", INT64_C(60000000000)}, {"s", INT64_C(1000000000)},
        {"ms", INT64_C(1000000)}, {"us", INT64_C(1000)}, {"ns", 1},
    };
    const char *p = s;
    int64_t v = 0;
    if (s == NULL || !(*p >= '0' && *p <= '9'))
        goto bad;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (INT64_MAX - 9) / 10)
            goto bad;
        v = v * 10 + (*p - '0');
    }
    if (v <= 0)
        goto bad;
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
        if (strcmp(p, units[u].unit) == 0) {
            if (v > INT64_MAX / units[u].ns)
                goto bad;
            *ns = v * units[u].ns;
            return MN_OK;
        }
bad:
    return mn_fail(e, MN_EARG, "span '%s': expected a positive whole number and a unit "
                   "w, d, h, min, s, ms, us or ns (\"20d\", \"4h\", \"90min\")",
                   s ? s : "(null)");
}
