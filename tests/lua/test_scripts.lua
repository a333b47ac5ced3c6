-- tests/lua/test_scripts.lua: the experiment scripts in scripts/ run to the end on the bundled
-- data and write what they say (each capability lands with one; a script that broke when an
-- API moved would otherwise go unnoticed).
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local bin = arg[-1]
local tmp = T.tmpdir()

local function run(script, args)
  local out = tmp .. "/script.out"
  local ok, how, code = os.execute(string.format("%s %s %s > %s 2>&1", bin, script, args, out))
  local f = io.open(out); local s = f:read("a"); f:close()
  return (how == "exit") and code or -1, s
end

T.case("scripts-1.1 features.lua: feature set, windows, IV, PSI and the heatmap file", function()
  if os.execute("command -v gnuplot > /dev/null 2>&1") ~= true then
    return T.skip("gnuplot is not installed (the script writes a heatmap)")
  end
  local code, out = run("scripts/features.lua", tmp)
  T.eq(code, 0, out)
  -- 26,070 price rows; 7 columns read, 8 one-column entries, macd 3 and bollinger 4: 22
  T.truthy(out:find("prices: 26070 rows x 22 columns", 1, true), out)
  T.truthy(out:find("windows: X %d+x30x3, y %d+x1"), out)
  T.truthy(out:find("information value (IV < 0.02 useless", 1, true), out)
  T.truthy(out:find("PSI, applications of 2021", 1, true), out)
  local f = io.open(tmp .. "/credit_corr.png", "rb")
  T.truthy(f and f:read(8) == "\137PNG\r\n\26\n", "credit_corr.png is a PNG")
  if f then f:close() end
end)

T.case("scripts-1.2 regression.lua: the OLS table with HC3 errors on the credit data", function()
  local code, out = run("scripts/regression.lua", "")
  T.eq(code, 0, out)
  T.truthy(out:find("OLS Regression Results", 1, true), out)
  T.truthy(out:find("Covariance Type:%s+HC3"), out)
  -- statsmodels on the same 8331 rows: OLS(...).fit(cov_type='HC3').bse[utilization] 0.09379
  T.truthy(out:find("utilization%s+5%.2209%s+0%.0938"), out)
end)

T.done()
