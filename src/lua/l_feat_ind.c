/* l_feat_ind.c -- Lua face of features/indicators.h: technical indicators and forecast targets,
** added by lb_feat_ind to the "moneta.c.feat" table. Each call groups the frame through the
** driver of features/group.h (opts by =, time =), runs the kernel on every group and returns
** a new column, or a table of columns for multi-output indicators. Only this layer raises. */
#include <math.h>
#include <string.h>

#include "core/mem.h"
#include "data/frame.h"
#include "features/group.h"
#include "features/indicators.h"
#include "lua/lb.h"

enum { MAXIN = 3, MAXOUT = 5 };

/* One indicator call: its inputs, outputs, parameters and the kernel that runs on a group. */
typedef struct Job Job;
struct Job {
    const char *what;                     /* "rsi": error prefix feat.<what> */
    int         nin, nout;
    const char *in[MAXIN];                /* input column names */
    const char *out[MAXOUT];              /* output keys (nout > 1) */
    ft_Order    order;
    const ft_Groups *groups;              /* borrowed from a Groups argument, or NULL */
    const char *wname;                    /* the window parameter's name, or NULL */
    int64_t     win;                      /* its value: no longer than the whole series */
    int         p[3];                     /* integer parameters (periods, windows) */
    double      d;                        /* a real parameter (k, start, threshold, ...) */
    int64_t     h;                        /* target horizon */
    int         flag;                     /* ddof, log */
    /* in[j] and out[j]: one group's n values each */
    int (*run)(const Job *j, const double *const *in, int64_t n, double *const *out,
               mn_Err *e);
};

/* ---- helpers ---- */

static int fail(lua_State *L, const char *what, const mn_Err *e) {
    return luaL_error(L, "feat.%s: %s", what, e->msg);
}

/* Index of the options table among the arguments from 'a': the first table (that is not a
** list of column names) within the next 'np' positional parameters, else a + np. So
** feat.rsi(px, "close", {by = "ticker"}) and feat.rsi(px, "close", 14, {...}) both work. */
static int optpos(lua_State *L, int a, int np) {
    for (int i = a; i < a + np; i++)
        if (lua_istable(L, i))
            return i;
    return a + np;
}

/* Options at 'idx' (table or none): by and time plus the names in 'extra'. A Groups object
** after them (the ctx.groups of a feat.add spec, made once for every feature) replaces
** by/time. */
static void check_opts(lua_State *L, int idx, Job *j, const char *const *extra,
                       const fr_Frame *f) {
    const char *known[12] = {"by", "time"};
    int k = 2;
    if (!lua_isnoneornil(L, idx) && !lua_istable(L, idx))
        luaL_error(L, "feat.%s: options must be a table, got %s", j->what,
                   luaL_typename(L, idx));
    for (; extra != NULL && *extra != NULL && k < 11; extra++)
        known[k++] = *extra;
    known[k] = NULL;
    if (lua_istable(L, idx)) {
        char what[48];
        snprintf(what, sizeof what, "feat.%s", j->what);
        lb_opt_check(L, idx, what, known);
    }
    j->order.by = lb_opt_string(L, idx, "by", NULL);
    j->order.time = lb_opt_string(L, idx, "time", NULL);
    if (!lua_isnoneornil(L, idx + 1))
        j->groups = lb_feat_checkgroups(L, idx + 1, f);
}

/* A column name at 'arg' (a string), or 'def' when the argument is absent (def NULL: required). */
static const char *colarg(lua_State *L, int arg, const char *what, const char *def) {
    if (lua_isnoneornil(L, arg) && def != NULL)
        return def;
    if (lua_type(L, arg) != LUA_TSTRING)
        luaL_error(L, "feat.%s: argument #%d must be a column name, got %s", what, arg,
                   luaL_typename(L, arg));
    return lua_tostring(L, arg);
}

/* A whole-number parameter >= lo at 'arg' named 'name', 'def' when absent. */
/* (arg 0: absent, as callers pass for positions at or after the options table) */
static int intarg(lua_State *L, int arg, const char *what, const char *name, int def, int lo) {
    lua_Integer v;
    int ok;
    if (arg == 0 || lua_isnoneornil(L, arg))
        return def;
    v = lua_tointegerx(L, arg, &ok);
    if (!ok || v < lo || v > 1000000000)
        luaL_error(L, "feat.%s: %s must be a whole number >= %d, got %s", what, name, lo,
                   luaL_tolstring(L, arg, NULL));
    return (int)v;
}

