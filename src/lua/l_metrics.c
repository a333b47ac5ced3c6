/* l_metrics.c -- Lua face of eval/metrics ("moneta.c.metrics"): reads vectors (tables now,
** columns and tensors through __tovector), checks lengths and options, calls ev_*. The public
** module is lua/moneta/metrics.lua, which re-exports these and registers their help. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/mem.h"
#include "eval/metrics.h"
#include "lua/lb.h"

#define CONFUSION_MT "moneta.Confusion"

/* ---- helpers ---- */

/* Arguments 1 and 2 as vectors of one length; 'a' and 'b' name them in messages. The vectors
** live in userdata pushed on the stack, so the argument slots are fixed first. */
static void checkpair(lua_State *L, const char *fn, const char *a, const char *b,
                      const double **x, const double **y, int64_t *n) {
    int64_t nx, ny;
    lua_settop(L, 3);          /* the vectors are pushed above the options at 3 */
    *x = lb_checkvector(L, 1, &nx);
    *y = lb_checkvector(L, 2, &ny);
    if (nx != ny)
        luaL_error(L, "%s: %s has %I element%s but %s has %I", fn, a, (lua_Integer)nx,
                   nx == 1 ? "" : "s", b, (lua_Integer)ny);
    *n = nx;
}

/* How y_pred is read, from the options at 3: labels = true says it holds 0/1 labels
** (EV_LABELS for the core, which checks them); otherwise it holds scores cut at threshold.
** Nothing is inferred from the values. */
static double opt_decision(lua_State *L, const char *fn) {
    double thr;
    if (lb_opt_boolean(L, 3, "labels", 0)) {
        if (lb_opt_isset(L, 3, "threshold"))
            luaL_error(L, "%s: threshold cuts scores, but labels = true says y_pred holds 0/1 "
                       "labels; give one or the other", fn);
        return EV_LABELS;
    }
    thr = lb_opt_number(L, 3, "threshold", EV_THRESHOLD);
    if (!isfinite(thr))
        luaL_error(L, "%s: threshold must be a finite number", fn);
    return thr;
}

/* opts.zero_division: 0 (default) or 1, or "error" (NaN for the core). */
static double opt_zero_division(lua_State *L, const char *fn) {
    double zd = 0.0;
    if (lua_isnoneornil(L, 3))
        return zd;
    luaL_checktype(L, 3, LUA_TTABLE);
    switch (lua_getfield(L, 3, "zero_division")) {
    case LUA_TNIL:
        break;
    case LUA_TSTRING:
        if (strcmp(lua_tostring(L, -1), "error") != 0)
            luaL_error(L, "%s: zero_division must be 0, 1 or \"error\"", fn);
        zd = NAN;
        break;
    case LUA_TNUMBER:
        zd = lua_tonumber(L, -1);
        if (zd != 0.0 && zd != 1.0)
            luaL_error(L, "%s: zero_division must be 0, 1 or \"error\"", fn);
        break;
    default:
        luaL_error(L, "%s: zero_division must be 0, 1 or \"error\", got %s", fn,
                   luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    return zd;
}

/* opts.kind at 'idx' mapped to an integer through parallel lists; 'choices' lists the names
** for the message raised on anything else. */
static int opt_kind(lua_State *L, int idx, const char *fn, const char *def,
                    const char *const *names, const int *values, const char *choices) {
    const char *s = lb_opt_string(L, idx, "kind", def);
    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], s) == 0)
            return values[i];
    return luaL_error(L, "%s: kind must be %s, got \"%s\"", fn, choices, s);
}

/* Push *v, or raise e; takes a pointer because *v is only set by the call in the argument
** list, and C does not order the evaluation of arguments. */
static int pushnumber(lua_State *L, int rc, const double *v, const mn_Err *e) {
    if (rc != MN_OK)
        return lb_raise(L, e);
    lua_pushnumber(L, *v);
    return 1;
}

/* ---- classification from labels or scores ---- */

static const char *const label_opts[] = {"threshold", "labels", NULL};
static const char *const ratio_opts[] = {"threshold", "labels", "zero_division", NULL};

