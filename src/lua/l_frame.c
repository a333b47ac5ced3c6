/* l_frame.c -- Lua face of data/frame ("moneta.c.frame"): Frame and Column userdata, the
** moneta.frame{...} constructor, basic accessors and the width-aware printer. Methods of later
** data modules (I/O, cleaning, ops) are added to the same metatables with lb_newclass. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "data/frame.h"
#include "data/to_tensor.h"
#include "core/tensor.h"
#include "lua/lb.h"

typedef struct ColBox {
    fr_Column *c;
} ColBox;

/* ---- boxes ---- */

void lb_pushframe(lua_State *L, fr_Frame *f) {
    fr_Frame **box;
    if (!lua_checkstack(L, 2)) {
        fr_free(f);
        luaL_error(L, "stack overflow");
    }
    box = lua_newuserdatauv(L, sizeof *box, 0);   /* may raise: then 'f' leaks; rare (ENOMEM) */
    *box = f;
    luaL_setmetatable(L, LB_FRAME_MT);
}

fr_Frame *lb_checkframe(lua_State *L, int arg) {
    fr_Frame **box = luaL_checkudata(L, arg, LB_FRAME_MT);
    if (*box == NULL)
        luaL_argerror(L, arg, "frame has been freed");
    return *box;
}

void lb_pushcolumn(lua_State *L, fr_Column *c, const char *name) {
    ColBox *box = lua_newuserdatauv(L, sizeof *box, 1);
    box->c = c;
    fr_col_ref(c);
    luaL_setmetatable(L, LB_COLUMN_MT);
    if (name != NULL) {
        lua_pushstring(L, name);
        lua_setiuservalue(L, -2, 1);
    }
}

fr_Column *lb_checkcolumn(lua_State *L, int arg) {
    ColBox *box = luaL_checkudata(L, arg, LB_COLUMN_MT);
    if (box->c == NULL)
        luaL_argerror(L, arg, "column has been freed");
    return box->c;
}

const char *lb_columnname(lua_State *L, int arg) {
    const char *s;
    luaL_checkudata(L, arg, LB_COLUMN_MT);
    lua_getiuservalue(L, arg, 1);
    s = lua_tostring(L, -1);
    lua_pop(L, 1);                        /* still referenced by the userdata */
    return s;
}

const char **lb_checknames(lua_State *L, int arg, int *k) {
    const char **v;
    arg = lua_absindex(L, arg);
    if (lua_type(L, arg) == LUA_TSTRING) {
        v = lua_newuserdatauv(L, sizeof *v, 0);
        v[0] = lua_tostring(L, arg);
        *k = 1;
        return v;
    }
    luaL_checktype(L, arg, LUA_TTABLE);
    *k = (int)luaL_len(L, arg);
    v = lua_newuserdatauv(L, (size_t)(*k ? *k : 1) * sizeof *v, 0);
    for (int i = 1; i <= *k; i++) {
        if (lua_geti(L, arg, i) != LUA_TSTRING)
            luaL_error(L, "bad argument #%d: column names must be strings (item %d is %s)", arg,
                       i, luaL_typename(L, -1));
        v[i - 1] = lua_tostring(L, -1);   /* kept alive by the table */
        lua_pop(L, 1);
    }
    return v;
}

static int check(lua_State *L, int rc, mn_Err *e) {
    if (rc != MN_OK)
        lb_raise(L, e);
    return rc;
}

/* ---- constructor: moneta.frame{a = {...}, b = {...}} or frame{{"a", {...}}, ...} ---- */

