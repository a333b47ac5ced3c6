/* l_clean.c -- Lua face of data/clean and data/split ("moneta.c.clean"): the cleaning and
** split methods of moneta.Frame (added with lb_newclass) and the index-level split
** functions behind moneta.split (indices, kfold, walk_forward_folds, take). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/rng.h"
#include "data/clean.h"
#include "data/frame.h"
#include "data/split.h"
#include "lua/lb.h"

#define REPORT_MT "moneta.MissingReport"

/* ---- helpers ---- */

static void check(lua_State *L, int rc, mn_Err *e) {
    if (rc != MN_OK)
        lb_raise(L, e);
}

/* Optional list of names in opts[key] (string or sequence); NULL/0 when absent. Leaves one
** value on the stack either way (the names' userdata or nil). */
static const char **opt_names(lua_State *L, int opts, const char *key, int *k) {
    *k = 0;
    if (lua_isnoneornil(L, opts)) {
        lua_pushnil(L);
        return NULL;
    }
    lua_getfield(L, opts, key);
    if (lua_isnil(L, -1))
        return NULL;
    {
        const char **names = lb_checknames(L, lua_gettop(L), k);
        lua_remove(L, -2);                      /* the userdata stays, the names it points to
                                                ** are kept alive by the options table */
        return names;
    }
}

/* Push the frame '*g' made by a call that returned 'rc' (pass &g: C evaluates arguments in
** no fixed order, so reading g itself beside the call could see it before the call ran). */
static int frame_result(lua_State *L, int rc, fr_Frame **g, mn_Err *e) {
    check(L, rc, e);
    lb_pushframe(L, *g);
    return 1;
}

static fr_Type type_from_name(lua_State *L, const char *col, const char *t) {
    fr_Type ty = FR_F64;
    if (!fr_type_parse(t, &ty))
        luaL_error(L, "cast: column '%s': unknown type '%s' (f64, cat, text, bool, date, "
                   "datetime)", col, t);
    return ty;
}

/* Push a 1-based Lua sequence of the 0-based indices idx[0..n). */
static void push_index(lua_State *L, const int64_t *idx, int64_t n) {
    lua_createtable(L, (int)(n < INT32_MAX ? n : 0), 0);
    for (int64_t i = 0; i < n; i++) {
        lua_pushinteger(L, (lua_Integer)idx[i] + 1);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* ---- cleaning methods ---- */

/* dropna([{how = "any"|"all", subset = {...}}]) */
static int f_dropna(lua_State *L) {
    static const char *const known[] = {"how", "subset", NULL};
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    const char *how, **subset;
    int k;
    mn_Err e = {0};
    lb_opt_check(L, 2, "dropna", known);
    how = lb_opt_string(L, 2, "how", "any");
    if (strcmp(how, "any") != 0 && strcmp(how, "all") != 0)
        return luaL_error(L, "dropna: how must be 'any' or 'all' (got '%s')", how);
    subset = opt_names(L, 2, "subset", &k);
    return frame_result(L, fr_dropna(f, how[0] == 'a' && how[1] == 'l', subset, k, &g, &e), &g,
                        &e);
}

static int fill_kind(const char *s, fr_FillHow *how) {
    static const struct { const char *name; fr_FillHow how; } kinds[] = {
        {"mean", FR_FILL_MEAN}, {"median", FR_FILL_MEDIAN}, {"mode", FR_FILL_MODE},
        {"ffill", FR_FILL_FFILL}, {"bfill", FR_FILL_BFILL}, {"interpolate", FR_FILL_INTERP},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].name, s) == 0) {
            *how = kinds[i].how;
            return 1;
        }
    return 0;
}

