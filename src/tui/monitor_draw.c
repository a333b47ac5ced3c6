/* monitor_draw.c -- the training monitor's layout and panels: header (title, epoch and batch
** bars, rate, ETA), loss curves, stats, the per-epoch metrics table, the log, the help
** overlay and the key line. Panels only read the state kept by monitor.c. */
#define NCURSES_WIDECHAR 1
#include "tui/monitor_int.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tui/chart.h"

#define MIN_W 50
#define MIN_H 12
#define COLW 10                         /* a metric column in the table */

/* ---- shared numbers ---- */

/* Elapsed and rate as displayed (frozen with --clock fixed). */
static double shown_elapsed(const ui_Monitor *m) { return ui_clock_fixed() ? 0 : m->elapsed; }

static double shown_rate(const ui_Monitor *m) {
    int64_t b;
    if (ui_clock_fixed())
        return NAN;
    if (m->rate > 0)
        return m->rate;
    b = m->done * m->total + (m->epoch > m->done ? m->step : 0);
    return m->elapsed > 0.2 && b > 0 ? (double)b / m->elapsed : (double)NAN;
}

/* Seconds left: the remaining batches at the average rate so far (paused time excluded). */
static double eta(const ui_Monitor *m) {
    int64_t b = m->done * m->total + (m->epoch > m->done ? m->step : 0);
    int64_t all = m->epochs * m->total;
    if (ui_clock_fixed() || b <= 0 || m->elapsed <= 0 || all <= 0)
        return NAN;
    if (m->ended || m->stopping)
        return 0;
    return (double)(all - b) * m->elapsed / (double)b;
}

/* A metric value in 'w' columns: 4 decimals for the usual ranges, exponent otherwise. */
static char *fmt_val(double v, char *buf, int n) {
    double a = fabs(v);
    if (v != v)
        snprintf(buf, (size_t)n, "-");
    else if (a != 0 && (a >= 1e5 || a < 1e-3))
        snprintf(buf, (size_t)n, "%.3e", v);
    else
        snprintf(buf, (size_t)n, "%.4f", v);
    return buf;
}

/* Durations under a second in ms: epochs of small models take a few ms. */
static char *dur(double secs, char *buf, int n) {
    if (secs >= 0 && secs < 1)
        snprintf(buf, (size_t)n, "%.0fms", secs * 1000);
    else
        ui_dur(secs, buf, n);
    return buf;
}

static const char *state_word(const ui_Monitor *m, int *role) {
    if (m->ended) {
        *role = UI_C_GOOD;
        return "DONE";
    }
    if (m->stopping) {
        *role = UI_C_BAD;
        return "stopping...";
    }
    if (m->paused) {
        *role = UI_C_WARN;
        return "PAUSED";
    }
    *role = UI_C_GOOD;
    return m->begun ? "RUNNING" : "STARTING";
}

static void clock_text(char *buf, int n) {
    time_t t = (time_t)ui_wall();
    struct tm tm;
    if (ui_clock_fixed())
        gmtime_r(&t, &tm);
    else
        localtime_r(&t, &tm);
    strftime(buf, (size_t)n, "%H:%M:%S", &tm);
}

/* ---- header: title bar, epoch bar, batch bar ---- */

static void draw_bar_row(int y, int w, const char *label, const char *count, double frac,
                         const char *right) {
    int x = 0, rw = ui_width(right), bw;
    x += ui_text(y, x, w, ui_attr(UI_C_TITLE), " %s", label);
    x += ui_text(y, x, w - x, ui_attr(UI_C_TEXT), " %s", count);
    bw = w - x - rw - 4;
    if (bw >= 6) {
        ui_text(y, x + 1, 1, ui_attr(UI_C_DIM), "%s", "[");
        ui_bar(y, x + 2, bw, frac, ui_attr(UI_C_BAR));
        ui_text(y, x + 2 + bw, 1, ui_attr(UI_C_DIM), "%s", "]");
        x += bw + 4;
    }
    ui_text(y, x, w - x, ui_attr(UI_C_TEXT), "%s", right);
}

