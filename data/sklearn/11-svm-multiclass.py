"""Writes 11-svm-multiclass.json, the scikit-learn reference for the multiclass and probability sections of
notebooks/11-svm.ts.

Run from the repository root with Debian's scikit-learn:  /usr/bin/python3 data/sklearn/11-svm-multiclass.py

What it holds:
  iris        data/iris.csv (the file lib/data.ts loads), 4 features, 3 classes. Test = rows whose index is a
              multiple of 3, train = the others (the notebook rebuilds the split without a shared generator).
              A StandardScaler fitted on the training rows (its mean_ and scale_ are stored), then for each
              kernel ("rbf", gamma = "scale"; "linear"), C = 1, tol = 1e-8:
                SVC (libsvm: one-vs-one inside): n_support_, the test decision values with
                decision_function_shape "ovo" (one column per class pair (0,1), (0,2), (1,2)) and "ovr"
                (votes + scaled confidences), and predict
                OneVsRestClassifier(SVC(kernel, C = 1)) (one machine per class against the rest): its test
                decision values (one column per class) and predict
  platt       the binary task versicolor (1) vs virginica (2) on the same scaled rows: SVC(rbf, C = 1,
              probability = True, random_state = 0): probA_, probB_ (libsvm's sigmoid 1 / (1 + exp(A f + B)),
              fitted on decision values from an internal 5-fold cross-validation), the test decision values
              and predict_proba, and predict
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = pathlib.Path(__file__).with_suffix(".json")


def main():
    out = {"generator": "data/sklearn/11-svm-multiclass.py", "sklearn": sklearn.__version__, "numpy": np.__version__}
    data = np.loadtxt(ROOT / "data" / "iris.csv", delimiter=",", skiprows=1)
    X, y = data[:, :4], data[:, 4].astype(int)
    test = np.arange(len(y)) % 3 == 0
    scaler = StandardScaler().fit(X[~test])
    train_x, test_x = scaler.transform(X[~test]), scaler.transform(X[test])
    train_y, test_y = y[~test], y[test]
    kernels = {}
    for kernel in ["rbf", "linear"]:
        ovo = SVC(kernel=kernel, C=1.0, tol=1e-8, decision_function_shape="ovo").fit(train_x, train_y)
        ovr_shape = SVC(kernel=kernel, C=1.0, tol=1e-8, decision_function_shape="ovr").fit(train_x, train_y)
        rest = OneVsRestClassifier(SVC(kernel=kernel, C=1.0, tol=1e-8)).fit(train_x, train_y)
        kernels[kernel] = {
            "nSupport": ovo.n_support_.tolist(),
            "ovoDecision": ovo.decision_function(test_x).tolist(),
            "ovrShapeDecision": ovr_shape.decision_function(test_x).tolist(),
            "predict": ovo.predict(test_x).tolist(),
            "oneVsRestDecision": rest.decision_function(test_x).tolist(),
            "oneVsRestPredict": rest.predict(test_x).tolist(),
        }
    out["iris"] = {"firstRow": X[0].tolist(), "scalerMean": scaler.mean_.tolist(), "scalerScale": scaler.scale_.tolist(),
                   "testAccuracyOvo": {k: float(np.mean(np.array(v["predict"]) == test_y)) for k, v in kernels.items()},
                   "kernels": kernels}

    pair_train, pair_test = np.isin(train_y, [1, 2]), np.isin(test_y, [1, 2])
    svm = SVC(kernel="rbf", C=1.0, tol=1e-8, probability=True, random_state=0).fit(train_x[pair_train], train_y[pair_train])
    out["platt"] = {
        "probA": float(svm.probA_[0]), "probB": float(svm.probB_[0]),
        "testDecision": svm.decision_function(test_x[pair_test]).tolist(),
        "testProba": svm.predict_proba(test_x[pair_test])[:, 1].tolist(),
        "testPredict": svm.predict(test_x[pair_test]).tolist(),
    }
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
