import { test } from "node:test";
import * as assert from "node:assert/strict";
import { adjacencyMatrix, degrees, forceLayout, meanAggregation, normalizedAdjacency, permuteGraph, randomGraph, type Graph } from "../../../lib/graph/graph";
import { loadKarateClub } from "../../../lib/graph/karate";
import { symmetricEigen } from "../../../lib/math/linalg";
import { Random } from "../../../lib/random";

const star: Graph = { nodeCount: 4, edges: [[0, 1], [0, 2], [0, 3]] };

test("Â of a 4-node star equals the hand values: 1/4 at the centre, 1/2 on the leaves, 1/√8 on the spokes", () => {
  const a = normalizedAdjacency(star);
  const spoke = 1 / Math.sqrt(8);
  const expected = [[0.25, spoke, spoke, spoke], [spoke, 0.5, 0, 0], [spoke, 0, 0.5, 0], [spoke, 0, 0, 0.5]];
  a.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - expected[i]![j]!) < 1e-15, `(${i}, ${j})`)));
});

test("on random graphs Â is symmetric with eigenvalues in (−1, 1], the largest exactly 1 (eigenvector D̃^½·1)", () => {
  const rng = new Random(3);
  for (let trial = 0; trial < 40; trial++) {
    const graph = randomGraph(rng.int(2, 25), rng.uniform(0.05, 0.9), rng);
    const n = graph.nodeCount;
    const a = normalizedAdjacency(graph);
    a.forEach((row, i) => row.forEach((v, j) => assert.equal(v, a[j]![i]!)));
    const { values } = symmetricEigen(a);
    assert.ok(values[0]! > -1 + 1e-9, `trial ${trial}: smallest ${values[0]}`);
    assert.ok(Math.abs(values.at(-1)! - 1) < 1e-9, `trial ${trial}: largest ${values.at(-1)}`);
    const v = degrees(graph).map((d) => Math.sqrt(d + 1));
    a.forEach((row, i) => assert.ok(Math.abs(row.reduce((s, x, j) => s + x * v[j]!, 0) - v[i]!) < 1e-12));
  }
});

test("mean aggregation averages the neighbours; permuting a graph permutes A", () => {
  const m = meanAggregation(star);
  assert.deepEqual(m[0], [0, 1 / 3, 1 / 3, 1 / 3]);
  assert.deepEqual(m[1], [1, 0, 0, 0]);
  const isolated = meanAggregation({ nodeCount: 3, edges: [[0, 1]] });
  assert.deepEqual(isolated[2], [0, 0, 0]);
  const perm = [2, 0, 3, 1];
  const a = adjacencyMatrix(star), b = adjacencyMatrix(permuteGraph(star, perm));
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) assert.equal(b[perm[i]!]![perm[j]!], a[i]![j]);
});

test("bad graphs are named: out-of-range node, self-loop, repeated edge, bad permutation", () => {
  assert.throws(() => adjacencyMatrix({ nodeCount: 3, edges: [[0, 3]] }), /edge 0 \[0, 3\] names node 3, outside 0 … 2/);
  assert.throws(() => adjacencyMatrix({ nodeCount: 3, edges: [[0, 1], [2, 2]] }), /edge 1 is a self-loop on node 2/);
  assert.throws(() => adjacencyMatrix({ nodeCount: 3, edges: [[0, 1], [1, 0]] }), /edge 1 \[1, 0\] repeats an earlier edge/);
  assert.throws(() => permuteGraph(star, [0, 1, 1, 2]), /permutation must hold 0 … 3 once each/);
});

test("the karate club: 34 members, 78 friendships, 17 per faction, degrees as Zachary's table (node 33: 17, node 0: 16, node 32: 12)", () => {
  const club = loadKarateClub();
  assert.equal(club.graph.nodeCount, 34);
  assert.equal(club.graph.edges.length, 78);
  assert.equal(club.faction.filter((f) => f === 0).length, 17);
  const d = degrees(club.graph);
  assert.deepEqual([d[0], d[33], d[32], d[11]], [16, 17, 12, 1]);
  assert.equal(d.reduce((a, b) => a + b, 0), 156);
  assert.equal(club.faction[club.instructor], 0);
  assert.equal(club.faction[club.administrator], 1);
});

test("the force layout is seeded, fills [−1, 1]², keeps every pair of nodes apart and linked nodes closer than unlinked ones", () => {
  const { graph } = loadKarateClub();
  const a = forceLayout(graph, { seed: 0 });
  assert.deepEqual(a, forceLayout(graph, { seed: 0 }));
  for (const axis of [a.x, a.y]) assert.ok(Math.abs(Math.min(...axis) + 1) < 1e-12 && Math.abs(Math.max(...axis) - 1) < 1e-12);
  const adjacency = adjacencyMatrix(graph);
  const linked: number[] = [], unlinked: number[] = [];
  for (let i = 0; i < 34; i++) for (let j = i + 1; j < 34; j++) {
    const distance = Math.hypot(a.x[i]! - a.x[j]!, a.y[i]! - a.y[j]!);
    assert.ok(distance > 0.02, `nodes ${i} and ${j} overlap`);
    (adjacency[i]![j] ? linked : unlinked).push(distance);
  }
  const mean = (v: number[]) => v.reduce((s, d) => s + d, 0) / v.length;
  assert.ok(mean(linked) < 0.6 * mean(unlinked), `${mean(linked)} vs ${mean(unlinked)}`);
  assert.throws(() => forceLayout(graph, { seed: 0, iterations: 0 }), /iterations must be an integer ≥ 1, got 0/);
});

test("randomGraph: G(n, 0) has no edge, G(n, 1) every pair, and the edge share follows p", () => {
  const rng = new Random(9);
  assert.equal(randomGraph(10, 0, rng).edges.length, 0);
  assert.equal(randomGraph(10, 1, rng).edges.length, 45);
  const share = randomGraph(200, 0.3, rng).edges.length / (200 * 199 / 2);
  assert.ok(Math.abs(share - 0.3) < 0.01, `share ${share}`); // 19,900 pairs: the binomial standard error is 0.0033
  assert.throws(() => randomGraph(5, 1.5, rng), /density must be in \[0, 1\], got 1.5/);
});
