import { test } from "node:test";
import * as assert from "node:assert/strict";
import { constantSchedule, cosineAnnealing, exponentialDecay, lrRangeTest, oneCycle, stepDecay, warmupCosine } from "../../../lib/nn/schedules";

const close = (actual: number, expected: number, label = "") =>
  assert.ok(Math.abs(actual - expected) <= 1e-15 + 1e-12 * Math.abs(expected), `${label} ${actual} vs ${expected}`);

test("constant and step decay: the rate drops by the factor exactly at multiples of stepSize", () => {
  assert.equal(constantSchedule(0.3)(1000), 0.3);
  const lr = stepDecay({ initial: 0.1, factor: 0.5, stepSize: 10 });
  [[0, 0.1], [9, 0.1], [10, 0.05], [19, 0.05], [25, 0.025]].forEach(([t, v]) => close(lr(t!), v!, `t=${t}`));
});

test("exponential decay: initial·rate^(t/k), continuous or in stairs", () => {
  const smooth = exponentialDecay({ initial: 0.2, decayRate: 0.5, decaySteps: 100 });
  close(smooth(0), 0.2);
  close(smooth(100), 0.1);
  close(smooth(50), 0.2 / Math.SQRT2);
  close(smooth(300), 0.025);
  const stairs = exponentialDecay({ initial: 0.2, decayRate: 0.5, decaySteps: 100, staircase: true });
  close(stairs(199), 0.1);
});

test("cosine annealing: initial at 0, exactly (initial + minimum)/2 at T/2, minimum at T and after", () => {
  const lr = cosineAnnealing({ initial: 0.1, totalSteps: 100, minimum: 0.01 });
  close(lr(0), 0.1);
  close(lr(50), 0.055);
  close(lr(25), 0.01 + 0.09 * (1 + Math.SQRT1_2) / 2);
  close(lr(100), 0.01);
  close(lr(150), 0.01);
});

test("warm-up + cosine: linear ramp to the peak, continuous at the boundary, cosine midpoint, minimum at T", () => {
  const lr = warmupCosine({ peak: 1e-3, warmupSteps: 100, totalSteps: 1100, minimum: 1e-5 });
  close(lr(0), 0);
  close(lr(50), 5e-4);
  close(lr(100), 1e-3);
  // continuity: the jump across the boundary is one warm-up increment, not a drop
  assert.ok(Math.abs(lr(100) - lr(99)) <= 1e-3 / 100 + 1e-18);
  assert.ok(Math.abs(lr(101) - lr(100)) < 1e-8);
  close(lr(600), (1e-3 + 1e-5) / 2);
  close(lr(1100), 1e-5);
});

test("1cycle: starts at maxLr/div, peaks at pctStart·T − 1, midpoints of both halves, ends at maxLr/(div·finalDiv)", () => {
  const [maxLr, div, finalDiv] = [0.1, 25, 1e4];
  const lr = oneCycle({ maxLr, totalSteps: 99, pctStart: 1 / 3, divFactor: div, finalDivFactor: finalDiv });
  const start = maxLr / div;
  const end = start / finalDiv;
  close(lr(0), start);
  close(lr(16), (start + maxLr) / 2);
  close(lr(32), maxLr); // 99/3 − 1
  close(lr(65), (maxLr + end) / 2);
  close(lr(98), end);
  close(lr(200), end);
  const values = Array.from({ length: 99 }, (_, t) => lr(t));
  assert.ok(values.every((v, t) => t === 0 || (t <= 32 ? v > values[t - 1]! : v < values[t - 1]!)), "up, then down");
});

test("schedules reject bad arguments and steps by name", () => {
  assert.throws(() => stepDecay({ initial: 0.1, factor: 0.5, stepSize: 0 }), /stepDecay: stepSize must be an integer ≥ 1, got 0/);
  assert.throws(() => cosineAnnealing({ initial: 0.1, totalSteps: 10, minimum: 0.2 }), /minimum must be in \[0, initial = 0.1\], got 0.2/);
  assert.throws(() => warmupCosine({ peak: 1, warmupSteps: 10, totalSteps: 10 }), /totalSteps must be an integer > warmupSteps = 10, got 10/);
  assert.throws(() => oneCycle({ maxLr: 1, totalSteps: 10, pctStart: 1.5 }), /pctStart in \(0, 1\)/);
  assert.throws(() => constantSchedule(0.1)(-1), /constantSchedule: step must be an integer ≥ 0, got -1/);
  assert.throws(() => constantSchedule(0.1)(1.5), /got 1.5/);
});

test("LR range test on gradient descent for ½λw²: the loss blows up within a factor 2 above 2/λ", () => {
  // GD multiplies w by (1 − lr·λ) per step, which grows |w| exactly when lr > 2/λ.
  for (const lambda of [0.5, 10, 300]) {
    let w = 1;
    const result = lrRangeTest({
      minLr: 1e-5,
      maxLr: 10,
      steps: 200,
      trainStep: (lr) => {
        w -= lr * lambda * w;
        return 0.5 * lambda * w * w;
      },
    });
    const limit = 2 / lambda;
    assert.ok(result.divergenceLr !== null && result.divergenceLr > limit && result.divergenceLr < 2 * limit, `λ=${lambda}: ${result.divergenceLr}`);
    assert.equal(result.losses.length, result.learningRates.length);
    close(result.learningRates[0]!, 1e-5);
  }
  const calm = lrRangeTest({ minLr: 1e-3, maxLr: 1e-1, steps: 10, trainStep: () => 1 });
  assert.equal(calm.divergenceLr, null);
  close(calm.learningRates[9]!, 0.1);
  assert.throws(() => lrRangeTest({ minLr: 1, maxLr: 0.5, steps: 10, trainStep: () => 1 }), /maxLr must be finite and > minLr = 1, got 0.5/);
});
