/* progress.h -- the one progress hook. Long loops (training, fitting, parsing, search) fill
** an mn_Progress and call mn_progress_emit(); the hook's owner (a binding) fans it out to the
** dashboard, the plain printer, the run tracker and live plots. The loop knows none of them. */
#ifndef MN_CORE_PROGRESS_H
#define MN_CORE_PROGRESS_H

#include <stdint.h>

#include "core/clock.h"         /* mn_now, for callers that stamp p->elapsed */

#define MN_PROG_MAXMETRICS 16

/* What an "event" or "end" record's message means, so that faces choose colours without
** reading its words. */
typedef enum mn_EventKind {
    MN_EV_INFO = 0,            /* news (the default) */
    MN_EV_GOOD,                /* completed, checkpoint written */
    MN_EV_WARN,                /* early stopping, interrupted, stopped by a listener, no
                               ** checkpoint path */
    MN_EV_BAD                  /* NaN/Inf loss, a failure */
} mn_EventKind;

typedef struct mn_Progress {
    const char *task;          /* "fit", "read_csv", "grid_search", ... */
    const char *phase;         /* "begin", "batch", "epoch", "end", "event" */
    int64_t     epoch, epochs; /* 1-based epoch of 'epochs'; 0 when not epoch-based */
    int64_t     step, total;   /* unit within the phase (batch, row, fold); total 0 = unknown */
    double      elapsed;       /* seconds since the task began */
    double      lr, grad_norm; /* NaN when not applicable */
    int         nmetrics;
    const char *names[MN_PROG_MAXMETRICS];
    double      values[MN_PROG_MAXMETRICS];
    const char *event;         /* a one-line message for phase "event" (NaN, early stop, ...) */
    mn_EventKind kind;         /* what 'event' means (MN_EV_INFO when there is none) */
    int64_t     best_epoch;    /* the epoch whose weights the loop keeps (1-based), 0: none */
    const char *best_metric;   /* the metric that judged it ("val_loss", "val_auc", ...) */
} mn_Progress;

/* What the hook asks of the loop (bit flags). */
enum { MN_PROG_GO = 0, MN_PROG_STOP = 1, MN_PROG_CHECKPOINT = 2 };

typedef int (*mn_ProgressFn)(void *ud, const mn_Progress *p);

typedef struct mn_Hook {
    mn_ProgressFn fn;          /* NULL: no one listens */
    void         *ud;
    double        interval;    /* minimum seconds between "batch" calls (0.1 by default) */
    double        last;        /* internal: time of the last call */
} mn_Hook;

/* Reset a progress record: counters 0, lr and grad_norm NaN, no metrics. */
void   mn_progress_init(mn_Progress *p, const char *task);
/* Add a metric (ignored beyond MN_PROG_MAXMETRICS); 'name' must outlive the call. */
void   mn_progress_metric(mn_Progress *p, const char *name, double value);
/* Call the hook. Phase "batch" calls are time-throttled to 'interval'; others always go.
** Returns the hook's MN_PROG_* flags (MN_PROG_GO when there is no hook). */
int    mn_progress_emit(mn_Hook *h, mn_Progress *p);

/* The one order of metric columns (the monitor's table, the plain printer's epoch lines, the
** summary after a fit): by base name ("val_" dropped) with "loss" first, then strcmp order,
** the training value just before its validation one: loss val_loss accuracy val_accuracy auc
** val_auc bce_loss. Returns 1 when 'a' goes before 'b'; a strict weak order (0 for a == b). */
int    mn_metric_before(const char *a, const char *b);
/* "info", "good", "warn", "bad" (Lua's name for an event kind); NULL for an unknown kind. */
const char *mn_event_kind_name(int kind);
/* The kind named 'name' (as above), MN_EV_INFO for NULL or an unknown name. */
mn_EventKind mn_event_kind_of(const char *name);

#endif
