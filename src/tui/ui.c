/* ui.c -- the ncurses screen: init/teardown, colours, the test clock and frame limit, the frame
** loop with resize handling and the "too small" message, and small clipped drawing helpers.
** Only ui_init/ui_done call initscr/endwin. */
#define NCURSES_WIDECHAR 1
#include "tui/ui.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "core/clock.h"
#include "core/mem.h"

/* Process-wide: the --frames/--clock test settings come from the command line, and the
** screen state mirrors ncurses' own global screen (STYLE 5: ncurses has no user pointer). */
static int    frames_limit;
static int    clock_is_fixed;
static double clock_value;
static struct {
    int active, color, unicode;
    int attrs[UI_C_NROLES];
    SCREEN *scr;
    struct sigaction old_winch;
    struct sigaction old_int;    /* the caller's SIGINT handler, with ui_on_sigint */
    int int_set;
    char *old_ctype;
    char **dump;                 /* the last frame's text with --frames */
    int ndump;
} S;
static volatile sig_atomic_t winch_pending;

/* ---- settings ---- */

void ui_set_frames(int n) { frames_limit = n > 0 ? n : 0; }
int  ui_frames_limit(void) { return frames_limit; }
int  ui_clock_fixed(void) { return clock_is_fixed; }

int ui_set_clock(const char *spec, mn_Err *e) {
    int Y, M, D, h = 0, m = 0, s = 0, n = 0;
    struct tm tm;
    if (spec == NULL || strncmp(spec, "fixed:", 6) != 0)
        return mn_fail(e, MN_EARG, "--clock: expected fixed:<YYYY-MM-DDTHH:MM:SSZ>, got '%s'",
                       spec ? spec : "");
    if (sscanf(spec + 6, "%4d-%2d-%2d%n", &Y, &M, &D, &n) != 3)
        return mn_fail(e, MN_EARG, "--clock: '%s' is not a date (fixed:2024-01-02T00:00:00Z)",
                       spec + 6);
    if (spec[6 + n] == 'T' && sscanf(spec + 6 + n + 1, "%2d:%2d:%2d", &h, &m, &s) != 3)
        return mn_fail(e, MN_EARG, "--clock: '%s' has a bad time (HH:MM:SS)", spec + 6);
    if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || s > 60)
        return mn_fail(e, MN_EARG, "--clock: '%s' is out of range", spec + 6);
    memset(&tm, 0, sizeof tm);
    tm.tm_year = Y - 1900;
    tm.tm_mon = M - 1;
    tm.tm_mday = D;
    tm.tm_hour = h;
    tm.tm_min = m;
    tm.tm_sec = s;
    clock_value = (double)timegm(&tm);
    clock_is_fixed = 1;
    return MN_OK;
}

