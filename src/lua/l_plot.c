/* l_plot.c -- Lua face of plot/gnuplot ("moneta.c.plot"): one gnuplot session per Lua state
** (a userdata in the registry, stopped by __gc), the quoting function, numeric datablocks and
** atomic file commits. The plot kinds and the choice of output are in lua/moneta/plot.lua. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lua/lb.h"
#include "core/mem.h"
#include "data/stats.h"
#include "eval/drawdown.h"
#include "eval/metrics.h"
#include "plot/downsample.h"
#include "plot/gnuplot.h"

#define SESSION_MT  "moneta.PlotSession"
#define SESSION_KEY "moneta.plot.session"

/* Seed of the datablock end markers. Any one does: gp_datablock_text moves on to the next
** marker whenever one starts a line of the data. */
#define BLOCK_SEED 7919

/* ---- helpers ---- */

/* Seconds a gnuplot exchange may take: $MONETA_PLOT_TIMEOUT, else 30. */
static double default_timeout(void) {
    const char *s = getenv("MONETA_PLOT_TIMEOUT");
    double t = s ? atof(s) : 0;
    return t > 0 ? t : 30.0;
}

/* The session, created on first use: $MONETA_GNUPLOT names the program (default gnuplot). */
static gp_Proc *session(lua_State *L) {
    gp_Proc **box;
    if (lua_getfield(L, LUA_REGISTRYINDEX, SESSION_KEY) == LUA_TUSERDATA) {
        box = luaL_checkudata(L, -1, SESSION_MT);
        lua_pop(L, 1);
        if (*box != NULL)
            return *box;
    } else {
        lua_pop(L, 1);
        box = lua_newuserdatauv(L, sizeof *box, 0);
        *box = NULL;
        luaL_setmetatable(L, SESSION_MT);
        lua_setfield(L, LUA_REGISTRYINDEX, SESSION_KEY);
    }
    {
        const char *prog = getenv("MONETA_GNUPLOT");
        const char *argv[] = {prog && *prog ? prog : "gnuplot", "-d", NULL};
        mn_Err e = {0};
        if (gp_new(argv, box, &e) != MN_OK)
            lb_raise(L, &e);
    }
    return *box;
}

/* Push a gp_Buf as a Lua string and free it. */
static void pushbuf(lua_State *L, gp_Buf *b) {
    lua_pushlstring(L, b->s ? b->s : "", b->len);
    gp_buf_free(b);
}

/* ---- functions ---- */

/* quote(s) -> the gnuplot single-quoted constant for s (numbers are converted to text). */
static int p_quote(lua_State *L) {
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    gp_Buf b = {0};
    if (gp_quote(&b, s, n) != MN_OK)
        return luaL_error(L, "plot: out of memory");
    pushbuf(L, &b);
    return 1;
}

/* datablock(name, {v1, v2, ...}) -> text defining $name with one column per vector. */
static int p_datablock(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    lua_Integer ncols;
    const double **cols;
    int64_t n = -1;
    int rc;
    gp_Buf b = {0};
    mn_Err e = {0};
    luaL_checktype(L, 2, LUA_TTABLE);
    ncols = luaL_len(L, 2);
    luaL_argcheck(L, ncols >= 1 && ncols <= INT_MAX, 2, "a list of 1 or more vectors expected");
    cols = lua_newuserdatauv(L, (size_t)ncols * sizeof *cols, 0);    /* any number of columns */
    for (lua_Integer j = 0; j < ncols; j++) {
        int64_t k;
        luaL_checkstack(L, 4, "plot: too many data columns");  /* lb_checkvector uses 3 */
        lua_geti(L, 2, j + 1);
        cols[j] = lb_checkvector(L, -1, &k);       /* pushes the values' box: it stays there */
        lua_remove(L, -2);
        if (n >= 0 && k != n)
            return luaL_error(L, "plot: data columns differ in length (%I and %I)",
                              (lua_Integer)n, (lua_Integer)k);
        n = k;
    }
    rc = gp_datablock(&b, name, cols, (int)ncols, n, BLOCK_SEED, &e);
    if (rc != MN_OK) {
        gp_buf_free(&b);
        return lb_raise(L, &e);
    }
    pushbuf(L, &b);
    return 1;
}

