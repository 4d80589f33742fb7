import { test } from "node:test";
import * as assert from "node:assert/strict";
import { loadClusteringFixture } from "../../../lib/fixtures/clustering";
import { DBSCAN } from "../../../lib/ml/dbscan";

const fixture = loadClusteringFixture(); // data/sklearn/12-kmeans-clusters.py says what each field is

for (const reference of fixture.moons.dbscan) {
  test(`DBSCAN(eps ${reference.eps}, minSamples ${reference.minSamples}) on two moons with noise = scikit-learn: labels and core rows`, () => {
    const db = new DBSCAN({ eps: reference.eps, minSamples: reference.minSamples }).fit(fixture.moons.X);
    assert.deepEqual(db.labels_, reference.labels);
    assert.deepEqual(db.coreSampleIndices_, reference.coreSampleIndices);
    assert.equal(db.nClusters_, Math.max(...reference.labels) + 1);
  });
}

test("eps is inclusive and minSamples counts the point itself (scikit-learn's semantics)", () => {
  // Points at 0, 1, 2 on a line: with eps 1 each end has 2 neighbours (itself and the middle), the middle 3.
  const X = [[0], [1], [2], [10]];
  assert.deepEqual(new DBSCAN({ eps: 1, minSamples: 3 }).fit(X).coreSampleIndices_, [1]);
  assert.deepEqual(new DBSCAN({ eps: 1, minSamples: 3 }).fit(X).labels_, [0, 0, 0, -1]);
  assert.deepEqual(new DBSCAN({ eps: 0.999, minSamples: 2 }).fit(X).labels_, [-1, -1, -1, -1]);
  assert.deepEqual(new DBSCAN({ eps: 1, minSamples: 1 }).fit(X).labels_, [0, 0, 0, 1]);
});

test("a border point reachable from two clusters joins the one grown first (lowest core row)", () => {
  // Two dense groups whose eps-balls both reach the lone point at x = 5, which is not core itself.
  const X = [[3.4], [3.5], [3.6], [3.7], [5], [6.3], [6.4], [6.5], [6.6]];
  const db = new DBSCAN({ eps: 1.35, minSamples: 4 }).fit(X);
  assert.ok(!db.coreSampleIndices_!.includes(4));
  assert.deepEqual(db.labels_, [0, 0, 0, 0, 0, 1, 1, 1, 1]);
  // Listed the other way round, the right-hand group is grown first and claims it.
  assert.deepEqual(new DBSCAN({ eps: 1.35, minSamples: 4 }).fit([...X].reverse()).labels_, [0, 0, 0, 0, 0, 1, 1, 1, 1]);
});

test("bad input is named", () => {
  assert.throws(() => new DBSCAN({ eps: 0 }), /eps must be a finite number > 0, got 0/);
  assert.throws(() => new DBSCAN({ minSamples: 0.5 }), /minSamples must be an integer ≥ 1, got 0.5/);
  assert.throws(() => new DBSCAN().fit([[1], [Number.NaN]]), /X/);
  assert.throws(() => new DBSCAN().nClusters_, /DBSCAN/);
});
