/* repl.c -- the readline loop: expressions print their values, incomplete input continues on a
** second prompt, history persists in $XDG_STATE_HOME/moneta/history, Ctrl-C abandons the line,
** Ctrl-D exits. Uses readline's callback interface so that Ctrl-C at the prompt wakes select(). */
#include <errno.h>
#include <signal.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef MONETA_LIBEDIT
#include <editline/readline.h>
#else
#include <readline/history.h>
#include <readline/readline.h>
#endif

#include "repl/repl.h"
#include "repl/repl_int.h"

#define PROMPT1 "> "
#define PROMPT2 ">> "
#define HISTORY_MAX 2000

/* Globals: readline's line callback takes no user data (torch/trepl does the same). */
static char *pending_line = NULL;
static int   line_ready = 0, got_eof = 0;

static void on_line(char *line) {
    if (line == NULL)
        got_eof = 1;
    else
        pending_line = line;
    line_ready = 1;
    rl_callback_handler_remove();   /* run code with the terminal in its normal mode */
}

/* ---- history ---- */

static int mkdirs(char *path) {            /* mkdir -p for the directory part of 'path' */
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            *p = '/';
            return -1;
        }
        *p = '/';
    }
    return 0;
}

static char *history_path(void) {
    const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    char buf[4096];
    if (state != NULL && state[0] == '/')
        snprintf(buf, sizeof buf, "%s/moneta/history", state);
    else if (home != NULL && home[0] != '\0')
        snprintf(buf, sizeof buf, "%s/.local/state/moneta/history", home);
    else
        return NULL;
    return strdup(buf);
}

/* ---- evaluating a chunk ---- */

/* lua.c's test: a syntax error at <eof> means the chunk is not finished yet. */
static int incomplete(lua_State *L, int status) {
    if (status == LUA_ERRSYNTAX) {
        size_t n;
        const char *msg = lua_tolstring(L, -1, &n);
        if (n >= 5 && strcmp(msg + n - 5, "<eof>") == 0) {
            lua_pop(L, 1);
            return 1;
        }
    }
    return 0;
}

/* Print the values left on the stack above 'base' through moneta.pretty (falling back to
** tostring), like the standalone lua prints an expression's values. */
static void print_results(lua_State *L, int base) {
    int n = lua_gettop(L) - base;
    if (n <= 0)
        return;
    if (lua_getglobal(L, "require") == LUA_TFUNCTION) {
        lua_pushliteral(L, "moneta.pretty");
        if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_getfield(L, -1, "show") == LUA_TFUNCTION) {
            lua_remove(L, -2);
            lua_insert(L, base + 1);
            if (rp_docall(L, n, 0) != LUA_OK)
                rp_report(L, NULL);
            return;
        }
    }
    lua_settop(L, base + n);
    for (int i = 1; i <= n; i++) {
        fputs(luaL_tolstring(L, base + i, NULL), stdout);
        lua_pop(L, 1);
        fputs(i < n ? "\t" : "\n", stdout);
    }
    lua_settop(L, base);
    fflush(stdout);
}

/* Try 'buf' as an expression, then as statements. Returns 1 when more input is needed. */
static int eval_chunk(lua_State *L, const char *buf) {
    int base = lua_gettop(L), status;
    const char *ret = lua_pushfstring(L, "return %s;", buf);
    status = luaL_loadbuffer(L, ret, strlen(ret), "=stdin");
    lua_remove(L, -2);
    if (status != LUA_OK) {
        lua_pop(L, 1);
        status = luaL_loadbuffer(L, buf, strlen(buf), "=stdin");
        if (incomplete(L, status))
            return 1;
    }
    if (status == LUA_OK)
        status = rp_docall(L, 0, LUA_MULTRET);
    if (status == LUA_OK)
        print_results(L, base);
    else
        rp_report(L, NULL);
    lua_settop(L, base);
    return 0;
}

/* ---- the loop ---- */

/* Ctrl-C at the prompt: forget the partial line (and any continuation) and start afresh. */
static void abandon_line(void) {
#ifndef MONETA_LIBEDIT
    rl_point = rl_end;               /* the ^C goes after what was typed, as in a shell */
    rl_redisplay();
#endif
    fputs("^C\n", stdout);           /* before the handler goes: removing it returns the cursor */
    fflush(stdout);
#ifndef MONETA_LIBEDIT
    rl_free_line_state();
    rl_callback_sigcleanup();
#endif
    rl_callback_handler_remove();
}

