-- test_clean.lua: the cleaning methods of frames through the public Lua names; expected values
-- are worked by hand in the comments.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"
local NaN = 0/0

local function vals(f, name) return f:col(name):values() end

T.case("clean-1.1 dropna any, all and subset", function()
  local f = m.frame{{"a", {1, NaN, 3, NaN}}, {"b", {10, 20, NaN, NaN}}}
  T.eq(f:dropna():nrows(), 1)
  T.eq(f:dropna{how = "all"}:nrows(), 3)
  T.eq(vals(f:dropna{subset = {"a"}}, "a"), {1, 3})
  T.eq(vals(f:dropna{subset = "b"}, "b"), {10, 20})
  T.raises(function() f:dropna{how = "some"} end, "how must be 'any' or 'all'")
  T.raises(function() f:dropna{subst = {"a"}} end, "unknown option 'subst'")
  T.raises(function() f:dropna{subset = {"zz"}} end, "no column 'zz'")
end)

T.case("clean-2.1 fillna constants and statistics", function()
  local f = m.frame{{"x", {1, NaN, 2, 10, NaN}}, {"s", {"b", nil, "a", "b", "a"}},
                    {"ok", {true, nil, false, true, true}}}
  -- mean of 1, 2, 10 = 13/3; median = 2; mode of s (a, b twice each) = "a" (byte order)
  local g = f:fillna{x = "mean", s = "mode", ok = "mode"}
  T.near(vals(g, "x")[2], 13 / 3, 1e-15)
  T.eq(vals(g, "s")[2], "a")
  T.eq(vals(g, "ok")[2], true)
  T.eq(vals(f:fillna{x = "median"}, "x"), {1, 2, 2, 10, 2})
  T.eq(vals(f:fillna{x = 0, s = "none", ok = false}, "s"), {"b", "none", "a", "b", "a"})
  T.eq(vals(f:fillna{x = 0, ok = false}, "ok")[2], false)
  T.eq(vals(f:fillna(-1), "x"), {1, -1, 2, 10, -1})            -- every f64 column
  T.eq(vals(f:fillna{s = {value = "mean"}}, "s")[2], "mean")   -- forced constant
  T.raises(function() f:fillna{s = "median"} end, "column 's' is cat; 'median' needs f64")
  T.raises(function() f:fillna{x = "often"} end, "column 'x': 'often' is not a method")
  T.raises(function() f:fillna{zz = 1} end, "no column 'zz'")
end)

T.case("clean-2.2 fillna ffill and bfill", function()
  local f = m.frame{x = {NaN, 1, NaN, NaN, 4, NaN}}
  T.eq(vals(f:fillna{x = "ffill"}, "x"), {NaN, 1, 1, 1, 4, 4})
  T.eq(vals(f:fillna{x = "bfill"}, "x"), {1, 1, 4, 4, 4, NaN})
end)

T.case("clean-2.3 fillna interpolate linear in time over uneven dates", function()
  -- days 0, 1, 4, 10 with 10, NaN, NaN, 40: day 1 -> 10 + 30 * 1/10 = 13, day 4 -> 10 + 30 *
  -- 4/10 = 22; by row position the same gap gives 20 and 30
  local day = {0, 1, 4, 10}
  local f = m.frame{{"t", day}, {"x", {10, NaN, NaN, 40}}}:cast{t = "f64"}
  local g = f:fillna({x = "interpolate"}, {by = "t"})
  T.near(vals(g, "x")[2], 13, 1e-12)
  T.near(vals(g, "x")[3], 22, 1e-12)
  local h = f:fillna{x = "interpolate", by = "t"}                 -- the one-table form
  T.near(vals(h, "x")[3], 22, 1e-12)
  local r = f:fillna{x = "interpolate"}
  T.eq(vals(r, "x"), {10, 20, 30, 40})
  -- a real date column: 2024-01-01, 01-02, 01-05, 01-11 (0, 1, 4, 10 days)
  local d = m.frame{{"date", {"2024-01-01", "2024-01-02", "2024-01-05", "2024-01-11"}},
                    {"x", {10, NaN, NaN, 40}}}:cast{date = "date"}
  local dg = d:fillna({x = "interpolate"}, {by = "date"})
  T.near(vals(dg, "x")[2], 13, 1e-12)
  T.near(vals(dg, "x")[3], 22, 1e-12)
  T.raises(function() d:fillna({x = "interpolate"}, {by = "zz"}) end, "no column 'zz'")
end)

T.case("clean-3.1 dedupe keep first, last and none", function()
  -- rows (1,a) (NaN,b) (1,a) (NaN,b) (2,a): NaN equals NaN for dedupe, as in pandas
  local f = m.frame{{"x", {1, NaN, 1, NaN, 2}}, {"s", {"a", "b", "a", "b", "a"}},
                    {"id", {1, 2, 3, 4, 5}}}
  local sub = {"x", "s"}
  T.eq(vals(f:dedupe{subset = sub}, "id"), {1, 2, 5})
  T.eq(vals(f:dedupe{subset = sub, keep = "last"}, "id"), {3, 4, 5})
  T.eq(vals(f:dedupe{subset = sub, keep = false}, "id"), {5})
  T.eq(f:dedupe():nrows(), 5)
  T.eq(f:select{"x", "s"}:dedupe():nrows(), 3)
  T.raises(function() f:dedupe{keep = "middle"} end, "keep must be")
end)

