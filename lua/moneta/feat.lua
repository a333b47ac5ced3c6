-- moneta.feat: feature engineering on frames sorted by time, per group (by = "ticker"), with
-- no look-ahead: each value at row t uses rows <= t of its own group only. The numbers are
-- computed in C (features/ through "moneta.c.feat"); this file checks options, names the
-- public functions, keeps the registry feat.add dispatches through, and registers help.
local C = require "moneta.c.feat"
local doc = require "moneta.doc"

local M = {}

-- ---- options ----

local function fail(fname, msg, level)
  error("feat." .. fname .. ": " .. msg, (level or 1) + 1)
end

local function checkopts(fname, opts, known, level)
  -- not a tail call, so error levels count this frame
  local checked = require("moneta.opts").check(opts, "feat." .. fname, known, level + 2)
  return checked
end

-- A column name of frame: checked before the rows are grouped, so a typo is reported as the
-- missing column it is, not as whatever the grouping finds first.
local function checkcol(fname, frame, col, level)
  if type(col) ~= "string" then
    fail(fname, "column name expected, got " .. type(col), level + 1)
  end
  local types = frame.types and frame:types()
  if types and types[col] == nil then
    fail(fname, string.format("no column '%s' (columns: %s)", col, table.concat(frame:names(), ", ")),
         level + 1)
  end
  return col
end

-- Call C and re-raise its error as "feat.<fname>: message" at the caller's level.
local function call(fname, level, f, ...)
  local ok, r = pcall(f, ...)
  if not ok then
    r = tostring(r):gsub("^bad argument #%d+ to '[^']*' %((.*)%)$", "%1")
    fail(fname, r, level + 1)
  end
  return r
end

-- The groups of a call: the context's (inside feat.add) or new ones from opts.by / opts.time.
local function groups(fname, frame, opts, ctx, level)
  if ctx and ctx.groups then return ctx.groups end
  local by, time = opts.by, opts.time
  if by ~= nil and type(by) ~= "string" then fail(fname, "by must be a column name", level + 1) end
  if time ~= nil and type(time) ~= "string" then
    fail(fname, "time must be a column name (\"\" for row order)", level + 1)
  end
  return call(fname, level + 1, C.groups, frame, by, time)
end

local function posint(fname, what, v, level)
  if math.type(v) ~= "integer" and not (type(v) == "number" and v == math.floor(v)) then
    fail(fname, what .. " must be a whole number, got " .. tostring(v), level + 1)
  end
  v = math.tointeger(v)
  if v < 1 then fail(fname, what .. " must be >= 1, got " .. v, level + 1) end
  return v
end

-- ---- shifts and returns ----

local ORDER = {by = true, time = true}

local function shift(fname, kind, frame, col, k, opts, ctx, level)
  opts = checkopts(fname, opts, ORDER, level + 1)
  checkcol(fname, frame, col, level + 1)
  k = posint(fname, "k", k == nil and 1 or k, level + 1)
  local g = groups(fname, frame, opts, ctx, level + 1)
  return call(fname, level + 1, C.shift, frame, col, kind, k, g)
end

--- feat.lag(frame, col [, k = 1] [, opts]) -> column x[t-k]
function M.lag(frame, col, k, opts)
  if type(k) == "table" then k, opts = nil, k end
  return shift("lag", "lag", frame, col, k, opts, nil, 2)
end
function M.diff(frame, col, k, opts)
  if type(k) == "table" then k, opts = nil, k end
  return shift("diff", "diff", frame, col, k, opts, nil, 2)
end
function M.pct_change(frame, col, k, opts)
  if type(k) == "table" then k, opts = nil, k end
  return shift("pct_change", "pct_change", frame, col, k, opts, nil, 2)
end
function M.returns(frame, col, k, opts)
  if type(k) == "table" then k, opts = nil, k end
  return shift("returns", "pct_change", frame, col, k, opts, nil, 2)
