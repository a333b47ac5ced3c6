-- scripts/clean_and_split.lua: clean the bundled credit data, split it several ways and fit
-- the session's transforms on the training rows only.
--   moneta scripts/clean_and_split.lua [path/to/credit.csv.gz]
local m = require "moneta"

local path = arg and arg[1] or m.dataset("credit.csv.gz")

local df, source = m.read_csv(path), path
print(("credit data: %s, %d rows x %d columns"):format(source, df:nrows(), df:ncols()))
print(df:missing())

-- Cleaning: duplicates, missing income, outliers, bounds.
local n0 = df:nrows()
df = df:dedupe()
print(("dedupe: %d -> %d rows"):format(n0, df:nrows()))
df = df:fillna{income = "median"}
local flags = df:outliers("income", {method = "iqr", k = 1.5})
print(("income outliers (IQR, k = 1.5): %d; z-score > 3: %d"):format(flags:sum(),
      df:outliers("income", {method = "zscore", k = 3}):sum()))
df = df:clip{utilization = {0, 1}}:winsorize({"income", "loan_amount"}, {limits = {0.01, 0.01}})

-- A stratified holdout: the default rate is the same on both sides (within one row).
local train, test = df:split{test = 0.2, stratify = "default", seed = 7}
print(("stratified holdout: train %d rows (default rate %.4f), test %d rows (%.4f)"):format(
  train:nrows(), train:col("default"):mean(), test:nrows(), test:col("default"):mean()))

-- A time-ordered holdout: every test application is later than every train application.
local past, future = df:split{test = 0.2, by = "application_date"}
local pd, fd = past:col("application_date"):values(), future:col("application_date"):values()
table.sort(pd)
table.sort(fd)
print(("time holdout: train %d rows up to %s, test %d rows from %s"):format(past:nrows(),
      pd[#pd], future:nrows(), fd[1]))

-- The session's transforms, fitted on train only.
local prep = m.prep.pipeline{m.prep.impute{strategy = "median"}, m.prep.standard{},
                             m.prep.onehot{}}
local Xtr = prep:fit_transform(train:drop{"default"})
local Xte = prep:transform(test:drop{"default"})
local bad = {}
for name, ty in pairs(Xte:types()) do
  if ty ~= "f64" then bad[#bad + 1] = name .. " (" .. ty .. ")" end
  for _, v in ipairs(Xte:col(name):values()) do
    if v ~= v then bad[#bad + 1] = name .. " (NaN)"; break end
  end
end
print(("features: %d columns, train %d rows, test %d rows; %s"):format(Xtr:ncols(),
      Xtr:nrows(), Xte:nrows(), #bad == 0 and "all f64, no NaN" or
      ("not ready: " .. table.concat(bad, ", "))))
local s = prep:serialize()
local again = m.prep.deserialize(s)
print(("serialized pipeline: %d bytes, round trip %s"):format(#s,
      again:serialize() == s and "exact" or "DIFFERS"))

-- Stratified 5-fold cross-validation folds on the training rows.
for i, fold in ipairs(m.split.kfold(train, {k = 5, stratify = "default", seed = 7})) do
  local tr, te = m.split.frames(train, fold)
  print(("fold %d: train %d, test %d, test default rate %.4f"):format(i, tr:nrows(), te:nrows(),
        te:col("default"):mean()))
end

-- Walk-forward folds in application order with a 100-row embargo.
local wf = m.split.walk_forward_folds(df, {by = "application_date", train = df:nrows() // 3,
                                           test = df:nrows() // 10, gap = 100, expanding = false})
local dates = df:col("application_date"):values()
for i, fold in ipairs(wf) do
  local last_train, first_test = "", "9999"
  for _, r in ipairs(fold.train) do if dates[r] > last_train then last_train = dates[r] end end
  for _, r in ipairs(fold.test) do if dates[r] < first_test then first_test = dates[r] end end
  print(("walk-forward %d: train %d rows to %s, test %d rows from %s"):format(i, #fold.train,
        last_train, #fold.test, first_test))
end
