/* test_tui_ui.c -- the screen foundation's pure parts: the fixed test clock (--clock), the
** frame limit, number and duration formatting, UTF-8 widths and clipping, and ui_init's
** refusal when there is no terminal (ctest runs without one); then, on a pseudo-terminal of
** our own, what needs an open screen: the UTF-8 ellipsis, the SIGINT handover, and the
** monitor's column order. Expected values are worked out by hand. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "tui_pty.h"
#include "tui/monitor.h"
#include "tui/ui.h"

static void clock_fixed_parses_iso(void) {                   /* tui-1.1 */
    mn_Err e = {0};
    CHECK(!ui_clock_fixed());
    /* 2024-01-02T03:04:05Z: 19724 days since 1970-01-01 (54 years, 13 leap days) + 1 day
    ** = 19724 * 86400 + 3*3600 + 4*60 + 5 */
    CHECK_OK(ui_set_clock("fixed:2024-01-02T03:04:05Z", &e), &e);
    CHECK(ui_clock_fixed());
    CHECK_NEAR(ui_wall(), 19724.0 * 86400 + 3 * 3600 + 4 * 60 + 5, 0);
    CHECK_NEAR(ui_mono(), 0, 0);                              /* durations frozen */
    CHECK_OK(ui_set_clock("fixed:1970-01-01", &e), &e);       /* the time is optional */
    CHECK_NEAR(ui_wall(), 0, 0);
}

static void clock_rejects_bad_specs(void) {                  /* tui-1.2 */
    mn_Err e = {0};
    CHECK_FAIL(ui_set_clock("2024-01-02", &e), MN_EARG, &e, "fixed:");
    CHECK_FAIL(ui_set_clock("fixed:yesterday", &e), MN_EARG, &e, "not a date");
    CHECK_FAIL(ui_set_clock("fixed:2024-13-02", &e), MN_EARG, &e, "out of range");
    CHECK_FAIL(ui_set_clock("fixed:2024-01-02T25:00:00Z", &e), MN_EARG, &e, "out of range");
    CHECK_FAIL(ui_set_clock("fixed:2024-01-02Tnoon", &e), MN_EARG, &e, "bad time");
}

static void frames_limit(void) {                             /* tui-1.3 */
    CHECK(ui_frames_limit() == 0);
    ui_set_frames(5);
    CHECK(ui_frames_limit() == 5);
    ui_set_frames(-3);                                        /* nonsense means no limit */
    CHECK(ui_frames_limit() == 0);
}

static void number_format(void) {                            /* tui-1.4 */
    char b[32];
    CHECK(strcmp(ui_num(0.5, b, sizeof b), "0.5") == 0);
    CHECK(strcmp(ui_num(0.123456, b, sizeof b), "0.1235") == 0);  /* 4 significant */
    CHECK(strcmp(ui_num(1234, b, sizeof b), "1234") == 0);
    CHECK(strcmp(ui_num(12345, b, sizeof b), "12.3k") == 0);
    CHECK(strcmp(ui_num(1.92e6, b, sizeof b), "1.92M") == 0);
    CHECK(strcmp(ui_num(-3e9, b, sizeof b), "-3G") == 0);
    CHECK(strcmp(ui_num(0.0 / 0.0, b, sizeof b), "-") == 0);
    CHECK(strcmp(ui_num(1.0 / 0.0, b, sizeof b), "inf") == 0);
}

static void duration_format(void) {                          /* tui-1.5 */
    char b[32];
    CHECK(strcmp(ui_dur(4.24, b, sizeof b), "4.2s") == 0);
    CHECK(strcmp(ui_dur(185, b, sizeof b), "3m05s") == 0);    /* 3*60 + 5 */
    CHECK(strcmp(ui_dur(7620, b, sizeof b), "2h07m") == 0);   /* 2*3600 + 7*60 */
    CHECK(strcmp(ui_dur(-1, b, sizeof b), "--") == 0);
    CHECK(strcmp(ui_dur(0.0 / 0.0, b, sizeof b), "--") == 0);
    CHECK(strcmp(ui_dur(1.0 / 0.0, b, sizeof b), "--") == 0);
}