static double numarg(lua_State *L, int arg, const char *what, const char *name, double def) {
    if (arg == 0 || lua_isnoneornil(L, arg))
        return def;
    if (lua_type(L, arg) != LUA_TNUMBER || !isfinite(lua_tonumber(L, arg)))
        luaL_error(L, "feat.%s: %s must be a finite number, got %s", what, name,
                   luaL_tolstring(L, arg, NULL));
    return lua_tonumber(L, arg);
}

/* Optional column list at 'arg': a sequence of k names overriding 'names' (the defaults).
** Returns the index of the next argument. */
static int colsarg(lua_State *L, int arg, Job *j, int k) {
    if (lua_isnil(L, arg) && lua_gettop(L) > arg)
        return arg + 1;                           /* an explicit nil: the default names */
    if (!lua_istable(L, arg) || lua_rawlen(L, arg) == 0)
        return arg;                               /* absent, a parameter or the options */
    if ((int)lua_rawlen(L, arg) != k)
        luaL_error(L, "feat.%s: argument #%d: %d column names expected, got %d", j->what, arg,
                   k, (int)lua_rawlen(L, arg));
    for (int i = 0; i < k; i++) {
        if (lua_rawgeti(L, arg, i + 1) != LUA_TSTRING)
            luaL_error(L, "feat.%s: argument #%d: column name %d must be a string", j->what,
                       arg, i + 1);
        j->in[i] = lua_tostring(L, -1);           /* anchored by the table at 'arg' */
        lua_pop(L, 1);
    }
    return arg + 1;
}

/* Group 'f', run j->run on every group, push the result (a column or a table of columns). */
static int run_job(lua_State *L, const fr_Frame *f, const Job *j) {
    mn_Err e = {0};
    ft_Groups *g = NULL;
    const ft_Groups *gg = NULL;
    const double *x[MAXIN] = {0};
    double *owned[MAXIN] = {0}, *buf = NULL, *gin[MAXIN], *gout[MAXOUT];
    const double *cin[MAXIN];
    fr_Column *cols[MAXOUT] = {0};
    int rc = MN_OK;

    for (int i = 0; i < j->nin && rc == MN_OK; i++)     /* columns first: the plainest error */
        rc = ft_numeric(f, j->in[i], &x[i], &owned[i], &e);
    /* a window longer than the whole series is a mistake; a shorter group just gives NaN */
    if (rc == MN_OK && j->wname != NULL && fr_nrows(f) > 0 && j->win > fr_nrows(f))
        rc = mn_fail(&e, MN_EARG, "%s = %lld is longer than the series (%lld rows)", j->wname,
                     (long long)j->win, (long long)fr_nrows(f));
    if (rc == MN_OK && j->groups == NULL)
        rc = ft_groups_new(f, &j->order, &g, &e);
    for (int i = 0; i < j->nout && rc == MN_OK; i++)
        rc = fr_col_new(FR_F64, fr_nrows(f), &cols[i], &e);
    if (rc != MN_OK)
        goto done;
    if (j->groups != NULL)
        gg = j->groups;
    else
        gg = g;
    /* Memory: the output columns only when every group's rows are one contiguous run (read
    ** and written in place); gather/scatter arrays for the others, made on first need. */
    for (int64_t k = 0; k < gg->ngroups && rc == MN_OK; k++) {
        const int64_t *r = ft_group_rows(gg, k);
        int64_t n = ft_group_len(gg, k);
        if (r[n - 1] - r[0] == n - 1) {
            for (int i = 0; i < j->nin; i++)
                cin[i] = x[i] + r[0];
            for (int i = 0; i < j->nout; i++)
                gout[i] = fr_col_f64(cols[i]) + r[0];
            rc = j->run(j, cin, n, gout, &e);
            continue;
        }
        if (buf == NULL) {
            buf = mn_malloc(sizeof *buf * (size_t)(j->nin + j->nout) * (size_t)(gg->maxlen + 1));
            if (buf == NULL) {
                rc = mn_fail(&e, MN_ENOMEM, "out of memory for %lld rows",
                             (long long)gg->maxlen);
                break;
            }
        }
        for (int i = 0; i < j->nin; i++) {
            gin[i] = buf + (size_t)i * (size_t)(gg->maxlen + 1);
            ft_gather(gg, k, x[i], gin[i]);
            cin[i] = gin[i];
        }
        for (int i = 0; i < j->nout; i++)
            gout[i] = buf + (size_t)(j->nin + i) * (size_t)(gg->maxlen + 1);
        rc = j->run(j, cin, n, gout, &e);
        for (int i = 0; i < j->nout && rc == MN_OK; i++)
            ft_scatter(gg, k, gout[i], fr_col_f64(cols[i]));
    }
done:
    mn_free(buf);
    for (int i = 0; i < MAXIN; i++)
        mn_free(owned[i]);
    ft_groups_free(g);
    if (rc != MN_OK) {
        for (int i = 0; i < MAXOUT; i++)
            fr_col_unref(cols[i]);
        return fail(L, j->what, &e);
    }
    if (j->nout > 1)
        lua_createtable(L, 0, j->nout);
    for (int i = 0; i < j->nout; i++) {
        lb_pushcolumn(L, cols[i], NULL);          /* the box takes its own reference */
        fr_col_unref(cols[i]);
        cols[i] = NULL;
        if (j->nout > 1)
            lua_setfield(L, -2, j->out[i]);
    }
    return 1;
}