T.case("clean-4.1 clip by bounds and by quantiles", function()
  local f = m.frame{x = {-5, 0, 5, NaN, 50}}
  T.eq(vals(f:clip{x = {0, 10}}, "x"), {0, 0, 5, NaN, 10})
  T.eq(vals(f:clip{x = {lo = 1}}, "x"), {1, 1, 5, NaN, 50})
  T.eq(vals(f:clip{x = {nil, 4}}, "x"), {-5, 0, 4, NaN, 4})
  -- sorted -5 0 5 50: q 0.1 -> -5 + 0.3*5 = -3.5; q 0.9 -> 5 + 0.7*45 = 36.5
  local q = vals(f:clip{x = {q = {0.1, 0.9}}}, "x")
  T.near(q[1], -3.5, 1e-12)
  T.near(q[5], 36.5, 1e-12)
  T.raises(function() f:clip{x = {3, 1}} end, "lo <= hi")
  T.raises(function() m.frame{s = {"a"}}:clip{s = {0, 1}} end, "column 's' is cat, not f64")
end)

T.case("clean-4.2 winsorize bounds", function()
  -- 1..10 and a NaN, limits 0.1/0.2 on m = 10: 1 smallest -> 2, 2 largest -> 8
  local f = m.frame{x = {10, 1, 2, 3, NaN, 4, 5, 6, 7, 8, 9}}
  T.eq(vals(f:winsorize("x", {limits = {0.1, 0.2}}), "x"), {8, 2, 2, 3, NaN, 4, 5, 6, 7, 8, 8})
  T.eq(vals(f:winsorize{limits = {0.1, 0.2}}, "x"), {8, 2, 2, 3, NaN, 4, 5, 6, 7, 8, 8})
  T.eq(vals(f:winsorize(), "x"), vals(f, "x"))      -- 0.01 * 10 rounds down to 0 values
  T.raises(function() f:winsorize("x", {limits = {0.6, 0.5}}) end, "limits")
end)

T.case("clean-5.1 outliers by z-score and IQR", function()
  -- 1 2 3 4 100: mean 22, population sd sqrt(7610/5) = 39.01; k = 1.5 -> |x - 22| > 58.5
  -- flags 100 only; quartiles 2 and 4, IQR 2, k = 1.5 -> outside [-1, 7]: 100
  local f = m.frame{x = {1, 2, 3, 4, 100, NaN}}
  local z = f:outliers("x", {method = "zscore", k = 1.5})
  T.eq(z:values(), {false, false, false, false, true, nil})
  T.eq(z:name(), "x_outlier")
  T.eq(f:outliers("x"):values()[5], false)          -- k = 3: 117.04 > 78
  T.eq(f:outliers("x", {method = "iqr"}):values(), {false, false, false, false, true, nil})
  T.eq(f:add("flag", z):types().flag, "bool")
  T.raises(function() f:outliers("x", {method = "mad"}) end, "method must be")
end)

T.case("clean-6.1 cast between types with clear errors", function()
  local f = m.frame{{"s", {"1.5", "NA", "2e3"}}, {"b", {"yes", "F", "1"}}, {"x", {1, 0, 2.5}}}
  T.eq(vals(f:cast{s = "f64"}, "s"), {1.5, NaN, 2000})
  T.eq(vals(f:cast{b = "bool"}, "b"), {true, false, true})
  T.eq(vals(f:cast{x = "cat"}, "x"), {"1", "0", "2.5"})
  T.eq(f:cast{x = "text"}:types().x, "text")
  T.raises(function() f:cast{x = "bool"} end, "cast: column 'x' row 3: 2.5 is not 0 or 1")
  T.raises(function() f:cast{b = "f64"} end, "cast: column 'b' row 1: 'yes' is not a number")
  T.raises(function() f:cast{s = "date"} end, "column 's' row 1: '1.5' is not a date")
  T.raises(function() f:cast{x = "int"} end, "unknown type 'int'")
  -- numbers by read_csv's rule: hexadecimal is refused (strtod took "0x10" as 16)
  T.raises(function() m.frame{h = {"0x10"}}:cast{h = "f64"} end, "'0x10' is not a number")
  local d = m.frame{d = {"2024-01-02", "1970-01-01T12:00:00Z"}}
  T.eq(vals(d:cast{d = "datetime"}:cast{d = "f64"}, "d"), {19724, 0.5})
  -- read_csv's date parser: offsets apply (13:00+01:00 is 12:00 UTC), bad days are refused
  local o = m.frame{d = {"1970-01-01T13:00:00+01:00", "1970-01-02"}}
  T.eq(vals(o:cast{d = "datetime"}:cast{d = "f64"}, "d"), {0.5, 1})
  T.raises(function() m.frame{d = {"2023-02-29"}}:cast{d = "date"} end,
           "row 1: '2023-02-29' is not a date")
  T.raises(function() m.frame{d = {"2024-01-02T10:00"}}:cast{d = "date"} end,
           "is not a date")
end)

T.case("clean-7.1 missing report", function()
  local f = m.frame{{"x", {NaN, 1, NaN, 2}}, {"s", {"a", nil, "b", "c"}}}
  local r = f:missing()
  T.eq(r.x.missing, 2)
  T.eq(r.x.share, 0.5)
  T.eq(r[2].column, "s")
  T.eq(r.s.missing, 1)
  local text = tostring(r)
  T.truthy(text:find("column  type  missing    share", 1, true), "header")
  T.truthy(text:find("x       f64         2   50.00%", 1, true), "aligned row")
end)

T.done()
