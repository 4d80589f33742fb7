"""Writes 07-evaluation-metrics-scores.json, the scikit-learn truth for notebooks/07-evaluation-metrics.ts:
real models' scores on shipped datasets, and scikit-learn's value of every metric the notebook computes.

Run from the repository root with Debian's scikit-learn:
    /usr/bin/python3 data/sklearn/07-evaluation-metrics-scores.py

Splits are by row index (test = rows whose index is a multiple of 3, train = the rest), so the notebook
rebuilds them without sharing a random generator with Python.
"""
import collections
import json
import pathlib
import re
import string

import numpy as np
import sklearn
from sklearn import metrics
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.preprocessing import StandardScaler

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = pathlib.Path(__file__).with_suffix(".json")


def load(name):
    """A shipped CSV in scikit-learn's layout: a header line of counts, features, class id last."""
    rows = np.loadtxt(ROOT / "data" / name, delimiter=",", skiprows=1)
    return rows[:, :-1], rows[:, -1].astype(int)


def split(n):
    index = np.arange(n)
    return index[index % 3 != 0], index[index % 3 == 0]


def floats(a):
    return [float(v) for v in np.ravel(a)]


def ints(a):
    return [int(v) for v in np.ravel(a)]


def logistic(X, y, columns):
    """Standardise on the training rows, then an L2 logistic regression (C = 1) solved to tight tolerance."""
    train, test = split(len(y))
    scaler = StandardScaler().fit(X[train][:, columns])
    model = LogisticRegression(C=1.0, tol=1e-10, max_iter=10000).fit(scaler.transform(X[train][:, columns]), y[train])
    X_test = scaler.transform(X[test][:, columns])
    return model, model.predict_proba(X_test), model.predict(X_test)


def binary_metrics(y, scores, threshold=0.5):
    pred = (scores >= threshold).astype(int)
    fpr, tpr, roc_thresholds = metrics.roc_curve(y, scores, drop_intermediate=False)
    precision, recall, pr_thresholds = metrics.precision_recall_curve(y, scores)
    return {
        "scores": floats(scores),
        "threshold": threshold,
        "yPred": ints(pred),
        "confusionMatrix": metrics.confusion_matrix(y, pred).tolist(),
        "accuracy": metrics.accuracy_score(y, pred),
        "precision": metrics.precision_score(y, pred),
        "recall": metrics.recall_score(y, pred),
        "f1": metrics.f1_score(y, pred),
        "f2": metrics.fbeta_score(y, pred, beta=2),
        "balancedAccuracy": metrics.balanced_accuracy_score(y, pred),
        "cohenKappa": metrics.cohen_kappa_score(y, pred),
        "rocAuc": metrics.roc_auc_score(y, scores),
        "averagePrecision": metrics.average_precision_score(y, scores),
        "logLoss": metrics.log_loss(y, scores),
        # roc_thresholds[0] is max(score) + 1 in scikit-learn 1.2 (inf from 1.3): compare from index 1.
        "roc": {"fpr": floats(fpr), "tpr": floats(tpr), "thresholds": floats(roc_thresholds)},
        "pr": {"precision": floats(precision), "recall": floats(recall), "thresholds": floats(pr_thresholds)},
        "perClass": per_class(y, pred),
        "averages": averages(y, pred),
    }


def per_class(y, pred):
    p, r, f, s = metrics.precision_recall_fscore_support(y, pred, zero_division=0)
    return {"precision": floats(p), "recall": floats(r), "fscore": floats(f), "support": ints(s)}


def averages(y, pred):
    return {
        average: {
            "precision": metrics.precision_score(y, pred, average=average, zero_division=0),
            "recall": metrics.recall_score(y, pred, average=average, zero_division=0),
            "f1": metrics.f1_score(y, pred, average=average, zero_division=0),
        }
        for average in ["macro", "micro", "weighted"]
    }


# SQuAD v1.1 evaluation script (normalize_answer, exact match, token F1), its logic verbatim.
def normalize_answer(s):
    def remove_articles(text):
        return re.sub(r"\b(a|an|the)\b", " ", text)

    def white_space_fix(text):
        return " ".join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return "".join(ch for ch in text if ch not in exclude)

    return white_space_fix(remove_articles(remove_punc(s.lower())))


def squad_f1(prediction, ground_truth):
    prediction_tokens = normalize_answer(prediction).split()
    ground_truth_tokens = normalize_answer(ground_truth).split()
    common = collections.Counter(prediction_tokens) & collections.Counter(ground_truth_tokens)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(prediction_tokens)
    recall = 1.0 * num_same / len(ground_truth_tokens)
    return (2 * precision * recall) / (precision + recall)


def squad_em(prediction, ground_truth):
    return normalize_answer(prediction) == normalize_answer(ground_truth)


# Short-answer QA, authored for this repository: a question, accepted references, a model's answer, and the
# verdicts of two human raters (1 = correct) who read the question and the answer.
ANSWERS = [
    ("Which tower was completed in Paris in 1889?", ["Eiffel Tower"], "The Eiffel Tower.", 1, 1),
    ("In which year was the Eiffel Tower completed?", ["1889"], "It was completed in 1889.", 1, 1),
    ("In which year did people first land on the Moon?", ["1969"], "nineteen sixty-nine", 1, 1),
    ("What is the capital of Australia?", ["Canberra"], "Sydney", 0, 0),
    ("Which is the largest of the Great Lakes by area?", ["Lake Superior"], "Lake Michigan", 0, 0),
    ("Who wrote Pride and Prejudice?", ["Jane Austen", "Austen"], "Austen", 1, 1),
    ("Which gas do plants take from the air for photosynthesis?", ["carbon dioxide", "CO2"], "Carbon dioxide (CO2)", 1, 1),
    ("Which planet is called the Red Planet?", ["Mars"], "Mars, the fourth planet from the Sun", 1, 0),
    ("What is the chemical symbol of gold?", ["Au"], "Ag", 0, 0),
    ("How many sides does a hexagon have?", ["six", "6"], "6 sides", 1, 1),
    ("Who painted the Mona Lisa?", ["Leonardo da Vinci", "da Vinci"], "Michelangelo", 0, 1),
    ("What is the boiling point of water at sea level in Celsius?", ["100 degrees", "100"], "100 °C", 1, 1),
]


