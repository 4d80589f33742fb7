/**
 * Class imbalance: class weights, resampling (imbalanced-learn's shape) and the focal loss.
 *
 *   computeClassWeight("balanced", y)                          // { 0: 0.53, 1: 10 }: n / (classes · count)
 *   new RandomOverSampler({ seed: 0 }).fitResample(X, y)       // copies of minority rows up to the majority count
 *   new RandomUnderSampler({ seed: 0 }).fitResample(X, y)      // a random subset of each class, down to the minority count
 *   new SMOTE({ kNeighbors: 5, seed: 0 }).fitResample(X, y)    // synthetic points between minority neighbours
 *   binaryFocalLoss({ gamma: 2, alpha: 0.25 }).value(y, logits) // −α_t (1 − p_t)^γ log p_t, mean over samples
 *
 * Resamplers return the original rows first, then what they add (over-sampling), so the synthetic part is
 * `X.slice(n)`. Resample the training split only: resampling before splitting puts copies of one point on both
 * sides of the split.
 */
import type { Loss } from "../nn/losses";
import { checkMatrix, checkParam, checkTarget, checkValuePair, uniqueLabels, type Labels, type Matrix } from "./base";
import { squaredDistance } from "./stats";
import { Random } from "../random";

/** Number of samples of each class, classes in sorted order. */
export function classCounts(y: Labels): Map<number, number> {
  const counts = new Map<number, number>();
  for (const label of uniqueLabels(y)) counts.set(label, 0);
  for (const label of y) counts.set(label, counts.get(label)! + 1);
  return counts;
}

/**
 * scikit-learn's compute_class_weight: "balanced" gives class c the weight n / (nClasses · n_c), so every class
 * carries the same total weight; a record passes through (classes it omits get 1).
 */
export function computeClassWeight(classWeight: "balanced" | Record<number, number>, y: Labels): Map<number, number> {
  const counts = classCounts(y);
  checkParam("classWeight", classWeight, classWeight === "balanced" || (typeof classWeight === "object" && classWeight !== null && !Array.isArray(classWeight)), '"balanced" or a record { label: weight }');
  if (classWeight !== "balanced") {
    // scikit-learn: "The classes, [3], are not in class" — a weight for a class y does not have is a mistake.
    const unknown = Object.keys(classWeight).filter((key) => !counts.has(Number(key)));
    checkParam("classWeight", `{ ${unknown.join(", ")} }`, unknown.length === 0, `weights for classes of y only (${[...counts.keys()].join(", ")})`);
  }
  const weights = new Map<number, number>();
  for (const [label, count] of counts) {
    if (classWeight === "balanced") weights.set(label, y.length / (counts.size * count));
    else {
      const w = classWeight[label] ?? 1;
      checkParam(`classWeight[${label}]`, w, Number.isFinite(w) && w >= 0, "a finite number ≥ 0");
      weights.set(label, w);
    }
  }
  return weights;
}

/** The resampled data, and for each output row the input row it copies (−1 for a synthetic row). */
export interface Resampled {
  X: Matrix;
  y: Labels;
  sampleIndices: number[];
}

interface SamplerParams {
  seed?: number;
}

function validate(X: Matrix, y: Labels): Map<number, number> {
  const [rows] = checkMatrix(X);
  checkTarget(y, rows);
  const counts = classCounts(y);
  if (counts.size < 2) throw new RangeError(`y must contain at least 2 classes, got only ${[...counts.keys()][0]}`);
  return counts;
}

const indicesOf = (y: Labels, label: number) => y.flatMap((v, i) => (v === label ? [i] : []));

/** Appends random copies (with replacement) of every smaller class until all classes have the majority count. */
export class RandomOverSampler {
  constructor(readonly params: Readonly<SamplerParams> = {}) {}

  fitResample(X: Matrix, y: Labels): Resampled {
    const counts = validate(X, y);
    const rng = new Random(this.params.seed ?? 0);
    const target = Math.max(...counts.values());
    const added: number[] = [];
    for (const [label, count] of counts) {
      const members = indicesOf(y, label);
      for (let k = count; k < target; k++) added.push(rng.choice(members));
    }
    const sampleIndices = [...X.keys(), ...added];
    return { X: sampleIndices.map((i) => [...X[i]!]), y: sampleIndices.map((i) => y[i]!), sampleIndices };
  }
}

/** Keeps a random subset (without replacement) of every larger class, down to the minority count. */
export class RandomUnderSampler {
  constructor(readonly params: Readonly<SamplerParams> = {}) {}

  fitResample(X: Matrix, y: Labels): Resampled {
    const counts = validate(X, y);
    const rng = new Random(this.params.seed ?? 0);
    const target = Math.min(...counts.values());
    const sampleIndices = [...counts.keys()]
      .flatMap((label) => {
        const members = indicesOf(y, label);
        return rng.sampleIndices(members.length, target).map((j) => members[j]!);
      })
      .sort((a, b) => a - b);
    return { X: sampleIndices.map((i) => [...X[i]!]), y: sampleIndices.map((i) => y[i]!), sampleIndices };
  }
}

export interface SmoteParams extends SamplerParams {
  /** Neighbours (within the same class) a synthetic point may be drawn towards; default 5. */
  kNeighbors?: number;
}

