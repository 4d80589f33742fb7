import { test } from "node:test";
import * as assert from "node:assert/strict";
import { fourByFourGrid, gridWorld } from "../../../lib/rl/gridworld";
import { potentialShaping, progressBonus } from "../../../lib/rl/shaping";
import { evaluatePolicy, optimalActionSets, valueIteration } from "../../../lib/rl/value-iteration";

test("potential shaping: Q'(s, a) = Q*(s, a) − Φ(s) exactly, so the optimal action sets are equal (two grids, two potentials)", () => {
  const gamma = 0.9;
  for (const world of [fourByFourGrid(), gridWorld({ rows: 3, cols: 4, start: 0, goal: 11, slip: 0.2, stepReward: -0.05 })]) {
    const potentials = [(s: number) => -world.distanceToGoal(s), (s: number) => Math.sin(3 * s) * 2];
    for (const phi of potentials) {
      const original = valueIteration(world, gamma);
      const shaped = valueIteration(potentialShaping(world, phi, gamma), gamma);
      for (let s = 0; s < world.nStates; s += 1) {
        if (world.isTerminal(s)) continue;
        for (let a = 0; a < 4; a += 1) assert.ok(Math.abs(shaped.q[s]![a]! - (original.q[s]![a]! - phi(s))) < 1e-8);
      }
      assert.deepEqual(optimalActionSets(shaped.q, 1e-8), optimalActionSets(original.q, 1e-8));
    }
  }
});

test("a progress bonus that ignores moving away makes looping optimal next to the goal (reward hacking)", () => {
  const gamma = 0.9;
  const grid = fourByFourGrid();
  const hacked = progressBonus(grid, (s) => grid.distanceToGoal(s), 0.5);
  const vi = valueIteration(hacked, gamma);
  // From state 14 (next to the goal): step away (0) then back (+0.5) forever is worth γ·0.5/(1 − γ²) > 1.5.
  const loop = (gamma * 0.5) / (1 - gamma * gamma);
  assert.ok(loop > 1.5);
  assert.ok(Math.abs(vi.values[14]! - loop) < 1e-8, `${vi.values[14]}`);
  assert.ok(!optimalActionSets(vi.q)[14]!.includes(1), "entering the goal is no longer optimal");
  // The hacked optimum never reaches the goal: under the true reward its value is 0.
  const hackedPolicy = vi.q.map((row) => row.indexOf(Math.max(...row)));
  assert.equal(evaluatePolicy(grid, hackedPolicy, gamma)[0], 0);
});

