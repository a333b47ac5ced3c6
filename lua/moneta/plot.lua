-- moneta.plot: plots through gnuplot. Each plot function builds a small gnuplot script (numeric
-- datablocks plus commands; every piece of user text through the one quoting function of
-- plot/gnuplot.c) and renders it to a file, a window or the terminal. The gnuplot process,
-- its timeouts and restarts live in C ("moneta.c.plot"). Guide: docs/plot.md.
local C = require "moneta.c.plot"
local core = require "moneta.c.core"
local doc = require "moneta.doc"
local frame_c = require "moneta.c.frame"
local metrics = require "moneta.metrics"
require "moneta.c.ops"             -- the column statistics (quantile, std) used below
local progress = require "moneta.progress"

local P = {}
local q = C.quote                 -- the only way text reaches gnuplot
local NaN = 0 / 0
local state = {term = "auto", last = nil}

-- ---- small helpers ------------------------------------------------------------------------

local function fail(fn, fmt, ...)
  error("plot." .. fn .. ": " .. string.format(fmt, ...), 0)
end

local function set_of(list)
  local s = {}
  for _, k in ipairs(list) do s[k] = true end
  return s
end

-- Options every plot takes; each plot adds its own.
local COMMON = {"title", "xlabel", "ylabel", "path", "width", "height", "log", "xlog",
                "xrange", "yrange", "legend", "grid", "font"}

