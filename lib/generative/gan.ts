/**
 * Generative adversarial networks (Goodfellow et al. 2014) with the alternation done right: two players, two
 * optimizers, and each update restricted by an explicit variable list to its own player's weights.
 *
 *   const trainer = new GanTrainer({ generator, discriminator, latentDim: 8, learningRate: 2e-3, seed: 1 });
 *   for (…) { trainer.discriminatorStep(realBatch); trainer.generatorStep(realBatch.shape[0]); }
 *
 * The discriminator outputs a logit ℓ, D = σ(ℓ). Losses (means over the batch), written with softplus for
 * numerical safety (−log σ(ℓ) = softplus(−ℓ), −log(1 − σ(ℓ)) = softplus(ℓ)):
 *
 *   discriminator:           −log D(x) − log(1 − D(G(z)))       (BCE: real → 1, fake → 0; = 2 ln 2 when D ≡ ½)
 *   generator, minimax:       log(1 − D(G(z)))                  (the original game; its gradient vanishes while D wins)
 *   generator, non-saturating: −log D(G(z))                    (same fixed point, strong gradient early on)
 *
 * Noise z ~ N(0, I) is drawn afresh for every step from a seeded stream (a fixed z would let G memorise a few
 * points). A conditional GAN passes a condition c (e.g. a source signal): G sees [c, z], D sees [x, c], and an
 * optional L1 term pulls G(c) towards its paired target (pix2pix). Wasserstein losses and the gradient penalty of
 * WGAN-GP (Gulrajani et al. 2017) are here too.
 */
import { tf } from "../tf";
import { Random } from "../random";

export type GeneratorLossKind = "non-saturating" | "minimax";

/** −log D(real) − log(1 − D(fake)), each averaged over its batch; logits in, scalar out. */
export function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.add(tf.mean(tf.softplus(tf.neg(realLogits))), tf.mean(tf.softplus(fakeLogits))) as tf.Scalar);
}

/** The generator's loss on D's logits for its fakes: minimax mean log(1 − D), or non-saturating mean −log D. */
export function generatorLoss(fakeLogits: tf.Tensor, kind: GeneratorLossKind = "non-saturating"): tf.Scalar {
  if (kind !== "non-saturating" && kind !== "minimax") throw new RangeError(`generatorLoss: kind must be "non-saturating" or "minimax", got "${kind as string}"`);
  return tf.tidy(() => (kind === "non-saturating" ? tf.mean(tf.softplus(tf.neg(fakeLogits))) : tf.neg(tf.mean(tf.softplus(fakeLogits)))) as tf.Scalar);
}

/** WGAN critic loss mean f(fake) − mean f(real) (the critic outputs unbounded scores, no sigmoid). */
export function wassersteinCriticLoss(realScores: tf.Tensor, fakeScores: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sub(tf.mean(fakeScores), tf.mean(realScores)) as tf.Scalar);
}

/** WGAN generator loss −mean f(fake). */
export function wassersteinGeneratorLoss(fakeScores: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(fakeScores)) as tf.Scalar);
}

/**
 * WGAN-GP's penalty mean (‖∇ₓ f(x̂)‖₂ − 1)² at x̂ = α·real + (1 − α)·fake, one α ∈ [0, 1] per row
 * (`alpha` [batch, 1]). `critic` maps [batch, features] to [batch] or [batch, 1] scores, row by row.
 */
export function gradientPenalty(critic: (x: tf.Tensor2D) => tf.Tensor, real: tf.Tensor2D, fake: tf.Tensor2D, alpha: tf.Tensor2D): tf.Scalar {
  if (real.rank !== 2 || fake.rank !== 2 || real.shape.some((size, axis) => size !== fake.shape[axis])) {
    throw new RangeError(`gradientPenalty: real and fake must both be [batch, features], got [${real.shape.join(", ")}] and [${fake.shape.join(", ")}]`);
  }
  if (alpha.rank !== 2 || alpha.shape[0] !== real.shape[0] || alpha.shape[1] !== 1) {
    throw new RangeError(`gradientPenalty: alpha must be [${real.shape[0]}, 1], got [${alpha.shape.join(", ")}]`);
  }
  return tf.tidy(() => {
    const mixed = tf.add(tf.mul(alpha, real), tf.mul(tf.sub(1, alpha), fake)) as tf.Tensor2D;
    // Rows are independent, so the gradient of the summed scores is each row's own gradient.
    const gradient = tf.grad((x: tf.Tensor) => tf.sum(critic(x as tf.Tensor2D)))(mixed);
    const norms = tf.sqrt(tf.sum(tf.square(gradient), -1));
    return tf.mean(tf.square(tf.sub(norms, 1))) as tf.Scalar;
  });
}