static void utf8_width(void) {                               /* tui-1.6 */
    CHECK(ui_width("loss") == 4);
    CHECK(ui_width("\u2800\u28ff") == 2);                     /* two braille cells, 6 bytes */
    CHECK(ui_width("\u00b5s") == 2);
    CHECK(ui_width("") == 0);
}

/* ui_clip without a UTF-8 terminal (ctest has none): the ellipsis is "~". */
static void clip_text(void) {                                 /* tui-1.8 */
    char b[32];
    CHECK(!ui_unicode());
    CHECK(strcmp(ui_clip("loss", 10, b, sizeof b), "loss") == 0);       /* fits */
    CHECK(strcmp(ui_clip("loss", 4, b, sizeof b), "loss") == 0);        /* exact fit */
    CHECK(strcmp(ui_clip("accuracy", 5, b, sizeof b), "accu~") == 0);   /* 4 columns + ~ */
    CHECK(strcmp(ui_clip("ab", 1, b, sizeof b), "~") == 0);             /* only the mark */
    CHECK(strcmp(ui_clip("ab", 0, b, sizeof b), "") == 0);
    CHECK(strcmp(ui_clip("", 3, b, sizeof b), "") == 0);
    /* "µs/step": µ is 2 bytes (c2 b5), 7 columns in all */
    CHECK(strcmp(ui_clip("\u00b5s/step", 7, b, sizeof b), "\u00b5s/step") == 0);
    CHECK(strcmp(ui_clip("\u00b5s/step", 4, b, sizeof b), "\u00b5s/~") == 0);
    CHECK(strcmp(ui_clip("\u00b5s/step", 2, b, sizeof b), "\u00b5~") == 0);
    /* two braille cells (3 bytes each) fit 2 columns exactly; three are cut after one */
    CHECK(strcmp(ui_clip("\u2800\u28ff", 2, b, sizeof b), "\u2800\u28ff") == 0);
    CHECK(strcmp(ui_clip("\u2800\u28ff\u2800", 2, b, sizeof b), "\u2800~") == 0);
    /* a small buffer cuts too: 4 bytes hold "ab~"; 5 bytes hold "µ~" (never half of µ) */
    CHECK(strcmp(ui_clip("abcdef", 10, b, 4), "ab~") == 0);
    CHECK(strcmp(ui_clip("\u00b5\u00b5\u00b5", 10, b, 5), "\u00b5~") == 0);
    CHECK(strcmp(ui_clip("abc", 10, b, 4), "abc") == 0);                /* just fits */
}

/* SIGINT handlers: the caller's (the REPL's, say) and two of a dashboard's. */
static volatile sig_atomic_t caller_ints, dash_ints, dash2_ints;
static void caller_sigint(int sig) { (void)sig; caller_ints++; }
static void dash_sigint(int sig) { (void)sig; dash_ints++; }
static void dash2_sigint(int sig) { (void)sig; dash2_ints++; }

/* with_pty (tui_pty.h) with the caller's SIGINT handler: fn returns its failed checks. */
static int pty_run(int (*fn)(void)) { return with_pty(fn, caller_sigint); }

static int clip_unicode_child(void) {
    char b[32];
    int before = check_failures;
    CHECK(strcmp(ui_clip("accuracy", 5, b, sizeof b), "accu\u2026") == 0);
    CHECK(strcmp(ui_clip("accuracy", 8, b, sizeof b), "accuracy") == 0);
    CHECK(strcmp(ui_clip("\u00b5s/step", 3, b, sizeof b), "\u00b5s\u2026") == 0);
    /* 5 bytes: "a" and the 3-byte ellipsis fit, "ab" and it would not */
    CHECK(strcmp(ui_clip("abcdef", 10, b, 5), "a\u2026") == 0);
    ui_done();
    return check_failures - before;
}

/* The same on a UTF-8 terminal: the ellipsis is U+2026 (3 bytes, one column). */
static void clip_text_unicode(void) {                         /* tui-1.9 */
    int rc = pty_run(clip_unicode_child);
    if (rc == 77)
        fprintf(stderr, "clip_text_unicode: no xterm terminfo or C.UTF-8 locale: skipped\n");
    else
        CHECK(rc == 0);
}