static void draw_header(ui_Panel *p) {
    ui_Monitor *m = p->ud;
    int w = p->w, role, x;
    char clk[16], tmp[64], right[160], count[64], a[32], b[32], c[32], mdl[sizeof m->model];
    const char *st = state_word(m, &role);
    int cnt_w;
    double frac, rate, el = shown_elapsed(m);

    /* title bar: the state and the clock always show; the rest as room allows */
    clock_text(clk, sizeof clk);
    {
        int sw = (int)strlen(st) + 2, cw = (int)strlen(clk) + 2, rw = sw + cw + 1, room;
        ui_blank(p->y, 0, w, ui_attr(UI_C_SEL));
        x = ui_text(p->y, 0, w - rw, ui_attr(UI_C_SEL) | A_BOLD, "%s",
                    w >= 80 ? " moneta \u00b7 training monitor " : " moneta ");
        x += ui_text(p->y, x, w - rw - x, ui_attr(UI_C_SEL), "\u2502 %s ", m->title);
        if (m->params > 0)
            x += ui_text(p->y, x, w - rw - x, ui_attr(UI_C_SEL), "\u2502 %s params ",
                         ui_num((double)m->params, tmp, sizeof tmp));
        room = w - rw - x - 2;
        if (m->model[0] != '\0' && room > 10)
            ui_text(p->y, x, room + 2, ui_attr(UI_C_SEL), "\u2502 %s",
                    ui_clip(m->model, room, mdl, sizeof mdl));
        if (w > rw) {
            ui_text(p->y, w - sw - cw, sw, ui_attr(role) | A_REVERSE | A_BOLD, " %s ", st);
            ui_text(p->y, w - cw, cw, ui_attr(UI_C_SEL), " %s ", clk);
        }
    }

    /* epoch row: the counter is the epoch in progress (or the last one, once done) */
    {
        int64_t cur = m->epoch > m->done ? m->epoch : m->done;
        int digits = snprintf(tmp, sizeof tmp, "%lld", (long long)m->epochs);
        if (cur < 1)
            cur = m->begun ? 1 : 0;
        snprintf(count, sizeof count, "%*lld/%lld", digits, (long long)cur,
                 (long long)m->epochs);
        cnt_w = (int)strlen(count);
        frac = m->epochs > 0 ? ((double)m->done +
                                (m->epoch > m->done && m->total > 0
                                     ? (double)m->step / (double)m->total : 0)) /
                                   (double)m->epochs
                             : 0;
        if (w >= 80)
            snprintf(right, sizeof right, "%5.1f%%  elapsed %-7s ETA %s", 100 * frac,
                     ui_dur(el, a, sizeof a), ui_dur(eta(m), b, sizeof b));
        else
            snprintf(right, sizeof right, "%3.0f%% ETA %s", 100 * frac,
                     ui_dur(eta(m), b, sizeof b));
        draw_bar_row(p->y + 1, w, "epoch", count, frac, right);
    }
    /* batch row: padded to line up with the epoch row */
    {
        int64_t step = m->epoch > m->done ? m->step : (m->done > 0 ? m->total : 0);
        char bc[64];
        snprintf(bc, sizeof bc, "%lld/%lld", (long long)step, (long long)m->total);
        snprintf(count, sizeof count, "%*s", cnt_w, bc);
        frac = m->total > 0 ? (double)step / (double)m->total : 0;
        rate = shown_rate(m);
        if (w >= 80) {
            if (m->batch > 0)
                snprintf(right, sizeof right, "%5.1f%%  %s samples/s  %s batches/s", 100 * frac,
                         ui_num(rate * (double)m->batch, a, sizeof a),
                         ui_num(rate, c, sizeof c));
            else
                snprintf(right, sizeof right, "%5.1f%%  %s batches/s", 100 * frac,
                         ui_num(rate, c, sizeof c));
        } else {
            snprintf(right, sizeof right, "%3.0f%% %s/s", 100 * frac,
                     ui_num(m->batch > 0 ? rate * (double)m->batch : rate, a, sizeof a));
        }
        draw_bar_row(p->y + 2, w, "batch", count, frac, right);
    }
}

/* ---- stats: lr, gradient norm, throughput, epoch time, best ---- */

static void best_text(const ui_Monitor *m, char *buf, int n) {
    char v[32];
    if (m->best < 0 || m->best_col < 0)
        snprintf(buf, (size_t)n, "-");
    else
        snprintf(buf, (size_t)n, "%lld (%s %s)", (long long)m->best + 1, m->names[m->best_col],
                 fmt_val(m->vals[m->best_col][m->best], v, sizeof v));
}

