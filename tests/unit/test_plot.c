/* test_plot.c -- plot/gnuplot: the quoting function, datablock end markers, and the process
** protocol (sync, errors, restart after a kill, timeout, a missing program) against the real
** gnuplot, which the project's setup script installs. */
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "plot/gnuplot.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

/* Quote s and return a static copy of the result. */
static const char *quoted(const char *s, size_t n) {
    static char out[512];
    gp_Buf b = {0};
    CHECK(gp_quote(&b, s, n) == MN_OK);
    snprintf(out, sizeof out, "%s", b.s ? b.s : "");
    gp_buf_free(&b);
    return out;
}

static void plot_quote(void) {                                       /* plot-1.1 */
    CHECK(strcmp(quoted("close", 5), "'close'") == 0);
    CHECK(strcmp(quoted("", 0), "''") == 0);
    /* quotes: a concatenation with "'" (gnuplot misreads some doubled quotes) */
    CHECK(strcmp(quoted("it's", 4), "('it'.\"'\".'s')") == 0);
    CHECK(strcmp(quoted("''", 2), "(''.\"'\".''.\"'\".'')") == 0);
    /* backquotes, @macros, backslashes and double quotes are plain text in single quotes */
    {
        const char *t = "`touch X` @m \\n \"q\"";
        CHECK(strcmp(quoted(t, strlen(t)), "'`touch X` @m \\n \"q\"'") == 0);
    }
    /* control bytes (newline, CR, tab, NUL, DEL) become spaces: the command cannot end */
    CHECK(strcmp(quoted("a\nb\r\tc\x7f", 7), "'a b  c '") == 0);
    CHECK(strcmp(quoted("a\0b", 3), "'a b'") == 0);
    /* UTF-8 passes through */
    CHECK(strcmp(quoted("R\xc2\xb2", 3), "'R\xc2\xb2'") == 0);
}

static void plot_marker(void) {                                      /* plot-1.2 */
    char m0[32], m1[32], m2[32], body[256];
    gp_Buf b = {0};
    mn_Err e = {0};
    gp_marker(42, m0);
    gp_marker(43, m1);
    gp_marker(44, m2);
    CHECK(strncmp(m0, "MNEOD", 5) == 0 && strlen(m0) == 21);
    CHECK(strcmp(m0, m1) != 0 && strcmp(m1, m2) != 0);
    /* a line equal to the first marker and one starting with the second: the third is used */
    snprintf(body, sizeof body, "EOD\n%s\n%sxyz\n1 2\n", m0, m1);
    CHECK_OK(gp_datablock_text(&b, "d", body, strlen(body), 42, &e), &e);
    {
        char want[512];
        snprintf(want, sizeof want, "$d << %s\n%s%s\n", m2, body, m2);
        CHECK(b.s != NULL && strcmp(b.s, want) == 0);
    }
    gp_buf_free(&b);
    /* a body without a final newline still ends the block on its own line */
    CHECK_OK(gp_datablock_text(&b, "d2", "1 2", 3, 7, &e), &e);
    gp_marker(7, m0);
    {
        char want[128];
        snprintf(want, sizeof want, "$d2 << %s\n1 2\n%s\n", m0, m0);
        CHECK(strcmp(b.s, want) == 0);
    }
    gp_buf_free(&b);
    CHECK_FAIL(gp_datablock_text(&b, "d", "1\r2\n", 4, 1, &e), MN_EARG, &e, "control byte");
    CHECK_FAIL(gp_datablock_text(&b, "1x", "1\n", 2, 1, &e), MN_EARG, &e, "not a name");
    CHECK_FAIL(gp_datablock_text(&b, "a;b", "1\n", 2, 1, &e), MN_EARG, &e, "not a name");
    gp_buf_free(&b);
}

