import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { scaledDotProductAttention } from "../../../lib/attention/attention";
import { applyRotaryEmbedding } from "../../../lib/attention/positional";
import { kvCacheElements } from "../../../lib/attention/grouped-query";
import { mergeHeads, MultiHeadAttention, multiHeadAttentionParameterCount, PaddingMask, splitHeads, type KeyValueCache } from "../../../lib/attention/multi-head";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

const randomTensor = (rng: Random, shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal(0, 1)), shape);
const matMul = (a: number[][], b: number[][]) => a.map((row) => b[0]!.map((_, j) => row.reduce((s, x, k) => s + x * b[k]![j]!, 0)));
const addRow = (a: number[][], bias: number[]) => a.map((row) => row.map((x, j) => x + bias[j]!));
const columns = (a: number[][], from: number, to: number) => a.map((row) => row.slice(from, to));

/** One sequence through the layer's formula with explicit loops, float64. */
function multiHeadLoop(x: number[][], memory: number[][], w: number[][][], numHeads: number, keyDim: number, valueDim: number, keep: (i: number, j: number) => boolean) {
  const [wq, bq, wk, bk, wv, bv, wo, bo] = w as [number[][], number[][], number[][], number[][], number[][], number[][], number[][], number[][]];
  const q = addRow(matMul(x, wq), bq[0]!), k = addRow(matMul(memory, wk), bk[0]!), v = addRow(matMul(memory, wv), bv[0]!);
  const heads = Array.from({ length: numHeads }, (_, h) => {
    const [qh, kh, vh] = [columns(q, h * keyDim, (h + 1) * keyDim), columns(k, h * keyDim, (h + 1) * keyDim), columns(v, h * valueDim, (h + 1) * valueDim)];
    return qh.map((qi, i) => {
      const scores = kh.map((kj, j) => (keep(i, j) ? qi.reduce((s, a, c) => s + a * kj[c]!, 0) / Math.sqrt(keyDim) : -Infinity));
      const max = Math.max(...scores);
      const exps = scores.map((s) => (max === -Infinity ? 0 : Math.exp(s - max)));
      const total = exps.reduce((a, b) => a + b, 0) || 1;
      return vh[0]!.map((_, c) => exps.reduce((s, e, j) => s + (e / total) * vh[j]![c]!, 0));
    });
  });
  const concatenated = x.map((_, i) => heads.flatMap((head) => head[i]!));
  return addRow(matMul(concatenated, wo), bo[0]!);
}

function weightsAsArrays(layer: tf.layers.Layer): number[][][] {
  return layer.getWeights().map((w) => (w.rank === 1 ? [w.arraySync() as number[]] : (w.arraySync() as number[][])));
}

test("self-attention equals the explicit per-head loop, with and without padding and causal masks", () => {
  const rng = new Random(11);
  for (const { numHeads, keyDim, valueDim, causal, padded } of [
    { numHeads: 1, keyDim: 4, valueDim: 4, causal: false, padded: false },
    { numHeads: 2, keyDim: 3, valueDim: 5, causal: false, padded: true },
    { numHeads: 4, keyDim: 2, valueDim: 2, causal: true, padded: true },
  ]) {
    const layer = new MultiHeadAttention({ numHeads, keyDim, valueDim, causal, seed: 3 });
    const x = randomTensor(rng, [2, 5, 6]);
    const mask = tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]);
    const output = layer.apply(padded ? [x, mask] : x) as tf.Tensor;
    // non-zero biases, so that the test sees them
    layer.setWeights(layer.getWeights().map((w) => (w.rank === 1 ? randomTensor(rng, w.shape) : w)));
    const after = (layer.apply(padded ? [x, mask] : x) as tf.Tensor).arraySync() as number[][][];
    const weights = weightsAsArrays(layer);
    const xs = x.arraySync() as number[][][];
    const masks = mask.arraySync();
    xs.forEach((sequence, b) => {
      const expected = multiHeadLoop(sequence, sequence, weights, numHeads, keyDim, valueDim, (i, j) => (!padded || masks[b]![j] === 1) && (!causal || j <= i));
      expected.forEach((row, i) => row.forEach((value, c) => assert.ok(Math.abs(after[b]![i]![c]! - value) < 1e-4, `h=${numHeads} b=${b} [${i}][${c}]: ${after[b]![i]![c]} vs ${value}`)));
    });
    assert.deepEqual(output.shape, [2, 5, 6]);
  }
});