/* Append 'line' to the statement being continued and run it when complete. Returns 1 while
** more input is needed (the caller shows the second prompt). */
static int feed_line(lua_State *L, const char *line, char **chunk, size_t *chunk_len) {
    size_t n = strlen(line);
    char *grown = realloc(*chunk, *chunk_len + n + 2);
    if (grown == NULL) {
        fputs("moneta: out of memory\n", stderr);
        return *chunk != NULL;
    }
    if (*chunk == NULL)
        grown[0] = '\0';
    *chunk = grown;
    if (*chunk_len > 0)
        (*chunk)[(*chunk_len)++] = '\n';
    memcpy(*chunk + *chunk_len, line, n + 1);
    *chunk_len += n;
    if (strspn(*chunk, " \t") < *chunk_len && eval_chunk(L, *chunk))
        return 1;                      /* incomplete: second prompt */
    free(*chunk);
    *chunk = NULL;
    *chunk_len = 0;
    return 0;
}

/* Standard input is not a terminal (a pipe, a file): read lines plainly, no prompt, no
** readline, as lua.c does; an unfinished statement at end of input is reported. */
static int run_plain(lua_State *L) {
    char *line = NULL, *chunk = NULL;
    size_t cap = 0, chunk_len = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, stdin)) >= 0) {
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        feed_line(L, line, &chunk, &chunk_len);
    }
    if (chunk != NULL) {
        fprintf(stderr, "moneta: unfinished statement at end of input\n");
        free(chunk);
    }
    free(line);
    return 0;
}

int rp_run(lua_State *L) {
    char *hist;
    sigset_t intr, orig;
    char *chunk = NULL;            /* the statement being continued, NULL when none */
    size_t chunk_len = 0;

    if (!isatty(STDIN_FILENO))
        return run_plain(L);
    hist = history_path();
    rl_readline_name = "moneta";
#ifndef MONETA_LIBEDIT
    rl_catch_signals = 0;          /* our handler; readline must not longjmp around it */
    rl_catch_sigwinch = 1;
#endif
    rp_complete_init(L);
    stifle_history(HISTORY_MAX);
    if (hist != NULL && mkdirs(hist) != 0) {      /* no history file, but a working REPL */
        free(hist);
        hist = NULL;
    }
    if (hist != NULL && read_history(hist) != 0)
        write_history(hist);                     /* create it: lines are appended below */

    sigemptyset(&intr);
    sigaddset(&intr, SIGINT);
    for (;;) {
        fd_set fds;
        line_ready = 0;
        pending_line = NULL;
        rp__sigint_at_prompt = 0;
        rp__at_prompt = 1;
        rl_callback_handler_install(chunk != NULL ? PROMPT2 : PROMPT1, on_line);
        /* SIGINT stays blocked except inside pselect (which unblocks it atomically) and
        ** while readline handles a key; so a Ctrl-C that lands between the flag check and
        ** the wait is not lost (plain select could then sleep until the next key) */
        sigprocmask(SIG_BLOCK, &intr, &orig);
        while (!line_ready && !rp__sigint_at_prompt) {
            FD_ZERO(&fds);
            FD_SET(STDIN_FILENO, &fds);
            if (pselect(STDIN_FILENO + 1, &fds, NULL, NULL, NULL, &orig) < 0) {
                if (errno != EINTR)
                    break;
                continue;
            }
            sigprocmask(SIG_SETMASK, &orig, NULL);
            rl_callback_read_char();
            sigprocmask(SIG_BLOCK, &intr, NULL);
        }
        sigprocmask(SIG_SETMASK, &orig, NULL);
        rp__at_prompt = 0;
        if (!line_ready) {          /* Ctrl-C (or a select error): abandon the line */
            abandon_line();
            free(chunk);
            chunk = NULL;
            chunk_len = 0;
            if (!rp__sigint_at_prompt)
                break;
            continue;
        }
        if (got_eof) {
            fputs("\n", stdout);
            break;
        }
        if (pending_line[0] != '\0') {
            add_history(pending_line);
            /* one line appended now (kept if the process dies; two sessions do not
            ** overwrite each other), trimmed to HISTORY_MAX lines at exit */
            if (hist != NULL)
                append_history(1, hist);
        }
        feed_line(L, pending_line, &chunk, &chunk_len);
        free(pending_line);
    }
    free(chunk);
    if (hist != NULL)
        history_truncate_file(hist, HISTORY_MAX);
    free(hist);
    return 0;
}
