/* main.c -- the moneta command: a Lua 5.4 REPL and script runner over the moneta core.
**   moneta                     interactive REPL
**   moneta script.lua [args]   run a script ('arg' set as the standalone lua sets it)
**   moneta -e CODE | -i | -v | --help
** Exit status: 0 success, 1 a script error, 2 bad usage. */
#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/version.h"
#include "lua/lb.h"
#include "repl/repl.h"
#include "tui/ui.h"

#ifndef MONETA_SHARE_DIR
#define MONETA_SHARE_DIR "/usr/local/share/moneta"
#endif

static const char *progname = "moneta";

static void usage(FILE *f) {
    fprintf(f,
        "usage: %s [options] [script.lua [args]]\n"
        "Options:\n"
        "  -e CODE      run the Lua code CODE (may be repeated)\n"
        "  -i           enter the REPL after running the script or -e code\n"
        "  --frames N   dashboards quit after N frames and print the last one (for tests)\n"
        "  --clock fixed:YYYY-MM-DDTHH:MM:SSZ  freeze every time dashboards show (tests)\n"
        "  -v, --version  print the version and exit\n"
        "  -h, --help   print this help and exit\n"
        "  --           stop handling options\n"
        "  -            run standard input as a script\n"
        "With no script and no -e, moneta starts the REPL. In it, help() lists topics.\n"
        "Environment: MONETA_LUA_DIR, MONETA_DATASETS, MONETA_HOME, XDG_STATE_HOME, NO_COLOR.\n",
        progname);
}

static int isdir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int isfile(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int copy_path(char *out, size_t n, const char *src) {
    size_t len = strlen(src);
    if (len >= n)
        return 0;
    memcpy(out, src, len + 1);
    return 1;
}

/* Find 'sub' (e.g. "lua") beside the binary (build tree), under ../share/moneta (a relocated
** install) or under the configured prefix; 'probe' is a file that must exist inside it. */
static int find_dir(const char *envvar, const char *sub, const char *probe, char *out, size_t n) {
    char exe[PATH_MAX], cand[PATH_MAX + 64], test[PATH_MAX + 128];
    const char *env = getenv(envvar);
    ssize_t len;
    if (env != NULL && env[0] != '\0') {
        snprintf(out, n, "%s", env);
        return 1;
    }
    len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        char *slash;
        exe[len] = '\0';
        slash = strrchr(exe, '/');
        if (slash != NULL)
            *slash = '\0';
        const char *fmts[] = {"%s/%s", "%s/../share/moneta/%s"};
        for (int i = 0; i < 2; i++) {
            snprintf(cand, sizeof cand, fmts[i], exe, sub);
            snprintf(test, sizeof test, "%s/%s", cand, probe);
            if (probe[0] ? isfile(test) : isdir(cand)) {
                if (realpath(cand, out) == NULL)
                    return copy_path(out, n, cand);
                return 1;
            }
        }
    }
    snprintf(cand, sizeof cand, "%s/%s", MONETA_SHARE_DIR, sub);
    snprintf(test, sizeof test, "%s/%s", cand, probe);
    if (probe[0] ? isfile(test) : isdir(cand))
        return copy_path(out, n, cand);
    return 0;
}

/* package.path gets the lua/ tree first; registry "moneta.paths" records what was found. */
static int setup_paths(lua_State *L) {
    char luadir[PATH_MAX], data[PATH_MAX];
    if (!find_dir("MONETA_LUA_DIR", "lua", "moneta/init.lua", luadir, sizeof luadir)) {
        fprintf(stderr, "%s: cannot find the Lua library (lua/moneta/init.lua) beside the "
                "binary or under %s; set MONETA_LUA_DIR\n", progname, MONETA_SHARE_DIR);
        return 0;
    }
    lua_newtable(L);
    lua_pushstring(L, luadir);
    lua_setfield(L, -2, "lua_dir");
    if (find_dir("MONETA_DATASETS", "datasets", "", data, sizeof data)) {
        lua_pushstring(L, data);
        lua_setfield(L, -2, "datasets_dir");
    }
    lua_setfield(L, LUA_REGISTRYINDEX, "moneta.paths");
    lua_getglobal(L, "package");
    lua_pushfstring(L, "%s/?.lua;%s/?/init.lua;", luadir, luadir);
    lua_getfield(L, -2, "path");
    lua_concat(L, 2);
    lua_setfield(L, -2, "path");
    lua_pop(L, 1);
    return 1;
}

static int dochunk(lua_State *L, int status) {
    if (status == LUA_OK)
        status = rp_docall(L, 0, 0);
    if (status != LUA_OK)
        rp_report(L, progname);
    return status == LUA_OK;
}

/* require "moneta"; in interactive use also make its names globals (never shadowing Lua's
** own, so moneta.load stays moneta.load and Lua's load stays load). */
static int load_moneta(lua_State *L, int globals) {
    const char *code = globals ?
        "moneta = require 'moneta'\n"
        "for k, v in pairs(moneta) do if _G[k] == nil then _G[k] = v end end\n" :
        "require 'moneta'\n";
    return dochunk(L, luaL_loadbuffer(L, code, strlen(code), "=(moneta init)"));
}

