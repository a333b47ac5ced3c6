/* l_feat_woe.c -- the credit-scoring part of moneta.c.feat: woe (the constructor of the WoE
** fitted transform, which lives in data/transform and l_prep.c) and psi for two vectors.
** iv, woe_table and psi over frames are Lua sugar in lua/moneta/feat_woe.lua. */
#include <math.h>

#include "data/woe.h"
#include "lua/lb.h"

static void setnum(lua_State *L, const char *k, double v) {
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

static void setlist(lua_State *L, const char *k, const double *v, int n) {
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushnumber(L, v[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, k);
}

/* psi(expected, actual [, {bins = 10}]) -> psi, {psi, reading, bins, hi, expected, actual,
** contrib}; the vectors are columns or sequences of numbers (NaN: a missing bin). */
static int f_psi(lua_State *L) {
    static const char *const known[] = {"bins", NULL};
    int64_t ne, na;
    const double *ex = lb_checkvector(L, 1, &ne), *ac = lb_checkvector(L, 2, &na);
    int64_t bins;
    fr_Psi r;
    mn_Err e = {0};
    lb_opt_check(L, 3, "psi", known);
    bins = lb_opt_integer(L, 3, "bins", 10);
    if (bins < 2 || bins > 10000)
        return luaL_error(L, "psi: bins must be in 2..10000 (got %d)", (int)bins);
    if (fr_psi(ex, ne, ac, na, (int)bins, &r, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_pushnumber(L, r.psi);
    lua_createtable(L, 0, 7);
    setnum(L, "psi", r.psi);
    lua_pushstring(L, fr_psi_reading(r.psi));
    lua_setfield(L, -2, "reading");
    lua_pushinteger(L, r.nbins);
    lua_setfield(L, -2, "bins");
    setlist(L, "hi", r.hi, r.nbins);             /* a Lua error here leaks r: rare, small */
    setlist(L, "expected", r.expected, r.nbins);
    setlist(L, "actual", r.actual, r.nbins);
    setlist(L, "contrib", r.contrib, r.nbins);
    fr_psi_clear(&r);
    return 2;
}

static const luaL_Reg funcs[] = {
    {"woe", lb_prep_woe}, {"psi", f_psi},
    {NULL, NULL}
};

void lb_feat_woe(lua_State *L) {
    luaL_setfuncs(L, funcs, 0);
}
