import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { expectedMaxOfNormals, maxEstimatorDraw } from "../../../lib/rl/double-estimator";

test("the max of noisy estimates is biased up by σ/√n · E[max of K normals]; the double estimator is unbiased", () => {
  const e10 = expectedMaxOfNormals(10);
  assert.ok(Math.abs(e10 - 1.538752) < 1e-4, `${e10}`); // the order-statistics table value
  assert.ok(Math.abs(expectedMaxOfNormals(2) - 1 / Math.sqrt(Math.PI)) < 1e-6);
  const rng = new Random(0);
  const draws = Array.from({ length: 4000 }, () => maxEstimatorDraw(10, 4, 1, rng));
  const single = draws.reduce((s, d) => s + d.single, 0) / draws.length;
  const double = draws.reduce((s, d) => s + d.double, 0) / draws.length;
  assert.ok(Math.abs(single - e10 / 2) < 0.03, `${single}`); // σ/√n = 1/2
  assert.ok(Math.abs(double) < 0.03, `${double}`);
});
