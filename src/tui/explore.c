/* explore.c -- the data explorer screen: the table panel (explore_table.c), a side panel with
** the selected column's statistics and histogram, a help overlay, and a status line that is
** also a one-line editor for search, jump-to-row and go-to-column. Statistics are computed the
** first time a column is selected and cached, so a 1M-row frame opens at once. */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <ctype.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/mem.h"
#include "tui/explore.h"

#define BOLD  ((int)A_BOLD)      /* ncurses attributes are unsigned; ui_attr() gives int */

enum { P_NONE = 0, P_SEARCH, P_JUMP, P_COLUMN };

typedef struct Explore {
    ui_Table     t;
    ui_ColStats **stats;          /* per column, NULL until first shown */
    char         *stats_failed;   /* per column: computing failed (message shown once) */
    int           side;           /* the side panel is wanted (Tab) */
    ui_Panel     *table_p, *side_p, *help_p;
    int           prompt;         /* P_*: the status line is a line editor */
    char          input[128];
    int           search_all;     /* search every column, not just the current one */
    char          query[128];     /* the last search, for n / N */
    int           query_all;
    char          msg[192];       /* one-frame note in the status line ("" = none) */
    int           msg_bad;
    unsigned      msg_serial;     /* bumped by each new note */
    const char   *title;
} Explore;

/* Process-wide: SIGINT has no user pointer. While the explorer is open Ctrl-C only closes it,
** so the REPL's handler (which would arm a Lua hook and the core's interrupt flag) is set
** aside and restored on the way out. */
static volatile sig_atomic_t got_sigint;
static void on_sigint(int sig) {
    (void)sig;
    got_sigint = 1;
}

/* ---- formatting ---- */

