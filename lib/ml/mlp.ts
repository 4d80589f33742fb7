/**
 * A one-hidden-layer MLP classifier in float64, in scikit-learn's shape (MLPClassifier with `solver="adam"`,
 * ReLU, softmax output): cheap enough to train hundreds of times in a hyper-parameter search, and
 * deterministic under its `seed` (initial weights and batch order).
 *
 *   const mlp = new MLPClassifier({ hiddenUnits: 32, alpha: 1e-4, learningRate: 1e-2, epochs: 10, seed: 0 }).fit(X, y);
 *   mlp.score(Xtest, yTest); mlp.lossCurve_;
 *
 * The loss of a batch B is scikit-learn's: mean cross-entropy over B + (alpha / 2) · ‖W‖² / |B| (kernels only,
 * not biases). Weights start Glorot-uniform (bound √(6 / (fan_in + fan_out))), biases too, as scikit-learn does.
 */
import { Random } from "../random";
import { accuracyScore, checkMatrix, checkParam, checkTarget, NotFittedError, uniqueLabels, type Labels, type Matrix, type ProbabilisticClassifier } from "./base";

export interface MLPClassifierParams {
  /** Units of the single ReLU hidden layer; default 32. */
  hiddenUnits?: number;
  /** L2 strength on the kernels (scikit-learn's alpha); default 1e-4. */
  alpha?: number;
  /** Adam's step size (scikit-learn's learning_rate_init); default 1e-3. */
  learningRate?: number;
  /** Examples per Adam step; default 32 (the last batch of an epoch may be smaller). */
  batchSize?: number;
  /** Passes over the data (scikit-learn's max_iter, without early stopping); default 20. */
  epochs?: number;
  /** Seeds the initial weights and the batch order; default 0. */
  seed?: number;
}

/** The weights of the network, flat row-major: w1 [inputs][hidden], b1 [hidden], w2 [hidden][classes], b2 [classes]. */
export interface MlpWeights {
  inputs: number;
  hidden: number;
  classes: number;
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
}

const WEIGHT_NAMES = ["w1", "b1", "w2", "b2"] as const;

/** Glorot-uniform initial weights and biases (scikit-learn's `_init_coef`). */
export function initMlpWeights(inputs: number, hidden: number, classes: number, rng: Random): MlpWeights {
  const layer = (fanIn: number, fanOut: number) => {
    const bound = Math.sqrt(6 / (fanIn + fanOut));
    return {
      kernel: Float64Array.from({ length: fanIn * fanOut }, () => rng.uniform(-bound, bound)),
      bias: Float64Array.from({ length: fanOut }, () => rng.uniform(-bound, bound)),
    };
  };
  const first = layer(inputs, hidden);
  const second = layer(hidden, classes);
  return { inputs, hidden, classes, w1: first.kernel, b1: first.bias, w2: second.kernel, b2: second.bias };
}

/** Class probabilities [rows][classes] and the hidden activations [rows][hidden]. */
function forward(weights: MlpWeights, X: Matrix, rows: readonly number[]): { hidden: Float64Array; probabilities: Float64Array } {
  const { inputs, hidden: h, classes: c, w1, b1, w2, b2 } = weights;
  const hidden = new Float64Array(rows.length * h);
  const probabilities = new Float64Array(rows.length * c);
  rows.forEach((row, r) => {
    const x = X[row]!;
    const a = hidden.subarray(r * h, (r + 1) * h);
    a.set(b1);
    for (let i = 0; i < inputs; i++) {
      const xi = x[i]!;
      if (xi === 0) continue;
      for (let j = 0; j < h; j++) a[j] = a[j]! + xi * w1[i * h + j]!;
    }
    for (let j = 0; j < h; j++) if (a[j]! < 0) a[j] = 0;
    const p = probabilities.subarray(r * c, (r + 1) * c);
    p.set(b2);
    for (let j = 0; j < h; j++) {
      const aj = a[j]!;
      if (aj === 0) continue;
      for (let k = 0; k < c; k++) p[k] = p[k]! + aj * w2[j * c + k]!;
    }
    let max = -Infinity;
    for (let k = 0; k < c; k++) max = Math.max(max, p[k]!);
    let total = 0;
    for (let k = 0; k < c; k++) total += (p[k] = Math.exp(p[k]! - max));
    for (let k = 0; k < c; k++) p[k] = p[k]! / total;
  });
  return { hidden, probabilities };
}

/**
 * The batch loss (mean cross-entropy + (alpha/2)·‖W‖²/|B|) and its exact gradient with respect to every weight,
 * by backpropagation. `classIndex[row]` is the index of row's class (0 … classes − 1).
 */
