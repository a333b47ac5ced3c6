/* l_nn.c -- Lua face of nn/ ("moneta.c.nn"): a graph userdata built from the description
** table lua/moneta/nn.lua makes (through nn_Arch, as model files are), its fit/predict/
** evaluate/save, and model files read in C. The layer sugar, models and help texts are in
** lua/moneta/nn.lua; tensors are l_tensor.c's boxes. */
#include <math.h>
#include <string.h>

#include "core/interrupt.h"
#include "core/mem.h"
#include "core/mfile.h"
#include "nn/arch.h"
#include "nn/file.h"
#include "nn/graph.h"
#include "nn/train.h"
#include "lua/lb.h"

#define GRAPH_MT "moneta.NetGraph"
#define MODELFILE_MT "moneta.ModelFile"
#define ARCH_MT "moneta.NetArch"

static nn_Graph *checkgraph(lua_State *L, int arg) {
    nn_Graph **box = luaL_checkudata(L, arg, GRAPH_MT);
    if (*box == NULL)
        luaL_argerror(L, arg, "graph was freed");
    return *box;
}

/* ---- building: description tables <-> nn_Arch ---- */

static void str_attr(lua_State *L, int idx, const char *key, char *dst, size_t n) {
    const char *s = lb_opt_string(L, idx, key, NULL);
    if (s != NULL) {
        if (strlen(s) >= n)
            luaL_error(L, "option '%s': '%s' is too long", key, s);
        strcpy(dst, s);
    }
}

