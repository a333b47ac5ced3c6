# progress-2: with the dashboard off, a fit on a terminal shows one self-erasing progress line
# (epoch, bar, ETA) that is replaced by the plain per-epoch lines; Ctrl-C stops training after
# the batch and the history says so; the line is gone and the prompt works.
set -eu
. "$(dirname "$0")/lib.sh"
start_moneta progress
type_line 's = 1; X, y = {}, {}; for i = 1, 8000 do local r = {}; for j = 1, 32 do s = s * 16807 % 2147483647; r[j] = s / 2147483647 end; X[i] = r; y[i] = r[1] > r[2] and 1 or 0 end; X = tensor.from(X)'
prompt_ready
# wide enough that an epoch lasts well over the live line's 0.5 s delay on a fast machine
type_line 'net = nn.sequential{nn.dense(1024), nn.relu(), nn.dense(1024), nn.relu(), nn.dense(1)}'
prompt_ready
type_line 'h = net:fit(X, y, {loss = "bce", epochs = 100000, batch = 32, seed = 1, dashboard = false})'
# the live line: task, epoch of epochs, a bar, percent and ETA
wait_for '^fit epoch +[0-9]+/100000 \[[#.]+\] +[0-9]+%.*ETA' 20
# it is one line that rewrites itself, so it never appears twice (an epoch's end may have
# just replaced it by the epoch's plain line)
for _ in 1 2 3 4 5; do
    n=$(screen | grep -c '^fit epoch .*ETA' || true)
    [ "$n" -le 1 ] || fail "expected at most one live progress line, saw $n"
    sleep 0.2
done
keys C-c
wait_for 'fit: interrupted at epoch' 20
prompt_ready
screen | grep -q 'ETA' && fail "the live progress line was not erased"
type_line 'print(h.reason:match("^interrupted") ~= nil)'
wait_for '^true$' 10

# progress-2.2 a Ctrl-C that lands while a Lua listener runs stops training the same way and
# removes no listener (the REPL's interrupt hook fires inside the listener)
keys C-l
type_line 'progress.subscribe("slow", function(r) if r.phase == "epoch" then local t = now() + 0.6; while now() < t do end end end)'
prompt_ready
type_line 'h = net:fit(X, y, {loss = "bce", epochs = 100000, batch = 32, seed = 1, dashboard = false})'
wait_for '^fit epoch +1/100000 ' 20
sleep 0.3                                     # inside the slow listener, most likely
keys C-c
wait_for '^(\^C)?fit: interrupted (at|after) epoch' 20
prompt_ready
screen | grep -q 'failed and was removed' && fail "a listener was removed by Ctrl-C"
type_line 'progress.unsubscribe("slow"); h = net:fit(X, y, {loss = "bce", epochs = 1, batch = 4000, seed = 1, dashboard = false})'
wait_for '^fit epoch 1/1 ' 20                 # the plain printer is still subscribed
echo "progress_line: ok"
