-- scripts/bench/bench_mlp.lua: benchmark workload 1 ("credit MLP", see the benchmark README):
-- Dense 20->64 ReLU ->32 ReLU ->1, BCE on the logit, Adam 1e-3, batch 256, 5 epochs over the
-- 80,000 train rows of credit.csv; prints train samples/s, train_s, test AUC, predict_s, and
-- runs the PyTorch reference (scripts/bench/bench_mlp.py, /usr/bin/python3) on the same file
-- for the ratio. Median of 3 runs per thread setting (torch t2, untuned and slow, runs once).
--
-- Usage: moneta scripts/bench/bench_mlp.lua [credit.csv [runs [--no-ref]]]
--   default file build/bench-data/credit.csv (make it with scripts/bench/gen_data.lua)
local m = require "moneta"
m.progress.quiet = true            -- timing only: no per-epoch lines

local path = arg[1] or "build/bench-data/credit.csv"
local runs = tonumber(arg[2] or "3")
local no_ref = arg[3] == "--no-ref"
local script_dir = (arg[0]:match("(.*/)") or "./")

-- ---- data: read_csv, rows 0..79,999 train, the rest test; z-score with the train rows'
-- mean and population sd (prep.standard, ddof = 0, as the recipe says); float32 tensors ----
local t0 = m.now()                 -- wall clock: the reader uses two threads
local df = m.read_csv(path)
local ntr, N = 80000, df:nrows()
local train, test = df:slice(1, ntr), df:slice(ntr + 1)
local scaler = m.prep.standard{}
local Xtr = scaler:fit_transform(train:drop{"y"}):to_tensor()
local Xte = scaler:transform(test:drop{"y"}):to_tensor()
local ytr, yte = train:col("y"):to_tensor(), test:col("y"):to_tensor()
df, train, test = nil, nil, nil
collectgarbage()
io.write(string.format("data: %s, %d train / %d test rows, loaded in %.1f s\n", path, ntr,
                       N - ntr, m.now() - t0))

local function median(t)
  local c = {}
  for i, v in ipairs(t) do c[i] = v end
  table.sort(c)
  return c[(#c + 1) // 2]
end

local function auc(score, label)
  local idx = {}
  for i = 1, #label do idx[i] = i end
  table.sort(idx, function(a, b) return score[a] < score[b] end)
  local rs, np, nn_, i = 0, 0, 0, 1
  while i <= #idx do
    local j, pos = i, 0
    while j <= #idx and score[idx[j]] == score[idx[i]] do pos = pos + label[idx[j]]; j = j + 1 end
    rs = rs + pos * (i + j - 1) / 2
    np = np + pos
    nn_ = nn_ + (j - i) - pos
    i = j
  end
  return (rs - np * (np + 1) / 2) / (np * nn_)
end

local function run_moneta(threads)
  m.threads(threads)
  local sps, ts, aucs, ps = {}, {}, {}, {}
  for r = 1, runs do
    local net = m.nn.sequential{m.nn.dense(64), m.nn.relu(), m.nn.dense(32), m.nn.relu(),
                                m.nn.dense(1)}
    local h = net:fit(Xtr, ytr, {loss = "bce", optimizer = m.optim.adam{lr = 1e-3},
                                 epochs = 5, batch = 256, seed = r - 1})
    local t1 = m.now()
    local logits = net:predict_raw(Xte)
    local t2 = m.now()
    sps[r] = 400000 / h.seconds
    ts[r] = h.seconds
    ps[r] = t2 - t1
    aucs[r] = auc(logits:totable(), yte:totable())
  end
  return {sps = median(sps), train_s = median(ts), auc = median(aucs), predict_s = median(ps)}
end

local results = {}
io.write(string.format("OpenBLAS core: %s, OPENBLAS_CORETYPE=%s\n", m.blas_info().core,
                       os.getenv("OPENBLAS_CORETYPE") or "(unset)"))
for _, th in ipairs{1, 2} do
  local r = run_moneta(th)
  results["t" .. th] = r
  io.write(string.format("moneta  t%d: train_samples_per_s %9.0f  train_s %.3f  test_auc %.4f  predict_s %.4f\n",
                         th, r.sps, r.train_s, r.auc, r.predict_s))
end

-- Peak resident memory of this process so far (data, both thread settings), from the kernel.
local function peak_rss_mb()
  local f = io.open("/proc/self/status")
  if not f then return 0 / 0 end
  local kb = f:read("a"):match("VmHWM:%s*(%d+)")
  f:close()
  return tonumber(kb) / 1024
end
io.write(string.format("moneta peak_rss_mb %.1f (whole process: data, t1 and t2 runs)\n", peak_rss_mb()))

if not no_ref then
  local ref = {}
  local envs = {t1 = "OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1", t2 = "",
                t2b = "OPENBLAS_NUM_THREADS=1"}
  for _, cfg in ipairs{"t1", "t2b", "t2"} do
    local cmd = string.format("%s /usr/bin/python3 %sbench_mlp.py %s %d %s", envs[cfg],
                              script_dir, path, cfg == "t2" and 1 or runs, cfg)
    local p = io.popen(cmd)
    for line in p:lines() do
      io.write(line, "\n")
      local c, sps = line:match("^torch%s+(%w+): train_samples_per_s%s+([%d.]+)")
      if c then ref[c] = tonumber(sps) end
      local mb = line:match("^torch%s+t1:.*peak_rss_mb%s+([%d.]+)")
      if mb then ref.mem = tonumber(mb) end
    end
    p:close()
  end
  if ref.t1 then
    io.write(string.format("ratio moneta t1 / torch t1: %.2fx\n", results.t1.sps / ref.t1))
    io.write(string.format("ratio moneta t2 / torch t1: %.2fx\n", results.t2.sps / ref.t1))
  end
  if ref.t2b then
    io.write(string.format("ratio moneta t2 / torch t2b: %.2fx\n", results.t2.sps / ref.t2b))
  end
  if ref.t2 then
    io.write(string.format("ratio moneta t2 / torch t2: %.2fx\n", results.t2.sps / ref.t2))
  end
  if ref.mem then
    io.write(string.format("peak memory moneta / torch t1: %.1f / %.1f MB = %.2f\n",
                           peak_rss_mb(), ref.mem, peak_rss_mb() / ref.mem))
  end
end
