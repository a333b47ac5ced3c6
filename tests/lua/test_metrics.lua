-- test_metrics.lua: moneta.metrics through its public Lua names: values (by hand, or from
-- scikit-learn 1.2.1 / numpy as noted), options, return shapes, help entries, and errors.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local moneta = require "moneta"
local m = moneta.metrics

-- scikit-learn 1.2.1 reference data (the same as tests/unit/test_eval_metrics.c, metrics-2.6)
local Y = {0,1,1,0,1,0,0,1,1,0,1,0,1,1,0,0,0,1,0,1}
local S = {.12,.80,.35,.35,.90,.10,.45,.62,.35,.20,.70,.62,.55,.95,.30,.05,.45,.40,.62,.88}

T.case("metrics-1.1 the public names exist and are documented", function()
  local doc = require "moneta.doc"
  for _, k in ipairs{"accuracy", "precision", "recall", "f1", "auc", "pr_auc", "logloss",
                     "brier", "confusion", "ks", "gini", "mse", "rmse", "mae", "mape", "r2",
                     "directional", "sharpe", "sortino", "max_drawdown", "roc_curve",
                     "pr_curve"} do
    T.eq(type(m[k]), "function", k)
    local e = doc.all()["moneta.metrics." .. k]
    T.truthy(e and e.topic == "metrics" and #e.text > 0, "help for " .. k)
  end
  T.truthy(doc.text("metrics"):find("metrics.auc(y_true, y_score)", 1, true), "topic lists auc")
  T.truthy(doc.text(m.sharpe):find("periods=252", 1, true), "help(sharpe)")
end)

T.case("metrics-1.2 confusion counts, labels and thresholds, printed as a 2x2 matrix", function()
  -- y 0 1 1 0 1, scores .2 .7 .4 .6 .9 at .5 -> predictions 0 1 0 1 1
  local cm = m.confusion({0, 1, 1, 0, 1}, {.2, .7, .4, .6, .9})
  T.eq(cm, {tp = 2, fp = 1, tn = 1, fn = 1})
  T.eq(math.type(cm.tp), "integer")
  T.eq(tostring(cm), "        pred 0  pred 1\ntrue 0       1       1\ntrue 1       1       2")
  T.eq(moneta.pretty(cm), tostring(cm))
  T.eq(m.confusion({0, 1, 1, 0, 1}, {.2, .7, .4, .6, .9}, {threshold = .65}),
       {tp = 2, fp = 0, tn = 2, fn = 1})
  T.eq(m.confusion({false, true}, {true, true}), {tp = 1, fp = 1, tn = 0, fn = 0})
  local big = m.confusion(Y, S)                 -- scikit-learn: [[8 2] [3 7]]
  T.eq(big, {tn = 8, fp = 2, fn = 3, tp = 7})
end)

T.case("metrics-1.3 accuracy precision recall f1 match scikit-learn", function()
  T.near(m.accuracy(Y, S), .75, 1e-15)
  T.near(m.precision(Y, S), 0.7777777777777778, 1e-15)
  T.near(m.recall(Y, S), .7, 1e-15)
  T.near(m.f1(Y, S), 0.7368421052631577, 1e-15)
  T.near(m.accuracy(Y, S, {threshold = .4}), .7, 1e-15)
  T.near(m.precision(Y, S, {threshold = .4}), 0.6666666666666666, 1e-15)
  T.near(m.recall(Y, S, {threshold = .4}), .8, 1e-15)
  T.near(m.f1(Y, S, {threshold = .4}), 0.7272727272727272, 1e-15)
  -- labels, said so, are used as they are: 3 of 4 match
  T.eq(m.accuracy({0, 1, 1, 0}, {0, 1, 0, 0}, {labels = true}), .75)
end)

T.case("metrics-1.4 zero_division", function()
  T.eq(m.precision({0, 1}, {0, 0}), 0.0)
  T.eq(m.precision({0, 1}, {0, 0}, {zero_division = 1}), 1.0)
  T.raises(function() m.precision({0, 1}, {0, 0}, {zero_division = "error"}) end,
           "precision: nothing is predicted positive (tp + fp = 0); precision is undefined")
  T.raises(function() m.recall({0, 0}, {0, 1}, {zero_division = "error"}) end,
           "recall: y_true has no positive")
  T.raises(function() m.f1({0, 1}, {0, 1}, {zero_division = 2}) end,
           "f1: zero_division must be 0, 1 or \"error\"")
end)

T.case("metrics-2.1 auc pr_auc ks gini by hand and against scikit-learn", function()
  -- pairs: .35 > .1, .35 < .4, .8 > .1, .8 > .4 -> 3/4; AP .5*1 + .5*2/3 = 5/6
  local y, s = {0, 0, 1, 1}, {.1, .4, .35, .8}
  T.eq(m.auc(y, s), .75)
  T.eq(m.gini(y, s), .5)
  T.near(m.pr_auc(y, s), 5 / 6, 1e-15)
  local ks, at = m.ks(y, s)
  T.eq(ks, .5); T.eq(at, .8)
  T.near(m.auc(Y, S), .84, 1e-15)
  T.near(m.gini(Y, S), .68, 1e-15)
  T.near(m.pr_auc(Y, S), 0.8527777777777777, 1e-15)
  ks, at = m.ks(Y, S)
  T.near(ks, .5, 1e-15); T.eq(at, .7)
end)

T.case("metrics-2.2 ties count one half; monotone maps and reversal", function()
  T.eq(m.auc({0, 1, 0, 1}, {.5, .5, .2, .9}), .875)       -- (1/2 + 1 + 2) / 4
  T.eq(m.auc({1, 0, 1}, {7, 7, 7}), .5)
  T.near(m.pr_auc({1, 0, 1, 0}, {.9, .9, .5, .1}), 7 / 12, 1e-15)
  local e, c, r = {}, {}, {}
  for i, s in ipairs(S) do e[i] = math.exp(4 * s); c[i] = s ^ 3; r[i] = -s end
  T.eq(m.auc(Y, e), m.auc(Y, S)); T.eq(m.auc(Y, c), m.auc(Y, S))
  T.eq(m.pr_auc(Y, e), m.pr_auc(Y, S)); T.eq(m.ks(Y, c), m.ks(Y, S))
  T.near(m.auc(Y, r), 1 - m.auc(Y, S), 1e-15)
end)

T.case("metrics-2.3 roc_curve and pr_curve", function()
  local fpr, tpr, thr = m.roc_curve({0, 0, 1, 1}, {.1, .4, .35, .8})
  T.eq(fpr, {0, 0, .5, .5, 1}); T.eq(tpr, {0, .5, .5, 1, 1})
  T.eq(thr, {math.huge, .8, .4, .35, .1})
  local p, rc = m.pr_curve({0, 0, 1, 1}, {.1, .4, .35, .8})
  T.eq(rc, {0, .5, .5, 1, 1})
  T.eq(p[1], 1); T.eq(p[2], 1); T.eq(p[3], .5); T.near(p[4], 2 / 3, 1e-15); T.eq(p[5], .5)
end)

T.case("metrics-3.1 logloss and brier", function()
  T.near(m.logloss({1, 0}, {.8, .3}), 0.2899092476264711, 1e-16)   -- -(ln .8 + ln .7) / 2
  T.near(m.logloss(Y, S), 0.46910220531568225, 1e-15)              -- scikit-learn, eps 1e-15
  -- hard 0/1 probabilities are clipped: -ln(1e-15) / 2
  T.near(m.logloss({1, 0}, {0, 0}), 17.269388197455342, 1e-13)
  T.eq(m.logloss({1, 0}, {0, 0}, {eps = 0}), math.huge)
  T.near(m.brier({1, 0}, {.8, .3}), .065, 1e-16)
  T.near(m.brier(Y, S), 0.15810000000000002, 1e-15)
end)

T.case("metrics-4.1 regression by hand", function()
  local y, p = {3, -.5, 2, 7}, {2.5, 0, 2, 8}
  T.eq(m.mse(y, p), .375); T.eq(m.rmse(y, p), math.sqrt(.375)); T.eq(m.mae(y, p), .5)
  T.near(m.mape(y, p), 0.3273809523809524, 1e-16)       -- (.5/3 + 1 + 0 + 1/7) / 4
  T.near(m.r2(y, p), 0.9486081370449679, 1e-15)          -- 1 - 1.5 / 29.1875
  T.eq(m.r2(y, y), 1.0)
end)

T.case("metrics-4.2 directional", function()
  T.near(m.directional({.01, -.02, .03, 0, -.01}, {.02, .01, .01, 0, -.03}), .8, 1e-16)
  T.near(m.directional({100, 101, 99, 102}, {0, 100.5, 100, 98}, {kind = "change"}), 2 / 3,
         1e-16)
  T.raises(function() m.directional({1}, {1}, {kind = "change"}) end, "at least 2 values")
  T.raises(function() m.directional({1}, {1}, {kind = "level"}) end,
           'directional: kind must be "sign" or "change", got "level"')
end)

T.case("metrics-5.1 sharpe and sortino", function()
  local r = {.01, .02, -.01, .03}
  T.near(m.sharpe(r, {periods = 1}), 0.7319250547113998, 1e-15)  -- .0125 / sqrt(875e-6 / 3)
  T.near(m.sharpe(r), 0.7319250547113998 * math.sqrt(252), 1e-14)
  T.near(m.sortino(r, {periods = 1}), 2.5, 1e-15)                -- .0125 / sqrt(1e-4 / 4)
  local r10 = {.012, -.004, .007, -.011, .020, .003, -.006, .009, -.015, .010}   -- numpy
  T.near(m.sharpe(r10), 3.5599470595230853, 1e-13)
  T.near(m.sharpe(r10, {rf = .0001, periods = 12}), 0.7457703712137145, 1e-14)
  T.near(m.sortino(r10), 6.2906966483536655, 1e-13)
  T.near(m.sortino(r10, {target = .002}), 1.0625592962581039, 1e-13)
end)

T.case("metrics-5.2 max_drawdown returns depth, peak, trough (1-based)", function()
  local d, pk, tr = m.max_drawdown({100, 120, 90, 110, 80, 130}, {kind = "equity"})
  T.near(d, 1 / 3, 1e-16); T.eq(pk, 2); T.eq(tr, 5)
  d, pk, tr = m.max_drawdown({.1, -.5, .2})                 -- equity 1 1.1 .55 .66
  T.near(d, .5, 1e-15); T.eq(pk, 1); T.eq(tr, 2)
  d, pk, tr = m.max_drawdown({-.1, .05})                    -- from the starting capital
  T.near(d, .1, 1e-15); T.eq(pk, 0); T.eq(tr, 1)
  d, pk, tr = m.max_drawdown({math.log(2), math.log(.25), 0}, {kind = "log_returns"})
  T.near(d, .75, 1e-15); T.eq(pk, 1); T.eq(tr, 2)
  d, pk, tr = m.max_drawdown({.012, -.004, .007, -.011, .020, .003, -.006, .009, -.015, .010})
  T.near(d, 0.015000000000000013, 1e-15); T.eq(pk, 8); T.eq(tr, 9)      -- numpy cumprod
  d, pk, tr = m.max_drawdown({1, 2, 3}, {kind = "equity"})
  T.eq(d, 0.0); T.eq(pk, 1); T.eq(tr, 1)
end)

T.case("metrics-6.1 degenerate input: one class, empty, lengths, NaN, labels", function()
  T.raises(function() m.auc({0, 0, 0}, {.1, .2, .3}) end,
           "auc: y_true has only one class (0); AUC is undefined")
  T.raises(function() m.ks({1, 1}, {.1, .2}) end, "ks: y_true has only one class (1)")
  T.raises(function() m.pr_auc({0, 0}, {.1, .2}) end, "pr_auc: y_true has only one class (0)")
  T.raises(function() m.gini({1}, {.1}) end, "gini: y_true has only one class (1)")
  T.raises(function() m.auc({}, {}) end, "auc: empty input")
  T.raises(function() m.mse({}, {}) end, "mse: empty input")
  T.raises(function() m.sharpe({}) end, "sharpe: empty input")
  T.raises(function() m.auc({0, 1, 1}, {.1, .2}) end,
           "auc: y_true has 3 elements but y_score has 2")
  T.raises(function() m.mae({1, 2}, {1}) end, "mae: y_true has 2 elements but y_pred has 1")
  T.raises(function() m.gini({0, 1}, {1}) end, "gini: y_true has 2 elements but y_score has 1")
  T.raises(function() m.brier({0, 1}, {1}) end, "brier: y_true has 2 elements but y_prob has 1")
  T.raises(function() m.r2({1, 2}, {1}) end, "r2: y_true has 2 elements but y_pred has 1")
  T.raises(function() m.brier({0, 1}, {.5, .5}, {eps = 1}) end, "unknown option 'eps'")
  T.raises(function() m.logloss({1}, {.5, .5}) end,
           "logloss: y_true has 1 element but y_prob has 2")
  T.raises(function() m.auc({0, 1}, {.1, 0 / 0}) end, "auc: y_score element 2 is NaN")
  T.raises(function() m.accuracy({0 / 0, 1}, {0, 1}) end, "accuracy: y_true element 1 is NaN")
  T.raises(function() m.sharpe({0 / 0, .01, .02}) end, "sharpe: returns element 1 is NaN")
  T.raises(function() m.max_drawdown({1, 1 / 0}, {kind = "equity"}) end,
           "max_drawdown: equity element 2 is Inf")
  T.raises(function() m.auc({0, 2}, {.1, .2}) end,
           "auc: y_true element 2 is 2; labels must be 0 or 1")
  T.raises(function() m.auc(nil, {1}) end, "bad argument #1")
  T.raises(function() m.auc({0, "x"}, {1, 2}) end, "element 2 is string")
end)

T.case("metrics-6.2 undefined values and bad options", function()
  T.raises(function() m.mape({1, 0, 3}, {1, 2, 3}) end,
           "mape: y_true element 2 is 0; MAPE is undefined where the true value is zero")
  T.raises(function() m.r2({2, 2, 2}, {1, 2, 3}) end, "r2: y_true is constant (2)")
  T.raises(function() m.sharpe({.01}) end, "sharpe: needs at least 2 returns")
  T.raises(function() m.sharpe({.01, .01}) end, "sharpe: all returns are equal")
  T.raises(function() m.sortino({.01, .02}) end, "sortino: no return is below the target (0)")
  T.raises(function() m.logloss({0, 1}, {.2, 1.5}) end,
           "logloss: y_prob element 2 is 1.5; probabilities must be in [0, 1]")
  T.raises(function() m.brier({0, 1}, {-.1, .5}) end, "brier: y_prob element 1 is -0.1")
  T.raises(function() m.max_drawdown({.1, -2}) end, "a simple return cannot be below -1")
  T.raises(function() m.max_drawdown({1, 0}, {kind = "equity"}) end, "equity must be positive")
  T.raises(function() m.max_drawdown({1}, {kind = "prices"}) end,
           'max_drawdown: kind must be "returns", "log_returns" or "equity", got "prices"')
  T.raises(function() m.auc({0, 1}, {.1, .2}, {threshold = .3}) end,
           "auc: unknown option 'threshold'")
  T.raises(function() m.sharpe({.01, .02}, {period = 12}) end, "sharpe: unknown option 'period'")
  T.raises(function() m.sharpe({.01, .02}, {periods = 0}) end, "periods must be a positive number")
  T.raises(function() m.accuracy({0, 1}, {.1, .2}, {threshold = "high"}) end,
           "option 'threshold': number expected")
end)

T.case("metrics-6.3 labels are said, never guessed from all-0/1 values", function()
  -- issue 11: predictions are labels only when labels = true says so; by hand below.
  local y = {0, 1, 1, 0}
  -- scores .9 .6 .4 .2 at the default .5 predict 1 1 0 0: 2 of 4 right
  T.eq(m.accuracy(y, {.9, .6, .4, .2}), .5)
  -- 0/1 scores without labels are cut at the threshold like any score: 1 >= .5, 0 < .5
  T.eq(m.accuracy(y, {0, 1, 0, 0}), .75)
  T.eq(m.accuracy(y, {0, 1, 0, 0}, {threshold = 1.5}), .5)   -- nothing predicted positive
  for _, fn in ipairs{"accuracy", "precision", "recall", "f1", "confusion"} do
    -- probabilities where labels = true requires labels
    T.raises(function() m[fn](y, {0, .7, 1, 0}, {labels = true}) end,
             fn .. ": y_pred element 2 is 0.69999999999999996, but labels = true says " ..
             "y_pred holds 0/1 labels")
    T.raises(function() m[fn](y, {0, 1, 1, 0}, {labels = true, threshold = .3}) end,
             fn .. ": threshold cuts scores, but labels = true")
    T.raises(function() m[fn](y, {0, 1, 1, 0}, {labels = 1}) end,
             "option 'labels': boolean expected")
  end
  T.eq(m.confusion(y, {1, 1, 0, 0}, {labels = true}), {tp = 1, fp = 1, tn = 1, fn = 1})
  T.eq(m.precision(y, {1, 1, 1, 0}, {labels = true}), 2 / 3)
  T.eq(m.recall(y, {1, 0, 0, 0}, {labels = true, zero_division = 1}), 0.0)
  -- scores are taken as given, never guessed to be labels: 0/1 scores rank as they are
  -- (positives score 1, 0; negatives 0, 0; pairs won 1 + 1 + 1/2 + 1/2 = 3 of 4)
  T.eq(m.auc(y, {0, 1, 0, 0}), .75)
  T.eq(m.brier(y, {0, 1, 0, 0}), .25)                        -- one of four wrong
  T.raises(function() m.auc(y, {0, 1, 0, 0}, {labels = true}) end, "auc: unknown option 'labels'")
  T.raises(function() m.mse(y, y, {labels = true}) end, "mse: unknown option 'labels'")
end)

T.case("metrics-7.1 vectors through __tovector (columns and tensors)", function()
  local function vec(t)
    local packed = string.pack(("d"):rep(#t), table.unpack(t))
    return setmetatable({}, {__tovector = function() return packed end})
  end
  T.eq(m.auc(vec{0, 0, 1, 1}, vec{.1, .4, .35, .8}), .75)
  T.eq(m.mse(vec{3, -.5, 2, 7}, {2.5, 0, 2, 8}), .375)
end)

T.done()
