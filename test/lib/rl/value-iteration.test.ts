import { test } from "node:test";
import * as assert from "node:assert/strict";
import { tableMdp, type TabularMdp } from "../../../lib/rl/mdp";
import { chainMdp, chainOptimalValues } from "../../../lib/rl/chain";
import { fourByFourGrid, greedyPath, gridWorld } from "../../../lib/rl/gridworld";
import { evaluatePolicy, greedyPolicy, optimalActionSets, valueIteration } from "../../../lib/rl/value-iteration";

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

/** Every deterministic policy of a small MDP, for brute force. */
function allPolicies(mdp: TabularMdp): number[][] {
  let policies: number[][] = [[]];
  for (let s = 0; s < mdp.nStates; s += 1) {
    const choices = mdp.isTerminal(s) ? [0] : Array.from({ length: mdp.nActions }, (_, a) => a);
    policies = policies.flatMap((p) => choices.map((a) => [...p, a]));
  }
  return policies;
}

test("value iteration on chains equals the closed form γ^(d−1)·R, residual below 1e-10", () => {
  for (const [n, gamma, reward] of [[2, 0.5, 1], [6, 0.9, 1], [10, 0.99, 3], [5, 0, 2]] as const) {
    const result = valueIteration(chainMdp(n, reward), gamma, { tolerance: 1e-12 });
    assert.ok(result.residuals[result.residuals.length - 1]! < 1e-10);
    chainOptimalValues(n, gamma, reward).forEach((v, s) => close(result.values[s]!, v, 1e-12));
    // The optimal action everywhere is "right" (for γ = 0 every state but the last one ties).
    if (gamma > 0) assert.deepEqual(greedyPolicy(result.q).slice(0, n - 1), new Array(n - 1).fill(1));
  }
});

test("value iteration equals the best of all deterministic policies (brute force) on a slippery 2×3 grid", () => {
  const world = gridWorld({ rows: 2, cols: 3, start: 0, goal: 5, slip: 0.2, stepReward: -0.1 });
  const gamma = 0.9;
  const vi = valueIteration(world, gamma);
  const policies = allPolicies(world);
  assert.equal(policies.length, 4 ** 5);
  const best = new Array<number>(world.nStates).fill(-Infinity);
  for (const p of policies) evaluatePolicy(world, p, gamma).forEach((v, s) => (best[s] = Math.max(best[s]!, v)));
  best.forEach((v, s) => close(vi.values[s]!, v, 1e-9));
  // The greedy policy of V* attains V* (one policy is optimal in every state at once).
  evaluatePolicy(world, greedyPolicy(vi.q), gamma).forEach((v, s) => close(v, vi.values[s]!, 1e-9));
});

test("a hand-computed two-state MDP: stay pays 1 forever, go pays 5 once", () => {
  // State 0: action 0 stays (+1), action 1 ends the episode with +5. V* = max(1/(1−γ), 5).
  const mdp = tableMdp([[[{ probability: 1, nextState: 0, reward: 1, done: false }], [{ probability: 1, nextState: 1, reward: 5, done: true }]], [[], []]], [1]);
  close(valueIteration(mdp, 0.5).values[0]!, 5, 1e-10);
  close(valueIteration(mdp, 0.9).values[0]!, 10, 1e-9);
  assert.deepEqual(optimalActionSets(valueIteration(mdp, 0.8).q)[0], [0, 1]); // 1/(1 − 0.8) = 5: a tie
  // `done` ends the episode even when the next state is not terminal (a game that restarts): nothing follows it.
  const oneShot = tableMdp([[[{ probability: 1, nextState: 0, reward: 1, done: true }]]]);
  close(valueIteration(oneShot, 0.9).values[0]!, 1, 1e-12);
  close(evaluatePolicy(oneShot, [0], 0.9)[0]!, 1, 1e-12);
});

test("4×4 grid: V*(s) = γ^(d−1) with d the Manhattan distance; slip lowers every value; the greedy path is 6 moves", () => {
  const gamma = 0.9;
  const grid = fourByFourGrid();
  const vi = valueIteration(grid, gamma);
  for (let s = 0; s < 15; s += 1) close(vi.values[s]!, gamma ** (grid.distanceToGoal(s) - 1), 1e-10);
  const slippery = valueIteration(fourByFourGrid({ slip: 0.2 }), gamma);
  for (let s = 0; s < 15; s += 1) assert.ok(slippery.values[s]! < vi.values[s]! - 1e-6, `state ${s}`);
  assert.equal(greedyPath(grid, greedyPolicy(vi.q)).length, 7);
  // Q(s, a) = r + γ V(s') by hand for state 14 (left of the goal): right = 1, up = γ·V(10) = γ².
  close(vi.q[14]![1]!, 1, 1e-12);
  close(vi.q[14]![0]!, gamma * gamma, 1e-10);
});

