-- test_ml_logistic.lua: ml.logistic through its public names. Expected values come from
-- statsmodels' Logit and scikit-learn's LogisticRegression (Debian's python3-statsmodels,
-- python3-sklearn via /usr/bin/python3; the snippets beside them), closed forms and properties.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"
local ml = m.ml
local TMP = os.getenv("MONETA_TEST_TMP") or "/tmp"
os.execute("mkdir -p '" .. TMP .. "'")

-- The data of every snippet (n = 200, exact integers):
--   i = np.arange(200); u = ((i*7919+13)*104729 % 1000003)/1000003.0
--   x1 = ((i*37+11)%101)/50.0-1.0; x2 = ((i*53+7)%97)/24.0-2.0
--   y = (u < 1/(1+np.exp(-(0.5+1.2*x1-0.8*x2)))).astype(float); X = np.column_stack([x1, x2])
local function data()
  local x1, x2, y = {}, {}, {}
  for i = 0, 199 do
    local u = ((i * 7919 + 13) * 104729 % 1000003) / 1000003.0
    x1[i + 1] = ((i * 37 + 11) % 101) / 50.0 - 1.0
    x2[i + 1] = ((i * 53 + 7) % 97) / 24.0 - 2.0
    y[i + 1] = u < 1 / (1 + math.exp(-(0.5 + 1.2 * x1[i + 1] - 0.8 * x2[i + 1]))) and 1 or 0
  end
  return m.frame{x1 = x1, x2 = x2, y = y}, y
end

local function near_all(got, want, tol)
  for i = 1, #want do T.near(got[i], want[i], tol * math.max(1, math.abs(want[i]))) end
end

T.case("lg-1.1 unpenalised: statsmodels' Logit numbers and summary", function()
  local f = data()
  local lr = ml.logistic{}:fit(f, "y")
  T.eq(lr, lr:fit(f, "y"))                                    -- fit returns the model
  local s = lr:summary()
  -- r = sm.Logit(y, sm.add_constant(X)).fit(tol=1e-12); r.params, r.bse, r.llf
  near_all(s.coef, {0.4714234063925798, 1.5313002907088005, -0.7265873430717369}, 1e-9)
  near_all(s.se, {0.1666692437189899, 0.3085702483879293, 0.15210502939912715}, 1e-8)
  T.near(s.loglik, -110.58387698017202, 1e-9)
  T.near(s.x1.p, 6.956783682789050e-07, 1e-13)                -- r.pvalues[1]
  -- llnull in closed form 118 ln .59 + 82 ln .41 (statsmodels fits it: 2e-8 off)
  T.near(s.llnull, -135.37170934699014, 1e-10)
  T.near(s.prsquared, 0.18310939919714664, 1e-12)
  -- scipy.stats.chi2.sf(2 * (llf - llnull), 2) with that llnull
  T.near(s.llr_pvalue, 1.7170430529429416e-11, 1e-19)
  T.near(s.aic, 227.16775396034404, 1e-8); T.near(s.bic, 237.06270605998816, 1e-8)
  T.eq(s.nobs, 200); T.eq(s.names, {"const", "x1", "x2"})
  T.near(lr:params().const, 0.4714234063925798, 1e-9)
  local txt = tostring(s)
  T.truthy(txt:find("Logit Regression Results", 1, true) and txt:find("P>|z|", 1, true))
  T.truthy(txt:find("x2%s+%-0%.7266%s+0%.1521%s+%-4%.777"))
  local p = lr:predict_proba(f)
  T.near(p[1], 1 / (1 + math.exp(-(s.coef[1] + s.coef[2] * f:col("x1")[1] +
                                   s.coef[3] * f:col("x2")[1]))), 1e-12)
  local lab = lr:predict(f)
  for i = 1, #p do T.eq(lab[i], p[i] >= 0.5 and 1 or 0) end
  local ev = lr:evaluate(f, "y")
  T.near(ev.auc, m.metrics.auc(f:col("y"), p), 0); T.near(ev.gini, 2 * ev.auc - 1, 1e-15)
end)

