/* gnuplot.c -- the gnuplot child process, its socket protocol, quoting and datablocks.
** Not here: what a plot looks like (lua/moneta/plot.lua) and Lua errors (lua/l_plot.c). */
#include "plot/gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/interrupt.h"
#include "core/mem.h"
#include "core/rng.h"

extern char **environ;

/* ---- text buffer ---- */

/* The core buffer's appends, with its sticky failure turned into this layer's return code. */
static int buf_status(gp_Buf *b) {
    if (!b->oom)
        return MN_OK;
    b->oom = 0;                                     /* the content is what it was */
    return MN_ENOMEM;
}

int gp_buf_add(gp_Buf *b, const char *s, size_t n) {
    mn_buf_add(b, s, n);
    return buf_status(b);
}

int gp_buf_puts(gp_Buf *b, const char *s) {
    return gp_buf_add(b, s, strlen(s));
}

int gp_buf_printf(gp_Buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    mn_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return buf_status(b);
}

void gp_buf_free(gp_Buf *b) {
    mn_buf_free(b);
}

/* ---- quoting and datablocks ---- */

/* gnuplot's scanner reads a doubled quote inside single quotes as a quote only when the byte
** before the pair is not a quote itself (it's works doubled; a leading quote or two quotes in a
** row do not), so quotes are never doubled: a text holding quotes becomes a concatenation
** ('it' . "'" . 's'), which every place taking text evaluates (print, set title, xlabel and
** output, plot ... title, xtics lists). */
int gp_quote(gp_Buf *b, const char *s, size_t n) {
    size_t quotes = 0;
    for (size_t i = 0; i < n; i++)
        quotes += s[i] == '\'';
    if (!mn_buf_reserve(b, n + 7 * quotes + 4))
        return buf_status(b);
    if (quotes)
        b->s[b->len++] = '(';
    b->s[b->len++] = '\'';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\'') {
            memcpy(b->s + b->len, "'.\"'\".'", 7);       /* close, . "'" ., reopen */
            b->len += 7;
        } else if (c < 0x20 || c == 0x7f) {
            b->s[b->len++] = ' ';                     /* newline would end the command */
        } else {
            b->s[b->len++] = (char)c;
        }
    }
    b->s[b->len++] = '\'';
    if (quotes)
        b->s[b->len++] = ')';
    b->s[b->len] = '\0';
    return MN_OK;
}

void gp_marker(uint64_t seed, char out[32]) {
    uint64_t x = seed;
    snprintf(out, 32, "MNEOD%016llx", (unsigned long long)mn_splitmix64(&x));
}

static int is_ident(const char *s) {
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_' ||
              (*s >= '0' && *s <= '9')))
            return 0;
    return 1;
}

/* Does any line of body start with marker m? */
static int marker_clashes(const char *m, const char *body, size_t len) {
    size_t mlen = strlen(m);
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(body + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - body) : len;
        if (end - i >= mlen && memcmp(body + i, m, mlen) == 0)
            return 1;
        i = end + 1;
    }
    return 0;
}

int gp_datablock_text(gp_Buf *b, const char *name, const char *body, size_t len, uint64_t seed,
                      mn_Err *e) {
    char m[32];
    if (!is_ident(name))
        return mn_fail(e, MN_EARG, "datablock: '%s' is not a name", name);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)body[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
            return mn_fail(e, MN_EARG, "datablock $%s: control byte 0x%02x at offset %zu", name,
                           c, i);
    }
    for (uint64_t k = 0;; k++) {                 /* ends: a body has finitely many lines */
        gp_marker(seed + k, m);
        if (!marker_clashes(m, body, len))
            break;
    }
    if (gp_buf_printf(b, "$%s << %s\n", name, m) != MN_OK || gp_buf_add(b, body, len) != MN_OK ||
        (len > 0 && body[len - 1] != '\n' && gp_buf_add(b, "\n", 1) != MN_OK) ||
        gp_buf_printf(b, "%s\n", m) != MN_OK)
        return mn_fail(e, MN_ENOMEM, "datablock $%s: out of memory", name);
    return MN_OK;
}

