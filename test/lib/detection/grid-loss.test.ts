import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { activateGridOutput, gridDetectionLoss } from "../../../lib/detection/grid-loss";
import { encodeGridTargets } from "../../../lib/detection/grid";

before(async () => {
  await setupTf({ backend: "cpu", announce: false });
});

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The loss written out cell by cell in float64: the independent truth. */
function lossByHand(raw: Float32Array, target: Float32Array, cells: number, numClasses: number, boxWeight: number, noObjectWeight: number): number {
  const depth = 5 + numClasses;
  let total = 0;
  let objects = 0;
  for (let cell = 0; cell < cells; cell += 1) {
    const [r, t] = [raw.subarray(cell * depth, (cell + 1) * depth), target.subarray(cell * depth, (cell + 1) * depth)];
    const p = sigmoid(r[0]!);
    if (t[0] === 1) {
      objects += 1;
      total += -Math.log(p);
      for (let k = 1; k <= 4; k += 1) total += boxWeight * (sigmoid(r[k]!) - t[k]!) ** 2;
      const logits = [...r.subarray(5)];
      const logSum = Math.log(logits.reduce((sum, z) => sum + Math.exp(z), 0));
      total -= logits.reduce((sum, z, c) => sum + t[5 + c]! * (z - logSum), 0);
    } else {
      total += noObjectWeight * -Math.log(1 - p);
    }
  }
  return total / Math.max(objects, 1);
}

test("the loss equals its cell-by-cell formula on random outputs and generated targets", () => {
  const rng = new Random(2);
  const spec = { gridSize: 3, imageSize: 24, numClasses: 2 };
  for (let trial = 0; trial < 20; trial += 1) {
    const targets = [
      encodeGridTargets([{ box: [1, 1, 7, 6], label: 1 }, { box: [10, 12, 20, 22], label: 0 }], spec),
      encodeGridTargets(trial % 2 === 0 ? [] : [{ box: [16, 0, 24, 9], label: 1 }], spec),
    ];
    const target = new Float32Array(2 * 9 * 7);
    targets.forEach((t, i) => target.set(t, i * 9 * 7));
    const raw = Float32Array.from({ length: target.length }, () => rng.normal(0, 2));
    const [boxWeight, noObjectWeight] = [rng.uniform(1, 6), rng.uniform(0.1, 1)];
    const ours = tf.tidy(() => gridDetectionLoss(tf.tensor4d(raw, [2, 3, 3, 7]), tf.tensor4d(target, [2, 3, 3, 7]), { numClasses: 2, boxWeight, noObjectWeight }).dataSync()[0]!);
    const truth = lossByHand(raw, target, 18, 2, boxWeight, noObjectWeight);
    assert.ok(Math.abs(ours - truth) < 1e-4 * Math.max(1, truth), `trial ${trial}: ${ours} vs ${truth}`);
  }
});

test("a batch without objects is divided by 1, not by zero", () => {
  const raw = Float32Array.from({ length: 4 * 7 }, (_, k) => (k % 7 === 0 ? k / 10 - 1 : 0.3));
  const loss = tf.tidy(() => gridDetectionLoss(tf.tensor4d(raw, [1, 2, 2, 7]), tf.zeros([1, 2, 2, 7]) as tf.Tensor4D, { numClasses: 2 }).dataSync()[0]!);
  assert.ok(Math.abs(loss - lossByHand(raw, new Float32Array(28), 4, 2, 5, 0.5)) < 1e-5);
});

test("activation: objectness and box through σ, classes through softmax", () => {
  const raw = tf.tensor4d([0, 2, -2, 0, 1, Math.log(3), 0], [1, 1, 1, 7]);
  const out = activateGridOutput(raw, 2).dataSync();
  const expected = [0.5, sigmoid(2), sigmoid(-2), 0.5, sigmoid(1), 0.75, 0.25];
  expected.forEach((value, k) => assert.ok(Math.abs(out[k]! - value) < 1e-6, `channel ${k}: ${out[k]} vs ${value}`));
  raw.dispose();
});

test("shapes are checked, naming the argument", () => {
  tf.tidy(() => {
    assert.throws(() => gridDetectionLoss(tf.zeros([1, 2, 2, 7]) as tf.Tensor4D, tf.zeros([1, 2, 2, 8]) as tf.Tensor4D, { numClasses: 2 }), /target must be \[batch, S, S, 5 \+ 2\], got \[1, 2, 2, 8\]/);
    assert.throws(() => gridDetectionLoss(tf.zeros([1, 2, 2, 7]) as tf.Tensor4D, tf.zeros([2, 2, 2, 7]) as tf.Tensor4D, { numClasses: 2 }), /differ in shape/);
    assert.throws(() => activateGridOutput(tf.zeros([2, 2, 7]) as unknown as tf.Tensor4D, 2), /raw must be/);
  });
});
