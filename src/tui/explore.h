/* explore.h -- the data explorer (moneta.dash.explore): a frame full screen, with a table panel,
** a side panel of the selected column's statistics and histogram, and a status line. The table
** panel (ui_Table, ui_table_panel) works on any frame and knows nothing of the explorer, so the
** runs browser is a new screen that reuses it with its own side panel. Not here: drawing
** primitives (ui.h), Lua (lua/l_explore.c). */
#ifndef MN_TUI_EXPLORE_H
#define MN_TUI_EXPLORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "data/frame.h"
#include "tui/ui.h"

/* ---- the explorer screen ---- */

typedef struct ui_ExploreOpts {
    int64_t     row;          /* 1-based frame row to start on; 0 = the first */
    const char *column;       /* column to start on (NULL = the first) */
    const char *sort;         /* column to sort by at start (NULL = frame order) */
    int         desc;         /* with 'sort': descending */
    const char *title;        /* shown in the status line (NULL = "frame") */
} ui_ExploreOpts;

/* Show 'f' full screen until q, Esc or Ctrl-C (Ctrl-C closes the explorer like q: it does not
** set the core's interrupt flag, so the caller sees a normal return). 'o' may be NULL. The
** frame is borrowed and never modified; sorting permutes row indices. Errors, in this order:
** MN_EARG for an unknown column in 'o' ("explore: option 'sort': no column 'x'"), MN_ENOMEM,
** errors of the start sort, MN_EIO with no terminal (from ui_init: "dashboard: needs a
** terminal on stdin and stdout"). The terminal is restored on every path. */
int ui_explore(const fr_Frame *f, const ui_ExploreOpts *o, mn_Err *e);

/* ---- the table view: any frame as a scrollable, sortable grid ---- */

#define UI_TABLE_MAXW 24      /* widest a column is drawn (longer cells end in an ellipsis) */

typedef struct ui_Table {
    const fr_Frame *f;        /* borrowed; outlives the table */
    int64_t  n;               /* rows */
    int      ncols;
    int64_t *perm;            /* view order: line k shows frame row perm[k] */
    int64_t  cur, top;        /* cursor line and first visible line, in view order */
    int      col, left;       /* cursor column and first visible column */
    int      sort_col;        /* -1: frame order */
    int      sort_desc;
    int     *width;           /* content width per column, sampled at init */
    int      page;            /* data lines visible at the last draw (>= 1) */
    char     msg[128];        /* a note for the owning screen (a failed sort); "" = none */
} ui_Table;

/* Set up a view of 'f' in frame order with the cursor on the first cell. Column widths are
** sampled (the first and last rows and a stride through the rest), so init is O(columns).
** Free with ui_table_free (also after a failed init). Errors: MN_ENOMEM. */
int  ui_table_init(ui_Table *t, const fr_Frame *f, mn_Err *e);
void ui_table_free(ui_Table *t);

/* Order the view by column 'col' (stable; missing values last either way; fr_order), or
** restore frame order with col = -1. A sort puts the cursor on the first line; restoring
** frame order keeps it on the same frame row. Errors: as fr_order (MN_ENOMEM, MN_EINTR); the
** view (order, cursor, sort column) is then unchanged. */
int  ui_table_sort(ui_Table *t, int col, int desc, mn_Err *e);

/* Move the cursor, clamped to the frame. */
void ui_table_goto(ui_Table *t, int64_t line);
void ui_table_goto_col(ui_Table *t, int col);
/* The view line showing frame row 'row' (0-based), or -1. O(n) when sorted. */
int64_t ui_table_line_of(const ui_Table *t, int64_t row);

/* A cell as the table shows it (and as the REPL prints frames): whole numbers in full, other
** doubles to 7 significant digits, dates ISO, "NA" for missing (returns 1 then, else 0),
** control characters as spaces. */
int  ui_cell_text(const fr_Column *c, int64_t row, char *buf, size_t size);

/* Search the view for 'needle' (a case-insensitive substring of the cell text) in column
** 'col', or in every column when col < 0, starting after (line, c) and going forward
** (dir > 0) or back (dir < 0), wrapping around once. On a match returns 1 and sets *oline,
** *ocol and *wrapped (1 when the search passed the end or the start); 0 when nothing matches.
** An empty needle matches nothing. */
int  ui_table_search(const ui_Table *t, const char *needle, int col, int64_t line, int c,
                     int dir, int64_t *oline, int *ocol, int *wrapped);

/* The panel: ud is a ui_Table *. Draws the header (names and types), the row-number gutter
** (frame row numbers, so a sorted view still says which row is which), the cells with the
** cursor cell highlighted, and takes the moving and sorting keys: arrows, hjkl, PgUp/PgDn,
** Space, b, Home/End, g/G, 0/$, < > s S (sort up/down), r (frame order). */
extern const ui_PanelClass ui_table_panel;

/* ---- column statistics (explore_stats.c), what the side panel shows ---- */

#define UI_TOPN    10         /* top values kept for categorical columns */
#define UI_MAXBINS 256

typedef struct ui_ColStats {
    fr_Type type;
    int64_t n, count, missing;            /* rows, non-missing, missing */
    int64_t distinct;                     /* distinct non-missing values */
    /* numeric (f64, bool): NaN when count == 0; dates: min/max in ns as doubles */
    double  mean, std, min, max, q25, q50, q75;
    int     integers;                     /* f64: every value is a whole number */
    /* cat, text, bool: the most frequent values, most first (ties in first-seen order) */
    int     ntop;
    char   *top[UI_TOPN];
    int64_t topc[UI_TOPN];
    /* histogram (f64, date, datetime), binned for the last width asked (ui_col_hist) */
    int     nbins, hist_asked;                /* bins made, and for what 'maxbins' */
    double  hlo, hhi;                     /* bin i covers [hlo + i*(hhi-hlo)/nbins, ...) */
    int64_t hist[UI_MAXBINS];
} ui_ColStats;

/* Compute the statistics of 'c' (O(n log n) for quantiles; distinct counts hash). Missing
** values are skipped and counted. Free with ui_col_stats_free. Errors: MN_ENOMEM. */
int  ui_col_stats(const fr_Column *c, ui_ColStats *s, mn_Err *e);
void ui_col_stats_free(ui_ColStats *s);

/* Bin the non-missing values of a numeric or time column into at most 'maxbins' bins over
** [min, max] (s must come from ui_col_stats). Whole-number columns with a small range get one
** bin per integer (so 0/1 gives two bars); a constant column gets one bin. O(n). */
void ui_col_hist(const fr_Column *c, ui_ColStats *s, int maxbins);

/* ---- histograms (hist.c) ---- */

/* counts[0..nbins) of x[0..n) in equal bins over [lo, hi]; values outside or NaN are skipped,
** hi itself goes in the last bin; lo == hi puts every x == lo in bin 0. */
void ui_hist_counts(const double *x, int64_t n, int nbins, double lo, double hi,
                    int64_t *counts);
/* Draw counts[0..nbins) as vertical bars filling h rows by w columns at (y, x), scaled to the
** largest count, with eighth blocks (ASCII '#' and '.' without UTF-8). */
void ui_hist_draw(int y, int x, int h, int w, const int64_t *counts, int nbins, int attr);

#endif