/* Read one fill spec (the value at the top of the stack) for column 'col' into 'fl'. */
static void read_fill(lua_State *L, fr_Frame *f, const char *col, fr_Fill *fl) {
    int t = lua_type(L, -1), forced = 0;
    fl->column = col;
    fl->how = FR_FILL_VALUE;
    fl->value = NAN;
    fl->level = NULL;
    if (t == LUA_TTABLE) {                      /* {value = x}: always a constant */
        lua_getfield(L, -1, "value");
        lua_replace(L, -2);
        t = lua_type(L, -1);
        forced = 1;
    }
    if (t == LUA_TNUMBER) {
        fl->value = lua_tonumber(L, -1);
    } else if (t == LUA_TBOOLEAN) {
        fl->value = lua_toboolean(L, -1);
    } else if (t == LUA_TSTRING) {
        const char *s = lua_tostring(L, -1);
        int j = fr_find(f, col);
        if (forced || !fill_kind(s, &fl->how)) {
            fr_Type ty = j >= 0 ? fr_col_type(fr_col(f, j)) : FR_CAT;
            if (ty != FR_CAT && ty != FR_TEXT)
                luaL_error(L, "fillna: column '%s': '%s' is not a method (mean, median, mode, "
                           "ffill, bfill, interpolate) and the column is %s, not cat or text",
                           col, s, fr_type_name(ty));
            fl->level = s;                       /* kept alive by the spec table */
        }
    } else {
        luaL_error(L, "fillna: column '%s': a number, boolean, string or method name expected, "
                   "got %s", col, luaL_typename(L, -1));
    }
}

/* fillna{col = value|"mean"|..., ...} [, {by = "date"}] or fillna(number) for every f64 column */
static int f_fillna(lua_State *L) {
    static const char *const known[] = {"by", NULL};
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    fr_Fill *fills;
    int k = 0, n;
    const char *by;
    mn_Err e = {0};
    lb_opt_check(L, 3, "fillna", known);
    by = lb_opt_string(L, 3, "by", NULL);
    if (lua_type(L, 2) == LUA_TNUMBER) {        /* fillna(0): every f64 column */
        double v = lua_tonumber(L, 2);
        fills = lua_newuserdatauv(L, (size_t)(fr_ncols(f) + 1) * sizeof *fills, 0);
        for (int j = 0; j < fr_ncols(f); j++)
            if (fr_col_type(fr_col(f, j)) == FR_F64)
                fills[k++] = (fr_Fill){fr_name(f, j), FR_FILL_VALUE, v, NULL};
        return frame_result(L, fr_fillna(f, fills, k, NULL, &g, &e), &g, &e);
    }
    luaL_checktype(L, 2, LUA_TTABLE);
    n = 0;
    lua_pushnil(L);
    while (lua_next(L, 2) != 0) {
        n++;
        lua_pop(L, 1);
    }
    fills = lua_newuserdatauv(L, (size_t)(n + 1) * sizeof *fills, 0);
    lua_pushnil(L);
    while (lua_next(L, 2) != 0) {
        const char *col;
        if (lua_type(L, -2) != LUA_TSTRING)
            return luaL_error(L, "fillna: expected {column = value or method, ...}");
        col = lua_tostring(L, -2);
        if (strcmp(col, "by") == 0 && fr_find(f, "by") < 0 && lua_type(L, -1) == LUA_TSTRING) {
            by = lua_tostring(L, -1);           /* fillna{x = "interpolate", by = "date"} */
            lua_pop(L, 1);
            continue;
        }
        read_fill(L, f, col, &fills[k++]);
        lua_pop(L, 1);
    }
    return frame_result(L, fr_fillna(f, fills, k, by, &g, &e), &g, &e);
}

/* dedupe([{subset = {...}, keep = "first"|"last"|"none"|false}]) */
static int f_dedupe(lua_State *L) {
    static const char *const known[] = {"subset", "keep", NULL};
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    fr_Keep keep = FR_KEEP_FIRST;
    const char **subset;
    int k;
    mn_Err e = {0};
    lb_opt_check(L, 2, "dedupe", known);
    if (!lua_isnoneornil(L, 2)) {
        lua_getfield(L, 2, "keep");
        if (lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
            keep = FR_KEEP_NONE;
        } else if (!lua_isnil(L, -1)) {
            const char *s = lua_tostring(L, -1);
            if (s != NULL && strcmp(s, "first") == 0)
                keep = FR_KEEP_FIRST;
            else if (s != NULL && strcmp(s, "last") == 0)
                keep = FR_KEEP_LAST;
            else if (s != NULL && strcmp(s, "none") == 0)
                keep = FR_KEEP_NONE;
            else
                return luaL_error(L, "dedupe: keep must be 'first', 'last', 'none' or false");
        }
        lua_pop(L, 1);
    }
    subset = opt_names(L, 2, "subset", &k);
    return frame_result(L, fr_dedupe(f, subset, k, keep, &g, &e), &g, &e);
}