/* A column from the Lua sequence at 'idx' with 'n' rows: numbers -> f64 (NaN missing),
** booleans -> bool, strings -> categorical; moneta.na (false-y sentinel nil in a holed array
** is not representable, so use 0/0 or the na sentinel) is missing. */
static fr_Column *column_from_table(lua_State *L, int idx, int64_t n, const char *name) {
    fr_Type type = FR_F64;
    int decided = 0;
    fr_Column *c = NULL;
    mn_Err e = {0};
    for (int64_t i = 1; i <= n; i++) {
        int t = lua_geti(L, idx, (lua_Integer)i);
        fr_Type ti = t == LUA_TNUMBER ? FR_F64 : t == LUA_TBOOLEAN ? FR_BOOL :
                     t == LUA_TSTRING ? FR_CAT : (fr_Type)-1;
        lua_pop(L, 1);
        if (t == LUA_TNIL || t == LUA_TLIGHTUSERDATA)
            continue;                                      /* missing */
        if ((int)ti < 0)
            luaL_error(L, "frame: column '%s' row %d: %s is not a number, string or boolean",
                       name, (int)i, lua_typename(L, t));
        if (decided && ti != type)
            luaL_error(L, "frame: column '%s' row %d: %s mixed with %s values", name, (int)i,
                       fr_type_name(ti), fr_type_name(type));
        type = ti;
        decided = 1;
    }
    check(L, fr_col_new(type, n, &c, &e), &e);
    for (int64_t i = 0; i < n; i++) {
        int t = lua_geti(L, idx, (lua_Integer)i + 1);
        if (t == LUA_TNUMBER)
            fr_col_f64(c)[i] = lua_tonumber(L, -1);
        else if (t == LUA_TBOOLEAN)
            fr_col_bool(c)[i] = (int8_t)lua_toboolean(L, -1);
        else if (t == LUA_TSTRING) {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            if (fr_cat_intern(c, s, len, &fr_col_codes(c)[i], &e) != MN_OK) {
                fr_col_unref(c);
                lb_raise(L, &e);
            }
        }
        lua_pop(L, 1);
    }
    return c;
}

static int name_cmp(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int frame_new(lua_State *L) {
    fr_Frame *f = NULL;
    mn_Err e = {0};
    int64_t n = -1;
    int nkeys = 0, narr;
    const char **keys;
    luaL_checktype(L, 1, LUA_TTABLE);
    narr = (int)luaL_len(L, 1);
    /* string keys, sorted (Lua tables have no order); then {name, values} pairs in order */
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
        if (lua_type(L, -2) == LUA_TSTRING)
            nkeys++;
        else if (!lua_isinteger(L, -2))
            luaL_error(L, "frame: keys must be column names");
        lua_pop(L, 1);
    }
    keys = lua_newuserdatauv(L, (size_t)(nkeys + 1) * sizeof *keys, 0);
    nkeys = 0;
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
        if (lua_type(L, -2) == LUA_TSTRING)
            keys[nkeys++] = lua_tostring(L, -2);
        lua_pop(L, 1);
    }
    qsort(keys, (size_t)nkeys, sizeof *keys, name_cmp);
    check(L, fr_new(-1, &f, &e), &e);
    lb_pushframe(L, f);                      /* owned by Lua from here: errors cannot leak it */
    for (int i = 0; i < narr + nkeys; i++) {
        const char *name;
        fr_Column *c;
        int rc;
        if (i < narr) {
            lua_geti(L, 1, i + 1);
            if (!lua_istable(L, -1) || lua_geti(L, -1, 1) != LUA_TSTRING)
                luaL_error(L, "frame: item %d must be {name, values}", i + 1);
            name = lua_tostring(L, -1);
            lua_geti(L, -2, 2);
        } else {
            name = keys[i - narr];
            lua_getfield(L, 1, name);
        }
        if (lua_type(L, -1) == LUA_TUSERDATA && luaL_testudata(L, -1, LB_COLUMN_MT)) {
            c = lb_checkcolumn(L, -1);
            fr_col_ref(c);
        } else {
            int64_t len;
            if (!lua_istable(L, -1))
                luaL_error(L, "frame: column '%s' must be a table of values or a column", name);
            len = (int64_t)luaL_len(L, -1);
            if (n >= 0 && len != n)
                luaL_error(L, "frame: column '%s' has %d values, expected %d like the others",
                           name, (int)len, (int)n);
            c = column_from_table(L, lua_gettop(L), len, name);
        }
        n = fr_col_len(c);
        rc = fr_add(f, name, c, &e);
        fr_col_unref(c);
        check(L, rc, &e);
        lua_settop(L, 3);
    }
    return 1;
}

/* ---- frame methods ---- */

static int f_nrows(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)fr_nrows(lb_checkframe(L, 1)));
    return 1;
}

static int f_ncols(lua_State *L) {
    lua_pushinteger(L, fr_ncols(lb_checkframe(L, 1)));
    return 1;
}

static int f_names(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    lua_createtable(L, fr_ncols(f), 0);
    for (int j = 0; j < fr_ncols(f); j++) {
        lua_pushstring(L, fr_name(f, j));
        lua_rawseti(L, -2, j + 1);
    }
    return 1;
}

static int f_types(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    lua_createtable(L, 0, fr_ncols(f));
    for (int j = 0; j < fr_ncols(f); j++) {
        lua_pushstring(L, fr_type_name(fr_col_type(fr_col(f, j))));
        lua_setfield(L, -2, fr_name(f, j));
    }
    return 1;
}

