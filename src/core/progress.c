/* progress.c -- time-throttled progress emission. */
#include "core/progress.h"

#include <math.h>
#include <string.h>
#include <time.h>

double mn_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void mn_progress_init(mn_Progress *p, const char *task) {
    memset(p, 0, sizeof *p);
    p->task = task;
    p->phase = "begin";
    p->lr = NAN;
    p->grad_norm = NAN;
}

void mn_progress_metric(mn_Progress *p, const char *name, double value) {
    for (int i = 0; i < p->nmetrics; i++)
        if (strcmp(p->names[i], name) == 0) {
            p->values[i] = value;
            return;
        }
    if (p->nmetrics >= MN_PROG_MAXMETRICS)
        return;
    p->names[p->nmetrics] = name;
    p->values[p->nmetrics++] = value;
}

int mn_progress_emit(mn_Hook *h, mn_Progress *p) {
    double now;
    if (h == NULL || h->fn == NULL)
        return MN_PROG_GO;
    now = mn_now();
    if (p->phase != NULL && strcmp(p->phase, "batch") == 0) {
        double iv = h->interval > 0 ? h->interval : 0.1;
        if (h->last > 0 && now - h->last < iv)
            return MN_PROG_GO;
    }
    h->last = now;
    return h->fn(h->ud, p);
}
