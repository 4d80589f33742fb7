import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { MultiHeadAttention } from "../../../lib/attention/multi-head";
import { addAttentionLora } from "../../../lib/attention/attention-lora";
import { bertInputs, bertInputTensors, loadPretrainedBert } from "../../../lib/attention/bert";
import { encoderClassificationHead } from "../../../lib/nn/classification-head";
import { fitMinibatchLoss } from "../../../lib/nn/minibatch";
import { float32Bytes } from "../../../lib/nn/weights";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

const bits = (t: tf.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));
const randomTensor = (rng: Random, shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal(0, 1)), shape);

/** The pretrained tiny BERT with a [CLS] head, as notebook 23 builds it. */
async function classifier(seed = 0) {
  const pretrained = await loadPretrainedBert("tiny-bert-mlm");
  const { logits, layers } = encoderClassificationHead(pretrained.encoder.outputs[0]!, null, { pooling: "cls", classes: 2, seed });
  return { model: tf.model({ inputs: pretrained.encoder.inputs, outputs: logits }), head: layers, pretrained };
}

async function sentences() {
  const { tokenizer } = await loadPretrainedBert("tiny-bert-mlm");
  const texts = ["the king is dead", "long live the king", "what light through yonder window breaks", "to be or not", "my lord, the queen", "a horse, a horse"];
  return { inputs: bertInputTensors(texts.map((t) => bertInputs(tokenizer, t, null, 12))), labels: tf.tensor1d([1, 0, 1, 0, 1, 0], "int32") };
}

test("a MultiHeadAttention with LoRA on W_q computes x·(W_q + (α/r)·A·B) + b_q: equal to a plain layer given that kernel, computed in float64", () => {
  const rng = new Random(1);
  const x = randomTensor(rng, [2, 5, 8]);
  const adapted = new MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 3, lora: { rank: 2, alpha: 6, projections: ["query", "output"], seed: 9 } });
  adapted.apply(x);
  // Give B random values (it starts at 0) so that the correction is visible.
  const weights = adapted.getWeights();
  const names = adapted.weights.map((w) => w.originalName.split("/").pop());
  const values = weights.map((w, i) => (names[i]!.endsWith("lora_B") ? randomTensor(rng, w.shape) : w));
  adapted.setWeights(values);
  const byName = (name: string) => values[names.indexOf(name)]!.arraySync() as number[][];
  const merged = (kernel: string, projection: string) => {
    const [w, a, b] = [byName(kernel), byName(`${projection}_lora_A`), byName(`${projection}_lora_B`)];
    return w.map((row, i) => row.map((v, j) => v + (6 / 2) * a[i]!.reduce((s, aik, k) => s + aik * b[k]![j]!, 0)));
  };
  const plain = new MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 3 });
  plain.apply(x);
  const plainOrder = ["query_kernel", "query_bias", "key_kernel", "key_bias", "value_kernel", "value_bias", "output_kernel", "output_bias"];
  plain.setWeights(plainOrder.map((name) => (name === "query_kernel" ? tf.tensor(merged(name, "query")) : name === "output_kernel" ? tf.tensor(merged(name, "output")) : values[names.indexOf(name)]!)));
  const difference = tf.tidy(() => (adapted.apply(x) as tf.Tensor).sub(plain.apply(x) as tf.Tensor).abs().max().dataSync()[0]!);
  assert.ok(difference < 1e-5, `largest difference ${difference}`);
  // …and mergedWeights gives the same plain layer.
  plain.setWeights(adapted.mergedWeights());
  const viaMerge = tf.tidy(() => (adapted.apply(x) as tf.Tensor).sub(plain.apply(x) as tf.Tensor).abs().max().dataSync()[0]!);
  assert.ok(viaMerge < 1e-5, `largest difference after mergedWeights ${viaMerge}`);
  // Without B's values the change would be zero: the correction did move the output.
  const base = new MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 3 });
  base.apply(x);
  base.setWeights(plainOrder.map((name) => values[names.indexOf(name)]!));
  const moved = tf.tidy(() => (adapted.apply(x) as tf.Tensor).sub(base.apply(x) as tf.Tensor).abs().max().dataSync()[0]!);
  assert.ok(moved > 1e-2, `the adapters moved the output by only ${moved}`);
});