static int f_col(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    const char *name = luaL_checkstring(L, 2);
    fr_Column *c;
    mn_Err e = {0};
    check(L, fr_get(f, name, &c, &e), &e);
    lb_pushcolumn(L, c, name);
    return 1;
}

static int f_slice(lua_State *L) {                      /* slice(first [, count]) 1-based */
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    lua_Integer first = luaL_checkinteger(L, 2);
    lua_Integer count = luaL_optinteger(L, 3, (lua_Integer)fr_nrows(f) - first + 1);
    mn_Err e = {0};
    luaL_argcheck(L, first >= 1, 2, "first row must be >= 1");
    luaL_argcheck(L, count >= 0, 3, "count must be >= 0");
    check(L, fr_slice(f, first - 1, count, &g, &e), &e);
    lb_pushframe(L, g);
    return 1;
}

static int f_head(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    lua_Integer n = luaL_optinteger(L, 2, 5);
    mn_Err e = {0};
    luaL_argcheck(L, n >= 0, 2, "row count must be >= 0");
    check(L, fr_slice(f, 0, n, &g, &e), &e);
    lb_pushframe(L, g);
    return 1;
}

static int f_tail(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    lua_Integer n = luaL_optinteger(L, 2, 5);
    mn_Err e = {0};
    int64_t first;
    luaL_argcheck(L, n >= 0, 2, "row count must be >= 0");
    first = fr_nrows(f) - n;
    check(L, fr_slice(f, first < 0 ? 0 : first, n, &g, &e), &e);
    lb_pushframe(L, g);
    return 1;
}

static int f_select(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    int k;
    const char **names = lb_checknames(L, 2, &k);
    mn_Err e = {0};
    check(L, fr_select(f, names, k, &g, &e), &e);
    lb_pushframe(L, g);
    return 1;
}

static int f_drop(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    int k;
    const char **names = lb_checknames(L, 2, &k);
    mn_Err e = {0};
    check(L, fr_drop(f, names, k, &g, &e), &e);
    lb_pushframe(L, g);
    return 1;
}

/* add(name, column_or_table): a new frame with the column appended (or replaced). */
static int f_add(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    const char *name = luaL_checkstring(L, 2);
    fr_Column *c;
    mn_Err e = {0};
    int rc;
    if (luaL_testudata(L, 3, LB_COLUMN_MT)) {
        c = lb_checkcolumn(L, 3);
        fr_col_ref(c);
    } else {
        luaL_checktype(L, 3, LUA_TTABLE);
        if ((int64_t)luaL_len(L, 3) != fr_nrows(f))
            luaL_error(L, "add: column '%s' has %d values, the frame %d rows", name,
                       (int)luaL_len(L, 3), (int)fr_nrows(f));
        c = column_from_table(L, 3, fr_nrows(f), name);
    }
    rc = fr_drop(f, NULL, 0, &g, &e);           /* every column, shared */
    if (rc == MN_OK)
        rc = fr_set(g, name, c, &e);
    fr_col_unref(c);
    if (rc != MN_OK) {
        fr_free(g);
        lb_raise(L, &e);
    }
    lb_pushframe(L, g);
    return 1;
}

/* rename{old = "new", ...} or rename(old, new): a new frame. */
static int f_rename(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1), *g = NULL;
    mn_Err e = {0};
    check(L, fr_drop(f, NULL, 0, &g, &e), &e);
    lb_pushframe(L, g);
    if (lua_type(L, 2) == LUA_TSTRING) {
        check(L, fr_rename(g, lua_tostring(L, 2), luaL_checkstring(L, 3), &e), &e);
        return 1;
    }
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2) != 0) {
        if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "rename: expected {old = 'new', ...}");
        check(L, fr_rename(g, lua_tostring(L, -2), lua_tostring(L, -1), &e), &e);
        lua_pop(L, 1);
    }
    return 1;
}

static int f_to_tensor(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    tn_Tensor **box = lb_newtensor(L);
    mn_Err e = {0};
    check(L, fr_to_tensor(f, box, &e), &e);
    return 1;
}

static int c_to_tensor(lua_State *L) {
    fr_Column *c = lb_checkcolumn(L, 1);
    tn_Tensor **box = lb_newtensor(L);
    mn_Err e = {0};
    const char *name = lb_columnname(L, 1);
    check(L, fr_col_to_tensor(c, name ? name : "?", box, &e), &e);
    return 1;
}

