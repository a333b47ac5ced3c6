/* l_tensor.c -- Lua face of core/tensor ("moneta.c.tensor"). A userdata is a box holding one
** owned tn_Tensor pointer, NULL once freed; l_nn.c shares the box layout and metatable. */
#include <math.h>
#include <string.h>

#include "core/tensor.h"
#include "lua/lb.h"

#define TENSOR_MT LB_TENSOR_MT   /* lb.h names it for every binding */

tn_Tensor **lb_newtensor(lua_State *L) {
    tn_Tensor **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    luaL_setmetatable(L, TENSOR_MT);
    return box;
}

tn_Tensor *lb_checktensor(lua_State *L, int arg) {
    tn_Tensor **box = luaL_checkudata(L, arg, TENSOR_MT);
    if (*box == NULL)
        luaL_argerror(L, arg, "tensor was freed");
    return *box;
}

/* Shape from a table of integers at 'arg'. */
static int checkshape(lua_State *L, int arg, int64_t *shape) {
    int n;
    luaL_checktype(L, arg, LUA_TTABLE);
    n = (int)luaL_len(L, arg);
    luaL_argcheck(L, n >= 1 && n <= TN_MAXDIM, arg, "shape must have 1 to 6 dimensions");
    for (int i = 0; i < n; i++) {
        lua_geti(L, arg, i + 1);
        shape[i] = (int64_t)luaL_checkinteger(L, -1);
        lua_pop(L, 1);
    }
    return n;
}