static double bound_at(lua_State *L, int t, int i, const char *key, double def,
                       const char *col) {
    double v = def;
    int ty = lua_geti(L, t, i);
    if (ty == LUA_TNIL) {
        lua_pop(L, 1);
        ty = lua_getfield(L, t, key);
    }
    if (ty == LUA_TNUMBER)
        v = lua_tonumber(L, -1);
    else if (ty != LUA_TNIL)
        luaL_error(L, "clip: column '%s': bound '%s' must be a number", col, key);
    lua_pop(L, 1);
    return v;
}

/* clip{col = {lo, hi} | {lo = , hi = } | {q = {0.01, 0.99}}, ...} */
static int f_clip(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    mn_Err e = {0};
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushvalue(L, 1);                        /* the current frame at index 3 */
    lua_pushnil(L);
    while (lua_next(L, 2) != 0) {
        const char *col;
        double lo, hi;
        fr_Frame *g = NULL;
        if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TTABLE)
            return luaL_error(L, "clip: expected {column = {lo, hi}, ...}");
        col = lua_tostring(L, -2);
        if (lua_getfield(L, -1, "q") == LUA_TTABLE) {
            fr_Column *c;
            int t = lua_gettop(L);
            double qlo = bound_at(L, t, 1, "lo", 0.0, col);
            double qhi = bound_at(L, t, 2, "hi", 1.0, col);
            check(L, fr_get(f, col, &c, &e), &e);
            if (fr_col_type(c) != FR_F64)
                return luaL_error(L, "clip: column '%s' is %s, not f64", col,
                                  fr_type_name(fr_col_type(c)));
            check(L, fr_quantile_bounds(c, qlo, qhi, &lo, &hi, &e), &e);
            if (isnan(lo)) {                    /* no values: nothing to clip */
                lo = -INFINITY;
                hi = INFINITY;
            }
        } else {
            int t = lua_gettop(L) - 1;
            lo = bound_at(L, t, 1, "lo", -INFINITY, col);
            hi = bound_at(L, t, 2, "hi", INFINITY, col);
        }
        lua_pop(L, 1);
        check(L, fr_clip(lb_checkframe(L, 3), col, lo, hi, &g, &e), &e);
        lb_pushframe(L, g);
        lua_replace(L, 3);
        lua_pop(L, 1);
    }
    return 1;
}

/* winsorize([cols] [, {limits = {lo, hi}}]); cols: a name or list, default every f64 column */
static int f_winsorize(lua_State *L) {
    static const char *const known[] = {"limits", NULL};
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    const char **cols;
    int k = 0, opts = 3;
    double lo = 0.01, hi = 0.01;
    mn_Err e = {0};
    if (lua_istable(L, 2) && lua_rawlen(L, 2) == 0 && lua_isnoneornil(L, 3)) {
        opts = 2;                               /* winsorize{limits = ...} */
    }
    lb_opt_check(L, opts, "winsorize", known);
    if (!lua_isnoneornil(L, opts) && lua_getfield(L, opts, "limits") != LUA_TNIL) {
        if (lua_type(L, -1) == LUA_TNUMBER) {
            lo = hi = lua_tonumber(L, -1);
        } else {
            luaL_checktype(L, -1, LUA_TTABLE);
            lua_geti(L, -1, 1);
            lua_geti(L, -2, 2);
            lo = luaL_optnumber(L, -2, 0.0);
            hi = luaL_optnumber(L, -1, 0.0);
            lua_pop(L, 2);
        }
    }
    if (opts == 3 && !lua_isnoneornil(L, 2)) {
        cols = lb_checknames(L, 2, &k);
    } else {
        cols = lua_newuserdatauv(L, (size_t)(fr_ncols(f) + 1) * sizeof *cols, 0);
        for (int j = 0; j < fr_ncols(f); j++)
            if (fr_col_type(fr_col(f, j)) == FR_F64)
                cols[k++] = fr_name(f, j);
    }
    return frame_result(L, fr_winsorize(f, cols, k, lo, hi, &g, &e), &g, &e);
}

