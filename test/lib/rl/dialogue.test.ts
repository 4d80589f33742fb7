import { test } from "node:test";
import * as assert from "node:assert/strict";
import { dialogueMdp, DIALOGUE_DONE } from "../../../lib/rl/dialogue";
import { optimalActionSets, valueIteration } from "../../../lib/rl/value-iteration";

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

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

