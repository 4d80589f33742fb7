import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { magnitudePruneMask, pruneModelWeights } from "../../../lib/nn/pruning";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

test("the mask zeroes exactly round(s·n) weights, and every pruned |w| ≤ every kept |w|", () => {
  const rng = new Random(3);
  for (const n of [1, 7, 100, 333]) {
    const values = Array.from({ length: n }, () => rng.normal());
    for (const sparsity of [0, 0.1, 0.5, 0.9, 0.999, 1]) {
      const mask = magnitudePruneMask(values, sparsity);
      const zeros = mask.filter((m) => m === 0).length;
      assert.equal(zeros, Math.round(sparsity * n), `n ${n}, sparsity ${sparsity}`);
      const pruned = values.filter((_, i) => !mask[i]).map(Math.abs);
      const kept = values.filter((_, i) => mask[i]).map(Math.abs);
      if (pruned.length && kept.length) assert.ok(Math.max(...pruned) <= Math.min(...kept));
    }
  }
});

test("ties are split by position, so the count is exact even when all weights are equal", () => {
  assert.deepEqual([...magnitudePruneMask([2, -2, 2, 2], 0.5)], [0, 0, 1, 1]);
  assert.deepEqual([...magnitudePruneMask([0.1, -3, 0.2, 5], 0.5)], [0, 1, 0, 1]);
});

test("bad sparsity or weights are refused with the value", () => {
  assert.throws(() => magnitudePruneMask([1, 2], 1.5), /sparsity must be in \[0, 1\], got 1.5/);
  assert.throws(() => magnitudePruneMask([1, NaN], 0.5), /value 1 is NaN/);
});

test("pruneModelWeights prunes kernels only, reports the zeros, and restore() brings back every weight", () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 5, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: "ones" }), tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) })] });
  const before = model.weights.map((v) => [...v.read().dataSync()]);
  const { report, restore } = pruneModelWeights(model, 0.6);
  assert.equal(report.prunableWeights, 30 + 15);
  assert.equal(report.zeroedWeights, 18 + 9);
  assert.deepEqual(report.tensors.map((t) => t.zeros), [18, 9]);
  assert.deepEqual([...model.weights[1]!.read().dataSync()], [1, 1, 1, 1, 1]); // the bias is untouched
  restore();
  assert.deepEqual(model.weights.map((v) => [...v.read().dataSync()]), before);
  assert.throws(() => restore(), /already called/);
  model.dispose();
});
