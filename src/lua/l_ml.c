/* l_ml.c -- Lua face of ml/ ("moneta.c.ml"): the design matrix every classical model fits on
** (a "moneta.Design" userdata made from a frame or a tensor) and the model-file container
** (core/mfile.h) for kinds "ml.*". Each model kind adds its functions from a file of its own
** (l_ml_<kind>.c, lb_ml_<kind>); options and the public names are in lua/moneta/ml.lua. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/dist.h"
#include "core/mem.h"
#include "core/mfile.h"
#include "core/tensor.h"
#include "data/frame.h"
#include "lua/lb.h"
#include "ml/design.h"

#define DESIGN_MT "moneta.Design"
#define MLFILE_MT "moneta.MLFile"       /* a model file being read: freed by __gc on errors */

/* ---- designs ---- */

static int design_gc(lua_State *L) {
    ml_Design *d = luaL_checkudata(L, 1, DESIGN_MT);
    ml_design_free(d);
    return 0;
}

const ml_Design *lb_ml_checkdesign(lua_State *L, int arg) {
    return luaL_checkudata(L, arg, DESIGN_MT);
}

/* design(X [, allow_nan]) -> Design: X a frame (its f64/bool columns) or a tensor (1-D: one
** column; 2-D: rows by features; widened to double). */
static int ml_design(lua_State *L) {
    int allow_nan = lua_toboolean(L, 2);
    ml_Design *d = lua_newuserdatauv(L, sizeof *d, 0);
    mn_Err e = {0};
    int rc;
    memset(d, 0, sizeof *d);
    luaL_setmetatable(L, DESIGN_MT);
    if (luaL_testudata(L, 1, LB_FRAME_MT) != NULL) {
        rc = ml_design_from_frame(lb_checkframe(L, 1), NULL, 0, allow_nan, d, &e);
    } else if (luaL_testudata(L, 1, LB_TENSOR_MT) != NULL) {
        tn_Tensor *t = lb_checktensor(L, 1);
        int nd = tn_ndim(t);
        const int64_t *sh = tn_shape(t);
        int64_t n, p;
        double *rows;
        const float *src = tn_data(t);
        if (nd != 1 && nd != 2)
            return luaL_error(L, "X: a tensor of 1 or 2 dimensions expected, got %d", nd);
        n = sh[0];
        p = nd == 2 ? sh[1] : 1;
        rows = lua_newuserdatauv(L, (size_t)(n * p > 0 ? n * p : 1) * sizeof *rows, 0);
        for (int64_t i = 0; i < n * p; i++)
            rows[i] = (double)src[i];
        rc = ml_design_from_rows(rows, n, p, allow_nan, d, &e);
        lua_pop(L, 1);
    } else {
        return luaL_error(L, "X: a frame or a tensor expected, got %s", luaL_typename(L, 1));
    }
    if (rc != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

static int design_n(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)lb_ml_checkdesign(L, 1)->n);
    return 1;
}

static int design_p(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)lb_ml_checkdesign(L, 1)->p);
    return 1;
}

static int design_names(lua_State *L) {
    const ml_Design *d = lb_ml_checkdesign(L, 1);
    lua_createtable(L, (int)d->p, 0);
    for (int64_t j = 0; j < d->p; j++) {
        lua_pushstring(L, d->names[j]);
        lua_rawseti(L, -2, (lua_Integer)(j + 1));
    }
    return 1;
}

/* d:column(j) -> list of the n values of column j (1-based) */
static int design_column(lua_State *L) {
    const ml_Design *d = lb_ml_checkdesign(L, 1);
    lua_Integer j = luaL_checkinteger(L, 2);
    luaL_argcheck(L, j >= 1 && j <= d->p, 2, "column out of range");
    lb_pushvector(L, d->x + (j - 1) * d->n, d->n);
    return 1;
}

