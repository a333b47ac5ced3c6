/* l_prep.c -- Lua face of data/transform ("moneta.c.prep"): constructors of the fitted
** transforms, the moneta.Prep userdata (fit, transform, fit_transform, serialize, params,
** bins) and deserialize. The woe constructor is public as feat.woe (lb_prep_woe, registered
** by l_feat_woe.c). The sugar and help texts are in lua/moneta/prep.lua. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/mem.h"
#include "data/frame.h"
#include "data/transform.h"
#include "lua/lb.h"

#define PREP_MT "moneta.Prep"

static fr_Prep **newbox(lua_State *L) {
    fr_Prep **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;                               /* harmless for __gc if we raise later */
    luaL_setmetatable(L, PREP_MT);
    return box;
}

static fr_Prep *checkprep(lua_State *L, int arg) {
    fr_Prep **box = luaL_checkudata(L, arg, PREP_MT);
    if (*box == NULL)
        luaL_argerror(L, arg, "transform has been freed");
    return *box;
}

/* ---- options ---- */

static const char *const common_opts[] = {"columns", NULL};

static void read_opts(lua_State *L, int idx, fr_PrepKind kind, fr_PrepOpts *o) {
    static const char *const known_scale[] = {"columns", NULL};
    static const char *const known_minmax[] = {"columns", "range", NULL};
    static const char *const known_robust[] = {"columns", "quantiles", NULL};
    static const char *const known_impute[] = {"columns", "strategy", "value", "level", NULL};
    static const char *const known_onehot[] = {"columns", "drop_first", "handle_unknown",
                                               "min_frequency", "missing", NULL};
    static const char *const known_ordinal[] = {"columns", "unknown", NULL};
    static const char *const known_woe[] = {"columns", "method", "bins", "fine", "min_share",
                                            "smooth", "target", NULL};
    static const char *const *const known[] = {known_scale, known_minmax, known_robust,
                                               known_impute, known_onehot, known_ordinal,
                                               known_woe, common_opts};
    const char *what = fr_prep_kind_name(kind);
    fr_prep_opts_init(o);
    lb_opt_check(L, idx, what, known[kind]);
    if (lua_isnoneornil(L, idx))
        return;
    /* the names' array and the list it points into stay on the stack until fr_prep_new has
    ** copied them (the caller's stack frame outlives it) */
    if (lua_getfield(L, idx, "columns") != LUA_TNIL)
        o->columns = lb_checknames(L, lua_gettop(L), &o->ncolumns);
    switch (kind) {
    case FR_PREP_MINMAX: case FR_PREP_ROBUST: {
        const char *key = kind == FR_PREP_MINMAX ? "range" : "quantiles";
        if (lua_getfield(L, idx, key) != LUA_TNIL) {
            double *lo = kind == FR_PREP_MINMAX ? &o->range_lo : &o->q_lo;
            double *hi = kind == FR_PREP_MINMAX ? &o->range_hi : &o->q_hi;
            luaL_checktype(L, -1, LUA_TTABLE);
            lua_geti(L, -1, 1);
            lua_geti(L, -2, 2);
            if (!lua_isnumber(L, -2) || !lua_isnumber(L, -1))
                luaL_error(L, "%s: option '%s' must be {lo, hi}", what, key);
            *lo = lua_tonumber(L, -2);
            *hi = lua_tonumber(L, -1);
            lua_pop(L, 2);
        }
        lua_pop(L, 1);
        break;
    }
    case FR_PREP_IMPUTE: {
        static const char *const strategies[] = {"median", "mean", "most_frequent", "constant"};
        const char *s = lb_opt_string(L, idx, "strategy", "median");
        int found = 0;
        for (int i = 0; i < 4; i++)
            if (strcmp(strategies[i], s) == 0) {
                o->strategy = (fr_Impute)i;
                found = 1;
            }
        if (!found)
            luaL_error(L, "impute: strategy must be median, mean, most_frequent or constant "
                       "(got '%s')", s);
        lua_getfield(L, idx, "value");
        if (lua_type(L, -1) == LUA_TNUMBER)
            o->value = lua_tonumber(L, -1);
        else if (lua_type(L, -1) == LUA_TBOOLEAN)
            o->value = lua_toboolean(L, -1);
        else if (lua_type(L, -1) == LUA_TSTRING)
            o->level = lua_tostring(L, -1);       /* kept alive by the options table */
        else if (!lua_isnil(L, -1))
            luaL_error(L, "impute: value must be a number, boolean or string");
        lua_pop(L, 1);
        o->level = lb_opt_string(L, idx, "level", o->level);
        break;
    }
    case FR_PREP_ONEHOT: {
        const char *h = lb_opt_string(L, idx, "handle_unknown", "ignore");
        const char *m = lb_opt_string(L, idx, "missing", "zeros");
        o->drop_first = lb_opt_boolean(L, idx, "drop_first", 0);
        o->min_frequency = lb_opt_number(L, idx, "min_frequency", 0.0);
        if (strcmp(h, "ignore") == 0)
            o->unknown = FR_UNKNOWN_IGNORE;
        else if (strcmp(h, "error") == 0)
            o->unknown = FR_UNKNOWN_ERROR;
        else if (strcmp(h, "infrequent") == 0)
            o->unknown = FR_UNKNOWN_INFREQUENT;
        else
            luaL_error(L, "onehot: handle_unknown must be 'ignore', 'error' or 'infrequent' "
                       "(got '%s')", h);
        if (strcmp(m, "column") == 0)
            o->missing_column = 1;
        else if (strcmp(m, "zeros") != 0)
            luaL_error(L, "onehot: missing must be 'zeros' or 'column' (got '%s')", m);
        if (o->min_frequency > 0.0 && o->unknown != FR_UNKNOWN_INFREQUENT)
            luaL_error(L, "onehot: min_frequency needs handle_unknown = 'infrequent'");
        break;
    }
    case FR_PREP_ORDINAL:
        lua_getfield(L, idx, "unknown");
        if (lua_type(L, -1) == LUA_TNUMBER) {
            o->unknown = FR_UNKNOWN_VALUE;
            o->unknown_value = lua_tonumber(L, -1);
        } else if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "nan") == 0) {
            o->unknown = FR_UNKNOWN_VALUE;
            o->unknown_value = NAN;
        } else if (lua_type(L, -1) == LUA_TSTRING &&
                   strcmp(lua_tostring(L, -1), "error") == 0) {
            o->unknown = FR_UNKNOWN_ERROR;
        } else if (!lua_isnil(L, -1)) {
            luaL_error(L, "ordinal: unknown must be a number (-1), 'nan' or 'error'");
        }
        lua_pop(L, 1);
        break;
    case FR_PREP_WOE: {
        const char *m = lb_opt_string(L, idx, "method", "quantile");
        if (strcmp(m, "quantile") == 0)
            o->woe.method = FR_WOE_QUANTILE;
        else if (strcmp(m, "monotonic") == 0)
            o->woe.method = FR_WOE_MONOTONIC;
        else
            luaL_error(L, "woe: method must be 'quantile' or 'monotonic' (got '%s')", m);
        o->woe.bins = (int)lb_opt_integer(L, idx, "bins", o->woe.bins);
        o->woe.fine = (int)lb_opt_integer(L, idx, "fine", o->woe.fine);
        o->woe.min_share = lb_opt_number(L, idx, "min_share", o->woe.min_share);
        o->woe.smooth = lb_opt_number(L, idx, "smooth", o->woe.smooth);
        o->target = lb_opt_string(L, idx, "target", NULL);   /* alive in the options table */
        break;
    }
    default:
        break;
    }
}

