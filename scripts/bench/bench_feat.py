# scripts/bench/bench_feat.py: the pandas side of bench_feat.lua: the same 30 features on the
# same files, written as a pandas user would (groupby(...).rolling / .shift / .ewm for the
# panel). Prints "<case> <median seconds> <peak RSS MB>" per case.
#   python3 bench_feat.py prices.csv panel.csv runs
import resource
import sys
import time

import numpy as np
import pandas as pd


def features(df, col, by):
    out = pd.DataFrame(index=df.index)
    g = df.groupby(by)[col] if by else df[col]

    def grp(name):
        return out.groupby(df[by])[name] if by else out[name]

    def roll(s, w):
        return s.rolling(w)

    def flat(r):                                  # groupby rolling/ewm: back to row order
        return r.reset_index(level=0, drop=True) if by else r

    prev = g.shift(1)
    out["r1"] = np.log(df[col] / prev)
    out["ret1"] = df[col] / prev - 1
    out["d1"] = g.diff(1)
    r = grp("r1")
    for k in (1, 2, 3, 5, 10):
        out["lag%d" % k] = r.shift(k)
    for w in (5, 20, 60):
        rr = roll(r, w)
        out["mean%d" % w] = flat(rr.mean())
        out["std%d" % w] = flat(rr.std())
        out["min%d" % w] = flat(rr.min())
        out["max%d" % w] = flat(rr.max())
    out["pm20"] = flat(roll(g, 20).mean())
    out["pm60"] = flat(roll(g, 60).mean())
    out["ema12"] = flat(g.ewm(span=12).mean())
    out["ema26"] = flat(g.ewm(span=26).mean())
    out["ewstd20"] = flat(r.ewm(span=20).std())
    sq = (out["r1"] ** 2)
    sqg = sq.groupby(df[by]) if by else sq
    out["ewvol10"] = np.sqrt(flat(sqg.ewm(halflife=10).mean()))
    r20 = roll(g, 20)
    out["z20"] = (df[col] - flat(r20.mean())) / flat(r20.std())
    out["sum20"] = flat(roll(r, 20).sum())
    out["peak"] = flat(g.expanding().max())
    out["med20"] = flat(roll(r, 20).median())
    assert out.shape[1] == 30
    return out


def bench(path, by, runs):
    df = pd.read_csv(path)
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        features(df, "price", by)
        ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[(len(ts) - 1) // 2]


def main():
    prices, panel, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    t = bench(prices, None, runs)
    print("single %.6f %.1f" % (t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    t = bench(panel, "ticker", runs)
    print("by %.6f %.1f" % (t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
          flush=True)


main()
