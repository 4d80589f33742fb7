import { test } from "node:test";
import * as assert from "node:assert/strict";
import { oneHotState, THRESHOLD_OPTIMAL_MEAN, THRESHOLD_RANDOM_MEAN, thresholdOptimalActions, thresholdReward } from "../../../lib/rl/threshold-game";

test("the threshold game: rewards by the seed's rule; optimal and random means by enumeration", () => {
  const optimal = Array.from({ length: 10 }, (_, s) => thresholdReward(s, thresholdOptimalActions(s)[0]!));
  assert.ok(Math.abs(optimal.reduce((a, b) => a + b, 0) / 10 - THRESHOLD_OPTIMAL_MEAN) < 1e-12);
  const random = Array.from({ length: 10 }, (_, s) => (thresholdReward(s, 0) + thresholdReward(s, 1)) / 2);
  assert.ok(Math.abs(random.reduce((a, b) => a + b, 0) / 10 - THRESHOLD_RANDOM_MEAN) < 1e-12);
  assert.equal(thresholdReward(5, 0), -1);
  assert.equal(thresholdReward(5, 1), -1);
  assert.throws(() => thresholdReward(10, 0), /state/);
  assert.deepEqual(oneHotState(2), [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
});