/** Indices of the k nearest other rows of `points` to row i (Euclidean; ties broken by index). */
export function nearestNeighbors(points: Matrix, i: number, k: number): number[] {
  return points
    .map((p, j) => ({ j, d: j === i ? Infinity : squaredDistance(points[i]!, p) }))
    .filter((e) => e.j !== i)
    .sort((a, b) => a.d - b.d || a.j - b.j)
    .slice(0, k)
    .map((e) => e.j);
}

/**
 * SMOTE (Chawla et al., 2002): for every class smaller than the majority, new points
 * `x + u·(x_nn − x)` with x a random member of the class, x_nn one of its k nearest same-class neighbours
 * and u ~ U[0, 1), until the class has the majority count. Synthetic rows have sampleIndices −1.
 */
export class SMOTE {
  constructor(readonly params: Readonly<SmoteParams> = {}) {
    const { kNeighbors = 5 } = params;
    checkParam("kNeighbors", kNeighbors, Number.isInteger(kNeighbors) && kNeighbors >= 1, "an integer ≥ 1");
  }

  fitResample(X: Matrix, y: Labels): Resampled {
    const counts = validate(X, y);
    const { kNeighbors = 5, seed = 0 } = this.params;
    const rng = new Random(seed);
    const target = Math.max(...counts.values());
    const outX = X.map((row) => [...row]);
    const outY = [...y];
    const sampleIndices = [...X.keys()];
    for (const [label, count] of counts) {
      if (count === target) continue;
      if (count <= kNeighbors) {
        throw new RangeError(`SMOTE: class ${label} has ${count} samples, needs more than kNeighbors = ${kNeighbors}`);
      }
      const members = indicesOf(y, label);
      const points = members.map((i) => X[i]!);
      const neighbours = points.map((_, i) => nearestNeighbors(points, i, kNeighbors));
      for (let k = count; k < target; k++) {
        const a = rng.int(0, points.length);
        const b = rng.choice(neighbours[a]!);
        const u = rng.random();
        outX.push(points[a]!.map((v, j) => v + u * (points[b]![j]! - v)));
        outY.push(label);
        sampleIndices.push(-1);
      }
    }
    return { X: outX, y: outY, sampleIndices };
  }
}

export interface FocalLossParams {
  /** Focusing parameter γ ≥ 0; 0 gives (α-weighted) cross-entropy. Default 2. */
  gamma?: number;
  /** Weight of the positive class in [0, 1] (the negative class gets 1 − α); omit for no weighting. */
  alpha?: number;
}

/** log σ(x), stable for large |x|. */
function logSigmoid(x: number): number {
  return -(Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x))));
}

/**
 * Binary focal loss on logits (Lin et al., 2017): with p = σ(z) and p_t = p for y = 1, 1 − p for y = 0,
 * FL = −α_t (1 − p_t)^γ log p_t, averaged over the samples. The gradient with respect to the logits is exact:
 * ∂FL/∂z = −α_t s [(1 − p_t)^{γ+1} − γ p_t (1 − p_t)^γ log p_t] with s = +1 for y = 1 and −1 for y = 0.
 */
export function binaryFocalLoss(params: FocalLossParams = {}): Loss {
  const { gamma = 2, alpha } = params;
  checkParam("gamma", gamma, Number.isFinite(gamma) && gamma >= 0, "a finite number ≥ 0");
  if (alpha !== undefined) checkParam("alpha", alpha, alpha >= 0 && alpha <= 1, "in [0, 1]");
  const validate = (yTrue: readonly number[], logits: readonly number[]) => {
    checkValuePair("binaryFocalLoss", ["yTrue", "logits"], yTrue, logits);
    yTrue.forEach((t, i) => {
      if (t !== 0 && t !== 1) throw new RangeError(`binaryFocalLoss: yTrue[${i}] must be 0 or 1, got ${t}`);
    });
  };
  // s·z is the logit of p_t; log p_t and 1 − p_t = σ(−s·z) from it, without cancellation.
  const parts = (t: number, z: number) => {
    const s = t === 1 ? 1 : -1;
    const logPt = logSigmoid(s * z);
    const pt = Math.exp(logPt);
    const oneMinusPt = Math.exp(logSigmoid(-s * z));
    const weight = alpha === undefined ? 1 : t === 1 ? alpha : 1 - alpha;
    return { s, logPt, pt, oneMinusPt, weight };
  };
  return {
    name: `binaryFocalLoss(γ=${gamma}${alpha === undefined ? "" : `, α=${alpha}`})`,
    value(yTrue, logits) {
      validate(yTrue, logits);
      return yTrue.reduce((sum, t, i) => {
        const { logPt, oneMinusPt, weight } = parts(t, logits[i]!);
        return sum - weight * oneMinusPt ** gamma * logPt;
      }, 0) / yTrue.length;
    },
    gradient(yTrue, logits) {
      validate(yTrue, logits);
      return yTrue.map((t, i) => {
        const { s, logPt, pt, oneMinusPt, weight } = parts(t, logits[i]!);
        const focusing = gamma === 0 ? 0 : gamma * pt * oneMinusPt ** gamma * logPt;
        return (-weight * s * (oneMinusPt ** (gamma + 1) - focusing)) / yTrue.length;
      });
    },
  };
}
