/* l_ops.c -- Lua face of data/ops ("moneta.c.ops"): filter, sort and join on moneta.Frame,
** arithmetic metamethods, comparisons, logic and statistics on moneta.Column, and the raw
** describe and groupby that lua/moneta/ops.lua wraps. Only this layer raises Lua errors. */
#include <math.h>
#include <string.h>

#include "data/frame.h"
#include "data/ops.h"
#include "lua/lb.h"

/* ---- helpers ---- */

static const char *cname(lua_State *L, int idx) {
    const char *s = lb_columnname(L, idx);
    return s != NULL ? s : "column";
}

/* Push a new Column for 'c', handing our reference to the box (Lua owns it from here). */
static void push_owned(lua_State *L, fr_Column *c) {
    lb_pushcolumn(L, c, NULL);
    fr_col_unref(c);
}

static int is_column(lua_State *L, int idx) {
    return luaL_testudata(L, idx, LB_COLUMN_MT) != NULL;
}

/* ---- column arithmetic: + - * / % ^ and unary - ---- */

static const char *const arith_sym[] = {"+", "-", "*", "/", "%", "^"};

static int arith(lua_State *L, fr_Arith op) {
    fr_Column *r = NULL;
    mn_Err e = {0};
    int rc;
    if (is_column(L, 1) && is_column(L, 2)) {
        rc = fr_arith(lb_checkcolumn(L, 1), lb_checkcolumn(L, 2), op, &r, &e);
        if (rc != MN_OK)
            mn_prefix(&e, "%s %s %s", cname(L, 1), arith_sym[op], cname(L, 2));
    } else if (is_column(L, 1)) {
        if (!lua_isnumber(L, 2))
            return luaL_error(L, "%s %s %s: a column combines with a number or a column",
                              cname(L, 1), arith_sym[op], luaL_typename(L, 2));
        rc = fr_arith_scalar(lb_checkcolumn(L, 1), lua_tonumber(L, 2), op, 0, &r, &e);
        if (rc != MN_OK)
            mn_prefix(&e, "%s %s number", cname(L, 1), arith_sym[op]);
    } else {
        if (!lua_isnumber(L, 1))
            return luaL_error(L, "%s %s %s: a column combines with a number or a column",
                              luaL_typename(L, 1), arith_sym[op], cname(L, 2));
        rc = fr_arith_scalar(lb_checkcolumn(L, 2), lua_tonumber(L, 1), op, 1, &r, &e);
        if (rc != MN_OK)
            mn_prefix(&e, "number %s %s", arith_sym[op], cname(L, 2));
    }
    if (rc != MN_OK)
        return lb_raise(L, &e);
    push_owned(L, r);
    return 1;
}

static int c_add(lua_State *L) { return arith(L, FR_ADD); }
static int c_sub(lua_State *L) { return arith(L, FR_SUB); }
static int c_mul(lua_State *L) { return arith(L, FR_MUL); }
static int c_div(lua_State *L) { return arith(L, FR_DIV); }
static int c_mod(lua_State *L) { return arith(L, FR_MOD); }
static int c_pow(lua_State *L) { return arith(L, FR_POW); }

static int c_unm(lua_State *L) {
    fr_Column *r = NULL;
    mn_Err e = {0};
    if (fr_neg(lb_checkcolumn(L, 1), &r, &e) != MN_OK) {
        mn_prefix(&e, "-%s", cname(L, 1));
        return lb_raise(L, &e);
    }
    push_owned(L, r);
    return 1;
}

/* ---- comparisons and logic ---- */

static const char *const cmp_names[] = {"lt", "le", "gt", "ge", "eq", "ne"};

static int compare(lua_State *L, fr_Cmp op) {
    fr_Column *a = lb_checkcolumn(L, 1), *r = NULL;
    mn_Err e = {0};
    int rc;
    switch (lua_type(L, 2)) {
    case LUA_TNUMBER:
        rc = fr_compare_num(a, lua_tonumber(L, 2), op, &r, &e);
        break;
    case LUA_TBOOLEAN:
        rc = fr_compare_num(a, lua_toboolean(L, 2), op, &r, &e);
        break;
    case LUA_TSTRING:
        rc = fr_compare_str(a, lua_tostring(L, 2), op, &r, &e);
        break;
    default:
        if (!is_column(L, 2))
            return luaL_error(L, "%s:%s(x): x must be a number, string, boolean or column, "
                              "not %s", cname(L, 1), cmp_names[op], luaL_typename(L, 2));
        rc = fr_compare(a, lb_checkcolumn(L, 2), op, &r, &e);
    }
    if (rc != MN_OK) {
        if (is_column(L, 2))
            mn_prefix(&e, "%s:%s(%s)", cname(L, 1), cmp_names[op], cname(L, 2));
        else
            mn_prefix(&e, "%s", cname(L, 1));
        return lb_raise(L, &e);
    }
    push_owned(L, r);
    return 1;
}

