-- moneta.data: frames, CSV and SQLite I/O, cleaning. install(M) puts the public names into
-- the moneta table and registers their help.
local fc = require "moneta.c.frame"
local doc = require "moneta.doc"

local D = {}

D.frame = fc.frame

doc.topic("frame", "data frames: typed columns, selection, printing",
  "A frame holds named, typed columns: f64 (NaN = missing), cat (categorical), date, " ..
  "datetime, bool and text. Methods return new frames; columns are shared, not copied. " ..
  "Columns: #c, c[i] (1-based), c:values().")

function D.install(M)
  M.frame = D.frame
  doc.add(M.frame, "moneta.frame", "frame{name = {values}, ...} -> frame",
    "A frame from Lua tables (numbers -> f64, strings -> cat, booleans -> bool; 0/0 or nil " ..
    "for missing). Named keys are sorted; use frame{{'b', {...}}, {'a', {...}}} for an order.",
    "frame")
  doc.methods("moneta.Frame", "frame", "frame", {
    {"nrows", "frame:nrows() -> n", "Number of rows."},
    {"ncols", "frame:ncols() -> n", "Number of columns."},
    {"names", "frame:names() -> {names}", "Column names in order."},
    {"types", "frame:types() -> {name = type}", "Type of each column (f64, cat, date, datetime, bool, text)."},
    {"col", "frame:col(name) -> column", "The named column (shared, not copied)."},
    {"head", "frame:head([n]) -> frame", "The first n rows (5)."},
    {"tail", "frame:tail([n]) -> frame", "The last n rows (5)."},
    {"slice", "frame:slice(first [, count]) -> frame", "Rows first..first+count-1 (1-based)."},
    {"select", "frame:select{names} -> frame", "The named columns, in that order."},
    {"drop", "frame:drop{names} -> frame", "All columns but the named ones."},
    {"add", "frame:add(name, column_or_table) -> frame", "A new frame with the column added or replaced."},
    {"rename", "frame:rename{old = 'new'} -> frame", "A new frame with columns renamed."},
    {"tostring", "frame:tostring([width]) -> string", "The frame as an aligned table no wider than width."},
    {"free", "frame:free()", "Release the frame's memory now (also happens at garbage collection)."},
    {"to_tensor", "frame:to_tensor() -> tensor", "A float32 (rows, columns) tensor of the f64 and bool columns; refuses missing values, naming row and column."},
  })
  doc.methods("moneta.Column", "column", "frame", {
    {"values", "column:values() -> {values}", "The values as a Lua table (NaN or nil for missing)."},
    {"name", "column:name() -> string", "The column's name in its frame."},
    {"type", "column:type() -> string", "The column's type."},
    {"free", "column:free()", "Release this reference now."},
    {"to_tensor", "column:to_tensor() -> tensor", "A float32 1-D tensor of the column; refuses missing values, naming the row."},
  })
end

return D
