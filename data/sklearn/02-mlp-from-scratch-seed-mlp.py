"""Fixture for notebooks/02-mlp-from-scratch: the seed's S0-C2 MLP, run as written and fixed one bug at a time.

Writes 02-mlp-from-scratch-seed-mlp.json beside this file. Run with Debian's Python, which has scikit-learn:

    /usr/bin/python3 data/sklearn/02-mlp-from-scratch-seed-mlp.py

Contents:
  - "stages": the seed's snippet (quoted verbatim below) run after 0, 1, 2, ... textual fixes, each with the
    first exception it raises or the accuracy it prints. np.random.seed(0) is set before each run (the seed
    sets none) so that the printed numbers are reproducible.
  - the data of the seed's intent: make_classification(..., n_redundant=0, random_state=42) split 80/20;
  - a reference for the fully fixed MLP (every fix, plus a BCE output gradient and a seeded, scaled
    initialisation): its initial weights, its loss after every iteration and its final weights, which the
    notebook's TypeScript port must reproduce from the same initial weights;
  - what numpy's broadcasting makes of the seed's accuracy line, np.mean((output > 0.5) == y_test), for the
    fixed model's test outputs.
"""
import contextlib
import io
import json
import os

import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

SEED_SNIPPET = '''import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

# 生成分类任务数据集
x, y = make_classification(n_samples=100, n_features=2, n_classes=2, random_state=42)
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=42)

# 初始化模型参数
input_size = x_train.shape[1]
hidden_size = 10
output_size = y_train.shape[1]
weights_input_hidden = np.random.rand(hidden_size, input_size)
weights_hidden_output = np.random.rand(output_size, hidden_size)
bias_hidden = np.random.rand(hidden_size)
bias_output = np.random.rand(output_size)

# 激活函数
def sigmoid(x):
    return 1 / (1 + np.exp(-x))

# 前向传播
def forward_propagation(x, weights_input_hidden, weights_hidden_output, bias_hidden, bias_output):
    hidden = sigmoid(np.dot(x, weights_input_hidden) + bias_hidden)
    output = sigmoid(np.dot(hidden, weights_hidden_output) + bias_output)
    return hidden, output

# 反向传播
def backward_propagation(x, y, hidden, output, weights_input_hidden, weights_hidden_output, bias_hidden, bias_output):
    d_output = (output - y) * (output * (1 - output))
    d_hidden = d_output.dot(weights_hidden_output.T) * (hidden * (1 - hidden))
    d_weights_input_hidden = hidden.T.dot(d_hidden)
    d_bias_hidden = np.sum(d_hidden, axis=0)
    d_weights_hidden_output = hidden.T.dot(d_output)
    d_bias_output = np.sum(d_output, axis=0)
    weights_input_hidden -= 0.01 * d_weights_input_hidden
    weights_hidden_output -= 0.01 * d_weights_hidden_output
    bias_hidden -= 0.01 * d_bias_hidden
    bias_output -= 0.01 * d_bias_output
    return weights_input_hidden, weights_hidden_output, bias_hidden, bias_output

# 模型训练
for i in range(1000):
    hidden, output = forward_propagation(x_train, weights_input_hidden, weights_hidden_output, bias_hidden, bias_output)
    weights_input_hidden, weights_hidden_output, bias_hidden, bias_output = backward_propagation(x_train, y_train, hidden, output, weights_input_hidden, weights_hidden_output, bias_hidden, bias_output)

# 模型评估
hidden, output = forward_propagation(x_test, weights_input_hidden, weights_hidden_output, bias_hidden, bias_output)
accuracy = np.mean((output > 0.5) == y_test)
print("Accuracy:", accuracy)
'''

# Applied cumulatively, in the order in which the crashes surface.
FIXES = [
    ("n_redundant=0: the defaults ask for 2 informative + 2 redundant features out of 2",
     "n_features=2, n_classes=2,", "n_features=2, n_redundant=0, n_classes=2,"),
    ("output_size = 1: y is 1-D, it has no shape[1]",
     "output_size = y_train.shape[1]", "output_size = 1"),
    ("weights as [in, out], the shape x @ W needs (input → hidden)",
     "np.random.rand(hidden_size, input_size)", "np.random.rand(input_size, hidden_size)"),
    ("weights as [in, out] (hidden → output)",
     "np.random.rand(output_size, hidden_size)", "np.random.rand(hidden_size, output_size)"),
    ("y as a column [n, 1] in training, so output - y does not broadcast to [n, n]",
     "backward_propagation(x_train, y_train,", "backward_propagation(x_train, y_train.reshape(-1, 1),"),
    ("y_test as a column in the accuracy, for the same reason",
     "== y_test)", "== y_test.reshape(-1, 1))"),
    ("dW1 = x.T @ delta1: the layer's input is x, not the hidden activations",
     "d_weights_input_hidden = hidden.T.dot(d_hidden)", "d_weights_input_hidden = x.T.dot(d_hidden)"),
]


