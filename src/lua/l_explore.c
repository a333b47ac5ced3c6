/* l_explore.c -- Lua face of the data explorer ("moneta.c.explore"): explore(frame [, opts])
** reads its arguments and hands the frame to ui_explore (src/tui), which checks the column
** names and the terminal. The frame stays referenced on the Lua stack for the whole call, so
** the GC cannot free it. */
#include <stdio.h>
#include <string.h>

#include "lua/lb.h"
#include "tui/explore.h"

static const char *const known[] = {"row", "column", "sort", "desc", "title", NULL};

/* ui_explore's messages start with their subject ("explore: " for its own, "dashboard: " from
** the screen); the Lua name stands in for it. */
static int raise_explore(lua_State *L, const char *msg) {
    static const char *const subjects[] = {"explore: ", "dashboard: ", NULL};
    for (int i = 0; subjects[i] != NULL; i++) {
        size_t n = strlen(subjects[i]);
        if (strncmp(msg, subjects[i], n) == 0) {
            msg += n;
            break;
        }
    }
    return luaL_error(L, "dash.explore: %s", msg);
}

/* explore(frame [, opts]) -> nil. The column names and the terminal are checked by ui_explore
** (before the screen opens); only what C cannot tell apart is checked here. */
static int l_explore(lua_State *L) {
    ui_ExploreOpts o = {0};
    mn_Err e = {0};
    fr_Frame *f;
    if (luaL_testudata(L, 1, LB_FRAME_MT) == NULL)
        return luaL_error(L, "dash.explore: expected a frame, got %s", luaL_typename(L, 1));
    f = lb_checkframe(L, 1);
    lb_opt_check(L, 2, "dash.explore", known);
    o.row = lb_opt_integer(L, 2, "row", 0);
    o.column = lb_opt_string(L, 2, "column", NULL);
    o.sort = lb_opt_string(L, 2, "sort", NULL);
    o.desc = lb_opt_boolean(L, 2, "desc", 0);
    o.title = lb_opt_string(L, 2, "title", NULL);
    /* row 0 means "the first" to ui_explore; a row the user gives starts at 1. (luaL_error
    ** knows no %lld: %I is its lua_Integer.) */
    if (lb_opt_isset(L, 2, "row") && o.row < 1)
        return luaL_error(L, "dash.explore: option 'row' must be >= 1 (got %I)",
                          (lua_Integer)o.row);
    fflush(stdout);                       /* Lua's buffered output goes before the screen */
    if (ui_explore(f, &o, &e) != MN_OK)
        return raise_explore(L, e.msg);
    return 0;
}

static const luaL_Reg funcs[] = {{"explore", l_explore}, {NULL, NULL}};

int luaopen_moneta_c_explore(lua_State *L) {
    luaL_newlib(L, funcs);
    return 1;
}