export interface MlpOptions {
  inputDim: number;
  /** Units of each hidden layer (each followed by LeakyReLU 0.2, the GAN default). */
  hidden: number[];
  outputDim: number;
  /** Activation of the output layer: "linear" (a logit, a real number) or "tanh" (data scaled to [−1, 1]). */
  outputActivation?: "linear" | "tanh" | "sigmoid";
  /** Seed of the Glorot-uniform initial weights (layer k uses seed + k). */
  seed: number;
  name?: string;
}

/**
 * A multi-layer perceptron for either player: the generator maps [latent (+ condition)] → data, the discriminator
 * maps [data (+ condition)] → 1 logit (keep outputActivation "linear": the losses apply the sigmoid once).
 */
export function ganMlp(options: MlpOptions): tf.Sequential {
  const { inputDim, hidden, outputDim, outputActivation = "linear", seed } = options;
  for (const [key, value] of [["inputDim", inputDim], ["outputDim", outputDim], ...hidden.map((u, i) => [`hidden[${i}]`, u] as const)] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`ganMlp: ${key} must be a positive integer, got ${value}`);
  }
  const layers: tf.layers.Layer[] = [];
  hidden.forEach((units, k) => {
    layers.push(tf.layers.dense({ ...(k === 0 ? { inputShape: [inputDim] } : {}), units, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + k }) }));
    layers.push(tf.layers.leakyReLU({ alpha: 0.2 }));
  });
  layers.push(tf.layers.dense({
    ...(hidden.length === 0 ? { inputShape: [inputDim] } : {}),
    units: outputDim,
    activation: outputActivation,
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed + hidden.length }),
  }));
  return tf.sequential({ name: options.name, layers });
}

/** The tf.Variables behind a model's trainable weights: the explicit var list of one player's optimizer. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((weight) => weight.read() as tf.Variable);
}

/** A copy of every weight's values, to prove an update left a model bit-for-bit unchanged. */
export function weightsSnapshot(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((weight) => weight.dataSync().slice() as Float32Array);
}

/** True when two snapshots are bit-for-bit equal (Object.is: NaN equals NaN, +0 differs from −0). */
export function snapshotsEqual(a: readonly Float32Array[], b: readonly Float32Array[]): boolean {
  return a.length === b.length && a.every((values, i) => values.length === b[i]!.length && values.every((v, j) => Object.is(v, b[i]![j])));
}

export interface GanTrainerOptions {
  generator: tf.LayersModel;
  /** Outputs one logit per example (no sigmoid). */
  discriminator: tf.LayersModel;
  /** Size of z; 0 for a conditional generator that takes no noise. */
  latentDim: number;
  generatorLoss?: GeneratorLossKind;
  learningRate: number;
  /** Adam's β₁ for both players (DCGAN practice: 0.5). */
  beta1?: number;
  /** Seed of the noise stream. */
  seed: number;
  /** Conditional GANs only: weight of mean |G(c) − target| added to the generator's loss. */
  l1Weight?: number;
}

/** Alternating GAN training with one Adam optimizer per player, each minimising over its own player's variables. */
export class GanTrainer {
  readonly generator: tf.LayersModel;
  readonly discriminator: tf.LayersModel;
  readonly latentDim: number;
  readonly generatorLossKind: GeneratorLossKind;
  readonly l1Weight: number;
  readonly learningRate: number;
  private readonly discriminatorOptimizer: tf.Optimizer;
  private readonly generatorOptimizer: tf.Optimizer;
  private readonly discriminatorVariables: tf.Variable[];
  private readonly generatorVariables: tf.Variable[];
  private readonly noiseSeeds: Random;

