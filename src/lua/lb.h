/* lb.h -- helpers shared by the Lua binding files (lua/l_*.c): raising core errors, reading
** options tables, defining classes (metatables with methods), and the list of C modules. */
#ifndef MN_LUA_LB_H
#define MN_LUA_LB_H

#include <lauxlib.h>
#include <lua.h>
#include <stdint.h>

#include "core/err.h"
#include "core/progress.h"

/* Raise e->msg as a Lua error (never returns). */
int lb_raise(lua_State *L, const mn_Err *e);

/* Options tables: arg 'idx' is a table or nil/none. Each getter raises a message naming the
** option when the value has the wrong type. */
int         lb_opt_isset(lua_State *L, int idx, const char *key);
double      lb_opt_number(lua_State *L, int idx, const char *key, double def);
int64_t     lb_opt_integer(lua_State *L, int idx, const char *key, int64_t def);
int         lb_opt_boolean(lua_State *L, int idx, const char *key, int def);
const char *lb_opt_string(lua_State *L, int idx, const char *key, const char *def);
/* Raise if the options table at 'idx' has a key not in the NULL-terminated 'known' list,
** naming the key and the function ('what'), so typos are caught. */
void        lb_opt_check(lua_State *L, int idx, const char *what, const char *const *known);

/* Define or extend the class 'tname' ("moneta.<Type>"), replacing the boilerplate of each
** luaopen_ (newmetatable, setfuncs, newlib, __index, pop): the metatable gets the
** metamethods 'metas' (may be NULL), and 'methods' (may be NULL) are merged into its __index
** table, made if missing, or into __methods when __index is a function (types indexable by
** number, like columns). Several binding files may extend one type (cleaning methods on
** moneta.Frame), the file that sets an __index function first. The stack is left as it was:
**     lb_newclass(L, TENSOR_MT, metas, methods);
**     luaL_newlib(L, funcs);  */
void lb_newclass(lua_State *L, const char *tname, const luaL_Reg *metas,
                 const luaL_Reg *methods);

/* Progress: the hook the bindings give the core. It calls the Lua function stored in the
** registry under "moneta.progress" (set by lua/moneta/progress.lua) with a table; returns the
** MN_PROG_* flags that function returns. The record is built inside a protected call, so
** a Lua error there (a memory error, a broken listener) never long-jumps through the core
** loop: it is swallowed into a stop. */
void lb_progress_hook(lua_State *L, mn_Hook *h);
/* Test hook: inside the hook's protected calls, Lua allocations fail from the n-th one (counted
** across calls) to the end of that call, then the hook disarms; n = 0 disarms. Returns the
** countdown left before this call: > 0 when the armed failure never happened. */
long lb_test_progress_alloc_fail(long n);

/* A vector of doubles from argument 'arg': a Lua sequence of numbers (booleans count 0/1,
** nil holes are refused), or any object whose metatable has __tovector(obj) returning the
** values packed as a string of native doubles (moneta columns and tensors do). The result
** lives in a userdata pushed on the stack (owned by the GC); '*n' gets its length.
** Raises "bad argument #arg to 'fn' (what expected)" for anything else. */
double *lb_checkvector(lua_State *L, int arg, int64_t *n);

/* Push a Lua sequence of the n doubles in v. */
void lb_pushvector(lua_State *L, const double *v, int64_t n);

/* ---- frames and columns (l_frame.c) ---- */
#define LB_FRAME_MT  "moneta.Frame"
#define LB_COLUMN_MT "moneta.Column"
struct fr_Frame;
struct fr_Column;
/* Push a new Frame userdata owning 'f' (on a Lua error while pushing, 'f' is freed). */
void              lb_pushframe(lua_State *L, struct fr_Frame *f);
struct fr_Frame  *lb_checkframe(lua_State *L, int arg);
/* Push a Column userdata holding a new reference to 'c' and its name (may be NULL). */
void              lb_pushcolumn(lua_State *L, struct fr_Column *c, const char *name);
struct fr_Column *lb_checkcolumn(lua_State *L, int arg);
const char       *lb_columnname(lua_State *L, int arg);   /* NULL when unnamed */
/* Push row i of 'c' as a Lua value: number (NaN when missing), boolean, string (cat, text,
** and dates in ISO form), or nil for a missing non-numeric value. */
void              lb_pushcell(lua_State *L, struct fr_Column *c, int64_t i);
/* A list of column names at 'arg': a string or a sequence of strings. The array lives in a
** userdata pushed on the stack; '*k' gets the count. */
const char      **lb_checknames(lua_State *L, int arg, int *k);

