-- moneta.ops: frame operations. The C part (moneta.c.ops) adds filter, sort and join to
-- moneta.Frame and arithmetic, comparisons and statistics to moneta.Column; this file adds
-- describe (a summary that prints compactly) and groupby, and registers the help texts.
require "moneta.c.frame"                     -- creates the Frame and Column metatables first
local oc = require "moneta.c.ops"
local doc = require "moneta.doc"

local O = {}
local registry = debug.getregistry()
local FrameMT = registry["moneta.Frame"]
local frame_methods = FrameMT.__index

-- ---- describe ------------------------------------------------------------------------

-- The result of frame:describe(): one row per column of the frame. d.frame is the exact
-- summary (a frame); frame methods work on d directly (d:col("mean"), d:nrows()); printing
-- shows 6 significant digits, wrapped into blocks that fit the width.
local Describe = {__name = "moneta.Describe"}
registry["moneta.Describe"] = Describe

Describe.__index = function(self, k)
  local m = frame_methods[k]
  if m == nil then return nil end
  return function(this, ...)
    if this == self then this = rawget(self, "frame") end
    return m(this, ...)
  end
end

local function cell(v)
  if v == nil then return "NA" end
  if type(v) ~= "number" then return tostring(v) end
  if v ~= v then return "NA" end
  if v == math.floor(v) and math.abs(v) < 1e15 then return string.format("%d", v) end
  return string.format("%.6g", v)
end

local function clip(s, w)
  if #s > w then return s:sub(1, w - 1) .. "~" end
  return s
end

