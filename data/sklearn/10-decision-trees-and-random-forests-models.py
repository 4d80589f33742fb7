"""Writes 10-decision-trees-and-random-forests-models.json: the scikit-learn reference for notebook 10.

Run from the repository root with Debian's scikit-learn (the python3 on PATH may lack it):
    /usr/bin/python3 data/sklearn/10-decision-trees-and-random-forests-models.py

What it holds:
- cancerSplits: five stratified 75/25 splits of data/breast_cancer.csv (train_test_split, random_state 0..4).
  The notebook reads the test indices from here, so both libraries see the same rows.
- per split: DecisionTreeClassifier test/train accuracy for max_depth 1..8 and None (min/mean/max over
  random_state 0..19: scikit-learn visits features in a random order, so equally good splits are broken at
  random), the distinct depth-3 trees as nested nodes (split 0 only), and RandomForestClassifier
  (100 trees, sqrt features, bootstrap, random_state = split seed): test accuracy, OOB score, importances.
- playTennisOneHot: DecisionTreeClassifier(criterion="entropy") on the one-hot encoded play-tennis table
  (column "feature=value", categories in order of first appearance, as lib/data.ts codes them): every
  distinct tree over random_state 0..99. A one-hot split "col <= 0.5" is the equality split
  "feature == value" of the seed's S4-C2 tree.
- curve: 80 noisy samples of sin(x) on one float32 feature (one feature: no ties between features, so the
  trees do not depend on random_state; asserted): DecisionTreeRegressor predictions on a grid for
  max_depth 1..6, the cost-complexity pruning path of the unlimited tree, and GradientBoostingRegressor
  (max_depth 2, learning_rate 0.3) predictions on the grid after 1, 5 and 60 stages.
"""
import csv
import json
import pathlib

import numpy as np
import sklearn
from sklearn.ensemble import GradientBoostingRegressor, RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = pathlib.Path(__file__).with_suffix(".json")


def nested(model, node=0):
    t = model.tree_
    out = {"nSamples": int(t.n_node_samples[node]), "value": [int(round(v)) for v in t.value[node][0]]}
    if t.children_left[node] != -1:
        out["feature"] = int(t.feature[node])
        out["threshold"] = float(t.threshold[node])
        out["left"] = nested(model, t.children_left[node])
        out["right"] = nested(model, t.children_right[node])
    return out


def distinct(models):
    seen = {}
    for state, model in models:
        key = json.dumps(nested(model))
        seen.setdefault(key, {"randomStates": [], "tree": nested(model)})["randomStates"].append(state)
    return list(seen.values())


def cancer():
    rows = np.loadtxt(ROOT / "data" / "breast_cancer.csv", delimiter=",", skiprows=1)
    X, y = rows[:, :-1], rows[:, -1].astype(int)
    splits = []
    for seed in range(5):
        train, test = train_test_split(np.arange(len(y)), test_size=0.25, random_state=seed, stratify=y)
        train, test = np.sort(train), np.sort(test)
        depths = []
        for depth in [1, 2, 3, 4, 5, 6, 7, 8, None]:
            models = [(s, DecisionTreeClassifier(max_depth=depth, random_state=s).fit(X[train], y[train])) for s in range(20)]
            test_acc = [m.score(X[test], y[test]) for _, m in models]
            train_acc = [m.score(X[train], y[train]) for _, m in models]
            entry = {
                "maxDepth": depth,
                "testAccuracy": {"min": min(test_acc), "mean": float(np.mean(test_acc)), "max": max(test_acc)},
                "trainAccuracy": {"min": min(train_acc), "mean": float(np.mean(train_acc)), "max": max(train_acc)},
                "depth": {"min": min(m.get_depth() for _, m in models), "max": max(m.get_depth() for _, m in models)},
            }
            if depth == 3 and seed == 0:
                entry["distinctTrees"] = distinct(models)
            depths.append(entry)
        forest = RandomForestClassifier(n_estimators=100, oob_score=True, random_state=seed).fit(X[train], y[train])
        splits.append({
            "seed": seed,
            "testIndices": test.tolist(),
            "tree": depths,
            "forest": {
                "testAccuracy": float(forest.score(X[test], y[test])),
                "oobScore": float(forest.oob_score_),
                "featureImportances": forest.feature_importances_.tolist(),
            },
        })
    return {"testFraction": 0.25, "stratified": True, "forestParams": {"n_estimators": 100, "max_features": "sqrt", "bootstrap": True}, "splits": splits}


def play_tennis():
    with open(ROOT / "data" / "play_tennis.csv", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    features = header[:-1]
    categories = [list(dict.fromkeys(r[j] for r in body)) for j in range(len(features))]
    columns = [f"{name}={value}" for name, values in zip(features, categories) for value in values]
    X = np.array([[1.0 if r[j] == value else 0.0 for j, values in enumerate(categories) for value in values] for r in body])
    classes = list(dict.fromkeys(r[-1] for r in body))
    y = np.array([classes.index(r[-1]) for r in body])
    models = [(s, DecisionTreeClassifier(criterion="entropy", random_state=s).fit(X, y)) for s in range(100)]
    return {"columns": columns, "classes": classes, "trainAccuracy": float(models[0][1].score(X, y)), "distinctTrees": distinct(models)}


def curve():
    rng = np.random.default_rng(10)
    x = np.sort(rng.uniform(0, 6, 80)).astype(np.float32).astype(np.float64)
    y = np.sin(x) + rng.normal(0, 0.25, 80)
    X, grid = x[:, None], np.round(np.linspace(0, 6, 241), 3)[:, None]

    def invariant(make):
        outputs = {json.dumps(np.round(make(seed).fit(X, y).predict(grid), 12).tolist()) for seed in range(10)}
        assert len(outputs) == 1, "a split depends on random_state"
        return make(0).fit(X, y)

    trees = {d: invariant(lambda seed: DecisionTreeRegressor(max_depth=d, random_state=seed)).predict(grid).tolist() for d in range(1, 7)}
    path = DecisionTreeRegressor(random_state=0).cost_complexity_pruning_path(X, y)
    boost = invariant(lambda seed: GradientBoostingRegressor(n_estimators=60, max_depth=2, learning_rate=0.3, random_state=seed))
    staged = list(boost.staged_predict(grid))
    return {
        "x": x.tolist(), "y": y.tolist(), "grid": grid[:, 0].tolist(),
        "treePredictions": {str(d): p for d, p in trees.items()},
        "pruningPath": {"ccpAlphas": path.ccp_alphas.tolist(), "impurities": path.impurities.tolist()},
        "boosting": {"nEstimators": 60, "maxDepth": 2, "learningRate": 0.3, "stages": [1, 5, 60],
                     "stagedPredictions": [staged[0].tolist(), staged[4].tolist(), staged[59].tolist()]},
    }


def main():
    out = {
        "generator": "data/sklearn/10-decision-trees-and-random-forests-models.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "cancer": cancer(),
        "playTennisOneHot": play_tennis(),
        "curve": curve(),
    }
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
