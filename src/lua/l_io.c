/* l_io.c -- Lua face of data/csv and data/sql ("moneta.c.io"): read_csv, read_csv_string,
** read_sql, and the frame methods to_csv, to_csv_string, to_sql. Reader warnings come back as
** a second result (a list of strings) and are also printed to stderr unless quiet = true. */
#include <stdio.h>
#include <string.h>

#include "core/mem.h"
#include "data/csv.h"
#include "data/frame.h"
#include "data/sql.h"
#include "lua/lb.h"

/* ---- helpers ---- */

static char opt_char(lua_State *L, int idx, const char *key, char def) {
    const char *s = lb_opt_string(L, idx, key, NULL);
    if (s == NULL)
        return def;
    if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0)
        return '\t';
    if (strlen(s) != 1)
        luaL_error(L, "option '%s': one character expected, got '%s'", key, s);
    return s[0];
}

/* A list of strings in option 'key' (a string counts as a one-element list); NULL if unset.
** The array lives in a userdata left on the stack. Not lb_checknames: these are not only
** column names (na markers), and errors name the option rather than an argument number. */
static const char **opt_strings(lua_State *L, int idx, const char *key, int *n) {
    const char **v;
    int t;
    *n = 0;
    if (lua_isnoneornil(L, idx))
        return NULL;
    t = lua_getfield(L, idx, key);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return NULL;
    }
    if (t == LUA_TSTRING) {
        v = lua_newuserdatauv(L, sizeof *v, 1);
        lua_pushvalue(L, -2);
        lua_setiuservalue(L, -2, 1);              /* keep the string alive */
        v[0] = lua_tostring(L, -2);
        lua_remove(L, -2);
        *n = 1;
        return v;
    }
    if (t != LUA_TTABLE)
        luaL_error(L, "option '%s': string or list of strings expected, got %s", key,
                   luaL_typename(L, -1));
    *n = (int)luaL_len(L, -1);
    v = lua_newuserdatauv(L, (size_t)(*n ? *n : 1) * sizeof *v, 1);
    lua_pushvalue(L, -2);
    lua_setiuservalue(L, -2, 1);                  /* the table keeps the strings alive */
    for (int i = 1; i <= *n; i++) {
        if (lua_geti(L, -2, i) != LUA_TSTRING)
            luaL_error(L, "option '%s': item %d is %s, not a string", key, i,
                       luaL_typename(L, -1));
        v[i - 1] = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    lua_remove(L, -2);
    return v;
}

static const char *const csv_known[] = {
    "sep", "header", "na", "types", "decimal", "thousands", "skip", "nrows", "columns",
    "dates", "on_bad", "cat_max", "quiet", "chunk", "name", "threads", NULL};

/* Fill 'o' from the options table at idx; leaves anchoring userdata on the stack. */
static void csv_opts(lua_State *L, int idx, fr_CsvOpts *o, int *quiet) {
    const char *s;
    fr_csv_opts_init(o);
    lb_opt_check(L, idx, "read_csv", csv_known);
    o->sep = opt_char(L, idx, "sep", 0);
    o->no_header = !lb_opt_boolean(L, idx, "header", 1);
    o->na = opt_strings(L, idx, "na", &o->nna);
    o->decimal = opt_char(L, idx, "decimal", '.');
    o->thousands = opt_char(L, idx, "thousands", 0);
    o->skip = lb_opt_integer(L, idx, "skip", 0);
    o->nrows = lb_opt_integer(L, idx, "nrows", -1);
    o->columns = opt_strings(L, idx, "columns", &o->ncolumns);
    o->cat_max = lb_opt_integer(L, idx, "cat_max", 0);
    o->chunk = (size_t)lb_opt_integer(L, idx, "chunk", 0);
    o->threads = (int)lb_opt_integer(L, idx, "threads", 0);
    o->name = lb_opt_string(L, idx, "name", NULL);
    *quiet = lb_opt_boolean(L, idx, "quiet", 0);
    if (o->skip < 0)
        luaL_error(L, "option 'skip': must be >= 0");
    s = lb_opt_string(L, idx, "dates", NULL);
    if (s != NULL) {
        if (strcmp(s, "ymd") == 0 || strcmp(s, "iso") == 0)
            o->dates = FR_DATES_YMD;
        else if (strcmp(s, "dmy") == 0)
            o->dates = FR_DATES_DMY;
        else if (strcmp(s, "mdy") == 0)
            o->dates = FR_DATES_MDY;
        else
            luaL_error(L, "option 'dates': \"ymd\", \"dmy\" or \"mdy\" expected, got '%s'", s);
    }
    s = lb_opt_string(L, idx, "on_bad", "error");
    if (strcmp(s, "skip") == 0)
        o->on_bad = FR_CSV_BAD_SKIP;
    else if (strcmp(s, "error") != 0)
        luaL_error(L, "option 'on_bad': \"error\" or \"skip\" expected, got '%s'", s);
    if (!lua_isnoneornil(L, idx) && lua_getfield(L, idx, "types") != LUA_TNIL) {
        int n = 0, k = 0;
        const char **cols;
        fr_Type *types;
        if (!lua_istable(L, -1))
            luaL_error(L, "option 'types': table {column = \"f64\"|\"cat\"|...} expected");
        lua_pushnil(L);
        while (lua_next(L, -2) != 0) {
            n++;
            lua_pop(L, 1);
        }
        cols = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *cols, 0);
        types = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *types, 0);
        lua_pushnil(L);
        while (lua_next(L, -4) != 0) {
            if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
                luaL_error(L, "option 'types': entries are column = \"type\" (strings)");
            cols[k] = lua_tostring(L, -2);
            if (!fr_type_parse(lua_tostring(L, -1), &types[k]))
                luaL_error(L, "option 'types': column '%s': unknown type '%s' (f64, cat, "
                           "text, date, datetime, bool)", cols[k], lua_tostring(L, -1));
            k++;
            lua_pop(L, 1);
        }
        o->type_cols = cols;
        o->types = types;
        o->ntypes = n;
        /* the types table (kept by opts) and the two arrays stay on the stack */
    } else if (!lua_isnoneornil(L, idx)) {
        lua_pop(L, 1);
    }
}

