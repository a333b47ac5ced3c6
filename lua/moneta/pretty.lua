-- moneta.pretty: how the REPL shows values. Width-aware, truncates long tables with an
-- ellipsis and their size, and defers to an object's __pretty(width) or __tostring.
local core = require "moneta.c.core"
local P = {}

P.max_items = 30          -- array items shown before "..."
P.max_depth = 3

local function is_ident(s) return type(s) == "string" and s:match("^[%a_][%w_]*$") ~= nil end

local function keystr(k)
  if is_ident(k) then return k end
  if type(k) == "string" then return string.format("[%q]", k) end
  return "[" .. tostring(k) .. "]"
end

local function scalar(v, quote)
  local t = type(v)
  if t == "string" then
    if quote then return string.format("%q", v):gsub("\\\n", "\\n") end
    return v
  elseif t == "number" or t == "boolean" or t == "nil" then
    return tostring(v)
  end
  local mt = getmetatable(v)
  if type(mt) == "table" and mt.__tostring then return tostring(v) end
  local doc = package.loaded["moneta.doc"]
  local e = doc and (t == "function") and doc.lookup(v)
  if e then return "function: " .. e.sig end
  return tostring(v)
end

local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

-- Format 'v' within 'width' columns at 'indent' (a string of spaces).
local function fmt(v, width, indent, depth, seen, quote)
  local mt = getmetatable(v)
  if type(mt) == "table" and type(mt.__pretty) == "function" then
    return mt.__pretty(v, width - #indent)
  end
  if type(v) ~= "table" or (type(mt) == "table" and mt.__tostring) then
    return scalar(v, quote)
  end
  if seen[v] then return "<cycle>" end
  if depth >= P.max_depth then return "{...} (" .. count(v) .. " entries)" end
  seen[v] = true
  local items, n, total = {}, #v, count(v)
  local shown = 0
  for i = 1, n do
    if shown >= P.max_items then break end
    items[#items + 1] = fmt(v[i], width, indent .. "  ", depth + 1, seen, true)
    shown = shown + 1
  end
  local keys = {}
  for k in pairs(v) do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  table.sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    if ta == "number" or ta == "string" then return a < b end
    return tostring(a) < tostring(b)
  end)
  for _, k in ipairs(keys) do
    if shown >= P.max_items then break end
    items[#items + 1] = keystr(k) .. " = " .. fmt(v[k], width, indent .. "  ", depth + 1, seen, true)
    shown = shown + 1
  end
  seen[v] = nil
  local more = total - shown
  if more > 0 then items[#items + 1] = string.format("... (%d of %d entries shown)", shown, total) end
  local one = "{" .. table.concat(items, ", ") .. "}"
  if #one + #indent <= width and not one:find("\n") then return one end
  -- several short items per line when none spans lines
  local packed, line, multi = {}, "", false
  for _, it in ipairs(items) do
    if it:find("\n") then multi = true; break end
    if #line > 0 and #indent + 2 + #line + 2 + #it > width then
      packed[#packed + 1] = line; line = it
    else
      line = (#line > 0) and (line .. ", " .. it) or it
    end
  end
  if not multi then
    packed[#packed + 1] = line
    return "{\n" .. indent .. "  " .. table.concat(packed, ",\n" .. indent .. "  ") .. "\n" .. indent .. "}"
  end
  return "{\n" .. indent .. "  " .. table.concat(items, ",\n" .. indent .. "  ") .. "\n" .. indent .. "}"
end

--- Format a value as the REPL shows it; 'width' defaults to the terminal's.
function P.format(v, width)
  width = width or (core.term_size())
  return fmt(v, width, "", 0, {}, false)
end

--- Print values as the REPL does (tab-separated, like the standalone lua).
function P.show(...)
  local n = select("#", ...)
  local parts = {}
  local width = core.term_size()
  for i = 1, n do parts[i] = P.format((select(i, ...)), width) end
  io.write(table.concat(parts, "\t"), "\n")
  io.flush()
end

return P
