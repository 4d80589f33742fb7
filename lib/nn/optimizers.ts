/**
 * Hand-written first-order optimizers on float64 parameter vectors, defined exactly as TensorFlow.js's
 * `tf.train.*` define them (read from tfjs-core 4.22's optimizer sources), plus an L-BFGS minimiser for
 * full-batch smooth problems.
 *
 *   const opt = adam({ learningRate: 0.01 });
 *   for (let t = 0; t < 100; t++) params = opt.step(params, gradient(params));
 *
 * An optimizer owns its state (velocities, moment estimates) for one parameter vector: concatenate a model's
 * weights into one vector, or keep one optimizer per weight array. `step` returns a new array and leaves its
 * inputs alone, so a trajectory is just the list of returned vectors.
 */
import { dot } from "../math/linalg";

export interface Optimizer {
  readonly name: string;
  /** Step size of the next update; a schedule may set it before each step. */
  learningRate: number;
  /** Number of steps taken. */
  readonly iterations: number;
  /** One update: returns the new parameters; params and grads are [nParams]. */
  step(params: readonly number[], grads: readonly number[]): number[];
}

/** The state-free part of an update: given lr and one step's params and grads, the new params. */
type Update = (learningRate: number, params: readonly number[], grads: readonly number[], iteration: number) => number[];

/** tfjs's `ENGINE.backend.epsilon()` for float32 backends: its default ε for Adam, RMSProp and Adagrad. */
export const TFJS_EPSILON = 1e-7;

/** Wraps an update rule with argument checks; `init(size)` creates the rule's zeroed state on the first step. */
function makeOptimizer(name: string, learningRate: number, init: (size: number) => Update): Optimizer {
  checkNonNegative(name, "learningRate", learningRate);
  let update: Update | null = null;
  let size = 0;
  let iterations = 0;
  const optimizer: Optimizer = {
    name,
    learningRate,
    get iterations() {
      return iterations;
    },
    step(params, grads) {
      if (params.length !== grads.length) throw new RangeError(`${name}.step: ${params.length} params but ${grads.length} grads`);
      if (update === null) [update, size] = [init(params.length), params.length];
      if (params.length !== size) throw new RangeError(`${name}.step: this optimizer holds state for ${size} params, got ${params.length}`);
      checkNonNegative(name, "learningRate", optimizer.learningRate);
      iterations++;
      return update(optimizer.learningRate, params, grads, iterations);
    },
  };
  return optimizer;
}

