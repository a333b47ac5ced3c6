/* monitor_int.h -- the training monitor's state, shared by monitor.c (records, keys, pause)
** and monitor_draw.c (layout and panels). One way only: monitor.c writes the state and calls
** mon__setup_screen; monitor_draw.c reads the state and calls nothing in monitor.c.
** Not for use outside tui/monitor*.c. */
#ifndef MN_TUI_MONITOR_INT_H
#define MN_TUI_MONITOR_INT_H

#include <string.h>

#include "tui/monitor.h"
#include "tui/ui.h"

#define MON_MAXCOLS MN_PROG_MAXMETRICS
#define MON_LOGN    128                 /* log lines kept */
#define MON_TRACE   1024                /* batch-loss samples kept before the 2nd epoch */

typedef struct mon_Log {
    double t;                           /* wall time (ui_wall) */
    int    role;                        /* UI_C_* */
    char   text[200];
} mon_Log;

struct ui_Monitor {
    ui_Screen scr;
    ui_Panel *header, *chart, *stats, *table, *log, *help;
    int       stats_inline;             /* stats as one line (narrow layouts) */

    char    title[96], model[160];
    int64_t params, epochs, batch;

    /* live values of the epoch in progress */
    int     begun;
    int64_t epoch;                      /* epoch in progress (1-based), 0 before the first */
    int64_t step, total;                /* batches done in it, batches per epoch */
    int64_t done;                       /* completed epochs */
    double  elapsed;                    /* training seconds, paused time excluded */
    double  lr, grad_norm, run_loss;
    double  rate;                       /* batches per second, smoothed */
    double  rate_t;                     /* elapsed at the last rate sample */
    int64_t rate_b;                     /* batches done at the last rate sample */

    /* history: one value per completed epoch and column */
    int     ncols;
    char   *names[MON_MAXCOLS];
    double *vals[MON_MAXCOLS];
    double *times;                      /* elapsed at the end of each epoch */
    int64_t n, cap;
    int     best_col;                   /* the loop's monitored metric's column; -1 none */
    int64_t best;                       /* 0-based index of the loop's best epoch, -1 none */

    /* the running loss per batch until two epochs are done, so that long epochs show a
    ** curve at once; halved (every other sample kept) when full */
    double  trace_x[MON_TRACE];         /* global batch number: (epoch-1)*total + step */
    double  trace_y[MON_TRACE];
    int     ntrace;

    mon_Log log_lines[MON_LOGN];
    int     nlog;                       /* lines ever logged; the ring keeps the last LOGN */

    /* user state */
    int64_t table_back;                 /* table rows scrolled back from the newest (0: follow) */
    int     paused, stopping, stopped_by_user, interrupted, logy, show_help;
    int     want_ckpt, want_plot, ended, frames_over, failed_alloc;
    int     history_full;               /* the history could not grow: no more epochs kept
                                        ** (so row i stays epoch i + 1) */
    double  pause_since, paused_total;
    double  last_draw;
    double  busy;                       /* seconds spent in update, paused time excluded */
    int64_t draws;                      /* frames drawn */
    int     dirty;
    char    reason[256];

    int     open;
};

/* The column of metric 'name', or -1 (a read of the state, for both files). */
static inline int mon__find_col(const ui_Monitor *m, const char *name) {
    for (int k = 0; k < m->ncols; k++)
        if (strcmp(m->names[k], name) == 0)
            return k;
    return -1;
}

/* monitor_draw.c: the layout and the panels of m->scr. They read the records' state and write
** only the view's (panel places, stats_inline, the table's scroll clamp). */
void mon__setup_screen(ui_Monitor *m);

#endif
