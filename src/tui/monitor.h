/* monitor.h -- the live training monitor: a full-screen dashboard fed with the training
** loop's progress records (core/progress.h). It shows epoch and batch progress with rate and
** ETA, loss curves, a per-epoch metrics table with the best epoch, lr / gradient norm /
** throughput, and a log of events; keys pause, stop, checkpoint, toggle log scale and ask for
** a plot. It calls no Lua: the binding turns records into mn_Progress and acts on what the
** monitor returns. One monitor at a time (it owns the one ncurses screen). */
#ifndef MN_TUI_MONITOR_H
#define MN_TUI_MONITOR_H

#include <stdint.h>

#include "core/err.h"
#include "core/progress.h"

typedef struct ui_Monitor ui_Monitor;

typedef struct ui_MonitorInfo {
    const char *title;          /* shown in the title bar: the model's name or "fit" */
    const char *model;          /* one-line architecture ("dense(64) relu dense(1)"), or NULL */
    int64_t     params;         /* trainable parameters; 0: unknown */
    int64_t     epochs;         /* planned epochs; 0: take them from the records */
    int64_t     batch;          /* rows per batch, for samples/s; 0: show batches/s */
} ui_MonitorInfo;

/* What the user asked for that only the caller can do (ui_monitor_update's '*action'). */
enum { UI_MON_NONE = 0, UI_MON_PLOT = 1 };

/* Take the terminal (ui_init) and draw the empty monitor. Installs a SIGINT handler that only
** sets the core's interrupt flag (Ctrl-C stops the loop after its batch) until close. Fails
** with MN_EIO when stdin/stdout is not a terminal; '*out' is then untouched. */
int  ui_monitor_open(const ui_MonitorInfo *info, ui_Monitor **out, mn_Err *e);

/* Feed one record ('p' NULL: no new record, only read keys and keep waiting while paused).
** Reads pending keys with a 0 ms poll and redraws at most about 10 times a second (with
** --frames: once per "begin" and "epoch" record, so frames are repeatable). While paused it
** blocks here, redrawing every 100 ms, until p, q or Ctrl-C, or until the user asks for an
** action (then it returns with '*action' set and blocks again on the next call).
** Returns MN_PROG_* flags for the loop: STOP after q, Ctrl-C or the --frames limit;
** CHECKPOINT once after s. '*action' (may be NULL) gets UI_MON_PLOT once after g. */
int  ui_monitor_update(ui_Monitor *m, const mn_Progress *p, int *action);

/* Add a line to the log pane (e.g. where a plot went). Shown at the next redraw. */
void ui_monitor_log(ui_Monitor *m, const char *msg);

/* ---- the history, readable until ui_monitor_free ---- */

int64_t       ui_monitor_nepochs(const ui_Monitor *m);        /* epochs with a record */
int           ui_monitor_ncols(const ui_Monitor *m);          /* metric columns */
const char   *ui_monitor_colname(const ui_Monitor *m, int k); /* "loss", "val_loss", ... */
/* Column 'name' over the epochs (nepochs values, NaN where missing); NULL when absent. */
const double *ui_monitor_series(const ui_Monitor *m, const char *name);
const double *ui_monitor_times(const ui_Monitor *m);          /* elapsed s at each epoch end */
int64_t       ui_monitor_epochs_planned(const ui_Monitor *m);
/* The best epoch (1-based; 0 none) as the training loop reports it (the weights it keeps);
** its metric's name. */
int64_t       ui_monitor_best(const ui_Monitor *m, const char **metric);
/* Why training ended (the "end" record's event); "" before that. */
const char   *ui_monitor_reason(const ui_Monitor *m);
/* 1 when the user stopped training (q, Ctrl-C, --frames limit). */
int           ui_monitor_stopped(const ui_Monitor *m);
/* 1 when the history ran out of memory: some epochs or metric columns are missing (the log
** says so; the rest is right). */
int           ui_monitor_failed(const ui_Monitor *m);
/* Seconds the monitor itself took inside ui_monitor_update (records, keys, drawing; paused
** time excluded), and the frames drawn ('frames' may be NULL). */
double        ui_monitor_cost(const ui_Monitor *m, int64_t *frames);

/* Give the terminal back (ui_done, SIGINT handler restored); the history stays readable.
** Safe to call twice. */
void ui_monitor_close(ui_Monitor *m);
/* Close if needed and free. NULL is a no-op. */
void ui_monitor_free(ui_Monitor *m);

#endif
