-- moneta.feat, indicators and targets: installs the C functions of src/lua/l_feat_ind.c
-- (in "moneta.c.feat") into the feat table, adds drop_unknown_target and registers the help
-- texts. Usage from feat.lua: require("moneta.feat_ind")(M). Guide: docs/features_ind.md.
local C = require "moneta.c.feat"
local doc = require "moneta.doc"

local NAMES = {"rsi", "macd", "bollinger", "true_range", "atr", "stochastic", "obv",
               "realized_vol", "drawdown", "beta", "rolling_corr", "calendar",
               "target_return", "target_direction"}

-- Rows of 'frame' whose target is known: 'target' is a column name of the frame or a column
-- (or table) of its length, such as the one target_return returned.
local function drop_unknown_target(frame, target)
  local col = target
  if type(target) == "string" then
    local found = false
    for _, n in ipairs(frame:names()) do found = found or n == target end
    if not found then
      error("feat.drop_unknown_target: no column '" .. target .. "' in the frame", 2)
    end
    col = frame:col(target)
  end
  local v = type(col) == "table" and col or (col ~= nil and col.values and col:values())
  if type(v) ~= "table" then
    error("feat.drop_unknown_target: target must be a column name or a column, got " ..
          type(target), 2)
  end
  if #v ~= frame:nrows() then
    error(string.format("feat.drop_unknown_target: target has %d rows, the frame %d", #v,
                        frame:nrows()), 2)
  end
  local keep = {}
  for i = 1, #v do keep[i] = v[i] == v[i] end     -- NaN is the only value not equal to itself
  return frame:filter(keep)
end

local HELP = {
  {"rsi", "feat.rsi(frame, col [, n=14] [, {by=, time=}]) -> column",
   "Wilder's RSI (0..100) over n rows; first value at row n+1 of a group (TA-Lib); 50 if flat."},
  {"macd", "feat.macd(frame, col [, fast=12, slow=26, signal=9] [, opts]) -> {line, signal, hist}",
   "MACD from EMAs with adjust=False (pandas' ewm(span, adjust=False)), from the first row."},
  {"bollinger",
   "feat.bollinger(frame, col [, n=20, k=2] [, {ddof=0, by=, time=}]) -> " ..
   "{mid, upper, lower, pctb}",
   "Bollinger bands: rolling mean of n rows +/- k std (ddof 0: population) and %b."},
  {"true_range", "feat.true_range(frame [, {high, low, close}] [, opts]) -> column",
   "True range: max(high, prev close) - min(low, prev close); NaN on a group's first row."},
  {"atr", "feat.atr(frame [, {high, low, close}] [, n=14] [, opts]) -> column",
   "Wilder's average true range over n rows; first value at row n+1 of each group (TA-Lib)."},
  {"stochastic", "feat.stochastic(frame [, {high, low, close}] [, k=14, d=3] [, opts]) -> {k, d}",
   "Stochastic oscillator: %K = 100 (close - lowest low) / (high - low range) over k rows, %D."},
  {"obv", "feat.obv(frame [, {close, volume}] [, opts]) -> column",
   "On-balance volume: running sum of volume signed by the close's move, 0 on a group's start."},
  {"realized_vol",
   "feat.realized_vol(frame, returns_col, n [, {annualize=, by=, time=}]) -> column",
   "sqrt of the sum of squared returns over n rows; annualize = periods per year (252)."},
  {"drawdown", "feat.drawdown(frame, col [, {start=, by=, time=}]) -> column",
   "Drawdown from the running peak of a price or equity column: x / peak - 1 (<= 0)."},
  {"beta", "feat.beta(frame, y, x, n [, opts]) -> column",
   "Rolling beta of column y on column x over n rows: cov(y, x) / var(x)."},
  {"rolling_corr", "feat.rolling_corr(frame, y, x, n [, opts]) -> column",
   "Rolling Pearson correlation of columns y and x over n rows (pandas' rolling(n).corr)."},
  {"calendar",
   "feat.calendar(frame [, date_col] [, opts]) -> " ..
   "{dow, month, quarter, month_end, days_to_month_end}",
   "Calendar features of a date column: day of week 0 = Monday (pandas), month, quarter, ..."},
  {"target_return", "feat.target_return(frame, col, h [, {log=false, by=, time=}]) -> column",
   "Forward return from row t to t+h (uses t+1..t+h only); NaN in the last h rows of a group."},
  {"target_direction",
   "feat.target_direction(frame, col, h [, {threshold=0, by=, time=}]) -> column",
   "1 when the forward return over h rows is above threshold, else 0; NaN where unknown."},
  {"drop_unknown_target", "feat.drop_unknown_target(frame, target) -> frame",
   "The rows whose target (a column name of frame, or a column) is known (not NaN)."},
}

