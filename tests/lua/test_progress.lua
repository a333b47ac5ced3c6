-- tests/lua/test_progress.lua: the progress hook's Lua end. Records reach every subscriber,
-- a subscriber's STOP flag stops training, and a failing subscriber is removed without
-- stopping the loop.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"
m.progress.quiet = true

-- y = x1 > x2 on 64 rows: a small, fast fit
local function data()
  local X, y = {}, {}
  for i = 1, 64 do
    local a, b = (i * 37 % 64) / 64, (i * 11 % 64) / 64
    X[i], y[i] = {a, b}, a > b and 1 or 0
  end
  return m.tensor.from(X), y
end

T.case("progress-1.1 one epoch record per epoch, with its metrics", function()
  local X, y = data()
  local epochs = {}
  m.progress.subscribe("test", function(r)
    if r.phase == "epoch" then epochs[#epochs + 1] = r end
  end)
  local net = m.nn.sequential{m.nn.dense(4), m.nn.relu(), m.nn.dense(1)}
  net:fit(X, y, {loss = "bce", epochs = 3, batch = 16, seed = 1})
  m.progress.unsubscribe("test")
  T.eq(#epochs, 3)
  T.eq(epochs[3].epoch, 3)
  T.eq(epochs[3].epochs, 3)
  T.truthy(type(epochs[1].metrics.loss) == "number", "loss is reported")
end)

T.case("progress-1.2 a subscriber returning STOP ends training after that epoch", function()
  local X, y = data()
  m.progress.subscribe("stopper", function(r)
    if r.phase == "epoch" and r.epoch == 2 then return m.progress.STOP end
  end)
  local net = m.nn.sequential{m.nn.dense(4), m.nn.relu(), m.nn.dense(1)}
  local h = net:fit(X, y, {loss = "bce", epochs = 10, batch = 16, seed = 1})
  m.progress.unsubscribe("stopper")
  T.eq(#h.loss, 2)
end)

T.case("progress-1.3 a failing subscriber is removed and training goes on", function()
  local X, y = data()
  local calls = 0
  m.progress.subscribe("broken", function(r)
    calls = calls + 1
    error("listener bug")
  end)
  local net = m.nn.sequential{m.nn.dense(4), m.nn.relu(), m.nn.dense(1)}
  local h = net:fit(X, y, {loss = "bce", epochs = 4, batch = 16, seed = 1})
  T.eq(#h.loss, 4)
  T.eq(calls, 1)
end)

T.case("progress-1.4 STOP is honoured while a debug hook is set (a profiler, coverage)", function()
  local X, y = data()
  m.progress.subscribe("stopper", function(r)
    if r.phase == "epoch" and r.epoch == 2 then return m.progress.STOP end
  end)
  local ticks = 0
  debug.sethook(function() ticks = ticks + 1 end, "", 1000)
  local net = m.nn.sequential{m.nn.dense(4), m.nn.relu(), m.nn.dense(1)}
  local ok, h = pcall(net.fit, net, X, y, {loss = "bce", epochs = 10, batch = 16, seed = 1})
  debug.sethook()
  m.progress.unsubscribe("stopper")
  T.truthy(ok, tostring(h))
  T.eq(#h.loss, 2)
end)

T.case("progress-1.5 epoch records carry the epoch the loop keeps and its metric", function()
  local X, y = data()
  local recs = {}
  m.progress.subscribe("rec", function(r) if r.phase == "epoch" then recs[#recs + 1] = r end end)
  local net = m.nn.sequential{m.nn.dense(4), m.nn.relu(), m.nn.dense(1)}
  local h = net:fit(X, y, {loss = "bce", epochs = 5, batch = 16, seed = 1, validation = 0.25,
                           early_stop = {monitor = "val_loss", patience = 10}})
  m.progress.unsubscribe("rec")
  -- by hand from the history: the lowest val_loss so far (first one on ties) at each epoch
  local best, bv = 0, math.huge
  for i, r in ipairs(recs) do
    if h.val_loss[i] < bv then best, bv = i, h.val_loss[i] end
    T.eq(r.best_epoch, best)
    T.eq(r.best_metric, "val_loss")
  end
  T.eq(#recs, 5)
end)

T.case("progress-1.6 the plain printer lists metrics in the monitor's table order", function()
  -- the one rule (mn_metric_before in src/core/progress.c, which the monitor uses too: checked
  -- in tests/unit/test_tui_ui.c tui-1.11): by base name (val_ dropped), loss first, training
  -- before validation
  local f = assert(io.tmpfile())
  local stdout, quiet, screen = io.stdout, m.progress.quiet, m.progress.screen
  io.stdout, m.progress.quiet, m.progress.screen = f, false, nil
  local ok, err = pcall(m.progress.plain, {task = "fit", phase = "epoch", epoch = 3, epochs = 10,
    step = 4, total = 4, elapsed = 1.5, metrics = {val_auc = 0.5, auc = 0.75, val_loss = 0.25,
    accuracy = 1, loss = 0.125, val_accuracy = 0.875, bce_loss = 2}})
  io.stdout, m.progress.quiet, m.progress.screen = stdout, quiet, screen
  T.truthy(ok, tostring(err))
  f:seek("set")
  local line = f:read("a")
  f:close()
  T.eq(line, "fit epoch  3/10  loss 0.125  val_loss 0.25  accuracy 1  val_accuracy 0.875  " ..
             "auc 0.75  val_auc 0.5  bce_loss 2  (1.5 s)\n")
end)

T.done()
