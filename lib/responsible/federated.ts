/**
 * Federated learning in float64 (notebook 34): FedAvg over clients that each hold their own data, the
 * centralised gradient descent it is compared with, and the gradient-leakage attack on a dense layer.
 *
 *   const clients = parts.map((rows) => softmaxRegressionClient(X, y, rows, classes));
 *   fedAvg(clients, zeros, { rounds: 50, localSteps: 5, learningRate: 0.5 }).weights
 */

/** One participant: how many examples it holds and the gradient of its mean loss at the given weights. */
export interface FederatedClient {
  size: number;
  gradient(weights: Float64Array): Float64Array;
}

export interface FedAvgOptions {
  rounds: number;
  /** Full-batch gradient steps each client takes on its own data per round (local epochs). */
  localSteps: number;
  learningRate: number;
  /** Called after each round with the new global weights (e.g. to record test accuracy). */
  onRound?: (round: number, weights: Float64Array) => void;
}

/**
 * Federated averaging (McMahan et al. 2017) with full participation: each round every client starts from the
 * global weights, takes `localSteps` gradient steps on its data, and the server averages the clients' weights
 * weighted by their sizes. With one local step this is exactly centralised full-batch gradient descent.
 */
export function fedAvg(clients: readonly FederatedClient[], initial: Float64Array, options: FedAvgOptions): { weights: Float64Array; floatsSent: number } {
  const { rounds, localSteps, learningRate } = options;
  if (clients.length === 0) throw new RangeError("fedAvg: need at least one client");
  clients.forEach((c, k) => {
    if (!(c.size > 0)) throw new RangeError(`fedAvg: client ${k} has size ${c.size}; every client needs examples`);
  });
  checkPositiveInteger("fedAvg", "rounds", rounds);
  checkPositiveInteger("fedAvg", "localSteps", localSteps);
  const total = clients.reduce((sum, c) => sum + c.size, 0);
  let weights = Float64Array.from(initial);
  for (let round = 1; round <= rounds; round++) {
    const next = new Float64Array(weights.length);
    for (const client of clients) {
      const local = Float64Array.from(weights);
      for (let step = 0; step < localSteps; step++) subtractScaled(local, client.gradient(local), learningRate);
      local.forEach((w, i) => (next[i] = next[i]! + (client.size / total) * w));
    }
    weights = next;
    options.onRound?.(round, weights);
  }
  // Each round the server sends the model to every client and every client sends one back.
  return { weights, floatsSent: 2 * clients.length * weights.length * rounds };
}

/** Centralised full-batch gradient descent: `steps` updates w ← w − η·∇L(w). */
export function gradientDescent(gradient: (weights: Float64Array) => Float64Array, initial: Float64Array, options: { steps: number; learningRate: number; onStep?: (step: number, weights: Float64Array) => void }): Float64Array {
  checkPositiveInteger("gradientDescent", "steps", options.steps);
  const weights = Float64Array.from(initial);
  for (let step = 1; step <= options.steps; step++) {
    subtractScaled(weights, gradient(weights), options.learningRate);
    options.onStep?.(step, weights);
  }
  return weights;
}

/**
 * Multinomial logistic (softmax) regression on the rows `rows` of X: weights are [features + 1][classes]
 * flattened row-major, the last row the biases. Mean cross-entropy over the rows and its exact gradient.
 */
export function softmaxRegressionLoss(X: readonly (readonly number[])[], y: readonly number[], rows: readonly number[], classes: number, weights: Float64Array): { loss: number; gradient: Float64Array } {
  const features = X[0]?.length ?? 0;
  if (weights.length !== (features + 1) * classes) {
    throw new RangeError(`softmaxRegressionLoss: weights must have (features + 1) · classes = ${(features + 1) * classes} values, got ${weights.length}`);
  }
  if (rows.length === 0) throw new RangeError("softmaxRegressionLoss: rows is empty");
  const gradient = new Float64Array(weights.length);
  let loss = 0;
  for (const r of rows) {
    const x = X[r]!, label = y[r]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) throw new RangeError(`softmaxRegressionLoss: y[${r}] = ${label} is not a class in 0..${classes - 1}`);
    const logits = Array.from({ length: classes }, (_, c) => {
      let z = weights[features * classes + c]!;
      for (let j = 0; j < features; j++) z += x[j]! * weights[j * classes + c]!;
      return z;
    });
    const top = Math.max(...logits);
    const exps = logits.map((z) => Math.exp(z - top));
    const norm = exps.reduce((a, b) => a + b, 0);
    loss += Math.log(norm) + top - logits[label]!;
    for (let c = 0; c < classes; c++) {
      const dz = (exps[c]! / norm - (c === label ? 1 : 0)) / rows.length;
      for (let j = 0; j < features; j++) gradient[j * classes + c] = gradient[j * classes + c]! + dz * x[j]!;
      gradient[features * classes + c] = gradient[features * classes + c]! + dz;
    }
  }
  return { loss: loss / rows.length, gradient };
}

/** A client of softmax regression holding the rows `rows` of (X, y). */
export function softmaxRegressionClient(X: readonly (readonly number[])[], y: readonly number[], rows: readonly number[], classes: number): FederatedClient {
  return { size: rows.length, gradient: (weights) => softmaxRegressionLoss(X, y, rows, classes, weights).gradient };
}

/** Predicted classes of softmax regression (weights as in `softmaxRegressionLoss`). */
export function softmaxRegressionPredict(X: readonly (readonly number[])[], weights: Float64Array, classes: number): number[] {
  const features = X[0]?.length ?? 0;
  return X.map((x) => {
    let best = 0, bestLogit = -Infinity;
    for (let c = 0; c < classes; c++) {
      let z = weights[features * classes + c]!;
      for (let j = 0; j < features; j++) z += x[j]! * weights[j * classes + c]!;
      if (z > bestLogit) [best, bestLogit] = [c, z];
    }
    return best;
  });
}

/**
 * Gradient leakage: for a dense layer z = xW + b and one example, ∂L/∂W[j][c] = x_j · ∂L/∂b[c], so any output c
 * with ∂L/∂b[c] ≠ 0 gives the input back exactly: x_j = ∂L/∂W[j][c] / ∂L/∂b[c] (the largest |∂L/∂b[c]| for accuracy).
 * `weightGradient` is [features][outputs].
 */
export function recoverDenseInput(weightGradient: readonly (readonly number[])[], biasGradient: readonly number[]): number[] {
  const outputs = biasGradient.length;
  weightGradient.forEach((row, j) => {
    if (row.length !== outputs) throw new RangeError(`recoverDenseInput: weightGradient row ${j} has ${row.length} outputs, biasGradient has ${outputs}`);
  });
  let c = 0;
  biasGradient.forEach((g, k) => {
    if (Math.abs(g) > Math.abs(biasGradient[c]!)) c = k;
  });
  if (!(Math.abs(biasGradient[c] ?? 0) > 0)) throw new RangeError("recoverDenseInput: every bias gradient is zero, so the input cannot be recovered from this layer");
  return weightGradient.map((row) => row[c]! / biasGradient[c]!);
}

function subtractScaled(target: Float64Array, gradient: Float64Array, scale: number): void {
  if (gradient.length !== target.length) throw new RangeError(`gradient has ${gradient.length} values, the weights ${target.length}`);
  for (let i = 0; i < target.length; i++) target[i] = target[i]! - scale * gradient[i]!;
}

function checkPositiveInteger(where: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${where}: ${name} must be an integer ≥ 1, got ${value}`);
}
