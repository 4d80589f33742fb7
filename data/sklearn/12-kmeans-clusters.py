"""Writes 12-kmeans-clusters.json, the scikit-learn reference for the mixture and density sections of
notebooks/12-kmeans.ts.

Run from the repository root with Debian's scikit-learn:  /usr/bin/python3 data/sklearn/12-kmeans-clusters.py

What it holds:
  gmmIris   data/iris.csv (the file lib/data.ts loads), 4 features, GaussianMixture(3, covariance_type="full",
            tol=1e-10, max_iter=1000, reg_covar=1e-6):
              fromStart  started from given means (rows 0, 50 and 100, one flower of each species), equal weights
                         and identity covariances (precisions_init): weights_, means_, covariances_,
                         lower_bound_ (mean log-likelihood per sample), n_iter_, predict
              best       sklearn's default k-means initialisation, n_init=10, random_state=0: lower_bound_,
                         weights_, means_
  moons     two-moons-like points: make_moons(300, noise=0.06, random_state=0) plus 20 points drawn uniformly
            over [-1.5, 2.5] x [-1, 1.5] (numpy RandomState(1)), rounded to 4 decimals; y = moon (0/1) or -1 for
            the added noise. For each (eps, min_samples): DBSCAN labels_ and core_sample_indices_
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.cluster import DBSCAN
from sklearn.datasets import make_moons
from sklearn.mixture import GaussianMixture

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = pathlib.Path(__file__).with_suffix(".json")
DBSCAN_SETTINGS = [(0.2, 5), (0.15, 5), (0.3, 10), (0.1, 3), (0.25, 20)]


def gmm_summary(g, X):
    return {"weights": g.weights_.tolist(), "means": g.means_.tolist(), "covariances": g.covariances_.tolist(),
            "lowerBound": float(g.lower_bound_), "nIter": int(g.n_iter_), "predict": g.predict(X).tolist()}


def main():
    out = {"generator": "data/sklearn/12-kmeans-clusters.py", "sklearn": sklearn.__version__, "numpy": np.__version__}
    data = np.loadtxt(ROOT / "data" / "iris.csv", delimiter=",", skiprows=1)
    X = data[:, :4]
    start = X[[0, 50, 100]]
    settings = dict(n_components=3, covariance_type="full", tol=1e-10, max_iter=1000, reg_covar=1e-6)
    from_start = GaussianMixture(**settings, means_init=start, weights_init=np.full(3, 1 / 3),
                                 precisions_init=np.stack([np.eye(4)] * 3)).fit(X)
    best = GaussianMixture(**settings, n_init=10, random_state=0).fit(X)
    out["gmmIris"] = {"startRows": [0, 50, 100], "fromStart": gmm_summary(from_start, X), "best": gmm_summary(best, X)}

    moons, y = make_moons(n_samples=300, noise=0.06, random_state=0)
    noise = np.random.RandomState(1).uniform([-1.5, -1.0], [2.5, 1.5], size=(20, 2))
    X = np.round(np.vstack([moons, noise]), 4)
    y = np.concatenate([y, np.full(20, -1)])
    fits = []
    for eps, min_samples in DBSCAN_SETTINGS:
        db = DBSCAN(eps=eps, min_samples=min_samples).fit(X)
        fits.append({"eps": eps, "minSamples": min_samples, "labels": db.labels_.tolist(),
                     "coreSampleIndices": db.core_sample_indices_.tolist()})
    out["moons"] = {"X": X.tolist(), "y": y.tolist(), "dbscan": fits}
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
