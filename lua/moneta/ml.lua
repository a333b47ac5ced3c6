-- moneta.ml: classical models. The numbers are computed in C (ml/ through "moneta.c.ml");
-- this file is the base every kind shares: X and y into a design and a response, option
-- checks, the regression-table printer, save/load through the model-file container (kinds
-- "ml.*"), and the installers of each kind (ml.linear here; ml.logistic from ml_logistic.lua).
local C = require "moneta.c.ml"
local doc = require "moneta.doc"

local M = {}
local B = {C = C}           -- the base, for kind modules: M._base
M._base = B

-- ---- inputs ----

local function mtname(x)
  local mt = getmetatable(x)
  return type(mt) == "table" and mt.__name or nil
end
function B.is_frame(x) return mtname(x) == "moneta.Frame" end

--- check_opts(opts, what, known): opts a plain table (or nil); unknown keys are errors naming
--- the key and listing the known ones. Returns opts or {}.
function B.check_opts(opts, what, known, level)
  level = (level or 2) + 1
  if opts == nil then return {} end
  if type(opts) ~= "table" or getmetatable(opts) ~= nil then
    error(what .. ": options must be a table, got " .. type(opts), level)
  end
  local set = {}
  for _, k in ipairs(known) do set[k] = true end
  for k in pairs(opts) do
    if not set[k] then
      error(string.format("%s: unknown option '%s' (known: %s)", what, tostring(k),
                          table.concat(known, ", ")), level)
    end
  end
  return opts
end

-- Strip a C-side "bad argument" wrapper so messages read "ml.linear: fit: ...".
local function clean_msg(msg)
  msg = tostring(msg):gsub("^bad argument #%d+ to '[^']*' %((.*)%)$", "%1")
  return msg
end

--- call(what, f, ...): f(...) with a Lua error re-raised as "what: message" at the caller.
function B.call(what, f, ...)
  local res = table.pack(pcall(f, ...))
  if not res[1] then error(what .. ": " .. clean_msg(res[2]), 3) end
  return table.unpack(res, 2, res.n)
end

