-- scripts/bench/bench_feat.lua: 30 series features (lags, returns, rolling mean/std/min/max
-- over 5/20/60 rows, EWM, RSI, MACD, Bollinger, ATR) by moneta's feat.add against pandas (bench_feat.py, the same
-- features, /usr/bin/python3) on the same files, side by side in one run:
--   single   prices.csv of the benchmark recipe (200,000 steps; gen_data.lua makes it)
--   by       10 tickers x 200,000 rows, rows interleaved by step (t, ticker), by = "ticker"
--            (panel.csv, written here once with a fixed seed)
-- Times only the feature computation (after reading), median of 'runs' (3), wall clock;
-- peak memory is the process's high-water RSS (VmHWM) and its rise over the loaded data.
--   moneta scripts/bench/bench_feat.lua [datadir [runs]]
local m = require "moneta"
local dir = arg[1] or "build/bench-data"
local runs = tonumber(arg[2] or "3")
local script_dir = (arg[0]:match("(.*/)") or "./")

local function exists(p) local f = io.open(p) if f then f:close() end return f ~= nil end
if not exists(dir .. "/prices.csv") then
  io.stderr:write("bench_feat: no ", dir, "/prices.csv: run moneta scripts/bench/gen_data.lua ",
                  dir, " prices\n")
  os.exit(1)
end

-- panel.csv: 10 tickers of GBM, 200,000 steps each, seed 20240604, interleaved by step.
local panel = dir .. "/panel.csv"
if not exists(panel) then
  local NT, STEPS = 10, 200000
  math.randomseed(20240604)
  local f = assert(io.open(panel, "w"))
  f:write("t,ticker,price\n")
  local logp, sig, buf = {}, {}, {}
  for k = 1, NT do logp[k] = math.log(20 + 10 * k); sig[k] = 0.005 + 0.002 * k end
  for t = 0, STEPS - 1 do
    for k = 1, NT do
      if t > 0 then                                  -- Box-Muller normal
        local u1, u2 = 1 - math.random(), math.random()
        local z = math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
        logp[k] = logp[k] - sig[k] * sig[k] / 2 + sig[k] * z
      end
      buf[#buf + 1] = string.format("%d,T%02d,%.12g\n", t, k, math.exp(logp[k]))
    end
    if #buf >= 10000 then f:write(table.concat(buf)); buf = {} end
  end
  f:write(table.concat(buf))
  f:close()
end

-- The 30 features, one spec for both sides (bench_feat.py has the same list).
local function spec(col)
  local s = {
    {name = "r1", fn = "log_returns", col = col},
    {name = "ret1", fn = "returns", col = col},
  }
  for _, k in ipairs{1, 2, 3, 5, 10} do
    s[#s + 1] = {name = "lag" .. k, fn = "lag", col = "r1", k = k}
  end
  for _, w in ipairs{5, 20, 60} do
    for _, st in ipairs{"mean", "std", "min", "max"} do
      s[#s + 1] = {name = st .. w, fn = "rolling", col = "r1", window = w, stat = st}
    end
  end
  s[#s + 1] = {name = "pm20", fn = "rolling", col = col, window = 20, stat = "mean"}
  s[#s + 1] = {name = "ema12", fn = "ewm", col = col, span = 12}
  -- the indicators (issue 12, item 8): 1 + 3 + 4 + 1 columns; ATR on the one price column
  -- (high = low = close: true range is |close - previous close|), as the data has no bars
  s[#s + 1] = {name = "rsi14", fn = "rsi", col = col, n = 14}
  s[#s + 1] = {name = "macd", fn = "macd", col = col}
  s[#s + 1] = {name = "bb", fn = "bollinger", col = col, n = 20}
  s[#s + 1] = {name = "atr14", fn = "atr", cols = {col, col, col}, n = 14}
  assert(#s == 25)                               -- entries; 30 columns
  return s
end

local function hwm_kb()
  local f = io.open("/proc/self/status")
  if not f then return 0 end
  local s = f:read("a")
  f:close()
  return tonumber(s:match("VmHWM:%s*(%d+)")) or 0
end
local function median(t) table.sort(t); return t[(#t + 1) // 2] end

local function bench(path, col, opts)
  local df = m.read_csv(path)
  collectgarbage("collect")
  local base = hwm_kb()
  local sp, ts, out = spec(col), {}, nil
  for r = 1, runs do
    out = nil
    collectgarbage("collect")
    local t0 = m.now()
    out = m.feat.add(df, sp, opts)
    ts[r] = m.now() - t0
  end
  assert(out:ncols() == df:ncols() + 30)
  return median(ts), hwm_kb() / 1024, (hwm_kb() - base) / 1024, df:nrows()
end

local mine = {}
mine.single = {bench(dir .. "/prices.csv", "price", {time = "t"})}
mine.by = {bench(panel, "price", {by = "ticker", time = "t"})}

local py = io.popen(string.format("/usr/bin/python3 '%sbench_feat.py' '%s' '%s' %d 2>&1",
                                  script_dir, dir .. "/prices.csv", panel, runs))
local text = py:read("a")
py:close()
local ref = {}
for k, t, mb in text:gmatch("(%a+) ([%d%.e%-]+) ([%d%.]+)\n") do
  ref[k] = {tonumber(t), tonumber(mb)}
end
io.write(string.format("30 features, median of %d runs, wall clock (moneta: feat.add)\n", runs))
io.write(string.format("%-8s %9s %10s %10s %8s %13s %14s %12s\n", "case", "rows", "moneta s",
                       "pandas s", "ratio", "moneta peak", "(rise) MB", "pandas peak"))
for _, k in ipairs{"single", "by"} do
  local a, b = mine[k], ref[k]
  io.write(string.format("%-8s %9d %10.4f %10s %8s %10.1f MB %11.1f MB %9s MB\n", k, a[4], a[1],
                         b and string.format("%.4f", b[1]) or "?",
                         b and string.format("%.1fx", b[1] / a[1]) or "?", a[2], a[3],
                         b and string.format("%.1f", b[2]) or "?"))
end
io.write(string.format("output columns alone: %.1f MB (single), %.1f MB (by)\n",
                       30 * 8 * mine.single[4] / 2^20, 30 * 8 * mine.by[4] / 2^20))
if not next(ref) then io.write("pandas: " .. text .. "\n") end
