-- scripts/clean_and_split.lua: clean the bundled credit data, split it several ways and fit
-- the session's transforms on the training rows only.
--   moneta scripts/clean_and_split.lua [path/to/credit.csv.gz]
-- Without moneta.read_csv or the dataset (older builds), it makes a synthetic frame of the same
-- shape with moneta.frame and says so.
local m = require "moneta"

local path = arg and arg[1] or "datasets/credit.csv.gz"

-- A stand-in with the credit data's columns: missing incomes, dates, categories, 12 duplicates.
local function synthetic(n)
  math.randomseed(7)
  local c = {id = {}, application_date = {}, age = {}, income = {}, employment = {}, home = {},
             has_mortgage = {}, loan_amount = {}, utilization = {}, default = {}}
  local jobs, homes = {"employed", "self-employed", "unemployed"}, {"rent", "own", "mortgage"}
  for i = 1, n do
    local day = (i - 1) * 1095 // n
    c.id[i] = i
    c.application_date[i] = os.date("!%Y-%m-%d", 1609459200 + day * 86400)
    c.age[i] = 20 + math.random(0, 50)
    c.income[i] = math.random() < 0.08 and 0/0 or math.floor(20000 + 80000 * math.random() ^ 2)
    c.employment[i] = jobs[math.random(#jobs)]
    c.home[i] = homes[math.random(#homes)]
    c.has_mortgage[i] = c.home[i] == "mortgage"
    c.loan_amount[i] = 100 * math.random(10, 400)
    c.utilization[i] = math.random() * 1.1
    c.default[i] = (math.random() < 0.08 + 0.1 * c.utilization[i]) and 1 or 0
  end
  for k = 1, 12 do                                  -- exact duplicates of earlier rows
    local src = k * 97
    for name, col in pairs(c) do col[n - k + 1] = col[src] end
  end
  local cols = {}
  for _, name in ipairs{"id", "application_date", "age", "income", "employment", "home",
                        "has_mortgage", "loan_amount", "utilization", "default"} do
    cols[#cols + 1] = {name, c[name]}
  end
  return m.frame(cols):cast{application_date = "date"}
end

local function load()
  local f = io.open(path, "rb")
  if f then f:close() end
  if m.read_csv and f then return m.read_csv(path), path end
  return synthetic(5000), "a synthetic stand-in (no " .. (m.read_csv and path or "read_csv") .. ")"
end

local function mean(col)
  local s, n = 0, 0
  for _, v in ipairs(col:values()) do
    if type(v) == "boolean" then v = v and 1 or 0 end
    if v == v then s, n = s + v, n + 1 end
  end
  return s / n
end

local function count_true(col)
  local n = 0
  for _, v in ipairs(col:values()) do if v == true then n = n + 1 end end
  return n
end

local df, source = load()
print(("credit data: %s, %d rows x %d columns"):format(source, df:nrows(), df:ncols()))
print(df:missing())

-- Cleaning: duplicates, missing income, outliers, bounds.
local n0 = df:nrows()
df = df:dedupe()
print(("dedupe: %d -> %d rows"):format(n0, df:nrows()))
df = df:fillna{income = "median"}
local flags = df:outliers("income", {method = "iqr", k = 1.5})
print(("income outliers (IQR, k = 1.5): %d; z-score > 3: %d"):format(count_true(flags),
      count_true(df:outliers("income", {method = "zscore", k = 3}))))
df = df:clip{utilization = {0, 1}}:winsorize({"income", "loan_amount"}, {limits = {0.01, 0.01}})

-- A stratified holdout: the default rate is the same on both sides (within one row).
local train, test = df:split{test = 0.2, stratify = "default", seed = 7}
print(("stratified holdout: train %d rows (default rate %.4f), test %d rows (%.4f)"):format(
  train:nrows(), mean(train:col("default")), test:nrows(), mean(test:col("default"))))

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
for i, fold in ipairs(m.kfold(train, {k = 5, stratify = "default", seed = 7})) do
  local tr, te = m.split.frames(train, fold)
  print(("fold %d: train %d, test %d, test default rate %.4f"):format(i, tr:nrows(), te:nrows(),
        mean(te:col("default"))))
end

-- Walk-forward folds in application order with a 100-row embargo.
local wf = m.walk_forward(df, {by = "application_date", train = df:nrows() // 3,
                               test = df:nrows() // 10, gap = 100, expanding = false})
local dates = df:col("application_date"):values()
for i, fold in ipairs(wf) do
  local last_train, first_test = "", "9999"
  for _, r in ipairs(fold.train) do if dates[r] > last_train then last_train = dates[r] end end
  for _, r in ipairs(fold.test) do if dates[r] < first_test then first_test = dates[r] end end
  print(("walk-forward %d: train %d rows to %s, test %d rows from %s"):format(i, #fold.train,
        last_train, #fold.test, first_test))
end
