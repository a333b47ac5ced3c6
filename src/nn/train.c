/* train.c -- fit, predict, evaluate. Everything the loop needs (index permutation, best
** weights, validation scores) is allocated once before the first batch; each batch gathers
** rows by index into the graph's planned input buffers. */
#include "nn/train.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/blas.h"
#include "core/interrupt.h"
#include "core/mem.h"
#include "core/stats.h"
#include "nn/file.h"
#include "nn/nn_int.h"

/* The loop runs with denormals flushed to zero (x86 FTZ/DAZ, restored on return): Adam's
** moments of dead units decay into denormals, which are ~100x slower and of no use. */
#if defined(__x86_64__) || defined(__SSE2__)
#include <xmmintrin.h>
#define FTZ_ON() unsigned csr_ = _mm_getcsr(); _mm_setcsr(csr_ | 0x8040u)
#define FTZ_OFF() _mm_setcsr(csr_)
#else
#define FTZ_ON() (void)0
#define FTZ_OFF() (void)0
#endif

void nn_fit_opts_init(nn_FitOpts *o) {
    memset(o, 0, sizeof *o);
    o->epochs = 10;
    o->batch = 32;
    o->shuffle = 1;
    o->patience = 5;
    o->restore_best = 1;
    o->checkpoint_now = "moneta-checkpoint.mdl";
    nn_sched_init(&o->sched, NN_SCHED_NONE);
}

void nn_history_free(nn_History *h) {
    for (int i = 0; i < h->nseries; i++)
        mn_free(h->series[i]);
    memset(h, 0, sizeof *h);
}

/* ---- metrics ---- */

enum { MK_NONE, MK_BIN, MK_MULTI, MK_REG };

static int metric_kind(const nn_Graph *g) {
    const char *op;
    if (g->loss < 0)
        return MK_NONE;
    op = g->nodes[g->loss].op->name;
    if (strcmp(op, "bce") == 0 || strcmp(op, "hinge") == 0)
        return MK_BIN;
    if (strcmp(op, "softmax_ce") == 0)
        return MK_MULTI;
    if (strcmp(op, "mse") == 0 || strcmp(op, "mae") == 0 || strcmp(op, "huber") == 0 ||
        strcmp(op, "quantile") == 0)
        return MK_REG;
    return MK_NONE;
}

typedef struct Acc {
    double loss, rows;           /* sum of batch loss * rows, rows */
    double correct, n;           /* classification */
    double se, ae, ne;           /* regression */
} Acc;

/* Add one batch of B rows (forward with losses already run) to 'a'; scores of binary
** classifiers go to s/y at offset 'at' when s != NULL. */
static void accumulate(const nn_Graph *g, int kind, int64_t B, Acc *a, float *s, float *y,
                       int64_t at) {
    const nn__Node *L = &g->nodes[g->loss];
    a->loss += (double)L->out[0] * (double)B;
    a->rows += (double)B;
    if (kind == MK_NONE)
        return;
    {
        const nn__Node *p = &g->nodes[L->in[0]], *t = &g->nodes[L->in[1]];
        int64_t N = B * p->size;
        if (kind == MK_BIN) {
            for (int64_t i = 0; i < N; i++)
                a->correct += (p->out[i] > 0) == (t->out[i] > 0.5f);
            a->n += (double)N;
            if (s != NULL && p->size == 1) {
                memcpy(s + at, p->out, (size_t)B * sizeof(float));
                memcpy(y + at, t->out, (size_t)B * sizeof(float));
            }
        } else if (kind == MK_REG) {
            for (int64_t i = 0; i < N; i++) {
                double d = (double)p->out[i] - (double)t->out[i];
                a->se += d * d;
                a->ae += fabs(d);
            }
            a->ne += (double)N;
        } else {
            int64_t C = nn__last(p), rows = N / C;
            for (int64_t r = 0; r < rows; r++) {
                int64_t k = nn__argmax(p->out + r * C, C);
                int64_t c = t->size * C == p->size ? (int64_t)t->out[r]      /* class index */
                                                   : nn__argmax(t->out + r * C, C); /* one-hot */
                a->correct += k == c;
            }
            a->n += (double)rows;
        }
    }
}

