/* test_tui_mem.c -- the dashboards under allocation failure: for every n up to the number of
** core allocations a normal run takes, the n-th fails (mn_mem_fail_after) while a monitor
** opens and takes a short fit's records, or while the explorer opens and draws. Each run must
** end cleanly: an MN_ENOMEM saying "out of memory" with the terminal given back, or a normal
** return whose state is right as far as it goes; never a crash or (under ASan) a leak. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "core/mem.h"
#include "frames.h"
#include "tui/explore.h"
#include "tui/monitor.h"
#include "tui/ui.h"
#include "tui_pty.h"

#define MAXN 5000                       /* far above what either run allocates */

static int skipped;                     /* cases that found no screen to run on */

/* LeakSanitizer's check, when the test runs under it (weak: NULL otherwise). */
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* After a run armed with mn_mem_fail_after(n): 1 when the n-th allocation never came (the
** countdown, at most n, reaches 0 within n more allocations), 0 when it failed in the run. */
static int not_reached(long n) {
    for (long i = 0; i < n; i++) {
        void *p = mn_malloc(1);
        if (p == NULL)
            return 1;
        mn_free(p);
    }
    return 0;
}

/* ---- the monitor ---- */

#define EPOCHS  3
#define BATCHES 4

/* The values the fake fit reports at epoch 'ep' (1-based), column k: loss, val_loss, accuracy. */
static double value(int k, int64_t ep) {
    static const double base[] = {1.0, 2.0, 0.5};
    return k == 2 ? base[k] + 0.1 * (double)ep : base[k] / (double)ep;
}

/* A fit of EPOCHS epochs of BATCHES batches, as the training loop reports it; then the
** history must hold what arrived: everything, unless ui_monitor_failed says some is missing. */
static void feed_and_check(ui_Monitor *m) {
    static const char *const names[] = {"loss", "val_loss", "accuracy"};  /* column order */
    mn_Progress p;
    mn_progress_init(&p, "fit");
    p.epochs = EPOCHS;
    p.total = BATCHES;
    ui_monitor_update(m, &p, NULL);                              /* begin */
    for (int64_t ep = 1; ep <= EPOCHS; ep++) {
        for (int64_t b = 1; b <= BATCHES; b++) {
            mn_progress_init(&p, "fit");
            p.phase = "batch";
            p.epoch = ep;
            p.epochs = EPOCHS;
            p.step = b;
            p.total = BATCHES;
            mn_progress_metric(&p, "loss", value(0, ep) + 0.01 * (double)(BATCHES - b));
            ui_monitor_update(m, &p, NULL);
        }
        mn_progress_init(&p, "fit");
        p.phase = "epoch";
        p.epoch = ep;
        p.epochs = EPOCHS;
        p.step = p.total = BATCHES;
        p.best_epoch = ep;
        p.best_metric = "val_loss";
        for (int k = 2; k >= 0; k--)                             /* not in column order */
            mn_progress_metric(&p, names[k], value(k, ep));
        ui_monitor_update(m, &p, NULL);
    }
    mn_progress_init(&p, "fit");
    p.phase = "end";
    p.event = "completed";
    ui_monitor_update(m, &p, NULL);
    if (!ui_monitor_failed(m)) {
        CHECK(ui_monitor_nepochs(m) == EPOCHS && ui_monitor_ncols(m) == 3);
    } else {
        CHECK(ui_monitor_nepochs(m) <= EPOCHS && ui_monitor_ncols(m) <= 3);
    }
    for (int k = 0; k < 3; k++) {
        const double *v = ui_monitor_series(m, names[k]);
        if (v == NULL) {
            CHECK(ui_monitor_failed(m));
            continue;
        }
        for (int64_t i = 0; i < ui_monitor_nepochs(m); i++) {
            CHECK(v[i] == value(k, i + 1) || (ui_monitor_failed(m) && isnan(v[i])));
        }
    }
    CHECK(strcmp(ui_monitor_reason(m), "completed") == 0);
}