test("at the start (B = 0) a layer with adapters computes bit for bit what the plain layer with the same seed computes, built with lora or given addLora", () => {
  const x = randomTensor(new Random(4), [2, 6, 8]);
  const mask = tf.tensor2d([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]]);
  const plain = new MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 7 });
  const built = new MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 7, lora: { rank: 3, alpha: 5, projections: ["query", "key", "value", "output"], seed: 1 } });
  const later = new MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 7 });
  const reference = bits(plain.apply([x, mask]) as tf.Tensor);
  assert.deepEqual(bits(built.apply([x, mask]) as tf.Tensor), reference);
  later.apply([x, mask]);
  assert.equal(later.addLora({ rank: 3, seed: 1 }), 2 * 3 * (8 + 8));
  assert.deepEqual(bits(later.apply([x, mask]) as tf.Tensor), reference);
  // A is random and B zero (so the gradient reaches B at the first step); base weights frozen.
  for (const layer of [built, later]) {
    const values = Object.fromEntries(layer.weights.map((w) => [w.originalName.split("/").pop()!, w.read().dataSync()]));
    assert.ok(Array.from(values["query_lora_A"]!).every((v) => v !== 0 && Math.abs(v) <= 1 / Math.sqrt(8)));
    assert.ok(Array.from(values["value_lora_B"]!).every((v) => v === 0));
    assert.deepEqual(layer.nonTrainableWeights.map((w) => w.originalName.split("/").pop()).sort(), ["key_bias", "key_kernel", "output_bias", "output_kernel", "query_bias", "query_kernel", "value_bias", "value_kernel"]);
  }
});

test("LoRA on the pretrained tiny BERT: outputs bit-identical at the start, trainable = adapters + head with r·(d_in + d_out) per matrix", async () => {
  const { inputs } = await sentences();
  const reference = await classifier();
  const adapted = await classifier();
  const before = bits(reference.model.predict(inputs) as tf.Tensor);
  const lora = addAttentionLora(adapted.model, { rank: 4, alpha: 8, projections: ["query", "key", "value", "output"], seed: 0, train: adapted.head });
  assert.deepEqual(bits(adapted.model.predict(inputs) as tf.Tensor), before);

  const { config } = adapted.pretrained;
  const d = config.dModel;
  assert.equal(lora.layers.length, config.layers);
  // Counted from the shapes: each block's four d×d projections get A [d, 4] and B [4, d].
  assert.equal(lora.adapterParameters, config.layers * 4 * 4 * (d + d));
  const headParameters = (d + 1) * 2;
  const trainable = adapted.model.trainableWeights;
  assert.equal(trainable.reduce((sum, w) => sum + w.shape.reduce<number>((a, b) => a * b!, 1), 0), lora.adapterParameters + headParameters);
  const trainableNames = trainable.map((w) => w.originalName);
  assert.ok(trainableNames.every((name) => /lora_[AB]$/.test(name) || adapted.head.some((layer) => name.startsWith(`${layer.name}/`))), trainableNames.join(", "));
  assert.equal(trainableNames.filter((name) => /lora_[AB]$/.test(name)).length, config.layers * 4 * 2);
  // Every weight is still there, frozen or not.
  assert.equal(adapted.model.countParams(), reference.model.countParams() + lora.adapterParameters);

  // The default projections are the paper's query and value.
  const defaults = await classifier();
  assert.equal(addAttentionLora(defaults.model, { rank: 2, seed: 0, train: defaults.head }).adapterParameters, config.layers * 2 * 2 * (d + d));
});

test("after LoRA training the base weights are bit-identical, the adapters moved, and merging ΔW into W gives the same outputs", async () => {
  const { inputs, labels } = await sentences();
  const adapted = await classifier();
  addAttentionLora(adapted.model, { rank: 4, alpha: 8, projections: ["query", "value"], seed: 0, train: adapted.head });
  const frozen = adapted.model.layers.flatMap((layer) => layer.nonTrainableWeights);
  const frozenBefore = frozen.map((w) => float32Bytes(w.read()));
  const tensorsBefore = tf.memory().numTensors;
  fitMinibatchLoss((rows) => {
    const index = tf.tensor1d(rows, "int32");
    const logits = adapted.model.apply([inputs[0].gather(index), inputs[1].gather(index)], { training: true }) as tf.Tensor;
    return tf.losses.softmaxCrossEntropy(tf.oneHot(labels.gather(index), 2), logits) as tf.Scalar;
  }, { examples: 6, epochs: 5, batchSize: 3, learningRate: 1e-2, seed: 0, variables: adapted.model.trainableWeights.map((w) => w.read() as tf.Variable) });
  assert.equal(tf.memory().numTensors, tensorsBefore);
  assert.ok(frozen.length > 20);
  frozen.forEach((w, i) => assert.ok(float32Bytes(w.read()).equals(frozenBefore[i]!), `${w.originalName} changed`));
  const bWeights = adapted.model.trainableWeights.filter((w) => w.originalName.endsWith("lora_B"));
  const bMax = bWeights.map((w) => tf.tidy(() => w.read().abs().max().dataSync()[0]!));
  assert.ok(bMax.every((m) => m > 0), `some B left zero: ${bWeights.map((w, i) => `${w.originalName} ${bMax[i]}`).join(", ")}`);

  // Merge: a fresh pretrained classifier with each attention layer's merged weights and the trained head.
  const merged = await classifier();
  const attention = (model: tf.LayersModel) => model.layers.filter((l): l is MultiHeadAttention => l instanceof MultiHeadAttention);
  attention(adapted.model).forEach((layer, i) => attention(merged.model)[i]!.setWeights(layer.mergedWeights()));
  adapted.head.forEach((layer, i) => merged.head[i]!.setWeights(layer.getWeights()));
  const difference = tf.tidy(() => (adapted.model.predict(inputs) as tf.Tensor).sub(merged.model.predict(inputs) as tf.Tensor).abs().max().dataSync()[0]!);
  assert.ok(difference < 1e-4, `merged model differs by ${difference}`);
  const reference = await classifier();
  adapted.head.forEach((layer, i) => reference.head[i]!.setWeights(layer.getWeights()));
  const fromBase = tf.tidy(() => (adapted.model.predict(inputs) as tf.Tensor).sub(reference.model.predict(inputs) as tf.Tensor).abs().max().dataSync()[0]!);
  assert.ok(fromBase > 1e-3, `the adapters changed the logits by only ${fromBase}`);
});