/* A statistic as the table shows numbers: whole numbers in full, else 7 significant digits. */
static char *fmt_stat(double v, char *buf, size_t n) {
    if (isnan(v))
        snprintf(buf, n, "NA");
    else if (isfinite(v) && v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%.7g", v);
    return buf;
}

/* A time (ns since the epoch, as a double) as ISO: a date, or date and time. */
static char *fmt_time(double ns, int with_time, char *buf, size_t n) {
    time_t secs = (time_t)floor(ns / 1e9);
    struct tm tm;
    if (isnan(ns) || gmtime_r(&secs, &tm) == NULL) {
        snprintf(buf, n, "NA");
        return buf;
    }
    strftime(buf, n, with_time ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d", &tm);
    return buf;
}

/* ---- the side panel: statistics of the cursor column ---- */

static ui_ColStats *stats_for(Explore *x, int j) {
    mn_Err e = {0};
    if (x->stats[j] != NULL || x->stats_failed[j])
        return x->stats[j];
    x->stats[j] = mn_calloc(1, sizeof **x->stats);
    if (x->stats[j] == NULL || ui_col_stats(fr_col(x->t.f, j), x->stats[j], &e) != MN_OK) {
        mn_free(x->stats[j]);
        x->stats[j] = NULL;
        x->stats_failed[j] = 1;
        snprintf(x->msg, sizeof x->msg, "statistics of %.40s: %.120s", fr_name(x->t.f, j),
                 e.msg[0] ? e.msg : "out of memory");
        x->msg_bad = 1;
        x->msg_serial++;
    }
    return x->stats[j];
}

/* label on the left (dim), value right-aligned at the panel's inner edge */
static void kv(int y, int x, int w, const char *label, int vattr, const char *value) {
    int vw = ui_width(value);
    ui_text(y, x, w, ui_attr(UI_C_DIM), "%s", label);
    if (vw > w - 10)
        vw = w - 10;
    ui_text(y, x + w - vw, vw, vattr, "%s", value);
}

static void side_draw(ui_Panel *p) {
    Explore *x = p->ud;
    int j = x->t.col, ix = p->x + 2, iw = p->w - 4, y = p->y + 1, ybot = p->y + p->h - 1;
    char a[64], b[64];
    fr_Column *c;
    ui_ColStats *s;
    if (x->t.ncols == 0)
        return;
    c = fr_col(x->t.f, j);
    ui_box(p->y, p->x, p->h, p->w, NULL, ui_attr(UI_C_DIM));
    ui_text(p->y, p->x + 2, p->w - 4, ui_attr(UI_C_TITLE), " %s ", fr_name(x->t.f, j));
    ui_text(y, ix, iw, ui_attr(UI_C_ACCENT), "%s", fr_type_name(fr_col_type(c)));
    snprintf(a, sizeof a, "column %d of %d", j + 1, x->t.ncols);
    ui_text(y++, ix + iw - (int)strlen(a), (int)strlen(a), ui_attr(UI_C_DIM), "%s", a);
    if ((s = stats_for(x, j)) == NULL)
        return;
    y++;
    snprintf(a, sizeof a, "%lld", (long long)s->count);
    kv(y++, ix, iw, "count", ui_attr(UI_C_TEXT), a);
    snprintf(a, sizeof a, "%lld  %5.1f%%", (long long)s->missing,
             s->n > 0 ? 100.0 * (double)s->missing / (double)s->n : 0.0);
    kv(y++, ix, iw, "missing", s->missing > 0 ? ui_attr(UI_C_WARN) : ui_attr(UI_C_DIM), a);
    if (s->distinct >= 0) {
        snprintf(a, sizeof a, "%lld", (long long)s->distinct);
        kv(y++, ix, iw, "distinct", ui_attr(UI_C_TEXT), a);
    }
    y++;
    if (s->type == FR_F64 || s->type == FR_BOOL) {
        static const char *const lab[] = {"mean", "std", "min", "25%", "50%", "75%", "max"};
        double v[7] = {s->mean, s->std, s->min, s->q25, s->q50, s->q75, s->max};
        for (int k = 0; k < 7 && y < ybot; k++)
            kv(y++, ix, iw, lab[k], ui_attr(UI_C_TEXT), fmt_stat(v[k], a, sizeof a));
        y++;
    } else if (s->type == FR_DATE || s->type == FR_DATETIME) {
        int wt = s->type == FR_DATETIME;
        kv(y++, ix, iw, "min", ui_attr(UI_C_TEXT), fmt_time(s->min, wt, a, sizeof a));
        kv(y++, ix, iw, "max", ui_attr(UI_C_TEXT), fmt_time(s->max, wt, a, sizeof a));
        snprintf(a, sizeof a, "%.0f days", isnan(s->min) ? 0.0 : (s->max - s->min) / 86400e9);
        kv(y++, ix, iw, "span", ui_attr(UI_C_TEXT), a);
        y++;
    }
    if (s->ntop > 0 && y < ybot) {
        /* top values: name, a bar of its share of the non-missing values, the count */
        int cw, nw = iw * 2 / 5;
        snprintf(a, sizeof a, "%lld", (long long)s->topc[0]);
        cw = (int)strlen(a);
        ui_text(y++, ix, iw, ui_attr(UI_C_DIM), "%s", s->distinct > s->ntop
                ? "top values" : "values");
        for (int k = 0; k < s->ntop && y < ybot; k++, y++) {
            ui_clip(s->top[k], nw, a, sizeof a);
            ui_text(y, ix, nw, ui_attr(UI_C_TEXT), "%s", a);
            ui_bar(y, ix + nw + 1, iw - nw - cw - 2,
                   s->count > 0 ? (double)s->topc[k] / (double)s->count : 0, ui_attr(UI_C_BAR));
            ui_text(y, ix + iw - cw, cw, ui_attr(UI_C_TEXT), "%*lld", cw, (long long)s->topc[k]);
        }
        if (s->distinct > s->ntop && y < ybot)
            ui_text(y++, ix, iw, ui_attr(UI_C_DIM), "... %lld more",
                    (long long)(s->distinct - s->ntop));
    }
    if ((s->type == FR_F64 || s->type == FR_DATE || s->type == FR_DATETIME) && s->count > 0) {
        int hh = ybot - y - 2;               /* heading, bars, axis */
        if (hh > 12)
            hh = 12;
        if (hh < 2 || iw < 8)
            return;
        if (s->hist_asked != iw)
            ui_col_hist(c, s, iw);
        if (s->nbins == 0)
            return;
        ui_text(y, ix, iw, ui_attr(UI_C_DIM), "histogram");
        snprintf(a, sizeof a, "%d bin%s", s->nbins, s->nbins == 1 ? "" : "s");
        ui_text(y++, ix + iw - (int)strlen(a), (int)strlen(a), ui_attr(UI_C_DIM), "%s", a);
        ui_hist_draw(y, ix, hh, iw, s->hist, s->nbins, ui_attr(UI_C_BAR));
        y += hh;
        if (s->type == FR_F64) {
            fmt_stat(s->min, a, sizeof a);
            fmt_stat(s->max, b, sizeof b);
        } else {
            fmt_time(s->min, 0, a, sizeof a);
            fmt_time(s->max, 0, b, sizeof b);
        }
        ui_text(y, ix, iw, ui_attr(UI_C_DIM), "%s", a);
        if ((int)(strlen(a) + strlen(b)) < iw)
            ui_text(y, ix + iw - (int)strlen(b), (int)strlen(b), ui_attr(UI_C_DIM), "%s", b);
    }
}

static const ui_PanelClass side_panel = {side_draw, NULL};

/* ---- help overlay ---- */

static const char *const help_lines[] = {
    "arrows, h j k l      move",
    "PgDn Space / PgUp b  page down / up",
    "g Home / G End       first / last row",
    "0 / $                first / last column",
    "< s / > S            sort by column, up / down",
    "r                    back to frame order",
    ": J                  jump to row (frame row number)",
    "| c                  go to column by name",
    "/                    search (Tab: this column / all)",
    "n / N                next / previous match",
    "Tab                  show / hide the column panel",
    "?                    this help",
    "q Esc Ctrl-C         back to the REPL",
};
#define NHELP ((int)(sizeof help_lines / sizeof *help_lines))

static void help_draw(ui_Panel *p) {
    for (int r = 0; r < p->h; r++)
        ui_blank(p->y + r, p->x, p->w, ui_attr(UI_C_TEXT));
    ui_box(p->y, p->x, p->h, p->w, "explorer keys", ui_attr(UI_C_TITLE));
    for (int k = 0; k < NHELP && k + 2 < p->h - 1; k++)
        ui_text(p->y + 1 + k + 1, p->x + 3, p->w - 6, ui_attr(UI_C_TEXT), "%s", help_lines[k]);
    ui_text(p->y + p->h - 2, p->x + 3, p->w - 6, ui_attr(UI_C_DIM), "any key closes this");
}

static int help_key(ui_Panel *p, int ch) {
    Explore *x = p->ud;
    (void)ch;
    x->help_p->visible = 0;
    return UI_REDRAW | UI_HANDLED;
}

static const ui_PanelClass help_panel = {help_draw, help_key};

/* ---- layout and status ---- */

static void layout(ui_Screen *s, int rows, int cols) {
    Explore *x = s->ud;
    int body = rows - 1, sw = 0, hw, hh;
    if (x->side && cols >= 64) {
        sw = cols / 3;
        sw = sw < 30 ? 30 : sw > 44 ? 44 : sw;
    }
    x->table_p->y = 0;
    x->table_p->x = 0;
    x->table_p->h = body;
    x->table_p->w = cols - sw;
    x->side_p->y = 0;
    x->side_p->x = cols - sw;
    x->side_p->h = body;
    x->side_p->w = sw;
    x->side_p->visible = sw > 0;
    hw = cols - 4 < 58 ? cols - 4 : 58;
    hh = body - 2 < NHELP + 5 ? body - 2 : NHELP + 5;
    x->help_p->w = hw;
    x->help_p->h = hh;
    x->help_p->x = (cols - hw) / 2;
    x->help_p->y = (body - hh) / 2;
}

static int seg(int row, int col, int maxc, int attr, const char *text) {
    if (col >= maxc)
        return col;
    return col + ui_text(row, col, maxc - col, attr, "%s", text);
}

static void status(ui_Screen *s, int row, int cols) {
    Explore *x = s->ud;
    ui_Table *t = &x->t;
    int sel = ui_attr(UI_C_SEL), col = 0, right = cols - (ui_frames_limit() > 0 ? 14 : 0);
    const char *times = ui_unicode() ? "\u00d7" : "x", *hints = " ? help  q quit ";
    char buf[256];
    if (x->prompt != P_NONE) {
        const char *label = x->prompt == P_JUMP ? "jump to row" : x->prompt == P_COLUMN
                            ? "go to column" : NULL;
        if (label == NULL) {
            snprintf(buf, sizeof buf, " search %s: ", x->search_all ? "all columns"
                     : (t->ncols > 0 ? fr_name(t->f, t->col) : ""));
            hints = " Enter find  Tab scope  Esc cancel ";
        } else {
            snprintf(buf, sizeof buf, " %s: ", label);
            hints = " Enter go  Esc cancel ";
        }
        col = seg(row, col, right, sel | BOLD, buf);
        col = seg(row, col, right, sel, x->input);
        seg(row, col, right, sel, "_");
        ui_text(row, right - ui_width(hints), ui_width(hints), sel, "%s", hints);
        return;
    }
    snprintf(buf, sizeof buf, " %s %lld%s%d ", x->title, (long long)t->n, times, t->ncols);
    col = seg(row, col, right, sel | BOLD, buf);
    if (t->n > 0) {
        if (t->sort_col >= 0)
            snprintf(buf, sizeof buf, "  row %lld/%lld (#%lld)", (long long)t->cur + 1,
                     (long long)t->n, (long long)t->perm[t->cur] + 1);
        else
            snprintf(buf, sizeof buf, "  row %lld/%lld", (long long)t->cur + 1, (long long)t->n);
        col = seg(row, col, right, sel, buf);
    }
    if (t->ncols > 0) {
        snprintf(buf, sizeof buf, "  col %d/%d %s", t->col + 1, t->ncols, fr_name(t->f, t->col));
        col = seg(row, col, right, sel, buf);
    }
    if (t->sort_col >= 0) {
        snprintf(buf, sizeof buf, "  sorted by %s %s", fr_name(t->f, t->sort_col),
                 t->sort_desc ? "desc" : "asc");
        col = seg(row, col, right, sel, buf);
    }
    if (x->query[0]) {
        snprintf(buf, sizeof buf, "  /%s%s", x->query, x->query_all ? " (all)" : "");
        col = seg(row, col, right, sel, buf);
    }
    if (x->msg[0]) {
        /* a failure (no match, a bad row) stands out from a plain note (search wrapped) */
        snprintf(buf, sizeof buf, "  %s ", x->msg);
        col = seg(row, col, right, (x->msg_bad ? ui_attr(UI_C_WARN) | (int)A_REVERSE : sel) | BOLD,
                  buf);
    } else if (col + ui_width(hints) <= right) {
        ui_text(row, right - ui_width(hints), ui_width(hints), sel, "%s", hints);
    }
}

/* ---- the line editor and its commands ---- */

static void say(Explore *x, int bad, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(Explore *x, int bad, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->msg, sizeof x->msg, fmt, ap);
    va_end(ap);
    x->msg_bad = bad;
    x->msg_serial++;
}

static void search(Explore *x, int dir) {
    ui_Table *t = &x->t;
    int64_t line;
    int c, wrapped;
    int col = x->query_all ? -1 : t->col;
    if (!x->query[0]) {
        say(x, 1, "no search yet: / to search");
        return;
    }
    if (!ui_table_search(t, x->query, col, t->cur, t->col, dir, &line, &c, &wrapped)) {
        say(x, 1, "no match for '%s' in %s", x->query,
            col < 0 ? "any column" : fr_name(t->f, col));
        return;
    }
    t->cur = line;
    t->col = c;
    if (wrapped)
        say(x, 0, "search wrapped to the %s", dir > 0 ? "top" : "bottom");
}

static int name_match(const char *name, const char *q, int how) {
    size_t n = strlen(q);
    if (how == 0)
        return strcasecmp(name, q) == 0;
    if (how == 1)
        return strncasecmp(name, q, n) == 0;
    for (const char *p = name; *p; p++)
        if (strncasecmp(p, q, n) == 0)
            return 1;
    return 0;
}

static void accept(Explore *x) {
    ui_Table *t = &x->t;
    char *end;
    switch (x->prompt) {
    case P_SEARCH:
        if (x->input[0]) {
            snprintf(x->query, sizeof x->query, "%s", x->input);
            x->query_all = x->search_all;
        }
        search(x, 1);
        break;
    case P_JUMP: {
        long long r = strtoll(x->input, &end, 10);
        int64_t line;
        if (end == x->input || *end != '\0' || r < 1) {
            say(x, 1, "'%s' is not a row number (1 to %lld)", x->input, (long long)t->n);
            break;
        }
        if (r > t->n) {
            say(x, 1, "row %lld is past the end: went to the last row (%lld)", r,
                (long long)t->n);
            r = t->n;
        }
        if ((line = ui_table_line_of(t, r - 1)) >= 0)
            ui_table_goto(t, line);
        break;
    }
    case P_COLUMN: {
        long k = strtol(x->input, &end, 10);
        if (end != x->input && *end == '\0' && k >= 1 && k <= t->ncols) {
            ui_table_goto_col(t, (int)k - 1);
            break;
        }
        for (int how = 0; how < 3; how++)
            for (int j = 0; j < t->ncols; j++)
                if (x->input[0] && name_match(fr_name(t->f, j), x->input, how)) {
                    ui_table_goto_col(t, j);
                    return;
                }
        say(x, 1, "no column matches '%s'", x->input);
        break;
    }
    }
}

/* Keys while the status line is a line editor. */
static int prompt_key(Explore *x, int ch) {
    size_t n = strlen(x->input);
    if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        accept(x);
        x->prompt = P_NONE;
    } else if (ch == 27 || ch == 7) {             /* Esc, Ctrl-G */
        x->prompt = P_NONE;
    } else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
        while (n > 0 && ((unsigned char)x->input[n - 1] & 0xC0) == 0x80)
            n--;                                   /* drop a whole UTF-8 character */
        if (n > 0)
            n--;
        x->input[n] = '\0';
    } else if (ch == 21) {                         /* Ctrl-U */
        x->input[0] = '\0';
    } else if (ch == '\t' && x->prompt == P_SEARCH) {
        x->search_all = !x->search_all;
    } else if (ch >= 32 && ch < 256 && ch != 127 && n + 1 < sizeof x->input) {
        x->input[n] = (char)ch;
        x->input[n + 1] = '\0';
    }
    return UI_REDRAW;
}

