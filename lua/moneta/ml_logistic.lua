-- moneta.ml_logistic: ml.logistic, logistic regression (binary: IRLS with standard errors,
-- L2, L1, elastic net, class and sample weights, separation reported; more than two classes:
-- unpenalised multinomial, as statsmodels' MNLogit). The numbers are C
-- (ml/logistic.c via moneta.c.ml); this file checks options, maps labels, prints the
-- statsmodels-style summary and saves/loads kind "ml.logistic". Returns function(ml).
local doc = require "moneta.doc"

local KIND, VERSION = "ml.logistic", 1
local Z975 = 1.959963984540054            -- scipy.stats.norm.ppf(0.975)

local Logistic = {__name = "moneta.Logistic"}
Logistic.__index = Logistic

local OPTS = {"penalty", "lambda", "C", "alpha", "class_weight", "max_iter", "tol",
              "fit_intercept"}
local PENALTIES = {none = true, l2 = true, l1 = true, elasticnet = true}

return function(ml)
  local B = ml._base
  local C = B.C
  assert(type(C.logistic_fit) == "function",
         "moneta.ml_logistic: moneta.c.ml lacks logistic_fit (lb_ml_logistic not called)")
  local metrics = require "moneta.metrics"

  local function num(o, k, what, lo)
    local v = o[k]
    if v == nil then return nil end
    if type(v) ~= "number" or v ~= v or (lo and v < lo) then
      error(string.format("%s: %s must be a number%s, got %s", what, k,
                          lo and (" >= " .. lo) or "", tostring(v)), 4)
    end
    return v
  end

  -- ml.logistic{opts} -> an unfitted model
  local function new(opts)
    local what = "ml.logistic"
    local o = B.check_opts(opts, what, OPTS)
    local s = {}
    if o.lambda ~= nil and o.C ~= nil then
      error(what .. ": give lambda or C (= 1 / lambda), not both", 2)
    end
    local lam = num(o, "lambda", what, 0)
    local c = num(o, "C", what, 0)
    if c ~= nil then
      if c <= 0 then error(what .. ": C must be > 0 (C = 1 / lambda)", 2) end
      lam = 1 / c
    end
    local pen = o.penalty
    if pen == nil then pen = lam ~= nil and "l2" or "none" end
    if pen == false then pen = "none" end
    if type(pen) ~= "string" or not PENALTIES[pen] then
      error(what .. ": penalty must be 'none', 'l2', 'l1' or 'elasticnet', got " ..
            tostring(pen), 2)
    end
    if pen == "none" and lam ~= nil and lam ~= 0 then
      error(what .. ": lambda / C given with penalty = 'none'", 2)
    end
    local alpha = num(o, "alpha", what, 0)
    if alpha ~= nil and (alpha > 1 or pen ~= "elasticnet") then
      error(what .. ": alpha (the L1 share, in [0, 1]) goes with penalty = 'elasticnet'", 2)
    end
    s.penalty, s.lambda = pen, lam or 1.0
    s.alpha = alpha or 0.5
    local cw = o.class_weight
    if cw ~= nil and cw ~= "balanced" and type(cw) ~= "table" then
      error(what .. ": class_weight must be 'balanced' or a table {[label] = weight}", 2)
    end
    s.class_weight = cw
    s.max_iter = num(o, "max_iter", what, 1) or 100
    if math.type(s.max_iter) ~= "integer" and s.max_iter ~= math.floor(s.max_iter) then
      error(what .. ": max_iter must be an integer", 2)
    end
    s.tol = num(o, "tol", what, 0) or 1e-10
    if s.tol <= 0 then error(what .. ": tol must be > 0", 2) end
    if o.fit_intercept ~= nil and type(o.fit_intercept) ~= "boolean" then
      error(what .. ": fit_intercept must be a boolean", 2)
    end
    s.fit_intercept = o.fit_intercept ~= false
    return setmetatable({_what = what, _spec = s, _fitted = false}, Logistic)
  end

  -- The classes of y: its sorted distinct values; y mapped to 0/1 (two) or 0..K-1.
  local function classes_of(what, y)
    local set, list = {}, {}
    for i = 1, #y do
      local v = y[i]
      if not set[v] then set[v] = true; list[#list + 1] = v end
    end
    table.sort(list)
    for i, v in ipairs(list) do list[i] = math.tointeger(v) or v end   -- 1.0 -> 1
    if #list < 2 then
      error(string.format("%s: y has one class only (%s): a classifier needs two", what,
                          tostring(list[1])), 3)
    end
    if #list > 256 then
      error(string.format("%s: y has %d classes (at most 256)", what, #list), 3)
    end
    local idx, z = {}, {}
    for i, v in ipairs(list) do idx[v] = i - 1 end
    for i = 1, #y do z[i] = idx[y[i]] end
    return list, z
  end

  --- model:fit(X, y [, {sample_weight =}]) -> model
  function Logistic:fit(X, y, fopts)
    local what = self._what .. ":fit"
    local fo = B.check_opts(fopts, what, {"sample_weight"})
    local D, yv, yname = B.xy(what, X, y)
    local classes, z = classes_of(what, yv)
    local s = self._spec
    local w = fo.sample_weight
    if w ~= nil then w = B.call(what, C.vector, w) end
    if #classes > 2 then
      if s.penalty ~= "none" or s.class_weight ~= nil then
        error(string.format("%s: y has %d classes: the multinomial fit takes no penalty or " ..
                            "class_weight yet (sample_weight works)", what, #classes), 2)
      end
      self._c = B.call(what, C.mlogit_fit, D, z, #classes, w,
                       {max_iter = math.tointeger(s.max_iter), tol = s.tol,
                        fit_intercept = s.fit_intercept})
      self._multi = true
      return self:_fitted_from(D, X, classes, yname)
    end
    self._multi = false
    local copt = {penalty = s.penalty, lambda = s.lambda, alpha = s.alpha,
                  max_iter = math.tointeger(s.max_iter), tol = s.tol,
                  fit_intercept = s.fit_intercept}
    if s.class_weight == "balanced" then
      copt.balanced = true
    elseif type(s.class_weight) == "table" then
      for k in pairs(s.class_weight) do
        if k ~= classes[1] and k ~= classes[2] then
          error(string.format("%s: class_weight names class %s, which y does not have",
                              what, tostring(k)), 2)
        end
      end
      copt.w0 = s.class_weight[classes[1]] or 1
      copt.w1 = s.class_weight[classes[2]] or 1
    end
    self._c = B.call(what, C.logistic_fit, D, z, w, copt)
    return self:_fitted_from(D, X, classes, yname)
  end

  function Logistic:_fitted_from(D, X, classes, yname)
    self._classes, self._yname, self._fitted = classes, yname, true
    self._nfeat = D:p()
    self._frame_names = B.is_frame(X) and D:names() or nil
    self._info = self._c:info()
    if self._info.warning and (self._info.separation or not self._info.converged) then
      io.stderr:write("warning: ml.logistic: " .. self._info.warning .. "\n")
    end
    return self
  end

  local function fitted(self, what)
    if not self._fitted then error(what .. ": the model is not fitted (call fit first)", 3) end
  end

  --- model:predict_proba(X) -> list of P(y = the larger label); more than two classes:
  --- a list of rows, each the class probabilities in the order of the sorted labels
  function Logistic:predict_proba(X)
    local what = self._what .. ":predict_proba"
    fitted(self, what)
    return B.call(what, self._c.predict_proba, self._c, B.design_for(what, self, X))
  end

  --- model:predict(X [, threshold]) -> list of labels (the larger label where p >= 0.5)
  function Logistic:predict(X, threshold)
    local what = self._what .. ":predict"
    fitted(self, what)
    threshold = threshold or 0.5
    local p = B.call(what, self._c.predict_proba, self._c, B.design_for(what, self, X))
    local out, c = {}, self._classes
    if self._multi then
      for i = 1, #p do
        local best = 1
        for j = 2, #c do if p[i][j] > p[i][best] then best = j end end
        out[i] = c[best]
      end
      return out
    end
    for i = 1, #p do out[i] = p[i] >= threshold and c[2] or c[1] end
    return out
  end

  --- model:evaluate(X, y) -> {accuracy, auc, logloss, brier, ks, gini, nobs}
  function Logistic:evaluate(X, y)
    local what = self._what .. ":evaluate"
    fitted(self, what)
    local D, yv = B.xy(what, X, y)
    local p = B.call(what, self._c.predict_proba, self._c, D)
    local c, z, idx = self._classes, {}, {}
    for i, v in ipairs(c) do idx[v] = i end
    for i = 1, #yv do
      if idx[yv[i]] == nil then
        error(string.format("%s: y, row %d: %s is not a class of the model", what, i,
                            tostring(yv[i])), 2)
      end
      z[i] = idx[yv[i]] - 1
    end
    if self._multi then                          -- accuracy and mean log loss
      local right, ll = 0, 0
      for i = 1, #z do
        local row, best = p[i], 1
        for j = 2, #c do if row[j] > row[best] then best = j end end
        if best == z[i] + 1 then right = right + 1 end
        ll = ll - math.log(math.max(row[z[i] + 1], 1e-15))
      end
      return {nobs = #z, accuracy = right / #z, logloss = ll / #z}
    end
    local r = {nobs = #z, accuracy = metrics.accuracy(z, p), logloss = metrics.logloss(z, p),
               brier = metrics.brier(z, p)}
    local ok, auc = pcall(metrics.auc, z, p)
    if ok then r.auc, r.gini, r.ks = auc, 2 * auc - 1, (metrics.ks(z, p)) end
    return r
  end

  -- Parameter names: the columns' for two classes; "name[label]" per equation otherwise.
  local function pnames(self)
    local t = self._info
    if not self._multi then return t.names end
    local out = {}
    for c = 2, #self._classes do
      for _, n in ipairs(t.names) do
        out[#out + 1] = n .. "[" .. tostring(self._classes[c]) .. "]"
      end
    end
    return out
  end

  --- model:params() -> name -> coefficient
  function Logistic:params()
    fitted(self, self._what .. ":params")
    return B.params(pnames(self), self._info.coef)
  end

  local function yesno(b) return b and "True" or "False" end

  --- model:summary() -> the coefficient table (statsmodels' Logit summary when printed)
  function Logistic:summary()
    fitted(self, self._what .. ":summary")
    local t = self._info
    local lo, up = {}, {}
    for i = 1, #t.coef do
      lo[i], up[i] = t.coef[i] - Z975 * t.se[i], t.coef[i] + Z975 * t.se[i]
    end
    local k = #t.coef
    local dfm = k - (t.fit_intercept and 1 or 0) * (self._multi and #self._classes - 1 or 1)
    local pen = t.penalty == "none" and "MLE" or
      string.format("%s, lambda=%s", t.penalty, B.forg(t.lambda))
    if t.penalty == "elasticnet" then pen = pen .. string.format(" a=%s", B.forg(t.alpha)) end
    local notes = {}
    if t.warning then notes[#notes + 1] = t.warning end
    return B.summary{
      title = self._multi and "MNLogit Regression Results" or "Logit Regression Results",
      names = pnames(self), coef = t.coef, se = t.se,
      stat = t.z, p = t.p, lower = lo, upper = up, stat_name = "z",
      loglik = t.loglik, llnull = t.llnull, prsquared = t.prsquared, aic = t.aic,
      bic = t.bic, nobs = t.nobs, iter = t.iter, converged = t.converged,
      separation = t.separation, llr_pvalue = t.llr_pvalue, warning = t.warning,
      left = {{"Dep. Variable", self._yname}, {"Model", self._multi and "MNLogit" or "Logit"},
              {"Method", pen},
              {"converged", yesno(t.converged)}, {"Iterations", t.iter}},
      right = {{"No. Observations", t.nobs}, {"Df Residuals", t.nobs - k},
               {"Df Model", dfm}, {"Pseudo R-squ.", string.format("%.4f", t.prsquared)},
               {"Log-Likelihood", string.format("%.5g", t.loglik)},
               {"LL-Null", string.format("%.5g", t.llnull)},
               {"LLR p-value", string.format("%.4g", t.llr_pvalue)}},
      foot_left = {{"AIC", string.format("%.4f", t.aic)}},
      foot_right = {{"BIC", string.format("%.4f", t.bic)}},
      notes = notes,
    }
  end

  --- model:save(path [, {prep = transform}])
  function Logistic:save(path, opts) B.save(self, path, opts) end

  function Logistic:_state()
    local t, s = self._info, self._spec
    local o = {penalty = t.penalty, lambda = t.lambda, alpha = t.alpha,
               fit_intercept = t.fit_intercept, names = t.names, classes = self._classes,
               yname = self._yname, warning = t.warning or "", max_iter = s.max_iter,
               tol = s.tol, frame = self._frame_names ~= nil,
               multinomial = self._multi or false}
    if type(s.class_weight) == "string" then o.class_weight = s.class_weight end
    return KIND, VERSION, o,
      {{"coef", t.coef}, {"se", t.se}, {"z", t.z}, {"p", t.p}, {"stats", t.stats}}
  end

  B.register(KIND, function(st)
    if st.version ~= VERSION then
      error(string.format("ml.logistic file version %d, this moneta reads %d", st.version,
                          VERSION))
    end
    local o, a = st.options, st.arrays
    if type(o.names) ~= "table" or type(o.classes) ~= "table" or #o.classes < 2 or
       (#o.classes > 2) ~= (o.multinomial == true) then
      error("the options lack names or the classes")
    end
    for _, k in ipairs{"coef", "se", "z", "p", "stats"} do
      if type(a[k]) ~= "table" then error("array '" .. k .. "' is missing") end
    end
    local from = o.multinomial and C.mlogit_from or C.logistic_from
    local c = from{K = #o.classes,names = o.names, coef = a.coef, se = a.se, z = a.z, p = a.p,
                              stats = a.stats, fit_intercept = o.fit_intercept,
                              penalty = o.penalty, lambda = o.lambda, alpha = o.alpha,
                              warning = o.warning}
    local mdl = new{penalty = o.penalty, max_iter = o.max_iter, tol = o.tol,
                    fit_intercept = o.fit_intercept, class_weight = o.class_weight,
                    lambda = o.penalty ~= "none" and o.lambda or nil,
                    alpha = o.penalty == "elasticnet" and o.alpha or nil}
    mdl._c, mdl._info, mdl._fitted = c, c:info(), true
    mdl._classes, mdl._yname, mdl._multi = o.classes, o.yname, o.multinomial == true
    mdl._nfeat = #o.names - (o.fit_intercept and 1 or 0)
    if o.frame then
      local fn = {}
      for i = (o.fit_intercept and 2 or 1), #o.names do fn[#fn + 1] = o.names[i] end
      mdl._frame_names = fn
    end
    return mdl
  end)

  ml.logistic = new
  doc.add(new, "moneta.ml.logistic",
    "ml.logistic{penalty=, lambda= | C=, alpha=, class_weight=, max_iter=100, tol=1e-10, " ..
    "fit_intercept=true} -> model",
    "Logistic regression: IRLS (QR) with standard errors, z, p (more than two classes: " ..
    "unpenalised multinomial, statsmodels' MNLogit); penalty 'l2', 'l1' " ..
    "or 'elasticnet' minimises sum w logloss + lambda((1-alpha)/2|b|^2 + alpha|b|_1), " ..
    "scikit-learn's with C = 1/lambda; class_weight 'balanced' or {[label] = w}.", "ml")
  for _, d in ipairs{
    {"fit", "logistic:fit(X, y [, {sample_weight=}]) -> model",
     "Two classes: the larger label is positive; separation is an error (perfect) or a " ..
     "warning naming the columns (quasi-complete). More: softmax against the smallest label."},
    {"predict", "logistic:predict(X [, threshold=0.5]) -> labels",
     "The larger label where P >= threshold, else the smaller; multinomial: the likeliest."},
    {"predict_proba", "logistic:predict_proba(X) -> list",
     "P(y = the larger label) per row; multinomial: per row, the probabilities of the " ..
     "sorted labels."},
    {"evaluate", "logistic:evaluate(X, y) -> {accuracy, auc, gini, ks, logloss, brier, nobs}",
     "Classification metrics of the fitted model on X, y."},
    {"summary", "logistic:summary() -> table",
     "names, coef, se, stat (z), p, loglik, llnull, prsquared, aic, bic, nobs; prints as " ..
     "statsmodels' Logit summary. Penalised fits have no se/p (NaN) and say why."},
    {"params", "logistic:params() -> {name = coef}", "The coefficients; the intercept is const."},
    {"save", "logistic:save(path [, {prep = transform}])",
     "Model file of kind ml.logistic; moneta.load opens it again."},
  } do doc.add(Logistic[d[1]], "logistic:" .. d[1], d[2], d[3], "ml") end
end
