/* repl.h -- the interactive face: the readline loop with continuation lines, completion,
** persistent history and Ctrl-C handling, plus the protected call that scripts use too.
** readline is included by this folder only. */
#ifndef MN_REPL_REPL_H
#define MN_REPL_REPL_H

#include <lua.h>

/* Install the SIGINT handler: at the prompt Ctrl-C abandons the line; during a call it sets
** the core's interrupt flag (polled by C loops) and a Lua hook that stops Lua code. */
void rp_signals(lua_State *L);

/* lua_pcall with a traceback message handler and Ctrl-C armed; on error the message (one line
** plus a short traceback) is left on the stack. Clears the interrupt flag afterwards. */
int rp_docall(lua_State *L, int narg, int nres);

/* Print the error on top of the stack to stderr (prefixed with 'progname: ' if not NULL). */
void rp_report(lua_State *L, const char *progname);

/* Run the interactive loop until Ctrl-D; returns the exit status (0). */
int rp_run(lua_State *L);

/* Tab completion (complete.c): attach to readline with the state it completes against. */
void rp_complete_init(lua_State *L);

#endif
