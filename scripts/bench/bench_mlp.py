#!/usr/bin/python3
"""Reference side of benchmark workload 1 (credit MLP), PyTorch on the CPU.

Usage: /usr/bin/python3 scripts/bench/bench_mlp.py [credit.csv [runs [configs]]]
configs: comma-separated t1, t2, t2b (default t1). The caller sets the environment per config
(t1: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1; t2b: OPENBLAS_NUM_THREADS=1), as
scripts/bench/bench_mlp.lua does. Prints one line per config, median of 'runs' runs:
  torch t1: train_samples_per_s N  train_s S  test_auc A  predict_s P
Run by scripts/bench/bench_mlp.lua on the same file; set OPENBLAS_CORETYPE the same on both.
"""
import sys
import resource
import time

import numpy as np
import torch

path = sys.argv[1] if len(sys.argv) > 1 else "build/bench-data/credit.csv"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
configs = (sys.argv[3] if len(sys.argv) > 3 else "t1").split(",")

data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
X, y = data[:, :-1], data[:, -1]
ntr = 80000
mu, sd = X[:ntr].mean(axis=0), X[:ntr].std(axis=0)
X = ((X - mu) / sd).astype(np.float32)
Xtr, Xte = torch.from_numpy(X[:ntr].copy()), torch.from_numpy(X[ntr:].copy())
ytr = torch.from_numpy(y[:ntr].astype(np.float32)).reshape(-1, 1)
yte = y[ntr:]


def auc(score, label):
    order = np.argsort(score, kind="mergesort")
    s, l = score[order], label[order]
    ranks = np.empty(len(s))
    i = 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        ranks[i:j] = (i + 1 + j) / 2.0
        i = j
    npos = l.sum()
    nneg = len(l) - npos
    return (ranks[l > 0.5].sum() - npos * (npos + 1) / 2) / (npos * nneg)


def one_run(seed):
    torch.manual_seed(seed)
    net = torch.nn.Sequential(torch.nn.Linear(20, 64), torch.nn.ReLU(),
                              torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    lossf = torch.nn.BCEWithLogitsLoss()
    gen = torch.Generator()
    gen.manual_seed(0)
    t0 = time.perf_counter()
    for _ in range(5):
        perm = torch.randperm(ntr, generator=gen)
        for b in range(0, ntr, 256):
            idx = perm[b:b + 256]
            xb, yb = Xtr[idx], ytr[idx]
            opt.zero_grad()
            loss = lossf(net(xb), yb)
            loss.backward()
            opt.step()
    train_s = time.perf_counter() - t0
    with torch.no_grad():
        t1 = time.perf_counter()
        logits = net(Xte)
        predict_s = time.perf_counter() - t1
    return ntr * 5 / train_s, train_s, auc(logits.numpy().ravel(), yte), predict_s


for cfg in configs:
    torch.set_num_threads(1 if cfg == "t1" else 2)
    res = [one_run(r) for r in range(runs)]
    med = [sorted(col)[len(col) // 2] for col in zip(*res)]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print("torch %s: train_samples_per_s %.0f  train_s %.3f  test_auc %.4f  predict_s %.4f"
          "  peak_rss_mb %.1f" % (cfg, med[0], med[1], med[2], med[3], peak_mb), flush=True)
