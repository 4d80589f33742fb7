/**
 * Whole models on the wasm backend (with lib/tfjs-wasm installed) against the cpu backend: loss and every
 * weight gradient agree, no tensor leaks, and every kernel the models run is native or implemented for wasm —
 * a bridged kernel must be listed in BRIDGED_ON_PURPOSE. The models cover what the catalog's notebooks train:
 * CNNs (same/valid, stride 2, pooling, batch-norm, dropout), depthwise/separable convolutions, a generator
 * (dense → transposed conv → upsampling), Embedding + LSTM/GRU/SimpleRNN, Conv1D text models and a Transformer
 * block written from matMul/softmax/layer-norm.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { BRIDGED_ON_PURPOSE, wasmKernelStatus } from "../../../lib/tfjs-wasm/index";
import { fusedRecurrentCalls } from "../../../lib/tfjs-wasm/recurrent-layers";

type Batch = { x: tf.Tensor; y: tf.Tensor };
interface Case {
  name: string;
  build: () => { lossFn: (training: boolean) => tf.Scalar; dispose: () => void };
}

function randomBatch(xShape: number[], yShape: number[], seed: number, ints?: number): Batch {
  return tf.tidy(() => ({
    x: ints ? tf.randomUniform(xShape, 0, ints, "int32", seed) : tf.randomNormal(xShape, 0, 1, "float32", seed),
    y: tf.randomNormal(yShape, 0, 1, "float32", seed + 1),
  }));
}

function layersCase(name: string, makeModel: () => tf.LayersModel, batch: () => Batch, classes?: number): Case {
  return {
    name,
    build: () => {
      const model = makeModel();
      const { x, y } = batch();
      const labels = classes ? tf.tidy(() => tf.oneHot(tf.randomUniform([x.shape[0]!], 0, classes, "int32", 7), classes)) : null;
      return {
        lossFn: (training) =>
          tf.tidy(() => {
            const out = model.apply(x, { training }) as tf.Tensor;
            if (labels) return tf.losses.softmaxCrossEntropy(labels, out) as tf.Scalar;
            return tf.losses.meanSquaredError(y.reshape(out.shape), out) as tf.Scalar;
          }),
        dispose: () => {
          model.dispose();
          tf.dispose([x, y, ...(labels ? [labels] : [])]);
        },
      };
    },
  };
}

const L = tf.layers;

/** A pre-norm Transformer block (d = 16, 2 heads, causal) from matMul, softmax and layer-norm. */
function transformerCase(): Case {
  return {
    name: "transformer block (embedding, causal attention, layer-norm, FFN)",
    build: () => {
      const [B, T, d, h, vocab] = [2, 6, 16, 2, 20];
      const dk = d / h;
      const v = (shape: number[], seed: number, scale = 0.3) => tf.variable(tf.randomNormal(shape, 0, scale, "float32", seed));
      const w = {
        tok: v([vocab, d], 1),
        pos: v([T, d], 2),
        q: v([d, d], 3),
        k: v([d, d], 4),
        val: v([d, d], 5),
        o: v([d, d], 6),
        g1: v([d], 7),
        b1: v([d], 8),
        f1: v([d, 32], 9),
        fb1: v([32], 10),
        f2: v([32, d], 11),
        head: v([d, vocab], 12),
      };
      const ids = tf.randomUniform([B, T], 0, vocab, "int32", 13);
      const targets = tf.randomUniform([B, T], 0, vocab, "int32", 14);
      const layerNorm = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(x, -1, true);
        return x.sub(mean).mul(tf.rsqrt(variance.add(1e-5))).mul(g).add(b);
      };
      const heads = (x: tf.Tensor) => x.reshape([B, T, h, dk]).transpose([0, 2, 1, 3]);
      const lossFn = () =>
        tf.tidy(() => {
          const x = tf.gather(w.tok, ids).add(w.pos); // [B, T, d]
          const n = layerNorm(x, w.g1, w.b1).reshape([B * T, d]);
          const q = heads(n.matMul(w.q)), k = heads(n.matMul(w.k)), val = heads(n.matMul(w.val));
          const causal = tf.linalg.bandPart(tf.ones([T, T]), -1, 0);
          const scores = tf.matMul(q, k, false, true).div(Math.sqrt(dk)).add(tf.sub(1, causal).mul(-1e9));
          const attended = tf.matMul(tf.softmax(scores), val).transpose([0, 2, 1, 3]).reshape([B * T, d]);
          const x2 = x.reshape([B * T, d]).add(attended.matMul(w.o));
          const ffn = tf.relu(x2.matMul(w.f1).add(w.fb1)).matMul(w.f2);
          const logits = x2.add(ffn).matMul(w.head);
          return tf.losses.softmaxCrossEntropy(tf.oneHot(targets.reshape([B * T]), vocab), logits) as tf.Scalar;
        });
      return { lossFn, dispose: () => tf.dispose([...Object.values(w), ids, targets]) };
    },
  };
}