test("cross-attention: queries from one sequence, keys and values from another of another length and width", () => {
  const rng = new Random(2);
  const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 3, cross: true, seed: 0 });
  const [query, memory] = [randomTensor(rng, [1, 3, 4]), randomTensor(rng, [1, 6, 5])];
  const memoryMask = tf.tensor2d([[1, 1, 1, 1, 0, 0]]);
  const output = layer.apply([query, memory, memoryMask]) as tf.Tensor;
  assert.deepEqual(output.shape, [1, 3, 4]);
  const expected = multiHeadLoop((query.arraySync() as number[][][])[0]!, (memory.arraySync() as number[][][])[0]!, weightsAsArrays(layer), 2, 3, 3, (_, j) => j < 4);
  const actual = (output.arraySync() as number[][][])[0]!;
  expected.forEach((row, i) => row.forEach((value, c) => assert.ok(Math.abs(actual[i]![c]! - value) < 1e-4)));
  assert.equal(layer.countParams(), multiHeadAttentionParameterCount({ queryDim: 4, memoryDim: 5, numHeads: 2, keyDim: 3 }));
});

test("one head equals scaled dot-product attention of the projections", () => {
  const rng = new Random(5);
  const layer = new MultiHeadAttention({ numHeads: 1, keyDim: 6, useBias: false, seed: 1 });
  const x = randomTensor(rng, [3, 4, 6]);
  const output = layer.apply(x) as tf.Tensor;
  const [wq, wk, wv, wo] = layer.getWeights() as tf.Tensor2D[];
  const project = (w: tf.Tensor2D) => tf.matMul(x.reshape([12, 6]), w).reshape([3, 4, -1]);
  const single = scaledDotProductAttention(project(wq!), project(wk!), project(wv!)).output;
  const expected = tf.matMul(single.reshape([12, 6]), wo!).reshape([3, 4, 6]);
  assert.ok((tf.abs(output.sub(expected)).max().arraySync() as number) < 1e-5);
});

test("without masks and positions, self-attention is permutation-equivariant", () => {
  const rng = new Random(8);
  const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 4 });
  const x = randomTensor(rng, [1, 6, 8]);
  const order = [3, 0, 5, 1, 4, 2];
  const permuted = tf.gather(x, order, 1);
  const a = tf.gather(layer.apply(x) as tf.Tensor, order, 1);
  const b = layer.apply(permuted) as tf.Tensor;
  assert.ok((tf.abs(a.sub(b)).max().arraySync() as number) < 1e-5);
});

test("causal: changing a later token leaves every earlier output unchanged; padding: a padded token changes nothing", () => {
  const rng = new Random(9);
  const causal = new MultiHeadAttention({ numHeads: 2, keyDim: 4, causal: true, seed: 6 });
  const x = randomTensor(rng, [1, 6, 8]);
  const changed = tf.concat([x.slice([0, 0, 0], [1, 4, 8]), randomTensor(rng, [1, 2, 8])], 1);
  const [before, after] = [causal.apply(x) as tf.Tensor, causal.apply(changed) as tf.Tensor];
  assert.ok((tf.abs(before.slice([0, 0, 0], [1, 4, 8]).sub(after.slice([0, 0, 0], [1, 4, 8]))).max().arraySync() as number) < 1e-6);
  assert.ok((tf.abs(before.slice([0, 4, 0], [1, 2, 8]).sub(after.slice([0, 4, 0], [1, 2, 8]))).max().arraySync() as number) > 1e-3);

  const plain = new MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 6 });
  const mask = tf.tensor2d([[1, 1, 1, 1, 0, 0]]);
  const [p, q] = [plain.apply([x, mask]) as tf.Tensor, plain.apply([changed, mask]) as tf.Tensor];
  assert.ok((tf.abs(p.slice([0, 0, 0], [1, 4, 8]).sub(q.slice([0, 0, 0], [1, 4, 8]))).max().arraySync() as number) < 1e-6);
});

