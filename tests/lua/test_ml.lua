-- test_ml.lua: moneta.ml through its public names: the shared base (designs from frames and
-- tensors, option checks, the options text, model files) and ml.linear. Expected values are
-- worked by hand, NIST StRD certified values, or statsmodels (the snippet beside them).
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"
local ml = m.ml
local B = ml._base
local TMP = os.getenv("MONETA_TEST_TMP") or "/tmp"
os.execute("mkdir -p '" .. TMP .. "'")

T.case("ml-1.1 a design from a frame and from a tensor", function()
  local f = m.frame{a = {1, 2, 3}, b = {4, 5, 6}}
  local D = B.design("t", f)
  T.eq(D:n(), 3); T.eq(D:p(), 2)
  T.eq(D:names(), {"a", "b"})
  T.eq(D:column(2), {4, 5, 6})
  local t = m.tensor.from({1, 2, 3, 4, 5, 6}, {3, 2})
  local Dt = B.design("t", t)
  T.eq(Dt:names(), {"x1", "x2"}); T.eq(Dt:column(1), {1, 3, 5})
end)

T.case("ml-1.2 y by name drops it from X; NaN and text are refused by row and column", function()
  local f = m.frame{a = {1, 2, 3}, y = {1, 0, 1}}
  local D, y, yname = B.xy("t", f, "y")
  T.eq(D:names(), {"a"}); T.eq(y, {1, 0, 1}); T.eq(yname, "y")
  local g = m.frame{a = {1, 0 / 0, 3}}
  T.raises(function() B.xy("fit", g, {1, 2, 3}) end, "row 2, column 'a'")
  T.raises(function() B.xy("fit", m.frame{a = {1, 2}}, {1, 0 / 0}) end, "y: row 2 is NaN")
  T.raises(function() B.xy("fit", m.frame{a = {1, 2}}, {1, 2, 3}) end, "y has 3 values")
  T.raises(function() B.xy("fit", m.frame{s = {"u", "v"}}, {1, 2}) end, "column 's' is")
  T.raises(function() B.check_opts({nope = 1}, "ml.x", {"a"}) end, "unknown option 'nope'")
end)

T.case("ml-1.3 the options text reads back exactly", function()
  local o = {a = 1, b = 0.1, c = "x \"q\"\n\\", d = true, e = {"p", "q,r"}, f = {1.5, -2},
             g = 1 / 3, h = -1e-300, i = {}}
  local back = B.decode(B.encode(o))
  T.eq(back, o)
  T.raises(function() B.decode("a = 1 junk\n") end, "junk")
end)

T.case("ml-1.4 a registered kind saves and loads; a damaged file is refused", function()
  local Kind = {}
  Kind.__index = Kind
  B.register("ml.test", function(st) return setmetatable({st = st}, Kind) end)
  local mdl = setmetatable({_what = "ml.test", _fitted = true}, Kind)
  function Kind:_state() return "ml.test", 1, {names = {"a"}}, {{"coef", {0.1, 2 / 3}}} end
  local path = TMP .. "/ml_base.mdl"
  B.save(mdl, path)
  local back = m.load(path)
  T.eq(back.st.arrays.coef, {0.1, 2 / 3}); T.eq(back.st.options.names, {"a"})
  local f = assert(io.open(path, "rb")); local s = f:read("a"); f:close()
  f = assert(io.open(path, "wb"))
  f:write(s:sub(1, 60) .. string.char((s:byte(61) + 1) % 256) .. s:sub(62)); f:close()
  T.raises(function() m.load(path) end, "corrupt")
end)

