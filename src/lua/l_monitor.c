/* l_monitor.c -- Lua face of tui/monitor ("moneta.c.monitor"): open(info) -> Monitor, whose
** update(rec) takes a progress record table. A userdata box holds one ui_Monitor, NULL once
** freed; __gc and __close give the terminal back, so a Lua error never leaves it raw. */
#include <string.h>

#include "core/progress.h"
#include "lua/lb.h"
#include "tui/monitor.h"

#define MONITOR_MT "moneta.Monitor"
#define SUMMARY_ROWS 10                  /* epochs kept in close()'s summary, plus the best */

static ui_Monitor **checkbox(lua_State *L, int arg) {
    return luaL_checkudata(L, arg, MONITOR_MT);
}

static ui_Monitor *checkmon(lua_State *L, int arg) {
    ui_Monitor **box = checkbox(L, arg);
    if (*box == NULL)
        luaL_error(L, "monitor: already closed");
    return *box;
}

/* monitor.open{title =, model =, params =, epochs =, batch =} -> Monitor; other keys raise */
static int mon_open(lua_State *L) {
    static const char *const known[] = {"title", "model", "params", "epochs", "batch", NULL};
    ui_MonitorInfo info;
    ui_Monitor **box;
    mn_Err e = {0};
    lb_opt_check(L, 1, "monitor.open", known);       /* a typo (epoch =) is an error */
    memset(&info, 0, sizeof info);
    info.title = lb_opt_string(L, 1, "title", "fit");
    info.model = lb_opt_string(L, 1, "model", NULL);
    info.params = lb_opt_integer(L, 1, "params", 0);
    info.epochs = lb_opt_integer(L, 1, "epochs", 0);
    info.batch = lb_opt_integer(L, 1, "batch", 0);
    box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    luaL_setmetatable(L, MONITOR_MT);
    if (ui_monitor_open(&info, box, &e) != MN_OK)
        return luaL_error(L, "monitor: %s", e.msg);
    return 1;
}

/* m:update(rec) -> flags [, "plot"]; rec nil: only keys (and the pause) */
static int mon_update(lua_State *L) {
    ui_Monitor *m = checkmon(L, 1);
    mn_Progress p;
    int flags, action = UI_MON_NONE;
    if (lua_isnoneornil(L, 2)) {
        flags = ui_monitor_update(m, NULL, &action);
    } else {
        /* a record as lb_progress_hook builds it: lr, grad_norm, event and best_* are
        ** optional, the rest always there; the lb_opt_ readers check the types */
        luaL_checktype(L, 2, LUA_TTABLE);
        mn_progress_init(&p, lb_opt_string(L, 2, "task", "fit"));
        p.phase = lb_opt_string(L, 2, "phase", "");
        p.epoch = lb_opt_integer(L, 2, "epoch", 0);
        p.epochs = lb_opt_integer(L, 2, "epochs", 0);
        p.step = lb_opt_integer(L, 2, "step", 0);
        p.total = lb_opt_integer(L, 2, "total", 0);
        p.elapsed = lb_opt_number(L, 2, "elapsed", 0);
        p.lr = lb_opt_number(L, 2, "lr", p.lr);
        p.grad_norm = lb_opt_number(L, 2, "grad_norm", p.grad_norm);
        p.event = lb_opt_string(L, 2, "event", NULL);
        p.kind = mn_event_kind_of(lb_opt_string(L, 2, "kind", NULL));
        p.best_epoch = lb_opt_integer(L, 2, "best_epoch", 0);
        p.best_metric = lb_opt_string(L, 2, "best_metric", NULL);
        if (lua_getfield(L, 2, "metrics") == LUA_TTABLE) {      /* stays on the stack */
            int mt = lua_gettop(L);
            lua_pushnil(L);
            while (lua_next(L, mt) != 0) {
                if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TNUMBER)
                    mn_progress_metric(&p, lua_tostring(L, -2), lua_tonumber(L, -1));
                lua_pop(L, 1);
            }
        }
        flags = ui_monitor_update(m, &p, &action);
    }
    lua_pushinteger(L, flags);
    if (action == UI_MON_PLOT) {
        lua_pushliteral(L, "plot");
        return 2;
    }
    return 1;
}

static int mon_log(lua_State *L) {
    ui_Monitor *m = checkmon(L, 1);
    ui_monitor_log(m, luaL_checkstring(L, 2));
    return 0;
}

static void push_series(lua_State *L, const ui_Monitor *m, const char *name) {
    const double *v = ui_monitor_series(m, name);
    lb_pushvector(L, v, v != NULL ? ui_monitor_nepochs(m) : 0);
}

/* m:history() -> {loss = {...}, val_loss = {...}, best_epoch = n, <metric> = {...}, ...} */
static int mon_history(lua_State *L) {
    ui_Monitor *m = checkmon(L, 1);
    int64_t best = ui_monitor_best(m, NULL);
    lua_createtable(L, 0, 4 + ui_monitor_ncols(m));
    for (int k = 0; k < ui_monitor_ncols(m); k++) {
        push_series(L, m, ui_monitor_colname(m, k));
        lua_setfield(L, -2, ui_monitor_colname(m, k));
    }
    if (ui_monitor_series(m, "loss") == NULL) {
        lua_newtable(L);
        lua_setfield(L, -2, "loss");
    }
    if (best > 0) {
        lua_pushinteger(L, (lua_Integer)best);
        lua_setfield(L, -2, "best_epoch");
    }
    lua_pushinteger(L, (lua_Integer)ui_monitor_nepochs(m));
    lua_setfield(L, -2, "epochs");
    return 1;
}