--- xy(what, X, y [, allow_nan]) -> design, y values (a Lua list), response name.
--- y: a column, a tensor, a table of numbers, or the name of a column of X (dropped from X).
function B.xy(what, X, y, allow_nan)
  local yname = "y"
  if type(y) == "string" then
    if not B.is_frame(X) then error(what .. ": y given by name needs X to be a frame", 3) end
    yname = y
    local ok, col = pcall(X.col, X, y)
    if not ok then error(what .. ": y: " .. clean_msg(col), 3) end
    X = X:drop{y}
    y = col
  elseif mtname(y) == "moneta.Column" and y:name() then
    yname = y:name()
  end
  local D = B.design(what, X, allow_nan, 1)
  local ok, yv = pcall(function() return require("moneta.c.ml").vector(y) end)
  if not ok then error(what .. ": y: " .. clean_msg(yv), 3) end
  if #yv ~= D:n() then
    error(string.format("%s: y has %d values but X has %d rows", what, #yv, D:n()), 3)
  end
  for i = 1, #yv do
    if yv[i] ~= yv[i] or yv[i] == math.huge or yv[i] == -math.huge then
      error(string.format("%s: y: row %d is %s; drop or impute missing values first", what, i,
                          yv[i] ~= yv[i] and "NaN" or "infinite"), 3)
    end
  end
  return D, yv, yname
end

--- design(what, X [, allow_nan]) -> a moneta.Design (frame columns or tensor), errors named.
function B.design(what, X, allow_nan, extra)
  local ok, D = pcall(C.design, X, allow_nan)
  if not ok then error(what .. ": " .. clean_msg(D):gsub("^design: ", ""), 3 + (extra or 0)) end
  return D
end

--- design_for(what, model, X): X for predicting with a fitted model: a frame is cut to the
--- columns the model was fitted on (so a frame that still holds y works).
function B.design_for(what, m, X)
  if B.is_frame(X) and m._frame_names then
    local ok, sel = pcall(X.select, X, m._frame_names)
    if not ok then error(what .. ": " .. clean_msg(sel), 3) end
    X = sel
  end
  local D = B.design(what, X, false, 1)
  if m._nfeat and D:p() ~= m._nfeat then
    error(string.format("%s: X has %d columns, the model was fitted on %d", what, D:p(),
                        m._nfeat), 3)
  end
  return D
end

-- ---- options as declarative text (model files) ----
-- One "key = value" per line, keys sorted; a value is a number (%.17g, or inf/nan), true,
-- false, a quoted string (%q), or a list { v, v, ... } of those. Read back without load().

local function enc(v)
  local t = type(v)
  if t == "number" then
    if math.type(v) == "integer" then return tostring(v) end
    if v ~= v then return "nan" end
    if v == math.huge then return "inf" elseif v == -math.huge then return "-inf" end
    return string.format("%.17g", v)
  elseif t == "boolean" then return tostring(v)
  elseif t == "string" then return (string.format("%q", v):gsub("\\\n", "\\n"))
  elseif t == "table" then
    local parts = {}
    for i = 1, #v do parts[i] = enc(v[i]) end
    return "{" .. table.concat(parts, ", ") .. "}"
  end
  error("options: cannot store a " .. t)
end

function B.encode(opts)
  local keys = {}
  for k in pairs(opts) do keys[#keys + 1] = k end
  table.sort(keys)
  local lines = {}
  for _, k in ipairs(keys) do lines[#lines + 1] = k .. " = " .. enc(opts[k]) end
  return table.concat(lines, "\n") .. "\n"
end

local ESC = {n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", a = "\a", b = "\b",
             f = "\f", v = "\v"}

local function dec_value(s, i)
  i = s:find("%S", i) or #s + 1
  local c = s:sub(i, i)
  if c == '"' then
    local out, j = {}, i + 1
    while true do
      local ch = s:sub(j, j)
      if ch == "" then error("unterminated string") end
      if ch == '"' then return table.concat(out), j + 1 end
      if ch == "\\" then
        local nx = s:sub(j + 1, j + 1)
        local d = s:match("^%d%d?%d?", j + 1)
        if d then out[#out + 1] = string.char(tonumber(d)); j = j + 1 + #d
        elseif ESC[nx] then out[#out + 1] = ESC[nx]; j = j + 2
        else error("bad escape") end
      else
        out[#out + 1] = ch
        j = j + 1
      end
    end
  elseif c == "{" then
    local list, j = {}, i + 1
    j = s:find("%S", j) or #s + 1
    if s:sub(j, j) == "}" then return list, j + 1 end
    while true do
      local v
      v, j = dec_value(s, j)
      list[#list + 1] = v
      j = s:find("%S", j) or #s + 1
      local d = s:sub(j, j)
      if d == "}" then return list, j + 1 end
      if d ~= "," then error("',' or '}' expected") end
      j = j + 1
    end
  else
    local word = s:match("^[%w%.%+%-]+", i)
    if not word then error("value expected") end
    local j = i + #word
    if word == "true" then return true, j elseif word == "false" then return false, j end
    if word == "nan" then return 0 / 0, j end
    if word == "inf" then return math.huge, j elseif word == "-inf" then return -math.huge, j end
    local n = math.tointeger(word) or tonumber(word)
    if n == nil then error("bad number '" .. word .. "'") end
    return n, j
  end
end

function B.decode(text)
  local out, pos = {}, 1
  while pos <= #text do
    local ks, ke, key = text:find("^%s*([%a_][%w_]*)%s*=%s*", pos)
    if not ks then
      if text:find("^%s*$", pos) then break end
      error("options: bad line at byte " .. pos)
    end
    local v, j = dec_value(text, ke + 1)
    out[key] = v
    pos = j
    local nl = text:find("\n", pos, true)
    if text:sub(pos, (nl or #text + 1) - 1):find("%S") then
      error("options: junk after '" .. key .. "'")
    end
    pos = (nl or #text) + 1
  end
  return out
end

-- ---- model files ----

local loaders = {}          -- kind ("ml.linear") -> function(state, path) -> model

--- register(kind, loader): moneta.load opens files of 'kind' with loader(state, path); state
--- is {kind, version, options (decoded table), arrays (name -> list), prep (string|nil)}.
function B.register(kind, loader) loaders[kind] = loader end

--- save(m, path, opts): m:_state() -> kind, version, options table, arrays list {{name, v}}.
function B.save(m, path, opts)
  local what = m._what .. ":save"
  opts = B.check_opts(opts, what, {"prep"}, 2)
  if type(path) ~= "string" then error(what .. ": path expected", 3) end
  if not m._fitted then error(what .. ": the model is not fitted (call fit first)", 3) end
  local prep = opts.prep or m._prep
  if prep ~= nil and type(prep) ~= "string" then
    if type(prep.serialize) ~= "function" then
      error(what .. ": prep must be a string or have :serialize()", 3)
    end
    prep = prep:serialize()
  end
  local kind, version, o, arrays = m:_state()
  B.call(what, C.save, path, kind, version, B.encode(o), arrays, prep)
end

--- load(path) -> model of kind "ml.*"
function M.load(path)
  if type(path) ~= "string" then error("ml.load: path expected", 2) end
  local ok, st = pcall(C.load, path)
  if not ok then error("load: " .. clean_msg(st), 2) end
  local open = loaders[st.kind]
  if open == nil then
    error(string.format("load: %s holds a model of kind '%s', which this moneta cannot open",
                        path, st.kind), 2)
  end
  local ok2, o = pcall(B.decode, st.options)
  if not ok2 then error("load: " .. path .. ": " .. tostring(o), 2) end
  st.options = o
  local ok3, m = pcall(open, st, path)
  if not ok3 then error("load: " .. path .. ": " .. clean_msg(m), 2) end
  m._prep = st.prep
  return m
end

-- ---- summaries: the regression table as statsmodels prints it ----

local function forg(x, prec)
  prec = prec or 4
  if x ~= x then return "nan" end
  if x == 0 then return string.format("%." .. prec .. "f", 0) end
  local a = math.abs(x)
  if a >= 1e4 or a < 1e-4 then return string.format("%." .. (prec - 1) .. "e", x) end
  return string.format("%." .. prec .. "f", x)
end
B.forg = forg

local W = 78
local function f3(x) return x ~= x and "nan" or string.format("%.3f", x) end
local function kv_row(l, r)
  local function cell(p, w)
    if not p then return string.rep(" ", w) end
    local k, v = p[1] .. ":", tostring(p[2])
    return k .. string.rep(" ", math.max(1, w - #k - #v)) .. v
  end
  return cell(l, 36) .. "   " .. cell(r, 39)
end

local function kv_block(lines, left, right)
  for i = 1, math.max(#left, #right) do lines[#lines + 1] = kv_row(left[i], right[i]) end
end

local function summary_text(s)
  local L = {}
  local pad = math.max(0, math.floor((W - #s.title) / 2))
  L[#L + 1] = string.rep(" ", pad) .. s.title
  L[#L + 1] = string.rep("=", W)
  kv_block(L, s._left, s._right)
  L[#L + 1] = string.rep("=", W)
  local nw = 10
  for _, n in ipairs(s.names) do nw = math.max(nw, #n + 1) end
  local stat = s._stat_name
  L[#L + 1] = string.format("%-" .. nw .. "s %10s %10s %10s %10s %10s %10s", "", "coef",
                            "std err", stat, "P>|" .. stat .. "|", "[0.025", "0.975]")
  L[#L + 1] = string.rep("-", W)
  for i, n in ipairs(s.names) do
    L[#L + 1] = string.format("%-" .. nw .. "s %10s %10s %10s %10s %10s %10s", n,
      forg(s.coef[i]), forg(s.se[i]), f3(s.stat[i]), f3(s.p[i]), forg(s.lower[i], 3),
      forg(s.upper[i], 3))
  end
  L[#L + 1] = string.rep("=", W)
  if s._foot_left and (#s._foot_left > 0 or #s._foot_right > 0) then
    kv_block(L, s._foot_left, s._foot_right)
    L[#L + 1] = string.rep("=", W)
  end
  for i, n in ipairs(s.notes or {}) do L[#L + 1] = string.format("[%d] %s", i, n) end
  return table.concat(L, "\n")
end

local Summary = {__name = "moneta.Summary"}
Summary.__index = Summary
Summary.__tostring = summary_text
B.Summary = Summary

--- summary(t): t has title, names, coef, se, stat, p, lower, upper, loglik, aic, bic, nobs,
--- stat_name ("t"/"z"), left/right/foot_left/foot_right ({{label, text}}), notes; returns the
--- summary table (per-parameter entries keyed by name) whose __tostring prints the table.
function B.summary(t)
  local s = {}
  for k, v in pairs(t) do
    if k == "left" or k == "right" or k == "foot_left" or k == "foot_right" or
       k == "stat_name" then s["_" .. k] = v else s[k] = v end
  end
  s._left, s._right = s._left or {}, s._right or {}
  s._foot_left, s._foot_right = s._foot_left or {}, s._foot_right or {}
  s._stat_name = s._stat_name or "t"
  for i, n in ipairs(t.names) do
    if s[n] == nil then
      s[n] = {coef = t.coef[i], se = t.se[i], stat = t.stat[i], p = t.p[i],
              lower = t.lower[i], upper = t.upper[i]}
    end
  end
  return setmetatable(s, Summary)
end

--- params(names, values) -> name -> value
function B.params(names, values)
  local out = {}
  for i, n in ipairs(names) do out[n] = values[i] end
  return out
end

-- ---- kinds ----
doc.topic("ml", "classical models: linear (OLS, WLS, ridge, lasso, elastic net), logistic",
  "ml.<kind>{opts} makes an unfitted model; m:fit(X, y) fits it and returns it (calls chain). " ..
  "X is a frame (its f64/bool columns) or a tensor; y a column, a tensor, a table of numbers " ..
  "or the name of a column of X. Then predict, evaluate, summary, params, save; " ..
  "moneta.load(path) opens the file again. Guide: docs/ml.md.")
doc.typetopic["moneta.Summary"] = "ml"

doc.module(M, "moneta.ml", "ml", {
  {"load", "ml.load(path) -> model", "Open a model file of kind ml.* (moneta.load does too)."},
})

-- Each kind installs itself and documents its own names (doc.add, topic "ml").
require("moneta.ml_linear")(M)
require("moneta.ml_logistic")(M)
require("moneta.ml_knn")(M)

return M
