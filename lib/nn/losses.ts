/**
 * Loss functions in float64 plain TypeScript, with the gradients a hand-written backward pass needs.
 * Each is the same function as its `tf.losses.*` counterpart (default reduction: the mean over elements),
 * which is what the unit tests compare against.
 *
 *   meanSquaredError.value(y, yHat)          // a number
 *   huberLoss(1).gradient(y, yHat)           // ∂loss/∂yHat, one entry per prediction
 *   softmaxCrossEntropy(labels, logits)      // labels as class indices or one-hot rows
 *
 * Elementwise losses take yTrue and yPred of equal length [n] and average over n; their gradient includes the
 * 1/n. Softmax cross-entropy takes [n][classes] logits and averages over the n rows.
 *
 * Every argument is validated (finite numbers, probabilities in [0, 1], equal non-zero lengths); errors name the
 * loss, the argument and the first bad position.
 */
import { checkValuePair, checkValues } from "../ml/base";

export interface Loss {
  readonly name: string;
  /** Mean over the n elements of yTrue, yPred ([n] each). */
  value(yTrue: readonly number[], yPred: readonly number[]): number;
  /** ∂value/∂yPred, [n]: includes the 1/n of the mean; a subgradient at kinks (0 there). */
  gradient(yTrue: readonly number[], yPred: readonly number[]): number[];
}

/** Builds a mean-reduced Loss from its per-element function and derivative with respect to the prediction. */
function elementwise(
  name: string,
  loss: (target: number, prediction: number) => number,
  derivative: (target: number, prediction: number) => number,
  checkTarget: (target: number) => boolean = Number.isFinite,
  targetRule = "finite",
  predictionKind: "finite" | "probability" = "finite",
): Loss {
  const validate = (yTrue: readonly number[], yPred: readonly number[]): void => {
    checkValuePair(name, ["yTrue", "yPred"], yTrue, yPred, ["finite", predictionKind]);
    yTrue.forEach((t, i) => {
      if (!checkTarget(t)) throw new RangeError(`${name}: yTrue[${i}] must be ${targetRule}, got ${t}`);
    });
  };
  return {
    name,
    value(yTrue, yPred) {
      validate(yTrue, yPred);
      return yTrue.reduce((sum, t, i) => sum + loss(t, yPred[i]!), 0) / yTrue.length;
    },
    gradient(yTrue, yPred) {
      validate(yTrue, yPred);
      return yTrue.map((t, i) => derivative(t, yPred[i]!) / yTrue.length);
    },
  };
}

/** (ŷ − y)²: tf.losses.meanSquaredError. */
export const meanSquaredError: Loss = elementwise("meanSquaredError", (t, p) => (p - t) ** 2, (t, p) => 2 * (p - t));

/** |ŷ − y|: tf.losses.absoluteDifference. Its minimiser is the median, hence the robustness to outliers. */
export const meanAbsoluteError: Loss = elementwise("meanAbsoluteError", (t, p) => Math.abs(p - t), (t, p) => Math.sign(p - t));

/**
 * Huber: ½r² for |r| ≤ δ, δ(|r| − ½δ) beyond (tf.losses.huberLoss): quadratic near zero, linear in the
 * tails, so an outlier's pull on the fit is capped at δ.
 */
export function huberLoss(delta = 1): Loss {
  if (!(delta > 0)) throw new RangeError(`huberLoss: delta must be > 0, got ${delta}`);
  return elementwise(
    `huberLoss(δ=${delta})`,
    (t, p) => {
      const r = Math.abs(p - t);
      return r <= delta ? 0.5 * r * r : delta * (r - 0.5 * delta);
    },
    (t, p) => Math.min(Math.max(p - t, -delta), delta),
  );
}

const isProbability = (t: number) => t >= 0 && t <= 1;

/** Probabilities are clipped to [ε, 1 − ε] before the log (Keras's convention), so a confident mistake costs −ln ε ≈ 16.1. */
export const PROBABILITY_EPSILON = 1e-7;
const clipProbability = (p: number) => Math.min(Math.max(p, PROBABILITY_EPSILON), 1 - PROBABILITY_EPSILON);

/**
 * Binary cross-entropy on probabilities, −[y ln p + (1 − y) ln(1 − p)] with p clipped to [ε, 1 − ε]; the
 * same function as "log loss" (tf.losses.logLoss, which adds ε instead of clipping). Gradient (p − y)/(p(1 − p)),
 * 0 where the clip is active.
 */
export const binaryCrossEntropy: Loss = elementwise(
  "binaryCrossEntropy",
  (t, p) => {
    const q = clipProbability(p);
    return -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
  },
  (t, p) => (p !== clipProbability(p) ? 0 : (p - t) / (p * (1 - p))),
  isProbability,
  "in [0, 1]",
  "probability",
);

/**
 * Binary cross-entropy on logits z (tf.losses.sigmoidCrossEntropy) in the overflow-free form
 * max(z, 0) − z·y + ln(1 + e^(−|z|)). Gradient σ(z) − y: finite for any z.
 */
