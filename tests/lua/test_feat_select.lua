-- test_feat_select.lua: moneta.feat's selection names (corr, variance_threshold, mutual_info,
-- vif, rfe) against pandas 1.5.3, scikit-learn 1.2.1 and statsmodels 0.13.5 (Debian's python3-*
-- run with /usr/bin/python3), options, errors, and rfe driven by a least-squares stand-in
-- written here. The C kernels' own tests: tests/unit/test_features_select.c.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local moneta = require "moneta"
local feat = moneta.feat
local doc = require "moneta.doc"

-- The data of every reference below (numpy):
--   n = 60; i = np.arange(n)
--   a = 3*np.sin(0.7*i); b = np.cos(1.3*i); c = ((i*37) % 101)/10.0
--   d = np.sin(0.3*i) + 0.2*a; e = np.cos(2.1*i)
--   y = 2*a + 1.5*b + 0.3*c + 0.8*d + 0.05*e + 0.1*np.sin(5*i); X = np.column_stack([a,b,c,d,e])
local cols = {a = {}, b = {}, c = {}, d = {}, e = {}, y = {}}
for i = 0, 59 do
  local a = 3 * math.sin(0.7 * i)
  local b, c = math.cos(1.3 * i), ((i * 37) % 101) / 10.0
  local d, e = math.sin(0.3 * i) + 0.2 * a, math.cos(2.1 * i)
  cols.a[i + 1], cols.b[i + 1], cols.c[i + 1], cols.d[i + 1], cols.e[i + 1] = a, b, c, d, e
  cols.y[i + 1] = 2 * a + 1.5 * b + 0.3 * c + 0.8 * d + 0.05 * e + 0.1 * math.sin(5 * i)
end
local function data()
  return moneta.frame{a = cols.a, b = cols.b, c = cols.c, d = cols.d, e = cols.e, y = cols.y}
end
local function X() return data():select{"a", "b", "c", "d", "e"} end

T.case("fsel-1.1 the selection names are public and documented", function()
  for _, k in ipairs{"corr", "variance_threshold", "mutual_info", "vif", "rfe"} do
    T.truthy(type(feat[k]) == "function", "feat." .. k)
    T.truthy(doc.lookup(feat[k]), "help for feat." .. k)
  end
end)

T.case("fsel-1.2 corr: a frame of Pearson or Spearman correlations (pandas)", function()
  -- pd.DataFrame(X, columns=list("abcde")).corr(method="spearman").values[0]
  local want = {1.0, -0.03678799666574049, 0.06901917199222006, 0.4584051125312587,
                0.03339816615726591}
  local r = feat.corr(X(), {method = "spearman"})
  T.eq(r:names(), {"column", "a", "b", "c", "d", "e"})
  T.eq(r:col("column"):values(), {"a", "b", "c", "d", "e"})
  for j, name in ipairs{"a", "b", "c", "d", "e"} do
    T.near(r:col(name)[1], want[j], 1e-12, "spearman a-" .. name)
  end
  -- Pearson of a and d by hand from the definition, computed here in Lua
  local sa, sd, n = 0, 0, 60
  for i = 1, n do sa, sd = sa + cols.a[i], sd + cols.d[i] end
  local ma, md, sxy, sxx, syy = sa / n, sd / n, 0, 0, 0
  for i = 1, n do
    local u, v = cols.a[i] - ma, cols.d[i] - md
    sxy, sxx, syy = sxy + u * v, sxx + u * u, syy + v * v
  end
  T.near(feat.corr(X()):col("d")[1], sxy / math.sqrt(sxx * syy), 1e-12, "pearson a-d")
  T.near(feat.corr(X()):col("a")[1], 1, 0, "diagonal")
end)

T.case("fsel-1.3 variance_threshold keeps variance > threshold (np.var, ddof 0)", function()
  -- np.var of [1, 2, 3, 4] = 1.25, of [1, NaN, 1, 3] without NaN (nanvar) = 0.888..., [7]*4 = 0
  local f = moneta.frame{p = {1, 2, 3, 4}, q = {1, 0/0, 1, 3}, k = {7, 7, 7, 7}}
  local kept, var = feat.variance_threshold(f)
  T.eq(kept:names(), {"p", "q"})
  T.near(var.p, 1.25, 1e-15)
  T.near(var.q, 8 / 9, 1e-15)
  T.eq(var.k, 0)
  kept = feat.variance_threshold(f, {threshold = 1})
  T.eq(kept:names(), {"p"})
  T.raises(function() feat.variance_threshold(f, {threshold = -1}) end, "threshold must be >= 0")
  T.raises(function() feat.variance_threshold(f, {treshold = 1}) end, "unknown option 'treshold'")
end)

