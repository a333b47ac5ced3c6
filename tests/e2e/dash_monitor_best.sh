# dash-monitor-3: the monitor's "best epoch" is the one the training loop keeps: with
# early_stop monitoring val_auc (maximised, with a min_delta) the monitor's best and fit's
# history agree, and both equal the rule worked out by hand from the history's values.
set -eu
. "$(dirname "$0")/lib.sh"
cd "$E2E_TMP"
cat > best.lua <<'LUA'
local m = require "moneta"
local df = m.read_csv(m.dataset("credit.csv.gz")):dedupe():fillna{income = "median"}
local X = m.prep.pipeline{m.prep.impute{strategy = "median"}, m.prep.standard{}, m.prep.onehot{}}
          :fit_transform(df:drop{"default"})
m.threads(1)
local net = m.nn.sequential{m.nn.dense(32), m.nn.relu(), m.nn.dense(1)}
local h = net:fit(X, df:col("default"), {loss = "bce", epochs = 12, batch = 128, seed = 3,
  validation = 0.2, early_stop = {monitor = "val_auc", patience = 100, min_delta = 0.002},
  dashboard = true})
local s = m.dash.monitor.last_summary
-- the best by val_auc, worked out from the history's values: an epoch counts as better only
-- when it beats the best so far by more than min_delta
local best, bv = 0, -math.huge
for i, v in ipairs(h.val_auc) do if v > bv + 0.002 then best, bv = i, v end end
local plain = 0
for i, v in ipairs(h.val_auc) do if v > (h.val_auc[plain] or -math.huge) then plain = i end end
print(string.format("CHECK loop=%d monitor=%d metric=%s by_hand=%d", h.best_epoch,
                    s.best_epoch, s.best_metric, best))
print(string.format("PLAIN %d", plain))   -- the argmax without min_delta, for the record
LUA
tm new-session -d -s best -x 100 -y 30 \
    "$MONETA_BIN --clock fixed:2024-01-02T00:00:00Z best.lua; echo '[moneta exited]'; sleep 60"
SESSION=best
wait_for '^\[moneta exited\]' 60
line=$(screen | grep '^CHECK ') || fail "no CHECK line"
echo "$line"
set -- $(echo "$line" | sed 's/[a-z_]*=//g')
[ "$2" = "$3" ] && [ "$3" = "$5" ] || fail "best epochs differ: $line"
[ "$4" = "val_auc" ] || fail "the monitor judged by $4, not val_auc"
# the case is only worth something when min_delta changes the answer (plain argmax differs)
plain=$(screen | sed -n 's/^PLAIN //p')
[ "$plain" != "$5" ] || fail "min_delta does not matter in this run (argmax $plain): pick another"
screen | grep -q '^fit: best epoch [0-9]* (val_auc' || fail "the summary names another metric"
echo "dash_monitor_best: ok"