int gp_datablock(gp_Buf *b, const char *name, const double *const *cols, int ncols, int64_t n,
                 uint64_t seed, mn_Err *e) {
    gp_Buf body = {0};
    int rc;
    char num[40];
    for (int64_t i = 0; i < n; i++) {
        for (int j = 0; j < ncols; j++) {
            double v = cols[j][i];
            int k = isfinite(v) ? snprintf(num, sizeof num, "%.15g", v)
                                : snprintf(num, sizeof num, "NaN");
            if ((j > 0 && gp_buf_add(&body, " ", 1) != MN_OK) ||
                gp_buf_add(&body, num, (size_t)k) != MN_OK) {
                gp_buf_free(&body);
                return mn_fail(e, MN_ENOMEM, "datablock $%s: out of memory", name);
            }
        }
        if (gp_buf_add(&body, "\n", 1) != MN_OK) {
            gp_buf_free(&body);
            return mn_fail(e, MN_ENOMEM, "datablock $%s: out of memory", name);
        }
    }
    rc = gp_datablock_text(b, name, body.s ? body.s : "", body.len, seed, e);
    gp_buf_free(&body);
    return rc;
}

/* ---- the process ---- */

struct gp_Proc {
    char  **argv;         /* owned copy, NULL-terminated */
    pid_t   pid;          /* 0: not running */
    int     fd;           /* our end of the socketpair; -1 when not running */
    uint64_t nsync;       /* sync markers sent, for unique markers */
    char   *terminals;    /* cached GPVAL_TERMINALS */
};

int gp_new(const char *const *argv, gp_Proc **out, mn_Err *e) {
    static const char *const def[] = {"gnuplot", "-d", NULL};
    gp_Proc *g;
    int n = 0;
    if (argv == NULL || argv[0] == NULL)
        argv = def;
    while (argv[n] != NULL)
        n++;
    if ((g = mn_calloc(1, sizeof *g)) == NULL ||
        (g->argv = mn_calloc((size_t)n + 1, sizeof *g->argv)) == NULL) {
        mn_free(g);
        return mn_fail(e, MN_ENOMEM, "plot: out of memory");
    }
    g->fd = -1;
    for (int i = 0; i < n; i++)
        if ((g->argv[i] = mn_strdup(argv[i])) == NULL) {
            gp_free(g);
            return mn_fail(e, MN_ENOMEM, "plot: out of memory");
        }
    *out = g;
    return MN_OK;
}

static void close_fd(gp_Proc *g) {
    if (g->fd >= 0)
        close(g->fd);
    g->fd = -1;
}

/* Reap the child if it has exited; returns 1 when it is gone. */
static int reap(gp_Proc *g) {
    int st;
    pid_t r;
    if (g->pid <= 0)
        return 1;
    r = waitpid(g->pid, &st, WNOHANG);
    if (r == g->pid || (r < 0 && errno == ECHILD)) {
        g->pid = 0;
        close_fd(g);
        return 1;
    }
    return 0;
}

/* Kill gnuplot's whole process group (start gives it its own), so that its helpers
** (gnuplot_qt, a command of system()) go with it; then reap gnuplot. */
static void kill_child(gp_Proc *g) {
    if (g->pid > 0) {
        if (kill(-g->pid, SIGKILL) != 0)
            kill(g->pid, SIGKILL);
        waitpid(g->pid, NULL, 0);
        g->pid = 0;
    }
    close_fd(g);
}

static ssize_t send_bytes(int fd, const char *s, size_t n) {
#ifdef MSG_NOSIGNAL
    return send(fd, s, n, MSG_NOSIGNAL);         /* EPIPE instead of SIGPIPE */
#else
    return write(fd, s, n);
#endif
}

void gp_stop(gp_Proc *g) {
    if (g == NULL || g->pid <= 0) {
        if (g)
            close_fd(g);
        return;
    }
    if (!reap(g)) {
        double t0 = mn_now();
        send_bytes(g->fd, "\nexit\n", 6);
        shutdown(g->fd, SHUT_WR);
        while (!reap(g) && mn_now() - t0 < 0.5) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        if (g->pid > 0)
            kill_child(g);
    }
    close_fd(g);
}

void gp_free(gp_Proc *g) {
    if (g == NULL)
        return;
    gp_stop(g);
    if (g->argv)
        for (int i = 0; g->argv[i] != NULL; i++)
            mn_free(g->argv[i]);
    mn_free(g->argv);
    mn_free(g->terminals);
    mn_free(g);
}

pid_t gp_pid(gp_Proc *g) {
    reap(g);
    return g->pid;
}