static int c_lt(lua_State *L) { return compare(L, FR_LT); }
static int c_le(lua_State *L) { return compare(L, FR_LE); }
static int c_gt(lua_State *L) { return compare(L, FR_GT); }
static int c_ge(lua_State *L) { return compare(L, FR_GE); }
static int c_eq(lua_State *L) { return compare(L, FR_EQ); }
static int c_ne(lua_State *L) { return compare(L, FR_NE); }

static int logic(lua_State *L, int which) {
    fr_Column *a = lb_checkcolumn(L, 1), *r = NULL;
    mn_Err e = {0};
    int rc;
    if (which == 2)
        rc = fr_not(a, &r, &e);
    else
        rc = (which ? fr_or : fr_and)(a, lb_checkcolumn(L, 2), &r, &e);
    if (rc != MN_OK) {
        if (which == 2)
            mn_prefix(&e, "%s:not_()", cname(L, 1));
        else
            mn_prefix(&e, "%s:%s(%s)", cname(L, 1), which ? "or_" : "and_", cname(L, 2));
        return lb_raise(L, &e);
    }
    push_owned(L, r);
    return 1;
}

static int c_and(lua_State *L) { return logic(L, 0); }
static int c_or(lua_State *L) { return logic(L, 1); }
static int c_not(lua_State *L) { return logic(L, 2); }

static int c_isna(lua_State *L) {
    fr_Column *r = NULL;
    mn_Err e = {0};
    if (fr_isna(lb_checkcolumn(L, 1), &r, &e) != MN_OK)
        return lb_raise(L, &e);
    push_owned(L, r);
    return 1;
}

static int c_notna(lua_State *L) {
    fr_Column *r = NULL, *s = NULL;
    mn_Err e = {0};
    int rc = fr_isna(lb_checkcolumn(L, 1), &r, &e);
    if (rc == MN_OK) {
        rc = fr_not(r, &s, &e);
        fr_col_unref(r);
    }
    if (rc != MN_OK)
        return lb_raise(L, &e);
    push_owned(L, s);
    return 1;
}

/* ---- column statistics ---- */

static void summary(lua_State *L, fr_Summary *s, const char *what) {
    mn_Err e = {0};
    if (fr_col_summary(lb_checkcolumn(L, 1), s, &e) != MN_OK) {
        mn_prefix(&e, "%s:%s()", cname(L, 1), what);
        lb_raise(L, &e);
    }
}

static int c_mean(lua_State *L) {
    fr_Summary s;
    summary(L, &s, "mean");
    lua_pushnumber(L, s.mean);
    return 1;
}

static int c_std(lua_State *L) {
    fr_Summary s;
    summary(L, &s, "std");
    lua_pushnumber(L, s.std);
    return 1;
}

static int c_sum(lua_State *L) {
    fr_Summary s;
    summary(L, &s, "sum");
    lua_pushnumber(L, s.sum);
    return 1;
}

static int c_min(lua_State *L) {
    fr_Summary s;
    summary(L, &s, "min");
    lua_pushnumber(L, s.min);
    return 1;
}

static int c_max(lua_State *L) {
    fr_Summary s;
    summary(L, &s, "max");
    lua_pushnumber(L, s.max);
    return 1;
}

static int c_count(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)fr_col_count(lb_checkcolumn(L, 1)));
    return 1;
}

