-- test_split.lua: frame:split and moneta.split (indices, kfold, walk_forward_folds, take):
-- proportions, strictness, partitions, gaps and seeds, checked as properties over many seeds.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"

-- 100 rows: id 1..100, class y with 50 "a", 30 "b", 17 "c", 3 "d" spread over the rows,
-- t = a time with ties (id // 3)
local function data()
  local id, y, t = {}, {}, {}
  local sizes, labels, k = {50, 30, 17, 3}, {"a", "b", "c", "d"}, 0
  for c = 1, 4 do
    for _ = 1, sizes[c] do y[(k * 37) % 100 + 1] = labels[c]; k = k + 1 end
  end
  for i = 1, 100 do id[i] = i; t[i] = (i * 7919 % 100) // 3 end
  return m.frame{{"id", id}, {"y", y}, {"t", t}}
end

local function count(col)
  local n = {}
  for _, v in ipairs(col:values()) do n[v] = (n[v] or 0) + 1 end
  return n
end

local function ascending(list)
  for i = 2, #list do if list[i - 1] >= list[i] then return false end end
  return true
end

T.case("split-1.1 random holdout: sizes, order kept, seeds", function()
  local f = data()
  local tr, te = f:split{test = 0.2, seed = 7}
  T.eq(tr:nrows(), 80)
  T.eq(te:nrows(), 20)
  T.truthy(ascending(tr:col("id"):values()), "train keeps row order")
  T.truthy(ascending(te:col("id"):values()), "test keeps row order")
  local _, te2 = f:split{test = 0.2, seed = 7}
  local _, te3 = f:split{test = 0.2, seed = 8}
  T.eq(te2:col("id"):values(), te:col("id"):values())          -- same seed, same split
  T.truthy(table.concat(te3:col("id"):values(), ",") ~= table.concat(te:col("id"):values(), ","),
           "another seed gives another split")
  local _, c = f:split{test = 0.25}                              -- ceil(25) rows
  T.eq(c:nrows(), 25)
  local _, d = f:split{test = 7}                                 -- a count
  T.eq(d:nrows(), 7)
  T.raises(function() f:split{test = 100} end, "both sides need at least one row")
  T.raises(function() f:split{tset = 0.2} end, "unknown option 'tset'")
end)

T.case("split-1.2 stratified: every class within one row of its share", function()
  local f = data()
  local sizes = {a = 50, b = 30, c = 17, d = 3}
  for seed = 1, 30 do
    local tr, te = f:split{test = 0.2, stratify = "y", seed = seed}
    T.eq(te:nrows(), 20)
    local nte, ntr = count(te:col("y")), count(tr:col("y"))
    -- exact shares 10, 6, 3.4, 0.6 -> floors 10 6 3 0, the 20th row to d (remainder 0.6)
    T.eq(nte, {a = 10, b = 6, c = 3, d = 1})
    for k, n in pairs(sizes) do
      T.truthy(math.abs((nte[k] or 0) - 0.2 * n) < 1, "class " .. k .. " share")
      T.eq((nte[k] or 0) + (ntr[k] or 0), n)
    end
  end
end)

T.case("split-1.3 stratified: equal remainders go to classes the seed picks", function()
  -- 20 classes of one row (x = 20..1), test = 0.2: 4 rows, every share 0.2 -> all floors 0,
  -- every remainder equal; which 4 classes get a row must follow the seed, not the class order
  local x = {}
  for i = 1, 20 do x[i] = 21 - i end
  local f = m.frame{x = x}
  local seen = {}
  for seed = 1, 20 do
    local _, te = f:split{test = 0.2, stratify = "x", seed = seed}
    local _, again = f:split{test = 0.2, stratify = "x", seed = seed}
    T.eq(te:nrows(), 4)
    T.eq(again:col("x"):values(), te:col("x"):values())          -- reproducible for a seed
    seen[table.concat(te:col("x"):values(), ",")] = true
  end
  local distinct = 0
  for _ in pairs(seen) do distinct = distinct + 1 end
  T.truthy(distinct > 1, "the chosen classes change with the seed")
  T.truthy(not (distinct == 1 and seen["4,3,2,1"]), "not always the lowest classes")
end)

T.case("split-2.1 time split: every test row strictly after every train row", function()
  local f = data()
  for _, test in ipairs{0.1, 0.2, 0.33, 0.5, 0.9, 5, 50} do
    local tr, te = f:split{test = test, by = "t"}
    local maxtr, mints = -math.huge, math.huge
    for _, v in ipairs(tr:col("t"):values()) do maxtr = math.max(maxtr, v) end
    for _, v in ipairs(te:col("t"):values()) do mints = math.min(mints, v) end
    T.truthy(maxtr < mints, "strict at test = " .. test)
    T.eq(tr:nrows() + te:nrows(), 100)
    T.truthy(ascending(te:col("id"):values()), "original order")
  end
  local one = m.frame{t = {3, 3, 3}}
  T.raises(function() one:split{test = 1, by = "t"} end, "share one time")
  T.raises(function() f:split{test = 0.2, by = "t", stratify = "y"} end, "not both")
end)

T.case("split-3.1 k-fold partitions the rows", function()
  for _, strat in ipairs{false, true} do
    for seed = 1, 10 do
      local folds = m.split.kfold(data(), {k = 5, seed = seed,
                                           stratify = strat and "y" or nil})
      T.eq(#folds, 5)
      local seen = {}
      for _, fold in ipairs(folds) do
        T.truthy(#fold.test == 20, "fold size")
        T.eq(#fold.train + #fold.test, 100)
        T.truthy(ascending(fold.test) and ascending(fold.train), "ascending")
        for _, r in ipairs(fold.test) do
          T.truthy(not seen[r], "row " .. r .. " in two test folds")
          seen[r] = true
        end
      end
      for r = 1, 100 do T.truthy(seen[r], "row " .. r .. " in no test fold") end
    end
  end
  -- 23 rows unshuffled: blocks of 5 5 5 4 4
  local f = m.split.kfold(23, {k = 5, shuffle = false})
  T.eq(f[1].test, {1, 2, 3, 4, 5})
  T.eq(f[5].test, {20, 21, 22, 23})
  T.eq(m.split.kfold(50, {seed = 3})[2].test, m.split.kfold(50, {seed = 3})[2].test)
  T.truthy(table.concat(m.split.kfold(50, {seed = 3})[1].test, ",") ~=
           table.concat(m.split.kfold(50, {seed = 4})[1].test, ","), "seed matters")
  -- stratified: each class's count per fold differs by at most one
  local folds = m.split.kfold(data(), {k = 5, stratify = "y", seed = 1})
  local y = data():col("y"):values()
  for _, cls in ipairs{"a", "b", "c", "d"} do
    local lo, hi = math.huge, -math.huge
    for _, fold in ipairs(folds) do
      local n = 0
      for _, r in ipairs(fold.test) do if y[r] == cls then n = n + 1 end end
      lo, hi = math.min(lo, n), math.max(hi, n)
    end
    T.truthy(hi - lo <= 1, "class " .. cls .. " balanced")
  end
  local tri, tei = table.unpack(folds[1])
  T.eq(tri, folds[1].train)
  T.eq(tei, folds[1].test)
  local tr, te = m.split.frames(data(), folds[1])
  T.eq(tr:nrows() + te:nrows(), 100)
  T.raises(function() m.split.kfold(3, {k = 5}) end, "k = 5 must be in [2, 3]")
end)

T.case("split-4.1 walk-forward respects the gap", function()
  -- n 20, train 8, gap 2, test 3, step 3 (= test): tests start at rows 11, 14, 17
  local wff = m.split.walk_forward_folds
  local folds = wff{n = 20, train = 8, test = 3, gap = 2, expanding = false}
  T.eq(#folds, 3)
  for j, fold in ipairs(folds) do
    local s = 11 + 3 * (j - 1)
    T.eq(fold.test, {s, s + 1, s + 2})
    T.eq(#fold.train, 8)
    T.eq(fold.test[1] - fold.train[#fold.train] - 1, 2, "gap rows")
  end
  local ex = wff{n = 20, train = 8, test = 3, gap = 2, step = 5}
  T.eq(#ex, 2)
  T.eq(ex[2].train[1], 1)
  T.eq(#ex[2].train, 13)
  -- on a frame by a time column: train strictly before the first test row, gap respected
  local f = data()
  local t = f:col("t"):values()
  for _, fold in ipairs(wff(f, {by = "t", train = 30, test = 10, gap = 5})) do
    local maxtr, mints = -math.huge, math.huge
    for _, r in ipairs(fold.train) do maxtr = math.max(maxtr, t[r]) end
    for _, r in ipairs(fold.test) do mints = math.min(mints, t[r]) end
    T.truthy(maxtr < mints, "train before test")
    T.eq(#fold.test, 10)
  end
  T.raises(function() wff{n = 10, train = 8, test = 3} end, "more than the 10")
  T.raises(function() wff{n = 10, train = math.maxinteger, test = 3} end, "more than")
  T.raises(function() wff{n = 10, test = 3} end, "walk_forward_folds: train and test")
end)

T.case("split-5.1 help registry knows every public name", function()
  local doc = require "moneta.doc"
  for _, name in ipairs{"moneta.split.kfold", "moneta.split.walk_forward_folds",
                        "moneta.split.take", "moneta.split.indices", "moneta.prep.pipeline",
                        "frame:split",
                        "frame:fillna", "frame:missing", "prep:serialize"} do
    T.truthy(doc.all()[name], name .. " documented")
  end
  local tr, te = m.split.indices(100, {test = 0.1, seed = 1})
  T.eq(#tr + #te, 100)
end)

T.done()

T.case("split-5.2 one name per fold generator: the old aliases are gone", function()
  -- issue 11: moneta.kfold / moneta.walk_forward duplicated moneta.split.*; the walk-forward
  -- fold generator is named apart from eval.walk_forward, which retrains models.
  T.eq(m.kfold, nil)
  T.eq(m.walk_forward, nil)
  T.eq(m.split.walk_forward, nil)
  local doc = require "moneta.doc"
  for _, name in ipairs{"moneta.kfold", "moneta.walk_forward", "moneta.split.walk_forward"} do
    T.eq(doc.all()[name], nil, name .. " still documented")
  end
end)