double nn_auc(const float *s, const float *y, int64_t n, mn_Err *e) {
    mn_Scored *v = mn_malloc((size_t)(n ? n : 1) * sizeof *v);
    int64_t P, u2;
    if (v == NULL) {
        mn_fail(e, MN_ENOMEM, "auc: out of memory");
        return NAN;
    }
    for (int64_t i = 0; i < n; i++) {
        v[i].s = (double)s[i];
        v[i].y = y[i] > 0.5f;
    }
    mn_scored_sort(v, n);
    u2 = mn_auc_u2(v, n, &P);                      /* ties count 1/2, as eval's ev_auc */
    mn_free(v);
    if (P == 0 || P == n)
        return NAN;
    return (double)u2 / (2.0 * (double)P * (double)(n - P));
}

/* ---- feeding ---- */

static int check_data(const nn_Graph *g, const nn_Data *d, int need_y, int64_t *rows,
                      mn_Err *e) {
    int nx = nn_graph_ninputs(g), ny = nn_graph_ntargets(g), rc;
    int64_t N;
    if (d->nx != nx)
        return mn_fail(e, MN_EARG, "nn: the model has %d input%s, got %d", nx,
                       nx == 1 ? "" : "s", d->nx);
    if (need_y && d->ny != ny)
        return mn_fail(e, MN_EARG, "nn: the model has %d target%s, got %d", ny,
                       ny == 1 ? "" : "s", d->ny);
    if (nx == 0)
        return mn_fail(e, MN_EARG, "nn: the model has no inputs");
    N = tn_shape(d->x[0])[0];
    for (int k = 0; k < nx; k++) {
        if (tn_shape(d->x[k])[0] != N)
            return mn_fail(e, MN_ESHAPE, "nn: input %d has %lld rows, input 1 has %lld", k + 1,
                           (long long)tn_shape(d->x[k])[0], (long long)N);
        if ((rc = nn_graph_check_feed(g, nn_graph_input_id(g, k), d->x[k], e)) != MN_OK)
            return rc;
    }
    for (int k = 0; need_y && k < ny; k++) {
        if (tn_shape(d->y[k])[0] != N)
            return mn_fail(e, MN_ESHAPE, "nn: y has %lld rows, X has %lld",
                           (long long)tn_shape(d->y[k])[0], (long long)N);
        if ((rc = nn_graph_check_feed(g, nn_graph_target_id(g, k), d->y[k], e)) != MN_OK)
            return rc;
    }
    *rows = N;
    return MN_OK;
}

static int feed(nn_Graph *g, const nn_Data *d, int with_y, const int64_t *idx, int64_t first,
                int64_t B, mn_Err *e) {
    int rc;
    for (int k = 0; k < d->nx; k++)
        if ((rc = nn_graph_feed(g, nn_graph_input_id(g, k), d->x[k], idx, first, B, e)) != MN_OK)
            return rc;
    for (int k = 0; with_y && k < d->ny; k++)
        if ((rc = nn_graph_feed(g, nn_graph_target_id(g, k), d->y[k], idx, first, B, e)) != MN_OK)
            return rc;
    return MN_OK;
}

/* Loss and metrics over rows [first, first+count) of d, evaluation mode. */
static int eval_rows(nn_Graph *g, const nn_Data *d, int64_t first, int64_t count, int kind,
                     Acc *a, float *s, float *y, mn_Err *e) {
    int rc, was = g->training;
    memset(a, 0, sizeof *a);
    g->training = 0;
    for (int64_t at = 0; at < count; at += g->max_batch) {
        int64_t B = count - at < g->max_batch ? count - at : g->max_batch;
        if ((rc = feed(g, d, 1, NULL, first + at, B, e)) != MN_OK) {
            g->training = was;
            return rc;
        }
        nn_graph_forward(g, B, 1);
        accumulate(g, kind, B, a, s, y, at);
    }
    g->training = was;
    return MN_OK;
}

/* ---- fit ---- */

static double *add_series(nn_History *h, const char *name) {
    int k = h->nseries;
    if (k >= NN_MAXSERIES)
        return NULL;
    snprintf(h->names[k], sizeof h->names[k], "%s", name);
    h->series[k] = mn_calloc((size_t)(h->cap ? h->cap : 1), sizeof(double));
    if (h->series[k] == NULL)
        return NULL;
    h->nseries++;
    return h->series[k];
}

static int series_index(const nn_History *h, const char *name) {
    for (int i = 0; i < h->nseries; i++)
        if (strcmp(h->names[i], name) == 0)
            return i;
    return -1;
}

