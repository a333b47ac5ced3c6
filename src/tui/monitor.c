/* monitor.c -- the training monitor's state machine: progress records into the history,
** keys (pause, stop, checkpoint, log scale, plot, help), the redraw throttle and the pause
** loop. Drawing is in monitor_draw.c. The caller (a binding) runs the training loop's hook. */
#include "tui/monitor_int.h"

#include <curses.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/interrupt.h"
#include "core/mem.h"

#define REDRAW_EVERY 0.1                /* seconds between redraws: at most ~10 frames/s */
#define PAUSE_WAIT_MS 100

/* ---- SIGINT while the monitor is open ---- */

/* The REPL's handler also arms a Lua hook that raises "interrupted" in the next Lua code,
** which would land inside our progress listener; while the monitor is open, Ctrl-C only sets
** the core's flag and the loop stops cleanly after its batch. */
static void on_sigint(int sig) {
    (void)sig;
    mn_interrupt_set();
}

/* ---- log ---- */

static void logf_(ui_Monitor *m, int role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void logf_(ui_Monitor *m, int role, const char *fmt, ...) {
    mon_Log *l = &m->log_lines[m->nlog % MON_LOGN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
    /* one line: newlines and tabs become spaces */
    for (char *c = l->text; *c; c++)
        if (*c == '\n' || *c == '\t' || *c == '\r')
            *c = ' ';
    l->t = ui_wall();
    l->role = role;
    m->nlog++;
    m->dirty = 1;
}

void ui_monitor_log(ui_Monitor *m, const char *msg) {
    if (m != NULL && msg != NULL)
        logf_(m, UI_C_TEXT, "%s", msg);
}

/* The colour of an event line, from the record's event kind. */
static int event_role(mn_EventKind kind) {
    switch (kind) {
    case MN_EV_BAD:
        return UI_C_BAD;
    case MN_EV_GOOD:
        return UI_C_GOOD;
    case MN_EV_WARN:
        return UI_C_WARN;
    default:
        return UI_C_TEXT;
    }
}

/* ---- history ---- */

/* The history could not grow: say so once; training goes on, ui_monitor_failed tells. */
static void out_of_memory(ui_Monitor *m) {
    if (!m->failed_alloc)
        logf_(m, UI_C_BAD, "out of memory: the monitor's history misses epochs or metrics");
    m->failed_alloc = 1;
}

static int add_col(ui_Monitor *m, const char *name) {
    int k;
    double *v;
    char *nm;
    if (m->ncols >= MON_MAXCOLS)
        return -1;
    v = mn_malloc((size_t)(m->cap > 0 ? m->cap : 1) * sizeof *v);
    nm = mn_strdup(name);
    if (v == NULL || nm == NULL) {
        mn_free(v);
        mn_free(nm);
        out_of_memory(m);
        return -1;
    }
    for (int64_t i = 0; i < m->cap; i++)
        v[i] = NAN;
    /* insert in order */
    k = m->ncols;
    while (k > 0 && mn_metric_before(name, m->names[k - 1])) {    /* core/progress.h */
        m->names[k] = m->names[k - 1];
        m->vals[k] = m->vals[k - 1];
        k--;
    }
    m->names[k] = nm;
    m->vals[k] = v;
    m->ncols++;
    return k;
}

static int grow(ui_Monitor *m) {
    int64_t cap = m->cap < 64 ? 64 : m->cap * 2;
    double *t = mn_realloc(m->times, (size_t)cap * sizeof *t);
    if (t == NULL)
        return 0;
    m->times = t;
    for (int k = 0; k < m->ncols; k++) {
        double *v = mn_realloc(m->vals[k], (size_t)cap * sizeof *v);
        if (v == NULL)
            return 0;                   /* cap unchanged: the columns grown so far are fine */
        m->vals[k] = v;
    }
    for (int k = 0; k < m->ncols; k++)
        for (int64_t i = m->cap; i < cap; i++)
            m->vals[k][i] = NAN;
    m->cap = cap;
    return 1;
}

static void add_epoch(ui_Monitor *m, const mn_Progress *p) {
    int64_t i = m->n;
    if (m->history_full)
        return;
    if (i >= m->cap && !grow(m)) {
        m->history_full = 1;
        out_of_memory(m);
        return;
    }
    for (int j = 0; j < p->nmetrics; j++) {
        int k = mon__find_col(m, p->names[j]);
        if (k < 0)
            k = add_col(m, p->names[j]);
        if (k >= 0)
            m->vals[k][i] = p->values[j];
    }
    m->times[i] = m->elapsed;
    m->n = i + 1;
    /* the best epoch is the loop's (its metric, direction and min_delta), not guessed here */
    if (p->best_epoch > 0 && p->best_epoch <= m->n && p->best_metric != NULL) {
        m->best = p->best_epoch - 1;
        m->best_col = mon__find_col(m, p->best_metric);
    }
    for (int j = 0; j < p->nmetrics; j++)
        if (isnan(p->values[j]) && strncmp(p->names[j], "val_", 4) != 0) {
            logf_(m, UI_C_BAD, "%s is NaN at epoch %lld", p->names[j], (long long)p->epoch);
            break;
        }
}

/* ---- records ---- */

static void sample_rate(ui_Monitor *m) {
    int64_t b = m->done * m->total + (m->epoch > m->done ? m->step : 0);
    double dt = m->elapsed - m->rate_t;
    if (dt >= 0.25 && b > m->rate_b) {
        double r = (double)(b - m->rate_b) / dt;
        m->rate = m->rate > 0 ? 0.7 * m->rate + 0.3 * r : r;
        m->rate_t = m->elapsed;
        m->rate_b = b;
    }
}

/* One batch's running loss into the trace (only before the second epoch ends). */
static void trace_batch(ui_Monitor *m, double loss) {
    double x;
    if (m->n >= 2 || m->total <= 0 || !isfinite(loss))
        return;
    x = (double)(m->epoch - 1) * (double)m->total + (double)m->step;
    if (m->ntrace > 0 && x <= m->trace_x[m->ntrace - 1])
        return;
    if (m->ntrace == MON_TRACE) {                   /* full: keep every other sample */
        for (int i = 0; i < MON_TRACE / 2; i++) {
            m->trace_x[i] = m->trace_x[2 * i];
            m->trace_y[i] = m->trace_y[2 * i];
        }
        m->ntrace = MON_TRACE / 2;
    }
    m->trace_x[m->ntrace] = x;
    m->trace_y[m->ntrace++] = loss;
}

static void apply(ui_Monitor *m, const mn_Progress *p) {
    const char *ph = p->phase ? p->phase : "";
    if (p->epochs > 0)
        m->epochs = p->epochs;
    if (p->total > 0)
        m->total = p->total;
    if (!isnan(p->lr))
        m->lr = p->lr;
    if (!isnan(p->grad_norm))
        m->grad_norm = p->grad_norm;
    m->elapsed = p->elapsed - m->paused_total;
    if (m->elapsed < 0)
        m->elapsed = 0;
    if (strcmp(ph, "begin") == 0) {
        m->begun = 1;
        logf_(m, UI_C_DIM, "training: %lld epochs of %lld batches", (long long)m->epochs,
              (long long)m->total);
        if (m->batch > 0)
            logf_(m, UI_C_DIM, "batch size %lld, %lld rows per epoch", (long long)m->batch,
                  (long long)(m->batch * m->total));
    } else if (strcmp(ph, "batch") == 0) {
        m->epoch = p->epoch;
        m->step = p->step;
        for (int j = 0; j < p->nmetrics; j++)
            if (strcmp(p->names[j], "loss") == 0)
                m->run_loss = p->values[j];
        trace_batch(m, m->run_loss);
        sample_rate(m);
    } else if (strcmp(ph, "epoch") == 0) {
        m->epoch = p->epoch;
        m->done = p->epoch;
        m->step = m->total;
        for (int j = 0; j < p->nmetrics; j++)
            if (strcmp(p->names[j], "loss") == 0)
                m->run_loss = p->values[j];
        add_epoch(m, p);
        sample_rate(m);
    } else if (strcmp(ph, "event") == 0) {
        if (p->event != NULL && p->event[0] != '\0')
            logf_(m, event_role(p->kind), "%s", p->event);
    } else if (strcmp(ph, "end") == 0) {
        m->ended = 1;
        snprintf(m->reason, sizeof m->reason, "%s", p->event ? p->event : "");
        if (m->reason[0] != '\0')
            logf_(m, event_role(p->kind), "%s", m->reason);
    }
    m->dirty = 1;
}

/* ---- keys ---- */

static void set_paused(ui_Monitor *m, int on) {
    if (on == m->paused)
        return;
    m->paused = on;
    if (on) {
        m->pause_since = mn_now();
        logf_(m, UI_C_WARN, "paused: training waits (p resumes, q stops)");
    } else {
        m->paused_total += mn_now() - m->pause_since;
        logf_(m, UI_C_DIM, "resumed");
    }
}

static void request_stop(ui_Monitor *m, const char *why) {
    if (m->stopping)
        return;
    m->stopping = 1;
    m->stopped_by_user = 1;
    set_paused(m, 0);
    logf_(m, UI_C_WARN, "stopping (%s): training ends after this batch, best weights kept", why);
}

static int screen_key(ui_Screen *s, int ch) {
    ui_Monitor *m = s->ud;
    switch (ch) {
    case 'p': case 'P': case ' ':
        if (!m->stopping && !m->ended)
            set_paused(m, !m->paused);
        break;
    case 'q': case 'Q':
        request_stop(m, "q pressed");
        break;
    case 's': case 'S':
        if (!m->ended) {
            m->want_ckpt = 1;
            logf_(m, UI_C_TEXT, "checkpoint requested");
        }
        break;
    case 'l': case 'L':
        m->logy = !m->logy;
        break;
    /* the metrics table: back to earlier epochs and forward; End follows the newest again
    ** (the table clamps how far back it can go) */
    case KEY_UP: case 'k':
        m->table_back++;
        break;
    case KEY_DOWN: case 'j':
        m->table_back = m->table_back > 0 ? m->table_back - 1 : 0;
        break;
    case KEY_PPAGE:
        m->table_back += 10;
        break;
    case KEY_NPAGE:
        m->table_back = m->table_back > 10 ? m->table_back - 10 : 0;
        break;
    case KEY_HOME:
        m->table_back = INT64_MAX / 2;
        break;
    case KEY_END:
        m->table_back = 0;
        break;
    case 'g': case 'G':
        m->want_plot = 1;
        break;
    case '?': case 'h': case 'H':
        m->show_help = !m->show_help;
        break;
    case 27:
        m->show_help = 0;
        break;
    default:
        return UI_GO;
    }
    return UI_REDRAW;
}

/* ---- open, update, close ---- */

int ui_monitor_open(const ui_MonitorInfo *info, ui_Monitor **out, mn_Err *e) {
    ui_Monitor *m = mn_calloc(1, sizeof *m);
    int rc;
    if (m == NULL)
        return mn_fail(e, MN_ENOMEM, "monitor: out of memory");
    snprintf(m->title, sizeof m->title, "%s", info->title ? info->title : "fit");
    snprintf(m->model, sizeof m->model, "%s", info->model ? info->model : "");
    m->params = info->params;
    m->epochs = info->epochs;
    m->batch = info->batch;
    m->lr = m->grad_norm = m->run_loss = NAN;
    m->best_col = -1;
    m->best = -1;
    m->scr.ud = m;
    m->scr.key = screen_key;
    m->scr.focus = -1;
    mon__setup_screen(m);
    if ((rc = ui_init(e)) != MN_OK) {
        ui_monitor_free(m);
        return rc;
    }
    m->open = 1;
    ui_on_sigint(on_sigint);
    m->last_draw = mn_now();
    if (ui_frames_limit() == 0)         /* with --frames the first frame is the "begin" one */
        ui_frame(&m->scr, 0, NULL);
    *out = m;
    return MN_OK;
}

static void after_keys(ui_Monitor *m, int flags) {
    if (flags & UI_QUIT) {
        if (ui_frames_limit() > 0 && m->scr.frame >= ui_frames_limit())
            m->frames_over = 1;
        request_stop(m, m->frames_over ? "--frames limit" : "q pressed");
    }
    if (flags & UI_REDRAW)
        m->dirty = 1;
}

static void check_interrupt(ui_Monitor *m) {
    if (!m->interrupted && mn_interrupted()) {
        m->interrupted = 1;
        request_stop(m, "Ctrl-C");
    }
}

/* Draw now (unless the --frames limit was reached) and read a key without waiting. */
static int frame(ui_Monitor *m, int wait_ms) {
    int f;
    if (m->frames_over) {
        return UI_GO;
    }
    f = ui_frame(&m->scr, wait_ms, NULL);
    m->draws++;
    m->last_draw = mn_now();
    m->dirty = 0;
    return f;
}

int ui_monitor_update(ui_Monitor *m, const mn_Progress *p, int *action) {
    int flags = MN_PROG_GO, f, draw;
    const char *ph = p && p->phase ? p->phase : "";
    double now, t0 = mn_now(), paused0;
    int was_paused;
    if (action)
        *action = UI_MON_NONE;
    if (m == NULL || !m->open)
        return MN_PROG_GO;
    paused0 = m->paused_total;
    was_paused = m->paused;
    if (p != NULL)
        apply(m, p);
    check_interrupt(m);
    now = mn_now();
    if (ui_frames_limit() > 0)          /* repeatable frames: one per begin and epoch record */
        draw = p != NULL && (strcmp(ph, "begin") == 0 || strcmp(ph, "epoch") == 0);
    else
        draw = m->dirty && (now - m->last_draw >= REDRAW_EVERY || strcmp(ph, "begin") == 0);
    f = draw ? frame(m, 0) : (m->frames_over ? UI_GO : ui_poll(&m->scr, NULL));
    after_keys(m, f);
    /* a key: show its effect at once */
    if ((f & UI_REDRAW) && ui_frames_limit() == 0)
        after_keys(m, frame(m, 0));
    /* paused: training waits here; leave for a stop, a resume, or an action to run */
    while (m->paused && !m->stopping && !m->want_plot && !m->want_ckpt && !m->frames_over) {
        check_interrupt(m);
        if (m->stopping)
            break;
        after_keys(m, frame(m, PAUSE_WAIT_MS));
    }
    check_interrupt(m);
    if (m->stopping)
        flags |= MN_PROG_STOP;
    if (m->want_ckpt && !m->ended) {
        flags |= MN_PROG_CHECKPOINT;
    }
    m->want_ckpt = 0;
    if (m->want_plot) {
        m->want_plot = 0;
        if (action)
            *action = UI_MON_PLOT;
    }
    /* the monitor's own cost: time here, in calls the user did not pause */
    if (!was_paused && !m->paused && m->paused_total == paused0)
        m->busy += mn_now() - t0;
    return flags;
}

void ui_monitor_close(ui_Monitor *m) {
    if (m == NULL || !m->open)
        return;
    if (m->paused)
        set_paused(m, 0);
    ui_done();                          /* puts the caller's SIGINT handler back */
    m->open = 0;
}

void ui_monitor_free(ui_Monitor *m) {
    if (m == NULL)
        return;
    ui_monitor_close(m);
    for (int k = 0; k < m->ncols; k++) {
        mn_free(m->names[k]);
        mn_free(m->vals[k]);
    }
    mn_free(m->times);
    mn_free(m);
}

/* ---- history ---- */

int64_t ui_monitor_nepochs(const ui_Monitor *m) { return m->n; }
int ui_monitor_ncols(const ui_Monitor *m) { return m->ncols; }
const char *ui_monitor_colname(const ui_Monitor *m, int k) {
    return k >= 0 && k < m->ncols ? m->names[k] : NULL;
}
const double *ui_monitor_series(const ui_Monitor *m, const char *name) {
    int k = mon__find_col(m, name);
    return k >= 0 ? m->vals[k] : NULL;
}
const double *ui_monitor_times(const ui_Monitor *m) { return m->times; }
int64_t ui_monitor_epochs_planned(const ui_Monitor *m) { return m->epochs; }
int64_t ui_monitor_best(const ui_Monitor *m, const char **metric) {
    if (metric)
        *metric = m->best_col >= 0 ? m->names[m->best_col] : NULL;
    return m->best >= 0 ? m->best + 1 : 0;
}
const char *ui_monitor_reason(const ui_Monitor *m) { return m->reason; }
int ui_monitor_stopped(const ui_Monitor *m) { return m->stopped_by_user; }
int ui_monitor_failed(const ui_Monitor *m) { return m->failed_alloc; }
double ui_monitor_cost(const ui_Monitor *m, int64_t *frames) {
    if (frames)
        *frames = m->draws;
    return m->busy;
}
