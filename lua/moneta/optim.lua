-- moneta.optim: optimizer and learning-rate schedule descriptions for nn fit(). They are
-- plain tables the C training loop reads ({kind = "adam", lr = ...}); the state (moments)
-- lives in C for the length of one fit() call.
local doc = require "moneta.doc"

local O = {schedules = {}}

local Optim = {}
Optim.__index = Optim
Optim.__name = "moneta.Optimizer"
function Optim.__tostring(o)
  local parts = {}
  for _, k in ipairs{"lr", "momentum", "nesterov", "beta1", "beta2", "alpha", "eps",
                     "weight_decay"} do
    if o[k] ~= nil then parts[#parts + 1] = k .. "=" .. tostring(o[k]) end
  end
  return o.kind .. "{" .. table.concat(parts, ", ") .. "}"
end

-- The one option checker of the nn side (nn.lua uses it as optim._check_opts): nil -> {},
-- else a table whose keys are all in 'known'. 'level' is error()'s, counted from here
-- (default 3: whoever called the function that calls check_opts).
local function check_opts(opts, what, known, level)
  -- not a tail call, so error levels count this frame
  local checked = require("moneta.opts").check(opts, what, known, (level or 3) + 1)
  return checked
end
O._check_opts = check_opts

-- Known names, and numbers >= 0 except the two that are not numbers. Called as
-- user -> O.adam -> make -> check: errors point at the user's line.
local function check(opts, what, known)
  opts = check_opts(opts, what, known, 5)
  for k, v in pairs(opts) do
    if k ~= "nesterov" and k ~= "betas" and (type(v) ~= "number" or v < 0 or v ~= v) then
      error(string.format("%s: option '%s' must be a number >= 0, got %s", what, k,
                          tostring(v)), 4)
    end
  end
  return opts
end

-- Every value check of an optimizer is here, where the user wrote it: fit() passes each
-- optimizer through its constructor again, and the C loop only reads the fields.
local function make(kind, opts, known)
  opts = check(opts, kind, known)
  local o = setmetatable({kind = kind}, Optim)
  for k, v in pairs(opts) do o[k] = v end
  if opts.betas then
    local b = opts.betas
    if type(b) ~= "table" or #b ~= 2 or type(b[1]) ~= "number" or type(b[2]) ~= "number" then
      error(kind .. ": betas must be {beta1, beta2}", 3)
    end
    o.beta1, o.beta2, o.betas = b[1], b[2], nil
  end
  if o.lr ~= nil and o.lr <= 0 then error(kind .. ": lr must be > 0", 3) end
  for _, k in ipairs{"beta1", "beta2", "alpha"} do
    if o[k] ~= nil and not (o[k] >= 0 and o[k] < 1) then
      error(string.format("%s: %s must be in [0, 1), got %s", kind, k, tostring(o[k])), 3)
    end
  end
  if o.nesterov ~= nil and type(o.nesterov) ~= "boolean" then
    error(kind .. ": nesterov must be true or false", 3)
  end
  if o.nesterov and not ((o.momentum or 0) > 0) then
    error(kind .. ": nesterov needs momentum > 0", 3)
  end
  return o
end

-- The constructors' "return (make(...))" is not a tail call: the error levels above count
-- on the constructor's frame being there.
function O.sgd(opts)
  return (make("sgd", opts, {"lr", "momentum", "nesterov", "weight_decay"}))
end
function O.adam(opts)
  return (make("adam", opts, {"lr", "betas", "beta1", "beta2", "eps", "weight_decay"}))
end
function O.adamw(opts)
  return (make("adamw", opts, {"lr", "betas", "beta1", "beta2", "eps", "weight_decay"}))
end
function O.rmsprop(opts)
  return (make("rmsprop", opts, {"lr", "alpha", "eps", "momentum", "weight_decay"}))
end
function O.adagrad(opts)
  return (make("adagrad", opts, {"lr", "eps", "weight_decay"}))
end

local function sched(kind, opts, known)
  opts = check(opts, kind, known)
  local s = {kind = kind}
  for k, v in pairs(opts) do s[k] = v end
  return setmetatable(s, {__name = "moneta.Schedule", __tostring = function()
    return "schedule " .. kind end})
end
function O.schedules.step(opts) return (sched("step", opts, {"step_size", "gamma"})) end
function O.schedules.exponential(opts) return (sched("exponential", opts, {"gamma"})) end
function O.schedules.cosine(opts) return (sched("cosine", opts, {"t_max", "eta_min"})) end
function O.schedules.reduce_on_plateau(opts)
  return (sched("reduce_on_plateau", opts, {"factor", "patience", "threshold", "min_lr"}))
end

doc.topic("optim", "optimizers and learning-rate schedules for neural networks",
  "Pass one as fit{optimizer = optim.adam{lr = 1e-3}}; schedules as fit{schedule = " ..
  "optim.schedules.cosine{}}. Update rules follow PyTorch; weight_decay is L2 added to the " ..
  "gradient, except adamw (decoupled). Clip gradients with fit{clip_norm = 1}.")
doc.module(O, "moneta.optim", "optim", {
  {"sgd", "optim.sgd{lr=0.01, momentum=0, nesterov=false, weight_decay=0}",
   "Stochastic gradient descent, with (Nesterov) momentum."},
  {"adam", "optim.adam{lr=1e-3, betas={0.9, 0.999}, eps=1e-8, weight_decay=0}",
   "Adam; weight_decay adds an L2 term to the gradient."},
  {"adamw", "optim.adamw{lr=1e-3, betas={0.9, 0.999}, eps=1e-8, weight_decay=0.01}",
   "Adam with decoupled weight decay."},
  {"rmsprop", "optim.rmsprop{lr=1e-3, alpha=0.99, eps=1e-8, momentum=0, weight_decay=0}",
   "RMSprop: scaled by a running mean of squared gradients."},
  {"adagrad", "optim.adagrad{lr=1e-3, eps=1e-10, weight_decay=0}", "Adagrad: per-parameter rates from summed squared gradients."},
})
doc.module(O.schedules, "moneta.optim.schedules", "optim", {
  {"step", "schedules.step{step_size=10, gamma=0.1}", "lr * gamma every step_size epochs."},
  {"exponential", "schedules.exponential{gamma=0.95}", "lr * gamma^epoch."},
  {"cosine", "schedules.cosine{t_max=epochs, eta_min=0}",
   "Cosine annealing from lr to eta_min over t_max epochs."},
  {"reduce_on_plateau", "schedules.reduce_on_plateau{factor=0.1, patience=10, threshold=1e-4, min_lr=0}",
   "lr * factor when the monitored value (early_stop.monitor or val_loss) stalls."},
})

return O
