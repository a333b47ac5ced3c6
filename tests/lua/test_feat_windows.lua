-- tests/lua/test_feat_windows.lua: feat.windows, feat.split_windows and feat.window_scaler
-- (issue 12, item 3) through the public names. Expected values are worked out by hand from
-- the frames below, whose values name the rows they sit in.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"
local feat = m.feat

-- 60 rows: r[i] = i / 100 (row i, 1-based), NaN in row 1 as log_returns gives; mean10 and
-- std10 NaN until row 11 as a rolling window of 10 over r would be; then i + 0.5 and i + 0.25.
local function series()
  local r, m10, s10 = {}, {}, {}
  for i = 1, 60 do
    r[i] = i == 1 and 0 / 0 or i / 100
    m10[i] = i <= 11 and 0 / 0 or i + 0.5
    s10[i] = i <= 11 and 0 / 0 or i + 0.25
  end
  return m.frame{{"r", r}, {"mean10", m10}, {"std10", s10}}
end

local function X_at(X, i, j, k, F) return X:get(i, (j - 1) * F + k) end

T.case("fwin-l1.1 the ARCHITECTURE call: (N, 30, 3) and (N, 1), rows as sliced", function()
  local f = series()
  local X, y, info = feat.windows(f:slice(15, f:nrows() - 14),
                                  {features = {"r", "mean10", "std10"}, target = "r", length = 30,
                                   horizon = 1})
  -- the slice holds frame rows 15..60 (46 rows); last steps at slice rows 30..45 (the target
  -- one row later must exist): 16 windows
  T.eq(X:shape(), {16, 30, 3})
  T.eq(y:shape(), {16, 1})
  T.eq(info.n, 16)
  T.eq(info.dropped, 0)
  -- window 1 covers slice rows 1..30 = frame rows 15..44; y = r at frame row 45
  T.near(X_at(X, 1, 1, 1, 3), 0.15, 1e-7)
  T.near(X_at(X, 1, 1, 2, 3), 15.5, 1e-6)
  T.near(X_at(X, 1, 30, 3, 3), 44.25, 1e-5)
  T.near(y:get(1), 0.45, 1e-7)
  -- window 16 ends at frame row 59 (slice row 45); y = r at frame row 60
  T.near(X_at(X, 16, 30, 1, 3), 0.59, 1e-7)
  T.near(y:get(16), 0.60, 1e-7)
  T.eq(info.index[1], 30)          -- rows of the frame given (the slice), 1-based
  T.eq(info.index[16], 45)
  T.eq(info.time, nil)             -- ordered by rows
  local n = math.floor(X:nrows() * 0.8)
  T.eq(X:rows(1, n):shape(), {12, 30, 3})
  T.eq(y:rows(1, n):shape(), {12, 1})
end)

T.case("fwin-l1.6 the ARCHITECTURE session with real features: log_returns, rolling", function()
  local c = {}
  for i = 1, 80 do c[i] = 100 * math.exp(0.01 * math.sin(i)) end
  local px = m.frame{close = c}
  local r = feat.log_returns(px, "close")
  local f = m.frame{r = r}
  f = f:add("mean10", feat.rolling(f, "r", 10, "mean"))
  f = f:add("std10", feat.rolling(f, "r", 10, "std"))
  local X, y = m.feat.windows(f:slice(15, f:nrows() - 14), {features = {"r", "mean10", "std10"},
                              target = "r", length = 30, horizon = 1})
  -- the slice is frame rows 15..80 (66 rows): last steps at slice rows 30..65, 36 windows
  T.eq(X:shape(), {36, 30, 3})
  T.eq(y:shape(), {36, 1})
  T.near(X:get(1, 1), r[15], 1e-9)            -- float32 of the double
  T.near(X:get(1, 30 * 3 - 1), f:col("mean10")[44], 1e-9)
  T.near(y:get(1), r[45], 1e-9)
  T.near(y:get(36), r[80], 1e-9)
end)

