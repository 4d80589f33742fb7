import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { dpoLoss } from "../../../lib/nn/preference";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

const logSigmoid = (z: number) => -Math.log1p(Math.exp(-z));

test("dpoLoss = −weighted mean log σ(β·Δ), written out in float64, and its gradient is −β·σ(−βΔ) per pair", () => {
  const policyChosen = [-1.2, -3.0, -0.4];
  const policyRejected = [-2.5, -1.0, -0.9];
  const referenceChosen = [-1.5, -2.0, -0.7];
  const referenceRejected = [-2.0, -1.5, -0.6];
  const weights = [1, 3, 2];
  const beta = 0.5;
  const margins = policyChosen.map((_, i) => policyChosen[i]! - referenceChosen[i]! - (policyRejected[i]! - referenceRejected[i]!));
  const byHand = -margins.reduce((s, m, i) => s + weights[i]! * logSigmoid(beta * m), 0) / 6;
  const tensors = {
    policyChosen: tf.tensor1d(policyChosen), policyRejected: tf.tensor1d(policyRejected),
    referenceChosen: tf.tensor1d(referenceChosen), referenceRejected: tf.tensor1d(referenceRejected),
  };
  const loss = dpoLoss(tensors, { beta, weights: tf.tensor1d(weights) }).dataSync()[0]!;
  assert.ok(Math.abs(loss - byHand) < 1e-6 * byHand, `${loss} vs ${byHand}`);
  const unweighted = -margins.reduce((s, m) => s + logSigmoid(beta * m), 0) / 3;
  assert.ok(Math.abs(dpoLoss(tensors, { beta }).dataSync()[0]! - unweighted) < 1e-6);
  // d loss / d log π(y_w) = −β σ(−βΔ) · w / Σw: the policy is pushed up on the chosen, down on the rejected.
  const grad = tf.grad((chosen: tf.Tensor) => dpoLoss({ ...tensors, policyChosen: chosen as tf.Tensor1D }, { beta, weights: tf.tensor1d(weights) }))(tensors.policyChosen).arraySync() as number[];
  margins.forEach((m, i) => {
    const expected = -beta * (1 / (1 + Math.exp(beta * m))) * weights[i]! / 6;
    assert.ok(Math.abs(grad[i]! - expected) < 1e-6, `pair ${i}: ${grad[i]} vs ${expected}`);
  });
  // Stable: a huge margin gives ≈ 0, a huge negative one ≈ β·|Δ|, never Infinity or NaN.
  const extreme = dpoLoss({ policyChosen: tf.tensor1d([0, -1000]), policyRejected: tf.tensor1d([-1000, 0]), referenceChosen: tf.tensor1d([0, 0]), referenceRejected: tf.tensor1d([0, 0]) }, { beta: 1 }).dataSync()[0]!;
  assert.ok(Math.abs(extreme - 500) < 1e-3, `${extreme}`);
});

test("bad input is refused with what and where", () => {
  const one = tf.tensor1d([0]);
  const pair = { policyChosen: one, policyRejected: one, referenceChosen: one, referenceRejected: one };
  assert.throws(() => dpoLoss(pair, { beta: 0 }), /beta must be finite and > 0, got 0/);
  assert.throws(() => dpoLoss({ ...pair, referenceRejected: tf.tensor1d([0, 1]) }, { beta: 1 }), /referenceRejected must be \[1\] \(one value per pair\), got shape \[2\]/);
  assert.throws(() => dpoLoss(pair, { beta: 1, weights: tf.tensor1d([1, 1]) }), /weights must be \[1\]/);
});
