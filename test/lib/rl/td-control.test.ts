import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { chainMdp, chainOptimalValues } from "../../../lib/rl/chain";
import { cliffWalk, fourByFourGrid, greedyPath } from "../../../lib/rl/gridworld";
import { argmaxRandomTie, createQTable, epsilonGreedy, epsilonGreedyProbabilities, qLearning, sarsa } from "../../../lib/rl/td-control";
import { greedyPolicy, optimalActionSets, valueIteration } from "../../../lib/rl/value-iteration";
import { dialogueMdp } from "../../../lib/rl/dialogue";

test("the Q-table is [nStates][nActions] of zeros, rows independent", () => {
  const q = createQTable(5, 3);
  assert.equal(q.length, 5);
  assert.ok(q.every((row) => row.length === 3 && row.every((v) => v === 0)));
  q[0]![1] = 7;
  assert.equal(q[1]![1], 0);
  assert.throws(() => createQTable(0, 3), /positive integer/);
});

test("argmax breaks ties uniformly at random (each of 3 tied actions ≈ 1/3 of 30,000 calls), never picks a smaller value", () => {
  const rng = new Random(1);
  const counts = [0, 0, 0, 0];
  for (let k = 0; k < 30_000; k += 1) counts[argmaxRandomTie([2, 0, 2, 2], rng)]! += 1;
  assert.equal(counts[1], 0);
  for (const a of [0, 2, 3]) assert.ok(Math.abs(counts[a]! / 30_000 - 1 / 3) < 0.015, `${counts}`);
  assert.equal(argmaxRandomTie([0, 5, 1], rng), 1);
  assert.throws(() => argmaxRandomTie([0, Number.NaN], rng), /NaN/);
});

test("ε-greedy frequencies match 1 − ε + ε/|A| and ε/|A| within 4.5 binomial standard errors", () => {
  for (const [epsilon, nActions] of [[0.1, 4], [0.3, 3], [1, 5], [0, 2]] as const) {
    const rng = new Random(7);
    const q = Array.from({ length: nActions }, (_, a) => (a === 1 ? 1 : 0));
    const n = 20_000;
    const counts = new Array<number>(nActions).fill(0);
    for (let k = 0; k < n; k += 1) counts[epsilonGreedy(q, epsilon, rng)]! += 1;
    epsilonGreedyProbabilities(nActions, 1, epsilon).forEach((p, a) => {
      const se = Math.sqrt((p * (1 - p)) / n);
      assert.ok(Math.abs(counts[a]! / n - p) <= 4.5 * se + 1e-12, `ε=${epsilon}, action ${a}: ${counts[a]! / n} vs ${p}`);
    });
  }
});

test("Q-learning on a chain converges to Q* (tabular, deterministic, every pair visited)", () => {
  const gamma = 0.9;
  const chain = chainMdp(5);
  const result = qLearning(chain, { episodes: 400, alpha: 0.5, gamma, epsilon: 1, start: 0, maxSteps: 200, rng: new Random(2) });
  const v = chainOptimalValues(5, gamma);
  for (let s = 0; s < 4; s += 1) assert.ok(Math.abs(Math.max(...result.q[s]!) - v[s]!) < 1e-6, `state ${s}`);
});

test("Q-learning's greedy policy is optimal on every non-terminal state of the 4×4 grid (10 seeds)", () => {
  const grid = fourByFourGrid();
  const sets = optimalActionSets(valueIteration(grid, 0.9).q);
  for (let seed = 0; seed < 10; seed += 1) {
    const result = qLearning(grid, { episodes: 300, alpha: 0.5, gamma: 0.9, epsilon: 0.8, start: 0, maxSteps: 200, rng: new Random(seed) });
    greedyPolicy(result.q).forEach((a, s) => assert.ok(grid.isTerminal(s) || sets[s]!.includes(a), `seed ${seed}, state ${s}: action ${a}`));
  }
});

test("Q-learning learns the dialogue policy (ask missing slots, then submit) despite stochastic answers", () => {
  const mdp = dialogueMdp();
  const sets = optimalActionSets(valueIteration(mdp, 0.95).q);
  const result = qLearning(mdp, { episodes: 2000, alpha: 0.2, gamma: 0.95, epsilon: 0.2, start: 0, maxSteps: 50, rng: new Random(0) });
  greedyPolicy(result.q).forEach((a, s) => assert.ok(mdp.isTerminal(s) || sets[s]!.includes(a), `state ${s}: ${a}`));
});

test("cliff walk: Q-learning's greedy path is the 13-move edge path, SARSA's a longer one away from the edge and its online return higher (5 seeds)", () => {
  const cliff = cliffWalk();
  const edgeCells = (path: number[]) => path.filter((s) => Math.floor(s / 12) === 2 && s % 12 > 0 && s % 12 < 11).length;
  const lastMean = (xs: number[]) => xs.slice(-100).reduce((a, b) => a + b, 0) / 100;
  for (let seed = 0; seed < 5; seed += 1) {
    const options = { episodes: 500, alpha: 0.1, gamma: 1, epsilon: 0.1, start: cliff.start, maxSteps: 1000 };
    const ql = qLearning(cliff, { ...options, rng: new Random(seed) });
    const sa = sarsa(cliff, { ...options, rng: new Random(seed) });
    const [qPath, sPath] = [greedyPath(cliff, greedyPolicy(ql.q)), greedyPath(cliff, greedyPolicy(sa.q))];
    assert.equal(qPath.length - 1, 13);
    assert.equal(edgeCells(qPath), 10);
    assert.equal(sPath[sPath.length - 1], cliff.goal);
    assert.ok(sPath.length - 1 > 13 && edgeCells(sPath) <= 2, `seed ${seed}: ${sPath}`);
    assert.ok(lastMean(sa.episodeReturns) > lastMean(ql.episodeReturns), `seed ${seed}`);
  }
});

test("training in one call equals training one episode at a time from the previous table (initialQ), which is left unchanged", () => {
  const grid = fourByFourGrid();
  const options = { alpha: 0.5, gamma: 0.9, epsilon: 0.5, start: 0, maxSteps: 100 };
  const whole = qLearning(grid, { ...options, episodes: 20, rng: new Random(4) });
  const rng = new Random(4);
  let q = createQTable(16, 4);
  for (let k = 0; k < 20; k += 1) {
    const before = JSON.stringify(q);
    const next = qLearning(grid, { ...options, episodes: 1, rng, initialQ: q });
    assert.equal(JSON.stringify(q), before);
    q = next.q;
  }
  assert.deepEqual(q, whole.q);
  assert.throws(() => qLearning(grid, { ...options, episodes: 1, rng, initialQ: [[0]] }), /initialQ must be \[16\]\[4\]/);
});

test("bad options are refused by name", () => {
  const grid = fourByFourGrid();
  const base = { episodes: 10, alpha: 0.5, gamma: 0.9, epsilon: 0.1, start: 0, rng: new Random(0) };
  assert.throws(() => qLearning(grid, { ...base, alpha: 0 }), /alpha/);
  assert.throws(() => sarsa(grid, { ...base, start: 15 }), /start state 15 is terminal/);
  assert.throws(() => epsilonGreedy([0, 1], 1.5, new Random(0)), /epsilon/);
});
