-- test_bind.lua: how the bindings name things. C modules follow one rule (l_<name>.c is
-- "moneta.c.<name>" with luaopen_moneta_c_<name>), metatables are "moneta.<Type>" (STYLE.md),
-- and the names these replaced are gone.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"
local root = (arg[0]:match("(.*/)") or "./") .. "../../"

local C_MODULES = {"core", "frame", "metrics", "ops", "io", "clean", "prep", "tensor", "nn",
                   "monitor", "explore", "plot", "ts", "feat", "ml"}

T.case("bind-1.1 every C module is moneta.c.<name> and loads", function()
  local want = {}
  for _, n in ipairs(C_MODULES) do want["moneta.c." .. n] = true end
  for name in pairs(package.preload) do
    if name:find("^moneta%.") then
      T.truthy(want[name], "unexpected preload name " .. name)
    end
  end
  for name in pairs(want) do
    T.eq(type(package.preload[name]), "function", name)
    T.eq(type(require(name)), "table", name)
  end
end)

T.case("bind-1.2 the C names of issue 11's list are gone", function()
  for _, old in ipairs{"moneta.core", "moneta.frame_c", "moneta.metrics.c", "moneta.ops_c",
                       "moneta.io_c", "moneta.clean_c", "moneta.prep_c", "moneta.tensor",
                       "moneta.nn.core", "moneta.tui.monitor", "moneta.tui.explore",
                       "moneta.plot_c"} do
    T.eq(package.preload[old], nil, old)
    T.raises(function() require(old) end, "module '" .. old .. "' not found")
  end
  T.eq(type(m.tensor.zeros), "function", "moneta.tensor stays a field of moneta")
end)

T.case("bind-1.3 each module's luaopen_ name is the one Lua's rule derives", function()
  -- Lua's loader maps "a.b.c" to luaopen_a_b_c: read the table in lb.c and each l_<name>.c.
  local fh = assert(io.open(root .. "src/lua/lb.c"))
  local lb = fh:read("a")
  fh:close()
  local seen = 0
  for name, fn in lb:gmatch('{"(moneta%.[%w_.]+)", (luaopen_[%w_]+)}') do
    seen = seen + 1
    T.eq(fn, "luaopen_" .. name:gsub("%.", "_"), name)
    local file = name:match("^moneta%.c%.([%w_]+)$")
    T.truthy(file, name .. " is moneta.c.<name>")
    local src = assert(io.open(root .. "src/lua/l_" .. file .. ".c"), "l_" .. file .. ".c")
    local text = src:read("a")
    src:close()
    T.truthy(text:find("int " .. fn .. "(lua_State *L) {", 1, true), fn .. " in l_" .. file)
  end
  T.eq(seen, #C_MODULES)
end)

-- Metatable names: moneta.<Type>, one capitalised word (STYLE.md).
local function typename_ok(s) return s:match("^moneta%.[A-Z][%w]*$") ~= nil end

T.case("bind-2.1 C metatables in the registry are moneta.<Type>", function()
  local n = 0
  for k, v in pairs(debug.getregistry()) do
    if type(k) == "string" and k:find("^moneta%.") and type(v) == "table"
       and rawget(v, "__name") == k then
      n = n + 1
      T.truthy(typename_ok(k), "metatable " .. k)
    end
  end
  T.truthy(n >= 8, "found " .. n .. " metatables")
  for _, k in ipairs{"moneta.Frame", "moneta.Column", "moneta.Tensor", "moneta.Prep",
                     "moneta.Confusion", "moneta.MissingReport", "moneta.NetGraph",
                     "moneta.ModelFile", "moneta.Monitor", "moneta.PlotSession"} do
    T.eq(type(debug.getregistry()[k]), "table", k)
  end
  T.eq(debug.getregistry()["moneta.nn.Graph"], nil)
  T.eq(debug.getregistry()["moneta.nn.ModelFile"], nil)
end)

T.case("bind-2.2 objects made in Lua carry moneta.<Type> names", function()
  local function name(x) return getmetatable(x).__name end
  T.eq(name(m.frame{a = {1, 2}}), "moneta.Frame")
  T.eq(name(m.frame{a = {1, 2}}:col("a")), "moneta.Column")
  T.eq(name(m.tensor.zeros{2, 2}), "moneta.Tensor")
  T.eq(name(m.metrics.confusion({0, 1}, {.2, .8})), "moneta.Confusion")
  local layer = m.nn.dense(1)
  T.eq(name(layer), "moneta.NetLayer")
  local net = m.nn.sequential{layer}
  T.eq(name(net), "moneta.Net")
  local X = m.tensor.from{{0}, {1}, {2}, {3}}
  local y = m.tensor.from{{0}, {1}, {2}, {3}}
  local h = net:fit(X, y, {loss = "mse", epochs = 1, batch = 4, progress = false})
  T.eq(name(h), "moneta.NetHistory")
  T.eq(name(net:summary()), "moneta.NetSummary")
  for _, x in ipairs{layer, net, h, net:summary()} do
    T.truthy(typename_ok(name(x)), name(x))
  end
end)

T.case("bind-3.1 lb_newclass: files extend one class; columns keep c[i] and their methods", function()
  local f = m.frame{a = {1, 2}}
  local fmt = getmetatable(f)
  -- methods of moneta.Frame from l_frame.c, l_io.c, l_clean.c and l_ops.c in one __index
  for _, k in ipairs{"select", "to_csv", "dropna", "split", "filter"} do
    T.eq(type(fmt.__index[k]), "function", "frame:" .. k)
  end
  T.eq(type(fmt.__gc), "function")
  local c = f:col("a")
  local cmt = getmetatable(c)
  T.eq(type(cmt.__index), "function", "c[i] stays a function")
  T.eq(c[2], 2.0)
  for _, k in ipairs{"values", "mean"} do               -- l_frame.c and l_ops.c
    T.eq(type(cmt.__methods[k]), "function", "column:" .. k)
  end
  T.eq((c + c)[2], 4.0)                                 -- l_ops.c's metamethods
  T.eq(tostring(m.metrics.confusion({0, 1}, {.2, .8})):match("^%s+pred 0"), "        pred 0")
end)

T.done()