  constructor(options: GanTrainerOptions) {
    const { learningRate, beta1 = 0.5, latentDim, l1Weight = 0 } = options;
    if (!(learningRate > 0)) throw new RangeError(`GanTrainer: learningRate must be > 0, got ${learningRate}`);
    if (!(beta1 >= 0 && beta1 < 1)) throw new RangeError(`GanTrainer: beta1 must be in [0, 1), got ${beta1}`);
    if (!Number.isInteger(latentDim) || latentDim < 0) throw new RangeError(`GanTrainer: latentDim must be an integer ≥ 0, got ${latentDim}`);
    if (!(l1Weight >= 0)) throw new RangeError(`GanTrainer: l1Weight must be ≥ 0, got ${l1Weight}`);
    this.generator = options.generator;
    this.discriminator = options.discriminator;
    this.latentDim = latentDim;
    this.generatorLossKind = options.generatorLoss ?? "non-saturating";
    tf.tidy(() => { generatorLoss(tf.zeros([1]), this.generatorLossKind); }); // validates the kind now, not at the first step
    this.l1Weight = l1Weight;
    this.learningRate = learningRate;
    this.generatorVariables = trainableVariables(this.generator);
    this.discriminatorVariables = trainableVariables(this.discriminator);
    const shared = this.generatorVariables.filter((v) => this.discriminatorVariables.includes(v));
    if (shared.length > 0) throw new RangeError(`GanTrainer: generator and discriminator share ${shared.length} variable(s) (${shared[0]!.name}); each player needs its own`);
    this.discriminatorOptimizer = tf.train.adam(learningRate, beta1);
    this.generatorOptimizer = tf.train.adam(learningRate, beta1);
    this.noiseSeeds = new Random(options.seed);
  }

  /** Fresh z ~ N(0, I), [n, latentDim], from the seeded stream: every call draws new noise. */
  noise(n: number): tf.Tensor2D {
    return tf.randomNormal([n, this.latentDim], 0, 1, "float32", this.noiseSeeds.int(0, 2 ** 31 - 1));
  }

  /** G's output for n fresh noise vectors, or for a condition [n, …] (plus fresh noise when latentDim > 0). */
  generate(nOrCondition: number | tf.Tensor2D): tf.Tensor {
    return tf.tidy(() => {
      const condition = typeof nOrCondition === "number" ? null : nOrCondition;
      const n = condition === null ? (nOrCondition as number) : condition.shape[0];
      if (condition === null && this.latentDim === 0) throw new RangeError("GanTrainer.generate: an unconditional generator needs latentDim > 0");
      const parts = [...(condition ? [condition] : []), ...(this.latentDim > 0 ? [this.noise(n)] : [])];
      return this.generator.apply(parts.length === 1 ? parts[0]! : tf.concat(parts, -1)) as tf.Tensor;
    });
  }

  /** D's logits for x (with its condition appended along the last axis for a conditional GAN). */
  discriminate(x: tf.Tensor, condition?: tf.Tensor2D): tf.Tensor {
    return tf.tidy(() => this.discriminator.apply(condition ? tf.concat([x, condition], -1) : x) as tf.Tensor);
  }

  /**
   * One discriminator update on a real batch and as many fresh fakes. The fakes are made outside the gradient tape
   * (PyTorch's `.detach()`), and the optimizer's var list holds only D's variables, so G is not touched.
   */
  discriminatorStep(real: tf.Tensor, condition?: tf.Tensor2D): number {
    const fake = this.generate(condition ?? real.shape[0]);
    try {
      return this.minimize(this.discriminatorOptimizer, this.discriminatorVariables, () =>
        discriminatorLoss(this.discriminate(real, condition), this.discriminate(fake, condition)));
    } finally {
      fake.dispose();
    }
  }

  /**
   * One generator update: fresh fakes through D, the generator loss on D's logits, gradients applied to G's variables
   * only (D is frozen by the var list, not by a `trainable` flag). With a condition and l1Weight > 0, adds
   * l1Weight · mean |G(c) − target|.
   */
  generatorStep(batchSizeOrCondition: number | tf.Tensor2D, target?: tf.Tensor): number {
    const condition = typeof batchSizeOrCondition === "number" ? undefined : batchSizeOrCondition;
    if (this.l1Weight > 0 && (condition === undefined || target === undefined)) {
      throw new RangeError("GanTrainer.generatorStep: l1Weight > 0 needs a condition and its target");
    }
    return this.minimize(this.generatorOptimizer, this.generatorVariables, () => {
      const fake = this.generate(batchSizeOrCondition);
      const adversarial = generatorLoss(this.discriminate(fake, condition), this.generatorLossKind);
      return this.l1Weight > 0 ? tf.add(adversarial, tf.mul(this.l1Weight, tf.mean(tf.abs(tf.sub(fake, target!))))) as tf.Scalar : adversarial;
    });
  }