export const binaryCrossEntropyWithLogits: Loss = elementwise(
  "binaryCrossEntropyWithLogits",
  (t, z) => Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z))),
  (t, z) => sigmoid(z) - t,
  isProbability,
  "in [0, 1]",
);

/**
 * Hinge max(0, 1 − y·s) for labels y ∈ {−1, +1} and scores s. tf.losses.hingeLoss takes {0, 1} labels and maps
 * them to ±1 itself.
 */
export const hingeLoss: Loss = elementwise(
  "hingeLoss",
  (t, s) => Math.max(0, 1 - t * s),
  (t, s) => (t * s < 1 ? -t : 0),
  (t) => t === 1 || t === -1,
  "−1 or +1",
);

/** σ(z) = 1/(1 + e^(−z)), written so that neither branch overflows. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** ln Σ exp(vᵢ), shifted by the maximum so that nothing overflows. */
export function logSumExp(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("logSumExp: values must not be empty");
  const max = Math.max(...values);
  if (!Number.isFinite(max)) return max;
  return max + Math.log(values.reduce((s, v) => s + Math.exp(v - max), 0));
}

/** log softmax(z)ᵢ = zᵢ − logSumExp(z): exact for any logits, where log(softmax(z)) underflows to −∞. */
export function logSoftmax(logits: readonly number[]): number[] {
  const lse = logSumExp(logits);
  return logits.map((z) => z - lse);
}

/** softmax(z)ᵢ = exp(zᵢ − max z) / Σⱼ exp(zⱼ − max z): [classes] → probabilities summing to 1. */
export function softmax(logits: readonly number[]): number[] {
  return logSoftmax(logits).map(Math.exp);
}

/** Class indices [n] → one-hot rows [n][nClasses]. */
export function oneHot(labels: readonly number[], nClasses: number): number[][] {
  if (!Number.isInteger(nClasses) || nClasses < 1) throw new RangeError(`oneHot: nClasses must be an integer ≥ 1, got ${nClasses}`);
  return labels.map((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= nClasses) {
      throw new RangeError(`oneHot: labels[${i}] must be an integer in [0, ${nClasses - 1}], got ${label}`);
    }
    return Array.from({ length: nClasses }, (_, k) => (k === label ? 1 : 0));
  });
}

/** Labels as class indices [n] or target distributions [n][classes], checked against logits [n][classes]. */
function targetRows(caller: string, labels: readonly number[] | readonly (readonly number[])[], logits: readonly (readonly number[])[]): readonly (readonly number[])[] {
  if (!Array.isArray(labels) || !Array.isArray(logits) || labels.length !== logits.length || logits.length === 0) {
    throw new RangeError(`${caller}: labels and logits need the same non-zero number of rows, got ${Array.isArray(labels) ? labels.length : typeof labels} and ${Array.isArray(logits) ? logits.length : typeof logits}`);
  }
  const nClasses = Array.isArray(logits[0]) ? logits[0].length : 0;
  logits.forEach((row, i) => {
    checkValues(caller, `logits[${i}]`, row);
    if (row.length !== nClasses) throw new RangeError(`${caller}: logits[${i}] has ${row.length} classes, logits[0] has ${nClasses}`);
  });
  if (!Array.isArray(labels[0])) {
    labels.forEach((label, i) => {
      if (typeof label !== "number" || !Number.isInteger(label) || label < 0 || label >= nClasses) {
        throw new RangeError(`${caller}: labels[${i}] must be a class index, an integer in [0, ${nClasses - 1}], got ${Array.isArray(label) ? "an array" : String(label)}`);
      }
    });
    return oneHot(labels as readonly number[], nClasses);
  }
  (labels as readonly (readonly number[])[]).forEach((row, i) => {
    checkValues(caller, `labels[${i}]`, row, "probability");
    if (row.length !== nClasses) throw new RangeError(`${caller}: labels[${i}] has ${row.length} entries for ${nClasses} classes`);
  });
  return labels as readonly (readonly number[])[];
}

/**
 * Mean over rows of −Σₖ yₖ log softmax(z)ₖ (tf.losses.softmaxCrossEntropy). labels: class indices [n] or
 * one-hot / soft rows [n][classes]; logits: [n][classes]. Uniform logits over K classes give exactly ln K.
 */
export function softmaxCrossEntropy(labels: readonly number[] | readonly (readonly number[])[], logits: readonly (readonly number[])[]): number {
  const targets = targetRows("softmaxCrossEntropy", labels, logits);
  return logits.reduce((sum, row, i) => sum - logSoftmax(row).reduce((s, l, k) => s + targets[i]![k]! * l, 0), 0) / logits.length;
}

/** ∂softmaxCrossEntropy/∂logits = (softmax(z) − y)/n, [n][classes]: why softmax and cross-entropy are fused. */
export function softmaxCrossEntropyGradient(labels: readonly number[] | readonly (readonly number[])[], logits: readonly (readonly number[])[]): number[][] {
  const targets = targetRows("softmaxCrossEntropyGradient", labels, logits);
  return logits.map((row, i) => softmax(row).map((p, k) => (p - targets[i]![k]!) / logits.length));
}
