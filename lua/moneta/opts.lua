-- moneta.opts: the one checker of option tables for the Lua side (nn, optim, feat, ts): nil
-- gives {}, anything but a plain table is an error, and every key must be known; the error
-- names the function and lists the known names. plot.lua keeps its own (it merges common and
-- per-plot names and formats through its fail()).
local O = {}

-- check(opts, what, known [, level]) -> opts or {}. 'known' is a list of names (reported in
-- that order) or a set {name = true} (reported sorted). 'level' is error()'s counted from
-- the function that calls check (default 3: whoever called it).
function O.check(opts, what, known, level)
  level = (level or 3)
  if opts == nil then return {} end
  if type(opts) ~= "table" or getmetatable(opts) ~= nil then
    error(string.format("%s: options must be a table, got %s", what,
                        getmetatable(opts) ~= nil and "an object" or type(opts)), level)
  end
  local ok, names = known, nil
  if known[1] ~= nil or next(known) == nil then       -- a list
    ok, names = {}, known
    for _, k in ipairs(known) do ok[k] = true end
  end
  for k in pairs(opts) do
    if not ok[k] then
      if names == nil then
        names = {}
        for n in pairs(known) do names[#names + 1] = n end
        table.sort(names)
      end
      error(string.format("%s: unknown option '%s' (known: %s)", what, tostring(k),
                          table.concat(names, ", ")), level)
    end
  end
  return opts
end

return O
