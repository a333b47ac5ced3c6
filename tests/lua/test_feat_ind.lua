-- test_feat_ind.lua: moneta.feat's indicators and targets through their public names: values
-- (pandas 1.5 or by hand, as in tests/unit/test_features_ind.c, where the kernels are tested
-- in depth), per-group results with no leak, no look-ahead, targets' alignment, feat.add
-- specs and the errors of bad input.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local moneta = require "moneta"
local feat = moneta.feat
local doc = require "moneta.doc"

local X = {10, 11, 12, 11, 13, 14, 13, 15}
local H = {11, 12, 13, 12, 14, 15, 14, 16}
local L = {9, 10, 11, 10, 12, 12, 12, 13}
local V = {100, 200, 150, 300, 100, 50, 250, 400}
local Y = {1, 3, 2, 5, 4, 7, 5, 9}

local function px() return moneta.frame{close = X, high = H, low = L, volume = V, y = Y} end

local function vals(c)
  local v = c.values and c:values() or c
  return v
end

local function near_list(got, want, tol, what)
  got = vals(got)
  T.eq(#got, #want, what .. ": length")
  for i = 1, #want do
    if want[i] ~= want[i] then
      T.truthy(got[i] ~= got[i], string.format("%s[%d] is NaN, got %s", what, i, got[i]))
    else
      T.near(got[i], want[i], tol, string.format("%s[%d]", what, i))
    end
  end
end

local NA = 0 / 0

T.case("fi-1.1 every indicator is public and documented", function()
  for _, k in ipairs{"rsi", "macd", "bollinger", "true_range", "atr", "stochastic", "obv",
                     "realized_vol", "drawdown", "beta", "rolling_corr", "calendar",
                     "target_return", "target_direction", "drop_unknown_target"} do
    T.eq(type(feat[k]), "function", k)
    T.truthy(doc.all()["moneta.feat." .. k], "help for " .. k)
  end
end)

T.case("fi-1.2 macd and bollinger: pandas' values, a table of columns", function()
  -- x.ewm(span=3, adjust=False).mean() - x.ewm(span=5, adjust=False).mean(), signal span 2
  local m = feat.macd(px(), "close", 3, 5, 2)
  near_list(m.line, {0.0, 0.16666666666666607, 0.3611111111111107, 0.19907407407407263,
                     0.4452160493827151, 0.6197273662551428, 0.4079432441700952,
                     0.6026913294467295}, 1e-12, "line")
  near_list(m.hist, {0.0, 0.05555555555555536, 0.08333333333333331, -0.026234567901234934,
                     0.07330246913580252, 0.08260459533607678, -0.04305984224965698,
                     0.05056274767565916}, 1e-12, "hist")
  -- m = x.rolling(4).mean(); up = m + 2 * x.rolling(4).std(ddof=0)
  local b = feat.bollinger(px(), "close", 4, 2)
  near_list(b.mid, {NA, NA, NA, 11.0, 11.75, 12.5, 12.75, 13.75}, 1e-12, "mid")
  near_list(b.upper, {NA, NA, NA, 12.414213562373096, 13.408312395177699, 14.73606797749979,
                      14.929449471770337, 15.408312395177699}, 1e-12, "upper")
  local b1 = feat.bollinger(px(), "close", 4, 2, {ddof = 1})   -- pandas' default std
  T.near(b1.upper[4], 12.632993161855453, 1e-12, "ddof 1")
end)

T.case("fi-1.3 atr, stochastic, obv, realized_vol, drawdown, beta, corr: by hand / pandas",
function()
  local f = px()
  -- TR = NaN, 2, 2, 2, 3, 3, 2, 3; Wilder ATR(3) from index 3 (see test_features_ind.c)
  near_list(feat.true_range(f), {NA, 2, 2, 2, 3, 3, 2, 3}, 0, "tr")
  near_list(feat.atr(f, 3), {NA, NA, NA, 2, 7 / 3, 23 / 9, 64 / 27, 209 / 81}, 1e-12, "atr")
  near_list(feat.atr(f, {"high", "low", "close"}, 3), {NA, NA, NA, 2, 7 / 3, 23 / 9, 64 / 27,
            209 / 81}, 1e-12, "atr with columns")
  -- 100*(x - low.rolling(3).min()) / (high.rolling(3).max() - low.rolling(3).min()), D: mean 2
  local s = feat.stochastic(f, 3, 2)
  near_list(s.k, {NA, NA, 75, 100 / 3, 75, 80, 100 / 3, 75}, 1e-12, "%K")
  near_list(s.d, {NA, NA, NA, 325 / 6, 325 / 6, 77.5, 340 / 6, 325 / 6}, 1e-12, "%D")
  near_list(feat.obv(f), {0, 200, 350, 50, 150, 200, -50, 350}, 0, "obv")
  local r = moneta.frame{r = {0.01, -0.02, 0.03, 0.01}}
  near_list(feat.realized_vol(r, "r", 2), {NA, math.sqrt(0.0005), math.sqrt(0.0013),
            math.sqrt(0.001)}, 1e-15, "rv")
  T.near(feat.realized_vol(r, "r", 2, {annualize = 252})[2], math.sqrt(126 * 0.0005), 1e-14)
  near_list(feat.drawdown(moneta.frame{e = {100, 120, 90, 130}}, "e"), {0, 0, -0.25, 0}, 1e-15,
            "dd")
  -- y.rolling(4).cov(x) / x.rolling(4).var(); y.rolling(4).corr(x)
  near_list(feat.beta(f, "y", "close", 4), {NA, NA, NA, 0.5, -0.1818181818181819,
            0.8000000000000003, 0.47368421052631593, 2.272727272727275}, 1e-12, "beta")
  near_list(feat.rolling_corr(f, "y", "close", 4), {NA, NA, NA, 0.23904572186687872,
            -0.13483997249264848, 0.4961389383568339, 0.4736842105263158,
            0.9813358399735749}, 1e-12, "corr")
end)

T.case("fi-1.4 calendar: pandas' dayofweek (0 = Monday), month end and days to it", function()
  -- pd.to_datetime([...]).dayofweek etc.
  local f = moneta.read_csv_string("date,v\n2023-02-28,1\n2024-01-31,2\n2024-02-28,3\n" ..
                                   "2024-02-29,4\n2024-12-30,5\n")
  local c = feat.calendar(f)
  near_list(c.dow, {1, 2, 2, 3, 0}, 0, "dow")
  near_list(c.month, {2, 1, 2, 2, 12}, 0, "month")
  near_list(c.quarter, {1, 1, 1, 1, 4}, 0, "quarter")
  near_list(c.month_end, {1, 1, 0, 1, 0}, 0, "month_end")
  near_list(c.days_to_month_end, {0, 0, 1, 0, 1}, 0, "days_to_month_end")
  near_list(feat.calendar(f, "date").dow, {1, 2, 2, 3, 0}, 0, "named column")
  T.raises(function() feat.calendar(f, "v") end, "not a date")
  local two = moneta.read_csv_string("date,t\n2024-01-02,A\n2024-01-02,B\n2024-01-01,C\n")
  near_list(feat.calendar(two).dow, {1, 1, 0}, 0, "row-wise: no order needed")
end)

-- Two tickers interleaved by date: A rises, B falls and jumps.
local PX2 = "date,ticker,close,high,low,volume\n" ..
  "2024-01-01,A,10,11,9,100\n2024-01-01,B,50,51,49,10\n2024-01-02,A,11,12,10,200\n" ..
  "2024-01-02,B,40,42,39,20\n2024-01-03,A,12,13,11,150\n2024-01-03,B,60,61,45,30\n" ..
  "2024-01-04,A,11,12,10,300\n2024-01-04,B,30,33,29,40\n2024-01-05,A,13,14,12,100\n" ..
  "2024-01-05,B,70,71,60,50\n2024-01-06,A,14,15,12,50\n"

T.case("fi-2.1 by = ticker: each group's values equal the indicator on that ticker alone",
function()
  local f = moneta.read_csv_string(PX2)
  local a = f:filter(function(row) return row.ticker == "A" end)
  local b = f:filter(function(row) return row.ticker == "B" end)
  local calls = {
    function(fr, o) return feat.rsi(fr, "close", 2, o) end,
    function(fr, o) return feat.macd(fr, "close", 2, 3, 2, o).hist end,
    function(fr, o) return feat.bollinger(fr, "close", 3, 2, o).pctb end,
    function(fr, o) return feat.atr(fr, 2, o) end,
    function(fr, o) return feat.stochastic(fr, 2, 2, o).d end,
    function(fr, o) return feat.obv(fr, o) end,
    function(fr, o) return feat.realized_vol(fr, "close", 2, o) end,
    function(fr, o) return feat.drawdown(fr, "close", o) end,
    function(fr, o) return feat.beta(fr, "close", "volume", 3, o) end,
    function(fr, o) return feat.rolling_corr(fr, "close", "volume", 3, o) end,
    function(fr, o) return feat.target_return(fr, "close", 2, o) end,
    function(fr, o) return feat.target_direction(fr, "close", 1, o) end,
  }
  for k, call in ipairs(calls) do
    local all = vals(call(f, {by = "ticker"}))
    local va, vb = vals(call(a, {})), vals(call(b, {}))
    for i = 1, #va do
      local g, w = all[2 * i - 1], va[i]
      T.truthy((g ~= g and w ~= w) or g == w, string.format("call %d A row %d: %s vs %s", k,
               i, g, w))
    end
    for i = 1, #vb do
      local g, w = all[2 * i], vb[i]
      T.truthy((g ~= g and w ~= w) or g == w, string.format("call %d B row %d: %s vs %s", k,
               i, g, w))
    end
  end
end)

T.case("fi-2.2 no look-ahead: changing rows after t changes no indicator at t", function()
  local base = {}
  for i = 1, 30 do base[i] = 100 + (i * 37 % 11) - (i % 4) end
  local function frame_of(c)
    local h, l, v = {}, {}, {}
    for i = 1, #c do h[i], l[i], v[i] = c[i] + 2, c[i] - 2, 1000 + i * 7 % 13 end
    return moneta.frame{close = c, high = h, low = l, volume = v}
  end
  local function all(fr)
    local m, b, s = feat.macd(fr, "close", 3, 6, 4), feat.bollinger(fr, "close", 5),
                    feat.stochastic(fr, 4, 3)
    return {feat.rsi(fr, "close", 5), m.line, m.signal, m.hist, b.mid, b.pctb,
            feat.true_range(fr), feat.atr(fr, 4), s.k, s.d, feat.obv(fr),
            feat.realized_vol(fr, "close", 5), feat.drawdown(fr, "close"),
            feat.beta(fr, "close", "volume", 5), feat.rolling_corr(fr, "close", "volume", 5)}
  end
  local ref = all(frame_of(base))
  for t = 1, 29, 4 do
    local c = {}
    for i = 1, 30 do c[i] = i <= t and base[i] or (i % 5 == 0 and 0 / 0 or 50 + i * 3 % 17) end
    local got = all(frame_of(c))
    for k = 1, #ref do
      for i = 1, t do
        local g, w = got[k][i], ref[k][i]
        T.truthy((g ~= g and w ~= w) or g == w, string.format("feature %d row %d t %d", k, i, t))
      end
    end
  end
end)

T.case("fi-3.1 targets: row t reads t+h; NaN in each group's last h rows; drop_unknown_target",
function()
  -- by hand: 99/100 - 1 = -.01, 121/110 - 1 = .1
  local f = moneta.frame{p = {100, 110, 99, 121}}
  near_list(feat.target_return(f, "p", 2), {-0.01, 0.1, NA, NA}, 1e-15, "ret")
  near_list(feat.target_return(f, "p", 2, {log = true}), {math.log(0.99), math.log(1.1), NA,
            NA}, 1e-15, "log")
  near_list(feat.target_direction(f, "p", 1), {1, 0, 1, NA}, 0, "dir")
  near_list(feat.target_direction(f, "p", 1, {threshold = 0.15}), {0, 0, 1, NA}, 0, "thr")
  local g = moneta.read_csv_string(PX2)
  local y = feat.target_return(g, "close", 1, {by = "ticker"})
  -- A's last row (row 11) and B's last (row 10) are unknown; A row 1: 11/10 - 1
  T.truthy(y[10] ~= y[10] and y[11] ~= y[11], "last row of each group")
  T.near(y[1], 0.1, 1e-15)
  T.near(y[2], 40 / 50 - 1, 1e-15)
  local kept = feat.drop_unknown_target(g:add("y", y), "y")
  T.eq(kept:nrows(), 9)
  T.eq(feat.drop_unknown_target(g, y):nrows(), 9, "a column as the target")
end)

T.case("fi-3.2 bad input: horizon, missing / non-numeric column, options, window, order",
function()
  local f = moneta.read_csv_string(PX2)
  T.raises(function() feat.target_return(f, "close", 0) end, "h must be")
  T.raises(function() feat.target_direction(f, "close", -1) end, "h must be")
  T.raises(function() feat.target_return(f, "close") end, "h (the horizon")
  T.raises(function() feat.rsi(f, "nope") end, "nope")
  T.raises(function() feat.rsi(f, "ticker") end, "ticker")
  T.raises(function() feat.rsi(f, "close", 14, {bye = "ticker"}) end, "bye")
  T.raises(function() feat.rsi(f, "close", 0) end, "n must be")
  T.raises(function() feat.bollinger(f, "close", 50) end, "longer than the series")
  T.raises(function() feat.macd(f, "close", 26, 12) end, "fast")
  T.raises(function() feat.atr(moneta.frame{close = {1, 2}}) end, "high")
  T.raises(function() feat.rsi(f, "close", 2) end, "date")   -- two tickers: not sorted alone
  local short = feat.rsi(f, "close", 6, {by = "ticker"})       -- groups shorter: NaN
  for i = 1, f:nrows() do T.truthy(short[i] ~= short[i], "row " .. i) end
  T.raises(function() feat.drop_unknown_target(f, "nope") end, "nope")
end)

T.case("fi-4.1 feat.add: indicator entries, multi-output columns as <name>_<key>", function()
  local f = moneta.read_csv_string(PX2)
  local out = feat.add(f, {
    {name = "rsi2", fn = "rsi", col = "close", n = 2},
    {name = "m", fn = "macd", col = "close", fast = 2, slow = 3, signal = 2},
    {name = "atr2", fn = "atr", n = 2},
    {name = "cal", fn = "calendar"},
    {name = "y", fn = "target_return", col = "close", h = 1},
    by = "ticker"})
  local want = feat.rsi(f, "close", 2, {by = "ticker"})
  local got = out:col("rsi2")
  for i = 1, f:nrows() do
    T.truthy((got[i] ~= got[i] and want[i] ~= want[i]) or got[i] == want[i], "rsi row " .. i)
  end
  local m = feat.macd(f, "close", 2, 3, 2, {by = "ticker"})
  T.eq(out:col("m_hist")[5], m.hist[5])
  T.eq(out:col("atr2")[5], feat.atr(f, 2, {by = "ticker"})[5])
  T.eq(out:col("cal_dow")[1], 0)                  -- 2024-01-01 was a Monday
  T.raises(function() feat.add(f, {{name = "r", fn = "rsi", col = "close", window = 2},
                                  by = "ticker"}) end,
           "window")
end)

T.done()
