-- moneta.feat_woe: the credit-scoring part of moneta.feat -- feat.woe (a fitted transform,
-- moneta.Prep of kind "woe"), feat.iv, feat.woe_table and feat.psi (vectors or frames), with
-- their help texts. The work is in C (data/woe.c via moneta.c.feat); this file returns
-- function(feat) that installs the names into the feat table.
local doc = require "moneta.doc"
local fc = require "moneta.c.frame"

local IV_READING = "IV < 0.02 useless, 0.02-0.1 weak, 0.1-0.3 medium, 0.3-0.5 strong, " ..
                   "> 0.5 suspicious (check for a leak)"
local PSI_READING = "PSI < 0.1 stable, 0.1-0.25 some shift, > 0.25 major shift"

local function is_frame(x)
  local mt = getmetatable(x)
  return type(mt) == "table" and mt.__name == "moneta.Frame"
end

local function check_opts(opts, what, known)
  -- not a tail call, so error levels count this frame
  local checked = require("moneta.opts").check(opts, what, known, 4)
  return checked
end

-- A frame from named lists, in the given column order.
local function frame_of(order, cols)
  local spec = {}
  for i, name in ipairs(order) do spec[i] = {name, cols[name]} end
  return fc.frame(spec)
end

return function(feat)
  local C = require "moneta.c.feat"
  local cwoe, cpsi = C.woe, C.psi
  assert(type(cwoe) == "function" and type(cpsi) == "function",
         "moneta.feat_woe: moneta.c.feat lacks woe/psi (lb_feat_woe not called)")
  feat.woe = cwoe                       -- the fitted transform's constructor, from C as is

  doc.topic("credit", "credit scoring: weight of evidence, information value, PSI",
    "feat.woe{...} bins each feature against a 0/1 target (1 = bad) and replaces it by the " ..
    "WoE of its bin, ln(%good / %bad), with 0.5 added to every count; it is a fitted " ..
    "transform (fit on train, transform test, prep.pipeline, saved with a model). " ..
    "feat.iv ranks features by information value; feat.psi compares two samples. " ..
    IV_READING .. "; " .. PSI_READING .. ". See docs/features_woe.md.")

  --- feat.woe_table(t [, feature]) -> frame of bins
  function feat.woe_table(t, feature)
    local list = t:bins()
    local order = {"feature", "bin", "lo", "hi", "n", "good", "bad", "bad_rate", "woe", "iv"}
    local cols = {}
    for _, k in ipairs(order) do cols[k] = {} end
    local found = false
    for _, c in ipairs(list) do
      if feature == nil or c.feature == feature then
        found = true
        for _, b in ipairs(c.bins) do
          local r = #cols.feature + 1
          cols.feature[r], cols.bin[r] = c.feature, b.label
          for _, k in ipairs{"lo", "hi", "n", "good", "bad", "bad_rate", "woe", "iv"} do
            cols[k][r] = b[k]
          end
        end
      end
    end
    if not found then error("woe_table: no woe column '" .. tostring(feature) .. "'", 2) end
    return frame_of(order, cols)
  end

  --- feat.iv(frame, target [, opts]) -> frame {feature, iv, reading, bins}, by IV
  function feat.iv(frame, target, opts)
    opts = check_opts(opts, "iv", {"columns", "method", "bins", "fine", "min_share", "smooth"})
    if not is_frame(frame) then error("iv: argument 1 must be a frame", 2) end
    local wopts = {}
    for k, v in pairs(opts) do wopts[k] = v end
    local t
    if type(target) == "string" then
      wopts.target = target
      t = cwoe(wopts):fit(frame)
    elseif target ~= nil then
      t = cwoe(wopts):fit(frame, target)
    else
      error("iv: argument 2 must be the target: a column name, a column or a list of 0/1", 2)
    end
    local rows = t:bins()
    table.sort(rows, function(a, b)
      if a.iv ~= b.iv then return a.iv > b.iv end
      return a.feature < b.feature
    end)
    local cols = {feature = {}, iv = {}, reading = {}, bins = {}}
    for i, r in ipairs(rows) do
      cols.feature[i], cols.iv[i], cols.reading[i] = r.feature, r.iv, r.reading
      cols.bins[i] = #r.bins - 1                       -- value bins; the missing bin apart
    end
    return frame_of({"feature", "iv", "reading", "bins"}, cols), IV_READING
  end

  --- feat.psi(expected, actual [, opts]) -> psi, detail | frame per feature
  function feat.psi(expected, actual, opts)
    if is_frame(expected) ~= is_frame(actual) then
      error("psi: give two frames or two vectors", 2)
    end
    if not is_frame(expected) then
      check_opts(opts, "psi", {"bins"})
      return cpsi(expected, actual, opts)
    end
    opts = check_opts(opts, "psi", {"bins", "columns"})
    local names = opts.columns
    if type(names) == "string" then names = {names} end
    local etypes, atypes = expected:types(), actual:types()
    if names == nil then
      names = {}
      for _, n in ipairs(expected:names()) do
        if etypes[n] == "f64" and atypes[n] == "f64" then names[#names + 1] = n end
      end
    end
    local cols = {feature = {}, psi = {}, reading = {}}
    for i, n in ipairs(names) do
      if etypes[n] == nil or atypes[n] == nil then
        error("psi: column '" .. n .. "' is missing from the " ..
              (etypes[n] == nil and "expected" or "actual") .. " frame", 2)
      end
      if etypes[n] ~= "f64" or atypes[n] ~= "f64" then
        error("psi: column '" .. n .. "' is not numeric (f64)", 2)
      end
      local p, d = cpsi(expected:col(n), actual:col(n), {bins = opts.bins})
      cols.feature[i], cols.psi[i], cols.reading[i] = n, p, d.reading
    end
    return frame_of({"feature", "psi", "reading"}, cols), PSI_READING
  end

  local function add(name, sig, text)
    doc.add(feat[name], "moneta.feat." .. name, sig, text, "credit")
  end
  add("woe", "feat.woe{columns =, target =, method = 'quantile'|'monotonic', bins = 10, " ..
             "fine = 20, min_share = 0.05, smooth = 0.5} -> transform",
    "Weight-of-evidence transform: t:fit(frame, y) or with target = 'col'; each f64/bool " ..
    "column is cut at quantiles (ties together; monotonic: pooled until the bad rate is monotone), " ..
    "cat/text gets a bin per level (rare ones in 'other'), NaN its own bin; values become " ..
    "ln(%good / %bad) of their bin, 0.5 added to each count. t:bins() lists the bins.")
  add("iv", "feat.iv(frame, target [, opts]) -> frame {feature, iv, reading, bins}, rule",
    "Information value sum (%good - %bad) * WoE of every feature against target (a column " ..
    "name, or a 0/1 vector; 1 = bad), highest first, with the reading: " .. IV_READING ..
    " (the rule, as a string, is the second result). opts as feat.woe.")
  add("woe_table", "feat.woe_table(t [, feature]) -> frame",
    "The bins of a fitted woe transform (or pipeline): feature, bin, lo, hi (lo < x <= hi), " ..
    "n, good, bad, bad_rate, woe and iv contribution; the missing bin last.")
  add("psi", "feat.psi(expected, actual [, {bins = 10, columns =}]) -> psi, detail | " ..
             "frame, rule",
    "Population stability index sum (a - e) ln(a / e) over bins at the expected sample's " ..
    "quantiles, 0.5 added to each count; two vectors give the number and its bins, two " ..
    "frames a frame per f64 feature and the rule: " .. PSI_READING .. ".")
end
