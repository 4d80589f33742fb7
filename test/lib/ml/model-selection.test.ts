import { test } from "node:test";
import * as assert from "node:assert/strict";
import { kFold } from "../../../lib/split";
import type { Classifier, Labels, Matrix } from "../../../lib/ml/base";
import { HalvingSearchCV, RandomizedSearchCV, crossValScore, parameterGrid, sampleParameters, type Params } from "../../../lib/ml/model-selection";

/**
 * A classifier whose accuracy is known in advance: row i is [label, u] and the model answers the true label when
 * u < quality, a wrong one otherwise. Its accuracy on rows is the fraction with u < quality.
 */
class QualityClassifier implements Classifier<{ quality: number }> {
  fitted = false;
  constructor(readonly params: { quality: number }) {}
  fit(): this {
    this.fitted = true;
    return this;
  }
  predict(X: Matrix): Labels {
    return X.map(([label, u]) => (u! < this.params.quality ? label! : label! + 1));
  }
  score(X: Matrix, y: Labels): number {
    return this.predict(X).filter((p, i) => p === y[i]).length / y.length;
  }
}
const n = 60;
const X = Array.from({ length: n }, (_, i) => [i % 2, ((i * 37) % n) / n]);
const y = X.map((row) => row[0]!);
const fractionBelow = (rows: number[], quality: number) => rows.filter((i) => X[i]![1]! < quality).length / rows.length;

test("sampleParameters is reproducible, stays in range, and log-uniform is uniform in log space", () => {
  const space = { lr: { kind: "loguniform", low: 1e-4, high: 1 }, units: { kind: "choice", values: [4, 8] }, depth: { kind: "int", low: 1, high: 3 }, p: { kind: "uniform", low: -1, high: 1 } } as const;
  const a = sampleParameters(space, 4000, 5);
  assert.deepEqual(sampleParameters(space, 4000, 5), a);
  assert.notDeepEqual(sampleParameters(space, 4000, 6), a);
  for (const c of a) {
    assert.ok((c.lr as number) >= 1e-4 && (c.lr as number) <= 1 && [4, 8].includes(c.units as number) && [1, 2, 3].includes(c.depth as number) && Math.abs(c.p as number) <= 1);
  }
  // Each decade of [1e-4, 1] holds a quarter of the draws (± 4 standard errors of a binomial with n = 4000).
  for (let decade = -4; decade < 0; decade++) {
    const share = a.filter((c) => Math.log10(c.lr as number) >= decade && Math.log10(c.lr as number) < decade + 1).length / a.length;
    assert.ok(Math.abs(share - 0.25) < 4 * Math.sqrt(0.25 * 0.75 / 4000), `decade ${decade}: ${share}`);
  }
  assert.deepEqual(new Set(a.map((c) => c.depth)), new Set([1, 2, 3]), "int includes both ends");
  assert.throws(() => sampleParameters({ lr: { kind: "loguniform", low: 0, high: 1 } }, 1, 0), /paramDistributions.lr must be 0 < low ≤ high/);
  assert.throws(() => sampleParameters({ u: { kind: "choice", values: [] } }, 1, 0), /paramDistributions.u.values must be a non-empty array/);
  assert.throws(() => sampleParameters({ u: { kind: "uniform", low: 0, high: 1 } }, 0, 0), /nIter must be an integer ≥ 1, got 0/);
});

test("parameterGrid lists every combination, the last key fastest", () => {
  assert.deepEqual(parameterGrid({ a: [1, 2], b: ["x", "y", "z"] }), [
    { a: 1, b: "x" }, { a: 1, b: "y" }, { a: 1, b: "z" }, { a: 2, b: "x" }, { a: 2, b: "y" }, { a: 2, b: "z" },
  ]);
  assert.throws(() => parameterGrid({ a: [] }), /grid.a must be a non-empty array/);
});

test("crossValScore fits a fresh model per fold and scores it on that fold's test part", () => {
  const folds = kFold(n, { k: 4, shuffle: true, seed: 2 });
  const made: QualityClassifier[] = [];
  const scores = crossValScore(() => {
    const model = new QualityClassifier({ quality: 0.5 });
    made.push(model);
    return model;
  }, X, y, folds);
  assert.equal(made.length, 4);
  assert.ok(made.every((m) => m.fitted));
  assert.deepEqual(scores, folds.map((f) => fractionBelow(f.test, 0.5)));
  assert.throws(() => crossValScore(() => new QualityClassifier({ quality: 1 }), X, y, [{ train: [0], test: [n] }]), /folds\[0\] holds index 60, outside 0…59/);
});