double ui_wall(void) {
    struct timespec ts;
    if (clock_is_fixed)
        return clock_value;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double ui_mono(void) { return clock_is_fixed ? 0.0 : mn_now(); }

/* ---- init and teardown ---- */

static void on_winch(int sig) {
    (void)sig;
    winch_pending = 1;
}

static void init_colors(void) {
    static const struct { short fg; int extra; } pal[UI_C_NROLES] = {
        [UI_C_TEXT] = {-1, 0},           [UI_C_TITLE] = {COLOR_CYAN, A_BOLD},
        [UI_C_DIM] = {-1, A_DIM},        [UI_C_GOOD] = {COLOR_GREEN, A_BOLD},
        [UI_C_BAD] = {COLOR_RED, A_BOLD}, [UI_C_WARN] = {COLOR_YELLOW, 0},
        [UI_C_ACCENT] = {COLOR_MAGENTA, 0}, [UI_C_SERIES1] = {COLOR_CYAN, 0},
        [UI_C_SERIES2] = {COLOR_YELLOW, 0}, [UI_C_SERIES3] = {COLOR_GREEN, 0},
        [UI_C_SEL] = {-1, A_REVERSE},    [UI_C_BAR] = {COLOR_GREEN, 0},
    };
    /* without colour: weight and reverse video carry the roles */
    static const int mono[UI_C_NROLES] = {
        [UI_C_TITLE] = A_BOLD, [UI_C_DIM] = A_DIM, [UI_C_GOOD] = A_BOLD, [UI_C_BAD] = A_BOLD,
        [UI_C_WARN] = A_BOLD, [UI_C_ACCENT] = A_BOLD, [UI_C_SEL] = A_REVERSE,
    };
    const char *nc = getenv("NO_COLOR");
    S.color = has_colors() && (nc == NULL || nc[0] == '\0');
    if (S.color) {
        start_color();
        use_default_colors();
    }
    for (int r = 0; r < UI_C_NROLES; r++) {
        if (S.color && pal[r].fg >= 0) {
            init_pair((short)(r + 1), pal[r].fg, -1);
            S.attrs[r] = (int)COLOR_PAIR(r + 1) | pal[r].extra;
        } else {
            S.attrs[r] = S.color ? pal[r].extra : mono[r];
        }
    }
}

static void free_dump(void) {
    for (int i = 0; i < S.ndump; i++)
        mn_free(S.dump[i]);
    mn_free(S.dump);
    S.dump = NULL;
    S.ndump = 0;
}

int ui_init(mn_Err *e) {
    struct sigaction sa;
    const char *cur;
    SCREEN *scr;
    if (S.active)
        return mn_fail(e, MN_EARG, "dashboard: another dashboard is already open");
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return mn_fail(e, MN_EIO, "dashboard: needs a terminal on stdin and stdout");
    /* the caller's SIGWINCH handler, saved before newterm may install ncurses' own */
    sigaction(SIGWINCH, NULL, &S.old_winch);
    cur = setlocale(LC_CTYPE, NULL);
    S.old_ctype = cur ? mn_strdup(cur) : NULL;
    if (cur != NULL && S.old_ctype == NULL)
        return mn_fail(e, MN_ENOMEM, "dashboard: out of memory");
    setlocale(LC_CTYPE, "");
    S.unicode = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    /* newterm, not initscr: initscr exits the process on an unknown TERM */
    scr = newterm(NULL, stdout, stdin);
    if (scr == NULL) {
        sigaction(SIGWINCH, &S.old_winch, NULL);
        if (S.old_ctype)
            setlocale(LC_CTYPE, S.old_ctype);
        mn_free(S.old_ctype);
        S.old_ctype = NULL;
        return mn_fail(e, MN_EIO, "dashboard: terminal type '%s' is unknown to ncurses",
                       getenv("TERM") ? getenv("TERM") : "(unset)");
    }
    set_term(scr);
    S.scr = scr;
    cbreak();                   /* Ctrl-C still raises SIGINT: the core's interrupt flag */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    init_colors();
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_winch;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGWINCH, &sa, NULL);
    winch_pending = 0;
    free_dump();
    S.active = 1;
    return MN_OK;
}