const CASES: Case[] = [
  layersCase(
    "CNN: conv same/valid, stride 2, max/avg pool, batch-norm, dropout, dense",
    () =>
      tf.sequential({
        layers: [
          L.conv2d({ inputShape: [11, 10, 2], filters: 4, kernelSize: 3, padding: "same", activation: "relu" }),
          L.maxPooling2d({ poolSize: 2 }),
          L.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: "same" }),
          L.batchNormalization(),
          L.activation({ activation: "relu" }),
          L.conv2d({ filters: 5, kernelSize: 2, padding: "valid", activation: "elu" }),
          L.averagePooling2d({ poolSize: 2, strides: 1, padding: "same" }),
          L.dropout({ rate: 0.25, seed: 3 }),
          L.flatten(),
          L.dense({ units: 4 }),
        ],
      }),
    () => randomBatch([3, 11, 10, 2], [3, 4], 21),
    4,
  ),
  layersCase(
    "depthwise and separable convolutions, global pooling",
    () =>
      tf.sequential({
        layers: [
          L.separableConv2d({ inputShape: [9, 9, 3], filters: 5, kernelSize: 3, depthMultiplier: 2, padding: "same", activation: "relu" }),
          L.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: "same", depthMultiplier: 1 }),
          L.globalAveragePooling2d({}),
          L.dense({ units: 3 }),
        ],
      }),
    () => randomBatch([3, 9, 9, 3], [3, 3], 31),
    3,
  ),
  layersCase(
    "generator: dense → conv2dTranspose stride 2 → upSampling2d → conv, leaky ReLU, cropping",
    () =>
      tf.sequential({
        layers: [
          L.dense({ inputShape: [6], units: 4 * 4 * 5 }),
          L.reshape({ targetShape: [4, 4, 5] }),
          L.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: "same" }),
          L.leakyReLU({ alpha: 0.2 }),
          L.upSampling2d({ size: [2, 2] }),
          L.zeroPadding2d({ padding: 1 }),
          L.conv2d({ filters: 2, kernelSize: 3, padding: "valid", activation: "tanh" }),
          L.cropping2D({ cropping: [[1, 1], [1, 1]] }),
        ],
      }),
    // Batch 1: the cpu backend's own ResizeNearestNeighborGrad (the reference here) is wrong for batch > 1 — it
    // offsets dy by the input's batch stride; test/lib/tfjs-wasm/kernels.test.ts checks ours against the adjoint identity.
    () => randomBatch([1, 6], [1, 14, 14, 2], 41),
  ),
  layersCase(
    "Embedding + LSTM + dense (sentiment-style)",
    () =>
      tf.sequential({
        layers: [L.embedding({ inputDim: 30, outputDim: 8, inputLength: 7 }), L.lstm({ units: 10 }), L.dense({ units: 2 })],
      }),
    () => randomBatch([4, 7], [4, 2], 51, 30),
    2,
  ),
  layersCase(
    "Embedding + bidirectional GRU + SimpleRNN",
    () =>
      tf.sequential({
        layers: [
          L.embedding({ inputDim: 25, outputDim: 6, inputLength: 6 }),
          L.bidirectional({ layer: L.gru({ units: 5, returnSequences: true }) as tf.RNN }),
          L.simpleRNN({ units: 4 }),
          L.dense({ units: 3 }),
        ],
      }),
    () => randomBatch([3, 6], [3, 3], 61, 25),
    3,
  ),
  layersCase(
    "Embedding (mask_zero) + bidirectional LSTM + GRU going backwards (fused recurrent kernels with masks)",
    () =>
      tf.sequential({
        layers: [
          L.embedding({ inputDim: 12, outputDim: 5, inputLength: 8, maskZero: true }),
          L.bidirectional({ layer: L.lstm({ units: 4, returnSequences: true, recurrentActivation: "sigmoid" }) as tf.RNN }),
          L.gru({ units: 3, goBackwards: true }),
          L.dense({ units: 2 }),
        ],
      }),
    // Ids drawn from 0..11, so about one step in twelve is padding (id 0) and masked.
    () => randomBatch([4, 8], [4, 2], 81, 12),
    2,
  ),
  layersCase(
    "Embedding + Conv1D + pooling + layer-norm (text CNN)",
    () =>
      tf.sequential({
        layers: [
          L.embedding({ inputDim: 40, outputDim: 6, inputLength: 12 }),
          L.conv1d({ filters: 7, kernelSize: 3, activation: "relu" }),
          L.maxPooling1d({ poolSize: 2 }),
          L.layerNormalization(),
          L.globalAveragePooling1d({}),
          L.dense({ units: 3 }),
        ],
      }),
    () => randomBatch([3, 12], [3, 3], 71, 40),
    3,
  ),
  transformerCase(),
];