static void open_prompt(ui_Screen *s, Explore *x, int kind) {
    x->prompt = kind;
    x->input[0] = '\0';
    s->focus = -1;                                 /* every key to the editor */
}

static int screen_key(ui_Screen *s, int ch) {
    Explore *x = s->ud;
    if (x->prompt != P_NONE) {
        int r = prompt_key(x, ch);
        if (x->prompt == P_NONE)
            s->focus = 0;
        return r;
    }
    switch (ch) {
    case 'q': case 'Q': case 27:                  /* Ctrl-C is SIGINT (cbreak): on_sigint */
        return UI_QUIT;
    case '\t':
        x->side = !x->side;
        layout(s, LINES, COLS);
        if (x->side && !x->side_p->visible)
            say(x, 1, "the column panel needs a wider terminal (64 columns)");
        return UI_REDRAW;
    case '?': case KEY_F(1):
        x->help_p->visible = 1;
        s->focus = 2;
        return UI_REDRAW;
    case '/':
        open_prompt(s, x, P_SEARCH);
        return UI_REDRAW;
    case ':': case 'J':
        open_prompt(s, x, P_JUMP);
        return UI_REDRAW;
    case '|': case 'c':
        open_prompt(s, x, P_COLUMN);
        return UI_REDRAW;
    case 'n':
        search(x, 1);
        return UI_REDRAW;
    case 'N':
        search(x, -1);
        return UI_REDRAW;
    }
    return UI_GO;
}

