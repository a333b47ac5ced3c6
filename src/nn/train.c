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

static int fit_(nn_Graph *g, const nn_Data *train, const nn_Data *val, nn_Optim *opt,
                const nn_FitOpts *o, mn_Hook *hook, nn_History *h, mn_Err *e);


/* A checkpoint a listener asked for (the dashboard's 's' key): written at once, mid-epoch if
** need be, and announced as an "event" record so that the log pane and plain printer say so. */
static int checkpoint_now(nn_Graph *g, const nn_FitOpts *o, mn_Hook *hook, mn_Progress *p,
                          mn_Err *e) {
    const char *path = o->checkpoint_now != NULL ? o->checkpoint_now : o->checkpoint;
    char msg[320];
    int rc;
    mn_Progress ev = *p;
    if (path == NULL) {
        snprintf(msg, sizeof msg, "no checkpoint path: pass checkpoint = 'file.mdl' to fit");
    } else if ((rc = nn_model_write(path, g, o->arch, o->prep, o->prep_len, e)) != MN_OK) {
        snprintf(msg, sizeof msg, "checkpoint failed: %s", e->msg);   /* training goes on */
        e->code = MN_OK;
        e->msg[0] = '\0';
    } else {
        snprintf(msg, sizeof msg, "checkpoint written to %s (epoch %lld, batch %lld)", path,
                 (long long)p->epoch, (long long)p->step);
    }
    ev.phase = "event";
    ev.event = msg;
    mn_progress_emit(hook, &ev);
    return MN_OK;
}

int nn_fit(nn_Graph *g, const nn_Data *train, const nn_Data *val, nn_Optim *opt,
           const nn_FitOpts *o, mn_Hook *hook, nn_History *h, mn_Err *e) {
    int rc;

    int pool;
    FTZ_ON();
    memset(h, 0, sizeof *h);
    pool = nn__pool_start(g, mn_blas_threads());
    rc = fit_(g, train, val, opt, o, hook, h, e);
    if (pool)
        nn__pool_stop(g);
    FTZ_OFF();
    return rc;
}