/* arg table as lua.c builds it: arg[0] = script, arg[1..] its arguments, options negative. */
static void create_arg_table(lua_State *L, char **argv, int argc, int script) {
    lua_createtable(L, argc - script - 1, script + 1);
    for (int i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - script);
    }
    lua_setglobal(L, "arg");
}

static int run_script(lua_State *L, char **argv, int argc, int script) {
    const char *fname = argv[script];
    int status, n;
    if (strcmp(fname, "-") == 0 && strcmp(argv[script - 1], "--") != 0)
        fname = NULL;                              /* stdin */
    status = luaL_loadfile(L, fname);
    if (status != LUA_OK) {
        rp_report(L, progname);
        return 0;
    }
    n = argc - script - 1;
    luaL_checkstack(L, n, "too many arguments to script");
    for (int i = 1; i <= n; i++)
        lua_pushstring(L, argv[script + i]);
    status = rp_docall(L, n, LUA_MULTRET);
    if (status != LUA_OK) {
        rp_report(L, progname);
        return 0;
    }
    return 1;
}

static void banner(void) {
    printf("moneta %s (%s) -- help() lists topics, Tab completes, Ctrl-D exits\n",
           MONETA_VERSION, LUA_RELEASE);
    fflush(stdout);
}

/* 'a' is the long option --NAME or --NAME=VALUE: 1 with '*v' its value (the next argument
** for the first form, NULL when there is none), else 0. */
static int long_opt(const char *a, const char *name, int *i, int argc, char **argv,
                    const char **v) {
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
        return 0;
    *v = a[n] == '=' ? a + n + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
    return 1;
}

int main(int argc, char **argv) {
    lua_State *L;
    int interactive = 0, script = 0, ok = 1, ncode = 0, repl;
    const char **code = malloc((size_t)argc * sizeof *code);   /* the -e chunks, in order */
    const char *v;

    if (code == NULL) {
        fprintf(stderr, "moneta: not enough memory\n");
        return 1;
    }

    if (argv[0] != NULL && argv[0][0] != '\0') {
        const char *s = strrchr(argv[0], '/');
        progname = s ? s + 1 : argv[0];
    }
    /* options, as lua.c reads them: they end at the first non-option (the script) */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            script = i;
            break;
        }
        if (strcmp(a, "--") == 0) {
            if (i + 1 < argc)
                script = i + 1;
            break;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            free(code);
            return 0;
        }
        if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0) {
            printf("moneta %s (%s)\n", MONETA_VERSION, LUA_RELEASE);
            free(code);
            return 0;
        }
        if (strcmp(a, "-i") == 0) {
            interactive = 1;
        } else if (long_opt(a, "--frames", &i, argc, argv, &v)) {
            char *end = NULL;
            long n = v != NULL ? strtol(v, &end, 10) : 0;
            if (v == NULL || end == v || *end != '\0' || n < 1 || n > 1000000) {
                fprintf(stderr, "%s: '--frames' needs a number of frames >= 1\n", progname);
                free(code);
                return 2;
            }
            ui_set_frames((int)n);
        } else if (long_opt(a, "--clock", &i, argc, argv, &v)) {
            mn_Err e = {0};
            if (v == NULL || ui_set_clock(v, &e) != MN_OK) {
                fprintf(stderr, "%s: %s\n", progname,
                        v == NULL ? "'--clock' needs fixed:<YYYY-MM-DDTHH:MM:SSZ>" : e.msg);
                free(code);
                return 2;
            }
        } else if (strncmp(a, "-e", 2) == 0) {
            if (a[2] == '\0' && (i + 1 >= argc || argv[i + 1][0] == '\0')) {
                fprintf(stderr, "%s: '-e' needs an argument\n", progname);
                usage(stderr);
                free(code);
                return 2;
            }
            code[ncode++] = a[2] ? a + 2 : argv[++i];
        } else {
            fprintf(stderr, "%s: unrecognized option '%s'\n", progname, a);
            usage(stderr);
            free(code);
            return 2;
        }
    }
    repl = interactive || (!script && ncode == 0);

    L = luaL_newstate();
    if (L == NULL) {
        fprintf(stderr, "%s: cannot create the Lua state: not enough memory\n", progname);
        free(code);
        return 1;
    }
    luaL_openlibs(L);
    lb_openlibs(L);
    rp_signals(L);
    create_arg_table(L, argv, argc, script);
    if (!setup_paths(L)) {
        lua_close(L);
        free(code);
        return 1;
    }
    ok = load_moneta(L, ncode > 0 || repl);
    for (int k = 0; ok && k < ncode; k++)
        ok = dochunk(L, luaL_loadbuffer(L, code[k], strlen(code[k]), "=(command line)"));
    free(code);
    if (ok && script)
        ok = run_script(L, argv, argc, script);
    if (ok && repl) {
        if (isatty(STDIN_FILENO))
            banner();
        rp_run(L);
    }
    lua_close(L);
    return ok ? 0 : 1;
}
