import { test } from "node:test";
import * as assert from "node:assert/strict";
import { convOutputSize } from "../../../lib/nn/conv";
import { digitCnn, digitMlp } from "../../../lib/nn/models";
import { setupTf, tf } from "../../../lib/tf";

test("digitCnn has the parameter count of its closed form and named backbone / head layers", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const model = digitCnn({ seed: 0, filters: [8, 16], kernelSize: 5, denseUnits: 32, classes: 7 });
  // conv: (k·k·c_in + 1)·c_out; each 'valid' conv shrinks by k − 1, each pool halves (floor).
  const side1 = Math.floor(convOutputSize(28, 5) / 2);
  const side2 = Math.floor(convOutputSize(side1, 5) / 2);
  const expected = (25 * 1 + 1) * 8 + (25 * 8 + 1) * 16 + (side2 * side2 * 16 + 1) * 32 + (32 + 1) * 7;
  assert.equal(model.countParams(), expected);
  assert.deepEqual(model.outputs[0]!.shape, [null, 7]);
  const names = model.layers.map((l) => l.name);
  assert.ok(names.slice(0, 5).every((n) => n.startsWith("backbone_")) && names.slice(5).every((n) => n.startsWith("head_")), names.join(" "));
  model.dispose();
});

test("the same seed builds the same weights whatever ran before; another seed builds others", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const weights = (m: tf.Sequential) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));
  const a = digitCnn({ seed: 3 });
  tf.randomNormal([10]).dispose(); // disturb any global random state
  const b = digitCnn({ seed: 3 });
  const c = digitCnn({ seed: 4 });
  assert.deepEqual(weights(a), weights(b));
  assert.notDeepEqual(weights(a), weights(c));
  const m1 = digitMlp({ hidden: [16], seed: 1 });
  const m2 = digitMlp({ hidden: [16], seed: 1 });
  assert.deepEqual(weights(m1), weights(m2));
  assert.equal(m1.countParams(), (784 + 1) * 16 + (16 + 1) * 10);
  [a, b, c, m1, m2].forEach((m) => m.dispose());
});

test("bad options name the option and the value", () => {
  assert.throws(() => digitCnn({ seed: 0, kernelSize: 0 }), /kernelSize must be an integer ≥ 1, got 0/);
  assert.throws(() => digitCnn({ seed: 0.5 }), /seed must be an integer, got 0.5/);
  assert.throws(() => digitMlp({ hidden: [], seed: 0 }), /hidden must list at least one layer/);
  assert.throws(() => digitCnn({ seed: 0, dropout: 1 }), /dropout must be in \[0, 1\), got 1/);
});

test("the head's dropout draws a new mask on every training call (a seeded tfjs Dropout would repeat one)", async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
  const model = digitCnn({ seed: 0, filters: [2, 2], denseUnits: 64, dropout: 0.5 });
  const dropout = model.getLayer("head_dropout1");
  const x = tf.ones([1, 256]);
  const masks = [0, 1].map(() => tf.tidy(() => Array.from((dropout.apply(x, { training: true }) as tf.Tensor).dataSync()).map((v) => (v === 0 ? 0 : 1)).join("")));
  assert.notEqual(masks[0], masks[1]);
  x.dispose();
  model.dispose();
});