static int start(gp_Proc *g, mn_Err *e) {
    int sv[2], rc;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none, defs;
    pid_t pid;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return mn_fail(e, MN_EIO, "plot: socketpair: %s", strerror(errno));
    fcntl(sv[0], F_SETFD, FD_CLOEXEC);
    fcntl(sv[1], F_SETFD, FD_CLOEXEC);             /* dup2 clears it on 0, 1 and 2 */
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
    posix_spawn_file_actions_adddup2(&fa, sv[1], 1);
    posix_spawn_file_actions_adddup2(&fa, sv[1], 2);
    posix_spawnattr_init(&at);
    sigemptyset(&none);
    sigemptyset(&defs);
    sigaddset(&defs, SIGPIPE);
    sigaddset(&defs, SIGINT);
    sigaddset(&defs, SIGQUIT);
    sigaddset(&defs, SIGTERM);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &defs);
    /* Own process group: Ctrl-C in the REPL interrupts moneta, not gnuplot mid-plot. */
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                  POSIX_SPAWN_SETPGROUP);
    rc = posix_spawnp(&pid, g->argv[0], &fa, &at, g->argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(sv[1]);
    if (rc != 0) {
        close(sv[0]);
        if (rc == ENOENT)
            return mn_fail(e, MN_EIO, "plot: gnuplot is not installed ('%s' not found): "
                           "apt-get install gnuplot-nox (or gnuplot-qt for windows); "
                           "brew install gnuplot on macOS", g->argv[0]);
        return mn_fail(e, MN_EIO, "plot: cannot start '%s': %s", g->argv[0], strerror(rc));
    }
    fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
    g->pid = pid;
    g->fd = sv[0];
    return MN_OK;
}

static int has_sub(const char *s, size_t n, const char *sub) {
    size_t k = strlen(sub);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, sub, k) == 0)
            return 1;
    return 0;
}

/* The first error gnuplot reported in 'out' as "gnuplot: <message> (in: <command>)": its
** errors are a line "line N: message" after the echoed command "gnuplot> cmd" and a caret.
** Lines holding "warning:" are not errors. Returns 1 when there was one. */
static int find_error(const char *out, size_t len, mn_Err *e) {
    const char *cmd = NULL;
    size_t cmdlen = 0;
    for (size_t i = 0; i < len;) {
        const char *s = out + i, *nl = memchr(s, '\n', len - i);
        size_t k = nl ? (size_t)(nl - s) : len - i, j = 0;
        i += k + 1;
        while (j < k && (s[j] == ' ' || s[j] == '\t'))
            j++;
        if (j == k) {
            cmd = NULL;                  /* an error's lines are consecutive */
        } else if (k - j >= 9 && memcmp(s + j, "gnuplot> ", 9) == 0) {
            cmd = s + j + 9;
            cmdlen = k - j - 9;
        } else if (k - j > 5 && memcmp(s + j, "line ", 5) == 0 && memchr(s + j, ':', k - j) &&
                   !has_sub(s + j, k - j, "warning:")) {
            const char *msg = memchr(s + j, ':', k - j) + 1;
            int mlen = (int)(s + k - msg);
            while (mlen > 0 && *msg == ' ')
                msg++, mlen--;
            if (cmd != NULL)
                mn_fail(e, MN_EIO, "gnuplot: %.*s (in: %.*s%s)", mlen > 120 ? 120 : mlen, msg,
                        (int)(cmdlen > 80 ? 80 : cmdlen), cmd, cmdlen > 80 ? "..." : "");
            else
                mn_fail(e, MN_EIO, "gnuplot: %.*s", mlen > 160 ? 160 : mlen, msg);
            return 1;
        }
    }
    return 0;
}

/* Where the sync marker came back: the sync prints an empty line and then the marker, so the
** marker is always on a line of its own even after output that did not end in a newline (an
** image gnuplot wrote to stdout when 'set output' failed). Returns the offset of the newline
** before the marker, which is where gnuplot's own output ends, or -1. */
static long find_line(const gp_Buf *out, const char *mark) {
    size_t k = strlen(mark);
    if (out->s == NULL)
        return -1;
    for (size_t i = 0; i + k + 2 <= out->len; i++) {
        const char *p = memchr(out->s + i, '\n', out->len - i);
        if (p == NULL)
            break;
        i = (size_t)(p - out->s);
        if (i + k + 2 <= out->len && memcmp(p + 1, mark, k) == 0 && p[k + 1] == '\n')
            return (long)i;
    }
    return -1;
}

enum { XC_OK, XC_GONE, XC_DEAD, XC_FAIL };

