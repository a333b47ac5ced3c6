# explore-2: the explorer's screen, frozen: tests/e2e/explore.lua opens it on the credit data
# (income sorted down) under --frames 3, which quits after three frames and prints the last one;
# that text must match tests/e2e/golden/dash_explore.txt. After a deliberate change to the
# screen, regenerate the golden file with MONETA_GOLDEN_UPDATE=1 and review the diff.
set -eu
. "$(dirname "$0")/lib.sh"
locale -a 2>/dev/null | grep -Eqi '^c\.utf-?8$' || { echo "no C.UTF-8 locale: skipped"; exit 77; }
golden=tests/e2e/golden/dash_explore.txt
SESSION=golden
# -f /dev/null: no user tmux.conf, so TERM and the pane are the same everywhere
tmux -f /dev/null -S "$TMUX_SOCK" new-session -d -s "$SESSION" -x 100 -y 30 \
    "env LC_ALL=C.UTF-8 $MONETA_BIN --frames 3 --clock fixed:2024-01-02T00:00:00Z \
     tests/e2e/explore.lua; echo '[moneta exited]'; sleep 60"
wait_for '^\[moneta exited\]' 20
# the dump is the 30 lines before "explore returned" (the pane has scrolled: read its history)
tm capture-pane -p -t "$SESSION" -S -100 |
    awk '/^explore returned$/ { exit } { buf[NR] = $0; n = NR }
         END { for (i = n - 29; i <= n; i++) print buf[i] }' > "$E2E_TMP/screen.txt"
if [ "${MONETA_GOLDEN_UPDATE:-0}" = 1 ]; then
    cp "$E2E_TMP/screen.txt" "$golden"
    echo "dash_explore_golden: updated $golden"
    exit 0
fi
diff -u "$golden" "$E2E_TMP/screen.txt" || fail "the explorer's screen differs from $golden"
echo "dash_explore_golden: ok"
