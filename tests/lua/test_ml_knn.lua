-- test_ml_knn.lua: ml.knn through its public names. Expected values from scikit-learn's
-- KNeighborsClassifier / KNeighborsRegressor (Debian's python3-sklearn via /usr/bin/python3,
-- algorithm='brute'; the snippet below), and properties (DGEMM and direct search agree).
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"
local ml = m.ml
local TMP = os.getenv("MONETA_TEST_TMP") or "/tmp"
os.execute("mkdir -p '" .. TMP .. "'")

-- i = np.arange(60); x1 = ((i*37+11)%101)/50.0-1.0; x2 = ((i*53+7)%97)/24.0-2.0
-- X = np.column_stack([x1, x2]); y = ((i*7)%3).astype(float); t = x1*2+x2
-- q = np.column_stack([[0.1,-0.5,0.7],[0.3,1.0,-1.2]])
local function data()
  local x1, x2, y, t = {}, {}, {}, {}
  for i = 0, 59 do
    x1[i + 1] = ((i * 37 + 11) % 101) / 50.0 - 1.0
    x2[i + 1] = ((i * 53 + 7) % 97) / 24.0 - 2.0
    y[i + 1] = (i * 7) % 3
    t[i + 1] = x1[i + 1] * 2 + x2[i + 1]
  end
  return m.frame{x1 = x1, x2 = x2}, y, t
end
local Q = m.frame{x1 = {0.1, -0.5, 0.7}, x2 = {0.3, 1.0, -1.2}}

local function near_rows(got, want, tol)
  for i = 1, #want do
    for j = 1, #want[i] do T.near(got[i][j], want[i][j], tol) end
  end
end

T.case("knn-1.1 uniform classification: scikit-learn's votes, ties to the smallest label",
  function()
  local X, y = data()
  local c = ml.knn{k = 5}:fit(X, y)
  -- KNeighborsClassifier(n_neighbors=5, algorithm='brute').fit(X, y): predict, predict_proba
  near_rows(c:predict_proba(Q), {{0.4, 0.4, 0.2}, {0.4, 0.2, 0.4}, {0.2, 0.4, 0.4}}, 1e-12)
  local p = c:predict(Q)
  T.eq(p[1], 0); T.eq(p[2], 0); T.eq(p[3], 1)
end)

T.case("knn-1.2 distance weights: scikit-learn's shares; an exact match takes all", function()
  local X, y = data()
  local c = ml.knn{k = 5, weights = "distance"}:fit(X, y)
  -- KNeighborsClassifier(n_neighbors=5, weights='distance', algorithm='brute')
  near_rows(c:predict_proba(Q), {
    {0.3806966340435379, 0.41497252248303057, 0.2043308434734315},
    {0.32332801700226693, 0.3344375857631708, 0.3422343972345624},
    {0.2262668167814669, 0.38988296005513534, 0.3838502231633977}}, 1e-12)
  local pr = c:predict_proba(X)                  -- every training row matches itself
  for i = 1, 60 do T.eq(pr[i][y[i] + 1], 1.0) end
end)

T.case("knn-1.3 regression: scikit-learn's means, uniform and 1/d weighted", function()
  local X, _, t = data()
  -- KNeighborsRegressor(n_neighbors=4, algorithm='brute') and weights='distance'
  local u = ml.knn{k = 4, kind = "regression"}:fit(X, t):predict(Q)
  local want = {0.6625, -0.04250000000000004, 0.3091666666666666}
  for i = 1, 3 do T.near(u[i], want[i], 1e-12) end
  local d = ml.knn{k = 4, kind = "regression", weights = "distance"}:fit(X, t):predict(Q)
  want = {0.6429299096523898, -0.015219464609532326, 0.28944783766795845}
  for i = 1, 3 do T.near(d[i], want[i], 1e-12) end
end)

T.case("knn-1.4 DGEMM blocks and the direct loop find the same neighbours (20 columns)",
  function()
  local cols, y = {}, {}
  for j = 1, 20 do
    local c = {}
    for i = 0, 299 do c[i + 1] = ((i * (31 + 2 * j) + 7 * j) % 211) / 37.0 end
    cols["c" .. j] = c
  end
  for i = 1, 300 do y[i] = i % 2 end
  local X = m.frame(cols)
  local k = ml.knn{k = 7}:fit(X, y)
  local D = require("moneta.c.ml").design(X)
  local i1, d1 = k._c:neighbors(D, false)
  local i2, d2 = k._c:neighbors(D, true)
  for i = 1, 300 do
    -- rows i and i + 211 are equal: the tie goes to the earlier row
    T.eq(i1[i][1], i > 211 and i - 211 or i); T.eq(d1[i][1], 0.0)
    for j = 1, 7 do T.eq(i1[i][j], i2[i][j]); T.near(d1[i][j], d2[i][j], 1e-12) end
  end
end)

T.case("knn-1.5 save and load give identical predictions", function()
  local X, y, t = data()
  for _, mdl in ipairs{ml.knn{k = 3, weights = "distance"}:fit(X, y),
                       ml.knn{k = 2, kind = "regression"}:fit(X, t)} do
    local path = TMP .. "/knn.mdl"
    mdl:save(path)
    local back = m.load(path)
    local a, b = mdl:predict(Q), back:predict(Q)
    for i = 1, 3 do T.eq(a[i], b[i]) end
  end
end)

T.case("knn-1.6 refusals: unknown option, k too large, NaN named", function()
  local X, y = data()
  T.raises(function() ml.knn{kk = 3} end, "unknown option 'kk'")
  T.raises(function() ml.knn{k = 61}:fit(X, y) end, "k = 61")
  T.raises(function() ml.knn{metric = "manhattan"} end, "metric")
  local bad = m.frame{a = {1, 0 / 0, 3}, b = {1, 2, 3}}
  T.raises(function() ml.knn{k = 1}:fit(bad, {0, 1, 0}) end, "row 2")
end)

T.done()
