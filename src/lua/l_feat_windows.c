/* l_feat_windows.c -- Lua face of features/windows: windows(frame, opts) -> X, y, info,
** split_windows (a chronological split of windows), and the moneta.WindowScaler userdata.
** Added to moneta.c.feat by lb_feat_windows; sugar and help: lua/moneta/feat_windows.lua. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "data/frame.h"
#include "features/windows.h"
#include "lua/lb.h"

#define WSCALER_MT "moneta.WindowScaler"
#define WTMP_MT    "moneta.WindowsResult"     /* frees an ft_Windows if a Lua error hits */

/* ---- helpers ---- */

static int wtmp_gc(lua_State *L) {
    ft_Windows **box = luaL_checkudata(L, 1, WTMP_MT);
    ft_windows_free(*box);
    *box = NULL;
    return 0;
}

static ft_Windows **newwtmp(lua_State *L) {
    ft_Windows **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    luaL_setmetatable(L, WTMP_MT);
    return box;
}

/* Push a new column (dropping the builder's reference) named 'name'. */
static void pushnew(lua_State *L, fr_Column *c, const char *name) {
    lb_pushcolumn(L, c, name);
    fr_col_unref(c);
}

/* ---- windows ---- */

static const char *const windows_known[] = {"features", "target", "length", "stride",
                                            "horizon", "by", "time", NULL};

/* windows(frame, {features =, target =, length =, stride = 1, horizon = 1, by =, time =})
** -> X (N, T, F), y (N, 1) or nil, info {n, dropped, short_groups, groups, index, time, key} */
static int l_windows(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    ft_WindowOpts o;
    ft_Windows **wb, *w;
    tn_Tensor **xb, **yb;
    fr_Column *c = NULL;
    mn_Err e = {0};

    lb_opt_check(L, 2, "windows", windows_known);
    luaL_checktype(L, 2, LUA_TTABLE);
    ft_window_opts_init(&o);
    if (lua_getfield(L, 2, "features") == LUA_TNIL)
        return luaL_error(L, "windows: features: required (a column name or a list of them)");
    o.features = lb_checknames(L, lua_gettop(L), &o.nfeatures);   /* stays on the stack */
    if (!lb_opt_isset(L, 2, "length"))
        return luaL_error(L, "windows: length: required (rows per window)");
    o.length = lb_opt_integer(L, 2, "length", 0);
    o.stride = lb_opt_integer(L, 2, "stride", 1);
    o.target = lb_opt_string(L, 2, "target", NULL);
    if (o.target == NULL && lb_opt_isset(L, 2, "horizon"))
        return luaL_error(L, "windows: horizon: only means something with a target");
    o.horizon = lb_opt_integer(L, 2, "horizon", 1);
    o.order.by = lb_opt_string(L, 2, "by", NULL);
    o.order.time = lb_opt_string(L, 2, "time", NULL);

    wb = newwtmp(L);
    xb = lb_newtensor(L);
    yb = lb_newtensor(L);
    if (ft_windows(f, &o, wb, &e) != MN_OK)
        return lb_raise(L, &e);
    w = *wb;
    *xb = w->X;                                   /* the boxes own the tensors now */
    w->X = NULL;
    *yb = w->y;
    w->y = NULL;
    if (*yb == NULL) {
        lua_pop(L, 1);
        lua_pushnil(L);
    }
    lua_createtable(L, 0, 8);
    lua_pushinteger(L, (lua_Integer)w->n);
    lua_setfield(L, -2, "n");
    lua_pushinteger(L, (lua_Integer)w->dropped);
    lua_setfield(L, -2, "dropped");
    lua_pushinteger(L, (lua_Integer)w->short_groups);
    lua_setfield(L, -2, "short_groups");
    lua_pushinteger(L, (lua_Integer)w->ngroups);
    lua_setfield(L, -2, "groups");
    if (fr_col_new(FR_F64, w->n, &c, &e) != MN_OK)
        return lb_raise(L, &e);
    for (int64_t i = 0; i < w->n; i++)
        fr_col_f64(c)[i] = (double)(w->row[i] + 1);
    pushnew(L, c, "index");
    lua_setfield(L, -2, "index");
    if (w->time_col >= 0) {
        if (fr_col_take(fr_col(f, w->time_col), w->row, w->n, &c, &e) != MN_OK)
            return lb_raise(L, &e);
        pushnew(L, c, fr_name(f, w->time_col));
        lua_setfield(L, -2, "time");
    }
    if (o.order.by != NULL) {
        if (fr_col_take(fr_col(f, fr_find(f, o.order.by)), w->row, w->n, &c, &e) != MN_OK)
            return lb_raise(L, &e);
        pushnew(L, c, o.order.by);
        lua_setfield(L, -2, "key");
    }
    return 3;
}