/* quantile(p) -> number, quantile{p1, p2, ...} -> {q1, q2, ...} */
static int c_quantile(lua_State *L) {
    fr_Column *c = lb_checkcolumn(L, 1);
    mn_Err e = {0};
    int np, table = lua_istable(L, 2);
    double *p, *q;
    np = table ? (int)luaL_len(L, 2) : 1;
    p = lua_newuserdatauv(L, 2 * (size_t)(np ? np : 1) * sizeof *p, 0);
    q = p + (np ? np : 1);
    if (table) {
        for (int i = 0; i < np; i++) {
            int ok;
            lua_geti(L, 2, i + 1);
            p[i] = lua_tonumberx(L, -1, &ok);
            if (!ok)
                return luaL_error(L, "%s:quantile: item %d is %s, not a number", cname(L, 1),
                                  i + 1, luaL_typename(L, -1));
            lua_pop(L, 1);
        }
    } else {
        p[0] = luaL_checknumber(L, 2);
    }
    if (fr_col_quantiles(c, p, np, q, &e) != MN_OK) {
        mn_prefix(&e, "%s", cname(L, 1));
        return lb_raise(L, &e);
    }
    if (!table) {
        lua_pushnumber(L, q[0]);
        return 1;
    }
    lb_pushvector(L, q, np);
    return 1;
}

static int c_median(lua_State *L) {
    double p = 0.5, q;
    mn_Err e = {0};
    if (fr_col_quantiles(lb_checkcolumn(L, 1), &p, 1, &q, &e) != MN_OK) {
        mn_prefix(&e, "%s:median()", cname(L, 1));
        return lb_raise(L, &e);
    }
    lua_pushnumber(L, q);
    return 1;
}

static int c_unique(lua_State *L) {
    fr_Column *r = NULL;
    mn_Err e = {0};
    if (fr_col_unique(lb_checkcolumn(L, 1), &r, &e) != MN_OK)
        return lb_raise(L, &e);
    lb_pushcolumn(L, r, lb_columnname(L, 1));
    fr_col_unref(r);
    return 1;
}

static int c_value_counts(lua_State *L) {
    fr_Frame *f = NULL;
    mn_Err e = {0};
    if (fr_value_counts(lb_checkcolumn(L, 1), &f, &e) != MN_OK)
        return lb_raise(L, &e);
    lb_pushframe(L, f);
    return 1;
}

/* ---- frame: filter ---- */

/* filter(mask): a bool column, a Lua table of booleans, or function(row) -> truthy. */
static int f_filter(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    int64_t n = fr_nrows(f);
    fr_Column *mask = NULL;
    mn_Err e = {0};
    lua_settop(L, 2);
    if (is_column(L, 2)) {
        mask = lb_checkcolumn(L, 2);
        if (fr_filter(f, mask, &g, &e) != MN_OK) {
            mn_prefix(&e, "filter by '%s'", cname(L, 2));
            return lb_raise(L, &e);
        }
        lb_pushframe(L, g);
        return 1;
    }
    if (!lua_istable(L, 2) && !lua_isfunction(L, 2))
        return luaL_typeerror(L, 2, "bool column, table of booleans or function(row)");
    if (fr_col_new(FR_BOOL, n, &mask, &e) != MN_OK)
        return lb_raise(L, &e);
    push_owned(L, mask);                  /* index 3: owned by Lua while we fill it */
    if (lua_istable(L, 2)) {
        if ((int64_t)luaL_len(L, 2) != n)
            return luaL_error(L, "filter: the table has %d values, the frame %d rows",
                              (int)luaL_len(L, 2), (int)n);
        for (int64_t i = 0; i < n; i++) {
            int t = lua_geti(L, 2, (lua_Integer)i + 1);
            if (t != LUA_TBOOLEAN && t != LUA_TNIL)
                return luaL_error(L, "filter: item %d is %s, not a boolean", (int)i + 1,
                                  luaL_typename(L, -1));
            fr_col_bool(mask)[i] = t == LUA_TNIL ? -1 : (int8_t)lua_toboolean(L, -1);
            lua_pop(L, 1);
        }
    } else {
        int nc = fr_ncols(f);
        lua_createtable(L, 0, nc);         /* index 4: the one row table, reused */
        for (int64_t i = 0; i < n; i++) {
            for (int j = 0; j < nc; j++) {
                lb_pushcell(L, fr_col(f, j), i);
                lua_setfield(L, 4, fr_name(f, j));
            }
            lua_pushvalue(L, 2);
            lua_pushvalue(L, 4);
            lua_call(L, 1, 1);
            fr_col_bool(mask)[i] = (int8_t)lua_toboolean(L, -1);
            lua_pop(L, 1);
        }
    }
    if (fr_filter(f, mask, &g, &e) != MN_OK)
        return lb_raise(L, &e);
    lb_pushframe(L, g);
    return 1;
}

