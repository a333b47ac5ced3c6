-- test_io.lua: moneta.read_csv / read_csv_string / read_sql and frame:to_csv / to_sql through
-- the public Lua names (cwd = repository root).
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"
local dir = "tests/data/csv/"
local tmp = T.tmpdir()

T.case("io-1.1 read_csv: quoting, CRLF, types", function()
  local f, w = m.read_csv(dir .. "quoted.csv")
  T.eq(f:nrows(), 3)
  T.eq(f:names(), {"id", "name", "note", "price"})
  T.eq(f:col("name")[1], "Smith, John")
  T.eq(f:col("note")[1], 'said "hi"')
  T.eq(f:col("name")[2], "multi\nline")
  T.eq(f:col("price"):values(), {1.5, -2250, 7})
  T.eq(w, {})
end)

T.case("io-1.2 read_csv: BOM, Chinese names, dates", function()
  local f = m.read_csv(dir .. "bom_chinese.csv")
  T.eq(f:names(), {"日期", "价格", "名称"})
  T.eq(f:types()["日期"], "date")
  T.eq(f:col("名称")[2], "香蕉")
end)

T.case("io-1.3 options: sep sniffing, decimal, thousands, dates, header", function()
  local f = m.read_csv(dir .. "semicolon_decimal_comma.csv",
                       {decimal = ",", thousands = ".", dates = "dmy"})
  T.eq(f:col("close"):values(), {1234.5, -0.75})
  T.eq(f:types().date, "date")
  local g = m.read_csv(dir .. "noheader.csv", {header = false})
  T.eq(g:names(), {"V1", "V2", "V3"})
  T.eq(m.read_csv(dir .. "tab.tsv"):ncols(), 3)
  T.eq(m.read_csv(dir .. "tab.tsv", {sep = "tab"}):ncols(), 3)
  T.eq(m.read_csv(dir .. "pipe.txt"):col("b"):values(), {2, 4})
end)