T.case("fwin-l1.2 NaN windows are dropped and counted", function()
  local f = series()
  -- the whole frame, T = 5: rows 1..11 have a NaN feature, so windows ending at rows 5..15
  -- (which contain one of them) are dropped: 11; kept: last steps 16..59 = 44
  local X, y, info = feat.windows(f, {features = {"r", "mean10", "std10"}, target = "r",
                                      length = 5})
  T.eq(info.dropped, 11)
  T.eq(X:nrows(), 44)
  T.eq(info.index[1], 16)
  T.near(y:get(1), 0.17, 1e-7)
end)

-- Two tickers interleaved, dated; v = 10 * row (1-based), dates increasing within each ticker.
local function tickers()
  local dir = T.tmpdir()
  local path = dir .. "/tick.csv"
  local fh = assert(io.open(path, "w"))
  fh:write("ticker,date,v,w\n")
  for i = 1, 9 do
    fh:write(string.format("%s,2024-01-%02d,%d,%d\n", i % 2 == 1 and "A" or "B", i, 10 * i, -i))
  end
  fh:close()
  return m.read_csv(path)
end

T.case("fwin-l1.3 groups: windows never cross a ticker; index, time and key line up", function()
  local f = tickers()
  -- A = rows 1, 3, 5, 7, 9; B = rows 2, 4, 6, 8. T = 2, h = 1:
  -- A: last steps at A positions 2..4 = rows 3, 5, 7; targets rows 5, 7, 9
  -- B: positions 2..3 = rows 4, 6; targets rows 6, 8
  local X, y, info = feat.windows(f, {features = {"v", "w"}, target = "v", length = 2,
                                      by = "ticker"})
  T.eq(X:shape(), {5, 2, 2})
  local last, first, target = {3, 5, 7, 4, 6}, {1, 3, 5, 2, 4}, {5, 7, 9, 6, 8}
  for i = 1, 5 do
    T.eq(info.index[i], last[i])
    T.eq(X_at(X, i, 1, 1, 2), 10 * first[i])
    T.eq(X_at(X, i, 2, 1, 2), 10 * last[i])
    T.eq(X_at(X, i, 2, 2, 2), -last[i])
    T.eq(y:get(i), 10 * target[i])
    T.eq(info.key[i], last[i] % 2 == 1 and "A" or "B")
    T.eq(info.time[i], string.format("2024-01-%02d", last[i]))
  end
  T.eq(info.groups, 2)
end)

T.case("fwin-l1.4 split_windows: chronological, by time or fraction, no shuffling", function()
  local f = tickers()
  local X, y, info = feat.windows(f, {features = {"v"}, target = "v", length = 2, by = "ticker"})
  -- last-step dates: 3, 5, 7 (A), 4, 6 (B); before 2024-01-06: the windows ending 3, 5, 4
  local tr, te = feat.split_windows(X, y, info, {at = "2024-01-06"})
  T.eq(tr.n, 3)
  T.eq(te.n, 2)
  T.eq({tr.index[1], tr.index[2], tr.index[3]}, {3, 5, 4})
  T.eq({te.index[1], te.index[2]}, {7, 6})
  T.eq(tr.X:shape(), {3, 2, 1})
  T.eq(te.y:get(1), 90)
  T.eq(te.time[2], "2024-01-06")
  T.eq({te.key[1], te.key[2]}, {"A", "B"})
  -- fraction 0.5 of 5 windows: the cut is the 3rd earliest date (5): train = dates 3, 4
  local a, b = feat.split_windows(X, y, info, {fraction = 0.5})
  T.eq({a.n, b.n}, {2, 3})
  T.eq({a.index[1], a.index[2]}, {3, 4})
  T.raises(function() feat.split_windows(X, y, info, {}) end, "exactly one of at")
  T.raises(function() feat.split_windows(X, y, info, {fraction = 1.5}) end, "fraction")
  T.raises(function() feat.split_windows(X, y, info, {at = 3}) end, "date or time")
  T.raises(function() feat.split_windows(X, y, info, {when = 3}) end, "when")
end)