T.case("fsel-1.4 mutual_info matches scikit-learn (regression and classification)", function()
  -- mutual_info_regression(X, y, random_state=0) (the same for random_state=1: no ties)
  local reg = {a = 0.8571318732549935, b = 0, c = 0, d = 0.2602129863999614,
               e = 0.02115257302189688}
  -- mutual_info_classif(X, (y > 0).astype(int), random_state=0), and with n_neighbors=5
  local cls = {a = 0.599282711353641, b = 0.19263715783308766, c = 0, d = 0.21544139063732026,
               e = 0}
  local cls5 = {a = 0.6147987788917677, b = 0, c = 0, d = 0.21306238075831052, e = 0}
  for _, seed in ipairs{0, 1, 99} do
    local mi = feat.mutual_info(data(), "y", {seed = seed})
    for k, v in pairs(reg) do T.near(mi[k], v, 1e-9, "regression " .. k) end
    T.truthy(mi.y == nil, "y itself is not a feature")
  end
  local up = {}
  for i = 1, 60 do up[i] = cols.y[i] > 0 and 1 or 0 end
  local mi = feat.mutual_info(X(), up, {kind = "classification"})
  for k, v in pairs(cls) do T.near(mi[k], v, 1e-9, "classif " .. k) end
  mi = feat.mutual_info(X(), up, {kind = "classification", k = 5, noise = false})
  for k, v in pairs(cls5) do T.near(mi[k], v, 1e-9, "classif k=5 " .. k) end
  -- a boolean column as y means classification by default
  local f = data():add("up", moneta.frame{up = up}:col("up"))
  local g = moneta.frame{up = (function() local t = {}
    for i = 1, 60 do t[i] = up[i] == 1 end return t end)()}
  mi = feat.mutual_info(X(), g:col("up"))
  for k, v in pairs(cls) do T.near(mi[k], v, 1e-9, "bool y " .. k) end
  T.truthy(tostring(mi):find("^a "), "prints largest first")
  T.raises(function() feat.mutual_info(f, "nope") end, "no column 'nope'")
  T.raises(function() feat.mutual_info(X(), up, {kind = "class"}) end, "kind must be")
  T.raises(function() feat.mutual_info(X(), up, {k = 0}) end, "k must be a whole number >= 1")
  T.raises(function() feat.mutual_info(X(), {1, 2}) end, "the target has 2 values")
end)

T.case("fsel-1.5 mutual_info: NaN and non-numeric columns are refused by name", function()
  local f = moneta.frame{x = {1, 2, 0/0, 4, 5}, s = {"u", "v", "u", "v", "u"}}
  T.raises(function() feat.mutual_info(f:select{"x"}, {1, 2, 3, 4, 5}) end,
           "feat.mutual_info: column 'x' has NaN at row 3")
  T.raises(function() feat.mutual_info(f, {1, 2, 3, 4, 5}) end, "column 's' is")
  T.raises(function() feat.mutual_info(moneta.frame{x = {1, 2, 3, 4, 5}}, {1, 2, 0/0, 4, 5}) end,
           "the target y has NaN at row 3")
end)

T.case("fsel-1.6 vif matches statsmodels' variance_inflation_factor with a constant", function()
  -- Xc = sm.add_constant(X); [variance_inflation_factor(Xc, j) for j in range(1, 6)]
  local want = {a = 1.3003618326215336, b = 1.0070711355312911, c = 1.012208452792442,
                d = 1.2967255180333985, e = 1.0004493262790124}
  local v = feat.vif(X())
  for k, w in pairs(want) do T.near(v[k], w, 1e-9, "vif " .. k) end
  local k = X():add("k", moneta.frame{k = (function() local t = {}
    for i = 1, 60 do t[i] = 2 end return t end)()}:col("k"))
  T.raises(function() feat.vif(k) end, "feat.vif: column 'k' is constant")
  T.raises(function() feat.vif(moneta.frame{x = {1, 0/0, 3, 5}}) end,
           "column 'x' has NaN at row 2")
  T.raises(function() feat.vif(moneta.frame{s = {"a", "b", "c"}}) end, "column 's' is")
  T.raises(function() feat.vif({}) end, "frame must be a frame")
end)

-- A tiny least-squares model, the stand-in for ml's models until they land: fit(X, y) solves
-- the normal equations (with an intercept) by Gaussian elimination; coefficients() gives a
-- table keyed by column name plus "const", as ml models will.
local function ols()
  local m = {}
  function m:fit(Xf, y)
    local names, n = Xf:names(), Xf:nrows()
    local p = #names + 1
    local cs = {}
    for j, nm in ipairs(names) do cs[j + 1] = Xf:col(nm):values() end
    cs[1] = {}
    for i = 1, n do cs[1][i] = 1 end
    local yv = type(y) == "table" and y or y:values()
    local A = {}
    for r = 1, p do
      A[r] = {}
      for c = 1, p do
        local s = 0
        for i = 1, n do s = s + cs[r][i] * cs[c][i] end
        A[r][c] = s
      end
      local s = 0
      for i = 1, n do s = s + cs[r][i] * yv[i] end
      A[r][p + 1] = s
    end
    for c = 1, p do
      local piv = c
      for r = c + 1, p do if math.abs(A[r][c]) > math.abs(A[piv][c]) then piv = r end end
      A[c], A[piv] = A[piv], A[c]
      for r = 1, p do
        if r ~= c then
          local f = A[r][c] / A[c][c]
          for k = c, p + 1 do A[r][k] = A[r][k] - f * A[c][k] end
        end
      end
    end
    self.coef = {const = A[1][p + 1] / A[1][1]}
    for j, nm in ipairs(names) do self.coef[nm] = A[j + 1][p + 1] / A[j + 1][j + 1] end
    return self
  end
  function m:coefficients() return self.coef end
  return m