/* Push the frame and the warnings list; print them unless quiet. */
static int push_result(lua_State *L, fr_Frame *f, const fr_CsvReport *rep, const char *what,
                       int quiet) {
    int k = 0;
    lb_pushframe(L, f);
    lua_newtable(L);
    for (int i = 0; i < rep->nwarn && i < FR_CSV_MAXWARN; i++) {
        lua_pushstring(L, rep->warn[i]);
        lua_rawseti(L, -2, ++k);
    }
    if (rep->nwarn > FR_CSV_MAXWARN) {
        lua_pushfstring(L, "... and %d more warnings", rep->nwarn - FR_CSV_MAXWARN);
        lua_rawseti(L, -2, ++k);
    }
    if (rep->nskipped > 0) {
        lua_pushfstring(L, "skipped %I bad row%s", (lua_Integer)rep->nskipped,
                        rep->nskipped == 1 ? "" : "s");
        lua_rawseti(L, -2, ++k);
        for (int i = 0; i < rep->nskipped && i < FR_CSV_MAXSHOW; i++) {
            lua_pushfstring(L, "  %s", rep->skipped[i]);
            lua_rawseti(L, -2, ++k);
        }
    }
    if (!quiet)
        for (int i = 1; i <= k; i++) {
            lua_rawgeti(L, -1, i);
            fprintf(stderr, "%s: warning: %s\n", what, lua_tostring(L, -1));
            lua_pop(L, 1);
        }
    return 2;
}

/* ---- functions ---- */

static int io_read_csv(lua_State *L) {
    const char *path = luaL_checkstring(L, 1);
    fr_CsvOpts o;
    fr_CsvReport rep;
    mn_Hook hook;
    fr_Frame *f = NULL;
    mn_Err e = {0};
    int quiet;
    csv_opts(L, 2, &o, &quiet);
    memset(&rep, 0, sizeof rep);
    o.report = &rep;
    lb_progress_hook(L, &hook);
    o.hook = &hook;
    if (fr_read_csv(path, &o, &f, &e) != MN_OK)
        return lb_raise(L, &e);
    return push_result(L, f, &rep, "read_csv", quiet);
}

static int io_read_csv_string(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    fr_CsvOpts o;
    fr_CsvReport rep;
    fr_Frame *f = NULL;
    mn_Err e = {0};
    int quiet;
    csv_opts(L, 2, &o, &quiet);
    memset(&rep, 0, sizeof rep);
    o.report = &rep;
    if (fr_read_csv_str(s, len, &o, &f, &e) != MN_OK)
        return lb_raise(L, &e);
    return push_result(L, f, &rep, "read_csv_string", quiet);
}

static const char *const wcsv_known[] = {"sep", "na", "header", "gzip", NULL};

static void wcsv_opts(lua_State *L, int idx, fr_CsvWriteOpts *o) {
    fr_csv_wopts_init(o);
    lb_opt_check(L, idx, "to_csv", wcsv_known);
    o->sep = opt_char(L, idx, "sep", ',');
    o->na = lb_opt_string(L, idx, "na", "");
    o->no_header = !lb_opt_boolean(L, idx, "header", 1);
    if (lb_opt_isset(L, idx, "gzip"))
        o->gzip = lb_opt_boolean(L, idx, "gzip", 0);
}