/**
 * max |a − b| / max |b| over one weight's gradient, with max |b| floored at 1e-2 of the largest gradient entry of the
 * whole model: a gradient that is zero in exact arithmetic (a conv bias in front of batch-norm) is float32 round-off
 * on both backends and has no meaningful relative error; it is then held to 1e-6 of the model's scale.
 */
function relativeError(a: Float32Array, b: Float32Array, modelScale: number): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-2 * modelScale, 1e-30);
}

function maxAbs(arrays: Float32Array[]): number {
  return arrays.reduce((m, a) => a.reduce((mm, v) => Math.max(mm, Math.abs(v)), m), 0);
}

async function lossAndGrads(lossFn: (training: boolean) => tf.Scalar) {
  const { value, grads } = tf.variableGrads(() => lossFn(true));
  const out = {
    loss: value.dataSync()[0]!,
    grads: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, g.dataSync().slice() as Float32Array])),
  };
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

test("every model's loss and weight gradients on wasm match the cpu backend, with no leaks", async () => {
  await setupTf({ backend: "wasm", seed: 1, announce: false });
  const wasmBackend = tf.findBackend("wasm")!;
  const used = new Map<string, Set<string>>();
  for (const c of CASES) {
    await setupTf({ backend: "cpu", seed: 1, announce: false });
    const model = c.build();
    const reference = await lossAndGrads(model.lossFn);
    await setupTf({ backend: "wasm", seed: 1, announce: false });
    await lossAndGrads(model.lossFn); // moves the weights to wasm
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = wasmBackend.numDataIds();
    let actual: Awaited<ReturnType<typeof lossAndGrads>> | undefined;
    const profile = await tf.profile(async () => {
      actual = await lossAndGrads(model.lossFn);
    });
    for (const k of profile.kernelNames) {
      if (!used.has(k)) used.set(k, new Set());
      used.get(k)!.add(c.name);
    }
    assert.equal(tf.memory().numTensors, tensorsBefore, `${c.name}: tensors leaked`);
    assert.equal(wasmBackend.numDataIds(), buffersBefore, `${c.name}: wasm buffers leaked`);
    assert.ok(Math.abs(actual!.loss - reference.loss) <= 1e-5 * Math.max(1, Math.abs(reference.loss)), `${c.name}: loss ${actual!.loss} vs ${reference.loss}`);
    assert.deepEqual(Object.keys(actual!.grads).sort(), Object.keys(reference.grads).sort());
    const modelScale = maxAbs(Object.values(reference.grads));
    for (const [name, g] of Object.entries(reference.grads)) {
      const err = relativeError(actual!.grads[name]!, g, modelScale);
      assert.ok(err < 1e-4, `${c.name}: gradient of ${name} differs by ${err.toExponential(2)} (relative)`);
    }
    model.dispose();
  }
  const problems: string[] = [];
  for (const [kernel, models] of used) {
    // tf.profile also lists custom-gradient op scopes (e.g. "fusedMatMul__op"), which are not kernels.
    if (tf.getKernel(kernel, "cpu") === undefined && tf.getKernel(kernel, "wasm") === undefined) continue;
    const status = wasmKernelStatus(kernel);
    if (status === "missing") problems.push(`${kernel} is not registered for wasm (used by ${[...models].join("; ")})`);
    if (status === "bridged" && !(kernel in BRIDGED_ON_PURPOSE)) {
      problems.push(`${kernel} runs on the cpu bridge but is not in BRIDGED_ON_PURPOSE (used by ${[...models].join("; ")})`);
    }
  }
  assert.deepEqual(problems, []);
  // The recurrent models ran on the whole-sequence kernels (lib/tfjs-wasm/recurrent.ts), not tfjs-layers' loop.
  for (const kernel of ["LstmSequence", "LstmSequenceGrad", "GruSequence", "GruSequenceGrad", "SimpleRnnSequence", "SimpleRnnSequenceGrad"]) {
    assert.ok(used.has(kernel), `${kernel} was not used by the recurrent models`);
  }
  assert.equal(fusedRecurrentCalls.fallback, 0, "a recurrent layer fell back to tfjs-layers' per-step loop on wasm");
  const byStatus = (status: string) => [...used.keys()].filter((k) => wasmKernelStatus(k) === status).sort();
  console.log(`kernels used: implemented ${byStatus("implemented").join(", ")}; bridged ${byStatus("bridged").join(", ") || "none"}; ` +
    `native ${byStatus("native").length}`);
});