static int m_accuracy(lua_State *L) {
    const double *y, *p;
    int64_t n;
    double v = 0, thr;
    mn_Err e = {0};
    checkpair(L, "accuracy", "y_true", "y_pred", &y, &p, &n);
    lb_opt_check(L, 3, "accuracy", label_opts);
    thr = opt_decision(L, "accuracy");
    return pushnumber(L, ev_accuracy(y, p, n, thr, &v, &e), &v, &e);
}

typedef int (*RatioFn)(const double *, const double *, int64_t, double, double, double *,
                       mn_Err *);

static int ratio_metric(lua_State *L, const char *fn, RatioFn f) {
    const double *y, *p;
    int64_t n;
    double v = 0, thr, zd;
    mn_Err e = {0};
    checkpair(L, fn, "y_true", "y_pred", &y, &p, &n);
    lb_opt_check(L, 3, fn, ratio_opts);
    thr = opt_decision(L, fn);
    zd = opt_zero_division(L, fn);
    return pushnumber(L, f(y, p, n, thr, zd, &v, &e), &v, &e);
}

static int m_precision(lua_State *L) {
    return ratio_metric(L, "precision", ev_precision);
}

static int m_recall(lua_State *L) {
    return ratio_metric(L, "recall", ev_recall);
}

static int m_f1(lua_State *L) {
    return ratio_metric(L, "f1", ev_f1);
}

