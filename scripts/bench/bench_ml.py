# scripts/bench/bench_ml.py: the scikit-learn side of bench_ml.lua (benchmark README, workload
# 4): standardised credit data as float64, train rows 0..79,999, test the rest, one thread.
# Prints "<key> <fit_s> <predict_s> <test_auc>" per model (median of 'runs' fits).
#   OMP_NUM_THREADS=1 python3 bench_ml.py credit.csv runs
import sys
import time

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.neighbors import KNeighborsClassifier


def main():
    path, runs = sys.argv[1], int(sys.argv[2])
    df = pd.read_csv(path)
    X, y = df.drop(columns=["y"]).to_numpy(np.float64), df["y"].to_numpy()
    Xtr, Xte, ytr, yte = X[:80000], X[80000:], y[:80000], y[80000:]
    mu, sd = Xtr.mean(axis=0), Xtr.std(axis=0)       # population sd, as prep.standard
    Xtr, Xte = (Xtr - mu) / sd, (Xte - mu) / sd
    models = [("logreg", lambda: LogisticRegression(solver="lbfgs", C=1.0, max_iter=1000), None),
              ("knn", lambda: KNeighborsClassifier(n_neighbors=15), 10000)]
    for key, make, nq in models:
        fits, preds = [], []
        for _ in range(runs):
            m = make()
            t0 = time.perf_counter()
            m.fit(Xtr, ytr)
            fits.append(time.perf_counter() - t0)
            q = Xte if nq is None else Xte[:nq]
            t0 = time.perf_counter()
            p = m.predict_proba(q)[:, 1]
            m.predict(q)
            preds.append(time.perf_counter() - t0)
        fits.sort(), preds.sort()
        yq = yte if nq is None else yte[:nq]
        print("%s %.6f %.6f %.6f" % (key, fits[len(fits) // 2], preds[len(preds) // 2],
                                     roc_auc_score(yq, p)), flush=True)


main()
