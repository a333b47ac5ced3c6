/* tui_pty.h -- run a tui unit test's body in a child whose stdin and stdout are a
** pseudo-terminal of our own (ctest gives none), so ui_init takes a real screen. Shared by
** tests/unit/test_tui_*.c; the child's screen is xterm with LC_ALL=C.UTF-8. */
#ifndef MN_TEST_TUI_PTY_H
#define MN_TEST_TUI_PTY_H

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tui/ui.h"

/* Run 'fn' in the child with SIGINT going to 'on_int' (NULL: the default). The child opens a
** screen (ui_init) and checks it is UTF-8 before calling fn, which calls ui_done (or lets
** another ui_init fail) and returns its exit status: 0 ok, else failed. Returns the child's
** exit status: 0 ok, 77 no screen here (no xterm terminfo or no UTF-8 locale), else failed. */
static int with_pty(int (*fn)(void), void (*on_int)(int)) {
    int master = posix_openpt(O_RDWR | O_NOCTTY), status = 0;
    pid_t pid;
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
        return 77;
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
        mn_Err e = {0};
        if (slave < 0 || dup2(slave, STDIN_FILENO) < 0 || dup2(slave, STDOUT_FILENO) < 0)
            _exit(77);
        setenv("TERM", "xterm", 1);
        setenv("LC_ALL", "C.UTF-8", 1);
        if (on_int != NULL)
            signal(SIGINT, on_int);
        if (ui_init(&e) != MN_OK)
            _exit(77);
        if (!ui_unicode()) {
            ui_done();
            _exit(77);
        }
        _exit(fn());
    }
    if (pid < 0) {
        close(master);
        return 77;
    }
    /* drain what the screen writes, so the child never blocks on a full pty */
    for (;;) {
        char buf[4096];
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        fcntl(master, F_SETFL, O_NONBLOCK);
        if (read(master, buf, sizeof buf) <= 0)
            usleep(1000);
    }
    close(master);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

#endif