static void draw_stats(ui_Panel *p) {
    ui_Monitor *m = p->ud;
    char lr[32], gn[32], tp[32], et[32], best[96], rl[32];
    double rate = shown_rate(m);
    double ept = m->done > 0 && !ui_clock_fixed() ? m->elapsed / (double)m->done : (double)NAN;
    if (isnan(m->lr))
        snprintf(lr, sizeof lr, "-");
    else
        snprintf(lr, sizeof lr, "%.3e", m->lr);
    if (isnan(m->grad_norm))
        snprintf(gn, sizeof gn, "-");
    else
        fmt_val(m->grad_norm, gn, sizeof gn);
    if (m->batch > 0) {
        char t[24];
        snprintf(tp, sizeof tp, "%s samples/s", ui_num(rate * (double)m->batch, t, sizeof t));
    } else {
        char t[24];
        snprintf(tp, sizeof tp, "%s batches/s", ui_num(rate, t, sizeof t));
    }
    dur(ept, et, sizeof et);
    best_text(m, best, sizeof best);
    fmt_val(m->run_loss, rl, sizeof rl);
    if (m->stats_inline) {
        int x = 0, y = p->y, w = p->w;
        x += ui_text(y, x, w - x, ui_attr(UI_C_DIM), " lr ");
        x += ui_text(y, x, w - x, ui_attr(UI_C_TEXT), "%s", lr);
        x += ui_text(y, x, w - x, ui_attr(UI_C_DIM), "  grad norm ");
        x += ui_text(y, x, w - x, ui_attr(UI_C_TEXT), "%s", gn);
        x += ui_text(y, x, w - x, ui_attr(UI_C_DIM), "  loss ");
        x += ui_text(y, x, w - x, ui_attr(UI_C_TEXT), "%s", rl);
        x += ui_text(y, x, w - x, ui_attr(UI_C_DIM), "  best ");
        x += ui_text(y, x, w - x, ui_attr(UI_C_GOOD), "%s", best);
        x += ui_text(y, x, w - x, ui_attr(UI_C_DIM), "  epoch ");
        ui_text(y, x, w - x, ui_attr(UI_C_TEXT), "%s", et);
        return;
    }
    ui_box(p->y, p->x, p->h, p->w, "training", ui_attr(UI_C_DIM));
    {
        static const char *const labels[] = {"learning rate", "grad norm", "throughput",
                                             "epoch time", "running loss", "best epoch"};
        const char *vals[] = {lr, gn, tp, et, rl, best};
        for (int i = 0; i < 6 && i < p->h - 2; i++) {
            int y = p->y + 1 + i, x = p->x + 2;
            ui_text(y, x, p->w - 4, ui_attr(UI_C_DIM), "%-14s", labels[i]);
            ui_text(y, x + 14, p->w - 18, ui_attr(i == 5 ? UI_C_GOOD : UI_C_TEXT), "%s",
                    vals[i]);
        }
        if (isnan(m->grad_norm) && p->h - 2 > 1 && p->w > 40)
            ui_text(p->y + 2, p->x + 17, p->w - 19, ui_attr(UI_C_DIM), " (with clip_norm)");
    }
}

/* ---- loss curves ---- */