/* One node table {op=, inputs={...} (1-based), label=, shape=, units=, ...} into 'a'. */
static void read_node(lua_State *L, int nd, int i, nn_Arch *arch) {
    int in[NN_ARCH_MAXIN], nin = 0;
    const char *op, *label;
    nn_Attr a;
    mn_Err e = {0};
    nn_attr_init(&a);
    op = lb_opt_string(L, nd, "op", NULL);
    label = lb_opt_string(L, nd, "label", op);
    if (op == NULL)
        luaL_error(L, "nn: node %d has no op", i);
    if (lua_getfield(L, nd, "inputs") == LUA_TTABLE) {
        nin = (int)luaL_len(L, -1);
        if (nin > NN_ARCH_MAXIN)
            luaL_error(L, "%s: at most %d inputs", label, NN_ARCH_MAXIN);
        for (int k = 0; k < nin; k++) {
            lua_geti(L, -1, k + 1);
            in[k] = (int)luaL_checkinteger(L, -1) - 1;
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    if (lua_getfield(L, nd, "shape") == LUA_TTABLE) {
        a.ndim = (int)luaL_len(L, -1);
        if (a.ndim > TN_MAXDIM - 1)
            luaL_error(L, "%s: too many dimensions", label);
        for (int k = 0; k < a.ndim; k++) {
            lua_geti(L, -1, k + 1);
            a.shape[k] = (int64_t)luaL_checkinteger(L, -1);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    a.units = lb_opt_integer(L, nd, "units", 0);
    a.n = lb_opt_integer(L, nd, "n", 0);
    a.bias = lb_opt_boolean(L, nd, "bias", 1);
    a.axis = (int)lb_opt_integer(L, nd, "axis", -1);
    a.slope = lb_opt_number(L, nd, "slope", NAN);
    a.alpha = lb_opt_number(L, nd, "alpha", NAN);
    a.scale = lb_opt_number(L, nd, "scale", NAN);
    a.delta = lb_opt_number(L, nd, "delta", NAN);
    a.q = lb_opt_number(L, nd, "q", NAN);
    a.p = lb_opt_number(L, nd, "p", 0);
    a.eps = lb_opt_number(L, nd, "eps", NAN);
    a.momentum = lb_opt_number(L, nd, "momentum", NAN);
    a.pos_weight = lb_opt_number(L, nd, "pos_weight", 1);
    str_attr(L, nd, "init", a.init, sizeof a.init);
    str_attr(L, nd, "act", a.act, sizeof a.act);
    if (!nn_init_known(a.init))
        luaL_error(L, "%s: unknown init '%s' (default, glorot, he, orthogonal, normal, zeros)",
                   label, a.init);
    if (nn_arch_add(arch, op, in, nin, &a, label, &e) != MN_OK)
        lb_raise(L, &e);
}

static int arch_gc(lua_State *L) {
    nn_arch_free(luaL_checkudata(L, 1, ARCH_MT));
    return 0;
}

/* The description at 'idx' ({nodes=, outputs=, loss=, ninputs=, kind=, head=}) into the
** nn_Arch in a GC-owned box pushed on the stack (so a raise frees it). */
static nn_Arch *read_desc(lua_State *L, int idx) {
    nn_Arch *a;
    mn_Err e = {0};
    int nnodes;
    idx = lua_absindex(L, idx);
    luaL_checktype(L, idx, LUA_TTABLE);
    a = lua_newuserdatauv(L, sizeof *a, 0);
    nn_arch_init(a);
    luaL_setmetatable(L, ARCH_MT);
    str_attr(L, idx, "kind", a->kind, sizeof a->kind);
    str_attr(L, idx, "head", a->head, sizeof a->head);
    lua_getfield(L, idx, "nodes");
    luaL_checktype(L, -1, LUA_TTABLE);
    nnodes = (int)luaL_len(L, -1);
    for (int i = 1; i <= nnodes; i++) {
        if (lua_geti(L, -1, i) != LUA_TTABLE)
            luaL_error(L, "nn: node %d is not a table", i);
        read_node(L, lua_gettop(L), i, a);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    a->ninputs = (int)lb_opt_integer(L, idx, "ninputs", 0);
    if (lua_getfield(L, idx, "outputs") == LUA_TTABLE) {
        int n = (int)luaL_len(L, -1);
        for (int k = 1; k <= n; k++) {
            lua_geti(L, -1, k);
            if (nn_arch_output(a, (int)luaL_checkinteger(L, -1) - 1, &e) != MN_OK)
                lb_raise(L, &e);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    if (lua_getfield(L, idx, "loss") == LUA_TNUMBER)
        a->loss = (int)lua_tointeger(L, -1) - 1;
    lua_pop(L, 1);
    return a;
}

/* An nn_Arch as the description table nn.lua uses (1-based ids). */
static void push_desc(lua_State *L, const nn_Arch *a) {
    lua_createtable(L, 0, 6);
    lua_pushstring(L, a->kind);
    lua_setfield(L, -2, "kind");
    if (a->head[0]) {
        lua_pushstring(L, a->head);
        lua_setfield(L, -2, "head");
    }
    lua_pushinteger(L, a->ninputs);
    lua_setfield(L, -2, "ninputs");
    lua_createtable(L, a->nnodes, 0);
    for (int i = 0; i < a->nnodes; i++) {
        const nn_ArchNode *n = &a->nodes[i];
        const nn_Attr *t = &n->a;
        lua_createtable(L, 0, 6);
        lua_pushstring(L, n->op);
        lua_setfield(L, -2, "op");
        lua_pushstring(L, n->label);
        lua_setfield(L, -2, "label");
        lua_createtable(L, n->nin, 0);
        for (int k = 0; k < n->nin; k++) {
            lua_pushinteger(L, n->in[k] + 1);
            lua_rawseti(L, -2, k + 1);
        }
        lua_setfield(L, -2, "inputs");
        if (t->ndim > 0) {
            lua_createtable(L, t->ndim, 0);
            for (int k = 0; k < t->ndim; k++) {
                lua_pushinteger(L, (lua_Integer)t->shape[k]);
                lua_rawseti(L, -2, k + 1);
            }
            lua_setfield(L, -2, "shape");
        }
#define SETI(key, v, cond) if (cond) { lua_pushinteger(L, (lua_Integer)(v)); \
                                       lua_setfield(L, -2, key); }
#define SETN(key, v) if (!isnan(v)) { lua_pushnumber(L, v); lua_setfield(L, -2, key); }
        SETI("units", t->units, t->units > 0)
        SETI("n", t->n, t->n > 0)
        SETI("axis", t->axis, t->axis != -1)
        SETN("slope", t->slope)
        SETN("alpha", t->alpha)
        SETN("scale", t->scale)
        SETN("delta", t->delta)
        SETN("q", t->q)
        SETN("eps", t->eps)
        SETN("momentum", t->momentum)
#undef SETI
#undef SETN
        if (t->p != 0) {
            lua_pushnumber(L, t->p);
            lua_setfield(L, -2, "p");
        }
        if (t->pos_weight != 1) {
            lua_pushnumber(L, t->pos_weight);
            lua_setfield(L, -2, "pos_weight");
        }
        if (strcmp(n->op, "dense") == 0) {
            lua_pushboolean(L, t->bias);
            lua_setfield(L, -2, "bias");
        }
        if (t->init[0] && strcmp(t->init, "default") != 0) {
            lua_pushstring(L, t->init);
            lua_setfield(L, -2, "init");
        }
        if (t->act[0]) {
            lua_pushstring(L, t->act);
            lua_setfield(L, -2, "act");
        }
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "nodes");
    lua_createtable(L, a->noutputs, 0);
    for (int k = 0; k < a->noutputs; k++) {
        lua_pushinteger(L, a->outputs[k] + 1);
        lua_rawseti(L, -2, k + 1);
    }
    lua_setfield(L, -2, "outputs");
}

static nn_Graph **newgraph(lua_State *L) {
    nn_Graph **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    luaL_setmetatable(L, GRAPH_MT);
    return box;
}

/* nncore.graph{nodes = {{op=, inputs={...}, label=, ...}, ...}, outputs = {...}, loss = k} */
static int g_new(lua_State *L) {
    nn_Arch *a = read_desc(L, 1);
    nn_Graph **box = newgraph(L);
    mn_Err e = {0};
    if (nn_graph_from_arch(a, box, NULL, NULL, &e) != MN_OK)
        return lb_raise(L, &e);
    nn_arch_free(a);                               /* now, rather than at the next GC */
    return 1;
}

/* nncore.arch(description) -> the architecture text model files store */
static int f_arch(lua_State *L) {
    nn_Arch *a = read_desc(L, 1);
    char *text;
    size_t len;
    mn_Err e = {0};
    if (nn_arch_write(a, &text, &len, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_pushlstring(L, text, len);
    mn_free(text);
    return 1;
}

static int g_compile(lua_State *L) {
    nn_Graph *g = checkgraph(L, 1);
    mn_Err e = {0};
    if (nn_graph_compile(g, luaL_optinteger(L, 2, NN_PREDICT_BATCH),
                         (uint64_t)luaL_optinteger(L, 3, 0), &e) != MN_OK)
        return lb_raise(L, &e);
    return 0;
}

/* Node k (1-based): {op, label, shape, params} */
static int g_node(lua_State *L) {
    nn_Graph *g = checkgraph(L, 1);
    int k = (int)luaL_checkinteger(L, 2) - 1, nd;
    int64_t shape[TN_MAXDIM];
    luaL_argcheck(L, k >= 0 && k < nn_graph_nnodes(g), 2, "no such node");
    lua_createtable(L, 0, 4);
    lua_pushstring(L, nn_graph_node_op(g, k));
    lua_setfield(L, -2, "op");
    lua_pushstring(L, nn_graph_node_label(g, k));
    lua_setfield(L, -2, "label");
    nd = nn_graph_node_shape(g, k, shape);
    lua_createtable(L, nd, 0);
    for (int i = 0; i < nd; i++) {
        lua_pushinteger(L, (lua_Integer)shape[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "shape");
    lua_pushinteger(L, (lua_Integer)nn_graph_node_nparams(g, k));
    lua_setfield(L, -2, "params");
    return 1;
}

static int g_nnodes(lua_State *L) {
    lua_pushinteger(L, nn_graph_nnodes(checkgraph(L, 1)));
    return 1;
}

/* ---- data ---- */

static void read_list(lua_State *L, int idx, const tn_Tensor **out, int *n, const char *what) {
    if (lua_isnoneornil(L, idx)) {
        *n = 0;
        return;
    }
    luaL_checktype(L, idx, LUA_TTABLE);
    *n = (int)luaL_len(L, idx);
    if (*n > NN_MAXIO)
        luaL_error(L, "nn: at most %d %s", NN_MAXIO, what);
    for (int k = 0; k < *n; k++) {
        lua_geti(L, idx, k + 1);
        out[k] = lb_checktensor(L, lua_gettop(L));
        lua_pop(L, 1);                /* the list keeps it alive */
    }
}

static void push_history(lua_State *L, const nn_History *h) {
    lua_createtable(L, 0, 12);
    lua_newtable(L);                                /* metrics */
    for (int k = 0; k < h->nseries; k++) {
        lua_createtable(L, (int)h->nepochs, 0);
        for (int64_t i = 0; i < h->nepochs; i++) {
            lua_pushnumber(L, h->series[k][i]);
            lua_rawseti(L, -2, i + 1);
        }
        lua_pushvalue(L, -1);
        lua_setfield(L, -4, h->names[k]);          /* history.loss, history.val_auc, ... */
        if (strcmp(h->names[k], "loss") != 0 && strcmp(h->names[k], "val_loss") != 0 &&
            strcmp(h->names[k], "lr") != 0)
            lua_setfield(L, -2, h->names[k]);
        else
            lua_pop(L, 1);
    }
    lua_setfield(L, -2, "metrics");
    lua_pushinteger(L, (lua_Integer)h->nepochs);
    lua_setfield(L, -2, "epochs");
    if (h->best_epoch > 0) {
        lua_pushinteger(L, (lua_Integer)h->best_epoch);
        lua_setfield(L, -2, "best_epoch");
        lua_pushnumber(L, h->best_value);
        lua_setfield(L, -2, "best_value");
    }
    lua_pushboolean(L, h->stopped_early);
    lua_setfield(L, -2, "stopped_early");
    lua_pushboolean(L, h->interrupted);
    lua_setfield(L, -2, "interrupted");
    lua_pushstring(L, h->reason);
    lua_setfield(L, -2, "reason");
    lua_pushnumber(L, h->seconds);
    lua_setfield(L, -2, "seconds");
    lua_pushnumber(L, h->seconds > 0 ? (double)h->samples / h->seconds : 0);
    lua_setfield(L, -2, "samples_per_s");
}

/* The optimizer table as lua/moneta/optim.lua built it (nil: NN_OPTIM_DEFAULT): its names
** and values were checked there (nn.lua passes every optimizer through its constructor);
** the keys that are set replace nn_optim_init's defaults. */
static void read_optim(lua_State *L, int idx, nn_Optim *o) {
    const char *kind;
    int k = NN_OPTIM_DEFAULT;
    if (!lua_isnoneornil(L, idx)) {
        kind = lb_opt_string(L, idx, "kind", nn_optim_name(k));
        if ((k = nn_optim_kind(kind)) < 0)
            luaL_error(L, "fit: unknown optimizer '%s' (sgd, adam, adamw, rmsprop, adagrad)",
                       kind);
    }
    nn_optim_init(o, k);
    o->lr = lb_opt_number(L, idx, "lr", o->lr);
    o->momentum = lb_opt_number(L, idx, "momentum", o->momentum);
    o->nesterov = lb_opt_boolean(L, idx, "nesterov", o->nesterov);
    o->beta1 = lb_opt_number(L, idx, "beta1", o->beta1);
    o->beta2 = lb_opt_number(L, idx, "beta2", o->beta2);
    if (k == NN_RMSPROP)
        o->beta2 = lb_opt_number(L, idx, "alpha", o->beta2);   /* rmsprop's name for it */
    o->eps = lb_opt_number(L, idx, "eps", o->eps);
    o->weight_decay = lb_opt_number(L, idx, "weight_decay", o->weight_decay);
}

/* The schedule table as optim.lua's constructors built it (nil: none), read like
** read_optim: keys that are set replace nn_sched_init's defaults. */
static void read_sched(lua_State *L, int idx, nn_Sched *s) {
    const char *kind;
    int k;
    if (lua_isnoneornil(L, idx)) {
        nn_sched_init(s, NN_SCHED_NONE);
        return;
    }
    kind = lb_opt_string(L, idx, "kind", "none");
    k = nn_sched_kind(kind);
    if (k < 0)
        luaL_error(L, "fit: unknown schedule '%s' (step, exponential, cosine, "
                   "reduce_on_plateau)", kind);
    nn_sched_init(s, k);
    s->step_size = lb_opt_integer(L, idx, "step_size", s->step_size);
    s->gamma = lb_opt_number(L, idx, "gamma", s->gamma);
    s->t_max = lb_opt_integer(L, idx, "t_max", s->t_max);
    s->eta_min = lb_opt_number(L, idx, "eta_min", s->eta_min);
    s->factor = lb_opt_number(L, idx, "factor", s->factor);
    s->patience = lb_opt_integer(L, idx, "patience", s->patience);
    s->threshold = lb_opt_number(L, idx, "threshold", s->threshold);
    s->min_lr = lb_opt_number(L, idx, "min_lr", s->min_lr);
}

/* g:fit(xs, ys, opts, vxs, vys): opts as nn.lua normalised them. */
static int g_fit(lua_State *L) {
    nn_Graph *g = checkgraph(L, 1);
    nn_Data tr, va;
    nn_FitOpts o;
    nn_Optim opt;
    nn_History h;
    mn_Hook hook;
    mn_Err e = {0};
    double interval;
    int rc, has_val, saved_progress = 0, opts = 4;
    memset(&tr, 0, sizeof tr);
    memset(&va, 0, sizeof va);
    read_list(L, 2, tr.x, &tr.nx, "inputs");
    read_list(L, 3, tr.y, &tr.ny, "targets");
    read_list(L, 5, va.x, &va.nx, "inputs");
    read_list(L, 6, va.y, &va.ny, "targets");
    has_val = va.nx > 0;
    /* Only the keys that are set replace nn_fit_opts_init's defaults; nn.lua checked the
    ** names (the one layer that does), the lb_opt_ readers check the types. */
    nn_fit_opts_init(&o);
    o.epochs = lb_opt_integer(L, opts, "epochs", o.epochs);
    o.batch = lb_opt_integer(L, opts, "batch", o.batch);
    o.seed = (uint64_t)lb_opt_integer(L, opts, "seed", (int64_t)o.seed);
    o.shuffle = lb_opt_boolean(L, opts, "shuffle", o.shuffle);
    o.val_frac = lb_opt_number(L, opts, "validation", o.val_frac);
    o.clip_norm = lb_opt_number(L, opts, "clip_norm", o.clip_norm);
    o.checkpoint = lb_opt_string(L, opts, "checkpoint", o.checkpoint);
    o.arch = lb_opt_string(L, opts, "arch", o.arch);
    if (lua_getfield(L, opts, "prep") == LUA_TSTRING)
        o.prep = lua_tolstring(L, -1, &o.prep_len);
    lua_pop(L, 1);
    if (lua_getfield(L, opts, "early_stop") == LUA_TTABLE) {
        int es = lua_gettop(L);
        const char *m;
        o.early_stop = 1;
        m = lb_opt_string(L, es, "monitor", o.monitor);
        if (strlen(m) >= sizeof o.monitor)
            return luaL_error(L, "early_stop: monitor '%s' is too long", m);
        memmove(o.monitor, m, strlen(m) + 1);
        o.patience = lb_opt_integer(L, es, "patience", o.patience);
        o.min_delta = lb_opt_number(L, es, "min_delta", o.min_delta);
        o.restore_best = lb_opt_boolean(L, es, "restore_best", o.restore_best);
    }
    lua_pop(L, 1);
    lua_getfield(L, opts, "optimizer");
    read_optim(L, lua_gettop(L), &opt);
    lua_pop(L, 1);
    lua_getfield(L, opts, "schedule");
    read_sched(L, lua_gettop(L), &o.sched);
    lua_pop(L, 1);
    /* progress: a per-fit function, else whatever listens on "moneta.progress". Every
    ** option is read before the swap: nothing may raise while the per-fit function sits in
    ** the registry, or it would stay there for good. */
    lb_progress_hook(L, &hook);
    interval = lb_opt_number(L, opts, "progress_interval", hook.interval);
    if (lua_getfield(L, opts, "progress") == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
        hook.fn = NULL;                              /* progress = false: no one listens */
        lua_pop(L, 1);
    } else if (lua_type(L, -1) == LUA_TFUNCTION) {
        lua_getfield(L, LUA_REGISTRYINDEX, "moneta.progress");
        lua_insert(L, -2);
        lua_setfield(L, LUA_REGISTRYINDEX, "moneta.progress");
        saved_progress = 1;                          /* the old listener is on the stack */
        hook.interval = interval > 0 ? interval : 1e-12;    /* <= 0: every batch */
    } else {
        lua_pop(L, 1);
    }
    rc = nn_fit(g, &tr, has_val ? &va : NULL, &opt, &o, &hook, &h, &e);
    nn_optim_reset(&opt);
    if (saved_progress)
        lua_setfield(L, LUA_REGISTRYINDEX, "moneta.progress");
    if (rc != MN_OK)
        return lb_raise(L, &e);
    if (h.interrupted) {
        /* Ctrl-C ended the loop cleanly: hand back the history instead of an error */
        lua_sethook(L, NULL, 0, 0);
        mn_interrupt_clear();
    }
    push_history(L, &h);
    nn_history_free(&h);
    return 1;
}

static int g_predict(lua_State *L) {
    nn_Graph *g = checkgraph(L, 1);
    nn_Data d;
    int k = (int)luaL_optinteger(L, 3, 1) - 1;
    static const char *const posts[] = {"none", "sigmoid", "softmax", "label01", "argmax",
                                        NULL};
    int post = luaL_checkoption(L, 4, "none", posts);
    tn_Tensor **box;
    mn_Err e = {0};
    memset(&d, 0, sizeof d);
    read_list(L, 2, d.x, &d.nx, "inputs");
    box = lb_newtensor(L);
    if (nn_predict(g, &d, k, post, box, &e) != MN_OK)
        return lb_raise(L, &e);
    return 1;
}

static int g_evaluate(lua_State *L) {
    nn_Graph *g = checkgraph(L, 1);
    nn_Data d;
    const char *names[8];
    double vals[8];
    int n = 0;
    mn_Err e = {0};
    memset(&d, 0, sizeof d);
    read_list(L, 2, d.x, &d.nx, "inputs");
    read_list(L, 3, d.y, &d.ny, "targets");
    if (nn_evaluate(g, &d, names, vals, &n, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_createtable(L, 0, n);
    for (int i = 0; i < n; i++) {
        lua_pushnumber(L, vals[i]);
        lua_setfield(L, -2, names[i]);
    }
    return 1;
}

/* ---- weights ---- */

static void push_floats(lua_State *L, const float *v, int64_t n) {
    int64_t shape[1] = {n};
    tn_Tensor **box = lb_newtensor(L);
    mn_Err e = {0};
    if (tn_from(v, shape, 1, box, &e) != MN_OK)
        lb_raise(L, &e);
}

/* g:weights() -> params tensor, state tensor, mask tensor or nil (copies) */
static int g_weights(lua_State *L) {
    nn_Graph *g = checkgraph(L, 1);
    int64_t np, ns;
    float *p = nn_graph_params(g, &np), *s = nn_graph_state(g, &ns);
    if (p == NULL)
        return 0;
    push_floats(L, p, np);
    push_floats(L, s, ns);
    if (nn_graph_mask(g))
        push_floats(L, nn_graph_mask(g), np);
    else
        lua_pushnil(L);
    return 3;
}

/* g:set_weights(params [, state [, mask]]) */
static int g_set_weights(lua_State *L) {
    nn_Graph *g = checkgraph(L, 1);
    tn_Tensor *p = lb_checktensor(L, 2);
    int64_t np, ns;
    float *dp = nn_graph_params(g, &np), *ds = nn_graph_state(g, &ns);
    mn_Err e = {0};
    if (dp == NULL)
        return luaL_error(L, "set_weights: the graph is not compiled");
    if (tn_numel(p) != np)
        return luaL_error(L, "set_weights: %d values for %d parameters", (int)tn_numel(p),
                          (int)np);
    memcpy(dp, tn_data(p), (size_t)np * sizeof(float));
    if (!lua_isnoneornil(L, 3)) {
        tn_Tensor *s = lb_checktensor(L, 3);
        if (tn_numel(s) != ns)
            return luaL_error(L, "set_weights: %d state values for %d", (int)tn_numel(s),
                              (int)ns);
        memcpy(ds, tn_data(s), (size_t)ns * sizeof(float));
    }
    if (!lua_isnoneornil(L, 4)) {
        tn_Tensor *m = lb_checktensor(L, 4);
        if (tn_numel(m) != np)
            return luaL_error(L, "set_weights: mask of %d for %d", (int)tn_numel(m), (int)np);
        if (nn_graph_set_mask(g, tn_data(m), &e) != MN_OK)
            return lb_raise(L, &e);
    } else if (nn_graph_set_mask(g, NULL, &e) != MN_OK) {
        return lb_raise(L, &e);
    }
    return 0;
}

static int g_save(lua_State *L) {
    nn_Graph *g = checkgraph(L, 1);
    const char *path = luaL_checkstring(L, 2), *arch = luaL_checkstring(L, 3);
    size_t plen = 0;
    const char *prep = luaL_optlstring(L, 4, NULL, &plen);
    mn_Err e = {0};
    if (nn_model_write(path, g, arch, prep, plen, &e) != MN_OK)
        return lb_raise(L, &e);
    return 0;
}

static int g_export(lua_State *L) {
    nn_Graph *g = checkgraph(L, 1);
    mn_Err e = {0};
    if (nn_export_safetensors(luaL_checkstring(L, 2), g, &e) != MN_OK)
        return lb_raise(L, &e);
    return 0;
}

static int g_prune(lua_State *L) {
    nn_Graph *g = checkgraph(L, 1);
    double s = luaL_checknumber(L, 2);
    int global = lua_isnoneornil(L, 3) ? 1 : lua_toboolean(L, 3);
    mn_Err e = {0};
    if (nn_graph_prune(g, s, global, &e) != MN_OK)
        return lb_raise(L, &e);
    return 0;
}

static int g_unmask(lua_State *L) {
    mn_Err e = {0};
    if (nn_graph_set_mask(checkgraph(L, 1), NULL, &e) != MN_OK)
        return lb_raise(L, &e);
    return 0;
}

/* Fraction of prunable weights that are zero: overall, then per node {label = fraction}. */
static int g_sparsity(lua_State *L) {
    nn_Graph *g = checkgraph(L, 1);
    float *p = nn_graph_params(g, NULL);
    double z = 0, n = 0;
    lua_newtable(L);
    for (int i = 0; p && i < nn_graph_nnodes(g); i++) {
        int64_t off, nw, zi = 0;
        nn_graph_node_params(g, i, &off, &nw);
        if (nw == 0)
            continue;
        for (int64_t j = 0; j < nw; j++)
            zi += p[off + j] == 0.0f;
        z += (double)zi;
        n += (double)nw;
        lua_pushnumber(L, (double)zi / (double)nw);
        lua_setfield(L, -2, nn_graph_node_label(g, i));
    }
    lua_pushnumber(L, n > 0 ? z / n : 0);
    lua_insert(L, -2);
    return 2;
}

static int g_copy_weights(lua_State *L) {
    mn_Err e = {0};
    if (nn_graph_copy_weights(checkgraph(L, 1), checkgraph(L, 2), &e) != MN_OK)
        return lb_raise(L, &e);
    return 0;
}

static int g_gc(lua_State *L) {
    nn_Graph **box = luaL_checkudata(L, 1, GRAPH_MT);
    nn_graph_free(*box);
    *box = NULL;
    return 0;
}

/* A model file's buffers in a GC-owned box, so that a push that raises cannot leak them. */
static int mf_gc(lua_State *L) {
    nn_model_file_free(luaL_checkudata(L, 1, MODELFILE_MT));   /* zeroes it: runs once */
    return 0;
}

/* nncore.read(path [, max_batch]) -> {arch = description, graph = compiled graph with the
** weights, prep = blob or nil, version = n}. Nothing in the file is run (nn_model_open). */
static int f_read(lua_State *L) {
    const char *path = luaL_checkstring(L, 1);
    int64_t max_batch = luaL_optinteger(L, 2, 256);
    nn_ModelFile *mf = lua_newuserdatauv(L, sizeof *mf, 0);
    nn_Arch *a;
    nn_Graph **box;
    mn_Err e = {0};
    memset(mf, 0, sizeof *mf);                     /* nothing to free if we raise now */
    luaL_setmetatable(L, MODELFILE_MT);
    a = lua_newuserdatauv(L, sizeof *a, 0);
    nn_arch_init(a);
    luaL_setmetatable(L, ARCH_MT);
    box = newgraph(L);
    luaL_argcheck(L, max_batch >= 1, 2, "max_batch must be >= 1");
    if (nn_model_open(path, max_batch, box, a, mf, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_createtable(L, 0, 4);
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, "graph");
    push_desc(L, a);
    lua_setfield(L, -2, "arch");
    if (mf->prep) {
        lua_pushlstring(L, mf->prep, mf->prep_len);
        lua_setfield(L, -2, "prep");
    }
    lua_pushinteger(L, mf->version);
    lua_setfield(L, -2, "version");
    nn_model_file_free(mf);                        /* now, rather than at the next GC */
    nn_arch_free(a);
    return 1;
}

/* nncore.file_kind(path) -> kind, version of any model file (its header only); raises for
** a file that is not one. Here rather than in l_core.c because moneta.load is nn's today. */
static int f_kind(lua_State *L) {
    char kind[MN_MFILE_KINDMAX];
    uint32_t version;
    mn_Err e = {0};
    if (mn_mfile_peek(luaL_checkstring(L, 1), kind, &version, &e) != MN_OK)
        return lb_raise(L, &e);
    lua_pushstring(L, kind);
    lua_pushinteger(L, (lua_Integer)version);
    return 2;
}

/* nncore.is_model_file(path) -> boolean (checks the magic only) */
static int f_is_model(lua_State *L) {
    char kind[MN_MFILE_KINDMAX];
    uint32_t version;
    lua_pushboolean(L, mn_mfile_peek(luaL_checkstring(L, 1), kind, &version, NULL) == MN_OK);
    return 1;
}

static int f_interrupt(lua_State *L) {       /* for tests: as Ctrl-C would */
    mn_interrupt_set();
    return 0;
}

static int f_ops(lua_State *L) {
    const char *const *names = nn_op_names();
    lua_newtable(L);
    for (int i = 0; names[i]; i++) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, names[i]);
    }
    return 1;
}

/* nncore.fit_defaults() -> {epochs, batch, seed, patience}: nn_fit_opts_init's values, for
** nn.lua's faces, which show them before the fit starts. */
static int f_fit_defaults(lua_State *L) {
    nn_FitOpts o;
    nn_fit_opts_init(&o);
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, (lua_Integer)o.epochs);
    lua_setfield(L, -2, "epochs");
    lua_pushinteger(L, (lua_Integer)o.batch);
    lua_setfield(L, -2, "batch");
    lua_pushinteger(L, (lua_Integer)o.seed);
    lua_setfield(L, -2, "seed");
    lua_pushinteger(L, (lua_Integer)o.patience);
    lua_setfield(L, -2, "patience");
    return 1;
}

static const luaL_Reg methods[] = {
    {"compile", g_compile}, {"node", g_node}, {"nnodes", g_nnodes}, {"fit", g_fit},
    {"predict", g_predict}, {"evaluate", g_evaluate}, {"weights", g_weights},
    {"set_weights", g_set_weights}, {"save", g_save}, {"export_safetensors", g_export},
    {"prune", g_prune}, {"unmask", g_unmask}, {"sparsity", g_sparsity},
    {"copy_weights", g_copy_weights}, {"free", g_gc}, {NULL, NULL}};
static const luaL_Reg metas[] = {{"__gc", g_gc}, {"__close", g_gc}, {NULL, NULL}};
static const luaL_Reg funcs[] = {{"graph", g_new}, {"read", f_read}, {"arch", f_arch},
                                 {"file_kind", f_kind},
                                 {"is_model_file", f_is_model}, {"interrupt", f_interrupt},
                                 {"ops", f_ops}, {"fit_defaults", f_fit_defaults},
                                 {NULL, NULL}};

int luaopen_moneta_c_nn(lua_State *L) {
    static const luaL_Reg arch_metas[] = {{"__gc", arch_gc}, {NULL, NULL}};
    static const luaL_Reg mf_metas[] = {{"__gc", mf_gc}, {NULL, NULL}};
    lb_newclass(L, ARCH_MT, arch_metas, NULL);
    lb_newclass(L, MODELFILE_MT, mf_metas, NULL);
    lb_newclass(L, GRAPH_MT, metas, methods);
    luaL_newlib(L, funcs);
    return 1;
}
