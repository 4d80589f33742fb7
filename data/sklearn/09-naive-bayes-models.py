"""Writes 09-naive-bayes-models.json, the scikit-learn truth for notebooks/09-naive-bayes.ts: CategoricalNB on
play tennis, MultinomialNB and BernoulliNB on a small spam/ham message set authored for this repository, GaussianNB on iris.

Run from the repository root with Debian's scikit-learn:
    /usr/bin/python3 data/sklearn/09-naive-bayes-models.py

Log-probabilities of zero (log 0 = -inf, possible with alpha = 0) are written as null. Category codes follow
lib/data.ts: each value's code is its order of first appearance in the column. The iris split is by row index
(test = rows whose index is a multiple of 3), so the notebook rebuilds it without sharing a random generator with
Python.
"""
import csv
import json
import pathlib
import warnings

import numpy as np
import sklearn
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import BernoulliNB, CategoricalNB, GaussianNB, MultinomialNB

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = pathlib.Path(__file__).with_suffix(".json")

# Short messages written for this repository (CC0): 1 = spam, 0 = ham (a normal message).
TRAIN_MESSAGES = [
    ("win a free prize now", 1),
    ("free cash offer click now", 1),
    ("claim your free prize today", 1),
    ("cheap loans click here now", 1),
    ("you win cash click the link", 1),
    ("limited offer free gift card", 1),
    ("urgent claim your cash prize", 1),
    ("win win win free money", 1),
    ("exclusive offer just for you click here", 1),
    ("your account won a cash reward click to claim", 1),
    ("meeting moved to friday afternoon", 0),
    ("can you send the project report", 0),
    ("lunch tomorrow with the team", 0),
    ("the report is attached see you at the meeting", 0),
    ("please review the project plan today", 0),
    ("are we still on for lunch", 0),
    ("team meeting notes attached", 0),
    ("thanks for the report see you tomorrow", 0),
    ("call me when you land", 0),
    ("dinner at home tonight", 0),
    ("the project deadline is next friday", 0),
    ("happy birthday see you at dinner", 0),
]
TEST_MESSAGES = [
    ("free prize click now", 1),
    ("claim your reward today", 1),
    ("project meeting tomorrow", 0),
    ("see you at lunch", 0),
    ("free lunch for the team", 0),
    ("click here for the report", 0),
]
TOKEN_PATTERN = r"[a-z]+"