static void draw_chart(ui_Panel *p) {
    ui_Monitor *m = p->ud;
    ui_Series s[2];
    ui_ChartOpts o;
    int ns = 0, x, y = p->y;
    int kl = mon__find_col(m, "loss"), kv = mon__find_col(m, "val_loss");
    const double *tl = kl >= 0 ? m->vals[kl] : NULL, *vl = kv >= 0 ? m->vals[kv] : NULL;
    char bt[96];
    /* the box's top border carries the title and the legend */
    ui_box(p->y, p->x, p->h, p->w, NULL, ui_attr(UI_C_DIM));
    x = p->x + 2;
    {
        int end = p->x + p->w - 2;
        x += ui_text(y, x, end - x, ui_attr(UI_C_DIM) | A_BOLD, " %s ",
                     m->logy ? "loss (log)" : "loss");
        x += ui_text(y, x, end - x, ui_attr(UI_C_SERIES1) | A_BOLD, " %s",
                     ui_unicode() ? "\u2501\u2501" : "**");
        x += ui_text(y, x, end - x, ui_attr(UI_C_TEXT), " train loss ");
        if (vl != NULL) {
            x += ui_text(y, x, end - x, ui_attr(UI_C_SERIES2) | A_BOLD, " %s",
                         ui_unicode() ? "\u2501\u2501" : "oo");
            x += ui_text(y, x, end - x, ui_attr(UI_C_TEXT), " val loss ");
        }
        if (m->best >= 0) {
            best_text(m, bt, sizeof bt);
            x += ui_text(y, x, end - x, ui_attr(UI_C_GOOD), " %s best %s ",
                         ui_unicode() ? "\u25b2" : "^", bt);
        }
        if (end - x > 16)
            ui_text(y, end - 14, 14, ui_attr(UI_C_DIM), "%14s",
                    m->logy ? " l: linear " : " l: log scale ");
    }
    if (tl != NULL) {
        s[ns].y = tl;
        s[ns].n = m->n;
        s[ns++].attr = ui_attr(UI_C_SERIES1);
    }
    if (vl != NULL) {
        s[ns].y = vl;
        s[ns].n = m->n;
        s[ns++].attr = ui_attr(UI_C_SERIES2);
    }
    memset(&o, 0, sizeof o);
    o.logy = m->logy;
    o.x0 = 1;
    o.dx = 1;
    o.mark = m->best;
    o.mark_attr = ui_attr(UI_C_GOOD);
    o.axis_attr = ui_attr(UI_C_DIM);
    if (m->n < 2 && m->ntrace >= 2) {
        /* before two epochs are done: the running loss per batch, x in batches */
        ui_Series b = {m->trace_y, m->ntrace, ui_attr(UI_C_SERIES1)};
        o.x0 = m->trace_x[0];
        o.dx = (m->trace_x[m->ntrace - 1] - m->trace_x[0]) / (double)(m->ntrace - 1);
        o.mark = -1;
        ui_chart(p->y + 1, p->x + 1, p->h - 2, p->w - 2, &b, 1, &o);
        if (p->w > 40)
            ui_text(p->y + p->h - 1, p->x + 2, p->w - 4, ui_attr(UI_C_DIM), "%s",
                    " running loss by batch until epoch 2 ");
        return;
    }
    if (m->n == 0) {
        ui_text(p->y + p->h / 2, p->x + 2, p->w - 4, ui_attr(UI_C_DIM), "%s",
                "curves appear after the first epoch");
        return;
    }
    ui_chart(p->y + 1, p->x + 1, p->h - 2, p->w - 2, s, ns, &o);
}

/* ---- metrics table: one row per epoch, newest at the bottom, best marked ---- */

static void table_row(const ui_Monitor *m, int y, int x, int w, int64_t i, int ncols,
                      int ew) {
    char v[32], t[32];
    int best = i == m->best, xx = x;
    int attr = best ? ui_attr(UI_C_GOOD) : ui_attr(UI_C_TEXT);
    xx += ui_text(y, xx, w, best ? ui_attr(UI_C_GOOD) : ui_attr(UI_C_DIM), "%s",
                  best ? "*" : " ");
    xx += ui_text(y, xx, x + w - xx, attr, "%*lld", ew, (long long)i + 1);
    for (int k = 0; k < ncols; k++)
        xx += ui_text(y, xx, x + w - xx, attr, "%*s", COLW, fmt_val(m->vals[k][i], v, sizeof v));
    {
        double dt = ui_clock_fixed() ? (double)NAN : m->times[i] - (i > 0 ? m->times[i - 1] : 0);
        ui_text(y, xx, x + w - xx, ui_attr(UI_C_DIM), "%*s", 8, dur(dt, t, sizeof t));
    }
}