/* outliers(col [, {method = "zscore"|"iqr", k = 3 | 1.5}]) -> bool column "<col>_outlier" */
static int f_outliers(lua_State *L) {
    static const char *const known[] = {"method", "k", NULL};
    fr_Frame *f = lb_checkframe(L, 1);
    const char *col = luaL_checkstring(L, 2), *method;
    fr_Column *c, *o = NULL;
    fr_OutlierMethod m;
    double k;
    mn_Err e = {0};
    lb_opt_check(L, 3, "outliers", known);
    method = lb_opt_string(L, 3, "method", "zscore");
    if (strcmp(method, "zscore") == 0)
        m = FR_OUT_ZSCORE;
    else if (strcmp(method, "iqr") == 0)
        m = FR_OUT_IQR;
    else
        return luaL_error(L, "outliers: method must be 'zscore' or 'iqr' (got '%s')", method);
    k = lb_opt_number(L, 3, "k", m == FR_OUT_ZSCORE ? 3.0 : 1.5);
    check(L, fr_get(f, col, &c, &e), &e);
    if (fr_outliers(c, m, k, &o, &e) != MN_OK) {
        mn_prefix(&e, "column '%s'", col);
        lb_raise(L, &e);
    }
    lua_pushfstring(L, "%s_outlier", col);
    lb_pushcolumn(L, o, lua_tostring(L, -1));
    fr_col_unref(o);
    return 1;
}

/* cast{col = "f64"|"cat"|"text"|"bool"|"date"|"datetime", ...} */
static int f_cast(lua_State *L) {
    mn_Err e = {0};
    luaL_checktype(L, 2, LUA_TTABLE);
    lb_checkframe(L, 1);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    while (lua_next(L, 2) != 0) {
        fr_Frame *g = NULL;
        const char *col;
        if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
            return luaL_error(L, "cast: expected {column = 'type', ...}");
        col = lua_tostring(L, -2);
        check(L, fr_cast(lb_checkframe(L, 3), col, type_from_name(L, col, lua_tostring(L, -1)),
                         &g, &e), &e);
        lb_pushframe(L, g);
        lua_replace(L, 3);
        lua_pop(L, 1);
    }
    return 1;
}

/* missing() -> report: report[i] = {column, type, missing, share}, report[name] too */
static int f_missing(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    int64_t n = fr_nrows(f);
    int64_t *cnt = lua_newuserdatauv(L, (size_t)(fr_ncols(f) + 1) * sizeof *cnt, 0);
    fr_missing_counts(f, cnt);
    lua_createtable(L, fr_ncols(f), fr_ncols(f));
    for (int j = 0; j < fr_ncols(f); j++) {
        lua_createtable(L, 0, 4);
        lua_pushstring(L, fr_name(f, j));
        lua_setfield(L, -2, "column");
        lua_pushstring(L, fr_type_name(fr_col_type(fr_col(f, j))));
        lua_setfield(L, -2, "type");
        lua_pushinteger(L, (lua_Integer)cnt[j]);
        lua_setfield(L, -2, "missing");
        lua_pushnumber(L, n > 0 ? (double)cnt[j] / (double)n : 0.0);
        lua_setfield(L, -2, "share");
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, fr_name(f, j));
        lua_rawseti(L, -2, j + 1);
    }
    lua_pushinteger(L, (lua_Integer)n);
    lua_setfield(L, -2, "nrows");
    luaL_setmetatable(L, REPORT_MT);
    return 1;
}

