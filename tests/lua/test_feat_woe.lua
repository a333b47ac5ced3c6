-- test_feat_woe.lua: moneta.feat's credit part through the public names: feat.woe as a fitted
-- transform (fit on train, transform test, in a pipeline, saved in a net's model file and
-- restored), feat.iv, feat.woe_table and feat.psi with values worked out from the formulas.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"
local feat = m.feat

-- x sorted, y per row. 4 quantile bins by hand (edge k = the ceil(10 k / 4)-th smallest):
-- (-inf, 2] = {1, 2, 2, 2} 1 bad, (2, 3] = {3} 0, (3, 6] = {4, 5, 6} 2, (6, inf] = {7, 8} 2
local function small()
  return m.frame{{"x", {1, 2, 2, 2, 3, 4, 5, 6, 7, 8}},
                 {"c", {"a", "a", "b", "b", "a", "b", "c", "c", "c", "c"}},
                 {"bad", {0, 0, 0, 1, 0, 1, 0, 1, 1, 1}}}
end

T.case("woe-4.1 feat.woe bins by hand, WoE = ln(%good / %bad) with 0.5 added", function()
  local t = feat.woe{target = "bad", bins = 4, min_share = 0}
  local g = t:fit_transform(small())
  T.eq(g:names(), {"x", "c"})                       -- the target is left out
  T.eq(t:kind(), "woe")
  local tab = feat.woe_table(t, "x")
  T.eq(tab:col("bin"):values(), {"(-inf, 2]", "(2, 3]", "(3, 6]", "(6, inf]", "missing"})
  T.eq(tab:col("n"):values(), {4, 1, 3, 2, 0})
  T.eq(tab:col("bad"):values(), {1, 0, 2, 2, 0})
  -- 5 goods, 5 bads, 4 used bins: shares (g + 0.5) / 7, (b + 0.5) / 7
  local G, B = {3, 1, 1, 0}, {1, 0, 2, 2}
  local iv = 0
  for k = 1, 4 do
    local pg, pb = (G[k] + 0.5) / 7, (B[k] + 0.5) / 7
    T.near(tab:col("woe"):values()[k], math.log(pg / pb), 1e-14)
    iv = iv + (pg - pb) * math.log(pg / pb)
  end
  T.near(g:col("x"):values()[1], math.log(3.5 / 1.5), 1e-14)
  local ivs = feat.iv(small(), "bad", {bins = 4, min_share = 0})
  local names, vals = ivs:col("feature"):values(), ivs:col("iv"):values()
  local at = names[1] == "x" and 1 or 2
  T.eq(names[at], "x")
  T.near(vals[at], iv, 1e-14)
  T.truthy(vals[1] >= vals[2], "sorted by IV, highest first")
  T.eq(ivs:col("reading"):values()[at], "suspicious")
  T.eq(t:params().x.reading, "suspicious")          -- 0.78 > 0.5
  T.truthy(iv > 0.5, "iv " .. iv)
end)