/* ---- frame: sort ---- */

/* sort(name [, {desc=}]) or sort{key, ...} with each key a name or {name, desc = true};
** opts.desc is the default direction of keys given by name only. */
static int f_sort(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    static const char *const known[] = {"desc", NULL};
    int defdesc, k;
    fr_SortKey *keys;
    mn_Err e = {0};
    lua_settop(L, 3);
    lb_opt_check(L, 3, "sort", known);
    defdesc = lb_opt_boolean(L, 3, "desc", 0);
    if (lua_type(L, 2) == LUA_TSTRING) {
        keys = lua_newuserdatauv(L, sizeof *keys, 0);
        keys[0].name = lua_tostring(L, 2);
        keys[0].desc = defdesc;
        k = 1;
    } else {
        luaL_argexpected(L, lua_istable(L, 2), 2, "column name or list of keys");
        k = (int)luaL_len(L, 2);
        keys = lua_newuserdatauv(L, (size_t)(k ? k : 1) * sizeof *keys, 0);
        for (int i = 0; i < k; i++) {
            int t = lua_geti(L, 2, i + 1);
            if (t == LUA_TSTRING) {
                keys[i].name = lua_tostring(L, -1);
                keys[i].desc = defdesc;
            } else if (t == LUA_TTABLE && lua_geti(L, -1, 1) == LUA_TSTRING) {
                keys[i].name = lua_tostring(L, -1);
                lua_pop(L, 1);
                lb_opt_check(L, -1, "sort key", known);
                keys[i].desc = lb_opt_boolean(L, -1, "desc", defdesc);
            } else {
                return luaL_error(L, "sort: key %d must be a column name or {name, desc = "
                                  "true}", i + 1);
            }
            lua_pop(L, 1);                 /* names stay alive in the argument table */
        }
        if (k == 0)
            return luaL_error(L, "sort: no keys given");
    }
    if (fr_sort(f, keys, k, &g, &e) != MN_OK)
        return lb_raise(L, &e);
    lb_pushframe(L, g);
    return 1;
}

/* ---- frame: join ---- */

static int f_join(lua_State *L) {
    fr_Frame *l = lb_checkframe(L, 1), *r = lb_checkframe(L, 2), *g = NULL;
    static const char *const known[] = {"how", "suffix", "right_on", "by", "direction", NULL};
    const char *how, *suffix;
    const char **on, **ron = NULL;
    int k, kr = 0, rc;
    mn_Err e = {0};
    lua_settop(L, 4);                      /* opts at 4 even when absent */
    on = lb_checknames(L, 3, &k);          /* pushes one userdata */
    lb_opt_check(L, 4, "join", known);
    how = lb_opt_string(L, 4, "how", "inner");
    suffix = lb_opt_string(L, 4, "suffix", "_right");
    if (strcmp(how, "asof") == 0) {
        const char *dirs = lb_opt_string(L, 4, "direction", "backward");
        const char **by = NULL;
        int nby = 0;
        fr_AsofDir dir;
        if (k != 1)
            return luaL_error(L, "join asof: 'on' must be one column (the ordered one)");
        if (strcmp(dirs, "backward") == 0)
            dir = FR_ASOF_BACKWARD;
        else if (strcmp(dirs, "forward") == 0)
            dir = FR_ASOF_FORWARD;
        else if (strcmp(dirs, "nearest") == 0)
            dir = FR_ASOF_NEAREST;
        else
            return luaL_error(L, "join asof: direction '%s' (backward, forward or nearest)",
                              dirs);
        if (lb_opt_isset(L, 4, "by")) {
            lua_getfield(L, 4, "by");
            by = lb_checknames(L, lua_gettop(L), &nby);
        }
        rc = fr_join_asof(l, r, on[0], by, nby, dir, suffix, &g, &e);
    } else {
        fr_JoinHow h;
        if (strcmp(how, "inner") == 0)
            h = FR_JOIN_INNER;
        else if (strcmp(how, "left") == 0)
            h = FR_JOIN_LEFT;
        else
            return luaL_error(L, "join: how = '%s' (inner, left or asof)", how);
        if (lb_opt_isset(L, 4, "by") || lb_opt_isset(L, 4, "direction"))
            return luaL_error(L, "join: 'by' and 'direction' go with how = 'asof'");
        if (lb_opt_isset(L, 4, "right_on")) {
            lua_getfield(L, 4, "right_on");
            ron = lb_checknames(L, lua_gettop(L), &kr);
            if (kr != k)
                return luaL_error(L, "join: %d key(s) in 'on' but %d in 'right_on'", k, kr);
        }
        rc = fr_join(l, r, on, ron, k, h, suffix, &g, &e);
    }
    if (rc != MN_OK)
        return lb_raise(L, &e);
    lb_pushframe(L, g);
    return 1;
}

