/* l_ml_logistic.c -- the logistic-regression part of moneta.c.ml: logistic_fit (a design and
** a label vector to a "moneta.Logit" userdata), logistic_from (rebuilt from a model file's
** arrays), predict_proba and info; mlogit_* the same for multinomial ("moneta.MLogit").
** Options, summaries and files are Lua (ml_logistic.lua). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dist.h"
#include "lua/lb.h"
#include "ml/logistic.h"

#define LOGIT_MT  "moneta.Logit"
#define MLOGIT_MT "moneta.MLogit"
#define NSTATS 9                /* n, loglik, llnull, prsquared, aic, bic, iter, conv, sep */

static const char *const penalties[] = {"none", "l2", "l1", "elasticnet", NULL};

static ml_Logit *checkmodel(lua_State *L, int arg) {
    ml_Logit *m = luaL_checkudata(L, arg, LOGIT_MT);
    if (m->coef == NULL)
        luaL_error(L, "logistic: this model has been freed");
    return m;
}

static ml_Logit *newmodel(lua_State *L) {
    ml_Logit *m = lua_newuserdatauv(L, sizeof *m, 0);
    memset(m, 0, sizeof *m);
    luaL_setmetatable(L, LOGIT_MT);
    return m;
}

/* logistic_fit(X, y, w|nil, opts) -> model. opts (checked in Lua): penalty, lambda, alpha,
** max_iter, tol, fit_intercept, balanced, w0, w1 (class weights). */
static int l_fit(lua_State *L) {
    static const char *const known[] = {"penalty", "lambda", "alpha", "max_iter", "tol",
                                        "fit_intercept", "balanced", "w0", "w1", NULL};
    int64_t ny, nw = 0;
    const double *y, *w = NULL;
    const ml_Design *d;
    ml_LogitOpts o;
    ml_Logit *m;
    mn_Err e = {0};

    d = lb_ml_checkdesign(L, 1);
    y = lb_checkvector(L, 2, &ny);
    if (!lua_isnoneornil(L, 3))
        w = lb_checkvector(L, 3, &nw);
    lb_opt_check(L, 4, "logistic", known);
    if (ny != d->n)
        return luaL_error(L, "logistic: y has %d values, X has %d rows", (int)ny, (int)d->n);
    if (w != NULL && nw != d->n)
        return luaL_error(L, "logistic: sample_weight has %d values, X has %d rows", (int)nw,
                          (int)d->n);
    ml_logit_opts_init(&o);
    {
        const char *pen = lb_opt_string(L, 4, "penalty", "none");
        int i = 0;
        while (penalties[i] != NULL && strcmp(penalties[i], pen) != 0)
            i++;
        if (penalties[i] == NULL)
            return luaL_error(L, "logistic: penalty must be 'none', 'l2', 'l1' or "
                              "'elasticnet', got '%s'", pen);
        o.penalty = i;
    }
    o.lambda = lb_opt_number(L, 4, "lambda", o.lambda);
    o.alpha = lb_opt_number(L, 4, "alpha", o.alpha);
    o.max_iter = (int)lb_opt_integer(L, 4, "max_iter", o.max_iter);
    o.tol = lb_opt_number(L, 4, "tol", o.tol);
    o.fit_intercept = lb_opt_boolean(L, 4, "fit_intercept", 1);
    o.balanced = lb_opt_boolean(L, 4, "balanced", 0);
    o.class_weight[0] = lb_opt_number(L, 4, "w0", 1.0);
    o.class_weight[1] = lb_opt_number(L, 4, "w1", 1.0);
    m = newmodel(L);
    if (ml_logit_fit(d, y, w, &o, m, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

/* model:predict_proba(D) -> a sequence of P(y = 1); D has the fitted columns (ml.lua). */
static int l_proba(lua_State *L) {
    ml_Logit *m = checkmodel(L, 1);
    const ml_Design *d = lb_ml_checkdesign(L, 2);
    if (d->p != m->p)
        return luaL_error(L, "logistic: X has %d columns, the model was fitted on %d",
                          (int)d->p, m->p);
    double *pr = lua_newuserdatauv(L, (size_t)(d->n > 0 ? d->n : 1) * sizeof *pr, 0);
    ml_logit_predict_proba(m, d->x, d->n, pr);
    lb_pushvector(L, pr, d->n);
    return 1;
}

static void setnum(lua_State *L, const char *k, double v) {
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

static void setlist(lua_State *L, const char *k, const double *v, int n) {
    lb_pushvector(L, v, n);
    lua_setfield(L, -2, k);
}

/* model:info() -> {names, coef, se, z, p, loglik, llnull, prsquared, aic, bic, nobs, iter,
** converged, separation, warning, penalty, lambda, alpha, fit_intercept, stats, llr,
** llr_pvalue} */
static int l_info(lua_State *L) {
    ml_Logit *m = checkmodel(L, 1);
    lua_createtable(L, 0, 20);
    lua_createtable(L, m->k, 0);
    for (int j = 0; j < m->k; j++) {
        lua_pushstring(L, m->names[j]);
        lua_rawseti(L, -2, j + 1);
    }
    lua_setfield(L, -2, "names");
    setlist(L, "coef", m->coef, m->k);
    setlist(L, "se", m->se, m->k);
    setlist(L, "z", m->z, m->k);
    setlist(L, "p", m->pval, m->k);
    setnum(L, "loglik", m->loglik);
    setnum(L, "llnull", m->llnull);
    setnum(L, "prsquared", m->prsquared);
    setnum(L, "aic", m->aic);
    setnum(L, "bic", m->bic);
    setnum(L, "lambda", m->lambda);
    setnum(L, "alpha", m->alpha);
    lua_pushinteger(L, (lua_Integer)m->n);
    lua_setfield(L, -2, "nobs");
    lua_pushinteger(L, m->iter);
    lua_setfield(L, -2, "iter");
    lua_pushboolean(L, m->converged);
    lua_setfield(L, -2, "converged");
    lua_pushboolean(L, m->separation);
    lua_setfield(L, -2, "separation");
    lua_pushboolean(L, m->fit_intercept);
    lua_setfield(L, -2, "fit_intercept");
    lua_pushstring(L, penalties[m->penalty]);
    lua_setfield(L, -2, "penalty");
    {
        double st[NSTATS] = {(double)m->n, m->loglik, m->llnull, m->prsquared, m->aic, m->bic,
                             m->iter, m->converged, m->separation};
        setlist(L, "stats", st, NSTATS);
    }
    /* the likelihood-ratio test against the intercept-only model, as statsmodels' llr */
    int dfm = m->k - m->fit_intercept;
    setnum(L, "llr", 2.0 * (m->loglik - m->llnull));
    setnum(L, "llr_pvalue",
           dfm > 0 ? mn_chi2_sf(2.0 * (m->loglik - m->llnull), dfm) : (double)NAN);
    if (m->warning[0]) {
        lua_pushstring(L, m->warning);
        lua_setfield(L, -2, "warning");
    }
    return 1;
}

/* logistic_from(t) -> model, t = {names, coef, se, z, p, stats (NSTATS), fit_intercept,
** penalty, lambda, alpha, warning}: a model file's contents (checked here). */
/* A saved model's table at 1 back into C (both kinds): k names, the four per-parameter
** vectors (q values each: k for binary, k * (classes - 1) for multinomial) and the stats. */
static void read_saved(lua_State *L, char (*names)[ML_NAMEMAX], int k, double *const dst[4],
                       int q, double *st) {
    static const char *const vk[] = {"coef", "se", "z", "p"};
    lua_getfield(L, 1, "names");
    for (int j = 0; j < k; j++) {
        lua_geti(L, -1, j + 1);
        snprintf(names[j], ML_NAMEMAX, "%s", luaL_checkstring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    for (int i = 0; i < 4; i++) {
        int64_t n;
        lua_getfield(L, 1, vk[i]);
        const double *v = lb_checkvector(L, lua_gettop(L), &n);
        if (n != q)
            luaL_error(L, "logistic: '%s' has %d values, expected %d", vk[i], (int)n, q);
        memcpy(dst[i], v, (size_t)q * sizeof *v);
        lua_pop(L, 2);
    }
    for (int j = 0; j < q; j++)
        if (!isfinite(dst[0][j]))
            luaL_error(L, "logistic: coefficient %d is not finite", j + 1);
    {
        int64_t n;
        lua_getfield(L, 1, "stats");
        const double *v = lb_checkvector(L, lua_gettop(L), &n);
        if (n != NSTATS)
            luaL_error(L, "logistic: 'stats' has %d values, expected %d", (int)n, NSTATS);
        memcpy(st, v, NSTATS * sizeof *st);
        lua_pop(L, 2);
    }
}

static int l_from(lua_State *L) {
    ml_Logit *m;
    mn_Err e = {0};
    int k, fi, pen;
    double st[NSTATS];

    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "names");
    luaL_checktype(L, -1, LUA_TTABLE);
    k = (int)luaL_len(L, -1);
    lua_pop(L, 1);
    fi = lb_opt_boolean(L, 1, "fit_intercept", 1);
    {
        const char *ps = lb_opt_string(L, 1, "penalty", "none");
        for (pen = 0; penalties[pen] && strcmp(penalties[pen], ps) != 0; pen++)
            ;
        if (penalties[pen] == NULL)
            return luaL_error(L, "logistic: bad penalty '%s'", ps);
    }
    if (k < 1 || k - fi < 0 || k > 10000000)
        return luaL_error(L, "logistic: bad parameter count %d", k);
    m = newmodel(L);
    if (ml_logit_alloc(m, k, &e) != MN_OK)
        return lb_raise(L, &e);
    m->fit_intercept = fi, m->p = k - fi, m->penalty = pen;
    m->lambda = lb_opt_number(L, 1, "lambda", 0);
    m->alpha = lb_opt_number(L, 1, "alpha", 0);
    snprintf(m->warning, sizeof m->warning, "%s", lb_opt_string(L, 1, "warning", ""));
    {
        double *const dst[] = {m->coef, m->se, m->z, m->pval};
        read_saved(L, m->names, k, dst, k, st);
    }
    m->n = (int64_t)st[0], m->loglik = st[1], m->llnull = st[2], m->prsquared = st[3];
    m->aic = st[4], m->bic = st[5], m->iter = (int)st[6], m->converged = st[7] != 0;
    m->separation = st[8] != 0;
    return 1;
}

static int l_gc(lua_State *L) {
    ml_logit_free(luaL_checkudata(L, 1, LOGIT_MT));
    return 0;
}


/* ---- multinomial ---- */

static ml_MLogit *checkmlogit(lua_State *L, int arg) {
    ml_MLogit *m = luaL_checkudata(L, arg, MLOGIT_MT);
    if (m->coef == NULL)
        luaL_error(L, "logistic: this model has been freed");
    return m;
}

static ml_MLogit *newmlogit(lua_State *L) {
    ml_MLogit *m = lua_newuserdatauv(L, sizeof *m, 0);
    memset(m, 0, sizeof *m);
    luaL_setmetatable(L, MLOGIT_MT);
    return m;
}

/* mlogit_fit(D, y (class indexes 0..K-1), K, w|nil, {max_iter, tol, fit_intercept}) */
static int l_mfit(lua_State *L) {
    static const char *const known[] = {"max_iter", "tol", "fit_intercept", NULL};
    const ml_Design *d = lb_ml_checkdesign(L, 1);
    int64_t ny, nw = 0;
    const double *yv = lb_checkvector(L, 2, &ny), *w = NULL;
    int K = (int)luaL_checkinteger(L, 3), *y;
    ml_LogitOpts o;
    ml_MLogit *m;
    mn_Err e = {0};
    if (!lua_isnoneornil(L, 4))
        w = lb_checkvector(L, 4, &nw);
    lb_opt_check(L, 5, "logistic", known);
    if (ny != d->n || (w != NULL && nw != d->n))
        return luaL_error(L, "logistic: y or the weights do not have X's %d rows", (int)d->n);
    y = lua_newuserdatauv(L, (size_t)(ny > 0 ? ny : 1) * sizeof *y, 0);
    for (int64_t i = 0; i < ny; i++)
        y[i] = (int)yv[i];
    ml_logit_opts_init(&o);
    o.max_iter = (int)lb_opt_integer(L, 5, "max_iter", o.max_iter);
    o.tol = lb_opt_number(L, 5, "tol", o.tol);
    o.fit_intercept = lb_opt_boolean(L, 5, "fit_intercept", 1);
    m = newmlogit(L);
    if (ml_mlogit_fit(d, y, K, w, &o, m, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

/* model:predict_proba(D) -> a list of rows, each the K class probabilities */
static int l_mproba(lua_State *L) {
    ml_MLogit *m = checkmlogit(L, 1);
    const ml_Design *d = lb_ml_checkdesign(L, 2);
    double *pr;
    if (d->p != m->p)
        return luaL_error(L, "logistic: X has %d columns, the model was fitted on %d",
                          (int)d->p, m->p);
    pr = lua_newuserdatauv(L, (size_t)(d->n > 0 ? d->n : 1) * (size_t)m->K * sizeof *pr, 0);
    ml_mlogit_predict_proba(m, d->x, d->n, pr);
    lua_createtable(L, (int)d->n, 0);
    for (int64_t i = 0; i < d->n; i++) {
        lb_pushvector(L, pr + (size_t)i * m->K, m->K);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* model:info() -> {names (k), K, coef, se, z, p ((K-1) k, equation by equation), loglik,
** llnull, prsquared, aic, bic, nobs, iter, converged, separation, stats, warning} */
static int l_minfo(lua_State *L) {
    ml_MLogit *m = checkmlogit(L, 1);
    int q = m->k * (m->K - 1);
    lua_createtable(L, 0, 20);
    lua_createtable(L, m->k, 0);
    for (int j = 0; j < m->k; j++) {
        lua_pushstring(L, m->names[j]);
        lua_rawseti(L, -2, j + 1);
    }
    lua_setfield(L, -2, "names");
    lua_pushinteger(L, m->K);
    lua_setfield(L, -2, "K");
    setlist(L, "coef", m->coef, q);
    setlist(L, "se", m->se, q);
    setlist(L, "z", m->z, q);
    setlist(L, "p", m->pval, q);
    setnum(L, "loglik", m->loglik);
    setnum(L, "llnull", m->llnull);
    setnum(L, "prsquared", m->prsquared);
    setnum(L, "aic", m->aic);
    setnum(L, "bic", m->bic);
    setnum(L, "llr", 2.0 * (m->loglik - m->llnull));
    setnum(L, "llr_pvalue", mn_chi2_sf(2.0 * (m->loglik - m->llnull),
                                       (m->k - m->fit_intercept) * (m->K - 1)));
    lua_pushinteger(L, (lua_Integer)m->n);
    lua_setfield(L, -2, "nobs");
    lua_pushinteger(L, m->iter);
    lua_setfield(L, -2, "iter");
    lua_pushboolean(L, m->converged);
    lua_setfield(L, -2, "converged");
    lua_pushboolean(L, m->separation);
    lua_setfield(L, -2, "separation");
    lua_pushboolean(L, m->fit_intercept);
    lua_setfield(L, -2, "fit_intercept");
    lua_pushstring(L, "none");
    lua_setfield(L, -2, "penalty");
    {
        double st[NSTATS] = {(double)m->n, m->loglik, m->llnull, m->prsquared, m->aic, m->bic,
                             m->iter, m->converged, m->separation};
        setlist(L, "stats", st, NSTATS);
    }
    if (m->warning[0]) {
        lua_pushstring(L, m->warning);
        lua_setfield(L, -2, "warning");
    }
    return 1;
}

/* mlogit_from{names, K, coef, se, z, p, stats, fit_intercept} -> model */
static int l_mfrom(lua_State *L) {
    ml_MLogit *m;
    mn_Err e = {0};
    int k, K, fi, q;
    double st[NSTATS];
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "names");
    luaL_checktype(L, -1, LUA_TTABLE);
    k = (int)luaL_len(L, -1);
    lua_pop(L, 1);
    K = (int)lb_opt_integer(L, 1, "K", 0);
    fi = lb_opt_boolean(L, 1, "fit_intercept", 1);
    if (k < 1 || k - fi < 0 || k > 100000 || K < 3 || K > 256)
        return luaL_error(L, "logistic: bad parameter counts (%d, %d classes)", k, K);
    q = k * (K - 1);
    m = newmlogit(L);
    if (ml_mlogit_alloc(m, k, K, &e) != MN_OK)
        return lb_raise(L, &e);
    m->fit_intercept = fi, m->p = k - fi;
    {
        double *const dst[] = {m->coef, m->se, m->z, m->pval};
        read_saved(L, m->names, k, dst, q, st);
    }
    m->n = (int64_t)st[0], m->loglik = st[1], m->llnull = st[2], m->prsquared = st[3];
    m->aic = st[4], m->bic = st[5], m->iter = (int)st[6], m->converged = st[7] != 0;
    m->separation = st[8] != 0;
    snprintf(m->warning, sizeof m->warning, "%s", lb_opt_string(L, 1, "warning", ""));
    return 1;
}

static int l_mgc(lua_State *L) {
    ml_mlogit_free(luaL_checkudata(L, 1, MLOGIT_MT));
    return 0;
}

static const luaL_Reg mmethods[] = {
    {"predict_proba", l_mproba}, {"info", l_minfo}, {"free", l_mgc}, {NULL, NULL}
};
static const luaL_Reg mmetas[] = {{"__gc", l_mgc}, {"__close", l_mgc}, {NULL, NULL}};

static const luaL_Reg methods[] = {
    {"predict_proba", l_proba}, {"info", l_info}, {"free", l_gc},
    {NULL, NULL}
};
static const luaL_Reg metas[] = {{"__gc", l_gc}, {"__close", l_gc}, {NULL, NULL}};
static const luaL_Reg funcs[] = {
    {"logistic_fit", l_fit}, {"logistic_from", l_from},
    {"mlogit_fit", l_mfit}, {"mlogit_from", l_mfrom}, {NULL, NULL}
};

void lb_ml_logistic(lua_State *L) {
    lb_newclass(L, LOGIT_MT, metas, methods);
    lb_newclass(L, MLOGIT_MT, mmetas, mmethods);
    luaL_setfuncs(L, funcs, 0);
}
