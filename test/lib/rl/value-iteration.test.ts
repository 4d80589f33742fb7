import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { step, tableMdp, validateMdp, type Outcome, type TabularMdp } from "../../../lib/rl/mdp";
import { chainMdp, chainOptimalValues } from "../../../lib/rl/chain";
import { cliffWalk, fourByFourGrid, greedyPath, gridWorld } from "../../../lib/rl/gridworld";
import { evaluatePolicy, greedyPolicy, optimalActionSets, qFromValues, valueIteration } from "../../../lib/rl/value-iteration";
import { dialogueMdp, DIALOGUE_DONE } from "../../../lib/rl/dialogue";

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

test("slippery grid outcomes: intended move 1 − slip, each perpendicular slip/2; borders keep the agent in place", () => {
  const world = fourByFourGrid({ slip: 0.3 });
  const outcomes = world.outcomes(0, 1); // right from the top-left corner
  assert.deepEqual(outcomes.map((o) => [o.probability, o.nextState]), [[0.7, 1], [0.15, 4], [0.15, 0]]);
  const rng = new Random(3);
  const counts = new Map<number, number>();
  for (let k = 0; k < 20_000; k += 1) {
    const o = step(world, 0, 1, rng);
    counts.set(o.nextState, (counts.get(o.nextState) ?? 0) + 1);
  }
  close(counts.get(1)! / 20_000, 0.7, 0.02);
  close(counts.get(4)! / 20_000, 0.15, 0.015);
});

test("cliff walk: falling costs −100 and returns to the start; the optimal path hugs the edge (13 moves, return −13)", () => {
  const cliff = cliffWalk();
  const fall = cliff.outcomes(cliff.start, 1)[0]!;
  assert.deepEqual(fall, { probability: 1, nextState: cliff.start, reward: -100, done: false });
  const vi = valueIteration(cliff, 0.999999, { tolerance: 1e-10, maxIterations: 100_000 });
  const path = greedyPath(cliff, greedyPolicy(vi.q));
  assert.equal(path.length - 1, 13);
  assert.equal(path[path.length - 1], cliff.goal);
});

test("dialogue MDP: ask each missing slot, submit only when the form is full; V* by the geometric closed form", () => {
  const mdp = dialogueMdp({ answerRate: 0.8, turnCost: 1, successReward: 10 });
  const gamma = 1 - 1e-9; // undiscounted in effect, but a contraction
  const vi = valueIteration(mdp, gamma, { tolerance: 1e-13, maxIterations: 100_000 });
  const sets = optimalActionSets(vi.q, 1e-6);
  for (let filled = 0; filled < DIALOGUE_DONE; filled += 1) {
    const missing = [0, 1, 2].filter((slot) => !(filled & (1 << slot)));
    assert.deepEqual(sets[filled], missing.length === 0 ? [3] : missing, `state ${filled}`);
    // Each missing slot takes 1/p turns on average; then a submit turn: V = −k/p − 1 + 10.
    close(vi.values[filled]!, -missing.length / 0.8 - 1 + 10, 1e-5);
  }
});

test("bad MDPs are refused with the state and action named", () => {
  const bad: Outcome[][][] = [[[{ probability: 0.5, nextState: 0, reward: 0, done: false }]]];
  assert.throws(() => tableMdp(bad), /state 0, action 0 sum to 0.5/);
  assert.throws(() => tableMdp([[[{ probability: 1, nextState: 4, reward: 0, done: false }]]]), /invalid state 4/);
  assert.throws(() => gridWorld({ rows: 2, cols: 2, start: 0, goal: 0 }), /start and goal/);
  assert.throws(() => valueIteration(chainMdp(3), 1), /gamma/);
  assert.throws(() => step(chainMdp(3), 2, 0, new Random(0)), /terminal/);
  validateMdp(fourByFourGrid({ slip: 0.5 }));
  assert.equal(qFromValues(chainMdp(3), [0, 0, 0], 0.9)[2]!.every((v) => v === 0), true);
});
