-- moneta.progress: the Lua end of the core's one progress hook. C loops report through
-- lb_progress_hook, which calls the dispatcher registered here; the dispatcher fans each record
-- out to the subscribers (the plain line printer now; the dashboard, the run tracker and live
-- plots subscribe the same way). A subscriber returns nil or a flag (progress.STOP, ...).
local doc = require "moneta.doc"

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
  for _, name in ipairs({table.unpack(order)}) do
    local f = subscribers[name]
    if f then
      local ok, r = pcall(f, rec)
      if not ok then
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

-- The plain printer: one line per epoch, events on their own line, no escape codes. It is
-- the default when no dashboard is subscribed; P.quiet = true silences it.
P.quiet = false
local function fmt_metrics(m)
  local keys = {}
  for k in pairs(m or {}) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    local ra, rb = a:find("loss") and 0 or 1, b:find("loss") and 0 or 1
    if ra ~= rb then return ra < rb end
    return a < b
  end)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = string.format("%s %.4g", k, m[k]) end
  return table.concat(parts, "  ")
end

function P.plain(rec)
  if P.quiet then return end
  local out = io.stdout
  if rec.phase == "epoch" then
    local width = #tostring(rec.epochs > 0 and rec.epochs or rec.epoch)
    out:write(string.format("%s epoch %" .. width .. "d/%d  %s  (%.1f s)\n", rec.task,
      rec.epoch, rec.epochs, fmt_metrics(rec.metrics), rec.elapsed))
    out:flush()
  elseif (rec.phase == "event" or rec.phase == "end") and rec.event and rec.event ~= "" then
    out:write(string.format("%s: %s\n", rec.task, rec.event))
    out:flush()
  end
end
P.subscribe("plain", P.plain)

doc.topic("progress", "progress of long computations: listeners of the core's progress hook",
  "Training loops and long fits report progress records {task, phase, epoch, epochs, step, " ..
  "total, elapsed, lr, grad_norm, metrics, event}. The plain printer writes one line per epoch; " ..
  "dashboards and trackers subscribe the same way.")
doc.add(P.subscribe, "moneta.progress.subscribe", "progress.subscribe(name, fn)",
  "Call fn(record) for every progress record; fn may return progress.STOP to stop the loop.",
  "progress")
doc.add(P.unsubscribe, "moneta.progress.unsubscribe", "progress.unsubscribe(name)",
  "Remove the named subscriber ('plain' is the built-in line printer).", "progress")
doc.add(P.plain, "moneta.progress.plain", "progress.plain(record)",
  "The built-in printer: one plain line per epoch and per event; set progress.quiet = true to silence it.",
  "progress")

return P
