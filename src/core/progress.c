/* progress.c -- time-throttled progress emission. */
#include "core/progress.h"

#include <math.h>
#include <string.h>

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

static const char *const kind_names[] = {"info", "good", "warn", "bad"};

const char *mn_event_kind_name(int kind) {
    return kind >= MN_EV_INFO && kind <= MN_EV_BAD ? kind_names[kind] : NULL;
}

mn_EventKind mn_event_kind_of(const char *name) {
    for (int k = MN_EV_INFO; name != NULL && k <= MN_EV_BAD; k++)
        if (strcmp(kind_names[k], name) == 0)
            return (mn_EventKind)k;
    return MN_EV_INFO;
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

int mn_metric_before(const char *a, const char *b) {
    const char *ba = strncmp(a, "val_", 4) == 0 ? a + 4 : a;
    const char *bb = strncmp(b, "val_", 4) == 0 ? b + 4 : b;
    int la = strcmp(ba, "loss") == 0, lb = strcmp(bb, "loss") == 0, c;
    if (la != lb)
        return la;
    if ((c = strcmp(ba, bb)) != 0)
        return c < 0;
    return ba == a && bb != b;          /* same base: the training one first */
}
