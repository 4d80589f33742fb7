/**
 * Model interpretation: which inputs a prediction depends on (notebook 34).
 *
 *   permutationImportance((X) => accuracy(model.predict(X), y), X, { nRepeats: 5, seed: 0 })  // score drop per feature
 *   integratedGradients((x) => classProbability(x), image, blackImage, { steps: 100 })          // Σ = f(x) − f(baseline)
 *   shapleyValues((subset) => v(subset), 3)                                                      // exact, by enumeration
 */
import { tf } from "../tf";
import { Random } from "../random";

export interface PermutationImportance {
  /** The score on the unshuffled data. */
  baseline: number;
  /** importances[j][r]: baseline − score with column j shuffled in repeat r (scikit-learn's `importances`). */
  importances: number[][];
  importancesMean: number[];
  importancesStd: number[];
}

/**
 * scikit-learn's `permutation_importance`: for each feature, shuffle its column (the others untouched) and
 * record how much `score` drops; repeated `nRepeats` times with seeded permutations. `score` closes over the
 * targets, so any model and any metric where higher is better work.
 */
export function permutationImportance(
  score: (X: number[][]) => number,
  X: readonly (readonly number[])[],
  options: { nRepeats: number; seed: number },
): PermutationImportance {
  const { nRepeats, seed } = options;
  if (!Number.isInteger(nRepeats) || nRepeats < 1) throw new RangeError(`permutationImportance: nRepeats must be an integer ≥ 1, got ${nRepeats}`);
  const features = X[0]?.length ?? 0;
  if (X.length < 2 || features === 0) throw new RangeError(`permutationImportance: X needs at least 2 rows and 1 feature, got ${X.length} × ${features}`);
  X.forEach((row, i) => {
    if (row.length !== features) throw new RangeError(`permutationImportance: row ${i} has ${row.length} features, row 0 has ${features}`);
  });
  const rows = X.map((row) => [...row]);
  const baseline = score(rows.map((row) => [...row]));
  const rng = new Random(seed);
  const importances = Array.from({ length: features }, (_, j) =>
    Array.from({ length: nRepeats }, () => {
      const order = rng.permutation(rows.length);
      const shuffled = rows.map((row, i) => row.map((value, k) => (k === j ? rows[order[i]!]![j]! : value)));
      return baseline - score(shuffled);
    }),
  );
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const importancesMean = importances.map(mean);
  const importancesStd = importances.map((values, j) => Math.sqrt(mean(values.map((v) => (v - importancesMean[j]!) ** 2))));
  return { baseline, importances, importancesMean, importancesStd };
}

/** How the path integral ∫₀¹ ∂f/∂x(baseline + α(x − baseline)) dα is approximated from `steps` gradients. */
export type IntegrationRule = "left" | "right" | "midpoint" | "trapezoid";

/** The points α_k and weights w_k of a rule over [0, 1] (Σ w_k = 1). */
export function integrationPoints(steps: number, rule: IntegrationRule): { alphas: number[]; weights: number[] } {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`integrationPoints: steps must be an integer ≥ 1, got ${steps}`);
  switch (rule) {
    case "left":
      return { alphas: Array.from({ length: steps }, (_, k) => k / steps), weights: Array(steps).fill(1 / steps) };
    case "right":
      return { alphas: Array.from({ length: steps }, (_, k) => (k + 1) / steps), weights: Array(steps).fill(1 / steps) };
    case "midpoint":
      return { alphas: Array.from({ length: steps }, (_, k) => (k + 0.5) / steps), weights: Array(steps).fill(1 / steps) };
    case "trapezoid":
      return {
        alphas: Array.from({ length: steps + 1 }, (_, k) => k / steps),
        weights: Array.from({ length: steps + 1 }, (_, k) => (k === 0 || k === steps ? 0.5 : 1) / steps),
      };
    default:
      throw new RangeError(`integrationPoints: rule must be left, right, midpoint or trapezoid, got ${String(rule)}`);
  }
}

