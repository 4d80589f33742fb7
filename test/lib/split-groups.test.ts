import { test } from "node:test";
import * as assert from "node:assert/strict";
import { groupTrainTestSplit } from "../../lib/split";

const groups = ["a", "a", "b", "c", "c", "c", "d", "e", "e", "f"];

test("every group is on one side only, and the sides partition the indices", () => {
  for (const seed of [0, 1, 2, 3]) {
    const { train, test: held, testGroups } = groupTrainTestSplit(groups, { testFraction: 0.34, seed });
    assert.deepEqual([...train, ...held].sort((a, b) => a - b), groups.map((_, i) => i));
    assert.equal(testGroups.length, Math.ceil(0.34 * 6));
    for (const i of held) assert.ok(testGroups.includes(groups[i]!));
    for (const i of train) assert.ok(!testGroups.includes(groups[i]!));
  }
});

test("deterministic under the seed, other seeds hold out other groups", () => {
  const a = groupTrainTestSplit(groups, { testFraction: 0.5, seed: 7 });
  assert.deepEqual(a, groupTrainTestSplit(groups, { testFraction: 0.5, seed: 7 }));
  const seen = new Set([0, 1, 2, 3, 4, 5].map((seed) => groupTrainTestSplit(groups, { testFraction: 0.5, seed }).testGroups.join()));
  assert.ok(seen.size > 1);
  // the order of the samples does not change which groups are held out
  assert.deepEqual(groupTrainTestSplit([...groups].reverse(), { testFraction: 0.5, seed: 7 }).testGroups, a.testGroups);
});

test("bad arguments are named", () => {
  assert.throws(() => groupTrainTestSplit(["a", "a"], { testFraction: 0.5, seed: 0 }), /1 distinct group with testFraction 0\.5 leaves an empty part/);
  assert.throws(() => groupTrainTestSplit(["a", "b"], { testFraction: 0.6, seed: 0 }), /2 distinct groups with testFraction 0\.6 leaves an empty part/);
  assert.throws(() => groupTrainTestSplit(groups, { testFraction: 0, seed: 0 }), /testFraction must be in \(0, 1\), got 0/);
  assert.throws(() => groupTrainTestSplit(["a", null as unknown as string], { testFraction: 0.5, seed: 0 }), /groups\[1\] is null/);
  assert.throws(() => groupTrainTestSplit(groups, { testFraction: 0.5, seed: 0.5 }), /seed must be an integer, got 0\.5/);
});
