/* l_ts.c -- Lua face of ts/ ("moneta.c.ts"): acf and pacf over a vector (numbers, column,
** tensor) read straight into C doubles, returning the result table plot.acf draws. Options
** and the public names are in lua/moneta/ts.lua; only this layer raises Lua errors. */
#include <math.h>

#include "lua/lb.h"
#include "ts/acf.h"


/* Push a Lua list of v[1..k] (lag 0 is left out: index k is lag k). */
static void pushlags(lua_State *L, const double *v, int k, double sign, const double *add) {
    lua_createtable(L, k, 0);
    for (int i = 1; i <= k; i++) {
        lua_pushnumber(L, (add ? add[i] : 0.0) + sign * v[i]);
        lua_rawseti(L, -2, i);
    }
}

/* The finite values of x, compacted in place when 'drop'; returns their number. */
static int64_t drop_missing(double *x, int64_t n) {
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            x[m++] = x[i];
    return m;
}

/* correlogram(kind, x, lags|nil, alpha, drop) -> {kind, values, band, lower, upper, lags, n,
** alpha}. lags nil: min(floor(10 log10 n), n - 1), statsmodels' default. */
static int ts_correlogram(lua_State *L) {
    static const char *const kinds[] = {"acf", "pacf", NULL};
    int kind = (lua_settop(L, 5), luaL_checkoption(L, 1, NULL, kinds)), rc, k;
    int64_t n;
    double *x = lb_checkvector(L, 2, &n), *v, *band;   /* a fresh copy: ours to compact */
    double alpha = luaL_checknumber(L, 4);
    mn_Err e = {0};
    if (lua_toboolean(L, 5))
        n = drop_missing(x, n);
    if (lua_isnoneornil(L, 3)) {
        double d = n > 0 ? floor(10.0 * log10((double)n)) : 0.0;
        k = (int)(d < (double)(n - 1) ? d : (double)(n - 1));
        if (k < 1)
            k = 1;
    } else {
        lua_Integer l = luaL_checkinteger(L, 3);
        k = l < 0 ? 0 : l > 1000000 ? 1000000 : (int)l;    /* ts_* says what is allowed */
    }
    v = lua_newuserdatauv(L, 2 * ((size_t)k + 1) * sizeof *v, 0);
    band = v + k + 1;
    rc = kind == 0 ? ts_acf(x, n, k, alpha, v, band, &e) : ts_pacf(x, n, k, alpha, v, band, &e);
    if (rc != MN_OK)
        return lb_raise(L, &e);
    lua_createtable(L, 0, 8);
    lua_pushstring(L, kinds[kind]);
    lua_setfield(L, -2, "kind");
    pushlags(L, v, k, 1.0, NULL);
    lua_setfield(L, -2, "values");
    pushlags(L, band, k, 1.0, NULL);
    lua_setfield(L, -2, "band");
    pushlags(L, band, k, -1.0, v);
    lua_setfield(L, -2, "lower");
    pushlags(L, band, k, 1.0, v);
    lua_setfield(L, -2, "upper");
    lua_pushinteger(L, k);
    lua_setfield(L, -2, "lags");
    lua_pushinteger(L, (lua_Integer)n);
    lua_setfield(L, -2, "n");
    lua_pushnumber(L, alpha);
    lua_setfield(L, -2, "alpha");
    return 1;
}

static const luaL_Reg funcs[] = {
    {"correlogram", ts_correlogram},
    {NULL, NULL}
};

int luaopen_moneta_c_ts(lua_State *L) {
    luaL_newlib(L, funcs);
    return 1;
}
