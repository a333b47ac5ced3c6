-- T.lua: the tiny case/assert helper of the Lua tests. A test file does
--   local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
--   T.case("frame-3.1 dropna removes rows with any NaN", function() ... end)
--   T.done()
-- and the last line printed is "N passed, N failed, N skipped"; the exit status is 1 on any
-- failure, 77 (ctest's SKIP_RETURN_CODE) when every case was skipped, else 0. A case that
-- cannot run here (no gnuplot, no terminal, ...) calls T.skip(reason): it counts as skipped,
-- never as passed. T.skip_file(reason) skips the whole file at once.
local T = {passed = 0, failed = 0, skipped = 0}

local SKIP = {}                          -- the marker T.skip raises (a unique table)

local function show(v)
  if type(v) == "string" then return string.format("%q", v) end
  return tostring(v)
end

local function deep_eq(a, b, seen)
  if a == b then return true end
  if type(a) == "number" and type(b) == "number" then return a ~= a and b ~= b end
  if type(a) ~= "table" or type(b) ~= "table" then return false end
  seen = seen or {}
  if seen[a] == b then return true end
  seen[a] = b
  for k, v in pairs(a) do if not deep_eq(v, b[k], seen) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end

function T.case(name, fn)
  local ok, err = xpcall(fn, function(e)
    if type(e) == "table" and e[SKIP] then return e end
    return debug.traceback(e, 2)
  end)
  if ok then
    T.passed = T.passed + 1
  elseif type(err) == "table" and err[SKIP] then
    T.skipped = T.skipped + 1
    io.stderr:write("SKIP ", name, ": ", err.reason, "\n")
  else
    T.failed = T.failed + 1
    io.stderr:write("FAIL ", name, "\n  ", tostring(err):gsub("\n", "\n  "), "\n")
  end
end

function T.eq(got, want, what)
  if not deep_eq(got, want) then
    error(string.format("%sexpected %s, got %s", what and (what .. ": ") or "",
                        show(want), show(got)), 2)
  end
end

function T.near(got, want, tol, what)
  tol = tol or 1e-12
  if type(got) ~= "number" or not (math.abs(got - want) <= tol or (got ~= got and want ~= want)) then
    error(string.format("%sexpected %.17g (tol %g), got %s", what and (what .. ": ") or "",
                        want, tol, show(got)), 2)
  end
end

function T.truthy(v, what)
  if not v then error((what or "condition") .. " is false", 2) end
end

-- fn must raise an error whose message contains 'substr' (plain text).
function T.raises(fn, substr)
  local ok, err = pcall(fn)
  if ok then error("expected an error containing " .. show(substr) .. ", got none", 2) end
  if substr and not tostring(err):find(substr, 1, true) then
    error("expected an error containing " .. show(substr) .. ", got " .. show(tostring(err)), 2)
  end
  return err
end

-- Stop the running case and report it skipped: it cannot run here, for 'reason'.
function T.skip(reason)
  error({[SKIP] = true, reason = tostring(reason or "no reason given")}, 0)
end

-- Skip the whole file (before its cases): prints the summary line and exits 77.
function T.skip_file(reason)
  io.stderr:write("SKIP (whole file): ", tostring(reason), "\n")
  T.done(1)
end

-- A scratch directory for files a test writes.
function T.tmpdir()
  local dir = os.getenv("MONETA_TEST_TMP") or "/tmp"
  os.execute("mkdir -p '" .. dir .. "'")
  return dir
end

-- The summary line and the exit status. 'all_skipped' (T.skip_file) counts the file as
-- skipped even with no case run.
function T.done(all_skipped)
  print(string.format("%d passed, %d failed, %d skipped", T.passed, T.failed, T.skipped))
  if T.failed > 0 then os.exit(1) end
  if all_skipped or (T.skipped > 0 and T.passed == 0) then os.exit(77) end
end

return T
