/* explore_table.c -- the table panel: a frame as a grid over a row permutation (sorting never
** copies the frame), with a frozen row-number gutter, columns sized from a sample of their
** cells, and a cursor cell. It is generic on purpose: the explorer uses it with its statistics
** panel, and the runs browser will use it on a frame of runs with a panel of its own. */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "data/ops.h"
#include "tui/explore.h"

#define BOLD  ((int)A_BOLD)      /* ncurses attributes are unsigned; ui_attr() gives int */

/* ---- the view ---- */

/* Content width of column j from a sample: the first 200 rows, the last 50 and a stride of
** about 500 through the rest, so opening a 1M-row frame costs the same as a small one. */
static int sample_width(const fr_Frame *f, int j) {
    fr_Column *c = fr_col(f, j);
    int64_t n = fr_nrows(f), step = n > 750 ? n / 500 : 1, tail = n > 250 ? n - 50 : n;
    int w = ui_width(fr_name(f, j)), tw = (int)strlen(fr_type_name(fr_col_type(c))) + 2;
    char buf[256];
    if (tw > w)
        w = tw;                           /* room for the type and a sort arrow */
    for (int64_t i = 0; i < n && w < UI_TABLE_MAXW;) {
        int cw;
        ui_cell_text(c, i, buf, sizeof buf);
        cw = ui_width(buf);
        if (cw > w)
            w = cw;
        if (i < 200 || i >= tail)
            i++;
        else if ((i += step) >= tail)
            i = tail;
    }
    return w < UI_TABLE_MAXW ? w : UI_TABLE_MAXW;
}

int ui_table_init(ui_Table *t, const fr_Frame *f, mn_Err *e) {
    memset(t, 0, sizeof *t);
    t->f = f;
    t->n = fr_nrows(f);
    t->ncols = fr_ncols(f);
    t->sort_col = -1;
    t->page = 20;
    t->perm = mn_malloc((size_t)(t->n > 0 ? t->n : 1) * sizeof *t->perm);
    t->width = mn_malloc((size_t)(t->ncols > 0 ? t->ncols : 1) * sizeof *t->width);
    if (t->perm == NULL || t->width == NULL)
        return mn_fail(e, MN_ENOMEM, "explore: out of memory for %lld rows", (long long)t->n);
    for (int64_t i = 0; i < t->n; i++)
        t->perm[i] = i;
    for (int j = 0; j < t->ncols; j++)
        t->width[j] = sample_width(f, j);
    return MN_OK;
}

void ui_table_free(ui_Table *t) {
    mn_free(t->perm);
    mn_free(t->width);
    t->perm = NULL;
    t->width = NULL;
}

int64_t ui_table_line_of(const ui_Table *t, int64_t row) {
    if (row < 0 || row >= t->n)
        return -1;
    if (t->sort_col < 0)
        return row;
    for (int64_t k = 0; k < t->n; k++)
        if (t->perm[k] == row)
            return k;
    return -1;
}

int ui_table_sort(ui_Table *t, int col, int desc, mn_Err *e) {
    int64_t row = t->n > 0 ? t->perm[t->cur] : 0;
    if (col < 0 || col >= t->ncols) {
        for (int64_t i = 0; i < t->n; i++)
            t->perm[i] = i;
        t->sort_col = -1;
        t->sort_desc = 0;
    } else {
        /* into a scratch order, kept only on success: a failed sort (Ctrl-C, memory) leaves
        ** the view as it was */
        fr_SortKey key = {fr_name(t->f, col), desc};
        int64_t *order = mn_malloc((size_t)(t->n > 0 ? t->n : 1) * sizeof *order);
        int rc;
        if (order == NULL)
            return mn_fail(e, MN_ENOMEM, "sort: out of memory for %lld rows", (long long)t->n);
        if ((rc = fr_order(t->f, &key, 1, order, e)) != MN_OK) {
            mn_free(order);
            return rc;
        }
        mn_free(t->perm);
        t->perm = order;
        t->sort_col = col;
        t->sort_desc = desc != 0;
    }
    /* a new order starts at its top (the largest value, sorting down); back to frame order
    ** keeps the row in view */
    t->cur = t->sort_col >= 0 || t->n == 0 ? 0 : row;
    t->top = t->cur;
    return MN_OK;
}

void ui_table_goto(ui_Table *t, int64_t line) {
    if (line >= t->n)
        line = t->n - 1;
    if (line < 0)
        line = 0;
    t->cur = line;
}

void ui_table_goto_col(ui_Table *t, int col) {
    if (col >= t->ncols)
        col = t->ncols - 1;
    if (col < 0)
        col = 0;
    t->col = col;
}

/* ---- search ---- */

