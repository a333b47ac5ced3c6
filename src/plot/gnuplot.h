/* gnuplot.h -- the gnuplot process behind moneta.plot, and the only code that speaks its
** language: one quoting function for every piece of user text, datablocks of numbers with an
** end marker no line can start with, and a session that syncs on a marker with a timeout.
** Plot builders (what to draw) live in lua/moneta/plot.lua; nothing here knows plot kinds. */
#ifndef MN_PLOT_GNUPLOT_H
#define MN_PLOT_GNUPLOT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/buf.h"
#include "core/err.h"

/* ---- text buffer ---- */

/* The growable NUL-terminated buffer of core/buf.h; zero-initialise ({0}) before use,
** gp_buf_free after. Appending may move 's'. On allocation failure a gp_buf_* call returns
** MN_ENOMEM and the buffer keeps what it had (its 'oom' is not left set). */
typedef mn_Buf gp_Buf;

int  gp_buf_add(gp_Buf *b, const char *s, size_t n);
int  gp_buf_puts(gp_Buf *b, const char *s);
int  gp_buf_printf(gp_Buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void gp_buf_free(gp_Buf *b);

/* ---- the language ---- */

/* Append s[0..n) to 'b' as one gnuplot string constant. This is the one way user text
** (titles, labels, legend entries, tick labels, file names) reaches gnuplot. It is single-quoted:
** there gnuplot does no backquote substitution, no @macro expansion and no backslash escapes.
** A text holding single quotes becomes a parenthesised concatenation ('it' . "'" . 's'), since
** gnuplot's scanner does not read every doubled quote as a quote. Control bytes (newline, CR,
** tab, NUL, DEL, ...) become spaces, so the text cannot end the command line. Enhanced-text
** markup (^ _ @ & { }) is the caller's business: moneta always sets 'noenhanced' terminals.
** MN_OK or MN_ENOMEM. */
int gp_quote(gp_Buf *b, const char *s, size_t n);

/* The end marker tried for a datablock with 'seed' ("MNEOD" and 16 hex digits), into out[32]. */
void gp_marker(uint64_t seed, char out[32]);

/* Append the datablock "$name << MARKER\n<body>MARKER\n". 'body' is lines of text ending in
** '\n'; it must hold no control bytes other than '\n' and '\t' (MN_EARG). gnuplot ends a block
** at the first line that *starts with* the marker, so the markers for seed, seed + 1, ... are
** tried until one starts no line of 'body'. 'name' must be an identifier (MN_EARG). */
int gp_datablock_text(gp_Buf *b, const char *name, const char *body, size_t len, uint64_t seed,
                      mn_Err *e);

/* Datablock of 'ncols' numeric columns of 'n' rows each (cols[j][i]); NaN and infinities are
** written as NaN (gnuplot skips them). Numbers only: strings go through gp_quote into commands
** (tick labels, titles), never into data. */
int gp_datablock(gp_Buf *b, const char *name, const double *const *cols, int ncols, int64_t n,
                 uint64_t seed, mn_Err *e);

/* ---- the process ---- */

typedef struct gp_Proc gp_Proc;   /* opaque: one gnuplot child and its socket */

/* A session that will run 'argv' (NULL: {"gnuplot", "-d", NULL}). Nothing is started until
** the first gp_run. Free with gp_free. MN_OK or MN_ENOMEM. */
int gp_new(const char *const *argv, gp_Proc **out, mn_Err *e);

/* Stop gnuplot (if running: "exit", then SIGKILL after half a second) and free. NULL: no-op. */
void gp_free(gp_Proc *g);

/* Stop gnuplot if it runs; the next gp_run starts a new one. */
void gp_stop(gp_Proc *g);

/* Process id of the running gnuplot, or 0 (after reaping it if it has exited). */
pid_t gp_pid(gp_Proc *g);

/* Send 'n' bytes of commands, then a line printing a unique marker, and read everything
** gnuplot writes (its stdout and stderr share one socket) until the marker comes back. Starts
** gnuplot when it is not running. When it is found dead before it accepted any byte of the
** commands it is restarted and they are sent once more; never after, as they may have run in
** part (a gnuplot that exits part way gives MN_EIO "gnuplot exited while plotting"). Never
** waits longer than 'timeout' seconds (a hung gnuplot is killed) and returns MN_EINTR within
** 0.1 s of Ctrl-C (mn_interrupted), killing gnuplot too. On MN_OK, '*out' (may be NULL) gets
** what gnuplot printed, warnings included. When gnuplot reported an error the result is MN_EIO
** with "gnuplot: <its message> (in: <the command>)" and '*out' is left as it was. A missing
** program gives MN_EIO saying how to install gnuplot. */
int gp_run(gp_Proc *g, const char *cmds, size_t n, double timeout, gp_Buf *out, mn_Err *e);

/* The terminals the installed gnuplot offers (GPVAL_TERMINALS: names separated by spaces),
** asked once and cached, here only (moneta.plot asks for them every time); the string is owned
** by 'g' and lives until gp_free. */
int gp_terminals(gp_Proc *g, double timeout, const char **list, mn_Err *e);

/* ---- files ---- */

/* A new empty file "<dir>/.moneta-plot-XXXXXX.<ext>" made with mkstemps (O_EXCL, mode 0600),
** so the name is unguessable and no link planted there is followed when gnuplot opens it. 'dir'
** NULL: $TMPDIR, else /tmp; a relative 'dir' gets "./" in front, so the name never starts with
** '|' (gnuplot's pipe). 'ext' is letters and digits ("" for none). On MN_OK the name is appended
** to 'out'; the caller removes the file or passes it to gp_commit_file. MN_EARG for a bad 'ext',
** MN_EIO naming 'dir' when the file cannot be made, MN_ENOMEM; 'out' is then as it was. */
int gp_tmpfile(const char *dir, const char *ext, gp_Buf *out, mn_Err *e);

/* Make a finished temporary file the file 'path': give it the mode a new file gets (0666 less
** the umask), fsync it, rename over 'path', fsync the folder. An empty 'tmp' is an error
** (gnuplot wrote nothing). On failure 'tmp' is removed and the message names 'path'. */
int gp_commit_file(const char *tmp, const char *path, mn_Err *e);

#endif