export function mlpLossAndGradient(weights: MlpWeights, X: Matrix, classIndex: readonly number[], rows: readonly number[], alpha: number): { loss: number; gradient: Omit<MlpWeights, "inputs" | "hidden" | "classes"> } {
  const { inputs, hidden: h, classes: c, w1, w2 } = weights;
  const n = rows.length;
  const { hidden, probabilities } = forward(weights, X, rows);
  const gradient = { w1: new Float64Array(w1.length), b1: new Float64Array(h), w2: new Float64Array(w2.length), b2: new Float64Array(c) };
  let loss = 0;
  const delta = new Float64Array(c);
  const back = new Float64Array(h);
  rows.forEach((row, r) => {
    const p = probabilities.subarray(r * c, (r + 1) * c);
    const a = hidden.subarray(r * h, (r + 1) * h);
    const target = classIndex[row]!;
    loss -= Math.log(Math.max(p[target]!, 1e-300));
    // ∂(mean CE)/∂logits = (p − onehot) / n
    for (let k = 0; k < c; k++) delta[k] = (p[k]! - (k === target ? 1 : 0)) / n;
    for (let k = 0; k < c; k++) gradient.b2[k] = gradient.b2[k]! + delta[k]!;
    for (let j = 0; j < h; j++) {
      const aj = a[j]!;
      let s = 0;
      for (let k = 0; k < c; k++) {
        gradient.w2[j * c + k] = gradient.w2[j * c + k]! + aj * delta[k]!;
        s += w2[j * c + k]! * delta[k]!;
      }
      back[j] = aj > 0 ? s : 0; // ReLU passes the gradient where it was active
    }
    const x = X[row]!;
    for (let j = 0; j < h; j++) gradient.b1[j] = gradient.b1[j]! + back[j]!;
    for (let i = 0; i < inputs; i++) {
      const xi = x[i]!;
      if (xi === 0) continue;
      for (let j = 0; j < h; j++) gradient.w1[i * h + j] = gradient.w1[i * h + j]! + xi * back[j]!;
    }
  });
  loss /= n;
  let squared = 0;
  for (const [kernel, grad] of [[w1, gradient.w1], [w2, gradient.w2]] as const) {
    for (let i = 0; i < kernel.length; i++) {
      squared += kernel[i]! * kernel[i]!;
      grad[i] = grad[i]! + (alpha / n) * kernel[i]!;
    }
  }
  return { loss: loss + (alpha / 2) * squared / n, gradient };
}

export class MLPClassifier implements ProbabilisticClassifier<MLPClassifierParams> {
  classes_?: number[];
  weights_?: MlpWeights;
  /** Mean batch loss of each epoch. */
  lossCurve_?: number[];
  nFeaturesIn_?: number;

  constructor(readonly params: Readonly<MLPClassifierParams> = {}) {
    const { hiddenUnits = 32, alpha = 1e-4, learningRate = 1e-3, batchSize = 32, epochs = 20, seed = 0 } = params;
    checkParam("hiddenUnits", hiddenUnits, Number.isInteger(hiddenUnits) && hiddenUnits >= 1, "an integer ≥ 1");
    checkParam("alpha", alpha, alpha >= 0 && Number.isFinite(alpha), "a finite number ≥ 0");
    checkParam("learningRate", learningRate, learningRate > 0 && Number.isFinite(learningRate), "a finite number > 0");
    checkParam("batchSize", batchSize, Number.isInteger(batchSize) && batchSize >= 1, "an integer ≥ 1");
    checkParam("epochs", epochs, Number.isInteger(epochs) && epochs >= 1, "an integer ≥ 1");
    checkParam("seed", seed, Number.isInteger(seed), "an integer");
  }

  fit(X: Matrix, y: Labels): this {
    const [rows, columns] = checkMatrix(X);
    checkTarget(y, rows);
    const { hiddenUnits = 32, alpha = 1e-4, learningRate = 1e-3, batchSize = 32, epochs = 20, seed = 0 } = this.params;
    const classes = uniqueLabels(y);
    if (classes.length < 2) throw new RangeError(`y must contain at least 2 classes, got only ${classes[0]}`);
    const classIndex = y.map((label) => classes.indexOf(label));
    const rng = new Random(seed);
    const weights = initMlpWeights(columns, hiddenUnits, classes.length, rng);
    // Adam with scikit-learn's (and Keras') defaults β1 = 0.9, β2 = 0.999, ε = 1e-8.
    const moments = WEIGHT_NAMES.map((name) => ({ m: new Float64Array(weights[name].length), v: new Float64Array(weights[name].length) }));
    let step = 0;
    const lossCurve: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = rng.permutation(rows);
      let total = 0;
      for (let start = 0; start < rows; start += batchSize) {
        const batch = order.slice(start, start + batchSize);
        const { loss, gradient } = mlpLossAndGradient(weights, X, classIndex, batch, alpha);
        total += loss * batch.length;
        step++;
        const correction1 = 1 - 0.9 ** step;
        const correction2 = 1 - 0.999 ** step;
        WEIGHT_NAMES.forEach((name, w) => {
          const values = weights[name];
          const g = gradient[name];
          const { m, v } = moments[w]!;
          for (let i = 0; i < values.length; i++) {
            m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
            v[i] = 0.999 * v[i]! + 0.001 * g[i]! * g[i]!;
            values[i] = values[i]! - (learningRate * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + 1e-8);
          }
        });
      }
      lossCurve.push(total / rows);
    }
    this.classes_ = classes;
    this.weights_ = weights;
    this.lossCurve_ = lossCurve;
    this.nFeaturesIn_ = columns;
    return this;
  }

  predictProba(X: Matrix): Matrix {
    if (!this.weights_) throw new NotFittedError("MLPClassifier");
    const [rows] = checkMatrix(X, "X", this.nFeaturesIn_);
    const c = this.weights_.classes;
    const { probabilities } = forward(this.weights_, X, Array.from({ length: rows }, (_, i) => i));
    return Array.from({ length: rows }, (_, r) => Array.from(probabilities.subarray(r * c, (r + 1) * c)));
  }

  predict(X: Matrix): Labels {
    const classes = this.classes_ ?? [];
    return this.predictProba(X).map((p) => classes[p.indexOf(Math.max(...p))]!);
  }

  score(X: Matrix, y: Labels): number {
    return accuracyScore(y, this.predict(X));
  }
}
