import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { MultiHeadAttention } from "../../../lib/attention/multi-head";
import { transformerDecoderBlock, transformerDecoderParameterCount, transformerEncoderBlock, transformerEncoderParameterCount } from "../../../lib/attention/transformer";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

const randomTensor = (rng: Random, shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal(0, 1)), shape);
const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.abs(a.sub(b)).max().arraySync() as number;

function encoderModel(options: { normFirst: boolean; activation?: "relu" | "gelu"; masked?: boolean; name: string }) {
  const x = tf.input({ shape: [5, 8] });
  const mask = options.masked ? tf.input({ shape: [5] }) : null;
  const y = transformerEncoderBlock(x, mask, { numHeads: 2, ffDim: 16, normFirst: options.normFirst, activation: options.activation, seed: 3, name: options.name });
  return tf.model({ inputs: mask ? [x, mask] : x, outputs: y });
}

/** The block's formula written out with tf ops and the model's own weights (random γ, β and biases). */
function manualEncoder(model: tf.LayersModel, name: string, x: tf.Tensor, normFirst: boolean, activation: "relu" | "gelu" = "relu"): tf.Tensor {
  const layerNorm = (input: tf.Tensor, part: string) => {
    const [gamma, beta] = model.getLayer(`${name}_${part}_norm`).getWeights();
    const { mean, variance } = tf.moments(input, -1, true);
    return input.sub(mean).div(variance.add(1e-5).sqrt()).mul(gamma!).add(beta!);
  };
  const attention = model.getLayer(`${name}_attention`) as MultiHeadAttention;
  const dense = (input: tf.Tensor, layer: string) => {
    const [kernel, bias] = model.getLayer(`${name}_ffn_${layer}`).getWeights();
    return tf.matMul(input.reshape([-1, kernel!.shape[0]!]), kernel as tf.Tensor2D).add(bias!).reshape([...input.shape.slice(0, -1), -1]);
  };
  const ffn = (input: tf.Tensor) => {
    const hidden = dense(input, "hidden");
    // tfjs's "gelu" is the exact form x·Φ(x) with erf (not the tanh approximation, "gelu_new").
    return dense(activation === "relu" ? hidden.relu() : gelu(hidden), "output");
  };
  if (normFirst) {
    const y = x.add(attention.apply(layerNorm(x, "attention")) as tf.Tensor);
    return y.add(ffn(layerNorm(y, "ffn")));
  }
  const y = layerNorm(x.add(attention.apply(x) as tf.Tensor), "attention");
  return layerNorm(y.add(ffn(y)), "ffn");
}

function gelu(x: tf.Tensor): tf.Tensor {
  const values = x.dataSync();
  const erf = (z: number) => { // Abramowitz–Stegun 7.1.26, |error| < 1.5e-7
    const t = 1 / (1 + 0.3275911 * Math.abs(z));
    const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
    return z >= 0 ? y : -y;
  };
  return tf.tensor(Array.from(values, (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))), x.shape);
}

function randomiseNormsAndBiases(model: tf.LayersModel, rng: Random) {
  for (const layer of model.layers) {
    if (layer.getWeights().length === 0) continue;
    layer.setWeights(layer.getWeights().map((w) => (w.rank === 1 ? randomTensor(rng, w.shape).mul(0.5).add(layer.name.endsWith("_norm") && w === layer.getWeights()[0] ? 1 : 0) : w)));
  }
}

test("post-norm and pre-norm encoder blocks equal their formulas written out with the same weights", () => {
  const rng = new Random(4);
  for (const [normFirst, activation] of [[false, "relu"], [true, "relu"], [false, "gelu"]] as const) {
    const name = `enc_${normFirst ? "pre" : "post"}_${activation}`;
    const model = encoderModel({ normFirst, activation, name });
    randomiseNormsAndBiases(model, rng);
    const x = randomTensor(rng, [3, 5, 8]);
    const difference = maxAbsDiff(model.predict(x) as tf.Tensor, manualEncoder(model, name, x, normFirst, activation));
    assert.ok(difference < 1e-4, `${name}: ${difference}`);
  }
});

test("a post-norm block's outputs are normalised per token (mean 0, variance 1 with γ = 1, β = 0); a pre-norm block's are not", () => {
  const rng = new Random(5);
  const x = randomTensor(rng, [2, 5, 8]).mul(3).add(2);
  const post = encoderModel({ normFirst: false, name: "stats_post" }).predict(x) as tf.Tensor;
  const { mean, variance } = tf.moments(post, -1);
  assert.ok((mean.abs().max().arraySync() as number) < 1e-5);
  assert.ok((variance.sub(1).abs().max().arraySync() as number) < 1e-3);
  const pre = encoderModel({ normFirst: true, name: "stats_pre" }).predict(x) as tf.Tensor;
  assert.ok((tf.moments(pre, -1).mean.abs().max().arraySync() as number) > 0.5, "the residual stream keeps the input's offset");
});

