-- tests/lua/test_monitor.lua: the training monitor where no terminal is needed: when it
-- opens, the clear error without a terminal, and the plain lines (no escape codes) that a fit
-- with dashboard = true prints when stdout is not a terminal (issue 5, point 3).
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"
local monitor = require "moneta.monitor"
local bin = arg[-1]
local tmp = T.tmpdir()

T.case("monitor-1.1 open raises a clear error without a terminal", function()
  local C = require "moneta.c.monitor"
  local ok, err = pcall(C.open, {title = "t", epochs = 3})
  T.truthy(not ok, "open must fail under ctest (stdout is not a terminal)")
  T.truthy(tostring(err):find("needs a terminal on stdin and stdout", 1, true), tostring(err))
end)

T.case("monitor-1.1b open checks its info table before the terminal", function()
  local C = require "moneta.c.monitor"
  T.raises(function() C.open{title = "t", epoch = 3} end,
           "monitor.open: unknown option 'epoch' (known: title, model, params, epochs, batch)")
  T.raises(function() C.open{epochs = 2.5} end, "option 'epochs': integer expected, got a fraction")
  T.raises(function() C.open{title = 42} end, "option 'title': string expected, got number")
  T.raises(function() C.open(5) end, "table expected, got number")
  -- well-formed info (every key, or none) gets as far as the terminal check
  T.raises(function()
    C.open{title = "t", model = "dense(1)", params = 2, epochs = 3, batch = 4}
  end, "needs a terminal on stdin and stdout")
  T.raises(function() C.open() end, "needs a terminal on stdin and stdout")
end)

T.case("monitor-1.2 when fit opens the monitor", function()
  -- ctest gives no terminal: never, whatever the options
  T.eq(monitor.enabled({dashboard = true}, {task = "fit"}), false)
  T.eq(monitor.enabled({}, {task = "fit"}), false)
  T.eq(monitor.enabled({dashboard = false}, {task = "fit"}), false)
  T.eq(monitor.enabled({dashboard = true, progress = function() end}, {task = "fit"}), false)
  local ok, err = pcall(monitor.enabled, {dashboard = "yes"}, {task = "fit"})
  T.truthy(not ok and err:find("dashboard must be true or false", 1, true), tostring(err))
  T.eq(monitor.open({dashboard = true}, {task = "fit"}), nil)
end)

T.case("monitor-1.2b when fit opens the monitor, on a terminal (isatty stubbed)", function()
  local core = require "moneta.c.core"
  local progress = require "moneta.progress"
  local isatty, quiet, auto, screen = core.isatty, progress.quiet, monitor.auto, progress.screen
  local asked = {}
  core.isatty = function(fd) asked[#asked + 1] = fd; return true end
  progress.quiet, monitor.auto, progress.screen = false, true, nil
  local ok, err = pcall(function()
    local fit = {task = "fit"}
    T.eq(monitor.enabled({dashboard = true}, fit), true)
    T.eq(monitor.enabled({}, fit), true)
    T.eq(monitor.enabled(nil, nil), true)                    -- no info: a fit
    T.truthy(#asked >= 2, "isatty was asked")
    T.eq(monitor.enabled({dashboard = false}, fit), false)
    T.eq(monitor.enabled({progress = function() end}, fit), false)
    T.eq(monitor.enabled({dashboard = true, progress = function() end}, fit), false)
    T.eq(monitor.enabled({dashboard = true}, {task = "search"}), false)
    T.eq(monitor.enabled({}, {task = "read_csv"}), false)
    progress.screen = "other"                                 -- another face owns the screen
    T.eq(monitor.enabled({dashboard = true}, fit), false)
    T.eq(monitor.enabled({}, fit), false)
    progress.screen = nil
    monitor.auto = false                                      -- only fits that ask
    T.eq(monitor.enabled({}, fit), false)
    T.eq(monitor.enabled({dashboard = true}, fit), true)
    monitor.auto = true
    progress.quiet = true                                     -- quiet too, unless asked
    T.eq(monitor.enabled({}, fit), false)
    T.eq(monitor.enabled({dashboard = true}, fit), true)
    progress.quiet = false
    T.raises(function() monitor.enabled({dashboard = "yes"}, fit) end,
             "fit: dashboard must be true or false, got string")
    T.raises(function() monitor.enabled({dashboard = 1}, fit) end,
             "fit: dashboard must be true or false, got number")
    -- only stdin or only stdout a terminal: closed
    core.isatty = function(fd) return fd == 1 end
    T.eq(monitor.enabled({dashboard = true}, fit), false)
    core.isatty = function(fd) return fd == 0 end
    T.eq(monitor.enabled({dashboard = true}, fit), false)
  end)
  core.isatty, progress.quiet, monitor.auto, progress.screen = isatty, quiet, auto, screen
  if not ok then error(err, 0) end
  T.eq(monitor.enabled({dashboard = true}, {task = "fit"}), false)   -- the stub is gone
end)

T.case("monitor-1.3 fit with dashboard = true piped to a file: plain lines, no escapes", function()
  local script = tmp .. "/fit.lua"
  local f = assert(io.open(script, "w"))
  f:write([[
local m = require "moneta"
local X, y = {}, {}
for i = 1, 64 do
  local a, b = (i * 37 % 64) / 64, (i * 11 % 64) / 64
  X[i], y[i] = {a, b}, a > b and 1 or 0
end
local net = m.nn.sequential{m.nn.dense(4), m.nn.relu(), m.nn.dense(1)}
local h = net:fit(m.tensor.from(X), y, {loss = "bce", epochs = 3, batch = 16, seed = 1,
                                        validation = 0.25, dashboard = true})
print("epochs", #h.loss)
]])
  f:close()
  local out = tmp .. "/fit.out"
  local ok = os.execute(string.format("%s %s > %s 2>&1 < /dev/null", bin, script, out))
  T.truthy(ok, "the script runs")
  local g = assert(io.open(out))
  local text = g:read("a")
  g:close()
  T.truthy(not text:find("\27", 1, true), "no escape codes in: " .. text)
  local n = 0
  for line in text:gmatch("[^\n]+") do
    if line:match("^fit epoch %d/3  loss [%d.]+  val_loss [%d.]+") then n = n + 1 end
  end
  T.eq(n, 3, "one line per epoch in:\n" .. text)
  T.truthy(text:find("fit: completed", 1, true), text)
  T.truthy(text:find("epochs\t3", 1, true), text)
end)

T.done()
