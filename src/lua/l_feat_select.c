/* l_feat_select.c -- Lua face of features/select.h, added to the "moneta.c.feat" table by
** lb_feat_select: the correlation frame, variance threshold, mutual information and VIF over a
** frame's columns. Options, names and results keyed by column are in lua/moneta/feat_select.lua
** (recursive feature elimination is all Lua there); only this layer raises Lua errors. */
#include <math.h>

#include "core/mem.h"
#include "data/frame.h"
#include "features/select.h"
#include "lua/lb.h"

/* Push v[0..n) as a Lua list (n is a frame's column count: small). */
static void pushlist(lua_State *L, const double *v, int n) {
    lb_pushvector(L, v, n);
}

/* select_corr(frame, "pearson"|"spearman") -> frame */
static int fs_corr(lua_State *L) {
    static const char *const methods[] = {"pearson", "spearman", NULL};
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    int method = luaL_checkoption(L, 2, "pearson", methods) == 0 ? FR_PEARSON : FR_SPEARMAN;
    mn_Err e = {0};
    if (ft_corr(f, method, &g, &e) != MN_OK)
        return lb_raise(L, &e);
    lb_pushframe(L, g);
    return 1;
}

/* select_variance_threshold(frame, threshold) -> kept frame, {variance per column} */
static int fs_variance_threshold(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    double t = luaL_checknumber(L, 2);
    double *var = lua_newuserdatauv(L, (size_t)(fr_ncols(f) + 1) * sizeof *var, 0);
    mn_Err e = {0};
    if (ft_variance_threshold(f, t, var, &g, &e) != MN_OK)
        return lb_raise(L, &e);
    lb_pushframe(L, g);
    pushlist(L, var, fr_ncols(f));
    return 2;
}

/* The target at 'arg' as doubles of length n: a categorical column gives its codes (missing:
** NaN, refused by the core), anything else what lb_checkvector reads. */
static const double *target(lua_State *L, int arg, int64_t n) {
    int64_t m;
    double *y;
    fr_Column *c = luaL_testudata(L, arg, LB_COLUMN_MT) ? lb_checkcolumn(L, arg) : NULL;
    if (c != NULL && fr_col_type(c) == FR_CAT) {
        const int32_t *code = fr_col_codes(c);
        m = fr_col_len(c);
        y = lua_newuserdatauv(L, (size_t)(m > 0 ? m : 1) * sizeof *y, 0);
        for (int64_t i = 0; i < m; i++)
            y[i] = code[i] < 0 ? (double)NAN : (double)code[i];
    } else {
        y = lb_checkvector(L, arg, &m);
    }
    if (m != n)
        luaL_error(L, "the target has %I values but the frame has %I rows", (lua_Integer)m,
                   (lua_Integer)n);
    return y;
}

/* select_mutual_info(frame, y, "regression"|"classification", k, seed, noise) -> {mi...} */
static int fs_mutual_info(lua_State *L) {
    static const char *const kinds[] = {"regression", "classification", NULL};
    fr_Frame *f = lb_checkframe(L, 1);
    ft_MiOpts o;
    const double *y;
    double *mi;
    mn_Err e = {0};
    lua_settop(L, 6);
    o.kind = luaL_checkoption(L, 3, NULL, kinds) == 0 ? FT_MI_REGRESSION
                                                      : FT_MI_CLASSIFICATION;
    lua_Integer k = luaL_checkinteger(L, 4);
    luaL_argcheck(L, k >= 1 && k <= 1000000, 4, "k must be in [1, 1000000]");
    o.k = (int)k;
    o.seed = (uint64_t)luaL_checkinteger(L, 5);
    o.noise = lua_toboolean(L, 6);
    y = target(L, 2, fr_nrows(f));
    mi = lua_newuserdatauv(L, (size_t)(fr_ncols(f) + 1) * sizeof *mi, 0);
    if (ft_mutual_info(f, y, &o, mi, &e) != MN_OK)
        return lb_raise(L, &e);
    pushlist(L, mi, fr_ncols(f));
    return 1;
}

/* select_vif(frame) -> {vif per column} */
static int fs_vif(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    double *v = lua_newuserdatauv(L, (size_t)(fr_ncols(f) + 1) * sizeof *v, 0);
    mn_Err e = {0};
    if (ft_vif(f, v, &e) != MN_OK)
        return lb_raise(L, &e);
    pushlist(L, v, fr_ncols(f));
    return 1;
}

static const luaL_Reg funcs[] = {
    {"select_corr", fs_corr},
    {"select_variance_threshold", fs_variance_threshold},
    {"select_mutual_info", fs_mutual_info},
    {"select_vif", fs_vif},
    {NULL, NULL}
};

void lb_feat_select(lua_State *L) {
    luaL_setfuncs(L, funcs, 0);
}