test("RandomizedSearchCV scores each sampled configuration on every fold, picks the best, refits, and repeats itself", () => {
  const space = { quality: { kind: "uniform", low: 0, high: 1 } } as const;
  const run = (seed: number) => new RandomizedSearchCV({ estimator: (p) => new QualityClassifier(p as { quality: number }), paramDistributions: space, nIter: 8, cv: 3, seed }).fit(X, y);
  const search = run(4);
  const configs = sampleParameters(space, 8, 4);
  assert.deepEqual(search.cvResults_!.map((r) => r.params), configs);
  search.cvResults_!.forEach((r) => assert.deepEqual(r.foldScores, search.folds_!.map((f) => fractionBelow(f.test, r.params.quality as number))));
  const means = search.cvResults_!.map((r) => r.meanScore);
  assert.equal(search.bestScore_, Math.max(...means));
  assert.equal(search.bestIndex_, means.indexOf(Math.max(...means)));
  assert.ok((search.bestEstimator_ as QualityClassifier).fitted);
  assert.deepEqual(run(4).cvResults_, search.cvResults_);
  assert.notDeepEqual(run(5).cvResults_!.map((r) => r.params), search.cvResults_!.map((r) => r.params));
  assert.throws(() => new RandomizedSearchCV({ estimator: (p) => new QualityClassifier(p as { quality: number }), paramDistributions: space, nIter: -1 }), /nIter must be an integer ≥ 1/);
});

/** Score grows with the budget for every candidate, in the order of q: halving must find the largest q. */
class BudgetClassifier extends QualityClassifier {
  constructor(readonly config: Params) {
    super({ quality: (config.q as number) * (1 - 1 / (1 + (config.epochs as number))) });
  }
}

test("HalvingSearchCV follows the schedule, promotes the best ⌈n/η⌉, counts the budget exactly, and finds the best", () => {
  const candidates = Array.from({ length: 27 }, (_, i) => ({ q: ((i * 11) % 27) / 27 + 0.01 }));
  const fits: Params[] = [];
  const search = new HalvingSearchCV({
    estimator: (p) => {
      fits.push(p);
      return new BudgetClassifier(p);
    },
    candidates, resource: "epochs", minResource: 1, maxResource: 27, factor: 3, cv: 3, seed: 0,
  });
  assert.deepEqual(search.schedule(), [{ resource: 1, candidates: 27 }, { resource: 3, candidates: 9 }, { resource: 9, candidates: 3 }, { resource: 27, candidates: 1 }]);
  search.fit(X, y);
  assert.equal(search.totalResource_, 3 * (27 * 1 + 9 * 3 + 3 * 9 + 1 * 27));
  assert.equal(fits.reduce((s, p) => s + (p.epochs as number), 0), search.totalResource_, "the budget the estimators received");
  const best = candidates.map((c) => c.q).indexOf(Math.max(...candidates.map((c) => c.q)));
  assert.equal(search.bestIndex_, best);
  search.rungs_!.forEach((rung, r) => {
    const next = search.rungs_![r + 1];
    if (!next) return;
    const ranked = [...rung.candidates].sort((a, b) => candidates[b]!.q - candidates[a]!.q);
    assert.deepEqual(new Set(next.candidates), new Set(ranked.slice(0, Math.ceil(rung.candidates.length / 3))));
  });
});

test("HalvingSearchCV's schedule stops at maxResource and rounds the survivors up", () => {
  const make = (count: number, maxResource: number) => new HalvingSearchCV({ estimator: (p) => new BudgetClassifier(p), candidates: Array.from({ length: count }, (_, i) => ({ q: i / count })), resource: "epochs", minResource: 1, maxResource, factor: 3 });
  assert.deepEqual(make(27, 9).schedule().map((r) => [r.candidates, r.resource]), [[27, 1], [9, 3], [3, 9]]);
  assert.deepEqual(make(10, 100).schedule().map((r) => [r.candidates, r.resource]), [[10, 1], [4, 3], [2, 9], [1, 27]]);
  assert.throws(() => new HalvingSearchCV({ estimator: (p) => new BudgetClassifier(p), candidates: [{ q: 1, epochs: 3 }], resource: "epochs", minResource: 1, maxResource: 3 }), /candidates\[0\] sets the resource "epochs"/);
  assert.throws(() => new HalvingSearchCV({ estimator: (p) => new BudgetClassifier(p), candidates: [{ q: 1 }], resource: "epochs", minResource: 4, maxResource: 3 }), /maxResource must be an integer ≥ minResource \(4\), got 3/);
  assert.throws(() => new HalvingSearchCV({ estimator: (p) => new BudgetClassifier(p), candidates: [{ q: 1 }], resource: "epochs", minResource: 1, maxResource: 3, factor: 1 }), /factor must be an integer ≥ 2, got 1/);
});
