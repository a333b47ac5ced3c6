-- moneta.io: CSV and SQLite input/output for frames. install(M) puts read_csv, read_csv_string
-- and read_sql into the moneta table and registers them (and the frame methods to_csv,
-- to_csv_string, to_sql) with the help registry under the topic "data".
require "moneta.c.frame"          -- the Frame metatable the methods are added to
local ioc = require "moneta.c.io"
local doc = require "moneta.doc"

local IO = {}

doc.topic("data", "reading and writing data: CSV files (plain or gzip) and SQLite",
  "read_csv types every column over the whole file: f64, bool, date, datetime, cat or text. " ..
  "Warnings (renamed columns, skipped rows, ambiguous dates) are printed to stderr and " ..
  "returned as a second result, a list of strings; quiet = true only returns them. " ..
  "Errors name file, line and column. to_csv writes doubles that read back bit for bit " ..
  "and replaces the file atomically. See docs/data-io.md.")

function IO.install(M)
  M.read_csv = ioc.read_csv
  M.read_csv_string = ioc.read_csv_string
  M.read_sql = ioc.read_sql
  doc.add(M.read_csv, "moneta.read_csv", "read_csv(path [, opts]) -> frame, warnings",
    "Read a CSV file (gzip-compressed files too, told by their first bytes). opts: sep (',' ';' " ..
    "'\\t' '|', sniffed when absent), header (true), na (missing markers; default '', NA, N/A, " ..
    "NaN, nan, null, NULL, -), types ({col = 'f64'|'cat'|'text'|'date'|'datetime'|'bool'}), " ..
    "decimal ('.'), thousands, skip (lines before the header), nrows, columns (a subset, in " ..
    "that order), dates ('ymd'|'dmy'|'mdy'), on_bad ('error'|'skip'), cat_max (1000), quiet, threads (1 or 0 = two for plain numbers).",
    "data")
  doc.add(M.read_csv_string, "moneta.read_csv_string", "read_csv_string(text [, opts]) -> frame, warnings",
    "Like read_csv on the CSV text in a string.", "data")
  doc.add(M.read_sql, "moneta.read_sql", "read_sql(dbfile, sql [, params]) -> frame",
    "Run one SQL query on an SQLite file into a frame. params: {v1, v2, ...} binds ?1, ?2, ...; " ..
    "{name = v} binds :name. INTEGER/REAL -> f64, TEXT -> cat or text, DATE/DATETIME/TIMESTAMP " ..
    "columns -> date/datetime, BOOLEAN -> bool, NULL -> missing.", "data")
  doc.methods("moneta.Frame", "frame", "data", {
    {"to_csv", "frame:to_csv(path [, opts]) -> frame",
     "Write the frame as CSV (gzip when path ends in .gz), atomically. opts: sep (','), na " ..
     "(''), header (true), gzip. Doubles are written in the shortest form that reads back exactly."},
    {"to_csv_string", "frame:to_csv_string([opts]) -> string", "The CSV text to_csv would write."},
    {"to_sql", "frame:to_sql(dbfile, table [, {mode = 'create'|'append'|'replace'}]) -> frame",
     "Write the frame into an SQLite table in one transaction (mode 'create' fails if it exists)."},
  })
end

return IO
