-- tests/lua/test_cli.lua: the moneta command as a script runner (issue 2, item 4): the arg
-- table, -e, -i, --help, --version and the exit statuses 0 / 1 / 2.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local bin = arg[-1]            -- the interpreter, as the standalone lua sets arg[-1]
local tmp = T.tmpdir()

local function run(cmdline, stdin)
  local out, err = tmp .. "/cli.out", tmp .. "/cli.err"
  local cmd = string.format("%s > %s 2> %s", cmdline, out, err)
  if stdin then                  -- through a file: no shell quoting can change the input
    local inp = tmp .. "/cli.in"
    local f = assert(io.open(inp, "wb")); f:write(stdin); f:close()
    cmd = string.format("%s < %s", cmd, inp)
  end
  local ok, how, code = os.execute(cmd)
  local function slurp(p) local f = io.open(p); local s = f:read("a"); f:close(); return s end
  return (how == "exit") and code or -1, slurp(out), slurp(err)
end

local function write(path, text)
  local f = assert(io.open(path, "w")); f:write(text); f:close()
end

T.case("cli-1.1 arg is set as the standalone lua sets it", function()
  local script = tmp .. "/args.lua"
  write(script, 'print(arg[0], arg[1], arg[2], #arg, select("#", ...), ...)\n')
  local code, out = run(string.format("%s %s alpha 'b c'", bin, script))
  T.eq(code, 0)
  T.eq(out, script .. "\talpha\tb c\t2\t2\talpha\tb c\n")
  -- the same script under the standalone lua gives the same line (reference behaviour)
  local f = io.popen(string.format("lua5.4 %s alpha 'b c' 2>/dev/null", script))
  local ref = f:read("a"); f:close()
  if ref == "" then T.skip("no lua5.4 for the reference line (the moneta checks passed)") end
  T.eq(out, ref)
end)

T.case("cli-1.2 a script error exits 1 with file:line on stderr", function()
  local script = tmp .. "/bad.lua"
  write(script, "local x = 1\nerror('it broke')\n")
  local code, _, err = run(bin .. " " .. script)
  T.eq(code, 1)
  T.truthy(err:find(script .. ":2: it broke", 1, true), "message names file:line: " .. err)
end)

T.case("cli-1.3 a syntax error in the script exits 1 naming the line", function()
  local script = tmp .. "/syntax.lua"
  write(script, "x = = 2\n")
  local code, _, err = run(bin .. " " .. script)
  T.eq(code, 1)
  T.truthy(err:find(script .. ":1:", 1, true), err)
end)

T.case("cli-1.4 bad usage exits 2", function()
  T.eq((run(bin .. " --no-such-option")), 2)
  T.eq((run(bin .. " -e")), 2)
end)

T.case("cli-1.5 a missing script exits 1 and says so", function()
  local code, _, err = run(bin .. " " .. tmp .. "/does-not-exist.lua")
  T.eq(code, 1)
  T.truthy(err:find("does-not-exist.lua", 1, true), err)
end)

T.case("cli-1.6 -e runs code with moneta's names as globals; --version; --help", function()
  local code, out = run(bin .. [[ -e "print(1 + 1, type(help), type(moneta.frame))"]])
  T.eq(code, 0)
  T.eq(out, "2\tfunction\tfunction\n")
  code, out = run(bin .. " --version")
  T.eq(code, 0)
  T.truthy(out:match("^moneta %d+%.%d+%.%d+"), out)
  code, out = run(bin .. " --help")
  T.eq(code, 0)
  T.truthy(out:find("usage:", 1, true) and out:find("-i", 1, true), out)
end)

T.case("cli-1.7 Lua's own globals are not shadowed by moneta names", function()
  local code, out = run(bin .. [[ -e "print(load == moneta.load, type(load('return 1')))"]])
  T.eq(code, 0)
  T.eq(out, "false\tfunction\n")
end)

T.case("cli-1.8 -i runs the script then reads commands from stdin", function()
  local script = tmp .. "/setx.lua"
  write(script, "x = 20\n")
  local code, out = run(string.format("%s -i %s", bin, script), "x + 1\n")
  T.eq(code, 0)
  T.truthy(out:find("21", 1, true), out)
end)

T.case("cli-1.9 '-' runs standard input as a script", function()
  local code, out = run(bin .. " -", "print(6 * 7)")
  T.eq(code, 0)
  T.eq(out, "42\n")
end)

T.case("cli-1.10 --frames and --clock take exact names and checked values", function()
  T.eq((run(bin .. " --framesX 3 -e 1")), 2)            -- not a prefix match
  T.eq((run(bin .. " --clockwork x -e 1")), 2)
  T.eq((run(bin .. " --frames 0 -e 1")), 2)
  T.eq((run(bin .. " --clock 2024-01-01 -e 1")), 2)     -- needs fixed:
  local code, out = run(bin .. " --frames=2 --clock fixed:2024-01-02T00:00:00Z -e 'print(1)' -e 'print(2)'")
  T.eq(code, 0)
  T.eq(out, "1\n2\n")                                    -- -e chunks run in order
end)

T.case("cli-1.11 stdin reaches the program byte for byte", function()
  -- a backslash, a dollar and backquotes would be changed by shell quoting
  local code, out = run(bin .. " -", 'print([[a\\b $HOME `x`]])\n')
  T.eq(code, 0)
  T.eq(out, "a\\b $HOME `x`\n")
end)

T.done()
