/* lb.c -- shared binding helpers and the list of C modules. */
#include "lua/lb.h"

#include <math.h>
#include <string.h>

int lb_raise(lua_State *L, const mn_Err *e) {
    if (e->code == MN_EINTR)
        return luaL_error(L, "interrupted: %s", e->msg);
    return luaL_error(L, "%s", e->msg[0] ? e->msg : mn_strerror(e->code));
}

/* Push opts[key] (or nil); returns its type. */
static int getopt_(lua_State *L, int idx, const char *key) {
    if (lua_isnoneornil(L, idx)) {
        lua_pushnil(L);
        return LUA_TNIL;
    }
    luaL_checktype(L, idx, LUA_TTABLE);
    return lua_getfield(L, idx, key);
}

int lb_opt_isset(lua_State *L, int idx, const char *key) {
    int t = getopt_(L, idx, key);
    lua_pop(L, 1);
    return t != LUA_TNIL;
}

double lb_opt_number(lua_State *L, int idx, const char *key, double def) {
    double v = def;
    int t = getopt_(L, idx, key);
    if (t != LUA_TNIL) {
        int ok;
        v = lua_tonumberx(L, -1, &ok);
        if (!ok)
            luaL_error(L, "option '%s': number expected, got %s", key, luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    return v;
}

int64_t lb_opt_integer(lua_State *L, int idx, const char *key, int64_t def) {
    int64_t v = def;
    int t = getopt_(L, idx, key);
    if (t != LUA_TNIL) {
        int ok;
        v = (int64_t)lua_tointegerx(L, -1, &ok);
        if (!ok)
            luaL_error(L, "option '%s': integer expected, got %s", key,
                       lua_type(L, -1) == LUA_TNUMBER ? "a fraction" : luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    return v;
}

int lb_opt_boolean(lua_State *L, int idx, const char *key, int def) {
    int v = def;
    int t = getopt_(L, idx, key);
    if (t != LUA_TNIL) {
        if (t != LUA_TBOOLEAN)
            luaL_error(L, "option '%s': boolean expected, got %s", key, luaL_typename(L, -1));
        v = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    return v;
}

const char *lb_opt_string(lua_State *L, int idx, const char *key, const char *def) {
    const char *v = def;
    int t = getopt_(L, idx, key);
    if (t != LUA_TNIL) {
        if (t != LUA_TSTRING)
            luaL_error(L, "option '%s': string expected, got %s", key, luaL_typename(L, -1));
        v = lua_tostring(L, -1);   /* kept alive by the options table */
    }
    lua_pop(L, 1);
    return v;
}

void lb_opt_check(lua_State *L, int idx, const char *what, const char *const *known) {
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, idx < 0 ? idx - 1 : idx) != 0) {
        int found = 0;
        if (lua_type(L, -2) == LUA_TSTRING) {
            const char *k = lua_tostring(L, -2);
            for (int i = 0; known[i] != NULL; i++)
                if (strcmp(known[i], k) == 0)
                    found = 1;
            if (!found) {
                luaL_Buffer b;
                luaL_buffinit(L, &b);
                for (int i = 0; known[i] != NULL; i++) {
                    if (i)
                        luaL_addstring(&b, ", ");
                    luaL_addstring(&b, known[i]);
                }
                luaL_pushresult(&b);
                luaL_error(L, "%s: unknown option '%s' (known: %s)", what, k,
                           lua_tostring(L, -1));
            }
        }
        lua_pop(L, 1);
    }
}

/* ---- classes ---- */

void lb_newclass(lua_State *L, const char *tname, const luaL_Reg *metas,
                 const luaL_Reg *methods) {
    luaL_newmetatable(L, tname);       /* new, or the one an earlier file made */
    if (metas != NULL)
        luaL_setfuncs(L, metas, 0);
    if (methods != NULL) {
        /* An __index function (c[i] on columns) keeps the methods in __methods, which
        ** completion and help read like an __index table. */
        const char *field = lua_getfield(L, -1, "__index") == LUA_TFUNCTION ? "__methods"
                                                                              : "__index";
        lua_pop(L, 1);
        if (lua_getfield(L, -1, field) != LUA_TTABLE) {
            lua_pop(L, 1);
            lua_newtable(L);
            lua_pushvalue(L, -1);
            lua_setfield(L, -3, field);
        }
        luaL_setfuncs(L, methods, 0);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* ---- vectors ---- */

double *lb_checkvector(lua_State *L, int arg, int64_t *n) {
    int has_meta;
    arg = lua_absindex(L, arg);
    has_meta = luaL_getmetafield(L, arg, "__tovector") != LUA_TNIL;  /* pushes it if found */
    if (!has_meta && lua_type(L, arg) == LUA_TTABLE) {
        lua_Integer len = luaL_len(L, arg);
        double *v = lua_newuserdatauv(L, (size_t)(len > 0 ? len : 1) * sizeof *v, 0);
        for (lua_Integer i = 1; i <= len; i++) {
            int t = lua_geti(L, arg, i), ok = 1;
            if (t == LUA_TBOOLEAN)
                v[i - 1] = lua_toboolean(L, -1);
            else
                v[i - 1] = lua_tonumberx(L, -1, &ok);
            if (!ok)
                luaL_argerror(L, arg, lua_pushfstring(L, "element %d is %s, not a number",
                                                      (int)i, luaL_typename(L, -1)));
            lua_pop(L, 1);
        }
        *n = (int64_t)len;
        return v;
    }
    if (has_meta) {                                  /* the metamethod is on the stack */
        size_t bytes;
        const char *s;
        double *v;
        lua_pushvalue(L, arg);
        lua_call(L, 1, 1);
        s = lua_tolstring(L, -1, &bytes);
        if (s == NULL || bytes % sizeof(double) != 0)
            luaL_argerror(L, arg, "__tovector did not return packed doubles");
        v = lua_newuserdatauv(L, bytes ? bytes : 1, 0);
        memcpy(v, s, bytes);
        lua_remove(L, -2);
        *n = (int64_t)(bytes / sizeof(double));
        return v;
    }
    luaL_typeerror(L, arg, "table of numbers, column or tensor");
    return NULL;
}

void lb_pushvector(lua_State *L, const double *v, int64_t n) {
    lua_createtable(L, (int)(n < INT32_MAX ? n : 0), 0);
    for (int64_t i = 0; i < n; i++) {
        lua_pushnumber(L, v[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* ---- progress hook ---- */

/* The record's fields, one push each; runs inside the protected call (push_record). */
static void set_int(lua_State *L, const char *k, int64_t v) {
    lua_pushinteger(L, (lua_Integer)v);
    lua_setfield(L, -2, k);
}

static void set_num(lua_State *L, const char *k, double v) {
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

static void set_str(lua_State *L, const char *k, const char *v) {
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

/* Protected: (light userdata mn_Progress*) -> the listener's result. Everything that can
** raise (the registry lookup, the record's table and strings, the listener itself) happens
** here, inside lua_pcall, so no Lua error ever long-jumps through the core loop's frames. */
static int push_record(lua_State *L) {
    const mn_Progress *p = lua_touserdata(L, 1);
    if (lua_getfield(L, LUA_REGISTRYINDEX, "moneta.progress") != LUA_TFUNCTION)
        return 0;                                 /* no listener: nil, the loop goes on */
    lua_createtable(L, 0, 13);
    set_str(L, "task", p->task ? p->task : "");
    set_str(L, "phase", p->phase ? p->phase : "");
    set_int(L, "epoch", p->epoch);
    set_int(L, "epochs", p->epochs);
    set_int(L, "step", p->step);
    set_int(L, "total", p->total);
    set_num(L, "elapsed", p->elapsed);
    if (!isnan(p->lr))
        set_num(L, "lr", p->lr);
    if (!isnan(p->grad_norm))
        set_num(L, "grad_norm", p->grad_norm);
    if (p->event != NULL) {
        set_str(L, "event", p->event);
        set_str(L, "kind", mn_event_kind_name(p->kind));   /* "info", "good", "warn", "bad" */
    }
    if (p->best_epoch > 0 && p->best_metric != NULL) {
        set_int(L, "best_epoch", p->best_epoch);
        set_str(L, "best_metric", p->best_metric);
    }
    lua_createtable(L, 0, p->nmetrics);
    for (int i = 0; i < p->nmetrics; i++)
        set_num(L, p->names[i], p->values[i]);
    lua_setfield(L, -2, "metrics");
    lua_call(L, 1, 1);
    return 1;
}

/* Test hook (lb_test_progress_alloc_fail): Lua's allocator inside the protected call fails
** from the n-th growing allocation on, as a real exhaustion would (Lua retries once after an
** emergency collection, so one failure alone would not show). Globals: the hook is for the
** tests of the one Lua state, and lua_Alloc's user pointer is the real allocator's. */
static long     prog_fail_in;                 /* countdown; 0 off */
static int      prog_failing;                 /* the countdown reached 0 in this call */
static lua_Alloc prog_real;
static void    *prog_real_ud;

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    (void)ud;
    if (nsize > 0 && (ptr == NULL || nsize > osize)) {  /* shrinking and freeing never fail */
        if (prog_failing)
            return NULL;
        if (prog_fail_in > 0 && --prog_fail_in == 0) {
            prog_failing = 1;
            return NULL;
        }
    }
    return prog_real(prog_real_ud, ptr, osize, nsize);
}

long lb_test_progress_alloc_fail(long n) {
    long left = prog_fail_in;
    prog_fail_in = n > 0 ? n : 0;
    prog_failing = 0;
    return left;
}

static int call_progress(void *ud, const mn_Progress *p) {
    lua_State *L = ud;
    int flags = MN_PROG_GO, top = lua_gettop(L), mask, count, injected = 0;
    lua_Hook hk;
    /* no allocation before the pcall: checkstack reports failure instead of raising, and a C
    ** function and a light userdata are plain values */
    if (!lua_checkstack(L, 4))
        return MN_PROG_STOP;
    lua_pushcfunction(L, push_record);
    lua_pushlightuserdata(L, (void *)p);
    /* A Ctrl-C arms a Lua hook that raises "interrupted" at the next Lua instruction; the
    ** listeners must still see the loop's last records (its "end" says why it stopped), so
    ** the hook waits until they return. The C loop sees the interrupt flag either way. */
    hk = lua_gethook(L);
    mask = lua_gethookmask(L);
    count = lua_gethookcount(L);
    if (hk != NULL)
        lua_sethook(L, NULL, 0, 0);
    if (prog_fail_in > 0) {
        prog_real = lua_getallocf(L, &prog_real_ud);
        lua_setallocf(L, failing_alloc, NULL);
        injected = 1;
    }
    if (lua_pcall(L, 1, 1, 0) != LUA_OK)
        flags = MN_PROG_STOP;      /* a broken listener, or no memory for the record */
    else if (lua_isinteger(L, -1))
        flags = (int)lua_tointeger(L, -1);
    if (injected) {
        lua_setallocf(L, prog_real, prog_real_ud);
        prog_failing = 0;
    }
    if (hk != NULL)
        lua_sethook(L, hk, mask, count);
    lua_settop(L, top);
    return flags;
}

void lb_progress_hook(lua_State *L, mn_Hook *h) {
    memset(h, 0, sizeof *h);
    h->fn = call_progress;
    h->ud = L;
    h->interval = 0.1;
}

/* ---- the C modules ---- */

/* One rule: src/lua/l_<name>.c is the module "moneta.c.<name>" and exports
** luaopen_moneta_c_<name>, the name Lua's own loader would look for (dots become
** underscores), so a name tells you the file and the function. The public modules are the
** Lua files under lua/moneta/, which require these. */
static const luaL_Reg modules[] = {
    {"moneta.c.core", luaopen_moneta_c_core},
    {"moneta.c.frame", luaopen_moneta_c_frame},
    {"moneta.c.metrics", luaopen_moneta_c_metrics},
    {"moneta.c.ops", luaopen_moneta_c_ops},
    {"moneta.c.io", luaopen_moneta_c_io},
    {"moneta.c.clean", luaopen_moneta_c_clean},
    {"moneta.c.prep", luaopen_moneta_c_prep},
    {"moneta.c.tensor", luaopen_moneta_c_tensor},
    {"moneta.c.nn", luaopen_moneta_c_nn},
    {"moneta.c.monitor", luaopen_moneta_c_monitor},
    {"moneta.c.explore", luaopen_moneta_c_explore},
    {"moneta.c.plot", luaopen_moneta_c_plot},
    {"moneta.c.ts", luaopen_moneta_c_ts},
    {"moneta.c.feat", luaopen_moneta_c_feat},
    {"moneta.c.ml", luaopen_moneta_c_ml},
    {NULL, NULL}
};

void lb_openlibs(lua_State *L) {
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    for (const luaL_Reg *m = modules; m->name != NULL; m++) {
        lua_pushcfunction(L, m->func);
        lua_setfield(L, -2, m->name);
    }
    lua_pop(L, 1);
}
