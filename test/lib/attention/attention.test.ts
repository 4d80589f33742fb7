import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { causalMask, keyPaddingMask, MASKED_SCORE, scaledDotProductAttention } from "../../../lib/attention/attention";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

/** The explicit loop the tensor version must equal: one [Tq, d] × [Tk, d] × [Tk, dv] problem, float64. */
function attentionLoop(q: number[][], k: number[][], v: number[][], keep: number[][] | null, scale: number) {
  const weights = q.map((qi, i) => {
    const scores = k.map((kj, j) => (keep && keep[i]![j] === 0 ? -Infinity : scale * qi.reduce((s, x, c) => s + x * kj[c]!, 0)));
    const max = Math.max(...scores);
    if (max === -Infinity) return scores.map(() => 0);
    const exps = scores.map((s) => Math.exp(s - max));
    const total = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / total);
  });
  const output = weights.map((row) => v[0]!.map((_, c) => row.reduce((s, w, j) => s + w * v[j]![c]!, 0)));
  return { output, weights };
}

const randomArray = (rng: Random, shape: number[]): tf.Tensor => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal(0, 1)), shape);

function assertClose(actual: number[][], expected: number[][], tolerance: number, what: string) {
  actual.forEach((row, i) => row.forEach((value, j) => assert.ok(Math.abs(value - expected[i]![j]!) <= tolerance, `${what}[${i}][${j}]: ${value} vs ${expected[i]![j]}`)));
}

test("equals the explicit loop on random shapes, with padding masks, causal masks and fewer queries than keys", () => {
  const rng = new Random(7);
  for (let trial = 0; trial < 40; trial++) {
    const [batch, heads, tq0, tk, d, dv] = [1 + rng.int(0, 3), 1 + rng.int(0, 3), 1 + rng.int(0, 6), 1 + rng.int(0, 7), 1 + rng.int(0, 9), 1 + rng.int(0, 5)];
    const tq = Math.min(tq0, tk);
    const causal = rng.random() < 0.5;
    const usePadding = rng.random() < 0.6;
    const lengths = Array.from({ length: batch }, () => rng.int(0, tk + 1)); // 0 = every key padded
    const padding = lengths.map((len) => Array.from({ length: tk }, (_, j) => (j < len ? 1 : 0)));
    const [q, k, v] = [randomArray(rng, [batch, heads, tq, d]), randomArray(rng, [batch, heads, tk, d]), randomArray(rng, [batch, heads, tk, dv])];
    const mask = usePadding ? tf.tensor(padding).reshape([batch, 1, 1, tk]) : undefined;
    const { output, weights } = scaledDotProductAttention(q, k, v, { mask, causal });
    const [qa, ka, va, oa, wa] = [q, k, v, output, weights].map((t) => t.arraySync() as number[][][][]) as [number[][][][], number[][][][], number[][][][], number[][][][], number[][][][]];
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        const keep = Array.from({ length: tq }, (_, i) => Array.from({ length: tk }, (_, j) =>
          (usePadding ? padding[b]![j]! : 1) * (causal && j > i + tk - tq ? 0 : 1)));
        const reference = attentionLoop(qa[b]![h]!, ka[b]![h]!, va[b]![h]!, keep, 1 / Math.sqrt(d));
        assertClose(wa[b]![h]!, reference.weights, 1e-5, `trial ${trial} weights`);
        assertClose(oa[b]![h]!, reference.output, 1e-5, `trial ${trial} output`);
        wa[b]![h]!.forEach((row, i) => row.forEach((w, j) => { if (keep[i]![j] === 0) assert.equal(w, 0, "a masked key's weight is exactly 0"); }));
      }
    }
    tf.dispose([q, k, v, output, weights, ...(mask ? [mask] : [])]);
  }
});