/* ---- kernels in the Job shape ---- */

static int k_rsi(const Job *j, const double *const *in, int64_t n,
                 double *const *out, mn_Err *e) {
    (void)e;
    ft_rsi(in[0], n, j->p[0], out[0]);
    return MN_OK;
}

static int k_macd(const Job *j, const double *const *in, int64_t n,
                  double *const *out, mn_Err *e) {
    (void)e;
    ft_macd(in[0], n, j->p[0], j->p[1], j->p[2], out[0], out[1], out[2]);
    return MN_OK;
}

static int k_bollinger(const Job *j, const double *const *in, int64_t n,
                       double *const *out, mn_Err *e) {
    (void)e;
    ft_bollinger(in[0], n, j->p[0], j->d, j->flag, out[0], out[1], out[2], out[3]);
    return MN_OK;
}

static int k_true_range(const Job *j, const double *const *in, int64_t n,
                        double *const *out, mn_Err *e) {
    (void)j, (void)e;
    ft_true_range(in[0], in[1], in[2], n, out[0]);
    return MN_OK;
}

static int k_atr(const Job *j, const double *const *in, int64_t n,
                 double *const *out, mn_Err *e) {
    (void)e;
    ft_atr(in[0], in[1], in[2], n, j->p[0], out[0]);
    return MN_OK;
}

static int k_stochastic(const Job *j, const double *const *in, int64_t n,
                        double *const *out, mn_Err *e) {
    (void)e;
    ft_stochastic(in[0], in[1], in[2], n, j->p[0], j->p[1], out[0], out[1]);
    return MN_OK;
}

static int k_obv(const Job *j, const double *const *in, int64_t n,
                 double *const *out, mn_Err *e) {
    (void)j, (void)e;
    ft_obv(in[0], in[1], n, out[0]);
    return MN_OK;
}

static int k_rvol(const Job *j, const double *const *in, int64_t n,
                  double *const *out, mn_Err *e) {
    (void)e;
    ft_realized_vol(in[0], n, j->p[0], j->d, out[0]);
    return MN_OK;
}

static int k_drawdown(const Job *j, const double *const *in, int64_t n,
                      double *const *out, mn_Err *e) {
    (void)e;
    ft_drawdown(in[0], n, j->d, out[0]);
    return MN_OK;
}

static int k_beta(const Job *j, const double *const *in, int64_t n,
                  double *const *out, mn_Err *e) {
    (void)e;
    ft_beta_corr(in[0], in[1], n, j->p[0], out[0], NULL);
    return MN_OK;
}

static int k_corr(const Job *j, const double *const *in, int64_t n,
                  double *const *out, mn_Err *e) {
    (void)e;
    ft_beta_corr(in[0], in[1], n, j->p[0], NULL, out[0]);
    return MN_OK;
}

static int k_target_return(const Job *j, const double *const *in, int64_t n,
                           double *const *out, mn_Err *e) {
    return ft_target_return(in[0], n, j->h, j->flag, out[0], e);
}

static int k_target_direction(const Job *j, const double *const *in, int64_t n,
                              double *const *out, mn_Err *e) {
    return ft_target_direction(in[0], n, j->h, j->d, out[0], e);
}

