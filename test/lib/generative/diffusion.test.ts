import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { cumulativeAlphas, ddpmSample, linearBetaSchedule, noisedSample } from "../../../lib/generative/diffusion";

before(async () => {
  await setupTf({ backend: "cpu", announce: false });
});

test("schedule and ᾱ: ends, monotone, product by hand; the closed form equals iterating the moments step by step", () => {
  const betas = linearBetaSchedule(50, 1e-3, 0.2);
  assert.equal(betas.length, 50);
  assert.ok(Math.abs(betas[0]! - 1e-3) < 1e-15 && Math.abs(betas[49]! - 0.2) < 1e-15);
  const bars = cumulativeAlphas(betas);
  assert.ok(Math.abs(bars[1]! - (1 - betas[0]!) * (1 - betas[1]!)) < 1e-15);
  // mean m_t = √(1 − β) m_{t−1}, variance v_t = (1 − β) v_{t−1} + β, from x0 = 3 (v_0 = 0)
  let [m, v] = [3, 0];
  betas.forEach((beta, i) => {
    [m, v] = [Math.sqrt(1 - beta) * m, (1 - beta) * v + beta];
    assert.ok(Math.abs(m - Math.sqrt(bars[i]!) * 3) < 1e-12 && Math.abs(v - (1 - bars[i]!)) < 1e-12);
  });
  assert.throws(() => linearBetaSchedule(0), /steps/);
  assert.throws(() => cumulativeAlphas([0.5, 1]), /betas\[1\]/);
});

test("noisedSample is √ᾱ·x0 + √(1 − ᾱ)·ε", () => {
  const out = tf.tidy(() => Array.from(noisedSample(tf.tensor2d([[2, -1]]), 0.64, tf.tensor2d([[0.5, 1]])).dataSync()));
  assert.ok(Math.abs(out[0]! - (0.8 * 2 + 0.6 * 0.5)) < 1e-6 && Math.abs(out[1]! - (0.8 * -1 + 0.6)) < 1e-6);
});

test("with the exact noise predictor for a point mass at c, ancestral sampling lands on c; no leak", () => {
  const betas = linearBetaSchedule(20, 1e-2, 0.3);
  const bars = cumulativeAlphas(betas);
  const c = tf.tensor2d([[1.5, -0.5]]);
  const oracle = (x: tf.Tensor2D, t: number) => tf.div(tf.sub(x, tf.mul(Math.sqrt(bars[t - 1]!), c)), Math.sqrt(1 - bars[t - 1]!)) as tf.Tensor2D;
  const before = tf.memory().numTensors;
  const samples = ddpmSample(oracle, { n: 50, dim: 2, betas, seed: 1 });
  const values = samples.arraySync();
  samples.dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.ok(values.every(([x, y]) => Math.abs(x! - 1.5) < 1e-3 && Math.abs(y! + 0.5) < 1e-3), JSON.stringify(values[0]));
  c.dispose();
});