def main():
    out = {"generator": "data/sklearn/07-evaluation-metrics-scores.py", "sklearn": sklearn.__version__, "numpy": np.__version__}

    # Breast cancer, positive class = malignant (the file's class 0). A deliberately weak model on two features
    # (mean texture, mean smoothness) and a strong one on all 30.
    X, target = load("breast_cancer.csv")
    y = (target == 0).astype(int)
    _, test = split(len(y))
    out["breastCancer"] = {"positive": "malignant", "yTest": ints(y[test]), "testRows": ints(test)}
    weak_model, weak_proba, _ = logistic(X, y, [1, 4])
    out["breastCancer"]["twoFeatures"] = {
        "columns": [1, 4],
        "coef": floats(weak_model.coef_),
        "intercept": floats(weak_model.intercept_),
        **binary_metrics(y[test], weak_proba[:, 1]),
        "threshold03": binary_metrics(y[test], weak_proba[:, 1], 0.3),
    }
    _, strong_proba, _ = logistic(X, y, list(range(30)))
    out["breastCancer"]["allFeatures"] = {"columns": list(range(30)), **binary_metrics(y[test], strong_proba[:, 1])}
    # Ties: the weak model's probabilities rounded to one decimal.
    rounded = np.round(weak_proba[:, 1], 1)
    out["breastCancer"]["rounded"] = {
        "scores": floats(rounded),
        "rocAuc": metrics.roc_auc_score(y[test], rounded),
        "averagePrecision": metrics.average_precision_score(y[test], rounded),
        "brier": metrics.brier_score_loss(y[test], rounded),
    }
    # Calibration: the Brier score and the 10-bin reliability curve of both models.
    for key, scores in [("twoFeatures", weak_proba[:, 1]), ("allFeatures", strong_proba[:, 1])]:
        prob_true, prob_pred = calibration_curve(y[test], scores, n_bins=10)
        out["breastCancer"][key]["brier"] = metrics.brier_score_loss(y[test], scores)
        out["breastCancer"][key]["calibrationCurve"] = {"probTrue": floats(prob_true), "probPred": floats(prob_pred)}

    # Wine, three classes, multinomial logistic regression on two features (alcohol, ash).
    Xw, yw = load("wine_data.csv")
    _, test_w = split(len(yw))
    _, wine_proba, wine_pred = logistic(Xw, yw, [0, 2])
    out["wine"] = {
        "columns": [0, 2],
        "yTest": ints(yw[test_w]),
        "yPred": ints(wine_pred),
        "proba": wine_proba.tolist(),
        "confusionMatrix": metrics.confusion_matrix(yw[test_w], wine_pred).tolist(),
        "accuracy": metrics.accuracy_score(yw[test_w], wine_pred),
        "balancedAccuracy": metrics.balanced_accuracy_score(yw[test_w], wine_pred),
        "cohenKappa": metrics.cohen_kappa_score(yw[test_w], wine_pred),
        "logLoss": metrics.log_loss(yw[test_w], wine_proba),
        "perClass": per_class(yw[test_w], wine_pred),
        "averages": averages(yw[test_w], wine_pred),
    }

    # Diabetes, ordinary least squares on the ten raw features.
    Xd = np.loadtxt(ROOT / "data" / "diabetes_data_raw.csv.gz")
    yd = np.loadtxt(ROOT / "data" / "diabetes_target.csv.gz")
    train_d, test_d = split(len(yd))
    regression = LinearRegression().fit(Xd[train_d], yd[train_d])
    yd_pred = regression.predict(Xd[test_d])
    out["diabetes"] = {
        "yTest": floats(yd[test_d]),
        "yPred": floats(yd_pred),
        "mse": metrics.mean_squared_error(yd[test_d], yd_pred),
        "rmse": metrics.mean_squared_error(yd[test_d], yd_pred, squared=False),
        "mae": metrics.mean_absolute_error(yd[test_d], yd_pred),
        "r2": metrics.r2_score(yd[test_d], yd_pred),
        "mape": metrics.mean_absolute_percentage_error(yd[test_d], yd_pred),
        "r2TrainMean": metrics.r2_score(yd[test_d], np.full(len(test_d), yd[train_d].mean())),
    }

    rater_a = [a for *_, a, _ in ANSWERS]
    rater_b = [b for *_, b in ANSWERS]
    out["generatedAnswers"] = {
        "items": [
            {
                "question": q,
                "references": refs,
                "prediction": p,
                "raterA": a,
                "raterB": b,
                "normalized": normalize_answer(p),
                "exactMatch": float(max(squad_em(p, r) for r in refs)),
                "f1": float(max(squad_f1(p, r) for r in refs)),
            }
            for q, refs, p, a, b in ANSWERS
        ],
        "raterKappa": metrics.cohen_kappa_score(rater_a, rater_b),
    }
    OUT.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