function checkNonNegative(name: string, option: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${name}: ${option} must be a finite number ≥ 0, got ${value}`);
}

function checkUnitInterval(name: string, option: string, value: number): void {
  if (!(value >= 0 && value < 1)) throw new RangeError(`${name}: ${option} must be in [0, 1), got ${value}`);
}

const zeros = (n: number) => new Array<number>(n).fill(0);

/** Plain gradient descent: θ ← θ − lr·g (tf.train.sgd). */
export function sgd({ learningRate }: { learningRate: number }): Optimizer {
  return makeOptimizer("sgd", learningRate, () => (lr, p, g) => p.map((v, i) => v - lr * g[i]!));
}

export interface MomentumOptions {
  learningRate: number;
  /** Velocity decay μ in [0, 1), e.g. 0.9. */
  momentum: number;
  /** Nesterov's look-ahead form (default false). */
  useNesterov?: boolean;
}

/**
 * tf.train.momentum: the velocity accumulates raw gradients, v ← μ·v + g, and the learning rate multiplies
 * outside it: θ ← θ − lr·v (classic) or θ ← θ − lr·(g + μ·v) (Nesterov, with the new v).
 * Changing lr mid-run therefore rescales the whole accumulated velocity at once.
 */
export function momentum({ learningRate, momentum: mu, useNesterov = false }: MomentumOptions): Optimizer {
  checkUnitInterval("momentum", "momentum", mu);
  return makeOptimizer(useNesterov ? "nesterov" : "momentum", learningRate, (n) => {
    const velocity = zeros(n);
    return (lr, p, g) =>
      p.map((v, i) => {
        velocity[i] = mu * velocity[i]! + g[i]!;
        return v - lr * (useNesterov ? g[i]! + mu * velocity[i]! : velocity[i]!);
      });
  });
}

export interface RmspropOptions {
  learningRate: number;
  /** Decay ρ of the mean square, default 0.9 (tfjs's default). */
  decay?: number;
  /** Momentum on the scaled step, default 0. */
  momentum?: number;
  /** Added inside the square root, default 1e-7 (tfjs's float32 epsilon). */
  epsilon?: number;
  /** Divide by an estimate of the gradient's variance instead of its raw second moment (default false). */
  centered?: boolean;
}

/**
 * tf.train.rmsprop: s ← ρ·s + (1 − ρ)·g², m ← μ·m + lr·g / √(s + ε), θ ← θ − m. Note ε sits inside the
 * square root, and lr sits inside the momentum buffer (unlike tf.train.momentum).
 * Centered: also ḡ ← ρ·ḡ + (1 − ρ)·g and the denominator is √(s − ḡ² + ε), as in TensorFlow (Python) and Keras.
 * tfjs 4.22 computes √(s − (ḡ² + ε)) instead, which is NaN for a parameter whose gradients are all zero;
 * elsewhere the two differ by ~ε/(s − ḡ²) relative.
 */
export function rmsprop(options: RmspropOptions): Optimizer {
  const { learningRate, decay = 0.9, momentum: mu = 0, epsilon = TFJS_EPSILON, centered = false } = options;
  checkUnitInterval("rmsprop", "decay", decay);
  checkUnitInterval("rmsprop", "momentum", mu);
  checkNonNegative("rmsprop", "epsilon", epsilon);
  return makeOptimizer("rmsprop", learningRate, (n) => {
    const meanSquare = zeros(n);
    const meanGrad = zeros(n);
    const moment = zeros(n);
    return (lr, p, g) =>
      p.map((v, i) => {
        const gi = g[i]!;
        meanSquare[i] = decay * meanSquare[i]! + (1 - decay) * gi * gi;
        meanGrad[i] = decay * meanGrad[i]! + (1 - decay) * gi;
        const denominator = Math.sqrt(meanSquare[i]! - (centered ? meanGrad[i]! ** 2 : 0) + epsilon);
        moment[i] = mu * moment[i]! + (lr * gi) / denominator;
        return v - moment[i]!;
      });
  });
}

export interface AdamOptions {
  /** Default 0.001. */
  learningRate?: number;
  /** Decay of the first-moment estimate, default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate, default 0.999. */
  beta2?: number;
  /** Added to √v̂ (outside the root), default 1e-7 (tfjs's float32 epsilon; PyTorch and Keras use 1e-8 / 1e-7). */
  epsilon?: number;
  /** Decoupled weight decay λ (AdamW): θ ← θ − lr·λ·θ before the Adam step; default 0, which is plain Adam. */
  weightDecay?: number;
}

/**
 * tf.train.adam: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ),
 * θ ← θ − lr·m̂/(√v̂ + ε). With `weightDecay` it is AdamW (Loshchilov & Hutter; PyTorch's form), whose decay
 * is not rescaled by √v̂ — unlike an L2 term added to the loss, which Adam would rescale.
 */
export function adam(options: AdamOptions = {}): Optimizer {
  const { learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = TFJS_EPSILON, weightDecay = 0 } = options;
  checkUnitInterval("adam", "beta1", beta1);
  checkUnitInterval("adam", "beta2", beta2);
  checkNonNegative("adam", "epsilon", epsilon);
  checkNonNegative("adam", "weightDecay", weightDecay);
  return makeOptimizer(weightDecay > 0 ? "adamw" : "adam", learningRate, (n) => {
    const m = zeros(n);
    const v = zeros(n);
    return (lr, p, g, t) => {
      const correction1 = 1 - beta1 ** t;
      const correction2 = 1 - beta2 ** t;
      return p.map((value, i) => {
        const gi = g[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        const decayed = value * (1 - lr * weightDecay);
        return decayed - (lr * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + epsilon);
      });
    };
  });
}

export interface AdagradOptions {
  learningRate: number;
  /** Starting value of the accumulated squared gradients, default 0.1 (tfjs's default). */
  initialAccumulatorValue?: number;
}

/** tf.train.adagrad: s ← s + g², θ ← θ − lr·g/√(s + ε) with tfjs's fixed ε = 1e-7 inside the root. */
export function adagrad({ learningRate, initialAccumulatorValue = 0.1 }: AdagradOptions): Optimizer {
  checkNonNegative("adagrad", "initialAccumulatorValue", initialAccumulatorValue);
  return makeOptimizer("adagrad", learningRate, (n) => {
    const accumulator = new Array<number>(n).fill(initialAccumulatorValue);
    return (lr, p, g) =>
      p.map((v, i) => {
        accumulator[i] = accumulator[i]! + g[i]! ** 2;
        return v - (lr * g[i]!) / Math.sqrt(accumulator[i]! + TFJS_EPSILON);
      });
  });
}

export interface LbfgsOptions {
  /** Iteration cap, default 100. */
  maxIter?: number;
  /** Stop when max |∂f/∂xᵢ| ≤ tol; default 1e-5. */
  tol?: number;
  /** Number of (s, y) pairs kept, default 10. */
  memory?: number;
}

export interface LbfgsResult {
  /** The minimiser found, [nParams]. */
  x: number[];
  value: number;
  /** max |∂f/∂xᵢ| at x. */
  gradientMaxNorm: number;
  iterations: number;
  /** True when the gradient test passed (not just the iteration cap or a stalled line search). */
  converged: boolean;
}

/**
 * Minimises a smooth function by limited-memory BFGS (Nocedal & Wright, Alg. 7.4/7.5), the quasi-Newton
 * method of scikit-learn's default `lbfgs` solver, here with a plain backtracking (Armijo) line search where
 * scipy uses a Wolfe one. `f` returns the value and the gradient at x.
 */
export function minimizeLbfgs(
  f: (x: readonly number[]) => { value: number; gradient: number[] },
  x0: readonly number[],
  options: LbfgsOptions = {},
): LbfgsResult {
  const { maxIter = 100, tol = 1e-5, memory = 10 } = options;
  if (!Number.isInteger(maxIter) || maxIter < 0) throw new RangeError(`minimizeLbfgs: maxIter must be an integer ≥ 0, got ${maxIter}`);
  if (!(tol >= 0)) throw new RangeError(`minimizeLbfgs: tol must be ≥ 0, got ${tol}`);
  if (!Number.isInteger(memory) || memory < 1) throw new RangeError(`minimizeLbfgs: memory must be an integer ≥ 1, got ${memory}`);
  let x = [...x0];
  let { value, gradient } = f(x);
  if (!Number.isFinite(value)) throw new RangeError(`minimizeLbfgs: f(x0) is ${value}`);
  const history: { s: number[]; y: number[]; rho: number }[] = [];
  const maxNorm = (v: number[]) => v.reduce((m, e) => Math.max(m, Math.abs(e)), 0);
  let iterations = 0;
  while (maxNorm(gradient) > tol && iterations < maxIter) {
    // Two-loop recursion: direction = −H·g with H the implicit inverse-Hessian estimate.
    const q = [...gradient];
    const alphas: number[] = [];
    for (let k = history.length - 1; k >= 0; k--) {
      const { s, y, rho } = history[k]!;
      const alpha = rho * dot(s, q);
      alphas[k] = alpha;
      q.forEach((_, i) => (q[i]! -= alpha * y[i]!));
    }
    const last = history[history.length - 1];
    // Initial scaling sᵀy/yᵀy; before any pair, a first step of unit length.
    const gamma = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1 / Math.max(Math.sqrt(dot(gradient, gradient)), 1e-300);
    const r = q.map((v) => gamma * v);
    history.forEach(({ s, y, rho }, k) => {
      const beta = rho * dot(y, r);
      r.forEach((_, i) => (r[i]! += (alphas[k]! - beta) * s[i]!));
    });
    const direction = r.map((v) => -v);
    const slope = dot(gradient, direction);
    if (!(slope < 0)) break; // not a descent direction: numerical trouble, stop honestly
    // Armijo's sufficient decrease; near the optimum the decrease drops below f's round-off, so a step that
    // leaves f unchanged to round-off but shrinks the gradient is accepted too.
    const gradientNorm = maxNorm(gradient);
    const acceptable = (step: number, trial: { value: number; gradient: number[] }) =>
      trial.value <= value + 1e-4 * step * slope ||
      (trial.value <= value + 1e-15 * Math.abs(value) && maxNorm(trial.gradient) < gradientNorm);
    let step = 1;
    let trial = f(x.map((v, i) => v + step * direction[i]!));
    while (!acceptable(step, trial) && step > 1e-20) {
      step /= 2;
      trial = f(x.map((v, i) => v + step * direction[i]!));
    }
    if (!acceptable(step, trial)) break; // no progress possible at float64 resolution
    const xNew = x.map((v, i) => v + step * direction[i]!);
    const s = xNew.map((v, i) => v - x[i]!);
    const y = trial.gradient.map((g, i) => g - gradient[i]!);
    const sy = dot(s, y);
    // Keep only pairs with positive curvature so the inverse-Hessian estimate stays positive definite.
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      history.push({ s, y, rho: 1 / sy });
      if (history.length > memory) history.shift();
    }
    [x, value, gradient] = [xNew, trial.value, trial.gradient];
    iterations++;
  }
  const gradientMaxNorm = maxNorm(gradient);
  return { x, value, gradientMaxNorm, iterations, converged: gradientMaxNorm <= tol };
}
