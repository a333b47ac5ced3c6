/* ui.h -- the one ncurses screen: init and teardown, colours, the frame loop and panels.
** Only tui/ includes ncurses. Dashboards (the training monitor, the data explorer, the runs
** view later) are a ui_Screen of panels; a panel type is a const ui_PanelClass of callbacks,
** so a new panel is one file plus one table entry. Everything runs on the one thread that
** also owns the Lua state; nothing here calls Lua. */
#ifndef MN_TUI_UI_H
#define MN_TUI_UI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* ---- process-wide settings from the command line (tests) ---- */

/* --frames N: every screen quits after N frames, shows "frame k/N" in its status line, and
** ui_done() prints the last frame to stdout (htop -n). 0 = no limit. */
void   ui_set_frames(int n);
int    ui_frames_limit(void);
/* --clock fixed:<iso-time>: every displayed wall time is 't' (seconds since the epoch, UTC)
** and every displayed duration, rate and ETA is frozen, so screens are repeatable. Returns
** MN_EARG with a message for a malformed spec ("fixed:2024-01-02T00:00:00Z"). */
int    ui_set_clock(const char *spec, mn_Err *e);
int    ui_clock_fixed(void);
double ui_wall(void);               /* seconds since the epoch (or the fixed time) */
double ui_mono(void);               /* monotonic seconds; constant 0 while the clock is fixed */

/* ---- the screen ---- */

/* Colour roles; ui_attr(role) gives the attribute (A_NORMAL-ish without colour/NO_COLOR). */
enum {
    UI_C_TEXT = 0, UI_C_TITLE, UI_C_DIM, UI_C_GOOD, UI_C_BAD, UI_C_WARN, UI_C_ACCENT,
    UI_C_SERIES1, UI_C_SERIES2, UI_C_SERIES3, UI_C_SEL, UI_C_BAR, UI_C_NROLES
};

/* Take the terminal (initscr, cbreak, no echo, keypad, hidden cursor, own SIGWINCH handler,
** LC_CTYPE from the environment for UTF-8). Fails with MN_EIO when stdin or stdout is not a
** terminal or the terminal type is unknown. Nested calls are refused (one screen at a time). */
int  ui_init(mn_Err *e);
/* Give the terminal back exactly as it was (endwin; the SIGWINCH handler, the SIGINT handler
** ui_on_sigint replaced, and the locale restored). With --frames the last frame is then
** printed to stdout as plain text. Safe to call twice. */
void ui_done(void);
/* While the screen is open, SIGINT goes to 'fn' (a dashboard's own Ctrl-C: the REPL's handler
** would raise a Lua error in whatever Lua code runs next). The caller's handler is kept and
** ui_done() puts it back, on every path. A no-op when no screen is open. */
void ui_on_sigint(void (*fn)(int));
int  ui_active(void);
int  ui_attr(int role);             /* attribute for a colour role (bold/reverse when no colour) */
int  ui_unicode(void);              /* 1 when the terminal takes UTF-8 (braille, blocks) */

/* ---- panels and the frame loop ---- */

typedef struct ui_Panel ui_Panel;
typedef struct ui_Screen ui_Screen;

/* What a key handler asks of the loop (bit flags). */
enum { UI_GO = 0, UI_QUIT = 1, UI_REDRAW = 2, UI_HANDLED = 4 };

typedef struct ui_PanelClass {
    void (*draw)(ui_Panel *p);                 /* draw into p->y..p->y+p->h, p->x..p->x+p->w */
    int  (*key)(ui_Panel *p, int ch);          /* UI_* flags; NULL: the panel takes no keys */
} ui_PanelClass;

struct ui_Panel {
    const ui_PanelClass *cls;
    int   y, x, h, w;                          /* set by the screen's layout callback */
    int   visible;
    void *ud;                                  /* the dashboard's state, shared by its panels */
};

#define UI_MAXPANELS 12

struct ui_Screen {
    ui_Panel panels[UI_MAXPANELS];
    int      npanels, focus;                   /* focus: panel that gets keys first, -1 none */
    int      min_w, min_h;                     /* below this: a plain "too small" message */
    void    *ud;
    /* lay the panels out for a LINES x COLS screen (called on start and on every resize) */
    void   (*layout)(ui_Screen *s, int rows, int cols);
    /* keys no panel handled: quit, help, pause ... (may be NULL) */
    int    (*key)(ui_Screen *s, int ch);
    /* the status line at the bottom (may be NULL); draw with ui_text */
    void   (*status)(ui_Screen *s, int row, int cols);
    int      frame;                            /* frames drawn so far */
};

/* Add a panel of class 'cls'; returns it (NULL when UI_MAXPANELS are in use). */
ui_Panel *ui_add(ui_Screen *s, const ui_PanelClass *cls, void *ud);

/* One frame: apply a pending resize, redraw every visible panel and the status line, then
** wait up to 'wait_ms' for a key (0: just poll, <0: forever) and dispatch it to the focused
** panel, then to the screen. Returns UI_* flags; UI_QUIT also when the --frames limit is
** reached. Ctrl-C (the interrupt flag) is the caller's to check. '*key' gets the key read
** (ERR when none) and may be NULL. */
int  ui_frame(ui_Screen *s, int wait_ms, int *key);
/* Read a pending key without waiting or drawing and dispatch it as ui_frame does (for loops
** that poll keys often but draw seldom, like the training monitor). Returns UI_* flags;
** UI_REDRAW also when a resize is pending or nothing has been drawn yet. */
int  ui_poll(ui_Screen *s, int *key);

/* ---- drawing helpers (clip to the given width; never write past it) ---- */

/* printf at (y, x) clipped to 'maxw' columns, in 'attr'. Returns the columns written. */
int  ui_text(int y, int x, int maxw, int attr, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Fill 'w' columns at (y, x) with spaces in 'attr'. */
void ui_blank(int y, int x, int w, int attr);
/* A box-drawn frame with a title in the top border. */
void ui_box(int y, int x, int h, int w, const char *title, int attr);
/* A horizontal bar of 'w' columns filled to 'frac' (0..1) with eighth-blocks (ASCII '#'). */
void ui_bar(int y, int x, int w, double frac, int attr);
/* Compact number: below 10^4 with 4 significant digits ("1234", "0.1235"); from 10^4 with 3
** and a k/M/G suffix ("12.3k", "1.92M"); "-" for NaN, "inf"/"-inf". */
char *ui_num(double v, char *buf, int n);
/* Duration as "4.2s", "3m05s", "2h07m", "5d03h" (from 100 h); "--" when unknown (NaN, inf,
** negative) or absurd (over 30 years). */
char *ui_dur(double secs, char *buf, int n);
/* Display width in columns of a UTF-8 string (1 per code point; good for our text). */
int  ui_width(const char *s);
/* 's' cut to at most 'w' columns into buf[0..n): unchanged when it fits, else its first w-1
** columns and an ellipsis ("\u2026" on a UTF-8 terminal, "~" otherwise). Never splits a UTF-8
** sequence; a buffer too small for the text is cut there too (with the ellipsis when it fits).
** w <= 0 gives "". Returns buf. */
char *ui_clip(const char *s, int w, char *buf, size_t n);

#endif