-- The generated set of tests/unit/test_ml_linear.c: i = 1..30, x1 = sin i,
-- x2 = cos(1.7 i) + i / 10, y = 1 + 2 x1 - 0.5 x2 + 0.3 sin(3.1 i^2)(1 + |x1|).
local function gen()
  local x1, x2, y = {}, {}, {}
  for i = 1, 30 do
    x1[i] = math.sin(i); x2[i] = math.cos(1.7 * i) + i / 10
    y[i] = 1 + 2 * x1[i] - 0.5 * x2[i] + 0.3 * math.sin(3.1 * i * i) * (1 + math.abs(x1[i]))
  end
  return m.frame{x1 = x1, x2 = x2, y = y}
end

local function rel(got, want, r, what) T.near(got, want, r * math.abs(want), what) end

-- statsmodels: r = sm.OLS(y, sm.add_constant(np.column_stack([x1, x2]))).fit();
-- r.params, r.bse, r.rsquared, r.llf; .fit(cov_type="HAC", cov_kwds={"maxlags": 2,
-- "use_correction": True}).bse
T.case("ml-2.1 OLS through a frame: statsmodels' coefficients, errors and summary", function()
  local f = gen()
  local mdl = ml.linear{}:fit(f, "y")
  local s = mdl:summary()
  T.eq(s.names, {"const", "x1", "x2"})
  rel(s.coef[2], 1.9338519641699206, 1e-12)
  rel(s.const.se, 0.10471739238455838, 1e-12)
  rel(s.x2.stat, -10.405604476355641, 1e-11)
  rel(s.r2, 0.9620075981258558, 1e-13)
  rel(s.loglik, -8.688671385133102, 1e-12)
  T.eq(s.nobs, 30)
  rel(mdl:params().x2, -0.5626266265936164, 1e-12)
  local text = tostring(s)
  T.truthy(text:find("OLS Regression Results", 1, true), text)
  T.truthy(text:find("Durbin%-Watson:%s+2.505"), text)
  T.truthy(text:find("x1%s+1.9339%s+0.0875%s+22.103"), text)
  local hac = ml.linear{cov_type = "HAC", maxlags = 2}:fit(f, "y"):summary()
  rel(hac.x1.se, 0.08377965692727778, 1e-11)
  T.truthy(tostring(hac):find("P>|z|", 1, true))
  -- y as a column and X as a tensor give the same fit
  local X = {}
  for i = 1, 30 do X[i] = {f:col("x1")[i], f:col("x2")[i]} end
  local mt = ml.linear{}:fit(m.tensor.from(X), f:col("y"))
  -- float32 tensors: the coefficients agree to float32's digits
  T.near(mt:params().x1, 1.9338519641699206, 1e-5)
  T.eq(mt.names, {"const", "x1", "x2"})
end)

T.case("ml-2.2 WLS and HC errors on request; unknown and bad options are errors", function()
  local f = gen()
  local w = {}
  for i = 1, 30 do w[i] = 1 + i % 5 end
  -- sm.WLS(y, X, weights=w).fit(cov_type="HC3").bse
  local s = ml.linear{cov_type = "HC3"}:fit(f, "y", {weights = w}):summary()
  rel(s.coef[1], 1.0386624487842724, 1e-12)
  rel(s.x1.se, 0.11821447917340253, 1e-11)
  T.truthy(tostring(s):find("WLS Regression Results", 1, true))
  T.raises(function() ml.linear{lamda = 1} end, "unknown option 'lamda'")
  T.raises(function() ml.linear{cov_type = "HC9"} end, "cov_type must be one of")
  T.raises(function() ml.linear{cov_type = "HAC"} end, "needs maxlags")
  T.raises(function() ml.linear{}:fit(f, "y", {wieghts = w}) end, "unknown option 'wieghts'")
  T.raises(function() ml.linear{}:predict(f) end, "not fitted")
end)

