/* l_ml_knn.c -- the k-nearest-neighbour part of moneta.c.ml: knn_fit (a design and labels or
** targets to a "moneta.Knn" userdata), knn_from (rebuilt from a model file's arrays),
** predict, predict_proba, neighbors, info and data. Options and files are Lua (ml_knn.lua). */
#include <math.h>
#include <string.h>

#include "lua/lb.h"
#include "ml/knn.h"

#define KNN_MT "moneta.Knn"

static ml_Knn *checkmodel(lua_State *L, int arg) {
    ml_Knn *m = luaL_checkudata(L, arg, KNN_MT);
    if (m->x == NULL)
        luaL_error(L, "knn: this model has been freed");
    return m;
}

static ml_Knn *newmodel(lua_State *L) {
    ml_Knn *m = lua_newuserdatauv(L, sizeof *m, 0);
    memset(m, 0, sizeof *m);
    luaL_setmetatable(L, KNN_MT);
    return m;
}

/* knn_fit(D, y, K (0 = regression), {k, distance}) -> model */
static int l_fit(lua_State *L) {
    static const char *const known[] = {"k", "distance", NULL};
    const ml_Design *d = lb_ml_checkdesign(L, 1);
    int64_t ny;
    const double *y = lb_checkvector(L, 2, &ny);
    int K = (int)luaL_checkinteger(L, 3);
    mn_Err e = {0};
    lb_opt_check(L, 4, "knn", known);
    if (ny != d->n)
        return luaL_error(L, "knn: y has %d values, X has %d rows", (int)ny, (int)d->n);
    int64_t k = lb_opt_integer(L, 4, "k", 5);
    int dist = lb_opt_boolean(L, 4, "distance", 0);
    if (k < 1 || k > d->n)
        return luaL_error(L, "knn: k = %d, but the training set has %d rows (k must be in "
                          "1..%d)", (int)k, (int)d->n, (int)d->n);
    ml_Knn *m = newmodel(L);
    if (ml_knn_fit(d, y, K, (int)k, dist, m, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

static const ml_Design *query(lua_State *L, const ml_Knn *m) {
    const ml_Design *d = lb_ml_checkdesign(L, 2);
    if (d->p != m->p)
        luaL_error(L, "knn: X has %d columns, the model was fitted on %d", (int)d->p, m->p);
    return d;
}

/* model:predict(D) -> class indexes (0-based) or predicted values */
static int l_predict(lua_State *L) {
    ml_Knn *m = checkmodel(L, 1);
    const ml_Design *d = query(L, m);
    size_t n = (size_t)(d->n > 0 ? d->n : 1);
    double *out = lua_newuserdatauv(L, n * sizeof *out, 0);
    double *pr = m->K > 0 ? lua_newuserdatauv(L, n * (size_t)m->K * sizeof *pr, 0) : NULL;
    mn_Err e = {0};
    if (ml_knn_predict(m, d->x, d->n, out, pr, &e) != MN_OK)
        return lb_raise(L, &e);
    lb_pushvector(L, out, d->n);
    return 1;
}

/* model:predict_proba(D) -> a list of rows, each the K class shares */
static int l_proba(lua_State *L) {
    ml_Knn *m = checkmodel(L, 1);
    const ml_Design *d = query(L, m);
    size_t n = (size_t)(d->n > 0 ? d->n : 1);
    mn_Err e = {0};
    if (m->K == 0)
        return luaL_error(L, "knn: predict_proba is for classification");
    double *out = lua_newuserdatauv(L, n * sizeof *out, 0);
    double *pr = lua_newuserdatauv(L, n * (size_t)m->K * sizeof *pr, 0);
    if (ml_knn_predict(m, d->x, d->n, out, pr, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_createtable(L, (int)d->n, 0);
    for (int64_t i = 0; i < d->n; i++) {
        lb_pushvector(L, pr + (size_t)i * (size_t)m->K, m->K);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* model:neighbors(D [, blas]) -> idx rows (1-based training rows), dist rows */
static int l_neighbors(lua_State *L) {
    ml_Knn *m = checkmodel(L, 1);
    const ml_Design *d = query(L, m);
    int blas = lua_isnoneornil(L, 3) ? -1 : lua_toboolean(L, 3);
    size_t n = (size_t)(d->n > 0 ? d->n : 1) * (size_t)m->k;
    int64_t *idx = lua_newuserdatauv(L, n * sizeof *idx, 0);
    double *dist = lua_newuserdatauv(L, n * sizeof *dist, 0);
    mn_Err e = {0};
    if (ml_knn_neighbors(m, d->x, d->n, blas, idx, dist, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_createtable(L, (int)d->n, 0);
    lua_createtable(L, (int)d->n, 0);
    for (int64_t i = 0; i < d->n; i++) {
        lua_createtable(L, m->k, 0);
        for (int j = 0; j < m->k; j++) {
            lua_pushinteger(L, (lua_Integer)idx[(size_t)i * m->k + j] + 1);
            lua_rawseti(L, -2, j + 1);
        }
        lua_rawseti(L, -3, (lua_Integer)i + 1);
        lb_pushvector(L, dist + (size_t)i * m->k, m->k);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 2;
}

/* model:info() -> {n, p, k, K, distance} */
static int l_info(lua_State *L) {
    ml_Knn *m = checkmodel(L, 1);
    lua_createtable(L, 0, 5);
    lua_pushinteger(L, (lua_Integer)m->n);
    lua_setfield(L, -2, "n");
    lua_pushinteger(L, m->p);
    lua_setfield(L, -2, "p");
    lua_pushinteger(L, m->k);
    lua_setfield(L, -2, "k");
    lua_pushinteger(L, m->K);
    lua_setfield(L, -2, "K");
    lua_pushboolean(L, m->distance);
    lua_setfield(L, -2, "distance");
    return 1;
}

/* model:data() -> x (n p values, column by column), y (n values): for saving */
static int l_data(lua_State *L) {
    ml_Knn *m = checkmodel(L, 1);
    lb_pushvector(L, m->x, m->n * m->p);
    lb_pushvector(L, m->y, m->n);
    return 2;
}

/* knn_from{x, y, n, p, k, K, distance} -> model (a model file's contents, checked here) */
static int l_from(lua_State *L) {
    int64_t nx, ny;
    mn_Err e = {0};
    luaL_checktype(L, 1, LUA_TTABLE);
    int64_t n = lb_opt_integer(L, 1, "n", 0), p = lb_opt_integer(L, 1, "p", 0);
    int64_t k = lb_opt_integer(L, 1, "k", 0), K = lb_opt_integer(L, 1, "K", -1);
    int dist = lb_opt_boolean(L, 1, "distance", 0);
    if (n < 1 || p < 1 || p > 1000000 || k < 1 || k > n || K < 0 || K == 1 || K > 1000000)
        return luaL_error(L, "knn: bad sizes (n %d, p %d, k %d, K %d)", (int)n, (int)p, (int)k,
                          (int)K);
    lua_getfield(L, 1, "x");
    const double *x = lb_checkvector(L, lua_gettop(L), &nx);
    lua_getfield(L, 1, "y");
    const double *y = lb_checkvector(L, lua_gettop(L), &ny);
    if (nx != n * p || ny != n)
        return luaL_error(L, "knn: x has %d values and y %d, expected %d and %d", (int)nx,
                          (int)ny, (int)(n * p), (int)n);
    for (int64_t i = 0; i < nx; i++)
        if (!isfinite(x[i]))
            return luaL_error(L, "knn: x value %d is not finite", (int)i + 1);
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(y[i]) || (K > 0 && (y[i] != floor(y[i]) || y[i] < 0 || y[i] >= K)))
            return luaL_error(L, "knn: y value %d is not a valid label or target", (int)i + 1);
    ml_Knn *m = newmodel(L);
    if (ml_knn_alloc(m, n, (int)p, &e) != MN_OK)
        return lb_raise(L, &e);
    memcpy(m->x, x, (size_t)nx * sizeof *x);
    memcpy(m->y, y, (size_t)n * sizeof *y);
    m->k = (int)k, m->K = (int)K, m->distance = dist;
    ml_knn_ready(m);
    return 1;
}

static int l_gc(lua_State *L) {
    ml_knn_free(luaL_checkudata(L, 1, KNN_MT));
    return 0;
}

static const luaL_Reg methods[] = {
    {"predict", l_predict}, {"predict_proba", l_proba}, {"neighbors", l_neighbors},
    {"info", l_info}, {"data", l_data}, {"free", l_gc}, {NULL, NULL}
};
static const luaL_Reg metas[] = {{"__gc", l_gc}, {"__close", l_gc}, {NULL, NULL}};
static const luaL_Reg funcs[] = {{"knn_fit", l_fit}, {"knn_from", l_from}, {NULL, NULL}};

void lb_ml_knn(lua_State *L) {
    lb_newclass(L, KNN_MT, metas, methods);
    luaL_setfuncs(L, funcs, 0);
}
