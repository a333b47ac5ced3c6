/* l_core.c -- Lua face of core/ ("moneta.c.core"): version, BLAS threads and info, the GEMM
** probe, terminal size and the install paths the app found. Pure-Lua sugar is in lua/moneta. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/blas.h"
#include "core/pool.h"
#include "core/interrupt.h"
#include "core/version.h"
#include "lua/lb.h"

static int core_version(lua_State *L) {
    lua_pushstring(L, MONETA_VERSION);
    return 1;
}

static int core_threads(lua_State *L) {
    if (!lua_isnoneornil(L, 1)) {
        lua_Integer n = luaL_checkinteger(L, 1);
        luaL_argcheck(L, n >= 1 && n <= 256, 1, "thread count must be in [1, 256]");
        mn_blas_set_threads((int)n);
        mn_pool_set_threads((int)n);
    }
    lua_pushinteger(L, mn_blas_threads());
    return 1;
}

static int core_blas_info(lua_State *L) {
    lua_createtable(L, 0, 3);
    lua_pushstring(L, mn_blas_config());
    lua_setfield(L, -2, "config");
    lua_pushstring(L, mn_blas_core());
    lua_setfield(L, -2, "core");
    lua_pushinteger(L, mn_blas_threads());
    lua_setfield(L, -2, "threads");
    return 1;
}

static int core_gemm_bench(lua_State *L) {
    lua_Integer n = luaL_optinteger(L, 1, 1024);
    double secs = luaL_optnumber(L, 2, 0.5), gf = 0;
    mn_Err e = {0};
    luaL_argcheck(L, n >= 1 && n <= 16384, 1, "n must be in [1, 16384]");
    luaL_argcheck(L, secs >= 0 && secs <= 3600, 2, "seconds must be in [0, 3600]");
    if (mn_gemm_bench((int)n, secs, &gf, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_pushnumber(L, gf);
    return 1;
}

/* Columns of the terminal on stdout, else $COLUMNS, else 80. */
static int core_term_size(lua_State *L) {
    struct winsize ws;
    int cols = 0, rows = 0;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        cols = ws.ws_col;
        rows = ws.ws_row;
    }
    if (cols <= 0) {
        const char *c = getenv("COLUMNS");
        cols = c != NULL ? atoi(c) : 0;
    }
    if (cols <= 0)
        cols = 80;
    if (rows <= 0)
        rows = 24;
    lua_pushinteger(L, cols);
    lua_pushinteger(L, rows);
    return 2;
}

static int core_isatty(lua_State *L) {
    lua_Integer fd = luaL_optinteger(L, 1, 1);
    lua_pushboolean(L, isatty((int)fd));
    return 1;
}

/* The table of paths the app found (lua_dir, datasets_dir, ...), kept in the registry. */
static int core_paths(lua_State *L) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, "moneta.paths") != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
    }
    return 1;
}

static int core_interrupted(lua_State *L) {
    lua_pushboolean(L, mn_interrupted());
    return 1;
}

static int core_now(lua_State *L) {
    lua_pushnumber(L, mn_now());
    return 1;
}

/* metric_before(a, b): the metric column order of core/progress.h, a table.sort comparator. */
static int core_metric_before(lua_State *L) {
    lua_pushboolean(L, mn_metric_before(luaL_checkstring(L, 1), luaL_checkstring(L, 2)));
    return 1;
}

/* test_progress_alloc_fail(n): test hook, see lb_test_progress_alloc_fail in lua/lb.h. */
static int core_test_progress_alloc_fail(lua_State *L) {
    lua_Integer n = luaL_checkinteger(L, 1);
    luaL_argcheck(L, n >= 0, 1, "count must be >= 0");
    lua_pushinteger(L, lb_test_progress_alloc_fail((long)n));
    return 1;
}

static const luaL_Reg funcs[] = {
    {"test_progress_alloc_fail", core_test_progress_alloc_fail},
    {"metric_before", core_metric_before},
    {"now", core_now},
    {"interrupted", core_interrupted},
    {"version", core_version},
    {"threads", core_threads},
    {"blas_info", core_blas_info},
    {"gemm_bench", core_gemm_bench},
    {"term_size", core_term_size},
    {"isatty", core_isatty},
    {"paths", core_paths},
    {NULL, NULL}
};

int luaopen_moneta_c_core(lua_State *L) {
    luaL_newlib(L, funcs);
    return 1;
}