static int f_to_csv(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    const char *path = luaL_checkstring(L, 2);
    fr_CsvWriteOpts o;
    mn_Err e = {0};
    wcsv_opts(L, 3, &o);
    if (fr_write_csv(f, path, &o, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_settop(L, 1);
    return 1;
}

static int f_to_csv_string(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    fr_CsvWriteOpts o;
    mn_Err e = {0};
    char *s = NULL;
    size_t len = 0;
    wcsv_opts(L, 2, &o);
    if (fr_write_csv_str(f, &o, &s, &len, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_pushlstring(L, s, len);       /* on a memory error here 's' leaks; rare */
    mn_free(s);
    return 1;
}

/* Parameters from the table at idx: its sequence binds ?1, ?2, ...; string keys bind :name. */
static fr_SqlParam *sql_params(lua_State *L, int idx, int *np) {
    fr_SqlParam *p;
    int npos = 0, nnamed = 0, k = 0;
    *np = 0;
    if (lua_isnoneornil(L, idx))
        return NULL;
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        if (lua_type(L, -2) == LUA_TSTRING)
            nnamed++;
        else if (lua_isinteger(L, -2))
            npos++;
        else
            luaL_error(L, "read_sql: parameter keys must be 1, 2, ... or names");
        lua_pop(L, 1);
    }
    p = lua_newuserdatauv(L, (size_t)(npos + nnamed + 1) * sizeof *p, 0);
    memset(p, 0, (size_t)(npos + nnamed + 1) * sizeof *p);
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        fr_SqlParam *q;
        if (lua_type(L, -2) == LUA_TSTRING) {
            q = &p[npos + k++];
            q->name = lua_tostring(L, -2);
        } else {
            lua_Integer i = lua_tointeger(L, -2);
            if (i < 1 || i > npos)
                luaL_error(L, "read_sql: positional parameters must be a sequence 1..n");
            q = &p[i - 1];
        }
        switch (lua_type(L, -1)) {
        case LUA_TNUMBER:
            if (lua_isinteger(L, -1)) {
                q->type = FR_SQL_INT;
                q->i = (int64_t)lua_tointeger(L, -1);
            } else {
                q->type = FR_SQL_REAL;
                q->d = lua_tonumber(L, -1);
            }
            break;
        case LUA_TBOOLEAN:
            q->type = FR_SQL_INT;
            q->i = lua_toboolean(L, -1);
            break;
        case LUA_TSTRING:
            q->type = FR_SQL_TEXT;
            q->s = lua_tolstring(L, -1, &q->n);     /* kept alive by the table */
            break;
        default:
            luaL_error(L, "read_sql: a parameter is %s (number, string or boolean expected)",
                       luaL_typename(L, -1));
        }
        lua_pop(L, 1);
    }
    *np = npos + nnamed;
    return p;
}

static int io_read_sql(lua_State *L) {
    const char *db = luaL_checkstring(L, 1), *sql = luaL_checkstring(L, 2);
    int np;
    fr_SqlParam *p = sql_params(L, 3, &np);
    fr_Frame *f = NULL;
    mn_Err e = {0};
    if (fr_read_sql(db, sql, p, np, &f, &e) != MN_OK)
        return lb_raise(L, &e);
    lb_pushframe(L, f);
    return 1;
}

static const char *const wsql_known[] = {"mode", NULL};

static int f_to_sql(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    const char *db = luaL_checkstring(L, 2), *table = luaL_checkstring(L, 3), *m;
    int mode = FR_SQL_CREATE;
    mn_Err e = {0};
    lb_opt_check(L, 4, "to_sql", wsql_known);
    m = lb_opt_string(L, 4, "mode", "create");
    if (strcmp(m, "append") == 0)
        mode = FR_SQL_APPEND;
    else if (strcmp(m, "replace") == 0)
        mode = FR_SQL_REPLACE;
    else if (strcmp(m, "create") != 0)
        return luaL_error(L, "to_sql: option 'mode': \"create\", \"append\" or \"replace\" "
                          "expected, got '%s'", m);
    if (fr_write_sql(f, db, table, mode, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_settop(L, 1);
    return 1;
}

static const luaL_Reg frame_methods[] = {
    {"to_csv", f_to_csv}, {"to_csv_string", f_to_csv_string}, {"to_sql", f_to_sql},
    {NULL, NULL}
};

static const luaL_Reg funcs[] = {
    {"read_csv", io_read_csv}, {"read_csv_string", io_read_csv_string},
    {"read_sql", io_read_sql},
    {NULL, NULL}
};

int luaopen_moneta_c_io(lua_State *L) {
    lb_newclass(L, LB_FRAME_MT, NULL, frame_methods);
    luaL_newlib(L, funcs);
    return 1;
}
