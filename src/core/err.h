/* err.h -- status codes and the one-line error message every core call leaves behind.
** Core code never prints or exits: it returns MN_E* and fills an mn_Err for the caller. */
#ifndef MN_CORE_ERR_H
#define MN_CORE_ERR_H

enum {
    MN_OK = 0,
    MN_ENOMEM,      /* allocation failed */
    MN_EIO,         /* file or stream */
    MN_EPARSE,      /* malformed input; message names file, line, column */
    MN_ESHAPE,      /* shapes or lengths disagree */
    MN_EARG,        /* a bad argument or option */
    MN_ENAN,        /* NaN or Inf where a number is needed */
    MN_EDB,         /* SQLite */
    MN_EINTR        /* interrupted by the user (Ctrl-C) */
};

#define MN_ERRMSG 256

typedef struct mn_Err {
    int  code;                /* MN_OK or MN_E* */
    char msg[MN_ERRMSG];      /* one line, no newline, starts with the subject */
} mn_Err;

/* Fill 'e' (may be NULL) with 'code' and a printf-style message; returns 'code'. */
int mn_fail(mn_Err *e, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Prefix the message already in 'e' with "<prefix>: "; returns e->code. */
int mn_prefix(mn_Err *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Short English name of a status code ("out of memory", "interrupted", ...). */
const char *mn_strerror(int code);

#endif
