-- scripts/bench/bench_plot.lua: what a plot costs, moneta (gnuplot through a pipe) against
-- matplotlib (the Agg backend, /usr/bin/python3), on the same data from the bundled datasets:
--   line   all 10 tickers' close prices (26,070 points, 10 series, a date axis)
--   hist   ACME's daily log returns (2,606 values, 50 bins)
--   roc    a score against the credit default flag (10,020 points)
--   heat   the correlation heatmap of the 10 tickers' returns
-- Each kind is rendered to an 800x500 PNG 'runs' times after one warm-up; prints the median
-- seconds per plot of both and the ratio. The reference is scripts/bench/bench_plot.py.
--   moneta scripts/bench/bench_plot.lua [outdir [runs]]
local m = require "moneta"
local out = arg[1] or "/tmp/moneta-bench-plot"
local runs = tonumber(arg[2] or "5")
os.execute("mkdir -p '" .. out .. "'")
local script_dir = (arg[0]:match("(.*/)") or "./")

local px = m.read_csv(m.dataset("prices.csv.gz"))
local tickers, closes = {}, {}
for _, t in ipairs{"ACME", "BNKR", "BYTE", "CRDT", "FOOD", "GRID", "INSR", "PETR", "QBIT", "SHOP"} do
  local f = px:filter(function(r) return r.ticker == t end)
  tickers[#tickers + 1] = t
  closes[t] = f:col("close"):values()
end
local dates = px:filter(function(r) return r.ticker == "ACME" end):col("date")
local acme = closes.ACME
local rets = {}
for i = 2, #acme do rets[#rets + 1] = math.log(acme[i] / acme[i - 1]) end
local rf = {}
for _, t in ipairs(tickers) do
  local c, r = closes[t], {}
  for i = 2, #c do r[i - 1] = math.log(c[i] / c[i - 1]) end
  rf[t] = r
end
local rframe = m.frame(rf)
local cr = m.read_csv(m.dataset("credit.csv.gz"))
local y, score = cr:col("default"), cr:col("interest_rate")

local kinds = {
  {"line", function(p) m.plot.line(closes, {x = dates, path = p, title = "close"}) end},
  {"hist", function(p) m.plot.hist(rets, {path = p, bins = 50}) end},
  {"roc", function(p) m.plot.roc(y, score, {path = p}) end},
  {"heat", function(p) m.plot.heatmap(rframe, {path = p}) end},
}

local clock = m.now                                   -- wall clock: gnuplot's time counts
local function median(t) table.sort(t); return t[(#t + 1) // 2] end

local mine = {}
for _, k in ipairs(kinds) do
  local path = out .. "/moneta_" .. k[1] .. ".png"
  k[2](path)                                          -- warm-up (starts gnuplot once)
  local ts = {}
  for r = 1, runs do
    local t0 = clock()
    k[2](path)
    ts[r] = clock() - t0
  end
  mine[k[1]] = median(ts)
end

local ref = {}
local py = io.popen(string.format("/usr/bin/python3 '%sbench_plot.py' '%s' %d '%s' '%s' 2>&1",
                                  script_dir, out, runs, m.dataset("prices.csv.gz"),
                                  m.dataset("credit.csv.gz")))
local text = py:read("a")
py:close()
for k, v in text:gmatch("(%a+) ([%d%.e%-]+)\n") do ref[k] = tonumber(v) end
io.write(string.format("%-6s %12s %14s %8s\n", "plot", "moneta s", "matplotlib s", "ratio"))
for _, k in ipairs(kinds) do
  local a, b = mine[k[1]], ref[k[1]]
  io.write(string.format("%-6s %12.4f %14s %8s\n", k[1], a, b and string.format("%.4f", b) or "?",
                         b and string.format("%.2fx", b / a) or "?"))
end
if not next(ref) then io.write("matplotlib: " .. text .. "\n") end
