import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { integratedGradients, integrationPoints, interventionalValue, permutationImportance, shapleyValues } from "../../../lib/responsible/interpret";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

test("permutation importance: a score that reads only column 0 gives the others exactly 0 and column 0 its drop", () => {
  const rng = new Random(1);
  const X = Array.from({ length: 200 }, () => [rng.normal(), rng.normal(), rng.normal()]);
  const y = X.map((r) => (r[0]! > 0 ? 1 : 0));
  const accuracy = (rows: number[][]) => rows.filter((r, i) => (r[0]! > 0 ? 1 : 0) === y[i]).length / rows.length;
  const result = permutationImportance(accuracy, X, { nRepeats: 4, seed: 3 });
  assert.equal(result.baseline, 1);
  assert.deepEqual(result.importancesMean.slice(1), [0, 0]);
  // Shuffling a balanced sign column keeps about half of the rows right: importance ≈ 0.5.
  assert.ok(Math.abs(result.importancesMean[0]! - 0.5) < 0.1, String(result.importancesMean[0]));
  assert.equal(result.importances[0]!.length, 4);
  assert.deepEqual(permutationImportance(accuracy, X, { nRepeats: 4, seed: 3 }), result, "seeded: the same result twice");
  assert.deepEqual(X[0], X[0], "input untouched");
});

test("permutation importance refuses ragged rows and bad nRepeats, naming them", () => {
  assert.throws(() => permutationImportance(() => 0, [[1, 2], [3]], { nRepeats: 1, seed: 0 }), /row 1 has 1 features/);
  assert.throws(() => permutationImportance(() => 0, [[1], [2]], { nRepeats: 0, seed: 0 }), /nRepeats/);
});

test("integration rules: weights sum to 1 and integrate x² on [0, 1] with their known errors", () => {
  for (const rule of ["left", "right", "midpoint", "trapezoid"] as const) {
    const { alphas, weights } = integrationPoints(10, rule);
    assert.ok(Math.abs(weights.reduce((a, b) => a + b, 0) - 1) < 1e-12, rule);
    const integral = alphas.reduce((sum, a, k) => sum + weights[k]! * a * a, 0);
    const expected = { left: 1 / 3 - 1 / 20 + 1 / 600, right: 1 / 3 + 1 / 20 + 1 / 600, midpoint: 1 / 3 - 1 / 1200, trapezoid: 1 / 3 + 1 / 600 }[rule];
    assert.ok(Math.abs(integral - expected) < 1e-12, `${rule}: ${integral} vs ${expected}`);
  }
  assert.throws(() => integrationPoints(0, "left"), /steps/);
});

test("integrated gradients of Σ a_i z_i² equal the closed form a_i (x_i² − x'_i²) and are complete", () => {
  // f(z) = Σ a_i z_i²: IG_i = a_i (x_i² − x'_i²) exactly (the integrand is linear in α: trapezoid is exact).
  const a = [1, -2, 0.5, 3];
  const x = tf.tensor1d([0.3, -1.2, 2, 0.7]), baseline = tf.tensor1d([0.1, 0.4, -1, 0]);
  const f = (batch: tf.Tensor) => batch.square().mul(tf.tensor1d(a)).sum(1);
  const result = integratedGradients(f, x, baseline, { steps: 3, rule: "trapezoid" });
  const xs = x.arraySync() as number[], bs = baseline.arraySync() as number[];
  a.forEach((ai, i) => assert.ok(Math.abs(result.attributions[i]! - ai * (xs[i]! ** 2 - bs[i]! ** 2)) < 1e-5, `feature ${i}`));
  assert.ok(Math.abs(result.completenessGap) < 1e-5);
  assert.throws(() => integratedGradients(f, x, tf.zeros([3]), { steps: 3 }), /shape/);
});

test("Shapley values by enumeration: a linear game gives each player its own weight; orderings agree on a non-additive game", () => {
  assert.deepEqual(shapleyValues((s) => (s[0] ? 2 : 0) + (s[1] ? -1 : 0) + (s[2] ? 5 : 0), 3).map((v) => Math.round(v * 1e12) / 1e12), [2, -1, 5]);
  // v(S) = 1 when S holds players 0 and 1 (a glove game): they split it, player 2 gets nothing.
  const glove = (s: boolean[]) => (s[0] && s[1] ? 1 : 0);
  assert.deepEqual(shapleyValues(glove, 3).map((v) => Math.round(v * 1e12) / 1e12), [0.5, 0.5, 0]);
  // Against the other definition: the mean marginal contribution over all 4! orderings.
  const rng = new Random(2);
  const table = Array.from({ length: 16 }, () => rng.normal());
  const value = (s: boolean[]) => table[s.reduce((bits, inS, i) => bits | (inS ? 1 << i : 0), 0)]!;
  const orderings = permutations([0, 1, 2, 3]);
  const byOrderings = [0, 1, 2, 3].map((i) => orderings.reduce((sum, order) => {
    const before = order.slice(0, order.indexOf(i));
    const mask = (members: number[]) => [0, 1, 2, 3].map((p) => members.includes(p));
    return sum + value(mask([...before, i])) - value(mask(before));
  }, 0) / orderings.length);
  shapleyValues(value, 4).forEach((phi, i) => assert.ok(Math.abs(phi - byOrderings[i]!) < 1e-12, `player ${i}`));
  assert.throws(() => shapleyValues(() => 0, 17), /players/);
});

test("interventional value: v(all) = f(x), v(none) = mean f(background); linear f gives φ_i = w_i (x_i − mean b_i)", () => {
  const w = [1.5, -2, 0.25];
  const predict = (r: number[]) => 0.7 + r.reduce((s, v, i) => s + w[i]! * v, 0);
  const background = [[0, 1, 2], [1, -1, 0], [2, 0, 4]];
  const x = [3, 2, -1];
  const v = interventionalValue(predict, x, background);
  assert.ok(Math.abs(v([true, true, true]) - predict(x)) < 1e-12);
  const phi = shapleyValues(v, 3);
  phi.forEach((p, i) => assert.ok(Math.abs(p - w[i]! * (x[i]! - (background[0]![i]! + background[1]![i]! + background[2]![i]!) / 3)) < 1e-12, `feature ${i}`));
  assert.throws(() => interventionalValue(predict, x, [[1, 2]]), /background row 0 has 2 features/);
});

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}
