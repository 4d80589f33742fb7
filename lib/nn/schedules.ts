/**
 * Learning-rate schedules as plain functions of the step t = 0, 1, 2, …, and the LR range test.
 * A schedule only chooses the step size; it is not "adaptive" in the sense of Adam or RMSProp, which scale
 * each parameter's step by its own gradient history.
 *
 *   const lr = warmupCosine({ peak: 1e-3, warmupSteps: 100, totalSteps: 1000 });
 *   for (let t = 0; t < 1000; t++) { opt.learningRate = lr(t); params = opt.step(params, grad(params)); }
 */
export type Schedule = (step: number) => number;

function checkPositive(schedule: string, name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${schedule}: ${name} must be a finite number > 0, got ${value}`);
}

function checkStepCount(schedule: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${schedule}: ${name} must be an integer ≥ 1, got ${value}`);
}

/** Wraps a rule with the check every schedule shares: t is an integer ≥ 0. */
function schedule(name: string, rule: Schedule): Schedule {
  return (step) => {
    if (!Number.isInteger(step) || step < 0) throw new RangeError(`${name}: step must be an integer ≥ 0, got ${step}`);
    return rule(step);
  };
}

/** Half a cosine wave from `from` (at fraction 0) to `to` (at fraction 1). */
function cosineBetween(from: number, to: number, fraction: number): number {
  return to + ((from - to) * (1 + Math.cos(Math.PI * Math.min(Math.max(fraction, 0), 1)))) / 2;
}

export function constantSchedule(learningRate: number): Schedule {
  checkPositive("constantSchedule", "learningRate", learningRate);
  return schedule("constantSchedule", () => learningRate);
}

/** lr(t) = initial · factor^⌊t / stepSize⌋: drop by `factor` every `stepSize` steps. */
export function stepDecay({ initial, factor, stepSize }: { initial: number; factor: number; stepSize: number }): Schedule {
  checkPositive("stepDecay", "initial", initial);
  checkPositive("stepDecay", "factor", factor);
  checkStepCount("stepDecay", "stepSize", stepSize);
  return schedule("stepDecay", (t) => initial * factor ** Math.floor(t / stepSize));
}

export interface ExponentialDecayOptions {
  initial: number;
  /** Multiplier applied every `decaySteps` steps. */
  decayRate: number;
  decaySteps: number;
  /** Decay in whole jumps (like stepDecay) instead of continuously; default false. */
  staircase?: boolean;
}

/** lr(t) = initial · decayRate^(t / decaySteps), as tf.keras's ExponentialDecay. */
export function exponentialDecay({ initial, decayRate, decaySteps, staircase = false }: ExponentialDecayOptions): Schedule {
  checkPositive("exponentialDecay", "initial", initial);
  checkPositive("exponentialDecay", "decayRate", decayRate);
  checkStepCount("exponentialDecay", "decaySteps", decaySteps);
  return schedule("exponentialDecay", (t) => initial * decayRate ** (staircase ? Math.floor(t / decaySteps) : t / decaySteps));
}

/**
 * Cosine annealing (Loshchilov & Hutter, SGDR without restarts):
 * lr(t) = minimum + (initial − minimum)·(1 + cos(π·t/T))/2 for t ≤ T, then `minimum`.
 */
export function cosineAnnealing({ initial, totalSteps, minimum = 0 }: { initial: number; totalSteps: number; minimum?: number }): Schedule {
  checkPositive("cosineAnnealing", "initial", initial);
  checkStepCount("cosineAnnealing", "totalSteps", totalSteps);
  if (!(minimum >= 0 && minimum <= initial)) throw new RangeError(`cosineAnnealing: minimum must be in [0, initial = ${initial}], got ${minimum}`);
  return schedule("cosineAnnealing", (t) => cosineBetween(initial, minimum, t / totalSteps));
}

export interface WarmupCosineOptions {
  peak: number;
  /** Linear ramp from 0 at t = 0 to `peak` at t = warmupSteps. */
  warmupSteps: number;
  /** Cosine decay from `peak` at t = warmupSteps to `minimum` at t = totalSteps. */
  totalSteps: number;
  minimum?: number;
}

/**
 * Linear warm-up, then cosine decay (the Transformer-era default; Hugging Face's
 * get_cosine_schedule_with_warmup). Continuous at t = warmupSteps, where both pieces equal `peak`.
 */