test("rows sum to 1 over visible keys; a query that sees no key gets zero weights and a zero output", () => {
  const rng = new Random(1);
  const [q, k, v] = [randomArray(rng, [2, 3, 4]), randomArray(rng, [2, 5, 4]), randomArray(rng, [2, 5, 2])];
  const mask = keyPaddingMask([[1, 2, 3, 0, 0], [0, 0, 0, 0, 0]]);
  const { output, weights } = scaledDotProductAttention(q, k, v, { mask });
  const sums = weights.sum(-1).arraySync() as number[][];
  sums[0]!.forEach((s) => assert.ok(Math.abs(s - 1) < 1e-6));
  assert.deepEqual(sums[1], [0, 0, 0]);
  assert.deepEqual((output.arraySync() as number[][][])[1], [[0, 0], [0, 0], [0, 0]]);
  // A score of MASKED_SCORE below the others underflows to exactly 0 in float32 (why masked weights are exact zeros).
  assert.equal(tf.softmax(tf.tensor1d([3, 3 + MASKED_SCORE])).arraySync()[1], 0);
});

test("the scale divides by √d_k by default and can be set", () => {
  const q = tf.tensor3d([[[2, 0, 0, 0]]]);
  const k = tf.tensor3d([[[1, 0, 0, 0], [0, 0, 0, 0]]]);
  const v = tf.tensor3d([[[1], [0]]]);
  const byDefault = (scaledDotProductAttention(q, k, v).weights.arraySync() as number[][][])[0]![0]!;
  // scores 2/√4 = 1 and 0
  assert.ok(Math.abs(byDefault[0]! - Math.E / (Math.E + 1)) < 1e-6);
  const unscaled = (scaledDotProductAttention(q, k, v, { scale: 1 }).weights.arraySync() as number[][][])[0]![0]!;
  assert.ok(Math.abs(unscaled[0]! - Math.exp(2) / (Math.exp(2) + 1)) < 1e-6);
});

test("causal masks: lower triangle, and the last Tq rows of it when there are fewer queries than keys", () => {
  assert.deepEqual(causalMask(3, 3).arraySync(), [[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
  assert.deepEqual(causalMask(2, 4).arraySync(), [[1, 1, 1, 0], [1, 1, 1, 1]]);
  assert.throws(() => causalMask(4, 2), /4 queries but only 2 keys/);
  assert.throws(() => causalMask(0, 2), /tq must be an integer ≥ 1, got 0/);
});

test("key padding masks come from ids and broadcast over the queries", () => {
  assert.deepEqual(keyPaddingMask([[5, 6, 0], [0, 7, 0]]).arraySync(), [[[1, 1, 0]], [[0, 1, 0]]]);
  assert.deepEqual(keyPaddingMask(tf.tensor2d([[9, 1]], undefined, "int32"), 9).arraySync(), [[[0, 1]]]);
  assert.throws(() => keyPaddingMask(tf.tensor1d([1, 2])), /ids must be \[batch, Tk\], got shape \[2\]/);
});

test("bad shapes are named", () => {
  const x = tf.zeros([2, 3, 4]);
  assert.throws(() => scaledDotProductAttention(tf.zeros([4]), x, x), /one rank ≥ 2/);
  assert.throws(() => scaledDotProductAttention(x, tf.zeros([2, 3, 5]), x), /same last dimension d_k: query \[2,3,4\], key \[2,3,5\]/);
  assert.throws(() => scaledDotProductAttention(x, x, tf.zeros([2, 4, 4])), /same number of positions Tk/);
  assert.throws(() => scaledDotProductAttention(x, x, tf.zeros([1, 3, 4])), /leading \(batch, head\) dimensions differ/);
  assert.throws(() => scaledDotProductAttention(x, x, x, { mask: tf.ones([2, 3]) }), /mask of shape \[2,3\] does not broadcast to the scores \[2,3,3\].*\[batch, 1, Tk\]/);
});

test("gradients flow to queries, keys and values and none to masked keys' values", () => {
  const rng = new Random(3);
  const [q, k, v] = [randomArray(rng, [1, 2, 3]), randomArray(rng, [1, 4, 3]), randomArray(rng, [1, 4, 2])];
  const mask = keyPaddingMask([[1, 1, 1, 0]]);
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => scaledDotProductAttention(a, b, c, { mask }).output.square().sum())([q, k, v]);
  const dv = grads[2]!.arraySync() as number[][][];
  assert.deepEqual(dv[0]![3], [0, 0], "a padded key's value gets no gradient");
  assert.ok(dv[0]![0]!.some((g) => g !== 0));
  assert.ok((grads[0]!.abs().sum().arraySync() as number) > 0);
});
