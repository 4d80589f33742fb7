import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { scaledDotProductAttention } from "../../../lib/attention/attention";
import { groupedQueryAttention, kvCacheElements } from "../../../lib/attention/grouped-query";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

const randomTensor = (rng: Random, shape: [number, number, number, number]) =>
  tf.tensor4d(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal(0, 1)), shape);

test("query head i attends with K/V head floor(i / (h/g)): equal to per-head scaled dot-product attention", () => {
  const rng = new Random(5);
  for (const [heads, groups] of [[4, 4], [4, 2], [4, 1], [6, 3], [6, 2]] as const) {
    const [batch, tq, tk, d, dv] = [2, 3, 5, 4, 3];
    const q = randomTensor(rng, [batch, heads, tq, d]);
    const k = randomTensor(rng, [batch, groups, tk, d]);
    const v = randomTensor(rng, [batch, groups, tk, dv]);
    const mask = tf.tensor3d([[[1, 1, 1, 0, 0]], [[1, 1, 1, 1, 1]]]).expandDims(1); // [batch, 1, 1, Tk]
    const { output, weights } = groupedQueryAttention(q, k, v, { mask, causal: true });
    assert.deepEqual(output.shape, [batch, heads, tq, dv]);
    assert.deepEqual(weights.shape, [batch, heads, tq, tk]);
    for (let head = 0; head < heads; head++) {
      const group = Math.floor(head / (heads / groups));
      const slice = (x: tf.Tensor4D, index: number) => x.slice([0, index, 0, 0], [-1, 1, -1, -1]);
      const expected = scaledDotProductAttention(slice(q, head), slice(k, group), slice(v, group), { mask, causal: true });
      const diff = tf.max(tf.abs(tf.sub(slice(output as tf.Tensor4D, head), expected.output))).dataSync()[0]!;
      assert.ok(diff < 1e-6, `h = ${heads}, g = ${groups}, head ${head}: max difference ${diff}`);
    }
  }
});

test("bad head counts are refused; the KV-cache count is 2 · layers · batch · tokens · g · d_head", () => {
  const rng = new Random(1);
  assert.throws(() => groupedQueryAttention(randomTensor(rng, [1, 4, 2, 3]), randomTensor(rng, [1, 3, 2, 3]), randomTensor(rng, [1, 3, 2, 3])), /4 query heads do not split into 3/);
  assert.throws(() => groupedQueryAttention(randomTensor(rng, [1, 4, 2, 3]), randomTensor(rng, [1, 2, 2, 3]), randomTensor(rng, [1, 1, 2, 3])), /key has 2 heads but value has 1/);
  assert.equal(kvCacheElements({ layers: 32, batch: 1, tokens: 4096, kvHeads: 8, headDim: 128 }), 2 * 32 * 4096 * 8 * 128);
  assert.throws(() => kvCacheElements({ layers: 2, batch: 1, tokens: 0, kvHeads: 1, headDim: 4 }), /tokens must be an integer ≥ 1/);
});