static int fit_(nn_Graph *g, const nn_Data *train, const nn_Data *val, nn_Optim *opt,
                const nn_FitOpts *o, mn_Hook *hook, nn_History *h, mn_Err *e) {
    int64_t N, ntr, nval = 0, nb, vfirst = 0, epoch, done_epochs = 0, bad = 0;
    const nn_Data *vd = NULL;
    int64_t *idx = NULL;
    float *best = NULL, *vs = NULL, *vy = NULL;
    int rc, kind, maximize = 0, mon, stop = 0, has_best = 0, flags = 0;
    double t0, lr = opt->lr, best_v = INFINITY;
    nn_Sched sched = o->sched;         /* plateau state is this fit's, not the caller's */
    mn_Rng rng;
    mn_Progress p;

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
    if ((rc = check_data(g, train, 1, &N, e)) != MN_OK)
        return rc;
    ntr = N;
    if (val != NULL) {
        if ((rc = check_data(g, val, 1, &nval, e)) != MN_OK)
            return mn_prefix(e, "validation");
        vd = val;
    } else if (o->val_frac > 0) {
        nval = (int64_t)floor((double)N * o->val_frac);
        if (nval < 1)
            nval = 1;
        ntr = N - nval;
        vfirst = ntr;
        vd = train;
    }
    if (ntr < 1)
        return mn_fail(e, MN_EARG, "fit: no training rows left (%lld rows, %lld for validation)",
                       (long long)N, (long long)nval);
    if (vd == NULL)
        nval = 0;
    kind = metric_kind(g);

    h->cap = o->epochs;
    if (add_series(h, "loss") == NULL || (nval && add_series(h, "val_loss") == NULL) ||
        add_series(h, "lr") == NULL)
        goto nomem;
    if (kind == MK_BIN || kind == MK_MULTI) {
        if (add_series(h, "accuracy") == NULL ||
            (nval && add_series(h, "val_accuracy") == NULL) ||
            (nval && kind == MK_BIN && g->nodes[g->nodes[g->loss].in[0]].size == 1 &&
             add_series(h, "val_auc") == NULL))
            goto nomem;
    } else if (kind == MK_REG) {
        if (add_series(h, "mse") == NULL || add_series(h, "mae") == NULL ||
            (nval && (add_series(h, "val_mse") == NULL || add_series(h, "val_mae") == NULL)))
            goto nomem;
    }
    {
        const char *m = o->monitor[0] ? o->monitor : (nval ? "val_loss" : "loss");
        mon = series_index(h, m);
        if (mon < 0 || strcmp(m, "lr") == 0) {
            rc = mn_fail(e, MN_EARG, "fit: early_stop: cannot monitor '%s'%s", m,
                         nval ? "" : " (no validation data: use validation=0.1 or monitor=\"loss\")");
            goto done;
        }
        maximize = strstr(m, "acc") != NULL || strstr(m, "auc") != NULL;
        best_v = maximize ? -INFINITY : INFINITY;
    }
    idx = mn_malloc((size_t)ntr * sizeof *idx);
    best = mn_malloc((size_t)(g->nparams + g->nstate + 1) * sizeof *best);
    if (nval && kind == MK_BIN) {
        vs = mn_malloc((size_t)nval * sizeof *vs);
        vy = mn_malloc((size_t)nval * sizeof *vy);
    }
    if (idx == NULL || best == NULL || (nval && kind == MK_BIN && (vs == NULL || vy == NULL)))
        goto nomem;
    for (int64_t i = 0; i < ntr; i++)
        idx[i] = i;
    mn_rng_seed(&rng, o->seed);
    nn_graph_set_seed(g, o->seed + 0x5851f42d4c957f2dULL);
    nb = (ntr + o->batch - 1) / o->batch;
    snprintf(h->reason, sizeof h->reason, "completed");

    mn_progress_init(&p, "fit");
    p.epochs = o->epochs;
    p.total = nb;
    p.lr = lr;
    if (mn_progress_emit(hook, &p) & MN_PROG_STOP) {
        h->interrupted = mn_interrupted();
        snprintf(h->reason, sizeof h->reason, "%s before the first batch",
                 h->interrupted ? "interrupted" : "stopped by the progress listener");
        h->stopped_early = 1;
        rc = MN_OK;
        goto done;
    }
    t0 = mn_now();
    for (epoch = 0; epoch < o->epochs && !stop; epoch++) {
        Acc a;
        int64_t b;
        memset(&a, 0, sizeof a);
        if (sched.kind != NN_SCHED_NONE)
            lr = nn_sched_lr(&sched, opt->lr, epoch, o->epochs);
        if (o->shuffle)
            mn_rng_shuffle(&rng, idx, ntr);
        g->training = 1;
        for (b = 0; b < nb; b++) {
            int64_t first = b * o->batch, B = ntr - first < o->batch ? ntr - first : o->batch;
            double loss;
            if ((rc = feed(g, train, 1, idx + first, 0, B, e)) != MN_OK)
                goto done;
            nn_graph_forward(g, B, 1);
            loss = nn_graph_loss(g);
            if (!isfinite(loss)) {
                snprintf(h->reason, sizeof h->reason,
                         "loss is %s at epoch %lld, batch %lld of %lld (try a lower learning "
                         "rate, gradient clipping, or check the data for extreme values)",
                         isnan(loss) ? "NaN" : "Inf", (long long)epoch + 1, (long long)b + 1,
                         (long long)nb);
                h->stopped_early = 1;
                stop = 2;
                break;
            }
            accumulate(g, kind, B, &a, NULL, NULL, 0);
            nn_graph_backward(g, B);
            if (o->clip_norm > 0)
                p.grad_norm = nn_clip_grad_norm(g->pgrad, g->nparams, o->clip_norm);
            if ((rc = nn_optim_step(opt, g->params, g->pgrad, g->nparams, lr, e)) != MN_OK)
                goto done;
            nn_graph_apply_mask(g);
            if (mn_interrupted()) {
                snprintf(h->reason, sizeof h->reason, "interrupted at epoch %lld, batch %lld "
                         "of %lld", (long long)epoch + 1, (long long)b + 1, (long long)nb);
                h->interrupted = 1;
                h->stopped_early = 1;
                stop = 1;
                b++;
                break;
            }
            if (hook != NULL && hook->fn != NULL) {
                p.phase = "batch";
                p.epoch = epoch + 1;
                p.step = b + 1;
                p.total = nb;
                p.lr = lr;
                p.elapsed = mn_now() - t0;
                p.nmetrics = 0;
                mn_progress_metric(&p, "loss", a.loss / a.rows);
                flags = mn_progress_emit(hook, &p);
                if (flags & MN_PROG_CHECKPOINT)
                    checkpoint_now(g, o, hook, &p, e);
                if (flags & MN_PROG_STOP) {
                    /* a listener that stops on Ctrl-C (the monitor): say it was Ctrl-C, so
                    ** the caller clears the interrupt it has now handled */
                    h->interrupted = mn_interrupted();
                    snprintf(h->reason, sizeof h->reason, "%s at epoch %lld, batch %lld",
                             h->interrupted ? "interrupted" : "stopped by the progress listener",
                             (long long)epoch + 1, (long long)b + 1);
                    h->stopped_early = 1;
                    stop = 1;
                    b++;
                    break;
                }
            }
        }
        g->training = 0;
        h->samples += stop == 2 ? b * o->batch : (b == nb ? ntr : b * o->batch);
        if (a.rows == 0)
            break;                                  /* nothing trained in this epoch */
        /* the epoch's row in the history */
        put(h, "loss", epoch, a.loss / a.rows);
        put(h, "lr", epoch, lr);
        if (kind == MK_BIN || kind == MK_MULTI)
            put(h, "accuracy", epoch, a.correct / a.n);
        else if (kind == MK_REG) {
            put(h, "mse", epoch, a.se / a.ne);
            put(h, "mae", epoch, a.ae / a.ne);
        }
        if (nval) {
            Acc va;
            if (stop) {                              /* a cut epoch: no validation */
                put(h, "val_loss", epoch, NAN);
                put(h, "val_accuracy", epoch, NAN);
                put(h, "val_auc", epoch, NAN);
                put(h, "val_mse", epoch, NAN);
                put(h, "val_mae", epoch, NAN);
            } else {
                if ((rc = eval_rows(g, vd, vfirst, nval, kind, &va, vs, vy, e)) != MN_OK)
                    goto done;
                put(h, "val_loss", epoch, va.loss / va.rows);
                if (kind == MK_BIN || kind == MK_MULTI)
                    put(h, "val_accuracy", epoch, va.correct / va.n);
                if (series_index(h, "val_auc") >= 0)
                    put(h, "val_auc", epoch, nn_auc(vs, vy, nval, e));
                if (kind == MK_REG) {
                    put(h, "val_mse", epoch, va.se / va.ne);
                    put(h, "val_mae", epoch, va.ae / va.ne);
                }
            }
        }
        done_epochs = epoch + 1;
        h->nepochs = done_epochs;
        if (stop)
            break;
        /* best weights, early stopping, checkpoints, plateau schedule */
        {
            double v = h->series[mon][epoch];
            int better = maximize ? v > best_v + o->min_delta : v < best_v - o->min_delta;
            if (better && !isnan(v)) {
                best_v = v;
                h->best_epoch = epoch + 1;
                h->best_value = v;
                memcpy(best, g->params, (size_t)g->nparams * sizeof *best);
                memcpy(best + g->nparams, g->state, (size_t)g->nstate * sizeof *best);
                has_best = 1;
                bad = 0;
            } else {
                bad++;
            }
            if (sched.kind == NN_SCHED_PLATEAU)
                lr = nn_sched_plateau(&sched, lr, h->series[mon][epoch]);
            p.phase = "epoch";
            p.epoch = epoch + 1;
            p.best_epoch = h->best_epoch;              /* the listeners show what we keep */
            p.best_metric = h->names[mon];
            p.step = nb;
            p.lr = lr;
            p.elapsed = mn_now() - t0;
            p.nmetrics = 0;
            for (int k = 0; k < h->nseries; k++)
                if (strcmp(h->names[k], "lr") != 0)
                    mn_progress_metric(&p, h->names[k], h->series[k][epoch]);
            flags = mn_progress_emit(hook, &p);
            if (o->checkpoint != NULL && better &&
                (rc = nn_model_write(o->checkpoint, g, o->arch, o->prep, o->prep_len, e)) !=
                    MN_OK)
                goto done;
            if (flags & MN_PROG_CHECKPOINT)
                checkpoint_now(g, o, hook, &p, e);
            if (flags & MN_PROG_STOP) {
                h->interrupted = mn_interrupted();
                snprintf(h->reason, sizeof h->reason, "%s after epoch %lld",
                         h->interrupted ? "interrupted" : "stopped by the progress listener",
                         (long long)epoch + 1);
                h->stopped_early = 1;
                stop = 1;                           /* like Ctrl-C: keep the best weights */
                break;
            }
            if (o->early_stop && bad >= o->patience) {
                snprintf(h->reason, sizeof h->reason, "early stopping: %s did not improve "
                         "for %lld epochs (best %.6g at epoch %lld)", h->names[mon],
                         (long long)bad, best_v, (long long)h->best_epoch);
                h->stopped_early = 1;
                break;
            }
        }
    }
    h->seconds = mn_now() - t0;
    if (has_best && o->restore_best && (o->early_stop || stop == 1) &&
        h->best_epoch != done_epochs) {
        memcpy(g->params, best, (size_t)g->nparams * sizeof *best);
        memcpy(g->state, best + g->nparams, (size_t)g->nstate * sizeof *best);
    }
    p.phase = "end";
    p.event = h->reason;
    mn_progress_emit(hook, &p);
    rc = MN_OK;
    goto done;
nomem:
    rc = mn_fail(e, MN_ENOMEM, "fit: out of memory");
done:
    mn_free(idx);
    mn_free(best);
    mn_free(vs);
    mn_free(vy);
    if (rc != MN_OK)
        nn_history_free(h);
    return rc;
}

/* ---- predict and evaluate ---- */

int nn_predict(nn_Graph *g, const nn_Data *x, int k, int post, tn_Tensor **out, mn_Err *e) {
    int64_t N, shape[TN_MAXDIM], size;
    const nn__Node *o;
    tn_Tensor *t = NULL;
    int rc, ndim, was = g->training;
    if (!g->compiled && (rc = nn_graph_compile(g, 256, 0, e)) != MN_OK)
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
    if (!g->compiled && (rc = nn_graph_compile(g, 256, 0, e)) != MN_OK)
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