static void draw_table(ui_Panel *p) {
    ui_Monitor *m = p->ud;
    int x = p->x + 2, w = p->w - 4, y = p->y + 1, rows = p->h - 3, ncols, ew, xx;
    char tmp[32];
    int64_t first, last, maxback;
    ui_box(p->y, p->x, p->h, p->w, "metrics per epoch", ui_attr(UI_C_DIM));
    if (m->best >= 0 && p->w > 40)
        ui_text(p->y, p->x + p->w - 18, 16, ui_attr(UI_C_GOOD), " * best epoch ");
    ew = snprintf(tmp, sizeof tmp, "%lld", (long long)(m->epochs > m->n ? m->epochs : m->n));
    if (ew < 5)
        ew = 5;
    /* as many metric columns as fit, then the epoch time if it fits */
    ncols = (w - 1 - ew - 8) / COLW;
    if (ncols > m->ncols)
        ncols = m->ncols;
    if (ncols < 0)
        ncols = 0;
    xx = x + 1;
    xx += ui_text(y, xx, x + w - xx, ui_attr(UI_C_TITLE), "%*s", ew, "epoch");
    for (int k = 0; k < ncols; k++) {
        const char *nm = m->names[k];
        /* long names keep their end: "val_accuracy" -> "val_accur." would hide the split */
        if ((int)strlen(nm) > COLW - 1) {
            snprintf(tmp, sizeof tmp, "%.*s.", COLW - 2, nm);
            nm = tmp;
        }
        xx += ui_text(y, xx, x + w - xx, ui_attr(UI_C_TITLE), "%*s", COLW, nm);
    }
    ui_text(y, xx, x + w - xx, ui_attr(UI_C_TITLE), "%8s", "time");
    if (m->n == 0) {
        if (rows > 0)
            ui_text(y + 1, x + 1, w - 1, ui_attr(UI_C_DIM), "no epoch finished yet");
        return;
    }
    if (rows <= 0)
        return;
    /* follow the newest rows, or show the ones the user scrolled back to (Up, PgUp) */
    maxback = m->n > rows ? m->n - rows : 0;
    if (m->table_back > maxback)
        m->table_back = maxback;
    first = m->n > rows ? m->n - rows - m->table_back : 0;
    last = first + rows < m->n ? first + rows : m->n;
    if (m->table_back > 0 && p->w > 60)
        ui_text(p->y + p->h - 1, p->x + 2, p->w - 4, ui_attr(UI_C_WARN),
                " epochs %lld-%lld of %lld: End follows the newest ", (long long)first + 1,
                (long long)last, (long long)m->n);
    /* the best epoch stays in view: pinned on the first row when it scrolled off */
    if (m->best >= 0 && m->best < first && rows >= 3) {
        int after = x + 1 + ew + ncols * COLW + 8;
        table_row(m, y + 1, x, w, m->best, ncols, ew);
        if (x + w - after >= 8)
            ui_text(y + 1, after + 1, x + w - after - 1, ui_attr(UI_C_DIM), "(pinned)");
        first++;
        for (int64_t i = first; i < last; i++)
            table_row(m, y + 2 + (int)(i - first), x, w, i, ncols, ew);
        return;
    }
    for (int64_t i = first; i < last; i++)
        table_row(m, y + 1 + (int)(i - first), x, w, i, ncols, ew);
}

/* ---- log ---- */

static void draw_log(ui_Panel *p) {
    ui_Monitor *m = p->ud;
    int rows = p->h - 2, n = m->nlog < MON_LOGN ? m->nlog : MON_LOGN, show;
    ui_box(p->y, p->x, p->h, p->w, "log", ui_attr(UI_C_DIM));
    show = n < rows ? n : rows;
    for (int i = 0; i < show; i++) {
        const mon_Log *l = &m->log_lines[(m->nlog - show + i) % MON_LOGN];
        time_t t = (time_t)l->t;
        struct tm tm;
        char ts[16];
        int y = p->y + 1 + i, x = p->x + 2;
        if (ui_clock_fixed())
            gmtime_r(&t, &tm);
        else
            localtime_r(&t, &tm);
        strftime(ts, sizeof ts, "%H:%M:%S", &tm);
        x += ui_text(y, x, p->w - 4, ui_attr(UI_C_DIM), "%s  ", ts);
        ui_text(y, x, p->x + p->w - 2 - x, ui_attr(l->role), "%s", l->text);
    }
}

/* ---- help overlay ---- */

static void draw_help(ui_Panel *p) {
    ui_Monitor *m = p->ud;
    static const char *const lines[] = {
        "p  space   pause / resume training (paused time is not counted)",
        "q  Ctrl-C  stop after this batch, keeping the best weights",
        "s          write a checkpoint now (fit's checkpoint = path, or",
        "           moneta-checkpoint.mdl)",
        "l          loss curves: linear / log scale",
        "Up Down    scroll the metrics table (PgUp PgDn Home; End follows)",
        "g          open the curves in gnuplot (or a PNG without display)",
        "? Esc      show / hide this help",
        "",
        "* in the table and the triangle under the curves: best epoch",
        "(early_stop's monitor, else val_loss). At most 10 redraws a second.",
    };
    int n = (int)(sizeof lines / sizeof lines[0]), w = 70, h = n + 4, y, x;
    if (!m->show_help)
        return;
    if (w > COLS - 2)
        w = COLS - 2;
    if (h > LINES - 2)
        h = LINES - 2;
    y = (LINES - h) / 2;
    x = (COLS - w) / 2;
    for (int r = 0; r < h; r++)
        ui_blank(y + r, x, w, ui_attr(UI_C_TEXT));
    ui_box(y, x, h, w, "keys", ui_attr(UI_C_TITLE));
    for (int i = 0; i < n && i < h - 3; i++)
        ui_text(y + 2 + i, x + 2, w - 4, ui_attr(i < 7 ? UI_C_TEXT : UI_C_DIM), "%s", lines[i]);
}

