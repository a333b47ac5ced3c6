-- test_plot.lua: moneta.plot through its public names. Every plot kind renders to PNG and SVG
-- of the requested size; SVGs hold the series and legend texts; text from the user (titles,
-- labels, file names, data values) comes out literally and runs nothing; options are checked.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local moneta = require "moneta"
local plot = moneta.plot
local doc = require "moneta.doc"

-- Every case but two needs gnuplot: without it the file reports itself skipped, not passed.
do
  local ok, err = pcall(plot.terminals)
  if not ok then T.skip_file(err) end
end

local dir = T.tmpdir() .. "/plot"
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")

local function slurp(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

-- Width and height of a PNG from its signature and IHDR chunk (big-endian).
local function png_size(path)
  local s = assert(slurp(path), path .. " missing")
  T.eq(s:sub(1, 8), "\137PNG\r\n\26\n", path .. " PNG signature")
  T.eq(s:sub(13, 16), "IHDR", path .. " IHDR")
  local w, h = string.unpack(">I4I4", s, 17)
  return w, h
end

local function svg_of(path, w, h)
  local s = assert(slurp(path), path .. " missing")
  T.truthy(s:find("<svg", 1, true), path .. " is SVG")
  T.truthy(s:find('width="' .. w .. '"', 1, true), path .. " width " .. w)
  T.truthy(s:find('height="' .. h .. '"', 1, true), path .. " height " .. h)
  T.truthy(s:find("</svg>%s*$"), path .. " complete")
  return s
end

-- Render fn(opts) to PNG and SVG at w x h; returns the SVG text.
local function both(name, fn, w, h)
  local png, svg = dir .. "/" .. name .. ".png", dir .. "/" .. name .. ".svg"
  T.eq(fn{path = png, width = w, height = h}, png)
  local pw, ph = png_size(png)
  T.eq({pw, ph}, {w, h}, name .. " PNG size")
  T.eq(fn{path = svg, width = w, height = h}, svg)
  return svg_of(svg, w, h)
end

local function has(s, text, what)
  T.truthy(s:find(text, 1, true), (what or "svg") .. " contains " .. string.format("%q", text))
end

-- Texts an SVG draws left-aligned: with moneta's key ("Left reverse"), the legend entries
-- (and a colour box's tics, which loss plots do not have).
local function legend_texts(s)
  local out = {}
  for t in s:gmatch('text%-anchor="start">%s*<text>(.-)</text>') do out[#out + 1] = t end
  return out
end

-- SVG escapes & < > and quotes in text
local function xml(s)
  return (s:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

local Y = {0, 1, 1, 0, 1, 0, 0, 1, 1, 0}
local S = {.1, .8, .35, .4, .9, .2, .55, .7, .3, .05}

T.case("plot-1.1 the public names exist and are documented", function()
  for _, k in ipairs{"line", "loss", "forecast", "roc", "pr", "hist", "density", "scatter",
                     "heatmap", "equity", "acf", "save", "term", "terminals", "close",
                     "gnuplot"} do
    T.eq(type(plot[k]), "function", k)
    local e = doc.all()["moneta.plot." .. k]
    T.truthy(e and e.topic == "plot", "help for " .. k)
  end
  T.truthy(doc.text(plot.gnuplot):find("UNQUOTED", 1, true), "gnuplot() says it is unquoted")
  local t = plot.terminals()
  local set = {}
  for _, n in ipairs(t) do set[n] = true end
  T.truthy(set.dumb and set.svg, "terminals lists dumb and svg")
end)

T.case("plot-2.1 line: several series, names in the legend, default size 800x500", function()
  local p = dir .. "/line_default.png"
  plot.line({{1, 4, 9}, {1, 2, 3}}, {x = {1, 2, 3}, names = {"squares", "ramp"}, path = p})
  T.eq({png_size(p)}, {800, 500})
  local s = both("line", function(o)
    o.names, o.title, o.x = {"squares", "ramp"}, "two series", {1, 2, 3}
    return plot.line({{1, 4, 9}, {1, 2, 3}}, o)
  end, 640, 400)
  has(s, "squares"); has(s, "ramp"); has(s, "two series")
end)

T.case("plot-2.2 line: a frame with a date column gives a time axis", function()
  local csv = dir .. "/dates.csv"
  local fh = assert(io.open(csv, "w"))
  fh:write("date,close,sma\n2024-01-02,1,1\n2024-03-01,2,1.5\n2024-06-03,3,2.5\n")
  fh:close()
  local f = moneta.read_csv(csv)
  T.eq(f:col("date"):type(), "date")
  local s = both("line_dates", function(o)
    o.x, o.y = "date", {"close", "sma"}
    return plot.line(f, o)
  end, 700, 420)
  has(s, "close"); has(s, "sma"); has(s, "2024-0")   -- tick labels are dates
  -- ISO strings also give dates
  s = both("line_isodates", function(o)
    o.x = {"2024-01-02", "2024-01-03", "2024-01-04"}
    return plot.line({3, 1, 2}, o)
  end, 500, 300)
  has(s, "01-03")
end)

T.case("plot-2.3 loss from a history table, with validation and the best epoch", function()
  local hist = {loss = {1, .5, .3, .25}, val_loss = {1.1, .6, .4, .45}}
  local s = both("loss", function(o) o.log = true; return plot.loss(hist, o) end, 800, 500)
  has(s, "val_loss"); has(s, "best epoch 3")          -- lowest val_loss is at epoch 3
  -- metrics nested as fit's history has them, and no validation
  T.eq(legend_texts(s), {"loss", "val_loss", "best epoch 3 (val_loss 0.4)"})
  s = both("loss_train", function(o) return plot.loss({metrics = {loss = {3, 2, 1}}}, o) end,
           600, 400)
  T.eq(legend_texts(s), {"loss"}, "the legend has the loss alone")
  T.raises(function() plot.loss({}) end, "plot.loss: the history has no loss")
end)

T.case("plot-2.4 ROC and PR: the AUC in the legend equals a hand count", function()
  -- AUC by counting pairs: positives {.8,.35,.9,.7,.3}, negatives {.1,.4,.2,.55,.05}
  local pos, neg = {.8, .35, .9, .7, .3}, {.1, .4, .2, .55, .05}
  local wins = 0
  for _, a in ipairs(pos) do for _, b in ipairs(neg) do
    wins = wins + (a > b and 1 or a == b and 0.5 or 0)
  end end
  local auc = wins / 25                 -- 5 + 3 + 5 + 5 + 3 = 21 wins of 25
  T.near(auc, 0.84, 1e-12)
  local s = both("roc", function(o) o.name = "model A"; return plot.roc(Y, S, o) end, 600, 600)
  has(s, string.format("model A (AUC = %.3f)", auc))
  has(s, "chance")
  -- several models
  -- b: a perfect ranking given as scores (labels would be refused as looking like predict())
  local perfect = {}
  for i, y in ipairs(Y) do perfect[i] = .1 + .8 * y end
  s = both("roc_multi", function(o) return plot.roc(Y, {a = S, b = perfect}, o) end, 600, 600)
  has(s, string.format("a (AUC = %.3f)", auc)); has(s, "b (AUC = 1.000)")
  -- average precision by hand: ranks of positives by score .9 .8 .7 | .55(neg) | .4(neg)
  -- .35 .3 -> precision at each positive 1, 1, 1, 4/6, 5/7; AP = (3 + 4/6 + 5/7) / 5
  local ap = (3 + 4 / 6 + 5 / 7) / 5
  s = both("pr", function(o) return plot.pr(Y, S, o) end, 600, 500)
  has(s, string.format("PR AUC = %.3f", ap))
  has(s, "no skill (0.500)")
  -- the base rate is the share of positives: 1 of 4 here
  s = both("pr_rare", function(o) return plot.pr({0, 1, 0, 0}, {.1, .9, .4, .2}, o) end, 500, 400)
  has(s, "no skill (0.250)"); has(s, "PR AUC = 1.000")
  -- the metrics' errors name the plot
  T.raises(function() plot.roc({1, 1, 1}, {.1, .2, .3}) end,
           "plot.roc: roc_curve: y_true has only one class")
  T.raises(function() plot.pr({1, 0, 0}, {.1, .2, 0 / 0}) end,
           "plot.pr: pr_curve: y_score element 3 is NaN")
end)

T.case("plot-2.5 forecast with an interval, hist, density, scatter with a fit", function()
  local s = both("forecast", function(o)
    o.level = 0.9
    return plot.forecast({1, 2, 3, 4}, {mean = {5, 6}, lower = {4, 4.5}, upper = {6, 7.5}}, o)
  end, 800, 500)
  has(s, "90% interval"); has(s, "actual"); has(s, "forecast")
  local xs = {}
  for i = 1, 200 do xs[i] = math.sin(i) * 3 + (i % 7) end
  s = both("hist", function(o) o.kde = true; return plot.hist(xs, o) end, 640, 480)
  s = both("hist_two", function(o)
    return plot.hist({left = xs, right = {1, 2, 2, 3, 3, 3}}, o)
  end, 640, 480)
  has(s, "left"); has(s, "right")
  s = both("density", function(o) return plot.density({a = xs, b = {1, 2, 2.5, 3}}, o) end,
           640, 480)
  has(s, "a (bw "); has(s, "b (bw ")
  -- y = 1 + 2x exactly: the fitted line says so with R² = 1
  s = both("scatter", function(o)
    o.fit = true
    return plot.scatter({0, 1, 2, 3}, {1, 3, 5, 7}, o)
  end, 640, 480)
  has(s, "fit: y = 1 + 2 x  (R² = 1.000)")
  s = both("scatter_by", function(o)
    o.by = {"up", "down", "up", "down"}
    return plot.scatter({0, 1, 2, 3}, {1, 3, 5, 7}, o)
  end, 640, 480)
  has(s, "up"); has(s, "down")
end)

T.case("plot-2.6 heatmap of a frame's correlations, equity with drawdown, ACF/PACF", function()
  -- d against a: deviations (-1.5, -.5, .5, 1.5) and (-1.5, .5, -.5, 1.5), so sxy = 4,
  -- sxx = syy = 5 and r = 0.8; against c (a reversed) -0.8
  local f = moneta.frame{a = {1, 2, 3, 4}, b = {2, 4, 6, 8}, c = {4, 3, 2, 1}, d = {1, 3, 2, 4}}
  local s = both("heatmap", function(o) return plot.heatmap(f, o) end, 600, 600)
  has(s, "<text>1.00</text>"); has(s, "-1.00")     -- b = 2a, c falls as a rises
  has(s, "<text>0.80</text>"); has(s, "<text>-0.80</text>")
  has(s, ">a<"); has(s, ">c<"); has(s, ">d<")
  -- matrix = true draws a frame's values as they are (feat.corr's result): the cells are the
  -- given numbers, the rows labelled by the text column; not the correlations of its columns
  local cm = moneta.frame{{"column", {"u", "v"}}, {"u", {1, 0.25}}, {"v", {0.25, 1}}}
  s = both("heatmap_matrix", function(o) o.matrix = true; return plot.heatmap(cm, o) end, 500, 500)
  has(s, "<text>0.25</text>"); has(s, ">u<"); has(s, ">v<")
  T.truthy(not s:find("<text>-1.00</text>", 1, true), "no correlations of the matrix's columns")
  T.raises(function() plot.heatmap(cm, {matrix = true, method = "spearman"}) end,
           "method computes correlations; not with matrix = true")
  T.raises(function() plot.heatmap({{1}}, {matrix = true}) end, "give a frame")
  s = both("equity", function(o)
    o.bench = {0, 0, 0, 0}
    return plot.equity({0.1, -0.5, 0.2, 0.1}, o)
  end, 800, 600)
  -- equity 1.1, .55, .66, .726: total -27.4%, max drawdown 1 - .55 / 1.1 = 50%
  has(s, "strategy (total -27.4%, max drawdown 50.0%)")
  has(s, "benchmark (total +0.0%, max drawdown 0.0%)")
  local x = {}
  for i = 1, 100 do x[i] = math.sin(i / 3) end
  s = both("acf", function(o) return plot.acf(x, o) end, 700, 500)
  has(s, "n = 100")
  -- what ts.acf / ts.pacf return, drawn as given: one panel, or one per result
  s = both("acf_ts", function(o) return plot.acf(moneta.ts.acf(x, {lags = 12}), o) end, 700, 500)
  has(s, "95% band, Bartlett (n = 100)")
  s = both("acf_ts2", function(o)
    return plot.acf({moneta.ts.acf(x), moneta.ts.pacf(x, {alpha = 0.1})}, o)
  end, 700, 500)
  has(s, "90% band ±z/√n (n = 100)")
  T.raises(function() plot.acf(moneta.ts.acf(x), {lags = 3}) end,
           "plot.acf: lags, kind and alpha are for a series")
end)

T.case("plot-2.8 equity: a first loss is a drawdown from the starting capital", function()
  -- returns -10%, +5%, -20%, +10% from 1: equity .9, .945, .756, .8316. The peak is the
  -- starting 1, so the drawn drawdown is -10%, -5.5%, -24.4%, -16.84% and the deepest is
  -- 1 - .756 = 24.4%; the total is .8316 - 1 = -16.84%
  local r = {-0.1, 0.05, -0.2, 0.1}
  T.near(moneta.metrics.max_drawdown(r), 0.244, 1e-12)
  -- (the drawdown series itself is tested in C: tests/unit/test_eval_drawdown.c)
  -- the benchmark starts with a missing value: equity values NaN, 100, 90, 99 give a total
  -- of 99 / 100 - 1 = -1% and a drawdown of 1 - 90 / 100 = 10%
  local s = both("equity_first_loss", function(o)
    return plot.equity(r, o)
  end, 800, 600)
  has(s, "strategy (total -16.8%, max drawdown 24.4%)")
  s = both("equity_kind_equity", function(o)
    o.kind, o.bench = "equity", {0 / 0, 100, 90, 99}
    return plot.equity({1, 0.9, 0.945, 0.756}, o)
  end, 800, 600)
  has(s, "strategy (total -24.4%, max drawdown 24.4%)")
  has(s, "benchmark (total -1.0%, max drawdown 10.0%)")
  T.raises(function() plot.equity({1, -2, 3}, {kind = "equity"}) end,
           "plot.equity: max_drawdown: equity element 2")
end)

T.case("plot-2.9 more than 64 columns: a 70 x 70 heatmap, 70 series, a 70-column frame", function()
  local m, cols, series = {}, {}, {}
  for i = 1, 70 do
    m[i] = {}
    for j = 1, 70 do m[i][j] = (i - j) / 70 end
    series[i] = {i, i + 1, i + 3}
    cols[#cols + 1] = {"c" .. i, {i, 2 * i + 1, i * i, 1 / i}}
  end
  both("heat70", function(o) return plot.heatmap(m, o) end, 600, 600)
  local s = both("line70", function(o) o.x = {1, 2, 3}; return plot.line(series, o) end, 640, 400)
  has(s, "series 70")
  local f = moneta.frame(cols)
  T.eq(f:ncols(), 70)
  s = both("heat70_frame", function(o) o.values = false; return plot.heatmap(f, o) end, 700, 700)
  has(s, ">c70<")
  both("line70_frame", function(o) return plot.line(f, o) end, 640, 400)
end)

T.case("plot-2.10 density bandwidths and a scatter fit worked out by hand", function()
  -- {1, 2, 3, 4, 5}: sample sd sqrt(10 / 4) = 1.581; quartiles 2 and 4 (linear
  -- interpolation), IQR / 1.34 = 1.493 is smaller; bw = 0.9 * 1.493 * 5^(-1/5) = 0.974
  -- {0, 0, 0, 0, 10}: IQR 0, so the sd sqrt(80 / 4) = 4.472; bw = 0.9 * 4.472 * 5^(-1/5) = 2.92
  T.near(0.9 * (2 / 1.34) * 5 ^ -0.2, 0.97358, 1e-5)
  T.near(0.9 * math.sqrt(20) * 5 ^ -0.2, 2.91718, 1e-5)
  local s = both("density_bw", function(o)
    return plot.density({a = {1, 2, 3, 4, 5}, b = {0, 0, 0, 0, 10}}, o)
  end, 640, 480)
  has(s, "a (bw 0.974)"); has(s, "b (bw 2.92)")
  -- x 0..3, y 1, 3, 2, 5: sxx = 5, sxy = 5.5, syy = 8.75, so y = 1.1 + 1.1 x and
  -- R² = 5.5² / (5 * 8.75) = 0.691; a missing pair is left out
  s = both("scatter_fit", function(o)
    o.fit = true
    return plot.scatter({0, 1, 2, 3, 0 / 0}, {1, 3, 2, 5, 4}, o)
  end, 640, 480)
  has(s, "fit: y = 1.1 + 1.1 x  (R² = 0.691)")
end)

T.case("plot-2.11 heatmaps have no grid unless asked; other plots have one unless told", function()
  local grid = "stroke='rgb(221, 221, 221)'"          -- the grid's colour, #dddddd
  local s = both("heat_nogrid", function(o) return plot.heatmap({{1, 2}, {3, 4}}, o) end, 300, 300)
  T.truthy(not s:find(grid, 1, true), "heatmap without grid lines")
  s = both("heat_grid", function(o)
    o.grid = true
    return plot.heatmap({{1, 2}, {3, 4}}, o)
  end, 300, 300)
  has(s, grid)
  s = both("line_grid", function(o) return plot.line({1, 2}, o) end, 300, 200)
  has(s, grid)
  s = both("line_nogrid", function(o) o.grid = false; return plot.line({1, 2}, o) end, 300, 200)
  T.truthy(not s:find(grid, 1, true), "grid = false: no grid lines")
end)

T.case("plot-2.12 forecast: explicit forecast dates; the level option is checked", function()
  local s = both("forecast_fx", function(o)
    o.x = {"2024-01-01", "2024-01-02", "2024-01-03"}
    o.fx = {"2024-01-04", "2024-01-05"}
    o.level = 95
    return plot.forecast({1, 2, 3}, {mean = {4, 5}, lower = {3, 3.5}, upper = {5, 6.5}}, o)
  end, 640, 400)
  has(s, "95% interval"); has(s, "01-05")          -- a time axis through the forecast's dates
  T.raises(function() plot.forecast({1, 2}, {3, 4}, {level = "95"}) end,
           "plot.forecast: level must be a number such as 0.95 or 95, got string")
  T.raises(function() plot.forecast({1, 2}, {3, 4}, {level = 0}) end,
           "plot.forecast: level must be a number")
  T.raises(function() plot.forecast({1, 2, 3}, {4, 5}, {fx = {6}}) end,
           "plot.forecast: fx has 1 values but the forecast has 2")
end)

T.case("plot-2.13 ISO dates: out-of-range months and days are not dates", function()
  local d = plot._parse_date
  -- days since 1970-01-01 by hand: 2024-02-29 is 54 years (13 of them leap: 1972..2020)
  -- = 54 * 365 + 13 = 19723 days to 2024-01-01, then 31 + 28 more
  T.eq(d("2024-02-29"), (19723 + 59) * 86400)
  T.eq(d("2000-02-29"), 951782400)                  -- 2000 is a leap year (divisible by 400)
  T.eq(d("2024-03-01T10:30:15"), (19723 + 60) * 86400 + 10 * 3600 + 30 * 60 + 15)
  for _, bad in ipairs{"2024-13-45", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32",
                       "2024-04-31", "2023-02-29", "1900-02-29", "2024-01-02T24:00",
                       "2024-01-02T10:60"} do
    T.eq(d(bad), nil, bad)
  end
  -- a list holding one is drawn as category labels, not as a broken time axis
  local s = both("not_dates", function(o)
    o.x = {"2024-01-02", "2024-13-45", "2024-01-04"}
    return plot.line({3, 1, 2}, o)
  end, 500, 300)
  has(s, ">2024-13-45<")
  s = both("leap_dates", function(o)
    o.x = {"2024-02-28", "2024-02-29", "2024-03-01"}
    return plot.line({3, 1, 2}, o)
  end, 500, 300)
  has(s, "02-29")
  T.truthy(not s:find(">2024-02-29<", 1, true), "a time axis, not category labels")
end)

T.case("plot-3.1 save re-renders the last plot; PDF by extension", function()
  plot.line({1, 2, 3}, {path = dir .. "/first.png", title = "saved again"})
  T.eq(plot.save(dir .. "/again.svg", {width = 300, height = 200}), dir .. "/again.svg")
  has(svg_of(dir .. "/again.svg", 300, 200), "saved again")
  plot.save(dir .. "/again.pdf")
  T.eq(slurp(dir .. "/again.pdf"):sub(1, 5), "%PDF-")
  T.raises(function() plot.save(dir .. "/x.jpg") end, "unknown file type (use .png, .svg or .pdf)")
  T.raises(function() plot.save(dir .. "/x.png", {title = "t"}) end,
           "plot.save: unknown option 'title' (known: width, height, font)")
  T.raises(function() plot.save(dir .. "/x.png", 3) end, "plot.save: options must be a table")
  -- the help shows the options save takes
  T.truthy(doc.text(plot.save):find("{width, height, font}", 1, true), "save's help")
end)

T.case("plot-3.2 options are checked, naming the function and the option", function()
  T.raises(function() plot.line({1, 2}, {colour = "red"}) end,
           "plot.line: unknown option 'colour' (known: title,")
  T.raises(function() plot.roc(Y, S, {nme = "x"}) end, "plot.roc: unknown option 'nme'")
  T.raises(function() plot.line({1, 2}, {legend = "middle"}) end, "plot.line: legend must be")
  T.raises(function() plot.line({1, 2}, {width = 10, path = dir .. "/w.png"}) end,
           "plot.line: width and height must be whole pixels")
  T.raises(function() plot.line({3, 4, 5}, {x = {1, 2}}) end,
           "plot.line: x has 2 values but y has 3")
  T.raises(function() plot.hist({0 / 0}) end, "plot.hist: x has no finite value")
  T.raises(function() plot.term("nosuchterm") end, "plot.term: 'nosuchterm' is not a terminal")
  -- a file in a missing folder: the error names the path
  T.raises(function() plot.line({1, 2}, {path = dir .. "/no/such/dir/x.png"}) end,
           "no/such/dir/x.png")
end)

T.case("plot-3.3 files go through fresh temporary files, none left behind", function()
  local d = dir .. "/tmpfiles"
  os.execute("mkdir -p '" .. d .. "'")
  local function leftovers()
    local f = io.popen("ls -A '" .. d .. "'")
    local names = f:read("a")
    f:close()
    return names:match("%.moneta%-plot%-[^\n]*")
  end
  plot.line({1, 2}, {path = d .. "/ok.png"})
  T.eq({png_size(d .. "/ok.png")}, {800, 500})
  -- gnuplot refuses the plot: its temporary file goes too
  T.raises(function() plot.line({1, 2}, {path = d .. "/bad.png", xrange = {1, 1}}) end,
           "empty x range! (writing " .. d .. "/bad.png)")
  T.truthy(not exists(d .. "/bad.png"), "no bad.png")
  T.eq(leftovers(), nil, "temporary files left in " .. d)
end)

-- ---- injection: text is drawn, never run -------------------------------------------------

local ATTACKS = {
  "`touch " .. dir .. "/PWN1`",
  'system("touch ' .. dir .. '/PWN2")',
  "'; system \"touch " .. dir .. "/PWN3\"; '",
  "x\n!touch " .. dir .. "/PWN4\n",
  "''`touch " .. dir .. "/PWN5`'",
  "\"`touch " .. dir .. "/PWN6`\" @m ^{x}_y &amp",
}

local function no_pwn()
  for i = 1, 7 do T.truthy(not exists(dir .. "/PWN" .. i), "PWN" .. i .. " was not created") end
end

T.case("plot-4.1 titles, labels and legend text come out literally", function()
  for i, a in ipairs(ATTACKS) do
    local svg = dir .. "/inj" .. i .. ".svg"
    plot.line({{1, 2, 3}}, {x = {1, 2, 3}, title = a, xlabel = a, ylabel = a, names = {a},
                            path = svg})
    local s = slurp(svg)
    local literal = xml((a:gsub("[\n]", " ")))
    has(s, literal, "inj" .. i .. ".svg")
  end
  no_pwn()
end)

T.case("plot-4.2 a file name with quotes, backquotes and a pipe is just a file name", function()
  local names = {
    "it's `touch PWN7` \"x\".svg",
    "|touch PWN7.svg",
    "''.svg",
  }
  for _, n in ipairs(names) do
    local p = dir .. "/" .. n
    plot.line({1, 2}, {path = p, width = 200, height = 100})
    svg_of(p, 200, 100)
  end
  -- a relative name starting with '|' (gnuplot's pipe syntax) stays a file here
  local cwd = os.getenv("PWD") or "."
  local rel = "|touch PWN8|.svg"
  local ok, err = pcall(plot.line, {1, 2}, {path = rel, width = 200, height = 100})
  T.truthy(ok, tostring(err))
  T.truthy(exists(rel), "relative '|' name is a file")
  svg_of(rel, 200, 100)
  os.remove(rel)
  T.truthy(not exists(cwd .. "/PWN8") and not exists("PWN7"), "no PWN7, PWN8")
  no_pwn()
end)

T.case("plot-4.3 data values equal to a block's end marker or to EOD are drawn as text", function()
  -- category names (tick labels) and a frame column named like an end marker
  local cats = {"EOD", "MNEOD0000000000000000", "e'o\"d", "`touch " .. dir .. "/PWN1`"}
  local s = both("inj_cats", function(o) o.x = cats; return plot.line({4, 3, 2, 1}, o) end,
                 640, 400)
  has(s, ">EOD<"); has(s, "MNEOD0000000000000000"); has(s, xml("e'o\"d"))
  local f = moneta.frame{EOD = {1, 2, 3}, MNEOD0000000000000000 = {3, 1, 2}}
  s = both("inj_heat", function(o) return plot.heatmap(f, o) end, 400, 400)
  has(s, ">EOD<"); has(s, ">MNEOD0000000000000000<")
  no_pwn()
end)

T.case("plot-5.1 without a path: the dumb terminal, read back in order", function()
  local out = {}
  local saved = plot._write
  plot._write = function(s) out[#out + 1] = s end
  local prev = plot.term()
  plot.term("dumb")
  local ok, err = pcall(plot.line, {1, 3, 2}, {title = "in the terminal"})
  plot._write = saved
  plot.term(prev)
  T.truthy(ok, tostring(err))
  local text = table.concat(out)
  T.truthy(text:find("in the terminal", 1, true), "dumb output has the title")
  -- ANSI colour only when stdout is a terminal and NO_COLOR is unset (under ctest it is not a
  -- terminal, so no escape codes)
  local colour = require("moneta.c.core").isatty(1) and (os.getenv("NO_COLOR") or "") == ""
  T.eq(text:find("\27%[") ~= nil, colour, "escape codes exactly when stdout is a colour terminal")
end)

T.case("plot-5.3 sixel output is one DCS sixel image of the requested size", function()
  local set = {}
  for _, t in ipairs(plot.terminals()) do set[t] = true end
  if not set.sixelgd then T.skip("this gnuplot has no sixelgd terminal (built without libgd)") end
  local out = {}
  local saved = plot._write
  plot._write = function(s) out[#out + 1] = s end
  local prev = plot.term()
  plot.term("sixel")
  local ok, err = pcall(plot.line, {1, 3, 2}, {title = "sixel", width = 320, height = 200})
  plot._write = saved
  plot.term(prev)
  T.truthy(ok, tostring(err))
  local s = table.concat(out)
  -- DEC sixel: ESC P <params> q, then the raster attributes "Pan;Pad;Ph;Pv (VT330/340
  -- manual), then pixel data, closed by ST (ESC \)
  local i = s:find("\27P[%d;]*q")
  T.truthy(i, "a DCS sixel introducer")
  local w, h = s:match('"%d+;%d+;(%d+);(%d+)', i)
  T.eq(tonumber(w), 320)
  T.eq(tonumber(h), 200)
  T.truthy(s:find("\27\\", i, true), "the image is terminated")
end)

T.case("plot-5.2 gnuplot killed between plots is restarted; raw commands", function()
  plot.line({1, 2}, {path = dir .. "/before.png"})
  local pid = require("moneta.c.plot").pid()
  T.truthy(pid, "gnuplot runs")
  os.execute("kill -9 " .. pid)
  plot.line({1, 2}, {path = dir .. "/after.png"})
  T.eq({png_size(dir .. "/after.png")}, {800, 500})
  T.eq(plot.gnuplot("print 6*7"), "42\n")
  T.raises(function() plot.gnuplot("set foo") end, "gnuplot: unrecognized option")
  plot.close()
  T.eq(require("moneta.c.plot").pid(), nil)
end)

T.case("plot-6.1 fit{plot = {path}} draws the loss each epoch and at the end", function()
  local nn = moneta.nn
  local X
  local xs, ys = {}, {}
  for i = 1, 64 do xs[i] = {i / 64, (i % 5) / 5}; ys[i] = {(i / 64) * 2 + 1} end
  X = moneta.tensor.from and moneta.tensor.from(xs) or moneta.frame{a = (function()
    local t = {} for i = 1, 64 do t[i] = xs[i][1] end return t end)(), b = (function()
    local t = {} for i = 1, 64 do t[i] = xs[i][2] end return t end)()}
  local y = {}
  for i = 1, 64 do y[i] = ys[i][1] end
  local net = nn.sequential{nn.dense(1)}
  local p = dir .. "/live.svg"
  local quiet = moneta.progress.quiet
  moneta.progress.quiet = true
  local h = net:fit(X, y, {epochs = 3, batch = 16, seed = 1, validation = 0.25,
                           plot = {path = p, title = "live loss", width = 500, height = 300}})
  moneta.progress.quiet = quiet
  T.eq(#h.loss, 3)
  local s = svg_of(p, 500, 300)
  has(s, "live loss"); has(s, "val_loss")
  T.raises(function() net:fit(X, y, {epochs = 1, plot = {colour = 1}}) end,
           "plot.loss: unknown option 'colour'")
  T.raises(function() net:fit(X, y, {epochs = 1, plot = 3}) end, "plot must be true or a table")
end)

T.case("plot-8.1 long lines are thinned in C (M4) and drawn at the requested size", function()
  -- which points M4 keeps is tested in C (tests/unit/test_plot_downsample.c); here: a long
  -- column, a tensor and a table each reach gnuplot, and a missing value still breaks the line
  local n, x, y = 100000, {}, {}
  for i = 1, n do x[i] = i; y[i] = (i % 97) / 97 end
  y[50001] = 0 / 0
  local p = dir .. "/m4.png"
  moneta.plot.line(y, {x = x, path = p, width = 400, height = 300})
  T.eq(select(2, png_size(p)), 300)
  local f = moneta.frame{y = y}
  moneta.plot.line(f:col("y"), {path = p, width = 400, height = 300})
  T.eq(select(2, png_size(p)), 300)
  moneta.plot.line(f, {path = p, width = 400, height = 300})
  T.eq(select(2, png_size(p)), 300)
end)

T.case("plot-8.2 line and scatter: data first, options last, never guessed", function()
  -- the old plot.line(x, y [, opts]) is refused with the way to say it now
  T.raises(function() plot.line({1, 2}, {3, 4}) end,
           "plot.line: options must be the last argument, a table with string keys, got a list")
  T.raises(function() plot.line({1, 2}, {3, 4}, {}) end,
           "give x as an option, plot.line(y, {x = x})")
  local f = moneta.frame{a = {1, 2, 3}, b = {2, 1, 3}}
  T.raises(function() plot.line({1, 2}, f:col("a")) end, "got a column")
  T.raises(function() plot.line({1, 2}, {y = "a"}) end, "y is an option of the frame form only")
  T.raises(function() plot.line(f, {x = f:col("a")}) end, "with a frame, x is a column name")
  -- a map of series is data (first argument), so its names are never taken for options
  local p = dir .. "/map.svg"
  plot.line({title = {1, 2, 3}, path = {3, 2, 1}}, {path = p, width = 300, height = 200})
  local s = svg_of(p, 300, 200)
  has(s, ">title<"); has(s, ">path<")
  -- scatter: (x, y [, opts]) or (frame, {x =, y =})
  T.raises(function() plot.scatter({1, 2}, {fit = true}) end, "plot.scatter: y is missing")
  T.raises(function() plot.scatter({1, 2}, {2, 1}, {3, 4}) end,
           "plot.scatter: options must be the last argument")
  T.raises(function() plot.scatter({1, 2}, {2, 1}, {x = "a"}) end,
           "x and y name columns in the frame form only")
  T.raises(function() plot.scatter(f, {x = "a", y = "zz"}) end, "no column 'zz' in the frame")
  T.raises(function() plot.scatter(f, {x = "a", y = "b"}, {}) end,
           "with a frame, takes the frame and one options table")
  T.raises(function() plot.scatter({1, 1}, {2, 3}, {fit = true}) end,
           "plot.scatter: fit: x is constant")
  p = dir .. "/scatter_frame.svg"
  plot.scatter(f, {x = "a", y = "b", fit = true, path = p, width = 300, height = 200})
  -- a on b: deviations (-1, 0, 1) and (0, -1, 1): sxy = 1, sxx = 2, syy = 2: slope .5,
  -- intercept 2 - .5 * 2 = 1, R² = 1 / 4
  has(svg_of(p, 300, 200), "fit: y = 1 + 0.5 x  (R² = 0.250)")
end)

T.case("plot-7.1 a missing gnuplot gives an install hint", function()
  local bin = arg[-1] or "moneta"
  local cmd = "MONETA_GNUPLOT=/nonexistent/gnuplot '" .. bin .. "' -e " ..
    "\"print(select(2, pcall(require('moneta').plot.line, {1, 2}, {path = '/tmp/x.png'})))\" 2>&1"
  local f = io.popen(cmd)
  local out = f:read("a")
  f:close()
  T.truthy(out:find("gnuplot is not installed", 1, true) and out:find("apt-get install gnuplot", 1, true),
           out)
end)

T.done()
