-- test_frame.lua: frame operations through the public Lua names: describe, column statistics,
-- sort, filter, arithmetic and comparisons, joins (incl. as-of), group-by, errors, help.
-- Expected values are worked by hand in the comments.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"
local doc = require "moneta.doc"
local NA = 0 / 0

local function vals(c) return c:values() end

-- ---- describe and column statistics ----

T.case("frame-ops-1.1 describe: count, missing, mean, std, linear quantiles, top", function()
  -- x = {1, 2, 3, 4, 10} + one NaN: count 5, missing 1, mean 20/5 = 4,
  -- std = sqrt((9 + 4 + 1 + 0 + 36) / 4) = sqrt(12.5); h = 4p: 25% = x[1] = 2, 50% = 3,
  -- 75% = 4. g = {b, a, nil, b, b, a}: unique 2, top b, freq 3.
  local f = m.frame{{"x", {1, 2, 3, 4, 10, NA}}, {"g", {"b", "a", nil, "b", "b", "a"}}}
  local d = f:describe()
  T.eq(d:nrows(), 2)
  T.eq(d:col("column"):values(), {"x", "g"})
  T.eq(d:col("count")[1], 5)
  T.eq(d:col("missing")[1], 1)
  T.eq(d:col("mean")[1], 4)
  T.near(d:col("std")[1], math.sqrt(12.5), 1e-14)
  T.eq(d:col("min")[1], 1)
  T.eq(d:col("25%")[1], 2)
  T.eq(d:col("50%")[1], 3)
  T.eq(d:col("75%")[1], 4)
  T.eq(d:col("max")[1], 10)
  T.eq(d:col("unique")[2], 2)
  T.eq(d:col("top")[2], "b")
  T.eq(d:col("freq")[2], 3)
  T.eq(d:col("missing")[2], 1)
  T.truthy(d.frame and d.frame:ncols() == 14, "d.frame is the exact summary frame")
end)

