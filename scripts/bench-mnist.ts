/**
 * npx tsx scripts/bench.ts --mnist [--epochs N] [--backend wasm|cpu|tensorflow]
 *
 * The accuracy target of issue 7: the benchmark CNN (conv32 → pool → conv64 → pool → dense128 → dense10, Keras's
 * MNIST net with dropout) trained on the first 8,000 of the 10,000 shipped MNIST digits
 * (data/mnist-10k-*.idx*-ubyte.gz) must reach ≥ 98 % accuracy on the other 2,000 within 60 s of training.
 * Prints accuracy after every epoch and the training time (data preparation and evaluation excluded).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type * as TF from "@tensorflow/tfjs";

export interface MnistArrays {
  /** [n, 28, 28] pixels, 0–255, row-major. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/** Reads the shipped IDX files (see data/README.md). */
export function readMnist(dataDir = join(__dirname, "..", "data")): MnistArrays {
  const images = gunzipSync(readFileSync(join(dataDir, "mnist-10k-images.idx3-ubyte.gz")));
  const labels = gunzipSync(readFileSync(join(dataDir, "mnist-10k-labels.idx1-ubyte.gz")));
  if (images.readUInt32BE(0) !== 0x803 || labels.readUInt32BE(0) !== 0x801) throw new Error("readMnist: not IDX ubyte files");
  const count = images.readUInt32BE(4);
  if (labels.readUInt32BE(4) !== count || images.length !== 16 + count * 784) throw new Error("readMnist: sizes disagree");
  return { images: new Uint8Array(images.buffer, images.byteOffset + 16, count * 784), labels: new Uint8Array(labels.buffer, labels.byteOffset + 8, count), count };
}

export interface MnistRun {
  backend: string;
  epochs: number;
  trainSeconds: number;
  accuracyByEpoch: number[];
  secondsByEpoch: number[];
  testAccuracy: number;
}

export interface MnistOptions {
  epochs: number;
  batch?: number;
  trainCount?: number;
  /** Adam's learning rate in the first epoch (default 2e-3)… */
  learningRate?: number;
  /** …multiplied by this after every epoch (default 0.8): the late, small steps settle the accuracy. */
  decay?: number;
  /** Random translation by up to this many pixels, drawn anew every epoch (default 1; 0 = none). */
  shift?: number;
  seed?: number;
  log?: (line: string) => void;
}

export async function trainMnistCnn(tf: typeof TF, options: MnistOptions): Promise<MnistRun> {
  const { images, labels, count } = readMnist();
  const trainCount = options.trainCount ?? 8000;
  const batch = options.batch ?? 64;
  const log = options.log ?? (() => {});
  const toTensors = (from: number, to: number) =>
    tf.tidy(() => ({
      x: tf.tensor4d(Float32Array.from(images.subarray(from * 784, to * 784), (v) => v / 255), [to - from, 28, 28, 1]),
      y: tf.oneHot(tf.tensor1d(Int32Array.from(labels.subarray(from, to)), "int32"), 10),
    }));
  const train = toTensors(0, trainCount);
  const test = toTensors(trainCount, count);
  const L = tf.layers;
  const model = tf.sequential({
    layers: [
      L.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu" }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 64, kernelSize: 3, activation: "relu" }),
      L.maxPooling2d({ poolSize: 2 }),
      L.flatten(),
      L.dropout({ rate: 0.25, seed: 1 }),
      L.dense({ units: 128, activation: "relu" }),
      L.dropout({ rate: 0.25, seed: 2 }),
      L.dense({ units: 10, activation: "softmax" }),
    ],
  });
  const optimizer = tf.train.adam(options.learningRate ?? 2e-3);
  model.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  const accuracyByEpoch: number[] = [];
  const secondsByEpoch: number[] = [];
  let trainSeconds = 0;
  const shift = options.shift ?? 1;
  let seed = options.seed ?? 0;
  /** Every image moved by a random whole number of pixels in each direction: crops of the zero-padded images. */
  const shifted = (x: TF.Tensor4D): TF.Tensor4D =>
    tf.tidy(() => {
      const n = x.shape[0];
      const side = 28 + 2 * shift - 1;
      const offsets = tf.randomUniform([n, 2], 0, 2 * shift + 1, "int32", seed++).cast("float32");
      const boxes = tf.concat([offsets, offsets.add(27)], 1).div(side) as TF.Tensor2D;
      const padded = tf.pad(x, [[0, 0], [shift, shift], [shift, shift], [0, 0]]);
      return tf.image.cropAndResize(padded, boxes, tf.range(0, n, 1, "int32") as TF.Tensor1D, [28, 28]);
    });
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const started = performance.now();
    const x = shift > 0 ? shifted(train.x as TF.Tensor4D) : train.x;
    await model.fit(x, train.y, { epochs: 1, batchSize: batch, shuffle: true, verbose: 0 });
    if (x !== train.x) x.dispose();
    const seconds = (performance.now() - started) / 1000;
    trainSeconds += seconds;
    const accuracy = tf.tidy(() => {
      const predicted = (model.predict(test.x, { batchSize: 500 }) as TF.Tensor).argMax(-1);
      return predicted.equal(test.y.argMax(-1)).mean().dataSync()[0]!;
    });
    (optimizer as unknown as { learningRate: number }).learningRate *= options.decay ?? 0.8;
    accuracyByEpoch.push(accuracy);
    secondsByEpoch.push(seconds);
    log(`epoch ${epoch + 1}: ${seconds.toFixed(1)} s (total ${trainSeconds.toFixed(1)} s), held-out accuracy ${(100 * accuracy).toFixed(2)} %`);
  }
  model.dispose();
  tf.dispose([train.x, train.y, test.x, test.y]);
  return { backend: tf.getBackend(), epochs: options.epochs, trainSeconds, accuracyByEpoch, secondsByEpoch, testAccuracy: accuracyByEpoch[accuracyByEpoch.length - 1]! };
}
