/* chart.c -- the terminal line chart: points are bucketed per dot column (min, max, first,
** last), so a series of any length costs O(n + dots) per draw; each column's span is drawn
** and joined to the previous column. Cells hold a braille dot mask and the series that last
** drew in them. */
#define NCURSES_WIDECHAR 1
#include "tui/chart.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "tui/ui.h"

typedef struct Grid {
    int      cw, ch;            /* cells */
    int      dw, dh;            /* dots: 2x4 per cell with braille, 1x1 without */
    int      sx, sy;            /* dots per cell */
    uint8_t *mask;              /* cw*ch dot masks */
    int8_t  *owner;             /* series index per cell, -1 empty */
} Grid;

static double tr(double v, int logy) {
    if (!isfinite(v))
        return NAN;
    if (logy)
        return v > 0 ? log10(v) : (double)NAN;
    return v;
}

/* The y range to draw (after the log transform when 'logy'); 0 when nothing is finite. */
static int chart_range(const ui_Series *s, int ns, int logy, double *lo, double *hi) {
    double a = INFINITY, b = -INFINITY;
    for (int k = 0; k < ns; k++)
        for (int64_t i = 0; i < s[k].n; i++) {
            double v = tr(s[k].y[i], logy);
            if (v == v) {
                if (v < a)
                    a = v;
                if (v > b)
                    b = v;
            }
        }
    if (!(a <= b))
        return 0;
    *lo = a;
    *hi = b;
    return 1;
}