T.case("frame-ops-1.2 describe prints aligned, 6 digits, wrapped to the width", function()
  local f = m.frame{{"close", {1, 2, 4}}, {"ticker", {"A", "B", "A"}}}
  local s = tostring(f:describe())
  -- mean of {1, 2, 4} = 7/3 = 2.33333 with 6 significant digits
  T.truthy(s:find("2.33333", 1, true), "mean shown with 6 digits:\n" .. s)
  T.truthy(not s:find("2.3333333", 1, true), "no long digits")
  local lines = {}
  for line in s:gmatch("[^\n]+") do lines[#lines + 1] = line end
  T.truthy(lines[1]:find("^column"), "header first: " .. lines[1])
  -- every line of a block has the header's length (aligned)
  T.eq(#lines[2], #lines[1])
  T.eq(#lines[3], #lines[1])
  local narrow = m.pretty(f:describe(), 40)
  for line in narrow:gmatch("[^\n]+") do
    T.truthy(#line <= 40, "line fits 40 columns: " .. line)
  end
end)

T.case("frame-ops-1.3 column stats skip NaN", function()
  local c = m.frame{x = {1, 2, NA, 3, 4, 10}}:col("x")
  T.eq(c:count(), 5)
  T.eq(c:sum(), 20)
  T.eq(c:mean(), 4)
  T.near(c:std(), math.sqrt(12.5), 1e-14)
  T.eq(c:min(), 1)
  T.eq(c:max(), 10)
  T.eq(c:median(), 3)
  -- p = .1 -> h = .4 -> 1 + .4 * (2 - 1) = 1.4; p = .9 -> h = 3.6 -> 4 + .6 * 6 = 7.6
  T.near(c:quantile(0.1), 1.4, 1e-14)
  local q = c:quantile{0.25, 0.5, 0.75, 0.9}
  T.eq(q[1], 2); T.eq(q[2], 3); T.eq(q[3], 4); T.near(q[4], 7.6, 1e-14)
  T.raises(function() c:quantile(2) end, "outside [0, 1]")
  local g = m.frame{g = {"b", "a", "b", nil, "c"}}:col("g")
  T.raises(function() g:mean() end, "g:mean(): column is cat, not numeric")
  T.eq(g:count(), 4)
  T.eq(g:unique():values(), {"b", "a", "c"})
  local vc = g:value_counts()
  T.eq(vc:col("value"):values(), {"b", "a", "c"})
  T.eq(vc:col("count"):values(), {2, 1, 1})
end)

-- ---- sort ----

T.case("frame-ops-2.1 sort is stable with ties and puts missing last", function()
  -- x = {2, NA, 1, 2, 1}, id 1..5; ascending: 1 (id 3), 1 (5), 2 (1), 2 (4), NA (2)
  local f = m.frame{{"x", {2, NA, 1, 2, 1}}, {"id", {1, 2, 3, 4, 5}}}
  T.eq(vals(f:sort("x"):col("id")), {3, 5, 1, 4, 2})
  -- descending: 2 (1), 2 (4), 1 (3), 1 (5), NA (2): ties keep their order, NA still last
  T.eq(vals(f:sort("x", {desc = true}):col("id")), {1, 4, 3, 5, 2})
  T.eq(vals(f:sort{{"x", desc = true}}:col("id")), {1, 4, 3, 5, 2})
end)

T.case("frame-ops-2.2 multi-key sort, cat by level text, bool and text keys", function()
  -- g first seen b, a, c (codes 0, 1, 2) but sorts a < b < c by text.
  -- by g, then x descending: a: ids 2 (x 2), 4 (x 1); b: ids 3 (x 3), 1 (x 1); c: 5
  local f = m.frame{{"g", {"b", "a", "b", "a", "c"}}, {"x", {1, 2, 3, 1, 0}},
                    {"id", {1, 2, 3, 4, 5}}}
  T.eq(vals(f:sort{"g", {"x", desc = true}}:col("id")), {2, 4, 3, 1, 5})
  T.eq(vals(f:sort{{"g", desc = true}, "x"}:col("id")), {5, 1, 3, 4, 2})
  -- bool: false < true, missing last
  local b = m.frame{{"b", {true, false, nil, true}}, {"id", {1, 2, 3, 4}}}
  T.eq(vals(b:sort("b"):col("id")), {2, 1, 4, 3})
  T.raises(function() f:sort("nope") end, "sort: no column 'nope'")
  T.raises(function() f:sort{} end, "no keys")
  T.raises(function() f:sort("x", {descending = true}) end, "unknown option 'descending'")
end)

-- ---- filter ----

T.case("frame-ops-3.1 filter by bool column, table of booleans, predicate", function()
  local f = m.frame{{"ticker", {"ACME", "BETA", "ACME", "GAMA"}}, {"close", {10, 20, NA, 40}}}
  local close = f:col("close")
  -- close > 15: {F, T, NA, T}; NA counts as false -> rows 2, 4
  T.eq(vals(f:filter(close:gt(15)):col("ticker")), {"BETA", "GAMA"})
  T.eq(vals(f:filter{true, false, true, false}:col("close"))[1], 10)
  T.eq(f:filter{true, false, true, false}:nrows(), 2)
  local acme = f:filter(function(row) return row.ticker == "ACME" end)
  T.eq(acme:nrows(), 2)
  -- the row table shows NaN for a missing f64 and is reused: fields are reset each row
  local seen = {}
  f:filter(function(row) seen[#seen + 1] = row.close ~= row.close; return false end)
  T.eq(seen, {false, false, true, false})
  T.raises(function() f:filter{true} end, "the table has 1 values, the frame 4 rows")
  T.raises(function() f:filter(close) end, "filter by 'close': filter: mask is f64, not bool")
  T.raises(function() f:filter(function(row) error("boom") end) end, "boom")
end)

-- ---- arithmetic, comparisons, logic ----

T.case("frame-ops-4.1 arithmetic with numbers and columns, NaN propagates", function()
  local f = m.frame{{"a", {1, NA, 3, -7, 7}}, {"b", {2, 2, 0, 3, -3}}}
  local a, b = f:col("a"), f:col("b")
  T.eq(vals(a + b), {3, NA, 3, -4, 4})
  T.eq(vals(a - 1), {0, NA, 2, -8, 6})
  T.eq(vals(10 - a), {9, NA, 7, 17, 3})
  T.eq(vals(a * b), {2, NA, 0, -21, -21})
  local q = vals(a / b)
  T.eq(q[1], 0.5); T.truthy(q[2] ~= q[2]); T.eq(q[3], math.huge)
  -- floored modulo like Lua: -7 % 3 = 2, 7 % -3 = -2; x % 0 is NaN
  local r = vals(a % b)
  T.eq(r[1], 1); T.truthy(r[3] ~= r[3]); T.eq(r[4], -7 % 3); T.eq(r[5], 7 % -3)
  T.eq(vals(a ^ 2), {1, NA, 9, 49, 49})
  T.eq(vals(a ^ 0)[2] ~= vals(a ^ 0)[2], true)        -- NaN ^ 0 stays missing
  T.eq(vals(-a), {-1, NA, -3, 7, -7})
  -- a bool column counts 0/1
  local bl = m.frame{t = {true, false}}:col("t")
  T.eq(vals(bl + 1), {2, 1})
  -- a new column can go into the frame
  T.eq(vals(f:add("c", a * 2):col("c")), {2, NA, 6, -14, 14})
end)

T.case("frame-ops-4.2 arithmetic errors name the columns", function()
  local f = m.frame{{"close", {1, 2, 3}}, {"ticker", {"A", "B", "C"}}}
  local g = m.frame{volume = {1, 2}}
  T.raises(function() return f:col("close") + g:col("volume") end,
           "close + volume: operands of + have 3 and 2 rows")
  T.raises(function() return f:col("close") * f:col("ticker") end,
           "close * ticker: right operand of * is cat, not numeric")
  T.raises(function() return f:col("ticker") - 1 end, "ticker - number: left operand")
  T.raises(function() return f:col("close") + "x" end, "a column combines with a number")
end)

T.case("frame-ops-4.3 comparisons give bool columns; logic is three-valued", function()
  local f = m.frame{{"x", {1, NA, 3, 3}}, {"g", {"a", "b", nil, "a"}},
                    {"ok", {true, false, nil, true}}}
  local x, g, ok = f:col("x"), f:col("g"), f:col("ok")
  -- missing in, missing out (nil in values())
  T.eq(vals(x:gt(2)), {false, nil, true, true})
  T.eq(vals(x:ge(3)), {false, nil, true, true})
  T.eq(vals(x:lt(2)), {true, nil, false, false})
  T.eq(vals(x:le(1)), {true, nil, false, false})
  T.eq(vals(x:eq(3)), {false, nil, true, true})
  T.eq(vals(x:ne(3)), {true, nil, false, false})
  T.eq(vals(g:eq("a")), {true, false, nil, true})
  T.eq(vals(g:ne("a")), {false, true, nil, false})
  T.eq(vals(x:gt(x)), {false, nil, false, false})
  T.eq(f:col("x"):gt(2):type(), "bool")
  -- Kleene: (x > 2) = {F, NA, T, T}, ok = {T, F, NA, T}
  -- and: F and T = F; NA and F = F; T and NA = NA; T and T = T
  T.eq(vals(x:gt(2):and_(ok)), {false, false, nil, true})
  -- or: F or T = T; NA or F = NA; T or NA = T; T or T = T
  T.eq(vals(x:gt(2):or_(ok)), {true, nil, true, true})
  T.eq(vals(ok:not_()), {false, true, nil, false})
  T.eq(vals(x:isna()), {false, true, false, false})
  T.eq(vals(g:notna()), {true, true, false, true})
  T.raises(function() g:gt(1) end, "g: gt: cannot compare a cat column with a number")
  T.raises(function() x:and_(ok) end, "x:and_(ok): left operand of and is f64, not bool")
  T.raises(function() x:gt({}) end, "x must be a number, string, boolean or column")
end)

-- ---- joins ----

T.case("frame-ops-4.4 date literals: read_csv's parser, offsets applied, bad days refused", function()
  local f = m.read_csv_string("t\n2024-01-31T00:00:00Z\n2024-01-31T00:30:00Z\n" ..
                              "2024-01-31T01:00:00Z\n", {quiet = true})
  local t = f:col("t")
  T.eq(t:type(), "datetime")
  -- 01:30 at +01:00 is 00:30 UTC: equal to row 2 only, later than row 1
  T.eq(vals(t:eq("2024-01-31T01:30:00+01:00")), {false, true, false})
  T.eq(vals(t:lt("2024-01-31T01:30+01:00")), {true, false, false})
  -- 23:00 the day before at -01:00 is 00:00 UTC on the 31st
  T.eq(vals(t:le("2024-01-30T23:00:00-01:00")), {true, false, false})
  -- February 30th is not a day (it used to mean March 1st)
  T.raises(function() t:lt("2024-02-30") end, "'2024-02-30' is not a date")
  T.raises(function() t:lt("2024-01-31T24:00") end, "is not a date")
end)

T.case("frame-ops-5.1 inner and left joins with duplicate and missing keys", function()
  -- left k = {a, b, nil, a, c}; right k = {b, a, a, nil, d} (other dictionary order)
  -- inner: a -> right rows 2, 3 (v 10, 11); b -> row 1 (20); nil never matches; a -> 10, 11
  local l = m.frame{{"k", {"a", "b", nil, "a", "c"}}, {"v", {1, 2, 3, 4, 5}}}
  local r = m.frame{{"k", {"b", "a", "a", nil, "d"}}, {"v", {20, 10, 11, 30, 40}}}
  local j = l:join(r, "k")
  T.eq(j:names(), {"k", "v", "v_right"})
  T.eq(vals(j:col("v")), {1, 1, 2, 4, 4})
  T.eq(vals(j:col("v_right")), {10, 11, 20, 10, 11})
  T.eq(vals(j:col("k")), {"a", "a", "b", "a", "a"})
  -- left keeps every left row in order, unmatched with NA
  local lj = l:join(r, "k", {how = "left", suffix = "_r"})
  T.eq(vals(lj:col("v")), {1, 1, 2, 3, 4, 4, 5})
  T.eq(vals(lj:col("v_r")), {10, 11, 20, NA, 10, 11, NA})
  -- several keys, right_on for other names
  local a = m.frame{{"t", {"x", "x", "y"}}, {"d", {1, 2, 1}}}
  local b = m.frame{{"tt", {"x", "y", "y"}}, {"dd", {2, 1, 2}}, {"w", {7, 8, 9}}}
  local ab = a:join(b, {"t", "d"}, {right_on = {"tt", "dd"}})
  T.eq(ab:names(), {"t", "d", "w"})
  T.eq(vals(ab:col("w")), {7, 8})
  T.raises(function() l:join(r, "nope") end, "join: left frame: no column 'nope'")
  T.raises(function() l:join(r, "k", {how = "outer"}) end, "how = 'outer'")
  T.raises(function() l:join(r, "v", {right_on = "k"}) end,
           "key 'v' is f64 on the left but cat on the right")
end)

T.case("frame-ops-5.2 as-of join: last right row at or before, within 'by'", function()
  -- A's quotes sorted by t: (0, 0) (2, 20) (4, 40) (4, 41); B's: (9, 90)
  -- backward: t 1 (A) -> 0; 5 (A) -> 41 (the later of the t = 4 tie); 10 (B) -> 90;
  --           3 (B) -> none
  local trades = m.frame{{"t", {1, 5, 10, 3}}, {"tk", {"A", "A", "B", "B"}}}
  local quotes = m.frame{{"t", {4, 2, 9, 0, 4}}, {"tk", {"A", "A", "B", "A", "A"}},
                         {"q", {40, 20, 90, 0, 41}}}
  local j = trades:join(quotes, "t", {how = "asof", by = "tk"})
  T.eq(j:names(), {"t", "tk", "q"})
  T.eq(vals(j:col("q")), {0, 41, 90, NA})
  T.eq(vals(j:col("t")), {1, 5, 10, 3})                 -- left order and count kept
  -- forward: 1 -> 2 (20); 5 -> none; 10 -> none; 3 (B) -> 9 (90)
  T.eq(vals(trades:join(quotes, "t", {how = "asof", by = "tk", direction = "forward"})
            :col("q")), {20, NA, NA, 90})
  -- nearest: 1 is 1 from both 0 and 2 -> backward wins (0); 3 (B) -> 90
  T.eq(vals(trades:join(quotes, "t", {how = "asof", by = "tk", direction = "nearest"})
            :col("q")), {0, 41, 90, 90})
  T.raises(function() trades:join(quotes, "t", {how = "asof", direction = "sideways"}) end,
           "direction 'sideways'")
  T.raises(function() trades:join(quotes, "tk", {how = "asof"}) end,
           "must be f64, date or datetime")
  T.raises(function() trades:join(quotes, "t", {by = "tk"}) end, "go with how = 'asof'")
end)

-- ---- group-by ----

T.case("frame-ops-6.1 groupby agg: order of first appearance, names, NaN skipped", function()
  -- g = {a, b, a, nil, b, a}, x = {1, 2, 3, 4, NaN, 5}, v = {10, 20, 30, 40, 50, 60}
  -- a: x 1 3 5 -> mean 3, std 2, max 5; v 10 30 60 -> sum 100
  -- b: x 2 (NaN skipped) -> mean 2, std NaN, max 2; v 20 50 -> sum 70
  -- nil (its own group): x 4 -> mean 4; v 40
  local f = m.frame{{"g", {"a", "b", "a", nil, "b", "a"}}, {"x", {1, 2, 3, 4, NA, 5}},
                    {"v", {10, 20, 30, 40, 50, 60}}}
  local r = f:groupby("g"):agg{x = {"mean", "std", "max"}, v = "sum"}
  T.eq(r:names(), {"g", "x_mean", "x_std", "x_max", "v"})
  T.eq(vals(r:col("g")), {"a", "b", nil})
  T.eq(vals(r:col("x_mean")), {3, 2, 4})
  T.near(r:col("x_std")[1], 2, 1e-14)
  T.truthy(r:col("x_std")[2] ~= r:col("x_std")[2], "std of one value is NaN")
  T.eq(vals(r:col("x_max")), {5, 2, 4})
  T.eq(vals(r:col("v")), {100, 70, 40})
  -- explicit list with names, size, first/last, count
  local s = f:groupby{"g"}:agg{{"x", "count"}, {"x", "first", as = "x0"}, {"x", "last"},
                               {"g", "count", as = "n"}}
  T.eq(s:names(), {"g", "x_count", "x0", "x_last", "n"})
  T.eq(vals(s:col("x_count")), {3, 1, 1})
  T.eq(vals(s:col("x0")), {1, 2, 4})
  T.eq(vals(s:col("x_last")), {5, 2, 4})
  T.eq(vals(s:col("n")), {3, 2, 0})
  T.eq(vals(f:groupby("g"):size():col("size")), {3, 2, 1})
  -- shortcuts over every numeric non-key column, keeping the names
  T.eq(f:groupby("g"):sum():names(), {"g", "x", "v"})
  T.eq(vals(f:groupby("g"):mean():col("v")), {100 / 3, 35, 40})
  -- sort = true sorts the groups by key (missing last)
  T.eq(vals(f:groupby("g", {sort = true}):max():col("g")), {"a", "b", nil})
end)

T.case("frame-ops-6.2 groupby on several keys and its errors", function()
  -- (A, 1): 1 + 3 = 4; (A, 2): 2; (B, 1): 5
  local f = m.frame{{"tk", {"A", "A", "A", "B"}}, {"d", {1, 2, 1, 1}}, {"x", {1, 2, 3, 5}}}
  local r = f:groupby{"tk", "d"}:agg{x = "sum"}
  T.eq(vals(r:col("tk")), {"A", "A", "B"})
  T.eq(vals(r:col("d")), {1, 2, 1})
  T.eq(vals(r:col("x")), {4, 2, 5})
  T.raises(function() f:groupby("nope") end, "groupby: no column 'nope'")
  T.raises(function() f:groupby("tk"):agg{y = "sum"} end, "agg: no column 'y'")
  T.raises(function() f:groupby("tk"):agg{x = "avg"} end, "unknown aggregation 'avg'")
  T.raises(function() f:groupby("d"):agg{tk = "mean"} end,
           "column 'tk': mean needs a numeric (f64 or bool) column, not cat")
end)

-- ---- help ----

T.case("frame-ops-7.1 every public name is in the help registry", function()
  local all = doc.all()
  for _, k in ipairs{"describe", "filter", "sort", "join", "groupby"} do
    T.truthy(all["frame:" .. k] and all["frame:" .. k].topic == "frame", "frame:" .. k)
  end
  for _, k in ipairs{"lt", "le", "gt", "ge", "eq", "ne", "and_", "or_", "not_", "isna",
                     "notna", "mean", "std", "sum", "min", "max", "count", "quantile",
                     "median", "unique", "value_counts"} do
    T.truthy(all["column:" .. k], "column:" .. k)
  end
  for _, k in ipairs{"agg", "size", "mean"} do T.truthy(all["groupby:" .. k], "groupby:" .. k) end
  T.truthy(doc.text("frame"):find("frame:join", 1, true), "topic lists join")
end)

T.done()
