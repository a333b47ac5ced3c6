-- tests/lua/test_opts.lua: moneta.opts, the one option checker of the Lua side.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local opts = require "moneta.opts"

T.case("opts-1.1 nil is {}, known keys pass, unknown ones name the function and the known", function()
  T.eq(opts.check(nil, "f", {"a"}), {})
  local o = {a = 1}
  T.truthy(opts.check(o, "f", {"a", "b"}) == o, "the same table back")
  T.raises(function() opts.check({c = 1}, "f", {"b", "a"}) end,
           "f: unknown option 'c' (known: b, a)")             -- a list keeps its order
  T.raises(function() opts.check({c = 1}, "g", {b = true, a = true}) end,
           "g: unknown option 'c' (known: a, b)")             -- a set is reported sorted
  T.raises(function() opts.check(3, "f", {"a"}) end, "f: options must be a table, got number")
  T.raises(function() opts.check(setmetatable({}, {}), "f", {"a"}) end,
           "f: options must be a table, got an object")
  T.raises(function() opts.check({a = 1}, "f", {}) end, "f: unknown option 'a' (known: )")
end)

T.case("opts-1.2 the error points at the caller's caller by default", function()
  local function api(o) local r = opts.check(o, "api", {"x"}); return r end  -- no tail call
  local ok, err = pcall(function() api({y = 1}) end)             -- this line is the caller
  T.truthy(not ok and err:find("test_opts.lua:%d+: api: unknown option 'y'"), err)
end)

T.done()
