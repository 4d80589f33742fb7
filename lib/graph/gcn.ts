/**
 * A graph convolutional network (Kipf & Welling 2017) in TensorFlow.js, scikit-learn's shape:
 *
 *   const aHat = tf.tensor2d(normalizedAdjacency(graph));
 *   const gcn = new GCN({ inputDim: 34, hiddenDims: [16], outputDim: 2, seed: 0 });
 *   gcn.fit(aHat, features, labels, { steps: 200 });   // labels: a class per node, or null where unknown
 *   gcn.predict(aHat, features);                        // a class per node
 *
 * Each layer computes H' = act(Â · H · W + b): every node mixes its own and its neighbours' features (Â), then
 * applies the same weights W at every node. The last layer is linear (logits). The loss is the softmax
 * cross-entropy on the labelled nodes only — semi-supervised node classification: the unlabelled nodes still
 * shape the features through Â. `aggregation: "sage-mean"` swaps in GraphSAGE's mean aggregator
 * (H' = act([H ‖ D^−1 A H] · W + b); then pass meanAggregation(graph) instead of Â).
 */
import { tf } from "../tf";
import { Random } from "../random";

export interface GcnParams {
  inputDim: number;
  hiddenDims: number[];
  outputDim: number;
  seed: number;
  /** "gcn" (default): Â·H·W. "sage-mean": [H ‖ M·H]·W with M = D^−1 A (GraphSAGE, mean aggregator). */
  aggregation?: "gcn" | "sage-mean";
}

export interface GcnFitOptions {
  steps: number;
  learningRate?: number;
  /** L2 penalty on the weights (not biases), as Kipf & Welling's 5e-4. */
  weightDecay?: number;
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`GCN: ${name} must be an integer ≥ 1, got ${value}`);
}

export class GCN {
  readonly params: GcnParams;
  readonly weights: tf.Variable[] = [];
  readonly biases: tf.Variable[] = [];

  constructor(params: GcnParams) {
    positiveInteger("inputDim", params.inputDim);
    positiveInteger("outputDim", params.outputDim);
    params.hiddenDims.forEach((h, i) => positiveInteger(`hiddenDims[${i}]`, h));
    const aggregation = params.aggregation ?? "gcn";
    if (aggregation !== "gcn" && aggregation !== "sage-mean") throw new RangeError(`GCN: aggregation must be "gcn" or "sage-mean", got ${JSON.stringify(params.aggregation)}`);
    this.params = params;
    const rng = new Random(params.seed);
    const widths = [params.inputDim, ...params.hiddenDims, params.outputDim];
    for (let l = 0; l + 1 < widths.length; l++) {
      const fanIn = widths[l]! * (aggregation === "sage-mean" ? 2 : 1);
      const fanOut = widths[l + 1]!;
      const limit = Math.sqrt(6 / (fanIn + fanOut)); // Glorot uniform, as the paper
      const values = Float32Array.from({ length: fanIn * fanOut }, () => rng.uniform(-limit, limit));
      this.weights.push(tf.tidy(() => tf.variable(tf.tensor2d(values, [fanIn, fanOut]), true)));
      this.biases.push(tf.tidy(() => tf.variable(tf.zeros([fanOut]), true)));
    }
  }

  /** Hidden representations after each layer (the last entry is the logits). */
  layerOutputs(propagation: tf.Tensor2D, features: tf.Tensor2D): tf.Tensor2D[] {
    this.checkInputs(propagation, features);
    const outputs: tf.Tensor2D[] = [];
    let h = features;
    this.weights.forEach((w, l) => {
      const mixed = this.params.aggregation === "sage-mean" ? tf.concat([h, propagation.matMul(h)], 1) : propagation.matMul(h);
      const z = mixed.matMul(w).add(this.biases[l]!) as tf.Tensor2D;
      h = l + 1 < this.weights.length ? tf.relu(z) : z;
      outputs.push(h);
    });
    return outputs;
  }

  logits(propagation: tf.Tensor2D, features: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.layerOutputs(propagation, features).at(-1)!);
  }

  /** Adam on the labelled nodes' cross-entropy; returns the loss after each step. */
  fit(propagation: tf.Tensor2D, features: tf.Tensor2D, labels: ReadonlyArray<number | null>, options: GcnFitOptions): number[] {
    positiveInteger("steps", options.steps);
    const n = features.shape[0];
    if (labels.length !== n) throw new RangeError(`GCN.fit: ${labels.length} labels for ${n} nodes`);
    const labelled = labels.flatMap((y, i) => (y === null ? [] : [i]));
    if (labelled.length === 0) throw new RangeError("GCN.fit: no labelled node");
    labelled.forEach((i) => {
      const y = labels[i]!;
      if (!Number.isInteger(y) || y < 0 || y >= this.params.outputDim) throw new RangeError(`GCN.fit: label of node ${i} is ${y}, not a class in 0 … ${this.params.outputDim - 1}`);
    });
    const index = tf.tensor1d(labelled, "int32");
    const targets = tf.tidy(() => tf.oneHot(tf.tensor1d(labelled.map((i) => labels[i]!), "int32"), this.params.outputDim));
    const optimizer = tf.train.adam(options.learningRate ?? 0.01);
    const decay = options.weightDecay ?? 0;
    const losses: number[] = [];
    try {
      for (let step = 0; step < options.steps; step++) {
        const loss = optimizer.minimize(() => {
          const data = tf.losses.softmaxCrossEntropy(targets, this.layerOutputs(propagation, features).at(-1)!.gather(index)) as tf.Scalar;
          return decay === 0 ? data : data.add(tf.addN(this.weights.map((w) => w.square().sum())).mul(decay / 2));
        }, true, [...this.weights, ...this.biases])!;
        losses.push(loss.dataSync()[0]!);
        loss.dispose();
      }
    } finally {
      optimizer.dispose();
      tf.dispose([index, targets]);
    }
    return losses;
  }

  predict(propagation: tf.Tensor2D, features: tf.Tensor2D): number[] {
    return tf.tidy(() => Array.from(this.logits(propagation, features).argMax(1).dataSync()));
  }

  countParams(): number {
    return [...this.weights, ...this.biases].reduce((s, v) => s + v.size, 0);
  }

  dispose(): void {
    tf.dispose([...this.weights, ...this.biases]);
  }

  private checkInputs(propagation: tf.Tensor2D, features: tf.Tensor2D): void {
    const n = features.shape[0];
    if (propagation.shape[0] !== n || propagation.shape[1] !== n) throw new RangeError(`GCN: the propagation matrix must be ${n} × ${n} for ${n} nodes, got ${propagation.shape.join(" × ")}`);
    if (features.shape[1] !== this.params.inputDim) throw new RangeError(`GCN: features have ${features.shape[1]} columns, inputDim is ${this.params.inputDim}`);
  }
}
