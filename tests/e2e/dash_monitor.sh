# dash-monitor-1: the training monitor as a person uses it, in tmux: a long fit with
# dashboard=true shows its parts and updates; p pauses (the epoch stops moving) and resumes;
# the layout follows resizes and says plainly when the window is too small; s writes a
# checkpoint; q stops cleanly, prints a plain summary and gives the REPL back.
set -eu
. "$(dirname "$0")/lib.sh"
cd "$E2E_TMP"
start_moneta mon

epoch() { screen | sed -n 's/^ *epoch *\([0-9][0-9]*\)\/100000.*/\1/p' | head -n 1; }

# a small, fast net on the bundled credit data, running until stopped
type_line 'df = moneta.read_csv(moneta.dataset("credit.csv.gz")):dedupe():fillna{income = "median"}'
type_line 'X = moneta.prep.pipeline{moneta.prep.impute{strategy = "median"}, moneta.prep.standard{}, moneta.prep.onehot{}}:fit_transform(df:drop{"default"})'
type_line 'net = moneta.nn.sequential{moneta.nn.dense(16), moneta.nn.relu(), moneta.nn.dense(1)}'
type_line 'h = net:fit(X, df:col("default"), {loss = "bce", epochs = 100000, batch = 256, seed = 7, validation = 0.2, dashboard = true})'

# dash-monitor-1.1 every part is there
wait_for 'training monitor' 15
wait_for '^ *epoch +[0-9]+/100000' 10
wait_for '^ *batch +[0-9]+/[0-9]+' 10
wait_for 'train loss.*val loss' 15
wait_for 'epoch +loss +val_loss' 10
wait_for '─ log ─' 10
wait_for 'p pause +q stop +s checkpoint +l log scale +g plot +\? help' 10
wait_for 'RUNNING' 10

# dash-monitor-1.2 it updates: the epoch counter moves
e1=$(epoch)
i=0
while [ "$(epoch)" = "$e1" ]; do
    i=$((i + 1)); [ $i -lt 100 ] || fail "epoch stayed at $e1"
    sleep 0.1
done

# dash-monitor-1.3 p pauses: PAUSED shows and the epoch stands still; p resumes
# (after 40 epochs, more than the table shows, so that scrolling it back means something)
i=0
while e=$(epoch); [ "${e:-0}" -lt 40 ]; do
    i=$((i + 1)); [ $i -lt 300 ] || fail "training stays below 40 epochs"
    sleep 0.1
done
keys p
wait_for 'PAUSED' 10
wait_for 'p resume' 10
e1=$(epoch)
sleep 1
[ "$(epoch)" = "$e1" ] || fail "epoch moved while paused ($e1 -> $(epoch))"
# dash-monitor-1.3b while paused, Home scrolls the table back to epoch 1 and End follows again
# (the table shows epochs as rows "<*> <epoch> <loss> ..."; epoch 1 has scrolled off by now)
keys Home
wait_for 'epochs 1-[0-9]+ of [0-9]+: End follows the newest' 10
wait_for '^│ +\*? +1 +0\.[0-9]{4} ' 10
keys End
i=0
while screen | grep -q 'End follows the newest'; do
    i=$((i + 1)); [ $i -lt 100 ] || fail "End did not return to the newest epochs"
    sleep 0.1
done
keys p
wait_for 'RUNNING' 10
i=0
while [ "$(epoch)" = "$e1" ]; do
    i=$((i + 1)); [ $i -lt 100 ] || fail "epoch did not move after resume"
    sleep 0.1
done

# dash-monitor-1.4 resizing: a small window keeps the bars and curves, a tiny one says so,
# and the full layout comes back
tm resize-window -t "$SESSION" -x 60 -y 15
wait_for '^ *epoch +[0-9]+/100000' 10
wait_for 'train loss' 10
screen | grep -Eq 'epoch +loss' && fail "table still drawn at 60x15"
tm resize-window -t "$SESSION" -x 40 -y 10
wait_for 'terminal too small' 10
tm resize-window -t "$SESSION" -x 100 -y 30
wait_for 'epoch +loss +val_loss' 10
wait_for 'train loss.*val loss' 10

# dash-monitor-1.5 s writes a checkpoint; the log says where
keys s
wait_for 'checkpoint written to moneta-checkpoint.mdl' 10
[ -s moneta-checkpoint.mdl ] || fail "no checkpoint file"

# dash-monitor-1.6 q stops cleanly: the screen closes, a plain summary stays, the REPL works
keys q
wait_for '^fit: stopped by the progress listener' 15
wait_for '^fit: best epoch [0-9]+ \(val_loss' 10
wait_for '^fit: stopped from the training monitor' 10
wait_for '^fit epoch +[0-9]+/100000 +loss' 10
prompt_ready
type_line '#h.loss > 0, h.reason'
wait_for '^true.*stopped by the progress listener' 10
type_line '1+1'
wait_for '^2$' 10

# dash-monitor-1.7 Ctrl-C stops the same way (the loop ends after its batch) and the REPL
# survives; the terminal is back (what is typed echoes)
tm send-keys -t "$SESSION" C-l
type_line 'h2 = net:fit(X, df:col("default"), {loss = "bce", epochs = 100000, batch = 256, seed = 7, validation = 0.2, dashboard = true})'
wait_for 'RUNNING' 15
wait_for 'epoch +loss +val_loss' 10
keys C-c
# (the loop sees the interrupt flag after a batch, or the monitor stops it at an epoch's end)
wait_for '^fit: interrupted (at|after) epoch [0-9]+' 15
wait_for '^fit: stopped from the training monitor' 10
prompt_ready
type_line 'h2.reason:sub(1, 11) .. "!"'
wait_for '^interrupted!$' 10
# the interrupt was handled: the next long computation is not stopped by it
type_line 'print(gemm_bench(64, 0.2) > 0 and "bench ran")'
wait_for '^bench ran$' 10
echo "dash_monitor: ok"
