/* test_tui_ui.c -- the screen foundation's pure parts: the fixed test clock (--clock), the
** frame limit, number and duration formatting, UTF-8 widths, and ui_init's refusal when there
** is no terminal (ctest runs without one). Expected values are worked out by hand. */
#include <stdio.h>
#include <string.h>

#include "check.h"
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
    RUN(init_needs_a_terminal);
    return CHECK_DONE();
}
