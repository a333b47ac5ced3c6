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
tm kill-session -t hist1

start_moneta hist2
keys Up Up          # the line before last: the assignment
wait_for '^> remembered_value = 12345$' 10
keys Enter
type_line 'remembered_value + 1'
wait_for '^12346$' 10
echo "repl_history: ok"
