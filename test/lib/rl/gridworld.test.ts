import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { step } from "../../../lib/rl/mdp";
import { cliffWalk, fourByFourGrid, greedyPath } from "../../../lib/rl/gridworld";
import { greedyPolicy, valueIteration } from "../../../lib/rl/value-iteration";

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

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