static int f_gc(lua_State *L) {
    fr_Frame **box = luaL_checkudata(L, 1, LB_FRAME_MT);
    fr_free(*box);
    *box = NULL;
    return 0;
}

/* ---- printing ---- */

#define CELL 64

/* A cell as people read it: whole numbers in full, other doubles to 7 significant digits
** (the CSV writer keeps every bit; the screen need not). */
static int display_cell(fr_Column *c, int64_t i, char *buf, size_t size) {
    if (fr_col_type(c) == FR_F64 && !fr_col_isna(c, i)) {
        double v = fr_col_f64(c)[i];
        if (isfinite(v) && v == floor(v) && fabs(v) < 1e15)
            return snprintf(buf, size, "%.0f", v);
        if (isfinite(v))
            return snprintf(buf, size, "%.7g", v);
    }
    return fr_col_format(c, i, buf, size);
}

/* The frame as an aligned table no wider than 'width': head and tail rows around "...",
** columns that do not fit replaced by "..." and counted in the footer. */
static void format_frame(lua_State *L, fr_Frame *f, int width, int maxrows) {
    int64_t n = fr_nrows(f), shown_rows;
    int ncols = fr_ncols(f), fit = 0, used;
    int64_t *rows;
    int *w;
    char cell[CELL];
    luaL_Buffer b;
    int top_n, bottom_n;

    if (maxrows < 4)
        maxrows = 4;
    if (n <= maxrows) {
        top_n = (int)n;
        bottom_n = 0;
    } else {
        top_n = maxrows / 2;
        bottom_n = maxrows - top_n - 1;
    }
    shown_rows = top_n + bottom_n;
    rows = lua_newuserdatauv(L, (size_t)(shown_rows + 1) * sizeof *rows, 0);
    for (int i = 0; i < top_n; i++)
        rows[i] = i;
    for (int i = 0; i < bottom_n; i++)
        rows[top_n + i] = n - bottom_n + i;
    w = lua_newuserdatauv(L, (size_t)(ncols + 1) * sizeof *w, 0);
    /* width of the row-number column */
    snprintf(cell, sizeof cell, "%lld", (long long)n);
    used = (int)strlen(cell);
    for (int j = 0; j < ncols; j++) {
        fr_Column *c = fr_col(f, j);
        int cw = (int)strlen(fr_name(f, j));
        int tw = (int)strlen(fr_type_name(fr_col_type(c)));
        if (tw > cw)
            cw = tw;
        for (int64_t r = 0; r < shown_rows; r++) {
            int len = display_cell(c, rows[r], cell, sizeof cell);
            if (len > CELL - 1)
                len = CELL - 1;
            if (len > cw)
                cw = len;
        }
        if (cw > 24)
            cw = 24;
        if (used + 2 + cw > width - (j + 1 < ncols ? 5 : 0) && fit > 0)
            break;
        w[j] = cw;
        used += 2 + cw;
        fit++;
    }
    luaL_buffinit(L, &b);
#define ADDCELL(text, cw, right) do { \
        char tmp_[CELL + 4]; const char *t_ = (text); int l_ = (int)strlen(t_); \
        if (l_ > (cw)) { snprintf(tmp_, sizeof tmp_, "%.*s~", (cw) - 1, t_); t_ = tmp_; \
                         l_ = (cw); } \
        luaL_addstring(&b, "  "); \
        if (right) for (int p_ = l_; p_ < (cw); p_++) luaL_addchar(&b, ' '); \
        luaL_addstring(&b, t_); \
        if (!(right)) for (int p_ = l_; p_ < (cw); p_++) luaL_addchar(&b, ' '); \
    } while (0)
    snprintf(cell, sizeof cell, "%lld", (long long)n);
    {
        int rw = (int)strlen(cell);
        for (int line = 0; line < 2; line++) {
            for (int p = 0; p < rw; p++)
                luaL_addchar(&b, ' ');
            for (int j = 0; j < fit; j++) {
                fr_Column *c = fr_col(f, j);
                int right = fr_col_type(c) == FR_F64 || fr_col_type(c) == FR_BOOL;
                ADDCELL(line == 0 ? fr_name(f, j) : fr_type_name(fr_col_type(c)), w[j], right);
            }
            if (fit < ncols)
                luaL_addstring(&b, "  ...");
            luaL_addchar(&b, '\n');
        }
        for (int64_t r = 0; r < shown_rows; r++) {
            if (r == top_n && bottom_n > 0) {
                for (int p = 0; p < rw - 3; p++)
                    luaL_addchar(&b, ' ');
                luaL_addstring(&b, "...\n");
            }
            snprintf(cell, sizeof cell, "%*lld", rw, (long long)rows[r] + 1);
            luaL_addstring(&b, cell);
            for (int j = 0; j < fit; j++) {
                fr_Column *c = fr_col(f, j);
                int right = fr_col_type(c) == FR_F64 || fr_col_type(c) == FR_BOOL;
                display_cell(c, rows[r], cell, sizeof cell);
                ADDCELL(cell, w[j], right);
            }
            if (fit < ncols)
                luaL_addstring(&b, "  ...");
            luaL_addchar(&b, '\n');
        }
    }