static void put(nn_History *h, const char *name, int64_t epoch, double v) {
    int k = series_index(h, name);
    if (k >= 0)
        h->series[k][epoch] = v;
}

/* ---- fit: the state of one call ---- */

/* Everything one nn_fit call owns or tracks, so that each step below is a plain function of
** it. Set up by fit_setup, freed by fit_teardown. */
typedef struct Fit {
    nn_Graph          *g;
    const nn_Data     *train, *vd;        /* vd: the validation rows' data (NULL: none) */
    nn_Optim          *opt;
    const nn_FitOpts  *o;
    mn_Hook           *hook;
    nn_History        *h;
    mn_Err            *e;
    int64_t            ntr, nval, vfirst; /* training rows; validation rows at vd[vfirst...] */
    int64_t            nb;                /* batches per epoch (the last may be partial) */
    int                kind;              /* MK_* */
    int                mon, maximize;     /* the monitored series and its direction */
    int64_t           *idx;               /* the epoch's row order */
    float             *best, *vs, *vy;    /* best params+state; validation scores, labels */
    int                has_best;
    int64_t            bad;               /* epochs without improvement */
    double             best_v, lr, t0;
    nn_Sched           sched;             /* plateau state is this fit's, not the caller's */
    mn_Rng             rng;
    mn_Progress        p;                 /* the record every emit fills */
    int64_t            epoch;             /* 0-based epoch running */
    Acc                acc;               /* this epoch's training batches */
    nn_Stop            stop;
} Fit;

/* Where the loop was when it stopped, for the reason's wording. */
enum { AT_START, AT_BATCH, AT_EPOCH_END };

/* Record why the loop stops: the one place that decides h->reason, stopped_early and
** interrupted. 'b' is the 0-based batch for AT_BATCH. */
static void set_stop(Fit *f, nn_Stop why, int where, int64_t b, double loss) {
    nn_History *h = f->h;
    char at[96];
    f->stop = why;
    h->stop = why;
    h->stopped_early = why != NN_STOP_DONE;
    h->interrupted = why == NN_STOP_INTERRUPT;
    if (where == AT_START)
        snprintf(at, sizeof at, "before the first batch");
    else if (where == AT_BATCH)
        snprintf(at, sizeof at, "at epoch %lld, batch %lld of %lld", (long long)f->epoch + 1,
                 (long long)b + 1, (long long)f->nb);
    else
        snprintf(at, sizeof at, "after epoch %lld", (long long)f->epoch + 1);
    switch (why) {
    case NN_STOP_DONE:
        snprintf(h->reason, sizeof h->reason, "completed");
        break;
    case NN_STOP_EARLY:
        snprintf(h->reason, sizeof h->reason, "early stopping: %s did not improve for %lld "
                 "epochs (best %.6g at epoch %lld)", h->names[f->mon], (long long)f->bad,
                 f->best_v, (long long)h->best_epoch);
        break;
    case NN_STOP_INTERRUPT:
        snprintf(h->reason, sizeof h->reason, "interrupted %s", at);
        break;
    case NN_STOP_LISTENER:
        snprintf(h->reason, sizeof h->reason, "stopped by the progress listener %s", at);
        break;
    case NN_STOP_NAN:
        snprintf(h->reason, sizeof h->reason, "loss is %s %s (try a lower learning rate, "
                 "gradient clipping, or check the data for extreme values)",
                 isnan(loss) ? "NaN" : "Inf", at);
        break;
    default:
        break;
    }
}

/* A listener's MN_PROG_STOP: Ctrl-C when the interrupt flag is set (the monitor stops on
** Ctrl-C; the caller then clears the interrupt it has handled), else the listener's own. */
static nn_Stop listener_stop(int flags) {
    if (!(flags & MN_PROG_STOP))
        return NN_STOP_NONE;
    return mn_interrupted() ? NN_STOP_INTERRUPT : NN_STOP_LISTENER;
}

static mn_EventKind stop_kind(nn_Stop s) {
    return s == NN_STOP_DONE ? MN_EV_GOOD : s == NN_STOP_NAN ? MN_EV_BAD : MN_EV_WARN;
}

/* ---- fit: setup and teardown ---- */