/* The text a line-drawing (alternate character set) cell stands for. */
static wchar_t acs_text(wchar_t c) {
    static const struct { char acs; wchar_t uni; char ascii; } map[] = {
        {'q', 0x2500, '-'}, {'x', 0x2502, '|'}, {'l', 0x250c, '+'}, {'k', 0x2510, '+'},
        {'m', 0x2514, '+'}, {'j', 0x2518, '+'}, {'t', 0x251c, '+'}, {'u', 0x2524, '+'},
        {'v', 0x2534, '+'}, {'w', 0x252c, '+'}, {'n', 0x253c, '+'}, {'~', 0x00b7, '.'},
        {'a', 0x2592, '#'}, {'`', 0x25c6, '+'},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (c == (wchar_t)map[i].acs)
            return S.unicode ? map[i].uni : (wchar_t)map[i].ascii;
    return c;
}

/* Keep the screen's text (for --frames) before endwin wipes it. Cells are read one by one:
** box lines live in the alternate character set, whose cells hold 'q', 'x', ... */
static void take_dump(void) {
    int rows = LINES, cols = COLS < 1023 ? COLS : 1023;
    free_dump();
    S.dump = mn_calloc((size_t)rows, sizeof *S.dump);
    if (S.dump == NULL)
        return;
    for (int r = 0; r < rows; r++) {
        size_t cap = (size_t)cols * MB_CUR_MAX + 1, len = 0;
        char *line = mn_malloc(cap);
        if (line == NULL)
            break;
        for (int c = 0; c < cols; c++) {
            cchar_t cc;
            wchar_t wc[CCHARW_MAX + 1];
            attr_t a;
            short pair;
            char mb[MB_LEN_MAX];
            size_t n;
            if (mvin_wch(r, c, &cc) == ERR || getcchar(&cc, wc, &a, &pair, NULL) == ERR ||
                wc[0] == L'\0')
                continue;                  /* the right half of a wide character */
            if (a & A_ALTCHARSET)
                wc[0] = acs_text(wc[0]);
            n = wcrtomb(mb, wc[0], &(mbstate_t){0});
            if (n == (size_t)-1) {
                mb[0] = '?';
                n = 1;
            }
            if (len + n < cap) {
                memcpy(line + len, mb, n);
                len += n;
            }
        }
        line[len] = '\0';
        while (len > 0 && line[len - 1] == ' ')
            line[--len] = '\0';
        S.dump[S.ndump++] = line;
    }
}

void ui_done(void) {
    if (!S.active)
        return;
    if (frames_limit > 0)
        take_dump();
    curs_set(1);
    endwin();
    delscreen(S.scr);
    S.scr = NULL;
    sigaction(SIGWINCH, &S.old_winch, NULL);
    if (S.int_set) {
        sigaction(SIGINT, &S.old_int, NULL);
        S.int_set = 0;
    }
    if (S.old_ctype != NULL) {
        setlocale(LC_CTYPE, S.old_ctype);
        mn_free(S.old_ctype);
        S.old_ctype = NULL;
    }
    S.active = 0;
    if (S.dump != NULL) {
        int last = S.ndump;
        while (last > 0 && S.dump[last - 1][0] == '\0')
            last--;
        for (int i = 0; i < last; i++)
            printf("%s\n", S.dump[i]);
        fflush(stdout);
        free_dump();
    }
}

void ui_on_sigint(void (*fn)(int)) {
    struct sigaction sa;
    if (!S.active || fn == NULL)
        return;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    /* the first call keeps the caller's handler; later ones only replace ours */
    sigaction(SIGINT, &sa, S.int_set ? NULL : &S.old_int);
    S.int_set = 1;
}

int ui_active(void) { return S.active; }
int ui_attr(int role) { return role >= 0 && role < UI_C_NROLES ? S.attrs[role] : 0; }
int ui_unicode(void) { return S.unicode; }

/* ---- panels and the frame loop ---- */

ui_Panel *ui_add(ui_Screen *s, const ui_PanelClass *cls, void *ud) {
    ui_Panel *p;
    if (s->npanels >= UI_MAXPANELS)
        return NULL;
    p = &s->panels[s->npanels++];
    memset(p, 0, sizeof *p);
    p->cls = cls;
    p->ud = ud;
    p->visible = 1;
    return p;
}

static void apply_resize(ui_Screen *s) {
    struct winsize ws;
    if (winch_pending) {
        winch_pending = 0;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
            resizeterm(ws.ws_row, ws.ws_col);
    }
    if (s->layout)
        s->layout(s, LINES, COLS);
}

/* The "too small" message, word-wrapped to the screen so it reads even at 20x5. */
static void too_small(ui_Screen *s) {
    char need[64];
    erase();
    /* three short lines, so that the message itself fits in a tiny window */
    snprintf(need, sizeof need, "%dx%d, needs %dx%d", COLS, LINES, s->min_w, s->min_h);
    ui_text(0, 0, COLS, ui_attr(UI_C_WARN), "terminal too small");
    if (LINES > 1)
        ui_text(1, 0, COLS, ui_attr(UI_C_TEXT), "%s", need);
    if (LINES > 2)
        ui_text(2, 0, COLS, ui_attr(UI_C_DIM), "enlarge the window, or press q");
}

/* Draw the whole screen (or the "too small" message); returns 1 when it is too small. */
static int draw_screen(ui_Screen *s) {
    int small;
    if (winch_pending || s->frame == 0)
        apply_resize(s);
    small = COLS < s->min_w || LINES < s->min_h;
    if (small) {
        too_small(s);
    } else {
        erase();
        for (int i = 0; i < s->npanels; i++) {
            ui_Panel *p = &s->panels[i];
            if (p->visible && p->h > 0 && p->w > 0 && p->cls->draw)
                p->cls->draw(p);
        }
        if (s->status) {
            ui_blank(LINES - 1, 0, COLS, ui_attr(UI_C_SEL));
            s->status(s, LINES - 1, COLS);
        }
        if (frames_limit > 0) {
            char buf[32];
            int n = snprintf(buf, sizeof buf, " frame %d/%d ", s->frame + 1, frames_limit);
            ui_text(LINES - 1, COLS - n > 0 ? COLS - n : 0, n, ui_attr(UI_C_SEL), "%s", buf);
        }
    }
    refresh();
    s->frame++;
    return small;
}

/* Wait up to 'wait_ms' for a key and dispatch it: focused panel, then the screen. */
static int read_key(ui_Screen *s, int wait_ms, int small, int *key) {
    int ch, flags = UI_GO;
    timeout(wait_ms);
    ch = getch();
    if (key)
        *key = ch;
    if (ch == ERR)
        return winch_pending ? UI_REDRAW : flags;
    if (ch == KEY_RESIZE) {
        apply_resize(s);
        return UI_REDRAW;
    }
    if (small)
        return ch == 'q' || ch == 'Q' ? UI_QUIT : UI_GO;
    if (s->focus >= 0 && s->focus < s->npanels && s->panels[s->focus].cls->key) {
        flags = s->panels[s->focus].cls->key(&s->panels[s->focus], ch);
        if (flags & UI_HANDLED)
            return flags & ~UI_HANDLED;
    }
    if (s->key)
        flags |= s->key(s, ch);
    return flags & ~UI_HANDLED;
}

int ui_frame(ui_Screen *s, int wait_ms, int *key) {
    int small;
    if (key)
        *key = ERR;
    small = draw_screen(s);
    if (frames_limit > 0 && s->frame >= frames_limit)
        return UI_QUIT;
    return read_key(s, wait_ms, small, key);
}

int ui_poll(ui_Screen *s, int *key) {
    if (key)
        *key = ERR;
    if (s->frame == 0)
        return UI_REDRAW;                       /* nothing drawn yet: no layout to key into */
    return read_key(s, 0, COLS < s->min_w || LINES < s->min_h, key);
}

/* ---- drawing helpers ---- */

/* Bytes of 's' that fit in 'maxw' columns (one column per UTF-8 code point). */
static int fit_bytes(const char *s, int maxw, int *cols) {
    int b = 0, c = 0;
    while (s[b] != '\0' && c < maxw) {
        unsigned char u = (unsigned char)s[b];
        int len = u < 0x80 ? 1 : u < 0xE0 ? 2 : u < 0xF0 ? 3 : 4;
        for (int k = 1; k < len; k++)
            if (s[b + k] == '\0')
                len = k;
        b += len;
        c++;
    }
    *cols = c;
    return b;
}

int ui_width(const char *s) {
    int c;
    fit_bytes(s, 1 << 30, &c);
    return c;
}

char *ui_clip(const char *s, int w, char *buf, size_t n) {
    const char *ell = S.unicode ? "\u2026" : "~";
    size_t el = strlen(ell), b;
    int cols, cut;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    if (w <= 0)
        return buf;
    b = (size_t)fit_bytes(s, w, &cols);
    cut = s[b] != '\0';
    if (cut)
        b = (size_t)fit_bytes(s, w - 1, &cols);       /* w-1 columns, then the ellipsis */
    /* a small buffer: drop whole code points from the end until the text (and the ellipsis
    ** it then needs) fits */
    if (b + 1 > n || (cut && b + el + 1 > n)) {
        cut = 1;
        while (b > 0 && b + el + 1 > n) {
            do
                b--;
            while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80);
        }
    }
    memcpy(buf, s, b);
    if (cut && b + el + 1 <= n) {
        memcpy(buf + b, ell, el);
        b += el;
    }
    buf[b] = '\0';
    return buf;
}