/* Case-insensitive (ASCII) substring test; 'needle' is already lower case. */
static int contains(const char *hay, const char *needle) {
    size_t nl = strlen(needle);
    for (const char *h = hay; *h; h++) {
        size_t k = 0;
        while (k < nl && h[k] && tolower((unsigned char)h[k]) == needle[k])
            k++;
        if (k == nl)
            return 1;
    }
    return 0;
}

/* Per-column memo for categorical columns: does level k match? (-1 not yet known). */
typedef struct Memo {
    signed char **lv;
} Memo;

static int cell_matches(const ui_Table *t, Memo *m, int j, int64_t row, const char *needle) {
    fr_Column *c = fr_col(t->f, j);
    char buf[256];
    if (fr_col_type(c) == FR_CAT && m->lv != NULL) {
        int32_t code = fr_col_codes(c)[row];
        int32_t nl = fr_cat_nlevels(c);
        if (code < 0)
            return contains("NA", needle);
        if (m->lv[j] == NULL && (m->lv[j] = mn_malloc((size_t)(nl > 0 ? nl : 1))) != NULL)
            memset(m->lv[j], -1, (size_t)(nl > 0 ? nl : 1));
        if (m->lv[j] != NULL) {
            if (m->lv[j][code] < 0)
                m->lv[j][code] = (signed char)contains(fr_cat_level(c, code), needle);
            return m->lv[j][code];
        }
    }
    if (fr_col_type(c) == FR_TEXT && !fr_col_isna(c, row))
        return contains(fr_col_text(c)[row], needle);
    ui_cell_text(c, row, buf, sizeof buf);
    return contains(buf, needle);
}

int ui_table_search(const ui_Table *t, const char *needle, int col, int64_t line, int c,
                    int dir, int64_t *oline, int *ocol, int *wrapped) {
    char low[256];
    int nc = col < 0 ? t->ncols : 1, found = 0;
    int64_t total, start;
    Memo m;
    size_t k;
    if (needle == NULL || needle[0] == '\0' || t->n == 0 || t->ncols == 0)
        return 0;
    for (k = 0; needle[k] && k + 1 < sizeof low; k++)
        low[k] = (char)tolower((unsigned char)needle[k]);
    low[k] = '\0';
    total = t->n * nc;
    start = line * nc + (col < 0 ? c : 0);
    m.lv = mn_calloc((size_t)t->ncols, sizeof *m.lv);   /* NULL: search without the memo */
    for (int64_t s = 1; s <= total; s++) {
        int64_t p = dir >= 0 ? (start + s) % total : ((start - s) % total + total) % total;
        int64_t ln = p / nc;
        int j = col < 0 ? (int)(p % nc) : col;
        if (cell_matches(t, &m, j, t->perm[ln], low)) {
            *oline = ln;
            *ocol = j;
            *wrapped = dir >= 0 ? p <= start : p >= start;
            found = 1;
            break;
        }
    }
    if (m.lv != NULL) {
        for (int j = 0; j < t->ncols; j++)
            mn_free(m.lv[j]);
        mn_free(m.lv);
    }
    return found;
}

/* ---- the panel ---- */

static int is_right(fr_Type ty) { return ty == FR_F64 || ty == FR_BOOL; }

/* Draw 'text' in a cell of 'w' columns at (y, x), padded by one space each side, right- or
** left-aligned, cut with an ellipsis when it does not fit. */
static void draw_cell(int y, int x, int w, const char *text, int right, int attr) {
    char cut[UI_TABLE_MAXW * 4 + 8];
    int tw;
    ui_clip(text, w, cut, sizeof cut);
    tw = ui_width(cut);
    ui_blank(y, x, w + 2, attr);
    ui_text(y, x + 1 + (right ? w - tw : 0), w, attr, "%s", cut);
}

