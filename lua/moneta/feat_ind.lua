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
  return feat
end