static int sigint_child(void) {
    struct sigaction now;
    int before = check_failures;
    raise(SIGINT);                                            /* the caller's until asked */
    CHECK(caller_ints == 1 && dash_ints == 0);
    ui_on_sigint(dash_sigint);
    raise(SIGINT);
    CHECK(caller_ints == 1 && dash_ints == 1);
    ui_on_sigint(dash2_sigint);                               /* a second call replaces ours */
    raise(SIGINT);
    CHECK(caller_ints == 1 && dash_ints == 1 && dash2_ints == 1);
    ui_done();                                                /* ... and the caller's is back */
    CHECK(sigaction(SIGINT, NULL, &now) == 0 && now.sa_handler == caller_sigint);
    raise(SIGINT);
    CHECK(caller_ints == 2 && dash_ints == 1 && dash2_ints == 1);
    ui_on_sigint(dash_sigint);                                /* no screen: a no-op */
    CHECK(sigaction(SIGINT, NULL, &now) == 0 && now.sa_handler == caller_sigint);
    ui_done();
    return check_failures - before;
}

/* ui_on_sigint takes Ctrl-C while the screen is open; ui_done gives the caller's handler back. */
static void sigint_restored_by_done(void) {                   /* tui-1.10 */
    int rc = pty_run(sigint_child);
    if (rc == 77)
        fprintf(stderr, "sigint_restored_by_done: no xterm terminfo or C.UTF-8 locale: skipped\n");
    else
        CHECK(rc == 0);
}

static int monitor_order_child(void) {
    /* the record's order is scrambled; the table's is by base name (val_ dropped), loss
    ** first, training before validation -- the plain printer's order too (test_progress) */
    static const char *const in[] = {"val_auc", "auc", "val_loss", "accuracy", "loss",
                                     "val_accuracy", "bce_loss"};
    static const char *const want[] = {"loss", "val_loss", "accuracy", "val_accuracy", "auc",
                                       "val_auc", "bce_loss"};
    ui_MonitorInfo info = {"t", NULL, 0, 2, 0};
    ui_Monitor *m = NULL;
    mn_Progress p;
    mn_Err e = {0};
    int before = check_failures;
    ui_done();                                  /* with_pty's screen: the monitor takes its own */
    CHECK_OK(ui_monitor_open(&info, &m, &e), &e);
    if (m == NULL)
        return 1;
    mn_progress_init(&p, "fit");
    p.phase = "epoch";
    p.epoch = 1;
    p.epochs = 2;
    for (int i = 0; i < 7; i++)
        mn_progress_metric(&p, in[i], (double)i);
    ui_monitor_update(m, &p, NULL);
    CHECK(ui_monitor_ncols(m) == 7);
    for (int k = 0; k < 7 && k < ui_monitor_ncols(m); k++)
        CHECK(strcmp(ui_monitor_colname(m, k), want[k]) == 0);
    ui_monitor_free(m);
    return check_failures - before;
}

/* The monitor's metrics table orders columns by one rule, whatever the record's order. */
static void monitor_column_order(void) {                      /* tui-1.11 */
    int rc = pty_run(monitor_order_child);
    if (rc == 77)
        fprintf(stderr, "monitor_column_order: no xterm terminfo or C.UTF-8 locale: skipped\n");
    else
        CHECK(rc == 0);
}

static void init_needs_a_terminal(void) {                    /* tui-1.7 */
    mn_Err e = {0};
    FILE *f = freopen("/dev/null", "r", stdin);               /* ctest may give us a tty */
    CHECK(f != NULL);
    CHECK_FAIL(ui_init(&e), MN_EIO, &e, "needs a terminal");
    CHECK(!ui_active());
    ui_done();                                                /* a no-op when not active */
}

int main(void) {
    RUN(clock_fixed_parses_iso);
    RUN(clock_rejects_bad_specs);
    RUN(frames_limit);
    RUN(number_format);
    RUN(duration_format);
    RUN(utf8_width);
    RUN(clip_text);
    RUN(clip_text_unicode);
    RUN(sigint_restored_by_done);
    RUN(monitor_column_order);
    RUN(init_needs_a_terminal);
    return CHECK_DONE();
}
