-- test_prep.lua: moneta.prep through the public Lua names: scaler parameters, impute, onehot and
-- ordinal policies, schema errors, the session pipeline and serialize round trips.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"
local NaN = 0/0

local function vals(f, name) return f:col(name):values() end

-- x = 1 2 3 4 NaN, y = 10 (constant), s = a b a NA c
local function train()
  return m.frame{{"x", {1, 2, 3, 4, NaN}}, {"y", {10, 10, 10, 10, 10}},
                 {"s", {"a", "b", "a", nil, "c"}}}
end
local function test()
  return m.frame{{"x", {0, NaN, 8}}, {"y", {1, 1, 1}}, {"s", {"c", nil, "zzz"}}}
end

T.case("prep-1.1 standard uses the population sd (scikit-learn's StandardScaler)", function()
  local t = m.prep.standard{}
  local g = t:fit_transform(train())
  local p = t:params()
  -- mean 2.5; population sd sqrt((2.25 + 0.25 + 0.25 + 2.25) / 4) = sqrt(1.25) = 1.118...
  -- (the sample sd would be sqrt(5/3) = 1.29)
  T.eq(p.x.mean, 2.5)
  T.near(p.x.sd, math.sqrt(1.25), 1e-15)
  T.eq(p.y.sd, 0)                                   -- constant: divided by 1
  T.near(vals(g, "x")[1], -1.5 / math.sqrt(1.25), 1e-15)
  T.truthy(vals(g, "x")[5] ~= vals(g, "x")[5], "NaN stays NaN")
  T.eq(vals(g, "y"), {0, 0, 0, 0, 0})
  T.eq(g:types().s, "cat")                          -- passes through
  local h = t:transform(test())                     -- parameters from train
  T.near(vals(h, "x")[3], (8 - 2.5) / math.sqrt(1.25), 1e-15)
  T.eq(vals(h, "y"), {-9, -9, -9})
  local only = m.prep.standard{columns = {"x"}}:fit_transform(train())
  T.eq(vals(only, "y"), {10, 10, 10, 10, 10})
  -- the options table is read, never written, and the names survive a collection
  local opts = {columns = {"y"}}
  local a, b = m.prep.standard(opts), m.prep.minmax(opts)
  collectgarbage()
  local keys = {}
  for k in pairs(opts) do keys[#keys + 1] = k end
  T.eq(keys, {"columns"})
  T.eq(vals(a:fit_transform(train()), "x")[1], 1)
  T.eq(vals(b:fit_transform(train()), "y"), {0, 0, 0, 0, 0})
  T.eq(m.prep.standard{columns = "x"}:fit_transform(train()):col("y"):values()[1], 10)
end)

T.case("prep-1.2 minmax and robust (median / IQR)", function()
  local g = m.prep.minmax{}:fit_transform(train())  -- (x - 1) / 3
  T.near(vals(g, "x")[2], 1 / 3, 1e-15)
  local r = m.prep.robust{}
  g = r:fit_transform(train())
  -- median of 1 2 3 4 = 2.5; Q1 = 1.75, Q3 = 3.25 (numpy linear): IQR 1.5
  T.eq(r:params().x.median, 2.5)
  T.eq(r:params().x.iqr, 1.5)
  T.near(vals(g, "x")[4], 1, 1e-15)
  local mm = m.prep.minmax{range = {-1, 1}}:fit_transform(train())
  T.near(vals(mm, "x")[1], -1, 1e-15)
  T.raises(function() m.prep.minmax{range = {1, 1}} end, "lo < hi")
  T.raises(function() m.prep.standard{colums = {"x"}} end, "unknown option 'colums'")
end)

T.case("prep-2.1 impute numeric and categorical", function()
  local t = m.prep.impute{strategy = "median"}
  local g = t:fit_transform(train())
  T.eq(vals(g, "x")[5], 2.5)                        -- median of 1 2 3 4
  T.eq(vals(g, "s")[4], "a")                        -- most frequent level
  T.eq(t:params().s, "a")
  T.eq(vals(t:transform(test()), "x")[2], 2.5)      -- learned on train
  g = m.prep.impute{strategy = "mean"}:fit_transform(train())
  T.eq(vals(g, "x")[5], 2.5)
  g = m.prep.impute{strategy = "constant", value = -1, level = "none"}:fit_transform(train())
  T.eq(vals(g, "x")[5], -1)
  T.eq(vals(g, "s")[4], "none")
  T.raises(function() m.prep.impute{strategy = "mode"} end, "strategy must be")
end)

T.case("prep-3.1 onehot unseen-level policies", function()
  local t = m.prep.onehot{}
  local g = t:fit_transform(train())
  T.eq(g:names(), {"x", "y", "s=a", "s=b", "s=c"})
  T.eq(vals(g, "s=a"), {1, 0, 1, 0, 0})             -- the NA row is all zeros
  local h = t:transform(test())                     -- c, NA, zzz (unseen): ignore -> zeros
  T.eq(vals(h, "s=c"), {1, 0, 0})
  T.eq(vals(h, "s=a"), {0, 0, 0})
  T.eq(vals(h, "s=b"), {0, 0, 0})
  local strict = m.prep.onehot{handle_unknown = "error"}
  strict:fit(train())
  T.raises(function() strict:transform(test()) end, "column 's' row 3: level 'zzz' was not seen")
  local inf = m.prep.onehot{handle_unknown = "infrequent", min_frequency = 2, missing = "column",
                            drop_first = true}
  local k = inf:fit(train()):transform(test())
  -- levels b, c seen once (< 2) join unseen zzz in s=<infrequent>; s=a dropped (drop_first)
  T.eq(k:names(), {"x", "y", "s=<infrequent>", "s=NA"})
  T.eq(vals(k, "s=<infrequent>"), {1, 0, 1})
  T.eq(vals(k, "s=NA"), {0, 1, 0})
  T.raises(function() m.prep.onehot{handle_unknown = "drop"} end, "handle_unknown must be")
end)

T.case("prep-3.2 ordinal codes, unknown -1 or NaN", function()
  local t = m.prep.ordinal{}
  t:fit(train())
  T.eq(t:params().s, {"a", "b", "c"})
  T.eq(vals(t:transform(test()), "s"), {2, NaN, -1})
  local n = m.prep.ordinal{unknown = "nan"}:fit(train())
  T.eq(vals(n:transform(test()), "s"), {2, NaN, NaN})
  local e = m.prep.ordinal{unknown = "error"}:fit(train())
  T.raises(function() e:transform(test()) end, "level 'zzz' was not seen at fit")
end)

T.case("prep-4.1 columns that differ from fit time are named", function()
  local t = m.prep.standard{}:fit(train())
  T.raises(function() t:transform(train():drop{"y"}) end, "column 'y' (f64 at fit) is missing")
  T.raises(function() t:transform(train():add("z", {1, 2, 3, 4, 5})) end,
           "column 'z' was not in the frame at fit")
  T.raises(function() t:transform(train():add("y", {"a", "a", "a", "a", "a"})) end,
           "column 'y' is cat but was f64 at fit")
  T.raises(function() m.prep.standard{}:transform(train()) end, "not fitted")
  T.raises(function() m.prep.standard{columns = "s"}:fit(train()) end,
           "column 's' is cat; standard needs f64")
  -- another column order is fine: the result has the fit-time order
  local g = t:transform(train():select{"s", "y", "x"})
  T.eq(g:names(), {"x", "y", "s"})
end)

T.case("prep-5.1 the session pipeline gives all-f64 without NaN, and round-trips", function()
  local prep = m.prep.pipeline{m.prep.impute{strategy = "median"}, m.prep.standard{},
                               m.prep.onehot{}}
  local X = prep:fit_transform(train())
  local Xt = prep:transform(test())
  for _, f in ipairs{X, Xt} do
    for name, ty in pairs(f:types()) do
      T.eq(ty, "f64", name)
      for _, v in ipairs(vals(f, name)) do T.truthy(v == v, name .. " has NaN") end
    end
  end
  -- x imputed to 1 2 3 4 2.5: mean 2.5, population sd 1; test x = 0 -> -2.5, NaN -> 0
  T.eq(vals(Xt, "x"), {-2.5, 0, 5.5})
  local s = prep:serialize()
  T.eq(s:sub(1, 14), "moneta.prep 1\n")
  local q = m.prep.deserialize(s)
  T.eq(q:kind(), "pipeline")
  T.eq(q:serialize(), s)
  local Xq = q:transform(test())
  for _, name in ipairs(Xt:names()) do T.eq(vals(Xq, name), vals(Xt, name), name) end
  T.eq(q:params()[2].x.sd, prep:params()[2].x.sd)
  -- unfitted transforms serialize too
  T.eq(m.prep.deserialize(m.prep.onehot{drop_first = true}:serialize()):fitted(), false)
  T.raises(function() m.prep.deserialize("moneta.prep 2\n") end, "version 2")
  T.raises(function() m.prep.deserialize(s:sub(1, 40)) end, "prep.deserialize: byte")
  T.raises(function() m.prep.deserialize("hello") end, "not a serialized transform")
  T.raises(function() m.prep.pipeline{1} end, "step 1 is number, not a transform")
end)

T.case("prep-5.2 dates, bools and text also come out all-f64 from the session pipeline", function()
  -- dates 2024-01-01, NA, 2024-01-03, 2024-01-04: days 19723, NA, 19725, 19726; the median
  -- 19725 fills the gap; standard: mean (19723 + 19725 * 2 + 19726) / 4 = 19724.75
  local f = m.frame{{"d", {"2024-01-01", nil, "2024-01-03", "2024-01-04"}},
                    {"ok", {true, nil, true, false}}, {"note", {"x", "y", nil, "x"}},
                    {"v", {1, 2, 3, 4}}}:cast{d = "date", note = "text"}
  local prep = m.prep.pipeline{m.prep.impute{strategy = "median"}, m.prep.standard{},
                               m.prep.onehot{}}
  local X = prep:fit_transform(f)
  T.eq(X:names(), {"d", "ok", "note=x", "note=y", "v"})
  for name, ty in pairs(X:types()) do
    T.eq(ty, "f64", name)
    for _, v in ipairs(vals(X, name)) do T.truthy(v == v, name .. " has NaN") end
  end
  T.eq(prep:params()[1].d, 19725)
  T.eq(prep:params()[2].d.mean, 19724.75)
  T.eq(vals(X, "ok"), {1, 1, 1, 0})                 -- bool mode (true) then 0/1
  T.eq(vals(X, "note=x"), {1, 0, 0, 1})             -- text missing: all zeros
end)

T.done()
