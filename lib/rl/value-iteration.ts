/**
 * Dynamic programming on a known tabular MDP: value iteration (stopped by the Bellman residual), Q from V,
 * greedy policies with the full set of optimal actions, and exact evaluation of a fixed policy.
 */
import { solve } from "../math/linalg";
import type { TabularMdp } from "./mdp";

function checkGamma(gamma: number, where: string): void {
  if (!(gamma >= 0 && gamma < 1)) throw new RangeError(`${where}: gamma must be in [0, 1), got ${gamma}`);
}

/** Q(s, a) = Σ p · (r + γ · V(s') · [not done]); terminal states get a row of zeros. */
export function qFromValues(mdp: TabularMdp, values: readonly number[], gamma: number): number[][] {
  return Array.from({ length: mdp.nStates }, (_, s) =>
    Array.from({ length: mdp.nActions }, (_, a) => {
      if (mdp.isTerminal(s)) return 0;
      let q = 0;
      for (const o of mdp.outcomes(s, a)) q += o.probability * (o.reward + (o.done ? 0 : gamma * values[o.nextState]!));
      return q;
    }),
  );
}

export interface ValueIterationResult {
  values: number[];
  q: number[][];
  iterations: number;
  /** max_s |V_{k+1}(s) − V_k(s)| after each sweep. */
  residuals: number[];
}

/**
 * Repeats V(s) ← max_a Q(s, a) until the Bellman residual is below `tolerance`. Because the Bellman operator is a
 * γ-contraction, the distance to V* is then at most γ · tolerance / (1 − γ).
 */
export function valueIteration(mdp: TabularMdp, gamma: number, { tolerance = 1e-12, maxIterations = 10_000 } = {}): ValueIterationResult {
  checkGamma(gamma, "valueIteration");
  let values = new Array<number>(mdp.nStates).fill(0);
  const residuals: number[] = [];
  for (let k = 0; k < maxIterations; k += 1) {
    const q = qFromValues(mdp, values, gamma);
    const next = q.map((row, s) => (mdp.isTerminal(s) ? 0 : Math.max(...row)));
    const residual = Math.max(...next.map((v, s) => Math.abs(v - values[s]!)));
    residuals.push(residual);
    values = next;
    if (residual < tolerance) return { values, q: qFromValues(mdp, values, gamma), iterations: k + 1, residuals };
  }
  throw new Error(`valueIteration: residual ${residuals[residuals.length - 1]} still ≥ ${tolerance} after ${maxIterations} sweeps`);
}

/** For every state, the actions whose Q is within `tolerance` of the row's maximum (ties kept: several actions can be optimal). */
export function optimalActionSets(q: readonly (readonly number[])[], tolerance = 1e-9): number[][] {
  return q.map((row) => {
    const best = Math.max(...row);
    return row.flatMap((v, a) => (v >= best - tolerance ? [a] : []));
  });
}

/** One greedy action per state (the lowest-numbered optimal one; for display and deterministic comparisons). */
export function greedyPolicy(q: readonly (readonly number[])[]): number[] {
  return q.map((row) => row.indexOf(Math.max(...row)));
}

/** Exact V^π of a deterministic policy, by solving (I − γ P_π) V = r_π. */
export function evaluatePolicy(mdp: TabularMdp, policy: readonly number[], gamma: number): number[] {
  checkGamma(gamma, "evaluatePolicy");
  if (policy.length !== mdp.nStates) throw new RangeError(`evaluatePolicy: policy has ${policy.length} entries for ${mdp.nStates} states`);
  const n = mdp.nStates;
  const a = Array.from({ length: n }, (_, s) => Array.from({ length: n }, (_, t) => (s === t ? 1 : 0)));
  const b = new Array<number>(n).fill(0);
  for (let s = 0; s < n; s += 1) {
    if (mdp.isTerminal(s)) continue;
    for (const o of mdp.outcomes(s, policy[s]!)) {
      b[s]! += o.probability * o.reward;
      if (!o.done) a[s]![o.nextState]! -= gamma * o.probability;
    }
  }
  return solve(a, b);
}
