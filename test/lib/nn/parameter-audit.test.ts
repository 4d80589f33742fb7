import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { auditOptimizerVariables } from "../../../lib/nn/parameter-audit";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

function twoPartModel() {
  const body = tf.layers.dense({ units: 4, inputShape: [3], name: "body" });
  const head = tf.layers.dense({ units: 2, name: "head" });
  const model = tf.sequential({ layers: [body, head] });
  return { body, head, model };
}

test("a frozen body and a trained head pass; the list's size is the head's parameters", () => {
  const { body, head, model } = twoPartModel();
  body.trainable = false;
  const varList = model.trainableWeights.map((w) => w.read() as tf.Variable);
  assert.deepEqual(auditOptimizerVariables(varList, { train: [head], freeze: [body] }), { missing: [], unfrozen: [], updatedParameters: 4 * 2 + 2 });
});

test("a head outside the optimizer's list (the S3-Q15 bug) and an unfrozen body are both named", () => {
  const { body, head, model } = twoPartModel();
  const bodyOnly = body.trainableWeights.map((w) => w.read() as tf.Variable);
  const audit = auditOptimizerVariables(bodyOnly, { train: [head], freeze: [body] });
  assert.deepEqual(audit.missing, head.weights.map((w) => w.name));
  assert.deepEqual(audit.unfrozen, body.weights.map((w) => w.name));
  assert.equal(audit.updatedParameters, 3 * 4 + 4);
  // a head built apart from the model, as `nn.Linear(768, 2)` inside the seed's loop
  const stray = tf.layers.dense({ units: 2, name: "stray" });
  stray.apply(tf.zeros([1, 2]));
  assert.equal(auditOptimizerVariables(model.trainableWeights.map((w) => w.read() as tf.Variable), { train: [stray] }).missing.length, 2);
});

test("an empty or unbuilt train list is refused", () => {
  assert.throws(() => auditOptimizerVariables([], { train: [] }), /layers.train is empty/);
  assert.throws(() => auditOptimizerVariables([], { train: [tf.layers.dense({ units: 2, name: "unbuilt" })] }), /\(unbuilt\) have no weights; build them first/);
});
