import { test } from "node:test";
import * as assert from "node:assert/strict";
import { loadIris } from "../../../lib/data";
import { loadClusteringFixture } from "../../../lib/fixtures/clustering";
import { makeBlobs } from "../../../lib/datasets";
import { GaussianMixture } from "../../../lib/ml/gmm";

const fixture = loadClusteringFixture(); // data/sklearn/12-kmeans-clusters.py says what each field is
const iris = loadIris();
const identity = [0, 1, 2, 3].map((a) => [0, 1, 2, 3].map((b) => (a === b ? 1 : 0)));
const largestGap = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

test("EM from a given start on iris reaches scikit-learn's fixed point: weights, means, covariances, log-likelihood, iterations, labels", () => {
  const reference = fixture.gmmIris.fromStart;
  const gmm = new GaussianMixture({
    nComponents: 3, tol: 1e-10, maxIter: 1000,
    meansInit: fixture.gmmIris.startRows.map((i) => iris.data[i]!), weightsInit: [1 / 3, 1 / 3, 1 / 3], precisionsInit: [identity, identity, identity],
  }).fit(iris.data);
  assert.ok(Math.abs(gmm.lowerBound_! - reference.lowerBound) < 1e-10);
  assert.equal(gmm.nIter_, reference.nIter);
  assert.ok(largestGap(gmm.weights_!, reference.weights) < 1e-8);
  assert.ok(largestGap(gmm.means_!.flat(), reference.means.flat()) < 1e-8);
  assert.ok(largestGap((gmm.covariances_ as number[][][]).flat(2), reference.covariances.flat(2)) < 1e-8);
  assert.deepEqual(gmm.predict(iris.data), reference.predict);
  assert.ok(Math.abs(gmm.score(iris.data) - reference.lowerBound) < 1e-8, "score = mean log-likelihood at the fitted parameters");
});

test("the k-means start with 10 restarts finds scikit-learn's best log-likelihood on iris", () => {
  const gmm = new GaussianMixture({ nComponents: 3, tol: 1e-10, maxIter: 1000, nInit: 10, seed: 0 }).fit(iris.data);
  assert.ok(Math.abs(gmm.lowerBound_! - fixture.gmmIris.best.lowerBound) < 1e-8);
});

test("restarts keep the run with the highest log-likelihood (iris, random rows as starts)", () => {
  let helped = 0;
  for (let seed = 0; seed < 5; seed++) {
    const options = { nComponents: 3, initParams: "random_from_data" as const, tol: 1e-6, maxIter: 300, seed: seed };
    // Run 0 of the ten draws the same start as the single run, so ten restarts can only do as well or better.
    const one = new GaussianMixture({ ...options, nInit: 1 }).fit(iris.data).lowerBound_!;
    const ten = new GaussianMixture({ ...options, nInit: 10 }).fit(iris.data).lowerBound_!;
    assert.ok(ten >= one - 1e-12, `seed ${seed}: ten restarts ${ten} < one ${one}`);
    if (ten > one + 1e-6) helped++;
  }
  assert.ok(helped > 0, "no restart ever improved on the first: the test has no power");
});

test("the mean log-likelihood never decreases across EM iterations (regCovar 0, 3 covariance types, 30 starts)", () => {
  const blobs = makeBlobs({ nSamples: 300, centers: [[0, 0], [3, 1], [1, 4]], clusterStd: [0.6, 1.2, 0.9], seed: 4 });
  // regCovar 0: each M-step is then the exact maximiser EM's guarantee is about. Random means, unit covariances.
  const identity2 = [[1, 0], [0, 1]];
  for (const covarianceType of ["full", "diag", "spherical"] as const) {
    for (let seed = 0; seed < 10; seed++) {
      const starts = [0, 1, 2, 3].map((k) => blobs.X[(seed * 37 + k * 71) % blobs.X.length]!);
      const gmm = new GaussianMixture({
        nComponents: 4, covarianceType: covarianceType, regCovar: 0, tol: 0, maxIter: 60, meansInit: starts, weightsInit: [0.25, 0.25, 0.25, 0.25],
        precisionsInit: covarianceType === "full" ? [identity2, identity2, identity2, identity2] : null,
      }).fit(blobs.X);
      const history = gmm.lowerBoundHistory_!;
      history.forEach((v, t) => assert.ok(t === 0 || v >= history[t - 1]! - 1e-12, `${covarianceType}, seed ${seed}, iteration ${t}: ${history[t - 1]} → ${v}`));
    }
  }
});

test("covariance shapes follow scikit-learn; responsibilities sum to 1; scoreSamples is the log of the mixture density", () => {
  const X = iris.data;
  const full = new GaussianMixture({ nComponents: 2, seed: 1 }).fit(X);
  const diag = new GaussianMixture({ nComponents: 2, covarianceType: "diag", seed: 1 }).fit(X);
  const spherical = new GaussianMixture({ nComponents: 2, covarianceType: "spherical", seed: 1 }).fit(X);
  assert.equal((full.covariances_ as number[][][])[0]!.length, 4);
  assert.equal((diag.covariances_ as number[][])[0]!.length, 4);
  assert.equal(typeof (spherical.covariances_ as number[])[0], "number");
  full.predictProba(X).forEach((row) => assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-12));
  // Density by the definition, for the diagonal model: Σ_k π_k Π_j N(x_j | μ_kj, σ²_kj).
  const variances = diag.covariances_ as number[][];
  const direct = X.slice(0, 5).map((x) => Math.log(diag.weights_!.reduce((s, w, k) => s + w * x.reduce((p, v, j) => p * Math.exp(-((v - diag.means_![k]![j]!) ** 2) / (2 * variances[k]![j]!)) / Math.sqrt(2 * Math.PI * variances[k]![j]!), 1), 0)));
  assert.ok(largestGap(diag.scoreSamples(X.slice(0, 5)), direct) < 1e-10);
});

test("bad input is named", () => {
  assert.throws(() => new GaussianMixture({ nComponents: 0 }), /nComponents must be an integer ≥ 1, got 0/);
  assert.throws(() => new GaussianMixture({ covarianceType: "tied" as "full" }), /covarianceType must be "full", "diag" or "spherical", got "tied"/);
  assert.throws(() => new GaussianMixture({ nComponents: 4 }).fit([[0], [1], [2]]), /nComponents must be ≤ the number of samples \(3\), got 4/);
  assert.throws(() => new GaussianMixture({ nComponents: 2, weightsInit: [0.2, 0.2] }).fit(iris.data), /weightsInit must be 2 positive weights summing to 1/);
  assert.throws(() => new GaussianMixture({ nComponents: 2, meansInit: [[0, 0]] }).fit(iris.data), /meansInit must be 2 rows/);
  assert.throws(() => new GaussianMixture().predict([[1]]), /GaussianMixture/);
  // Two identical points and regCovar 0: the component collapses, and the error says what to change.
  assert.throws(() => new GaussianMixture({ nComponents: 1, regCovar: 0 }).fit([[1, 1], [1, 1], [1, 1]]), /component 0 is not positive definite .* increase regCovar/);
});
