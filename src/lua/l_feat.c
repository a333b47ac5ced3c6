/* l_feat.c -- Lua face of features/ ("moneta.c.feat"): a Groups object (the rows of a frame
** as groups in time order, made once and reused by every feature of a feat.add spec) and
** the series kernels run per group into a new f64 column. Options, defaults and the public
** names are in lua/moneta/feat.lua; only this layer raises Lua errors. */
#include <math.h>
#include <string.h>

#include "core/mem.h"
#include "data/frame.h"
#include "features/group.h"
#include "features/series.h"
#include "lua/lb.h"

#define GROUPS_MT "moneta.FeatGroups"

typedef struct GBox {
    ft_Groups *g;
    fr_Column *time;          /* a reference to the time column g->time points into */
    int64_t    nrows;
} GBox;

/* ---- groups ---- */

static int g_gc(lua_State *L) {
    GBox *b = luaL_checkudata(L, 1, GROUPS_MT);
    ft_groups_free(b->g);
    fr_col_unref(b->time);
    b->g = NULL;
    b->time = NULL;
    return 0;
}

/* groups(frame, by|nil, time|nil) -> Groups */
static int feat_groups(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    ft_Order o = {luaL_optstring(L, 2, NULL), luaL_optstring(L, 3, NULL)};
    GBox *b = lua_newuserdatauv(L, sizeof *b, 0);
    mn_Err e = {0};
    memset(b, 0, sizeof *b);
    luaL_setmetatable(L, GROUPS_MT);
    if (ft_groups_new(f, &o, &b->g, &e) != MN_OK)
        return lb_raise(L, &e);
    b->nrows = fr_nrows(f);
    for (int j = 0; b->g->time != NULL && j < fr_ncols(f); j++)
        if (fr_col_time(fr_col(f, j)) == b->g->time) {
            b->time = fr_col(f, j);
            fr_col_ref(b->time);
            break;
        }
    return 1;
}

const ft_Groups *lb_feat_checkgroups(lua_State *L, int arg, const fr_Frame *f) {
    GBox *b = luaL_checkudata(L, arg, GROUPS_MT);
    if (b->g == NULL)
        luaL_argerror(L, arg, "groups already freed");
    if (b->nrows != fr_nrows(f))
        luaL_error(L, "groups were made for a frame of %lld rows, not %lld",
                   (long long)b->nrows, (long long)fr_nrows(f));
    return b->g;
}

/* groups:info() -> ngroups, maxlen, has_time */
static int g_info(lua_State *L) {
    GBox *b = luaL_checkudata(L, 1, GROUPS_MT);
    luaL_argcheck(L, b->g != NULL, 1, "groups already freed");
    lua_pushinteger(L, (lua_Integer)b->g->ngroups);
    lua_pushinteger(L, (lua_Integer)b->g->maxlen);
    lua_pushboolean(L, b->g->time != NULL);
    return 3;
}

/* ---- the per-group driver ---- */

/* One kernel call on a group's values x[0..n) (times t, or NULL) into out[0..n). */
typedef struct Job {
    int      kind;            /* 0 shift, 1 rolling, 2 ewm */
    void   (*shift)(const double *, int64_t, int64_t, double *);
    int64_t  k;
    ft_Window w;
    ft_Stat  stat;
    void   (*ew)(const double *, int64_t, const ft_Ewm *, double *);
    ft_Ewm   ewm;
} Job;

static int job_run(const Job *j, const double *x, const int64_t *t, int64_t n, double *out,
                   mn_Err *e) {
    if (j->kind == 0)
        j->shift(x, n, j->k, out);
    else if (j->kind == 1)
        return ft_rolling(x, t, n, &j->w, j->stat, out, e);
    else
        j->ew(x, n, &j->ewm, out);
    return MN_OK;
}

/* Run j over every group of g on column 'col' of f; push the new f64 column. A group whose
** rows are one contiguous run is read and written in place; others go through two scratch
** arrays of the largest group's length (and one of times for span windows). */
static int run(lua_State *L, fr_Frame *f, const char *col, const ft_Groups *g, const Job *j) {
    const double *x;
    double *owned = NULL, *out, *buf = NULL, *obuf = NULL;
    int64_t *tbuf = NULL, n = fr_nrows(f);
    fr_Column *c = NULL;
    mn_Err e = {0};
    int rc;
    if ((rc = ft_numeric(f, col, &x, &owned, &e)) != MN_OK)
        return lb_raise(L, &e);
    if ((rc = fr_col_new_unset(FR_F64, n, &c, &e)) != MN_OK)   /* every row is written: */
        goto done;                                              /* the groups cover them all */
    out = fr_col_f64(c);
    for (int64_t k = 0; k < g->ngroups && rc == MN_OK; k++) {
        const int64_t *r = ft_group_rows(g, k);
        int64_t len = ft_group_len(g, k);
        if (r[len - 1] - r[0] == len - 1) {       /* contiguous: rows r[0] .. r[0]+len-1 */
            rc = job_run(j, x + r[0], g->time ? g->time + r[0] : NULL, len, out + r[0], &e);
            continue;
        }
        if (buf == NULL) {
            buf = mn_malloc((size_t)g->maxlen * sizeof *buf);
            obuf = mn_malloc((size_t)g->maxlen * sizeof *obuf);
            tbuf = g->time ? mn_malloc((size_t)g->maxlen * sizeof *tbuf) : NULL;
            if (buf == NULL || obuf == NULL || (g->time != NULL && tbuf == NULL)) {
                rc = mn_fail(&e, MN_ENOMEM, "feature: out of memory");
                break;
            }
        }
        ft_gather(g, k, x, buf);
        for (int64_t i = 0; tbuf != NULL && i < len; i++)
            tbuf[i] = g->time[r[i]];
        if ((rc = job_run(j, buf, tbuf, len, obuf, &e)) == MN_OK)
            ft_scatter(g, k, obuf, out);
    }
done:
    mn_free(owned);
    mn_free(buf);
    mn_free(obuf);
    mn_free(tbuf);
    if (rc != MN_OK) {
        fr_col_unref(c);
        return lb_raise(L, &e);
    }
    lb_pushcolumn(L, c, NULL);
    fr_col_unref(c);
    return 1;
}