test("attend() returns the weights per head: [batch, heads, Tq, Tk], rows summing to 1", () => {
  const rng = new Random(4);
  const layer = new MultiHeadAttention({ numHeads: 3, keyDim: 2, seed: 0 });
  const x = randomTensor(rng, [2, 5, 6]);
  layer.apply(x);
  const { output, weights } = layer.attend(x);
  assert.deepEqual(weights.shape, [2, 3, 5, 5]);
  assert.ok((tf.abs(weights.sum(-1).sub(1)).max().arraySync() as number) < 1e-6);
  assert.ok((tf.abs(output.sub(layer.apply(x) as tf.Tensor)).max().arraySync() as number) === 0);
  assert.throws(() => new MultiHeadAttention({ numHeads: 1, keyDim: 2, seed: 0 }).attend(x), /not built yet/);
});

test("parameter count = the formula, in a model, with and without biases; every weight gets a gradient", () => {
  for (const useBias of [true, false]) {
    const input = tf.input({ shape: [7, 16] });
    const output = new MultiHeadAttention({ numHeads: 4, keyDim: 8, valueDim: 6, useBias, seed: 0 }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    assert.equal(model.countParams(), multiHeadAttentionParameterCount({ queryDim: 16, numHeads: 4, keyDim: 8, valueDim: 6, useBias }));
    assert.deepEqual(output.shape, [null, 7, 16]);
    const x = randomTensor(new Random(1), [2, 7, 16]);
    const { grads } = tf.variableGrads(() => (model.apply(x) as tf.Tensor).square().mean() as tf.Scalar, model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
    assert.equal(Object.keys(grads).length, useBias ? 8 : 4);
    for (const g of Object.values(grads)) assert.ok((g.abs().sum().arraySync() as number) > 0);
  }
});

test("PaddingMask turns ids into a keep-mask inside a functional model; a fit step runs", async () => {
  const ids = tf.input({ shape: [5], dtype: "int32" });
  const embedded = tf.layers.embedding({ inputDim: 10, outputDim: 8, embeddingsInitializer: tf.initializers.glorotUniform({ seed: 0 }) }).apply(ids) as tf.SymbolicTensor;
  const mask = new PaddingMask().apply(ids) as tf.SymbolicTensor;
  const attended = new MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 0 }).apply([embedded, mask]) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling1d().apply(attended) as tf.SymbolicTensor;
  const model = tf.model({ inputs: ids, outputs: tf.layers.dense({ units: 1 }).apply(pooled) as tf.SymbolicTensor });
  model.compile({ optimizer: tf.train.adam(0.01), loss: "meanSquaredError" });
  const x = tf.tensor2d([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0]], undefined, "int32");
  const history = await model.fit(x, tf.tensor2d([[1], [0]]), { epochs: 3, verbose: 0 });
  assert.equal((history.history.loss as number[]).length, 3);
  assert.deepEqual((new PaddingMask({ padId: 9 }).apply(tf.tensor2d([[9, 1]], undefined, "int32")) as tf.Tensor).arraySync(), [[0, 1]]);
});

test("splitHeads / mergeHeads are inverse and put features i·d … (i+1)·d − 1 in head i", () => {
  const x = tf.range(0, 2 * 3 * 6).reshape([2, 3, 6]);
  const split = splitHeads(x, 3);
  assert.deepEqual(split.shape, [2, 3, 3, 2]);
  assert.deepEqual((split.arraySync() as number[][][][])[0]![1]![2], [14, 15]);
  assert.deepEqual(mergeHeads(split).arraySync(), x.arraySync());
  assert.throws(() => splitHeads(x, 4), /6 features do not split into 4 heads/);
  assert.throws(() => mergeHeads(x), /expected \[batch, heads, T, d\]/);
});

