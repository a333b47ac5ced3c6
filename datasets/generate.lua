-- datasets/generate.lua: writes moneta's bundled sample data, credit.csv.gz (loan applicants and
-- defaults), prices.csv.gz (daily OHLCV bars of 10 tickers) and transactions.csv.gz (card payments
-- and fraud). Everything is synthetic, drawn from the models described below with fixed seeds:
-- no real person, loan, card or security is in it. datasets/README.md describes every column.
--
-- Usage: lua5.4 datasets/generate.lua [outdir]       (outdir defaults to this script's folder)
--
-- Needs only Lua 5.4 and gzip. Lua 5.4's math.random is xoshiro256** and math.randomseed(n) sets
-- its whole state from n, so a seed gives the same draws everywhere; only uniforms are taken from
-- it (normals etc. are built here). Each dataset reseeds, so changing one leaves the others
-- alone. gzip -n -9 stores no name or time, so the .gz bytes are reproducible with one gzip.

local SEEDS = {credit = 20240611, prices = 20240612, transactions = 20240613}

-- ---- numeric helpers ----

local function clamp(x, lo, hi) return math.max(lo, math.min(hi, x)) end
local function sigmoid(x) return 1 / (1 + math.exp(-x)) end
local function round(x, decimals)
  local m = 10 ^ (decimals or 0)
  return math.floor(x * m + 0.5) / m
end

-- ---- random numbers (all from math.random's uniforms) ----

local rng = {}
local spare_normal                      -- second value of the last polar-method pair, or nil

function rng.seed(n)
  math.randomseed(n)
  spare_normal = nil
end

-- Uniform on [lo, hi), by default on [0, 1).
function rng.uniform(lo, hi)
  local u = math.random()
  if lo == nil then return u end
  return lo + (hi - lo) * u
end

-- Integer uniform on lo..hi (both included).
function rng.int(lo, hi) return lo + math.floor(math.random() * (hi - lo + 1)) end

function rng.bernoulli(p) return math.random() < p end

-- Normal by Marsaglia's polar method, which yields two independent values per accepted pair.
function rng.normal(mean, sd)
  local z = spare_normal
  if z then
    spare_normal = nil
  else
    local u, v, s
    repeat
      u, v = 2 * math.random() - 1, 2 * math.random() - 1
      s = u * u + v * v
    until s > 0 and s < 1
    local f = math.sqrt(-2 * math.log(s) / s)
    z, spare_normal = u * f, v * f
  end
  return (mean or 0) + (sd or 1) * z
end

-- Lognormal given its median and the standard deviation of its log.
function rng.lognormal(median, sigma) return median * math.exp(sigma * rng.normal()) end

function rng.exponential(mean) return -mean * math.log(1 - math.random()) end

-- Poisson by Knuth's product of uniforms: O(lambda) work, fine for the small rates used here.
function rng.poisson(lambda)
  assert(lambda < 700, "rng.poisson: rate too large for Knuth's method")
  local limit, k, p = math.exp(-lambda), 0, math.random()
  while p > limit do
    k = k + 1
    p = p * math.random()
  end
  return k
end

-- One of 'items' with probability proportional to its weight. 'weights' is an array parallel to
-- 'items', or the name of the weight field in each item (default "weight"; absent counts as 0).
function rng.pick(items, weights)
  local field = type(weights) == "string" and weights or "weight"
  local function w(i)
    if type(weights) == "table" then return weights[i] end
    return items[i][field] or 0
  end
  local total = 0
  for i = 1, #items do total = total + w(i) end
  local x = math.random() * total
  for i = 1, #items do
    x = x - w(i)
    if x < 0 then return items[i] end
  end
  return items[#items]                  -- only reached when rounding left x at 0
end

-- ---- calendar: proleptic Gregorian, days since 1970-01-01, no time zones ----

-- H. Hinnant's days_from_civil / civil_from_days (integer arithmetic, floor division).
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = y // 400
  local yoe = y - era * 400
  local doy = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
  return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
end

local function civil_from_days(z)
  z = z + 719468
  local era = z // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp < 10 and mp + 3 or mp - 9
  return yoe + era * 400 + (m <= 2 and 1 or 0), m, d
end

local function is_weekend(day)
  local wd = (day + 4) % 7              -- 1970-01-01 was a Thursday; 0 = Sunday
  return wd == 0 or wd == 6
end

local function iso_date(day) return string.format("%04d-%02d-%02d", civil_from_days(day)) end

local function iso_datetime(seconds)    -- seconds since 1970-01-01T00:00:00
  local day, s = seconds // 86400, seconds % 86400
  return string.format("%sT%02d:%02d:%02d", iso_date(day), s // 3600, s // 60 % 60, s % 60)
end

-- ---- CSV output (RFC 4180: "," separator, "\n" line ends, quotes only where needed) ----

local function csv_field(s)
  if s:find('[,"\r\n]') then return '"' .. s:gsub('"', '""') .. '"' end
  return s
end

-- Writes 'rows' (arrays of strings, one per column) under a header line of 'columns'.
local function write_csv(path, columns, rows)
  local f = assert(io.open(path, "wb"))
  f:setvbuf("full", 1 << 16)
  local function line(fields)
    assert(#fields == #columns, "write_csv: row width differs from the header")
    local out = {}
    for i = 1, #fields do out[i] = csv_field(fields[i]) end
    f:write(table.concat(out, ","), "\n")
  end
  line(columns)
  for _, r in ipairs(rows) do line(r) end
  assert(f:close())
end

local function shell_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- Replaces 'path' by 'path'.gz, reproducibly (no name, no time stamp); returns the new path.
local function gzip(path)
  local ok, how, code = os.execute("gzip -n -9 -f " .. shell_quote(path))
  if not ok then error(string.format("gzip -n -9 %s failed (%s %s)", path, how, code)) end
  return path .. ".gz"
end

local function fixed(x, decimals) return string.format("%." .. decimals .. "f", x) end
local function int(x) return string.format("%d", x) end

-- ---- credit.csv: loan applicants and whether they defaulted ----
--
-- Each applicant is drawn independently. A latent "financial distress" d ~ N(0,1), never
-- written, drives delinquencies, card utilisation, existing debt and the lender's bureau score,
-- which makes these correlated as in real loan books. The lender prices the loan (interest
-- rate) from what it sees, including its noisy view of d. Default follows a logistic model of
-- the applicant's factors (with a few non-linear terms) plus d and an unobserved shock; the
-- intercept is set by bisection so the mean default probability is exactly 10 %.

local CREDIT = {
  n = 10000,                            -- distinct applicants
  duplicates = 20,                      -- exact duplicate rows inserted at random places
  first_day = days_from_civil(2021, 1, 1),
  last_day = days_from_civil(2023, 12, 31),
  default_rate = 0.10,                  -- mean default probability
  na_share = 0.2,                       -- a missing value is written "NA" this often, else ""
}

-- Employment status: shift and spread of log income, income missing rate (self-reported
-- incomes of the self-employed and unemployed are left blank more often), rate premium
-- (percentage points) and default log-odds shift.
local EMPLOYMENT = {
  {name = "employed",      income = 0.00,  income_sd = 0.40, income_na = 0.015, rate = 0.0,
   risk = 0.00},
  {name = "self-employed", income = 0.05,  income_sd = 0.70, income_na = 0.070, rate = 0.5,
   risk = 0.25},
  {name = "unemployed",    income = -1.10, income_sd = 0.50, income_na = 0.080, rate = 2.0,
   risk = 0.70},
  {name = "retired",       income = -0.40, income_sd = 0.35, income_na = 0.020, rate = 0.0,
   risk = 0.10},
  {name = "student",       income = -1.30, income_sd = 0.45, income_na = 0.040, rate = 1.0,
   risk = 0.30},
}

-- Employment mix by age band, in the order of EMPLOYMENT.
local function employment_weights(age)
  if age < 25 then return {0.55, 0.04, 0.10, 0.00, 0.31} end
  if age < 63 then return {0.75, 0.14, 0.07, 0.01, 0.03} end
  return {0.22, 0.08, 0.03, 0.67, 0.00}
end

-- Loan purpose: share, log loan size shift, default log-odds shift.
local PURPOSES = {
  {name = "debt_consolidation", weight = 0.35, amount = 0.10,  risk = 0.10},
  {name = "car",                weight = 0.15, amount = 0.00,  risk = -0.10},
  {name = "home",               weight = 0.12, amount = 0.30,  risk = -0.15},
  {name = "education",          weight = 0.08, amount = 0.00,  risk = 0.00},
  {name = "business",           weight = 0.07, amount = 0.40,  risk = 0.35},
  {name = "medical",            weight = 0.06, amount = -0.30, risk = 0.20},
  {name = "other",              weight = 0.17, amount = -0.40, risk = 0.05},
}

-- Region: share, log income shift, default log-odds shift.
local REGIONS = {
  {name = "north",   weight = 0.22, income = 0.08,  risk = 0.00},
  {name = "south",   weight = 0.26, income = -0.08, risk = 0.12},
  {name = "east",    weight = 0.20, income = 0.00,  risk = 0.00},
  {name = "west",    weight = 0.20, income = 0.10,  risk = -0.05},
  {name = "central", weight = 0.12, income = -0.05, risk = 0.08},
}

local HOMES = {{name = "rent"}, {name = "own"}, {name = "mortgage"}}

-- Housing as a multinomial logit in age and income (rent is the base level).
local function draw_home(age, income)
  local li = math.log(income / 40000)
  local own = math.exp(-1.5 + 0.06 * (age - 40) + 0.3 * li)
  local mortgage = math.exp(0.8 * li - 0.5 * ((age - 45) / 15) ^ 2)
  return rng.pick(HOMES, {1, own, mortgage}).name
end

-- Monthly payment of an annuity loan.
local function monthly_payment(amount, rate_pct, months)
  local i = rate_pct / 1200
  return amount * i / (1 - (1 + i) ^ -months)
end

-- One applicant: a table of true values (nothing missing yet) and its default log-odds without
-- the intercept.
local function draw_applicant(cfg)
  local a = {day = rng.int(cfg.first_day, cfg.last_day)}
  repeat a.age = math.floor(rng.normal(41, 13) + 0.5) until a.age >= 18 and a.age <= 85
  a.employment = rng.pick(EMPLOYMENT, employment_weights(a.age))
  a.region = rng.pick(REGIONS)
  local working = a.employment.name ~= "unemployed" and a.employment.name ~= "student"

  -- Annual income: lognormal around a hump-shaped age profile peaking at 50.
  local age_profile = 0.45 * (1 - ((a.age - 50) / 30) ^ 2)
  a.income = round(38000 * math.exp(a.employment.income + a.region.income + age_profile
    + rng.normal(0, a.employment.income_sd)), 2)
  -- Years in the current (or, for retirees, the last) job; not applicable when not working.
  a.employment_years = working and round((a.age - 17) * rng.uniform() ^ 1.6, 1) or nil
  a.home = draw_home(a.age, a.income)
  a.has_mortgage = a.home == "mortgage" or (a.home == "own" and rng.bernoulli(0.12))
  local purpose_w = {}
  local student = a.employment.name == "student"
  for i, p in ipairs(PURPOSES) do     -- students borrow for education five times as often
    purpose_w[i] = p.weight * ((student and p.name == "education") and 5 or 1)
  end
  a.purpose = rng.pick(PURPOSES, purpose_w)

  local distress = rng.normal()
  a.credit_lines = rng.poisson(2 + 0.12 * math.min(a.age - 18, 40))
  a.delinquencies = rng.poisson(math.exp(-1.9 + 0.75 * distress))
  -- Revolving balance over limits; up to 1.15 (over limit), 0 without credit lines.
  a.utilization = a.credit_lines == 0 and 0
    or round(1.15 * sigmoid(-0.6 + 0.9 * distress + rng.normal(0, 0.6)), 3)
  local prior_dti = rng.lognormal(0.15, 0.45) * math.exp(0.25 * distress)

  a.loan_amount = clamp(
    100 * math.floor(0.25 * a.income * math.exp(a.purpose.amount + rng.normal(0, 0.5)) / 100 + 0.5),
    1000, 50000)
  a.term = rng.bernoulli(sigmoid(1.5 * math.log(a.loan_amount / 15000))) and 60 or 36
  -- Risk-based pricing from what the lender sees, including a noisy bureau view of distress.
  local bureau = 0.8 * distress + rng.normal(0, 0.6)
  a.interest_rate = clamp(round(8.5 + (a.term == 60 and 1.5 or 0) + 2.2 * bureau
    + 1.0 * math.min(a.delinquencies, 3) + 3 * math.max(a.utilization - 0.7, 0)
    + a.employment.rate + rng.normal(0, 0.8), 2), 4.99, 29.99)
  -- Debt payments (existing plus this loan's) over gross monthly income.
  a.debt_ratio = round(prior_dti
    + monthly_payment(a.loan_amount, a.interest_rate, a.term) / (a.income / 12), 3)

  local eta = 0.75 * distress
    + 0.30 * math.min(a.delinquencies, 5)
    + 1.2 * a.utilization + 1.8 * math.max(a.utilization - 0.9, 0)  -- maxed-out cards
    + 0.8 * math.log(1 + a.debt_ratio)
    - 0.30 * math.log(a.income / 40000)
    + 0.035 * math.max(30 - a.age, 0) + 0.025 * math.max(a.age - 65, 0)  -- young and old
    + a.employment.risk
    - 0.04 * math.min(a.employment_years or 0, 10)
    + 0.05 * (a.interest_rate - 12)                                   -- payment burden
    + (a.term == 60 and 0.25 or 0)
    + a.purpose.risk + a.region.risk
    - (a.home == "own" and 0.20 or 0)
    + rng.normal(0, 0.5)                                              -- job loss, illness...
  return a, eta
end

-- The intercept b with mean(sigmoid(b + eta)) = rate, by bisection (the mean increases in b).
local function intercept_for_rate(etas, rate)
  local lo, hi = -20, 20
  for _ = 1, 100 do
    local mid, sum = (lo + hi) / 2, 0
    for _, e in ipairs(etas) do sum = sum + sigmoid(mid + e) end
    if sum / #etas < rate then lo = mid else hi = mid end
  end
  return (lo + hi) / 2
end

local CREDIT_COLUMNS = {
  "id", "application_date", "age", "income", "employment", "employment_years", "home",
  "has_mortgage", "purpose", "loan_amount", "term_months", "interest_rate", "debt_ratio",
  "credit_lines", "delinquencies_2y", "utilization", "region", "default",
}

-- The CSV fields of applicant 'a', with values missing as an applicant file would have them.
local function credit_fields(a, cfg)
  local function na() return rng.bernoulli(cfg.na_share) and "NA" or "" end
  local income_missing = rng.bernoulli(a.employment.income_na)
  local years_missing = a.employment_years == nil or rng.bernoulli(0.02)
  -- debt_ratio needs the income, so it is missing with it, and now and then on its own.
  local ratio_missing = income_missing or rng.bernoulli(0.015)
  return {
    int(a.id), iso_date(a.day), int(a.age),
    income_missing and na() or fixed(a.income, 2),
    a.employment.name,
    years_missing and na() or fixed(a.employment_years, 1),
    a.home, tostring(a.has_mortgage), a.purpose.name, int(a.loan_amount), int(a.term),
    fixed(a.interest_rate, 2),
    ratio_missing and na() or fixed(a.debt_ratio, 3),
    int(a.credit_lines), int(a.delinquencies), fixed(a.utilization, 3), a.region.name,
    int(a.default),
  }
end

local function make_credit(dir, cfg)
  rng.seed(SEEDS.credit)
  local apps, etas = {}, {}
  for i = 1, cfg.n do
    apps[i], etas[i] = draw_applicant(cfg)
    apps[i].seq = i
  end
  local b0 = intercept_for_rate(etas, cfg.default_rate)
  local defaults = 0
  for i, a in ipairs(apps) do
    a.default = rng.bernoulli(sigmoid(b0 + etas[i])) and 1 or 0
    defaults = defaults + a.default
  end
  -- File order: by application date; ids are given in that order.
  table.sort(apps, function(x, y)
    if x.day ~= y.day then return x.day < y.day end
    return x.seq < y.seq
  end)
  local originals = {}
  for i, a in ipairs(apps) do
    a.id = i
    originals[i] = credit_fields(a, cfg)
  end
  -- Duplicates: copies of distinct applicants' rows, each inserted at a random place.
  local rows, copied = table.move(originals, 1, cfg.n, 1, {}), {}
  for _ = 1, cfg.duplicates do
    local src
    repeat src = rng.int(1, cfg.n) until not copied[src]
    copied[src] = true
    table.insert(rows, rng.int(1, #rows + 1), originals[src])
  end
  local path = string.format("%s/credit.csv", dir)
  write_csv(path, CREDIT_COLUMNS, rows)
  print(string.format("credit.csv: %d rows (%d duplicates), intercept %.4f, default rate %.4f",
    #rows, cfg.duplicates, b0, defaults / cfg.n))
  return gzip(path)
end

-- ---- prices.csv: daily OHLCV bars ----
--
-- Ten tickers in four sectors on business days (weekends skipped, no holidays). The market
-- regime s is a two-state Markov chain (calm, turbulent) on days. Per ticker, a GARCH(1,1)
-- variance h_t = omega_s + alpha e_{t-1}^2 + beta h_{t-1}, omega_s set so the long-run variance
-- is the ticker's calm variance times the regime's multiplier, drives the diffusive shock
-- e_t = sqrt(h_t) z_t. The standardised shocks z have a factor structure (market factor, sector
-- factor, own noise), the market loading rising in turbulent times as correlations do in
-- crises. Jumps J_t (idiosyncratic, earnings-like; market-wide, crash-like and frequent when
-- turbulent) come on top, outside the GARCH recursion: r_t = (mu + mu_s)/252 - h_t/2 + e_t + J_t
-- is the close-to-close log return. Each day's return is split into an overnight gap (close to
-- open; all jumps happen overnight) and the intraday move; high and low are the extremes of a
-- Brownian bridge from open to close. Volume rises with volatility and with the size of the
-- day's move, around a persistent AR(1) level.

local PRICES = {
  first_day = days_from_civil(2014, 1, 2),
  last_day = days_from_civil(2023, 12, 29),
  sector_loading = 0.35,                -- weight of the sector factor in the shocks
  max_market_loading = 0.85,
  idio_jump_prob = 1 / 250,             -- about one earnings-like gap a year per ticker
  idio_jump_sd = 4,                     -- in units of the ticker's calm daily sd
  overnight_share = 0.30,               -- share of the diffusion shock realised overnight
  intraday_var = 0.70,                  -- intraday variance as a share of h_t
}

-- drift and vol are annual (log-return mean, calm standard deviation); price is the first open;
-- loading scales the regime's market loading; volume is the typical daily volume (shares).
local TICKERS = {
  {ticker = "ACME", sector = "tech",       price = 100.00, drift = 0.10, vol = 0.28,
   loading = 1.10, alpha = 0.08, beta = 0.90, volume = 2.5e6},
  {ticker = "BNKR", sector = "financials", price = 42.00,  drift = 0.06, vol = 0.22,
   loading = 1.05, alpha = 0.07, beta = 0.91, volume = 6.0e6},
  {ticker = "BYTE", sector = "tech",       price = 54.00,  drift = 0.12, vol = 0.34,
   loading = 1.20, alpha = 0.09, beta = 0.89, volume = 4.0e6},
  {ticker = "CRDT", sector = "financials", price = 27.50,  drift = 0.05, vol = 0.25,
   loading = 1.00, alpha = 0.08, beta = 0.90, volume = 3.0e6},
  {ticker = "FOOD", sector = "consumer",   price = 47.00,  drift = 0.06, vol = 0.16,
   loading = 0.65, alpha = 0.05, beta = 0.93, volume = 2.0e6},
  {ticker = "GRID", sector = "energy",     price = 35.00,  drift = 0.05, vol = 0.17,
   loading = 0.60, alpha = 0.06, beta = 0.92, volume = 1.5e6},
  {ticker = "INSR", sector = "financials", price = 88.00,  drift = 0.07, vol = 0.18,
   loading = 0.80, alpha = 0.06, beta = 0.92, volume = 1.2e6},
  {ticker = "PETR", sector = "energy",     price = 61.00,  drift = 0.03, vol = 0.30,
   loading = 0.85, alpha = 0.09, beta = 0.89, volume = 5.0e6},
  {ticker = "QBIT", sector = "tech",       price = 6.50,   drift = -0.02, vol = 0.60,
   loading = 1.25, alpha = 0.10, beta = 0.87, volume = 9.0e6},  -- small cap, may go below 1
  {ticker = "SHOP", sector = "consumer",   price = 120.00, drift = 0.09, vol = 0.26,
   loading = 1.00, alpha = 0.08, beta = 0.90, volume = 3.5e6},
}
local SECTORS = {"tech", "financials", "energy", "consumer"}

-- vol multiplies the long-run sd, drift (annual) adds to every ticker's, market is the market
-- loading of a loading-1 ticker, jump_prob/jump_mean/jump_sd describe market-wide jumps,
-- leave is the daily probability of switching to the other regime.
local REGIMES = {
  calm      = {vol = 1.0, drift = 0.00,  market = 0.50, jump_prob = 1 / 500,
               jump_mean = -0.02, jump_sd = 0.03, leave = 1 / 750, other = "turbulent"},
  turbulent = {vol = 2.5, drift = -0.25, market = 0.72, jump_prob = 1 / 40,
               jump_mean = -0.02, jump_sd = 0.03, leave = 1 / 60, other = "calm"},
}

-- Extremes (max >= max(0, b), min <= min(0, b)) of a Brownian bridge from 0 to b with variance
-- v over the interval, drawn from the exact marginal laws P(max > m) = exp(-2 m (m - b) / v);
-- the dependence between max and min is ignored.
local function bridge_extremes(b, v)
  local hi = (b + math.sqrt(b * b - 2 * v * math.log(1 - rng.uniform()))) / 2
  local lo = (b - math.sqrt(b * b - 2 * v * math.log(1 - rng.uniform()))) / 2
  return hi, lo
end

-- Prices are quoted to cents, or to 1/100 of a cent below 1 (as sub-dollar stocks are).
local function ohlc_fields(open, high, low, close)
  local dec = low < 1 and 4 or 2
  open, high, low, close = round(open, dec), round(high, dec), round(low, dec), round(close, dec)
  high = math.max(high, open, close)    -- rounding must not break low <= open, close <= high
  low = math.min(low, open, close)
  return fixed(open, dec), fixed(high, dec), fixed(low, dec), fixed(close, dec)
end

-- One day of ticker 'tk' (state 'st' updated in place) in regime 'reg'; 'common' holds the
-- day's market and sector shocks and the market jump. Returns the open, high, low, close and
-- volume fields.
local function ticker_day(tk, st, reg, common, cfg)
  local calm_sd = tk.vol / math.sqrt(252)
  local long_var = (reg.vol * calm_sd) ^ 2
  st.h = (1 - tk.alpha - tk.beta) * long_var + tk.alpha * st.e ^ 2 + tk.beta * st.h
  local sd = math.sqrt(st.h)

  local c = math.min(cfg.max_market_loading, reg.market * tk.loading)
  local s = cfg.sector_loading
  local z = c * common.market + s * common.sector[tk.sector]
    + math.sqrt(1 - c * c - s * s) * rng.normal()
  local jump = tk.loading * common.jump
  if rng.bernoulli(cfg.idio_jump_prob) then
    jump = jump + rng.normal(0, cfg.idio_jump_sd * calm_sd)
  end
  st.e = sd * z
  local r = (tk.drift + reg.drift) / 252 - st.h / 2 + st.e + jump

  local gap = jump + sd * (cfg.overnight_share * z + 0.25 * rng.normal())
  local open = st.close * math.exp(gap)
  local close = st.close * math.exp(r)
  local hi, lo = bridge_extremes(r - gap, cfg.intraday_var * st.h)
  st.close = close

  -- log volume: persistent level + elasticity to volatility + the day's move (in sds, capped)
  st.volume_level = 0.8 * st.volume_level + 0.2 * rng.normal()
  local move = math.min(math.abs(st.e + jump) / sd, 5)
  local volume = tk.volume * math.exp(st.volume_level + 0.8 * math.log(sd / calm_sd)
    + 0.3 * (move - 0.8))
  local o, h, l, cl = ohlc_fields(open, open * math.exp(hi), open * math.exp(lo), close)
  return o, h, l, cl, int(math.floor(volume + 0.5))
end

local function make_prices(dir, cfg)
  rng.seed(SEEDS.prices)
  local states = {}
  for i, tk in ipairs(TICKERS) do
    states[i] = {h = (tk.vol ^ 2) / 252, e = 0, close = tk.price, volume_level = 0}
  end
  local regime, spells, days = "calm", {}, 0
  local rows = {}
  for day = cfg.first_day, cfg.last_day do
    if not is_weekend(day) then
      if days > 0 and rng.bernoulli(REGIMES[regime].leave) then
        regime = REGIMES[regime].other
        spells[#spells + 1] = iso_date(day) .. " " .. regime
      end
      days = days + 1
      local reg = REGIMES[regime]
      local common = {market = rng.normal(), sector = {}, jump = 0}
      for _, name in ipairs(SECTORS) do common.sector[name] = rng.normal() end
      if rng.bernoulli(reg.jump_prob) then common.jump = rng.normal(reg.jump_mean, reg.jump_sd) end
      local date = iso_date(day)
      for i, tk in ipairs(TICKERS) do   -- TICKERS is in name order: rows sort by date, ticker
        rows[#rows + 1] = {date, tk.ticker, ticker_day(tk, states[i], reg, common, cfg)}
      end
    end
  end
  local path = string.format("%s/prices.csv", dir)
  write_csv(path, {"date", "ticker", "open", "high", "low", "close", "volume"}, rows)
  print(string.format("prices.csv: %d rows, %d days; regime switches: %s", #rows, days,
    #spells > 0 and table.concat(spells, ", ") or "none"))
  return gzip(path)
end

-- ---- transactions.csv: card payments and fraud ----
--
-- Cardholders (home country US) pay as Poisson processes with their own rate, spending level,
-- online share and daily rhythm (some keep late hours); a payment sometimes triggers another
-- within minutes (a shopping trip). Some cardholders travel abroad for days. Fraud comes in
-- episodes on a random cardholder's card: card-not-present (online from far away, often a tiny
-- test charge, then a burst of large purchases of resaleable goods), counterfeit card-present
-- (ATM cash-outs and luxury purchases, often abroad), and look-alike fraud drawn from the
-- cardholder's own habits, which no model can tell apart. Behavioural columns are computed
-- from the customer's earlier rows in the file only, as a bank would compute them online.

local TXN = {
  customers = 2000,
  first_day = days_from_civil(2024, 1, 1),
  days = 91,                            -- to 2024-03-31
  fraud_episodes = 170,
  home = "US",
  atm_share = 0.06,
  follow_up = 0.12,                     -- chance a payment is followed by another within minutes
  traveller_share = 0.06,
}

-- Merchant categories: median amount (USD) for an average spender and sd of the log amount;
-- then relative frequencies by channel (pos, online, atm) and in card-not-present (cnp) and
-- counterfeit card-present (cloned) fraud.
local CATEGORIES = {
  {name = "grocery",         median = 42,  sd = 0.6, pos = 28, online = 4},
  {name = "restaurants",     median = 28,  sd = 0.6, pos = 20, online = 8},
  {name = "fuel",            median = 45,  sd = 0.4, pos = 12, cloned = 10},
  {name = "retail",          median = 55,  sd = 0.8, pos = 14, online = 28, cnp = 15, cloned = 20},
  {name = "electronics",     median = 140, sd = 0.9, pos = 3,  online = 10, cnp = 30, cloned = 40},
  {name = "travel",          median = 260, sd = 0.9, pos = 2,  online = 9,  cnp = 10},
  {name = "entertainment",   median = 35,  sd = 0.7, pos = 7,  online = 10},
  {name = "health",          median = 40,  sd = 0.8, pos = 7,  online = 3},
  {name = "utilities",       median = 85,  sd = 0.5, pos = 1,  online = 12},
  {name = "digital_goods",   median = 15,  sd = 0.8, online = 14, cnp = 35},
  {name = "jewelry",         median = 220, sd = 1.0, pos = 1,  online = 1,  cnp = 10, cloned = 30},
  {name = "cash_withdrawal", median = 100, sd = 0.6, atm = 1},
}
local CASH = CATEGORIES[#CATEGORIES]

-- Foreign countries: rough distance (km) from a US home, weight as a travel destination or a
-- foreign web shop (travel), weight as the origin of fraud (fraud).
local FOREIGN = {
  {code = "CA", km = 1500,  travel = 3.0, fraud = 1.0},
  {code = "MX", km = 2500,  travel = 3.0, fraud = 1.0},
  {code = "GB", km = 6000,  travel = 2.0, fraud = 2.0},
  {code = "FR", km = 6500,  travel = 1.5, fraud = 1.0},
  {code = "DE", km = 7000,  travel = 1.0, fraud = 1.0},
  {code = "ES", km = 6800,  travel = 1.0, fraud = 0.5},
  {code = "IT", km = 7400,  travel = 1.0, fraud = 0.5},
  {code = "BR", km = 7500,  travel = 0.5, fraud = 2.0},
  {code = "NG", km = 9500,  travel = 0.1, fraud = 3.0},
  {code = "RO", km = 8000,  travel = 0.2, fraud = 3.0},
  {code = "RU", km = 8500,  travel = 0.1, fraud = 3.0},
  {code = "CN", km = 11000, travel = 0.4, fraud = 2.0},
  {code = "IN", km = 12500, travel = 0.4, fraud = 1.5},
  {code = "TH", km = 13500, travel = 0.5, fraud = 1.0},
}

-- Relative activity by hour of day (0..23) of a daytime cardholder; night owls are shifted by
-- three hours. Fraudsters work in other time zones and favour the small hours.
local DAY_HOURS = {0.6, 0.3, 0.2, 0.15, 0.15, 0.3, 1, 2.5, 4, 5, 5.5, 6,
                   7, 6.5, 5.5, 5.5, 6, 7, 7.5, 7, 6, 4.5, 3, 1.5}
local NIGHT_HOURS, FRAUD_HOURS = {}, {}
for h = 0, 23 do
  NIGHT_HOURS[h + 1] = DAY_HOURS[(h - 3) % 24 + 1]
  FRAUD_HOURS[h + 1] = h < 6 and 3 or 1.5
end
local HOURS = {}
for h = 0, 23 do HOURS[h + 1] = h end

local function draw_customer(i, cfg)
  local c = {
    id = string.format("C%04d", i),
    index = i,
    rate = rng.lognormal(0.28, 0.6),          -- payments per day
    spend = rng.lognormal(1, 0.4),            -- scales every category's median amount
    online = sigmoid(rng.normal(-1.3, 0.8)),  -- share of card payments made online
    hours = rng.bernoulli(0.1) and NIGHT_HOURS or DAY_HOURS,
  }
  if rng.bernoulli(cfg.traveller_share) then
    local from = rng.int(0, cfg.days - 3) * 86400
    c.trip = {from = from, to = from + rng.int(3, 12) * 86400,
              country = rng.pick(FOREIGN, "travel")}
  end
  return c
end

-- A time (seconds from the start of the period) on a random day at an hour drawn from 'hours'.
local function draw_time(hours, cfg)
  return rng.int(0, cfg.days - 1) * 86400 + rng.pick(HOURS, hours) * 3600 + rng.int(0, 3599)
end

-- Amount of a payment in 'category' by cardholder 'c', times 'scale'; ATMs pay out multiples of 20.
local function draw_amount(c, category, scale)
  local x = rng.lognormal(category.median * c.spend * (scale or 1), category.sd)
  if category.name == "cash_withdrawal" then return 20 * math.max(1, math.floor(x / 20 + 0.5)) end
  return math.max(0.5, round(x, 2))
end

local function domestic_km()
  if rng.bernoulli(0.04) then return rng.uniform(150, 3500) end   -- away within the country
  return rng.lognormal(5, 0.9)
end

local function foreign_km(country) return country.km * rng.lognormal(1, 0.1) end

-- An ordinary payment by cardholder 'c' at time 't'.
local function draw_payment(c, t, cfg)
  local abroad = c.trip and t >= c.trip.from and t < c.trip.to
  local channel = rng.bernoulli(cfg.atm_share) and "atm"
    or (rng.bernoulli(c.online) and "online" or "pos")
  local category = rng.pick(CATEGORIES, channel)
  local country, km = cfg.home, nil
  if channel == "online" then           -- distance of the geolocated IP address, not the shop
    if rng.bernoulli(0.07) then country = rng.pick(FOREIGN, "travel").code end
    km = abroad and foreign_km(c.trip.country) or rng.lognormal(8, 0.8)
  elseif abroad then
    country, km = c.trip.country.code, foreign_km(c.trip.country)
  else
    km = domestic_km()
  end
  return {t = t, customer = c, amount = draw_amount(c, category), category = category.name,
          channel = channel, country = country, km = km, fraud = 0}
end

-- Where a fraudster uses the card (terminal or IP address): abroad in 'origin', or at home,
-- mostly far from the cardholder (a median 400 km, now and then close by through a proxy).
local function fraud_km(origin)
  if origin then return foreign_km(origin) end
  return rng.lognormal(400, 1.2)
end

-- Fraud episodes: each appends its transactions, starting at time 't', to 'out'.
local function card_not_present(c, t, cfg, out)
  local origin = rng.bernoulli(0.7) and rng.pick(FOREIGN, "fraud") or nil
  for k = 1, 1 + rng.poisson(2) do
    local category = rng.pick(CATEGORIES, "cnp")
    local amount = draw_amount(c, category, 4)
    if k == 1 and rng.bernoulli(0.4) then amount = round(rng.uniform(0.5, 5), 2) end  -- test
    local shop = (origin and rng.bernoulli(0.6)) and origin.code or cfg.home
    out[#out + 1] = {t = t, customer = c, amount = amount, category = category.name,
                     channel = "online", country = shop, km = fraud_km(origin), fraud = 1}
    t = t + math.floor(rng.exponential(240))
  end
end

local function counterfeit(c, t, cfg, out)
  local origin = rng.bernoulli(0.55) and rng.pick(FOREIGN, "fraud") or nil
  for _ = 1, 1 + rng.poisson(1.5) do
    local atm = rng.bernoulli(0.5)
    local category = atm and CASH or rng.pick(CATEGORIES, "cloned")
    local amount = atm and 20 * rng.int(10, 40) or draw_amount(c, category, 3)
    out[#out + 1] = {t = t, customer = c, amount = amount, category = category.name,
                     channel = atm and "atm" or "pos", country = origin and origin.code or cfg.home,
                     km = fraud_km(origin), fraud = 1}
    t = t + math.floor(rng.exponential(1500))
  end
end

local function lookalike(c, _, cfg, out)
  for _ = 1, rng.int(1, 2) do
    local p = draw_payment(c, draw_time(c.hours, cfg), cfg)
    p.fraud = 1
    out[#out + 1] = p
  end
end

local FRAUD_KINDS = {
  {weight = 0.55, draw = card_not_present},
  {weight = 0.30, draw = counterfeit},
  {weight = 0.15, draw = lookalike},
}

local TXN_COLUMNS = {
  "transaction_id", "timestamp", "customer_id", "amount", "merchant_category", "channel",
  "country", "hour", "distance_from_home_km", "seconds_since_last_txn",
  "amount_vs_customer_mean", "txns_last_24h", "is_fraud",
}

-- Sorts 'txns' by time and returns the CSV rows, with the behavioural columns computed from
-- each customer's earlier rows (empty where there is none).
local function transaction_rows(txns, cfg)
  table.sort(txns, function(x, y)
    if x.t ~= y.t then return x.t < y.t end
    if x.customer.index ~= y.customer.index then return x.customer.index < y.customer.index end
    return x.seq < y.seq
  end)
  local start, rows, history = cfg.first_day * 86400, {}, {}
  for i, x in ipairs(txns) do
    local h = history[x.customer]
    if not h then
      h = {times = {}, first = 1, n = 0, sum = 0}
      history[x.customer] = h
    end
    while h.first <= h.n and h.times[h.first] <= x.t - 86400 do h.first = h.first + 1 end
    local since = h.n > 0 and int(x.t - h.times[h.n]) or ""
    local ratio = h.n > 0 and fixed(x.amount / (h.sum / h.n), 3) or ""
    rows[i] = {
      string.format("T%07d", i), iso_datetime(start + x.t), x.customer.id, fixed(x.amount, 2),
      x.category, x.channel, x.country, int(x.t % 86400 // 3600), fixed(x.km, 1),
      since, ratio, int(h.n - h.first + 1), int(x.fraud),
    }
    h.n, h.sum = h.n + 1, h.sum + x.amount
    h.times[h.n] = x.t
  end
  return rows
end

local function make_transactions(dir, cfg)
  rng.seed(SEEDS.transactions)
  local customers, txns = {}, {}
  for i = 1, cfg.customers do customers[i] = draw_customer(i, cfg) end
  for _, c in ipairs(customers) do
    for _ = 1, rng.poisson(c.rate * cfg.days) do
      local t = draw_time(c.hours, cfg)
      txns[#txns + 1] = draw_payment(c, t, cfg)
      while rng.bernoulli(cfg.follow_up) do
        t = t + rng.int(60, 2700)
        txns[#txns + 1] = draw_payment(c, t, cfg)
      end
    end
  end
  for _ = 1, cfg.fraud_episodes do
    local c = customers[rng.int(1, cfg.customers)]
    rng.pick(FRAUD_KINDS).draw(c, draw_time(FRAUD_HOURS, cfg), cfg, txns)
  end
  -- Keep what falls inside the period (bursts may run past its end).
  local kept, frauds = {}, 0
  for i, x in ipairs(txns) do
    if x.t < cfg.days * 86400 then
      x.seq = i
      kept[#kept + 1] = x
      frauds = frauds + x.fraud
    end
  end
  local path = string.format("%s/transactions.csv", dir)
  write_csv(path, TXN_COLUMNS, transaction_rows(kept, cfg))
  print(string.format("transactions.csv: %d rows, fraud rate %.4f", #kept, frauds / #kept))
  return gzip(path)
end

-- ---- main ----

local dir = arg[1] or (arg[0]:match("^(.*)[/\\][^/\\]*$") or ".")
make_credit(dir, CREDIT)
make_prices(dir, PRICES)
make_transactions(dir, TXN)
