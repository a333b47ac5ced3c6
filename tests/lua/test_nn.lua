-- test_nn.lua: moneta.nn through the public Lua names: models, fit, predict, save/load,
-- errors naming layers and shapes, Ctrl-C through a progress callback, pruning, help.
local T = dofile((arg[0]:match("(.*/)") or "./") .. "T.lua")
local m = require "moneta"
local nn, optim = m.nn, m.optim

local XOR_X = {{0, 0}, {0, 1}, {1, 0}, {1, 1}}
local XOR_Y = {0, 1, 1, 0}

local function xor_net()
  return nn.sequential{nn.dense(8), nn.tanh(), nn.dense(1)}
end

-- A noisy linear rule: y = 1[x . w + noise > 0], 10% of the labels flipped.
local function linear_data(n, seed)
  local X, y, state = {}, {}, seed
  local function rnd() state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648 end
  for i = 1, n do
    local r = {}
    for j = 1, 5 do r[j] = rnd() * 2 - 1 end
    local s = 1.5 * r[1] - r[2] + 0.5 * r[3]
    y[i] = s > 0 and 1 or 0
    if rnd() < 0.1 then y[i] = 1 - y[i] end
    X[i] = r
  end
  return X, y
end

T.case("nn-1.1 XOR is learned to 100% accuracy", function()
  local net = xor_net()
  local h = net:fit(XOR_X, XOR_Y, {loss = "bce", optimizer = optim.adam{lr = 0.05},
                                   epochs = 400, batch = 4, seed = 1})
  T.eq(h.epochs, 400)
  T.eq(h.reason, "completed")
  T.eq(net:predict(XOR_X):totable(), {0, 1, 1, 0})
  T.eq(net:evaluate(XOR_X, XOR_Y).accuracy, 1.0)
  local p = net:predict_proba(XOR_X):totable()
  T.truthy(p[1] < 0.2 and p[2] > 0.8, "probabilities")
end)

