/**
 * Test problems for comparing optimizers (notebook 04): the Rosenbrock valley, quadratics ½xᵀHx, and loops that
 * run an `Optimizer` on them and record what a comparison needs.
 *
 *   const run = runOptimizer(adam({ learningRate: 0.1 }), { value: rosenbrock, gradient: rosenbrockGradient, start: [-1.5, 2] }, 2000);
 *   run.final;        // f after 2,000 steps, or Infinity if the run diverged
 *   stepsToReduce(quadratic(hessian, start), sgd({ learningRate: 0.001 }));   // steps to cut f by 10⁶
 */
import { matVec } from "../math/linalg";
import { tf } from "../tf";
import type { Optimizer } from "./optimizers";

/** A differentiable objective with a starting point. */
export interface Problem {
  value(params: readonly number[]): number;
  gradient(params: readonly number[]): number[];
  start: readonly number[];
}

/** Rosenbrock's function (1 − x)² + 100(y − x²)²: a curved, narrow valley with its minimum f = 0 at (1, 1). */
export const rosenbrock = (p: readonly number[]): number => (1 - p[0]!) ** 2 + 100 * (p[1]! - p[0]! ** 2) ** 2;

/** Its analytic gradient. */
export const rosenbrockGradient = (p: readonly number[]): number[] => [
  -2 * (1 - p[0]!) - 400 * p[0]! * (p[1]! - p[0]! ** 2),
  200 * (p[1]! - p[0]! ** 2),
];

/** The same function on a tf variable [x, y], as the loss closure `tf.train` optimizers' `minimize` takes. */
export const rosenbrockTf = (v: tf.Variable) => (): tf.Scalar => {
  const x = v.slice(0, 1);
  const y = v.slice(1, 1);
  return tf.sum(tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x)))))) as tf.Scalar;
};

/** f = ½xᵀHx with gradient Hx, started at `start`; H must be square and match the start's length. */
export function quadratic(hessian: number[][], start: readonly number[]): Problem & { hessian: number[][] } {
  if (hessian.length !== start.length || hessian.some((row) => row.length !== start.length)) {
    throw new RangeError(`quadratic: hessian must be ${start.length}×${start.length} to match start`);
  }
  const gradient = (p: readonly number[]) => matVec(hessian, [...p]);
  const value = (p: readonly number[]) => 0.5 * gradient(p).reduce((acc, gi, i) => acc + gi * p[i]!, 0);
  return { hessian, start, gradient, value };
}

export interface OptimizerRun {
  /** Parameters before the first step and after each step (up to divergence). */
  path: number[][];
  /** f at each point of `path`. */
  values: number[];
  /** f after the last step, or Infinity if f became non-finite or exceeded `divergeAbove`. */
  final: number;
  /** First step with f < `target`, or null. */
  firstBelow: number | null;
}

/** Runs `steps` optimizer steps on `problem`, stopping early (final = Infinity) when f leaves [0, divergeAbove]. */
export function runOptimizer(
  optimizer: Optimizer,
  problem: Problem,
  steps: number,
  { target = 1e-2, divergeAbove = 1e12 }: { target?: number; divergeAbove?: number } = {},
): OptimizerRun {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`runOptimizer: steps must be an integer ≥ 0, got ${steps}`);
  let p = [...problem.start];
  const path = [p];
  const values = [problem.value(p)];
  let firstBelow: number | null = null;
  for (let t = 1; t <= steps; t++) {
    p = optimizer.step(p, problem.gradient(p));
    const f = problem.value(p);
    if (!Number.isFinite(f) || f > divergeAbove) return { path, values, final: Infinity, firstBelow };
    path.push(p);
    values.push(f);
    if (firstBelow === null && f < target) firstBelow = t;
  }
  return { path, values, final: values[values.length - 1]!, firstBelow };
}

/** Steps until f falls below `factor` times its starting value (Infinity if not within maxSteps). */
export function stepsToReduce(problem: Problem, optimizer: Optimizer, maxSteps = 20_000, factor = 1e-6): number {
  let p = [...problem.start];
  const target = factor * problem.value(p);
  for (let t = 1; t <= maxSteps; t++) {
    p = optimizer.step(p, problem.gradient(p));
    if (problem.value(p) < target) return t;
  }
  return Infinity;
}

/** `optimizer` fed gradients rescaled to Euclidean norm ≤ maxNorm (Keras's `clipnorm`, PyTorch's `clip_grad_norm_`). */
export function withGradientClipping(optimizer: Optimizer, maxNorm: number): Optimizer {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) throw new RangeError(`withGradientClipping: maxNorm must be a finite number > 0, got ${maxNorm}`);
  return {
    name: `${optimizer.name} (clipnorm ${maxNorm})`,
    get learningRate() { return optimizer.learningRate; },
    set learningRate(lr: number) { optimizer.learningRate = lr; },
    get iterations() { return optimizer.iterations; },
    step: (p, g) => {
      const norm = Math.hypot(...g);
      return optimizer.step(p, norm > maxNorm ? g.map((v) => (v * maxNorm) / norm) : g);
    },
  };
}