/* The history's series for this loss kind: loss, val_loss, lr, then the kind's metrics. */
static int add_all_series(Fit *f) {
    nn_History *h = f->h;
    int nval = f->nval > 0;
    if (add_series(h, "loss") == NULL || (nval && add_series(h, "val_loss") == NULL) ||
        add_series(h, "lr") == NULL)
        return 0;
    if (f->kind == MK_BIN || f->kind == MK_MULTI)
        return add_series(h, "accuracy") != NULL &&
               (!nval || add_series(h, "val_accuracy") != NULL) &&
               (!nval || f->kind != MK_BIN ||
                f->g->nodes[f->g->nodes[f->g->loss].in[0]].size != 1 ||
                add_series(h, "val_auc") != NULL);
    if (f->kind == MK_REG)
        return add_series(h, "mse") != NULL && add_series(h, "mae") != NULL &&
               (!nval || (add_series(h, "val_mse") != NULL && add_series(h, "val_mae") != NULL));
    return 1;
}

/* Check the options and data, compile the graph for the batch, split off validation rows,
** make the history's series, pick the monitored one, allocate the loop's buffers, seed. */
static int fit_setup(Fit *f) {
    const nn_FitOpts *o = f->o;
    nn_Graph *g = f->g;
    mn_Err *e = f->e;
    const char *m;
    int64_t N;
    int rc;

    if (g->loss < 0)
        return mn_fail(e, MN_EARG, "fit: the model has no loss");
    if (o->epochs < 1 || o->batch < 1)
        return mn_fail(e, MN_EARG, "fit: epochs and batch must be >= 1 (got %lld, %lld)",
                       (long long)o->epochs, (long long)o->batch);
    if (!(o->val_frac >= 0 && o->val_frac < 1))
        return mn_fail(e, MN_EARG, "fit: validation fraction must be in [0, 1), got %g",
                       o->val_frac);
    if ((rc = nn_graph_compile(g, o->batch, o->seed, e)) != MN_OK)
        return rc;
    if ((rc = check_data(g, f->train, 1, &N, e)) != MN_OK)
        return rc;
    f->ntr = N;
    if (f->vd != NULL) {                            /* validation data of its own */
        if ((rc = check_data(g, f->vd, 1, &f->nval, e)) != MN_OK)
            return mn_prefix(e, "validation");
    } else if (o->val_frac > 0) {                   /* the last rows, before shuffling */
        f->nval = (int64_t)floor((double)N * o->val_frac);
        if (f->nval < 1)
            f->nval = 1;
        f->ntr = N - f->nval;
        f->vfirst = f->ntr;
        f->vd = f->train;
    }
    if (f->ntr < 1)
        return mn_fail(e, MN_EARG, "fit: no training rows left (%lld rows, %lld for validation)",
                       (long long)N, (long long)f->nval);
    f->kind = metric_kind(g);

    f->h->cap = o->epochs;
    if (!add_all_series(f))
        return mn_fail(e, MN_ENOMEM, "fit: out of memory");
    m = o->monitor[0] ? o->monitor : (f->nval ? "val_loss" : "loss");
    f->mon = series_index(f->h, m);
    if (f->mon < 0 || strcmp(m, "lr") == 0)
        return mn_fail(e, MN_EARG, "fit: early_stop: cannot monitor '%s'%s", m,
                       f->nval ? "" : " (no validation data: use validation=0.1 or "
                       "monitor=\"loss\")");
    f->maximize = strstr(m, "acc") != NULL || strstr(m, "auc") != NULL;
    f->best_v = f->maximize ? -INFINITY : INFINITY;

    f->idx = mn_malloc((size_t)f->ntr * sizeof *f->idx);
    f->best = mn_malloc((size_t)(g->nparams + g->nstate + 1) * sizeof *f->best);
    if (f->nval && f->kind == MK_BIN) {
        f->vs = mn_malloc((size_t)f->nval * sizeof *f->vs);
        f->vy = mn_malloc((size_t)f->nval * sizeof *f->vy);
    }
    if (f->idx == NULL || f->best == NULL ||
        (f->nval && f->kind == MK_BIN && (f->vs == NULL || f->vy == NULL)))
        return mn_fail(e, MN_ENOMEM, "fit: out of memory");
    for (int64_t i = 0; i < f->ntr; i++)
        f->idx[i] = i;
    mn_rng_seed(&f->rng, o->seed);
    nn_graph_set_seed(g, o->seed + 0x5851f42d4c957f2dULL);
    f->nb = (f->ntr + o->batch - 1) / o->batch;
    f->lr = f->opt->lr;
    f->sched = o->sched;
    mn_progress_init(&f->p, "fit");
    f->p.epochs = o->epochs;
    f->p.total = f->nb;
    f->p.lr = f->lr;
    return MN_OK;
}

