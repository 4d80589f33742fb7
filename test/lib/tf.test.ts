import { test } from "node:test";
import * as assert from "node:assert/strict";
import { nextSeed, setupTf, tf } from "../../lib/tf";

test("setupTf picks the best available backend and can be forced", async () => {
  const auto = await setupTf({ announce: false });
  // Native TensorFlow is an optional install; without it the fast offline backend must win.
  assert.equal(auto.backend, tf.findBackendFactory("tensorflow") ? "tensorflow" : "wasm");
  const forced = await setupTf({ backend: "cpu", announce: false });
  assert.equal(forced.backend, "cpu");
  assert.equal(tf.getBackend(), "cpu");
});

test("the cpu backend's install-tfjs-node banner is silenced, numerics unchanged", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const warnings: unknown[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args);
  try {
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
    assert.equal(y, 11);
  } finally {
    console.warn = original;
  }
  assert.deepEqual(warnings, []);
});

test("seeded setup makes initializers and nextSeed repeatable", async () => {
  const draw = async () => {
    await setupTf({ backend: "cpu", seed: 3, announce: false });
    const layer = tf.layers.dense({ units: 3, inputShape: [2] });
    const model = tf.sequential({ layers: [layer] });
    const weights = Array.from(model.getWeights()[0]!.dataSync());
    const noise = tf.tidy(() => Array.from(tf.randomNormal([4], 0, 1, "float32", nextSeed()).dataSync()));
    model.dispose();
    return [...weights, ...noise];
  };
  assert.deepEqual(await draw(), await draw());
});

test("a bad backend name is an error that lists the choices", async () => {
  process.env.TFJS_BACKEND = "gpu";
  try {
    await assert.rejects(setupTf({ announce: false }), /TFJS_BACKEND must be one of tensorflow, wasm, cpu; got "gpu"/);
  } finally {
    delete process.env.TFJS_BACKEND;
  }
});
