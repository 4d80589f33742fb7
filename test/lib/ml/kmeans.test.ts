import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadIris, loadWine } from "../../../lib/data";
import { makeBlobs } from "../../../lib/datasets";
import { Random } from "../../../lib/random";
import { NotFittedError } from "../../../lib/ml/base";
import { KMeans, kmeansPlusPlus } from "../../../lib/ml/kmeans";
import { adjustedRandScore, silhouetteScore } from "../../../lib/ml/metrics";
import { SKLEARN_FIXTURES } from "../../helpers/paths";

interface Run {
  initRows: number[];
  params: { tol?: number; max_iter?: number };
  centers: number[][];
  labels: number[];
  inertia: number;
  nIter: number;
}
interface Fixture {
  sklearn: string;
  iris: Run[];
  irisKmeansPlusPlus: { inertia: number };
  wine: Run[];
}

const fixture = JSON.parse(fs.readFileSync(path.join(SKLEARN_FIXTURES, "kmeans-models.json"), "utf8")) as Fixture;

// Three blobs, σ = 0.5, centres ≥ 5 apart, 200 points each.
const TRUE_CENTERS = [[0, 0], [6, 0], [3, 5]];
const blobs = makeBlobs({ nSamples: 600, centers: TRUE_CENTERS, clusterStd: 0.5, seed: 0 });

const permutations = (n: number): number[][] =>
  n === 1 ? [[0]] : permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, j) => v - b[j]!));

for (const [name, load, runs] of [["iris", loadIris, fixture.iris], ["wine", loadWine, fixture.wine]] as const) {
  test(`Lloyd from the same starting centres equals scikit-learn on ${name}: centres, labels, inertia, iterations`, () => {
    const X = load().data;
    for (const run of runs) {
      const init = run.initRows.map((i) => X[i]!);
      const km = new KMeans({ nClusters: init.length, init, tol: run.params.tol ?? 1e-4, maxIter: run.params.max_iter ?? 300 }).fit(X);
      const where = `init rows ${run.initRows.join(",")}`;
      assert.deepEqual(km.labels_, run.labels, where);
      km.clusterCenters_!.flat().forEach((v, i) => assert.ok(Math.abs(v - run.centers.flat()[i]!) < 1e-9, `${where}: centre value ${i}`));
      assert.ok(Math.abs(km.inertia_! - run.inertia) <= 1e-9 * run.inertia, `${where}: inertia ${km.inertia_} vs ${run.inertia}`);
      assert.equal(km.nIter_, run.nIter, where);
      assert.deepEqual(km.initCenters_, init);
    }
  });
}

test("k-means++ with restarts reaches scikit-learn's best iris inertia", () => {
  const km = new KMeans({ nClusters: 3, nInit: 10, seed: 0 }).fit(loadIris().data);
  assert.ok(km.inertia_! <= fixture.irisKmeansPlusPlus.inertia * (1 + 1e-9), `${km.inertia_} vs ${fixture.irisKmeansPlusPlus.inertia}`);
});

test("Lloyd recovers the blob centres within 0.1 and each centre is its cluster's mean; ARI = 1", () => {
  const km = new KMeans({ nClusters: 3, seed: 0 }).fit(blobs.X);
  const centers = km.clusterCenters_!;
  const best = permutations(3)
    .map((p) => ({ p, error: Math.max(...p.map((k, t) => distance(centers[k]!, TRUE_CENTERS[t]!))) }))
    .sort((a, b) => a.error - b.error)[0]!;
  assert.ok(best.error < 0.1, `max centre error ${best.error}`);
  assert.equal(adjustedRandScore(blobs.y, km.labels_!), 1);
  best.p.forEach((k, t) => {
    const members = blobs.X.filter((_, i) => blobs.y[i] === t);
    const mean = [0, 1].map((j) => members.reduce((s, x) => s + x[j]!, 0) / members.length);
    mean.forEach((m, j) => assert.ok(Math.abs(centers[k]![j]! - m) < 1e-9));
  });
});

test("inertia never increases across iterations; labels are the brute-force nearest centres", () => {
  const X = loadIris().data;
  for (const init of ["random", "k-means++"] as const) {
    for (const seed of [0, 1, 2]) {
      const km = new KMeans({ nClusters: 4, init, nInit: 1, tol: 0, seed }).fit(X);
      const history = km.inertiaHistory_!;
      history.forEach((v, t) => assert.ok(t === 0 || v - history[t - 1]! <= 1e-9, `${init} seed ${seed}: step ${t} rose ${history[t - 1]} → ${v}`));
      assert.ok(km.inertia_! <= history.at(-1)! + 1e-9);
      assert.equal(km.centerHistory_!.length, km.nIter_! + 1);
      const brute = X.map((x) => {
        const d = km.clusterCenters_!.map((c) => distance(x, c));
        return d.indexOf(Math.min(...d));
      });
      assert.deepEqual(km.predict(X), brute);
      assert.deepEqual(km.labels_, brute);
    }
  }
});