static void fit_teardown(Fit *f, int rc) {
    mn_free(f->idx);
    mn_free(f->best);
    mn_free(f->vs);
    mn_free(f->vy);
    if (rc != MN_OK)
        nn_history_free(f->h);
}

/* ---- fit: checkpoints ---- */

/* Write the model file the options name for checkpoints to 'path'. */
static int write_checkpoint(const Fit *f, const char *path) {
    const nn_FitOpts *o = f->o;
    return nn_model_write(path, f->g, o->arch, o->prep, o->prep_len, f->e);
}

/* A checkpoint a listener asked for (the dashboard's 's' key): written at once, mid-epoch if
** need be, and announced as an "event" record so that the log pane and plain printer say so.
** A failure is told the same way; training goes on. */
static void checkpoint_now(Fit *f) {
    const char *path = f->o->checkpoint != NULL ? f->o->checkpoint : f->o->checkpoint_now;
    char msg[320];
    mn_Progress ev = f->p;
    if (path == NULL) {
        snprintf(msg, sizeof msg, "no checkpoint path: pass checkpoint = 'file.mdl' to fit");
        ev.kind = MN_EV_WARN;
    } else if (write_checkpoint(f, path) != MN_OK) {
        snprintf(msg, sizeof msg, "checkpoint failed: %s", f->e->msg);
        f->e->code = MN_OK;
        f->e->msg[0] = '\0';
        ev.kind = MN_EV_BAD;
    } else {
        snprintf(msg, sizeof msg, "checkpoint written to %s (epoch %lld, batch %lld)", path,
                 (long long)f->p.epoch, (long long)f->p.step);
        ev.kind = MN_EV_GOOD;
    }
    ev.phase = "event";
    ev.event = msg;
    mn_progress_emit(f->hook, &ev);
}

/* ---- fit: one epoch ---- */

/* The "batch" record after batch b (0-based): the running training loss. */
static int emit_batch(Fit *f, int64_t b) {
    mn_Progress *p = &f->p;
    if (f->hook == NULL || f->hook->fn == NULL)
        return MN_PROG_GO;
    p->phase = "batch";
    p->epoch = f->epoch + 1;
    p->step = b + 1;
    p->total = f->nb;
    p->lr = f->lr;
    p->elapsed = mn_now() - f->t0;
    p->nmetrics = 0;
    mn_progress_metric(p, "loss", f->acc.loss / f->acc.rows);
    return mn_progress_emit(f->hook, p);
}

/* One training step on rows idx[first, first+B): forward, backward, clip, update, mask.
** Returns MN_OK with *loss non-finite (and no update) when the loss is NaN or Inf. */
static int train_batch(Fit *f, int64_t first, int64_t B, double *loss) {
    nn_Graph *g = f->g;
    int rc;
    if ((rc = feed(g, f->train, 1, f->idx + first, 0, B, f->e)) != MN_OK)
        return rc;
    nn_graph_forward(g, B, 1);
    *loss = nn_graph_loss(g);
    if (!isfinite(*loss))
        return MN_OK;
    accumulate(g, f->kind, B, &f->acc, NULL, NULL, 0);
    nn_graph_backward(g, B);
    if (f->o->clip_norm > 0)
        f->p.grad_norm = nn_clip_grad_norm(g->pgrad, g->nparams, f->o->clip_norm);
    if ((rc = nn_optim_step(f->opt, g->params, g->pgrad, g->nparams, f->lr, f->e)) != MN_OK)
        return rc;
    nn_graph_apply_mask(g);
    return MN_OK;
}

