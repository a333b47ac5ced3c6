-- scripts/train_monitor.lua: train the credit-default MLP of docs/architecture.md with the
-- live training monitor (docs/monitor.md). Run it in a terminal:
--   moneta scripts/train_monitor.lua [epochs]
-- p pauses, q stops keeping the best weights, s writes a checkpoint, l log scale, g plot.
-- Piped to a file (moneta scripts/train_monitor.lua > log.txt) it prints one line per epoch.
local m = require "moneta"

local epochs = tonumber(arg and arg[1]) or 200
local df = m.read_csv(m.dataset("credit.csv.gz"))
df = df:dedupe():fillna{income = "median"}
local train, test = df:split{test = 0.2, stratify = "default", seed = 7}
local prep = m.prep.pipeline{ m.prep.impute{strategy = "median"}, m.prep.standard{}, m.prep.onehot{} }
local Xtr = prep:fit_transform(train:drop{"default"})      -- learns on train only
local Xte = prep:transform(test:drop{"default"})

m.threads(1)                                               -- the same seed gives the same run
local net = m.nn.sequential{ m.nn.dense(64), m.nn.relu(), m.nn.dropout(0.1),
                             m.nn.dense(32), m.nn.relu(), m.nn.dense(1) }
net.name = "credit MLP"
local hist = net:fit(Xtr, train:col("default"), {
  loss = "bce", optimizer = m.optim.adam{lr = 1e-3}, epochs = epochs, batch = 128, seed = 7,
  validation = 0.1, early_stop = {monitor = "val_loss", patience = 20},
  checkpoint = "credit_mlp.ckpt.mdl", dashboard = true })   -- dashboard: on a terminal
print(hist)
local ev = net:evaluate(Xte, test:col("default"))
print(string.format("test: loss %.4f  accuracy %.4f  AUC %.4f", ev.loss, ev.accuracy, ev.auc))
