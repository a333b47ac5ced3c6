-- moneta.feat, selection part: correlation frames, variance threshold, mutual information and
-- variance inflation factors (C in src/features/select.c through "moneta.c.feat"), and
-- recursive feature elimination over any model object, written here in Lua. Returns
-- function(feat) that installs the names into the feat table. Guide: docs/features_select.md.
local C = require "moneta.c.feat"
local doc = require "moneta.doc"

local FRAME_MT = debug.getregistry()["moneta.Frame"]
local COLUMN_MT = debug.getregistry()["moneta.Column"]

local function isframe(x) return getmetatable(x) == FRAME_MT end
local function iscolumn(x) return getmetatable(x) == COLUMN_MT end

-- Check an options table against the known names; returns it (or {}).
local function options(fn, opts, known)
  -- not a tail call, so error levels count this frame
  local checked = require("moneta.opts").check(opts, "feat." .. fn, known, 4)
  return checked
end

local function checkframe(fn, x, what)
  if not isframe(x) then
    error(string.format("feat.%s: %s must be a frame, got %s", fn, what or "frame",
                        type(x)), 3)
  end
end

-- Call C, turning its "corr: ..." messages into "feat.corr: ..." at the caller's level.
local function call(fn, f, ...)
  local ok, a, b = pcall(f, ...)
  if not ok then
    local msg = tostring(a):gsub("^[%w_]+: ", "")
                           :gsub("^bad argument #%d+ to '[^']*' %((.*)%)$", "%1")
    error("feat." .. fn .. ": " .. msg, 3)
  end
  return a, b
end