static int report_tostring(lua_State *L) {
    int n, wname = 6, wtype = 4, wcnt = 7;
    luaL_Buffer b;
    char line[512];
    luaL_checktype(L, 1, LUA_TTABLE);
    n = (int)lua_rawlen(L, 1);
    for (int i = 1; i <= n; i++) {
        int w;
        lua_rawgeti(L, 1, i);
        lua_getfield(L, -1, "column");
        w = (int)lua_rawlen(L, -1);
        wname = w > wname ? (w < 40 ? w : 40) : wname;
        lua_getfield(L, -2, "missing");
        w = snprintf(line, sizeof line, "%lld", (long long)lua_tointeger(L, -1));
        wcnt = w > wcnt ? w : wcnt;
        lua_getfield(L, -3, "type");
        w = (int)lua_rawlen(L, -1);
        wtype = w > wtype ? w : wtype;
        lua_pop(L, 4);
    }
    luaL_buffinit(L, &b);
    snprintf(line, sizeof line, "%-*s  %-*s  %*s  %7s\n", wname, "column", wtype, "type", wcnt,
             "missing", "share");
    luaL_addstring(&b, line);
    for (int i = 1; i <= n; i++) {
        lua_rawgeti(L, 1, i);
        lua_getfield(L, -1, "column");
        lua_getfield(L, -2, "type");
        lua_getfield(L, -3, "missing");
        lua_getfield(L, -4, "share");
        snprintf(line, sizeof line, "%-*.*s  %-*s  %*lld  %6.2f%%\n", wname, wname,
                 lua_tostring(L, -4), wtype, lua_tostring(L, -3), wcnt,
                 (long long)lua_tointeger(L, -2), 100.0 * lua_tonumber(L, -1));
        lua_pop(L, 5);
        luaL_addstring(&b, line);
    }
    lua_getfield(L, 1, "nrows");
    snprintf(line, sizeof line, "[%lld rows x %d columns]", (long long)lua_tointeger(L, -1), n);
    lua_pop(L, 1);
    luaL_addstring(&b, line);
    luaL_pushresult(&b);
    return 1;
}

/* ---- splits ---- */

/* Row count of argument 'arg': a frame's rows or an integer. */
static int64_t nrows_arg(lua_State *L, int arg, fr_Frame **f) {
    *f = NULL;
    if (lua_isinteger(L, arg)) {
        lua_Integer n = lua_tointeger(L, arg);
        luaL_argcheck(L, n >= 0, arg, "row count must be >= 0");
        return (int64_t)n;
    }
    *f = lb_checkframe(L, arg);
    return fr_nrows(*f);
}

/* Class ids of column opts.stratify of f (a userdata on the stack), or NULL. */
static int64_t *strata_of(lua_State *L, fr_Frame *f, const char *col, int64_t *ncls) {
    fr_Column *c;
    int64_t *cls;
    mn_Err e = {0};
    if (col == NULL)
        return NULL;
    if (f == NULL)
        luaL_error(L, "split: stratify needs a frame, not a row count");
    check(L, fr_get(f, col, &c, &e), &e);
    cls = lua_newuserdatauv(L, (size_t)(fr_nrows(f) + 1) * sizeof *cls, 0);
    if (fr_split_classes(c, cls, ncls, &e) != MN_OK) {
        mn_prefix(&e, "split: stratify '%s'", col);
        lb_raise(L, &e);
    }
    return cls;
}

/* The split options at 'opts' -> fr_Split (0-based). */
static void do_split(lua_State *L, fr_Frame *f, int64_t n, int opts, fr_Split *s) {
    static const char *const known[] = {"test", "stratify", "by", "seed", NULL};
    const char *strat, *by;
    double test;
    int64_t ncls = 0, *cls;
    mn_Rng rng;
    mn_Err e = {0};
    int rc;
    lb_opt_check(L, opts, "split", known);
    test = lb_opt_number(L, opts, "test", 0.2);
    strat = lb_opt_string(L, opts, "stratify", NULL);
    by = lb_opt_string(L, opts, "by", NULL);
    mn_rng_seed(&rng, (uint64_t)lb_opt_integer(L, opts, "seed", 0));
    if (strat != NULL && by != NULL)
        luaL_error(L, "split: give stratify or by, not both (a time split is not random)");
    if (by != NULL) {
        fr_Column *t;
        if (f == NULL)
            luaL_error(L, "split: by needs a frame, not a row count");
        check(L, fr_get(f, by, &t, &e), &e);
        rc = fr_split_time(t, by, test, s, &e);
    } else {
        cls = strata_of(L, f, strat, &ncls);
        rc = fr_split_random(n, test, cls, ncls, &rng, s, &e);
    }
    check(L, rc, &e);
}

