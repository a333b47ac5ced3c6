-- tests/lua/test_feat.lua: moneta.feat's series features through the public names (issue 12):
-- values per group against pandas 1.5.3 (python3-pandas), span windows on dates with gaps,
-- no look-ahead for every feature, no leak across groups, feat.add and its registry, errors.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"
local feat = m.feat

local NA = 0 / 0
local CSV = [[
date,ticker,close
2024-01-01,A,10
2024-01-01,B,50
2024-01-02,A,11
2024-01-03,B,52
2024-01-04,A,
2024-01-04,B,51
2024-01-05,A,12.5
2024-01-08,A,12
2024-01-08,B,55
2024-01-09,A,13
2024-01-10,B,54
]]

local function csvframe(text, name)
  local path = T.tmpdir() .. "/" .. (name or "feat_px") .. ".csv"
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  return m.read_csv(path)
end

local px = csvframe(CSV)

local function vals(c)
  local t = {}
  for i = 1, #c do t[i] = c[i] end
  return t
end

local function near_all(got, want, tol, what)
  T.eq(#got, #want, what .. " length")
  for i = 1, #want do T.near(got[i], want[i], tol or 1e-12, what .. "[" .. i .. "]") end
end

-- pandas 1.5.3, df = pd.read_csv(io.StringIO(CSV), parse_dates=["date"]);
-- g = df.groupby("ticker")["close"]:
--   lag1 = g.shift(1); diff2 = g.diff(2); logret = np.log(df.close / g.shift(1));
--   ret = g.pct_change(fill_method=None); mean3/std3 = g.rolling(3, min_periods=2).mean()/.std();
--   q30 = g.rolling(3, min_periods=1).quantile(0.3); expmed = g.expanding().median();
--   max3d/sum3d: per ticker d.set_index("date")["close"].rolling("3D").max()/.sum();
--   ewmstd = g.apply(lambda s: s.ewm(span=3).std());
--   ewmmean_noadj = g.apply(lambda s: s.ewm(alpha=0.5, adjust=False).mean())
-- (values rounded to 15 digits when printed)
local lag1 = {NA, NA, 10.0, 50.0, 11.0, 52.0, NA, 12.5, 51.0, 12.0, 55.0}
local diff2 = {NA, NA, NA, NA, NA, 1.0, 1.5, NA, 3.0, 0.5, 3.0}
local logret = {
  NA, NA, 0.095310179804325, 0.039220713153281, NA, -0.019418085857102, NA,
  -0.040821994520255, 0.075507552508145, 0.080042707673536, -0.018349138668197}
local ret = {
  NA, NA, 0.1, 0.04, NA, -0.019230769230769, NA, -0.04, 0.07843137254902, 0.083333333333333,
  -0.018181818181818}
local mean3 = {
  NA, NA, 10.5, 51.0, 10.5, 51.0, 11.75, 12.25, 52.666666666666664, 12.5,
  53.333333333333336}
local std3 = {
  NA, NA, 0.707106781186548, 1.414213562373095, 0.707106781186548, 1.0, 1.060660171779821,
  0.353553390593274, 2.081665999466134, 0.5, 2.081665999466134}
local q30 = {10.0, 50.0, 10.3, 50.6, 10.3, 50.6, 11.45, 12.15, 51.6, 12.3, 52.8}
local max3d = {10.0, 50.0, 11.0, 52.0, 11.0, 52.0, 12.5, 12.0, 55.0, 13.0, 55.0}
local sum3d = {10.0, 50.0, 21.0, 102.0, 11.0, 103.0, 12.5, 12.0, 55.0, 25.0, 109.0}
local expmed = {10.0, 50.0, 10.5, 51.0, 10.5, 51.0, 11.0, 11.5, 51.5, 12.0, 52.0}
local ewmstd = {
  NA, NA, 0.707106781186548, 1.414213562373095, 0.707106781186548, 0.845154254728517,
  1.300887271175982, 0.731200017332149, 2.501428163498374, 0.791607005421184,
  1.779815140817682}
local ewmmean_noadj = {
  10.0, 50.0, 10.5, 51.0, 10.5, 51.0, 11.833333333333334, 11.916666666666668, 53.0,
  12.458333333333334, 53.5}

T.case("feat-1.1 shifts and returns per ticker match pandas", function()
  local by = {by = "ticker"}
  near_all(vals(feat.lag(px, "close", 1, by)), lag1, 0, "lag1")
  near_all(vals(feat.lag(px, "close", by)), lag1, 0, "lag default k")
  near_all(vals(feat.diff(px, "close", 2, by)), diff2, 1e-12, "diff2")
  near_all(vals(feat.log_returns(px, "close", by)), logret, 1e-14, "logret")
  near_all(vals(feat.returns(px, "close", by)), ret, 1e-14, "returns")
  near_all(vals(feat.pct_change(px, "close", 1, by)), ret, 1e-14, "pct_change")
end)

T.case("feat-1.2 rolling, span, expanding and ewm per ticker match pandas", function()
  near_all(vals(feat.rolling(px, "close", 3, "mean", {by = "ticker", min_periods = 2})),
           mean3, 1e-12, "mean3")
  near_all(vals(feat.rolling(px, "close", 3, "std", {by = "ticker", min_periods = 2})),
           std3, 1e-12, "std3")
  near_all(vals(feat.rolling(px, "close", 3, "quantile",
                             {by = "ticker", min_periods = 1, q = 0.3})), q30, 1e-12, "q30")
  near_all(vals(feat.rolling(px, "close", "3d", "max", {by = "ticker"})), max3d, 0, "max3d")
  near_all(vals(feat.rolling(px, "close", "3d", "sum", {by = "ticker"})), sum3d, 1e-12, "sum3d")
  near_all(vals(feat.expanding(px, "close", "median", {by = "ticker"})), expmed, 0, "expmed")
  near_all(vals(feat.ewm(px, "close", {span = 3, stat = "std", by = "ticker"})), ewmstd,
           1e-12, "ewmstd")
  near_all(vals(feat.ewm(px, "close", {alpha = 0.5, adjust = false, by = "ticker"})),
           ewmmean_noadj, 1e-12, "ewm noadj")
end)

T.case("feat-1.3 log_returns of one ticker: a column frame:add takes, NaN first", function()
  local a = px:filter(function(row) return row.ticker == "A" end)
  local r = feat.log_returns(a, "close")
  T.truthy(r[1] ~= r[1], "first row NaN")
  T.near(r[2], math.log(11 / 10), 1e-15, "log(11/10) by hand")
  local f = a:add("r", r)
  T.eq(f:ncols(), 4)
end)

-- Every public feature, as {label, fn(frame) -> column}, per ticker.
local function all_features()
  local by = {by = "ticker"}
  local list = {
    {"lag", function(f) return feat.lag(f, "close", 2, by) end},
    {"diff", function(f) return feat.diff(f, "close", 1, by) end},
    {"pct_change", function(f) return feat.pct_change(f, "close", 2, by) end},
    {"returns", function(f) return feat.returns(f, "close", by) end},
    {"log_returns", function(f) return feat.log_returns(f, "close", by) end},
  }
  for _, st in ipairs{"sum", "mean", "var", "std", "min", "max", "median", "zscore", "skew",
                      "count"} do
    list[#list + 1] = {"rolling " .. st, function(f)
      return feat.rolling(f, "close", 3, st, {by = "ticker", min_periods = 1}) end}
    list[#list + 1] = {"rolling 3d " .. st, function(f)
      return feat.rolling(f, "close", "3d", st, {by = "ticker"}) end}
    list[#list + 1] = {"expanding " .. st, function(f)
      return feat.expanding(f, "close", st, by) end}
  end
  list[#list + 1] = {"quantile", function(f)
    return feat.rolling(f, "close", 4, "quantile", {by = "ticker", q = 0.8, min_periods = 1}) end}
  for _, st in ipairs{"mean", "std", "var", "vol"} do
    list[#list + 1] = {"ewm " .. st, function(f)
      return feat.ewm(f, "close", {halflife = 2, stat = st, by = "ticker"}) end}
    list[#list + 1] = {"ewm noadj " .. st, function(f)
      return feat.ewm(f, "close", {span = 4, adjust = false, stat = st, by = "ticker"}) end}
  end
  return list
end

-- The rows of CSV with every close after line 'cut' (1-based data row) of ticker 'tk'
-- replaced, and for a later row of the other ticker too when 'both'.
local function perturbed(cut, seed)
  local out, row = {"date,ticker,close"}, 0
  local state = seed
  for line in CSV:gmatch("[^\n]+") do
    if line ~= "date,ticker,close" then
      row = row + 1
      if row > cut then
        state = (state * 1103515245 + 12345) % 2147483648
        local v = state % 7 == 0 and "" or tostring(1 + state % 997)
        line = line:gsub(",[^,]*$", "," .. v)
      end
      out[#out + 1] = line
    end
  end
  return table.concat(out, "\n") .. "\n"
end

local function same(a, b) return a == b or (a ~= a and b ~= b) end

T.case("feat-2.1 no look-ahead: changing every row after t changes no feature at t", function()
  local n = px:nrows()
  for _, ft in ipairs(all_features()) do
    local base = ft[2](px)
    for cut = 0, n - 1 do
      local f = csvframe(perturbed(cut, 7 + cut), "feat_pert")
      local c = ft[2](f)
      for i = 1, cut do
        if not same(c[i], base[i]) then
          error(string.format("%s: row %d changed (%s -> %s) when rows after %d did", ft[1],
                              i, tostring(base[i]), tostring(c[i]), cut))
        end
      end
    end
  end
end)

T.case("feat-2.2 no leak across groups: a ticker alone gives its rows' values", function()
  local a = px:filter(function(row) return row.ticker == "A" end)
  local rows = {}
  for i = 1, px:nrows() do if px:col("ticker")[i] == "A" then rows[#rows + 1] = i end end
  for _, ft in ipairs(all_features()) do
    local whole, alone = ft[2](px), ft[2](a)
    for j, i in ipairs(rows) do
      if not same(whole[i], alone[j]) then
        error(string.format("%s: row %d of A is %s with B beside it, %s alone", ft[1], i,
                            tostring(whole[i]), tostring(alone[j])))
      end
    end
  end
end)

T.case("feat-3.1 feat.add: one frame, a feature built on an earlier one, spec is data", function()
  local spec = {
    by = "ticker",
    {name = "ret1", fn = "log_returns", col = "close"},
    {name = "vol3", fn = "rolling", col = "ret1", window = 3, stat = "std", min_periods = 2},
    {name = "lag1", fn = "lag", col = "close", k = 1},
    {name = "e", fn = "ewm", col = "close", span = 3, stat = "std"},
    {name = "mx", fn = "rolling", col = "close", window = "3d", stat = "max"},
    {name = "med", fn = "expanding", col = "close", stat = "median"},
  }
  local f = feat.add(px, spec)
  T.eq(f:ncols(), 3 + 6)
  near_all(vals(f:col("ret1")), logret, 1e-14, "ret1")
  near_all(vals(f:col("lag1")), lag1, 0, "lag1")
  near_all(vals(f:col("e")), ewmstd, 1e-12, "e")
  near_all(vals(f:col("mx")), max3d, 0, "mx")
  near_all(vals(f:col("med")), expmed, 0, "med")
  near_all(vals(f:col("vol3")),
           vals(feat.rolling(f, "ret1", 3, "std", {by = "ticker", min_periods = 2})), 0, "vol3")
  -- the by of the call wins over the spec's
  local g = feat.add(px, {{name = "l", fn = "lag", col = "close"}}, {by = "ticker"})
  near_all(vals(g:col("l")), lag1, 0, "opts by")
end)

T.case("feat-3.2 feat._register: an indicator from another file plugs into feat.add", function()
  feat._register("test_double", function(frame, d, ctx)
    local l = feat.lag(frame, d.col, 1, {by = ctx.by})
    return {lo = l, hi = l}                      -- a table of columns: <name>_<key>
  end, {"col"})
  local f = feat.add(px, {by = "ticker", {name = "d", fn = "test_double", col = "close"}})
  near_all(vals(f:col("d_hi")), lag1, 0, "d_hi")
  near_all(vals(f:col("d_lo")), lag1, 0, "d_lo")
  T.raises(function()
    feat.add(px, {by = "ticker", {name = "d", fn = "test_double", col = "close", k = 2}})
  end,
           "unknown field 'k' for fn 'test_double'")
end)

T.case("feat-4.1 errors name the argument or the column", function()
  local unsorted = csvframe("date,ticker,close\n2024-01-02,A,1\n2024-01-01,A,2\n", "feat_uns")
  T.raises(function() feat.lag(unsorted, "close") end,
           "time column 'date' is not strictly increasing: row 2 (2024-01-01)")
  -- both tickers in one series: the same date twice, and the hint to give by =
  T.raises(function() feat.lag(px, "close") end,
           "repeats a time: rows 1 and 2 are both 2024-01-01; several series in one frame? give by =")
  T.raises(function() feat.rolling(px, "nope", 3, "mean") end,       -- the column before the order
           "no column 'nope' (columns: date, ticker, close)")
  T.raises(function() feat.lag(px, "price", {by = "ticker"}) end, "no column 'price'")
  T.raises(function() feat.rolling(px, "ticker", 3, "mean", {by = "ticker"}) end,
           "column 'ticker' is cat, not numeric")
  T.raises(function() feat.rolling(px, "close", 0, "mean", {by = "ticker"}) end,
           "window must be >= 1, got 0")
  T.raises(function() feat.rolling(px, "close", -3, "mean", {by = "ticker"}) end,
           "window must be >= 1")
  T.raises(function() feat.rolling(px, "close", "20x", "mean", {by = "ticker"}) end,
           "span '20x'")
  T.raises(function() feat.rolling(px, "close", "3d", "mean", {by = "ticker", time = ""}) end,
           "needs a date or datetime time column")
  T.raises(function() feat.rolling(px, "close", 3, "mode", {by = "ticker"}) end, "stat 'mode'")
  T.raises(function() feat.rolling(px, "close", 3, "mean", {by = "ticker", window = 2}) end,
           "unknown option 'window'")
  T.raises(function() feat.rolling(px, "close", 3, "quantile", {by = "ticker"}) end, "needs q")
  T.raises(function() feat.rolling(px, "close", 3, "mean", {by = "ticker", min_periods = 4}) end,
           "min_periods: 4 is more than the window")
  T.raises(function() feat.lag(px, "close", 0, {by = "ticker"}) end, "k must be >= 1")
  T.raises(function() feat.ewm(px, "close", {by = "ticker"}) end, "exactly one of span")
  T.raises(function() feat.ewm(px, "close", {span = 3, alpha = 0.5, by = "ticker"}) end,
           "exactly one of span")
  T.raises(function() feat.ewm(px, "close", {alpha = 1.5, by = "ticker"}) end, "alpha must be")
  T.raises(function() feat.lag(px, "close", {by = "nope"}) end, "by: no column 'nope'")
  T.raises(function() feat.add(px, {by = "ticker", {name = "x", fn = "rsi9", col = "close"}}) end,
           "unknown fn 'rsi9'")
  T.raises(function() feat.add(px, {by = "ticker", {name = "x", fn = "rolling", col = "close",
                                                    window = 0, stat = "mean"}}) end,
           "spec[1] (x): window must be >= 1")
end)

T.case("feat-4.2 a group shorter than the window gives NaN; a window no group fills is an error", function()
  -- A has 4 rows, B 2: a 3-row mean fills in A from its 3rd row ((1+2+3)/3 = 2, then 3) and
  -- never in B, which gets NaN without an error
  local f = csvframe("g,x\nA,1\nB,10\nA,2\nB,20\nA,3\nA,4\n")
  local c = feat.rolling(f, "x", 3, "mean", {by = "g"})
  for i, want in ipairs{0 / 0, 0 / 0, 0 / 0, 0 / 0, 2, 3} do T.eq(c[i], want, "row " .. i) end
  -- issue 12, item 6: longer than every group (the series), the window can never fill
  T.raises(function() feat.rolling(px, "close", 50, "mean", {by = "ticker"}) end,
           "window: 50 rows is longer than the series (its longest group has 6 rows)")
  -- unless min_periods says fewer rows do: pandas' rolling(50, min_periods=1) is the expanding mean
  local e = feat.rolling(px, "close", 50, "mean", {by = "ticker", min_periods = 1})
  local x = feat.expanding(px, "close", "mean", {by = "ticker"})
  for i = 1, #e do T.eq(e[i], x[i], "row " .. i) end
end)

T.case("feat-5.1 every public name has help", function()
  local doc = require "moneta.doc"
  for _, k in ipairs{"lag", "diff", "pct_change", "returns", "log_returns", "rolling",
                     "expanding", "ewm", "add"} do
    T.truthy(doc.lookup(feat[k]), "help for feat." .. k)
  end
end)

T.done()