T.case("ml-2.3 bad input: NaN by row and column, too many columns, a constant column", function()
  T.raises(function() ml.linear{}:fit(m.frame{a = {1, 2, 0 / 0, 4}, y = {1, 2, 3, 4}}, "y") end,
           "row 3, column 'a'")
  T.raises(function()
    ml.linear{}:fit(m.frame{a = {1, 2}, b = {3, 5}, c = {1, 0}, y = {1, 2}}, "y")
  end, "more columns than rows")
  T.raises(function() ml.linear{}:fit(m.frame{g = {"u", "v", "u"}, y = {1, 2, 3}}, "y") end,
           "column 'g' is cat")
  local f = m.frame{a = {1, 2, 3, 4, 5}, k = {7, 7, 7, 7, 7}, y = {2.1, 3.9, 6.2, 7.8, 10.1}}
  local mdl = ml.linear{}:fit(f, "y")
  local text = tostring(mdl:summary())
  T.truthy(text:find("column 'k' is constant", 1, true), text)
  T.truthy(text:find("rank deficient", 1, true), text)
  -- by hand: y on a alone: slope = Sxy / Sxx = 19.9 / 10 = 1.99, const = 6.02 - 1.99 * 3
  local p = mdl:predict(f)
  T.near(p[1], 0.05 + 1.99, 1e-12)
  -- ridge still fits the constant column (its coefficient is 0, glmnet's rule)
  local r = ml.linear{lambda = 0.1, alpha = 0}:fit(f, "y")
  T.eq(r:params().k, 0)
end)

T.case("ml-2.4 save and load give identical predictions; a damaged file is refused", function()
  local f = gen()
  local path = TMP .. "/ml_linear.mdl"
  for _, opts in ipairs{{}, {cov_type = "HC1"}, {lambda = 0.05, alpha = 0.5}} do
    local mdl = ml.linear(opts):fit(f, "y")
    mdl:save(path)
    local back = m.load(path)
    T.eq(back:predict(f), mdl:predict(f))
    T.eq(back:params(), mdl:params())
  end
  local fh = assert(io.open(path, "rb")); local s = fh:read("a"); fh:close()
  local k = #s - 12                                 -- a byte of the coefficients
  fh = assert(io.open(path, "wb"))
  fh:write(s:sub(1, k - 1) .. string.char((s:byte(k) + 1) % 256) .. s:sub(k + 1)); fh:close()
  T.raises(function() m.load(path) end, "corrupt")
  fh = assert(io.open(path, "wb")); fh:write(s:sub(1, #s - 9)); fh:close()
  T.raises(function() m.load(path) end, "load: ")
  T.raises(function() ml.linear{}:save(path) end, "not fitted")
end)

-- scikit-learn: Lasso(alpha=0.2) on the standardised columns, mapped back (test_ml_linear.c)
T.case("ml-2.5 lasso matches sklearn; a fit that does not converge says so", function()
  local f = gen()
  local mdl = ml.linear{lambda = 0.2, tol = 1e-14}:fit(f, "y")
  T.near(mdl:params().x1, 1.692938533283882, 1e-7)
  T.near(mdl:params().const, 0.841091138479986, 1e-7)
  local bad = ml.linear{lambda = 0.001, alpha = 0.5, max_iter = 2, nlambda = 1, tol = 1e-14}
  bad:fit(f, "y")
  T.eq(bad.converged, false)
  T.truthy(tostring(bad:summary()):find("did not converge", 1, true))
  -- the path: decreasing lambdas ending at lambda, warm-started, its last fit the model's
  local path = mdl.path
  T.eq(#path.lambda, 100)
  for l = 2, #path.lambda do T.truthy(path.lambda[l] < path.lambda[l - 1]) end
  T.near(path.lambda[100], 0.2, 1e-15)
  T.eq(path.coef[100], mdl.coef)
  -- by definition of lambda_max: every penalised coefficient is 0 at and above it
  local top = ml.linear{lambda = mdl.lambda_max * 1.0001}:fit(f, "y")
  T.eq(top:params().x1, 0); T.eq(top:params().x2, 0)
  local ev = mdl:evaluate(f, "y")
  T.truthy(ev.rmse > 0 and ev.r2 < 1)
end)

T.done()
