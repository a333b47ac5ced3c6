-- moneta.doc: the help registry. Every public name registers a signature and a one-line doc
-- here; help() in the REPL, help(x) and the API reference (docs/api.md) are all made from it.
local D = {}

local entries = {}          -- full name -> entry {name, sig, text, topic, value}
local by_value = setmetatable({}, {__mode = "k"})  -- function/table -> entry
local topics, topic_order = {}, {}

--- Declare a help topic: help("name") prints its summary, text and its names.
function D.topic(name, summary, text)
  if not topics[name] then topic_order[#topic_order + 1] = name end
  topics[name] = {name = name, summary = summary, text = text or "", names = {}}
end

--- Register a public name. 'value' may be nil (e.g. a method documented by name only).
function D.add(value, name, sig, text, topic)
  assert(type(name) == "string" and type(sig) == "string" and type(text) == "string",
         "doc.add(value, name, sig, text, topic)")
  local e = {name = name, sig = sig, text = text, topic = topic, value = value}
  entries[name] = e
  if type(value) == "function" or type(value) == "table" then
    by_value[value] = by_value[value] or e
  end
  if topic then
    local t = topics[topic]
    if not t then error("doc.add: unknown topic '" .. topic .. "' for " .. name, 2) end
    t.names[#t.names + 1] = name
  end
  return value
end

--- Register each function of module table 'mod' (named 'prefix') from a list of
--- {key, sig, text}; raises if the module lacks a documented key or has an undocumented one.
local module_topic = setmetatable({}, {__mode = "k"})   -- module table -> its topic

function D.module(mod, prefix, topic, list)
  local seen = {}
  if module_topic[mod] == nil then module_topic[mod] = topic end   -- help(nn) is help("nn")
  for _, d in ipairs(list) do
    local k, sig, text = d[1], d[2], d[3]
    if mod[k] == nil then error("doc.module: " .. prefix .. "." .. k .. " does not exist", 2) end
    D.add(mod[k], prefix .. "." .. k, sig, text, topic)
    seen[k] = true
  end
  for k, v in pairs(mod) do
    if not seen[k] and type(k) == "string" and k:sub(1, 1) ~= "_" and
       (type(v) == "function") then
      error("doc.module: " .. prefix .. "." .. k .. " has no doc", 2)
    end
  end
end

--- Register methods of a metatable registered by C under 'tname' (e.g. "moneta.Frame").
function D.methods(tname, typename, topic, list)
  local mt = debug.getregistry()[tname]
  local index = mt and (type(mt.__index) == "table" and mt.__index or mt.__methods)
  for _, d in ipairs(list) do
    local k, sig, text = d[1], d[2], d[3]
    local f = type(index) == "table" and index[k] or nil
    if f == nil then error("doc.methods: " .. typename .. ":" .. k .. " does not exist", 2) end
    D.add(f, typename .. ":" .. k, sig, text, topic)
  end
  if mt and not D.typetopic[tname] then D.typetopic[tname] = topic end  -- first one wins
end
D.typetopic = {}            -- metatable name -> topic, for help(object)

function D.lookup(x)
  if type(x) == "string" then
    if topics[x] then return nil, topics[x] end          -- help("frame") is the topic
    return entries[x] or entries["moneta." .. x]
  end
  local e = by_value[x]
  if e then return e end
  if module_topic[x] and topics[module_topic[x]] then return nil, topics[module_topic[x]] end
  local mt = getmetatable(x)
  if type(mt) == "table" and mt.__name and D.typetopic[mt.__name] then
    return nil, topics[D.typetopic[mt.__name]]
  end
  return nil
end

local function wrap(text, width, indent)
  local out, line = {}, indent
  for word in text:gmatch("%S+") do
    if #line + #word + 1 > width and #line > #indent then
      out[#out + 1] = line
      line = indent .. word
    else
      line = (#line > #indent) and (line .. " " .. word) or (line .. word)
    end
  end
  if #line > #indent then out[#out + 1] = line end
  return table.concat(out, "\n")
end

--- The text help(x) prints, as a string.
function D.text(x, width)
  width = width or 80
  if x == nil then
    local lines = {"moneta -- help(topic) or help(function); Tab completes names.", "Topics:"}
    for _, name in ipairs(topic_order) do
      lines[#lines + 1] = string.format("  %-10s %s", name, topics[name].summary)
    end
    lines[#lines + 1] = 'Examples: help("frame"), help(read_csv), help(df) for a frame df.'
    return table.concat(lines, "\n")
  end
  local e, t = D.lookup(x)
  if e then
    return e.sig .. "\n" .. wrap(e.text, width, "  ")
  end
  if t then
    local lines = {t.name .. ": " .. t.summary}
    if t.text ~= "" then lines[#lines + 1] = wrap(t.text, width, "  ") end
    local names = t.names
    if #names > 0 then
      lines[#lines + 1] = "Names:"
      for _, n in ipairs(names) do
        lines[#lines + 1] = string.format("  %-34s %s", entries[n].sig, entries[n].text)
      end
    end
    return table.concat(lines, "\n")
  end
  if type(x) == "string" then
    return "no help for '" .. x .. "'; help() lists the topics"
  end
  return "no help for this " .. type(x) .. "; help() lists the topics"
end

--- help([x]): list topics, or print the signature and doc of x (a function, object, topic).
function D.help(x)
  local core = require "moneta.c.core"
  print(D.text(x, math.min(core.term_size(), 100)))
end

--- The API reference in Markdown (docs/api.md is this text; a test keeps them in step).
function D.markdown()
  local out = {"# moneta Lua API reference", "",
               "Generated from the help registry (`help()` in the REPL shows the same texts).",
               "Regenerate with `moneta -e 'io.write(require(\"moneta.doc\").markdown())' > docs/api.md`.", ""}
  for _, name in ipairs(topic_order) do
    local t = topics[name]
    out[#out + 1] = "## " .. name .. ": " .. t.summary
    out[#out + 1] = ""
    if t.text ~= "" then out[#out + 1] = t.text; out[#out + 1] = "" end
    for _, n in ipairs(t.names) do
      local e = entries[n]
      out[#out + 1] = "- `" .. e.sig .. "`: " .. e.text
    end
    out[#out + 1] = ""
  end
  return table.concat(out, "\n")
end

--- Every registered entry (for tests): name -> {sig, text, topic}.
function D.all() return entries end

return D
