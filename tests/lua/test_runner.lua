-- tests/lua/test_runner.lua: the Lua test runner itself (tests/lua/T.lua). A skipped case is
-- counted as skipped, never as passed; the exit status is 1 on a failure, 77 (ctest's
-- SKIP_RETURN_CODE) when every case skipped, 0 otherwise. Expected lines worked by hand.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local bin = arg[-1]
local here = arg[0]:match("(.*/)") or "./"
local tmp = T.tmpdir()

-- Run a test file made of 'body' under moneta; returns its exit code, stdout and stderr.
local function run(name, body)
  local script, out, err = tmp .. "/" .. name .. ".lua", tmp .. "/runner.out", tmp .. "/runner.err"
  local f = assert(io.open(script, "wb"))
  f:write(string.format("local T = dofile(%q)\n%s\nT.done()\n", here .. "T.lua", body))
  f:close()
  local _, how, code = os.execute(string.format("%s %s > %s 2> %s", bin, script, out, err))
  local function slurp(p) local h = io.open(p); local s = h:read("a"); h:close(); return s end
  return how == "exit" and code or -1, slurp(out), slurp(err)
end

T.case("runner-1.1 pass, fail and skip are counted apart; a failure exits 1", function()
  local code, out, err = run("mixed", [[
T.case("a", function() T.skip("no gnuplot") end)
T.case("b", function() T.eq(1, 1) end)
T.case("c", function() T.eq(1, 2) end)]])
  T.eq(code, 1)
  T.eq(out, "1 passed, 1 failed, 1 skipped\n")
  T.truthy(err:find("SKIP a: no gnuplot", 1, true), err)
  T.truthy(err:find("FAIL c", 1, true), err)
end)

T.case("runner-1.2 the rest of a case after T.skip does not run", function()
  local code, out = run("rest", [[
T.case("a", function() T.skip("later") error("ran on") end)
T.case("b", function() end)]])
  T.eq(code, 0)                                  -- one passed: not all skipped
  T.eq(out, "1 passed, 0 failed, 1 skipped\n")
end)

T.case("runner-1.3 a file whose cases all skipped, or that skips itself, exits 77", function()
  local code, out = run("allskip", [[T.case("a", function() T.skip("no terminal") end)]])
  T.eq(code, 77)
  T.eq(out, "0 passed, 0 failed, 1 skipped\n")
  local code2, out2, err2 = run("skipfile", [[T.skip_file("gnuplot is not installed")
T.case("a", function() error("must not run") end)]])
  T.eq(code2, 77)
  T.eq(out2, "0 passed, 0 failed, 0 skipped\n")
  T.truthy(err2:find("SKIP (whole file): gnuplot is not installed", 1, true), err2)
end)

T.case("runner-1.4 an error value that is a table still fails the case", function()
  local code, out = run("tableerr", [[T.case("a", function() error({}) end)]])
  T.eq(code, 1)
  T.eq(out, "0 passed, 1 failed, 0 skipped\n")
end)

T.done()