/* ---- functions ---- */

/* P(i): positional parameter i (from 0) at argument a + i, or 0 (absent) from the options on */
#define P(i) (a + (i) < o ? a + (i) : 0)

/* feat.rsi(frame, col [, n = 14] [, opts]) */
static int f_rsi(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    Job j = {.what = "rsi", .nin = 1, .nout = 1, .run = k_rsi};
    int a = 3, o = optpos(L, a, 1);
    j.in[0] = colarg(L, 2, j.what, NULL);
    j.p[0] = intarg(L, P(0), j.what, "n", 14, 1);
    check_opts(L, o, &j, NULL, f);
    j.wname = "n";
    j.win = j.p[0];
    return run_job(L, f, &j);
}

/* feat.macd(frame, col [, fast = 12, slow = 26, signal = 9] [, opts]) */
static int f_macd(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    Job j = {.what = "macd", .nin = 1, .nout = 3, .run = k_macd,
             .out = {"line", "signal", "hist"}};
    int a = 3, o = optpos(L, a, 3);
    j.in[0] = colarg(L, 2, j.what, NULL);
    j.p[0] = intarg(L, P(0), j.what, "fast", 12, 1);
    j.p[1] = intarg(L, P(1), j.what, "slow", 26, 1);
    j.p[2] = intarg(L, P(2), j.what, "signal", 9, 1);
    check_opts(L, o, &j, NULL, f);
    if (j.p[0] >= j.p[1])
        return luaL_error(L, "feat.macd: fast (%d) must be shorter than slow (%d)", j.p[0],
                          j.p[1]);
    return run_job(L, f, &j);
}

/* feat.bollinger(frame, col [, n = 20, k = 2] [, opts {ddof = 0}]) */
static int f_bollinger(lua_State *L) {
    static const char *const extra[] = {"ddof", NULL};
    fr_Frame *f = lb_checkframe(L, 1);
    Job j = {.what = "bollinger", .nin = 1, .nout = 4, .run = k_bollinger,
             .out = {"mid", "upper", "lower", "pctb"}};
    int a = 3, o = optpos(L, a, 2);
    j.in[0] = colarg(L, 2, j.what, NULL);
    j.p[0] = intarg(L, P(0), j.what, "n", 20, 1);
    j.d = numarg(L, P(1), j.what, "k", 2.0);
    check_opts(L, o, &j, extra, f);
    j.flag = (int)lb_opt_integer(L, o, "ddof", 0);
    if (j.flag != 0 && j.flag != 1)
        return luaL_error(L, "feat.bollinger: option 'ddof' must be 0 (population) or 1 "
                          "(sample), got %d", j.flag);
    j.wname = "n";
    j.win = j.p[0];
    return run_job(L, f, &j);
}

/* feat.true_range(frame [, {high, low, close}] [, opts]) */
static int f_true_range(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    Job j = {.what = "true_range", .nin = 3, .nout = 1, .run = k_true_range,
             .in = {"high", "low", "close"}};
    int a = colsarg(L, 2, &j, 3);
    check_opts(L, a, &j, NULL, f);
    return run_job(L, f, &j);
}

/* feat.atr(frame [, {high, low, close}] [, n = 14] [, opts]) */
static int f_atr(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    Job j = {.what = "atr", .nin = 3, .nout = 1, .run = k_atr, .in = {"high", "low", "close"}};
    int a = colsarg(L, 2, &j, 3), o = optpos(L, a, 1);
    j.p[0] = intarg(L, P(0), j.what, "n", 14, 1);
    check_opts(L, o, &j, NULL, f);
    j.wname = "n";
    j.win = j.p[0];
    return run_job(L, f, &j);
}

/* feat.stochastic(frame [, {high, low, close}] [, k = 14, d = 3] [, opts]) */
static int f_stochastic(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    Job j = {.what = "stochastic", .nin = 3, .nout = 2, .run = k_stochastic,
             .in = {"high", "low", "close"}, .out = {"k", "d"}};
    int a = colsarg(L, 2, &j, 3), o = optpos(L, a, 2);
    j.p[0] = intarg(L, P(0), j.what, "k", 14, 1);
    j.p[1] = intarg(L, P(1), j.what, "d", 3, 1);
    check_opts(L, o, &j, NULL, f);
    j.wname = "k";
    j.win = j.p[0];
    return run_job(L, f, &j);
}