def run_snippet(source):
    np.random.seed(0)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(source, "S0-C2", "exec"), {"__name__": "__seed__"})
    except Exception as error:  # noqa: BLE001 - recording whatever the snippet raises is the point
        return {"error": f"{type(error).__name__}: {error}"}
    return {"printed": out.getvalue().strip()}


stages = [{"fix": "(as written)", **run_snippet(SEED_SNIPPET)}]
source = SEED_SNIPPET
for description, old, new in FIXES:
    assert source.count(old) == 1, old
    source = source.replace(old, new)
    stages.append({"fix": description, **run_snippet(source)})

# The seed's intended data.
x, y = make_classification(n_samples=100, n_features=2, n_redundant=0, n_classes=2, random_state=42)
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=42)

# The fully fixed MLP: 2 → 10 sigmoid → 1 sigmoid, BCE (output gradient p − y), mean over the batch,
# weights N(0, 1/fan_in) from a seeded generator, zero biases, full-batch gradient descent.
HIDDEN, LEARNING_RATE, ITERATIONS = 10, 0.5, 1000
rng = np.random.default_rng(0)
w1 = rng.normal(0.0, np.sqrt(1.0 / 2), size=(2, HIDDEN))
w2 = rng.normal(0.0, np.sqrt(1.0 / HIDDEN), size=(HIDDEN, 1))
b1 = np.zeros(HIDDEN)
b2 = np.zeros(1)
initial = {"w1": w1.tolist(), "b1": b1.tolist(), "w2": w2.tolist(), "b2": b2.tolist()}


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


target = y_train.reshape(-1, 1).astype(float)
n = len(x_train)
losses = []
for _ in range(ITERATIONS):
    hidden = sigmoid(x_train @ w1 + b1)
    output = sigmoid(hidden @ w2 + b2)
    losses.append(float(-np.mean(target * np.log(output) + (1 - target) * np.log(1 - output))))
    d_output = (output - target) / n
    d_hidden = (d_output @ w2.T) * hidden * (1 - hidden)
    w2 = w2 - LEARNING_RATE * (hidden.T @ d_output)
    b2 = b2 - LEARNING_RATE * d_output.sum(axis=0)
    w1 = w1 - LEARNING_RATE * (x_train.T @ d_hidden)
    b1 = b1 - LEARNING_RATE * d_hidden.sum(axis=0)

test_output = sigmoid(sigmoid(x_test @ w1 + b1) @ w2 + b2)
fixture = {
    "generator": "data/sklearn/02-mlp-from-scratch-seed-mlp.py",
    "sklearn_version": sklearn.__version__,
    "numpy_version": np.__version__,
    "seed_snippet": SEED_SNIPPET,
    "stages": stages,
    "x_train": x_train.tolist(),
    "y_train": y_train.tolist(),
    "x_test": x_test.tolist(),
    "y_test": y_test.tolist(),
    "fixed_mlp": {
        "hidden": HIDDEN,
        "learning_rate": LEARNING_RATE,
        "iterations": ITERATIONS,
        "initial": initial,
        "final": {"w1": w1.tolist(), "b1": b1.tolist(), "w2": w2.tolist(), "b2": b2.tolist()},
        "losses": losses,
        "test_output": test_output[:, 0].tolist(),
        "test_accuracy": float(np.mean((test_output > 0.5) == y_test.reshape(-1, 1))),
        "broadcast_accuracy": float(np.mean((test_output > 0.5) == y_test)),
        "broadcast_shape": list(((test_output > 0.5) == y_test).shape),
    },
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "02-mlp-from-scratch-seed-mlp.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(fixture, f, ensure_ascii=False, indent=1)
    f.write("\n")
for stage in stages:
    print(stage)
print("fixed MLP: final loss", losses[-1], "test accuracy", fixture["fixed_mlp"]["test_accuracy"],
      "broadcast accuracy", fixture["fixed_mlp"]["broadcast_accuracy"])