/* The epoch's learning rate and row order, then its batches (the last one partial). Stops
** mid-epoch on a NaN loss (before that batch's update), Ctrl-C or a listener's stop, each
** after the batch in hand. */
static int run_epoch(Fit *f) {
    const nn_FitOpts *o = f->o;
    int64_t b, trained = 0;
    int rc = MN_OK;
    memset(&f->acc, 0, sizeof f->acc);
    if (f->sched.kind != NN_SCHED_NONE)
        f->lr = nn_sched_lr(&f->sched, f->opt->lr, f->epoch, o->epochs);
    if (o->shuffle)
        mn_rng_shuffle(&f->rng, f->idx, f->ntr);
    f->g->training = 1;
    for (b = 0; b < f->nb && f->stop == NN_STOP_NONE; b++) {
        int64_t first = b * o->batch, B = f->ntr - first < o->batch ? f->ntr - first : o->batch;
        double loss;
        nn_Stop stop;
        int flags;
        if ((rc = train_batch(f, first, B, &loss)) != MN_OK)
            break;
        if (!isfinite(loss)) {
            set_stop(f, NN_STOP_NAN, AT_BATCH, b, loss);
            break;
        }
        trained = first + B;
        if (mn_interrupted()) {
            set_stop(f, NN_STOP_INTERRUPT, AT_BATCH, b, 0);
            break;
        }
        flags = emit_batch(f, b);
        if (flags & MN_PROG_CHECKPOINT)
            checkpoint_now(f);
        if ((stop = listener_stop(flags)) != NN_STOP_NONE)
            set_stop(f, stop, AT_BATCH, b, 0);
    }
    f->g->training = 0;
    f->h->samples += trained;
    return rc;
}

/* ---- fit: end of epoch ---- */

/* The epoch's row in the history: training metrics, then validation (NaN for an epoch cut
** short by a stop). */
static int record_epoch(Fit *f) {
    nn_History *h = f->h;
    int64_t ep = f->epoch;
    const Acc *a = &f->acc;
    Acc va;
    int rc;
    put(h, "loss", ep, a->loss / a->rows);
    put(h, "lr", ep, f->lr);
    if (f->kind == MK_BIN || f->kind == MK_MULTI)
        put(h, "accuracy", ep, a->correct / a->n);
    else if (f->kind == MK_REG) {
        put(h, "mse", ep, a->se / a->ne);
        put(h, "mae", ep, a->ae / a->ne);
    }
    h->nepochs = ep + 1;
    if (!f->nval)
        return MN_OK;
    if (f->stop != NN_STOP_NONE) {                  /* a cut epoch: no validation */
        put(h, "val_loss", ep, NAN);
        put(h, "val_accuracy", ep, NAN);
        put(h, "val_auc", ep, NAN);
        put(h, "val_mse", ep, NAN);
        put(h, "val_mae", ep, NAN);
        return MN_OK;
    }
    if ((rc = eval_rows(f->g, f->vd, f->vfirst, f->nval, f->kind, &va, f->vs, f->vy, f->e)) !=
        MN_OK)
        return rc;
    put(h, "val_loss", ep, va.loss / va.rows);
    if (f->kind == MK_BIN || f->kind == MK_MULTI)
        put(h, "val_accuracy", ep, va.correct / va.n);
    if (series_index(h, "val_auc") >= 0)
        put(h, "val_auc", ep, nn_auc(f->vs, f->vy, f->nval, f->e));
    if (f->kind == MK_REG) {
        put(h, "val_mse", ep, va.se / va.ne);
        put(h, "val_mae", ep, va.ae / va.ne);
    }
    return MN_OK;
}

/* Did the monitored value improve? If so keep these weights as the best. */
static int keep_best(Fit *f) {
    nn_Graph *g = f->g;
    double v = f->h->series[f->mon][f->epoch];
    int better = f->maximize ? v > f->best_v + f->o->min_delta : v < f->best_v - f->o->min_delta;
    if (!better) {                                  /* also when v is NaN */
        f->bad++;
        return 0;
    }
    f->best_v = v;
    f->h->best_epoch = f->epoch + 1;
    f->h->best_value = v;
    memcpy(f->best, g->params, (size_t)g->nparams * sizeof *f->best);
    memcpy(f->best + g->nparams, g->state, (size_t)g->nstate * sizeof *f->best);
    f->has_best = 1;
    f->bad = 0;
    return 1;
}

/* The "epoch" record: every series but lr, and the epoch whose weights the loop keeps. */
static int emit_epoch(Fit *f) {
    nn_History *h = f->h;
    mn_Progress *p = &f->p;
    p->phase = "epoch";
    p->epoch = f->epoch + 1;
    p->best_epoch = h->best_epoch;
    p->best_metric = h->names[f->mon];
    p->step = f->nb;
    p->lr = f->lr;
    p->elapsed = mn_now() - f->t0;
    p->nmetrics = 0;
    for (int k = 0; k < h->nseries; k++)
        if (strcmp(h->names[k], "lr") != 0)
            mn_progress_metric(p, h->names[k], h->series[k][f->epoch]);
    return mn_progress_emit(f->hook, p);
}