/* ---- split_windows ---- */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Push rows idx[0..n) of the column info[field] (if there is one) as part[field]. */
static void take_field(lua_State *L, const char *field, const int64_t *idx, int64_t n) {
    fr_Column *c = NULL;
    mn_Err e = {0};
    if (lua_getfield(L, 3, field) == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (fr_col_take(lb_checkcolumn(L, -1), idx, n, &c, &e) != MN_OK)
        lb_raise(L, &e);
    pushnew(L, c, lb_columnname(L, -1));
    lua_remove(L, -2);
    lua_setfield(L, -2, field);
}

/* Push a {X, y, index, time, key, n} part holding rows idx[0..n) of the inputs at 1..3. */
static void push_part(lua_State *L, const int64_t *idx, int64_t n) {
    tn_Tensor **box;
    mn_Err e = {0};
    lua_createtable(L, 0, 6);
    box = lb_newtensor(L);
    if (tn_gather_rows(lb_checktensor(L, 1), idx, n, box, &e) != MN_OK)
        lb_raise(L, &e);
    lua_setfield(L, -2, "X");
    if (!lua_isnil(L, 2)) {
        box = lb_newtensor(L);
        if (tn_gather_rows(lb_checktensor(L, 2), idx, n, box, &e) != MN_OK)
            lb_raise(L, &e);
        lua_setfield(L, -2, "y");
    }
    take_field(L, "index", idx, n);
    take_field(L, "time", idx, n);
    take_field(L, "key", idx, n);
    lua_pushinteger(L, (lua_Integer)n);
    lua_setfield(L, -2, "n");
}

static const char *const split_known[] = {"at", "fraction", NULL};

/* split_windows(X, y|nil, info, {at = time | fraction = f}) -> train, test */
static int l_split_windows(lua_State *L) {
    tn_Tensor *X = lb_checktensor(L, 1);
    int64_t N = tn_shape(X)[0], ntr = 0, nte = 0, *itr, *ite;
    fr_Column *index, *time = NULL;
    double *key, cut;
    int has_at, has_frac;

    if (!lua_isnil(L, 2) && tn_shape(lb_checktensor(L, 2))[0] != N)
        return luaL_error(L, "split_windows: y has %d rows but X has %d",
                          (int)tn_shape(lb_checktensor(L, 2))[0], (int)N);
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_settop(L, 4);
    lb_opt_check(L, 4, "split_windows", split_known);
    has_at = lb_opt_isset(L, 4, "at");
    has_frac = lb_opt_isset(L, 4, "fraction");
    if (has_at == has_frac)
        return luaL_error(L, "split_windows: give exactly one of at (a time) and fraction");
    lua_getfield(L, 3, "index");
    index = lb_checkcolumn(L, -1);
    lua_pop(L, 1);
    if (fr_col_len(index) != N)
        return luaL_error(L, "split_windows: info.index has %d entries but X has %d windows",
                          (int)fr_col_len(index), (int)N);
    if (lua_getfield(L, 3, "time") != LUA_TNIL)
        time = lb_checkcolumn(L, -1);
    lua_pop(L, 1);
    if (time != NULL && fr_col_len(time) != N)
        return luaL_error(L, "split_windows: info.time has %d entries but X has %d windows",
                          (int)fr_col_len(time), (int)N);

    /* the order key of each window: its last step's time, or its frame row without one */
    key = lua_newuserdatauv(L, (size_t)(N ? N : 1) * sizeof *key, 0);
    for (int64_t i = 0; i < N; i++)
        key[i] = fr_col_get_num(time != NULL ? time : index, i);
    if (has_at) {
        fr_Type tt = time != NULL ? fr_col_type(time) : FR_F64;
        lua_getfield(L, 4, "at");
        if (time == NULL)
            return luaL_error(L, "split_windows: at: the windows have no time (info.time); "
                              "use fraction");
        if (tt == FR_DATE || tt == FR_DATETIME) {
            size_t n;
            const char *s = lua_tolstring(L, -1, &n);
            int64_t ns;
            int has_time;
            if (lua_type(L, -1) != LUA_TSTRING || !fr_parse_time(s, n, &ns, &has_time))
                return luaL_error(L, "split_windows: at: a date or time such as '2024-01-31' "
                                  "expected (info.time is %s)", fr_type_name(tt));
            cut = (double)ns;
        } else {
            if (lua_type(L, -1) != LUA_TNUMBER)
                return luaL_error(L, "split_windows: at: a number expected (info.time is f64)");
            cut = lua_tonumber(L, -1);
        }
        lua_pop(L, 1);
    } else {
        double fr = lb_opt_number(L, 4, "fraction", 0.0);
        int64_t k;
        double *sorted;
        if (!(fr > 0.0 && fr < 1.0))
            return luaL_error(L, "split_windows: fraction: must be in (0, 1), got %f", fr);
        sorted = lua_newuserdatauv(L, (size_t)(N ? N : 1) * sizeof *sorted, 0);
        memcpy(sorted, key, (size_t)N * sizeof *key);
        qsort(sorted, (size_t)N, sizeof *sorted, cmp_double);
        k = (int64_t)floor((double)N * fr);
        cut = k >= N ? (double)INFINITY : sorted[k];      /* ties at the cut all go to test */
        lua_pop(L, 1);
    }
    itr = lua_newuserdatauv(L, (size_t)(N ? N : 1) * sizeof *itr, 0);
    ite = lua_newuserdatauv(L, (size_t)(N ? N : 1) * sizeof *ite, 0);
    for (int64_t i = 0; i < N; i++) {
        if (key[i] < cut)
            itr[ntr++] = i;
        else
            ite[nte++] = i;
    }
    push_part(L, itr, ntr);
    push_part(L, ite, nte);
    return 2;
}

/* ---- the window scaler ---- */

static ft_WScaler **newscaler(lua_State *L) {
    ft_WScaler **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    luaL_setmetatable(L, WSCALER_MT);
    return box;
}

static ft_WScaler *checkscaler(lua_State *L, int arg) {
    ft_WScaler **box = luaL_checkudata(L, arg, WSCALER_MT);
    if (*box == NULL)
        luaL_argerror(L, arg, "window scaler has been freed");
    return *box;
}

static const char *const scaler_known[] = {NULL};

static int l_window_scaler(lua_State *L) {
    ft_WScaler **box;
    mn_Err e = {0};
    lb_opt_check(L, 1, "window_scaler", scaler_known);
    box = newscaler(L);
    if (ft_wscaler_new(box, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

static int l_window_scaler_deserialize(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    ft_WScaler **box = newscaler(L);
    mn_Err e = {0};
    if (ft_wscaler_deserialize(s, len, box, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

static int ws_fit(lua_State *L) {
    ft_WScaler *s = checkscaler(L, 1);
    mn_Err e = {0};
    if (ft_wscaler_fit(s, lb_checktensor(L, 2), &e) != MN_OK)
        return lb_raise(L, &e);
    lua_settop(L, 1);
    return 1;
}

static int ws_transform(lua_State *L) {
    ft_WScaler *s = checkscaler(L, 1);
    tn_Tensor *X = lb_checktensor(L, 2);
    tn_Tensor **box = lb_newtensor(L);
    mn_Err e = {0};
    if (ft_wscaler_transform(s, X, box, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

static int ws_fit_transform(lua_State *L) {
    ft_WScaler *s = checkscaler(L, 1);
    tn_Tensor *X = lb_checktensor(L, 2);
    tn_Tensor **box = lb_newtensor(L);
    mn_Err e = {0};
    if (ft_wscaler_fit(s, X, &e) != MN_OK || ft_wscaler_transform(s, X, box, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

static int ws_serialize(lua_State *L) {
    ft_WScaler *s = checkscaler(L, 1);
    char *txt = NULL;
    size_t len = 0;
    mn_Err e = {0};
    if (ft_wscaler_serialize(s, &txt, &len, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_pushlstring(L, txt, len);
    mn_free(txt);
    return 1;
}

static int ws_params(lua_State *L) {
    ft_WScaler *s = checkscaler(L, 1);
    int64_t F = ft_wscaler_nfeatures(s);
    lua_createtable(L, 0, 2);
    lua_createtable(L, (int)F, 0);
    lua_createtable(L, (int)F, 0);
    for (int64_t k = 0; k < F; k++) {
        double m, sd;
        ft_wscaler_param(s, k, &m, &sd);
        lua_pushnumber(L, m);
        lua_rawseti(L, -3, (lua_Integer)k + 1);
        lua_pushnumber(L, sd);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, -3, "sd");
    lua_setfield(L, -2, "mean");
    return 1;
}

static int ws_fitted(lua_State *L) {
    lua_pushboolean(L, ft_wscaler_fitted(checkscaler(L, 1)));
    return 1;
}

static int ws_kind(lua_State *L) {
    checkscaler(L, 1);
    lua_pushliteral(L, "window_scaler");
    return 1;
}

static int ws_tostring(lua_State *L) {
    ft_WScaler **box = luaL_checkudata(L, 1, WSCALER_MT);
    if (*box == NULL)
        lua_pushliteral(L, "window_scaler (freed)");
    else if (!ft_wscaler_fitted(*box))
        lua_pushliteral(L, "window_scaler (not fitted)");
    else
        lua_pushfstring(L, "window_scaler (%d features)", (int)ft_wscaler_nfeatures(*box));
    return 1;
}

static int ws_gc(lua_State *L) {
    ft_WScaler **box = luaL_checkudata(L, 1, WSCALER_MT);
    ft_wscaler_free(*box);
    *box = NULL;
    return 0;
}

static const luaL_Reg ws_methods[] = {
    {"fit", ws_fit}, {"transform", ws_transform}, {"fit_transform", ws_fit_transform},
    {"serialize", ws_serialize}, {"params", ws_params}, {"fitted", ws_fitted},
    {"kind", ws_kind}, {"free", ws_gc}, {NULL, NULL}};
static const luaL_Reg ws_metas[] = {{"__gc", ws_gc}, {"__close", ws_gc},
                                    {"__tostring", ws_tostring}, {NULL, NULL}};
static const luaL_Reg wtmp_metas[] = {{"__gc", wtmp_gc}, {NULL, NULL}};
static const luaL_Reg funcs[] = {
    {"windows", l_windows}, {"split_windows", l_split_windows},
    {"window_scaler", l_window_scaler},
    {"window_scaler_deserialize", l_window_scaler_deserialize}, {NULL, NULL}};

void lb_feat_windows(lua_State *L) {
    lb_newclass(L, WSCALER_MT, ws_metas, ws_methods);
    lb_newclass(L, WTMP_MT, wtmp_metas, NULL);
    luaL_setfuncs(L, funcs, 0);
}