T.case("nn-1.2 a noisy linear rule reaches 85% held-out accuracy", function()
  local X, y = linear_data(3000, 11)
  local Xt, yt = {}, {}
  for i = 2501, 3000 do Xt[#Xt + 1], yt[#yt + 1] = X[i], y[i] end
  for i = 3000, 2501, -1 do X[i], y[i] = nil, nil end
  local net = nn.sequential{nn.dense(16), nn.relu(), nn.dropout(0.1), nn.dense(1)}
  local h = net:fit(X, y, {loss = "bce", epochs = 30, batch = 64, seed = 3, validation = 0.2,
                           early_stop = {patience = 5}})
  T.truthy(#h.val_loss == h.epochs and #h.loss == h.epochs and #h.lr == h.epochs, "series")
  T.truthy(h.metrics.val_auc and h.metrics.accuracy, "metrics")
  T.truthy(h.best_epoch >= 1, "best epoch")
  local ev = net:evaluate(Xt, yt)
  T.truthy(ev.accuracy > 0.85, "accuracy " .. ev.accuracy)
  T.truthy(ev.auc > 0.85, "auc " .. ev.auc)
end)

T.case("nn-1.3 the same seed gives identical weights; another seed does not", function()
  local X, y = linear_data(500, 5)
  local function train(seed)
    local net = nn.sequential{nn.dense(8), nn.relu(), nn.dropout(0.2), nn.dense(1)}
    net:fit(X, y, {loss = "bce", epochs = 3, batch = 32, seed = seed})
    return net:predict_raw(X):totable()
  end
  T.eq(train(7), train(7))
  T.truthy(train(7)[1] ~= train(8)[1], "different seeds differ")
end)

T.case("nn-1.4 save then load gives identical predictions and the prep blob", function()
  local dir = T.tmpdir()
  local X, y = linear_data(300, 9)
  local net = nn.sequential{nn.dense(8), nn.batchnorm(), nn.gelu(), nn.dense(1)}
  net:fit(X, y, {loss = "bce", epochs = 3, batch = 32, seed = 1})
  local prep = {serialize = function() return "fitted-transform-bytes" end}
  net:save(dir .. "/t.mdl", {prep = prep})
  T.truthy(nn.is_model_file(dir .. "/t.mdl"), "magic")
  local back = m.load(dir .. "/t.mdl")
  T.eq(back:predict_proba(X):totable(), net:predict_proba(X):totable())
  T.eq(back:prep_blob(), "fitted-transform-bytes")
  T.eq(back:summary().total, net:summary().total)
  net:export_safetensors(dir .. "/t.safetensors")
  local f = io.open(dir .. "/t.safetensors", "rb")
  local head = f:read(8)
  local n = string.unpack("<I8", head)
  local json = f:read(n)
  f:close()
  T.truthy(json:find('"dense_1.weight":{"dtype":"F32","shape":[8,5]', 1, true), json)
  T.truthy(json:find('batchnorm_2.running_var', 1, true), "running stats exported")
  T.raises(function() nn.load(dir .. "/nope.mdl") end, "nope.mdl")
end)

T.case("nn-2.1 wrong shapes and bad options name the layer and the shapes", function()
  local X = {}
  for i = 1, 10 do X[i] = {} for j = 1, 20 do X[i][j] = i + j end end
  local y = {}
  for i = 1, 10 do y[i] = i % 2 end
  local net = nn.sequential{nn.dense(64), nn.relu(), nn.dense(1)}
  net:fit(X, y, {loss = "bce", epochs = 1, batch = 4})
  local X19 = {}
  for i = 1, 3 do X19[i] = {} for j = 1, 19 do X19[i][j] = 0 end end
  T.raises(function() net:predict(X19) end, "dense(64) #1: input has 19 features, expected 20")
  T.raises(function() net:fit(X, {1, 0}, {loss = "bce"}) end, "y has 2 rows, X has 10")
  T.raises(function() net:fit(X, y, {loss = "bce", epochz = 3}) end, "unknown option 'epochz'")
  T.raises(function() net:fit(X, y, {loss = "nope"}) end, "unknown loss 'nope'")
  T.raises(function() nn.dropout(1.5) end, "dropout: p must be")
  T.raises(function() nn.dense(0) end, "dense: units must be an integer >= 1")
  T.raises(function() optim.adam{lr = -1} end, "adam: option 'lr' must be a number >= 0")
  T.raises(function() optim.sgd{momentum = 0.9, nesterovv = true} end, "unknown option 'nesterovv'")
  T.raises(function() nn.sequential{nn.dense(4), nn.dense(2, {init = "bogus"})}:fit(X, y) end,
           "dense(2) #2: unknown init 'bogus'")
  T.raises(function() net:fit(X, y, {loss = "bce", early_stop = {monitor = "val_auc"}}) end,
           "cannot monitor 'val_auc'")
  local a, b = nn.input{3, 2}, nn.input(4)
  local ok, err = pcall(function()
    local mm = nn.model{inputs = {a, b}, outputs = {nn.concat{a, b}}}
    mm:predict({m.tensor.zeros{1, 3, 2}, m.tensor.zeros{1, 4}})
  end)
  T.truthy(not ok and err:find("concat #1: input 2 has shape (4,), not compatible with (3, 2)", 1, true), err)
end)

T.case("nn-2.2 Ctrl-C in a progress callback stops after the batch, keeping best weights", function()
  local X, y = linear_data(400, 3)
  local net = nn.sequential{nn.dense(8), nn.relu(), nn.dense(1)}
  local calls = 0
  local ckpt = T.tmpdir() .. "/best.mdl"     -- written at each improvement: the best epoch
  local h = net:fit(X, y, {loss = "bce", epochs = 5, batch = 20, seed = 1, validation = 0.25,
    progress_interval = 0, checkpoint = ckpt,
    progress = function(p)
      calls = calls + 1
      if p.phase == "batch" and p.epoch == 3 and p.step == 2 then require("moneta.c.nn").interrupt() end
    end})
  T.truthy(h.stopped_early, "stopped")
  T.eq(h.interrupted, true)
  T.truthy(h.reason:find("interrupted at epoch 3, batch 3 of 15", 1, true), h.reason)
  T.eq(h.epochs, 3)
  T.truthy(h.best_epoch == 1 or h.best_epoch == 2, "best epoch " .. tostring(h.best_epoch))
  T.truthy(calls > 10, "progress called")
  -- the model is still usable
  T.eq(#net:predict(X):totable(), 400)
  -- and holds the best epoch's weights, not those of the cut epoch 3: the same predictions
  -- as the checkpoint of the best epoch, and its validation loss (the last 100 rows)
  T.eq(net:predict_raw(X):totable(), m.load(ckpt):predict_raw(X):totable())
  local Xv, yv = {}, {}
  for i = 301, 400 do Xv[#Xv + 1], yv[#yv + 1] = X[i], y[i] end
  T.near(net:evaluate(Xv, yv).loss, h.best_value, 1e-6, "val_loss of the best epoch")
  T.near(h.val_loss[h.best_epoch], h.best_value, 0)
end)

T.case("nn-2.3 a NaN loss stops with a message naming epoch and batch", function()
  local X = {{1, 2}, {3, 4}, {0 / 0, 1}, {1, 1}}
  local net = nn.sequential{nn.dense(2), nn.dense(1)}
  local h = net:fit(X, {0, 1, 0, 1}, {loss = "mse", epochs = 2, batch = 1, shuffle = false})
  T.truthy(h.reason:find("loss is NaN at epoch 1, batch 3 of 4", 1, true), h.reason)
  T.truthy(h.stopped_early, "stopped")
  T.eq(h.interrupted, false)
end)

T.case("nn-2.4 a bad progress_interval raises and leaves the progress listener alone", function()
  local reg = debug.getregistry()
  local before = reg["moneta.progress"]
  T.truthy(type(before) == "function", "a dispatcher is installed")
  local net = nn.sequential{nn.dense(2), nn.dense(1)}
  local called = false
  T.raises(function()
    net:fit(XOR_X, XOR_Y, {loss = "bce", epochs = 1, progress_interval = "x",
                           progress = function() called = true end})
  end, "progress_interval")
  T.truthy(rawequal(reg["moneta.progress"], before), "the original dispatcher is back")
  T.truthy(not called, "the per-fit function never ran")
end)

T.case("nn-2.5 optimizer values are checked once, when built, whatever the way in", function()
  T.raises(function() optim.sgd{nesterov = true} end, "sgd: nesterov needs momentum > 0")
  T.raises(function() optim.adam{betas = {0.9, 1}} end, "adam: beta2 must be in [0, 1), got 1")
  T.raises(function() optim.adam{betas = {0.9}} end, "adam: betas must be {beta1, beta2}")
  T.raises(function() optim.rmsprop{alpha = 1.5} end, "rmsprop: alpha must be in [0, 1)")
  T.raises(function() optim.adam{lr = 0} end, "adam: lr must be > 0")
  -- one option checker for nn and optim; its errors point at the caller's line
  T.raises(function() optim.adam{lrr = 1} end, "test_nn.lua:")
  T.raises(function() optim.schedules.step{foo = 1} end, "test_nn.lua:")
  T.raises(function() nn.dense(3, {foo = 1}) end, "test_nn.lua:")
  T.raises(function() optim.adam{lrr = 1} end, "adam: unknown option 'lrr'")
  T.raises(function() nn.dense(3, {foo = 1}) end, "dense: unknown option 'foo'")
  T.raises(function() nn.dense(3, 7) end, "dense: options must be a table, got number")
  local net = xor_net()
  local function fit(o)
    return net:fit(XOR_X, XOR_Y, {loss = "bce", epochs = 3, batch = 4, seed = 1, optimizer = o})
  end
  -- plain tables go through the same constructors
  T.raises(function() fit{kind = "adam", lr = 0} end, "adam: lr must be > 0")
  T.raises(function() fit{kind = "sgd", nesterov = true} end, "sgd: nesterov needs momentum > 0")
  T.raises(function() fit{kind = "adam", alpha = 0.5} end, "adam: unknown option 'alpha'")
  T.raises(function() fit{kind = "nope"} end, "fit: unknown optimizer 'nope'")
  T.raises(function() fit("schedules") end, "fit: unknown optimizer 'schedules'")
  T.eq(fit{kind = "adam", lr = 0.01}.reason, "completed")
  -- betas and rmsprop's alpha reach the C loop
  local function loss_with(o)
    local n = xor_net()
    return n:fit(XOR_X, XOR_Y, {loss = "bce", epochs = 5, batch = 4, seed = 1,
                                optimizer = o}).loss[5]
  end
  T.truthy(loss_with(optim.adam{betas = {0.5, 0.9}}) ~= loss_with(optim.adam{}), "betas")
  T.truthy(loss_with(optim.rmsprop{alpha = 0.5}) ~= loss_with(optim.rmsprop{}), "alpha")
end)

T.case("nn-3.1 functional model: two inputs, embedding, concat, custom loss", function()
  local x = nn.input(3)
  local c = nn.input(1)
  local e = nn.embedding(4, 2)(c)
  local h = nn.relu()(nn.dense(8)(nn.concat{x, e}))
  local out = nn.dense(1)(h)
  local model = nn.model{inputs = {x, c}, outputs = {out}}
  local X, C, y = {}, {}, {}
  for i = 1, 200 do
    X[i] = {math.sin(i), math.cos(i), (i % 7) / 7}
    C[i] = {i % 4}
    y[i] = X[i][1] + (C[i][1] == 2 and 1 or 0)
  end
  local hist = model:fit({X, C}, y, {
    loss = function(o, t) return nn.losses.mse(o, t) + 0.1 * nn.losses.mae(o, t) end,
    epochs = 60, batch = 20, seed = 2, optimizer = optim.adam{lr = 0.02}})
  T.truthy(hist.loss[#hist.loss] < 0.3 * hist.loss[1], "loss falls")
  local s = tostring(model:summary())
  T.truthy(s:find("embedding(4, 2)", 1, true) and s:find("concat", 1, true), s)
end)

T.case("nn-3.2 every loss, optimizer and schedule runs; softmax classifier", function()
  local X, y = linear_data(200, 1)
  for _, loss in ipairs{"mse", "mae", "huber", "hinge", "quantile"} do
    local net = nn.sequential{nn.dense(4), nn.leaky_relu(), nn.layernorm(), nn.elu(), nn.dense(1)}
    local h = net:fit(X, y, {loss = loss, epochs = 2, batch = 50, q = 0.3})
    T.truthy(h.loss[2] == h.loss[2], loss)
  end
  for _, o in ipairs{optim.sgd{lr = 0.1, momentum = 0.9, nesterov = true}, optim.adamw{},
                     optim.rmsprop{}, optim.adagrad{lr = 0.1}, optim.adam{weight_decay = 1e-4}} do
    local net = nn.sequential{nn.dense(4, {init = "orthogonal"}), nn.sigmoid(), nn.dense(1, {init = "he"})}
    local h = net:fit(X, y, {loss = "bce", epochs = 3, batch = 50, optimizer = o, clip_norm = 1,
                             pos_weight = 2, schedule = optim.schedules.cosine{}})
    T.truthy(h.loss[3] == h.loss[3], tostring(o))
    T.truthy(h.lr[3] < h.lr[1], "cosine lr falls")
  end
  local net = nn.sequential{nn.dense(4), nn.relu(), nn.dense(1)}
  local h = net:fit(X, y, {loss = "bce", epochs = 4, batch = 50,
                           schedule = optim.schedules.step{step_size = 2, gamma = 0.5}})
  T.near(h.lr[3], h.lr[1] * 0.5, 1e-12)
  -- three classes, class indices as targets
  local Y3 = {}
  for i = 1, #X do Y3[i] = X[i][1] < -0.3 and 0 or (X[i][1] < 0.3 and 1 or 2) end
  local cls = nn.sequential{nn.dense(16), nn.relu(), nn.dense(3)}
  cls:fit(X, Y3, {loss = "softmax_ce", epochs = 80, batch = 20, seed = 1,
                  optimizer = optim.adam{lr = 0.02}})
  local ev = cls:evaluate(X, Y3)
  T.truthy(ev.accuracy > 0.85, "3-class accuracy " .. ev.accuracy)
  T.eq(#cls:predict_proba(X):shape(), 2)
  T.eq(cls:predict_proba(X):shape()[2], 3)
end)

T.case("nn-3.3 pruning keeps its mask through fine-tuning; report", function()
  local X, y = linear_data(600, 4)
  local net = nn.sequential{nn.dense(32), nn.relu(), nn.dense(1)}
  net:fit(X, y, {loss = "bce", epochs = 5, batch = 32, seed = 1})
  local s = net:prune(0.5)
  T.truthy(s >= 0.49 and s <= 0.55, "sparsity " .. s)
  net:fit(X, y, {loss = "bce", epochs = 2, batch = 32, seed = 1})
  T.truthy((net:sparsity()) >= 0.49, "mask kept")
  local r = net:prune_report(X, y, {0, 0.5, 0.9}, {global = false})
  T.eq(#r, 3)
  T.truthy(r[3].sparsity >= 0.89, "90%")
  T.truthy(tostring(r):find("val_loss", 1, true), "prints")
end)

T.case("nn-3.4 tensors: from rows, views, vectors, matmul", function()
  local t = m.tensor.from{{1, 2}, {3, 4}, {5, 6}}
  T.eq(t:shape(), {3, 2})
  T.eq(#t, 3)
  local v = t:rows(2, 2)
  v:set(1, 1, 30)
  T.eq(t:get(2, 1), 30.0)
  T.eq(m.tensor.vector{1, 2, 3}:shape(), {3, 1})
  T.eq(t:matmul(m.tensor.from({1, 1}, {2, 1})):totable(), {3, 34, 11})
end)

T.case("nn-4.1 every public name is in the help registry", function()
  local all = require("moneta.doc").all()
  for _, name in ipairs{"moneta.nn.sequential", "moneta.nn.dense", "moneta.nn.load",
                        "moneta.nn.losses.bce", "moneta.optim.adam",
                        "moneta.optim.schedules.cosine", "model:fit", "model:save",
                        "moneta.tensor.from", "tensor:rows"} do
    T.truthy(all[name], name)
  end
end)

-- ---- fit options: defaults from C, one way to silence, event kinds (issue 11) ----

-- Run 'code' through the moneta binary (arg[-1]) with stdout and stderr to a file; its text.
local function run_script(name, code)
  local dir = T.tmpdir()
  local script, out = dir .. "/" .. name .. ".lua", dir .. "/" .. name .. ".out"
  local f = assert(io.open(script, "w"))
  f:write(code)
  f:close()
  local ok = os.execute(string.format("%s %s > %s 2>&1 < /dev/null", arg[-1], script, out))
  local g = assert(io.open(out))
  local text = g:read("a")
  g:close()
  return ok, text
end

local SILENT_FIT = [[
local m = require "moneta"
local X, y = {}, {}
for i = 1, 40 do X[i], y[i] = {i / 40, (i * 7 % 40) / 40}, i % 2 end
local net = m.nn.sequential{m.nn.dense(4), m.nn.relu(), m.nn.dense(1)}
local h = net:fit(X, y, {loss = "bce", epochs = 3, batch = 8, seed = 1, validation = 0.25 OPTS})
print("epochs " .. h.epochs .. " " .. h.reason)
]]

T.case("nn-5.1 progress = false silences fit's lines; without it one line per epoch", function()
  local ok, text = run_script("loud", (SILENT_FIT:gsub("OPTS", "")))
  T.truthy(ok, text)
  local n = 0
  for _ in text:gmatch("fit epoch %d/3 ") do n = n + 1 end
  T.eq(n, 3, text)
  T.truthy(text:find("fit: completed", 1, true), text)
  ok, text = run_script("quiet", (SILENT_FIT:gsub("OPTS", ", progress = false")))
  T.truthy(ok, text)
  T.eq(text, "epochs 3 completed\n")         -- only the script's own line
end)

T.case("nn-5.2 verbose is gone; progress must be a function or false", function()
  local net = xor_net()
  T.raises(function() net:fit(XOR_X, XOR_Y, {verbose = false}) end,
           "fit: unknown option 'verbose'")
  T.raises(function() net:fit(XOR_X, XOR_Y, {progress = true}) end,
           "fit: progress must be a function(record) or false")
  T.raises(function() net:fit(XOR_X, XOR_Y, {early_stop = {patiense = 2}}) end,
           "fit: early_stop: unknown option 'patiense'")
  T.raises(function() net:fit(XOR_X, XOR_Y, {schedule = {kind = "step", stepsize = 2}}) end,
           "step: unknown option 'stepsize'")
  T.raises(function() net:fit(XOR_X, XOR_Y, {early_stop = {patience = 1.5}}) end,
           "option 'patience': integer expected, got a fraction")
end)

T.case("nn-5.3 defaults come from nn_fit_opts_init: 10 epochs, batch 32", function()
  local X, y = linear_data(70, 5)
  local net = nn.sequential{nn.dense(4), nn.dense(1)}
  local batches = 0
  local h = net:fit(X, y, {loss = "bce", progress_interval = 0, progress = function(p)
    if p.phase == "batch" and p.epoch == 1 then batches = batches + 1 end
  end})
  T.eq(h.epochs, 10)                          -- documented default (docs/nn.md)
  T.eq(batches, 3)                            -- 70 rows in batches of 32: 32, 32, 6
  T.eq(require("moneta.c.nn").fit_defaults(), {epochs = 10, batch = 32, seed = 0, patience = 5})
end)

T.case("nn-5.4 end and event records carry a kind: good, warn, bad", function()
  local function end_kind(X, y, opts)
    local kind, event
    opts.progress = function(p) if p.phase == "end" then kind, event = p.kind, p.event end end
    nn.sequential{nn.dense(2), nn.dense(1)}:fit(X, y, opts)
    return kind, event
  end
  local X, y = linear_data(40, 2)
  T.eq({end_kind(X, y, {loss = "bce", epochs = 2})}, {"good", "completed"})
  local k, ev = end_kind(X, y, {loss = "bce", epochs = 50, optimizer = optim.sgd{lr = 1e-9},
                                early_stop = {patience = 1, min_delta = 1}})
  T.eq(k, "warn")
  T.truthy(ev:find("early stopping", 1, true), ev)
  k, ev = end_kind({{1, 2}, {0 / 0, 1}}, {0, 1}, {loss = "mse", epochs = 1, batch = 1,
                                                 shuffle = false})
  T.eq(k, "bad")
  T.truthy(ev:find("loss is NaN", 1, true), ev)
end)

-- ---- model files (version 2: core/mfile's container, declarative architecture) ----

local function crc32(s)                       -- IEEE CRC-32, as zlib (check: "123456789")
  local crc = 0xFFFFFFFF
  for i = 1, #s do
    crc = crc ~ s:byte(i)
    for _ = 1, 8 do crc = (crc & 1) ~= 0 and ((crc >> 1) ~ 0xEDB88320) or (crc >> 1) end
  end
  return ~crc & 0xFFFFFFFF
end

-- A version-2 container (core/mfile.h's layout) with float32 arrays {name, {values}}.
local function container(kind, options, arrays)
  local parts = {"MONETAMF", string.pack("<I4I4I4I4I8I8", 2, #kind, 1, #arrays, #options, 0), kind}
  for _, a in ipairs(arrays) do parts[#parts + 1] = string.pack("<I4I4I8", #a[1], 1, #a[2]) .. a[1] end
  parts[#parts + 1] = options
  for _, a in ipairs(arrays) do
    for _, v in ipairs(a[2]) do parts[#parts + 1] = string.pack("<f", v) end
  end
  local body = table.concat(parts)
  return body .. string.pack("<I4", crc32(body))
end

local function write(path, bytes)
  local f = assert(io.open(path, "wb")); f:write(bytes); f:close()
  return path
end

T.case("nn-6.1 version-1 files open without running Lua, predicting as when written", function()
  T.eq(crc32("123456789"), 0xCBF43926)
  local net = m.load("tests/data/nn/v1_functional.mdl")
  local X = m.tensor.from{{0.5, -1, 2}, {1, 0.25, -0.5}, {-1.5, 1, 0}, {0, 0, 1}, {2, -2, 0.5},
                          {-0.5, 0.5, -1}}
  -- predict_raw printed by the writing version (commit da0fd3b) right after saving the file
  local want = {1.14984334, 0.64776969, 0.476139009, 0.875525475, 1.04275525, 0.650467157}
  local p = net:predict_raw(X)
  for i = 1, 6 do T.near(p:get(i, 1), want[i], 1e-6, "row " .. i) end
  T.eq(net:prep_blob(), "prep-blob-v1")
  T.eq(net:summary().total, 25)               -- dense 3*4+4, dense 8*1+1
  local s = nn.load("tests/data/nn/v1_sequential.mdl")
  local q = s:predict(m.tensor.from{{0.5, -1}, {1, 0.25}, {-1.5, 1}})
  local wq = {{0, 0.0236846115}, {-0.0768275186, 0.0558285378}, {0.494650513, 0.524713933}}
  for i = 1, 3 do for j = 1, 2 do T.near(q:get(i, j), wq[i][j], 1e-6) end end
  T.near((s:sparsity()), 0.3, 0.05)           -- the mask came through
  -- saved again: a version-2 file, same predictions
  local path = T.tmpdir() .. "/again.mdl"
  net:save(path, {prep = "prep-blob-v1"})
  local f = io.open(path, "rb"); local bytes = f:read("a"); f:close()
  T.eq(bytes:sub(1, 8), "MONETAMF")
  T.truthy(bytes:find("moneta.nn.arch 1\nmodel kind=functional head=bce inputs=1\n", 1, true))
  T.truthy(bytes:find('slope=0.2', 1, true) and bytes:find('node 6 scale in=5 scale=2', 1, true))
  T.eq(m.load(path):predict_raw(X):totable(), p:totable())
end)

T.case("nn-6.2 moneta.load dispatches on the container's kind", function()
  local dir = T.tmpdir()
  T.raises(function() m.load(write(dir .. "/g.mdl", container("ts.garch", "p=1 q=1", {}))) end,
           "holds a model of kind 'ts.garch', which this moneta cannot open")
  T.raises(function() nn.load(dir .. "/g.mdl") end, "a model of kind 'ts.garch', not a neural network")
  T.raises(function() m.load(write(dir .. "/t.txt", "just some text, long enough to read a header")) end,
           "not a moneta model file")
  T.truthy(not nn.is_model_file(dir .. "/t.txt"), "not a model file")
  T.truthy(nn.is_model_file("tests/data/nn/v1_functional.mdl"), "v1 magic")
  local arch = "moneta.nn.arch 1\nnode 0 input shape=2\nnode 1 dense in=0 units=1\noutput 1\n"
  local net = m.load(write(dir .. "/ok.mdl", container("nn", arch, {{"params", {2, -1, 0.5}},
                                                                     {"state", {}}})))
  -- y = 2 x1 - x2 + 0.5, by hand
  T.near(net:predict(m.tensor.from{{1, 1}, {0, 3}}):get(2, 1), -2.5, 1e-6)
end)

T.case("nn-6.3 crafted files with huge or malformed architectures are refused at once", function()
  local dir = T.tmpdir()
  local t0 = m.now()
  local huge = "moneta.nn.arch 1\nnode 0 input shape=4\nnode 1 dense in=0 units=1099511627776\noutput 1\n"
  T.raises(function() m.load(write(dir .. "/h.mdl", container("nn", huge, {{"params", {1}}, {"state", {}}}))) end,
           "architecture:3:25: 1099511627776 is out of range (1 to 16777216)")
  local big = "moneta.nn.arch 1\nnode 0 input shape=64\nnode 1 dense in=0 units=16777216\noutput 1\n"
  T.raises(function() m.load(write(dir .. "/b.mdl", container("nn", big, {{"params", {1}}, {"state", {}}}))) end,
           "declares 1090519040 parameters and 0 state values, the file holds 1 and 0")
  T.raises(function() m.load(write(dir .. "/m.mdl", container("nn", "moneta.nn.arch 1\nnode 0 input shape=2 units=3\n",
                                                            {{"params", {}}, {"state", {}}}))) end,
           "architecture:2:22: unknown attribute 'units' for input")
  -- a version-1 file whose "architecture" is a program: read as data, never run
  local src = "(function() while true do end end)()"
  local body = "MONETANN" .. string.pack("<I4I4I8I8I8I8", 1, 0, #src, 0, 0, 0) .. src
  T.raises(function() m.load(write(dir .. "/v1.mdl", body .. string.pack("<I4", crc32(body)))) end,
           "architecture (version 1):1:1: expected '{'")
  T.truthy(m.now() - t0 < 1, "refused in well under a second")
end)

T.case("nn-6.4 named attributes: slope, alpha, scale reach their ops", function()
  local x = nn.input(2)
  local out = nn.concat{nn.leaky_relu(0.25)(x), nn.elu(0.5)(x), x * 3, -x}
  local net = nn.model{inputs = {x}, outputs = {out}}
  local y = net:predict(m.tensor.from{{-2, 4}}):totable()[1]
  -- by hand: leaky (-0.5, 4), elu (0.5 (e^-2 - 1), 4), 3x (-6, 12), -x (2, -4)
  local want = {-0.5, 4, 0.5 * (math.exp(-2) - 1), 4, -6, 12, 2, -4}
  for i = 1, 8 do T.near(y[i], want[i], 1e-6, "output " .. i) end
  local d = net:describe()
  T.eq(d.nodes[2].slope, 0.25)
  T.eq(d.nodes[3].alpha, 0.5)
  T.eq(d.nodes[4].scale, 3)
  T.raises(function() nn.leaky_relu("steep") end, "leaky_relu: slope must be a number")
end)

T.case("nn-6.5 nn.concat takes a list of nodes and returns a node, nothing else", function()
  local a, b = nn.input(2), nn.input(3)
  local c = nn.concat{a, b}
  T.eq(tostring(c), "node concat")
  T.raises(function() nn.concat() end, "concat: a list of nodes expected")
  T.raises(function() nn.concat(a) end, "concat: a list of nodes expected")
  T.raises(function() nn.concat{a, nn.relu()} end, "concat: element 2 is not a node")
  T.raises(function() nn.sequential{nn.dense(2), nn.concat} end, "element 2 is not a layer")
end)

T.case("nn-6.6 checkpoints written by fit are version-2 files that load", function()
  local path = T.tmpdir() .. "/ck.mdl"
  local X, y = linear_data(200, 3)
  local net = nn.sequential{nn.dense(4), nn.leaky_relu(0.1), nn.dense(1)}
  net:fit(X, y, {loss = "bce", epochs = 3, batch = 50, seed = 2, validation = 0.2,
                 checkpoint = path, progress = false})
  local f = io.open(path, "rb"); local magic = f:read(8); f:close()
  T.eq(magic, "MONETAMF")
  local back = m.load(path)
  T.eq(back:summary().total, net:summary().total)
  T.eq(back.head, "bce")
end)

T.done()