static int t_zeros(lua_State *L) {
    int64_t shape[TN_MAXDIM];
    int nd = checkshape(L, 1, shape);
    tn_Tensor **box = lb_newtensor(L);
    mn_Err e = {0};
    if (tn_zeros(shape, nd, box, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

/* tensor.from(rows) with rows a table of tables of numbers (N, F), or a flat table of
** numbers and a shape: tensor.from({1, 2, 3, 4}, {2, 2}). */
static int t_from(lua_State *L) {
    int64_t shape[TN_MAXDIM], n, F = 0;
    int nd, flat = !lua_isnoneornil(L, 2);
    tn_Tensor **box;
    mn_Err e = {0};
    float *d;
    luaL_checktype(L, 1, LUA_TTABLE);
    n = (int64_t)luaL_len(L, 1);
    if (flat) {
        int64_t want = 1;
        nd = checkshape(L, 2, shape);
        for (int i = 0; i < nd; i++)
            want *= shape[i];
        if (want != n)
            return luaL_error(L, "tensor.from: %d values for a shape of %d", (int)n, (int)want);
    } else {
        if (n > 0 && lua_geti(L, 1, 1) == LUA_TTABLE)
            F = (int64_t)luaL_len(L, -1);
        if (n > 0)
            lua_pop(L, 1);
        nd = F > 0 ? 2 : 1;
        shape[0] = n;
        shape[1] = F;
    }
    box = lb_newtensor(L);
    if (tn_zeros(shape, nd, box, &e) != MN_OK)
        return lb_raise(L, &e);
    d = tn_data(*box);
    for (int64_t i = 0; i < n; i++) {
        int t = lua_geti(L, 1, i + 1);
        if (F > 0 && !flat) {
            if (t != LUA_TTABLE || (int64_t)luaL_len(L, -1) != F)
                return luaL_error(L, "tensor.from: row %d has %d values, row 1 has %d",
                                  (int)i + 1, t == LUA_TTABLE ? (int)luaL_len(L, -1) : 0, (int)F);
            for (int64_t j = 0; j < F; j++) {
                int ok;
                lua_geti(L, -1, j + 1);
                d[i * F + j] = (float)lua_tonumberx(L, -1, &ok);
                if (!ok)
                    return luaL_error(L, "tensor.from: row %d, column %d is %s, not a number",
                                      (int)i + 1, (int)j + 1, luaL_typename(L, -1));
                lua_pop(L, 1);
            }
        } else {
            int ok;
            d[i] = (float)(t == LUA_TBOOLEAN ? lua_toboolean(L, -1) : lua_tonumberx(L, -1, &ok));
            if (t != LUA_TBOOLEAN && !ok)
                return luaL_error(L, "tensor.from: element %d is %s, not a number", (int)i + 1,
                                  luaL_typename(L, -1));
        }
        lua_pop(L, 1);
    }
    return 1;
}

/* tensor.vector(v): a column (N, 1) from anything lb_checkvector reads. */
static int t_vector(lua_State *L) {
    int64_t n, shape[2];
    double *v = lb_checkvector(L, 1, &n);
    tn_Tensor **box = lb_newtensor(L);
    mn_Err e = {0};
    shape[0] = n;
    shape[1] = 1;
    if (tn_zeros(shape, 2, box, &e) != MN_OK)
        return lb_raise(L, &e);
    for (int64_t i = 0; i < n; i++)
        tn_data(*box)[i] = (float)v[i];
    return 1;
}

static int t_shape(lua_State *L) {
    tn_Tensor *t = lb_checktensor(L, 1);
    lua_createtable(L, tn_ndim(t), 0);
    for (int i = 0; i < tn_ndim(t); i++) {
        lua_pushinteger(L, (lua_Integer)tn_shape(t)[i]);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

static int t_nrows(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)tn_shape(lb_checktensor(L, 1))[0]);
    return 1;
}

static int t_numel(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)tn_numel(lb_checktensor(L, 1)));
    return 1;
}

/* t:get(i [, j]) 1-based; a flat index when j is absent. */
static int t_get(lua_State *L) {
    tn_Tensor *t = lb_checktensor(L, 1);
    int64_t i = (int64_t)luaL_checkinteger(L, 2) - 1, k = i;
    if (!lua_isnoneornil(L, 3))
        k = i * tn_rowsize(t) + (int64_t)luaL_checkinteger(L, 3) - 1;
    luaL_argcheck(L, k >= 0 && k < tn_numel(t), 2, "index out of range");
    lua_pushnumber(L, (double)tn_data(t)[k]);
    return 1;
}

static int t_set(lua_State *L) {
    tn_Tensor *t = lb_checktensor(L, 1);
    int64_t i = (int64_t)luaL_checkinteger(L, 2) - 1, k = i;
    int vi = 3;
    if (lua_gettop(L) >= 4) {
        k = i * tn_rowsize(t) + (int64_t)luaL_checkinteger(L, 3) - 1;
        vi = 4;
    }
    luaL_argcheck(L, k >= 0 && k < tn_numel(t), 2, "index out of range");
    tn_data(t)[k] = (float)luaL_checknumber(L, vi);
    return 0;
}

static int t_rows(lua_State *L) {
    tn_Tensor *t = lb_checktensor(L, 1);
    lua_Integer first = luaL_checkinteger(L, 2), count = luaL_checkinteger(L, 3);
    tn_Tensor **box = lb_newtensor(L);
    mn_Err e = {0};
    if (tn_rows(t, first - 1, count, box, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

static int t_gather(lua_State *L) {
    tn_Tensor *t = lb_checktensor(L, 1);
    int64_t n;
    double *v = lb_checkvector(L, 2, &n);
    int64_t *idx = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *idx, 0);
    tn_Tensor **box;
    mn_Err e = {0};
    for (int64_t i = 0; i < n; i++)
        idx[i] = (int64_t)v[i] - 1;
    box = lb_newtensor(L);
    if (tn_gather_rows(t, idx, n, box, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

static int t_reshape(lua_State *L) {
    tn_Tensor *t = lb_checktensor(L, 1);
    int64_t shape[TN_MAXDIM];
    int nd = checkshape(L, 2, shape);
    tn_Tensor **box = lb_newtensor(L);
    mn_Err e = {0};
    if (tn_reshape(t, shape, nd, box, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

static int t_clone(lua_State *L) {
    tn_Tensor *t = lb_checktensor(L, 1);
    tn_Tensor **box = lb_newtensor(L);
    mn_Err e = {0};
    if (tn_clone(t, box, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

static int t_matmul(lua_State *L) {
    tn_Tensor *a = lb_checktensor(L, 1), *b = lb_checktensor(L, 2);
    tn_Tensor **out = lb_newtensor(L);
    mn_Err e = {0};
    if (tn_matmul(a, b, out, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

/* Rows as Lua tables (or numbers for one column / 1-D). */
static int t_totable(lua_State *L) {
    tn_Tensor *t = lb_checktensor(L, 1);
    int64_t n = tn_shape(t)[0], rs = tn_ndim(t) == 1 ? 1 : tn_rowsize(t);
    const float *d = tn_data(t);
    int rows = lua_toboolean(L, 2);
    lua_createtable(L, (int)n, 0);
    for (int64_t i = 0; i < n; i++) {
        if (rs == 1 && !rows) {
            lua_pushnumber(L, (double)d[i]);
        } else {
            lua_createtable(L, (int)rs, 0);
            for (int64_t j = 0; j < rs; j++) {
                lua_pushnumber(L, (double)d[i * rs + j]);
                lua_rawseti(L, -2, j + 1);
            }
        }
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* __tovector: all elements as packed doubles (so metrics read a tensor like a column). */
static int t_tovector(lua_State *L) {
    tn_Tensor *t = lb_checktensor(L, 1);
    int64_t n = tn_numel(t);
    luaL_Buffer b;
    double *v = (double *)luaL_buffinitsize(L, &b, (size_t)n * sizeof(double));
    for (int64_t i = 0; i < n; i++)
        v[i] = (double)tn_data(t)[i];
    luaL_pushresultsize(&b, (size_t)n * sizeof(double));
    return 1;
}

static int t_len(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)tn_shape(lb_checktensor(L, 1))[0]);
    return 1;
}

static int t_tostring(lua_State *L) {
    tn_Tensor **box = luaL_checkudata(L, 1, TENSOR_MT);
    char buf[80];
    luaL_Buffer b;
    int64_t n;
    if (*box == NULL) {
        lua_pushstring(L, "tensor (freed)");
        return 1;
    }
    n = tn_numel(*box);
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "tensor");
    luaL_addstring(&b, tn_shape_str(tn_shape(*box), tn_ndim(*box), buf, sizeof buf));
    luaL_addstring(&b, " [");
    for (int64_t i = 0; i < n && i < 8; i++) {
        snprintf(buf, sizeof buf, "%s%.6g", i ? ", " : "", (double)tn_data(*box)[i]);
        luaL_addstring(&b, buf);
    }
    luaL_addstring(&b, n > 8 ? ", ...]" : "]");
    luaL_pushresult(&b);
    return 1;
}

static int t_gc(lua_State *L) {
    tn_Tensor **box = luaL_checkudata(L, 1, TENSOR_MT);
    tn_free(*box);
    *box = NULL;
    return 0;
}

static int t_istensor(lua_State *L) {
    lua_pushboolean(L, luaL_testudata(L, 1, TENSOR_MT) != NULL);
    return 1;
}

static const luaL_Reg methods[] = {
    {"shape", t_shape}, {"nrows", t_nrows}, {"numel", t_numel}, {"get", t_get},
    {"set", t_set}, {"rows", t_rows}, {"gather", t_gather}, {"reshape", t_reshape},
    {"clone", t_clone}, {"matmul", t_matmul}, {"totable", t_totable}, {"free", t_gc},
    {"to_tensor", t_clone}, {NULL, NULL}};
static const luaL_Reg metas[] = {{"__gc", t_gc}, {"__close", t_gc}, {"__len", t_len},
                                 {"__tostring", t_tostring}, {"__tovector", t_tovector},
                                 {NULL, NULL}};
static const luaL_Reg funcs[] = {{"zeros", t_zeros}, {"from", t_from}, {"vector", t_vector},
                                 {"matmul", t_matmul}, {"is", t_istensor}, {NULL, NULL}};

int luaopen_moneta_c_tensor(lua_State *L) {
    lb_newclass(L, TENSOR_MT, metas, methods);
    luaL_newlib(L, funcs);
    return 1;
}
