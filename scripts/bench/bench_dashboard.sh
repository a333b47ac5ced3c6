#!/bin/sh
# bench_dashboard.sh -- what the training monitor costs: the same fit (credit MLP 64-32-1,
# batch 64, seed 7, one BLAS thread, E epochs) run in a 100x30 tmux pane with the monitor
# (dashboard = true) and without (dashboard = false, plain printer quiet), alternating, R
# rounds each; prints the median training seconds (the fit loop's own clock, history.seconds)
# of both and the ratio. The goal is an overhead under 2%. Needs tmux.
#   sh scripts/bench/bench_dashboard.sh [path/to/moneta]      (E=300 R=5 by default)
set -eu
MONETA=$(cd "$(dirname "${1:-build/moneta}")" && pwd)/$(basename "${1:-build/moneta}")
E=${E:-300}
R=${R:-5}
command -v tmux >/dev/null 2>&1 || { echo "bench_dashboard: needs tmux"; exit 1; }
TMP=$(mktemp -d)
SOCK=$TMP/tmux.sock
trap 'tmux -S "$SOCK" kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

cat > "$TMP/fit.lua" <<'LUA'
local m = require "moneta"
local dash, epochs, out = arg[1] == "on", tonumber(arg[2]), arg[3]
local df = m.read_csv(m.dataset("credit.csv.gz")):dedupe():fillna{income = "median"}
local prep = m.prep.pipeline{m.prep.impute{strategy = "median"}, m.prep.standard{}, m.prep.onehot{}}
local X = prep:fit_transform(df:drop{"default"})
m.threads(1)
m.progress.quiet = not dash
local net = m.nn.sequential{m.nn.dense(64), m.nn.relu(), m.nn.dense(32), m.nn.relu(), m.nn.dense(1)}
local h = net:fit(X, df:col("default"), {loss = "bce", epochs = epochs, batch = 64, seed = 7,
                                         validation = 0.1, dashboard = dash})
local f = assert(io.open(out, "a"))
local s = m.dash.monitor.last_summary
f:write(string.format("%s %.4f %d %.4f %d\n", dash and "on" or "off", h.seconds, h.epochs,
                      dash and s and s.seconds or 0, dash and s and s.frames or 0))
f:close()
LUA

run() {   # run on|off: one fit in a fresh 100x30 pane, wait until it wrote its line
    before=$(wc -l < "$TMP/times" 2>/dev/null || echo 0)
    tmux -S "$SOCK" new-session -d -s b -x 100 -y 30 \
        "cd '$TMP' && '$MONETA' fit.lua $1 $E '$TMP/times'; sleep 1"
    while [ "$(wc -l < "$TMP/times" 2>/dev/null || echo 0)" -le "$before" ]; do sleep 0.2; done
    tmux -S "$SOCK" kill-server 2>/dev/null || true
    sleep 0.5
}
: > "$TMP/times"
i=0
while [ $i -lt "$R" ]; do
    run off
    run on
    i=$((i + 1))
done
col() {   # col MODE FIELD: sorted values
    grep "^$1 " "$TMP/times" | awk -v f="$2" '{print $f}' | sort -n
}
median() { col "$1" "$2" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
least() { col "$1" "$2" | head -n 1; }
echo "runs (mode, fit seconds, epochs, monitor's own seconds, frames):"
sed 's/^/  /' "$TMP/times"
off=$(median off 2); on=$(median on 2); offm=$(least off 2); onm=$(least on 2)
own=$(median on 4); frames=$(median on 5)
printf '%-34s %10s %10s\n' "fit, $E epochs, credit MLP" "median s" "best s"
printf '%-34s %10.3f %10.3f\n' "dashboard = false (quiet)" "$off" "$offm"
printf '%-34s %10.3f %10.3f\n' "training monitor (tmux 100x30)" "$on" "$onm"
printf '%-34s %10.4f %10.4f\n' "ratio monitor / quiet" "$(echo "$on / $off" | bc -l)" \
    "$(echo "$onm / $offm" | bc -l)"
printf 'the monitor'"'"'s own time in the loop: %.3f s for %d frames = %.2f%% of the training time\n' \
    "$own" "$frames" "$(echo "$own / $on * 100" | bc -l)"
