-- moneta.ml_knn: ml.knn, k nearest neighbours for classification and regression (exact
-- Euclidean search, uniform or 1/distance weights). The numbers are C (ml/knn.c via
-- moneta.c.ml); this file checks options, maps labels and saves/loads kind "ml.knn".
-- Returns function(ml).
local doc = require "moneta.doc"

local KIND, VERSION = "ml.knn", 1
local OPTS = {"k", "weights", "kind", "metric"}

local Knn = {__name = "moneta.Knn"}
Knn.__index = Knn

return function(ml)
  local B = ml._base
  local C = B.C
  assert(type(C.knn_fit) == "function",
         "moneta.ml_knn: moneta.c.ml lacks knn_fit (lb_ml_knn not called)")

  -- ml.knn{k = 5, weights = "uniform", kind = "classification", metric = "euclidean"}
  local function new(opts)
    local what = "ml.knn"
    local o = B.check_opts(opts, what, OPTS)
    local k = o.k or 5
    if math.type(k) ~= "integer" and not (type(k) == "number" and k == math.floor(k)) or
       k < 1 then
      error(what .. ": k must be an integer >= 1, got " .. tostring(o.k), 2)
    end
    local w = o.weights or "uniform"
    if w ~= "uniform" and w ~= "distance" then
      error(what .. ": weights must be 'uniform' or 'distance', got " .. tostring(w), 2)
    end
    local kind = o.kind or "classification"
    if kind ~= "classification" and kind ~= "regression" then
      error(what .. ": kind must be 'classification' or 'regression', got " .. tostring(kind), 2)
    end
    local metric = o.metric or "euclidean"
    if metric ~= "euclidean" then
      error(what .. ": metric must be 'euclidean' (the only one so far), got " ..
            tostring(metric), 2)
    end
    return setmetatable({_what = what, _fitted = false,
                         _spec = {k = math.tointeger(k), weights = w, kind = kind}}, Knn)
  end

  local function classes_of(what, y)
    local set, list = {}, {}
    for i = 1, #y do
      if not set[y[i]] then set[y[i]] = true; list[#list + 1] = y[i] end
    end
    table.sort(list)
    for i, v in ipairs(list) do list[i] = math.tointeger(v) or v end
    if #list < 2 then
      error(string.format("%s: y has one class only (%s): a classifier needs two", what,
                          tostring(list[1])), 3)
    end
    local idx, z = {}, {}
    for i, v in ipairs(list) do idx[v] = i - 1 end
    for i = 1, #y do z[i] = idx[y[i]] end
    return list, z
  end

  --- model:fit(X, y) -> model
  function Knn:fit(X, y, fopts)
    local what = self._what .. ":fit"
    B.check_opts(fopts, what, {})
    local D, yv, yname = B.xy(what, X, y)
    local s = self._spec
    if s.k > D:n() then
      error(string.format("%s: k = %d, but the training set has %d rows", what, s.k, D:n()), 2)
    end
    local K, z = 0, yv
    if s.kind == "classification" then
      self._classes, z = classes_of(what, yv)
      K = #self._classes
    end
    self._c = B.call(what, C.knn_fit, D, z, K, {k = s.k, distance = s.weights == "distance"})
    self._yname, self._fitted, self._nfeat = yname, true, D:p()
    self._frame_names = B.is_frame(X) and D:names() or nil
    return self
  end

  local function fitted(self, what)
    if not self._fitted then error(what .. ": the model is not fitted (call fit first)", 3) end
  end

  --- model:predict(X) -> labels (classification) or values (regression)
  function Knn:predict(X)
    local what = self._what .. ":predict"
    fitted(self, what)
    local p = B.call(what, self._c.predict, self._c, B.design_for(what, self, X))
    if self._classes then
      for i = 1, #p do p[i] = self._classes[math.tointeger(p[i]) + 1] end
    end
    return p
  end

  --- model:predict_proba(X) -> rows of class shares (in the order of the sorted labels)
  function Knn:predict_proba(X)
    local what = self._what .. ":predict_proba"
    fitted(self, what)
    if not self._classes then error(what .. ": a regression model has no probabilities", 2) end
    return B.call(what, self._c.predict_proba, self._c, B.design_for(what, self, X))
  end

  --- model:neighbors(X) -> idx rows (1-based training rows), distance rows
  function Knn:neighbors(X)
    local what = self._what .. ":neighbors"
    fitted(self, what)
    return B.call(what, self._c.neighbors, self._c, B.design_for(what, self, X))
  end

  --- model:evaluate(X, y) -> {accuracy, nobs} or {rmse, mae, r2, nobs}
  function Knn:evaluate(X, y)
    local what = self._what .. ":evaluate"
    fitted(self, what)
    local _, yv = B.xy(what, X, y)
    local p = self:predict(X)
    local n = #yv
    if self._classes then
      local right = 0
      for i = 1, n do if p[i] == yv[i] then right = right + 1 end end
      return {nobs = n, accuracy = right / n}
    end
    local se, ae, m, ss = 0, 0, 0, 0
    for i = 1, n do m = m + yv[i] / n end
    for i = 1, n do
      se, ae = se + (p[i] - yv[i]) ^ 2, ae + math.abs(p[i] - yv[i])
      ss = ss + (yv[i] - m) ^ 2
    end
    return {nobs = n, rmse = math.sqrt(se / n), mae = ae / n, r2 = 1 - se / ss}
  end

  --- model:params() -> {k, weights, kind}
  function Knn:params()
    local s = self._spec
    return {k = s.k, weights = s.weights, kind = s.kind}
  end

  --- model:summary() -> {k, weights, kind, nobs, nfeat, classes}
  function Knn:summary()
    fitted(self, self._what .. ":summary")
    local t = self._c:info()
    local s = self._spec
    return {k = s.k, weights = s.weights, kind = s.kind, nobs = t.n, nfeat = t.p,
            classes = self._classes}
  end

  --- model:save(path [, {prep = transform}])
  function Knn:save(path, opts) B.save(self, path, opts) end

  function Knn:_state()
    local t, s = self._c:info(), self._spec
    local x, y = self._c:data()
    local o = {k = s.k, weights = s.weights, kind = s.kind, n = t.n, p = t.p,
               yname = self._yname, names = self._frame_names or {},
               frame = self._frame_names ~= nil, classes = self._classes or {}}
    return KIND, VERSION, o, {{"x", x}, {"y", y}}
  end

  B.register(KIND, function(st)
    if st.version ~= VERSION then
      error(string.format("ml.knn file version %d, this moneta reads %d", st.version, VERSION))
    end
    local o, a = st.options, st.arrays
    if type(a.x) ~= "table" or type(a.y) ~= "table" then error("array x or y is missing") end
    local mdl = new{k = o.k, weights = o.weights, kind = o.kind}
    local K = o.kind == "classification" and #o.classes or 0
    mdl._c = C.knn_from{x = a.x, y = a.y, n = o.n, p = o.p, k = o.k, K = K,
                        distance = o.weights == "distance"}
    mdl._fitted, mdl._yname, mdl._nfeat = true, o.yname, o.p
    mdl._classes = K > 0 and o.classes or nil
    mdl._frame_names = o.frame and o.names or nil
    return mdl
  end)

  ml.knn = new
  doc.add(new, "moneta.ml.knn",
    "ml.knn{k=5, weights='uniform'|'distance', kind='classification'|'regression', " ..
    "metric='euclidean'} -> model",
    "k nearest neighbours by exact search (DGEMM blocks from 16 columns); kind defaults to " ..
    "'classification' (never guessed from y); ties to the earlier training row.", "ml")
  for _, d in ipairs{
    {"fit", "knn:fit(X, y) -> model", "Stores the training rows; k above their count is refused."},
    {"predict", "knn:predict(X) -> list",
     "Majority vote (ties to the smallest label) or the (1/distance weighted) mean."},
    {"predict_proba", "knn:predict_proba(X) -> rows",
     "Class shares per row (sorted labels); distance weights 1/d, an exact match takes all."},
    {"neighbors", "knn:neighbors(X) -> idx, dist", "The k nearest training rows and distances."},
    {"evaluate", "knn:evaluate(X, y) -> table", "accuracy; regression: rmse, mae, r2."},
    {"summary", "knn:summary() -> table", "k, weights, kind, nobs, nfeat, classes."},
    {"params", "knn:params() -> table", "The options: k, weights, kind."},
    {"save", "knn:save(path [, {prep = transform}])",
     "Model file of kind ml.knn (holds the training rows); moneta.load opens it again."},
  } do doc.add(Knn[d[1]], "knn:" .. d[1], d[2], d[3], "ml") end
end
