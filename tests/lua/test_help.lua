-- tests/lua/test_help.lua: help() and the API reference (issue 2, item 5), and the REPL's
-- pretty printer.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local moneta = require "moneta"
local doc = require "moneta.doc"
local pretty = require "moneta.pretty"

T.case("help-1.1 every public function of the moneta table has a doc entry", function()
  local missing = {}
  local function walk(tbl, prefix, depth)
    for k, v in pairs(tbl) do
      local name = prefix .. "." .. k
      if type(v) == "function" and not doc.lookup(v) and k:sub(1, 1) ~= "_" then
        missing[#missing + 1] = name
      elseif type(v) == "table" and depth < 2 and k:sub(1, 1) ~= "_" then
        walk(v, name, depth + 1)
      end
    end
  end
  walk(moneta, "moneta", 0)
  table.sort(missing)
  T.eq(table.concat(missing, ", "), "")
end)

T.case("help-1.2 every entry has a signature and a one-line doc", function()
  for name, e in pairs(doc.all()) do
    T.truthy(#e.sig > 0 and #e.text > 10, name .. " has a signature and doc")
    T.truthy(not e.text:find("\n"), name .. ": doc is one line")
  end
end)

T.case("help-1.3 help(f) shows the signature and doc; help() lists topics", function()
  local s = doc.text(moneta.dataset)
  T.truthy(s:find("dataset([name]) -> path", 1, true), s)
  local top = doc.text(nil)
  T.truthy(top:find("start", 1, true) and top:find("frame", 1, true), top)
  T.truthy(doc.text("no_such_thing"):find("no help", 1, true))
  local f = moneta.frame{a = {1}}
  T.truthy(doc.text(f):find("^frame:"), "help(frame object) shows the frame topic")
  T.truthy(doc.text(f.head):find("frame:head", 1, true), "help(df.head)")
end)

T.case("help-1.4 docs/api.md is in step with the help registry", function()
  local f = assert(io.open("docs/api.md"))
  local committed = f:read("a")
  f:close()
  T.truthy(committed == doc.markdown(),
    "docs/api.md is stale: regenerate with moneta -e 'io.write(require(\"moneta.doc\").markdown())' > docs/api.md")
end)

T.case("pretty-1.1 small tables print on one line, sorted keys after the array part", function()
  T.eq(pretty.format({1, 2, 3, b = 2, a = "x"}, 80), '{1, 2, 3, a = "x", b = 2}')
  T.eq(pretty.format("top-level strings are raw", 80), "top-level strings are raw")
  T.eq(pretty.format({["not ident"] = true}, 80), '{["not ident"] = true}')
end)

T.case("help-1.6 help(module) shows the module's topic, as help(\"name\") does", function()
  local doc = require "moneta.doc"
  for _, k in ipairs{"feat", "nn", "prep", "plot", "metrics", "ts"} do
    local t = doc.text(moneta[k])
    T.eq(t, doc.text(k), "help(" .. k .. ")")
    T.truthy(t:find("^" .. k .. ": "), t)
  end
  T.truthy(doc.text(moneta.feat):find("help('credit')", 1, true), "feat points to its other topics")
end)

T.case("pretty-1.2 large tables are truncated with an ellipsis and their size", function()
  local t = {}
  for i = 1, 1000 do t[i] = i end
  local s = pretty.format(t, 80)
  T.truthy(s:find("(30 of 1000 entries shown)", 1, true), s)
  for line in s:gmatch("[^\n]+") do T.truthy(#line <= 80, "line fits 80 columns: " .. line) end
end)

T.case("pretty-1.3 cycles and depth are bounded", function()
  local t = {}
  t.self = t
  T.eq(pretty.format(t, 80), "{self = <cycle>}")
  T.eq(pretty.format({{{{1}}}}, 80), "{{{{...} (1 entries)}}}")
end)

T.case("pretty-1.4 a frame prints within the width, with its size", function()
  local cols = {}
  for i = 1, 30 do cols[#cols + 1] = {"column_" .. i, {i, i + 0.5}} end
  local f = moneta.frame(cols)
  local s = pretty.format(f, 60)
  for line in s:gmatch("[^\n]+") do T.truthy(#line <= 60, "fits: " .. line) end
  T.truthy(s:find("[2 rows x 30 columns", 1, true), s)
  T.truthy(s:find("not shown", 1, true), s)
end)

T.done()