static void dot(Grid *g, int xd, int yd, int series) {
    /* braille bit of dot (col, row) inside a cell */
    static const uint8_t bits[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
    int cx, cy;
    if (xd < 0 || yd < 0 || xd >= g->dw || yd >= g->dh)
        return;
    cx = xd / g->sx;
    cy = yd / g->sy;
    g->mask[cy * g->cw + cx] |= g->sx == 2 ? bits[yd % 4][xd % 2] : 1;
    g->owner[cy * g->cw + cx] = (int8_t)series;
}

/* Bresenham between two dots. */
static void line(Grid *g, int x0, int y0, int x1, int y1, int series) {
    int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (;;) {
        dot(g, x0, y0, series);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

/* Bucket one series per dot column and draw it. 'cols' is scratch for 4*dw ints. */
static void plot_series(Grid *g, const ui_Series *s, int series, int64_t nmax, double lo,
                        double hi, int logy, int *cols) {
    int *mn = cols, *mx = cols + g->dw, *first = cols + 2 * g->dw, *last = cols + 3 * g->dw;
    int prev_col = -1, prev_y = 0;
    for (int c = 0; c < g->dw; c++)
        first[c] = -1;
    for (int64_t i = 0; i < s->n; i++) {
        double v = tr(s->y[i], logy);
        int c, r;
        if (v != v) {
            continue;
        }
        c = nmax <= 1 ? 0 : (int)((double)i * (g->dw - 1) / (double)(nmax - 1) + 0.5);
        r = (int)((hi - v) / (hi - lo) * (g->dh - 1) + 0.5);
        if (c < 0 || c >= g->dw)
            continue;
        if (first[c] < 0) {
            first[c] = mn[c] = mx[c] = r;
        } else {
            if (r < mn[c])
                mn[c] = r;
            if (r > mx[c])
                mx[c] = r;
        }
        last[c] = r;
    }
    /* join each column to the previous one with data: across NaN too, on purpose (a loss
    ** curve with a missing value stays one curve) */
    for (int c = 0; c < g->dw; c++) {
        if (first[c] < 0)
            continue;
        if (prev_col >= 0)
            line(g, prev_col, prev_y, c, first[c], series);
        for (int r = mn[c]; r <= mx[c]; r++)
            dot(g, c, r, series);
        prev_col = c;
        prev_y = last[c];
    }
}

static void put_cell(int y, int x, uint8_t m, int braille, int series, int attr) {
    static const char marks[] = "*o+x#";
    char buf[4];
    if (braille) {
        unsigned cp = 0x2800u + m;
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        buf[3] = '\0';
    } else {
        buf[0] = marks[series % 5];
        buf[1] = '\0';
    }
    attron(attr);
    mvaddstr(y, x, buf);
    attroff(attr);
}

/* y label for transformed value v */
static void ylabel(double v, int logy, char *buf, int n) {
    double u = logy ? pow(10, v) : v;
    double a = fabs(u);
    if (u == 0)
        snprintf(buf, (size_t)n, "0");
    else if (a >= 1e4 || a < 1e-3)
        snprintf(buf, (size_t)n, "%.1e", u);
    else
        snprintf(buf, (size_t)n, "%.4g", u);
}

static void xlabel(double v, char *buf, int n) {
    if (fabs(v - floor(v + 0.5)) < 1e-9)
        snprintf(buf, (size_t)n, "%.0f", v);
    else
        snprintf(buf, (size_t)n, "%.3g", v);
}

void ui_chart(int y, int x, int h, int w, const ui_Series *s, int ns, const ui_ChartOpts *o) {
    char lab[3][32];
    double lo, hi, span, vals[3];
    int64_t nmax = 0;
    int lw = 0, px, pw, ph, nlab, braille = ui_unicode(), *cols;
    Grid g;
    if (h < 3 || w < 12)
        return;
    for (int k = 0; k < ns; k++)
        if (s[k].n > nmax)
            nmax = s[k].n;
    if (!chart_range(s, ns, o->logy, &lo, &hi)) {
        ui_text(y + h / 2, x + (w > 18 ? (w - 18) / 2 : 0), w, ui_attr(UI_C_DIM),
                "waiting for data");
        return;
    }
    /* pad the range so the curve does not sit on the frame */
    span = hi - lo;
    if (span <= 0 || span < 1e-12 * fabs(hi))
        span = o->logy ? 0.2 : (fabs(hi) > 0 ? fabs(hi) * 0.1 : 1);
    /* losses are >= 0: the padding must not invent a negative axis */
    lo = !o->logy && lo >= 0 && lo - span * 0.05 < 0 ? 0 : lo - span * 0.05;
    hi += span * 0.05;
    ph = h - 1;                                     /* bottom row: the x axis */
    nlab = ph >= 5 ? 3 : 2;
    vals[0] = hi;
    vals[1] = nlab == 3 ? (hi + lo) / 2 : lo;
    vals[2] = lo;
    for (int i = 0; i < nlab; i++) {
        int lw_i;
        ylabel(vals[i == nlab - 1 ? 2 : i], o->logy, lab[i], sizeof lab[i]);
        lw_i = (int)strlen(lab[i]);
        if (lw_i > lw)
            lw = lw_i;
    }
    px = x + lw + 1;
    pw = w - lw - 1;
    if (pw < 4)
        return;
    g.cw = pw;
    g.ch = ph;
    g.sx = braille ? 2 : 1;
    g.sy = braille ? 4 : 1;
    g.dw = pw * g.sx;
    g.dh = ph * g.sy;
    g.mask = mn_calloc((size_t)(pw * ph), 1);
    g.owner = mn_malloc((size_t)(pw * ph));
    cols = mn_malloc((size_t)g.dw * 4 * sizeof *cols);
    if (g.mask == NULL || g.owner == NULL || cols == NULL)
        goto done;
    memset(g.owner, -1, (size_t)(pw * ph));
    for (int k = 0; k < ns && k < 127; k++)
        plot_series(&g, &s[k], k, nmax, lo, hi, o->logy, cols);

    /* y axis and labels: top, middle, bottom rows of the plot */
    for (int r = 0; r < ph; r++)
        ui_text(y + r, x + lw, 1, o->axis_attr, "%s", braille ? "\u2502" : "|");
    for (int i = 0; i < nlab; i++) {
        int r = i == 0 ? 0 : i == nlab - 1 ? ph - 1 : (ph - 1) / 2;
        ui_text(y + r, x + lw - (int)strlen(lab[i]), (int)strlen(lab[i]), o->axis_attr, "%s",
                lab[i]);
        ui_text(y + r, x + lw, 1, o->axis_attr, "%s", braille ? "\u2524" : "+");
    }
    /* the dots */
    for (int r = 0; r < ph; r++)
        for (int c = 0; c < pw; c++) {
            uint8_t m = g.mask[r * pw + c];
            if (m != 0) {
                int k = g.owner[r * pw + c];
                put_cell(y + r, px + c, m, braille, k, s[k].attr);
            }
        }
    /* x axis: a rule with the first, middle and last x, and the mark */
    {
        int row = y + ph;
        char a[32], b[32], mid[32];
        int la, lb, lm;
        ui_text(row, x + lw, 1, o->axis_attr, "%s", braille ? "\u2514" : "+");
        for (int c = 0; c < pw; c++)
            ui_text(row, px + c, 1, o->axis_attr, "%s", braille ? "\u2500" : "-");
        xlabel(o->x0, a, sizeof a);
        xlabel(o->x0 + (double)(nmax > 1 ? nmax - 1 : 0) * o->dx, b, sizeof b);
        la = (int)strlen(a);
        lb = (int)strlen(b);
        ui_text(row, px, la, o->axis_attr, "%s", a);
        if (nmax > 1 && pw > la + lb + 2)
            ui_text(row, px + pw - lb, lb, o->axis_attr, "%s", b);
        if (nmax > 4) {
            xlabel(o->x0 + floor((double)(nmax - 1) / 2) * o->dx, mid, sizeof mid);
            lm = (int)strlen(mid);
            int mc = (int)(floor((double)(nmax - 1) / 2) * (pw - 1) / (double)(nmax - 1));
            if (mc - lm / 2 > la + 1 && mc + lm - lm / 2 < pw - lb - 1)
                ui_text(row, px + mc - lm / 2, lm, o->axis_attr, "%s", mid);
        }
        if (o->mark >= 0 && o->mark < nmax) {
            int md = nmax <= 1 ? 0
                               : (int)((double)o->mark * (g.dw - 1) / (double)(nmax - 1) + 0.5);
            int mc = md / g.sx;
            ui_text(row, px + mc, 1, o->mark_attr, "%s", braille ? "\u25b2" : "^");
        }
    }
done:
    mn_free(g.mask);
    mn_free(g.owner);
    mn_free(cols);
}