end
function M.log_returns(frame, col, k, opts)
  if type(k) == "table" then k, opts = nil, k end
  return shift("log_returns", "log_returns", frame, col, k, opts, nil, 2)
end

-- ---- rolling and expanding ----

local ROLL = {by = true, time = true, q = true, min_periods = true}
local STATS = "sum, mean, var, std, min, max, median, quantile, zscore, skew or count"

local function window_stat(fname, frame, col, window, stat, opts, ctx, level)
  opts = checkopts(fname, opts, ROLL, level + 1)
  checkcol(fname, frame, col, level + 1)
  if type(stat) ~= "string" then fail(fname, "stat must be " .. STATS, level + 1) end
  local q = opts.q
  if stat == "quantile" then
    if type(q) ~= "number" then fail(fname, "stat 'quantile' needs q = (in [0, 1])", level + 1) end
  elseif q ~= nil then
    fail(fname, "q = is for stat 'quantile' only, not '" .. stat .. "'", level + 1)
  end
  local minp = opts.min_periods
  if minp ~= nil and math.type(minp) ~= "integer" then
    fail(fname, "min_periods must be a whole number", level + 1)
  end
  if type(window) == "number" then
    if window ~= -1 then window = posint(fname, "window", window, level + 1) end
  elseif type(window) ~= "string" then
    fail(fname, "window must be a row count or a span such as \"20d\", got " .. type(window),
         level + 1)
  end
  local g = groups(fname, frame, opts, ctx, level + 1)
  return call(fname, level + 1, C.rolling, frame, col, window, stat, minp or -1, q or 0, g)
end

--- feat.rolling(frame, col, window, stat [, opts]) -> column
function M.rolling(frame, col, window, stat, opts)
  return window_stat("rolling", frame, col, window, stat, opts, nil, 2)
end
--- feat.expanding(frame, col, stat [, opts]) -> column
function M.expanding(frame, col, stat, opts)
  return window_stat("expanding", frame, col, -1, stat, opts, nil, 2)
end

-- ---- exponentially weighted ----

local EWM = {by = true, time = true, span = true, halflife = true, alpha = true, com = true,
             adjust = true, stat = true, min_periods = true}

local function ewm(frame, col, opts, ctx, level)
  local fname = "ewm"
  opts = checkopts(fname, opts, EWM, level + 1)
  checkcol(fname, frame, col, level + 1)
  local alpha, given = nil, 0
  for _, k in ipairs{"span", "halflife", "alpha", "com"} do
    local v = opts[k]
    if v ~= nil then
      given = given + 1
      if type(v) ~= "number" then fail(fname, k .. " must be a number", level + 1) end
      if k == "span" then
        if v < 1 then fail(fname, "span must be >= 1, got " .. v, level + 1) end
        alpha = 2 / (v + 1)
      elseif k == "halflife" then
        if v <= 0 then fail(fname, "halflife must be > 0, got " .. v, level + 1) end
        alpha = 1 - math.exp(-math.log(2) / v)
      elseif k == "com" then
        if v < 0 then fail(fname, "com must be >= 0, got " .. v, level + 1) end
        alpha = 1 / (1 + v)
      else
        if not (v > 0 and v <= 1) then
          fail(fname, "alpha must be in (0, 1], got " .. v, level + 1)
        end
        alpha = v
      end
    end
  end
  if given ~= 1 then fail(fname, "give exactly one of span, halflife, alpha or com", level + 1) end
  local adjust = opts.adjust
  if adjust == nil then adjust = true end
  if type(adjust) ~= "boolean" then fail(fname, "adjust must be true or false", level + 1) end
  local stat = opts.stat or "mean"
  if stat ~= "mean" and stat ~= "std" and stat ~= "var" and stat ~= "vol" then
    fail(fname, "stat must be \"mean\", \"std\", \"var\" or \"vol\", got " .. tostring(stat),
         level + 1)
  end
  local minp = opts.min_periods or 0
  if math.type(minp) ~= "integer" or minp < 0 then
    fail(fname, "min_periods must be a whole number >= 0", level + 1)
  end
  local g = groups(fname, frame, opts, ctx, level + 1)
  return call(fname, level + 1, C.ewm, frame, col, alpha, adjust, minp, stat, g)
