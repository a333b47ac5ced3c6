# repl-2: history persists across sessions in $XDG_STATE_HOME/moneta/history.
set -eu
. "$(dirname "$0")/lib.sh"
start_moneta hist1
type_line 'remembered_value = 12345'
type_line 'remembered_value * 2'
wait_for '^24690$' 10
keys C-d
wait_for '\[moneta exited\]' 10
[ -f "$XDG_STATE_HOME/moneta/history" ] || fail "no history file"
grep -q 'remembered_value = 12345' "$XDG_STATE_HOME/moneta/history" || fail "line not in history"

# hist1's pane stays until hist2 runs: killing the server's last session makes it exit, and a
# new-session racing that exit fails with "server exited unexpectedly"
start_moneta hist2
tm kill-session -t hist1
keys Up Up          # the line before last: the assignment
wait_for '^> remembered_value = 12345$' 10
keys Enter
type_line 'remembered_value + 1'
wait_for '^12346$' 10
echo "repl_history: ok"

# repl-2.2 two sessions at once: each line is appended as it is entered, so neither session's
# exit overwrites the other's lines, and a line is on disk before the session ends
start_moneta hist3
type_line 'from_three = 3'
wait_for '^> from_three = 3$' 10
i=0
until grep -q 'from_three = 3' "$XDG_STATE_HOME/moneta/history"; do
    i=$((i + 1)); [ $i -lt 50 ] || fail "the line was not written when entered"
    sleep 0.1
done
SESSION=hist2
type_line 'from_two = 2'
keys C-d
wait_for '\[moneta exited\]' 10
SESSION=hist3
keys C-d
wait_for '\[moneta exited\]' 10
for l in 'from_two = 2' 'from_three = 3' 'remembered_value = 12345'; do
    grep -q "$l" "$XDG_STATE_HOME/moneta/history" || fail "lost '$l' from the history"
done
echo "repl_history: two sessions ok"
