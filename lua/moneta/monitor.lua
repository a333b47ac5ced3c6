-- moneta.monitor: the training monitor, a progress face. fit{dashboard = true} (and, by
-- default, any fit whose stdin and stdout are a terminal) opens it for the length of the fit;
-- the screen is C (src/tui/monitor.c, "moneta.c.monitor"). When it closes it prints a short
-- plain summary so the terminal keeps the result. Not a terminal: the plain printer's lines.
local doc = require "moneta.doc"
local progress = require "moneta.progress"
local core = require "moneta.c.core"
local C = require "moneta.c.monitor"

local M = {}
-- M.last_summary: what the last monitor's close() returned (epochs, best_epoch, reason,
-- seconds: the monitor's own time inside the training loop, frames drawn), for benchmarks.
M.last_summary = nil
-- M.auto: open the monitor for fits that do not say (dashboard = nil) when on a terminal. A
-- script that trains many small models in a loop sets dash.monitor.auto = false once.
M.auto = true

--- M.enabled(opts, info) -> boolean: would fit open the monitor with these options?
function M.enabled(opts, info)
  opts, info = opts or {}, info or {}
  local d = opts.dashboard
  if d ~= nil and type(d) ~= "boolean" then
    error("fit: dashboard must be true or false, got " .. type(d), 0)
  end
  if d == false or opts.progress == false or type(opts.progress) == "function" then
    return false
  end
  if info.task ~= nil and info.task ~= "fit" then return false end
  if progress.screen ~= nil then return false end          -- another face owns the screen
  if not (core.isatty(0) and core.isatty(1)) then return false end
  if d == nil and (progress.quiet or not M.auto) then return false end
  return true
end

