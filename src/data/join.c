/* join.c -- hash joins (inner, left) on one or several key columns and the as-of join on an
** ordered column within groups. Both keep the left frame's row order. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/interrupt.h"
#include "core/mem.h"
#include "data/ops_int.h"

/* The joined frame: left's columns gathered by lidx (NULL: the left rows as they are, shared,
** not copied), then right's columns but skip[0..nskip) gathered by ridx (-1: missing). */
static int assemble(const fr_Frame *left, const fr_Frame *right, const int64_t *lidx,
                    const int64_t *ridx, int64_t n, const char *const *skip, int nskip,
                    const char *suffix, fr_Frame **out, mn_Err *e) {
    fr_Frame *g = NULL;
    int rc = fr_new(n, &g, e);
    for (int j = 0; rc == MN_OK && j < fr_ncols(left); j++) {
        fr_Column *c = fr_col(left, j);
        if (lidx == NULL) {
            rc = fr_add(g, fr_name(left, j), c, e);
        } else if ((rc = fr_col_take(c, lidx, n, &c, e)) == MN_OK) {
            rc = fr_add(g, fr_name(left, j), c, e);
            fr_col_unref(c);
        }
    }
    for (int j = 0; rc == MN_OK && j < fr_ncols(right); j++) {
        const char *name = fr_name(right, j);
        char buf[256];
        fr_Column *c;
        int skipped = 0;
        for (int s = 0; s < nskip; s++)
            skipped |= strcmp(skip[s], name) == 0;
        if (skipped)
            continue;
        if (fr_find(g, name) >= 0) {
            snprintf(buf, sizeof buf, "%s%s", name, suffix);
            if (fr_find(g, buf) >= 0) {
                rc = mn_fail(e, MN_EARG, "join: right column '%s' clashes with '%s' even with "
                             "the suffix '%s' (rename it)", name, buf, suffix);
                break;
            }
            name = buf;
        }
        if ((rc = fr_col_take(fr_col(right, j), ridx, n, &c, e)) == MN_OK) {
            rc = fr_add(g, name, c, e);
            fr_col_unref(c);
        }
    }
    if (rc != MN_OK) {
        fr_free(g);
        return rc;
    }
    *out = g;
    return MN_OK;
}

/* Columns named names[0..k) of f into cols (borrowed); the error says which side. */
static int get_cols(const fr_Frame *f, const char *const *names, int k, const char *side,
                    fr_Column **cols, mn_Err *e) {
    for (int j = 0; j < k; j++)
        if (fr_get(f, names[j], &cols[j], e) != MN_OK)
            return mn_prefix(e, "join: %s frame", side);
    return MN_OK;
}

int fr_join(const fr_Frame *left, const fr_Frame *right, const char *const *lkeys,
            const char *const *rkeys, int k, fr_JoinHow how, const char *suffix,
            fr_Frame **out, mn_Err *e) {
    int64_t nl = fr_nrows(left), nr = fr_nrows(right), total = 0, o = 0;
    fr_Column **lc = NULL, **rcols = NULL;
    fr__Keys lk = {0}, rk = {0};
    fr__Groups g = {0};
    int64_t *next = NULL, *tail = NULL, *cnt = NULL, *match = NULL, *lidx = NULL, *ridx = NULL;
    int rc, identity;
    if (k < 1)
        return mn_fail(e, MN_EARG, "join: no key columns");
    if (rkeys == NULL)
        rkeys = lkeys;
    if (suffix == NULL)
        suffix = "_right";
    lc = mn_malloc((size_t)k * sizeof *lc);
    rcols = mn_malloc((size_t)k * sizeof *rcols);
    if (lc == NULL || rcols == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "join: out of memory");
        goto done;
    }
    if ((rc = get_cols(left, lkeys, k, "left", lc, e)) != MN_OK ||
        (rc = get_cols(right, rkeys, k, "right", rcols, e)) != MN_OK ||
        (rc = fr__keys_init(&lk, lc, k, e)) != MN_OK ||
        (rc = fr__keys_init(&rk, rcols, k, e)) != MN_OK)
        goto done;
    if ((rc = fr__keys_check(&lk, &rk, lkeys, e)) != MN_OK) {
        mn_prefix(e, "join");
        goto done;
    }
    if ((rc = fr__groups_build(&rk, 0, &g, e)) != MN_OK)
        goto done;
    /* chain the right rows of each group in row order: first[q] -> next[] -> ... */
    next = mn_malloc((size_t)(nr ? nr : 1) * sizeof *next);
    tail = mn_malloc((size_t)(g.ngroups ? g.ngroups : 1) * sizeof *tail);
    cnt = mn_calloc((size_t)(g.ngroups ? g.ngroups : 1), sizeof *cnt);
    match = mn_malloc((size_t)(nl ? nl : 1) * sizeof *match);
    if (next == NULL || tail == NULL || cnt == NULL || match == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "join: out of memory");
        goto done;
    }
    for (int64_t r = 0; r < nr; r++) {
        int64_t q = g.gid[r];
        next[r] = -1;
        if (q < 0)
            continue;
        if (cnt[q]++ > 0)
            next[tail[q]] = r;
        tail[q] = r;
    }
    for (int64_t i = 0; i < nl; i++) {
        if (i % FR__POLL == FR__POLL - 1 && mn_interrupted()) {
            rc = mn_fail(e, MN_EINTR, "join: interrupted");
            goto done;
        }
        match[i] = fr__groups_find(&g, &rk, &lk, i);
        total += match[i] >= 0 ? cnt[match[i]] : how == FR_JOIN_LEFT;
    }
    lidx = mn_malloc((size_t)(total ? total : 1) * sizeof *lidx);
    ridx = mn_malloc((size_t)(total ? total : 1) * sizeof *ridx);
    if (lidx == NULL || ridx == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "join: out of memory for %" PRId64 " rows", total);
        goto done;
    }
    for (int64_t i = 0; i < nl; i++) {
        if (match[i] < 0) {
            if (how == FR_JOIN_LEFT)
                lidx[o] = i, ridx[o++] = -1;
            continue;
        }
        for (int64_t r = g.first[match[i]]; r >= 0; r = next[r])
            lidx[o] = i, ridx[o++] = r;
    }
    identity = total == nl;
    for (int64_t i = 0; identity && i < total; i++)
        identity = lidx[i] == i;
    rc = assemble(left, right, identity ? NULL : lidx, ridx, total, rkeys, k, suffix, out, e);