-- The option names 'base' (COMMON unless given) and then 'extra'.
local function known_list(extra, base)
  local l = {}
  for _, k in ipairs(base or COMMON) do l[#l + 1] = k end
  for _, k in ipairs(extra or {}) do l[#l + 1] = k end
  return l
end

local function check_opts(fn, opts, extra, base)
  if opts == nil then return {} end
  if type(opts) ~= "table" then fail(fn, "options must be a table, got %s", type(opts)) end
  local known = known_list(extra, base)
  local ks = set_of(known)
  for k in pairs(opts) do
    if type(k) ~= "string" or not ks[k] then
      fail(fn, "unknown option '%s' (known: %s)", tostring(k), table.concat(known, ", "))
    end
  end
  return opts
end

local function mtname(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and mt.__name or nil
end

local function is_frame(v) return mtname(v) == "moneta.Frame" end
local function is_column(v) return mtname(v) == "moneta.Column" end

-- A vector: a sequence of numbers (or booleans), a column, a tensor (anything with __tovector).
local function is_vector(v)
  if type(v) == "table" and getmetatable(v) == nil then
    local t = type(v[1])
    return t == "number" or t == "boolean"
  end
  local mt = getmetatable(v)
  return type(mt) == "table" and mt.__tovector ~= nil
end

local function is_strings(v)
  return type(v) == "table" and getmetatable(v) == nil and type(v[1]) == "string"
end

-- Numbers of a vector as a Lua table; date columns become seconds since the epoch (UTC), and
-- '*time' says so. 'what' names the argument in errors.
local function numbers(fn, v, what)
  if is_column(v) then
    local ty = v:type()
    if ty == "text" or ty == "cat" then fail(fn, "%s: column '%s' is %s, not numeric", what,
                                             tostring(v:name()), ty) end
    local t = C.tovector(v)
    if ty == "date" or ty == "datetime" then
      for i = 1, #t do t[i] = t[i] / 1e9 end
      return t, ty
    end
    return t
  end
  if not is_vector(v) then
    if type(v) == "table" and #v == 0 and getmetatable(v) == nil then return {} end
    fail(fn, "%s: numbers, a column or a tensor expected, got %s", what, type(v))
  end
  local ok, t = pcall(C.tovector, v)
  if not ok then fail(fn, "%s: %s", what, tostring(t):gsub("^bad argument #1: ", "")) end
  return t
end

-- ISO dates and datetimes as read_csv reads them (the data layer's one parser): seconds since
-- the epoch, UTC, or nil when the text is not a real date.
local function parse_date(s)
  return (require("moneta.c.frame").parse_time(s))
end

P._parse_date = parse_date     -- for the tests

-- An x axis from a vector or strings: {v = numbers, time = bool, labels = {...} or nil}.
local function xaxis(fn, x, what)
  if is_strings(x) then
    local v, all_dates = {}, true
    for i, s in ipairs(x) do
      v[i] = type(s) == "string" and parse_date(s) or nil
      if v[i] == nil then all_dates = false break end
    end
    if all_dates then return {v = v, time = true} end
    local labels = {}
    for i, s in ipairs(x) do v[i] = i; labels[i] = tostring(s) end
    return {v = v, labels = labels}
  end
  local v, ty = numbers(fn, x, what)
  return {v = v, time = ty ~= nil}
end

local function is_finite(x) return x == x and x ~= math.huge and x ~= -math.huge end

local function range_of(v)
  local lo, hi = math.huge, -math.huge
  for _, x in ipairs(v) do
    if is_finite(x) then
      if x < lo then lo = x end
      if x > hi then hi = x end
    end
  end
  if lo > hi then return nil end
  return lo, hi
end

local function finite(v)
  local out = {}
  for _, x in ipairs(v) do
    if is_finite(x) then out[#out + 1] = x end
  end
  return out
end

local function seq(a, b)
  local t = {}
  for i = a, b do t[#t + 1] = i end
  return t
end

local function num(x) return string.format("%.15g", x) end

local function fmt_pct(x) return string.format("%+.1f%%", 100 * x) end

-- ---- the script being built ---------------------------------------------------------------

local Script = {}
Script.__index = Script

local function script(fn, opts)
  return setmetatable({fn = fn, opts = opts, data = {}, cmds = {}, nblock = 0}, Script)
end

function Script:cmd(s) self.cmds[#self.cmds + 1] = s end

-- A datablock of numeric columns (any number of them); returns its name ("$d1").
function Script:block(...)
  return self:block_of{...}
end

function Script:block_of(cols)
  self.nblock = self.nblock + 1
  local name = "d" .. self.nblock
  self.data[#self.data + 1] = C.datablock(name, cols)
  return "$" .. name
end

local PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                 "#7f7f7f", "#bcbd22", "#17becf"}
P.palette = PALETTE

local LEGEND = {
  ["top right"] = "set key top right", ["top left"] = "set key top left",
  ["bottom right"] = "set key bottom right", ["bottom left"] = "set key bottom left",
  ["outside"] = "set key outside right top", ["below"] = "set key below",
}

local function range_cmd(fn, axis, r)
  if r == nil then return nil end
  if type(r) ~= "table" or type(r[1]) ~= "number" or type(r[2]) ~= "number" then
    fail(fn, "%srange must be {low, high}", axis)
  end
  return string.format("set %srange [%s:%s]", axis, num(r[1]), num(r[2]))
end

-- Title, labels, scales, legend and grid from the common options ('d' holds per-plot defaults).
function Script:common(d)
  local o, fn = self.opts, self.fn
  d = d or {}
  local title = o.title or d.title
  if title ~= nil then self:cmd("set title " .. q(tostring(title))) end
  local xl, yl = o.xlabel or d.xlabel, o.ylabel or d.ylabel
  if xl ~= nil then self:cmd("set xlabel " .. q(tostring(xl))) end
  if yl ~= nil then self:cmd("set ylabel " .. q(tostring(yl))) end
  if o.log then self:cmd("set logscale y") end
  if o.xlog then self:cmd("set logscale x") end
  local xr = range_cmd(fn, "x", o.xrange) or d.xrange
  local yr = range_cmd(fn, "y", o.yrange) or d.yrange
  if xr then self:cmd(xr) end
  if yr then self:cmd(yr) end
  local legend = o.legend
  if legend == nil then legend = d.legend end
  if legend == nil then legend = "top right" end
  if legend == false then
    self:cmd("unset key")
  else
    local c = LEGEND[legend]
    if not c then
      local ks = {}
      for k in pairs(LEGEND) do ks[#ks + 1] = "'" .. k .. "'" end
      table.sort(ks)
      fail(fn, "legend must be false or one of %s", table.concat(ks, ", "))
    end
    self:cmd(c .. " Left reverse opaque box lc rgb '#cccccc' samplen 2 spacing 1.1")
  end
  local grid = o.grid
  if grid == nil then grid = d.grid end
  if grid ~= false then self:cmd("set grid lc rgb '#dddddd' lt 1 lw 1") end
end

-- The x axis: a time axis with a date format that suits the span, or category labels.
function Script:xaxis(ax)
  if ax.time then
    local lo, hi = ax.lo, ax.hi
    if lo == nil then lo, hi = range_of(ax.v) end
    local span = lo and hi - lo or 0
    local year = 365.25 * 86400
    local f = span > 4 * year and "%Y" or span > 200 * 86400 and "%Y-%m" or
              span > 2 * 86400 and "%Y-%m-%d" or "%m-%d %H:%M"
    self:cmd("set xdata time")
    self:cmd("set timefmt '%s'")
    self:cmd("set format x '" .. f .. "'")
    if f ~= "%Y" then self:cmd("set xtics rotate by 30 right") end
  elseif ax.labels then
    local n = #ax.labels
    local step = math.max(1, math.ceil(n / 20))
    local parts = {}
    for i = 1, n, step do parts[#parts + 1] = q(ax.labels[i]) .. " " .. i end
    self:cmd("set xtics (" .. table.concat(parts, ", ") .. ")" ..
             (n > 8 and " rotate by 30 right" or ""))
  end
end

-- ---- output ---------------------------------------------------------------------------------

local DEFAULT_W, DEFAULT_H = 800, 500
local FILE_TERMS = {
  png = {{"pngcairo", "set terminal pngcairo size %d,%d noenhanced font '%s,%d'"},
         {"png", "set terminal png size %d,%d noenhanced"}},
  svg = {{"svg", "set terminal svg size %d,%d fixed noenhanced font '%s,%d' background '#ffffff'"}},
  pdf = {{"pdfcairo", "set terminal pdfcairo size %gin,%gin noenhanced font '%s,%d'"}},
}
local WINDOW_TERMS = {"qt", "wxt", "x11", "aqua"}

-- The installed gnuplot's terminals as a set (gnuplot is asked once; C keeps the list).
local function terminals()
  return C.terminals()
end

local function window_term()
  if (os.getenv("DISPLAY") or "") == "" and (os.getenv("WAYLAND_DISPLAY") or "") == "" then
    return nil
  end
  local t = terminals()
  for _, w in ipairs(WINDOW_TERMS) do if t[w] then return w end end
  return nil
end

-- Sixel only where the terminal is known to draw it: MONETA_SIXEL=1 forces it, =0 forbids it;
-- otherwise TERM starting with mlterm, foot, yaft or contour, or TERM_PROGRAM WezTerm or mintty.
local function sixel_ok()
  local force = os.getenv("MONETA_SIXEL")
  if force == "1" then return true end
  if force == "0" or not core.isatty(1) then return false end
  local term, prog = os.getenv("TERM") or "", os.getenv("TERM_PROGRAM") or ""
  for _, p in ipairs{"mlterm", "foot", "yaft", "contour"} do
    if term:sub(1, #p) == p then return true end
  end
  return prog == "WezTerm" or prog == "mintty"
end

local function size_of(fn, o)
  local w, h = o.width or DEFAULT_W, o.height or DEFAULT_H
  if math.type(w) ~= "integer" or math.type(h) ~= "integer" or w < 50 or h < 50 or
     w > 20000 or h > 20000 then
    fail(fn, "width and height must be whole pixels between 50 and 20000")
  end
  return w, h
end

local function font_of(fn, o)
  local f = o.font or "sans"
  if type(f) ~= "string" or not f:match("^[%w %-_]+$") then
    fail(fn, "font must be a font family name such as 'sans' or 'DejaVu Sans'")
  end
  return f
end

-- Where a render goes: {kind = "file"|"window"|"text", term = "set terminal ...", path}.
local function target(fn, o)
  local w, h = size_of(fn, o)
  local font = font_of(fn, o)
  local fsize = math.max(8, math.min(14, math.floor(math.min(w, h * 1.6) / 80 + 0.5)))
  if o.path ~= nil then
    local path = o.path
    if type(path) ~= "string" or path == "" then fail(fn, "path must be a file name") end
    local ext = (path:match("%.(%w+)$") or ""):lower()
    local choices = FILE_TERMS[ext]
    if not choices then
      fail(fn, "%s: unknown file type (use .png, .svg or .pdf)", path)
    end
    local t = terminals()
    for _, c in ipairs(choices) do
      if t[c[1]] then
        local cmd
        if ext == "pdf" then cmd = string.format(c[2], w / 100, h / 100, font, fsize)
        else cmd = string.format(c[2], w, h, font, fsize) end
        return {kind = "file", term = cmd, path = path, ext = ext}
      end
    end
    fail(fn, "%s: this gnuplot has no %s terminal for .%s files; Debian's gnuplot-nox has it",
         path, choices[1][1], ext)
  end
  local name = state.term
  if name == "auto" then
    name = window_term() and "window" or (sixel_ok() and terminals().sixelgd) and "sixel"
           or "dumb"
  end
  if name == "window" then
    local wt = window_term()
    if not wt then
      fail(fn, "no window: needs DISPLAY or WAYLAND_DISPLAY and a gnuplot with qt, wxt or " ..
               "x11 (apt-get install gnuplot-qt); use plot.term('dumb') or a path")
    end
    return {kind = "window", term = string.format(
      "set terminal %s 0 size %d,%d noenhanced font '%s,%d' title 'moneta'",
      wt, w, h, font, fsize)}
  elseif name == "dumb" then
    local cols, rows = core.term_size()
    local colour = core.isatty(1) and (os.getenv("NO_COLOR") or "") == ""
    return {kind = "text", term = string.format("set terminal dumb size %d,%d noenhanced %s",
      math.max(40, cols), math.max(12, rows - 2), colour and "ansi" or "mono")}
  elseif name == "sixel" then
    return {kind = "text", term = string.format(
      "set terminal sixelgd size %d,%d truecolor noenhanced", w, h)}
  end
  return {kind = "text", term = "set terminal " .. name .. " noenhanced"}
end

-- Writes text output (dumb, sixel); tests replace it.
function P._write(s)
  io.stdout:write(s)
  io.stdout:flush()
end

local STYLE = {}
for i, c in ipairs(PALETTE) do
  STYLE[#STYLE + 1] = string.format("set linetype %d lc rgb '%s' lw 2 pt 7 ps 0.6", i, c)
end
STYLE[#STYLE + 1] = "set linetype cycle " .. #PALETTE
STYLE[#STYLE + 1] = "set border 3 lc rgb '#444444'"
STYLE[#STYLE + 1] = "set tics nomirror out scale 0.6"
STYLE[#STYLE + 1] = "set style fill solid 1.0 noborder"
STYLE = table.concat(STYLE, "\n")

-- Render script 's' with options 'o' (path, width, height); returns the path for files.
local function render(s, o)
  local t = target(s.fn, o)
  local out
  local head = {"reset session", "set encoding utf8", t.term, "set termoption noenhanced"}
  if t.kind ~= "window" then
    -- a fresh file (mkstemps) beside the destination, or in the system's temporary folder for
    -- text; its name starts with '/' or '.', never with '|' (a pipe to a command)
    local dir = t.kind == "file" and (t.path:match("^(.*)/[^/]*$") or ".") or nil
    if dir == "" then dir = "/" end
    local ok, name = pcall(C.tmpfile, dir, t.ext or "txt")
    if not ok then
      error("plot." .. s.fn .. ": " .. tostring(name) ..
            (t.kind == "file" and " (writing " .. t.path .. ")" or ""), 0)
    end
    out = name
  end
  if out then head[#head + 1] = "set output " .. q(out) end
  local cmds = s.cmds
  if t.kind == "text" and t.term:find("^set terminal dumb") then
    -- in characters a grid buries the curves: drop it (our own "set grid" commands only;
    -- user text never starts a command)
    cmds = {}
    for i, c in ipairs(s.cmds) do cmds[i] = c:find("^set grid") and "unset grid" or c end
  end
  local text = table.concat(head, "\n") .. "\n" .. STYLE .. "\n" .. table.concat(s.data) ..
               table.concat(cmds, "\n") .. "\nunset multiplot\nunset output\n"
  local ok, err = pcall(C.run, text)
  if not ok then
    if out then os.remove(out) end
    if t.kind == "file" then err = tostring(err) .. " (writing " .. t.path .. ")" end
    error("plot." .. s.fn .. ": " .. tostring(err), 0)
  end
  if t.kind == "file" then
    local ok2, err2 = pcall(C.commit, out, t.path)
    if not ok2 then error("plot." .. s.fn .. ": " .. tostring(err2), 0) end
    return t.path
  elseif t.kind == "text" then
    local f = io.open(out, "rb")
    local body = f and f:read("a") or ""
    if f then f:close() end
    os.remove(out)
    P._write(body)
  end
  return nil
end

-- Keep 's' as the last plot (for save) and draw it.
local function finish(s)
  state.last = s
  return render(s, s.opts)
end

-- ---- series inputs ------------------------------------------------------------------------

-- y as a list of {name, v}: a vector, a list of vectors, or a map name -> vector (sorted by
-- name); conv(v) checks one vector and gives what the entry keeps as v. Unnamed series are
-- "series i" ("" for a lone one).
local function collect_series(fn, y, names, conv, what)
  local out = {}
  local function add(v, name)
    out[#out + 1] = {name = name or (is_column(v) and v:name()) or nil, v = conv(v)}
  end
  if is_vector(y) or is_column(y) then
    add(y, names and names[1])
  elseif type(y) == "table" and getmetatable(y) == nil and y[1] ~= nil then
    for i, v in ipairs(y) do add(v, names and names[i]) end
  elseif type(y) == "table" and getmetatable(y) == nil and next(y) ~= nil then
    local keys = {}
    for k in pairs(y) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    for _, k in ipairs(keys) do add(y[k], tostring(k)) end
  else
    fail(fn, "%s: numbers, a column, a tensor, or a list or map of them expected, got %s",
         what or "y", mtname(y) or type(y))
  end
  for i, sr in ipairs(out) do
    if sr.name == nil then sr.name = #out == 1 and "" or ("series " .. i) end
  end
  return out
end

-- The series as Lua numbers (for the plots that still build their data in Lua).
local function series(fn, y, names, what)
  local out = collect_series(fn, y, names, function(v) return numbers(fn, v, what) end, what)
  for _, sr in ipairs(out) do sr.time = false end
  return out
end

-- The series as given (a numbers table, a column, a tensor): the values stay where they are
-- until C reads them into doubles.
local function series_refs(fn, y, names)
  return collect_series(fn, y, names, function(v)
    if is_column(v) then
      local ty = v:type()
      if ty == "text" or ty == "cat" then
        fail(fn, "y: column '%s' is %s, not numeric", tostring(v:name()), ty)
      end
    elseif not is_vector(v) and not (type(v) == "table" and getmetatable(v) == nil and
                                     next(v) == nil) then
      fail(fn, "y: numbers, a column, a tensor, or a list or map of them expected, got %s",
           mtname(v) or type(v))
    end
    return v
  end)
end

-- Numeric column names of a frame, in order, except 'skip'.
local function numeric_names(f, skip)
  local types, out = f:types(), {}
  for _, n in ipairs(f:names()) do
    local ty = types[n]
    if n ~= skip and (ty == "f64" or ty == "bool") then out[#out + 1] = n end
  end
  return out
end

local function title_clause(name)
  if name == nil or name == "" then return "notitle" end
  return "title " .. q(name)
end

-- ---- line -----------------------------------------------------------------------------------

local LINE_OPTS = {"x", "y", "names", "style"}
local STYLES = set_of{"lines", "points", "linespoints", "steps", "impulses"}

-- The options argument of a plot taking (data..., opts): nil or a plain table with string keys.
-- Anything else is data in the options' place: a clear error naming the call's form ('usage')
-- and a hint, never a guess.
local function last_opts(fn, opts, extra, usage, hint)
  if opts ~= nil and (type(opts) ~= "table" or getmetatable(opts) ~= nil or opts[1] ~= nil) then
    fail(fn, "options must be the last argument, a table with string keys, got %s: %s%s",
         is_column(opts) and "a column" or mtname(opts) or
         (type(opts) == "table" and "a list" or type(opts)), usage, hint or "")
  end
  return check_opts(fn, opts, extra)
end

-- x of a line as what C reads ({v = vector or nil, scale}) and the axis it makes: a date or
-- datetime column in seconds (time axis), strings as dates or category labels, numbers as is.
local function line_x(fn, x)
  if x == nil then return nil, 1, {} end
  if is_strings(x) then
    local ax = xaxis(fn, x, "x")
    return ax.v, 1, ax
  end
  if is_column(x) then
    local ty = x:type()
    if ty == "text" or ty == "cat" then
      fail(fn, "x: column '%s' is %s, not numeric", tostring(x:name()), ty)
    end
    if ty == "date" or ty == "datetime" then return x, 1e-9, {time = true} end
    return x, 1, {}
  end
  if not is_vector(x) and not (type(x) == "table" and getmetatable(x) == nil) then
    fail(fn, "x: numbers, strings, a column or a tensor expected, got %s", mtname(x) or type(x))
  end
  return x, 1, {}
end

local LINE_USAGE = "plot.line(y [, opts]) or plot.line(frame [, {x = 'date', y = {...}}])"

function P.line(y, opts, ...)
  if select("#", ...) > 0 then
    fail("line", "takes the data and one options table: %s; give x as an option, " ..
         "plot.line(y, {x = x})", LINE_USAGE)
  end
  opts = last_opts("line", opts, LINE_OPTS, LINE_USAGE,
                   "; give x as an option, plot.line(y, {x = x})")
  local x = opts.x
  if is_frame(y) then
    local f = y
    local types = f:types()
    local xname = x
    if xname ~= nil and type(xname) ~= "string" then
      fail("line", "with a frame, x is a column name")
    end
    if xname == nil then
      for _, n in ipairs(f:names()) do
        if types[n] == "date" or types[n] == "datetime" then xname = n break end
      end
    end
    if xname ~= nil and types[xname] == nil then fail("line", "no column '%s' in the frame",
                                                      tostring(xname)) end
    local ynames = opts.y
    if type(ynames) == "string" then ynames = {ynames} end
    ynames = ynames or numeric_names(f, xname)
    if #ynames == 0 then fail("line", "the frame has no numeric column to draw") end
    y = {}
    for _, n in ipairs(ynames) do
      if types[n] == nil then fail("line", "no column '%s' in the frame", tostring(n)) end
      y[#y + 1] = f:col(n)
    end
    x = xname and f:col(xname) or nil
  elseif opts.y ~= nil then
    fail("line", "y is an option of the frame form only; give the series first: %s", LINE_USAGE)
  end
  local ss = series_refs("line", y, opts.names)
  local style = opts.style or "lines"
  if not STYLES[style] then fail("line", "style must be lines, points, linespoints, steps or impulses") end
  local xv, xscale, ax = line_x("line", x)
  local s = script("line", opts)
  local ys = {}
  for i, sr in ipairs(ss) do ys[i] = sr.v end
  -- Long lines: C thins them with M4 (a pixel column shows only where a line enters and
  -- leaves and its extremes) unless points are drawn one by one
  local width = (style == "lines" or style == "steps") and (opts.width or DEFAULT_W) or false
  s.nblock = s.nblock + 1
  local name = "d" .. s.nblock
  local ok, text, _, lo, hi = pcall(C.series, name, xv, ys, width, xscale)
  if not ok then
    fail("line", "%s", (tostring(text):gsub("^bad argument #%d+ to '[^']*' %((.*)%)$", "y: %1")))
  end
  s.data[#s.data + 1] = text
  local d = "$" .. name
  ax.lo, ax.hi = lo, hi
  s:common{legend = #ss > 1 and "top left" or (ss[1].name ~= "" and "top left" or false),
           xlabel = is_column(x) and x:name() or nil}
  s:xaxis(ax)
  local parts = {}
  for i, sr in ipairs(ss) do
    parts[#parts + 1] = string.format("%s using 1:%d with %s lt %d %s", i == 1 and d or "''",
                                      i + 1, style, i, title_clause(sr.name))
  end
  s:cmd("plot " .. table.concat(parts, ", "))
  return finish(s)
end

-- ---- loss -----------------------------------------------------------------------------------

local LOSS_OPTS = {"best"}

local function loss_series(fn, hist)
  if type(hist) ~= "table" then fail(fn, "a history (what fit returns) or {loss = {...}} expected") end
  local m = type(hist.metrics) == "table" and hist.metrics or {}
  local loss = hist.loss or m.loss
  local val = hist.val_loss or m.val_loss
  if loss == nil then fail(fn, "the history has no loss") end
  loss = numbers(fn, loss, "loss")
  if val ~= nil then
    val = numbers(fn, val, "val_loss")
    if #val == 0 then val = nil end
  end
  return loss, val
end

function P.loss(hist, opts)
  opts = check_opts("loss", opts, LOSS_OPTS)
  local loss, val = loss_series("loss", hist)
  local n = math.max(#loss, val and #val or 0)
  if n == 0 then fail("loss", "the history is empty (no epoch finished)") end
  local function pad(v)
    local t = {}
    for i = 1, n do t[i] = v[i] or NaN end
    return t
  end
  loss = pad(loss)
  local s = script("loss", opts)
  local cols = {seq(1, n), loss}
  if val then cols[#cols + 1] = pad(val) end
  local d = s:block_of(cols)
  s:common{title = "training loss", xlabel = "epoch", ylabel = "loss", legend = "top right",
           xrange = n == 1 and "set xrange [0.5:1.5]" or string.format("set xrange [1:%d]", n)}
  if n <= 20 then s:cmd("set xtics 1") end
  s:cmd("set offsets 0, 0, graph 0.05, graph 0.05")   -- the best-epoch ring stays inside
  s:cmd("set format x '%.0f'")
  local parts = {string.format("%s using 1:2 with linespoints lt 1 title 'loss'", d)}
  if val then
    parts[#parts + 1] = string.format("'' using 1:3 with linespoints lt 2 pt 5 title 'val_loss'")
    -- the best epoch: as fit reports it, else the lowest validation loss
    local best = hist.best_epoch
    if opts.best ~= false then
      if math.type(best) ~= "integer" or best < 1 or best > n then
        local bv = math.huge
        for i = 1, n do if cols[3][i] == cols[3][i] and cols[3][i] < bv then bv, best = cols[3][i], i end end
      end
      if best and cols[3][best] == cols[3][best] then
        local b = s:block({best}, {cols[3][best]})
        parts[#parts + 1] = string.format(
          "%s using 1:2 with points pt 6 ps 2.2 lw 2 lc rgb '#000000' title %s", b,
          q(string.format("best epoch %d (val_loss %.4g)", best, cols[3][best])))
      end
    end
  end
  s:cmd("plot " .. table.concat(parts, ", "))
  return finish(s)
end

-- ---- forecast -------------------------------------------------------------------------------

local FC_OPTS = {"x", "fx", "lower", "upper", "level", "names"}

function P.forecast(actual, fc, opts)
  opts = check_opts("forecast", opts, FC_OPTS)
  local mean, lower, upper = fc, opts.lower, opts.upper
  if type(fc) == "table" and getmetatable(fc) == nil and fc.mean ~= nil then
    mean, lower, upper = fc.mean, lower or fc.lower, upper or fc.upper
  end
  if mean == nil then fail("forecast", "forecast values (a vector or {mean=, lower=, upper=}) expected") end
  local a = actual ~= nil and numbers("forecast", actual, "actual") or {}
  local m = numbers("forecast", mean, "forecast")
  local lo = lower and numbers("forecast", lower, "lower")
  local hi = upper and numbers("forecast", upper, "upper")
  if (lo == nil) ~= (hi == nil) then fail("forecast", "give both lower and upper, or neither") end
  if lo and (#lo ~= #m or #hi ~= #m) then
    fail("forecast", "lower and upper need %d values like the forecast", #m)
  end
  local na, nf = #a, #m
  -- x of the actual values, and of the forecast: the same points when the lengths agree,
  -- else the forecast follows the actual values at the same step
  local ax = opts.x and xaxis("forecast", opts.x, "x") or {v = seq(1, na)}
  if #ax.v ~= na then fail("forecast", "x has %d values but actual has %d", #ax.v, na) end
  local level = opts.level
  if level ~= nil and (type(level) ~= "number" or not (level > 0 and level < 100)) then
    fail("forecast", "level must be a number such as 0.95 or 95, got %s",
         type(level) == "number" and num(level) or type(level))
  end
  local fax = opts.fx and xaxis("forecast", opts.fx, "fx")
  local fx
  if fax then
    fx = fax.v
  elseif nf == na then
    fx = ax.v
  else
    local step = na >= 2 and (ax.v[na] - ax.v[na - 1]) or 1
    local last = na >= 1 and ax.v[na] or 0
    fx = {}
    for i = 1, nf do fx[i] = last + i * step end
  end
  if #fx ~= nf then fail("forecast", "fx has %d values but the forecast has %d", #fx, nf) end
  local names = opts.names or {}
  local s = script("forecast", opts)
  s:common{title = "forecast", legend = "top left"}
  s:xaxis{v = ax.v, time = ax.time or (fax and fax.time)}
  local parts = {}
  if lo then
    local lname = level and string.format("%g%% interval", level < 1 and level * 100 or level)
                  or "interval"
    local d = s:block(fx, lo, hi)
    parts[#parts + 1] = string.format(
      "%s using 1:2:3 with filledcurves fc rgb '%s' fs transparent solid 0.22 title %s", d,
      PALETTE[1], q(lname))
  end
  if na > 0 then
    local d = s:block(ax.v, a)
    parts[#parts + 1] = string.format("%s using 1:2 with lines lw 2 lc rgb '#222222' title %s",
                                      d, q(names[1] or "actual"))
  end
  local d = s:block(fx, m)
  parts[#parts + 1] = string.format("%s using 1:2 with lines lw 2 dt 2 lc rgb '%s' title %s", d,
                                    PALETTE[1], q(names[2] or "forecast"))
  if na > 0 and nf ~= na and not opts.fx then
    s:cmd(string.format("set arrow from %s, graph 0 to %s, graph 1 nohead dt 3 lc rgb '#888888'",
                        num(ax.v[na]), num(ax.v[na])))
  end
  s:cmd("plot " .. table.concat(parts, ", "))
  return finish(s)
end

-- ---- ROC and PR -----------------------------------------------------------------------------

local CURVE_OPTS = {"name"}

-- scores: a vector, or a map name -> vector (several models on one plot).
local function score_sets(fn, score, name)
  if is_vector(score) or is_column(score) then
    return {{name = name or (is_column(score) and score:name()) or nil, v = score}}
  end
  if type(score) == "table" and getmetatable(score) == nil and next(score) ~= nil then
    local keys, out = {}, {}
    for k in pairs(score) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    for _, k in ipairs(keys) do out[#out + 1] = {name = tostring(k), v = score[k]} end
    return out
  end
  fail(fn, "scores: a vector, a column, a tensor or a map name -> scores expected")
end

local function legend_name(name, stat, v)
  local s = string.format("%s = %.3f", stat, v)
  if name == nil or name == "" then return s end
  return name .. " (" .. s .. ")"
end

-- ROC and PR differ only in their curve, its area and the labels.
local CURVES = {
  roc = {curve = metrics.roc_curve, area = metrics.auc, stat = "AUC", style = "lines",
         title = "ROC curve", xlabel = "false positive rate", ylabel = "true positive rate",
         legend = "bottom right"},
  pr = {curve = metrics.pr_curve, area = metrics.pr_auc, stat = "PR AUC", style = "steps",
        title = "precision-recall curve", xlabel = "recall", ylabel = "precision",
        legend = "top right"},
}

local function curve_plot(fn, y, score, opts)
  local k = CURVES[fn]
  opts = check_opts(fn, opts, CURVE_OPTS)
  local s = script(fn, opts)
  local parts, base = {}, nil
  for i, set in ipairs(score_sets(fn, score, opts.name)) do
    local ok, a, b = pcall(k.curve, y, set.v)       -- roc: fpr, tpr; pr: precision, recall
    if not ok then fail(fn, "%s", tostring(a)) end
    local ok2, area = pcall(k.area, y, set.v)
    if not ok2 then fail(fn, "%s", tostring(area)) end
    -- pr's last point predicts every row positive: its precision is the base rate P / N
    if fn == "pr" then a, b, base = b, a, a[#a] end
    local d = s:block(a, b)
    parts[#parts + 1] = string.format("%s using 1:2 with %s lt %d title %s", d, k.style, i,
                                      q(legend_name(set.name, k.stat, area)))
  end
  s:common{title = k.title, xlabel = k.xlabel, ylabel = k.ylabel, legend = k.legend,
           xrange = "set xrange [0:1]", yrange = "set yrange [0:1.02]"}
  s:cmd("set size ratio -1")
  if fn == "roc" then
    parts[#parts + 1] = "x with lines dt 2 lw 1 lc rgb '#888888' title 'chance'"
  else
    parts[#parts + 1] = string.format("%s with lines dt 2 lw 1 lc rgb '#888888' title %s",
                                      num(base), q(string.format("no skill (%.3f)", base)))
  end
  s:cmd("plot " .. table.concat(parts, ", "))
  return finish(s)
end

function P.roc(y, score, opts) return curve_plot("roc", y, score, opts) end
function P.pr(y, score, opts) return curve_plot("pr", y, score, opts) end

-- ---- distributions --------------------------------------------------------------------------

-- Finite values 'v' (one or more) as a frame column, for its statistics: :quantile (linear
-- interpolation between order statistics, numpy's default) and :std (sample, n - 1).
local function column_of(v)
  return frame_c.frame{v = v}:col("v")
end

-- Interquartile range of finite values 'v' (one or more), for the Freedman-Diaconis bins.
local function iqr_of(c)
  local q = c:quantile{0.25, 0.75}
  return q[2] - q[1]
end

local HIST_OPTS = {"bins", "density", "range", "names", "kde"}

function P.hist(x, opts)
  opts = check_opts("hist", opts, HIST_OPTS)
  local ss = series("hist", x, opts.names, "x")
  local all = {}
  for _, sr in ipairs(ss) do
    sr.v = finite(sr.v)
    if #sr.v == 0 then fail("hist", "%s has no finite value", sr.name ~= "" and sr.name or "x") end
    for _, v in ipairs(sr.v) do all[#all + 1] = v end
  end
  local lo, hi
  if opts.range then
    if type(opts.range) ~= "table" or type(opts.range[1]) ~= "number" or
       type(opts.range[2]) ~= "number" or not (opts.range[1] < opts.range[2]) then
      fail("hist", "range must be {low, high} with low < high")
    end
    lo, hi = opts.range[1], opts.range[2]
  else
    lo, hi = range_of(all)
  end
  if hi == lo then lo, hi = lo - 0.5, hi + 0.5 end
  local bins = opts.bins
  if bins == nil then                 -- Freedman-Diaconis, kept within [5, 100]
    local width = 2 * iqr_of(column_of(all)) * (#all) ^ (-1 / 3)
    bins = width > 0 and math.ceil((hi - lo) / width) or math.ceil(math.log(#all, 2) + 1)
    bins = math.max(5, math.min(100, bins))
  elseif math.type(bins) ~= "integer" or bins < 1 or bins > 10000 then
    fail("hist", "bins must be a whole number from 1 to 10000")
  end
  local width = (hi - lo) / bins
  local s = script("hist", opts)
  local parts = {}
  local multi = #ss > 1
  for i, sr in ipairs(ss) do
    local counts = {}
    for b = 1, bins do counts[b] = 0 end
    for _, v in ipairs(sr.v) do
      local b = math.floor((v - lo) / width) + 1
      if v == hi then b = bins end
      if b >= 1 and b <= bins then counts[b] = counts[b] + 1 end
    end
    local centers = {}
    for b = 1, bins do
      centers[b] = lo + (b - 0.5) * width
      if opts.density then counts[b] = counts[b] / (#sr.v * width) end
    end
    local d = s:block(centers, counts)
    parts[#parts + 1] = string.format(
      "%s using 1:2:(%s) with boxes lt %d fs transparent solid %s border lc rgb '#ffffff' %s", d,
      num(width), i, multi and "0.45" or "0.8", title_clause(sr.name))
    if opts.kde then
      local ok, xs, ys = pcall(C.kde, sr.v, nil, 200, lo, hi)    -- bw.nrd0, in data/stats.c
      if not ok then fail("hist", "kde: %s", tostring(xs)) end
      if not opts.density then
        for k = 1, #ys do ys[k] = ys[k] * #sr.v * width end
      end
      local dk = s:block(xs, ys)
      parts[#parts + 1] = string.format("%s using 1:2 with lines lt %d lw 2 notitle", dk, i)
    end
  end
  s:common{title = "histogram", ylabel = opts.density and "density" or "count",
           legend = multi and "top right" or false}
  s:cmd("set style fill solid")
  s:cmd(string.format("set xrange [%s:%s]", num(lo), num(hi)))
  s:cmd("set yrange [0:*]")
  s:cmd("plot " .. table.concat(parts, ", "))
  return finish(s)
end

local DENSITY_OPTS = {"bw", "names", "fill", "points"}

function P.density(x, opts)
  opts = check_opts("density", opts, DENSITY_OPTS)
  local ss = series("density", x, opts.names, "x")
  local s = script("density", opts)
  local parts = {}
  local m = opts.points or 256
  if math.type(m) ~= "integer" or m < 10 or m > 100000 then
    fail("density", "points must be a whole number from 10 to 100000")
  end
  for i, sr in ipairs(ss) do
    local v = finite(sr.v)
    if #v < 2 then fail("density", "%s needs at least 2 finite values",
                        sr.name ~= "" and sr.name or "x") end
    if opts.bw ~= nil and (type(opts.bw) ~= "number" or not (opts.bw > 0)) then
      fail("density", "bw must be a positive number")
    end
    local ok, xs, ys, bw = pcall(C.kde, v, opts.bw, m)    -- data/stats.c: fr_kde, fr_bw_nrd0
    if not ok then fail("density", "%s", tostring(xs)) end
    local d = s:block(xs, ys)
    if opts.fill ~= false then
      parts[#parts + 1] = string.format(
        "%s using 1:2 with filledcurves y=0 lt %d fs transparent solid 0.18 notitle", d, i)
    end
    parts[#parts + 1] = string.format("%s using 1:2 with lines lt %d %s", d, i,
      title_clause(sr.name ~= "" and string.format("%s (bw %.3g)", sr.name, bw) or nil))
  end
  s:common{title = "density", ylabel = "density", legend = #ss > 1 and "top right" or false}
  s:cmd("set yrange [0:*]")
  s:cmd("plot " .. table.concat(parts, ", "))
  return finish(s)
end

-- ---- scatter --------------------------------------------------------------------------------

local SCATTER_OPTS = {"x", "y", "fit", "by", "name", "size"}

local SCATTER_USAGE = "plot.scatter(x, y [, opts]) or plot.scatter(frame, {x = 'a', y = 'b'})"

-- The form is told by the first argument alone: a frame takes (frame, opts) with the column
-- names as options x and y; anything else is (x, y [, opts]).
function P.scatter(a, b, c, ...)
  local x, y, opts
  if is_frame(a) then
    if c ~= nil or select("#", ...) > 0 then
      fail("scatter", "with a frame, takes the frame and one options table: %s", SCATTER_USAGE)
    end
    opts = last_opts("scatter", b, SCATTER_OPTS, SCATTER_USAGE)
    if type(opts.x) ~= "string" or type(opts.y) ~= "string" then
      fail("scatter", "with a frame, give the column names {x = 'a', y = 'b'}")
    end
    for _, k in ipairs{opts.x, opts.y} do
      if a:types()[k] == nil then fail("scatter", "no column '%s' in the frame", k) end
    end
    x, y = a:col(opts.x), a:col(opts.y)
  else
    if select("#", ...) > 0 then
      fail("scatter", "takes x, y and one options table: %s", SCATTER_USAGE)
    end
    if b == nil or (type(b) == "table" and getmetatable(b) == nil and next(b) ~= nil and
                    b[1] == nil) then
      fail("scatter", "y is missing (the second argument is data, the options come last): %s",
           SCATTER_USAGE)
    end
    x, y = a, b
    opts = last_opts("scatter", c, SCATTER_OPTS, SCATTER_USAGE)
    if opts.x ~= nil or opts.y ~= nil then
      fail("scatter", "x and y name columns in the frame form only: %s", SCATTER_USAGE)
    end
  end
  local xv = numbers("scatter", x, "x")
  local yv = numbers("scatter", y, "y")
  if #xv ~= #yv then fail("scatter", "x has %d values but y has %d", #xv, #yv) end
  local s = script("scatter", opts)
  local parts = {}
  local ps = opts.size or (#xv > 5000 and 0.35 or #xv > 500 and 0.5 or 0.8)
  if type(ps) ~= "number" or ps <= 0 or ps > 10 then fail("scatter", "size must be in (0, 10]") end
  local alpha = #xv > 2000 and "a0" or #xv > 300 and "50" or "00"
  -- groups: one colour per distinct value of opts.by
  local groups = {{name = opts.name or "", idx = nil}}
  if opts.by ~= nil then
    local by = is_column(opts.by) and opts.by:values() or opts.by
    if type(by) ~= "table" or #by ~= #xv then fail("scatter", "by needs %d values", #xv) end
    local seen, order = {}, {}
    for i = 1, #by do
      local k = tostring(by[i])
      if not seen[k] then seen[k] = {}; order[#order + 1] = k end
      local t = seen[k]
      t[#t + 1] = i
    end
    table.sort(order)
    if #order > 20 then fail("scatter", "by has %d groups; at most 20", #order) end
    groups = {}
    for _, k in ipairs(order) do groups[#groups + 1] = {name = k, idx = seen[k]} end
  end
  for i, g in ipairs(groups) do
    local gx, gy = xv, yv
    if g.idx then
      gx, gy = {}, {}
      for j, r in ipairs(g.idx) do gx[j], gy[j] = xv[r], yv[r] end
    end
    local d = s:block(gx, gy)
    local col = PALETTE[(i - 1) % #PALETTE + 1]:sub(2)
    parts[#parts + 1] = string.format("%s using 1:2 with points pt 7 ps %s lc rgb '#%s%s' %s", d,
                                      num(ps), alpha, col, title_clause(g.name))
  end
  if opts.fit then                    -- least squares y = a + b x over the finite pairs
    local ok, icept, slope, r2 = pcall(C.linfit, xv, yv)    -- data/stats.c: fr_linfit
    if not ok then fail("scatter", "%s", tostring(icept)) end
    local lo, hi = range_of(xv)
    local d = s:block({lo, hi}, {icept + slope * lo, icept + slope * hi})
    parts[#parts + 1] = string.format("%s using 1:2 with lines lw 2 lc rgb '#000000' title %s", d,
      q(string.format("fit: y = %.4g %s %.4g x  (R² = %.3f)", icept, slope < 0 and "-" or "+",
                      math.abs(slope), r2)))
  end
  s:common{title = nil, xlabel = is_column(x) and x:name() or nil,
           ylabel = is_column(y) and y:name() or nil,
           legend = (#groups > 1 or opts.fit or (opts.name or "") ~= "") and "top left" or false}
  s:cmd("plot " .. table.concat(parts, ", "))
  return finish(s)
end

-- ---- heatmap --------------------------------------------------------------------------------

local HEATMAP_OPTS = {"labels", "method", "values", "range", "matrix"}

function P.heatmap(m, opts)
  opts = check_opts("heatmap", opts, HEATMAP_OPTS)
  local rows, labels, is_corr
  if opts.matrix ~= nil and type(opts.matrix) ~= "boolean" then
    fail("heatmap", "matrix must be true or false")
  end
  if opts.matrix and not is_frame(m) then
    fail("heatmap", "matrix = true draws a frame's values as they are; give a frame")
  end
  if is_frame(m) and opts.matrix then
    -- the frame IS the matrix (feat.corr's result, say): its numeric columns are the matrix
    -- columns, its first text or cat column (if any) labels the rows
    if opts.method ~= nil then fail("heatmap", "method computes correlations; not with matrix = true") end
    local names, types, rowname = numeric_names(m), m:types(), nil
    if #names < 1 then fail("heatmap", "the frame has no numeric columns") end
    for _, n in ipairs(m:names()) do
      if types[n] == "text" or types[n] == "cat" then rowname = n break end
    end
    local cols = {}
    for j, n in ipairs(names) do cols[j] = numbers("heatmap", m:col(n), "column " .. n) end
    rows = {}
    for i = 1, m:nrows() do
      rows[i] = {}
      for j = 1, #names do rows[i][j] = cols[j][i] end
    end
    if #rows == 0 then fail("heatmap", "the frame has no rows") end
    local ylab = names
    if rowname then
      ylab = {}
      local rc = m:col(rowname)
      for i = 1, m:nrows() do ylab[i] = tostring(rc[i]) end
    end
    labels = opts.labels or {names, ylab}
  elseif is_frame(m) then
    local method = opts.method or "pearson"
    if method ~= "pearson" and method ~= "spearman" then
      fail("heatmap", "method must be \"pearson\" or \"spearman\"")
    end
    labels = numeric_names(m)
    if #labels < 2 then fail("heatmap", "the frame needs 2 or more numeric columns") end
    local cols = {}
    for i, n in ipairs(labels) do cols[i] = m:col(n) end
    local ok, r = pcall(C.corr, cols, method)       -- pairwise-complete, in data/stats.c
    if not ok then fail("heatmap", "%s", tostring(r)) end
    rows = r
    is_corr = true
  elseif type(m) == "table" and getmetatable(m) == nil and m[1] ~= nil then
    rows = {}
    for i, r in ipairs(m) do rows[i] = numbers("heatmap", r, "row " .. i) end
    for i, r in ipairs(rows) do
      if #r ~= #rows[1] then fail("heatmap", "row %d has %d values, row 1 has %d", i, #r, #rows[1]) end
    end
    labels = opts.labels
  else
    fail("heatmap", "a frame (for its correlations) or a table of rows expected")
  end
  local nr, nc = #rows, #rows[1]
  local xl, yl = labels, labels
  if type(labels) == "table" and type(labels[1]) == "table" then xl, yl = labels[1], labels[2] end
  local s = script("heatmap", opts)
  -- matrix datablock: row i of the picture is line i; columns are the vectors of the block
  local cols = {}
  for j = 1, nc do
    cols[j] = {}
    for i = 1, nr do cols[j][i] = rows[i][j] end
  end
  local d = s:block_of(cols)
  s:common{title = is_corr and "correlation" or nil, legend = false, grid = false}
  local function tics(axis, names, n, rot)
    if type(names) ~= "table" then return end
    local parts = {}
    for i = 1, math.min(n, #names) do parts[#parts + 1] = q(tostring(names[i])) .. " " .. (i - 1) end
    s:cmd(string.format("set %stics (%s)%s", axis, table.concat(parts, ", "), rot or ""))
  end
  tics("x", xl, nc, nc > 3 and " rotate by 35 right" or nil)
  tics("y", yl, nr)
  s:cmd("set tics scale 0")
  s:cmd(string.format("set xrange [-0.5:%s]", num(nc - 0.5)))
  s:cmd(string.format("set yrange [%s:-0.5]", num(nr - 0.5)))   -- row 1 at the top
  if nr == nc then s:cmd("set size ratio 1") end
  local r = opts.range
  if is_corr and r == nil then r = {-1, 1} end
  if r ~= nil then
    if type(r) ~= "table" or type(r[1]) ~= "number" or type(r[2]) ~= "number" then
      fail("heatmap", "range must be {low, high}")
    end
    s:cmd(string.format("set cbrange [%s:%s]", num(r[1]), num(r[2])))
  end
  if r ~= nil and r[1] < 0 and r[2] > 0 then
    s:cmd(string.format("set palette defined (%s '#2166ac', %s '#f7f7f7', %s '#b2182b')",
                        num(r[1]), num(0), num(r[2])))
  else
    s:cmd("set palette defined (0 '#fde725', 0.5 '#21918c', 1 '#440154')")
  end
  local parts = {d .. " matrix with image notitle"}
  local show = opts.values
  if show == nil then show = nr <= 16 and nc <= 16 end
  if show then
    local mid = r and (r[1] + r[2]) / 2 or 0
    local spanv = r and (r[2] - r[1]) / 2 or 1
    parts[#parts + 1] = string.format(
      "'' matrix using 1:2:(abs($3 - %s) > %s ? '' : sprintf('%%.2f', $3)) with labels " ..
      "tc rgb '#222222' notitle", num(mid), num(0.6 * spanv))
    parts[#parts + 1] = string.format(
      "'' matrix using 1:2:(abs($3 - %s) > %s ? sprintf('%%.2f', $3) : '') with labels " ..
      "tc rgb '#ffffff' notitle", num(mid), num(0.6 * spanv))
  end
  s:cmd("plot " .. table.concat(parts, ", "))
  return finish(s)
end

-- ---- equity ---------------------------------------------------------------------------------

local EQUITY_OPTS = {"kind", "x", "bench", "name", "start"}

-- The legend's depth, as metrics.max_drawdown gives it: a missing return counts as no change
-- (as in equity_of), missing equity values are left out.
local function max_drawdown(v, kind)
  local x = {}
  for _, r in ipairs(v) do
    if r == r then x[#x + 1] = r elseif kind ~= "equity" then x[#x + 1] = 0 end
  end
  if #x == 0 then return 0 end
  local ok, depth = pcall(metrics.max_drawdown, x, {kind = kind})
  if not ok then fail("equity", "%s", tostring(depth)) end
  return depth
end

-- Total return of an equity curve: last over first finite value (over 'start' for returns).
local function total_of(e, kind, start)
  local first, last = kind ~= "equity" and start or nil, nil
  for _, x in ipairs(e) do
    if x == x then first, last = first or x, x end
  end
  return last and last / first - 1 or NaN
end

function P.equity(v, opts)
  opts = check_opts("equity", opts, EQUITY_OPTS)
  local kind = opts.kind or "returns"
  local start = opts.start or 1
  if type(start) ~= "number" or not (start > 0) then fail("equity", "start must be positive") end
  if kind ~= "returns" and kind ~= "log_returns" and kind ~= "equity" then
    fail("equity", "kind must be \"returns\", \"log_returns\" or \"equity\"")
  end
  local values = numbers("equity", v, "x")
  local e, dd = C.equity(values, kind, start)     -- eval/drawdown.c
  if #e == 0 then fail("equity", "no values") end
  local ax = opts.x and xaxis("equity", opts.x, "x") or {v = seq(1, #e)}
  if #ax.v ~= #e then fail("equity", "x has %d values but there are %d", #ax.v, #e) end
  local maxdd = max_drawdown(values, kind)
  local total = total_of(e, kind, start)
  local name = opts.name or "strategy"
  local s = script("equity", opts)
  local pct = {}
  for i, x in ipairs(dd) do pct[i] = 100 * x end
  local d = s:block(ax.v, e, pct)
  local parts = {string.format("%s using 1:2 with lines lt 1 title %s", d,
    q(string.format("%s (total %s, max drawdown %.1f%%)", name, fmt_pct(total), 100 * maxdd)))}
  if opts.bench ~= nil then
    local bvalues = numbers("equity", opts.bench, "bench")
    local be = C.equity(bvalues, kind, start)
    if #be ~= #e then fail("equity", "bench has %d values but there are %d", #be, #e) end
    local btotal = total_of(be, kind, start)
    local bdd = max_drawdown(bvalues, kind)
    local db = s:block(ax.v, be)
    parts[#parts + 1] = string.format("%s using 1:2 with lines lt 8 lw 1.5 title %s", db,
      q(string.format("benchmark (total %s, max drawdown %.1f%%)", fmt_pct(btotal), 100 * bdd)))
  end
  local o = opts
  s:cmd("set multiplot")
  s:cmd("set lmargin at screen 0.11")
  s:cmd("set rmargin at screen 0.97")
  -- top: the equity curve
  s:cmd("set tmargin at screen 0.92")
  s:cmd("set bmargin at screen 0.36")
  s:common{title = "equity", ylabel = "equity", legend = "top left"}
  s:xaxis(ax)
  s:cmd("set format x ''")
  s:cmd("unset xlabel")
  s:cmd("plot " .. table.concat(parts, ", "))
  -- bottom: the drawdown beneath, in percent
  s:cmd("unset title")
  s:cmd("unset logscale y")
  s:cmd("unset yrange")
  s:cmd("set tmargin at screen 0.33")
  s:cmd("set bmargin at screen " .. (ax.time and "0.12" or "0.09"))
  s:cmd("set ylabel 'drawdown'")
  if o.xlabel then s:cmd("set xlabel " .. q(tostring(o.xlabel))) end
  s:cmd("set format y '%.0f%%'")
  s:cmd("set yrange [*:0]")
  s:cmd("unset key")
  s:xaxis(ax)
  if not ax.time then s:cmd("set format x '% g'") end
  s:cmd(string.format("plot %s using 1:3 with filledcurves y=0 fc rgb '#d62728' " ..
                      "fs transparent solid 0.35 notitle, '' using 1:3 with lines lw 1 " ..
                      "lc rgb '#d62728' notitle", d))
  s:cmd("unset multiplot")
  return finish(s)
end

-- ---- ACF / PACF -----------------------------------------------------------------------------

local ACF_OPTS = {"lags", "kind", "alpha"}

local function is_correlogram(v)
  return type(v) == "table" and (v.kind == "acf" or v.kind == "pacf") and
         type(v.values) == "table" and type(v.band) == "table" and math.type(v.n) == "integer"
end

-- plot.acf(ts.acf(x)) | plot.acf({ts.acf(x), ts.pacf(x)}) | plot.acf(x [, {lags, kind, alpha}]):
-- bars of each correlogram with its band (Bartlett's for the ACF, z/sqrt(n) for the PACF).
function P.acf(x, opts, ...)
  if select("#", ...) > 0 then fail("acf", "takes the data and one options table") end
  opts = last_opts("acf", opts, ACF_OPTS, "plot.acf(ts.acf(x) [, opts]) or plot.acf(x [, opts])")
  local panels
  if (is_correlogram(x) or type(x) == "table" and is_correlogram(x[1])) and
     (opts.lags ~= nil or opts.kind ~= nil or opts.alpha ~= nil) then
    fail("acf", "lags, kind and alpha are for a series; a ts.acf result already has them")
  end
  if is_correlogram(x) then
    panels = {x}
  elseif type(x) == "table" and getmetatable(x) == nil and is_correlogram(x[1]) then
    panels = x
    for i, p in ipairs(panels) do
      if not is_correlogram(p) then
        fail("acf", "element %d is not a ts.acf or ts.pacf result", i)
      end
    end
  else
    local kind = opts.kind or "both"
    if kind ~= "acf" and kind ~= "pacf" and kind ~= "both" then
      fail("acf", "kind must be \"acf\", \"pacf\" or \"both\"")
    end
    local ts = require "moneta.ts"
    local o = {lags = opts.lags, alpha = opts.alpha}
    local function run(k)
      local ok, r = pcall(ts[k], x, o)
      if not ok then fail("acf", "%s", tostring(r)) end
      return r
    end
    panels = {}
    if kind ~= "pacf" then panels[#panels + 1] = run("acf") end
    if kind ~= "acf" then panels[#panels + 1] = run("pacf") end
  end
  local s = script("acf", opts)
  local blocks = {}
  for i, p in ipairs(panels) do
    local k = #p.values
    local lo = {}
    for j = 1, k do lo[j] = -p.band[j] end
    blocks[i] = s:block(seq(1, k), p.values, lo, p.band)
  end
  if #panels > 1 then s:cmd("set multiplot layout " .. #panels .. ",1") end
  for i, p in ipairs(panels) do
    local k = #p.values
    local name = p.kind:upper()
    s:common{title = i == 1 and (#panels > 1 and "ACF and PACF" or name) or nil,
             ylabel = name, xlabel = i == #panels and "lag" or nil,
             legend = "top right"}
    if i > 1 then s:cmd("unset title") end
    s:cmd(string.format("set xrange [0.3:%s]", num(k + 0.7)))
    if opts.yrange == nil then s:cmd("set yrange [-1:1]") end
    s:cmd("set xzeroaxis lt 1 lc rgb '#444444'")
    local pct = string.format("%g%%", 100 * (1 - p.alpha))
    local band = p.kind == "acf" and string.format("%s band, Bartlett (n = %d)", pct, p.n)
                 or string.format("%s band ±z/√n (n = %d)", pct, p.n)
    s:cmd(string.format("plot %s using 1:3:4 with filledcurves fc rgb '#1f77b4' " ..
      "fs transparent solid 0.15 title %s, '' using 1:2 with impulses lt 1 lw 4 notitle, " ..
      "'' using 1:2 with points lt 1 pt 7 ps 0.6 notitle", blocks[i], q(band)))
  end
  if #panels > 1 then s:cmd("unset multiplot") end
  return finish(s)
end

-- ---- output control -------------------------------------------------------------------------

--- save(path [, opts]): re-render the last plot to a file.
local SAVE_OPTS = {"width", "height", "font"}
function P.save(path, opts)
  if type(path) ~= "string" then fail("save", "a file name (.png, .svg or .pdf) expected") end
  opts = check_opts("save", opts, nil, SAVE_OPTS)
  local last = state.last
  if not last then fail("save", "nothing plotted yet") end
  local o = {}
  for k, v in pairs(last.opts) do o[k] = v end
  for k, v in pairs(opts) do o[k] = v end
  o.path = path
  return render(setmetatable({fn = "save", opts = o, data = last.data, cmds = last.cmds}, Script), o)
end

local TERM_NAMES = {"auto", "window", "dumb", "sixel"}

--- term([name]) -> name: choose or query the default output.
function P.term(name)
  if name == nil then return state.term end
  if type(name) ~= "string" or not name:match("^[%w_]+$") then
    fail("term", "a terminal name expected (auto, window, dumb, sixel or a gnuplot terminal)")
  end
  local ok = set_of(TERM_NAMES)[name]
  if not ok then
    local t = terminals()
    if not t[name] then
      fail("term", "'%s' is not a terminal of this gnuplot; it has: %s", name,
           table.concat(P.terminals(), " "))
    end
  end
  if name == "window" and not window_term() then
    fail("term", "no window: needs DISPLAY or WAYLAND_DISPLAY and a gnuplot with qt, wxt or " ..
                 "x11 (apt-get install gnuplot-qt)")
  end
  state.term = name
  return name
end

--- terminals() -> sorted list of the installed gnuplot's terminals.
function P.terminals()
  local t, out = terminals(), {}
  for k in pairs(t) do out[#out + 1] = k end
  table.sort(out)
  return out
end

--- has_window() -> boolean: whether plots can open in a window here.
function P.has_window()
  return window_term() ~= nil
end

--- close(): stop gnuplot (closing any window); the next plot starts it again.
function P.close()
  C.stop()
end

--- gnuplot(cmd): raw commands, unquoted.
function P.gnuplot(cmd)
  if type(cmd) ~= "string" then fail("gnuplot", "a string of gnuplot commands expected") end
  return C.run(cmd .. "\n")
end

-- ---- live plot during training --------------------------------------------------------------

local LIVE_INTERVAL = 0.25        -- seconds between redraws

progress.face("plot", function(opts, info)
  local po = opts.plot
  if not po then return nil end
  if po == true then po = {} end
  if type(po) ~= "table" then error("fit: plot must be true or a table of plot options", 0) end
  check_opts("loss", po, LOSS_OPTS)
  -- Redraw every epoch when the plot goes to a file or a window; in the terminal the epoch
  -- lines would fight with it, so it is drawn once, at the end.
  local live = po.path ~= nil or (state.term == "auto" and window_term() ~= nil) or
               state.term == "window"
  local h = {loss = {}, val_loss = {}}
  local last = -math.huge
  local function draw()
    if #h.loss > 0 then
      local t = {loss = h.loss}
      local any = false
      for i = 1, #h.loss do if h.val_loss[i] == h.val_loss[i] then any = true end end
      if any then t.val_loss = h.val_loss end
      P.loss(t, po)
    end
  end
  progress.subscribe("plot", function(rec)
    if rec.phase ~= "epoch" or type(rec.metrics) ~= "table" then return nil end
    local i = #h.loss + 1
    h.loss[i] = rec.metrics.loss or NaN
    h.val_loss[i] = rec.metrics.val_loss or NaN
    if live and core.now() - last >= LIVE_INTERVAL then   -- wall time: gnuplot's CPU is not ours
      last = core.now()
      draw()
    end
    return nil
  end)
  return function(result)
    progress.unsubscribe("plot")
    if type(result) == "table" and (result.loss or (result.metrics or {}).loss) then
      P.loss(result, po)
    else
      draw()
    end
  end
end)

-- ---- help -----------------------------------------------------------------------------------

doc.topic("plot", "plots through gnuplot: lines, loss, forecasts, ROC/PR, distributions, equity",
  "Each plot takes its data first (tables of numbers, columns, tensors, or a frame) and then " ..
  "at most one options table with string keys (never guessed: x of a line is the option x): " ..
  "title, xlabel, ylabel, path (.png, .svg, .pdf), width and height (pixels, 800x500), " ..
  "log, xlog, xrange, yrange, legend (false or 'top left', 'bottom right', 'outside', ...), " ..
  "grid, font. Without a path it draws in a window when there is a display and a window " ..
  "terminal, else in the terminal (sixel where known to work, else text). Text you pass is " ..
  "always drawn literally. fit{plot = true} draws the loss as training goes. Guide: docs/plot.md.")

doc.module(P, "moneta.plot", "plot", {
  {"line", "plot.line(y [, {x, names, style, ...}]) | plot.line(frame, {x = 'date', y = {...}})",
   "Line plot of y (a vector, a list or name -> vector map); x is an option; dates: a time axis."},
  {"loss", "plot.loss(hist [, opts])",
   "Training and validation loss per epoch from fit's history or {loss = {...}, val_loss = {...}}."},
  {"forecast", "plot.forecast(actual, fc [, {x, fx, lower, upper, level, names}])",
   "Forecast against actual values with a prediction interval; fc is values or {mean, lower, upper}."},
  {"roc", "plot.roc(y_true, scores [, {name}])",
   "ROC curve with the AUC in the legend; scores may map model names to scores to compare them."},
  {"pr", "plot.pr(y_true, scores [, {name}])",
   "Precision-recall curve with the PR AUC (average precision) in the legend, and the base rate."},
  {"hist", "plot.hist(x [, {bins, density, range, kde, names}])",
   "Histogram of one or several series (overlaid); Freedman-Diaconis bins unless given."},
  {"density", "plot.density(x [, {bw, names, fill, points}])",
   "Gaussian kernel density of one or several series; bandwidth R's bw.nrd0 unless bw is given."},
  {"scatter", "plot.scatter(x, y [, {fit, by, name, size}]) | plot.scatter(frame, {x=, y=, ...})",
   "Scatter plot; fit = true adds the least-squares line with R², by colours points by group."},
  {"heatmap", "plot.heatmap(frame_or_rows [, {method, labels, values, range, matrix}])",
   "Heatmap of a frame's numeric columns' correlations (pearson or spearman), of a frame's " ..
   "values as they are (matrix = true: feat.corr's result), or of a table of rows."},
  {"equity", "plot.equity(x [, {kind = 'returns', x, bench, name, start}])",
   "Equity curve from returns, log_returns or equity values, with the drawdown beneath."},
  {"acf", "plot.acf(ts.acf(x) | {ts.acf(x), ts.pacf(x)} | x [, {lags, kind, alpha}])",
   "Correlogram bars with their bands: ts.acf/ts.pacf results, or a series (both, by ts)."},
  {"save", "plot.save(path [, {width, height, font}]) -> path",
   "Render the last plot again to a .png, .svg or .pdf file (written atomically)."},
  {"term", "plot.term([name]) -> name",
   "Query or choose where plots without a path go: auto, window, dumb, sixel, or a gnuplot terminal."},
  {"terminals", "plot.terminals() -> {names}",
   "The terminals the installed gnuplot offers, asked of it at run time."},
  {"has_window", "plot.has_window() -> boolean",
   "Whether plots can open in a window: a display and a gnuplot with qt, wxt or x11."},
  {"close", "plot.close()",
   "Stop the gnuplot process (closing its window); the next plot starts a new one."},
  {"gnuplot", "plot.gnuplot(cmds) -> output",
   "Send raw gnuplot commands UNQUOTED (they can run shell commands): only text you wrote yourself."},
})

return P