-- "dense(64) relu dropout(0.1) dense(1)" and the parameter count, when the model tells.
local function describe(model)
  if model == nil then return nil, 0 end
  local ok, s = pcall(function() return model:summary() end)
  if not ok or type(s) ~= "table" then return nil, 0 end
  local parts = {}
  for _, r in ipairs(s.layers or {}) do
    if r.op ~= "input" and r.op ~= "target" and r.label ~= "input" then
      parts[#parts + 1] = (tostring(r.label):gsub(" #%d+$", ""))
    end
  end
  return table.concat(parts, " "), s.total or 0
end

-- g: the curves in gnuplot, through moneta.plot when it exists.
local function plot(mon, opts)
  local ok, P = pcall(require, "moneta.plot")
  if not ok or type(P) ~= "table" or type(P.loss) ~= "function" then
    mon:log("plotting is not available")
    return
  end
  -- a window when this gnuplot can open one; else a file (text output would land on top of
  -- the monitor's screen)
  local display = P.has_window ~= nil and P.has_window()
  local popts = {title = opts.title}
  if not display then popts.path = "moneta-loss.png" end
  local pok, err = pcall(P.loss, mon:history(), popts)
  if not pok then
    mon:log("plot failed: " .. tostring(err))
  elseif display then
    mon:log("loss curves opened in a gnuplot window")
  else
    mon:log("no display: loss curves written to " .. popts.path)
  end
end

-- After the screen closes: the last epochs (plain printer lines), the best one, and why
-- training ended, so the terminal keeps the result.
local function print_summary(s)
  if progress.quiet or s == nil then return end
  local rows = s.rows or {}
  if #rows == 0 and (s.reason or "") == "" then return end
  if s.best_row then progress.plain(s.best_row) end
  if (s.skipped or 0) > 0 then
    io.stdout:write(string.format("fit: ... %d epoch(s) not shown\n", s.skipped))
  end
  for _, r in ipairs(rows) do progress.plain(r) end
  if s.best_epoch then
    io.stdout:write(string.format("fit: best epoch %d (%s %.4g)\n", s.best_epoch, s.best_metric,
                                  s.best_value))
  end
  if (s.reason or "") ~= "" then
    io.stdout:write(string.format("fit: %s\n", s.reason))
  end
  if s.stopped then
    io.stdout:write("fit: stopped from the training monitor" .. (s.best_epoch and
      string.format("; the weights of the best epoch (%d) were kept\n", s.best_epoch) or "\n"))
  end
  io.stdout:flush()
end

--- M.open(opts, info) -> close | nil: the progress face (registered as "dashboard").
function M.open(opts, info)
  opts, info = opts or {}, info or {}
  if not M.enabled(opts, info) then return nil end
  local model, params = describe(info.model)
  local mon = C.open{title = info.title or "fit", model = model, params = params,
                     epochs = info.epochs, batch = info.batch}
  progress.screen = "dashboard"
  local closed = false

  local function close()
    if closed then return nil end
    closed = true
    progress.unsubscribe("dashboard")
    progress.screen = nil
    return mon:close()                       -- the terminal is back after this
  end

  -- A monitor bug must not kill training nor leave the terminal raw: close the screen, say
  -- so, and let the plain printer take over.
  local function broken(err)
    pcall(close)
    io.stderr:write("moneta: the training monitor failed and was closed: " .. tostring(err) .. "\n")
  end

  progress.subscribe("dashboard", function(rec)
    if closed or rec.task ~= "fit" then return nil end
    local ok, flags, action = pcall(mon.update, mon, rec)
    while ok and action == "plot" do
      local pok, err = pcall(plot, mon, opts)
      if not pok then pcall(mon.log, mon, "plot failed: " .. tostring(err)) end
      ok, flags, action = pcall(mon.update, mon, nil)   -- back to the pause, if paused
    end
    if not ok then broken(flags); return nil end
    return flags
  end)

  return function(result)
    local ok, s = pcall(close)
    M.last_summary = s
    if ok then print_summary(s)
    else io.stderr:write("moneta: closing the training monitor failed: " .. tostring(s) .. "\n") end
  end
end

progress.face("dashboard", M.open)

doc.topic("monitor", "the live training monitor (a full-screen dashboard during fit)",
  "fit opens it when stdin and stdout are a terminal (dashboard = true forces it on a terminal, " ..
  "dashboard = false turns it off): epoch and batch bars with rate and ETA, loss curves, a " ..
  "metrics table with the best epoch, lr, gradient norm, throughput and a log. Keys: p pause, " ..
  "q or Ctrl-C stop keeping the best weights, s checkpoint, l log scale, g plot, ? help. " ..
  "Not a terminal: one plain line per epoch. dash.monitor.auto = false keeps it closed unless " ..
  "a fit says dashboard = true. See docs/monitor.md.")
doc.module(M, "moneta.dash.monitor", "monitor", {
  {"enabled", "dash.monitor.enabled(opts, info) -> boolean",
   "Whether fit with these options would open the training monitor (a terminal, " ..
   "dashboard not false)."},
  {"open", "dash.monitor.open(opts, info) -> close | nil",
   "The progress face fit opens: takes the screen for one fit; close(result) prints a " ..
   "plain summary."},
})
doc.module(C, "moneta.c.monitor", "monitor", {
  {"open", "require('moneta.c.monitor').open(info) -> Monitor",
   "Open the monitor screen (info: title, model, params, epochs, batch; other keys raise); " ..
   "raises without a terminal."},
})
doc.methods("moneta.Monitor", "monitor", "monitor", {
  {"update", "monitor:update(record) -> flags [, 'plot']",
   "Feed one progress record (nil: only keys); returns progress flags (STOP, CHECKPOINT) and 'plot' after g."},
  {"log", "monitor:log(message)", "Add a line to the monitor's log pane."},
  {"history", "monitor:history() -> {loss, val_loss, best_epoch, ...}",
   "The per-epoch values seen so far, one list per metric, and the best epoch."},
  {"close", "monitor:close() -> summary",
   "Give the terminal back; returns {epochs, best_epoch, best_metric, reason, stopped, rows, best_row, skipped}."},
})

return M