export interface IntegratedGradients {
  /** Same shape as the input (without a batch axis), flattened. */
  attributions: Float32Array;
  /** f(input) − f(baseline): what the attributions must sum to (completeness). */
  outputDifference: number;
  /** Σ attributions − (f(input) − f(baseline)): the quadrature error. */
  completenessGap: number;
}

/**
 * Integrated gradients (Sundararajan et al. 2017): (x − x')·∫₀¹ ∇f(x' + α(x − x')) dα, the integral by `rule`
 * over `steps` intervals. `f` maps a batch [n, …shape] to one score per example [n] (e.g. a class probability);
 * `input` and `baseline` have the shape of one example without the batch axis.
 */
export function integratedGradients(
  f: (batch: tf.Tensor) => tf.Tensor,
  input: tf.Tensor,
  baseline: tf.Tensor,
  options: { steps: number; rule?: IntegrationRule },
): IntegratedGradients {
  if (input.shape.join() !== baseline.shape.join()) {
    throw new RangeError(`integratedGradients: input shape [${input.shape}] differs from baseline shape [${baseline.shape}]`);
  }
  const { alphas, weights } = integrationPoints(options.steps, options.rule ?? "trapezoid");
  return tf.tidy(() => {
    const delta = input.sub(baseline);
    const alphaShape = [alphas.length, ...input.shape.map(() => 1)];
    const path = baseline.expandDims(0).add(tf.tensor(alphas, alphaShape).mul(delta.expandDims(0)));
    const gradients = tf.grad((batch: tf.Tensor) => f(batch).sum())(path);
    const averaged = gradients.mul(tf.tensor(weights, alphaShape)).sum(0);
    const attributions = delta.mul(averaged).dataSync() as Float32Array;
    const ends = f(tf.stack([input, baseline])).dataSync();
    const outputDifference = ends[0]! - ends[1]!;
    // Summed in float64 so that the gap measures the quadrature, not float32 accumulation.
    const total = attributions.reduce((sum, a) => sum + a, 0);
    return { attributions: Float32Array.from(attributions), outputDifference, completenessGap: total - outputDifference };
  });
}

/**
 * Exact Shapley values of a cooperative game over `players` features by enumerating every subset:
 * φ_i = Σ_{S ⊆ N∖{i}} |S|!(n − |S| − 1)!/n! · (v(S ∪ {i}) − v(S)). `value(inSubset)` gets a mask of length n.
 * 2ⁿ evaluations of v, so n ≤ 16.
 */
export function shapleyValues(value: (inSubset: boolean[]) => number, players: number): number[] {
  if (!Number.isInteger(players) || players < 1 || players > 16) throw new RangeError(`shapleyValues: players must be an integer in [1, 16], got ${players}`);
  const subsets = 1 << players;
  const values = Array.from({ length: subsets }, (_, bits) => value(Array.from({ length: players }, (_, i) => (bits & (1 << i)) !== 0)));
  const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
  const phi = Array(players).fill(0) as number[];
  for (let bits = 0; bits < subsets; bits++) {
    const size = popCount(bits);
    for (let i = 0; i < players; i++) {
      if (bits & (1 << i)) continue;
      const weight = (factorial(size) * factorial(players - size - 1)) / factorial(players);
      phi[i] = phi[i]! + weight * (values[bits | (1 << i)]! - values[bits]!);
    }
  }
  return phi;
}

/**
 * SHAP's interventional value of a subset: the mean of `predict` over `background` rows with the subset's
 * features set to `x`'s values. v(all) = f(x), v(none) = mean f(background).
 */
export function interventionalValue(predict: (row: number[]) => number, x: readonly number[], background: readonly (readonly number[])[]): (inSubset: boolean[]) => number {
  if (background.length === 0) throw new RangeError("interventionalValue: background needs at least one row");
  background.forEach((row, r) => {
    if (row.length !== x.length) throw new RangeError(`interventionalValue: background row ${r} has ${row.length} features, x has ${x.length}`);
  });
  return (inSubset) => background.reduce((sum, row) => sum + predict(row.map((b, j) => (inSubset[j] ? x[j]! : b))), 0) / background.length;
}

function popCount(bits: number): number {
  let count = 0;
  for (let b = bits; b > 0; b >>= 1) count += b & 1;
  return count;
}
