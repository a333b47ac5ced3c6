-- scripts/explore_credit.lua: open the data explorer on the bundled credit data, the columns
-- of most interest first, sorted by income (largest first). Keys: ? lists them, q returns.
--   moneta scripts/explore_credit.lua
-- Without a terminal (output piped or redirected) it says so and prints a summary instead.
local m = require "moneta"
local core = require "moneta.c.core"

local df = m.read_csv(m.dataset("credit.csv.gz"))

if not (core.isatty(0) and core.isatty(1)) then
  print("explore_credit: the explorer needs a terminal (stdin and stdout are not both one); " ..
        "run it from a terminal: moneta scripts/explore_credit.lua. A summary instead:")
  print(("credit.csv.gz: %d rows x %d columns"):format(df:nrows(), df:ncols()))
  print(df:describe())
  os.exit(0)
end

m.dash.explore(df, {sort = "income", desc = true, column = "income", title = "credit"})
print(("back from the explorer: %d rows x %d columns"):format(df:nrows(), df:ncols()))
