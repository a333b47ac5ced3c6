/* l_ml_linear.c -- ml.linear's C functions in "moneta.c.ml": OLS/WLS with inference, the
** penalised path and predictions, on a moneta.Design. Results come back as plain tables;
** options are checked in lua/moneta/ml_linear.lua. Only this layer raises Lua errors. */
#include <math.h>
#include <string.h>

#include "lua/lb.h"
#include "ml/design.h"
#include "ml/linear.h"

static void setnum(lua_State *L, const char *k, double v) {
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

static void setvec(lua_State *L, const char *k, const double *v, int64_t n) {
    lb_pushvector(L, v, n);
    lua_setfield(L, -2, k);
}

/* A fitted OLS as a table; frees nothing (the caller's box does). */
static void push_ols(lua_State *L, const ml_Ols *m) {
    lua_createtable(L, 0, 32);
    setvec(L, "coef", m->coef, m->k);
    setvec(L, "se", m->se, m->k);
    setvec(L, "stat", m->stat, m->k);
    setvec(L, "p", m->p, m->k);
    setvec(L, "resid", m->resid, m->n);
    setvec(L, "fitted", m->fitted, m->n);
    lua_createtable(L, m->k, 0);
    for (int j = 0; j < m->k; j++) {
        lua_pushboolean(L, m->aliased[j]);
        lua_rawseti(L, -2, j + 1);
    }
    lua_setfield(L, -2, "aliased");
    lua_createtable(L, m->k, 0);          /* vcov as rows */
    for (int i = 0; i < m->k; i++) {
        lua_createtable(L, m->k, 0);
        for (int j = 0; j < m->k; j++) {
            lua_pushnumber(L, m->vcov[(int64_t)j * m->k + i]);
            lua_rawseti(L, -2, j + 1);
        }
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "vcov");
    lua_pushinteger(L, m->rank);
    lua_setfield(L, -2, "rank");
    lua_pushinteger(L, (lua_Integer)m->n);
    lua_setfield(L, -2, "nobs");
    setnum(L, "ssr", m->ssr);
    setnum(L, "centered_tss", m->centered_tss);
    setnum(L, "r2", m->r2);
    setnum(L, "r2_adj", m->r2_adj);
    setnum(L, "fvalue", m->fvalue);
    setnum(L, "f_p", m->f_p);
    setnum(L, "df_model", m->df_model);
    setnum(L, "df_resid", m->df_resid);
    setnum(L, "scale", m->scale);
    setnum(L, "loglik", m->loglik);
    setnum(L, "aic", m->aic);
    setnum(L, "bic", m->bic);
    setnum(L, "dw", m->dw);
    setnum(L, "jb", m->jb);
    setnum(L, "jb_p", m->jb_p);
    setnum(L, "skew", m->skew);
    setnum(L, "kurtosis", m->kurtosis);
}

#define OLS_MT "moneta.MLOls"           /* a box freeing an ml_Ols on a Lua error */

static int ols_gc(lua_State *L) {
    ml_ols_free(luaL_checkudata(L, 1, OLS_MT));
    return 0;
}

/* linear_ols(D, y, intercept, weights|nil, cov, maxlags, tol) -> result table */
static int l_ols(lua_State *L) {
    static const char *const covs[] = {"nonrobust", "HC0", "HC1", "HC2", "HC3", "HAC", NULL};
    const ml_Design *d = lb_ml_checkdesign(L, 1);
    int64_t ny, nw = 0;
    const double *y = lb_checkvector(L, 2, &ny), *w = NULL;
    ml_OlsOpts o;
    ml_Ols *m;
    mn_Err e = {0};
    memset(&o, 0, sizeof o);
    o.intercept = lua_toboolean(L, 3);
    if (!lua_isnoneornil(L, 4)) {
        w = lb_checkvector(L, 4, &nw);
        if (nw != d->n)
            return luaL_error(L, "weights: %d values for %d rows", (int)nw, (int)d->n);
    }
    o.w = w;
    o.cov = luaL_checkoption(L, 5, "nonrobust", covs);
    o.maxlags = (int)luaL_optinteger(L, 6, 0);
    o.tol = luaL_optnumber(L, 7, 0.0);
    if (ny != d->n)
        return luaL_error(L, "y has %d values but X has %d rows", (int)ny, (int)d->n);
    m = lua_newuserdatauv(L, sizeof *m, 0);
    memset(m, 0, sizeof *m);
    luaL_setmetatable(L, OLS_MT);
    if (ml_ols_fit(d, y, &o, m, &e) != MN_OK)
        return lb_raise(L, &e);
    push_ols(L, m);
    ml_ols_free(m);
    return 1;
}

#define NET_MT "moneta.MLNet"           /* a box freeing an ml_Net on a Lua error */

static int net_gc(lua_State *L) {
    ml_net_free(luaL_checkudata(L, 1, NET_MT));
    return 0;
}

/* linear_net(D, y, intercept, alpha, lambda, nlambda, tol, max_iter) ->
** {coef, converged, iters, lambda_max, path = {lambda = {...}, coef = {{...}, ...}}} */
static int l_net(lua_State *L) {
    const ml_Design *d = lb_ml_checkdesign(L, 1);
    int64_t ny;
    const double *y = lb_checkvector(L, 2, &ny);
    ml_NetOpts o;
    ml_Net *m;
    mn_Err e = {0};
    o.intercept = lua_toboolean(L, 3);
    o.alpha = luaL_checknumber(L, 4);
    o.lambda = luaL_checknumber(L, 5);
    o.nlambda = (int)luaL_checkinteger(L, 6);
    o.tol = luaL_checknumber(L, 7);
    o.max_iter = (int)luaL_checkinteger(L, 8);
    if (ny != d->n)
        return luaL_error(L, "y has %d values but X has %d rows", (int)ny, (int)d->n);
    m = lua_newuserdatauv(L, sizeof *m, 0);
    memset(m, 0, sizeof *m);
    luaL_setmetatable(L, NET_MT);
    if (ml_net_fit(d, y, &o, m, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_createtable(L, 0, 5);
    setvec(L, "coef", m->coef, m->k);
    lua_pushboolean(L, m->converged);
    lua_setfield(L, -2, "converged");
    lua_pushinteger(L, m->iters);
    lua_setfield(L, -2, "iters");
    setnum(L, "lambda_max", m->lambda_max);
    lua_createtable(L, 0, 2);
    setvec(L, "lambda", m->path_lambda, m->npath);
    lua_createtable(L, m->npath, 0);
    for (int l = 0; l < m->npath; l++) {
        lb_pushvector(L, m->path_coef + (size_t)l * (size_t)m->k, m->k);
        lua_rawseti(L, -2, l + 1);
    }
    lua_setfield(L, -2, "coef");
    lua_setfield(L, -2, "path");
    ml_net_free(m);
    return 1;
}

/* linear_predict(D, coef, intercept) -> list of n predictions */
static int l_predict(lua_State *L) {
    const ml_Design *d = lb_ml_checkdesign(L, 1);
    int64_t k;
    const double *coef = lb_checkvector(L, 2, &k);
    int ic = lua_toboolean(L, 3);
    if (k != d->p + ic)
        return luaL_error(L, "X has %d columns, the model has %d coefficients", (int)d->p,
                          (int)(k - ic));
    double *out = lua_newuserdatauv(L, (size_t)(d->n > 0 ? d->n : 1) * sizeof *out, 0);
    ml_linear_predict(d, coef, ic, out);
    lb_pushvector(L, out, d->n);
    return 1;
}

static const luaL_Reg funcs[] = {
    {"linear_ols", l_ols},
    {"linear_net", l_net},
    {"linear_predict", l_predict},
    {NULL, NULL}
};

void lb_ml_linear(lua_State *L) {
    static const luaL_Reg metas[] = {{"__gc", ols_gc}, {NULL, NULL}};
    static const luaL_Reg net_metas[] = {{"__gc", net_gc}, {NULL, NULL}};
    lb_newclass(L, OLS_MT, metas, NULL);
    lb_newclass(L, NET_MT, net_metas, NULL);
    luaL_setfuncs(L, funcs, 0);
}