/* ---- tensors (l_tensor.c) ---- */
#define LB_TENSOR_MT "moneta.Tensor"
struct tn_Tensor;
/* A new, empty Tensor box (NULL inside) on the stack; fill *box after the C call succeeds. */
struct tn_Tensor **lb_newtensor(lua_State *L);
struct tn_Tensor  *lb_checktensor(lua_State *L, int arg);   /* raises if freed */

/* ---- feature groups (l_feat.c) ---- */
struct ft_Groups;
/* The groups object (feat._groups / the ctx.groups of a feat.add spec) at 'arg', checked to
** be made for a frame of f's row count; raises otherwise. Borrowed: valid while arg lives. */
const struct ft_Groups *lb_feat_checkgroups(lua_State *L, int arg, const struct fr_Frame *f);

/* ---- classical models (l_ml.c) ---- */
struct ml_Design;
/* The design (a "moneta.Design" userdata made by moneta.c.ml.design) at 'arg'; borrowed,
** valid while that value lives. Raises for anything else. */
const struct ml_Design *lb_ml_checkdesign(lua_State *L, int arg);

/* ---- fitted transforms (l_prep.c) ---- */
/* woe{opts} -> a new, unfitted WoE transform (moneta.Prep); the public name is feat.woe. */
int lb_prep_woe(lua_State *L);

/* All C modules, registered in package.preload. One rule: src/lua/l_<name>.c is the module
** "moneta.c.<name>" and exports luaopen_moneta_c_<name> (Lua's rule: dots become
** underscores). The public modules are the Lua files under lua/moneta/ that require them. */
void lb_openlibs(lua_State *L);

int luaopen_moneta_c_core(lua_State *L);      /* l_core.c: version, BLAS, terminal, hooks */
int luaopen_moneta_c_frame(lua_State *L);     /* l_frame.c: Frame and Column */
int luaopen_moneta_c_ops(lua_State *L);       /* l_ops.c: filter, sort, join, statistics */
int luaopen_moneta_c_io(lua_State *L);        /* l_io.c: CSV and SQLite */
int luaopen_moneta_c_clean(lua_State *L);     /* l_clean.c: cleaning and split methods */
int luaopen_moneta_c_prep(lua_State *L);      /* l_prep.c: fitted transforms */
int luaopen_moneta_c_metrics(lua_State *L);   /* l_metrics.c: eval/metrics */
int luaopen_moneta_c_tensor(lua_State *L);    /* l_tensor.c: Tensor */
int luaopen_moneta_c_nn(lua_State *L);        /* l_nn.c: graphs, training, model files */
int luaopen_moneta_c_monitor(lua_State *L);   /* l_monitor.c: the training monitor */
int luaopen_moneta_c_explore(lua_State *L);   /* l_explore.c: the data explorer */
int luaopen_moneta_c_plot(lua_State *L);      /* l_plot.c: the gnuplot session */
int luaopen_moneta_c_ts(lua_State *L);        /* l_ts.c: acf, pacf */
int luaopen_moneta_c_feat(lua_State *L);      /* l_feat.c: groups and series features */
int luaopen_moneta_c_ml(lua_State *L);        /* l_ml.c: designs, model files, ml kinds */

/* Parts of moneta.c.feat in files of their own: each adds its functions to the table on top of
** the stack (luaopen_moneta_c_feat calls them). */
void lb_feat_ind(lua_State *L);               /* l_feat_ind.c: indicators, targets */
void lb_feat_windows(lua_State *L);           /* l_feat_windows.c: windows, scaler */
void lb_feat_select(lua_State *L);            /* l_feat_select.c: corr, mutual_info, vif */
void lb_feat_woe(lua_State *L);               /* l_feat_woe.c: woe, psi */

/* Parts of moneta.c.ml, one per model kind (luaopen_moneta_c_ml calls them). */
void lb_ml_linear(lua_State *L);              /* l_ml_linear.c: OLS/WLS, penalised path */
void lb_ml_logistic(lua_State *L);            /* l_ml_logistic.c: binary and multinomial */
void lb_ml_knn(lua_State *L);                 /* l_ml_knn.c: k nearest neighbours */

#endif