static int monitor_child(void) {
    ui_MonitorInfo info = {"oom", "dense(4) relu dense(1)", 17, EPOCHS, 16};
    int before = check_failures, failed_open = 0, failed_later = 0;
    long n;
    ui_done();                                  /* with_pty's screen: the monitor takes its own */
    ui_set_frames(50);                          /* one frame per begin and epoch record */
    for (n = 1; n < MAXN; n++) {
        ui_Monitor *m = NULL;
        mn_Err e = {0};
        int rc, done;
        mn_mem_fail_after(n);
        rc = ui_monitor_open(&info, &m, &e);
        if (rc == MN_OK) {
            feed_and_check(m);
            ui_monitor_free(m);
        } else {
            CHECK(rc == MN_ENOMEM && strstr(e.msg, "out of memory") != NULL);
            CHECK(m == NULL);
        }
        CHECK(!ui_active());                    /* the terminal is given back either way */
        done = not_reached(n);
        mn_mem_fail_after(0);
        if (done)
            break;
        failed_open += rc != MN_OK;
        failed_later += rc == MN_OK;
    }
    /* a normal run allocates the monitor, the locale name, the history and columns, chart
    ** buffers per frame and the screen dump (43 allocations when written): failures land
    ** both in open and after it */
    CHECK(n < MAXN && failed_open >= 2 && failed_later >= 10);
    if (__lsan_do_recoverable_leak_check != NULL)
        CHECK(__lsan_do_recoverable_leak_check() == 0);
    return check_failures - before;
}

/* The n-th allocation fails while the monitor opens, records or draws. */
static void monitor_alloc_failures(void) {                 /* tui-mem-1.1 */
    int rc = with_pty(monitor_child, NULL);
    if (rc == 77) {
        fprintf(stderr, "monitor_alloc_failures: no xterm terminfo or C.UTF-8 locale: skipped\n");
        skipped++;
    } else {
        CHECK(rc == 0);
    }
}

/* ---- the explorer ---- */

static int explore_child(void) {
    static const double x[] = {3, 1, NAN, 2, 10, 4};
    static const char *const k[] = {"b", "a", NULL, "a", "c", "a"};
    static const char *const s[] = {"Foo", "bar", NULL, "Baz", "foo bar", "x"};
    static const int64_t d[] = {19725, 19723, 19723, 19723, 19732, 19726};
    ui_ExploreOpts o = {0};
    fr_Frame *f;
    int before = check_failures, failed = 0;
    long n;
    ui_done();
    f = newframe();                             /* built before any failure is armed */
    put(f, "x", f64col(x, 6));
    put(f, "k", catcol(k, 6));
    put(f, "s", textcol(s, 6));
    put(f, "d", datecol(d, 6));
    o.sort = "x";                               /* the start sort allocates too */
    o.column = "k";                             /* the side panel: a categorical's top values */
    ui_set_frames(1);                           /* one frame: the table, the side panel */
    for (n = 1; n < MAXN; n++) {
        mn_Err e = {0};
        int rc, done;
        mn_mem_fail_after(n);
        rc = ui_explore(f, &o, &e);
        if (rc != MN_OK) {
            CHECK(rc == MN_ENOMEM && strstr(e.msg, "out of memory") != NULL);
            failed++;
        }
        CHECK(!ui_active());
        done = not_reached(n);
        mn_mem_fail_after(0);
        if (done) {
            CHECK(rc == MN_OK);                 /* past the last allocation: a normal run */
            break;
        }
    }
    CHECK(n < MAXN && failed >= 3);             /* 63 allocations when written, 10 fatal */
    fr_free(f);
    if (__lsan_do_recoverable_leak_check != NULL)
        CHECK(__lsan_do_recoverable_leak_check() == 0);
    return check_failures - before;
}

/* The n-th allocation fails while the explorer sets up its table, sorts, or draws the side
** panel's statistics (which then says it has none) and the screen dump. */
static void explore_alloc_failures(void) {                 /* tui-mem-1.2 */
    int rc = with_pty(explore_child, NULL);
    if (rc == 77) {
        fprintf(stderr, "explore_alloc_failures: no xterm terminfo or C.UTF-8 locale: skipped\n");
        skipped++;
    } else {
        CHECK(rc == 0);
    }
}

int main(void) {
    RUN(monitor_alloc_failures);
    RUN(explore_alloc_failures);
    if (skipped == 2 && check_failures == 0) {   /* nothing ran: ctest's SKIP_RETURN_CODE */
        printf("0 passed, 0 failed, 2 skipped\n");
        return 77;
    }
    return CHECK_DONE();
}
