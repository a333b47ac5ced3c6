/* buf.c -- the growable text buffer of buf.h. */
#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/mem.h"

int mn_buf_reserve(mn_Buf *b, size_t extra) {
    size_t cap;
    char *q;
    if (b->oom)
        return 0;
    if (b->s != NULL && b->len + extra < b->cap)
        return 1;
    cap = (b->len + extra + 1) * 2;
    if (cap < 64)
        cap = 64;
    if ((q = mn_realloc(b->s, cap)) == NULL) {
        b->oom = 1;
        return 0;
    }
    if (b->s == NULL)
        q[0] = '\0';
    b->s = q;
    b->cap = cap;
    return 1;
}

void mn_buf_vprintf(mn_Buf *b, const char *fmt, va_list ap) {
    va_list again;
    int n;
    if (b->oom)
        return;
    va_copy(again, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0) {                                   /* an encoding error: treat as failure */
        b->oom = 1;
    } else if (mn_buf_reserve(b, (size_t)n)) {
        vsnprintf(b->s + b->len, b->cap - b->len, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
}

void mn_buf_printf(mn_Buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    mn_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void mn_buf_add(mn_Buf *b, const void *p, size_t n) {
    if (!mn_buf_reserve(b, n))
        return;
    if (n > 0)
        memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void mn_buf_free(mn_Buf *b) {
    mn_free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}