/* series(name, x, {y1, ...}, width, xscale) -> text, n, xlo, xhi, kept: the datablock $name
** of a line plot, column 1 x (nil: 1..n) times 'xscale', then one column per y. Vectors are
** read straight into C doubles (a column or tensor hands over its packed values), never into
** Lua tables. 'width' (pixels; false: draw every point) turns on M4 down-sampling. xlo and xhi
** are the finite range of x (nil when none), kept the number of rows written. */
static int p_series(lua_State *L) {
    const char *name = (lua_settop(L, 5), luaL_checkstring(L, 1));
    int has_x = !lua_isnoneornil(L, 2), ny, width = 0, rc, top;
    double xscale = luaL_optnumber(L, 5, 1.0), *x, xlo = HUGE_VAL, xhi = -HUGE_VAL;
    const double **cols;
    int64_t n = -1, *idx = NULL, m;
    lua_Integer len;
    gp_Buf b = {0};
    mn_Err e = {0};
    luaL_checktype(L, 3, LUA_TTABLE);
    if (lua_toboolean(L, 4)) {
        lua_Integer w = luaL_checkinteger(L, 4);
        luaL_argcheck(L, w >= 1 && w <= 100000, 4, "width in pixels expected");
        width = (int)w;
    }
    len = luaL_len(L, 3);
    luaL_argcheck(L, len >= 1 && len < 4096, 3, "a list of 1 or more series expected");
    ny = (int)len;
    cols = lua_newuserdatauv(L, (size_t)(ny + 1) * sizeof *cols, 0);
    for (int j = 0; j < ny; j++) {
        int64_t k;
        luaL_checkstack(L, 4, "plot: too many series");
        lua_geti(L, 3, j + 1);
        cols[j + 1] = lb_checkvector(L, -1, &k);   /* the values' box stays on the stack */
        lua_remove(L, -2);
        if (n >= 0 && k != n)
            return luaL_error(L, "series differ in length (%I and %I)", (lua_Integer)n,
                              (lua_Integer)k);
        n = k;
    }
    if (has_x) {
        int64_t k;
        x = lb_checkvector(L, 2, &k);
        if (k != n)
            return luaL_error(L, "x has %I values but y has %I", (lua_Integer)k, (lua_Integer)n);
        if (xscale != 1.0)
            for (int64_t i = 0; i < n; i++)
                x[i] *= xscale;
    } else {
        x = lua_newuserdatauv(L, (size_t)(n > 0 ? n : 1) * sizeof *x, 0);
        for (int64_t i = 0; i < n; i++)
            x[i] = (double)(i + 1);
    }
    cols[0] = x;
    for (int64_t i = 0; i < n; i++)
        if (isfinite(x[i])) {
            if (x[i] < xlo)
                xlo = x[i];
            if (x[i] > xhi)
                xhi = x[i];
        }
    m = n;
    if (width > 0 && gp_m4(x, cols + 1, ny, n, width, &idx, &m, &e) != MN_OK)
        return lb_raise(L, &e);
    if (idx != NULL) {
        /* gather the kept rows into C memory: nothing may raise (and leak idx) until both
        ** are freed, so no Lua allocation happens in between */
        double *kept = mn_malloc((size_t)(ny + 1) * (size_t)(m > 0 ? m : 1) * sizeof *kept);
        const double **kcols = mn_malloc((size_t)(ny + 1) * sizeof *kcols);
        if (kept == NULL || kcols == NULL) {
            rc = mn_fail(&e, MN_ENOMEM, "plot: out of memory for %lld points", (long long)m);
        } else {
            for (int j = 0; j <= ny; j++) {
                double *c = kept + (size_t)j * (size_t)m;
                for (int64_t i = 0; i < m; i++)
                    c[i] = cols[j][idx[i]];
                kcols[j] = c;
            }
            rc = gp_datablock(&b, name, kcols, ny + 1, m, BLOCK_SEED, &e);
        }
        mn_free(idx);
        mn_free(kept);
        mn_free((void *)kcols);
    } else {
        rc = gp_datablock(&b, name, cols, ny + 1, m, BLOCK_SEED, &e);
    }
    if (rc != MN_OK) {
        gp_buf_free(&b);
        return lb_raise(L, &e);
    }
    top = lua_gettop(L);
    pushbuf(L, &b);
    lua_pushinteger(L, (lua_Integer)n);
    if (xlo <= xhi) {
        lua_pushnumber(L, xlo);
        lua_pushnumber(L, xhi);
    } else {
        lua_pushnil(L);
        lua_pushnil(L);
    }
    lua_pushinteger(L, (lua_Integer)m);
    return lua_gettop(L) - top;
}

/* tovector(v) -> a Lua sequence of the numbers in v (table, column, tensor). */
static int p_tovector(lua_State *L) {
    int64_t n;
    const double *v = lb_checkvector(L, 1, &n);
    lb_pushvector(L, v, n);
    return 1;
}

/* run(commands [, timeout]) -> what gnuplot printed (warnings); raises on its errors. */
static int p_run(lua_State *L) {
    size_t n;
    const char *cmds = luaL_checklstring(L, 1, &n);
    double timeout = luaL_optnumber(L, 2, default_timeout());
    gp_Proc *g = session(L);
    gp_Buf out = {0};
    mn_Err e = {0};
    if (gp_run(g, cmds, n, timeout, &out, &e) != MN_OK) {
        gp_buf_free(&out);
        return lb_raise(L, &e);
    }
    pushbuf(L, &out);
    return 1;
}

