-- scripts/explore_prices.lua: a first look at the bundled daily prices with frame operations:
-- describe, filter, sort, group-by, an as-of join against a weekly calendar, daily returns by
-- column arithmetic, and a round trip through SQLite and CSV.
--   moneta scripts/explore_prices.lua [outdir]
local m = require "moneta"
local out = arg[1] or os.getenv("TMPDIR") or "/tmp"

local px = m.read_csv(m.dataset("prices.csv.gz"))
print(("%d rows, tickers %s"):format(px:nrows(), #px:col("ticker"):unique()))
print(px:describe())

-- ACME, newest first
local acme = px:filter(px:col("ticker"):eq("ACME")):sort("date", {desc = true})
print(acme:head(5))

-- daily simple returns by column arithmetic (oldest first): r_t = close_t / close_{t-1} - 1
acme = acme:sort("date")
local close = acme:col("close")
local lag = {0 / 0}
for i = 1, #close - 1 do lag[i + 1] = close[i] end
acme = acme:add("prev_close", lag)
acme = acme:add("ret", acme:col("close") / acme:col("prev_close") - 1)
print(("ACME: mean daily return %.5f, sd %.5f, worst %.4f, best %.4f"):format(
  acme:col("ret"):mean(), acme:col("ret"):std(), acme:col("ret"):min(), acme:col("ret"):max()))

-- per-ticker summary
print(px:groupby("ticker"):agg{close = {"first", "last", "min", "max"}, volume = "mean"})

-- as-of join: the last known ACME close on each Friday-ish weekly date (every 5th trading day)
local dates = acme:col("date"):values()
local weekly = {}
for i = 5, #dates, 5 do weekly[#weekly + 1] = dates[i] end
local cal = m.read_csv_string("date\n" .. table.concat(weekly, "\n") .. "\n")
local wk = cal:join(acme:select{"date", "close"}, "date", {how = "asof"})
print(wk:tail(3))

-- round trips: SQLite and CSV give back the same frame
local db = out .. "/moneta_prices.db"
os.remove(db)
acme:select{"date", "ticker", "close", "volume"}:to_sql(db, "acme", {mode = "replace"})
local back = m.read_sql(db, "select * from acme where close > ? order by date", {150})
print(("SQLite: %d days with ACME above 150"):format(back:nrows()))
acme:to_csv(out .. "/acme.csv")
print(("CSV: wrote %s (%d rows)"):format(out .. "/acme.csv", m.read_csv(out .. "/acme.csv"):nrows()))
