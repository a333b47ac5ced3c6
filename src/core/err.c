/* err.c -- filling mn_Err. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int mn_fail(mn_Err *e, int code, const char *fmt, ...) {
    va_list ap;
    if (e == NULL)
        return code;
    e->code = code;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

int mn_prefix(mn_Err *e, const char *fmt, ...) {
    char head[MN_ERRMSG], old[MN_ERRMSG], both[2 * MN_ERRMSG + 2];
    va_list ap;
    if (e == NULL)
        return MN_OK;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof old);
    snprintf(both, sizeof both, "%s: %s", head, old);
    memcpy(e->msg, both, sizeof e->msg - 1);      /* truncate to one message */
    e->msg[sizeof e->msg - 1] = '\0';
    return e->code;
}

const char *mn_strerror(int code) {
    switch (code) {
    case MN_OK: return "ok";
    case MN_ENOMEM: return "out of memory";
    case MN_EIO: return "input/output error";
    case MN_EPARSE: return "parse error";
    case MN_ESHAPE: return "shape mismatch";
    case MN_EARG: return "bad argument";
    case MN_ENAN: return "NaN or Inf";
    case MN_EDB: return "database error";
    case MN_EINTR: return "interrupted";
    default: return "unknown error";
    }
}
