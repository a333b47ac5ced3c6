-- tests/lua/test_to_tensor.lua: frames and columns into float32 tensors; missing values and
-- non-numeric columns are refused with the row and column named (NaN never reaches training).
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"

T.case("tensor-1.1 a frame becomes a (rows, columns) tensor in column order", function()
  local f = m.frame{{"a", {1.5, 2, -3}}, {"b", {true, false, true}}}
  local t = f:to_tensor()
  T.eq(t:shape(), {3, 2})
  -- row-major: a then b in each row; booleans are 0/1; 1.5 and -3 are exact in float32
  T.eq(t:totable(), {{1.5, 1}, {2, 0}, {-3, 1}})
end)

T.case("tensor-1.2 a column becomes a 1-D tensor", function()
  local t = m.frame{y = {0, 1, 1}}:col("y"):to_tensor()
  T.eq(t:shape(), {3})
  T.eq(t:totable(), {0, 1, 1})
end)

T.case("tensor-1.3 a missing value is refused, naming row and column", function()
  local f = m.frame{{"x", {1, 2, 3}}, {"income", {10, 0 / 0, 30}}}
  T.raises(function() f:to_tensor() end, "row 2, column 'income': missing value")
  T.raises(function() f:col("income"):to_tensor() end, "row 2, column 'income'")
  T.raises(function() m.frame{v = {1, math.huge}}:to_tensor() end, "infinite")
end)

T.case("tensor-1.4 categorical columns must be encoded first", function()
  local f = m.frame{{"x", {1, 2}}, {"purpose", {"car", "home"}}}
  T.raises(function() f:to_tensor() end, "column 'purpose' is cat; encode it first")
  local enc = m.prep.onehot{}:fit_transform(f)
  T.eq(enc:to_tensor():shape(), {2, 3})
end)

T.done()