def play_tennis():
    with open(ROOT / "data" / "play_tennis.csv", newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    columns = list(zip(*rows))
    categories = [list(dict.fromkeys(column)) for column in columns]
    codes = np.array([[categories[j].index(v) for j, v in enumerate(row)] for row in rows])
    return header, categories, codes[:, :-1], codes[:, -1]


def tolist(a):
    return np.asarray(a, dtype=float).tolist()


def log_tolist(a):
    """Log-probabilities with log 0 = -inf written as null, since JSON has no infinities."""
    return [[None if v == -np.inf else v for v in row] for row in np.asarray(a, dtype=float).tolist()]


def categorical(X, y, queries, alpha):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # alpha = 0 takes log(0) = -inf on purpose
        model = CategoricalNB(alpha=alpha, force_alpha=True).fit(X, y)
        jll = model.predict_joint_log_proba(queries) if hasattr(model, "predict_joint_log_proba") else model._joint_log_likelihood(queries)
        proba = model.predict_proba(queries)
    return {
        "alpha": alpha,
        "classLogPrior": tolist(model.class_log_prior_),
        "featureLogProb": [log_tolist(f) for f in model.feature_log_prob_],
        "jointLogProba": log_tolist(jll),
        "proba": tolist(proba),
        "predict": [int(v) for v in model.predict(queries)],
    }


def main():
    out = {"generator": "data/sklearn/09-naive-bayes-models.py", "sklearn": sklearn.__version__, "numpy": np.__version__}

    header, categories, X, y = play_tennis()
    query = [categories[j].index(v) for j, v in enumerate(["sunny", "cool", "high", "strong"])]
    overcast = [categories[j].index(v) for j, v in enumerate(["overcast", "cool", "high", "strong"])]
    queries = np.vstack([X, [query], [overcast]])
    out["tennis"] = {
        "featureNames": header[:-1],
        "categories": categories[:-1],
        "classes": categories[-1],
        "queries": queries.tolist(),
        "models": [categorical(X, y, queries, alpha) for alpha in [1.0, 0.5, 0.0]],
    }

    vectorizer = CountVectorizer(token_pattern=TOKEN_PATTERN)
    train_counts = vectorizer.fit_transform([m for m, _ in TRAIN_MESSAGES]).toarray()
    test_counts = vectorizer.transform([m for m, _ in TEST_MESSAGES]).toarray()
    train_labels = np.array([label for _, label in TRAIN_MESSAGES])
    model = MultinomialNB(alpha=1.0, force_alpha=True).fit(train_counts, train_labels)
    out["spam"] = {
        "tokenPattern": TOKEN_PATTERN,
        "trainMessages": [m for m, _ in TRAIN_MESSAGES],
        "trainLabels": train_labels.tolist(),
        "testMessages": [m for m, _ in TEST_MESSAGES],
        "testLabels": [label for _, label in TEST_MESSAGES],
        "vocabulary": vectorizer.get_feature_names_out().tolist(),
        "trainCounts": train_counts.tolist(),
        "testCounts": test_counts.tolist(),
        "alpha": 1.0,
        "featureCount": tolist(model.feature_count_),
        "classLogPrior": tolist(model.class_log_prior_),
        "featureLogProb": tolist(model.feature_log_prob_),
        "proba": tolist(model.predict_proba(test_counts)),
        "predict": [int(v) for v in model.predict(test_counts)],
    }
    bernoulli = BernoulliNB(alpha=1.0, binarize=0.0, force_alpha=True).fit(train_counts, train_labels)
    out["spam"]["bernoulli"] = {
        "alpha": 1.0,
        "binarize": 0.0,
        "featureLogProb": tolist(bernoulli.feature_log_prob_),
        "jointLogProba": tolist(bernoulli.predict_joint_log_proba(test_counts)),
        "proba": tolist(bernoulli.predict_proba(test_counts)),
        "predict": [int(v) for v in bernoulli.predict(test_counts)],
    }

    rows = np.loadtxt(ROOT / "data" / "iris.csv", delimiter=",", skiprows=1)
    Xi, yi = rows[:, :-1], rows[:, -1].astype(int)
    index = np.arange(len(yi))
    train, test = index[index % 3 != 0], index[index % 3 == 0]
    gaussian = GaussianNB().fit(Xi[train], yi[train])
    petals = GaussianNB().fit(Xi[train][:, 2:], yi[train])
    grid = np.array([[length, width] for length in [1.5, 3.0, 4.5, 5.0, 6.0] for width in [0.2, 1.0, 1.6, 1.8, 2.4]])
    out["iris"] = {
        "testRows": test.tolist(),
        "varSmoothing": 1e-9,
        "theta": tolist(gaussian.theta_),
        "var": tolist(gaussian.var_),
        "epsilon": float(gaussian.epsilon_),
        "classPrior": tolist(gaussian.class_prior_),
        "proba": tolist(gaussian.predict_proba(Xi[test])),
        "predict": [int(v) for v in gaussian.predict(Xi[test])],
        "testAccuracy": float(gaussian.score(Xi[test], yi[test])),
        "petals": {
            "theta": tolist(petals.theta_),
            "var": tolist(petals.var_),
            "grid": grid.tolist(),
            "gridProba": tolist(petals.predict_proba(grid)),
            "testAccuracy": float(petals.score(Xi[test][:, 2:], yi[test])),
        },
    }
    OUT.write_text(json.dumps(out, indent=1, allow_nan=False) + "\n")


if __name__ == "__main__":
    main()