int ui_text(int y, int x, int maxw, int attr, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    int cols, bytes;
    if (maxw <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
        return 0;
    if (x + maxw > COLS)
        maxw = COLS - x;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    bytes = fit_bytes(buf, maxw, &cols);
    attron(attr);
    mvaddnstr(y, x, buf, bytes);
    attroff(attr);
    return cols;
}

void ui_blank(int y, int x, int w, int attr) {
    if (w <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
        return;
    if (x + w > COLS)
        w = COLS - x;
    attron(attr);
    mvhline(y, x, ' ', w);
    attroff(attr);
}

void ui_box(int y, int x, int h, int w, const char *title, int attr) {
    if (h < 2 || w < 2)
        return;
    attron(attr);
    if (S.unicode) {
        /* UTF-8 box characters, not the alternate character set: terminals reached through
        ** a wrong TERM (screen, PuTTY, tmux with TERM=xterm) show ACS as "lqqk" */
        for (int i = 1; i < w - 1; i++) {
            mvaddstr(y, x + i, "\u2500");
            mvaddstr(y + h - 1, x + i, "\u2500");
        }
        for (int i = 1; i < h - 1; i++) {
            mvaddstr(y + i, x, "\u2502");
            mvaddstr(y + i, x + w - 1, "\u2502");
        }
        mvaddstr(y, x, "\u250c");
        mvaddstr(y, x + w - 1, "\u2510");
        mvaddstr(y + h - 1, x, "\u2514");
        mvaddstr(y + h - 1, x + w - 1, "\u2518");
    } else {
        mvhline(y, x + 1, ACS_HLINE, w - 2);
        mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
        mvvline(y + 1, x, ACS_VLINE, h - 2);
        mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
        mvaddch(y, x, ACS_ULCORNER);
        mvaddch(y, x + w - 1, ACS_URCORNER);
        mvaddch(y + h - 1, x, ACS_LLCORNER);
        mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
    }
    attroff(attr);
    if (title != NULL && title[0] != '\0' && w > 6)
        ui_text(y, x + 2, w - 4, attr | A_BOLD, " %s ", title);
}

void ui_bar(int y, int x, int w, double frac, int attr) {
    static const char *const eighths[] = {"", "\u258f", "\u258e", "\u258d", "\u258c",
                                          "\u258b", "\u258a", "\u2589"};
    int units, full, part;
    if (w <= 0)
        return;
    if (!(frac >= 0))
        frac = 0;
    if (frac > 1)
        frac = 1;
    units = (int)(frac * w * 8 + 0.5);
    full = units / 8;
    part = units % 8;
    attron(attr);
    for (int i = 0; i < w; i++) {
        const char *g;
        if (i < full)
            g = S.unicode ? "\u2588" : "#";
        else if (i == full && part > 0)
            g = S.unicode ? eighths[part] : (part >= 4 ? "#" : " ");
        else
            break;
        mvaddstr(y, x + i, g);
    }
    attroff(attr);
    attron(ui_attr(UI_C_DIM));
    for (int i = full + (part > 0); i < w; i++)
        mvaddstr(y, x + i, S.unicode ? "\u00b7" : ".");
    attroff(ui_attr(UI_C_DIM));
}

char *ui_num(double v, char *buf, int n) {
    double a = fabs(v);
    if (isnan(v))
        snprintf(buf, (size_t)n, "-");
    else if (isinf(v))
        snprintf(buf, (size_t)n, v > 0 ? "inf" : "-inf");
    else if (a >= 1e9)
        snprintf(buf, (size_t)n, "%.3gG", v / 1e9);
    else if (a >= 1e6)
        snprintf(buf, (size_t)n, "%.3gM", v / 1e6);
    else if (a >= 1e4)
        snprintf(buf, (size_t)n, "%.3gk", v / 1e3);
    else
        snprintf(buf, (size_t)n, "%.4g", v);
    return buf;
}

char *ui_dur(double secs, char *buf, int n) {
    if (!(secs >= 0) || isinf(secs))
        snprintf(buf, (size_t)n, "--");
    else if (secs < 60)
        snprintf(buf, (size_t)n, "%.1fs", secs);
    else if (secs < 3600)
        snprintf(buf, (size_t)n, "%dm%02ds", (int)(secs / 60), (int)fmod(secs, 60));
    else if (secs < 100 * 3600)
        snprintf(buf, (size_t)n, "%dh%02dm", (int)(secs / 3600), (int)fmod(secs / 60, 60));
    else if (secs < 1e9)
        snprintf(buf, (size_t)n, "%dd%02dh", (int)(secs / 86400), (int)fmod(secs / 3600, 24));
    else
        snprintf(buf, (size_t)n, "--");
    return buf;
}