-- A table name -> number that prints as two columns, largest first.
local Scores = {__name = "moneta.FeatureScores"}
function Scores.__tostring(t)
  local names = {}
  for k in pairs(t) do names[#names + 1] = k end
  table.sort(names, function(x, y)
    local a, b = t[x], t[y]
    if a ~= b and not (a ~= a or b ~= b) then return a > b end
    return x < y
  end)
  local w = 6
  for _, k in ipairs(names) do w = math.max(w, #k) end
  local lines = {}
  for _, k in ipairs(names) do
    lines[#lines + 1] = string.format("%-" .. w .. "s  %12.6g", k, t[k])
  end
  return table.concat(lines, "\n")
end

local function byname(frame, values)
  local t = {}
  for j, name in ipairs(frame:names()) do t[name] = values[j] end
  return setmetatable(t, Scores)
end

return function(feat)
  --- feat.corr(frame [, {method}]) -> frame
  function feat.corr(frame, opts)
    checkframe("corr", frame)
    opts = options("corr", opts, {method = true})
    local method = opts.method or "pearson"
    if method ~= "pearson" and method ~= "spearman" then
      error("feat.corr: method must be \"pearson\" or \"spearman\", got " .. tostring(method), 2)
    end
    return (call("corr", C.select_corr, frame, method))
  end

  --- feat.variance_threshold(frame [, {threshold = 0}]) -> frame, variances
  function feat.variance_threshold(frame, opts)
    checkframe("variance_threshold", frame)
    opts = options("variance_threshold", opts, {threshold = true})
    local t = opts.threshold or 0
    if type(t) ~= "number" then
      error("feat.variance_threshold: threshold must be a number >= 0", 2)
    end
    local kept, var = call("variance_threshold", C.select_variance_threshold, frame, t)
    return kept, byname(frame, var)
  end

  --- feat.mutual_info(frame, y [, {kind, k = 3, seed = 0, noise = true}]) -> name -> nats
  function feat.mutual_info(frame, y, opts)
    checkframe("mutual_info", frame)
    opts = options("mutual_info", opts, {kind = true, k = true, seed = true, noise = true})
    local X = frame
    if type(y) == "string" then
      local ok, col = pcall(frame.col, frame, y)
      if not ok then error("feat.mutual_info: y: no column '" .. y .. "' in the frame", 2) end
      X, y = frame:drop{y}, col
    elseif y == nil then
      error("feat.mutual_info: y (a column, a column name or a list of numbers) expected", 2)
    end
    local kind = opts.kind
    if kind == nil then     -- a class-like target (categorical or boolean) is classification
      local t = iscolumn(y) and y:type()
      kind = (t == "cat" or t == "bool") and "classification" or "regression"
    end
    if kind ~= "classification" and kind ~= "regression" then
      error("feat.mutual_info: kind must be \"classification\" or \"regression\", got " ..
            tostring(kind), 2)
    end
    local k, seed = opts.k or 3, opts.seed or 0
    if math.type(k) ~= "integer" or k < 1 then
      error("feat.mutual_info: k must be a whole number >= 1", 2)
    end
    if math.type(seed) ~= "integer" then
      error("feat.mutual_info: seed must be a whole number", 2)
    end
    local noise = opts.noise
    if noise == nil then noise = true end
    if type(noise) ~= "boolean" then error("feat.mutual_info: noise must be a boolean", 2) end
    return byname(X, call("mutual_info", C.select_mutual_info, X, y, kind, k, seed, noise))
  end

  --- feat.vif(frame) -> name -> VIF
  function feat.vif(frame)
    checkframe("vif", frame)
    return byname(frame, call("vif", C.select_vif, frame))
  end

  -- Importance of each of 'names' from what a fitted model reports: a list in column order
  -- or a table keyed by column name (other keys such as "const" ignored); a per-class table
  -- of values counts the sum of their absolute values (scikit-learn's L1 over classes).
  local function importances(model, names)
    -- ml models (ml.linear, ml.logistic) report params(): name -> value, "const" ignored
    local how = type(model.coefficients) == "function" and "coefficients" or
                type(model.importances) == "function" and "importances" or
                type(model.params) == "function" and "params"
    if not how then
      error("feat.rfe: the model has none of :coefficients(), :importances(), :params()", 4)
    end
    local r = model[how](model)
    if type(r) ~= "table" then
      error("feat.rfe: model:" .. how .. "() must return a table, got " .. type(r), 4)
    end
    local out = {}
    for j, name in ipairs(names) do
      local v = r[name]
      if v == nil then v = r[j] end
      if type(v) == "table" then
        local s = 0
        for _, x in ipairs(v) do s = s + math.abs(x) end
        v = s
      end
      if type(v) ~= "number" or v ~= v then
        error(string.format("feat.rfe: model:%s() gave no number for column '%s'", how,
                            name), 4)
      end
      out[j] = math.abs(v)
    end
    return out
  end

  local function count_arg(what, v, p, def)
    if v == nil then return def end
    if math.type(v) == "integer" and v >= 1 then return v end
    if math.type(v) == "float" and v > 0 and v < 1 then
      return what == "step" and math.max(1, math.floor(v * p)) or math.floor(v * p)
    end
    error("feat.rfe: " .. what .. " must be a whole number >= 1 or a fraction in (0, 1)", 3)
  end

  --- feat.rfe(X, y, {model = factory, n_features = p // 2, step = 1}) -> result
  function feat.rfe(X, y, opts)
    checkframe("rfe", X, "X")
    opts = options("rfe", opts, {model = true, n_features = true, step = true})
    if type(opts.model) ~= "function" then
      error("feat.rfe: model must be a function returning a new, unfitted model", 2)
    end
    if type(y) == "string" then
      local ok, col = pcall(X.col, X, y)
      if not ok then error("feat.rfe: y: no column '" .. y .. "' in X", 2) end
      X, y = X:drop{y}, col
    elseif y == nil then
      error("feat.rfe: y expected (a column, a column name of X or a list of numbers)", 2)
    end
    local names = X:names()
    local p = #names
    local want = count_arg("n_features", opts.n_features, p, p // 2)
    local step = count_arg("step", opts.step, p, 1)
    if want < 1 or want > p then
      error(string.format("feat.rfe: n_features must be in [1, %d], got %d", p, want), 2)
    end
    local support, ranking = {}, {}
    for j = 1, p do support[j], ranking[j] = true, 1 end
    local function fitted(cols)
      local m = opts.model()
      if type(m) ~= "table" and type(m) ~= "userdata" then
        error("feat.rfe: the model function returned " .. type(m) .. ", not a model", 3)
      end
      m:fit(X:select(cols), y)
      return m
    end
    local left = p
    while left > want do
      local idx, cols = {}, {}
      for j = 1, p do
        if support[j] then idx[#idx + 1], cols[#cols + 1] = j, names[j] end
      end
      local imp = importances(fitted(cols), cols)
      local order = {}
      for i = 1, #idx do order[i] = i end
      table.sort(order, function(a, b)   -- weakest first; ties: the earlier column first
        if imp[a] ~= imp[b] then return imp[a] < imp[b] end
        return a < b
      end)
      local drop = math.min(step, left - want)
      for i = 1, drop do support[idx[order[i]]] = false end
      for j = 1, p do
        if not support[j] then ranking[j] = ranking[j] + 1 end
      end
      left = left - drop
    end
    local selected, sup, rank = {}, {}, {}
    for j = 1, p do
      if support[j] then selected[#selected + 1] = names[j] end
      sup[names[j]], rank[names[j]] = support[j], ranking[j]
    end
    return {selected = selected, support = sup, ranking = rank, model = fitted(selected)}
  end

  doc.topic("feat_select", "feature selection: correlation, variance, mutual information, " ..
    "VIF, recursive elimination",
    "Cross-sectional: every column of the frame is a feature (numeric or boolean; others are " ..
    "refused by name). corr gives a frame, mutual_info and vif a table name -> value that " ..
    "prints sorted. rfe drives any model with :fit(X, y) and :coefficients() or " ..
    ":importances() or :params() (ml.linear, ml.logistic). Guide: docs/features_select.md.")
  doc.typetopic["moneta.FeatureScores"] = "feat_select"
  local list = {
    {"corr", "feat.corr(frame [, {method = 'pearson'|'spearman'}]) -> frame",
     "Pairwise-complete correlation matrix (pandas' corr): a 'column' of names, one per column."},
    {"variance_threshold",
     "feat.variance_threshold(frame [, {threshold = 0}]) -> frame, variances",
     "Keep the columns whose population variance (NaN skipped) is > threshold, as sklearn."},
    {"mutual_info",
     "feat.mutual_info(frame, y [, {kind, k = 3, seed = 0, noise = true}]) -> scores",
     "k-NN mutual information (nats) of each column with y, as sklearn's mutual_info_*."},
    {"vif", "feat.vif(frame) -> scores",
     "Variance inflation factor of each column on the others plus an intercept (statsmodels)."},
    {"rfe",
     "feat.rfe(X, y, {model = fn, n_features = p // 2, step = 1}) -> {selected, support, " ..
     "ranking, model}",
     "Recursive feature elimination: refit model(), drop the smallest |coefficient|/importance."},
  }
  for _, d in ipairs(list) do
    doc.add(feat[d[1]], "moneta.feat." .. d[1], d[2], d[3], "feat_select")
  end
end