/* terminals() -> set of terminal names {png = true, ...} (the list is cached in C). */
static int p_terminals(lua_State *L) {
    gp_Proc *g = session(L);
    const char *list, *p;
    mn_Err e = {0};
    if (gp_terminals(g, default_timeout(), &list, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_newtable(L);
    for (p = list; *p;) {
        const char *q;
        while (*p == ' ')
            p++;
        for (q = p; *q && *q != ' '; q++) {}
        if (q > p) {
            lua_pushlstring(L, p, (size_t)(q - p));
            lua_pushboolean(L, 1);
            lua_settable(L, -3);
        }
        p = q;
    }
    return 1;
}

static int p_pid(lua_State *L) {
    lua_Integer pid = 0;
    if (lua_getfield(L, LUA_REGISTRYINDEX, SESSION_KEY) == LUA_TUSERDATA) {
        gp_Proc **box = luaL_checkudata(L, -1, SESSION_MT);
        if (*box != NULL)
            pid = (lua_Integer)gp_pid(*box);
    }
    if (pid > 0)
        lua_pushinteger(L, pid);
    else
        lua_pushnil(L);
    return 1;
}

/* stop(): end the gnuplot process (windows close); the next plot starts a new one. */
static int p_stop(lua_State *L) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, SESSION_KEY) == LUA_TUSERDATA) {
        gp_Proc **box = luaL_checkudata(L, -1, SESSION_MT);
        gp_free(*box);
        *box = NULL;
    }
    return 0;
}

/* tmpfile([dir,] ext) -> the name of a new empty file made with mkstemps in 'dir' (nil: the
** system's temporary folder), for gnuplot to write into. */
static int p_tmpfile(lua_State *L) {
    const char *dir = luaL_optstring(L, 1, NULL), *ext = luaL_checkstring(L, 2);
    gp_Buf b = {0};
    mn_Err e = {0};
    if (gp_tmpfile(dir, ext, &b, &e) != MN_OK) {
        gp_buf_free(&b);
        return lb_raise(L, &e);
    }
    pushbuf(L, &b);
    return 1;
}

/* commit(tmp, path): fsync tmp, rename it to path, fsync the folder. */
static int p_commit(lua_State *L) {
    const char *tmp = luaL_checkstring(L, 1), *path = luaL_checkstring(L, 2);
    mn_Err e = {0};
    if (gp_commit_file(tmp, path, &e) != MN_OK)
        return lb_raise(L, &e);
    return 0;
}

static int session_gc(lua_State *L) {
    gp_Proc **box = luaL_checkudata(L, 1, SESSION_MT);
    gp_free(*box);
    *box = NULL;
    return 0;
}

/* ---- the numbers plots show, computed by the layers that own them ---- */

/* Push v[0..n) as a Lua list (only for the small results below: grids, matrices). */
static void pushlist(lua_State *L, const double *v, int64_t n) {
    lb_pushvector(L, v, n);
}