/* feat.obv(frame [, {close, volume}] [, opts]) */
static int f_obv(lua_State *L) {
    fr_Frame *f = lb_checkframe(L, 1);
    Job j = {.what = "obv", .nin = 2, .nout = 1, .run = k_obv, .in = {"close", "volume"}};
    int a = colsarg(L, 2, &j, 2);
    check_opts(L, a, &j, NULL, f);
    return run_job(L, f, &j);
}

/* feat.realized_vol(frame, col, n [, opts {annualize = periods per year}]) */
static int f_realized_vol(lua_State *L) {
    static const char *const extra[] = {"annualize", NULL};
    fr_Frame *f = lb_checkframe(L, 1);
    Job j = {.what = "realized_vol", .nin = 1, .nout = 1, .run = k_rvol};
    int a = 3, o = optpos(L, a, 1);
    j.in[0] = colarg(L, 2, j.what, NULL);
    if (P(0) == 0 || lua_isnoneornil(L, P(0)))
        return luaL_error(L, "feat.realized_vol: n (the window in rows) is required");
    j.p[0] = intarg(L, P(0), j.what, "n", 0, 1);
    check_opts(L, o, &j, extra, f);
    j.d = lb_opt_number(L, o, "annualize", 0);
    if (lb_opt_isset(L, o, "annualize") && !(j.d > 0 && isfinite(j.d)))
        return luaL_error(L, "feat.realized_vol: option 'annualize' must be the number of "
                          "periods per year (> 0), got %g", j.d);
    j.wname = "n";
    j.win = j.p[0];
    return run_job(L, f, &j);
}

/* feat.drawdown(frame, col [, opts {start}]) */
static int f_drawdown(lua_State *L) {
    static const char *const extra[] = {"start", NULL};
    fr_Frame *f = lb_checkframe(L, 1);
    Job j = {.what = "drawdown", .nin = 1, .nout = 1, .run = k_drawdown};
    j.in[0] = colarg(L, 2, j.what, NULL);
    check_opts(L, 3, &j, extra, f);
    j.d = lb_opt_number(L, 3, "start", (double)NAN);
    if (lb_opt_isset(L, 3, "start") && !(j.d > 0 && isfinite(j.d)))
        return luaL_error(L, "feat.drawdown: option 'start' must be a positive level, got %g",
                          j.d);
    return run_job(L, f, &j);
}

typedef int (*Kernel)(const Job *, const double *const *, int64_t, double *const *, mn_Err *);

/* feat.beta / feat.rolling_corr(frame, y, x, n [, opts]) */
static int beta_corr(lua_State *L, const char *what, Kernel run) {
    fr_Frame *f = lb_checkframe(L, 1);
    Job j = {.what = what, .nin = 2, .nout = 1, .run = run};
    int a = 4, o = optpos(L, a, 1);
    j.in[0] = colarg(L, 2, what, NULL);
    j.in[1] = colarg(L, 3, what, NULL);
    if (P(0) == 0 || lua_isnoneornil(L, P(0)))
        return luaL_error(L, "feat.%s: n (the window in rows) is required", what);
    j.p[0] = intarg(L, P(0), what, "n", 0, 2);
    check_opts(L, o, &j, NULL, f);
    j.wname = "n";
    j.win = j.p[0];
    return run_job(L, f, &j);
}
static int f_beta(lua_State *L) { return beta_corr(L, "beta", k_beta); }
static int f_rolling_corr(lua_State *L) { return beta_corr(L, "rolling_corr", k_corr); }

/* feat.target_return / target_direction(frame, col, h [, opts]) */
static int target(lua_State *L, const char *what, Kernel run, const char *opt) {
    const char *const extra[] = {opt, NULL};
    fr_Frame *f = lb_checkframe(L, 1);
    Job j = {.what = what, .nin = 1, .nout = 1, .run = run};
    int a = 3, o = optpos(L, a, 1);
    j.in[0] = colarg(L, 2, what, NULL);
    if (P(0) == 0 || lua_isnoneornil(L, P(0)))
        return luaL_error(L, "feat.%s: h (the horizon in rows, >= 1) is required", what);
    j.h = intarg(L, P(0), what, "h", 0, 1);
    check_opts(L, o, &j, extra, f);
    if (strcmp(opt, "log") == 0)
        j.flag = lb_opt_boolean(L, o, "log", 0);
    else
        j.d = lb_opt_number(L, o, "threshold", 0);
    return run_job(L, f, &j);
}
static int f_target_return(lua_State *L) {
    return target(L, "target_return", k_target_return, "log");
}
static int f_target_direction(lua_State *L) {
    return target(L, "target_direction", k_target_direction, "threshold");
}

