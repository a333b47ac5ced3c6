# repl-3: Ctrl-C during a long core computation (a 60-second BLAS run) and during a Lua loop
# interrupts it, prints a message, and returns to a working prompt with the state intact.
set -eu
. "$(dirname "$0")/lib.sh"
start_moneta intr
type_line 'x = 7'
type_line 'gemm_bench(128, 60)'
sleep 1
keys C-c
wait_for 'interrupted' 10
prompt_ready
n1=$(screen | grep -c 'interrupted' || true)
type_line 'while true do end'
sleep 0.5
keys C-c
# a second message, not the first one still on the screen
i=0
while [ "$(screen | grep -c 'interrupted' || true)" -le "$n1" ]; do
    i=$((i + 1)); [ $i -lt 100 ] || fail "no 'interrupted' for the Lua loop"
    sleep 0.1
done
type_line 'x * 6'
wait_for '^42$' 10
echo "repl_interrupt: ok"
