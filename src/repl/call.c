/* call.c -- protected calls with a short traceback, and Ctrl-C during a call: the handler only
** sets the core's interrupt flag and a Lua hook, as lua.c does. */
#define _GNU_SOURCE 1        /* memmem */
#include <lauxlib.h>
#include <lualib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "core/interrupt.h"
#include "repl/repl.h"
#include "repl/repl_int.h"

/* Globals: the SIGINT handler has no user-data pointer. 'global_L' is the one Lua state;
** 'rp__at_prompt' tells the handler whether readline or Lua code is running. */
static lua_State *global_L = NULL;
volatile sig_atomic_t rp__at_prompt = 0;
volatile sig_atomic_t rp__sigint_at_prompt = 0;
static int last_interrupted = 0;     /* the last call ended by Ctrl-C: start its message on a new line */

static void lstop(lua_State *L, lua_Debug *ar) {
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    luaL_error(L, "interrupted");
}

static void on_sigint(int sig) {
    (void)sig;
    if (rp__at_prompt) {
        rp__sigint_at_prompt = 1;
        return;
    }
    mn_interrupt_set();
    if (global_L != NULL)
        lua_sethook(global_L, lstop, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

void rp_signals(lua_State *L) {
    struct sigaction sa;
    global_L = L;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;                 /* no SA_RESTART: select() at the prompt must wake up */
    sigaction(SIGINT, &sa, NULL);
}

/* Keep the message and at most MAXFRAMES useful frames of the traceback. */
#define MAXFRAMES 8

static int msghandler(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    luaL_Buffer b;
    const char *tb, *p;
    int frames = 0, skipped = 0;

    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            msg = lua_tostring(L, -1);
        else
            msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, NULL, 1);
    tb = lua_tostring(L, -1);
    luaL_buffinit(L, &b);
    luaL_addstring(&b, msg);
    /* Lines of the traceback after "stack traceback:"; drop C frames without a name and the
    ** REPL's own chunk frames, which say nothing to the user. */
    p = strchr(tb, '\n');
    while (p != NULL && *p) {
        const char *line = p + 1, *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        int useless = (n >= 10 && memcmp(line, "\t[C]: in ?", 10) == 0) ||
                      memmem(line, n, "in function 'xpcall'", 20) != NULL ||
                      memmem(line, n, "[C]: in function 'error'", 24) != NULL;
        if (!useless) {
            if (frames < MAXFRAMES) {
                luaL_addstring(&b, frames == 0 ? "\ntraceback:\n  " : "\n  ");
                /* skip the leading tab */
                luaL_addlstring(&b, line + (line[0] == '\t'), n - (line[0] == '\t'));
            } else {
                skipped++;
            }
            frames++;
        }
        p = end;
    }
    if (skipped > 0) {
        lua_pushfstring(L, "\n  ... (%d more)", skipped);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    return 1;
}

int rp_docall(lua_State *L, int narg, int nres) {
    int status, base = lua_gettop(L) - narg;
    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    mn_interrupt_clear();
    rp__at_prompt = 0;
    status = lua_pcall(L, narg, nres, base);
    lua_sethook(L, NULL, 0, 0);      /* a Ctrl-C that came after the call ended */
    last_interrupted = mn_interrupted();
    mn_interrupt_clear();
    lua_remove(L, base);
    return status;
}

void rp_report(lua_State *L, const char *progname) {
    const char *msg = lua_tostring(L, -1);
    if (msg == NULL)
        msg = "(error object is not a string)";
    if (last_interrupted)
        fputc('\n', stderr);
    if (progname != NULL)
        fprintf(stderr, "%s: ", progname);
    fprintf(stderr, "%s\n", msg);
    fflush(stderr);
    lua_pop(L, 1);
}