static void plot_datablock_numbers(void) {                           /* plot-1.3 */
    double x[] = {1, 2.5, -3}, y[] = {NAN, INFINITY, 1e-300};
    const double *cols[] = {x, y};
    gp_Buf b = {0};
    mn_Err e = {0};
    char m[32], want[256];
    CHECK_OK(gp_datablock(&b, "d1", cols, 2, 3, 9, &e), &e);
    gp_marker(9, m);
    snprintf(want, sizeof want, "$d1 << %s\n1 NaN\n2.5 NaN\n-3 1e-300\n%s\n", m, m);
    CHECK(b.s != NULL && strcmp(b.s, want) == 0);
    gp_buf_free(&b);
}

/* Does the space-separated 'list' hold the word 'name'? */
static int has_word(const char *list, const char *name) {
    size_t k = strlen(name);
    for (const char *p = list; p && *p;) {
        while (*p == ' ')
            p++;
        if (strncmp(p, name, k) == 0 && (p[k] == ' ' || p[k] == '\0'))
            return 1;
        while (*p && *p != ' ')
            p++;
    }
    return 0;
}

static void plot_run_and_errors(void) {                              /* plot-2.1 */
    gp_Proc *g = NULL;
    gp_Buf out = {0};
    mn_Err e = {0};
    const char *terms = NULL, *again = NULL;
    CHECK_OK(gp_new(NULL, &g, &e), &e);
    CHECK(gp_pid(g) == 0);                            /* nothing runs before the first call */
    CHECK_OK(gp_run(g, "print 1+2\n", 10, 10, &out, &e), &e);
    CHECK(out.s != NULL && strcmp(out.s, "3\n") == 0);
    CHECK(gp_pid(g) > 0);
    /* gnuplot's error comes back as the message, with the command it was in */
    CHECK_FAIL(gp_run(g, "set foo\n", 8, 10, NULL, &e), MN_EIO, &e,
               "gnuplot: unrecognized option");
    CHECK(strstr(e.msg, "(in: set foo)") != NULL);
    /* and the session goes on */
    out.len = 0;
    CHECK_OK(gp_run(g, "print 'still here'\n", 19, 10, &out, &e), &e);
    CHECK(out.s != NULL && strcmp(out.s, "still here\n") == 0);
    /* output not ending in a newline (an image on stdout) does not hide the sync marker */
    out.len = 0;
    {
        static const char img[] = "set terminal pngcairo size 200,150\nunset key\nplot x\n"
                                  "unset output\n";
        CHECK_OK(gp_run(g, img, sizeof img - 1, 10, &out, &e), &e);
        CHECK(out.len > 8 && memcmp(out.s, "\x89PNG", 4) == 0);
        CHECK(out.s[out.len - 1] != '\n' || out.s[out.len - 2] != '\n');
    }
    CHECK_OK(gp_terminals(g, 10, &terms, &e), &e);
    CHECK(has_word(terms, "dumb") && has_word(terms, "svg") && !has_word(terms, "nosuchterm"));
    CHECK_OK(gp_terminals(g, 10, &again, &e), &e);
    CHECK(again == terms);                            /* asked once, then cached */
    gp_buf_free(&out);
    gp_free(g);
}

