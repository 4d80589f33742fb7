import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { laplaceSample, orthonormalDesign } from "../../../lib/math/random-designs";

test("orthonormalDesign: XᵀX = nI to round-off for several shapes", () => {
  const rng = new Random(0);
  for (const [n, d] of [[10, 1], [12, 5], [40, 6], [7, 7]] as const) {
    const X = orthonormalDesign(n, d, rng);
    assert.equal(X.length, n);
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        const dot = X.reduce((s, row) => s + row[a]! * row[b]!, 0);
        assert.ok(Math.abs(dot - (a === b ? n : 0)) < 1e-9 * n, `n = ${n}, d = ${d}, (${a}, ${b}): ${dot}`);
      }
    }
  }
  assert.throws(() => orthonormalDesign(3, 4, rng), /1 ≤ d ≤ n/);
});

test("laplaceSample: mean 0, E|w| = b and Var = 2b² over 200,000 draws (within 4 standard errors)", () => {
  const rng = new Random(1);
  const b = 0.7;
  const n = 200_000;
  const draws = Array.from({ length: n }, () => laplaceSample(rng, b));
  const mean = draws.reduce((s, v) => s + v, 0) / n;
  const meanAbs = draws.reduce((s, v) => s + Math.abs(v), 0) / n;
  const variance = draws.reduce((s, v) => s + v * v, 0) / n;
  assert.ok(Math.abs(mean) < 4 * Math.sqrt((2 * b * b) / n), `mean ${mean}`);
  assert.ok(Math.abs(meanAbs - b) < 4 * (b / Math.sqrt(n)), `E|w| ${meanAbs}`); // |w| ~ Exp(b): sd b
  assert.ok(Math.abs(variance - 2 * b * b) < 4 * Math.sqrt((24 - 4) * b ** 4 / n), `variance ${variance}`); // E w⁴ = 24b⁴
  assert.throws(() => laplaceSample(rng, 0), /scale b/);
});
