/* complete.c -- Tab completion of Lua names: globals and keywords, fields after '.', and
** methods after ':' (from the metatable's __index table, so moneta's objects complete).
** Walks tables with raw access and never calls Lua code, so completing cannot run anything. */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#ifdef MONETA_LIBEDIT
#include <editline/readline.h>
#else
#include <readline/readline.h>
#endif

#include "repl/repl.h"

/* Global: readline's completion callbacks take no user data (torch/trepl does the same). */
static lua_State *cL = NULL;

static const char *const keywords[] = {
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
    "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    NULL
};

typedef struct Matches {
    char **v;
    size_t n, cap;
} Matches;

static void add_match(Matches *m, const char *prefix, size_t plen, const char *name,
                      size_t nlen, const char *suffix) {
    char *s = malloc(plen + nlen + strlen(suffix) + 1);
    if (s == NULL)
        return;
    memcpy(s, prefix, plen);
    memcpy(s + plen, name, nlen);
    strcpy(s + plen + nlen, suffix);
    for (size_t i = 1; i < m->n; i++)       /* a name in both a table and its __index */
        if (strcmp(m->v[i], s) == 0) {
            free(s);
            return;
        }
    if (m->n + 2 > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 32;
        char **v = realloc(m->v, cap * sizeof *v);
        if (v == NULL) {
            free(s);
            return;
        }
        m->v = v;
        m->cap = cap;
    }
    m->v[m->n++] = s;
}

static int is_ident(const char *s, size_t n) {
    if (n == 0 || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return 1;
}

/* Add the string keys of the table at the top of the stack that start with 'part'; then follow
** its metatable's __index if that is a table (depth-limited). 'methods' keeps functions only. */
static void add_keys(lua_State *L, Matches *m, const char *prefix, size_t plen, const char *part,
                     size_t partlen, int methods, int depth) {
    if (lua_type(L, -1) == LUA_TTABLE) {
        lua_pushnil(L);
        while (lua_next(L, -2) != 0) {
            size_t klen;
            const char *k;
            if (lua_type(L, -2) == LUA_TSTRING) {
                k = lua_tolstring(L, -2, &klen);
                if (klen >= partlen && strncmp(k, part, partlen) == 0 && is_ident(k, klen) &&
                    (!methods || lua_type(L, -1) == LUA_TFUNCTION))
                    add_match(m, prefix, plen, k, klen,
                              lua_type(L, -1) == LUA_TFUNCTION ? "(" :
                              lua_type(L, -1) == LUA_TTABLE ? "." : "");
            }
            lua_pop(L, 1);
        }
    }
    if (depth < 4 && lua_getmetatable(L, -1)) {
        if (lua_getfield(L, -1, "__index") == LUA_TTABLE)
            add_keys(L, m, prefix, plen, part, partlen, methods, depth + 1);
        lua_pop(L, 1);
        if (lua_getfield(L, -1, "__methods") == LUA_TTABLE)   /* types indexable by number */
            add_keys(L, m, prefix, plen, part, partlen, methods, depth + 1);
        lua_pop(L, 2);
    }
}

/* Replace the value on top of the stack by its field 'k': raw access in tables, then the
** metatable's __index chain when that is a table (userdata methods). Never calls Lua. */
static void raw_field(lua_State *L, const char *k, size_t klen) {
    for (int depth = 0; depth < 5; depth++) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            lua_pushlstring(L, k, klen);
            if (lua_rawget(L, -2) != LUA_TNIL) {
                lua_remove(L, -2);
                return;
            }
            lua_pop(L, 1);
        }
        if (!lua_getmetatable(L, -1))
            break;
        if (lua_getfield(L, -1, "__index") != LUA_TTABLE) {   /* stack: v, mt, __index */
            lua_pop(L, 1);
            lua_getfield(L, -1, "__methods");
        }
        lua_remove(L, -2);
        lua_remove(L, -2);
    }
    lua_pop(L, 1);
    lua_pushnil(L);
}

/* Push the value named by the dotted path s[0..n) (e.g. "moneta.prep"), or nil. */
static void push_path(lua_State *L, const char *s, size_t n) {
    size_t i = 0;
    lua_pushglobaltable(L);
    while (i < n && !lua_isnil(L, -1)) {
        size_t j = i;
        while (j < n && s[j] != '.' && s[j] != ':')
            j++;
        if (!is_ident(s + i, j - i)) {
            lua_pop(L, 1);
            lua_pushnil(L);
            return;
        }
        raw_field(L, s + i, j - i);
        i = j + 1;
    }
}

static char **complete(const char *text, int start, int end) {
    lua_State *L = cL;
    Matches m = {0};
    const char *sep;
    size_t tlen = strlen(text);
    int top;
    (void)start, (void)end;

    rl_attempted_completion_over = 1;   /* no file-name completion */
    if (L == NULL)
        return NULL;
    top = lua_gettop(L);
    sep = NULL;
    for (const char *p = text; *p; p++)
        if (*p == '.' || *p == ':')
            sep = p;
    m.v = NULL;
    add_match(&m, "", 0, "", 0, "");    /* slot 0: the common prefix, filled below */
    if (sep == NULL) {
        for (int i = 0; keywords[i] != NULL; i++)
            if (strncmp(keywords[i], text, tlen) == 0)
                add_match(&m, "", 0, keywords[i], strlen(keywords[i]), "");
        lua_pushglobaltable(L);
        add_keys(L, &m, "", 0, text, tlen, 0, 0);
    } else {
        size_t plen = (size_t)(sep - text) + 1;
        push_path(L, text, plen - 1);
        if (!lua_isnil(L, -1))
            add_keys(L, &m, text, plen, sep + 1, tlen - plen, *sep == ':', 0);
    }
    lua_settop(L, top);
    if (m.n <= 1) {                      /* no match (or no memory for slot 0) */
        if (m.v != NULL)
            free(m.v[0]);
        free(m.v);
        return NULL;
    }
    /* slot 0 holds the longest common prefix of the matches, as readline expects */
    {
        size_t common = strlen(m.v[1]);
        for (size_t i = 2; i < m.n; i++) {
            size_t k = 0;
            while (k < common && m.v[i][k] == m.v[1][k])
                k++;
            common = k;
        }
        free(m.v[0]);
        if (m.n == 2) {                  /* single match: it is the prefix itself */
            m.v[0] = m.v[1];
            m.n = 1;
        } else {
            m.v[0] = strndup(m.v[1], common);
        }
    }
    m.v[m.n] = NULL;
#ifndef MONETA_LIBEDIT
    rl_completion_append_character = '\0';
#endif
    return m.v;
}

void rp_complete_init(lua_State *L) {
    cL = L;
    rl_attempted_completion_function = complete;
    rl_basic_word_break_characters = " \t\n\"\\'`@$><=;|&{(+-*/%^~#,[";
#ifndef MONETA_LIBEDIT
    rl_completer_word_break_characters = (char *)" \t\n\"\\'`@$><=;|&{(+-*/%^~#,[";
#endif
}
