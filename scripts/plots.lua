-- scripts/plots.lua: every kind of plot on the bundled datasets, written as PNG files.
--   moneta scripts/plots.lua [outdir]        (default outdir: plots/)
-- Prices: a close with its 50-day average, an equity curve against an equal-weight basket,
-- the return distribution, ACF/PACF of returns and squared returns, a correlation heatmap,
-- a scatter with its fitted line and a naive random-walk forecast. Credit: a small network's
-- loss curves, and ROC / PR curves of the network against a one-feature score.
local m = require "moneta"
local plot = m.plot
local out = arg and arg[1] or "plots"
os.execute("mkdir -p '" .. out:gsub("'", "'\\''") .. "'")
local function path(name) return out .. "/" .. name end
local function done(p) print("wrote " .. p) end

-- ---- prices -------------------------------------------------------------------------------
local px = m.read_csv(m.dataset("prices.csv.gz"))
local function ticker(t) return px:filter(px:col("ticker"):eq(t)):sort("date") end
local function returns(col)
  local r = {0 / 0}
  for i = 2, #col do r[i] = col[i] / col[i - 1] - 1 end
  return r
end

local acme = ticker("ACME")
local close = acme:col("close")
local sma = {}
for i = 1, #close do
  if i < 50 then sma[i] = 0 / 0 else
    local s = 0
    for j = i - 49, i do s = s + close[j] end
    sma[i] = s / 50
  end
end
acme = acme:add("sma50", sma)
done(plot.line(acme, {x = "date", y = {"close", "sma50"}, title = "ACME close and 50-day average",
                      ylabel = "price", path = path("line_acme.png")}))

local tickers = {"ACME", "BNKR", "BYTE", "CRDT", "FOOD", "GRID", "INSR", "PETR", "QBIT", "SHOP"}
local rets, cols = {}, {}
for _, t in ipairs(tickers) do
  rets[t] = returns(ticker(t):col("close"))
  cols[#cols + 1] = {t, rets[t]}
end
local basket = {}
for i = 1, #rets.ACME do
  local s = 0
  for _, t in ipairs(tickers) do s = s + (rets[t][i] == rets[t][i] and rets[t][i] or 0) end
  basket[i] = s / #tickers
end
done(plot.equity(rets.ACME, {x = acme:col("date"), bench = basket, name = "ACME buy and hold",
                             title = "ACME against an equal-weight basket",
                             path = path("equity_acme.png")}))

done(plot.hist(rets.ACME, {bins = 60, density = true, kde = true, title = "ACME daily returns",
                           xlabel = "return", path = path("hist_returns.png")}))
done(plot.density({ACME = rets.ACME, PETR = rets.PETR, QBIT = rets.QBIT},
                  {title = "daily return densities", xlabel = "return",
                   path = path("density_returns.png")}))

local sq = {}
for i, r in ipairs(rets.ACME) do sq[i] = r * r end
done(plot.acf({m.ts.acf(rets.ACME, {lags = 30}), m.ts.pacf(rets.ACME, {lags = 30})},
              {title = "ACME returns", path = path("acf_returns.png")}))
done(plot.acf(sq, {title = "ACME squared returns (volatility clustering)",
                   path = path("acf_squared.png")}))

done(plot.heatmap(m.frame(cols), {title = "correlation of daily returns",
                                  path = path("heatmap_returns.png")}))
done(plot.scatter(rets.BNKR, rets.INSR, {fit = true, xlabel = "BNKR return",
                                         ylabel = "INSR return", title = "BNKR against INSR",
                                         path = path("scatter_fit.png")}))

-- a random-walk forecast of the last 60 days from the 250 before them, 95% interval
local n, h = #close, 60
local hist_x, hist_y, fx, mean, lo, hi = {}, {}, {}, {}, {}, {}
local dates = acme:col("date"):values()
local lr = {}
for i = n - h - 249, n - h do lr[#lr + 1] = math.log(close[i] / close[i - 1]) end
local mu, s2 = 0, 0
for _, v in ipairs(lr) do mu = mu + v end
mu = mu / #lr
for _, v in ipairs(lr) do s2 = s2 + (v - mu) ^ 2 end
local sigma = math.sqrt(s2 / (#lr - 1))
for i = n - h - 120, n do hist_x[#hist_x + 1] = dates[i]; hist_y[#hist_y + 1] = close[i] end
local last = close[n - h]
for k = 1, h do
  fx[k] = dates[n - h + k]
  mean[k] = last * math.exp(mu * k)
  lo[k] = last * math.exp(mu * k - 1.96 * sigma * math.sqrt(k))
  hi[k] = last * math.exp(mu * k + 1.96 * sigma * math.sqrt(k))
end
done(plot.forecast(hist_y, {mean = mean, lower = lo, upper = hi},
                   {x = hist_x, fx = fx, level = 0.95, title = "ACME: random walk with drift",
                    ylabel = "close", path = path("forecast_acme.png")}))

-- ---- credit -------------------------------------------------------------------------------
local df = m.read_csv(m.dataset("credit.csv.gz"))
df = df:dedupe():fillna{income = "median"}
local train, test = df:split{test = 0.2, stratify = "default", seed = 7}
local prep = m.prep.pipeline{m.prep.impute{strategy = "median"}, m.prep.standard{},
                             m.prep.onehot{}}
local drop = {"default", "id", "application_date"}
local Xtr = prep:fit_transform(train:drop(drop))
local Xte = prep:transform(test:drop(drop))
local net = m.nn.sequential{m.nn.dense(32), m.nn.relu(), m.nn.dense(1)}
m.progress.quiet = true
local hist = net:fit(Xtr, train:col("default"), {
  loss = "bce", optimizer = m.optim.adam{lr = 1e-3}, epochs = 15, batch = 256, seed = 7,
  validation = 0.2, plot = {path = path("loss_live.png"), title = "credit MLP (live)"}})
m.progress.quiet = false
done(plot.loss(hist, {title = "credit MLP: binary cross-entropy", path = path("loss_mlp.png")}))
local p = net:predict_proba(Xte)
local y = test:col("default")
local rate = test:col("interest_rate")
done(plot.roc(y, {MLP = p, ["interest rate"] = rate}, {path = path("roc_credit.png")}))
done(plot.pr(y, {MLP = p, ["interest rate"] = rate}, {path = path("pr_credit.png")}))
