/* mem.c -- allocator wrappers with fault injection for tests. */
#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Global: the fault-injection countdown; set only by tests, read on the one driving thread. */
static long fail_countdown = 0;

static int inject(void) {
    if (fail_countdown > 0 && --fail_countdown == 0)
        return 1;
    return 0;
}

void mn_mem_fail_after(long n) { fail_countdown = n; }

void *mn_malloc(size_t n) {
    if (inject())
        return NULL;
    return malloc(n ? n : 1);
}

void *mn_calloc(size_t count, size_t size) {
    if (size && count > SIZE_MAX / size)
        return NULL;
    if (inject())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *mn_realloc(void *p, size_t n) {
    if (inject())
        return NULL;
    return realloc(p, n ? n : 1);
}

void mn_free(void *p) { free(p); }

char *mn_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = mn_malloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}