T.case("woe-4.2 monotonic pooling, missing bin, categorical other, y given to fit", function()
  local f = m.frame{{"x", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0/0}}}
  local y = {0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 1}
  -- fine bins of 2: bad rates 0, 1/2, 0, 1, 1/2 -> pooled: 0/2, 1/4, 3/4 (rising, r > 0)
  local t = feat.woe{method = "monotonic", fine = 5, min_share = 0}:fit(f, y)
  local b = t:bins()[1]
  T.eq(b.direction, 1)
  T.eq(#b.bins, 4)
  T.eq(b.bins[2].label, "(2, 6]")
  T.eq(b.bins[3].bad, 3)
  T.eq(b.bins[4].label, "missing")
  T.eq(b.bins[4].n, 1)
  -- a pipeline hands y to its woe step: the same bins after a step that leaves x alone
  local pipe = m.prep.pipeline{m.prep.ordinal{}, feat.woe{method = "monotonic", fine = 5,
                                                          min_share = 0}}
  pipe:fit(f, y)
  T.eq(pipe:bins()[1].bins[2].label, "(2, 6]")
  local c = feat.woe{target = "bad", min_share = 0.25}:fit(small())
  local cb = c:bins()[2]
  T.eq(cb.feature, "c")
  -- a 3 rows, b 3, c 4: with min_share 0.25 (2.5 rows) all are kept
  T.eq(#cb.bins, 4)
  local cc = feat.woe{target = "bad", min_share = 0.35}:fit(small())
  local lab = {}
  for i, bin in ipairs(cc:bins()[2].bins) do lab[i] = bin.label end
  T.eq(lab, {"c", "other", "missing"})               -- a and b (3 rows < 3.5) -> other
  T.eq(cc:bins()[2].bins[2].levels, {"a", "b"})
  local test = m.frame{{"x", {0, 100}}, {"c", {"zzz", "c"}}}
  local h = cc:transform(test)                       -- unseen level: the other bin
  T.eq(h:col("c"):values()[1], cc:bins()[2].bins[2].woe)
end)

T.case("woe-4.3 errors name the option, the column or the row", function()
  T.raises(function() feat.woe{method = "magic"} end, "method must be")
  T.raises(function() feat.woe{bin = 3} end, "unknown option 'bin'")
  T.raises(function() feat.woe{}:fit(small()) end, "needs a 0/1 target")
  T.raises(function() feat.woe{target = "nope"}:fit(small()) end, "nope")
  T.raises(function() feat.woe{}:fit(m.frame{x = {1, 2}}, {0, 3}) end, "target row 2 is 3")
  T.raises(function() feat.woe{}:fit(m.frame{x = {1, 2}}, {0, 1, 1}) end, "3 values")
  T.raises(function() feat.iv(small(), "bad", {bogus = 1}) end, "unknown option 'bogus'")
  T.raises(function() m.prep.standard{}:fit(small()):bins() end, "no fitted woe")
  T.raises(function() feat.psi({1, 2}, small()) end, "two frames or two vectors")
end)

T.case("woe-4.4 PSI by hand: ln(1.4) / 6 for a shift by one, the reading stated", function()
  -- bins at the 3rd, 5th, 8th of 1..10: counts 3 2 3 2 and 2 2 3 3; + 0.5 each over 12
  local p, d = feat.psi({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
                        {bins = 4})
  T.near(p, math.log(1.4) / 6, 1e-15)
  T.eq(d.reading, "stable")
  T.eq(d.bins, 4)
  local far = feat.psi({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {50, 60, 70})
  T.truthy(far > 0.25, "far " .. far)
  local s10 = {"x", "x", "x", "x", "x", "x", "x", "x", "x", "x"}
  local train = m.frame{{"a", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}, {"s", s10},
                        {"b", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}}
  -- b later: counts 3 1 0 6 against 3 2 3 2 (6 beyond 8, none in (5, 8]): a major shift
  local later = m.frame{{"a", {2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}, {"s", s10},
                        {"b", {50, 60, 70, 80, 90, 100, 1, 2, 3, 4}}}
  local f, rule = feat.psi(train, later, {bins = 4})
  T.eq(f:col("feature"):values(), {"a", "b"})        -- f64 columns only
  T.near(f:col("psi"):values()[1], math.log(1.4) / 6, 1e-15)
  T.eq(f:col("reading"):values(), {"stable", "major shift"})
  T.truthy(rule:find("0.25", 1, true), rule)
end)

T.case("woe-5.1 credit data: fit on train, transform test, save in a net's file, reload",
       function()
  local df = m.read_csv(m.dataset("credit.csv.gz"))
  df = df:select{"age", "income", "employment", "debt_ratio", "utilization", "home",
                 "delinquencies_2y", "default"}
  local train, test = df:split{test = 0.2, stratify = "default", seed = 7}
  local prep = m.prep.pipeline{feat.woe{target = "default", method = "monotonic"},
                               m.prep.standard{}}
  local Xtr = prep:fit_transform(train)
  local Xte = prep:transform(test)                   -- test still has default: dropped
  T.eq(Xtr:names(), {"age", "income", "employment", "debt_ratio", "utilization", "home",
                     "delinquencies_2y"})
  T.eq(Xte:nrows(), test:nrows())
  for _, b in ipairs(prep:bins()) do                 -- monotone bad rates, NaN apart
    if not b.categorical then
      local prev
      for i = 1, #b.bins - 1 do
        local r = b.bins[i].bad_rate
        if prev then
          T.truthy(b.direction > 0 and r >= prev or b.direction < 0 and r <= prev,
                   b.feature .. " monotone")
        end
        prev = r
      end
    end
  end
  local ivs = feat.iv(train, "default")
  T.eq(ivs:nrows(), 7)
  local iv = ivs:col("iv"):values()
  for i = 2, #iv do T.truthy(iv[i - 1] >= iv[i], "sorted by IV") end
  local net = m.nn.sequential{m.nn.dense(8), m.nn.relu(), m.nn.dense(1)}
  net:fit(Xtr, train:col("default"), {loss = "bce", epochs = 1, batch = 256, seed = 7,
                                      progress = false})
  local path = T.tmpdir() .. "/woe.mdl"
  net:save(path, {prep = prep})
  local back = m.load(path)
  local p2 = m.prep.deserialize(back:prep_blob())
  local Xte2 = p2:transform(test:drop{"default"})    -- without the target, too
  T.eq(Xte2:to_tensor():totable(), Xte:to_tensor():totable())
  T.eq(back:predict_proba(Xte2):totable(), net:predict_proba(Xte):totable())
  T.eq(p2:serialize(), prep:serialize())
  -- PSI between the first and the last application years, per feature
  local early = df:slice(1, 2000)
  local late = df:slice(df:nrows() - 1999, 2000)
  local ps = feat.psi(early, late)
  T.truthy(ps:nrows() >= 5, "psi per f64 feature")
end)

T.done()
