import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { dequantizeInt8, quantizeInt8, quantizeModelWeights } from "../../../lib/nn/quantize";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

const randomValues = (rng: Random, n: number, spread = 1) => Array.from({ length: n }, () => spread * (2 * rng.random() - 1));

test("per tensor: scale = max|w|/127, integers in [−127, 127], round trip within scale/2, ±max exact", () => {
  const rng = new Random(1);
  const values = randomValues(rng, 60, 3);
  values[17] = -4; // the largest magnitude
  const q = quantizeInt8(values, [6, 10]);
  assert.equal(q.axis, null);
  assert.deepEqual(q.scales, [4 / 127]);
  const back = dequantizeInt8(q);
  values.forEach((w, i) => {
    assert.ok(Number.isInteger(q.values[i]) && Math.abs(q.values[i]!) <= 127);
    assert.equal(q.values[i], Math.round(w / (4 / 127)) || 0, `value ${i}: nearest level (no tie occurs in these draws)`);
    assert.ok(Math.abs(w - back[i]!) <= (4 / 127) / 2 + 1e-7, `value ${i}`);
  });
  assert.equal(q.values[17], -127);
  assert.ok(Math.abs(back[17]! + 4) < 1e-6);
  // Symmetric: −w quantizes to −q.
  const negated = quantizeInt8(values.map((w) => -w), [6, 10]);
  assert.deepEqual([...negated.values], [...q.values].map((v) => -v || 0));
});

test("per channel: one scale per slice along the axis, a small channel keeps its resolution, zero channel stays zero", () => {
  // [2, 3] with channels on the last axis: column 1 is tiny, column 2 is zero.
  const values = [1, 0.001, 0, -0.5, -0.002, 0];
  const perChannel = quantizeInt8(values, [2, 3], { axis: -1 });
  assert.equal(perChannel.axis, 1);
  assert.deepEqual(perChannel.scales, [1 / 127, 0.002 / 127, 0]);
  assert.deepEqual([...perChannel.values], [127, 64, 0, -64, -127, 0]);
  const perTensor = quantizeInt8(values, [2, 3]);
  assert.deepEqual([...perTensor.values], [127, 0, 0, -64, 0, 0], "per tensor rounds the small channel to zero");
  // Axis 0 of a [2, 3]: rows are the channels.
  assert.deepEqual(quantizeInt8(values, [2, 3], { axis: 0 }).scales, [1 / 127, 0.5 / 127]);
  // A rank-4 conv kernel [kh, kw, in, out], per output channel: error within each channel's own scale / 2.
  const rng = new Random(2);
  const shape = [3, 3, 2, 4];
  const kernel = randomValues(rng, 72).map((w, i) => w * (1 + 10 * (i % 4)));
  const q = quantizeInt8(kernel, shape, { axis: 3 });
  const back = dequantizeInt8(q);
  for (let c = 0; c < 4; c++) {
    const channel = kernel.filter((_, i) => i % 4 === c);
    assert.ok(Math.abs(q.scales[c]! - Math.max(...channel.map(Math.abs)) / 127) < 1e-15);
  }
  kernel.forEach((w, i) => assert.ok(Math.abs(w - back[i]!) <= q.scales[i % 4]! / 2 * (1 + 1e-6), `value ${i}`));
});

test("bad input is refused with what and where", () => {
  assert.throws(() => quantizeInt8([1, 2, 3], [2, 2]), /shape \[2,2\] holds 4 values, got 3/);
  assert.throws(() => quantizeInt8([1, NaN], [2]), /value 1 is NaN/);
  assert.throws(() => quantizeInt8([1, 2], [2], { axis: 1 }), /axis 1 is outside a shape of rank 1/);
  assert.throws(() => quantizeInt8([1, 2], [2], { axis: 0.5 }), /axis 0.5/);
});

test("quantizeModelWeights: matrices int8 (error ≤ scale/2), biases float, outputs move a little, restore() is bit for bit", () => {
  const input = tf.input({ shape: [5] });
  const hidden = tf.layers.dense({ units: 8, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: tf.initializers.randomNormal({ seed: 2 }) }).apply(input) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }).apply(hidden) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  const x = tf.tensor2d(randomValues(new Random(4), 40), [8, 5]);
  const predict = () => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync().slice());
  const before = predict();
  const weightsBefore = model.getWeights().map((w) => w.dataSync().slice());
  const tensorsBefore = tf.memory().numTensors;
  for (const granularity of ["per-tensor", "per-channel"] as const) {
    const { report, restore } = quantizeModelWeights(model, { granularity });
    assert.equal(report.weights.length, 2, "two kernels quantized, two biases kept");
    assert.equal(report.int8Parameters, 5 * 8 + 8 * 3);
    assert.equal(report.floatParameters, 8 + 3);
    const scales = granularity === "per-tensor" ? 2 : 8 + 3;
    assert.equal(report.bytes, 64 + 4 * scales + 4 * 11);
    assert.equal(report.float32Bytes, 4 * 75);
    for (const w of report.weights) assert.ok(w.maxError <= w.maxHalfScale * (1 + 1e-6) && w.maxError > 0, `${w.name}: ${w.maxError} vs ${w.maxHalfScale}`);
    const kernel = model.getWeights()[0]!.dataSync();
    const levels = [...kernel].map((v) => v / (report.weights[0]!.maxHalfScale * 2));
    if (granularity === "per-tensor") assert.ok(levels.every((l) => Math.abs(l - Math.round(l)) < 1e-3), "the kernel holds integer multiples of its scale");
    assert.deepEqual([...model.getWeights()[1]!.dataSync()], [...weightsBefore[1]!], "biases untouched");
    const after = predict();
    const moved = Math.max(...[...after].map((v, i) => Math.abs(v - before[i]!)));
    assert.ok(moved > 0 && moved < 0.05, `outputs moved by ${moved}`);
    restore();
    model.getWeights().forEach((w, i) => assert.deepEqual([...w.dataSync()], [...weightsBefore[i]!]));
    assert.throws(() => restore(), /already called/);
  }
  assert.equal(tf.memory().numTensors, tensorsBefore, "no tensor leaked");
  assert.throws(() => quantizeModelWeights(model, { granularity: "per-row" as "per-tensor" }), /granularity must be/);
});
