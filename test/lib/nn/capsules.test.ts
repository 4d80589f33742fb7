import { test } from "node:test";
import * as assert from "node:assert/strict";
import { dynamicRouting, marginLoss, squash, vectorNorm } from "../../../lib/nn/capsules";

const near = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test("squash: [3, 4] → 25/26 · [3, 4]/5, zero stays zero, lengths in [0, 1)", () => {
  squash([3, 4]).forEach((v, i) => near(v, ((25 / 26) * [3, 4][i]!) / 5));
  assert.deepEqual(squash([0, 0, 0]), [0, 0, 0]);
  for (const n of [1e-8, 1e-3, 1, 1e3]) {
    const len = vectorNorm(squash([n, 0, -n]));
    near(len, (2 * n * n) / (1 + 2 * n * n), 1e-15);
    assert.ok(len < 1);
  }
});

test("dynamicRouting: a hand-worked 2-child, 2-parent case over two iterations", () => {
  // Both children predict [1, 0] for parent 0; they disagree completely about parent 1.
  const uHat = [[[1, 0], [1, 0]], [[1, 0], [-1, 0]]];
  const one = dynamicRouting(uHat, 1);
  assert.deepEqual(one.c, [[0.5, 0.5], [0.5, 0.5]]);
  one.v[0]!.forEach((v, k) => near(v, [0.5, 0][k]!)); // squash([1, 0]) = [1/2, 0]
  assert.deepEqual(one.v[1], [0, 0]);
  const two = dynamicRouting(uHat, 2);
  // After iteration 1, b_i0 = [1, 0]·[0.5, 0] = 0.5 and b_i1 = 0, so c_i0 = σ(0.5).
  const c0 = 1 / (1 + Math.exp(-0.5));
  two.c.forEach((row) => { near(row[0]!, c0); near(row[1]!, 1 - c0); });
  const s0 = 2 * c0;
  near(two.v[0]![0]!, (s0 * s0) / (1 + s0 * s0));
  assert.equal(two.cHistory.length, 2);
  assert.throws(() => dynamicRouting([[[1, 0]], [[1]]]), /uHat\[1\] is not \[1\]\[2\]/);
});

test("marginLoss: hand values", () => {
  // Present class 0 at 0.95 (no loss); absent 0.3 → 0.5·0.2², 0.05 → 0, 0.5 → 0.5·0.4².
  near(marginLoss([0.95, 0.3, 0.05, 0.5], 0), 0.5 * 0.04 + 0.5 * 0.16);
  near(marginLoss([0.7, 0.05], 0), 0.04);
  near(marginLoss([0.7, 0.05], 1, { mPlus: 0.8, mMinus: 0.2, lambda: 1 }), 0.75 ** 2 + 0.5 ** 2);
  assert.throws(() => marginLoss([0.5, 0.5], 2), /label must be an integer in \[0, 1\], got 2/);
});