-- Entries of a feat.add spec: {name =, fn = "rsi", col = "close", n = 14}; multi-output
-- indicators add <name>_<key> columns. The spec's groups (ctx.groups, made once) serve all.
local SPEC = {
  rsi = {{"col", "n"}, function(f, fr, d, o, g) return f.rsi(fr, d.col, d.n, o, g) end},
  macd = {{"col", "fast", "slow", "signal"}, function(f, fr, d, o, g)
    return f.macd(fr, d.col, d.fast, d.slow, d.signal, o, g)
  end},
  bollinger = {{"col", "n", "k", "ddof"}, function(f, fr, d, o, g)
    o.ddof = d.ddof
    return f.bollinger(fr, d.col, d.n, d.k, o, g)
  end},
  true_range = {{"cols"}, function(f, fr, d, o, g) return f.true_range(fr, d.cols, o, g) end},
  atr = {{"cols", "n"}, function(f, fr, d, o, g) return f.atr(fr, d.cols, d.n, o, g) end},
  stochastic = {{"cols", "k", "d"},
                function(f, fr, d, o, g) return f.stochastic(fr, d.cols, d.k, d.d, o, g) end},
  obv = {{"cols"}, function(f, fr, d, o, g) return f.obv(fr, d.cols, o, g) end},
  realized_vol = {{"col", "n", "annualize"}, function(f, fr, d, o, g)
    o.annualize = d.annualize
    return f.realized_vol(fr, d.col, d.n, o, g)
  end},
  drawdown = {{"col", "start"}, function(f, fr, d, o, g)
    o.start = d.start
    return f.drawdown(fr, d.col, o, g)
  end},
  beta = {{"y", "x", "n"}, function(f, fr, d, o, g) return f.beta(fr, d.y, d.x, d.n, o, g) end},
  rolling_corr = {{"y", "x", "n"},
                  function(f, fr, d, o, g) return f.rolling_corr(fr, d.y, d.x, d.n, o, g) end},
  calendar = {{"col"}, function(f, fr, d, o, g) return f.calendar(fr, d.col, o, g) end},
  target_return = {{"col", "h", "log"}, function(f, fr, d, o, g)
    o.log = d.log
    return f.target_return(fr, d.col, d.h, o, g)
  end},
  target_direction = {{"col", "h", "threshold"}, function(f, fr, d, o, g)
    o.threshold = d.threshold
    return f.target_direction(fr, d.col, d.h, o, g)
  end},
}

local function register(feat)
  for name, s in pairs(SPEC) do
    feat._register(name, function(frame, d, ctx)
      return s[2](feat, frame, d, {}, ctx and ctx.groups)
    end, s[1])
  end
end

return function(feat)
  for _, k in ipairs(NAMES) do
    feat[k] = assert(C[k], "moneta.c.feat lacks " .. k .. ": lb_feat_ind not called")
  end
  feat.drop_unknown_target = drop_unknown_target
  doc.topic("indicators", "technical indicators and forecast targets (moneta.feat)",
    "RSI, MACD, Bollinger, ATR, stochastic, OBV, realized volatility, drawdown, rolling " ..
    "beta/correlation and calendar features, computed per group (by =) in time order " ..
    "(time =), never from a later row; targets read rows t+1..t+h. Guide: docs/features_ind.md.")
  for _, d in ipairs(HELP) do
    doc.add(feat[d[1]], "moneta.feat." .. d[1], d[2], d[3], "indicators")
  end
  if feat._register then register(feat) end
  return feat
end
