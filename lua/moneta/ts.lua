-- moneta.ts: time-series statistics. The numbers are computed in C (ts/ through "moneta.c.ts");
-- this file checks options, names the public functions and registers their help. For now the
-- correlogram: acf and pacf, whose result tables plot.acf draws. Guide: docs/ts.md.
local C = require "moneta.c.ts"
local doc = require "moneta.doc"

local M = {}


-- A correlogram result prints as a small table of lag, value and band.
local Result = {__name = "moneta.Correlogram"}
Result.__index = Result

function Result.__tostring(r)
  local lines = {string.format("%s of %d values (%g%% band)", r.kind:upper(), r.n,
                               100 * (1 - r.alpha)),
                 string.format("%5s %10s %10s", "lag", r.kind, "band")}
  for k = 1, r.lags do
    lines[#lines + 1] = string.format("%5d %10.4f %10.4f%s", k, r.values[k], r.band[k],
                                      math.abs(r.values[k]) > r.band[k] and " *" or "")
  end
  return table.concat(lines, "\n")
end

local function correlogram(kind, x, opts)
  opts = require("moneta.opts").check(opts, "ts." .. kind, {"lags", "alpha", "missing"}, 3)
  local lags, alpha, missing = opts.lags, opts.alpha or 0.05, opts.missing or "drop"
  if lags ~= nil and math.type(lags) ~= "integer" then
    error("ts." .. kind .. ": lags must be a whole number", 2)
  end
  if type(alpha) ~= "number" then
    error("ts." .. kind .. ": alpha must be a number in (0, 1)", 2)
  end
  if missing ~= "drop" and missing ~= "error" then
    error("ts." .. kind .. ": missing must be \"drop\" or \"error\"", 2)
  end
  local ok, r = pcall(C.correlogram, kind, x, lags, alpha, missing == "drop")
  if not ok then
    error("ts." .. kind .. ": " .. tostring(r):gsub("^" .. kind .. ": ", "")
          :gsub("^bad argument #%d+ to '[^']*' %((.*)%)$", "%1"), 2)
  end
  return setmetatable(r, Result)
end

function M.acf(x, opts) return correlogram("acf", x, opts) end
function M.pacf(x, opts) return correlogram("pacf", x, opts) end

doc.topic("ts", "time series: autocorrelation (acf, pacf); ARIMA and GARCH to come",
  "Series are tables of numbers, columns or tensors, in double precision. acf and pacf " ..
  "return a table {kind, values, band, lower, upper, lags, n, alpha} (values[k] is lag k) " ..
  "that plot.acf draws: plot.acf(ts.acf(x, {lags = 20})). Guide: docs/ts.md.")

doc.typetopic["moneta.Correlogram"] = "ts"      -- help(r) for a result r

doc.module(M, "moneta.ts", "ts", {
  {"acf", "ts.acf(x [, {lags, alpha = 0.05, missing = 'drop'}]) -> correlogram",
   "Sample autocorrelations (statsmodels' acf) with Bartlett's (1 - alpha) band per lag."},
  {"pacf", "ts.pacf(x [, {lags, alpha = 0.05, missing = 'drop'}]) -> correlogram",
   "Partial autocorrelations by Durbin-Levinson (statsmodels' pacf, 'ldb'), ±z/sqrt(n) band."},
})

return M
