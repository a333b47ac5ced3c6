-- scripts/credit_mlp.lua: a credit-default MLP on the bundled datasets/credit.csv.gz, the
-- session of docs/architecture.md: read, clean, split (stratified), fitted transforms on the
-- train rows only, an MLP with early stopping, test AUC/KS, and a model file carrying the
-- transforms. Run: moneta scripts/credit_mlp.lua [out.mdl]
local m = require "moneta"

local out = arg and arg[1] or "credit_mlp.mdl"
local df = m.read_csv(m.dataset("credit.csv.gz"))
print(df:describe())
df = df:dedupe():fillna{income = "median"}
local train, test = df:split{test = 0.2, stratify = "default", seed = 7}

local prep = m.prep.pipeline{ m.prep.impute{strategy = "median"}, m.prep.standard{}, m.prep.onehot{} }
local Xtr = prep:fit_transform(train:drop{"default"})      -- learns on train only
local Xte = prep:transform(test:drop{"default"})

m.threads(1)
local net = m.nn.sequential{ m.nn.dense(64), m.nn.relu(), m.nn.dropout(0.1),
                             m.nn.dense(32), m.nn.relu(), m.nn.dense(1) }
local hist = net:fit(Xtr, train:col("default"), {
  loss = "bce", optimizer = m.optim.adam{lr = 1e-3}, epochs = 30, batch = 256, seed = 7,
  validation = 0.1, early_stop = {monitor = "val_loss", patience = 3} })
print(hist)
print(net:summary())

local p = net:predict_proba(Xte)
local ev = net:evaluate(Xte, test:col("default"))
print(string.format("test: loss %.4f  accuracy %.4f  AUC %.4f", ev.loss, ev.accuracy, ev.auc))
print("AUC", m.metrics.auc(test:col("default"), p), "KS", m.metrics.ks(test:col("default"), p))
print(net:prune_report(Xte, test:col("default"), {0, 0.5, 0.8, 0.9}))

net:save(out, {prep = prep})
local back = m.load(out)
print("saved " .. out .. "; reloaded predictions match: " ..
      tostring(back:predict_proba(Xte):get(1) == p:get(1)))