--- The describe table as text no wider than 'width' (columns wrap into blocks).
local function describe_text(d, width)
  local f = rawget(d, "frame")
  width = width or 100
  local names, types = f:names(), f:types()
  local n = f:nrows()
  local cols = {}
  for _, name in ipairs(names) do
    local c = f:col(name)
    local right = types[name] == "f64"
    local cells, w = {}, #name
    for i = 1, n do
      local s = clip(cell(c[i]), 20)
      cells[i] = s
      if #s > w then w = #s end
    end
    cols[#cols + 1] = {name = name, cells = cells, w = w, right = right}
  end
  if #cols == 0 then return "[describe: no columns]" end
  local label = table.remove(cols, 1)            -- the 'column' column labels every block
  local function pad(s, w, right)
    if right then return string.rep(" ", w - #s) .. s end
    return s .. string.rep(" ", w - #s)
  end
  local out, j = {}, 1
  repeat
    local block, used = {}, label.w
    while j <= #cols and (#block == 0 or used + 2 + cols[j].w <= width) do
      block[#block + 1] = cols[j]
      used = used + 2 + cols[j].w
      j = j + 1
    end
    if #out > 0 then out[#out + 1] = "" end
    local line = {pad(label.name, label.w)}
    for _, c in ipairs(block) do line[#line + 1] = pad(c.name, c.w, c.right) end
    out[#out + 1] = table.concat(line, "  ")
    for i = 1, n do
      line = {pad(label.cells[i], label.w)}
      for _, c in ipairs(block) do line[#line + 1] = pad(c.cells[i], c.w, c.right) end
      out[#out + 1] = table.concat(line, "  ")
    end
  until j > #cols
  return table.concat(out, "\n")
end

Describe.__tostring = function(d)
  local ok, core = pcall(require, "moneta.c.core")
  local w = ok and core.term_size and core.term_size() or 100
  return describe_text(d, w)
end
Describe.__pretty = function(d, width) return describe_text(d, width) end

local function frame_describe(f)
  return setmetatable({frame = oc.describe(f)}, Describe)
end

-- ---- groupby -------------------------------------------------------------------------

-- frame:groupby(keys [, {sort = true}]) -> a GroupBy; gb:agg{...} computes the frame.
local GroupBy = {__name = "moneta.GroupBy"}
GroupBy.__index = GroupBy
registry["moneta.GroupBy"] = GroupBy

local numeric_only = {sum = true, mean = true, std = true}

local function frame_groupby(f, keys, opts)
  if type(keys) == "string" then keys = {keys} end
  if type(keys) ~= "table" or #keys == 0 then
    error("groupby: keys must be a column name or a list of names", 2)
  end
  if opts ~= nil and type(opts) ~= "table" then error("groupby: options must be a table", 2) end
  for k in pairs(opts or {}) do
    if k ~= "sort" then error("groupby: unknown option '" .. tostring(k) .. "' (known: sort)", 2) end
  end
  local types = f:types()
  for _, k in ipairs(keys) do
    if types[k] == nil then
      error("groupby: no column '" .. tostring(k) .. "' (columns: " ..
            table.concat(f:names(), ", ") .. ")", 2)
    end
  end
  return setmetatable({frame = f, keys = keys, sort = opts and opts.sort}, GroupBy)
end

local function finish(self, out)
  if self.sort then return out:sort(self.keys) end
  return out
end

--- agg(spec): spec is
---   "mean"                                  every non-key column (numeric ones for sum/mean/std)
---   {close = "mean", volume = {"sum", "max"}} one output per pair, in the frame's column order;
---                                           a single name keeps the column name, a list gives
---                                           close_mean-style names
---   {{"close", "mean", as = "avg"}, ...}    explicit order and names (may be mixed with the above)
function GroupBy:agg(spec)
  local f, list, iskey = self.frame, {}, {}
  for _, k in ipairs(self.keys) do iskey[k] = true end
  local names, types = f:names(), f:types()
  if type(spec) == "string" then
    for _, name in ipairs(names) do
      if not iskey[name] and (not numeric_only[spec] or types[name] == "f64" or
                              types[name] == "bool") then
        list[#list + 1] = {name, spec, as = name}
      end
    end
  elseif type(spec) == "table" then
    for i, item in ipairs(spec) do
      if type(item) ~= "table" or type(item[1]) ~= "string" or type(item[2]) ~= "string" then
        error("agg: item " .. i .. " must be {column, aggregation [, as = name]}", 2)
      end
      list[#list + 1] = {item[1], item[2], as = item.as}
    end
    for k in pairs(spec) do
      if type(k) == "string" and types[k] == nil then
        error("agg: no column '" .. k .. "' (columns: " .. table.concat(names, ", ") .. ")", 2)
      end
    end
    for _, name in ipairs(names) do
      local v = spec[name]
      if type(v) == "string" then
        list[#list + 1] = {name, v, as = (not iskey[name]) and name or nil}
      elseif type(v) == "table" then
        for _, a in ipairs(v) do list[#list + 1] = {name, a} end
      elseif v ~= nil then
        error("agg: " .. name .. " = " .. type(v) .. "; give an aggregation name or a list", 2)
      end
    end
  else
    error("agg: give an aggregation name or a table (see help(\"frame\"))", 2)
  end
  return finish(self, oc.groupby(f, self.keys, list))
end

--- size(): rows per group (missing values included), in a column 'size'.
function GroupBy:size()
  return finish(self, oc.groupby(self.frame, self.keys, {{nil, "size"}}))
end

for _, a in ipairs{"count", "sum", "mean", "std", "min", "max", "first", "last"} do
  GroupBy[a] = function(self) return self:agg(a) end
end

GroupBy.__tostring = function(self)
  return "groupby(" .. table.concat(self.keys, ", ") .. ") of a frame with " ..
         self.frame:nrows() .. " rows; use :agg{...}"
end

-- ---- install -------------------------------------------------------------------------

frame_methods.describe = frame_describe
frame_methods.groupby = frame_groupby

function O.install(M)
  doc.methods("moneta.Frame", "frame", "frame", {
    {"describe", "frame:describe() -> summary",
     "One row per column: count (non-missing), missing, mean, std (sample, n-1), min, 25%, " ..
     "50%, 75%, max (linear interpolation, skipping NaN) for f64/bool; unique, top, freq for " ..
     "cat/text/bool. Prints with 6 digits; .frame holds the exact values."},
    {"filter", "frame:filter(mask) -> frame",
     "Rows where mask is true: a bool column, a table of booleans, or function(row) with " ..
     "row.name values (one table reused per row). Missing counts as false."},
    {"sort", "frame:sort(keys [, {desc = true}]) -> frame",
     "Stable sort by one or more keys: 'close', {'date', {'close', desc = true}}. Missing " ..
     "last; cat by level text, text by byte order."},
    {"join", "frame:join(other, on [, {how, suffix, right_on, by, direction}]) -> frame",
     "Hash join on key column(s) 'on', how = 'inner' (default) or 'left'; left row order " ..
     "kept, missing keys never match, clashing right names get suffix ('_right'). " ..
     "how = 'asof': last right row with on <= left's (direction 'backward'; 'forward', " ..
     "'nearest'), within equal 'by' keys."},
    {"groupby", "frame:groupby(keys [, {sort = true}]) -> groupby",
     "Group rows by key column(s), groups in order of first appearance (sort = true sorts " ..
     "them); then :agg{close = 'mean', volume = {'sum', 'max'}}."},
  })
  doc.methods("moneta.Column", "column", "frame", {
    {"lt", "column:lt(x) -> bool column", "column < x element-wise (x a number, string, date string or column); missing in, missing out."},
    {"le", "column:le(x) -> bool column", "column <= x element-wise."},
    {"gt", "column:gt(x) -> bool column", "column > x element-wise."},
    {"ge", "column:ge(x) -> bool column", "column >= x element-wise."},
    {"eq", "column:eq(x) -> bool column", "column == x element-wise; cat and text compare with a string."},
    {"ne", "column:ne(x) -> bool column", "column ~= x element-wise."},
    {"and_", "column:and_(other) -> bool column", "Logical and of bool columns (false and missing = false)."},
    {"or_", "column:or_(other) -> bool column", "Logical or of bool columns (true or missing = true)."},
    {"not_", "column:not_() -> bool column", "Logical not of a bool column."},
    {"isna", "column:isna() -> bool column", "True where the value is missing."},
    {"notna", "column:notna() -> bool column", "True where the value is present."},
    {"mean", "column:mean() -> number", "Mean of the non-missing values (NaN skipped; NaN if none)."},
    {"std", "column:std() -> number", "Sample standard deviation (n - 1), NaN skipped."},
    {"sum", "column:sum() -> number", "Sum of the non-missing values (0 if none)."},
    {"min", "column:min() -> number", "Smallest non-missing value."},
    {"max", "column:max() -> number", "Largest non-missing value."},
    {"count", "column:count() -> n", "Number of non-missing values."},
    {"quantile", "column:quantile(p) -> q", "Quantile(s) p in [0, 1] (a number or a list), linear interpolation, NaN skipped."},
    {"median", "column:median() -> number", "quantile(0.5)."},
    {"unique", "column:unique() -> column", "Distinct non-missing values in order of first appearance."},
    {"value_counts", "column:value_counts() -> frame", "Frame of value and count, most frequent first; missing not counted."},
  })
  doc.add(nil, "column + x", "column + x, - * / % ^, -column -> column",
    "Element-wise arithmetic on f64/bool columns with a number or an equal-length column; " ..
    "NaN propagates, % is floored like Lua's.", "frame")
  doc.methods("moneta.GroupBy", "groupby", "frame", {
    {"agg", "groupby:agg(spec) -> frame",
     "spec: 'mean' (every non-key column), {close = 'mean', volume = {'sum', 'max'}} " ..
     "(close, volume_sum, volume_max) or {{'close', 'max', as = 'hi'}}. Aggregations: " ..
     "count sum mean std min max first last size."},
    {"size", "groupby:size() -> frame", "Rows per group, in column 'size'."},
    {"count", "groupby:count() -> frame", "agg('count'): non-missing values per group."},
    {"sum", "groupby:sum() -> frame", "agg('sum') over the numeric columns."},
    {"mean", "groupby:mean() -> frame", "agg('mean') over the numeric columns."},
    {"std", "groupby:std() -> frame", "agg('std') over the numeric columns."},
    {"min", "groupby:min() -> frame", "agg('min')."},
    {"max", "groupby:max() -> frame", "agg('max')."},
    {"first", "groupby:first() -> frame", "agg('first'): first non-missing value per group."},
    {"last", "groupby:last() -> frame", "agg('last'): last non-missing value per group."},
  })
  doc.typetopic["moneta.Describe"] = "frame"
  return M
end

O.Describe, O.GroupBy = Describe, GroupBy
return O