/* One summary row: {epoch =, epochs =, elapsed =, metrics = {...}}, a progress record's shape. */
static void push_row(lua_State *L, const ui_Monitor *m, int64_t i) {
    const double *t = ui_monitor_times(m);
    lua_createtable(L, 0, 6);
    lua_pushliteral(L, "fit");
    lua_setfield(L, -2, "task");
    lua_pushliteral(L, "epoch");
    lua_setfield(L, -2, "phase");
    lua_pushinteger(L, (lua_Integer)i + 1);
    lua_setfield(L, -2, "epoch");
    lua_pushinteger(L, (lua_Integer)ui_monitor_epochs_planned(m));
    lua_setfield(L, -2, "epochs");
    lua_pushnumber(L, t[i]);
    lua_setfield(L, -2, "elapsed");
    lua_createtable(L, 0, ui_monitor_ncols(m));
    for (int k = 0; k < ui_monitor_ncols(m); k++) {
        const char *nm = ui_monitor_colname(m, k);
        double v = ui_monitor_series(m, nm)[i];
        if (v == v) {
            lua_pushnumber(L, v);
            lua_setfield(L, -2, nm);
        }
    }
    lua_setfield(L, -2, "metrics");
}

/* m:close() -> {epochs, epochs_planned, best_epoch, best_metric, best_value, reason, stopped,
** seconds (the monitor's own cost), frames, rows,
** best_row, skipped}: gives the terminal back. 'rows' are the last epochs; 'best_row' the
** best one when it is older; 'skipped' the epochs in neither. */
static int mon_close(lua_State *L) {
    ui_Monitor **box = checkbox(L, 1);
    ui_Monitor *m = *box;
    const char *metric = NULL;
    int64_t n, best, first;
    int r = 0;
    if (m == NULL)
        return 0;
    ui_monitor_close(m);
    n = ui_monitor_nepochs(m);
    best = ui_monitor_best(m, &metric);
    first = n > SUMMARY_ROWS ? n - SUMMARY_ROWS : 0;
    lua_createtable(L, 0, 8);
    lua_pushinteger(L, (lua_Integer)n);
    lua_setfield(L, -2, "epochs");
    lua_pushinteger(L, (lua_Integer)ui_monitor_epochs_planned(m));
    lua_setfield(L, -2, "epochs_planned");
    if (best > 0) {
        lua_pushinteger(L, (lua_Integer)best);
        lua_setfield(L, -2, "best_epoch");
        lua_pushstring(L, metric);
        lua_setfield(L, -2, "best_metric");
        lua_pushnumber(L, ui_monitor_series(m, metric)[best - 1]);
        lua_setfield(L, -2, "best_value");
    }
    lua_pushstring(L, ui_monitor_reason(m));
    lua_setfield(L, -2, "reason");
    lua_pushboolean(L, ui_monitor_stopped(m));
    lua_setfield(L, -2, "stopped");
    {
        int64_t frames;
        lua_pushnumber(L, ui_monitor_cost(m, &frames));
        lua_setfield(L, -2, "seconds");
        lua_pushinteger(L, (lua_Integer)frames);
        lua_setfield(L, -2, "frames");
    }
    if (best > 0 && best - 1 < first) {          /* the best epoch, before the gap */
        push_row(L, m, best - 1);
        lua_setfield(L, -2, "best_row");
    }
    lua_createtable(L, SUMMARY_ROWS, 0);
    for (int64_t i = first; i < n; i++) {
        push_row(L, m, i);
        lua_rawseti(L, -2, ++r);
    }
    lua_setfield(L, -2, "rows");
    lua_pushinteger(L, (lua_Integer)(first - (best > 0 && best - 1 < first ? 1 : 0)));
    lua_setfield(L, -2, "skipped");
    ui_monitor_free(m);
    *box = NULL;
    return 1;
}

static int mon_gc(lua_State *L) {
    ui_Monitor **box = checkbox(L, 1);
    ui_monitor_free(*box);             /* closes the screen first */
    *box = NULL;
    return 0;
}

static int mon_tostring(lua_State *L) {
    ui_Monitor **box = checkbox(L, 1);
    lua_pushstring(L, *box ? "monitor (open)" : "monitor (closed)");
    return 1;
}

static const luaL_Reg methods[] = {{"update", mon_update}, {"log", mon_log},
                                   {"history", mon_history}, {"close", mon_close},
                                   {NULL, NULL}};
static const luaL_Reg metas[] = {{"__gc", mon_gc}, {"__close", mon_gc},
                                 {"__tostring", mon_tostring}, {NULL, NULL}};
static const luaL_Reg funcs[] = {{"open", mon_open}, {NULL, NULL}};

int luaopen_moneta_c_monitor(lua_State *L) {
    lb_newclass(L, MONITOR_MT, metas, methods);
    luaL_newlib(L, funcs);
    return 1;
}