/* One exchange: send 'cmds' then the marker line, collect output until the marker.
** XC_GONE when gnuplot was found gone (EPIPE, EOF) before it accepted any byte, so nothing of
** 'cmds' ran and they may be sent again; XC_DEAD when it went after accepting some (they may
** have run in part: a system() call, say); XC_FAIL with 'e' set on timeout, Ctrl-C, OOM. */
static int exchange(gp_Proc *g, const char *cmds, size_t n, const char *mark, double timeout,
                    gp_Buf *got, mn_Err *e) {
    gp_Buf tail = {0};
    size_t sent = 0, tsent = 0;
    double t0 = mn_now();
    char rd[4096];
    if (gp_buf_printf(&tail, "\nprint ''\nprint '%s'\n", mark) != MN_OK)
        return mn_fail(e, MN_ENOMEM, "plot: out of memory"), XC_FAIL;
    for (;;) {
        struct pollfd pf = {g->fd, POLLIN, 0};
        double left = timeout - (mn_now() - t0);
        int r;
        if (sent < n || tsent < tail.len)
            pf.events |= POLLOUT;
        if (left <= 0) {
            gp_buf_free(&tail);
            kill_child(g);
            return mn_fail(e, MN_EIO, "plot: gnuplot gave no answer within %g s and was "
                           "stopped; it restarts on the next plot", timeout), XC_FAIL;
        }
        if (mn_interrupted()) {
            gp_buf_free(&tail);
            kill_child(g);                 /* its output is now out of step: start afresh */
            return mn_fail(e, MN_EINTR, "plot: gnuplot stopped"), XC_FAIL;
        }
        r = poll(&pf, 1, left > 0.1 ? 100 : (int)(left * 1000) + 1);
        if (r < 0 && errno != EINTR) {
            gp_buf_free(&tail);
            return mn_fail(e, MN_EIO, "plot: poll: %s", strerror(errno)), XC_FAIL;
        }
        if (r <= 0)
            continue;
        if (pf.revents & POLLIN) {
            ssize_t k = read(g->fd, rd, sizeof rd);
            if (k > 0) {
                if (gp_buf_add(got, rd, (size_t)k) != MN_OK) {
                    gp_buf_free(&tail);
                    return mn_fail(e, MN_ENOMEM, "plot: out of memory"), XC_FAIL;
                }
                if (find_line(got, mark) >= 0) {
                    gp_buf_free(&tail);
                    return XC_OK;
                }
                continue;
            }
            if (k == 0 || (errno != EAGAIN && errno != EINTR))
                break;                                   /* EOF: gnuplot exited */
        } else if (pf.revents & (POLLHUP | POLLERR)) {
            break;
        }
        if (pf.revents & POLLOUT) {
            const char *s = sent < n ? cmds + sent : tail.s + tsent;
            size_t left_b = sent < n ? n - sent : tail.len - tsent;
            ssize_t k = send_bytes(g->fd, s, left_b > 65536 ? 65536 : left_b);
            if (k < 0 && errno != EAGAIN && errno != EINTR)
                break;                                   /* EPIPE: gnuplot exited */
            if (k > 0) {
                if (sent < n)
                    sent += (size_t)k;
                else
                    tsent += (size_t)k;
            }
        }
    }
    gp_buf_free(&tail);
    kill_child(g);                                       /* reap it */
    return sent == 0 && tsent == 0 ? XC_GONE : XC_DEAD;
}

int gp_run(gp_Proc *g, const char *cmds, size_t n, double timeout, gp_Buf *out, mn_Err *e) {
    gp_Buf got = {0};
    char mark[64];
    long at;
    int x = XC_GONE;
    /* A gnuplot that died since the last call (killed, crashed) is started again; one that
    ** dies after taking some of the commands is not: they may have done part of their work.
    ** A socket takes bytes from a process that is still dying, so a gnuplot kept from an
    ** earlier call must first answer a sync of its own: only then are the commands sent. */
    for (int attempt = 0; attempt < 2 && x == XC_GONE; attempt++) {
        int kept = gp_pid(g) != 0;
        if (!kept && start(g, e) != MN_OK)
            return e->code;
        got.len = 0;
        if (kept) {
            snprintf(mark, sizeof mark, "MNSYNC%ld_%llu", (long)g->pid,
                     (unsigned long long)++g->nsync);
            x = exchange(g, NULL, 0, mark, timeout, &got, e);
            got.len = 0;                       /* stale output of the last call, if any */
            if (x == XC_FAIL)
                break;
            if (x != XC_OK) {                  /* gone: none of the commands was sent */
                x = XC_GONE;
                continue;
            }
        }
        snprintf(mark, sizeof mark, "MNSYNC%ld_%llu", (long)g->pid,
                 (unsigned long long)++g->nsync);
        x = exchange(g, cmds, n, mark, timeout, &got, e);
    }
    if (x == XC_FAIL) {
        gp_buf_free(&got);
        return e->code;
    }
    if (x == XC_GONE || x == XC_DEAD) {
        int rc = mn_fail(e, MN_EIO, "plot: gnuplot exited while plotting%s%.*s",
                         got.len ? ": " : "", (int)(got.len > 160 ? 160 : got.len),
                         got.s ? got.s : "");
        for (char *p = e->msg; *p; p++)
            if (*p == '\n')
                *p = ' ';
        gp_buf_free(&got);
        return rc;
    }
    at = find_line(&got, mark);
    if (find_error(got.s, (size_t)at, e)) {
        gp_buf_free(&got);
        return MN_EIO;
    }
    if (out != NULL && gp_buf_add(out, got.s, (size_t)at) != MN_OK) {
        gp_buf_free(&got);
        return mn_fail(e, MN_ENOMEM, "plot: out of memory");
    }
    gp_buf_free(&got);
    return MN_OK;
}

