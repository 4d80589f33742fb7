import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { analyticPolicyGradient, ppoClippedObjective, reinforceEstimate, softmax } from "../../../lib/rl/policy-gradient";

const THETA = [[0.2, -0.1], [0.1, 0.3]];
const MEANS = [[1, -1], [-1, 1]];

test("the analytic policy gradient equals central finite differences of J(θ)", () => {
  const objective = (theta: number[][]) => theta.reduce((sum, logits, c) => sum + 0.5 * softmax(logits).reduce((s, p, a) => s + p * MEANS[c]![a]!, 0), 0);
  const analytic = analyticPolicyGradient(THETA, MEANS, [0.5, 0.5]);
  const h = 1e-6;
  THETA.forEach((row, c) => row.forEach((_, a) => {
    const plus = THETA.map((r) => [...r]);
    const minus = THETA.map((r) => [...r]);
    plus[c]![a]! += h;
    minus[c]![a]! -= h;
    assert.ok(Math.abs((objective(plus) - objective(minus)) / (2 * h) - analytic[c]![a]!) < 1e-8);
  }));
});

test("REINFORCE: the mean of 5,000 estimates is within 5 % of the analytic gradient; a baseline keeps the mean and cuts the variance (5 seeds)", () => {
  const analytic = analyticPolicyGradient(THETA, MEANS.map((r) => r.map((v) => v + 2)), [0.5, 0.5]).flat();
  const norm = (v: number[]) => Math.sqrt(v.reduce((a, b) => a + b * b, 0));
  for (let seed = 0; seed < 5; seed += 1) {
    const rng = new Random(seed);
    const [plain, based] = [[] as number[][], [] as number[][]];
    for (let k = 0; k < 5000; k += 1) {
      const c = rng.int(0, 2);
      const pi = softmax(THETA[c]!);
      const a = rng.random() < pi[0]! ? 0 : 1;
      const r = MEANS[c]![a]! + 2 + rng.normal(0, 0.3); // +2: the same gradient, a larger variance without a baseline
      plain.push(reinforceEstimate(THETA, c, a, r).flat());
      based.push(reinforceEstimate(THETA, c, a, r, pi.reduce((s, p, b) => s + p * (MEANS[c]![b]! + 2), 0)).flat());
    }
    const mean = (xs: number[][]) => xs[0]!.map((_, j) => xs.reduce((s, x) => s + x[j]!, 0) / xs.length);
    const variance = (xs: number[][]) => {
      const m = mean(xs);
      return xs.reduce((s, x) => s + x.reduce((t, v, j) => t + (v - m[j]!) ** 2, 0), 0) / (xs.length - 1);
    };
    assert.ok(norm(mean(based).map((v, j) => v - analytic[j]!)) / norm(analytic) < 0.05, `seed ${seed}`);
    assert.ok(variance(based) < 0.5 * variance(plain), `seed ${seed}`);
  }
});

test("REINFORCE estimate by hand: (r − b)·(onehot(a) − π) in the sampled context's row, zeros elsewhere", () => {
  assert.deepEqual(reinforceEstimate([[0, 0], [5, 1]], 0, 1, 2), [[-1, 1], [0, 0]]);
  assert.deepEqual(reinforceEstimate([[0, 0], [0, 0]], 1, 0, 3, 1), [[0, 0], [1, -1]]);
});

test("PPO's clipped objective matches its definition piece by piece", () => {
  // A > 0: the gain is capped once ρ > 1 + ε; A < 0: the loss is capped once ρ < 1 − ε.
  assert.equal(ppoClippedObjective(1.5, 2, 0.2), 1.2 * 2);
  assert.equal(ppoClippedObjective(0.5, 2, 0.2), 0.5 * 2);
  assert.equal(ppoClippedObjective(0.5, -2, 0.2), 0.8 * -2);
  assert.equal(ppoClippedObjective(1.5, -2, 0.2), 1.5 * -2);
  assert.equal(ppoClippedObjective(1, 3), 3);
  assert.throws(() => ppoClippedObjective(-1, 1), /ratio/);
});

