-- tests/e2e/explore.lua: opens the data explorer on the bundled credit data, on the income
-- column sorted down, for dash_explore_golden.sh (run with --frames N: the explorer quits by
-- itself after N frames and prints the last one).
local m = require "moneta"
local df = m.read_csv(m.dataset("credit.csv.gz"))
m.dash.explore(df, {column = "income", sort = "income", desc = true})
print("explore returned")