/* frame:split{test = 0.2, stratify = col, by = time_col, seed = 0} -> train, test */
static int f_split(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1), *a = NULL, *b = NULL;
    fr_Split s = {0};
    mn_Err e = {0};
    int rc;
    do_split(L, f, fr_nrows(f), 2, &s);
    rc = fr_take(f, s.train, s.ntrain, &a, &e);
    if (rc == MN_OK)
        rc = fr_take(f, s.test, s.ntest, &b, &e);
    fr_split_free(&s);
    if (rc != MN_OK) {
        fr_free(a);
        lb_raise(L, &e);
    }
    lb_pushframe(L, a);
    lb_pushframe(L, b);
    return 2;
}

/* indices(frame_or_n, opts) -> train_idx, test_idx (1-based, ascending) */
static int s_indices(lua_State *L) {
    fr_Frame *f;
    int64_t n = nrows_arg(L, 1, &f);
    fr_Split s = {0};
    do_split(L, f, n, 2, &s);
    push_index(L, s.train, s.ntrain);           /* OOM here would leak s: acceptable */
    push_index(L, s.test, s.ntest);
    fr_split_free(&s);
    return 2;
}

/* Append {train = idx, test = idx} (also [1] = train, [2] = test, so table.unpack(fold)
** gives both) to the list at 'list'. */
static void push_fold(lua_State *L, int list, int i, const int64_t *tr, int64_t ntr,
                      const int64_t *te, int64_t nte) {
    lua_createtable(L, 2, 2);
    push_index(L, tr, ntr);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "train");
    lua_rawseti(L, -2, 1);
    push_index(L, te, nte);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "test");
    lua_rawseti(L, -2, 2);
    lua_rawseti(L, list, i);
}

/* kfold(frame_or_n, {k = 5, stratify = col, shuffle = true, seed = 0}) -> {{train=, test=}...} */
static int s_kfold(lua_State *L) {
    static const char *const known[] = {"k", "stratify", "shuffle", "seed", NULL};
    fr_Frame *f;
    int64_t n = nrows_arg(L, 1, &f), ncls = 0, *cls, *tr, *te;
    int64_t k;
    int32_t *fold;
    int shuffle;
    mn_Rng rng;
    mn_Err e = {0};
    lb_opt_check(L, 2, "kfold", known);
    k = lb_opt_integer(L, 2, "k", 5);
    shuffle = lb_opt_boolean(L, 2, "shuffle", 1);
    mn_rng_seed(&rng, (uint64_t)lb_opt_integer(L, 2, "seed", 0));
    if (k < 2 || k > n)
        return luaL_error(L, "kfold: k = %I must be in [2, %I] (the rows)", (lua_Integer)k,
                          (lua_Integer)n);
    cls = strata_of(L, f, lb_opt_string(L, 2, "stratify", NULL), &ncls);
    fold = lua_newuserdatauv(L, (size_t)(n + 1) * sizeof *fold, 0);
    tr = lua_newuserdatauv(L, (size_t)(n + 1) * sizeof *tr, 0);
    te = lua_newuserdatauv(L, (size_t)(n + 1) * sizeof *te, 0);
    check(L, fr_kfold(n, (int)k, cls, ncls, shuffle, &rng, fold, &e), &e);
    lua_createtable(L, (int)k, 0);
    for (int j = 0; j < k; j++) {
        int64_t ntr = 0, nte = 0;
        for (int64_t i = 0; i < n; i++) {
            if (fold[i] == j)
                te[nte++] = i;
            else
                tr[ntr++] = i;
        }
        push_fold(L, lua_gettop(L), j + 1, tr, ntr, te, nte);
    }
    return 1;
}

