/* buf.h -- the one growable text buffer (printf-style appends), for the writers of model
** files, architectures, fitted-transform blobs, safetensors headers and gnuplot scripts. An
** allocation failure sticks: later appends do nothing and 'oom' says so, so a writer checks once
** at the end (as redis' sds, without the header trick). */
#ifndef MN_CORE_BUF_H
#define MN_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct mn_Buf {
    char  *s;                 /* NUL-terminated once anything was appended; NULL before */
    size_t len, cap;          /* bytes used (without the NUL) and allocated */
    int    oom;               /* 1 after a failed allocation: the content is incomplete */
} mn_Buf;

#define MN_BUF_INIT {NULL, 0, 0, 0}

/* Append printf(fmt, ...); grows through mn_realloc (which invalidates b->s). */
void mn_buf_printf(mn_Buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The same with a va_list (for wrappers of their own printf-like functions). */
void mn_buf_vprintf(mn_Buf *b, const char *fmt, va_list ap);
/* Append n bytes of p (which may hold NULs). */
void mn_buf_add(mn_Buf *b, const void *p, size_t n);
/* Room for 'extra' more bytes (and the NUL) without another allocation; 0 on failure. */
int  mn_buf_reserve(mn_Buf *b, size_t extra);
/* Free the content and reset to empty; the struct itself is the caller's. */
void mn_buf_free(mn_Buf *b);

#endif