#undef ADDCELL
    {   /* footer, kept within 'width': the size, then as many hidden names as fit */
        char foot[512];
        size_t fl = (size_t)snprintf(foot, sizeof foot, "[%lld rows x %d columns",
                                     (long long)n, ncols);
        if (fit < ncols) {
            fl += (size_t)snprintf(foot + fl, sizeof foot - fl, "; %d not shown:", ncols - fit);
            for (int j = fit; j < ncols; j++) {
                size_t nl = strlen(fr_name(f, j));
                if (fl + 1 + nl + 5 > (size_t)width || fl + nl + 8 > sizeof foot) {
                    fl += (size_t)snprintf(foot + fl, sizeof foot - fl, " ...");
                    break;
                }
                fl += (size_t)snprintf(foot + fl, sizeof foot - fl, " %s", fr_name(f, j));
            }
        }
        luaL_addstring(&b, foot);
    }
    luaL_addchar(&b, ']');
    luaL_pushresult(&b);
    lua_replace(L, -3);
    lua_pop(L, 1);
}

static void term_width(lua_State *L, int *cols, int *rows) {
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, "moneta.c.core");
    *cols = 100;
    *rows = 24;
    if (lua_istable(L, -1) && lua_getfield(L, -1, "term_size") == LUA_TFUNCTION) {
        lua_call(L, 0, 2);
        *cols = (int)luaL_optinteger(L, -2, 100);
        *rows = (int)luaL_optinteger(L, -1, 24);
        lua_pop(L, 2);
    } else {
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
}

/* __tostring: the terminal's width; __pretty(f, width) for the REPL. */
static int f_tostring(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    int cols, rows;
    term_width(L, &cols, &rows);
    if (lua_isinteger(L, 2))
        cols = (int)lua_tointeger(L, 2);
    format_frame(L, f, cols, 20);
    return 1;
}

/* ---- columns ---- */

static int c_len(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)fr_col_len(lb_checkcolumn(L, 1)));
    return 1;
}

void lb_pushcell(lua_State *L, fr_Column *c, int64_t i) {
    char buf[CELL];
    if (fr_col_isna(c, i)) {
        if (fr_col_type(c) == FR_F64)
            lua_pushnumber(L, NAN);
        else
            lua_pushnil(L);
        return;
    }
    switch (fr_col_type(c)) {
    case FR_F64: lua_pushnumber(L, fr_col_f64(c)[i]); break;
    case FR_BOOL: lua_pushboolean(L, fr_col_bool(c)[i]); break;
    case FR_CAT: lua_pushstring(L, fr_cat_level(c, fr_col_codes(c)[i])); break;
    case FR_TEXT: lua_pushstring(L, fr_col_text(c)[i]); break;
    default:
        fr_col_format(c, i, buf, sizeof buf);
        lua_pushstring(L, buf);
    }
}

static int c_index(lua_State *L) {
    fr_Column *c = lb_checkcolumn(L, 1);
    if (lua_isinteger(L, 2)) {
        lua_Integer i = lua_tointeger(L, 2);
        if (i < 1 || i > (lua_Integer)fr_col_len(c))
            return luaL_error(L, "column index %d out of range [1, %d]", (int)i,
                              (int)fr_col_len(c));
        lb_pushcell(L, c, i - 1);
        return 1;
    }
    luaL_getmetatable(L, LB_COLUMN_MT);
    lua_getfield(L, -1, "__methods");
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
}

