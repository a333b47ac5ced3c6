/* chart.h -- a line chart drawn in terminal cells: braille dots (2x4 per cell) on UTF-8
** terminals, one ASCII mark per cell otherwise. Auto-rescaled y range, optional log10 scale,
** y labels on the left, an x axis with labels and one marked x position (the best epoch).
** Draws with the ui_ helpers into the current screen; knows nothing of what it plots. */
#ifndef MN_TUI_CHART_H
#define MN_TUI_CHART_H

#include <stdint.h>

typedef struct ui_Series {
    /* n values. NaN, inf (and <= 0 on a log scale) are skipped: no dot, and the line joins the
    ** points either side (a loss curve with a missing epoch stays one curve) */
    const double *y;
    int64_t       n;
    int           attr;         /* e.g. ui_attr(UI_C_SERIES1) */
} ui_Series;

typedef struct ui_ChartOpts {
    int     logy;               /* log10 y axis */
    double  x0, dx;             /* point i sits at x = x0 + i*dx (axis labels): epochs 1, 2, ... */
    int64_t mark;               /* index of the point to mark on the x axis; -1: none */
    int     mark_attr;
    int     axis_attr;          /* labels and axis lines */
} ui_ChartOpts;

/* Draw series s[0..ns) in the rectangle (y, x, h, w): y labels in the left columns, the plot,
** the x axis on the bottom row. Each series is one joined line (across skipped values too).
** Later series are drawn over earlier ones where they share a cell. Every series is scaled to the same x range (the longest series). Writes a dim
** "waiting for data" when there is nothing finite to draw, and nothing at all when the
** rectangle is smaller than 12x3. Allocates a scratch grid per call (no state kept). */
void ui_chart(int y, int x, int h, int w, const ui_Series *s, int ns, const ui_ChartOpts *o);

#endif
