/* l_explore.c -- Lua face of the data explorer ("moneta.tui.explore"): explore(frame [, opts])
** checks its arguments and the terminal, then hands the frame to ui_explore (src/tui). The
** frame stays referenced on the Lua stack for the whole call, so the GC cannot free it. */
#include <stdio.h>
#include <unistd.h>

#include "lua/lb.h"
#include "tui/explore.h"

static const char *const known[] = {"row", "column", "sort", "desc", "title", NULL};

/* explore(frame [, opts]) -> nil */
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
    if (o.row < 0)
        return luaL_error(L, "dash.explore: option 'row' must be >= 1 (got %d)", (int)o.row);
    if (o.column != NULL && fr_find(f, o.column) < 0)
        return luaL_error(L, "dash.explore: option 'column': no column '%s'", o.column);
    if (o.sort != NULL && fr_find(f, o.sort) < 0)
        return luaL_error(L, "dash.explore: option 'sort': no column '%s'", o.sort);
    if (!isatty(STDOUT_FILENO))
        return luaL_error(L, "dash.explore: needs a terminal (stdout is not a tty)");
    if (!isatty(STDIN_FILENO))
        return luaL_error(L, "dash.explore: needs a terminal (stdin is not a tty)");
    fflush(stdout);                       /* Lua's buffered output goes before the screen */
    if (ui_explore(f, &o, &e) != MN_OK)
        return luaL_error(L, "dash.explore: %s", e.msg);
    return 0;
}

static const luaL_Reg funcs[] = {{"explore", l_explore}, {NULL, NULL}};

int luaopen_moneta_tui_explore(lua_State *L) {
    luaL_newlib(L, funcs);
    return 1;
}