static int c_values(lua_State *L) {
    fr_Column *c = lb_checkcolumn(L, 1);
    int64_t n = fr_col_len(c);
    lua_createtable(L, (int)n, 0);
    for (int64_t i = 0; i < n; i++) {
        lb_pushcell(L, c, i);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int c_name(lua_State *L) {
    lua_pushstring(L, lb_columnname(L, 1));
    return 1;
}

static int c_type(lua_State *L) {
    lua_pushstring(L, fr_type_name(fr_col_type(lb_checkcolumn(L, 1))));
    return 1;
}

/* __tovector: numeric values packed as doubles (for metrics, tensors); text is refused. */
static int c_tovector(lua_State *L) {
    fr_Column *c = lb_checkcolumn(L, 1);
    int64_t n = fr_col_len(c);
    luaL_Buffer b;
    double *v;
    if (fr_col_type(c) == FR_TEXT || fr_col_type(c) == FR_CAT)
        return luaL_error(L, "column '%s' is %s, not numeric", lb_columnname(L, 1) ?
                          lb_columnname(L, 1) : "?", fr_type_name(fr_col_type(c)));
    v = (double *)luaL_buffinitsize(L, &b, (size_t)n * sizeof *v);
    for (int64_t i = 0; i < n; i++)
        v[i] = fr_col_get_num(c, i);
    luaL_pushresultsize(&b, (size_t)n * sizeof *v);
    return 1;
}

static int c_tostring(lua_State *L) {
    fr_Column *c = lb_checkcolumn(L, 1);
    const char *name = lb_columnname(L, 1);
    int64_t n = fr_col_len(c), show = n <= 12 ? n : 10;
    char buf[CELL];
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_pushfstring(L, "column %s (%s, %I rows): ", name ? name : "", fr_type_name(fr_col_type(c)),
                    (lua_Integer)n);
    luaL_addvalue(&b);
    for (int64_t i = 0; i < show; i++) {
        fr_col_format(c, i, buf, sizeof buf);
        if (i)
            luaL_addstring(&b, ", ");
        luaL_addstring(&b, buf);
    }
    if (show < n) {
        luaL_addstring(&b, ", ..., ");
        fr_col_format(c, n - 1, buf, sizeof buf);
        luaL_addstring(&b, buf);
    }
    luaL_pushresult(&b);
    return 1;
}

static int c_gc(lua_State *L) {
    ColBox *box = luaL_checkudata(L, 1, LB_COLUMN_MT);
    fr_col_unref(box->c);
    box->c = NULL;
    return 0;
}

static const luaL_Reg frame_methods[] = {
    {"nrows", f_nrows}, {"ncols", f_ncols}, {"names", f_names}, {"types", f_types},
    {"col", f_col}, {"head", f_head}, {"tail", f_tail}, {"slice", f_slice},
    {"select", f_select}, {"drop", f_drop}, {"add", f_add}, {"rename", f_rename},
    {"free", f_gc}, {"tostring", f_tostring}, {"to_tensor", f_to_tensor},
    {NULL, NULL}
};

static const luaL_Reg frame_metas[] = {
    {"__gc", f_gc}, {"__close", f_gc}, {"__tostring", f_tostring}, {"__pretty", f_tostring},
    {NULL, NULL}
};

static const luaL_Reg column_methods[] = {
    {"values", c_values}, {"name", c_name}, {"type", c_type}, {"free", c_gc},
    {"to_tensor", c_to_tensor},
    {NULL, NULL}
};

static const luaL_Reg column_metas[] = {
    {"__gc", c_gc}, {"__close", c_gc}, {"__len", c_len}, {"__index", c_index},
    {"__tostring", c_tostring}, {"__tovector", c_tovector},
    {NULL, NULL}
};

/* parse_time(s) -> seconds since the epoch (UTC), has_time | nil: an ISO date or datetime read
** as read_csv reads it (offsets, real calendar days); nil when 's' is not one. */
static int frame_parse_time(lua_State *L) {
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    int64_t ns;
    int has_time;
    if (!fr_parse_time(s, n, &ns, &has_time)) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushnumber(L, (double)ns / 1e9);
    lua_pushboolean(L, has_time);
    return 2;
}

static const luaL_Reg funcs[] = {
    {"frame", frame_new},
    {"parse_time", frame_parse_time},
    {NULL, NULL}
};

int luaopen_moneta_c_frame(lua_State *L) {
    lb_newclass(L, LB_FRAME_MT, frame_metas, frame_methods);
    lb_newclass(L, LB_COLUMN_MT, column_metas, column_methods);   /* __index is c[i] */
    luaL_newlib(L, funcs);
    return 1;
}
