/* hist.c -- histograms: binning (no screen) and drawing as vertical bars of eighth blocks.
** Used by the explorer's side panel; nothing here knows about frames. */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <math.h>

#include "tui/explore.h"

void ui_hist_counts(const double *x, int64_t n, int nbins, double lo, double hi,
                    int64_t *counts) {
    double span = hi - lo;
    for (int b = 0; b < nbins; b++)
        counts[b] = 0;
    if (nbins <= 0 || !(lo <= hi))
        return;
    for (int64_t i = 0; i < n; i++) {
        double v = x[i];
        int b;
        if (!(v >= lo && v <= hi))          /* NaN and out of range */
            continue;
        if (span <= 0) {
            b = 0;
        } else {
            b = (int)((v - lo) / span * nbins);
            if (b >= nbins)                 /* v == hi */
                b = nbins - 1;
        }
        counts[b]++;
    }
}

void ui_hist_draw(int y, int x, int h, int w, const int64_t *counts, int nbins, int attr) {
    static const char *const up[] = {" ", "\u2581", "\u2582", "\u2583", "\u2584",
                                     "\u2585", "\u2586", "\u2587", "\u2588"};
    int64_t maxc = 0;
    int bw, gap, uni = ui_unicode();
    if (h <= 0 || w <= 0 || nbins <= 0)
        return;
    for (int b = 0; b < nbins; b++)
        if (counts[b] > maxc)
            maxc = counts[b];
    bw = w / nbins > 0 ? w / nbins : 1;
    /* wide bins keep a one-column gap so neighbouring bars read apart */
    gap = bw >= 3 ? 1 : 0;
    attron(attr);
    for (int b = 0; b < nbins && b * bw < w; b++) {
        /* bar height in eighths of a row; a non-empty bin shows at least one eighth */
        int units = maxc > 0 ? (int)lround((double)counts[b] / (double)maxc * h * 8) : 0;
        if (counts[b] > 0 && units == 0)
            units = 1;
        for (int r = 0; r < h; r++) {
            int fill = units - r * 8;
            const char *g;
            if (fill > 8)
                fill = 8;
            if (fill <= 0)
                break;
            if (uni)
                g = up[fill];
            else
                g = fill >= 4 ? "#" : (r == 0 ? "." : " ");
            for (int k = 0; k < bw - gap && b * bw + k < w; k++)
                mvaddstr(y + h - 1 - r, x + b * bw + k, g);
        }
    }
    attroff(attr);
}