/* After a whole epoch: best weights, plateau schedule, the epoch record, checkpoints, then
** the listener's stop or early stopping. */
static int end_epoch(Fit *f) {
    int better = keep_best(f), flags;
    nn_Stop stop;
    if (f->sched.kind == NN_SCHED_PLATEAU)
        f->lr = nn_sched_plateau(&f->sched, f->lr, f->h->series[f->mon][f->epoch]);
    flags = emit_epoch(f);
    if (better && f->o->checkpoint != NULL && write_checkpoint(f, f->o->checkpoint) != MN_OK)
        return f->e->code;
    if (flags & MN_PROG_CHECKPOINT)
        checkpoint_now(f);
    if ((stop = listener_stop(flags)) != NN_STOP_NONE)
        set_stop(f, stop, AT_EPOCH_END, 0, 0);
    else if (f->o->early_stop && f->bad >= f->o->patience)
        set_stop(f, NN_STOP_EARLY, AT_EPOCH_END, 0, 0);
    return MN_OK;
}

/* End with the best weights when early stopping is on, or a Ctrl-C / listener cut the run,
** unless the last epoch was the best. */
static void restore_best(Fit *f) {
    nn_Graph *g = f->g;
    int cut = f->stop == NN_STOP_INTERRUPT || f->stop == NN_STOP_LISTENER;
    if (!f->has_best || !f->o->restore_best || !(f->o->early_stop || cut) ||
        f->h->best_epoch == f->h->nepochs)
        return;
    memcpy(g->params, f->best, (size_t)g->nparams * sizeof *f->best);
    memcpy(g->state, f->best + g->nparams, (size_t)g->nstate * sizeof *f->best);
}

/* After the last epoch, whatever stopped it: the reason, the time, the best weights back,
** and the "end" record that says why. */
static void fit_finish(Fit *f) {
    if (f->stop == NN_STOP_NONE)
        set_stop(f, NN_STOP_DONE, AT_EPOCH_END, 0, 0);
    f->h->seconds = mn_now() - f->t0;
    restore_best(f);
    f->p.phase = "end";
    f->p.event = f->h->reason;
    f->p.kind = stop_kind(f->stop);
    mn_progress_emit(f->hook, &f->p);
}

/* ---- fit: the loop ---- */

static int fit_(Fit *f) {
    nn_Stop stop;
    int rc;
    if ((rc = fit_setup(f)) != MN_OK)
        goto done;
    if ((stop = listener_stop(mn_progress_emit(f->hook, &f->p))) != NN_STOP_NONE) { /* begin */
        set_stop(f, stop, AT_START, 0, 0);           /* no epoch ran: no "end" record */
        goto done;
    }
    f->t0 = mn_now();
    for (f->epoch = 0; f->epoch < f->o->epochs && f->stop == NN_STOP_NONE; f->epoch++) {
        if ((rc = run_epoch(f)) != MN_OK)
            goto done;
        if (f->acc.rows == 0)
            break;                                  /* NaN on the epoch's first batch */
        if ((rc = record_epoch(f)) != MN_OK)
            goto done;
        if (f->stop == NN_STOP_NONE && (rc = end_epoch(f)) != MN_OK)
            goto done;
    }
    fit_finish(f);
done:
    fit_teardown(f, rc);
    return rc;
}

int nn_fit(nn_Graph *g, const nn_Data *train, const nn_Data *val, nn_Optim *opt,
           const nn_FitOpts *o, mn_Hook *hook, nn_History *h, mn_Err *e) {
    Fit f;
    int rc, pool;
    FTZ_ON();
    memset(h, 0, sizeof *h);
    memset(&f, 0, sizeof f);
    f.g = g, f.train = train, f.vd = val, f.opt = opt, f.o = o, f.hook = hook, f.h = h, f.e = e;
    pool = nn__pool_start(g, mn_blas_threads());
    rc = fit_(&f);
    if (pool)
        nn__pool_stop(g);
    FTZ_OFF();
    return rc;
}

/* ---- predict and evaluate ---- */