test("a LoRA model saves and loads (config and weights by name); a layer without LoRA has no lora key in its config", async () => {
  const x = randomTensor(new Random(2), [1, 4, 8]);
  const input = tf.input({ shape: [4, 8] });
  const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 1, causal: true, lora: { rank: 2, seed: 5, projections: ["value"] } });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  const b = layer.weights.find((w) => w.originalName.endsWith("value_lora_B"))!;
  b.write(randomTensor(new Random(3), b.shape as number[]));
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => { artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } }; }));
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
  assert.deepEqual(bits(loaded.predict(x) as tf.Tensor), bits(model.predict(x) as tf.Tensor));
  const loadedLayer = loaded.layers.find((l) => l instanceof MultiHeadAttention) as MultiHeadAttention;
  assert.deepEqual(loadedLayer.lora, { rank: 2, alpha: 2, projections: ["value"], seed: 5 });
  assert.equal(loadedLayer.trainableWeights.length, 2);
  assert.equal("lora" in new MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 1 }).getConfig(), false);
  // KV-cached decoding goes through the adapted kernels too.
  const full = tf.tidy(() => (loadedLayer.apply(x) as tf.Tensor).arraySync() as number[][][]);
  const step = loadedLayer.decodeStep(x, null);
  const stepped = step.output.arraySync() as number[][][];
  tf.dispose([step.output, step.cache.keys, step.cache.values]);
  const gap = Math.max(...full[0]!.flatMap((row, t) => row.map((v, j) => Math.abs(v - stepped[0]![t]![j]!))));
  assert.ok(gap < 1e-5, `decodeStep differs by ${gap}`);
});

test("LoRA options and misuse are refused with errors naming what is wrong", async () => {
  const make = (lora: object) => () => new MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 0, lora: lora as never });
  assert.throws(make({ rank: 0, seed: 0 }), /LoRA rank must be an integer ≥ 1, got 0/);
  assert.throws(make({ rank: 2, alpha: -1, seed: 0 }), /LoRA alpha must be a finite number > 0, got -1/);
  assert.throws(make({ rank: 2, seed: 0.5 }), /LoRA seed must be an integer, got 0.5/);
  assert.throws(make({ rank: 2, seed: 0, projections: ["query", "gate"] }), /LoRA projections must be distinct names among query, key, value, output, got \[query, gate\]/);
  assert.throws(make({ rank: 2, seed: 0, projections: ["value", "value"] }), /distinct names/);
  const tooHigh = new MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 0, lora: { rank: 9, seed: 0 }, name: "mha_rank" });
  assert.throws(() => tooHigh.apply(tf.zeros([1, 3, 8])), /"mha_rank": LoRA rank must be ≤ min\(in, out\) = 8 for the query projection, got 9/);
  const unbuilt = new MultiHeadAttention({ numHeads: 2, keyDim: 4, seed: 0, name: "mha_unbuilt" });
  assert.throws(() => unbuilt.addLora({ rank: 2, seed: 0 }), /"mha_unbuilt": addLora needs a built layer/);
  unbuilt.apply(tf.zeros([1, 3, 8]));
  unbuilt.addLora({ rank: 2, seed: 0 });
  assert.throws(() => unbuilt.addLora({ rank: 2, seed: 0 }), /already has LoRA adapters \(rank 2 on query, value\)/);
  const plain = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
  assert.throws(() => addAttentionLora(plain, { rank: 1, seed: 0 }), /has no MultiHeadAttention layer to adapt/);
  const { model } = await classifier();
  assert.throws(() => addAttentionLora(model, { rank: 1, seed: 0, train: [tf.layers.dense({ units: 1, name: "stray" })] }), /not in model .*: stray/);
});
