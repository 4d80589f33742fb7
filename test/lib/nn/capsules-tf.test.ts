import { test } from "node:test";
import * as assert from "node:assert/strict";
import { dynamicRouting, marginLoss, squash } from "../../../lib/nn/capsules";
import { marginLossTf, routingTf, squashTf } from "../../../lib/nn/capsules-tf";
import { Random } from "../../../lib/random";
import { setupTf, tf } from "../../../lib/tf";

const closeAll = (a: number[], b: number[], tol: number, what: string) =>
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= tol, `${what}[${i}]: ${v} vs ${b[i]}`));

test("squashTf, routingTf and marginLossTf equal the float64 reference of lib/nn/capsules", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const rng = new Random(5);
  const vectors = Array.from({ length: 50 }, () => rng.array(8, (r) => r.normal(0, 10 ** rng.uniform(-2, 2))));
  closeAll(Array.from(tf.tidy(() => squashTf(tf.tensor2d(vectors))).dataSync()), vectors.flatMap(squash), 1e-6, "squash");
  const uHat = Array.from({ length: 6 }, () => Array.from({ length: 3 }, () => rng.array(4, (r) => r.normal())));
  for (const iterations of [1, 2, 3]) {
    closeAll(Array.from(tf.tidy(() => routingTf(tf.tensor4d([uHat]), iterations)).dataSync()), dynamicRouting(uHat, iterations).v.flat(), 1e-6, `routing ${iterations}`);
  }
  const lengths = [[0.95, 0.3, 0.05, 0.5], [0.2, 0.85, 0.6, 0.0]];
  const expected = (marginLoss(lengths[0]!, 0) + marginLoss(lengths[1]!, 1)) / 2;
  const ours = tf.tidy(() => marginLossTf(tf.tensor2d(lengths), tf.tensor2d([[1, 0, 0, 0], [0, 1, 0, 0]])).dataSync()[0]!);
  assert.ok(Math.abs(ours - expected) < 1e-7, `${ours} vs ${expected}`);
  assert.throws(() => routingTf(tf.zeros([2, 3, 4]), 3), /uHat must be \[batch\]\[children\]\[parents\]\[dim\], got shape \[2, 3, 4\]/);
});
