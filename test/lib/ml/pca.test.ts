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

/** Data whose covariance spectrum falls geometrically (scales 0.6^k), so each component is well separated from the next. */
function gappedData(rng: Random, n: number, d: number): number[][] {
  const mixing = Array.from({ length: d }, () => Array.from({ length: d }, () => rng.normal()));
  return Array.from({ length: n }, () => {
    const z = Array.from({ length: d }, (_, k) => rng.normal() * 0.6 ** k);
    return mixing.map((row) => row.reduce((s, m, k) => s + m * z[k]!, 5));
  });
}

test("the randomized solver equals the full one where the spectrum has a gap: components up to sign, variances, reconstruction", () => {
  for (const [seed, n, d, k] of [[3, 120, 30, 2], [4, 60, 90, 3], [5, 200, 12, 5]] as const) {
    const X = gappedData(new Random(seed), n, d);
    const full = new PCA({ nComponents: k }).fit(X);
    const randomized = new PCA({ nComponents: k, svdSolver: "randomized", randomState: seed }).fit(X);
    assert.equal(randomized.components_.length, k);
    assert.equal(randomized.explainedVariance_.length, k);
    randomized.components_.forEach((component, c) => {
      const cosine = component.reduce((s, v, j) => s + v * full.components_[c]![j]!, 0);
      assert.ok(Math.abs(Math.abs(cosine) - 1) < 1e-9, `seed ${seed}, component ${c}: |cos| = ${Math.abs(cosine)}`);
      const relative = Math.abs(randomized.explainedVariance_[c]! - full.explainedVariance_[c]!) / full.explainedVariance_[c]!;
      assert.ok(relative < 1e-9, `seed ${seed}, variance ${c}: relative error ${relative}`);
    });
    const errors = [full.reconstructionError(X), randomized.reconstructionError(X)];
    assert.ok(Math.abs(errors[0]! - errors[1]!) < 1e-9 * errors[0]!, `seed ${seed}: ${errors}`);
  }
});

test("the randomized solver is seeded, handles more features than samples, and refuses bad settings", () => {
  const X = correlatedData(new Random(6), 40, 400); // 400 features: the full solver's spread once overflowed the stack
  const a = new PCA({ nComponents: 2, svdSolver: "randomized", randomState: 1 }).fit(X);
  const b = new PCA({ nComponents: 2, svdSolver: "randomized", randomState: 1 }).fit(X);
  assert.deepEqual(a.components_, b.components_);
  a.components_.forEach((u, i) => a.components_.forEach((w, j) => assert.ok(Math.abs(u.reduce((s, v, t) => s + v * w[t]!, 0) - (i === j ? 1 : 0)) < 1e-9)));
  assert.throws(() => new PCA({ nComponents: 2, svdSolver: "arpack" as never }), /svdSolver must be "full" or "randomized", got "arpack"/);
  assert.throws(() => new PCA({ nComponents: 2, svdSolver: "randomized", nIter: -1 }), /nIter must be an integer ≥ 0, got -1/);
});