end

--- feat.ewm(frame, col, {span|halflife|alpha|com, adjust = true, stat = "mean"}) -> column
function M.ewm(frame, col, opts) return ewm(frame, col, opts, nil, 2) end

-- ---- the registry feat.add dispatches through ----

local registry = {}

--- feat._register(name, fn [, keys]): make fn a feature feat.add can name in a spec entry
--- {name =, fn = name, ...}. fn(frame, def, ctx) returns a column or a table of columns
--- (named <name>_<key>); ctx.groups are the spec's groups, to pass on to C. keys: the def's
--- fields besides name and fn (a list); others are refused.
function M._register(name, fn, keys)
  assert(type(name) == "string" and type(fn) == "function", "feat._register(name, fn [, keys])")
  local known = {name = true, fn = true}
  for _, k in ipairs(keys or {}) do known[k] = true end
  registry[name] = {fn = fn, keys = keys and known or nil}
end

-- The shared groups object of a spec, as the ctx argument the public functions accept.
M._groups = function(frame, by, time) return C.groups(frame, by, time) end

local function shiftdef(kind, fname)
  return function(frame, d, ctx)
    return shift(fname, kind, frame, d.col, d.k, nil, ctx, 4)
  end
end
M._register("lag", shiftdef("lag", "lag"), {"col", "k"})
M._register("diff", shiftdef("diff", "diff"), {"col", "k"})
M._register("pct_change", shiftdef("pct_change", "pct_change"), {"col", "k"})
M._register("returns", shiftdef("pct_change", "returns"), {"col", "k"})
M._register("log_returns", shiftdef("log_returns", "log_returns"), {"col", "k"})
M._register("rolling", function(frame, d, ctx)
  return window_stat("rolling", frame, d.col, d.window, d.stat,
                     {q = d.q, min_periods = d.min_periods}, ctx, 4)
end, {"col", "window", "stat", "q", "min_periods"})
M._register("expanding", function(frame, d, ctx)
  return window_stat("expanding", frame, d.col, -1, d.stat,
                     {q = d.q, min_periods = d.min_periods}, ctx, 4)
end, {"col", "stat", "q", "min_periods"})
M._register("ewm", function(frame, d, ctx)
  return ewm(frame, d.col, {span = d.span, halflife = d.halflife, alpha = d.alpha, com = d.com,
                            adjust = d.adjust, stat = d.stat, min_periods = d.min_periods},
             ctx, 4)
end, {"col", "span", "halflife", "alpha", "com", "adjust", "stat", "min_periods"})

