-- scripts/bench/gen_data.lua: writes the three synthetic benchmark inputs, credit.csv,
-- prices.csv and big.csv (about 120 MB in all, so never committed), following the benchmark
-- recipe with its seeds. Both sides of a comparison (moneta and the Python reference) then
-- read the same files.
--
-- Usage: moneta (or lua5.4) scripts/bench/gen_data.lua [outdir [name ...]]
--   outdir   where to write (created if missing); default build/bench-data, relative to
--            the current directory (run it from the repository root)
--   name     credit, prices and/or big; default all three
--   e.g.     lua5.4 scripts/bench/gen_data.lua build/bench-data credit prices
--
-- Random numbers: Lua 5.4's math.random (xoshiro256**, seeded by math.randomseed(seed)), normals
-- by Marsaglia's polar method. The recipe asks for statistically equivalent data, not the same
-- draws as any other generator; the same seed gives the same files on every run here.
-- CSV: one header line, "," separator, "\n" line ends.

local unpack = table.unpack

-- ---- random numbers ----

local spare_normal                      -- second value of the last polar-method pair, or nil

local function seed(n)
  math.randomseed(n)
  spare_normal = nil
end

-- Standard normal by Marsaglia's polar method (two independent values per accepted pair).
local function normal()
  local z = spare_normal
  if z then
    spare_normal = nil
    return z
  end
  local u, v, s
  repeat
    u, v = 2 * math.random() - 1, 2 * math.random() - 1
    s = u * u + v * v
  until s > 0 and s < 1
  local f = math.sqrt(-2 * math.log(s) / s)
  spare_normal = v * f
  return u * f
end

local function sigmoid(x) return 1 / (1 + math.exp(-x)) end
local function tanh(x) return 1 - 2 / (math.exp(2 * x) + 1) end   -- Lua 5.4 has no math.tanh

-- ---- output ----

-- Opens 'dir'/'name' for writing with a large buffer and writes the header line.
local function create_csv(dir, name, columns)
  local path = dir .. "/" .. name
  local f = assert(io.open(path, "wb"))
  f:setvbuf("full", 1 << 20)
  f:write(table.concat(columns, ","), "\n")
  return f, path
end

local function close_csv(f, path)
  local size = f:seek("end")
  assert(f:close())
  return size, path
end

-- Column names prefix00, prefix01, ... (width digits).
local function names(prefix, n, width)
  local t = {}
  for i = 1, n do t[i] = string.format("%s%0" .. width .. "d", prefix, i - 1) end
  return t
end

-- ---- credit.csv: tabular binary classification ----
--
-- Latent z ~ N(0, C) in 20 dimensions, C[i][j] = 0.3^|i-j|, as L e with C = L L' (Cholesky)
-- and e i.i.d. standard normal. Observed features (0-based indices):
--   f00-f03 = exp(0.5 z)         lognormal, balance-like
--   f04-f07 = 1 / (1 + exp(-z))  utilisation-like
--   f08-f09 = floor(exp(0.7 z))  counts
--   f10-f19 = z
-- Label y = 1[u < p], u uniform, p = sigmoid(b0 + s(z)) with
--   s(z) = w.z + 0.8 z0 z1 - 0.5 z2^2 + 1.2 sin(1.5 z3) + 0.6 |z4| + 0.9 tanh(2 z5) z6
--          + 0.4 max(z7, 0)^2
-- and b0 (about -4) found by bisection so that the mean of p over the rows is 0.10.

local CREDIT = {
  seed = 20240601,
  rows = 100000,
  dim = 20,
  rho = 0.3,
  rate = 0.10,
  w = {0.6, -0.4, 0.3, 0, 0.5, 0, 0, -0.3, 0.4, -0.5,
       0.25, -0.25, 0.2, -0.2, 0.15, -0.15, 0.1, -0.1, 0, 0},
}

-- Lower Cholesky factor of the symmetric positive-definite matrix A (array of rows).
local function cholesky(A)
  local n, L = #A, {}
  for i = 1, n do
    L[i] = {}
    for j = 1, n do L[i][j] = 0 end
  end
  for i = 1, n do
    for j = 1, i do
      local s = A[i][j]
      for k = 1, j - 1 do s = s - L[i][k] * L[j][k] end
      if i == j then
        assert(s > 0, "cholesky: matrix is not positive definite")
        L[i][i] = math.sqrt(s)
      else
        L[i][j] = s / L[j][j]
      end
    end
  end
  return L
end

-- 'n' draws of N(0, L L') (L lower triangular), as an array.
local function correlated_normals(L, n)
  local e, z = {}, {}
  for i = 1, n do e[i] = normal() end
  for i = 1, n do
    local s = 0
    for k = 1, i do s = s + L[i][k] * e[k] end
    z[i] = s
  end
  return z
end

-- The label's log-odds without the intercept; z is 1-based (z[1] is the recipe's z0).
local function credit_score(z, w)
  local s = 0
  for i = 1, #w do s = s + w[i] * z[i] end
  return s + 0.8 * z[1] * z[2] - 0.5 * z[3] ^ 2 + 1.2 * math.sin(1.5 * z[4])
    + 0.6 * math.abs(z[5]) + 0.9 * tanh(2 * z[6]) * z[7] + 0.4 * math.max(z[8], 0) ^ 2
end

-- The observed features of latent z, formatted "%.7g" and joined by ",".
local function credit_features(z)
  local out = {}
  for i = 1, #z do
    local x
    if i <= 4 then x = math.exp(0.5 * z[i])
    elseif i <= 8 then x = sigmoid(z[i])
    elseif i <= 10 then x = math.floor(math.exp(0.7 * z[i]))
    else x = z[i] end
    out[i] = string.format("%.7g", x)
  end
  return table.concat(out, ",")