static void plot_restart_after_kill(void) {                          /* plot-2.2 */
    gp_Proc *g = NULL;
    gp_Buf out = {0};
    mn_Err e = {0};
    pid_t first;
    CHECK_OK(gp_new(NULL, &g, &e), &e);
    CHECK_OK(gp_run(g, "print 1\n", 8, 10, NULL, &e), &e);
    first = gp_pid(g);
    CHECK(first > 0 && kill(first, SIGKILL) == 0);
    {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    CHECK_OK(gp_run(g, "print 2\n", 8, 10, &out, &e), &e);
    CHECK(out.s != NULL && strcmp(out.s, "2\n") == 0);
    CHECK(gp_pid(g) > 0 && gp_pid(g) != first);
    /* a gnuplot that exits by itself is restarted too */
    CHECK_FAIL(gp_run(g, "exit\n", 5, 10, NULL, &e), MN_EIO, &e, "exited");
    out.len = 0;
    CHECK_OK(gp_run(g, "print 3\n", 8, 10, &out, &e), &e);
    CHECK(out.s != NULL && strcmp(out.s, "3\n") == 0);
    gp_stop(g);
    CHECK(gp_pid(g) == 0);
    gp_buf_free(&out);
    gp_free(g);
}

/* Lines in a file, or -1 when it cannot be read. */
static int count_lines(const char *path) {
    FILE *f = fopen(path, "r");
    int c, n = 0;
    if (f == NULL)
        return -1;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

/* A gnuplot that dies after taking the commands is not sent them again: they may have run. */
static void plot_no_rerun_after_exit(void) {                         /* plot-2.6 */
    gp_Proc *g = NULL;
    gp_Buf cmd = {0}, out = {0};
    mn_Err e = {0};
    char dir[] = "/tmp/moneta-plot-XXXXXX", path[128];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/ran", dir);
    CHECK_OK(gp_new(NULL, &g, &e), &e);
    gp_buf_puts(&cmd, "system('echo ran >> ' . ");
    gp_quote(&cmd, path, strlen(path));
    gp_buf_puts(&cmd, ")\nexit\n");
    CHECK_FAIL(gp_run(g, cmd.s, cmd.len, 10, NULL, &e), MN_EIO, &e, "exited while plotting");
    CHECK(count_lines(path) == 1);                   /* once, not once per attempt */
    /* the next exchange starts a new gnuplot */
    CHECK_OK(gp_run(g, "print 4\n", 8, 10, &out, &e), &e);
    CHECK(out.s != NULL && strcmp(out.s, "4\n") == 0);
    CHECK(count_lines(path) == 1);
    /* killed between calls and run at once, while it may still be dying: the commands go to a
    ** new gnuplot, since the old one has to answer a sync before it gets any */
    for (int i = 0; i < 5; i++) {
        pid_t old = gp_pid(g);
        CHECK(old > 0 && kill(old, SIGKILL) == 0);
        out.len = 0;
        CHECK_OK(gp_run(g, "print 5\n", 8, 10, &out, &e), &e);
        CHECK(out.s != NULL && strcmp(out.s, "5\n") == 0);
        CHECK(gp_pid(g) != old);
    }
    gp_buf_free(&cmd);
    gp_buf_free(&out);
    gp_free(g);
    unlink(path);
    rmdir(dir);
}

static void plot_timeout(void) {                                     /* plot-2.3 */
    /* a "gnuplot" that reads everything and never answers */
    const char *argv[] = {"sh", "-c", "cat >/dev/null", NULL};
    gp_Proc *g = NULL;
    mn_Err e = {0};
    double t0;
    CHECK_OK(gp_new(argv, &g, &e), &e);
    t0 = now();
    CHECK_FAIL(gp_run(g, "print 1\n", 8, 0.3, NULL, &e), MN_EIO, &e, "no answer within 0.3 s");
    CHECK(now() - t0 < 3.0);
    CHECK(gp_pid(g) == 0);                           /* killed, restarted on the next call */
    gp_free(g);
}

/* Is process 'pid' gone (or a zombie waiting for its parent)? Linux's /proc; else -1. */
static int gone(pid_t pid) {
    char path[64], stat_line[512];
    FILE *f;
    const char *p;
    if (!exists("/proc/self/stat"))
        return -1;
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    if ((f = fopen(path, "r")) == NULL)
        return 1;
    p = fgets(stat_line, sizeof stat_line, f);
    fclose(f);
    p = p ? strrchr(stat_line, ')') : NULL;          /* "pid (comm) S ..." */
    return p != NULL && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

/* A killed gnuplot takes its process group along: helpers (gnuplot_qt) do not linger. */
static void plot_kill_group(void) {                                  /* plot-2.7 */
    char dir[] = "/tmp/moneta-plot-XXXXXX", script[256], path[128];
    const char *argv[] = {"sh", "-c", script, NULL};
    gp_Proc *g = NULL;
    mn_Err e = {0};
    long helper = 0;
    FILE *f;
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/helper", dir);
    /* a "gnuplot" that starts a helper in its group, then reads and never answers */
    snprintf(script, sizeof script,
             "sleep 1000 </dev/null >/dev/null 2>&1 & echo $! > '%s'; cat >/dev/null", path);
    CHECK_OK(gp_new(argv, &g, &e), &e);
    CHECK_FAIL(gp_run(g, "print 1\n", 8, 0.5, NULL, &e), MN_EIO, &e, "no answer");
    f = fopen(path, "r");
    CHECK(f != NULL && fscanf(f, "%ld", &helper) == 1 && helper > 0);
    if (f)
        fclose(f);
    if (helper > 0 && gone((pid_t)helper) >= 0) {
        double t0 = now();
        while (!gone((pid_t)helper) && now() - t0 < 2.0) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        CHECK(gone((pid_t)helper));
        if (!gone((pid_t)helper))
            kill((pid_t)helper, SIGKILL);
    }
    gp_free(g);
    unlink(path);
    rmdir(dir);
}

static void plot_missing_program(void) {                             /* plot-2.4 */
    const char *argv[] = {"/nonexistent/gnuplot", NULL};
    gp_Proc *g = NULL;
    mn_Err e = {0};
    CHECK_OK(gp_new(argv, &g, &e), &e);
    CHECK_FAIL(gp_run(g, "print 1\n", 8, 5, NULL, &e), MN_EIO, &e, "gnuplot is not installed");
    CHECK(strstr(e.msg, "apt-get install gnuplot") != NULL);
    gp_free(g);
}

/* User text through gp_quote reaches gnuplot as text and runs nothing. */
static void plot_injection(void) {                                   /* plot-2.5 */
    static const char *const attacks[] = {
        "`touch INJ1`", "system(\"touch INJ2\")", "'; system \"touch INJ3\"; '",
        "x\n!touch INJ4\n", "a'.system('touch INJ5').'b", "@x `touch INJ6` \\",
        "'''`touch INJ7`'", "''''", "\"'\"`touch INJ8`\"'\"",
    };
    static const char *const files[] = {"INJ1", "INJ2", "INJ3", "INJ4", "INJ5", "INJ6",
                                        "INJ7", "INJ7", "INJ8"};
    gp_Proc *g = NULL;
    mn_Err e = {0};
    char dir[] = "/tmp/moneta-plot-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    CHECK_OK(gp_new(NULL, &g, &e), &e);
    {
        gp_Buf cd = {0};
        gp_buf_puts(&cd, "cd ");
        gp_quote(&cd, dir, strlen(dir));
        gp_buf_puts(&cd, "\n");
        CHECK_OK(gp_run(g, cd.s, cd.len, 10, NULL, &e), &e);
        gp_buf_free(&cd);
    }
    for (size_t i = 0; i < sizeof attacks / sizeof *attacks; i++) {
        gp_Buf cmd = {0}, out = {0};
        char want[128], path[128];
        size_t k;
        gp_buf_puts(&cmd, "print ");
        gp_quote(&cmd, attacks[i], strlen(attacks[i]));
        gp_buf_puts(&cmd, "\n");
        CHECK_OK(gp_run(g, cmd.s, cmd.len, 10, &out, &e), &e);
        snprintf(want, sizeof want, "%s\n", attacks[i]);
        for (k = 0; k + 1 < strlen(want); k++)           /* control bytes read as spaces */
            if (want[k] == '\n')
                want[k] = ' ';
        CHECK(out.s != NULL && strcmp(out.s, want) == 0);
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        CHECK(!exists(path));
        gp_buf_free(&cmd);
        gp_buf_free(&out);
    }
    gp_free(g);
    rmdir(dir);
}

static void plot_commit(void) {                                      /* plot-3.1 */
    mn_Err e = {0};
    char dir[] = "/tmp/moneta-plot-XXXXXX", tmp[128], path[128];
    FILE *f;
    CHECK(mkdtemp(dir) != NULL);
    snprintf(tmp, sizeof tmp, "%s/.t.png", dir);
    snprintf(path, sizeof path, "%s/out.png", dir);
    f = fopen(tmp, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("x", f);
        fclose(f);
    }
    CHECK_OK(gp_commit_file(tmp, path, &e), &e);
    CHECK(exists(path) && !exists(tmp));
    CHECK_FAIL(gp_commit_file(tmp, path, &e), MN_EIO, &e, "out.png: gnuplot wrote nothing");
    unlink(path);
    rmdir(dir);
}

static void plot_tmpfile(void) {                                    /* plot-3.2 */
    mn_Err e = {0};
    char dir[] = "/tmp/moneta-plot-XXXXXX", cwd[4096], path[160], sub[160];
    gp_Buf a = {0}, b = {0}, rel = {0};
    struct stat st;
    mode_t old;
    FILE *f;
    CHECK(mkdtemp(dir) != NULL);
    CHECK_OK(gp_tmpfile(dir, "png", &a, &e), &e);
    CHECK_OK(gp_tmpfile(dir, "png", &b, &e), &e);
    /* fresh, empty, ours alone (0600), different names of the promised shape */
    CHECK(a.s != NULL && b.s != NULL && strcmp(a.s, b.s) != 0);
    CHECK(strncmp(a.s, dir, strlen(dir)) == 0 &&
          strncmp(a.s + strlen(dir), "/.moneta-plot-", 14) == 0);
    CHECK(a.len > 4 && strcmp(a.s + a.len - 4, ".png") == 0);
    CHECK(stat(a.s, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0);
    CHECK((st.st_mode & 0777) == 0600);
    /* committed, the file gets the mode a new file gets under the umask */
    f = fopen(a.s, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("x", f);
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/plot.png", dir);
    old = umask(027);
    CHECK_OK(gp_commit_file(a.s, path, &e), &e);
    umask(old);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640 && !exists(a.s));
    unlink(path);
    /* an empty file means gnuplot wrote nothing: an error, and the empty file is removed */
    CHECK_FAIL(gp_commit_file(b.s, path, &e), MN_EIO, &e, "plot.png: gnuplot wrote nothing");
    CHECK(!exists(b.s) && !exists(path));
    /* a relative folder, even one named like a pipe, gives a name starting with "./" */
    CHECK(getcwd(cwd, sizeof cwd) != NULL && chdir(dir) == 0);
    CHECK(mkdir("|x", 0700) == 0);
    CHECK_OK(gp_tmpfile("|x", "svg", &rel, &e), &e);
    CHECK(rel.s != NULL && strncmp(rel.s, "./|x/.moneta-plot-", 18) == 0 && exists(rel.s));
    if (rel.s)
        unlink(rel.s);
    rmdir("|x");
    CHECK(chdir(cwd) == 0);
    /* errors: a folder that is not there (named), an extension that is not one */
    snprintf(sub, sizeof sub, "%s/no/such", dir);
    CHECK_FAIL(gp_tmpfile(sub, "png", &rel, &e), MN_EIO, &e, "no/such: cannot create");
    CHECK_FAIL(gp_tmpfile(dir, "p/ng", &rel, &e), MN_EARG, &e, "not a file extension");
    gp_buf_free(&a);
    gp_buf_free(&b);
    gp_buf_free(&rel);
    rmdir(dir);
}

int main(void) {
    RUN(plot_quote);
    RUN(plot_marker);
    RUN(plot_datablock_numbers);
    RUN(plot_run_and_errors);
    RUN(plot_restart_after_kill);
    RUN(plot_no_rerun_after_exit);
    RUN(plot_timeout);
    RUN(plot_kill_group);
    RUN(plot_missing_program);
    RUN(plot_injection);
    RUN(plot_commit);
    RUN(plot_tmpfile);
    return CHECK_DONE();
}
