"""Generates 11-svm-fits.json, the scikit-learn reference for notebooks/11-svm.ts.

Run from the repository root with Debian's scikit-learn:  /usr/bin/python3 data/sklearn/11-svm-fits.py

What it holds (libsvm's SVC with tol=1e-8, so each fit is the optimum rather than a stopping point):
  hardMargin    the six hand-placed points of section 1, linear kernel, C = 1e6 (the hard margin)
  moons         make_moons(300, noise=0.3, random_state=0); train = first 200 rows, test = last 100;
                for every C of the grid: a linear SVC (w, b) and an RBF SVC (gamma = 10): support count,
                train / test accuracy and the test decision values
  breastCancer  data/breast_cancer.csv (the file lib/data.ts loads); for split seeds 0-4 a stratified 75/25
                train_test_split of the row indices, then an RBF SVC (C = 1, gamma = "scale") on raw
                features and the same model after a StandardScaler fitted on the training rows only
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = pathlib.Path(__file__).with_suffix(".json")
C_GRID = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 1000.0, 10000.0]


def main():
    out = {"generator": "data/sklearn/11-svm-fits.py", "sklearn": sklearn.__version__, "numpy": np.__version__}

    X = np.array([[2, 2], [3, 3], [2, 4], [0, 0], [1, 1], [0, 2]], dtype=float)
    y = np.array([1, 1, 1, 0, 0, 0])
    svm = SVC(kernel="linear", C=1e6, tol=1e-8).fit(X, y)
    out["hardMargin"] = {
        "X": X.tolist(), "y": y.tolist(), "coef": svm.coef_[0].tolist(), "intercept": float(svm.intercept_[0]),
        "support": svm.support_.tolist(), "dualCoef": svm.dual_coef_[0].tolist(),
    }

    X, y = make_moons(n_samples=300, noise=0.3, random_state=0)
    train, test = slice(0, 200), slice(200, 300)
    fits = []
    for C in C_GRID:
        linear = SVC(kernel="linear", C=C, tol=1e-8).fit(X[train], y[train])
        rbf = SVC(kernel="rbf", C=C, gamma=10.0, tol=1e-8).fit(X[train], y[train])
        fits.append({
            "C": C,
            "linearCoef": linear.coef_[0].tolist(), "linearIntercept": float(linear.intercept_[0]),
            "rbfSupportCount": int(rbf.support_.size),
            "rbfTrainAccuracy": float(rbf.score(X[train], y[train])), "rbfTestAccuracy": float(rbf.score(X[test], y[test])),
            "rbfTestDecision": rbf.decision_function(X[test]).tolist(),
        })
    out["moons"] = {"X": X.tolist(), "y": y.tolist(), "nTrain": 200, "rbfGamma": 10.0, "fits": fits}

    data = np.loadtxt(ROOT / "data" / "breast_cancer.csv", delimiter=",", skiprows=1)
    X, y = data[:, :30], data[:, 30].astype(int)
    splits = []
    for seed in range(5):
        train, test = train_test_split(np.arange(len(y)), test_size=0.25, random_state=seed, stratify=y)
        raw = SVC(kernel="rbf", C=1.0, gamma="scale", tol=1e-8).fit(X[train], y[train])
        scaled = make_pipeline(StandardScaler(), SVC(kernel="rbf", C=1.0, gamma="scale", tol=1e-8)).fit(X[train], y[train])
        scaler = scaled.named_steps["standardscaler"]
        splits.append({
            "seed": seed, "train": train.tolist(), "test": test.tolist(),
            "rawTestAccuracy": float(raw.score(X[test], y[test])), "rawTestDecision": raw.decision_function(X[test]).tolist(),
            "scaledTestAccuracy": float(scaled.score(X[test], y[test])),
            "scaledTestDecision": scaled.decision_function(X[test]).tolist(),
            "scalerMean": scaler.mean_.tolist(), "scalerScale": scaler.scale_.tolist(),
        })
    out["breastCancer"] = {"firstRow": X[0].tolist(), "splits": splits}
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