static int m_confusion(lua_State *L) {
    const double *y, *p;
    int64_t n;
    double thr;
    ev_Confusion c;
    mn_Err e = {0};
    checkpair(L, "confusion", "y_true", "y_pred", &y, &p, &n);
    lb_opt_check(L, 3, "confusion", label_opts);
    thr = opt_decision(L, "confusion");
    if (ev_confusion(y, p, n, thr, &c, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, (lua_Integer)c.tp);
    lua_setfield(L, -2, "tp");
    lua_pushinteger(L, (lua_Integer)c.fp);
    lua_setfield(L, -2, "fp");
    lua_pushinteger(L, (lua_Integer)c.tn);
    lua_setfield(L, -2, "tn");
    lua_pushinteger(L, (lua_Integer)c.fn);
    lua_setfield(L, -2, "fn");
    luaL_setmetatable(L, CONFUSION_MT);
    return 1;
}

static lua_Integer getcount(lua_State *L, const char *key) {
    lua_Integer v;
    lua_getfield(L, 1, key);
    v = lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v;
}

/* The 2x2 matrix as scikit-learn lays it out: rows true 0/1, columns predicted 0/1. */
static int confusion_tostring(lua_State *L) {
    lua_Integer tn, fp, fn, tp;
    char buf[256];
    int w = 6;                 /* column width: "pred 0" or the widest count */
    luaL_checktype(L, 1, LUA_TTABLE);
    tn = getcount(L, "tn"), fp = getcount(L, "fp"), fn = getcount(L, "fn");
    tp = getcount(L, "tp");
    for (int i = 0; i < 4; i++) {
        lua_Integer c = i == 0 ? tn : i == 1 ? fp : i == 2 ? fn : tp;
        int d = snprintf(NULL, 0, "%lld", (long long)c);
        w = d > w ? d : w;
    }
    snprintf(buf, sizeof buf, "        %*s  %*s\ntrue 0  %*lld  %*lld\ntrue 1  %*lld  %*lld",
             w, "pred 0", w, "pred 1", w, (long long)tn, w, (long long)fp, w, (long long)fn,
             w, (long long)tp);
    lua_pushstring(L, buf);
    return 1;
}

/* ---- ranking metrics ---- */

static const char *const no_opts[] = {NULL};

typedef int (*PairFn)(const double *, const double *, int64_t, double *, mn_Err *);

/* fn(y_true, <second>) -> number, for the metrics of two vectors; 'second' names the second
** argument in messages (y_score, y_prob, y_pred). They take scores as given: nothing is
** inferred from the values (0/1 scores rank as they are), and no options. */
static int pair_metric(lua_State *L, const char *fn, const char *second, PairFn f) {
    const double *y, *x;
    int64_t n;
    double v = 0;
    mn_Err e = {0};
    checkpair(L, fn, "y_true", second, &y, &x, &n);
    lb_opt_check(L, 3, fn, no_opts);
    return pushnumber(L, f(y, x, n, &v, &e), &v, &e);
}

static int m_auc(lua_State *L) {
    return pair_metric(L, "auc", "y_score", ev_auc);
}

static int m_gini(lua_State *L) {
    return pair_metric(L, "gini", "y_score", ev_gini);
}

static int m_pr_auc(lua_State *L) {
    return pair_metric(L, "pr_auc", "y_score", ev_pr_auc);
}

static int m_ks(lua_State *L) {
    const double *y, *s;
    int64_t n;
    double ks, at;
    mn_Err e = {0};
    checkpair(L, "ks", "y_true", "y_score", &y, &s, &n);
    lb_opt_check(L, 3, "ks", no_opts);
    if (ev_ks(y, s, n, &ks, &at, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_pushnumber(L, ks);
    lua_pushnumber(L, at);
    return 2;
}

typedef int (*CurveFn)(const double *, const double *, int64_t, double **, double **,
                       double **, int64_t *, mn_Err *);

static int curve(lua_State *L, const char *fn, CurveFn f) {
    const double *y, *s;
    double *a = NULL, *b = NULL, *t = NULL, *box;
    int64_t n, m = 0;
    mn_Err e = {0};
    checkpair(L, fn, "y_true", "y_score", &y, &s, &n);
    lb_opt_check(L, 3, fn, no_opts);
    /* GC-owned room for the three arrays (m <= n + 1 points), made before the C call so that
    ** no Lua error can come between the C allocation and its free. */
    box = lua_newuserdatauv(L, (size_t)(3 * (n + 1)) * sizeof *box, 0);
    if (f(y, s, n, &a, &b, &t, &m, &e) != MN_OK)
        return lb_raise(L, &e);
    memcpy(box, a, (size_t)m * sizeof *box);
    memcpy(box + m, b, (size_t)m * sizeof *box);
    memcpy(box + 2 * m, t, (size_t)m * sizeof *box);
    mn_free(a), mn_free(b), mn_free(t);
    lb_pushvector(L, box, m);
    lb_pushvector(L, box + m, m);
    lb_pushvector(L, box + 2 * m, m);
    return 3;
}

static int m_roc_curve(lua_State *L) {
    return curve(L, "roc_curve", ev_roc_curve);
}

static int m_pr_curve(lua_State *L) {
    return curve(L, "pr_curve", ev_pr_curve);
}

/* ---- probabilistic losses ---- */

static int m_logloss(lua_State *L) {
    static const char *const known[] = {"eps", NULL};
    const double *y, *p;
    int64_t n;
    double v = 0, eps;
    mn_Err e = {0};
    checkpair(L, "logloss", "y_true", "y_prob", &y, &p, &n);
    lb_opt_check(L, 3, "logloss", known);
    eps = lb_opt_number(L, 3, "eps", EV_LOGLOSS_EPS);
    return pushnumber(L, ev_logloss(y, p, n, eps, &v, &e), &v, &e);
}

static int m_brier(lua_State *L) {
    return pair_metric(L, "brier", "y_prob", ev_brier);
}

/* ---- regression ---- */

static int m_mse(lua_State *L) {
    return pair_metric(L, "mse", "y_pred", ev_mse);
}

static int m_rmse(lua_State *L) {
    return pair_metric(L, "rmse", "y_pred", ev_rmse);
}

static int m_mae(lua_State *L) {
    return pair_metric(L, "mae", "y_pred", ev_mae);
}

static int m_mape(lua_State *L) {
    return pair_metric(L, "mape", "y_pred", ev_mape);
}

static int m_r2(lua_State *L) {
    return pair_metric(L, "r2", "y_pred", ev_r2);
}

static int m_directional(lua_State *L) {
    static const char *const known[] = {"kind", NULL};
    static const char *const kinds[] = {"sign", "change", NULL};
    static const int values[] = {EV_DIR_SIGN, EV_DIR_CHANGE};
    const double *y, *p;
    int64_t n;
    double v = 0;
    int kind;
    mn_Err e = {0};
    checkpair(L, "directional", "y_true", "y_pred", &y, &p, &n);
    lb_opt_check(L, 3, "directional", known);
    kind = opt_kind(L, 3, "directional", "sign", kinds, values, "\"sign\" or \"change\"");
    return pushnumber(L, ev_directional(y, p, n, kind, &v, &e), &v, &e);
}

/* ---- finance ---- */

static int m_sharpe(lua_State *L) {
    static const char *const known[] = {"rf", "periods", NULL};
    int64_t n;
    const double *r = (lua_settop(L, 2), lb_checkvector(L, 1, &n));
    double v = 0, rf, periods;
    mn_Err e = {0};
    lb_opt_check(L, 2, "sharpe", known);
    rf = lb_opt_number(L, 2, "rf", 0.0);
    periods = lb_opt_number(L, 2, "periods", 252.0);
    return pushnumber(L, ev_sharpe(r, n, rf, periods, &v, &e), &v, &e);
}

static int m_sortino(lua_State *L) {
    static const char *const known[] = {"target", "periods", NULL};
    int64_t n;
    const double *r = (lua_settop(L, 2), lb_checkvector(L, 1, &n));
    double v = 0, target, periods;
    mn_Err e = {0};
    lb_opt_check(L, 2, "sortino", known);
    target = lb_opt_number(L, 2, "target", 0.0);
    periods = lb_opt_number(L, 2, "periods", 252.0);
    return pushnumber(L, ev_sortino(r, n, target, periods, &v, &e), &v, &e);
}

static int m_max_drawdown(lua_State *L) {
    static const char *const known[] = {"kind", NULL};
    static const char *const kinds[] = {"returns", "log_returns", "equity", NULL};
    static const int values[] = {EV_DD_RETURNS, EV_DD_LOG_RETURNS, EV_DD_EQUITY};
    int64_t n;
    const double *x = (lua_settop(L, 2), lb_checkvector(L, 1, &n));
    int kind;
    ev_Drawdown d;
    mn_Err e = {0};
    lb_opt_check(L, 2, "max_drawdown", known);
    kind = opt_kind(L, 2, "max_drawdown", "returns", kinds, values,
                    "\"returns\", \"log_returns\" or \"equity\"");
    if (ev_max_drawdown(x, n, kind, &d, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_pushnumber(L, d.depth);
    lua_pushinteger(L, (lua_Integer)d.peak + 1);       /* 1-based; 0 = the starting capital */
    lua_pushinteger(L, (lua_Integer)d.trough + 1);
    return 3;
}

static const luaL_Reg funcs[] = {
    {"accuracy", m_accuracy},
    {"precision", m_precision},
    {"recall", m_recall},
    {"f1", m_f1},
    {"confusion", m_confusion},
    {"auc", m_auc},
    {"gini", m_gini},
    {"pr_auc", m_pr_auc},
    {"ks", m_ks},
    {"roc_curve", m_roc_curve},
    {"pr_curve", m_pr_curve},
    {"logloss", m_logloss},
    {"brier", m_brier},
    {"mse", m_mse},
    {"rmse", m_rmse},
    {"mae", m_mae},
    {"mape", m_mape},
    {"r2", m_r2},
    {"directional", m_directional},
    {"sharpe", m_sharpe},
    {"sortino", m_sortino},
    {"max_drawdown", m_max_drawdown},
    {NULL, NULL}
};

int luaopen_moneta_c_metrics(lua_State *L) {
    static const luaL_Reg confusion_metas[] = {{"__tostring", confusion_tostring}, {NULL, NULL}};
    lb_newclass(L, CONFUSION_MT, confusion_metas, NULL);
    luaL_newlib(L, funcs);
    return 1;
}