end

-- The intercept b with mean(sigmoid(b + s)) = rate, by bisection (the mean increases in b).
local function intercept_for_rate(scores, rate)
  local lo, hi = -20, 20
  for _ = 1, 60 do
    local mid, sum = (lo + hi) / 2, 0
    for i = 1, #scores do sum = sum + sigmoid(mid + scores[i]) end
    if sum / #scores < rate then lo = mid else hi = mid end
  end
  return (lo + hi) / 2
end

local function write_credit(dir)
  local cfg = CREDIT
  seed(cfg.seed)
  local C = {}
  for i = 1, cfg.dim do
    C[i] = {}
    for j = 1, cfg.dim do C[i][j] = cfg.rho ^ math.abs(i - j) end
  end
  local L = cholesky(C)
  -- Features are fixed before the label, whose intercept depends on all rows: keep the
  -- formatted features and the scores, then draw the labels.
  local lines, scores = {}, {}
  for r = 1, cfg.rows do
    local z = correlated_normals(L, cfg.dim)
    lines[r], scores[r] = credit_features(z), credit_score(z, cfg.w)
  end
  local b0 = intercept_for_rate(scores, cfg.rate)
  local columns = names("f", cfg.dim, 2)
  columns[#columns + 1] = "y"
  local f, path = create_csv(dir, "credit.csv", columns)
  local pos, pos_test, test_from = 0, 0, math.floor(cfg.rows * 0.8) + 1
  for r = 1, cfg.rows do
    local y = math.random() < sigmoid(b0 + scores[r]) and 1 or 0
    pos = pos + y
    if r >= test_from then pos_test = pos_test + y end
    f:write(lines[r], ",", y, "\n")
  end
  local size = close_csv(f, path)
  return string.format("%s: %d rows, %d bytes, b0 = %.4f, positive rate %.2f %% "
    .. "(test rows %.2f %%)", path, cfg.rows, size, b0, 100 * pos / cfg.rows,
    100 * pos_test / (cfg.rows - test_from + 1))
end

-- ---- prices.csv: regime-switching geometric Brownian motion ----
--
-- Two-state Markov regime s (0 calm, 1 turbulent), calm at t = 0; at each t >= 1 it flips
-- with probability 0.01 from calm, 0.05 from turbulent. Log return r_t = mu_s - sigma_s^2 / 2
-- + sigma_s e_t (e standard normal), r_0 = 0, price_t = 100 exp(r_0 + ... + r_t), "%.12g".

local PRICES = {
  seed = 20240602,
  steps = 200000,
  start = 100,
  flip = {[0] = 0.01, [1] = 0.05},      -- probability of leaving each regime at a step
  mu = {[0] = 0.0002, [1] = -0.0006},
  sigma = {[0] = 0.010, [1] = 0.030},
}

local function write_prices(dir)
  local cfg = PRICES
  seed(cfg.seed)
  local f, path = create_csv(dir, "prices.csv", {"t", "price", "regime"})
  local s, logp, turbulent = 0, 0, 0
  local lo, hi = math.huge, -math.huge
  for t = 0, cfg.steps - 1 do
    if t >= 1 then
      if math.random() < cfg.flip[s] then s = 1 - s end
      local sigma = cfg.sigma[s]
      logp = logp + cfg.mu[s] - sigma * sigma / 2 + sigma * normal()
    end
    local price = cfg.start * math.exp(logp)
    lo, hi = math.min(lo, price), math.max(hi, price)
    turbulent = turbulent + s
    f:write(t, ",", string.format("%.12g", price), ",", s, "\n")
  end
  local size = close_csv(f, path)
  return string.format("%s: %d steps, %d bytes, turbulent share %.2f %%, price range %.4g-%.6g",
    path, cfg.steps, size, 100 * turbulent / cfg.steps, lo, hi)
end

-- ---- big.csv: parser throughput ----
--
-- 1,000,000 rows of 10 columns c0..c9, each value 10 N(0,1) printed "%.6f".

local BIG = {seed = 20240603, rows = 1000000, cols = 10, scale = 10}

local function write_big(dir)
  local cfg = BIG
  seed(cfg.seed)
  local f, path = create_csv(dir, "big.csv", names("c", cfg.cols, 1))
  local fmt = string.rep("%.6f", cfg.cols, ",") .. "\n"
  local row = {}
  for _ = 1, cfg.rows do
    for j = 1, cfg.cols do row[j] = cfg.scale * normal() end
    f:write(string.format(fmt, unpack(row)))
  end
  local size = close_csv(f, path)
  return string.format("%s: %d rows, %d bytes", path, cfg.rows, size)
end

-- ---- main ----

local WRITERS = {credit = write_credit, prices = write_prices, big = write_big}
local ORDER = {"credit", "prices", "big"}

local function shell_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local dir = arg[1] or "build/bench-data"
local wanted = {select(2, unpack(arg))}
if #wanted == 0 then wanted = ORDER end
for _, name in ipairs(wanted) do
  if not WRITERS[name] then
    io.stderr:write("gen_data.lua: unknown data set '", name, "' (credit, prices, big)\n")
    os.exit(2)
  end
end
if not os.execute("mkdir -p " .. shell_quote(dir)) then
  io.stderr:write("gen_data.lua: cannot create ", dir, "\n")
  os.exit(1)
end
for _, name in ipairs(wanted) do
  local t0 = os.clock()
  local summary = WRITERS[name](dir)
  print(string.format("%s  (%.1f s)", summary, os.clock() - t0))
end