end

T.case("fsel-1.7 rfe with a least-squares model: sklearn's RFE(LinearRegression())", function()
  -- RFE(LinearRegression(), n_features_to_select=nf, step=st).fit(X, y).ranking_
  --   nf 1, step 1 -> [1, 2, 4, 3, 5]; nf 2, step 2 -> [1, 1, 3, 2, 3];
  --   nf 3, step 1 -> [1, 1, 2, 1, 3]
  local cases = {{1, 1, {1, 2, 4, 3, 5}}, {2, 2, {1, 1, 3, 2, 3}}, {3, 1, {1, 1, 2, 1, 3}}}
  for _, cs in ipairs(cases) do
    local r = feat.rfe(data(), "y", {model = ols, n_features = cs[1], step = cs[2]})
    local got = {}
    for j, nm in ipairs{"a", "b", "c", "d", "e"} do got[j] = r.ranking[nm] end
    T.eq(got, cs[3], "ranking nf=" .. cs[1] .. " step=" .. cs[2])
    T.eq(#r.selected, cs[1])
    for _, nm in ipairs(r.selected) do T.truthy(r.support[nm] and r.ranking[nm] == 1) end
    local fitted = {}
    for k in pairs(r.model.coef) do fitted[#fitted + 1] = k end
    T.eq(#fitted, cs[1] + 1, "the final model is fitted on the selected columns (and const)")
  end
  -- default n_features: half (5 // 2 = 2), as sklearn: nf 2, step 1 keeps a and b
  local r = feat.rfe(X(), cols.y, {model = ols})
  T.eq(r.selected, {"a", "b"})
end)

T.case("fsel-1.8 rfe takes importances() and lists, and checks its model", function()
  -- importances as a list in column order: the weakest (c, then e) go first
  local function imp()
    local m = {}
    function m:fit(Xf) self.names = Xf:names() end
    function m:importances()
      local w = {a = 5, b = 4, c = 1, d = 3, e = 2}
      local t = {}
      for j, nm in ipairs(self.names) do t[j] = w[nm] end
      return t
    end
    return m
  end
  local r = feat.rfe(X(), cols.y, {model = imp, n_features = 2})
  T.eq(r.selected, {"a", "b"})
  T.eq(r.ranking.c, 4)
  T.eq(r.ranking.e, 3)
  local function bare() return {fit = function() end} end
  T.raises(function() feat.rfe(X(), cols.y, {model = bare}) end,
           "none of :coefficients(), :importances(), :params()")
  T.raises(function() feat.rfe(X(), cols.y, {}) end, "model must be a function")
  T.raises(function() feat.rfe(X(), cols.y, {model = ols, n_features = 9}) end,
           "n_features must be in [1, 5]")
  T.raises(function() feat.rfe(X(), cols.y, {model = ols, steps = 2}) end,
           "unknown option 'steps'")
end)

T.case("fsel-1.9 corr refuses a non-numeric column by name; constant gives NaN", function()
  local f = moneta.frame{x = {1, 2, 3}, k = {1, 1, 1}, s = {"a", "b", "c"}}
  T.raises(function() feat.corr(f) end, "feat.corr: column 's' is")
  local r = feat.corr(f:select{"x", "k"})
  T.truthy(r:col("k")[1] ~= r:col("k")[1], "constant column: NaN against x")
  T.raises(function() feat.corr(f, {method = "kendall"}) end, "method must be")
end)

T.case("select-9.1 rfe drives ml.linear through its params(), const ignored", function()
  -- y = 3 a + 2 c exactly, b and d noise-free but unused: OLS gives b and d coefficient 0,
  -- so RFE keeps a and c (by hand: |3| > |2| > |0| = |0|, the earlier zero dropped first)
  local a, b, c, d, y = {}, {}, {}, {}, {}
  for i = 1, 30 do
    a[i], b[i], c[i], d[i] = math.sin(i), math.cos(2 * i), (i % 7) / 7, math.sin(3 * i + 1)
    y[i] = 3 * a[i] + 2 * c[i]
  end
  local f = moneta.frame{{"a", a}, {"b", b}, {"c", c}, {"d", d}}
  local r = feat.rfe(f, y, {model = function() return moneta.ml.linear{} end, n_features = 2})
  T.eq(r.selected, {"a", "c"})
  T.eq(r.ranking.a, 1); T.eq(r.ranking.c, 1)
end)

T.done()
