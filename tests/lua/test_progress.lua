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

-- Every allocation the hook makes can fail: the record's table, its strings, the registry
-- lookup, the listener's own. The hook builds the record inside a protected call, so the
-- failure stops the loop cleanly (the history says why) instead of long-jumping through the
-- C training loop (which would leak its buffers and leave fit's per-call listener installed).
T.case("progress-1.7 a memory error while the hook builds a record stops the fit cleanly", function()
  local core = require "moneta.c.core"
  local X, y = data()
  local reg = debug.getregistry()
  local dispatcher = reg["moneta.progress"]
  for _, per_fit in ipairs{true, false} do
    local n, fired, clean = -1, 0, nil
    repeat
      n = n + 1                                 -- n = 0: a clean run, to count its records
      local net = m.nn.sequential{m.nn.dense(4), m.nn.relu(), m.nn.dense(1)}
      local seen = 0
      local function listener() seen = seen + 1 end
      local opts = {loss = "bce", epochs = 2, batch = 16, seed = 1}
      if per_fit then opts.progress, opts.progress_interval = listener, 0
      else m.progress.subscribe("oom", listener) end
      core.test_progress_alloc_fail(n)
      local ok, h = pcall(net.fit, net, X, y, opts)
      local left = core.test_progress_alloc_fail(0)
      m.progress.unsubscribe("oom")
      T.truthy(ok, "fit returned, n = " .. n .. ": " .. tostring(h))
      T.eq(reg["moneta.progress"], dispatcher, "the hook's listener is put back")
      if n == 0 then
        T.eq(h.reason, "completed")
        clean = seen
      elseif left == 0 then                     -- the n-th allocation failed: a clean stop
        fired = fired + 1
        if h.reason == "completed" then         -- it hit the "end" record: nothing to stop
          T.eq(seen, clean - 1, "only the end record was lost, n = " .. n)
        else
          T.truthy(h.reason:find("stopped by the progress listener", 1, true), h.reason)
          T.eq(h.stopped_early, true)
          T.truthy(seen < clean, "n = " .. n)
        end
      else                                      -- n is past the run's last allocation
        T.eq(h.reason, "completed")
        T.eq(seen, clean)
      end
    until (n > 0 and left > 0) or n >= 5000
    T.truthy(fired >= 10, "a record takes more than 10 allocations: " .. fired)
    T.truthy(n < 5000, "a normal run needs fewer than 5000 allocations in the hook")
  end
end)

T.done()