/* corr({v1, v2, ...}, "pearson"|"spearman") -> rows: the pairwise-complete correlation
** matrix (data/stats.h fr_corr_matrix) as a list of row lists. */
static int p_corr(lua_State *L) {
    static const char *const methods[] = {"pearson", "spearman", NULL};
    int method, k;
    lua_Integer len;
    const double **cols;
    double *m;
    int64_t n = -1;
    mn_Err e = {0};
    luaL_checktype(L, 1, LUA_TTABLE);
    method = luaL_checkoption(L, 2, "pearson", methods) == 0 ? FR_PEARSON : FR_SPEARMAN;
    len = luaL_len(L, 1);
    luaL_argcheck(L, len >= 1 && len <= 4096, 1, "a list of 1 to 4096 vectors expected");
    k = (int)len;
    cols = lua_newuserdatauv(L, (size_t)k * sizeof *cols, 0);
    for (int j = 0; j < k; j++) {
        int64_t c;
        luaL_checkstack(L, 4, "plot: too many columns");
        lua_geti(L, 1, j + 1);
        cols[j] = lb_checkvector(L, -1, &c);
        lua_remove(L, -2);
        if (n >= 0 && c != n)
            return luaL_error(L, "columns differ in length (%I and %I)", (lua_Integer)n,
                              (lua_Integer)c);
        n = c;
    }
    m = lua_newuserdatauv(L, (size_t)k * (size_t)k * sizeof *m, 0);
    if (fr_corr_matrix(cols, k, n, method, m, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_createtable(L, k, 0);
    for (int i = 0; i < k; i++) {
        pushlist(L, m + (size_t)i * (size_t)k, k);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* kde(x, bw|nil, points [, lo, hi]) -> xs, ys, bw: Gaussian density of x's finite values
** (fr_kde) with bandwidth bw (nil: R's bw.nrd0) on 'points' points from lo to hi (nil: the
** data's range widened by 3 bandwidths). */
static int p_kde(lua_State *L) {
    int64_t n;
    double *x, bw, lo, hi, *xs;
    lua_Integer m = luaL_checkinteger(L, 3);
    mn_Err e = {0};
    lua_settop(L, 5);                    /* the values' box goes above the arguments */
    x = lb_checkvector(L, 1, &n);
    luaL_argcheck(L, m >= 2 && m <= 1000000, 3, "2 to 1000000 points expected");
    if (lua_isnoneornil(L, 2)) {
        if (fr_bw_nrd0(x, n, &bw, &e) != MN_OK)
            return lb_raise(L, &e);
    } else {
        bw = luaL_checknumber(L, 2);
    }
    if (lua_isnoneornil(L, 4)) {
        lo = HUGE_VAL;
        hi = -HUGE_VAL;
        for (int64_t i = 0; i < n; i++)
            if (isfinite(x[i])) {
                lo = x[i] < lo ? x[i] : lo;
                hi = x[i] > hi ? x[i] : hi;
            }
        lo -= 3 * bw;
        hi += 3 * bw;
    } else {
        lo = luaL_checknumber(L, 4);
        hi = luaL_checknumber(L, 5);
    }
    xs = lua_newuserdatauv(L, 2 * (size_t)m * sizeof *xs, 0);
    if (fr_kde(x, n, bw, lo, hi, (int)m, xs, xs + m, &e) != MN_OK)
        return lb_raise(L, &e);
    pushlist(L, xs, m);
    pushlist(L, xs + m, m);
    lua_pushnumber(L, bw);
    return 3;
}

/* linfit(x, y) -> intercept, slope, r2, pairs: least squares over the finite pairs. */
static int p_linfit(lua_State *L) {
    int64_t n, ny, m = 0;
    double *x = lb_checkvector(L, 1, &n), *y = lb_checkvector(L, 2, &ny), a = 0, b = 0, r2 = 0;
    mn_Err e = {0};
    if (n != ny)
        return luaL_error(L, "x has %I values but y has %I", (lua_Integer)n, (lua_Integer)ny);
    if (fr_linfit(x, y, n, &a, &b, &r2, &m, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_pushnumber(L, a);
    lua_pushnumber(L, b);
    lua_pushnumber(L, r2);
    lua_pushinteger(L, (lua_Integer)m);
    return 4;
}

/* equity(x, kind, start) -> equity, drawdown: the curve (ev_equity) and its drawdown against
** the running peak (ev_drawdown), which starts at 'start' for returns, at the first value for
** equity. */
static int p_equity(lua_State *L) {
    static const char *const kinds[] = {"returns", "log_returns", "equity", NULL};
    static const int codes[] = {EV_DD_RETURNS, EV_DD_LOG_RETURNS, EV_DD_EQUITY};
    int64_t n;
    double *x = lb_checkvector(L, 1, &n), *eq;
    int kind = codes[luaL_checkoption(L, 2, NULL, kinds)];
    double start = luaL_checknumber(L, 3);
    mn_Err e = {0};
    eq = lua_newuserdatauv(L, 2 * (size_t)(n > 0 ? n : 1) * sizeof *eq, 0);
    if (ev_equity(x, n, kind, start, eq, &e) != MN_OK)
        return lb_raise(L, &e);
    ev_drawdown(eq, n, kind == EV_DD_EQUITY ? (double)NAN : start, eq + n);
    pushlist(L, eq, n);
    pushlist(L, eq + n, n);
    return 2;
}

/* ---- registration ---- */

static const luaL_Reg session_metas[] = {{"__gc", session_gc}, {NULL, NULL}};

static const luaL_Reg funcs[] = {
    {"quote", p_quote},
    {"datablock", p_datablock},
    {"series", p_series},
    {"corr", p_corr},
    {"kde", p_kde},
    {"linfit", p_linfit},
    {"equity", p_equity},
    {"tovector", p_tovector},
    {"run", p_run},
    {"terminals", p_terminals},
    {"pid", p_pid},
    {"stop", p_stop},
    {"tmpfile", p_tmpfile},
    {"commit", p_commit},
    {NULL, NULL}
};

int luaopen_moneta_c_plot(lua_State *L) {
    lb_newclass(L, SESSION_MT, session_metas, NULL);
    luaL_newlib(L, funcs);
    return 1;
}
