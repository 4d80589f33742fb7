import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { laplaceMechanism, laplaceScale } from "../../../lib/responsible/privacy";

test("Laplace mechanism: scale Δ/ε, mean the true value and variance 2(Δ/ε)² within sampling error", () => {
  assert.equal(laplaceScale(1, 0.5), 2);
  const rng = new Random(3);
  const n = 40000;
  const noise = Array.from({ length: n }, () => laplaceMechanism(10, { sensitivity: 1, epsilon: 0.5 }, rng) - 10);
  const mean = noise.reduce((a, b) => a + b, 0) / n;
  const variance = noise.reduce((a, b) => a + b * b, 0) / n;
  // Laplace(b = 2): variance 8, fourth moment 24 b⁴ = 384, so the variance estimate's standard error is √((384 − 64)/n).
  assert.ok(Math.abs(mean) < 4 * Math.sqrt(8 / n), `mean ${mean}`);
  assert.ok(Math.abs(variance - 8) < 4 * Math.sqrt(320 / n), `variance ${variance}`);
});

test("bad ε, sensitivity or value are refused", () => {
  assert.throws(() => laplaceScale(1, 0), /epsilon/);
  assert.throws(() => laplaceScale(-1, 1), /sensitivity/);
  assert.throws(() => laplaceMechanism(NaN, { sensitivity: 1, epsilon: 1 }, new Random(0)), /trueValue/);
});