test("bad arguments and inputs are named", () => {
  assert.throws(() => new MultiHeadAttention({ numHeads: 0, keyDim: 2, seed: 0 }), /numHeads must be an integer ≥ 1, got 0/);
  assert.throws(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2.5, seed: 0 }), /keyDim must be an integer ≥ 1, got 2.5/);
  assert.throws(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, seed: 0.5 }), /seed must be an integer/);
  const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 2, seed: 0 });
  const x = tf.zeros([2, 4, 6]);
  assert.throws(() => layer.apply([x, tf.ones([2, 5])]), /key mask must be \[batch, Tk\] = \[2,4\], got shape \[2,5\]/);
  assert.throws(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, cross: true, seed: 0 }).apply(x), /expected \[query, memory\]/);
  assert.throws(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, seed: 0 }).apply(tf.zeros([4, 6])), /query must be \[batch, T, features\]/);
});

test("decodeStep with a KV cache equals the causal layer on the whole sequence, one step or several at a time", () => {
  const rng = new Random(12);
  const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 3, causal: true, seed: 5 });
  const x = randomTensor(rng, [2, 7, 6]);
  const full = layer.apply(x) as tf.Tensor;
  for (const chunks of [[1, 1, 1, 1, 1, 1, 1], [3, 1, 3], [7]]) {
    let cache: KeyValueCache | null = null;
    let position = 0;
    for (const size of chunks) {
      const step = layer.decodeStep(x.slice([0, position, 0], [2, size, 6]), cache);
      const expected = full.slice([0, position, 0], [2, size, 6]);
      assert.ok((tf.abs(step.output.sub(expected)).max().arraySync() as number) < 1e-5, `chunks ${chunks} at ${position}`);
      cache = step.cache;
      position += size;
    }
    assert.deepEqual(cache!.keys.shape, [2, 2, 7, 3]);
    assert.equal(cache!.keys.size + cache!.values.size, kvCacheElements({ layers: 1, batch: 2, tokens: 7, kvHeads: 2, headDim: 3 }));
  }
  assert.throws(() => new MultiHeadAttention({ numHeads: 2, keyDim: 3, seed: 0 }).decodeStep(x, null), /not built yet/);
  const notCausal = new MultiHeadAttention({ numHeads: 2, keyDim: 3, seed: 0 });
  notCausal.apply(x);
  assert.throws(() => notCausal.decodeStep(x, null), /decodeStep needs causal self-attention/);
});

test("rotary: queries and keys are rotated per head before attending (= RoPE written out), and decodeStep keeps the positions", () => {
  const rng = new Random(13);
  const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 4, useBias: false, rotary: true, causal: true, seed: 2 });
  const x = randomTensor(rng, [2, 6, 8]);
  const output = layer.apply(x) as tf.Tensor;
  const [wq, wk, wv, wo] = layer.getWeights() as tf.Tensor2D[];
  const heads = (w: tf.Tensor2D) => splitHeads(tf.matMul(x.reshape([12, 8]), w).reshape([2, 6, 8]), 2);
  const attended = scaledDotProductAttention(applyRotaryEmbedding(heads(wq!)), applyRotaryEmbedding(heads(wk!)), heads(wv!), { causal: true }).output;
  const expected = tf.matMul(mergeHeads(attended).reshape([12, 8]), wo!).reshape([2, 6, 8]);
  assert.ok((tf.abs(output.sub(expected)).max().arraySync() as number) < 1e-5);
  let cache: KeyValueCache | null = null;
  for (let position = 0; position < 6; position += 2) {
    const step = layer.decodeStep(x.slice([0, position, 0], [2, 2, 8]), cache);
    assert.ok((tf.abs(step.output.sub(output.slice([0, position, 0], [2, 2, 8]))).max().arraySync() as number) < 1e-5, `at ${position}`);
    cache = step.cache;
  }
  const plain = new MultiHeadAttention({ numHeads: 2, keyDim: 4, useBias: false, causal: true, seed: 2 });
  assert.ok((tf.abs((plain.apply(x) as tf.Tensor).sub(output)).max().arraySync() as number) > 1e-3, "the rotation changes the output");
  assert.throws(() => new MultiHeadAttention({ numHeads: 2, keyDim: 3, rotary: true, seed: 0 }), /keyDim must be even, got 3/);
  assert.throws(() => new MultiHeadAttention({ numHeads: 2, keyDim: 4, rotary: true, cross: true, seed: 0 }), /not cross-attention/);
});