/* ---- describe and groupby (wrapped by ops.lua) ---- */

static int ops_describe(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    mn_Err e = {0};
    if (fr_describe(f, &g, &e) != MN_OK)
        return lb_raise(L, &e);
    lb_pushframe(L, g);
    return 1;
}

/* groupby(frame, keys, {{col, agg [, as]}, ...}) -> frame */
static int ops_groupby(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    int k, ns;
    const char **keys = (lua_settop(L, 3), lb_checknames(L, 2, &k));
    fr_AggSpec *specs;
    mn_Err e = {0};
    luaL_checktype(L, 3, LUA_TTABLE);     /* (lb_checknames pushed its array at 4) */
    ns = (int)luaL_len(L, 3);
    specs = lua_newuserdatauv(L, (size_t)(ns ? ns : 1) * sizeof *specs, 0);
    for (int i = 0; i < ns; i++) {
        if (lua_geti(L, 3, i + 1) != LUA_TTABLE)
            return luaL_error(L, "groupby: aggregation %d must be {column, name}", i + 1);
        lua_geti(L, -1, 1);
        specs[i].col = lua_tostring(L, -1);        /* kept alive by the spec table */
        lua_geti(L, -2, 2);
        if (lua_type(L, -1) != LUA_TSTRING)
            return luaL_error(L, "groupby: aggregation %d: name must be a string", i + 1);
        if (fr_agg_parse(lua_tostring(L, -1), &specs[i].agg, &e) != MN_OK) {
            mn_prefix(&e, "groupby: column '%s'", specs[i].col ? specs[i].col : "?");
            return lb_raise(L, &e);
        }
        lua_getfield(L, -3, "as");
        specs[i].as = lua_tostring(L, -1);
        lua_pop(L, 4);
    }
    if (fr_groupby(f, keys, k, specs, ns, &g, &e) != MN_OK)
        return lb_raise(L, &e);
    lb_pushframe(L, g);
    return 1;
}

static const luaL_Reg frame_methods[] = {
    {"filter", f_filter}, {"sort", f_sort}, {"join", f_join},
    {NULL, NULL}
};

static const luaL_Reg column_methods[] = {
    {"lt", c_lt}, {"le", c_le}, {"gt", c_gt}, {"ge", c_ge}, {"eq", c_eq}, {"ne", c_ne},
    {"and_", c_and}, {"or_", c_or}, {"not_", c_not}, {"isna", c_isna}, {"notna", c_notna},
    {"mean", c_mean}, {"std", c_std}, {"sum", c_sum}, {"min", c_min}, {"max", c_max},
    {"count", c_count}, {"quantile", c_quantile}, {"median", c_median},
    {"unique", c_unique}, {"value_counts", c_value_counts},
    {NULL, NULL}
};

static const luaL_Reg column_metas[] = {
    {"__add", c_add}, {"__sub", c_sub}, {"__mul", c_mul}, {"__div", c_div},
    {"__mod", c_mod}, {"__pow", c_pow}, {"__unm", c_unm},
    {NULL, NULL}
};

static const luaL_Reg funcs[] = {
    {"describe", ops_describe}, {"groupby", ops_groupby},
    {NULL, NULL}
};

int luaopen_moneta_c_ops(lua_State *L) {
    /* the Frame and Column metatables must exist with their own methods first */
    luaL_requiref(L, "moneta.c.frame", luaopen_moneta_c_frame, 0);
    lua_pop(L, 1);
    lb_newclass(L, LB_FRAME_MT, NULL, frame_methods);
    lb_newclass(L, LB_COLUMN_MT, column_metas, column_methods);   /* arithmetic */
    luaL_newlib(L, funcs);
    return 1;
}
