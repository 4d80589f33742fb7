/**
 * The fixed training workloads of scripts/bench/bench.ts in TensorFlow.js (scripts/bench/torch_reference.py has the
 * same models in PyTorch, with the same trainable parameter counts). Each returns `step()` (one Adam step on a fixed
 * random batch), `sync()`, `dispose()` and its trainable parameter count.
 *
 * The sequence models are built as the notebooks build them: recurrent layers with sigmoid gates (as notebooks 16–21
 * and PyTorch; tfjs's default would be hardSigmoid), attention blocks and the causal language model from lib/attention.
 */
import type * as TF from "@tensorflow/tfjs";
import { causalLanguageModel } from "../../lib/attention/causal-lm";
import { transformerEncoderBlock } from "../../lib/attention/transformer";
import { WORKLOADS, type Workload } from "./workload-names";


export interface BenchWorkload {
  step(): void;
  /** Waits for pending work (a no-op on synchronous backends) by reading the last loss. */
  sync(): number;
  dispose(): void;
  /** Trainable parameters (compared with PyTorch's count of the same model). */
  parameters: number;
}

type Tf = typeof TF;

/** Shapes of the sequence workloads, shared by both sides (torch_reference.py has the same numbers). */
export const SHAPES = {
  recurrent: { vocabulary: 1000, embedding: 32, units: 64, steps: 30, classes: 2 },
  transformer: { steps: 32, dModel: 64, heads: 4, ffDim: 256, classes: 10 },
  lm: { steps: 64, vocabulary: 64, dModel: 64, heads: 4, ffDim: 256, blocks: 2 },
} as const;

/** Adam (lr 1e-3) on softmax cross-entropy between `labels` (one-hot, last axis) and the model's logits. */
function trainer(tf: Tf, model: TF.LayersModel, x: TF.Tensor, labels: TF.Tensor): BenchWorkload {
  const optimizer = tf.train.adam(1e-3);
  let last: TF.Scalar | null = null;
  return {
    step() {
      last?.dispose();
      last = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as TF.Tensor) as TF.Scalar, true);
    },
    sync: () => (last ? last.dataSync()[0]! : NaN),
    dispose() {
      last?.dispose();
      optimizer.dispose();
      model.dispose();
      tf.dispose([x, labels]);
    },
    parameters: model.trainableWeights.reduce((sum, w) => sum + w.read().size, 0),
  };
}

function randomLabels(tf: Tf, shape: number[], classes: number): TF.Tensor {
  return tf.tidy(() => tf.oneHot(tf.randomUniform(shape, 0, classes, "int32", 2), classes));
}

export function mlp(tf: Tf, batch: number): BenchWorkload {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [784], units: 128, activation: "relu" }), tf.layers.dense({ units: 10 })],
  });
  return trainer(tf, model, tf.randomNormal([batch, 784], 0, 1, "float32", 1), randomLabels(tf, [batch], 10));
}

export function cnn(tf: Tf, batch: number): BenchWorkload {
  const L = tf.layers;
  const model = tf.sequential({
    layers: [
      L.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu" }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 64, kernelSize: 3, activation: "relu" }),
      L.maxPooling2d({ poolSize: 2 }),
      L.flatten(),
      L.dense({ units: 128, activation: "relu" }),
      L.dense({ units: 10 }),
    ],
  });
  return trainer(tf, model, tf.randomUniform([batch, 28, 28, 1], 0, 1, "float32", 1), randomLabels(tf, [batch], 10));
}

/** Embedding(1000, 32) → LSTM(64) or GRU(64) (last state) → Dense(2) on length-30 sequences. */
export function recurrentClassifier(tf: Tf, cell: "lstm" | "gru"): TF.LayersModel {
  const { vocabulary, embedding, units, steps, classes } = SHAPES.recurrent;
  const L = tf.layers;
  const rnn = cell === "lstm" ? L.lstm({ units, recurrentActivation: "sigmoid" }) : L.gru({ units, recurrentActivation: "sigmoid" });
  return tf.sequential({
    layers: [L.embedding({ inputDim: vocabulary, outputDim: embedding, inputLength: steps }), rnn, L.dense({ units: classes })],
  });
}

function recurrent(tf: Tf, batch: number, cell: "lstm" | "gru"): BenchWorkload {
  const { vocabulary, steps, classes } = SHAPES.recurrent;
  const x = tf.randomUniform([batch, steps], 0, vocabulary, "int32", 1);
  return trainer(tf, recurrentClassifier(tf, cell), x, randomLabels(tf, [batch], classes));
}

export const lstm = (tf: Tf, batch: number) => recurrent(tf, batch, "lstm");
export const gru = (tf: Tf, batch: number) => recurrent(tf, batch, "gru");

/**
 * One post-norm encoder block of lib/attention (as torch.nn.TransformerEncoderLayer: d = 64, 4 heads, FFN 256, ReLU,
 * LayerNorm ε = 1e-5, no dropout) on random [batch, 32, 64] inputs, mean over time, Dense(10).
 */
export function transformerClassifier(tf: Tf): TF.LayersModel {
  const { steps, dModel, heads, ffDim, classes } = SHAPES.transformer;
  const input = tf.input({ shape: [steps, dModel] });
  const encoded = transformerEncoderBlock(input, null, { numHeads: heads, ffDim, seed: 10, name: "bench_encoder" });
  const pooled = tf.layers.globalAveragePooling1d().apply(encoded) as TF.SymbolicTensor;
  const logits = tf.layers.dense({ units: classes }).apply(pooled) as TF.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits });
}

export function transformer(tf: Tf, batch: number): BenchWorkload {
  const { steps, dModel, classes } = SHAPES.transformer;
  return trainer(tf, transformerClassifier(tf), tf.randomNormal([batch, steps, dModel], 0, 1, "float32", 1), randomLabels(tf, [batch], classes));
}

/**
 * A tiny causal character language model, lib/attention/causal-lm.ts's (notebook 24's tiny GPT): Embedding(64, 64) +
 * learned positions (T = 64) → 2 pre-norm causal blocks (4 heads, FFN 256) → LayerNorm → Dense(64) logits at every position.
 * No `tf` argument: lib/attention builds on lib/tf, the TensorFlow.js instance every caller here uses.
 */
export function charLanguageModel(): TF.LayersModel {
  const { steps, vocabulary, dModel, heads, ffDim, blocks } = SHAPES.lm;
  return causalLanguageModel({ vocabularySize: vocabulary, maxLength: steps, dModel, numHeads: heads, ffDim, blocks, seed: 11, name: "bench_lm" });
}

/** `charLanguageModel` trained on next-token cross-entropy averaged over every position of every sequence (random
 *  character ids; the target is the sequence shifted by one). */
export function lm(tf: Tf, batch: number): BenchWorkload {
  const { steps, vocabulary } = SHAPES.lm;
  const model = charLanguageModel();
  const text = tf.randomUniform([batch, steps + 1], 0, vocabulary, "int32", 1);
  const [x, next] = tf.tidy(() => [text.slice([0, 0], [batch, steps]), tf.oneHot(text.slice([0, 1], [batch, steps]), vocabulary)]);
  text.dispose();
  return trainer(tf, model, x!, next!);
}

export function makeWorkload(tf: Tf, name: string, batch: number): BenchWorkload {
  const builders: Record<Workload, (tf: Tf, batch: number) => BenchWorkload> = { mlp, cnn, lstm, gru, transformer, lm };
  if (!(WORKLOADS as readonly string[]).includes(name)) throw new Error(`unknown workload "${name}" (${WORKLOADS.join(", ")})`);
  return builders[name as Workload](tf, batch);
}
