import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { step, tableMdp, validateMdp, type Outcome } from "../../../lib/rl/mdp";
import { chainMdp } from "../../../lib/rl/chain";
import { fourByFourGrid, gridWorld } from "../../../lib/rl/gridworld";
import { qFromValues, valueIteration } from "../../../lib/rl/value-iteration";

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
