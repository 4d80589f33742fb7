/**
 * The four fixed training workloads of scripts/bench/bench.ts in TensorFlow.js (scripts/bench/torch_reference.py has the same models
 * in PyTorch). Each returns `step()` (one Adam step on a fixed random batch), `sync()` and `dispose()`.
 */
import type * as TF from "@tensorflow/tfjs";

export interface BenchWorkload {
  step(): void;
  /** Waits for pending work (a no-op on synchronous backends) by reading the last loss. */
  sync(): number;
  dispose(): void;
}

type Tf = typeof TF;

function classifier(tf: Tf, model: TF.LayersModel, x: TF.Tensor, classes: number, batch: number): BenchWorkload {
  const labels = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, classes, "int32", 2), classes));
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
  };
}

export function mlp(tf: Tf, batch: number): BenchWorkload {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [784], units: 128, activation: "relu" }), tf.layers.dense({ units: 10 })],
  });
  return classifier(tf, model, tf.randomNormal([batch, 784], 0, 1, "float32", 1), 10, batch);
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
  return classifier(tf, model, tf.randomUniform([batch, 28, 28, 1], 0, 1, "float32", 1), 10, batch);
}

export function lstm(tf: Tf, batch: number): BenchWorkload {
  const L = tf.layers;
  const model = tf.sequential({
    layers: [L.embedding({ inputDim: 1000, outputDim: 32, inputLength: 30 }), L.lstm({ units: 64 }), L.dense({ units: 2 })],
  });
  return classifier(tf, model, tf.randomUniform([batch, 30], 0, 1000, "int32", 1), 2, batch);
}

/**
 * One post-norm encoder block as in torch.nn.TransformerEncoderLayer (d = 64, 4 heads, FFN 256, ReLU, no dropout),
 * mean over time, Dense(10). Written from matMul / softmax / moments, as the notebooks do.
 */
export function transformer(tf: Tf, batch: number): BenchWorkload {
  const [T, d, h, ff, classes] = [32, 64, 4, 256, 10];
  const dk = d / h;
  let seed = 10;
  const glorot = (shape: number[]) => tf.variable(tf.randomUniform(shape, -Math.sqrt(6 / (shape[0]! + shape[1]!)), Math.sqrt(6 / (shape[0]! + shape[1]!)), "float32", seed++));
  const zeros = (n: number) => tf.variable(tf.zeros([n]));
  const ones = (n: number) => tf.variable(tf.ones([n]));
  const w = {
    qkv: glorot([d, 3 * d]),
    qkvB: zeros(3 * d),
    o: glorot([d, d]),
    oB: zeros(d),
    ln1g: ones(d),
    ln1b: zeros(d),
    f1: glorot([d, ff]),
    f1B: zeros(ff),
    f2: glorot([ff, d]),
    f2B: zeros(d),
    ln2g: ones(d),
    ln2b: zeros(d),
    head: glorot([d, classes]),
    headB: zeros(classes),
  };
  const x = tf.randomNormal([batch, T, d], 0, 1, "float32", 1);
  const labels = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, classes, "int32", 2), classes));
  const layerNorm = (v: TF.Tensor, g: TF.Tensor, b: TF.Tensor) => {
    const { mean, variance } = tf.moments(v, -1, true);
    return v.sub(mean).mul(tf.rsqrt(variance.add(1e-5))).mul(g).add(b);
  };
  const heads = (v: TF.Tensor) => v.reshape([batch, T, h, dk]).transpose([0, 2, 1, 3]); // [B, h, T, dk]
  const loss = () => {
    const flat = x.reshape([batch * T, d]);
    const qkv = tf.fused.matMul({ a: flat, b: w.qkv, bias: w.qkvB });
    const [q, k, v] = tf.split(qkv, 3, 1).map(heads) as [TF.Tensor, TF.Tensor, TF.Tensor];
    const attention = tf.softmax(tf.matMul(q, k, false, true).mul(1 / Math.sqrt(dk)));
    const context = tf.matMul(attention, v).transpose([0, 2, 1, 3]).reshape([batch * T, d]);
    const x1 = layerNorm(flat.add(tf.fused.matMul({ a: context, b: w.o, bias: w.oB })), w.ln1g, w.ln1b);
    const hidden = tf.fused.matMul({ a: x1, b: w.f1, bias: w.f1B, activation: "relu" });
    const x2 = layerNorm(x1.add(tf.fused.matMul({ a: hidden, b: w.f2, bias: w.f2B })), w.ln2g, w.ln2b);
    const pooled = x2.reshape([batch, T, d]).mean(1);
    const logits = tf.fused.matMul({ a: pooled, b: w.head, bias: w.headB });
    return tf.losses.softmaxCrossEntropy(labels, logits) as TF.Scalar;
  };
  const optimizer = tf.train.adam(1e-3);
  let last: TF.Scalar | null = null;
  return {
    step() {
      last?.dispose();
      last = optimizer.minimize(loss, true);
    },
    sync: () => (last ? last.dataSync()[0]! : NaN),
    dispose() {
      last?.dispose();
      optimizer.dispose();
      tf.dispose([x, labels, ...Object.values(w)]);
    },
  };
}

export function makeWorkload(tf: Tf, name: string, batch: number): BenchWorkload {
  switch (name) {
    case "mlp":
      return mlp(tf, batch);
    case "cnn":
      return cnn(tf, batch);
    case "lstm":
      return lstm(tf, batch);
    case "transformer":
      return transformer(tf, batch);
    default:
      throw new Error(`unknown workload "${name}" (mlp, cnn, lstm, transformer)`);
  }
}