test("model.fit trains a small CNN on wasm and the loss falls", async () => {
  await setupTf({ backend: "wasm", seed: 2, announce: false });
  const model = tf.sequential({
    layers: [
      L.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, padding: "same", activation: "relu" }),
      L.maxPooling2d({ poolSize: 2 }),
      L.flatten(),
      L.dense({ units: 2, activation: "softmax" }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.05), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  // Class 1 images are bright in the top half: a conv net separates them at once.
  const { xs, ys } = tf.tidy(() => {
    const labels = tf.randomUniform([64], 0, 2, "int32", 5);
    const top = tf.concat([tf.ones([4, 8]), tf.zeros([4, 8])]).reshape([1, 8, 8, 1]);
    const noise = tf.randomNormal([64, 8, 8, 1], 0, 0.3, "float32", 6);
    const xs = noise.add(top.mul(labels.cast("float32").reshape([64, 1, 1, 1])));
    return { xs, ys: tf.oneHot(labels, 2) };
  });
  const first = await model.fit(xs, ys, { epochs: 1, batchSize: 16, verbose: 0, shuffle: false });
  const before = tf.memory().numTensors; // after the optimizer created its slots
  const history = await model.fit(xs, ys, { epochs: 4, batchSize: 16, verbose: 0, shuffle: false });
  const losses = [...(first.history.loss as number[]), ...(history.history.loss as number[])];
  assert.ok(losses[losses.length - 1]! < losses[0]! * 0.5, `loss ${losses.join(" → ")}`);
  assert.equal(tf.memory().numTensors, before, "model.fit leaked tensors");
  model.dispose();
  tf.dispose([xs, ys]);
});
