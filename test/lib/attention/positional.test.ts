import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { applyRotaryEmbedding, PositionEmbedding, SinusoidalPositionEncoding, sinusoidalFrequencies, sinusoidalPositionalEncoding } from "../../../lib/attention/positional";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

test("the sinusoidal table is the formula: sin in even columns, cos in odd ones, ω_i = 10000^(−2i/d)", () => {
  const table = sinusoidalPositionalEncoding(50, 16);
  for (const [p, column] of [[0, 0], [0, 1], [7, 4], [49, 15], [13, 9]] as const) {
    const i = Math.floor(column / 2);
    const angle = p / 10000 ** ((2 * i) / 16);
    assert.ok(Math.abs(table[p]![column]! - (column % 2 === 0 ? Math.sin(angle) : Math.cos(angle))) < 1e-15);
  }
  assert.equal(sinusoidalPositionalEncoding(3, 5)[2]!.length, 5, "an odd width ends with a sin column");
  assert.ok(Math.abs(sinusoidalPositionalEncoding(3, 5)[2]![4]! - Math.sin(2 * 10000 ** (-4 / 5))) < 1e-15);
  assert.deepEqual(sinusoidalFrequencies(4, 100), [1, 0.1]);
});

test("PE(p + k) is a rotation of PE(p) that depends on k only, for every p", () => {
  const d = 12;
  const table = sinusoidalPositionalEncoding(80, d);
  const frequencies = sinusoidalFrequencies(d);
  for (const k of [1, 5, 17]) {
    for (let p = 0; p + k < 80; p += 7) {
      for (let i = 0; i < d / 2; i++) {
        const [s, c] = [table[p]![2 * i]!, table[p]![2 * i + 1]!];
        const [ck, sk] = [Math.cos(k * frequencies[i]!), Math.sin(k * frequencies[i]!)];
        // sin(a + b) = sin a cos b + cos a sin b; cos(a + b) = cos a cos b − sin a sin b
        assert.ok(Math.abs(table[p + k]![2 * i]! - (s * ck + c * sk)) < 1e-12);
        assert.ok(Math.abs(table[p + k]![2 * i + 1]! - (c * ck - s * sk)) < 1e-12);
      }
    }
  }
});

test("RoPE: rotated q·k depends on the positions only through their difference, and norms are kept", () => {
  const rng = new Random(3);
  const d = 8;
  const q = tf.tensor2d([Array.from({ length: d }, () => rng.normal(0, 1))]);
  const k = tf.tensor2d([Array.from({ length: d }, () => rng.normal(0, 1))]);
  const dotAt = (p: number, s: number) => tf.sum(applyRotaryEmbedding(q, { offset: p }).mul(applyRotaryEmbedding(k, { offset: s }))).arraySync() as number;
  for (const [p, s] of [[3, 1], [10, 8], [52, 50]] as const) assert.ok(Math.abs(dotAt(p, s) - dotAt(2, 0)) < 1e-4, `${p}, ${s}`);
  assert.ok(Math.abs(dotAt(5, 0) - dotAt(2, 0)) > 1e-3, "another difference, another product");
  const rotated = applyRotaryEmbedding(tf.stack([q, q, q]).reshape([1, 3, d]));
  const norms = tf.norm(rotated, "euclidean", -1).arraySync() as number[][];
  norms[0]!.forEach((n) => assert.ok(Math.abs(n - (tf.norm(q).arraySync() as number)) < 1e-5));
  // position t of a sequence equals offset t of a single step
  const third = rotated.slice([0, 2, 0], [1, 1, d]).reshape([1, d]);
  assert.ok((tf.abs(third.sub(applyRotaryEmbedding(q, { offset: 2 }))).max().arraySync() as number) < 1e-6);
  assert.throws(() => applyRotaryEmbedding(tf.zeros([2, 3])), /feature size must be even/);
  assert.throws(() => applyRotaryEmbedding(tf.zeros([2, 4]), { offset: -1 }), /offset must be an integer ≥ 0/);
});

test("RoPE pairs (2i, 2i+1) turn by p·ω_i: the explicit 2×2 rotation", () => {
  const x = tf.tensor2d([[1, 2, 3, 4]]);
  const out = (applyRotaryEmbedding(x, { offset: 3 }).arraySync() as number[][])[0]!;
  const [w0, w1] = sinusoidalFrequencies(4);
  const rotate = (a: number, b: number, angle: number) => [a * Math.cos(angle) - b * Math.sin(angle), a * Math.sin(angle) + b * Math.cos(angle)];
  const expected = [...rotate(1, 2, 3 * w0!), ...rotate(3, 4, 3 * w1!)];
  out.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-5, `${i}: ${v} vs ${expected[i]}`));
});

test("PositionEmbedding adds one learned vector per position: maxLength·d parameters, shorter inputs use the first rows", () => {
  const layer = new PositionEmbedding({ maxLength: 10, seed: 0 });
  const input = tf.input({ shape: [6, 4] });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  assert.equal(model.countParams(), 40);
  const table = layer.getWeights()[0]!;
  const zeros = tf.zeros([2, 6, 4]);
  const out = model.predict(zeros) as tf.Tensor;
  assert.deepEqual((out.arraySync() as number[][][])[1], table.slice([0, 0], [6, 4]).arraySync());
  assert.throws(() => layer.apply(tf.zeros([1, 11, 4])), /11 steps but positions were learned for at most 10/);
  assert.throws(() => new PositionEmbedding({ maxLength: 0, seed: 0 }), /maxLength must be an integer ≥ 1, got 0/);
});

test("SinusoidalPositionEncoding adds the fixed table, has no weights, and refuses sequences longer than its table", () => {
  const layer = new SinusoidalPositionEncoding({ maxLength: 12 });
  const input = tf.input({ shape: [7, 6] });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  assert.equal(model.countParams(), 0);
  const out = (model.predict(tf.ones([2, 7, 6])) as tf.Tensor).arraySync() as number[][][];
  const table = sinusoidalPositionalEncoding(7, 6);
  out[1]!.forEach((row, p) => row.forEach((v, c) => assert.ok(Math.abs(v - 1 - table[p]![c]!) < 1e-6)));
  assert.throws(() => layer.apply(tf.zeros([1, 13, 6])), /13 steps but the table has 12 rows/);
  const before = tf.memory().numTensors;
  layer.apply(tf.zeros([1, 3, 6]));
  assert.ok(tf.memory().numTensors <= before + 2);
});
