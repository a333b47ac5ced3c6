-- test_ts.lua: moneta.ts through its public names: acf and pacf against statsmodels 0.13.5
-- (Debian's python3-statsmodels), their result table as plot.acf takes it, missing values,
-- options and errors. The C functions' own tests: tests/unit/test_ts_acf.c.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local moneta = require "moneta"
local ts = moneta.ts
local doc = require "moneta.doc"

local X12 = {1.2, -0.5, 0.3, 2.1, -1.4, 0.8, 0.0, -0.7, 1.5, 0.4, -1.1, 0.9}

T.case("ts-1.1 acf and pacf are public and documented", function()
  for _, k in ipairs{"acf", "pacf"} do
    T.eq(type(ts[k]), "function", k)
    local e = doc.all()["moneta.ts." .. k]
    T.truthy(e and e.topic == "ts", "help for " .. k)
  end
end)

T.case("ts-1.2 acf: statsmodels' values and Bartlett band, lag k at index k", function()
  -- r, ci = statsmodels.tsa.stattools.acf(X12, nlags=5, fft=False, alpha=0.05)
  local want = {-0.51645651364900058, -0.20530417460213218, 0.5385663623826098,
                -0.46662726297585427, 0.14195726888640794}
  local band = {0.56579286703808584, 0.70063678973487109, 0.71963743227234511,
                0.8387985108111331, 0.91814493639033778}
  local r = ts.acf(X12, {lags = 5})
  T.eq(r.kind, "acf"); T.eq(r.lags, 5); T.eq(r.n, 12); T.eq(r.alpha, 0.05)
  T.eq(#r.values, 5)
  for k = 1, 5 do
    T.near(r.values[k], want[k], 1e-13)
    T.near(r.band[k], band[k], 1e-12)
    T.near(r.lower[k], want[k] - band[k], 1e-12)
    T.near(r.upper[k], want[k] + band[k], 1e-12)
  end
  -- a column and a tensor give the same; NaN is dropped by default (statsmodels' missing="drop")
  local f = moneta.frame{x = X12}
  T.near(ts.acf(f:col("x"), {lags = 5}).values[3], want[3], 1e-13)
  local withnan = {0 / 0}
  for i, v in ipairs(X12) do withnan[i + 1] = v end
  local d = ts.acf(withnan, {lags = 5})
  T.eq(d.n, 12)
  T.near(d.values[1], want[1], 1e-13)
  -- lags default: min(floor(10 log10 12), 11) = 10
  T.eq(ts.acf(X12).lags, 10)
  T.truthy(tostring(r):find("ACF of 12 values (95% band)", 1, true), "printed form")
end)

T.case("ts-1.3 pacf: statsmodels' method='ldb' values and the z/sqrt(n) band", function()
  -- p, ci = statsmodels.tsa.stattools.pacf(X12, nlags=5, method="ldb", alpha=0.05)
  local want = {-0.51645651364900058, -0.64373257687123497, 0.074102500266793866,
                -0.27185284750393662, 0.013747538346440677}
  local p = ts.pacf(X12, {lags = 5})
  T.eq(p.kind, "pacf")
  for k = 1, 5 do
    T.near(p.values[k], want[k], 1e-13)
    T.near(p.band[k], 0.56579286703808584, 1e-12)      -- 1.959964 / sqrt(12)
  end
  -- alpha 0.01: z = scipy.stats.norm.ppf(0.995) = 2.5758293035489004
  T.near(ts.pacf(X12, {lags = 2, alpha = 0.01}).band[1], 2.5758293035489004 / math.sqrt(12), 1e-12)
end)

T.case("ts-1.4 errors name the function and what to change", function()
  T.raises(function() ts.acf(X12, {lag = 3}) end,
           "ts.acf: unknown option 'lag' (known: lags, alpha, missing)")
  T.raises(function() ts.acf(X12, {lags = 12}) end, "ts.acf: lags must be from 1 to 11")
  T.raises(function() ts.pacf({1, 0 / 0, 2, 3}, {missing = "error"}) end,
           "ts.pacf: element 2 is NaN")
  T.raises(function() ts.acf({2, 2, 2}) end, "ts.acf: the series is constant")
  T.raises(function() ts.acf({1, "a"}) end, "ts.acf: element 2 is string, not a number")
  T.raises(function() ts.acf(X12, {alpha = 2}) end, "ts.acf: alpha must be in (0, 1)")
  T.raises(function() ts.acf(X12, {missing = "keep"}) end, "ts.acf: missing must be")
end)

T.done()