static int make(lua_State *L, fr_PrepKind kind) {
    fr_PrepOpts o;
    fr_Prep **box;
    mn_Err e = {0};
    if (!lua_isnoneornil(L, 1))
        luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    read_opts(L, 1, kind, &o);                 /* leaves the column names on the stack */
    box = newbox(L);
    if (fr_prep_new(kind, &o, box, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

static int p_standard(lua_State *L) { return make(L, FR_PREP_STANDARD); }
static int p_minmax(lua_State *L) { return make(L, FR_PREP_MINMAX); }
static int p_robust(lua_State *L) { return make(L, FR_PREP_ROBUST); }
static int p_impute(lua_State *L) { return make(L, FR_PREP_IMPUTE); }
static int p_onehot(lua_State *L) { return make(L, FR_PREP_ONEHOT); }
static int p_ordinal(lua_State *L) { return make(L, FR_PREP_ORDINAL); }
int lb_prep_woe(lua_State *L) { return make(L, FR_PREP_WOE); }

/* pipeline{t1, t2, ...} */
static int p_pipeline(lua_State *L) {
    int n;
    fr_Prep **steps, **box;
    mn_Err e = {0};
    luaL_checktype(L, 1, LUA_TTABLE);
    n = (int)luaL_len(L, 1);
    if (n < 1)
        return luaL_error(L, "pipeline: give a list of transforms, e.g. pipeline{impute{}, "
                          "standard{}}");
    steps = lua_newuserdatauv(L, (size_t)n * sizeof *steps, 0);
    for (int i = 0; i < n; i++) {
        lua_geti(L, 1, i + 1);
        if (!luaL_testudata(L, -1, PREP_MT))
            return luaL_error(L, "pipeline: step %d is %s, not a transform (moneta.prep.*)",
                              i + 1, luaL_typename(L, -1));
        steps[i] = checkprep(L, -1);
        lua_pop(L, 1);
    }
    box = newbox(L);
    if (fr_prep_pipeline(steps, n, box, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

static int p_deserialize(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    fr_Prep **box = newbox(L);
    mn_Err e = {0};
    if (fr_prep_deserialize(s, len, box, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

/* ---- methods ---- */

/* The optional target at 'arg': a column or a sequence of numbers (NULL when absent). */
static const double *opt_target(lua_State *L, int arg, int64_t *n) {
    *n = 0;
    return lua_isnoneornil(L, arg) ? NULL : lb_checkvector(L, arg, n);
}

static int m_fit(lua_State *L) {
    fr_Prep *p = checkprep(L, 1);
    fr_Frame *f = lb_checkframe(L, 2);
    int64_t ny;
    const double *y = opt_target(L, 3, &ny);
    mn_Err e = {0};
    if (fr_prep_fit_y(p, f, y, ny, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_settop(L, 1);
    return 1;                                  /* the transform, so calls chain */
}

static int m_transform(lua_State *L) {
    fr_Prep *p = checkprep(L, 1);
    fr_Frame *f = lb_checkframe(L, 2), *g = NULL;
    mn_Err e = {0};
    if (fr_prep_transform(p, f, &g, &e) != MN_OK)
        return lb_raise(L, &e);
    lb_pushframe(L, g);
    return 1;
}

static int m_fit_transform(lua_State *L) {
    fr_Prep *p = checkprep(L, 1);
    fr_Frame *f = lb_checkframe(L, 2), *g = NULL;
    int64_t ny;
    const double *y = opt_target(L, 3, &ny);
    mn_Err e = {0};
    if (fr_prep_fit_transform_y(p, f, y, ny, &g, &e) != MN_OK)
        return lb_raise(L, &e);
    lb_pushframe(L, g);
    return 1;
}

static int m_serialize(lua_State *L) {
    fr_Prep *p = checkprep(L, 1);
    char *s = NULL;
    size_t len;
    mn_Err e = {0};
    if (fr_prep_serialize(p, &s, &len, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_pushlstring(L, s, len);               /* OOM here leaks s: rare, and small */
    mn_free(s);
    return 1;
}

static int m_kind(lua_State *L) {
    lua_pushstring(L, fr_prep_kind_name(fr_prep_kind(checkprep(L, 1))));
    return 1;
}

static int m_fitted(lua_State *L) {
    lua_pushboolean(L, fr_prep_fitted(checkprep(L, 1)));
    return 1;
}

static void push_params(lua_State *L, const fr_Prep *p) {
    fr_PrepKind k = fr_prep_kind(p);
    if (k == FR_PREP_PIPELINE) {
        lua_createtable(L, fr_prep_nsteps(p), 0);
        for (int i = 0; i < fr_prep_nsteps(p); i++) {
            push_params(L, fr_prep_step(p, i));
            lua_rawseti(L, -2, i + 1);
        }
        return;
    }
    lua_createtable(L, 0, fr_prep_ncols(p));
    for (int j = 0; j < fr_prep_ncols(p); j++) {
        fr_Type t;
        double a, b;
        int32_t nl;
        const char *name = fr_prep_col(p, j, &t, &a, &b, &nl);
        switch (k) {
        case FR_PREP_STANDARD: case FR_PREP_MINMAX: case FR_PREP_ROBUST: {
            static const char *const fa[] = {"mean", "min", "median"};
            static const char *const fb[] = {"sd", "max", "iqr"};
            lua_createtable(L, 0, 2);
            lua_pushnumber(L, a);
            lua_setfield(L, -2, fa[k]);
            lua_pushnumber(L, k == FR_PREP_MINMAX ? a + b : b);
            lua_setfield(L, -2, fb[k]);
            break;
        }
        case FR_PREP_IMPUTE:
            if (t == FR_F64 || t == FR_DATE || t == FR_DATETIME)
                lua_pushnumber(L, a);                 /* dates: days since 1970-01-01 */
            else if (t == FR_BOOL)
                lua_pushboolean(L, a != 0.0);
            else if (nl > 0)
                lua_pushstring(L, fr_prep_level(p, j, 0));
            else
                lua_pushnil(L);
            break;
        case FR_PREP_WOE: {
            const fr_Woe *w = fr_prep_woe(p, j);
            lua_createtable(L, 0, 3);
            lua_pushnumber(L, w->iv);
            lua_setfield(L, -2, "iv");
            lua_pushstring(L, fr_iv_reading(w->iv));
            lua_setfield(L, -2, "reading");
            lua_pushinteger(L, w->nbins);
            lua_setfield(L, -2, "nbins");
            break;
        }
        default:                               /* onehot, ordinal: the levels */
            lua_createtable(L, nl, 1);
            for (int32_t q = 0; q < nl; q++) {
                lua_pushstring(L, fr_prep_level(p, j, q));
                lua_rawseti(L, -2, q + 1);
            }
            if (fr_prep_infrequent(p, j)) {
                lua_pushboolean(L, 1);
                lua_setfield(L, -2, "infrequent");
            }
            break;
        }
        lua_setfield(L, -2, name);
    }
}

static void setnum(lua_State *L, const char *k, double v) {
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

/* One column's bins: {feature, iv, reading, categorical, direction, bins = {{label, lo, hi,
** levels, n, good, bad, bad_rate, woe, iv}, ...}}; the missing bin last, label "missing". */
static void push_woe(lua_State *L, const char *name, const fr_Woe *w) {
    lua_createtable(L, 0, 6);
    lua_pushstring(L, name);
    lua_setfield(L, -2, "feature");
    setnum(L, "iv", w->iv);
    lua_pushstring(L, fr_iv_reading(w->iv));
    lua_setfield(L, -2, "reading");
    lua_pushboolean(L, w->categorical);
    lua_setfield(L, -2, "categorical");
    lua_pushinteger(L, w->direction);
    lua_setfield(L, -2, "direction");
    lua_createtable(L, w->nbins + 1, 0);
    for (int k = 0; k <= w->nbins; k++) {
        const fr_WoeBin *b = &w->bin[k];
        lua_createtable(L, 0, 10);
        char buf[80];
        if (k == w->nbins)
            snprintf(buf, sizeof buf, "missing");
        else if (!w->categorical)                  /* lo < x <= hi */
            snprintf(buf, sizeof buf, "(%.6g, %.6g]", b->lo, b->hi);
        else
            snprintf(buf, sizeof buf, "%s", k == w->other ? "other" : "");
        lua_pushstring(L, buf);
        lua_setfield(L, -2, "label");
        setnum(L, "lo", b->lo);
        setnum(L, "hi", b->hi);
        if (w->categorical && k < w->nbins) {
            int cnt = 0;
            lua_newtable(L);
            for (int32_t q = 0; q < w->nlev; q++)
                if (w->lev_bin[q] == k) {
                    lua_pushstring(L, w->lev[q]);
                    lua_rawseti(L, -2, ++cnt);
                }
            if (k != w->other && cnt == 1) {
                lua_rawgeti(L, -1, 1);
                lua_setfield(L, -3, "label");
            }
            lua_setfield(L, -2, "levels");
        }
        lua_pushinteger(L, b->n);
        lua_setfield(L, -2, "n");
        lua_pushinteger(L, b->n - b->bad);
        lua_setfield(L, -2, "good");
        lua_pushinteger(L, b->bad);
        lua_setfield(L, -2, "bad");
        setnum(L, "bad_rate", b->n > 0 ? (double)b->bad / (double)b->n : (double)NAN);
        setnum(L, "woe", b->woe);
        setnum(L, "iv", b->iv);
        lua_rawseti(L, -2, k + 1);
    }
    lua_setfield(L, -2, "bins");
}

/* Every woe column of p (a woe step or the woe steps of a pipeline) appended to the list on
** the top of the stack. */
static void collect_woe(lua_State *L, const fr_Prep *p, int *count) {
    if (fr_prep_kind(p) == FR_PREP_PIPELINE) {
        for (int i = 0; i < fr_prep_nsteps(p); i++)
            collect_woe(L, fr_prep_step(p, i), count);
        return;
    }
    if (fr_prep_kind(p) != FR_PREP_WOE || !fr_prep_fitted(p))
        return;
    for (int j = 0; j < fr_prep_ncols(p); j++) {
        push_woe(L, fr_prep_col(p, j, NULL, NULL, NULL, NULL), fr_prep_woe(p, j));
        lua_rawseti(L, -2, ++*count);
    }
}

/* bins() -> a list of every woe column's bins (feat_woe.lua makes frames of it). */
static int m_bins(lua_State *L) {
    fr_Prep *p = checkprep(L, 1);
    int count = 0;
    lua_newtable(L);
    collect_woe(L, p, &count);
    if (count == 0)
        return luaL_error(L, "bins: no fitted woe step in this %s transform",
                          fr_prep_kind_name(fr_prep_kind(p)));
    return 1;
}

/* params() -> what was learned: {col = {mean =, sd =}} for standard, etc. */
static int m_params(lua_State *L) {
    fr_Prep *p = checkprep(L, 1);
    if (!fr_prep_fitted(p))
        return luaL_error(L, "%s: not fitted (call fit or fit_transform first)",
                          fr_prep_kind_name(fr_prep_kind(p)));
    push_params(L, p);
    return 1;
}

static int m_tostring(lua_State *L) {
    fr_Prep *p = checkprep(L, 1);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_pushfstring(L, "prep.%s (%s", fr_prep_kind_name(fr_prep_kind(p)),
                    fr_prep_fitted(p) ? "fitted" : "not fitted");
    luaL_addvalue(&b);
    if (fr_prep_kind(p) == FR_PREP_PIPELINE) {
        luaL_addstring(&b, "):");
        for (int i = 0; i < fr_prep_nsteps(p); i++) {
            lua_pushfstring(L, " %s", fr_prep_kind_name(fr_prep_kind(fr_prep_step(p, i))));
            luaL_addvalue(&b);
        }
    } else {
        if (fr_prep_fitted(p)) {
            lua_pushfstring(L, ", %d columns", fr_prep_ncols(p));
            luaL_addvalue(&b);
        }
        luaL_addstring(&b, ")");
    }
    luaL_pushresult(&b);
    return 1;
}

static int m_gc(lua_State *L) {
    fr_Prep **box = luaL_checkudata(L, 1, PREP_MT);
    fr_prep_free(*box);
    *box = NULL;
    return 0;
}

static const luaL_Reg methods[] = {
    {"fit", m_fit}, {"transform", m_transform}, {"fit_transform", m_fit_transform},
    {"serialize", m_serialize}, {"params", m_params}, {"kind", m_kind}, {"fitted", m_fitted},
    {"bins", m_bins},
    {"free", m_gc},
    {NULL, NULL}
};

static const luaL_Reg metas[] = {
    {"__gc", m_gc}, {"__close", m_gc}, {"__tostring", m_tostring}, {NULL, NULL}
};

static const luaL_Reg funcs[] = {
    {"standard", p_standard}, {"minmax", p_minmax}, {"robust", p_robust},
    {"impute", p_impute}, {"onehot", p_onehot}, {"ordinal", p_ordinal},
    {"pipeline", p_pipeline}, {"deserialize", p_deserialize},
    {NULL, NULL}
};

int luaopen_moneta_c_prep(lua_State *L) {
    lb_newclass(L, PREP_MT, metas, methods);
    luaL_newlib(L, funcs);
    return 1;
}
