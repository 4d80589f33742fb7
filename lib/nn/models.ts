/**
 * The small image models the CNN notebooks, the MNIST benchmark and the pretraining script share, so that the
 * benchmark measures exactly what notebook 14 trains and notebook 15 loads exactly what the script trained:
 *
 *   const cnn = digitCnn({ seed: 0 });                 // conv → pool → conv → pool → dense → softmax
 *   const mlp = digitMlp({ hidden: [128], seed: 0 });  // flatten → dense … → softmax
 *   cnn.compile({ optimizer: tf.train.adam(DIGIT_CNN_RECIPE.learningRate), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
 *
 * Every initializer is seeded from `seed`, so the same seed builds the same network whatever ran before; dropout
 * masks come from Math.random, which setupTf({ seed }) seeds (a seeded tfjs Dropout repeats one mask forever). Layers of the convolutional feature extractor are named `backbone_*` and the classifier layers
 * `head_*`, which is how notebook 15 freezes or replaces them.
 */
import { Random } from "../random";
import { tf } from "../tf";

export interface DigitCnnOptions {
  /** [height, width, channels] (default [28, 28, 1]) */
  inputShape?: [number, number, number];
  /** Output classes (default 10). */
  classes?: number;
  /** Filters of the two convolutions (default [24, 48]). */
  filters?: [number, number];
  /** Square kernel size of both convolutions (default 5). */
  kernelSize?: number;
  /** Units of the hidden dense layer (default 128). */
  denseUnits?: number;
  /** Dropout before and after the hidden dense layer (default 0.2). */
  dropout?: number;
  /**
   * Batch normalisation in each block: conv (no bias; BN's β replaces it) → BN → ReLU → pool, the layers named
   * `backbone_convK`, `backbone_bnK`, `backbone_reluK`, `backbone_poolK` (default false: conv with bias and ReLU).
   */
  batchNorm?: boolean;
  seed: number;
}

export interface DigitMlpOptions {
  inputShape?: [number, number, number];
  classes?: number;
  /** Units of each hidden layer. */
  hidden: number[];
  dropout?: number;
  seed: number;
}

/** Seeds for initializers and dropout masks, drawn from one stream so that `seed` fixes them all. */
function seeds(seed: number): () => number {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const rng = new Random(seed);
  return () => rng.int(0, 2 ** 31 - 1);
}

function checkPositive(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${value}`);
}

/** The convolutional feature extractor: conv → ReLU → max-pool, twice, then flatten. Named `backbone_*`. */
export function digitBackboneLayers(options: DigitCnnOptions): tf.layers.Layer[] {
  const next = seeds(options.seed);
  const [f1, f2] = options.filters ?? [24, 48];
  const kernelSize = options.kernelSize ?? 5;
  [f1, f2, kernelSize].forEach((v, i) => checkPositive(["filters[0]", "filters[1]", "kernelSize"][i]!, v));
  const L = tf.layers;
  const block = (k: number, filters: number, first: { inputShape?: [number, number, number] }): tf.layers.Layer[] => {
    const conv = { name: `backbone_conv${k}`, filters, kernelSize, kernelInitializer: tf.initializers.glorotUniform({ seed: next() }), ...first };
    return options.batchNorm
      ? [L.conv2d({ ...conv, useBias: false }), L.batchNormalization({ name: `backbone_bn${k}` }), L.activation({ name: `backbone_relu${k}`, activation: "relu" }), L.maxPooling2d({ name: `backbone_pool${k}`, poolSize: 2 })]
      : [L.conv2d({ ...conv, activation: "relu" }), L.maxPooling2d({ name: `backbone_pool${k}`, poolSize: 2 })];
  };
  return [
    ...block(1, f1, { inputShape: options.inputShape ?? [28, 28, 1] }),
    ...block(2, f2, {}),
    L.flatten({ name: "backbone_flatten" }),
  ];
}

/** The classifier on top of the backbone: dropout → dense ReLU → dropout → dense softmax. Named `head_*`. */
export function digitHeadLayers(options: { classes?: number; denseUnits?: number; dropout?: number; seed: number }): tf.layers.Layer[] {
  // A different stream from the backbone's, so that a new head for a pretrained backbone is seeded on its own.
  const next = seeds(options.seed + 0x5eed);
  const units = options.denseUnits ?? 128;
  const classes = options.classes ?? 10;
  const rate = options.dropout ?? 0.2;
  checkPositive("denseUnits", units);
  checkPositive("classes", classes);
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout must be in [0, 1), got ${rate}`);
  const L = tf.layers;
  // No seed for dropout: tfjs 4.22's seeded Dropout draws the SAME mask on every call, a fixed pruning rather than
  // dropout. Unseeded, its masks come from Math.random, which setupTf({ seed }) seeds. The two seeds are still
  // drawn so that the dense layers' initializers (and the committed pretrained artefacts) stay as they were.
  next();
  const dense = L.dense({ name: "head_dense", units, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: next() }) });
  next();
  return [
    L.dropout({ name: "head_dropout1", rate }),
    dense,
    L.dropout({ name: "head_dropout2", rate }),
    L.dense({ name: "head_output", units: classes, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: next() }) }),
  ];
}

/** Backbone + head as one Sequential model (uncompiled). */
export function digitCnn(options: DigitCnnOptions): tf.Sequential {
  return tf.sequential({ layers: [...digitBackboneLayers(options), ...digitHeadLayers(options)] });
}

/** A multilayer perceptron on the flattened pixels (uncompiled): the baseline a CNN of equal size must beat. */
export function digitMlp(options: DigitMlpOptions): tf.Sequential {
  const next = seeds(options.seed);
  const rate = options.dropout ?? 0;
  if (options.hidden.length === 0) throw new RangeError("digitMlp: hidden must list at least one layer width");
  options.hidden.forEach((units, i) => checkPositive(`hidden[${i}]`, units));
  const L = tf.layers;
  const layers: tf.layers.Layer[] = [L.flatten({ name: "mlp_flatten", inputShape: options.inputShape ?? [28, 28, 1] })];
  options.hidden.forEach((units, i) => {
    if (rate > 0) layers.push(L.dropout({ name: `mlp_dropout${i + 1}`, rate })); // unseeded: see digitHeadLayers
    layers.push(L.dense({ name: `mlp_dense${i + 1}`, units, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: next() }) }));
  });
  layers.push(L.dense({ name: "mlp_output", units: options.classes ?? 10, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: next() }) }));
  return tf.sequential({ layers });
}

/**
 * How notebooks 14 and the benchmark split the 10,000 shipped MNIST digits (already shuffled once, see
 * data/README.md): [start, end) index ranges. The test range is evaluated once, at the end.
 */
export const MNIST_SPLIT = {
  train: [0, 7000],
  validation: [7000, 8000],
  test: [8000, 10000],
} as const satisfies Record<string, readonly [number, number]>;

/**
 * How `npm run bench -- --mnist` trains `digitCnn` on MNIST (notebook 14 stops after 3 of the 8 epochs, for time): Adam whose rate is
 * multiplied by `learningRateDecay` after each epoch, and fresh random shifts of up to `maxShift` pixels every
 * epoch (lib/nn/vision randomTranslate). Chosen with digitCnn's default dropout 0.2 by mean validation accuracy over
 * seeds 0–9 among the recipes notebook 14 lists (2026-11-23); test accuracy 98.05–98.55 % on those seeds.
 */
export const DIGIT_CNN_RECIPE = {
  epochs: 8,
  batchSize: 64,
  learningRate: 4e-3,
  learningRateDecay: 0.7,
  maxShift: 1,
} as const;