T.case("lg-1.2 penalised: scikit-learn's LogisticRegression, C = 1 / lambda", function()
  local f = data()
  -- LogisticRegression(C=0.5, tol=1e-12, max_iter=10000).fit(X, y)
  local a = ml.logistic{penalty = "l2", C = 0.5}:fit(f, "y"):summary()
  near_all(a.coef, {0.448174639634863, 1.2824788983614412, -0.6638925476912491}, 1e-7)
  T.truthy(a.se[2] ~= a.se[2] and a.p[2] ~= a.p[2])           -- no se / p: NaN
  T.truthy(a.warning:find("no standard errors", 1, true))
  local b = ml.logistic{lambda = 2}:fit(f, "y"):summary()     -- lambda alone means l2
  T.near(b.coef[2], a.coef[2], 1e-12)
  -- LogisticRegression(C=1.0, class_weight='balanced', tol=1e-12).fit(X, y)
  local c = ml.logistic{C = 1, class_weight = "balanced"}:fit(f, "y"):summary()
  near_all(c.coef, {0.09867632396694878, 1.4002740833004141, -0.6964860885422136}, 1e-7)
  -- sample weights w = 1+(i%3), C = 0.25: LogisticRegression(C=0.25, tol=1e-12).fit(X, y,
  -- sample_weight=w) gives (0.50262799, 1.33380427, -0.71532076), good to only ~2e-6: its
  -- objective sum(w*(logaddexp(0,e)-y*e)) + 2|b|^2 is 9e-11 above ours. The optimum from
  -- scipy.optimize.minimize(obj, zeros(3), jac=grad, method='BFGS', gtol=1e-13):
  local w = {}
  for i = 0, 199 do w[i + 1] = 1 + i % 3 end
  local d = ml.logistic{C = 0.25}:fit(f, "y", {sample_weight = w}):summary()
  near_all(d.coef, {0.5026274711010909, 1.3338060120015907, -0.7153201649542494}, 1e-9)
  near_all(d.coef, {0.50262799, 1.33380427, -0.71532076}, 3e-6)
  -- LogisticRegression(C=0.1, penalty='elasticnet', l1_ratio=0.4, solver='saga',
  --                    tol=1e-15, max_iter=2000000).fit(X, y)  (saga: good to ~1e-6)
  local e = ml.logistic{penalty = "elasticnet", C = 0.1, alpha = 0.4}:fit(f, "y"):summary()
  near_all(e.coef, {0.4050236062277052, 0.7663644846626357, -0.5021551687356399}, 1e-5)
  -- a class_weight table {[label] = w} equals "balanced" at n / (2 n_c): 118 ones, 82 zeros
  local g = ml.logistic{C = 1, class_weight = {[0] = 200 / 164, [1] = 200 / 236}}
  near_all(g:fit(f, "y"):summary().coef, c.coef, 1e-10)
end)

T.case("lg-1.3 recovers simulated coefficients; labels other than 0/1", function()
  -- 5000 rows from b = (0.3, -1, 2): each estimate within 4 standard errors of the truth
  local a, b, y = {}, {}, {}
  local s = 12345
  local function unif()
    s = (s * 1103515245 + 12345) % 2147483648
    return (s + 0.5) / 2147483648
  end
  for i = 1, 5000 do
    a[i], b[i] = unif() * 4 - 2, unif() * 2 - 1
    local p = 1 / (1 + math.exp(-(0.3 - a[i] + 2 * b[i])))
    y[i] = unif() < p and "bad" or "good"
  end
  local yn = {}
  for i = 1, 5000 do yn[i] = y[i] == "good" and 2 or 1 end   -- classes 1 < 2: 2 is positive
  local lr = ml.logistic{}:fit(m.frame{a = a, b = b}, yn)
  local sm = lr:summary()
  local truth = {-0.3, 1, -2}                                  -- P(2) = 1 - P(bad)
  for i = 1, 3 do T.truthy(math.abs(sm.coef[i] - truth[i]) < 4 * sm.se[i], sm.names[i]) end
  local lab = lr:predict(m.frame{a = {0}, b = {0.9}})
  T.eq(lab[1], 1)                                              -- strongly "bad" = class 1
end)

T.case("lg-1.4 separation, one class, NaN and unknown options are refused", function()
  local cut, noise, y = {}, {}, {}
  for i = 1, 20 do cut[i] = i; noise[i] = (i * 7) % 5; y[i] = i > 10 and 1 or 0 end
  local f = m.frame{noise = noise, cut = cut}
  T.raises(function() ml.logistic{}:fit(f, y) end, "perfect separation: 'cut'")
  for i = 11, 20 do cut[i] = 11; y[i] = i % 2 end
  local q = ml.logistic{}:fit(m.frame{noise = noise, cut = cut}, y):summary()
  T.truthy(q.separation and q.warning:find("quasi-complete separation", 1, true) and
           q.warning:find("'cut'", 1, true))
  T.raises(function() ml.logistic{}:fit(f, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                                            1, 1, 1, 1}) end, "one class only")
  local g = data()
  local x1 = g:col("x1"):values(); x1[7] = 0 / 0
  T.raises(function() ml.logistic{}:fit(m.frame{x1 = x1, y = g:col("y")}, "y") end,
           "row 7, column 'x1'")
  T.raises(function() ml.logistic{penalti = "l2"} end, "unknown option 'penalti'")
  T.raises(function() ml.logistic{}:fit(g, "y", {weights = 1}) end, "unknown option 'weights'")
  T.raises(function() ml.logistic{penalty = "l3"} end, "penalty must be")
  T.raises(function() ml.logistic{C = 1, lambda = 1} end, "not both")
  T.raises(function() ml.logistic{alpha = 0.5, penalty = "l2"} end, "elasticnet")
  T.raises(function() ml.logistic{}:predict(g) end, "not fitted")