int gp_terminals(gp_Proc *g, double timeout, const char **list, mn_Err *e) {
    if (g->terminals == NULL) {
        static const char q[] = "print GPVAL_TERMINALS\n";
        gp_Buf out = {0};
        char *nl;
        int rc = gp_run(g, q, sizeof q - 1, timeout, &out, e);
        if (rc != MN_OK)
            return rc;
        if (out.s == NULL || (nl = strchr(out.s, '\n')) == NULL) {
            gp_buf_free(&out);
            return mn_fail(e, MN_EIO, "plot: gnuplot did not list its terminals");
        }
        *nl = '\0';
        g->terminals = mn_strdup(out.s);
        gp_buf_free(&out);
        if (g->terminals == NULL)
            return mn_fail(e, MN_ENOMEM, "plot: out of memory");
    }
    *list = g->terminals;
    return MN_OK;
}

/* ---- files ---- */

int gp_tmpfile(const char *dir, const char *ext, gp_Buf *out, mn_Err *e) {
    const char *tmpdir = getenv("TMPDIR");
    size_t at = out->len;
    int fd;
    if (dir == NULL)
        dir = tmpdir != NULL && *tmpdir != '\0' ? tmpdir : "/tmp";
    if (*dir == '\0')
        dir = ".";
    for (const char *p = ext; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return mn_fail(e, MN_EARG, "plot: '%s' is not a file extension", ext);
    /* "./" before a relative folder: the name starts with '/' or '.', never '|' (a pipe) */
    if (gp_buf_printf(out, "%s%s%s.moneta-plot-XXXXXX%s%s",
                      *dir == '/' || *dir == '.' ? "" : "./", dir,
                      dir[strlen(dir) - 1] == '/' ? "" : "/", *ext ? "." : "", ext) != MN_OK)
        return mn_fail(e, MN_ENOMEM, "plot: out of memory");
    /* O_EXCL and mode 0600: a fresh file of ours, not a link someone planted */
    if ((fd = mkstemps(out->s + at, *ext ? (int)strlen(ext) + 1 : 0)) < 0) {
        int err = errno;
        out->len = at;
        out->s[at] = '\0';
        return mn_fail(e, MN_EIO, "%s: cannot create a temporary file there (%s)", dir,
                       strerror(err));
    }
    close(fd);
    return MN_OK;
}

int gp_commit_file(const char *tmp, const char *path, mn_Err *e) {
    int fd = open(tmp, O_RDONLY);
    char dir[4096];
    const char *slash = strrchr(path, '/');
    struct stat st;
    mode_t mask;
    if (fd < 0) {
        int err = errno;
        return mn_fail(e, MN_EIO, "%s: gnuplot wrote nothing (%s)", path, strerror(err));
    }
    if (fstat(fd, &st) == 0 && st.st_size == 0) {
        close(fd);
        unlink(tmp);
        return mn_fail(e, MN_EIO, "%s: gnuplot wrote nothing (an empty file)", path);
    }
    /* gp_tmpfile made it 0600; a plot gets the mode a new file would (umask is per process:
    ** read and put back at once, from the one thread that writes plots) */
    mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    fsync(fd);
    close(fd);
    if (rename(tmp, path) != 0) {
        int err = errno;
        unlink(tmp);
        return mn_fail(e, MN_EIO, "%s: %s", path, strerror(err));
    }
    if (slash == NULL)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    if ((fd = open(dir, O_RDONLY)) >= 0) {             /* the rename itself, durably */
        fsync(fd);
        close(fd);
    }
    return MN_OK;
}