T.case("fwin-l1.5 bad input: clear errors naming the option or the column", function()
  local f = tickers()
  local o = function(t) t.features = t.features or {"v"} return t end
  T.raises(function() feat.windows(f, o{length = 6, by = "ticker"}) end, "length")
  T.raises(function() feat.windows(f, o{target = "v"}) end, "length: required")
  T.raises(function() feat.windows(f, o{length = 2, target = "v", horizon = 0}) end, "horizon")
  T.raises(function() feat.windows(f, o{length = 2, horizon = 2}) end, "horizon")
  T.raises(function() feat.windows(f, o{length = 2, stride = 0}) end, "stride")
  T.raises(function() feat.windows(f, o{length = 2, features = {"nope"}}) end, "nope")
  T.raises(function() feat.windows(f, o{length = 2, target = "ticker"}) end, "ticker")
  T.raises(function() feat.windows(f, o{length = 2, lenght = 3}) end, "lenght")
  T.raises(function() feat.windows(f, {length = 2}) end, "features")
  -- a group shorter than the window gives no windows, not an error: B has 4 rows
  local X, _, info = feat.windows(f, o{length = 5, by = "ticker"})
  T.eq(X:nrows(), 1)
  T.eq(info.short_groups, 1)
end)

T.case("fwin-l2.1 window scaler: fitted on training windows, exact round trip", function()
  local s = feat.window_scaler{}
  T.eq(s:fitted(), false)
  -- (2, 2, 1): values 1, 2, 3, 6 -> mean 3, population sd sqrt(3.5) (by hand)
  local X = m.tensor.from({1, 2, 3, 6}, {2, 2, 1})
  local Z = s:fit_transform(X)
  local p = s:params()
  T.near(p.mean[1], 3, 1e-15)
  T.near(p.sd[1], math.sqrt(3.5), 1e-15)
  T.near(Z:get(4), 3 / math.sqrt(3.5), 1e-6)
  local t = feat.window_scaler_deserialize(s:serialize())
  T.eq(t:params(), p)
  T.eq(t:kind(), "window_scaler")
  T.raises(function() s:transform(m.tensor.from({1, 2}, {1, 1, 2})) end, "1 features")
  T.raises(function() feat.window_scaler{center = true} end, "center")
  T.raises(function() feat.window_scaler_deserialize("moneta.wscaler 1\nfitted 1\n") end, "byte")
end)

T.case("fwin-l3.1 a dense net fits the flattened windows and saves the scaler with it", function()
  local f = series()
  local X, y, info = feat.windows(f:slice(15, f:nrows() - 14),
                                  {features = {"r", "mean10", "std10"}, target = "r", length = 30})
  local n = math.floor(X:nrows() * 0.8)
  local s = feat.window_scaler{}
  local Xtr = s:fit_transform(X:rows(1, n))     -- fitted on the training windows only
  local Xte = s:transform(X:rows(n + 1, X:nrows() - n))
  -- nn has no LSTM yet: a dense net on (N, T * F)
  local flat = function(t) return t:reshape{t:nrows(), 30 * 3} end
  local net = m.nn.sequential{m.nn.dense(8), m.nn.relu(), m.nn.dense(1)}
  local h = net:fit(flat(Xtr), y:rows(1, n), {loss = "mse", epochs = 3, batch = 4, seed = 7,
                                               progress = false})
  T.eq(#h.loss, 3)
  T.eq(net:predict(flat(Xte)):shape(), {X:nrows() - n, 1})
  local path = T.tmpdir() .. "/win.mdl"
  net:save(path, {prep = s})
  local back = feat.window_scaler_deserialize(m.load(path):prep_blob())
  T.eq(back:params(), s:params())
  T.eq(info.n, X:nrows())
end)

T.case("fw-9.1 prep.deserialize reads the window scaler's text too (one reader for prep blobs)", function()
  -- (B=2, T=1, F=2) rows {1, 2}, {3, 4}: means 2 and 3, population sd 1 and 1
  local X = m.tensor.from({{1, 2}, {3, 4}}):reshape{2, 1, 2}
  local sc = feat.window_scaler{}
  sc:fit(X)
  local back = m.prep.deserialize(sc:serialize())
  T.eq(back:kind(), "window_scaler")
  T.eq(back:params(), sc:params())
  local Z = back:transform(X)
  T.eq({Z:get(1), Z:get(2), Z:get(3), Z:get(4)}, {-1, -1, 1, 1})
  T.eq(m.prep.deserialize(m.prep.standard{}:serialize()):kind(), "standard")
end)

T.done()