static void table_draw(ui_Panel *p) {
    ui_Table *t = p->ud;
    int rows = p->h - 2, gw, x0, avail, x, j, last = -1;
    int right_edge = p->x + p->w;
    char buf[256];
    if (rows < 1)
        rows = 1;
    t->page = rows;
    ui_table_goto(t, t->cur);
    ui_table_goto_col(t, t->col);
    /* rows: keep the cursor in view; never leave empty lines below the last row */
    if (t->cur < t->top)
        t->top = t->cur;
    if (t->cur >= t->top + rows)
        t->top = t->cur - rows + 1;
    if (t->top > t->n - rows)
        t->top = t->n - rows;
    if (t->top < 0)
        t->top = 0;
    /* gutter: the widest frame row number */
    gw = snprintf(buf, sizeof buf, "%lld", (long long)t->n);
    if (gw < 3)
        gw = 3;
    x0 = p->x + gw + 1;
    avail = right_edge - x0;
    /* columns: keep the cursor column fully in view */
    if (t->col < t->left)
        t->left = t->col;
    for (;;) {
        int span = 0;
        for (int k = t->left; k <= t->col && k < t->ncols; k++)
            span += t->width[k] + 2;
        if (span <= avail || t->left >= t->col)
            break;
        t->left++;
    }
    if (t->ncols == 0) {
        ui_text(p->y, p->x, p->w, ui_attr(UI_C_DIM), "(no columns)");
        return;
    }
    /* header: names, then types (with the sort arrow) */
    ui_blank(p->y, p->x, p->w, ui_attr(UI_C_TITLE));
    ui_text(p->y + 1, p->x, gw, ui_attr(UI_C_DIM), "%*s", gw, "row");
    if (t->left > 0)
        ui_text(p->y, p->x, 1, ui_attr(UI_C_ACCENT), "%s", ui_unicode() ? "\u2039" : "<");
    for (j = t->left, x = x0; j < t->ncols; j++) {
        fr_Column *c = fr_col(t->f, j);
        int w = t->width[j], sel = j == t->col;
        if (x + w + 2 > right_edge)
            break;
        draw_cell(p->y, x, w, fr_name(t->f, j), is_right(fr_col_type(c)),
                  sel ? ui_attr(UI_C_SEL) | BOLD : ui_attr(UI_C_TITLE));
        if (j == t->sort_col)
            snprintf(buf, sizeof buf, "%s %s", fr_type_name(fr_col_type(c)),
                     ui_unicode() ? (t->sort_desc ? "\u2193" : "\u2191")
                                  : (t->sort_desc ? "v" : "^"));
        else
            snprintf(buf, sizeof buf, "%s", fr_type_name(fr_col_type(c)));
        draw_cell(p->y + 1, x, w, buf, is_right(fr_col_type(c)),
                  j == t->sort_col ? ui_attr(UI_C_ACCENT) | BOLD : ui_attr(UI_C_DIM));
        last = j;
        x += w + 2;
    }
    if (last + 1 < t->ncols)
        ui_text(p->y, right_edge - 1, 1, ui_attr(UI_C_ACCENT), "%s",
                ui_unicode() ? "\u203a" : ">");
    if (t->n == 0) {
        ui_text(p->y + 2, x0 + 1, avail - 1, ui_attr(UI_C_DIM), "(no rows)");
        return;
    }
    /* body */
    for (int r = 0; r < rows && t->top + r < t->n; r++) {
        int64_t line = t->top + r, row = t->perm[line];
        int y = p->y + 2 + r, cur = line == t->cur;
        ui_text(y, p->x, gw, cur ? ui_attr(UI_C_ACCENT) | BOLD : ui_attr(UI_C_DIM), "%*lld",
                gw, (long long)row + 1);
        for (j = t->left, x = x0; j <= last; j++) {
            fr_Column *c = fr_col(t->f, j);
            int na = ui_cell_text(c, row, buf, sizeof buf), attr;
            if (cur && j == t->col)
                attr = ui_attr(UI_C_SEL) | BOLD;
            else if (na)
                attr = ui_attr(UI_C_DIM);
            else
                attr = cur ? BOLD : ui_attr(UI_C_TEXT);
            draw_cell(y, x, t->width[j], buf, is_right(fr_col_type(c)), attr);
            x += t->width[j] + 2;
        }
    }
}

static int table_key(ui_Panel *p, int ch) {
    ui_Table *t = p->ud;
    mn_Err e = {0};
    int64_t page = t->page > 1 ? t->page : 1;
    switch (ch) {
    case KEY_DOWN: case 'j': ui_table_goto(t, t->cur + 1); break;
    case KEY_UP: case 'k': ui_table_goto(t, t->cur - 1); break;
    case KEY_RIGHT: case 'l': ui_table_goto_col(t, t->col + 1); break;
    case KEY_LEFT: case 'h': ui_table_goto_col(t, t->col - 1); break;
    case KEY_NPAGE: case ' ': case 6:         /* Ctrl-F */
        t->top += page;
        ui_table_goto(t, t->cur + page);
        break;
    case KEY_PPAGE: case 'b': case 2:         /* Ctrl-B */
        t->top -= page;
        if (t->top < 0)
            t->top = 0;
        ui_table_goto(t, t->cur - page);
        break;
    case KEY_HOME: case 'g': ui_table_goto(t, 0); break;
    case KEY_END: case 'G': ui_table_goto(t, t->n - 1); break;
    case '0': case '^': ui_table_goto_col(t, 0); break;
    case '$': ui_table_goto_col(t, t->ncols - 1); break;
    case '<': case 's': case '>': case 'S':
        if (t->ncols > 0 && ui_table_sort(t, t->col, ch == '>' || ch == 'S', &e) != MN_OK)
            snprintf(t->msg, sizeof t->msg, "%.120s", e.msg);
        break;
    case 'r':
        ui_table_sort(t, -1, 0, &e);
        break;
    default:
        return UI_GO;
    }
    return UI_REDRAW | UI_HANDLED;
}

const ui_PanelClass ui_table_panel = {table_draw, table_key};