  /** One round: a D step on `real`, then a G step on as many fakes; returns both losses. */
  step(real: tf.Tensor, condition?: tf.Tensor2D): { discriminatorLoss: number; generatorLoss: number } {
    const discriminatorLossValue = this.discriminatorStep(real, condition);
    const generatorLossValue = condition ? this.generatorStep(condition, real) : this.generatorStep(real.shape[0]);
    return { discriminatorLoss: discriminatorLossValue, generatorLoss: generatorLossValue };
  }

  /** Sets both players' step size (for a schedule: GAN dynamics oscillate, and annealing the rate lets them settle). */
  setLearningRate(rate: number): void {
    if (!(rate > 0)) throw new RangeError(`GanTrainer.setLearningRate: rate must be > 0, got ${rate}`);
    // tf.train optimizers read their step size from this (untyped) field at every step.
    for (const optimizer of [this.discriminatorOptimizer, this.generatorOptimizer]) (optimizer as unknown as { learningRate: number }).learningRate = rate;
  }

  dispose(): void {
    this.discriminatorOptimizer.dispose();
    this.generatorOptimizer.dispose();
  }

  private minimize(optimizer: tf.Optimizer, variables: tf.Variable[], loss: () => tf.Scalar): number {
    const value = tf.tidy(() => optimizer.minimize(loss, true, variables)!);
    const result = value.dataSync()[0]!;
    value.dispose();
    return result;
  }
}

export interface GanLoopOptions {
  steps: number;
  batchSize: number;
  /** Seed of the batch draws (rows without replacement within a batch). */
  seed: number;
  /** Anneal both learning rates linearly to (1 − decay) of the start by the last step (default 0: constant). */
  decay?: number;
  /** Conditional GANs: the condition of each row of `real` (same row count). */
  condition?: tf.Tensor2D;
  /** Called after every `every` steps (and with step 0 before training) — for snapshots of the samples. */
  every?: number;
  onCheckpoint?: (step: number) => void;
}

/**
 * The training loop: each step draws a batch of rows of `real` (and of `condition`), then one D step and one G
 * step (trainer.step). Returns the two losses per step; the trainer's noise stream and this batch stream are both
 * seeded, so a run is reproducible.
 */
export function trainGan(trainer: GanTrainer, real: tf.Tensor, options: GanLoopOptions): { discriminatorLoss: number[]; generatorLoss: number[] } {
  const { steps, batchSize, decay = 0, condition, every, onCheckpoint } = options;
  const n = real.shape[0]!;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`trainGan: steps must be a positive integer, got ${steps}`);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > n) throw new RangeError(`trainGan: batchSize must be an integer in [1, ${n}], got ${batchSize}`);
  if (!(decay >= 0 && decay < 1)) throw new RangeError(`trainGan: decay must be in [0, 1), got ${decay}`);
  if (condition && condition.shape[0] !== n) throw new RangeError(`trainGan: condition has ${condition.shape[0]} rows, real has ${n}`);
  const rows = new Random(options.seed);
  const losses = { discriminatorLoss: [] as number[], generatorLoss: [] as number[] };
  if (every !== undefined) onCheckpoint?.(0);
  for (let step = 1; step <= steps; step++) {
    const index = tf.tensor1d(rows.sampleIndices(n, batchSize), "int32");
    const batch = tf.gather(real, index);
    const batchCondition = condition ? (tf.gather(condition, index) as tf.Tensor2D) : undefined;
    try {
      const result = trainer.step(batch, batchCondition);
      losses.discriminatorLoss.push(result.discriminatorLoss);
      losses.generatorLoss.push(result.generatorLoss);
    } finally {
      tf.dispose([index, batch, ...(batchCondition ? [batchCondition] : [])]);
    }
    if (decay > 0) trainer.setLearningRate(trainer.learningRate * (1 - (decay * step) / steps));
    if (every !== undefined && step % every === 0) onCheckpoint?.(step);
  }
  return losses;
}