export function warmupCosine({ peak, warmupSteps, totalSteps, minimum = 0 }: WarmupCosineOptions): Schedule {
  checkPositive("warmupCosine", "peak", peak);
  checkStepCount("warmupCosine", "warmupSteps", warmupSteps);
  if (!Number.isInteger(totalSteps) || totalSteps <= warmupSteps) {
    throw new RangeError(`warmupCosine: totalSteps must be an integer > warmupSteps = ${warmupSteps}, got ${totalSteps}`);
  }
  if (!(minimum >= 0 && minimum <= peak)) throw new RangeError(`warmupCosine: minimum must be in [0, peak = ${peak}], got ${minimum}`);
  return schedule("warmupCosine", (t) =>
    t < warmupSteps ? (peak * t) / warmupSteps : cosineBetween(peak, minimum, (t - warmupSteps) / (totalSteps - warmupSteps)),
  );
}

export interface OneCycleOptions {
  maxLr: number;
  totalSteps: number;
  /** Fraction of the steps spent rising to maxLr; default 0.3. */
  pctStart?: number;
  /** Start at maxLr / divFactor; default 25. */
  divFactor?: number;
  /** End at maxLr / (divFactor · finalDivFactor); default 1e4. */
  finalDivFactor?: number;
}

/**
 * The 1cycle policy (Smith & Topin) as PyTorch's OneCycleLR with cosine annealing: from maxLr/divFactor up to
 * maxLr at step pctStart·T − 1, then down to maxLr/(divFactor·finalDivFactor) at step T − 1 (held after).
 */
export function oneCycle({ maxLr, totalSteps, pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4 }: OneCycleOptions): Schedule {
  checkPositive("oneCycle", "maxLr", maxLr);
  checkPositive("oneCycle", "divFactor", divFactor);
  checkPositive("oneCycle", "finalDivFactor", finalDivFactor);
  const peakStep = pctStart * totalSteps - 1;
  if (!Number.isInteger(totalSteps) || !(pctStart > 0 && pctStart < 1) || !(peakStep > 0 && peakStep < totalSteps - 1)) {
    throw new RangeError(`oneCycle: need an integer totalSteps and pctStart in (0, 1) with 0 < pctStart·totalSteps − 1 < totalSteps − 1, got totalSteps=${totalSteps}, pctStart=${pctStart}`);
  }
  const start = maxLr / divFactor;
  const end = start / finalDivFactor;
  return schedule("oneCycle", (t) =>
    t <= peakStep ? cosineBetween(start, maxLr, t / peakStep) : cosineBetween(maxLr, end, (t - peakStep) / (totalSteps - 1 - peakStep)),
  );
}

export interface LrRangeTestOptions {
  minLr: number;
  maxLr: number;
  /** Number of training steps; the learning rate grows geometrically from minLr to maxLr over them. */
  steps: number;
  /** Takes one training step at this learning rate and returns the loss it measured. */
  trainStep: (learningRate: number) => number;
  /** Stop once the loss exceeds stopFactor × the best loss so far (or is not finite); default 4. */
  stopFactor?: number;
}

export interface LrRangeTestResult {
  learningRates: number[];
  losses: number[];
  /** The learning rate at which the loss blew up, or null if it never did within maxLr. */
  divergenceLr: number | null;
}

/**
 * The LR range test (Smith, 2017): train with a learning rate growing geometrically from minLr to maxLr and
 * watch the loss fall, flatten, then blow up. A good learning rate lies somewhat below the blow-up point;
 * for gradient descent on a quadratic the blow-up is near 2/λmax.
 */
export function lrRangeTest({ minLr, maxLr, steps, trainStep, stopFactor = 4 }: LrRangeTestOptions): LrRangeTestResult {
  checkPositive("lrRangeTest", "minLr", minLr);
  if (!(maxLr > minLr) || !Number.isFinite(maxLr)) throw new RangeError(`lrRangeTest: maxLr must be finite and > minLr = ${minLr}, got ${maxLr}`);
  if (!Number.isInteger(steps) || steps < 2) throw new RangeError(`lrRangeTest: steps must be an integer ≥ 2, got ${steps}`);
  if (!(stopFactor > 1)) throw new RangeError(`lrRangeTest: stopFactor must be > 1, got ${stopFactor}`);
  const learningRates: number[] = [];
  const losses: number[] = [];
  let best = Infinity;
  for (let i = 0; i < steps; i++) {
    const lr = minLr * (maxLr / minLr) ** (i / (steps - 1));
    const loss = trainStep(lr);
    learningRates.push(lr);
    losses.push(loss);
    if (!Number.isFinite(loss) || loss > stopFactor * best) return { learningRates, losses, divergenceLr: lr };
    best = Math.min(best, loss);
  }
  return { learningRates, losses, divergenceLr: null };
}