int nn_predict(nn_Graph *g, const nn_Data *x, int k, int post, tn_Tensor **out, mn_Err *e) {
    int64_t N, shape[TN_MAXDIM], size;
    const nn__Node *o;
    tn_Tensor *t = NULL;
    int rc, ndim, was = g->training;
    if (!g->compiled && (rc = nn_graph_compile(g, NN_PREDICT_BATCH, 0, e)) != MN_OK)
        return rc;
    if (k < 0 || k >= g->noutputs)
        return mn_fail(e, MN_EARG, "predict: the model has %d output%s", g->noutputs,
                       g->noutputs == 1 ? "" : "s");
    if ((rc = check_data(g, x, 0, &N, e)) != MN_OK)
        return rc;
    o = &g->nodes[g->outputs[k]];
    if (o->scalar)
        return mn_fail(e, MN_EARG, "predict: output %d is a scalar", k + 1);
    size = o->size;
    shape[0] = N;
    ndim = 1 + o->ndim;
    memcpy(shape + 1, o->shape, (size_t)o->ndim * sizeof *shape);
    if (post == NN_POST_LABEL01 || post == NN_POST_ARGMAX) {
        ndim = 2;
        shape[1] = post == NN_POST_ARGMAX ? size / nn__last(o) : size;
    }
    if ((rc = tn_zeros(shape, ndim, &t, e)) != MN_OK)
        return rc;
    g->training = 0;
    for (int64_t at = 0; at < N; at += g->max_batch) {
        int64_t B = N - at < g->max_batch ? N - at : g->max_batch;
        float *dst = tn_data(t);
        if ((rc = feed(g, x, 0, NULL, at, B, e)) != MN_OK)
            break;
        nn_graph_forward(g, B, 0);
        switch (post) {
        case NN_POST_SIGMOID:
            for (int64_t i = 0; i < B * size; i++)
                dst[at * size + i] = nn__sigmoid(o->out[i]);
            break;
        case NN_POST_LABEL01:
            for (int64_t i = 0; i < B * size; i++)
                dst[at * size + i] = o->out[i] > 0 ? 1.0f : 0.0f;
            break;
        case NN_POST_SOFTMAX:                       /* (B, ..., C) rows */
            nn__softmax_rows(o->out, dst + at * size, B * size / nn__last(o), nn__last(o));
            break;
        case NN_POST_ARGMAX: {                      /* (B, ..., C) -> (B, ...) */
            int64_t C = nn__last(o), rows = B * size / C;
            for (int64_t r = 0; r < rows; r++)
                dst[at * size / C + r] = (float)nn__argmax(o->out + r * C, C);
            break;
        }
        default:
            memcpy(dst + at * size, o->out, (size_t)(B * size) * sizeof(float));
        }
    }
    g->training = was;
    if (rc != MN_OK) {
        tn_free(t);
        return rc;
    }
    *out = t;
    return MN_OK;
}

int nn_evaluate(nn_Graph *g, const nn_Data *d, const char **names, double *values, int *n,
                mn_Err *e) {
    int64_t N;
    int rc, kind, k = 0;
    float *s = NULL, *y = NULL;
    Acc a;
    if (g->loss < 0)
        return mn_fail(e, MN_EARG, "evaluate: the model has no loss (fit it first, or give "
                       "loss=)");
    if (!g->compiled && (rc = nn_graph_compile(g, NN_PREDICT_BATCH, 0, e)) != MN_OK)
        return rc;
    if ((rc = check_data(g, d, 1, &N, e)) != MN_OK)
        return rc;
    kind = metric_kind(g);
    if (kind == MK_BIN) {
        s = mn_malloc((size_t)(N ? N : 1) * sizeof *s);
        y = mn_malloc((size_t)(N ? N : 1) * sizeof *y);
        if (s == NULL || y == NULL) {
            mn_free(s), mn_free(y);
            return mn_fail(e, MN_ENOMEM, "evaluate: out of memory");
        }
    }
    rc = eval_rows(g, d, 0, N, kind, &a, s, y, e);
    if (rc == MN_OK) {
        names[k] = "loss";
        values[k++] = a.loss / a.rows;
        if (kind == MK_BIN || kind == MK_MULTI) {
            names[k] = "accuracy";
            values[k++] = a.correct / a.n;
        }
        if (kind == MK_BIN && g->nodes[g->nodes[g->loss].in[0]].size == 1) {
            names[k] = "auc";
            values[k++] = nn_auc(s, y, N, e);
        }
        if (kind == MK_REG) {
            names[k] = "mse";
            values[k++] = a.se / a.ne;
            names[k] = "mae";
            values[k++] = a.ae / a.ne;
        }
        *n = k;
    }
    mn_free(s);
    mn_free(y);
    return rc;
}
