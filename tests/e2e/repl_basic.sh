# repl-1: the REPL as a person uses it: an expression, a continuation line, an error followed by
# a working prompt, Ctrl-C abandoning a line, Tab completion of globals, fields and methods.
set -eu
. "$(dirname "$0")/lib.sh"
start_moneta repl

# repl-1.1 an expression prints its value (as the standalone lua: 1+1 shows 2)
type_line '1+1'
wait_for '^2$' 20

# repl-1.2 incomplete input continues on a second prompt and then runs
type_line 'for i = 1, 3 do'
wait_for '^>> ?$' 20
type_line 'io.write(i * 10, " ")'
type_line 'end print()'
wait_for '^10 20 30 ?$' 20

# repl-1.3 an error prints a message and a traceback, and the state survives
type_line 'kept = 41'
type_line 'error("boom")'
wait_for 'stdin:1: boom' 20
wait_for '^traceback:' 20
type_line 'kept + 1'
wait_for '^42$' 20

# repl-1.4 Ctrl-C abandons a half-typed line; the next line runs alone
keys -l 'this is not lua'
keys C-c
wait_for 'this is not lua\^C' 20
type_line '6 * 7 + 100'
wait_for '^142$' 20
screen | grep -q 'syntax error' && fail "the abandoned line was run"

# repl-1.5 Ctrl-C in a continuation abandons the whole statement
type_line 'if true then'
wait_for '^>> ?$' 20
keys C-c
type_line '"fresh"'
wait_for '^fresh$' 20

# repl-1.6 Tab completes a global, a module field and a method after ':'
keys -l 'string.for'
keys Tab
wait_for 'string\.format\($' 20
keys C-u
keys -l 'df = moneta.fr'
keys Tab
wait_for 'df = moneta\.frame\($' 20
keys -l '{a = {1, 2, 3}})'
keys Enter
keys -l 'df:hea'
keys Tab
wait_for 'df:head\($' 20
keys -l '2):nrows()'
keys Enter
wait_for '^2$' 20

# repl-1.7 Ctrl-D exits
keys C-d
wait_for '\[moneta exited\]' 20
echo "repl_basic: ok"
