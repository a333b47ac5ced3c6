# dash-color-1: the dashboards use colour when the terminal has it, and none when NO_COLOR is
# set (https://no-color.org: any non-empty value). Read with capture-pane -e, which keeps the
# SGR escape codes; foreground colours are ESC[30m..ESC[37m / ESC[38;5;Nm / ESC[9Xm.
set -eu
. "$(dirname "$0")/lib.sh"
cd "$E2E_TMP"
EXPLORE=$OLDPWD/tests/e2e/explore.lua
cat > train.lua <<'LUA'
local m = require "moneta"
local df = m.read_csv(m.dataset("credit.csv.gz")):dedupe():fillna{income = "median"}
local X = m.prep.pipeline{m.prep.impute{strategy = "median"}, m.prep.standard{}, m.prep.onehot{}}
          :fit_transform(df:drop{"default"})
local net = m.nn.sequential{m.nn.dense(16), m.nn.relu(), m.nn.dense(1)}
net:fit(X, df:col("default"), {loss = "bce", epochs = 100000, batch = 256, seed = 1,
                               validation = 0.2, dashboard = true})
LUA
colours() { tm capture-pane -e -p -t "$SESSION" | grep -cE "$(printf '\033')\[(3[0-7]|9[0-7]|38;5;[0-9]+)m" || true; }

# run NAME NOCOLOR SCRIPT READY: open SCRIPT in a pane with NO_COLOR=NOCOLOR, wait for READY
run() {
    tm new-session -d -s "$1" -x 120 -y 35 "env NO_COLOR='$2' TERM=xterm-256color $MONETA_BIN $3; sleep 60"
    SESSION=$1
    wait_for "$4" 30
}
run mon_c "" train.lua 'RUNNING'
wait_for 'epoch +loss +val_loss' 20
n=$(colours); [ "$n" -gt 0 ] || fail "the monitor shows no colour on a colour terminal"
run mon_n 1 train.lua 'RUNNING'
wait_for 'epoch +loss +val_loss' 20
n=$(colours); [ "$n" -eq 0 ] || fail "the monitor uses colour ($n lines) under NO_COLOR"
run exp_c "" "$EXPLORE" 'income'
n=$(colours); [ "$n" -gt 0 ] || fail "the explorer shows no colour on a colour terminal"
run exp_n 1 "$EXPLORE" 'income'
n=$(colours); [ "$n" -eq 0 ] || fail "the explorer uses colour ($n lines) under NO_COLOR"
echo "dash_color: ok"
