import { test, before } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { buildLstmForecaster, forecastNextValues, levelFreeInputs, levelFreeTargets } from "../../../lib/sequence/forecaster";
import { makeSineTrendSeries } from "../../../lib/sequence/series";
import { slidingWindows } from "../../../lib/sequence/windows";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

test("level-free windows: inputs minus the last value, targets the next change, forecasts back on the original scale", () => {
  const X = [[1, 2, 4], [10, 10, 11]];
  const inputs = levelFreeInputs(X, 2);
  assert.deepEqual(inputs.shape, [2, 3, 1]);
  assert.deepEqual(inputs.arraySync(), [[[-1.5], [-1], [0]], [[-0.5], [-0.5], [0]]]);
  assert.deepEqual(levelFreeTargets(X, [5, 9], 2).arraySync(), [[0.5], [-1]]);
  tf.dispose(inputs);
  const model = buildLstmForecaster({ window: 3, units: 2, seed: 0 });
  // at initialisation the linear skip is zero, so the forecast is last value + scale × the LSTM head's output
  const forecasts = forecastNextValues(model, X, 2);
  assert.equal(forecasts.length, 2);
  forecasts.forEach((v, i) => assert.ok(Number.isFinite(v) && Math.abs(v - X[i]![2]!) < 2, `${v}`));
  model.dispose();
  assert.throws(() => levelFreeInputs(X, 0), /scale/);
  assert.throws(() => buildLstmForecaster({ window: 0, units: 2, seed: 0 }), /window/);
});

test("training leaks no tensors: tf.memory().numTensors is flat across epochs", async () => {
  const { y } = makeSineTrendSeries({ length: 120, seed: 1 });
  const windows = slidingWindows(y, 10, 1);
  const next = windows.y.map((row) => row[0]!);
  const model = buildLstmForecaster({ window: 10, units: 4, seed: 1 });
  const x = levelFreeInputs(windows.X, 0.1);
  const target = levelFreeTargets(windows.X, next, 0.1);
  const counts: number[] = [];
  for (let epoch = 0; epoch < 3; epoch++) {
    await model.fit(x, target, { epochs: 1, batchSize: 32, verbose: 0 });
    forecastNextValues(model, windows.X, 0.1);
    counts.push(tf.memory().numTensors);
  }
  assert.equal(counts[1], counts[0], `${counts}`);
  assert.equal(counts[2], counts[0], `${counts}`);
  tf.dispose([x, target]);
  model.dispose();
});