/* d:degenerate() -> list of {index, dup_of} (1-based; dup_of 0 for a constant column) */
static int design_degenerate(lua_State *L) {
    const ml_Design *d = lb_ml_checkdesign(L, 1);
    int *w = lua_newuserdatauv(L, 2 * (size_t)(d->p > 0 ? d->p : 1) * sizeof *w, 0);
    int k = ml_design_degenerate(d, w, w + d->p);
    lua_createtable(L, k, 0);
    for (int i = 0; i < k; i++) {
        lua_createtable(L, 2, 0);
        lua_pushinteger(L, w[i] + 1);
        lua_rawseti(L, -2, 1);
        lua_pushinteger(L, w[d->p + i] + 1);
        lua_rawseti(L, -2, 2);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* vector(y) -> a Lua list of y's values as doubles (numbers, column, tensor) */
static int ml_vector(lua_State *L) {
    int64_t n;
    double *v = lb_checkvector(L, 1, &n);
    lb_pushvector(L, v, n);
    return 1;
}

/* t_ppf(p, df) -> Student t quantile (df <= 0: normal), for confidence intervals */
static int ml_t_ppf(lua_State *L) {
    double p = luaL_checknumber(L, 1), df = luaL_checknumber(L, 2);
    lua_pushnumber(L, df > 0.0 ? mn_t_ppf(p, df) : mn_norm_ppf(p));
    return 1;
}

/* ---- model files ---- */

static int mlfile_gc(lua_State *L) {
    mn_mfile_free(luaL_checkudata(L, 1, MLFILE_MT));
    return 0;
}

/* save(path, kind, version, options, arrays, prep|nil): arrays a list of {name, vector} */
static int ml_save(lua_State *L) {
    mn_MFile mf;
    mn_Err e = {0};
    size_t len = 0;
    const char *path = luaL_checkstring(L, 1), *kind = luaL_checkstring(L, 2);
    memset(&mf, 0, sizeof mf);
    if (strlen(kind) >= MN_MFILE_KINDMAX)
        return luaL_error(L, "save: kind '%s' too long", kind);
    strcpy(mf.kind, kind);
    mf.kind_version = (uint32_t)luaL_checkinteger(L, 3);
    mf.options = (char *)luaL_checklstring(L, 4, &len);
    mf.options_len = len;
    luaL_checktype(L, 5, LUA_TTABLE);
    mf.narrays = (int)luaL_len(L, 5);
    if (mf.narrays > MN_MFILE_MAXARRAYS)
        return luaL_error(L, "save: %d arrays, at most %d", mf.narrays, MN_MFILE_MAXARRAYS);
    for (int i = 0; i < mf.narrays; i++) {
        int64_t n;
        lua_geti(L, 5, i + 1);
        lua_geti(L, -1, 1);
        const char *nm = luaL_checkstring(L, -1);
        if (strlen(nm) >= MN_MFILE_KINDMAX)
            return luaL_error(L, "save: array name '%s' too long", nm);
        strcpy(mf.arrays[i].name, nm);
        lua_geti(L, -2, 2);
        mf.arrays[i].data = lb_checkvector(L, lua_gettop(L), &n);   /* pushes its box */
        mf.arrays[i].n = n;
        mf.arrays[i].dtype = MN_F64;
        /* keep the name, the vector and its box on the stack until written */
    }
    if (!lua_isnoneornil(L, 6)) {
        mf.prep = (char *)luaL_checklstring(L, 6, &len);
        mf.prep_len = len;
    }
    if (mn_mfile_write(path, &mf, &e) != MN_OK)
        return lb_raise(L, &e);
    return 0;
}

/* load(path) -> {kind, version, options, arrays = {name = list}, prep} */
static int ml_load(lua_State *L) {
    mn_MFile *mf = lua_newuserdatauv(L, sizeof *mf, 0);
    mn_Err e = {0};
    memset(mf, 0, sizeof *mf);
    luaL_setmetatable(L, MLFILE_MT);
    if (mn_mfile_read(luaL_checkstring(L, 1), mf, &e) != MN_OK)
        return lb_raise(L, &e);
    /* a memory error while copying leaves mf to its __gc */
    lua_createtable(L, 0, 5);
    lua_pushstring(L, mf->kind);
    lua_setfield(L, -2, "kind");
    lua_pushinteger(L, (lua_Integer)mf->kind_version);
    lua_setfield(L, -2, "version");
    lua_pushlstring(L, mf->options ? mf->options : "", mf->options_len);
    lua_setfield(L, -2, "options");
    if (mf->prep != NULL) {
        lua_pushlstring(L, mf->prep, mf->prep_len);
        lua_setfield(L, -2, "prep");
    }
    lua_createtable(L, 0, mf->narrays);
    for (int i = 0; i < mf->narrays; i++) {
        const mn_MArray *a = &mf->arrays[i];
        lua_createtable(L, (int)a->n, 0);
        for (int64_t k = 0; k < a->n; k++) {
            double v = a->dtype == MN_F64 ? ((const double *)a->data)[k]
                                          : (double)((const float *)a->data)[k];
            lua_pushnumber(L, v);
            lua_rawseti(L, -2, (lua_Integer)(k + 1));
        }
        lua_setfield(L, -2, a->name);
    }
    lua_setfield(L, -2, "arrays");
    mn_mfile_free(mf);
    return 1;
}

static const luaL_Reg design_methods[] = {
    {"n", design_n}, {"p", design_p}, {"names", design_names}, {"column", design_column},
    {"degenerate", design_degenerate}, {NULL, NULL}
};
static const luaL_Reg design_metas[] = {{"__gc", design_gc}, {NULL, NULL}};
static const luaL_Reg mlfile_metas[] = {{"__gc", mlfile_gc}, {NULL, NULL}};

static const luaL_Reg funcs[] = {
    {"design", ml_design},
    {"vector", ml_vector},
    {"t_ppf", ml_t_ppf},
    {"save", ml_save},
    {"load", ml_load},
    {NULL, NULL}
};

int luaopen_moneta_c_ml(lua_State *L) {
    lb_newclass(L, DESIGN_MT, design_metas, design_methods);
    lb_newclass(L, MLFILE_MT, mlfile_metas, NULL);
    luaL_newlib(L, funcs);
    /* model kinds add their functions here (one line each) */
    lb_ml_linear(L);
    lb_ml_logistic(L);
    lb_ml_knn(L);
    return 1;
}
