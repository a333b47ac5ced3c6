-- scripts/bench/bench_ml.lua: benchmark workload 4 (scikit-learn) for the classical models that
-- exist: logistic regression (L2, C = 1, as LogisticRegression(solver='lbfgs')) and, when
-- ml.knn is there, KNN (k = 15, 10,000 queries). Standardised credit data (prep.standard:
-- population sd), train rows 1..80,000, test the rest; fit and predict (predict_proba plus
-- predict) timed on the wall clock, median of 'runs'; test AUC from the probabilities. The
-- reference (bench_ml.py) runs in the same script with OMP/OPENBLAS threads at 1.
--   moneta scripts/bench/bench_ml.lua [credit.csv [runs]]
local m = require "moneta"
m.threads(1)
local path = arg[1] or "build/bench-data/credit.csv"
local runs = tonumber(arg[2] or "3")
local script_dir = (arg[0]:match("(.*/)") or "./")

local df = m.read_csv(path)
local train, test = df:slice(1, 80000), df:slice(80001)
local sc = m.prep.standard{}
local Xtr, Xte = sc:fit_transform(train:drop{"y"}), sc:transform(test:drop{"y"})
local ytr, yte = train:col("y"), test:col("y")

local function median(t) table.sort(t); return t[(#t + 1) // 2] end
local function bench(make, Xq, yq)
  local fits, preds, p = {}, {}, nil
  for r = 1, runs do
    local mdl = make()
    local t0 = m.now()
    mdl:fit(Xtr, ytr)
    fits[r] = m.now() - t0
    t0 = m.now()
    p = mdl:predict_proba(Xq)
    mdl:predict(Xq)
    preds[r] = m.now() - t0
  end
  if type(p) == "table" and type(p[1]) == "table" then    -- rows of class shares (knn)
    local p1 = {}
    for i, row in ipairs(p) do p1[i] = row[2] end
    p = p1
  end
  return median(fits), median(preds), m.metrics.auc(yq, p)
end

local mine = {}
mine.logreg = {bench(function() return m.ml.logistic{penalty = "l2", C = 1} end, Xte, yte)}
if m.ml.knn then
  mine.knn = {bench(function() return m.ml.knn{k = 15} end, Xte:slice(1, 10000),
                    test:slice(1, 10000):col("y"))}
end

local py = io.popen(string.format("OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 " ..
                                  "'%sbench_ml.py' '%s' %d 2>&1", script_dir, path, runs))
local text = py:read("a")
py:close()
local ref = {}
for k, f, p, a in text:gmatch("(%w+) ([%d%.e%-]+) ([%d%.e%-]+) ([%d%.e%-]+)\n") do
  ref[k] = {tonumber(f), tonumber(p), tonumber(a)}
end
io.write(string.format("scikit-learn workload, one thread, median of %d (fit s, predict s, AUC)\n",
                       runs))
io.write(string.format("%-8s %10s %10s %8s  %10s %10s %8s  %8s\n", "model", "moneta fit",
                       "predict", "AUC", "sk fit", "predict", "AUC", "fit ratio"))
for _, k in ipairs{"logreg", "knn"} do
  local a, b = mine[k], ref[k]
  if a then
    io.write(string.format("%-8s %10.4f %10.4f %8.4f  %10s %10s %8s  %8s\n", k, a[1], a[2], a[3],
      b and string.format("%.4f", b[1]) or "?", b and string.format("%.4f", b[2]) or "?",
      b and string.format("%.4f", b[3]) or "?", b and string.format("%.2fx", b[1] / a[1]) or "?"))
  end
end
if not next(ref) then io.write("scikit-learn: " .. text .. "\n") end
