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
    out["ema12"] = flat(g.ewm(span=12).mean())
    # RSI (Wilder: ewm with alpha 1/n, adjust=False), MACD (EMA 12/26, signal 9), Bollinger
    # (20, 2 population sd), ATR (Wilder, 14) on high = low = close = price
    ch = g.diff(1)
    up, dn = ch.clip(lower=0), (-ch).clip(lower=0)
    upg = up.groupby(df[by]) if by else up
    dng = dn.groupby(df[by]) if by else dn
    ru = flat(upg.ewm(alpha=1 / 14, adjust=False).mean())
    rd = flat(dng.ewm(alpha=1 / 14, adjust=False).mean())
    out["rsi14"] = 100 - 100 / (1 + ru / rd)
    e12 = flat(g.ewm(span=12, adjust=False).mean())
    e26 = flat(g.ewm(span=26, adjust=False).mean())
    out["macd_line"] = e12 - e26
    mg = out["macd_line"].groupby(df[by]) if by else out["macd_line"]
    out["macd_signal"] = flat(mg.ewm(span=9, adjust=False).mean())
    out["macd_hist"] = out["macd_line"] - out["macd_signal"]
    r20 = roll(g, 20)
    mid, sd = flat(r20.mean()), flat(r20.std(ddof=0))
    out["bb_mid"], out["bb_upper"], out["bb_lower"] = mid, mid + 2 * sd, mid - 2 * sd
    out["bb_pctb"] = (df[col] - out["bb_lower"]) / (out["bb_upper"] - out["bb_lower"])
    tr = ch.abs()
    trg = tr.groupby(df[by]) if by else tr
    out["atr14"] = flat(trg.ewm(alpha=1 / 14, adjust=False).mean())
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
