-- moneta.progress: the Lua end of the core's one progress hook. C loops report through
-- lb_progress_hook, which calls the dispatcher registered here; the dispatcher fans each record
-- out to the subscribers (the plain line printer now; the dashboard, the run tracker and live
-- plots subscribe the same way). A subscriber returns nil or a flag (progress.STOP, ...).
local doc = require "moneta.doc"
local core = require "moneta.c.core"

local P = {GO = 0, STOP = 1, CHECKPOINT = 2}
local subscribers, order = {}, {}

--- Add (or replace) a subscriber; fn(record) is called for every progress record.
function P.subscribe(name, fn)
  assert(type(name) == "string" and type(fn) == "function", "subscribe(name, fn)")
  if not subscribers[name] then order[#order + 1] = name end
  subscribers[name] = fn
end

--- Remove a subscriber by name.
function P.unsubscribe(name)
  if subscribers[name] then
    subscribers[name] = nil
    for i, n in ipairs(order) do if n == name then table.remove(order, i) break end end
  end
end

-- A subscriber that raises is reported once on stderr and removed; the loop goes on, so a
-- broken dashboard or tracker never stops (or silently ends) a training run.
local function dispatch(rec)
  local flags = 0
  -- over a copy: a listener may unsubscribe (itself, or be removed below) while we iterate
  for _, name in ipairs({table.unpack(order)}) do
    local f = subscribers[name]
    if f then
      local ok, r = pcall(f, rec)
      if not ok and core.interrupted() and tostring(r):find("interrupted$") then
        -- Ctrl-C landed while this listener ran (the REPL's hook raises in whatever Lua code
        -- runs next): the listener is fine, the loop is asked to stop
        flags = flags | P.STOP
      elseif not ok then
        io.stderr:write(string.format("moneta: progress listener '%s' failed and was removed: %s\n",
                                      name, tostring(r)))
        P.unsubscribe(name)
      elseif math.type(r) == "integer" then
        flags = flags | r
      end
    end
  end
  return flags
end
debug.getregistry()["moneta.progress"] = dispatch

-- Faces: things that open for the length of one long task and close after it (the training
-- monitor, a live loss plot). P.face(name, open) registers open(opts, info), which returns a
-- close(result) function when it opened something and nil when its option is off. A face that
-- owns the terminal sets P.screen to its name; the plain printer is silent meanwhile.
local faces, face_order = {}, {}
P.screen = nil

function P.face(name, open)
  assert(type(name) == "string" and type(open) == "function", "face(name, open)")
  if not faces[name] then face_order[#face_order + 1] = name end
  faces[name] = open
end

local function close_all(closers, result)
  for i = #closers, 1, -1 do
    local ok, err = pcall(closers[i], result)
    if not ok then io.stderr:write("moneta: closing a progress face failed: " .. tostring(err) .. "\n") end
  end
end

-- Open every face for one task; returns close(result). An error while opening (a bad option)
-- closes what already opened and is raised to the caller before the task starts.
function P.open_faces(opts, info)
  local closers = {}
  for _, name in ipairs(face_order) do
    local ok, c = pcall(faces[name], opts or {}, info or {})
    if not ok then
      close_all(closers, nil)
      error(c, 0)
    end
    if c then closers[#closers + 1] = c end
  end
  return function(result) close_all(closers, result) end
end

-- Run fn(...) with the faces open; they close whatever happens, and errors pass through.
function P.with_faces(opts, info, fn, ...)
  local close = P.open_faces(opts, info)
  local res = table.pack(pcall(fn, ...))
  close(res[1] and res[2] or nil)
  if not res[1] then error(res[2], 0) end
  return table.unpack(res, 2, res.n)
end

-- The plain printer: one line per epoch, events on their own line, no escape codes. It is
-- the default when no dashboard is subscribed; P.quiet = true silences it. On a terminal,
-- tasks that report steps (batches of an epoch, rows of a file, folds of a search) also get
-- one self-erasing progress line once they have run for half a second.
P.quiet = false
local live_line = false          -- a transient line is on the screen
local function tty() return core.isatty(1) end

local function clear_live(out)
  if live_line then out:write("\r\27[K"); live_line = false end
end

local function fmt_secs(s)
  if s ~= s or s == math.huge then return "?" end
  if s < 60 then return string.format("%.1f s", s) end
  if s < 3600 then return string.format("%d:%02d", s // 60, math.floor(s % 60)) end
  return string.format("%d:%02d:%02d", s // 3600, s % 3600 // 60, math.floor(s % 60))
end
P.fmt_secs = fmt_secs

local function live(out, rec)
  if rec.total <= 0 or rec.elapsed < 0.5 or not tty() then return end
  local cols = core.term_size() or 80           -- once per record
  local frac = math.min(1, rec.step / rec.total)
  local width = math.max(10, math.min(30, cols - 60))
  local fill = math.floor(frac * width + 0.5)
  local head = rec.epochs > 0 and string.format("%s epoch %d/%d", rec.task, rec.epoch, rec.epochs)
                              or rec.task
  -- ETA from this unit's rate: the whole task for plain steps, the rest of this epoch and
  -- the remaining epochs for epoch-based tasks
  local eta
  if rec.epochs > 0 then
    local per_epoch = rec.elapsed / ((rec.epoch - 1) + frac)
    eta = per_epoch * (rec.epochs - (rec.epoch - 1) - frac)
  else
    eta = frac > 0 and rec.elapsed * (1 - frac) / frac or math.huge
  end
  local loss = rec.metrics and rec.metrics.loss
  local line = string.format("%s [%s%s] %3d%%  %s elapsed, ETA %s%s", head,
    string.rep("#", fill), string.rep(".", width - fill), math.floor(frac * 100),
    fmt_secs(rec.elapsed), fmt_secs(eta), loss and string.format("  loss %.4g", loss) or "")
  -- one screen line at most, with room for an echoed "^C": a wrapped line could not be
  -- rewritten (or erased) in place
  out:write("\r", line:sub(1, cols - 4), "\27[K")
  out:flush()
  live_line = true
end
local function fmt_metrics(m)
  local keys = {}
  for k in pairs(m or {}) do keys[#keys + 1] = k end
  table.sort(keys, core.metric_before)     -- the monitor's column order
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = string.format("%s %.4g", k, m[k]) end
  return table.concat(parts, "  ")
end

function P.plain(rec)
  if P.quiet then return end
  if P.screen then return end
  local out = io.stdout
  if rec.phase == "batch" then
    live(out, rec)
    return
  end
  clear_live(out)
  if rec.phase == "epoch" then
    local width = #tostring(rec.epochs > 0 and rec.epochs or rec.epoch)
    out:write(string.format("%s epoch %" .. width .. "d/%d  %s  (%.1f s)\n", rec.task,
      rec.epoch, rec.epochs, fmt_metrics(rec.metrics), rec.elapsed))
    out:flush()
  elseif (rec.phase == "event" or rec.phase == "end") and rec.event and rec.event ~= "" then
    -- after Ctrl-C the terminal has echoed "^C" where the cursor was: write over it
    if rec.phase == "end" and core.interrupted() and tty() then out:write("\r\27[K") end
    out:write(string.format("%s: %s\n", rec.task, rec.event))
    out:flush()
  end
end
P.subscribe("plain", P.plain)

doc.topic("progress", "progress of long computations: listeners of the core's progress hook",
  "Training loops and long fits report progress records {task, phase, epoch, epochs, step, " ..
  "total, elapsed, lr, grad_norm, metrics, event}. The plain printer writes one line per epoch; " ..
  "dashboards and trackers subscribe the same way.")
doc.module(P, "moneta.progress", "progress", {
  {"subscribe", "progress.subscribe(name, fn)",
   "Call fn(record) for every progress record; fn may return progress.STOP to stop the loop."},
  {"unsubscribe", "progress.unsubscribe(name)",
   "Remove the named subscriber ('plain' is the built-in line printer)."},
  {"face", "progress.face(name, open)",
   "Register a face opened for each long task: open(opts, info) returns close(result) or nil."},
  {"open_faces", "progress.open_faces(opts, info) -> close",
   "Open every registered face (dashboard, live plot) for one task; call close(result) after it."},
  {"with_faces", "progress.with_faces(opts, info, fn, ...)",
   "Run fn(...) with the faces open; they close whatever happens and errors pass through."},
  {"fmt_secs", "progress.fmt_secs(seconds) -> string",
   "Format a duration as '4.2 s', 'm:ss' or 'h:mm:ss' ('?' when unknown)."},
  {"plain", "progress.plain(record)",
   "The built-in printer: one plain line per epoch and per event; set progress.quiet = true " ..
   "to silence it."},
})

return P