/* ---- the screen ---- */

/* The start options; the names are checked before the (maybe long) sort. The messages are the
** only copy: the Lua binding raises them under its own name. */
static int apply_opts(Explore *x, const ui_ExploreOpts *o, mn_Err *e) {
    ui_Table *t = &x->t;
    int js = -1, jc = -1;
    if (o == NULL)
        return MN_OK;
    if (o->sort != NULL && (js = fr_find(t->f, o->sort)) < 0)
        return mn_fail(e, MN_EARG, "explore: option 'sort': no column '%s'", o->sort);
    if (o->column != NULL && (jc = fr_find(t->f, o->column)) < 0)
        return mn_fail(e, MN_EARG, "explore: option 'column': no column '%s'", o->column);
    if (js >= 0) {
        int rc = ui_table_sort(t, js, o->desc, e);
        if (rc != MN_OK)
            return rc;
    }
    if (jc >= 0)
        t->col = jc;
    if (o->row > 0) {
        int64_t line = ui_table_line_of(t, (o->row <= t->n ? o->row : t->n) - 1);
        if (line >= 0)
            ui_table_goto(t, line);
    }
    return MN_OK;
}

static void explore_free(Explore *x) {
    if (x->stats != NULL)
        for (int j = 0; j < x->t.ncols; j++)
            if (x->stats[j] != NULL) {
                ui_col_stats_free(x->stats[j]);
                mn_free(x->stats[j]);
            }
    mn_free(x->stats);
    mn_free(x->stats_failed);
    ui_table_free(&x->t);
}