test("k-means++ samples the next centre with probability D²/ΣD² (chi-square, 20,000 draws)", () => {
  const X = [[0, 0], [1, 0], [0, 2], [3, 0], [4, 4], [-2, 1], [0.5, 0.5], [5, -1]];
  const d2 = X.map((x) => distance(x, X[0]!) ** 2);
  const total = d2.reduce((s, v) => s + v, 0);
  const draws = 20_000;
  const counts = new Array<number>(X.length).fill(0);
  const rng = new Random(0);
  for (let t = 0; t < draws; t++) counts[kmeansPlusPlus(X, 2, rng, { firstIndex: 0 })[1]!]! += 1;
  assert.equal(counts[0], 0, "the first centre itself has D = 0");
  let chi2 = 0;
  for (let i = 1; i < X.length; i++) chi2 += (counts[i]! - (draws * d2[i]!) / total) ** 2 / ((draws * d2[i]!) / total);
  // 6 degrees of freedom: P(χ² > 22.46) = 0.001.
  assert.ok(chi2 < 22.46, `chi-square ${chi2}, counts ${counts}`);
  // Sampling ∝ D (the seed's bug) is rejected by the same test.
  const d = d2.map(Math.sqrt);
  const dTotal = d.reduce((s, v) => s + v, 0);
  let chi2D = 0;
  for (let i = 1; i < X.length; i++) chi2D += (counts[i]! - (draws * d[i]!) / dTotal) ** 2 / ((draws * d[i]!) / dTotal);
  assert.ok(chi2D > 22.46, `D-sampling chi-square ${chi2D}`);
});

test("k-means++ puts one seed in each blob more often than random init", () => {
  const rng = new Random(1);
  let plusPlus = 0;
  let random = 0;
  for (let t = 0; t < 200; t++) {
    const oneEach = (rows: number[]) => new Set(rows.map((i) => blobs.y[i])).size === 3;
    if (oneEach(kmeansPlusPlus(blobs.X, 3, rng))) plusPlus++;
    if (oneEach(rng.sampleIndices(blobs.X.length, 3))) random++;
  }
  assert.ok(plusPlus > random, `k-means++ ${plusPlus}/200 vs random ${random}/200`);
  // Expected ≈ 0.93 for k-means++ (5,000-draw estimate) and 6·(1/3)³ ≈ 0.22 for random rows.
  assert.ok(plusPlus >= 170 && random <= 70, `k-means++ ${plusPlus}/200, random ${random}/200`);
});

test("elbow and silhouette: inertia strictly decreases in k, silhouette peaks at k = 3", () => {
  const fits = [2, 3, 4, 5, 6].map((k) => new KMeans({ nClusters: k, nInit: 3, seed: 0 }).fit(blobs.X));
  fits.forEach((f, i) => assert.ok(i === 0 || f.inertia_! < fits[i - 1]!.inertia_!));
  const silhouettes = fits.map((f) => silhouetteScore(blobs.X, f.labels_!));
  assert.equal(silhouettes.indexOf(Math.max(...silhouettes)), 1, `silhouettes ${silhouettes}`);
});

test("estimator shape: params unchanged, fit returns this, NotFittedError, named errors", () => {
  const km = new KMeans({ nClusters: 2 });
  assert.deepEqual(km.params, { nClusters: 2, init: "k-means++", nInit: "auto", maxIter: 300, tol: 1e-4, seed: 0 });
  assert.throws(() => km.predict([[0]]), NotFittedError);
  assert.equal(km.fit([[0], [1], [10]]), km);
  assert.equal(km.transform([[0]])[0]!.length, 2);
  assert.ok(Math.abs(km.score([[0], [1], [10]]) + km.inertia_!) < 1e-12);
  assert.throws(() => new KMeans({ nClusters: 0 }), /nClusters must be an integer ≥ 1, got 0/);
  assert.throws(() => new KMeans({ init: "kmeans" as "random" }), /init must be "k-means\+\+", "random" or a matrix of centres, got "kmeans"/);
  assert.throws(() => new KMeans({ nClusters: 5 }).fit([[0], [1]]), /nClusters must be ≤ the number of samples \(2\), got 5/);
  assert.throws(() => new KMeans({ nClusters: 2, init: [[0]] }), /init must be 2 rows \(nClusters\)/);
  // Same seed, same clustering.
  const a = new KMeans({ nClusters: 3, init: "random", seed: 5 }).fit(loadIris().data);
  const b = new KMeans({ nClusters: 3, init: "random", seed: 5 }).fit(loadIris().data);
  assert.deepEqual(a.clusterCenters_, b.clusterCenters_);
});