/* walk_forward_folds{n =, train =, test =, step =, gap =, expanding = true}
** or walk_forward_folds(frame, {by = time_col, train =, ...}) -> {{train=, test=}, ...} */
static int s_walk_forward_folds(lua_State *L) {
    static const char *const known[] = {"n", "train", "test", "step", "gap", "expanding", "by",
                                        NULL};
    fr_Frame *f = NULL;
    int opts = 1, nf = 0;
    fr_WalkOpts o;
    fr_Split *fs = NULL;
    int64_t *order = NULL, *rank = NULL;
    const char *by;
    mn_Err e = {0};
    if (!lua_istable(L, 1)) {
        f = lb_checkframe(L, 1);
        opts = 2;
        luaL_checktype(L, 2, LUA_TTABLE);
    }
    lb_opt_check(L, opts, "walk_forward_folds", known);
    o.n = f ? fr_nrows(f) : lb_opt_integer(L, opts, "n", -1);
    if (o.n < 0)
        return luaL_error(L, "walk_forward_folds: give n = rows, or a frame first");
    if (!lb_opt_isset(L, opts, "train") || !lb_opt_isset(L, opts, "test"))
        return luaL_error(L, "walk_forward_folds: train and test (row counts) are required");
    o.train = lb_opt_integer(L, opts, "train", 0);
    o.test = lb_opt_integer(L, opts, "test", 0);
    o.step = lb_opt_integer(L, opts, "step", 0);
    o.gap = lb_opt_integer(L, opts, "gap", 0);
    o.expanding = lb_opt_boolean(L, opts, "expanding", 1);
    by = lb_opt_string(L, opts, "by", NULL);
    if (by != NULL) {
        fr_Column *t;
        if (f == NULL)
            return luaL_error(L, "walk_forward_folds: by needs a frame");
        check(L, fr_get(f, by, &t, &e), &e);
        order = lua_newuserdatauv(L, (size_t)(o.n + 1) * sizeof *order, 0);
        rank = lua_newuserdatauv(L, (size_t)(o.n + 1) * sizeof *rank, 0);
        if (fr_time_order(t, by, order, rank, &e) != MN_OK)
            return lb_raise(L, &e);
    }
    check(L, fr_walk_forward_folds(&o, order, rank, &fs, &nf, &e), &e);
    lua_createtable(L, nf, 0);
    for (int j = 0; j < nf; j++)
        push_fold(L, lua_gettop(L), j + 1, fs[j].train, fs[j].ntrain, fs[j].test, fs[j].ntest);
    for (int j = 0; j < nf; j++)
        fr_split_free(&fs[j]);
    mn_free(fs);
    return 1;
}

/* take(frame, idx) -> the rows idx (1-based) of frame, in that order */
static int s_take(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    int64_t n, *idx;
    mn_Err e = {0};
    luaL_checktype(L, 2, LUA_TTABLE);
    n = (int64_t)luaL_len(L, 2);
    idx = lua_newuserdatauv(L, (size_t)(n + 1) * sizeof *idx, 0);
    for (int64_t i = 0; i < n; i++) {
        lua_Integer r;
        int ok;
        lua_geti(L, 2, (lua_Integer)i + 1);
        r = lua_tointegerx(L, -1, &ok);
        if (!ok || r < 1 || r > (lua_Integer)fr_nrows(f))
            return luaL_error(L, "take: item %d is not a row number in [1, %d]", (int)i + 1,
                              (int)fr_nrows(f));
        idx[i] = (int64_t)r - 1;
        lua_pop(L, 1);
    }
    return frame_result(L, fr_take(f, idx, n, &g, &e), &g, &e);
}

static const luaL_Reg frame_methods[] = {
    {"dropna", f_dropna}, {"fillna", f_fillna}, {"dedupe", f_dedupe}, {"clip", f_clip},
    {"winsorize", f_winsorize}, {"outliers", f_outliers}, {"cast", f_cast},
    {"missing", f_missing}, {"split", f_split},
    {NULL, NULL}
};

static const luaL_Reg funcs[] = {
    {"indices", s_indices}, {"kfold", s_kfold}, {"walk_forward_folds", s_walk_forward_folds},
    {"take", s_take},
    {NULL, NULL}
};

int luaopen_moneta_c_clean(lua_State *L) {
    static const luaL_Reg report_metas[] = {
        {"__tostring", report_tostring}, {"__pretty", report_tostring}, {NULL, NULL}
    };
    lb_newclass(L, LB_FRAME_MT, NULL, frame_methods);
    lb_newclass(L, REPORT_MT, report_metas, NULL);
    luaL_newlib(L, funcs);
    return 1;
}