done:
    fr__keys_free(&lk);
    fr__keys_free(&rk);
    fr__groups_free(&g);
    mn_free(lc);
    mn_free(rcols);
    mn_free(next);
    mn_free(tail);
    mn_free(cnt);
    mn_free(match);
    mn_free(lidx);
    mn_free(ridx);
    return rc;
}

/* ---- as-of ---- */

/* An unsigned key whose order is the order of the values: f64 by IEEE bits (sign folded),
** time by shifting the signed range up. Only for non-missing rows. */
static uint64_t okey(const fr_Column *c, int64_t i) {
    if (c->type == FR_F64) {
        double v = ((const double *)c->data)[i];
        uint64_t u;
        if (v == 0)
            v = 0;
        memcpy(&u, &v, sizeof u);
        return (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
    }
    return (uint64_t)((const int64_t *)c->data)[i] ^ (UINT64_C(1) << 63);
}

/* Is |v - x(b)| <= |x(f) - v|, with exact arithmetic for time? */
static int backward_is_nearer(const fr_Column *lc, int64_t i, const fr_Column *rc, int64_t b,
                              int64_t f) {
    if (lc->type == FR_F64) {
        double v = fr_col_f64((fr_Column *)lc)[i];
        const double *x = fr_col_f64((fr_Column *)rc);
        return v - x[b] <= x[f] - v;
    }
    return okey(lc, i) - okey(rc, b) <= okey(rc, f) - okey(lc, i);
}

int fr_join_asof(const fr_Frame *left, const fr_Frame *right, const char *on,
                 const char *const *by, int nby, fr_AsofDir dir, const char *suffix,
                 fr_Frame **out, mn_Err *e) {
    int64_t nl = fr_nrows(left), nr = fr_nrows(right), nvalid = 0, ng;
    fr_Column *lon, *ron, **lb = NULL, **rb = NULL;
    fr__Keys lk = {0}, rk = {0};
    fr__Groups g = {0};
    int64_t *sorted = NULL, *start = NULL, *rows = NULL, *ridx = NULL;
    const char **skip = NULL;
    int rc;
    if (suffix == NULL)
        suffix = "_right";
    if ((rc = get_cols(left, &on, 1, "left", &lon, e)) != MN_OK ||
        (rc = get_cols(right, &on, 1, "right", &ron, e)) != MN_OK)
        return rc;
    if (!(lon->type == FR_F64 && ron->type == FR_F64) &&
        !((lon->type == FR_DATE || lon->type == FR_DATETIME) &&
          (ron->type == FR_DATE || ron->type == FR_DATETIME)))
        return mn_fail(e, MN_EARG, "join asof: column '%s' must be f64, date or datetime on "
                       "both sides (left %s, right %s)", on, fr_type_name(lon->type),
                       fr_type_name(ron->type));
    lb = mn_malloc((size_t)(nby + 1) * sizeof *lb);
    rb = mn_malloc((size_t)(nby + 1) * sizeof *rb);
    skip = mn_malloc((size_t)(nby + 1) * sizeof *skip);
    sorted = mn_malloc((size_t)(nr ? nr : 1) * sizeof *sorted);
    ridx = mn_malloc((size_t)(nl ? nl : 1) * sizeof *ridx);
    if (lb == NULL || rb == NULL || skip == NULL || sorted == NULL || ridx == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "join asof: out of memory");
        goto done;
    }
    if ((rc = get_cols(left, by, nby, "left", lb, e)) != MN_OK ||
        (rc = get_cols(right, by, nby, "right", rb, e)) != MN_OK ||
        (rc = fr__keys_init(&lk, lb, nby, e)) != MN_OK ||
        (rc = fr__keys_init(&rk, rb, nby, e)) != MN_OK)
        goto done;
    lk.n = nl, rk.n = nr;                     /* (no columns when nby == 0) */
    if ((rc = fr__keys_check(&lk, &rk, by, e)) != MN_OK) {
        mn_prefix(e, "join asof");
        goto done;
    }
    /* right rows with an 'on' value, stably sorted by it */
    for (int64_t r = 0; r < nr; r++)
        if (!fr_col_isna(ron, r))
            sorted[nvalid++] = r;
    if ((rc = fr__order_cols(&ron, NULL, 1, sorted, nvalid, e)) != MN_OK)
        goto done;
    /* bucket them by 'by' group, keeping the sorted order inside each bucket */
    if (nby > 0) {
        if ((rc = fr__groups_build(&rk, 0, &g, e)) != MN_OK)
            goto done;
        ng = g.ngroups;
    } else {
        ng = 1;
    }
    start = mn_calloc((size_t)ng + 1, sizeof *start);
    rows = mn_malloc((size_t)(nvalid ? nvalid : 1) * sizeof *rows);
    if (start == NULL || rows == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "join asof: out of memory");
        goto done;
    }
    for (int64_t p = 0; p < nvalid; p++) {
        int64_t q = nby > 0 ? g.gid[sorted[p]] : 0;
        if (q >= 0)
            start[q + 1]++;
    }
    for (int64_t q = 0; q < ng; q++)
        start[q + 1] += start[q];
    {
        int64_t *pos = mn_malloc((size_t)ng * sizeof *pos);
        if (pos == NULL) {
            rc = mn_fail(e, MN_ENOMEM, "join asof: out of memory");
            goto done;
        }
        memcpy(pos, start, (size_t)ng * sizeof *pos);
        for (int64_t p = 0; p < nvalid; p++) {
            int64_t q = nby > 0 ? g.gid[sorted[p]] : 0;
            if (q >= 0)
                rows[pos[q]++] = sorted[p];
        }
        mn_free(pos);
    }
    for (int64_t i = 0; i < nl; i++) {
        int64_t q, s, t, lo, hi, ub, lb_;
        uint64_t v;
        ridx[i] = -1;
        if (i % FR__POLL == FR__POLL - 1 && mn_interrupted()) {
            rc = mn_fail(e, MN_EINTR, "join asof: interrupted");
            goto done;
        }
        if (fr_col_isna(lon, i))
            continue;
        q = nby > 0 ? fr__groups_find(&g, &rk, &lk, i) : 0;
        if (q < 0)
            continue;
        s = start[q], t = start[q + 1];
        v = okey(lon, i);
        for (lo = s, hi = t; lo < hi;) {          /* ub: first row with key > v */
            int64_t mid = lo + (hi - lo) / 2;
            if (okey(ron, rows[mid]) > v)
                hi = mid;
            else
                lo = mid + 1;
        }
        ub = lo;
        for (lo = s, hi = ub; lo < hi;) {         /* lb_: first row with key >= v */
            int64_t mid = lo + (hi - lo) / 2;
            if (okey(ron, rows[mid]) >= v)
                hi = mid;
            else
                lo = mid + 1;
        }
        lb_ = lo;
        switch (dir) {
        case FR_ASOF_BACKWARD:
            ridx[i] = ub > s ? rows[ub - 1] : -1;
            break;
        case FR_ASOF_FORWARD:
            ridx[i] = lb_ < t ? rows[lb_] : -1;
            break;
        case FR_ASOF_NEAREST:
            if (ub > s && lb_ < t)
                ridx[i] = backward_is_nearer(lon, i, ron, rows[ub - 1], rows[lb_]) ?
                          rows[ub - 1] : rows[lb_];
            else
                ridx[i] = ub > s ? rows[ub - 1] : lb_ < t ? rows[lb_] : -1;
            break;
        }
    }
    skip[0] = on;
    for (int j = 0; j < nby; j++)
        skip[j + 1] = by[j];
    rc = assemble(left, right, NULL, ridx, nl, skip, nby + 1, suffix, out, e);
done:
    fr__keys_free(&lk);
    fr__keys_free(&rk);
    fr__groups_free(&g);
    mn_free(lb);
    mn_free(rb);
    mn_free(skip);
    mn_free(sorted);
    mn_free(start);
    mn_free(rows);
    mn_free(ridx);
    return rc;
}
