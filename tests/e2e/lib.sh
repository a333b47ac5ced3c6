# lib.sh -- helpers for the end-to-end tests: start the real moneta in a tmux pane, type into
# it, and read the screen. Sourced by tests/e2e/*.sh; exits 77 (skipped) without tmux.
command -v tmux >/dev/null 2>&1 || { echo "tmux not installed: skipped"; exit 77; }
: "${MONETA_BIN:?MONETA_BIN must point to the moneta binary}"
E2E_TMP=${MONETA_TEST_TMP:-/tmp}/e2e-$$
mkdir -p "$E2E_TMP"
# A private tmux server per test, so parallel tests and a user's tmux never interfere.
TMUX_SOCK="$E2E_TMP/tmux.sock"
tm() { tmux -S "$TMUX_SOCK" "$@"; }
export XDG_STATE_HOME="$E2E_TMP/state"
export NO_COLOR=1

fail() { echo "FAIL: $*"; echo "--- screen ---"; screen; exit 1; }

# start_moneta SESSION [args...]: a 100x30 pane running moneta; waits for the prompt.
start_moneta() {
    s=$1; shift
    tm new-session -d -s "$s" -x 100 -y 30 \
        "env XDG_STATE_HOME='$XDG_STATE_HOME' $MONETA_BIN $*; echo '[moneta exited]'; sleep 60"
    SESSION=$s
    wait_for '^> ?$' 20
}

screen() { tm capture-pane -p -t "$SESSION" 2>/dev/null; }

# wait_for REGEX SECONDS: poll the screen until a line matches (grep -E), else fail.
wait_for() {
    i=0
    while [ "$i" -lt $(($2 * 10)) ]; do
        screen | grep -Eq -- "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "waited $2 s for /$1/"
}

# type_line TEXT: type TEXT literally, then Enter.
type_line() { tm send-keys -t "$SESSION" -l "$1"; tm send-keys -t "$SESSION" Enter; }
keys() { tm send-keys -t "$SESSION" "$@"; }

# last_prompt_ready: the last non-empty line is a bare prompt.
prompt_ready() {
    i=0
    while [ "$i" -lt 50 ]; do
        [ "$(screen | grep -v '^$' | tail -n 1)" = "> " ] || [ "$(screen | grep -v '^$' | tail -n 1)" = ">" ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "no fresh prompt"
}

cleanup() { tm kill-server 2>/dev/null || true; sleep 0.2; rm -rf "$E2E_TMP" 2>/dev/null || true; }
trap cleanup EXIT