/* feat.calendar(frame [, col] [, opts]): col defaults to opts.time, else the frame's one
** date/datetime column. Row-wise: the one function that needs no group driver. */
static int f_calendar(lua_State *L) {
    static const char *const names[MAXOUT] = {"dow", "month", "quarter", "month_end",
                                              "days_to_month_end"};
    fr_Frame *f = lb_checkframe(L, 1);
    Job j = {.what = "calendar"};
    int a = lua_type(L, 2) == LUA_TSTRING || (lua_isnil(L, 2) && lua_gettop(L) > 2) ? 3 : 2;
    const char *col = a == 3 ? lua_tostring(L, 2) : NULL;
    fr_Column *c = NULL, *out[MAXOUT] = {0};
    mn_Err e = {0};
    int rc = MN_OK;
    check_opts(L, a, &j, NULL, f);
    if (col == NULL && j.order.time != NULL && j.order.time[0] != '\0')
        col = j.order.time;
    for (int k = 0; col == NULL && k < fr_ncols(f); k++) {
        fr_Type t = fr_col_type(fr_col(f, k));
        if (t == FR_DATE || t == FR_DATETIME) {
            for (int k2 = k + 1; k2 < fr_ncols(f); k2++) {
                fr_Type t2 = fr_col_type(fr_col(f, k2));
                if (t2 == FR_DATE || t2 == FR_DATETIME)
                    return luaL_error(L, "feat.calendar: the frame has several date columns "
                                      "('%s', '%s'): name one", fr_name(f, k), fr_name(f, k2));
            }
            col = fr_name(f, k);
        }
    }
    if (col == NULL)
        return luaL_error(L, "feat.calendar: the frame has no date or datetime column");
    if (fr_get(f, col, &c, &e) != MN_OK)
        return fail(L, j.what, &e);
    if (fr_col_type(c) != FR_DATE && fr_col_type(c) != FR_DATETIME)
        return luaL_error(L, "feat.calendar: column '%s' is %s, not a date or datetime", col,
                          fr_type_name(fr_col_type(c)));
    /* Each row's values are its own: no grouping and no order to check (a frame of many
    ** tickers sorted by ticker, then date, is fine); by = is accepted for the call shape. */
    if (j.order.by != NULL && fr_find(f, j.order.by) < 0)
        return luaL_error(L, "feat.calendar: by: no column '%s'", j.order.by);
    for (int i = 0; i < MAXOUT && rc == MN_OK; i++)
        rc = fr_col_new(FR_F64, fr_nrows(f), &out[i], &e);
    if (rc != MN_OK) {
        for (int i = 0; i < MAXOUT; i++)
            fr_col_unref(out[i]);
        return fail(L, j.what, &e);
    }
    ft_calendar(fr_col_time(c), fr_nrows(f), fr_col_f64(out[0]), fr_col_f64(out[1]),
                fr_col_f64(out[2]), fr_col_f64(out[3]), fr_col_f64(out[4]));
    lua_createtable(L, 0, MAXOUT);
    for (int i = 0; i < MAXOUT; i++) {
        lb_pushcolumn(L, out[i], NULL);
        fr_col_unref(out[i]);
        out[i] = NULL;
        lua_setfield(L, -2, names[i]);
    }
    return 1;
}

/* ---- registration ---- */

static const luaL_Reg funcs[] = {
    {"rsi", f_rsi},
    {"macd", f_macd},
    {"bollinger", f_bollinger},
    {"true_range", f_true_range},
    {"atr", f_atr},
    {"stochastic", f_stochastic},
    {"obv", f_obv},
    {"realized_vol", f_realized_vol},
    {"drawdown", f_drawdown},
    {"beta", f_beta},
    {"rolling_corr", f_rolling_corr},
    {"calendar", f_calendar},
    {"target_return", f_target_return},
    {"target_direction", f_target_direction},
    {NULL, NULL}
};

void lb_feat_ind(lua_State *L) {
    luaL_setfuncs(L, funcs, 0);
}
