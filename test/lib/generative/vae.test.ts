import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { gaussianKlToStandardNormal, reparameterize } from "../../../lib/generative/vae";

before(async () => {
  await setupTf({ backend: "cpu", announce: false });
});

test("KL closed form: 0 at the prior; by hand for one dimension; equal to a Monte-Carlo estimate within 4 standard errors", () => {
  tf.tidy(() => {
    assert.ok(Array.from(gaussianKlToStandardNormal(tf.zeros([2, 3]), tf.zeros([2, 3])).dataSync()).every((v) => v === 0));
    // μ = 1, σ² = e: −½(1 + 1 − 1 − e) = (e − 1)/2
    const one = gaussianKlToStandardNormal(tf.tensor2d([[1]]), tf.tensor2d([[1]])).dataSync()[0]!;
    assert.ok(Math.abs(one - (Math.E - 1) / 2) < 1e-6);
  });
  const rng = new Random(4);
  const [mu, logVar] = [[0.7, -1.2], [-0.5, 0.8]];
  const closed = tf.tidy(() => gaussianKlToStandardNormal(tf.tensor2d([mu]), tf.tensor2d([logVar])).dataSync()[0]!);
  const logNormal = (x: number, m: number, v: number) => -0.5 * Math.log(2 * Math.PI * v) - ((x - m) ** 2) / (2 * v);
  const samples = Array.from({ length: 40_000 }, () => mu.reduce((s, m, j) => {
    const z = m + Math.exp(logVar[j]! / 2) * rng.normal();
    return s + logNormal(z, m, Math.exp(logVar[j]!)) - logNormal(z, 0, 1);
  }, 0));
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const se = Math.sqrt(samples.reduce((s, v) => s + (v - mean) ** 2, 0) / (samples.length - 1) / samples.length);
  assert.ok(Math.abs(mean - closed) < 4 * se, `MC ${mean} ± ${se} vs closed form ${closed}`);
});

test("reparameterisation: z = μ + σ·ε exactly, and its gradient w.r.t. μ and logVar equals finite differences", () => {
  const eps = tf.tensor2d([[0.3, -1.1]]);
  const f = (m: tf.Tensor2D, lv: tf.Tensor2D) => tf.sum(tf.square(tf.sub(reparameterize(m, lv, eps), 0.5))) as tf.Scalar;
  const [mu, logVar] = [tf.tensor2d([[0.2, -0.4]]), tf.tensor2d([[0.1, -0.6]])];
  const z = reparameterize(mu, logVar, eps).dataSync();
  assert.ok(Math.abs(z[0]! - (0.2 + Math.exp(0.05) * 0.3)) < 1e-6);
  const [gMu, gLogVar] = tf.grads((m: tf.Tensor, lv: tf.Tensor) => f(m as tf.Tensor2D, lv as tf.Tensor2D))([mu, logVar]).map((g) => g.dataSync());
  const h = 1e-3;
  const at = (dm: number[], dl: number[]) => tf.tidy(() => f(tf.tensor2d([[0.2 + dm[0]!, -0.4 + dm[1]!]]), tf.tensor2d([[0.1 + dl[0]!, -0.6 + dl[1]!]])).dataSync()[0]!);
  for (let j = 0; j < 2; j += 1) {
    const e = [0, 0].map((_, k) => (k === j ? h : 0));
    const ne = e.map((v) => -v);
    assert.ok(Math.abs(gMu![j]! - (at(e, [0, 0]) - at(ne, [0, 0])) / (2 * h)) < 2e-3, `dμ${j}`);
    assert.ok(Math.abs(gLogVar![j]! - (at([0, 0], e) - at([0, 0], ne)) / (2 * h)) < 2e-3, `dlogVar${j}`);
  }
  tf.dispose([eps, mu, logVar]);
});

test("shapes are checked", () => {
  tf.tidy(() => {
    assert.throws(() => gaussianKlToStandardNormal(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 2]) as tf.Tensor2D), /mu and logVar must both be \[batch, latent\]/);
    assert.throws(() => reparameterize(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([3, 3]) as tf.Tensor2D), /epsilon/);
  });
});