int ui_explore(const fr_Frame *f, const ui_ExploreOpts *o, mn_Err *e) {
    Explore x;
    ui_Screen s;
    int rc;
    memset(&x, 0, sizeof x);
    memset(&s, 0, sizeof s);
    if ((rc = ui_table_init(&x.t, f, e)) != MN_OK)
        goto done;
    x.stats = mn_calloc((size_t)(x.t.ncols > 0 ? x.t.ncols : 1), sizeof *x.stats);
    x.stats_failed = mn_calloc((size_t)(x.t.ncols > 0 ? x.t.ncols : 1), 1);
    if (x.stats == NULL || x.stats_failed == NULL) {
        rc = mn_fail(e, MN_ENOMEM, "explore: out of memory");
        goto done;
    }
    if ((rc = apply_opts(&x, o, e)) != MN_OK)
        goto done;
    x.side = 1;
    x.title = o != NULL && o->title != NULL ? o->title : "frame";
    s.ud = &x;
    s.min_w = 40;
    s.min_h = 10;
    s.layout = layout;
    s.key = screen_key;
    s.status = status;
    x.table_p = ui_add(&s, &ui_table_panel, &x.t);    /* focus 0 */
    x.side_p = ui_add(&s, &side_panel, &x);
    x.help_p = ui_add(&s, &help_panel, &x);            /* drawn last: an overlay */
    x.help_p->visible = 0;
    s.focus = 0;
    if ((rc = ui_init(e)) != MN_OK)
        goto done;
    got_sigint = 0;
    ui_on_sigint(on_sigint);
    for (;;) {
        int key, flags;
        unsigned serial = x.msg_serial;
        /* with --frames, frames pass on their own; otherwise wake up now and then to notice
        ** Ctrl-C and resizes even when ncurses restarts its wait after a signal */
        flags = ui_frame(&s, ui_frames_limit() > 0 ? 100 : 250, &key);
        if (x.t.msg[0]) {                           /* a note from the table panel */
            say(&x, 1, "%s", x.t.msg);
            x.t.msg[0] = '\0';
        } else if (key != ERR && key != KEY_RESIZE && serial == x.msg_serial) {
            x.msg[0] = '\0';                        /* a note lasts until the next key */
        }
        if ((flags & UI_QUIT) || got_sigint)
            break;
        if (s.focus == 2 && !x.help_p->visible)
            s.focus = 0;
    }
    ui_done();                                      /* the caller's SIGINT handler is back */
    rc = MN_OK;
done:
    explore_free(&x);
    return rc;
}