/* shift(frame, col, kind, k, groups) kind: "lag", "diff", "pct_change", "log_returns" */
static int feat_shift(lua_State *L) {
    static const char *const kinds[] = {"lag", "diff", "pct_change", "log_returns", NULL};
    static void (*const fns[])(const double *, int64_t, int64_t, double *) = {
        ft_lag, ft_diff, ft_pct_change, ft_log_returns};
    fr_Frame *f = lb_checkframe(L, 1);
    const char *col = luaL_checkstring(L, 2);
    Job j = {0};
    j.shift = fns[luaL_checkoption(L, 3, NULL, kinds)];
    j.k = luaL_checkinteger(L, 4);
    luaL_argcheck(L, j.k >= 1, 4, "k must be >= 1");
    return run(L, f, col, lb_feat_checkgroups(L, 5, f), &j);
}

/* rolling(frame, col, rows|span string, stat, min_periods|-1, q, groups)  rows -1: expanding */
static int feat_rolling(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    const char *col = luaL_checkstring(L, 2);
    const ft_Groups *g;
    mn_Err e = {0};
    Job j = {0};
    j.kind = 1;
    if (lua_type(L, 3) == LUA_TSTRING) {
        if (ft_parse_span(lua_tostring(L, 3), &j.w.span, &e) != MN_OK)
            return lb_raise(L, &e);
    } else {
        j.w.rows = luaL_checkinteger(L, 3);
        if (j.w.rows == -1)
            j.w.rows = INT64_MAX;
    }
    if (ft_stat_parse(luaL_checkstring(L, 4), &j.stat, &e) != MN_OK)
        return lb_raise(L, &e);
    j.w.min_periods = luaL_checkinteger(L, 5);
    j.w.q = luaL_checknumber(L, 6);
    if (ft_window_check(&j.w, j.stat, &e) != MN_OK)
        return lb_raise(L, &e);
    g = lb_feat_checkgroups(L, 7, f);
    if (j.w.span == 0 && j.w.rows != INT64_MAX && g->nrows > 0 && j.w.rows > g->maxlen &&
        (j.w.min_periods < 0 ? j.w.rows : j.w.min_periods) > g->maxlen)
        /* no group can ever fill it: every value would be NaN (a shorter group alone gives
        ** NaN, as the other groups may still fill it) */
        return luaL_error(L, "window: %I rows is longer than the series (its longest group has "
                          "%I rows); give a shorter window or min_periods", (lua_Integer)j.w.rows,
                          (lua_Integer)g->maxlen);
    if (j.w.span > 0 && g->time == NULL)
        return luaL_error(L, "window '%s' is a time span: it needs a date or datetime time "
                          "column (time = \"...\")", lua_tostring(L, 3));
    return run(L, f, col, g, &j);
}

/* ewm(frame, col, alpha, adjust, min_periods, stat, groups) stat: mean, var, std, vol */
static int feat_ewm(lua_State *L) {
    static const char *const stats[] = {"mean", "var", "std", "vol", NULL};
    static void (*const fns[])(const double *, int64_t, const ft_Ewm *, double *) = {
        ft_ewm_mean, ft_ewm_var, ft_ewm_std, ft_ewm_vol};
    fr_Frame *f = lb_checkframe(L, 1);
    const char *col = luaL_checkstring(L, 2);
    Job j = {0};
    j.kind = 2;
    j.ewm.alpha = luaL_checknumber(L, 3);
    j.ewm.adjust = lua_toboolean(L, 4);
    j.ewm.min_periods = luaL_checkinteger(L, 5);
    j.ew = fns[luaL_checkoption(L, 6, NULL, stats)];
    luaL_argcheck(L, j.ewm.alpha > 0 && j.ewm.alpha <= 1, 3, "alpha must be in (0, 1]");
    return run(L, f, col, lb_feat_checkgroups(L, 7, f), &j);
}

static const luaL_Reg g_metas[] = {{"__gc", g_gc}, {"__close", g_gc}, {NULL, NULL}};
static const luaL_Reg g_methods[] = {{"info", g_info}, {"free", g_gc}, {NULL, NULL}};
static const luaL_Reg funcs[] = {
    {"groups", feat_groups},
    {"shift", feat_shift},
    {"rolling", feat_rolling},
    {"ewm", feat_ewm},
    {NULL, NULL}
};

int luaopen_moneta_c_feat(lua_State *L) {
    lb_newclass(L, GROUPS_MT, g_metas, g_methods);
    luaL_newlib(L, funcs);
    lb_feat_ind(L);                               /* rsi, macd, ..., targets */
    lb_feat_windows(L);                           /* windows, split_windows, window_scaler */
    lb_feat_select(L);                            /* corr, variance_threshold, mi, vif */
    lb_feat_woe(L);                               /* woe, psi */
    return 1;
}