--- feat.add(frame, spec [, {by =, time =}]) -> frame with one column per feature of spec
function M.add(frame, spec, opts)
  if type(spec) ~= "table" then fail("add", "spec must be a list of feature tables", 2) end
  opts = checkopts("add", opts, ORDER, 2)
  local by, time = opts.by, opts.time
  if by == nil then by = spec.by end
  if time == nil then time = spec.time end
  for k in pairs(spec) do
    if math.type(k) ~= "integer" and k ~= "by" and k ~= "time" then
      fail("add", "spec: unknown field '" .. tostring(k) .. "' (a list, plus by and time)", 2)
    end
  end
  local g = groups("add", frame, {by = by, time = time}, nil, 2)
  local ctx = {groups = g, by = by, time = time}
  local out = frame
  for i, d in ipairs(spec) do
    if type(d) ~= "table" then fail("add", "spec[" .. i .. "] must be a table", 2) end
    local name, fn = d.name, d.fn
    if type(name) ~= "string" then fail("add", "spec[" .. i .. "]: name = expected", 2) end
    local r = registry[fn]
    if r == nil then
      local names = {}
      for n in pairs(registry) do names[#names + 1] = n end
      table.sort(names)
      fail("add", string.format("spec[%d] (%s): unknown fn '%s' (known: %s)", i, name,
                                tostring(fn), table.concat(names, ", ")), 2)
    end
    if r.keys then
      for k in pairs(d) do
        if not r.keys[k] then
          fail("add", string.format("spec[%d] (%s): unknown field '%s' for fn '%s'", i, name,
                                    tostring(k), fn), 2)
        end
      end
    end
    local ok, res = pcall(r.fn, out, d, ctx)
    if not ok then
      fail("add", string.format("spec[%d] (%s): %s", i, name,
                                tostring(res):gsub("^feat%.[%w_]+: ", "")), 2)
    end
    if getmetatable(res) ~= nil then
      out = out:add(name, res)
    else                                          -- a table of columns: <name>_<key>
      local keys = {}
      for k in pairs(res) do keys[#keys + 1] = k end
      table.sort(keys)
      for _, k in ipairs(keys) do out = out:add(name .. "_" .. k, res[k]) end
    end
  end
  g:free()
  return out
end

-- ---- help ----

doc.topic("feat", "feature engineering: lags, returns, rolling windows, EWM, feature sets",
  "Series features on a frame sorted by its time column, per group with by = 'ticker': the " ..
  "value at row t uses rows <= t of its own group only. Each returns a column for " ..
  "frame:add; feat.add(frame, spec) computes a saved list of features at once. Options: " ..
  "by =, time = (default: the frame's one date column; '' for row order). More of " ..
  "moneta.feat: help('indicators') (RSI, MACD, ..., targets), help('feat_select') " ..
  "(correlations, mutual information, VIF, RFE), help('credit') (WoE, IV, PSI); windows for " ..
  "sequence nets: help(feat.windows). Guide: docs/features.md.")

doc.module(M, "moneta.feat", "feat", {
  {"lag", "feat.lag(frame, col [, k = 1] [, {by, time}]) -> column",
   "The value k rows earlier in the group (x[t-k]); NaN in the first k rows of each group."},
  {"diff", "feat.diff(frame, col [, k = 1] [, {by, time}]) -> column",
   "x[t] - x[t-k] within each group; NaN in the first k rows of each group."},
  {"pct_change", "feat.pct_change(frame, col [, k = 1] [, {by, time}]) -> column",
   "x[t] / x[t-k] - 1 within each group, as pandas' pct_change(k, fill_method=None)."},
  {"returns", "feat.returns(frame, col [, k = 1] [, {by, time}]) -> column",
   "Simple returns x[t] / x[t-k] - 1 (pct_change); NaN in the first row of each group."},
  {"log_returns", "feat.log_returns(frame, col [, k = 1] [, {by, time}]) -> column",
   "log(x[t] / x[t-k]) within each group; NaN in the first row of each group."},
  {"rolling", "feat.rolling(frame, col, window, stat [, {q, min_periods, by, time}]) -> column",
   "Stat over the last window rows or a span ('20d': (t - 20d, t]); NaN skipped (pandas)."},
  {"expanding", "feat.expanding(frame, col, stat [, {q, min_periods = 1, by, time}]) -> column",
   "Stat over all rows of the group up to t: sum mean var std min max median quantile ..."},
  {"ewm", "feat.ewm(frame, col, {span|halflife|alpha|com, adjust = true, stat}) -> column",
   "Exponentially weighted mean, std, var or vol (sqrt of EWM of x^2), pandas' ewm semantics."},
  {"add", "feat.add(frame, spec [, {by, time}]) -> frame",
   "Add every feature of spec, a list of {name =, fn =, col =, ...} (plain data to save)."},
})

require("moneta.feat_ind")(M)
require("moneta.feat_windows")(M)      -- windows, split_windows, window_scaler
require("moneta.feat_select")(M)       -- corr, variance_threshold, mutual_info, vif, rfe
require("moneta.feat_woe")(M)          -- woe, iv, woe_table, psi

return M
