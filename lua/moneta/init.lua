-- moneta: the Lua module. require "moneta" returns this table; in the REPL its names are also
-- globals. C parts come from package.preload ("moneta.c.core", ...); sugar lives beside this file.
local core = require "moneta.c.core"
local doc = require "moneta.doc"

local M = {}

M.version = core.version()
M.help = doc.help
M.pretty = require("moneta.pretty").format

--- Path of a bundled dataset ("credit.csv.gz") in the installed or build-tree datasets/.
function M.dataset(name)
  local dir = core.paths().datasets_dir
  if not dir then error("dataset: no datasets/ folder found beside the binary or installed", 2) end
  if name == nil then return dir end
  local path = dir .. "/" .. name
  local f = io.open(path, "rb")
  if not f then error("dataset: no bundled dataset '" .. name .. "' in " .. dir, 2) end
  f:close()
  return path
end

--- Number of BLAS threads; threads(n) sets it.
M.threads = core.threads
M.blas_info = core.blas_info
M.gemm_bench = core.gemm_bench
--- Monotonic wall-clock seconds, for timing (os.clock counts this process's CPU only).
M.now = core.now

doc.topic("start", "getting started: load data, clean, split, fit, evaluate",
  "Load a bundled dataset with read_csv(dataset('credit.csv.gz')) or read_csv('datasets/credit.csv.gz') " ..
  "from the project folder. Print a frame to see it, :describe() to summarise it. " ..
  "help(name) explains any function; Tab completes names and methods after ':'.")
doc.topic("repl", "the REPL: expressions, completion, history, Ctrl-C",
  "Type Lua 5.4. An expression prints its value; unfinished input continues on a '>>' prompt. " ..
  "Tab completes globals, fields after '.', and methods after ':'. History is kept in " ..
  "$XDG_STATE_HOME/moneta/history. Ctrl-C abandons the line or interrupts a running " ..
  "computation; Ctrl-D exits. Run a script with 'moneta script.lua args'.")
doc.topic("system", "version, threads, BLAS and paths")

doc.add(M.version, "moneta.version", "moneta.version -> string", "The version of moneta.", "system")
doc.add(M.help, "moneta.help", "help([x])",
  "List the topics, or print the signature and doc of x (a function, an object or a topic name).",
  "repl")
doc.add(M.pretty, "moneta.pretty", "pretty(v [, width]) -> string",
  "Format a value as the REPL shows it, width-aware, long tables truncated.", "repl")
doc.add(M.dataset, "moneta.dataset", "dataset([name]) -> path",
  "Path of a bundled dataset such as 'credit.csv.gz'; with no name, the datasets folder.", "start")
doc.add(M.threads, "moneta.threads", "threads([n]) -> n",
  "Threads for BLAS and for parallel work in the core (trees, folds); threads(n) sets both.", "system")
doc.add(M.blas_info, "moneta.blas_info", "blas_info() -> {config, core, threads}",
  "OpenBLAS build configuration and the CPU kernel it chose.", "system")
doc.add(M.now, "moneta.now", "now() -> seconds",
  "Monotonic wall-clock seconds for timing code (os.clock counts CPU time of this process only).",
  "system")
doc.add(M.gemm_bench, "moneta.gemm_bench", "gemm_bench([n [, seconds]]) -> GFLOP/s",
  "Time float32 matrix products of size n (1024) for about 'seconds' (0.5); Ctrl-C stops it.",
  "system")

-- Submodules: each installs its public names into M (one line per module).
M.progress = require "moneta.progress"
require("moneta.data").install(M)
M.metrics = require "moneta.metrics"
require("moneta.ops").install(M)
require("moneta.io").install(M)
require("moneta.clean").install(M)
M.dash = require "moneta.dash"
M.tensor = require "moneta.c.tensor"
M.nn = require "moneta.nn"
M.optim = require "moneta.optim"

-- Model files of every kind: the container names its kind; each kind's module opens it.
M.ml = require "moneta.ml"
local loaders = {nn = M.nn.load, ml = M.ml.load}   -- by kind, or its prefix ("ml.linear")
local file_kind = require("moneta.c.nn").file_kind
--- moneta.load(path) -> model of any kind
function M.load(path)
  if type(path) ~= "string" then error("load: path expected", 2) end
  local ok, kind = pcall(file_kind, path)
  if not ok then error("load: " .. tostring(kind), 2) end
  local open = loaders[kind] or loaders[kind:match("^[^.]+")]
  if open == nil then
    error(string.format("load: %s holds a model of kind '%s', which this moneta cannot open " ..
                        "(it opens: nn, ml.*)", path, kind), 2)
  end
  return open(path)
end
doc.add(M.load, "moneta.load", "load(path) -> model",
  "Open a model file of any kind (nets, ml.*), as its container's kind says.", "nn")
M.plot = require "moneta.plot"
M.ts = require "moneta.ts"
M.feat = require "moneta.feat"

return M