T.case("io-1.4 warnings: second result, quiet", function()
  local f, w = m.read_csv(dir .. "dup_header.csv", {quiet = true})
  T.eq(f:names(), {"a", "b", "a_2", "V4", "a_3"})
  T.eq(#w, 3)
  T.truthy(w[1]:find("no name", 1, true))
end)

T.case("io-1.5 types, na, skip, nrows, columns, cat_max", function()
  local f = m.read_csv(dir .. "types.csv",
                       {types = {int = "text", flag = "bool", side = "text"}, quiet = true})
  local t = f:types()
  T.eq(t.int, "text"); T.eq(t.flag, "bool"); T.eq(t.side, "text"); T.eq(t.stamp, "datetime")
  T.eq(f:col("int")[3], "+3")
  local g = m.read_csv_string("a,b\nNA,1\n?,2\n", {na = {"?"}})
  T.eq(g:col("a")[1], "NA")
  T.eq(g:col("a")[2], nil)
  local h = m.read_csv(dir .. "quoted.csv", {columns = {"price", "id"}, nrows = 2})
  T.eq(h:names(), {"price", "id"})
  T.eq(h:nrows(), 2)
  T.eq(m.read_csv(dir .. "skip_meta.csv", {skip = 2}):col("y"):values(), {2})
  local c = m.read_csv_string("s\na\nb\na\nb\n", {cat_max = 1})
  T.eq(c:types().s, "text")
  T.eq(m.read_csv_string("s\na\nb\na\nb\n"):types().s, "cat")
end)

T.case("io-1.6 errors name file, line and column", function()
  T.raises(function() m.read_csv(dir .. "bad_value.csv", {types = {close = "f64"}}) end,
           "bad_value.csv:3: column 3 'close': 'n/a' is not a number")
  T.raises(function() m.read_csv(dir .. "bad_fields.csv") end,
           "bad_fields.csv:3: expected 3 fields, found 4")
  T.raises(function() m.read_csv(dir .. "bad_quote.csv") end, "bad_quote.csv:2: unterminated")
  T.raises(function() m.read_csv(dir .. "bad_utf8.csv") end, "bad_utf8.csv:3: column 2 'b': invalid UTF-8")
  T.raises(function() m.read_csv(dir .. "nope.csv") end, "nope.csv: No such file")
  T.raises(function() m.read_csv(dir .. "quoted.csv", {sepp = ","}) end, "unknown option 'sepp'")
  T.raises(function() m.read_csv(dir .. "quoted.csv", {types = {id = "int64"}}) end, "unknown type 'int64'")
  T.raises(function() m.read_csv(dir .. "quoted.csv", {on_bad = "ignore"}) end, "on_bad")
end)

T.case("io-1.7 on_bad = skip reports the skipped lines", function()
  local f, w = m.read_csv(dir .. "bad_fields.csv", {on_bad = "skip", quiet = true})
  T.eq(f:col("a"):values(), {1, 8, 13})
  T.eq(w[1], "skipped 2 bad rows")
  T.truthy(w[2]:find("bad_fields.csv:3:", 1, true))
  T.truthy(w[3]:find("bad_fields.csv:5:", 1, true))
end)

T.case("io-1.8 empty and header-only files", function()
  local f = m.read_csv(dir .. "empty.csv", {quiet = true})
  T.eq(f:nrows(), 0); T.eq(f:ncols(), 0)
  local g = m.read_csv(dir .. "header_only.csv")
  T.eq(g:nrows(), 0); T.eq(g:names(), {"a", "b", "c"})
end)

T.case("io-2.1 to_csv / read_csv round trip, plain and gzip", function()
  local vals = {0.1, -0.0, 1e-310, 5e-324, 1.7976931348623157e308, 1/3, -2.5e-17, 0/0}
  local f = m.frame{{"x", vals}, {"s", {"a,b", 'say "x"', "line\nbreak", "", "NA", "€", "日本", "z"}}}
  for _, name in ipairs({"rt.csv", "rt.csv.gz"}) do
    local path = tmp .. "/" .. name
    f:to_csv(path)
    local g = m.read_csv(path, {types = {s = "text"}})
    local a, b = f:col("x"):values(), g:col("x"):values()
    for i = 1, #vals do
      if vals[i] ~= vals[i] then T.truthy(b[i] ~= b[i], "NaN stays missing")
      else T.eq(string.pack("<d", b[i]), string.pack("<d", a[i]), name .. " x[" .. i .. "]") end
    end
    T.eq(g:col("s"):values(), {"a,b", 'say "x"', "line\nbreak", "", "NA", "€", "日本", "z"})
    os.remove(path)
  end
  T.eq(f:to_csv_string():sub(1, 6), "x,s\n0.")
  -- gzip is told by the magic bytes, not the name
  local p2 = tmp .. "/gz_no_ext.csv"
  f:to_csv(p2, {gzip = true})
  local h = io.open(p2, "rb"); local magic = h:read(2); h:close()
  T.eq(magic, "\31\139")
  T.eq(m.read_csv(p2):nrows(), 8)
  os.remove(p2)
  T.raises(function() f:to_csv("/nonexistent-dir/x.csv") end, "/nonexistent-dir/x.csv")
end)

T.case("io-3.1 read_sql / to_sql", function()
  local db = tmp .. "/io_test.db"
  os.remove(db)
  local f = m.read_csv(dir .. "types.csv")
  f:to_sql(db, "t")
  local g = m.read_sql(db, "SELECT * FROM t ORDER BY int")
  T.eq(g:names(), f:names())
  T.eq(g:types(), f:types())
  T.eq(g:col("dec"):values(), {-1.25, 0.5, 0.75})
  T.eq(m.read_sql(db, "SELECT side FROM t WHERE int > ? AND int < ?", {0, 3}):col("side")[1], "buy")
  T.eq(m.read_sql(db, "SELECT count(*) AS n FROM t WHERE side = :side", {side = "buy"}):col("n")[1], 2)
  T.raises(function() f:to_sql(db, "t") end, "table 't' already exists")
  f:to_sql(db, "t", {mode = "append"})
  T.eq(m.read_sql(db, "SELECT count(*) AS n FROM t"):col("n")[1], 6)
  f:to_sql(db, "t", {mode = "replace"})
  T.eq(m.read_sql(db, "SELECT count(*) AS n FROM t"):col("n")[1], 3)
  T.raises(function() m.read_sql(db, "SELECT * FROM nope") end, "io_test.db: no such table: nope")
  T.raises(function() f:to_sql(db, "t", {mode = "upsert"}) end, "mode")
  os.remove(db)
end)

T.case("io-4.1 help registry", function()
  local doc = require "moneta.doc"
  for _, name in ipairs({"moneta.read_csv", "moneta.read_csv_string", "moneta.read_sql",
                         "frame:to_csv", "frame:to_csv_string", "frame:to_sql"}) do
    T.truthy(doc.all()[name], name .. " documented")
    T.eq(doc.all()[name].topic, "data")
  end
end)

T.done()