end)

T.case("lg-1.5 save and load give identical predictions; a damaged file is refused", function()
  local f = data()
  local lr = ml.logistic{penalty = "l1", lambda = 3}:fit(f, "y")
  local path = TMP .. "/lg15.mdl"
  lr:save(path)
  local back = m.load(path)
  local p, q = lr:predict_proba(f), back:predict_proba(f)
  for i = 1, #p do T.eq(q[i], p[i]) end
  T.eq(back:summary().names, lr:summary().names)
  T.eq(tostring(back:summary()), tostring(lr:summary()))
  local fh = assert(io.open(path, "rb")); local bytes = fh:read("a"); fh:close()
  local k = #bytes - 20
  local bad = bytes:sub(1, k - 1) .. string.char((bytes:byte(k) + 1) % 256) .. bytes:sub(k + 1)
  fh = assert(io.open(path, "wb")); fh:write(bad); fh:close()
  T.raises(function() m.load(path) end, "")
  os.remove(path)
end)

T.case("lg-1.7 three classes: statsmodels' MNLogit; save and load", function()
  -- i = np.arange(300); u, x1, x2 as above; e1 = 0.3+x1-0.5*x2; e2 = -0.2-0.8*x1+0.7*x2
  -- d = 1+exp(e1)+exp(e2); y = where(u < 1/d, 0, where(u < (1+exp(e1))/d, 1, 2))
  -- r = sm.MNLogit(y, sm.add_constant(X)).fit(method='newton', tol=1e-12)
  local x1, x2, y = {}, {}, {}
  for i = 0, 299 do
    local u = ((i * 7919 + 13) * 104729 % 1000003) / 1000003.0
    local a, b = ((i * 37 + 11) % 101) / 50.0 - 1.0, ((i * 53 + 7) % 97) / 24.0 - 2.0
    local e1, e2 = 0.3 + a - 0.5 * b, -0.2 - 0.8 * a + 0.7 * b
    local d = 1 + math.exp(e1) + math.exp(e2)
    x1[i + 1], x2[i + 1] = a, b
    y[i + 1] = u < 1 / d and 0 or (u < (1 + math.exp(e1)) / d and 1 or 2)
  end
  local f = m.frame{x1 = x1, x2 = x2, y = y}
  local lr = ml.logistic{}:fit(f, "y")
  local s = lr:summary()
  T.eq(s.names, {"const[1]", "x1[1]", "x2[1]", "const[2]", "x1[2]", "x2[2]"})
  near_all(s.coef, {0.2814261190394935, 0.7627990005431475, -0.4835814645764948,
                    -0.19818689925732524, -1.1163031984728775, 0.711872598451754}, 1e-9)
  near_all(s.se, {0.1547481031225369, 0.2725471860991362, 0.13917152629966936,
                  0.18149962636271333, 0.3029136813458894, 0.1595173857508725}, 1e-8)
  T.near(s.loglik, -273.95358218378595, 1e-9)                 -- r.llf
  T.near(lr:params()["x2[2]"], 0.711872598451754, 1e-9)
  local p = lr:predict_proba(f)
  T.near(p[1][1] + p[1][2] + p[1][3], 1, 1e-15)
  local lab = lr:predict(f)
  for i = 1, #p do
    local best = 1
    for j = 2, 3 do if p[i][j] > p[i][best] then best = j end end
    T.eq(lab[i], best - 1)
  end
  local path = TMP .. "/lg17.mdl"
  lr:save(path)
  local back = m.load(path)
  local q = back:predict_proba(f)
  for i = 1, #p do T.eq(q[i], p[i]) end
  os.remove(path)
  T.raises(function() ml.logistic{penalty = "l2"}:fit(f, "y") end, "no penalty")
end)

T.case("lg-1.6 scripts/scorecard.lua runs to the end with AUC, KS and Gini", function()
  local out = T.tmpdir() .. "/scorecard.out"
  local ok, how, code = os.execute(string.format("%s scripts/scorecard.lua %s > %s 2>&1",
                                   arg[-1], T.tmpdir() .. "/scorecard.mdl", out))
  local f = io.open(out); local txt = f:read("a"); f:close()
  T.eq(how == "exit" and code or -1, 0, txt)
  _ = ok
  T.truthy(txt:find("Logit Regression Results", 1, true), txt)
  for _, name in ipairs{"logistic, one%-hot", "logistic L2", "logistic on WoE"} do
    local auc, ks, gini = txt:match(name .. "[^\n]-AUC ([%d.]+)%s+KS ([%d.]+)%s+Gini ([%d.]+)")
    T.truthy(auc, name)
    T.near(tonumber(gini), 2 * tonumber(auc) - 1, 2e-4)        -- Gini = 2 AUC - 1
    T.truthy(tonumber(auc) > 0.75 and tonumber(ks) > 0.3, name)
  end
  T.truthy(txt:find("reloaded predictions match: true", 1, true), txt)
end)

T.done()
