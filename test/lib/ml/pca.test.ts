import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { PCA } from "../../../lib/ml/pca";

function correlatedData(rng: Random, n: number, d: number): number[][] {
  const mixing = Array.from({ length: d }, () => Array.from({ length: d }, () => rng.normal()));
  return Array.from({ length: n }, () => {
    const z = Array.from({ length: d }, (_, k) => rng.normal() * (d - k));
    return mixing.map((row) => row.reduce((s, m, k) => s + m * z[k]!, 5));
  });
}

test("the reconstruction error equals the dropped eigenvalues' sum over the feature count (Eckart–Young), for every k", () => {
  const X = correlatedData(new Random(1), 200, 6);
  for (let k = 1; k <= 6; k += 1) {
    const pca = new PCA({ nComponents: k }).fit(X);
    const dropped = pca.explainedVariance_.slice(k).reduce((a, b) => a + b, 0) / 6;
    assert.ok(Math.abs(pca.reconstructionError(X) - dropped) < 1e-9 * Math.max(1, dropped), `k = ${k}`);
  }
});

test("components are orthonormal, by decreasing variance, and the projected variance equals the eigenvalue", () => {
  const X = correlatedData(new Random(2), 300, 5);
  const pca = new PCA({ nComponents: 3 }).fit(X);
  pca.components_.forEach((a, i) => pca.components_.forEach((b, j) => assert.ok(Math.abs(a.reduce((s, v, k) => s + v * b[k]!, 0) - (i === j ? 1 : 0)) < 1e-9)));
  assert.ok(pca.explainedVariance_.every((v, k) => k === 0 || v <= pca.explainedVariance_[k - 1]!));
  const Z = pca.transform(X);
  for (let c = 0; c < 3; c += 1) {
    const variance = Z.reduce((s, z) => s + z[c]! ** 2, 0) / X.length;
    assert.ok(Math.abs(variance - pca.explainedVariance_[c]!) < 1e-8 * pca.explainedVariance_[c]!);
  }
});

test("all components reconstruct exactly; bad input is refused", () => {
  const X = correlatedData(new Random(3), 50, 4);
  const full = new PCA({ nComponents: 4 }).fit(X);
  assert.ok(full.reconstructionError(X) < 1e-18 * 1e6);
  assert.throws(() => new PCA({ nComponents: 0 }), /nComponents must be a positive integer/);
  assert.throws(() => new PCA({ nComponents: 5 }).fit(X), /nComponents 5 > 4 features/);
  assert.throws(() => new PCA({ nComponents: 1 }).fit([[1, 2], [3]]), /row 1 has 1 features/);
  assert.throws(() => new PCA({ nComponents: 1 }).transform(X), /call fit first/);
});