/* ---- status line and layout ---- */

static void draw_status(ui_Screen *s, int row, int cols) {
    ui_Monitor *m = s->ud;
    static const char *const keys[][2] = {{"p", "pause"}, {"q", "stop"}, {"s", "checkpoint"},
                                          {"l", "log scale"}, {"g", "plot"}, {"?", "help"}};
    int x = 0, role;
    const char *st = state_word(m, &role);
    x += ui_text(row, x, cols, ui_attr(role) | A_REVERSE | A_BOLD, " %s ", st);
    x += 1;
    for (int i = 0; i < 6 && x < cols; i++) {
        const char *word = keys[i][1];
        if (i == 0 && m->paused)
            word = "resume";
        x += ui_text(row, x, cols - x, ui_attr(UI_C_SEL) | A_BOLD, " %s", keys[i][0]);
        x += ui_text(row, x, cols - x, ui_attr(UI_C_SEL), " %s ", word);
    }
}

static const ui_PanelClass header_class = {draw_header, NULL};
static const ui_PanelClass chart_class = {draw_chart, NULL};
static const ui_PanelClass stats_class = {draw_stats, NULL};
static const ui_PanelClass table_class = {draw_table, NULL};
static const ui_PanelClass log_class = {draw_log, NULL};
static const ui_PanelClass help_class = {draw_help, NULL};

static void place(ui_Panel *p, int y, int x, int h, int w) {
    p->y = y;
    p->x = x;
    p->h = h;
    p->w = w;
    p->visible = h > 0 && w > 0;
}

static void layout(ui_Screen *s, int rows, int cols) {
    ui_Monitor *m = s->ud;
    int top = 3, bh = rows - 1 - top;
    place(m->header, 0, 0, 3, cols);
    place(m->help, 0, 0, rows, cols);
    if (cols >= 120 && bh >= 18) {
        /* wide: curves left; stats and table right; log across the bottom */
        int lh = bh / 5 < 5 ? 5 : bh / 5 > 8 ? 8 : bh / 5;
        int uh = bh - lh, rw = cols * 2 / 5 < 70 ? 70 : cols * 2 / 5, lw = cols - rw;
        int sh = uh >= 20 ? 8 : 7;
        m->stats_inline = 0;
        place(m->chart, top, 0, uh, lw);
        place(m->stats, top, lw, sh, rw);
        place(m->table, top + sh, lw, uh - sh, rw);
        place(m->log, top + uh, 0, lh, cols);
        return;
    }
    /* narrow: one column; the stats become one line under the bars */
    m->stats_inline = 1;
    place(m->stats, top, 0, 1, cols);
    top++;
    bh--;
    if (bh >= 16) {
        int ch = bh * 2 / 5 < 8 ? 8 : bh * 2 / 5, rest = bh - ch;
        int lh = rest / 3 < 4 ? 4 : rest / 3 > 7 ? 7 : rest / 3, th = rest - lh;
        place(m->chart, top, 0, ch, cols);
        place(m->table, top + ch, 0, th, cols);
        place(m->log, top + ch + th, 0, lh, cols);
    } else if (bh >= 12) {
        place(m->chart, top, 0, bh - 4, cols);
        place(m->table, 0, 0, 0, 0);
        place(m->log, top + bh - 4, 0, 4, cols);
    } else {
        place(m->chart, top, 0, bh, cols);
        place(m->table, 0, 0, 0, 0);
        place(m->log, 0, 0, 0, 0);
    }
}

void mon__setup_screen(ui_Monitor *m) {
    ui_Screen *s = &m->scr;
    s->min_w = MIN_W;
    s->min_h = MIN_H;
    s->layout = layout;
    s->status = draw_status;
    m->header = ui_add(s, &header_class, m);
    m->chart = ui_add(s, &chart_class, m);
    m->stats = ui_add(s, &stats_class, m);
    m->table = ui_add(s, &table_class, m);
    m->log = ui_add(s, &log_class, m);
    m->help = ui_add(s, &help_class, m);       /* last: drawn over the others */
}
