-- moneta.ml.linear: least squares. OLS and WLS by pivoted QR with statsmodels' inference
-- (classical, HC0-HC3, Newey-West errors), ridge / lasso / elastic net by glmnet's coordinate
-- descent; the numbers come from ml/linear.c. Installed into moneta.ml by ml.lua.
return function(M)
  local B = M._base
  local C = B.C
  local doc = require "moneta.doc"

  local KIND, VERSION = "ml.linear", 1
  local OPTS = {"intercept", "cov_type", "maxlags", "lambda", "alpha", "nlambda", "tol",
                "max_iter", "rank_tol"}
  local COVS = {nonrobust = true, HC0 = true, HC1 = true, HC2 = true, HC3 = true, HAC = true}

  local Linear = {__name = "moneta.ml.Linear"}
  Linear.__index = Linear

  local function check(o, what)
    local function num(k, lo)
      local v = o[k]
      if v ~= nil and (type(v) ~= "number" or (lo and not (v >= lo))) then
        error(string.format("%s: %s must be a number%s", what, k, lo and (" >= " .. lo) or ""), 4)
      end
    end
    if o.intercept ~= nil and type(o.intercept) ~= "boolean" then
      error(what .. ": intercept must be true or false", 4)
    end
    if o.cov_type ~= nil and not COVS[o.cov_type] then
      error(what .. ": cov_type must be one of nonrobust, HC0, HC1, HC2, HC3, HAC; got " ..
            tostring(o.cov_type), 4)
    end
    if o.cov_type == "HAC" and math.type(o.maxlags) ~= "integer" then
      error(what .. ": cov_type 'HAC' needs maxlags (a whole number of lags)", 4)
    end
    if o.maxlags ~= nil and o.cov_type ~= "HAC" then
      error(what .. ": maxlags is for cov_type = 'HAC'", 4)
    end
    num("lambda", 0); num("alpha", 0); num("tol", 0); num("rank_tol", 0)
    if o.alpha ~= nil and o.alpha > 1 then error(what .. ": alpha must be in [0, 1]", 4) end
    if o.alpha ~= nil and not o.lambda then error(what .. ": alpha needs lambda", 4) end
    for _, k in ipairs{"nlambda", "max_iter"} do
      if o[k] ~= nil and (math.type(o[k]) ~= "integer" or o[k] < 1) then
        error(what .. ": " .. k .. " must be a whole number >= 1", 4)
      end
    end
    if o.lambda and o.lambda > 0 and o.cov_type then
      error(what .. ": cov_type is for unpenalised fits (lambda = 0)", 4)
    end
  end

  local function new(opts)
    opts = B.check_opts(opts, "ml.linear", OPTS, 2)
    check(opts, "ml.linear")
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    if o.intercept == nil then o.intercept = true end
    return setmetatable({_what = "ml.linear", opts = o, _fitted = false}, Linear)
  end
  M.linear = new

  function Linear:penalised() return (self.opts.lambda or 0) > 0 end

  --- m:fit(X, y [, {weights}]) -> m
  function Linear:fit(X, y, fopts)
    local what = "ml.linear:fit"
    fopts = B.check_opts(fopts, what, {"weights"}, 2)
    local D, yv, yname = B.xy(what, X, y)
    local o = self.opts
    local names = D:names()
    local ic = o.intercept
    self._frame_names = B.is_frame(X) and names or nil
    self._nfeat = #names
    self.yname = yname
    self.names = {}
    if ic then self.names[1] = "const" end
    for _, n in ipairs(names) do self.names[#self.names + 1] = n end
    -- constant and duplicated columns, named (the summary reports them)
    self.degenerate = {}
    for _, dg in ipairs(D:degenerate()) do
      local j, of = dg[1], dg[2]
      self.degenerate[#self.degenerate + 1] = of == 0
        and string.format("column '%s' is constant", names[j])
        or string.format("column '%s' duplicates '%s'", names[j], names[of])
    end
    self.warnings = {}
    if self:penalised() then
      if fopts.weights then error(what .. ": weights are for unpenalised fits (WLS)", 2) end
      local r = B.call(what, C.linear_net, D, yv, ic, o.alpha or 1, o.lambda, o.nlambda or 100,
                       o.tol or 1e-7, o.max_iter or 100000)
      self.coef, self.converged, self.iters = r.coef, r.converged, r.iters
      self.lambda_max, self.path = r.lambda_max, r.path
      if not r.converged then
        local msg = string.format("ml.linear: coordinate descent did not converge in %d sweeps " ..
                                  "(tol %g); raise max_iter or tol", r.iters, o.tol or 1e-7)
        self.warnings[#self.warnings + 1] = msg
        io.stderr:write("warning: ", msg, "\n")
      end
      self.result = nil
    else
      if #yv < #self.names then
        error(string.format("%s: %d parameters (%d columns%s) but only %d rows: more columns " ..
                            "than rows; drop columns or use a penalty (lambda)", what,
                            #self.names, #names, ic and " and const" or "", #yv), 2)
      end
      local w = fopts.weights
      if w ~= nil then
        local ok, wv = pcall(C.vector, w)
        if not ok then error(what .. ": weights: a vector expected", 2) end
        w = wv
      end
      local r = B.call(what, C.linear_ols, D, yv, ic, w, o.cov_type or "nonrobust",
                       o.maxlags, o.rank_tol)
      self.result, self.coef, self.converged = r, r.coef, true
      self.weighted = w ~= nil
      self.aliased = {}
      for j, a in ipairs(r.aliased) do
        if a then self.aliased[#self.aliased + 1] = self.names[j] end
      end
      if #self.aliased > 0 then
        local msg = "ml.linear: the design is rank deficient (rank " .. r.rank .. " of " ..
                    #self.names .. "): " .. table.concat(self.aliased, ", ") ..
                    " set to 0 (a linear combination of the other columns)"
        self.warnings[#self.warnings + 1] = msg
        io.stderr:write("warning: ", msg, "\n")
      end
    end
    self._fitted = true
    return self
  end

  local function need_fit(m, what)
    if not m._fitted then
      error("ml.linear:" .. what .. ": the model is not fitted (call fit first)", 3)
    end
  end

  --- m:predict(X) -> list
  function Linear:predict(X)
    need_fit(self, "predict")
    local D = B.design_for("ml.linear:predict", self, X)
    return B.call("ml.linear:predict", C.linear_predict, D, self.coef, self.opts.intercept)
  end

  --- m:evaluate(X, y) -> {mse, rmse, mae, r2, n}
  function Linear:evaluate(X, y)
    need_fit(self, "evaluate")
    if type(y) == "string" and B.is_frame(X) then y = X:col(y) end
    local p = self:predict(X)
    local yv = C.vector(y)
    if #yv ~= #p then
      error("ml.linear:evaluate: y has " .. #yv .. " values, X " .. #p .. " rows", 2)
    end
    local se, ae, mean = 0, 0, 0
    for i = 1, #yv do mean = mean + yv[i] end
    mean = mean / #yv
    local tss = 0
    for i = 1, #yv do
      local d = yv[i] - p[i]
      se, ae, tss = se + d * d, ae + math.abs(d), tss + (yv[i] - mean) ^ 2
    end
    return {mse = se / #yv, rmse = math.sqrt(se / #yv), mae = ae / #yv, r2 = 1 - se / tss, n = #yv}
  end

  --- m:params() -> name -> coefficient
  function Linear:params()
    need_fit(self, "params")
    return B.params(self.names, self.coef)
  end

  --- m:residuals() -> list (y - fitted, unweighted; OLS/WLS fits)
  function Linear:residuals()
    need_fit(self, "residuals")
    if not self.result then error("ml.linear:residuals: kept for OLS/WLS fits only", 2) end
    return self.result.resid
  end

  local function fmt(v, f) if v ~= v then return "nan" end return string.format(f, v) end

  --- m:summary() -> summary table (prints as statsmodels' OLS table)
  function Linear:summary()
    need_fit(self, "summary")
    local r = self.result
    local n = #self.names
    if not r then
      local coef, nan = self.coef, 0 / 0
      local fill = {}
      for i = 1, n do fill[i] = nan end
      return B.summary{title = "Penalised Regression Results", names = self.names, coef = coef,
        se = fill, stat = fill, p = fill, lower = fill, upper = fill, loglik = nan, aic = nan,
        bic = nan, nobs = nil, converged = self.converged, lambda = self.opts.lambda,
        alpha = self.opts.alpha or 1,
        left = {{"Dep. Variable", self.yname}, {"Model", "elastic net"},
                {"Method", "Coordinate descent"}},
        right = {{"lambda", B.forg(self.opts.lambda)}, {"alpha", B.forg(self.opts.alpha or 1)},
                 {"Converged", tostring(self.converged)}, {"Sweeps", tostring(self.iters)}},
        notes = (function()
          local t = {"Penalised fit: no standard errors (as glmnet)."}
          for _, w in ipairs(self.warnings) do t[#t + 1] = w end
          for _, d in ipairs(self.degenerate) do t[#t + 1] = d end
          return t end)()}
    end
    local robust = (self.opts.cov_type or "nonrobust") ~= "nonrobust"
    local q = robust and 1.959963984540054 or C.t_ppf(0.975, r.df_resid)
    local lower, upper = {}, {}
    for i = 1, n do
      lower[i] = r.coef[i] - q * r.se[i]
      upper[i] = r.coef[i] + q * r.se[i]
    end
    local cov = self.opts.cov_type or "nonrobust"
    local notes = {}
    if robust then
      notes[#notes + 1] = cov == "HAC"
        and string.format("Standard errors are HAC (Newey-West, Bartlett kernel, %d lags, " ..
                          "small-sample corrected).", self.opts.maxlags)
        or "Standard errors are heteroscedasticity robust (" .. cov .. ")."
    else
      notes[#notes + 1] = "Standard Errors assume that the covariance matrix of the errors " ..
                          "is correctly specified."
    end
    for _, w in ipairs(self.warnings) do notes[#notes + 1] = w end
    for _, d in ipairs(self.degenerate) do notes[#notes + 1] = d end
    return B.summary{
      title = (self.weighted and "WLS" or "OLS") .. " Regression Results",
      names = self.names, coef = r.coef, se = r.se, stat = r.stat, p = r.p,
      lower = lower, upper = upper, loglik = r.loglik, aic = r.aic, bic = r.bic,
      nobs = r.nobs, r2 = r.r2, r2_adj = r.r2_adj, fvalue = r.fvalue, f_p = r.f_p,
      df_model = r.df_model, df_resid = r.df_resid, dw = r.dw, jb = r.jb, jb_p = r.jb_p,
      skew = r.skew, kurtosis = r.kurtosis, cov_type = cov, scale = r.scale,
      aliased = self.aliased, degenerate = self.degenerate, vcov = r.vcov,
      stat_name = robust and "z" or "t",
      left = {{"Dep. Variable", self.yname}, {"Model", self.weighted and "WLS" or "OLS"},
              {"Method", "Least Squares"}, {"No. Observations", tostring(r.nobs)},
              {"Df Residuals", fmt(r.df_resid, "%.0f")}, {"Df Model", fmt(r.df_model, "%.0f")},
              {"Covariance Type", cov}},
      right = {{"R-squared", fmt(r.r2, "%.3f")}, {"Adj. R-squared", fmt(r.r2_adj, "%.3f")},
               {"F-statistic", fmt(r.fvalue, "%.4g")},
               {"Prob (F-statistic)", fmt(r.f_p, "%.3g")},
               {"Log-Likelihood", fmt(r.loglik, "%.5g")}, {"AIC", fmt(r.aic, "%.4g")},
               {"BIC", fmt(r.bic, "%.4g")}},
      foot_left = {{"Skew", fmt(r.skew, "%.3f")}, {"Kurtosis", fmt(r.kurtosis, "%.3f")}},
      foot_right = {{"Durbin-Watson", fmt(r.dw, "%.3f")}, {"Jarque-Bera (JB)", fmt(r.jb, "%.3f")},
                    {"Prob(JB)", fmt(r.jb_p, "%.3g")}},
      notes = notes,
    }
  end

  --- m:save(path [, {prep}])
  function Linear:save(path, opts) B.save(self, path, opts) end

  function Linear:_state()
    local o = {}
    for k, v in pairs(self.opts) do o[k] = v end
    o.names = self.names
    o.frame_names = self._frame_names or {}
    o.nfeat = self._nfeat
    o.yname = self.yname
    o.converged = self.converged
    return KIND, VERSION, o, {{"coef", self.coef}}
  end

  B.register(KIND, function(st)
    if st.version ~= VERSION then
      error(string.format("ml.linear file version %d, this moneta reads version %d",
                          st.version, VERSION))
    end
    local o = st.options
    local coef = st.arrays.coef
    if type(o.names) ~= "table" or coef == nil or #coef ~= #o.names then
      error("ml.linear: the file's coefficients and names disagree")
    end
    local m = new{intercept = o.intercept, cov_type = o.cov_type, maxlags = o.maxlags,
                  lambda = o.lambda, alpha = o.alpha, nlambda = o.nlambda, tol = o.tol,
                  max_iter = o.max_iter, rank_tol = o.rank_tol}
    m.names, m.coef, m.yname, m._nfeat = o.names, coef, o.yname, o.nfeat
    m._frame_names = #o.frame_names > 0 and o.frame_names or nil
    m.converged, m._fitted, m.warnings, m.degenerate = o.converged, true, {}, {}
    return m
  end)

  Linear.__tostring = function(m)
    if not m._fitted then return "ml.linear (not fitted)" end
    local parts = {}
    for i, n in ipairs(m.names) do parts[#parts + 1] = string.format("%s=%.6g", n, m.coef[i]) end
    return "ml.linear: " .. table.concat(parts, " ")
  end

  doc.add(M.linear, "moneta.ml.linear",
    "ml.linear{intercept = true, cov_type, maxlags, lambda, alpha = 1, nlambda = 100, " ..
    "tol = 1e-7, max_iter = 100000, rank_tol} -> model",
    "Least squares. No lambda: OLS (WLS with fit's weights) by pivoted QR with statsmodels' " ..
    "inference; cov_type 'HC0'..'HC3' or 'HAC' (maxlags). lambda > 0: glmnet's elastic net " ..
    "(alpha 1 lasso, 0 ridge) on standardised columns.", "ml")
  doc.typetopic["moneta.ml.Linear"] = "ml"
  for _, d in ipairs{
    {"fit", "m:fit(X, y [, {weights}]) -> m", "Fit on X (frame or tensor) and y (column, " ..
     "tensor, numbers, or a column name of X); weights make it WLS."},
    {"predict", "m:predict(X) -> list",
     "Predictions b0 + X b (a frame is cut to the fitted columns)."},
    {"evaluate", "m:evaluate(X, y) -> {mse, rmse, mae, r2, n}", "Error metrics on (X, y)."},
    {"summary", "m:summary() -> table", "Coefficients, standard errors, t (z if robust), p, " ..
     "95% intervals, R², F, log-likelihood, AIC, BIC, Durbin-Watson, Jarque-Bera; " ..
     "prints as statsmodels."},
    {"params", "m:params() -> {name = coef}", "Coefficients by name (the intercept is 'const')."},
    {"residuals", "m:residuals() -> list", "y - fitted for OLS/WLS fits."},
    {"save", "m:save(path [, {prep = transform}])",
     "Model file of kind ml.linear; moneta.load opens it."},
    {"penalised", "m:penalised() -> boolean", "Whether the model has a penalty (lambda > 0)."},
  } do
    doc.add(Linear[d[1]], "ml.linear:" .. d[1], d[2], d[3], "ml")
  end
end
