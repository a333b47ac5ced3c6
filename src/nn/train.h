/* train.h -- the whole training loop in C: per-epoch shuffle, mini-batches gathered by index
** into the planned buffers (last partial batch included), validation, metrics, early
** stopping with best-weight restore, checkpoints, schedules, clipping, Ctrl-C and NaN stops;
** plus predict and evaluate. Progress goes through the one mn_Hook. */
#ifndef MN_NN_TRAIN_H
#define MN_NN_TRAIN_H

#include <stddef.h>

#include "core/progress.h"
#include "nn/graph.h"
#include "nn/optim.h"

#define NN_MAXIO 8
#define NN_MAXSERIES 12
#define NN_PREDICT_BATCH 256     /* predict/evaluate compile an uncompiled graph for this */

/* Data for a graph: x[k] feeds input k, y[k] target k; all have the same number of rows. */
typedef struct nn_Data {
    int              nx, ny;
    const tn_Tensor *x[NN_MAXIO];
    const tn_Tensor *y[NN_MAXIO];
} nn_Data;

/* fit's options; nn_fit_opts_init's values are the one place their defaults live. */
typedef struct nn_FitOpts {
    int64_t     epochs, batch;           /* 10, 32 */
    uint64_t    seed;                    /* shuffles and dropout */
    int         shuffle;                 /* 1 */
    double      val_frac;                /* without 'val': this fraction of the rows, taken
                                         ** from the end before shuffling (0 = none) */
    int         early_stop;              /* 1 = on */
    char        monitor[24];             /* "val_loss" (default with validation), "loss",
                                         ** "val_auc", "val_accuracy", ... */
    int64_t     patience;                /* epochs without improvement (5) */
    double      min_delta;               /* improvement smaller than this does not count */
    int         restore_best;            /* 1: end with the best weights (early stop, Ctrl-C) */
    double      clip_norm;               /* global gradient norm limit, 0 = off */
    nn_Sched    sched;
    const char *checkpoint;              /* write a model file here on each improvement */
    const char *checkpoint_now;          /* where a listener's MN_PROG_CHECKPOINT request
                                         ** writes when 'checkpoint' is NULL
                                         ** ("moneta-checkpoint.mdl" in the working
                                         ** directory; NULL: the request is refused) */
    const char *arch;                    /* architecture text for checkpoints */
    const char *prep;                    /* opaque blob for checkpoints (may be NULL) */
    size_t      prep_len;
} nn_FitOpts;

/* The defaults: epochs 10, batch 32, seed 0, shuffle on, no validation, early stopping
** off (when on: monitor val_loss with validation else loss, patience 5, min_delta 0,
** restore_best on), no clipping, no schedule, no checkpoint file. */
void nn_fit_opts_init(nn_FitOpts *o);

/* Why the training loop stopped. */
typedef enum nn_Stop {
    NN_STOP_NONE = 0,          /* still running (or never started: an error) */
    NN_STOP_DONE,              /* every epoch ran */
    NN_STOP_EARLY,             /* early stopping: the monitored value did not improve */
    NN_STOP_INTERRUPT,         /* Ctrl-C (also a listener's stop while it was pending) */
    NN_STOP_LISTENER,          /* a progress listener returned MN_PROG_STOP */
    NN_STOP_NAN                /* the loss was NaN or Inf (that batch was not applied) */
} nn_Stop;

/* Per-epoch series by name: "loss", "val_loss", "lr", "accuracy", "val_auc", ... */
typedef struct nn_History {
    int64_t nepochs, cap;
    int     nseries;
    char    names[NN_MAXSERIES][24];
    double *series[NN_MAXSERIES];
    int64_t best_epoch;                  /* 1-based; 0 = none */
    double  best_value;
    nn_Stop stop;                        /* why the loop ended */
    int     stopped_early;               /* stop != NN_STOP_DONE */
    int     interrupted;                 /* 1: stopped on Ctrl-C (mn_interrupted(), also when a
                                         ** listener stopped the loop while it was set); the
                                         ** caller owns clearing the flag */
    char    reason[200];                 /* "completed", "early stopping: ...", "interrupted
                                         ** at epoch 2, batch 17", "loss is nan at ..." */
    double  seconds;                     /* training loop time */
    int64_t samples;                     /* rows trained on (for samples/s) */
} nn_History;

void nn_history_free(nn_History *h);     /* frees the series; h itself is the caller's */

/* Train graph 'g' (compiled for opts->batch rows by this call, with a loss node) on 'train',
** validating on 'val' (may be NULL). '*h' is filled (caller frees with nn_history_free),
** also when the loop stops early. Errors: shapes (naming the layer), MN_ENOMEM, MN_EARG;
** a NaN loss, Ctrl-C or a hook's stop end the loop with MN_OK and h->reason set. */
int nn_fit(nn_Graph *g, const nn_Data *train, const nn_Data *val, nn_Optim *opt,
           const nn_FitOpts *opts, mn_Hook *hook, nn_History *h, mn_Err *e);

enum { NN_POST_NONE = 0, NN_POST_SIGMOID, NN_POST_SOFTMAX, NN_POST_LABEL01, NN_POST_ARGMAX };

/* Output 'k' over all rows of 'x' (forward in evaluation mode, chunks of the planned batch),
** optionally post-processed: sigmoid, softmax over the last dim, 0/1 labels from logits
** (x > 0), argmax class index. '*out' is (N, out shape) or (N, 1) for labels. */
int nn_predict(nn_Graph *g, const nn_Data *x, int k, int post, tn_Tensor **out, mn_Err *e);

/* Loss and metrics over 'd' (targets required), in evaluation mode. Names are static
** strings ("loss", "accuracy", "auc", "mse", "mae"); returns the count via *n. */
int nn_evaluate(nn_Graph *g, const nn_Data *d, const char **names, double *values, int *n,
                mn_Err *e);

/* ROC AUC of scores s against 0/1 labels y (ties averaged); NaN with one class only. */
double nn_auc(const float *s, const float *y, int64_t n, mn_Err *e);

#endif
