-- moneta.nn: neural networks. Layers are descriptions; a model turns them into a graph
-- description (a plain table; model files hold it as C's declarative text) that the C core
-- builds ONCE and runs many times: fit() is the whole training loop in C. Layers called on
-- symbolic nodes build non-sequential graphs (several inputs/outputs, custom losses).
local C = require "moneta.c.nn"
local tensor = require "moneta.c.tensor"
local optim = require "moneta.optim"
local doc = require "moneta.doc"
local progress = require "moneta.progress"

local nn = {losses = {}}

-- ---- helpers ----

local check_opts = optim._check_opts         -- (opts, what, known [, level]) -> opts or {}

local function posint(v, what)
  if math.type(v) ~= "integer" or v < 1 then
    error(string.format("%s must be an integer >= 1, got %s", what, tostring(v)), 3)
  end
  return v
end

-- A string key for graph_for's cache of compiled graphs (not a storage format: model files
-- hold the architecture text made in C, C.arch).
local function cache_key(v, out)
  out = out or {}
  local t = type(v)
  if t == "table" then
    out[#out + 1] = "{"
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    for _, k in ipairs(keys) do
      out[#out + 1] = tostring(k) .. "="
      cache_key(v[k], out)
      out[#out + 1] = ","
    end
    out[#out + 1] = "}"
  elseif t == "number" then
    out[#out + 1] = math.type(v) == "integer" and tostring(v) or string.format("%.17g", v)
  else
    out[#out + 1] = t .. ":" .. tostring(v)
  end
  return out
end
local function tostr(v) return table.concat(cache_key(v)) end

local function is_tensor(x) return tensor.is(x) end

-- X (a tensor, a table of rows, or anything with :to_tensor()) -> tensor
local function as_x(X, what)
  if is_tensor(X) then return X end
  local ok, f = pcall(function() return X.to_tensor end)
  if ok and type(f) == "function" then
    local t = X:to_tensor()
    if not is_tensor(t) then error(what .. ": to_tensor() did not return a tensor", 4) end
    return t
  end
  if type(X) == "table" then
    if #X == 0 then error(what .. ": X has no rows", 4) end
    return tensor.from(X)
  end
  error(what .. ": X must be a tensor, a table of rows or a frame, got " .. type(X), 4)
end

-- y (tensor, table of numbers or rows, column or anything with __tovector) -> (N, k) tensor
local function as_y(y, what)
  if is_tensor(y) then
    if #y:shape() == 1 then return y:reshape{y:shape()[1], 1} end
    return y
  end
  if type(y) == "table" and getmetatable(y) == nil and type(y[1]) == "table" then
    return tensor.from(y)
  end
  local ok, t = pcall(tensor.vector, y)
  if not ok then error(what .. ": y must be a tensor, a column or a table of numbers", 4) end
  return t
end

-- ---- symbolic nodes and layers ----

local Node = {__name = "moneta.NetNode"}
Node.__index = Node
local uid = 0
local function node(spec, inputs, name)
  uid = uid + 1
  return setmetatable({spec = spec, inputs = inputs or {}, uid = uid, name = name or spec.op},
                      Node)
end
local function is_node(x) return getmetatable(x) == Node end
function Node.__tostring(n) return "node " .. n.name end
function Node.__add(a, b) return node({op = "add"}, {a, b}, "add") end
function Node.__sub(a, b) return node({op = "sub"}, {a, b}, "sub") end
function Node.__mul(a, b)
  if type(a) == "number" then return node({op = "scale", scale = a}, {b}, "scale") end
  if type(b) == "number" then return node({op = "scale", scale = b}, {a}, "scale") end
  return node({op = "mul"}, {a, b}, "mul")
end
function Node.__unm(a) return node({op = "scale", scale = -1}, {a}, "scale") end

local Layer = {__name = "moneta.NetLayer"}
Layer.__index = Layer
function Layer.__tostring(l) return l.name end
function Layer.__call(l, x)
  local ins = is_node(x) and {x} or x
  if type(ins) ~= "table" or #ins == 0 then error(l.name .. ": call it on a node or a list of nodes", 2) end
  for i, v in ipairs(ins) do
    if not is_node(v) then error(l.name .. ": input " .. i .. " is not a node", 2) end
  end
  return node(l.spec, ins, l.name)
end
local function layer(spec, name) return setmetatable({spec = spec, name = name}, Layer) end

local function fmtnum(x) return (string.format("%.6g", x)) end

function nn.input(shape)
  if math.type(shape) == "integer" then shape = {shape} end
  if type(shape) ~= "table" or #shape == 0 then error("input: shape expected (a number or {d1, d2, ...})", 2) end
  for _, d in ipairs(shape) do posint(d, "input: a shape extent") end
  return node({op = "input", shape = shape}, {}, "input")
end

function nn.dense(units, opts)
  posint(units, "dense: units")
  opts = check_opts(opts, "dense", {"bias", "init", "activation"})
  if opts.activation ~= nil and opts.activation ~= "relu" then
    error("dense: activation may only be 'relu' (use a separate layer for others)", 2)
  end
  return layer({op = "dense", units = units, bias = opts.bias ~= false, init = opts.init,
                act = opts.activation}, "dense(" .. units .. ")")
end
function nn.relu() return layer({op = "relu"}, "relu") end
function nn.leaky_relu(slope)
  slope = slope or 0.01
  if type(slope) ~= "number" then error("leaky_relu: slope must be a number", 2) end
  return layer({op = "leaky_relu", slope = slope}, "leaky_relu(" .. fmtnum(slope) .. ")")
end
function nn.elu(alpha)
  alpha = alpha or 1.0
  if type(alpha) ~= "number" then error("elu: alpha must be a number", 2) end
  return layer({op = "elu", alpha = alpha}, "elu(" .. fmtnum(alpha) .. ")")
end
function nn.gelu() return layer({op = "gelu"}, "gelu") end
function nn.tanh() return layer({op = "tanh"}, "tanh") end
function nn.sigmoid() return layer({op = "sigmoid"}, "sigmoid") end
function nn.softmax() return layer({op = "softmax"}, "softmax") end
function nn.flatten() return layer({op = "flatten"}, "flatten") end
function nn.dropout(p)
  if type(p) ~= "number" or not (p >= 0 and p < 1) then
    error("dropout: p must be a number in [0, 1), got " .. tostring(p), 2)
  end
  return layer({op = "dropout", p = p}, "dropout(" .. fmtnum(p) .. ")")
end
function nn.batchnorm(opts)
  opts = check_opts(opts, "batchnorm", {"eps", "momentum"})
  return layer({op = "batchnorm", eps = opts.eps, momentum = opts.momentum}, "batchnorm")
end
function nn.layernorm(opts)
  opts = check_opts(opts, "layernorm", {"eps"})
  return layer({op = "layernorm", eps = opts.eps}, "layernorm")
end
function nn.embedding(n, dim, opts)
  posint(n, "embedding: vocabulary size")
  posint(dim, "embedding: dimension")
  opts = check_opts(opts, "embedding", {"init"})
  return layer({op = "embedding", n = n, units = dim, init = opts.init},
               "embedding(" .. n .. ", " .. dim .. ")")
end
-- Functional only: a list of nodes in, a node out (a layer object would need a list anyway).
function nn.concat(nodes)
  if type(nodes) ~= "table" or is_node(nodes) or #nodes == 0 then
    error("concat: a list of nodes expected, as in nn.concat{a, b}", 2)
  end
  for i, v in ipairs(nodes) do
    if not is_node(v) then error("concat: element " .. i .. " is not a node", 2) end
  end
  return node({op = "concat"}, nodes, "concat")
end
function nn.mean(x) return node({op = "mean"}, {x}, "mean") end

-- Losses on nodes (functional graphs): nn.losses.bce(out, target, {pos_weight = 3}).
local loss_opts = {
  mse = {}, mae = {}, huber = {"delta"}, bce = {"pos_weight"}, softmax_ce = {},
  hinge = {}, quantile = {"q"}}
local loss_names = {"mse", "mae", "huber", "bce", "softmax_ce", "hinge", "quantile"}
for _, name in ipairs(loss_names) do
  nn.losses[name] = function(pred, target, opts)
    opts = check_opts(opts, name, loss_opts[name])
    if not is_node(pred) or not is_node(target) then
      error(name .. ": (prediction node, target node) expected", 2)
    end
    return node({op = name, pos_weight = opts.pos_weight, delta = opts.delta, q = opts.q},
                {pred, target}, name)
  end
end

-- ---- graph descriptions ----

-- Collect the nodes reachable from 'roots' in creation order; 'known' maps nodes already
-- in 'desc' to their index.
local function describe(roots, desc, known, number_from)
  local seen, list = {}, {}
  local function visit(n)
    if seen[n] or known[n] then return end
    seen[n] = true
    for _, i in ipairs(n.inputs) do visit(i) end
    list[#list + 1] = n
  end
  for _, r in ipairs(roots) do visit(r) end
  table.sort(list, function(a, b) return a.uid < b.uid end)
  local k = number_from or 0
  for _, n in ipairs(list) do
    local d = {}
    for key, v in pairs(n.spec) do d[key] = v end
    d.inputs = {}
    for j, i in ipairs(n.inputs) do d.inputs[j] = known[i] end
    if n.spec.op ~= "input" and n.spec.op ~= "target" then
      k = k + 1
      d.label = n.name .. " #" .. k
    else
      d.label = n.spec.op
    end
    desc[#desc + 1] = d
    known[n] = #desc
  end
  return k
end

-- ---- models ----

local Model = {__name = "moneta.Net"}
Model.__index = Model

local function new_model(m) return setmetatable(m, Model) end

--- nn.sequential{layer, ...}: the input shape is taken from the data at the first fit.
function nn.sequential(layers)
  if type(layers) ~= "table" or #layers == 0 then error("sequential: a list of layers expected", 2) end
  for i, l in ipairs(layers) do
    if getmetatable(l) ~= Layer then
      error("sequential: element " .. i .. " is not a layer (" .. type(l) .. ")", 2)
    end
  end
  return new_model{kind = "sequential", layers = layers}
end

--- nn.model{inputs = {x, ...}, outputs = {out, ...}}: a graph of layers called on nodes.
function nn.model(spec)
  check_opts(spec, "model", {"inputs", "outputs"})
  local ins = is_node(spec.inputs) and {spec.inputs} or spec.inputs
  local outs = is_node(spec.outputs) and {spec.outputs} or spec.outputs
  if type(ins) ~= "table" or #ins == 0 then error("model: inputs = {node, ...} expected", 2) end
  if type(outs) ~= "table" or #outs == 0 then error("model: outputs = {node, ...} expected", 2) end
  local desc, known = {}, {}
  for i, x in ipairs(ins) do
    if not is_node(x) or x.spec.op ~= "input" then error("model: inputs[" .. i .. "] is not nn.input", 2) end
    desc[i] = {op = "input", shape = x.spec.shape, label = "input " .. i, inputs = {}}
    known[x] = i
  end
  describe(outs, desc, known, 0)
  for i, d in ipairs(desc) do
    if d.op == "input" and i > #ins then error("model: an input node is used but not listed in inputs", 2) end
  end
  local outputs = {}
  for i, o in ipairs(outs) do outputs[i] = known[o] end
  return new_model{kind = "functional", desc = {nodes = desc, outputs = outputs, ninputs = #ins}}
end

-- Build the sequential description for data whose rows have 'shape'.
local function seq_desc(self, shape)
  local nodes = {{op = "input", shape = shape, label = "input", inputs = {}}}
  for i, l in ipairs(self.layers) do
    local d = {}
    for k, v in pairs(l.spec) do d[k] = v end
    d.inputs = {#nodes}
    d.label = l.name .. " #" .. i
    nodes[#nodes + 1] = d
  end
  return {nodes = nodes, outputs = {#nodes}, ninputs = 1}
end

local function row_shape(t)
  local s = t:shape()
  local r = {}
  for i = 2, #s do r[#r + 1] = s[i] end
  if #r == 0 then r = {1} end
  return r
end

local function ensure_desc(self, xs)
  if self.desc then return self.desc end
  self.desc = seq_desc(self, row_shape(xs[1]))
  return self.desc
end

-- X as a list of tensors, one per model input.
local function inputs_of(self, X, what)
  local n = self.desc and self.desc.ninputs or (self.kind == "sequential" and 1) or 1
  if n > 1 then
    if type(X) ~= "table" or getmetatable(X) ~= nil or #X ~= n then
      error(string.format("%s: the model has %d inputs: give X as a list of %d", what, n, n), 3)
    end
    local xs = {}
    for i = 1, n do xs[i] = as_x(X[i], what) end
    return xs
  end
  return {as_x(X, what)}
end

local function targets_of(y, nout, what)
  if nout > 1 then
    if type(y) ~= "table" or getmetatable(y) ~= nil or #y ~= nout then
      error(string.format("%s: the model has %d outputs: give y as a list of %d", what, nout, nout), 3)
    end
    local ys = {}
    for i = 1, nout do ys[i] = as_y(y[i], what) end
    return ys
  end
  return {as_y(y, what)}
end

-- The graph for 'loss' (nil = predict only); rebuilt only when the loss changes, keeping
-- the weights.
local function graph_for(self, loss, ys, opts, seed, batch)
  local desc = self.desc
  local key = "predict"
  local full = {nodes = {}, outputs = desc.outputs}
  for i, d in ipairs(desc.nodes) do full.nodes[i] = d end
  if loss ~= nil then
    local tshapes = {}
    for i, y in ipairs(ys) do tshapes[i] = row_shape(y) end
    key = tostr{loss = type(loss) == "function" and tostring(loss) or loss, t = tshapes,
                pw = opts.pos_weight, d = opts.delta, q = opts.q, w = opts.loss_weights}
    if key ~= self.gkey then
      local nodes = full.nodes
      local tids = {}
      for i = 1, #ys do
        nodes[#nodes + 1] = {op = "target", shape = tshapes[i], label = "target " .. i, inputs = {}}
        tids[i] = #nodes
      end
      if type(loss) == "function" then
        -- custom: proxies for the outputs and targets; the function returns a scalar node
        local known, outs, ts = {}, {}, {}
        for i, o in ipairs(desc.outputs) do
          outs[i] = node({op = "__ref"}, {}, "output " .. i); known[outs[i]] = o
        end
        for i, t in ipairs(tids) do
          ts[i] = node({op = "__ref"}, {}, "target " .. i); known[ts[i]] = t
        end
        local l = loss(#outs == 1 and outs[1] or outs, #ts == 1 and ts[1] or ts)
        if not is_node(l) then error("fit: the loss function must return a node (e.g. nn.losses.mse(out, y))", 4) end
        describe({l}, nodes, known, #nodes)
        full.loss = known[l]
      else
        local names = type(loss) == "string" and {loss} or loss
        if #names ~= #desc.outputs then
          error(string.format("fit: %d loss(es) for %d output(s)", #names, #desc.outputs), 4)
        end
        local total
        for i, name in ipairs(names) do
          if not loss_opts[name] then
            error("fit: unknown loss '" .. tostring(name) .. "' (mse, mae, huber, bce, " ..
                  "softmax_ce, hinge, quantile, or a function)", 4)
          end
          if i > #tids then error("fit: y has fewer targets than the model has outputs", 4) end
          nodes[#nodes + 1] = {op = name, inputs = {desc.outputs[i], tids[i]}, label = name,
                               pos_weight = opts.pos_weight, delta = opts.delta, q = opts.q}
          local l = #nodes
          local w = opts.loss_weights and opts.loss_weights[i]
          if w then
            nodes[#nodes + 1] = {op = "scale", scale = w, inputs = {l}, label = "loss weight " .. i}
            l = #nodes
          end
          if total then
            nodes[#nodes + 1] = {op = "add", inputs = {total, l}, label = "loss sum"}
            l = #nodes
          end
          total = l
        end
        full.loss = total
      end
    end
  end
  if self.g and (key == self.gkey or (loss == nil and self.g)) then return self.g end
  local g = C.graph(full)
  g:compile(batch, seed)                       -- nil: C's defaults
  if self.g then g:copy_weights(self.g) end
  self.g, self.gkey = g, key
  return g
end

local optimizers = {sgd = true, adam = true, adamw = true, rmsprop = true, adagrad = true}
local schedules = {step = true, exponential = true, cosine = true, reduce_on_plateau = true}

-- The optimizer as C reads it: nil (C's default), a name, optim.adam{...}, or a plain
-- {kind = "adam", ...}, each built (again) by its optim constructor, the one place its names
-- and values are checked.
local function optimizer_of(o)
  if o == nil then return nil end
  if type(o) == "string" then
    if not optimizers[o] then error("fit: unknown optimizer '" .. o .. "'", 4) end
    return optim[o]{}
  end
  if type(o) ~= "table" or not o.kind then error("fit: optimizer must be e.g. optim.adam{lr = 1e-3}", 4) end
  if not optimizers[o.kind] then error("fit: unknown optimizer '" .. tostring(o.kind) .. "'", 4) end
  local opts = {}
  for k, v in pairs(o) do if k ~= "kind" then opts[k] = v end end
  return optim[o.kind](opts)
end

-- The schedule likewise: optim.schedules.cosine{...} or a plain {kind = "cosine", ...}
-- ("plateau" is reduce_on_plateau's short name), through its constructor.
local function schedule_of(s)
  if s == nil then return nil end
  if type(s) ~= "table" or not s.kind then
    error("fit: schedule must be e.g. optim.schedules.cosine{}", 4)
  end
  local kind = s.kind == "plateau" and "reduce_on_plateau" or s.kind
  if not schedules[kind] then
    error("fit: unknown schedule '" .. tostring(s.kind) .. "' (step, exponential, cosine, " ..
          "reduce_on_plateau)", 4)
  end
  local opts = {}
  for k, v in pairs(s) do if k ~= "kind" then opts[k] = v end end
  return optim.schedules[kind](opts)
end

local History = {__name = "moneta.NetHistory"}
History.__index = History
function History.__tostring(h)
  local lines = {string.format("history: %d epoch(s), %s", h.epochs, h.reason)}
  local names = {"loss", "val_loss"}
  for k in pairs(h.metrics) do names[#names + 1] = k end
  table.sort(names, function(a, b) return a < b end)
  for _, k in ipairs(names) do
    local s = h[k] or h.metrics[k]
    if s and #s > 0 then lines[#lines + 1] = string.format("  %-14s %.6g (last)", k, s[#s]) end
  end
  if h.best_epoch then lines[#lines + 1] = "  best epoch     " .. h.best_epoch end
  return table.concat(lines, "\n")
end

-- Option names are checked here, the one layer that does (C reads only the keys that are
-- set and keeps every default: nn_fit_opts_init in src/nn/train.c).
local fit_known = {"loss", "optimizer", "epochs", "batch", "seed", "shuffle", "validation",
                   "early_stop", "clip_norm", "schedule", "checkpoint", "progress",
                   "progress_interval", "pos_weight", "delta", "q", "loss_weights",
                   "dashboard", "plot", "prep", "title"}
local early_stop_known = {"monitor", "patience", "min_delta", "restore_best"}
local DEFAULTS = C.fit_defaults()             -- what the faces show before C starts

--- model:fit(X, y, opts) -> history
function Model:fit(X, y, opts)
  opts = check_opts(opts, "fit", fit_known)
  if type(y) == "string" then                   -- the name of a column of X (a frame)
    local name = y
    y = X:col(name)
    X = X:drop{name}
  end
  local xs = inputs_of(self, X, "fit")
  ensure_desc(self, xs)
  local ys = targets_of(y, type(opts.loss) == "function" and (type(y) == "table" and getmetatable(y) == nil and is_tensor(y[1]) and #y or 1) or #self.desc.outputs, "fit")
  local loss = opts.loss or self.head or "mse"
  if opts.epochs ~= nil then posint(opts.epochs, "fit: epochs") end
  if opts.batch ~= nil then posint(opts.batch, "fit: batch") end
  if opts.seed ~= nil and math.type(opts.seed) ~= "integer" then
    error("fit: seed must be an integer", 2)
  end
  if opts.progress ~= nil and opts.progress ~= false and type(opts.progress) ~= "function" then
    error("fit: progress must be a function(record) or false (no progress output)", 2)
  end
  local vxs, vys, vfrac
  if type(opts.validation) == "number" then
    vfrac = opts.validation
    if not (vfrac >= 0 and vfrac < 1) then error("fit: validation must be a fraction in [0, 1) or {Xv, yv}", 2) end
  elseif type(opts.validation) == "table" then
    if #opts.validation ~= 2 then error("fit: validation = {Xv, yv} expected", 2) end
    vxs = inputs_of(self, opts.validation[1], "fit (validation)")
    vys = targets_of(opts.validation[2], #ys, "fit (validation)")
  elseif opts.validation ~= nil then
    error("fit: validation must be a fraction or {Xv, yv}", 2)
  end
  local es = opts.early_stop
  if es == true then es = {} end
  if es ~= nil and es ~= false then es = check_opts(es, "fit: early_stop", early_stop_known) end
  if es == false then es = nil end
  local g = graph_for(self, loss, ys, opts, opts.seed, opts.batch or DEFAULTS.batch)
  local o = optimizer_of(opts.optimizer)
  local copt
  if o then
    copt = {}
    for k, v in pairs(o) do copt[k] = v end
  end
  local prep = opts.prep
  if prep ~= nil and type(prep) ~= "string" then prep = prep.serialize and prep:serialize() or nil end
  if type(loss) == "string" then self.head = loss end
  local info = {task = "fit", epochs = opts.epochs or DEFAULTS.epochs,
                batch = opts.batch or DEFAULTS.batch, model = self,
                title = opts.title or self.name or "fit"}
  local h = progress.with_faces(opts, info, g.fit, g, xs, ys, {epochs = opts.epochs,
                            batch = opts.batch, seed = opts.seed, shuffle = opts.shuffle,
                            validation = vfrac, early_stop = es, clip_norm = opts.clip_norm,
                            schedule = schedule_of(opts.schedule), checkpoint = opts.checkpoint,
                            arch = C.arch(self:describe()), prep = prep, optimizer = copt,
                            progress = opts.progress,
                            progress_interval = opts.progress_interval}, vxs, vys)
  return setmetatable(h, History)
end

local function post_of(self, proba)
  local h = self.head
  if proba then
    if h == "bce" then return "sigmoid" end
    if h == "softmax_ce" then return "softmax" end
    error("predict_proba: the model is not a classifier (fit with loss = 'bce' or 'softmax_ce')", 3)
  end
  if h == "bce" or h == "hinge" then return "label01" end
  if h == "softmax_ce" then return "argmax" end
  return "none"
end

local function run_predict(self, X, post, what)
  local xs = inputs_of(self, X, what)
  ensure_desc(self, xs)
  local g = self.g or graph_for(self, nil, nil, {})
  local outs = {}
  for k = 1, #self.desc.outputs do outs[k] = g:predict(xs, k, post) end
  return table.unpack(outs)
end

--- model:predict(X): labels for classifiers (0/1 for bce, class index for softmax_ce),
--- the raw output otherwise; one tensor per output.
function Model:predict(X) return run_predict(self, X, post_of(self, false), "predict") end
--- model:predict_proba(X): probabilities (sigmoid of the logit for bce, softmax).
function Model:predict_proba(X) return run_predict(self, X, post_of(self, true), "predict_proba") end
--- model:predict_raw(X): the raw outputs (logits).
function Model:predict_raw(X) return run_predict(self, X, "none", "predict_raw") end

function Model:evaluate(X, y, opts)
  opts = check_opts(opts, "evaluate", {"loss", "pos_weight", "delta", "q", "loss_weights"})
  if type(y) == "string" then local name = y; y = X:col(name); X = X:drop{name} end
  local xs = inputs_of(self, X, "evaluate")
  ensure_desc(self, xs)
  local ys = targets_of(y, #self.desc.outputs, "evaluate")
  local loss = opts.loss or self.head
  if not loss then error("evaluate: the model has no loss yet (fit it, or give {loss = ...})", 2) end
  local g = graph_for(self, loss, ys, opts)
  return g:evaluate(xs, ys)
end

--- The architecture as a plain table (model files store it as text: C.arch, docs/nn.md).
function Model:describe()
  if not self.desc then error("describe: the model is not built yet (fit or predict first)", 2) end
  return {version = 1, kind = self.kind, head = self.head, nodes = self.desc.nodes,
          outputs = self.desc.outputs, ninputs = self.desc.ninputs}
end

local Summary = {__name = "moneta.NetSummary"}
function Summary.__tostring(s)
  local lines = {string.format("%-26s %-18s %10s", "layer", "output shape", "params"),
                 string.rep("-", 56)}
  for _, r in ipairs(s.layers) do
    lines[#lines + 1] = string.format("%-26s %-18s %10d", r.label, r.shape, r.params)
  end
  lines[#lines + 1] = string.rep("-", 56)
  lines[#lines + 1] = string.format("total parameters: %d", s.total)
  if s.head then lines[#lines + 1] = "loss: " .. s.head end
  return table.concat(lines, "\n")
end

function Model:summary()
  if not self.desc then
    if self.kind == "sequential" then
      local rows = {}
      for i, l in ipairs(self.layers) do rows[i] = {label = l.name .. " #" .. i, shape = "?", params = 0} end
      return setmetatable({layers = rows, total = 0, built = false}, Summary)
    end
  end
  local g = self.g or graph_for(self, nil, nil, {})
  local rows, total = {}, 0
  for i = 1, #self.desc.nodes do
    local n = g:node(i)
    local dims = {"B"}
    for _, d in ipairs(n.shape) do dims[#dims + 1] = tostring(d) end
    rows[#rows + 1] = {label = n.label, op = n.op, shape = "(" .. table.concat(dims, ", ") .. ")",
                       params = n.params}
    total = total + n.params
  end
  return setmetatable({layers = rows, total = total, head = self.head, built = true}, Summary)
end

function Model:__tostring()
  return tostring(self:summary())
end

--- model:save(path [, {prep = transform}])
function Model:save(path, opts)
  opts = check_opts(opts, "save", {"prep"})
  if not self.g then error("save: the model has no weights yet (fit it first)", 2) end
  local prep = opts.prep
  if prep ~= nil and type(prep) ~= "string" then
    if type(prep.serialize) ~= "function" then error("save: prep must be a string or have :serialize()", 2) end
    prep = prep:serialize()
  end
  self.g:save(path, C.arch(self:describe()), prep)
  return self
end

function Model:export_safetensors(path)
  if not self.g then error("export_safetensors: the model has no weights yet (fit it first)", 2) end
  self.g:export_safetensors(path)
  return self
end

--- The opaque transform blob saved with the model (a string), or nil.
function Model:prep_blob() return self.prep end

--- model:prune(sparsity [, {global = true}]): zero the smallest weights; the mask stays
--- through later fit() calls (fine-tuning). Returns the achieved sparsity.
function Model:prune(sparsity, opts)
  opts = check_opts(opts, "prune", {"global"})
  if type(sparsity) ~= "number" then error("prune: sparsity must be a number in [0, 1)", 2) end
  if not self.g then error("prune: the model has no weights yet (fit it first)", 2) end
  self.g:prune(sparsity, opts.global ~= false)
  return (self.g:sparsity())
end

function Model:unprune() if self.g then self.g:unmask() end return self end

--- model:sparsity() -> overall fraction of zero weights, {layer = fraction}
function Model:sparsity()
  if not self.g then return 0, {} end
  return self.g:sparsity()
end

local Report = {__name = "moneta.NetPruneReport"}
function Report.__tostring(r)
  local lines = {string.format("%-10s %-10s %s", "target", "sparsity", "val_loss")}
  for _, row in ipairs(r) do
    lines[#lines + 1] = string.format("%-10.3f %-10.4f %.6g", row.target, row.sparsity, row.val_loss)
  end
  return table.concat(lines, "\n")
end

--- model:prune_report(Xv, yv [, levels [, {global=true}]]) -> rows {target, sparsity,
--- val_loss (and metrics)}; weights are restored afterwards.
function Model:prune_report(Xv, yv, levels, opts)
  levels = levels or {0, 0.25, 0.5, 0.7, 0.8, 0.9, 0.95}
  opts = check_opts(opts, "prune_report", {"global"})
  if not self.g then error("prune_report: the model has no weights yet (fit it first)", 2) end
  local p, s, m = self.g:weights()
  local rows = {}
  for i, lv in ipairs(levels) do
    self.g:set_weights(p, s, m)
    self.g:prune(lv, opts.global ~= false)
    local ev = self:evaluate(Xv, yv)
    local row = {target = lv, sparsity = (self.g:sparsity()), val_loss = ev.loss}
    for k, v in pairs(ev) do if k ~= "loss" then row["val_" .. k] = v end end
    rows[i] = row
  end
  self.g:set_weights(p, s, m)
  return setmetatable(rows, Report)
end

--- nn.load(path) -> model: C reads the file (declarative architecture, never run), checks
--- the parameter counts, builds and compiles the graph and loads the weights.
function nn.load(path)
  if type(path) ~= "string" then error("load: path expected", 2) end
  local f = C.read(path)
  local a = f.arch
  local m = new_model{kind = a.kind, head = a.head, prep = f.prep,
                      desc = {nodes = a.nodes, outputs = a.outputs, ninputs = a.ninputs}}
  m.g, m.gkey = f.graph, "predict"
  return m
end

nn.is_model_file = C.is_model_file

doc.topic("nn", "neural networks: layers, models, fit, predict, save",
  "Build nn.sequential{nn.dense(64), nn.relu(), nn.dense(1)} or a graph with nn.input and " ..
  "layers called on nodes, then nn.model{inputs=, outputs=}. model:fit(X, y, {loss='bce', " ..
  "optimizer=optim.adam{lr=1e-3}, epochs=20, batch=256, validation=0.1, early_stop={patience=3}})" ..
  " runs the whole loop in C and returns a history. X: tensor, table of rows or frame; y: tensor, " ..
  "column or table. See docs/nn.md.")
doc.module(nn, "moneta.nn", "nn", {
  {"sequential", "nn.sequential{layer, ...} -> model", "A stack of layers; the input width comes from the data."},
  {"model", "nn.model{inputs = {x, ...}, outputs = {out, ...}} -> model", "A functional model over nodes from nn.input."},
  {"input", "nn.input(shape) -> node", "A model input with a per-sample shape (20 or {30, 4})."},
  {"dense", "nn.dense(units [, {bias=true, init='default', activation}]) -> layer",
   "Fully connected layer; init default (PyTorch), glorot, he, orthogonal, normal, zeros."},
  {"relu", "nn.relu() -> layer", "max(x, 0), elementwise."},
  {"leaky_relu", "nn.leaky_relu([slope=0.01]) -> layer", "x, or slope x below 0."},
  {"elu", "nn.elu([alpha=1]) -> layer", "x, or alpha (e^x - 1) below 0."},
  {"gelu", "nn.gelu() -> layer", "x Phi(x) (exact, as PyTorch)."},
  {"tanh", "nn.tanh() -> layer", "Hyperbolic tangent."},
  {"sigmoid", "nn.sigmoid() -> layer", "Logistic function."},
  {"softmax", "nn.softmax() -> layer", "Softmax over the last dimension."},
  {"flatten", "nn.flatten() -> layer", "(B, ...) -> (B, n)."},
  {"dropout", "nn.dropout(p) -> layer", "Zero a fraction p at training time (inverted scaling)."},
  {"batchnorm", "nn.batchnorm([{eps=1e-5, momentum=0.1}]) -> layer", "Batch normalisation over the last dimension."},
  {"layernorm", "nn.layernorm([{eps=1e-5}]) -> layer", "Layer normalisation over the last dimension."},
  {"embedding", "nn.embedding(n, dim) -> layer", "Rows of a learned (n, dim) table for integer codes 0..n-1."},
  {"concat", "nn.concat{node, ...} -> node", "Concatenate nodes along the last dimension (functional models only)."},
  {"mean", "nn.mean(node) -> node", "Mean of all elements (a scalar, for custom losses)."},
  {"load", "nn.load(path) -> model", "Read a model file written by model:save (any version; nothing in it is run)."},
  {"is_model_file", "nn.is_model_file(path) -> boolean", "Whether path starts with the model-file magic."},
})
doc.module(nn.losses, "moneta.nn.losses", "nn", {
  {"mse", "losses.mse(out, target) -> node", "Mean squared error."},
  {"mae", "losses.mae(out, target) -> node", "Mean absolute error."},
  {"huber", "losses.huber(out, target [, {delta=1}]) -> node", "Huber loss."},
  {"bce", "losses.bce(logit, target [, {pos_weight=1}]) -> node", "Binary cross-entropy on logits."},
  {"softmax_ce", "losses.softmax_ce(logits, target) -> node", "Softmax cross-entropy; target class index or one-hot."},
  {"hinge", "losses.hinge(score, target) -> node", "max(0, 1 - s y) with y in {0,1} or {-1,1}."},
  {"quantile", "losses.quantile(out, target [, {q=0.5}]) -> node", "Pinball loss for quantile q."},
})
-- Methods are documented by name (models are Lua tables).
for _, d in ipairs{
  {"fit", "model:fit(X, y, opts) -> history", "Train in C. opts: loss, optimizer (adam), epochs (10), batch (32), seed (0), shuffle, validation (fraction or {Xv, yv}), early_stop {monitor, patience (5), min_delta, restore_best}, schedule, clip_norm, checkpoint, progress (a function, or false: no progress output), progress_interval, dashboard, plot, title, prep, pos_weight, delta, q, loss_weights."},
  {"predict", "model:predict(X) -> tensor", "Labels for classifiers, raw outputs otherwise."},
  {"predict_proba", "model:predict_proba(X) -> tensor", "Probabilities (bce: sigmoid of the logit; softmax_ce: softmax)."},
  {"predict_raw", "model:predict_raw(X) -> tensor", "Raw outputs (logits)."},
  {"evaluate", "model:evaluate(X, y) -> {loss=, accuracy=, auc=, ...}", "Loss and metrics over X, y."},
  {"summary", "model:summary() -> table", "Layers, output shapes and parameter counts; prints as a table."},
  {"describe", "model:describe() -> table", "The architecture as a plain table."},
  {"save", "model:save(path [, {prep = transform}])", "Versioned, checksummed model file, written atomically."},
  {"export_safetensors", "model:export_safetensors(path)", "Weights as safetensors (F32)."},
  {"prune", "model:prune(sparsity [, {global=true}]) -> sparsity", "Magnitude pruning; the mask stays through fine-tuning."},
  {"unprune", "model:unprune()", "Drop the pruning mask."},
  {"sparsity", "model:sparsity() -> fraction, {layer = fraction}", "Zero weights overall and per layer."},
  {"prune_report", "model:prune_report(Xv, yv [, levels]) -> rows", "Validation loss at each sparsity level."},
  {"prep_blob", "model:prep_blob() -> string|nil", "The fitted-transform blob saved with the model."},
} do doc.add(Model[d[1]], "model:" .. d[1], d[2], d[3], "nn") end

doc.topic("tensor", "float32 tensors: row-major, contiguous, views share storage")
doc.module(tensor, "moneta.tensor", "tensor", {
  {"zeros", "tensor.zeros{d1, d2, ...} -> tensor", "A zero-filled float32 tensor."},
  {"from", "tensor.from(rows | values [, shape]) -> tensor", "From a table of rows, or flat values and a shape."},
  {"vector", "tensor.vector(v) -> tensor", "An (N, 1) tensor from a table of numbers, a column or a tensor."},
  {"matmul", "tensor.matmul(a, b) -> tensor", "Matrix product (OpenBLAS sgemm)."},
  {"is", "tensor.is(x) -> boolean", "Whether x is a tensor."},
})
doc.methods("moneta.Tensor", "tensor", "tensor", {
  {"shape", "t:shape() -> {d1, ...}", "The shape as a table of extents."},
  {"nrows", "t:nrows() -> n", "Extent of the first dimension (also #t)."},
  {"numel", "t:numel() -> n", "Number of elements."},
  {"get", "t:get(i [, j]) -> number", "Element (1-based); flat index without j."},
  {"set", "t:set(i, [j,] v)", "Set an element (1-based)."},
  {"rows", "t:rows(first, count) -> tensor", "A view of rows first..first+count-1 sharing storage."},
  {"gather", "t:gather(idx) -> tensor", "Copy of the rows idx (1-based)."},
  {"reshape", "t:reshape{d1, ...} -> tensor", "A view with another shape."},
  {"clone", "t:clone() -> tensor", "A copy with its own storage."},
  {"matmul", "t:matmul(b) -> tensor", "Matrix product."},
  {"totable", "t:totable([rows]) -> table", "Numbers (one column) or rows as tables."},
  {"free", "t:free()", "Release the memory now."},
  {"to_tensor", "t:to_tensor() -> tensor", "A copy (so tensors pass where frames do)."},
})

nn.Model = Model
return nn
