"""bench_plot.py: the matplotlib side of scripts/bench/bench_plot.lua (Agg backend, 800x500 PNG,
the same four plots on the same data); prints "<kind> <median seconds>" lines.
usage: python3 bench_plot.py outdir runs prices.csv.gz credit.csv.gz"""
import statistics
import sys
import time

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

out, runs, prices, credit = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
px = pd.read_csv(prices, parse_dates=["date"])
tickers = ["ACME", "BNKR", "BYTE", "CRDT", "FOOD", "GRID", "INSR", "PETR", "QBIT", "SHOP"]
closes = {t: px.loc[px.ticker == t, "close"].to_numpy() for t in tickers}
dates = px.loc[px.ticker == "ACME", "date"].to_numpy()
rets = np.diff(np.log(closes["ACME"]))
rframe = pd.DataFrame({t: np.diff(np.log(closes[t])) for t in tickers})
cr = pd.read_csv(credit)
y, score = cr["default"].to_numpy(), cr["interest_rate"].to_numpy()


def roc_points(y, s):
    order = np.argsort(-s, kind="mergesort")
    ys, ss = y[order], s[order]
    tp, fp = np.cumsum(ys), np.cumsum(1 - ys)
    last = np.r_[np.diff(ss) != 0, True]
    tpr = np.r_[0, tp[last] / tp[-1]]
    fpr = np.r_[0, fp[last] / fp[-1]]
    return fpr, tpr


def fig():
    return plt.figure(figsize=(8, 5), dpi=100)


def line(p):
    f = fig()
    for t in tickers:
        plt.plot(dates, closes[t], label=t)
    plt.title("close")
    plt.legend()
    f.savefig(p)
    plt.close(f)


def hist(p):
    f = fig()
    plt.hist(rets, bins=50)
    f.savefig(p)
    plt.close(f)


def roc(p):
    f = fig()
    fpr, tpr = roc_points(y, score)
    auc = np.trapz(tpr, fpr)
    plt.plot(fpr, tpr, label="AUC = %.3f" % auc)
    plt.plot([0, 1], [0, 1], "--", color="grey")
    plt.legend()
    f.savefig(p)
    plt.close(f)


def heat(p):
    f = fig()
    c = rframe.corr().to_numpy()
    plt.imshow(c, cmap="RdBu_r", vmin=-1, vmax=1)
    for i in range(len(tickers)):
        for j in range(len(tickers)):
            plt.text(j, i, "%.2f" % c[i, j], ha="center", va="center", fontsize=8)
    plt.xticks(range(len(tickers)), tickers, rotation=30)
    plt.yticks(range(len(tickers)), tickers)
    plt.colorbar()
    f.savefig(p)
    plt.close(f)


for name, fn in [("line", line), ("hist", hist), ("roc", roc), ("heat", heat)]:
    path = "%s/matplotlib_%s.png" % (out, name)
    fn(path)
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn(path)
        ts.append(time.perf_counter() - t0)
    print(name, statistics.median(ts))
