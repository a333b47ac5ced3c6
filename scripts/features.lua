-- scripts/features.lua: a feature set from the bundled data, the work of docs/features.md.
--   prices: per-ticker returns, volatility, RSI, MACD, Bollinger %b, ATR and a 5-day forward
--           target, from one saved-able spec (feat.add), then windows for a sequence model;
--   credit: information values of the applicant fields, the PSI between the first and the
--           last year of applications, and the correlation matrix as a heatmap PNG.
-- Run: moneta scripts/features.lua [outdir]
local m = require "moneta"
local feat = m.feat
local out = arg and arg[1] or "."
os.execute("mkdir -p '" .. out .. "'")

-- ---- prices: one spec, grouped once, no look-ahead by construction ----
local px = m.read_csv(m.dataset("prices.csv.gz"))    -- sorted by date, tickers interleaved
local spec = {
  by = "ticker",
  {name = "r1",     fn = "log_returns", col = "close"},
  {name = "vol20",  fn = "rolling", col = "r1", window = 20, stat = "std"},
  {name = "mom60",  fn = "pct_change", col = "close", k = 60},
  {name = "ewvol",  fn = "ewm", col = "r1", halflife = 10, stat = "vol"},
  {name = "rsi14",  fn = "rsi", col = "close", n = 14},
  {name = "macd",   fn = "macd", col = "close"},               -- macd_line, macd_signal, ...
  {name = "bb",     fn = "bollinger", col = "close", n = 20},  -- bb_mid, ..., bb_pctb
  {name = "atr14",  fn = "atr", n = 14},                       -- high, low, close columns
  {name = "dd",     fn = "drawdown", col = "close"},
  {name = "fwd5",   fn = "target_return", col = "close", h = 5},   -- uses t+1..t+5 only
}
local t0 = m.now()
local f = feat.add(px, spec)
print(string.format("prices: %d rows x %d columns after %d feature entries (%.3f s)",
                    f:nrows(), f:ncols(), #spec, m.now() - t0))
f = feat.drop_unknown_target(f, "fwd5")                -- the last 5 days of each ticker
print(f:select{"date", "ticker", "close", "r1", "vol20", "rsi14", "bb_pctb", "fwd5"}:tail(5))

-- windows of 30 days per ticker for a sequence model; a chronological split on the windows
local ok = f:dropna()
local X, y, info = feat.windows(ok, {features = {"r1", "vol20", "rsi14"}, target = "r1",
                                     length = 30, horizon = 1, by = "ticker"})
print(string.format("windows: X %s, y %s, %d dropped",
                    table.concat(X:shape(), "x"), table.concat(y:shape(), "x"), info.dropped))

-- ---- credit: information value, stability, correlations ----
local df = m.read_csv(m.dataset("credit.csv.gz")):dedupe()
local fields = df:drop{"id", "application_date"}
local iv, rule = feat.iv(fields, "default", {method = "monotonic"})
print("information value (" .. rule .. ")")
print(iv:select{"feature", "iv", "reading"})

-- the data spans 2021-2023: the first year of applications against the last
local first_year = df:filter(function(row) return row.application_date < "2022-01-01" end)
local last_year = df:filter(function(row) return row.application_date >= "2023-01-01" end)
local num = {"age", "income", "loan_amount", "interest_rate", "debt_ratio", "utilization"}
local psi, prule = feat.psi(first_year:select(num), last_year:select(num))
print(string.format("PSI, applications of 2021 (%d) against 2023 (%d); %s",
                    first_year:nrows(), last_year:nrows(), prule))
print(psi)

local corr = feat.corr(df:select(num), {method = "spearman"})
print(corr)
m.plot.heatmap(corr, {matrix = true, range = {-1, 1}, path = out .. "/credit_corr.png",
                      title = "Spearman correlations"})
print("wrote " .. out .. "/credit_corr.png")
