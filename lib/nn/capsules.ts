/**
 * The three pieces of a capsule network (Sabour, Frosst & Hinton 2017, "Dynamic Routing Between Capsules") in
 * plain TypeScript (float64), for checking a tensor implementation against:
 *
 *   squash(s);                       // ‖s‖²/(1 + ‖s‖²) · s/‖s‖: same direction, length in [0, 1)
 *   dynamicRouting(uHat, 3);         // routing by agreement; uHat[child][parent] is the child's prediction
 *   marginLoss(lengths, label);      // Σ_k T_k max(0, m⁺ − ‖v_k‖)² + λ (1 − T_k) max(0, ‖v_k‖ − m⁻)²
 *
 * A capsule's output is a vector whose length is the probability that its entity is present and whose
 * orientation encodes the entity's pose.
 */
import { checkValue, checkValues } from "../ml/base";

/** Euclidean length. */
export function vectorNorm(v: readonly number[]): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

/** squash(s) = ‖s‖²/(1 + ‖s‖²) · s/‖s‖ (and 0 for s = 0): keeps the direction, maps the length into [0, 1). */
export function squash(s: readonly number[]): number[] {
  const normSquared = s.reduce((acc, x) => acc + x * x, 0);
  if (normSquared === 0) return s.map(() => 0);
  // ‖s‖²/(1 + ‖s‖²)/‖s‖ = ‖s‖/(1 + ‖s‖²): no division by a tiny norm.
  const scale = Math.sqrt(normSquared) / (1 + normSquared);
  return s.map((x) => x * scale);
}

/** Row-wise softmax over the parents, shifted by the maximum for stability. */
function softmax(logits: readonly number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((z) => Math.exp(z - m));
  const total = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / total);
}

export interface RoutingResult {
  /** [parents][dim]: the parent capsules' outputs after the last iteration. */
  v: number[][];
  /** [children][parents]: coupling coefficients used in the last iteration (each row sums to 1). */
  c: number[][];
  /** [children][parents]: routing logits after the last update. */
  b: number[][];
  /** Coupling coefficients of every iteration, [iteration][children][parents]. */
  cHistory: number[][][];
}

/**
 * Routing by agreement (Procedure 1 of the paper). uHat[i][j] = W_ij u_i is child i's prediction for parent j.
 * Each iteration: c_i = softmax_j(b_i), s_j = Σ_i c_ij uHat[i][j], v_j = squash(s_j), b_ij += uHat[i][j] · v_j.
 */
export function dynamicRouting(uHat: readonly (readonly (readonly number[])[])[], iterations = 3): RoutingResult {
  const children = uHat.length;
  const parents = uHat[0]?.length ?? 0;
  const dim = uHat[0]?.[0]?.length ?? 0;
  if (children === 0 || parents === 0 || dim === 0) throw new RangeError("dynamicRouting: uHat must be a non-empty [children][parents][dim] array");
  uHat.forEach((row, i) => {
    if (row.length !== parents || row.some((u) => u.length !== dim)) {
      throw new RangeError(`dynamicRouting: uHat[${i}] is not [${parents}][${dim}]`);
    }
  });
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`dynamicRouting: iterations must be a positive integer, got ${iterations}`);

  const b = Array.from({ length: children }, () => new Array<number>(parents).fill(0));
  const cHistory: number[][][] = [];
  let c: number[][] = [];
  let v: number[][] = [];
  for (let r = 0; r < iterations; r++) {
    c = b.map(softmax);
    cHistory.push(c);
    v = Array.from({ length: parents }, (_, j) => {
      const s = new Array<number>(dim).fill(0);
      for (let i = 0; i < children; i++) uHat[i]![j]!.forEach((x, k) => (s[k]! += c[i]![j]! * x));
      return squash(s);
    });
    if (r < iterations - 1) {
      // The last iteration's agreement would change nothing that is returned, so it is skipped (as in the paper).
      for (let i = 0; i < children; i++) {
        for (let j = 0; j < parents; j++) b[i]![j]! += uHat[i]![j]!.reduce((s, x, k) => s + x * v[j]![k]!, 0);
      }
    }
  }
  return { v: v, c: c, b: b.map((row) => [...row]), cHistory: cHistory };
}

export interface MarginLossOptions {
  /** Length a present class should reach. Default 0.9. */
  mPlus?: number;
  /** Length an absent class should stay below. Default 0.1. */
  mMinus?: number;
  /** Down-weighting of the absent classes. Default 0.5. */
  lambda?: number;
}

/**
 * Margin loss of one example: lengths[k] = ‖v_k‖ of each class capsule, label = the present class.
 * Σ_k T_k max(0, m⁺ − ‖v_k‖)² + λ (1 − T_k) max(0, ‖v_k‖ − m⁻)².
 */
export function marginLoss(lengths: readonly number[], label: number, options: MarginLossOptions = {}): number {
  const { mPlus = 0.9, mMinus = 0.1, lambda = 0.5 } = options;
  checkValues("marginLoss", "lengths", lengths);
  lengths.forEach((length, k) => {
    if (length < 0) throw new RangeError(`marginLoss: lengths[${k}] is ${length}; a capsule length is ≥ 0`);
  });
  for (const [name, value] of [["options.mPlus", mPlus], ["options.mMinus", mMinus], ["options.lambda", lambda]] as const) checkValue("marginLoss", name, value);
  if (!Number.isInteger(label) || label < 0 || label >= lengths.length) {
    throw new RangeError(`marginLoss: label must be an integer in [0, ${lengths.length - 1}], got ${label}`);
  }
  return lengths.reduce((total, length, k) =>
    total + (k === label ? Math.max(0, mPlus - length) ** 2 : lambda * Math.max(0, length - mMinus) ** 2), 0);
}