test("parameter counts equal the formulas (encoder; decoder with a memory of another width)", () => {
  assert.equal(encoderModel({ normFirst: false, name: "count_enc" }).countParams(), transformerEncoderParameterCount(8, { numHeads: 2, ffDim: 16 }));
  // d = 8, h = 2, f = 16: attention 4·64 + 4·8 = 288, norms 32, FFN 8·16 + 16 + 16·8 + 8 = 280
  assert.equal(transformerEncoderParameterCount(8, { numHeads: 2, ffDim: 16 }), 288 + 32 + 280);
  const target = tf.input({ shape: [4, 8] });
  const memory = tf.input({ shape: [6, 12] });
  const out = transformerDecoderBlock(target, memory, null, { numHeads: 2, ffDim: 16, seed: 0, name: "count_dec" });
  assert.equal(tf.model({ inputs: [target, memory], outputs: out }).countParams(), transformerDecoderParameterCount(8, { numHeads: 2, ffDim: 16, dMemory: 12 }));
});

test("the encoder ignores padded keys and, without positions, is permutation-equivariant", () => {
  const rng = new Random(6);
  const model = encoderModel({ normFirst: false, masked: true, name: "enc_masked" });
  const x = randomTensor(rng, [1, 5, 8]);
  const mask = tf.tensor2d([[1, 1, 1, 0, 0]]);
  const changedPadding = tf.concat([x.slice([0, 0, 0], [1, 3, 8]), randomTensor(rng, [1, 2, 8])], 1);
  const [a, b] = [model.predict([x, mask]) as tf.Tensor, model.predict([changedPadding, mask]) as tf.Tensor];
  assert.ok(maxAbsDiff(a.slice([0, 0, 0], [1, 3, 8]), b.slice([0, 0, 0], [1, 3, 8])) < 1e-5);
  const plain = encoderModel({ normFirst: true, name: "enc_perm" });
  const order = [4, 2, 0, 1, 3];
  assert.ok(maxAbsDiff(tf.gather(plain.predict(x) as tf.Tensor, order, 1), plain.predict(tf.gather(x, order, 1)) as tf.Tensor) < 1e-5);
});

test("the decoder block is causal in its target and ignores masked memory positions", () => {
  const rng = new Random(7);
  const target = tf.input({ shape: [4, 8] });
  const memory = tf.input({ shape: [6, 8] });
  const memoryMask = tf.input({ shape: [6] });
  const model = tf.model({ inputs: [target, memory, memoryMask], outputs: transformerDecoderBlock(target, memory, memoryMask, { numHeads: 2, ffDim: 16, normFirst: true, seed: 1, name: "dec" }) });
  const [t, m] = [randomTensor(rng, [1, 4, 8]), randomTensor(rng, [1, 6, 8])];
  const keep = tf.tensor2d([[1, 1, 1, 1, 0, 0]]);
  const base = model.predict([t, m, keep]) as tf.Tensor;
  const laterTarget = tf.concat([t.slice([0, 0, 0], [1, 2, 8]), randomTensor(rng, [1, 2, 8])], 1);
  const changed = model.predict([laterTarget, m, keep]) as tf.Tensor;
  assert.ok(maxAbsDiff(base.slice([0, 0, 0], [1, 2, 8]), changed.slice([0, 0, 0], [1, 2, 8])) < 1e-5, "steps 0–1 do not see steps 2–3");
  assert.ok(maxAbsDiff(base.slice([0, 2, 0], [1, 2, 8]), changed.slice([0, 2, 0], [1, 2, 8])) > 1e-3);
  const maskedMemoryChanged = tf.concat([m.slice([0, 0, 0], [1, 4, 8]), randomTensor(rng, [1, 2, 8])], 1);
  assert.ok(maxAbsDiff(base, model.predict([t, maskedMemoryChanged, keep]) as tf.Tensor) < 1e-5);
  assert.ok(maxAbsDiff(base, model.predict([t, randomTensor(rng, [1, 6, 8]), keep]) as tf.Tensor) > 1e-3, "the visible memory matters");
});

test("the block trains: every weight gets a gradient, and fit lowers the loss on a copy task", async () => {
  const x = tf.input({ shape: [5, 8] });
  const model = tf.model({ inputs: x, outputs: transformerEncoderBlock(x, null, { numHeads: 2, ffDim: 16, dropout: 0.1, seed: 2, name: "train" }) });
  model.compile({ optimizer: tf.train.adam(0.01), loss: "meanSquaredError" });
  const data = randomTensor(new Random(8), [32, 5, 8]);
  const history = await model.fit(data, data, { epochs: 15, batchSize: 32, verbose: 0 });
  const losses = history.history.loss as number[];
  assert.ok(losses.at(-1)! < 0.7 * losses[0]!, `loss ${losses[0]} → ${losses.at(-1)}`);
});

test("bad options are named", () => {
  const x = tf.input({ shape: [5, 8] });
  assert.throws(() => transformerEncoderBlock(x, null, { numHeads: 3, ffDim: 16, seed: 0 }), /d_model = 8 does not split into 3 heads \(give keyDim\)/);
  assert.throws(() => transformerEncoderBlock(x, null, { numHeads: 2, ffDim: 0, seed: 0 }), /ffDim must be an integer ≥ 1, got 0/);
  assert.throws(() => transformerEncoderBlock(x, null, { numHeads: 2, ffDim: 8, dropout: 1, seed: 0 }), /dropout must be in \[0, 1\), got 1/);
  assert.throws(() => transformerEncoderBlock(tf.input({ shape: [8] }), null, { numHeads: 2, ffDim: 8, seed: 0 }), /x must be \[batch, T, d_model\]/);
});
