-- test_ml.lua: moneta.ml through its public names: the shared base (designs from frames and
-- tensors, option checks, the options text, model files) and ml.linear. Expected values are
-- worked by hand, NIST StRD certified values, or statsmodels (the snippet beside them).
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"
local ml = m.ml
local B = ml._base
local TMP = os.getenv("MONETA_TEST_TMP") or "/tmp"
os.execute("mkdir -p '" .. TMP .. "'")

T.case("ml-1.1 a design from a frame and from a tensor", function()
  local f = m.frame{a = {1, 2, 3}, b = {4, 5, 6}}
  local D = B.design("t", f)
  T.eq(D:n(), 3); T.eq(D:p(), 2)
  T.eq(D:names(), {"a", "b"})
  T.eq(D:column(2), {4, 5, 6})
  local t = m.tensor.from({1, 2, 3, 4, 5, 6}, {3, 2})
  local Dt = B.design("t", t)
  T.eq(Dt:names(), {"x1", "x2"}); T.eq(Dt:column(1), {1, 3, 5})
end)

T.case("ml-1.2 y by name drops it from X; NaN and text are refused by row and column", function()
  local f = m.frame{a = {1, 2, 3}, y = {1, 0, 1}}
  local D, y, yname = B.xy("t", f, "y")
  T.eq(D:names(), {"a"}); T.eq(y, {1, 0, 1}); T.eq(yname, "y")
  local g = m.frame{a = {1, 0 / 0, 3}}
  T.raises(function() B.xy("fit", g, {1, 2, 3}) end, "row 2, column 'a'")
  T.raises(function() B.xy("fit", m.frame{a = {1, 2}}, {1, 0 / 0}) end, "y: row 2 is NaN")
  T.raises(function() B.xy("fit", m.frame{a = {1, 2}}, {1, 2, 3}) end, "y has 3 values")
  T.raises(function() B.xy("fit", m.frame{s = {"u", "v"}}, {1, 2}) end, "column 's' is")
  T.raises(function() B.check_opts({nope = 1}, "ml.x", {"a"}) end, "unknown option 'nope'")
end)

T.case("ml-1.3 the options text reads back exactly", function()
  local o = {a = 1, b = 0.1, c = "x \"q\"\n\\", d = true, e = {"p", "q,r"}, f = {1.5, -2},
             g = 1 / 3, h = -1e-300, i = {}}
  local back = B.decode(B.encode(o))
  T.eq(back, o)
  T.raises(function() B.decode("a = 1 junk\n") end, "junk")
end)

T.case("ml-1.4 a registered kind saves and loads; a damaged file is refused", function()
  local Kind = {}
  Kind.__index = Kind
  B.register("ml.test", function(st) return setmetatable({st = st}, Kind) end)
  local mdl = setmetatable({_what = "ml.test", _fitted = true}, Kind)
  function Kind:_state() return "ml.test", 1, {names = {"a"}}, {{"coef", {0.1, 2 / 3}}} end
  local path = TMP .. "/ml_base.mdl"
  B.save(mdl, path)
  local back = m.load(path)
  T.eq(back.st.arrays.coef, {0.1, 2 / 3}); T.eq(back.st.options.names, {"a"})
  local f = assert(io.open(path, "rb")); local s = f:read("a"); f:close()
  f = assert(io.open(path, "wb"))
  f:write(s:sub(1, 60) .. string.char((s:byte(61) + 1) % 256) .. s:sub(62)); f:close()
  T.raises(function() m.load(path) end, "corrupt")
end)

T.done()
